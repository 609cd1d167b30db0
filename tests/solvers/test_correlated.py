"""Correlated equilibria."""

from __future__ import annotations

import warnings
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given

from gametheory import DegenerateGameWarning, Game
from gametheory.errors import ShapeError, SolverError
from gametheory.games import chicken, prisoners_dilemma
from gametheory.solvers import (
    correlated_equilibrium,
    correlated_equilibrium_polytope,
    vertex_enumeration,
)

from ..conftest import bimatrix_games


def test_aumann_chicken():
    game = chicken(tie=6, lose=2, win=7, crash=0)
    res = correlated_equilibrium(game, exact=True)
    ce = res[0]
    assert ce.verified == "exact"
    assert ce.exact_distribution.tolist() == [[F(1, 2), F(1, 4)], [F(1, 4), 0]]
    assert res.details["objective_value"] == pytest.approx(10.5)
    # maximising one player's payoff picks that player's favourite pure equilibrium
    best_for_1 = correlated_equilibrium(game, objective="player:Player 1")
    assert best_for_1[0].payoffs[0] == pytest.approx(7)


def test_prisoners_dilemma_has_only_mutual_defection():
    res = correlated_equilibrium(prisoners_dilemma())
    assert np.allclose(res[0].distribution, [[0, 0], [0, 1]])


def test_three_players():
    rng = np.random.default_rng(5)
    g = Game(rng.integers(-3, 4, (2, 2, 2, 3)))
    res = correlated_equilibrium(g)
    C, labels = correlated_equilibrium_polytope(g)
    assert C.shape == (6, 8) and len(labels) == 6
    assert (C @ res[0].distribution.reshape(-1)).min() >= -1e-9


def test_bad_objective():
    with pytest.raises(ShapeError):
        correlated_equilibrium(chicken(), objective=[1, 2, 3])
    with pytest.raises(SolverError, match="unknown objective"):
        correlated_equilibrium(chicken(), objective="happiness")


@given(bimatrix_games(max_actions=3))
def test_nash_equilibria_are_correlated_equilibria(game):
    """Welfare of the best correlated equilibrium is at least that of every Nash equilibrium."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        nash = vertex_enumeration(game)
    ce = correlated_equilibrium(game)
    best = max(eq.payoffs.sum() for eq in nash)
    assert ce.details["objective_value"] >= best - 1e-7
    C, _ = correlated_equilibrium_polytope(game)
    for eq in nash:
        joint = np.multiply.outer(*eq.profile).reshape(-1)
        assert len(C) == 0 or (C @ joint).min() >= -1e-9
