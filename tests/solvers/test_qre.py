"""Logit quantal response equilibrium."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from gametheory import Game
from gametheory.errors import ProfileError, ShapeError
from gametheory.games import matching_pennies, prisoners_dilemma, stag_hunt
from gametheory.solvers import fit_qre, logit_qre, logit_qre_path, qre

from ..conftest import bimatrix_games, random_games


def test_lambda_zero_is_uniform():
    for s in logit_qre(stag_hunt(), 0.0):
        assert np.allclose(s, 0.5)


@pytest.mark.parametrize("lam", [0.1, 0.5, 1.0, 2.0])
def test_path_and_fixed_point_agree(lam):
    game = Game.from_bimatrix([[3, 0], [5, 1]], [[2, 4], [1, 3]])
    a = logit_qre(game, lam)
    b = logit_qre(game, lam, method="fixed_point")
    for x, y in zip(a, b, strict=True):
        assert np.allclose(x, y, atol=1e-9)


def test_points_satisfy_logit_equations():
    game = random_games(np.random.default_rng(2), 3, 4, 1, high=20)[0]
    path = logit_qre_path(game, lam_max=0.5)
    for lam, (x, y) in zip(path.lam, path.profiles, strict=True):
        A, B = game.bimatrix
        ex = np.exp(lam * (A @ y - (A @ y).max()))
        ey = np.exp(lam * (x @ B - (x @ B).max()))
        assert np.allclose(x, ex / ex.sum(), atol=1e-8)
        assert np.allclose(y, ey / ey.sum(), atol=1e-8)
    assert len(path.to_frame()) == len(path) * 7


def test_limit_is_a_nash_equilibrium_and_matches_gambit():
    pygambit = pytest.importorskip("pygambit")
    rng = np.random.default_rng(11)
    for g in random_games(rng, 3, 3, 6, high=50):
        ours = qre(g)
        assert len(ours) == 1 and ours.details["bifurcations"] == []
        A, B = (np.asarray(m, dtype=int) for m in g.bimatrix)
        pg = pygambit.StrategicGame.from_arrays(A, B)
        eq = pygambit.nash.logit_solve(pg).equilibrium
        theirs = [np.array([float(eq[p][s]) for s in pg.get_strategies(p)])
                  for p in pg.players]
        for mine, other in zip(ours[0].profile, theirs, strict=True):
            assert np.allclose(mine, other, atol=1e-6)


def test_symmetric_bifurcation_is_reported():
    from gametheory.games import battle_of_the_sexes

    res = qre(battle_of_the_sexes())
    assert len(res.details["bifurcations"]) == 1
    assert 0.5 < res.details["bifurcations"][0] < 1.5


def test_qre_at_lambda_is_reported_not_as_nash():
    res = qre(matching_pennies(), lam=3.0)
    assert res.equilibria == [] and res.details["residual"] < 1e-9


def test_fit_recovers_lambda():
    game = Game.from_bimatrix([[3, 0], [5, 1]], [[2, 4], [1, 3]])
    truth = logit_qre(game, 0.7)
    fit = fit_qre(game, [5000 * truth[0], 5000 * truth[1]])
    assert fit.lam_ == pytest.approx(0.7, abs=1e-5)
    lo, hi = fit.ci_
    assert lo < 0.7 < hi
    # with less data the interval is wider
    small = fit_qre(game, [50 * truth[0], 50 * truth[1]])
    assert small.ci_[1] - small.ci_[0] > hi - lo


def test_fit_bad_input():
    with pytest.raises(ShapeError):
        fit_qre(prisoners_dilemma(), [[1, 2, 3], [1, 2]])
    with pytest.raises(ProfileError, match=">= 0"):
        fit_qre(prisoners_dilemma(), [[-1, 2], [1, 2]])
    with pytest.raises(ProfileError, match="λ"):
        logit_qre(prisoners_dilemma(), -1.0)


@given(bimatrix_games(max_actions=3, low=-9, high=9))
@settings(max_examples=25)
def test_branch_limit_is_a_verified_equilibrium(game):
    """Non-degenerate games: the branch ends in a verified equilibrium. Degenerate games
    may have bifurcations where the branch is not unique: a typed error is acceptable."""
    from gametheory import is_degenerate
    from gametheory.errors import SolverError

    try:
        res = qre(game)
    except SolverError:
        assert is_degenerate(game)
        return
    assert len(res) == 1
    assert game.is_nash(res[0].profile)


@pytest.mark.parametrize("A, B", [
    # two identical rows: the polished support system is singular (hybr went negative)
    ([[4, -8], [-3, 4], [4, -8]], [[-8, -8], [5, 3], [-5, 9]]),
    # the logit limit lies inside a face of the equilibrium set
    ([[2, -7, -8], [-2, -1, 6], [0, -4, 9]], [[-9, -7, 8], [6, 0, -7], [-9, -4, -3]]),
])
def test_degenerate_branch_end_is_returned_verified(A, B):
    """Regression: these degenerate games used to come back with no equilibrium at all."""
    game = Game.from_bimatrix(A, B)
    res = qre(game)
    assert len(res) == 1 and not res.rejected
    assert game.is_nash(res[0].profile)
    assert min(float(p.min()) for p in res[0].profile) >= 0
