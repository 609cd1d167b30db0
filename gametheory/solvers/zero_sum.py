"""Value and optimal strategies of two-player zero-sum (constant-sum) games by LP."""

from __future__ import annotations

import time

import numpy as np

from ..errors import ShapeError, SolverError
from ..games.normal_form import Game
from .result import EquilibriumResult
from .verify import finalize

__all__ = ["maximin", "zero_sum"]


def maximin(M: np.ndarray) -> tuple[float, np.ndarray]:
    """Value and an optimal mixed strategy of the row player of the matrix game ``M``.

    Solves ``max v s.t. M^T x >= v 1, sum x = 1, x >= 0`` with HiGHS' dual
    simplex, which returns a basic (vertex) solution.
    """
    from scipy.optimize import linprog

    m, n = M.shape
    c = np.zeros(m + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-M.T, np.ones((n, 1))])
    b_ub = np.zeros(n)
    A_eq = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0],
                  bounds=[(0, None)] * m + [(None, None)], method="highs-ds")
    if res.status != 0:
        raise SolverError(f"linear program failed: {res.message}")
    x = np.clip(res.x[:m], 0.0, None)
    return float(res.x[-1]), x / x.sum()


def zero_sum(game: Game, *, tol: float = 1e-9, exact: bool = False) -> EquilibriumResult:
    """Value and a pair of optimal (maximin) strategies of a two-player zero-sum game.

    Constant-sum games are accepted (player 2's payoff is ``c - A``). Each
    player's optimal strategy comes from its own linear program (von Neumann's
    minimax theorem makes the two values equal; the difference is reported in
    ``details["duality_gap"]``).

    Returns
    -------
    EquilibriumResult
        One equilibrium (guarantee ``"one"``: the optimal strategies may not be
        unique) and ``result.value``, the value to player 1.

    Raises
    ------
    SolverError
        If the game is not constant-sum.

    References
    ----------
    von Neumann, J. (1928). Zur Theorie der Gesellschaftsspiele. *Math. Ann.*
    100:295-320. Dantzig, G. B. (1951), the LP formulation.

    Examples
    --------
    >>> from gametheory.games import rock_paper_scissors
    >>> res = zero_sum(rock_paper_scissors(), exact=True)
    >>> res.value, [str(v) for v in res[0].strategies[0].values]
    (0.0, ['1/3', '1/3', '1/3'])
    """
    started = time.perf_counter()
    if game.n_players != 2:
        raise ShapeError(f"zero_sum needs a two-player game; this game has {game.n_players}")
    if not game.is_constant_sum:
        raise SolverError("zero_sum needs a zero-sum or constant-sum game; the payoffs of "
                          "this game do not sum to a constant (use support_enumeration)")
    A, B = game.bimatrix
    v1, x = maximin(A)
    v2, y = maximin(B.T)
    const = float(A[0, 0] + B[0, 0])
    gap = abs(v1 - (const - v2))
    result = finalize(game, [[x, y]], method="zero_sum", guarantee="one", tol=tol,
                      exact=exact, started=started, n_iter=2,
                      details={"duality_gap": gap})
    if result.equilibria:
        result.details["value"] = float(result.equilibria[0].payoffs[0])
    else:
        result.details["value"] = v1
    return result
