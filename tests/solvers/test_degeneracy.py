"""Degeneracy detection with certificates."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

from gametheory import Game, is_degenerate
from gametheory.errors import ShapeError
from gametheory.games import battle_of_the_sexes, matching_pennies

from ..conftest import bimatrix_games


def test_known_games():
    assert not is_degenerate(matching_pennies())
    assert not is_degenerate(battle_of_the_sexes())
    assert not is_degenerate(Game.from_bimatrix([[3, 3], [2, 5], [0, 6]],
                                                [[3, 2], [2, 6], [3, 1]]))
    cert = is_degenerate(Game.from_bimatrix([[3, 3], [2, 5], [0, 6]],
                                            [[3, 3], [2, 6], [3, 1]]))
    assert cert and cert.support == (0,) and cert.best_responses == (0, 1)
    assert "2 best responses" in str(cert)


@given(bimatrix_games(max_actions=3, low=-2, high=2))
def test_certificate_is_a_real_witness(game):
    cert = is_degenerate(game)
    if not cert:
        return
    i = game.players.index(cert.player)
    x = np.asarray(cert.strategy)
    assert set(np.flatnonzero(x > 1e-12)) == set(cert.support)
    payoff = game.bimatrix[1 - i]
    values = x @ payoff if i == 0 else payoff @ x
    best = set(np.flatnonzero(values >= values.max() - 1e-9))
    assert best == set(cert.best_responses) and len(best) > len(cert.support)


def test_needs_two_players():
    with pytest.raises(ShapeError):
        is_degenerate(Game(np.zeros((2, 2, 2, 3))))
