"""The verification step every solver goes through."""

from __future__ import annotations

import numpy as np
import pytest

from gametheory import Game
from gametheory.errors import SolverError, VerificationWarning
from gametheory.games import matching_pennies, prisoners_dilemma
from gametheory.solvers import check_profile, verify_equilibrium
from gametheory.solvers.verify import finalize


def test_wrong_candidates_are_rejected_with_reasons():
    g = prisoners_dilemma()
    eq, reason = check_profile(g, [[1, 0], [1, 0]])
    assert eq is None and "gains 2" in reason
    eq, reason = check_profile(g, [[0.5, 0.6], [0, 1]])
    assert eq is None and "sum" in reason
    assert verify_equilibrium(g, [[0, 1], [0, 1]])


def test_near_miss_float_profile_fails_exact_check():
    # within float tolerance of the mixed equilibrium but no exact equilibrium nearby...
    g = matching_pennies()
    eq, _ = check_profile(g, [[0.5 + 1e-13, 0.5 - 1e-13], [0.5, 0.5]])
    # ...is snapped to the exact equilibrium (1/2, 1/2) and verified exactly
    assert eq is not None and eq.verified == "exact"
    assert eq.exact_strategies[0] == (0.5, 0.5)


def test_finalize_drops_and_reports():
    import time

    g = prisoners_dilemma()
    with pytest.warns(VerificationWarning, match="1 candidate"):
        res = finalize(g, [[[0, 1], [0, 1]], [[1, 0], [1, 0]]], method="test",
                       guarantee="one", tol=1e-9, started=time.perf_counter())
    assert len(res) == 1 and len(res.rejected) == 1
    assert "gains" in res.rejected[0].reason


def test_float_games_are_verified_in_floats():
    rng = np.random.default_rng(0)
    g = Game.from_bimatrix(rng.normal(size=(3, 3)), rng.normal(size=(3, 3)))
    assert g.exact_payoffs is None
    eq, _ = check_profile(g, [np.eye(3)[0], np.eye(3)[0]])
    from gametheory import solve

    res = solve(g)
    assert all(e.verified == "float" for e in res) and len(res) >= 1
    assert eq is None or eq.verified == "float"


def test_exact_output_needs_exact_payoffs():
    from gametheory import solve
    from gametheory.errors import SolverError

    g = Game.from_bimatrix([[0.1, 0.3], [0.2, 0.0]], [[0.3, 0.1], [0.0, 0.2]])
    with pytest.raises(SolverError, match="exact=True needs exact payoffs"):
        solve(g, exact=True)


def test_irrational_point_inside_a_degenerate_face_is_float_verified():
    """Against y = (0.6, 0.4, 0) all three rows are best responses, and every x with
    6 x2 = 2 x1 + 5 x3 is an equilibrium strategy: a segment of equilibria whose inner
    points need not be rational. Such a point is kept (float-verified), not dropped."""
    game = Game.from_bimatrix([[2, -7, -8], [-2, -1, 6], [0, -4, 9]],
                              [[-9, -7, 8], [6, 0, -7], [-9, -4, -3]])
    t = 0.45 - np.sqrt(2) / 100  # the segment runs from t = 0.4270 to t = 6/11
    x0 = (6 - 11 * t) / 8
    x = [x0, 1 - x0 - t, t]
    eq, reason = check_profile(game, [x, [0.6, 0.4, 0]])
    assert reason == "" and eq.verified == "float"
    # a vertex of the same segment is still verified exactly
    eq, _ = check_profile(game, [[0, 5 / 11, 6 / 11], [0.6, 0.4, 0]])
    assert eq.verified == "exact"


def test_finalize_takes_rows_of_concatenated_strategies():
    # the N-player enumeration hands its candidates over as one array
    g = prisoners_dilemma()
    rows = np.array([[0.0, 1.0, 0.0, 1.0], [1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0]])
    with pytest.warns(VerificationWarning):
        res = finalize(g, rows, method="test", guarantee="all", tol=1e-9, started=0.0)
    assert len(res) == 1 and res[0].verified == "exact"  # the duplicate is merged
    assert res.rejected[0].profile == ((1.0, 0.0), (1.0, 0.0))
    assert "gains 2" in res.rejected[0].reason
    with pytest.raises(SolverError, match="4 entries"):
        finalize(g, np.ones((2, 3)), method="test", guarantee="all", tol=1e-9, started=0.0)


def test_malformed_profiles_are_rejected_with_the_player_named():
    g = prisoners_dilemma()
    assert "1 strategies for 2 players" in check_profile(g, [[1, 0]])[1]
    assert "player 2: 3 probabilities for 2 actions" in check_profile(
        g, [[1, 0], [1, 0, 0]])[1]
    assert "player 2: non-finite" in check_profile(g, [[1, 0], [np.nan, 1]])[1]
    assert "player 1: negative" in check_profile(g, [[-0.5, 1.5], [0, 1]])[1]


def test_pure_profiles_of_n_player_games_are_checked_exactly():
    # a 3-player coordination game: everyone on action 0 is an exact equilibrium;
    # when a deviation gains 10**-12 (inside the float tolerance) it is not
    from fractions import Fraction

    U = np.full((2, 2, 2, 3), Fraction(0), dtype=object)
    U[0, 0, 0] = [Fraction(1)] * 3
    U[1, 1, 1] = [Fraction(1)] * 3
    eq, _ = check_profile(Game(U), [[1, 0], [1, 0], [1, 0]])
    assert eq.verified == "exact" and eq.exact_strategies[0] == (1, 0)
    U[1, 0, 0, 0] = Fraction(1) + Fraction(1, 10**12)
    eq, reason = check_profile(Game(U), [[1, 0], [1, 0], [1, 0]], tol=1e-9)
    assert eq is None and "not exactly an equilibrium" in reason
