"""shapley_many and matrix_values: known answers, agreement with the LP solvers, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.errors import InputLimitError, ShapeError, SolverError, TransitionError
from gametheory.games import StochasticGame
from gametheory.solvers import best_response_gain, matrix_values, shapley, shapley_many
from gametheory.solvers.zero_sum import maximin
from tests.games.test_stochastic import big_match


@pytest.mark.parametrize("delta", [0.3, 0.8, 0.95])
def test_big_match_value_and_strategy_with_padded_states(delta):
    res = shapley_many([big_match(delta)] * 3)
    assert np.allclose(res.value, [0.5, 1.0, 0.0], atol=1e-9)
    # Blackwell & Ferguson: player 1 plays T with probability (1 - δ) / (2 - δ)
    assert res.row[:, 0, 0] == pytest.approx((1 - delta) / (2 - delta), abs=1e-9)
    assert np.allclose(res.col[:, 0], 0.5)
    # the padded single-action states put all weight on their one action
    assert res.row[:, 1].tolist() == [[1.0, 0.0]] * 3 and res.col[:, 2, 1].max() == 0.0
    assert res.fallback == [] and res.max_gain.max() < 1e-9


def test_matrix_values_known_answers():
    rps = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], float)
    v, x, y, used = matrix_values(np.stack([rps, rps + 5, np.eye(3)]))
    assert np.allclose(v, [0, 5, 1 / 3]) and np.allclose(x, 1 / 3) and np.allclose(y, 1 / 3)
    assert (used >= 0).all()
    # a degenerate game: a duplicated row and a dominated column
    deg = np.array([[2, 0, 5], [2, 0, 5], [0, 2, 5]], float)
    v, x, y, _ = matrix_values(deg[None])
    assert v[0] == pytest.approx(1.0) and x[0, :2].sum() == pytest.approx(0.5)
    assert y[0, 2] == 0.0


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31), m=st.integers(1, 5), n=st.integers(1, 5),
       scale=st.sampled_from([1e-6, 1.0, 1e6]))
def test_matrix_values_agree_with_the_linear_program(seed, m, n, scale):
    rng = np.random.default_rng(seed)
    M = rng.integers(-3, 4, (30, m, n)).astype(float) * scale   # small ints: degenerate
    v, x, y, _ = matrix_values(M)
    for k in range(30):
        ref, _ = maximin(M[k])
        assert v[k] == pytest.approx(ref, abs=1e-9 * scale)
        # the strategies guarantee the value
        assert (x[k] @ M[k]).min() >= v[k] - 1e-9 * scale
        assert (M[k] @ y[k]).max() <= v[k] + 1e-9 * scale
        assert x[k].sum() == pytest.approx(1) and y[k].sum() == pytest.approx(1)


def _games(seed: int, B: int, S: int, m: int, n: int):
    rng = np.random.default_rng(seed)
    A = rng.integers(-5, 6, (B, S, m, n)).astype(float)
    T = rng.dirichlet(np.ones(S), size=(B, S, m, n))
    return A, T


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31), S=st.integers(1, 3), m=st.integers(1, 3),
       n=st.integers(1, 3), delta=st.sampled_from([0.3, 0.8]))
def test_shapley_many_agrees_with_the_lp_solver_and_verifies(seed, S, m, n, delta):
    A, T = _games(seed, 6, S, m, n)
    res = shapley_many(A, T, delta)
    for b in range(6):
        g = StochasticGame([gt.Game.zero_sum(A[b, s]) for s in range(S)], list(T[b]),
                           discount=delta)
        ref = shapley(g)
        span = max(float(np.ptp(A[b])), 1e-300)
        assert np.allclose(res.value[b], ref.value, atol=1e-8 * span)
        prof = [[res.row[b, s], res.col[b, s]] for s in range(S)]
        assert best_response_gain(g, prof).max() <= 1e-7 * span
    assert res.max_gain.max() <= 1e-7 * max(float(np.ptp(A)), 1e-300)


def test_games_of_different_shapes_and_a_one_state_game_is_its_matrix_game():
    pennies = gt.games.matching_pennies()
    g1 = StochasticGame.from_repeated(gt.RepeatedGame(pennies, 0.5))
    res = shapley_many([g1])
    assert res.value[0, 0] == pytest.approx(0.0) and np.allclose(res.row, 0.5)
    html = res._repr_html_()
    assert "<table" in html and len(res.to_frame()) == 1


def test_errors_name_the_game_and_the_field():
    A, T = _games(1, 3, 2, 2, 2)
    with pytest.raises(ShapeError, match="expected"):
        shapley_many(A[:, :, :, :1], T, 0.9)
    bad = T.copy()
    bad[1, 0, 1, 0] = [0.7, 0.7]
    with pytest.raises(TransitionError, match=r"game 1, state 0, profile \(1, 0\)"):
        shapley_many(A, bad, 0.9)
    nan = A.copy()
    nan[2, 1, 0, 0] = np.nan
    with pytest.raises(ShapeError, match="game 2"):
        shapley_many(nan, T, 0.9)
    with pytest.raises(ShapeError, match="discount"):
        shapley_many(A, T)
    with pytest.raises(SolverError, match="zero-sum"):
        shapley_many([StochasticGame.from_repeated(
            gt.RepeatedGame(gt.games.prisoners_dilemma(), 0.9))])
    with pytest.raises(ShapeError, match="same number of states"):
        shapley_many([big_match(), StochasticGame.from_repeated(
            gt.RepeatedGame(gt.games.matching_pennies(), 0.9))])
    with pytest.raises(InputLimitError, match="actions"):
        shapley_many(np.zeros((1, 1, 7, 2)), np.ones((1, 1, 7, 2, 1)), 0.9)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31), S=st.integers(2, 4), m=st.integers(2, 4))
def test_patient_games_are_verified_by_the_independent_mdp_check(seed, S, m):
    A, T = _games(seed, 5, S, m, m)
    res = shapley_many(A, T, 0.99)
    for b in range(5):
        g = StochasticGame([gt.Game.zero_sum(A[b, s]) for s in range(S)], list(T[b]),
                           discount=0.99)
        prof = [[res.row[b, s], res.col[b, s]] for s in range(S)]
        span = float(np.ptp(A[b]))
        assert best_response_gain(g, prof).max() <= 1e-7 * span
        assert np.allclose(gt.solvers.markov_values(g, prof)[0], res.value[b],
                           atol=1e-7 * span)
