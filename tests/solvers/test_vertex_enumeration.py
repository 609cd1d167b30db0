"""Vertex enumeration: degenerate games, components, gambit oracle, invariance."""

from __future__ import annotations

import warnings
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gametheory import DegenerateGameWarning, Game, read_nfg
from gametheory.solvers import vertex_enumeration

from ..conftest import bimatrix_games, exact_set, gambit_enummixed

DATA = Path(__file__).parents[1] / "data"


def _solve(game, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return vertex_enumeration(game, **kw)


def test_von_stengel_degenerate_example_components():
    game = Game.from_bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
    with pytest.warns(DegenerateGameWarning):
        res = vertex_enumeration(game, exact=True)
    assert len(res) == 3 and res.guarantee == "all_extreme"
    assert len(res.components) == 2
    big = next(c for c in res.components if not c.is_isolated)
    # x = (1, 0, 0) against every y in conv{(1, 0), (2/3, 1/3)}
    (lo, hi), _ = big.intervals()[1]
    assert np.isclose(lo, 2 / 3) and np.isclose(hi, 1.0)
    assert big.nash_subsets == (((0,), (0, 1)),)
    assert {eq.component for eq in res} == {0, 1}


def test_e02_matches_gambit():
    game = read_nfg(DATA / "e02.nfg")
    res = _solve(game)
    theirs, _gres = gambit_enummixed(game)
    assert exact_set(res) == theirs
    assert res.degenerate
    # Selten's game: player 1's first strategy against a continuum of player 2's
    comp = [c for c in res.components if not c.is_isolated]
    assert comp and comp[0].intervals()[1][0] == (0.5, 1.0)


@given(bimatrix_games(max_actions=4, low=-2, high=2))
def test_degenerate_games_match_gambit_extreme_equilibria(game):
    """Small payoff ranges make many degenerate games; every extreme equilibrium counts."""
    res = _solve(game)
    theirs, _ = gambit_enummixed(game)
    assert exact_set(res) == theirs


@given(bimatrix_games(max_actions=3), st.integers(1, 5), st.integers(-5, 5),
       st.integers(1, 5), st.integers(-5, 5))
def test_invariant_under_positive_affine_transforms(game, a, b, c, d):
    A, B = game.exact_payoffs.transpose(2, 0, 1)
    moved = Game.from_bimatrix(A * a + b, B * c + d)
    assert exact_set(_solve(game)) == exact_set(_solve(moved))


def test_exact_output_uses_fractions():
    game = Game.from_bimatrix([[F(1, 3), 0], [0, F(2, 3)]], [[F(2, 3), 0], [0, F(1, 3)]])
    res = _solve(game, exact=True)
    mixed = next(eq for eq in res if not eq.is_pure)
    assert mixed.strategies[0].values == (F(1, 3), F(2, 3))
