"""One equilibrium of a bimatrix game by the Lemke–Howson algorithm."""

from __future__ import annotations

import time

import numpy as np

from .._validate import check_index
from ..errors import IterationLimitError, ShapeError
from ..games.normal_form import Game
from ._polytope import positive_payoffs
from .result import EquilibriumResult
from .verify import finalize

__all__ = ["lemke_howson", "lemke_howson_path"]


def _min_ratio(tableau: np.ndarray, col: int, basis_cols: np.ndarray, tol: float) -> int:
    """Leaving row by the lexicographic minimum-ratio test (no cycling when degenerate).

    Ties in ``rhs / pivot`` are broken by comparing, in order, the columns of the
    initial basis divided by the pivot column (Bland-free lexicographic rule).
    """
    pivot_col = tableau[:, col]
    rows = np.flatnonzero(pivot_col > tol)
    if rows.size == 0:
        raise ArithmeticError("unbounded pivot column")  # cannot happen for P, Q polytopes
    for c in (-1, *basis_cols):
        ratios = tableau[rows, c] / pivot_col[rows]
        best = ratios.min()
        rows = rows[ratios <= best + tol * max(1.0, abs(best))]
        if rows.size == 1:
            break
    return int(rows[0])


def _pivot(tableau: np.ndarray, row: int, col: int) -> None:
    tableau[row] /= tableau[row, col]
    factors = tableau[:, col].copy()
    factors[row] = 0.0
    tableau -= np.outer(factors, tableau[row])


def lemke_howson_path(A: np.ndarray, B: np.ndarray, initial_dropped_label: int, *,
                      max_iter: int = 10_000, tol: float = 1e-12
                      ) -> tuple[np.ndarray, np.ndarray, int]:
    """Follow the Lemke–Howson path from the artificial equilibrium.

    Labels ``0..m-1`` are player 1's actions and ``m..m+n-1`` player 2's.
    Returns the (normalised) strategies and the number of pivots.

    Raises
    ------
    IterationLimitError
        When the path is longer than ``max_iter`` pivots.
    """
    m, n = A.shape
    Ap, Bp = positive_payoffs(A), positive_payoffs(B)
    # Tableau of P (x, slack s): B'^T x + s = 1. Column k holds the variable with label k.
    tab_p = np.hstack([Bp.T, np.eye(n), np.ones((n, 1))])
    basis_p = np.arange(m, m + n)
    # Tableau of Q (slack r, y): r + A' y = 1.
    tab_q = np.hstack([np.eye(m), Ap, np.ones((m, 1))])
    basis_q = np.arange(m)
    init_cols_p = np.arange(m, m + n)
    init_cols_q = np.arange(m)
    entering = initial_dropped_label
    # The strategy variable x_k lives in P, y_k in Q; the first pivot is in that tableau.
    in_p = entering < m
    for it in range(1, max_iter + 1):
        if in_p:
            row = _min_ratio(tab_p, entering, init_cols_p, tol)
            _pivot(tab_p, row, entering)
            leaving = int(basis_p[row])
            basis_p[row] = entering
        else:
            row = _min_ratio(tab_q, entering, init_cols_q, tol)
            _pivot(tab_q, row, entering)
            leaving = int(basis_q[row])
            basis_q[row] = entering
        if leaving == initial_dropped_label:
            x = np.zeros(m)
            y = np.zeros(n)
            for r, lab in enumerate(basis_p):
                if lab < m:
                    x[lab] = tab_p[r, -1]
            for r, lab in enumerate(basis_q):
                if lab >= m:
                    y[lab - m] = tab_q[r, -1]
            return x / x.sum(), y / y.sum(), it
        entering = leaving
        in_p = not in_p
    raise IterationLimitError(
        f"Lemke-Howson from label {initial_dropped_label} did not finish within "
        f"max_iter={max_iter} pivots; raise max_iter or use method='vertex_enumeration'")


def lemke_howson(game: Game, *, initial_dropped_label: int | str | None = 0,
                 max_iter: int = 10_000, tol: float = 1e-9, exact: bool = False
                 ) -> EquilibriumResult:
    """One equilibrium by complementary pivoting, or all reachable from every label.

    Parameters
    ----------
    game : Game
        A two-player game.
    initial_dropped_label : int, "all" or None
        Label ``k`` to drop first (``0..m-1`` player 1's actions, ``m..m+n-1``
        player 2's). ``"all"`` (or None) runs from every label and returns the
        distinct equilibria found (guarantee ``"accessible"``).
    max_iter : int
        Pivot cap per path; exceeding it raises
        :class:`~gametheory.errors.IterationLimitError` instead of looping.
    tol : float
        Verification tolerance, relative to the payoff range.
    exact : bool
        Return ``Fraction`` strategies.

    Notes
    -----
    Uses the lexicographic minimum-ratio rule, so degenerate games do not
    cycle (the failure that makes nashpy's implementation hang).

    References
    ----------
    Lemke, C. E. & Howson, J. T. (1964). Equilibrium points of bimatrix games.
    *J. SIAM* 12:413-423. von Stengel (2007), *Algorithmic Game Theory* ch. 3.3.

    Examples
    --------
    >>> from gametheory.games import battle_of_the_sexes
    >>> res = lemke_howson(battle_of_the_sexes(), initial_dropped_label=0)
    >>> res[0].support, res.guarantee
    (((0,), (0,)), 'one')
    """
    started = time.perf_counter()
    if game.n_players != 2:
        raise ShapeError(f"Lemke-Howson needs a two-player game; this game has "
                         f"{game.n_players} players")
    A, B = game.bimatrix
    m, n = game.shape
    if initial_dropped_label is None or initial_dropped_label == "all":
        labels = list(range(m + n))
        guarantee = "accessible"
    else:
        k = check_index("initial_dropped_label", initial_dropped_label, m + n)
        labels = [k]
        guarantee = "one"
    candidates = []
    pivots = 0
    for k in labels:
        x, y, it = lemke_howson_path(A, B, k, max_iter=max_iter)
        pivots += it
        candidates.append([x, y])
    return finalize(game, candidates, method="lemke_howson", guarantee=guarantee, tol=tol,
                    exact=exact, started=started, n_iter=pivots,
                    details={"labels": labels}, sort=guarantee != "one")
