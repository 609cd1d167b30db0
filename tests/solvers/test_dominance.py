"""Iterated elimination of dominated strategies."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import given

from gametheory import DegenerateGameWarning, Game
from gametheory.games import embassy_dispute, prisoners_dilemma
from gametheory.solvers import dominance, iterated_dominance, vertex_enumeration

from ..conftest import bimatrix_games, exact_set


def test_prisoners_dilemma_and_embassy_game_are_dominance_solvable():
    assert iterated_dominance(prisoners_dilemma()).solved
    red = iterated_dominance(embassy_dispute())
    assert red.solved and red.game.actions == (("Retaliate",), ("Retaliate",))


def test_domination_by_a_mixed_strategy_only():
    # the middle row is beaten by neither pure row, but by the 50/50 mixture
    game = Game.from_bimatrix([[3, 0], [1, 1], [0, 3]], [[1, 0], [0, 0], [0, 1]])
    no_mixed = iterated_dominance(game, mixed=False)
    with_mixed = iterated_dominance(game)
    assert no_mixed.surviving[0] == (0, 1, 2)
    assert with_mixed.surviving[0] == (0, 2)
    _rnd, player, action, dominator = with_mixed.eliminated[0]
    assert (player, action) == ("Player 1", "2")
    assert np.isclose(sum(dominator.values()), 1.0)


def test_weak_dominance():
    game = Game.from_bimatrix([[1, 1], [1, 0]], [[1, 1], [1, 0]])
    assert iterated_dominance(game).surviving == ((0, 1), (0, 1))
    # row 2 is weakly dominated; against row 1 alone the columns tie, so both stay
    assert iterated_dominance(game, strict=False).surviving == ((0,), (0, 1))
    assert dominance(game, strict=False).guarantee == "subset"


@given(bimatrix_games(max_actions=4))
def test_strict_elimination_keeps_every_equilibrium(game):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        full = exact_set(vertex_enumeration(game))
        reduced = exact_set(dominance(game))
    assert reduced == full
