"""The verification step every solver goes through."""

from __future__ import annotations

import numpy as np
import pytest

from gametheory import Game
from gametheory.errors import VerificationWarning
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
