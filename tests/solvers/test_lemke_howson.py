"""Lemke–Howson: one equilibrium per label, never hangs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given

from gametheory import DegenerateGameWarning, Game
from gametheory.errors import IterationLimitError, ShapeError
from gametheory.games import battle_of_the_sexes
from gametheory.solvers import lemke_howson, vertex_enumeration

from ..conftest import bimatrix_games, exact_set, random_games


def test_known_paths_in_battle_of_the_sexes():
    # dropping label 0 (Opera of player 1) leads to (Opera, Opera); label 1 to (Football, Football)
    assert lemke_howson(battle_of_the_sexes(), initial_dropped_label=0)[0].support == (
        (0,), (0,))
    assert lemke_howson(battle_of_the_sexes(), initial_dropped_label=1)[0].support == (
        (1,), (1,))


@given(bimatrix_games(max_actions=4))
def test_result_is_among_all_equilibria(game):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        everything = exact_set(vertex_enumeration(game))
    res = lemke_howson(game, initial_dropped_label="all")
    assert res.guarantee == "accessible" and len(res) >= 1
    assert exact_set(res) <= everything


def test_degenerate_games_do_not_cycle():
    # many ties: the lexicographic ratio test must still terminate
    game = Game.from_bimatrix(np.ones((5, 5)), np.eye(5))
    res = lemke_howson(game, initial_dropped_label="all")
    assert len(res) >= 1


def test_iteration_cap_raises_clear_error():
    game = random_games(np.random.default_rng(3), 6, 6, 1)[0]
    with pytest.raises(IterationLimitError, match="max_iter=1"):
        lemke_howson(game, initial_dropped_label=0, max_iter=1)


def test_bad_label():
    with pytest.raises(ShapeError, match=r"0\.\.3"):
        lemke_howson(battle_of_the_sexes(), initial_dropped_label=4)


def test_larger_games_finish(rng):
    """nashpy's implementation hung on some 5x5-12x12 games; ours has a cap and finishes."""
    for size in (5, 8, 12):
        for g in random_games(rng, size, size, 3):
            res = lemke_howson(g, initial_dropped_label="all")
            assert len(res) >= 1 and all(g.is_nash(eq.profile) for eq in res)
