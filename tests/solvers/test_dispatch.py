"""The solve() dispatcher and the result object."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import GameError, UnknownNameError
from gametheory.games import battle_of_the_sexes, embassy_dispute
from gametheory.solvers import METHODS


def test_unknown_method_lists_valid_ones():
    with pytest.raises(UnknownNameError) as info:
        gt.solve(battle_of_the_sexes(), method="lemke")
    message = str(info.value)
    assert "lemke_howson" in message and "support_enumeration" in message
    assert isinstance(info.value, GameError) and isinstance(info.value, KeyError)


def test_not_a_game():
    with pytest.raises(GameError, match=r"Game\.from_bimatrix"):
        gt.solve([[1, 2], [3, 4]])


@pytest.mark.parametrize("method", sorted(set(METHODS) - {"zero_sum"}))
def test_every_method_returns_verified_results(method):
    res = gt.solve(embassy_dispute(), method=method)
    assert res.method == method
    assert res.game_digest == embassy_dispute().digest()
    assert res.elapsed_s >= 0 and res.converged
    for eq in res:
        assert eq.verified == "exact"
        if method != "correlated":
            assert embassy_dispute().is_nash(eq.profile)


def test_result_frame_and_html():
    res = gt.solve(battle_of_the_sexes(), exact=True)
    df = res.to_frame()
    assert len(df) == 3 * 2 * 2
    mixed = df[(df.equilibrium == 1) & (df.player == "Player 1")]
    assert mixed.exact_probability.tolist() == ["3/5", "2/5"]
    assert np.allclose(mixed.probability, [0.6, 0.4])
    html = res._repr_html_()
    assert "Opera: 3/5" in html and "every Nash equilibrium" in html
    assert "3 equilibria" in repr(res)
    assert gt.solve(battle_of_the_sexes(), method="pure").summary().startswith("pure: 2")


def test_default_method():
    assert gt.solve(battle_of_the_sexes()).method == "vertex_enumeration"
    three = gt.Game(np.zeros((2, 2, 2, 3)))
    assert gt.solve(three).method == "pure"
