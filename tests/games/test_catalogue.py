"""Named games."""

from __future__ import annotations

import pytest

from gametheory import solve
from gametheory.errors import PayoffError, UnknownNameError
from gametheory.games import catalogue, get_game, prisoners_dilemma


@pytest.mark.parametrize("name", sorted(catalogue))
def test_every_named_game_builds_and_solves(name):
    game = get_game(name)
    assert game.is_exact
    res = solve(game)
    assert len(res) >= 1 and all(eq.verified == "exact" for eq in res)


def test_prisoners_dilemma_parameters_are_checked():
    g = prisoners_dilemma(R=4, S=0, T=5, P=1)
    assert g.payoff(["Cooperate", "Cooperate"]).tolist() == [4.0, 4.0]
    with pytest.raises(PayoffError, match="T > R > P > S"):
        prisoners_dilemma(R=6)


def test_unknown_game_name():
    with pytest.raises(UnknownNameError, match="stag_hunt"):
        get_game("stag hunts")
