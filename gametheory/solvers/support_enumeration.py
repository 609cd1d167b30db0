"""All equilibria of a non-degenerate bimatrix game by support enumeration."""

from __future__ import annotations

import time
import warnings
from itertools import combinations

import numpy as np

from ..errors import DegenerateGameWarning
from ..games.normal_form import Game
from .degeneracy import bimatrix_vertices, certificate_from_vertices
from .result import EquilibriumResult
from .verify import finalize
from .vertex_enumeration import extreme_equilibria

__all__ = ["support_enumeration"]


def _indifference_solutions(M: np.ndarray, rows: np.ndarray, cols: np.ndarray):
    """For each (I, J): the strategy on J making the row player indifferent on I.

    Solves ``M[I, J] z = v 1, sum z = 1`` for every pair in one batched call.
    Returns (solutions z of shape (k, |J|), values v, mask of solvable systems).
    """
    k = rows.shape[1]
    sub = M[rows[:, :, None], cols[:, None, :]]  # (P, k, k)
    P = sub.shape[0]
    sys = np.zeros((P, k + 1, k + 1))
    sys[:, :k, :k] = sub
    sys[:, :k, k] = -1.0
    sys[:, k, :k] = 1.0
    rhs = np.zeros((P, k + 1))
    rhs[:, k] = 1.0
    sign, logdet = np.linalg.slogdet(sys)
    scale = max(1.0, float(np.abs(M).max()))
    ok = (sign != 0) & (logdet > np.log(1e-11) + k * np.log(scale))
    sol = np.zeros((P, k + 1))
    if ok.any():
        sol[ok] = np.linalg.solve(sys[ok], rhs[ok][..., None])[..., 0]
    return sol[:, :k], sol[:, k], ok


def support_enumeration(game: Game, *, tol: float = 1e-9, exact: bool = False
                        ) -> EquilibriumResult:
    """All Nash equilibria of a two-player game by enumerating pairs of supports.

    For every pair of supports of equal size k the indifference equations are
    solved (all pairs of one size in one batched NumPy call) and the solution
    kept when it is a probability vector and no action outside the support
    does better (Algorithm 3.4 of von Stengel 2007; Nisan et al. 2007). Zeros
    that come back as -1e-17 are accepted within ``tol``, unlike nashpy.

    In a degenerate game equilibria need not have supports of equal size and
    may form continua; the game is detected, a
    :class:`~gametheory.DegenerateGameWarning` is issued and every extreme
    equilibrium is returned (computed through the best-response polytopes, as
    in :func:`vertex_enumeration`), with the components.

    Parameters
    ----------
    game : Game
        A two-player game.
    tol : float
        Tolerance relative to the payoff range.
    exact : bool
        Return ``Fraction`` strategies (needs exact payoffs).

    References
    ----------
    Nisan, N., Roughgarden, T., Tardos, E. & Vazirani, V. (2007).
    *Algorithmic Game Theory*, Algorithm 3.4 (von Stengel, ch. 3).

    Examples
    --------
    >>> from gametheory.games import battle_of_the_sexes
    >>> res = support_enumeration(battle_of_the_sexes(), exact=True)
    >>> [tuple(str(v) for v in eq.strategies[0].values) for eq in res]
    [('1', '0'), ('3/5', '2/5'), ('0', '1')]
    """
    started = time.perf_counter()
    VP, LP, VQ, LQ = bimatrix_vertices(game, tol)
    cert = certificate_from_vertices(game, VP, LP, VQ, LQ)
    if cert:
        warnings.warn(f"{cert}; support enumeration needs a non-degenerate game, so all "
                      "extreme equilibria are returned instead, computed from the "
                      "best-response polytopes", DegenerateGameWarning, stacklevel=2)
        return extreme_equilibria(game, (VP, LP, VQ, LQ), cert, method="support_enumeration",
                                  tol=tol, exact=exact, started=started)
    A, B = game.bimatrix
    m, n = game.shape
    atol = tol * game.payoff_scale
    candidates = []
    n_systems = 0
    for k in range(1, min(m, n) + 1):
        rows_k = np.array(list(combinations(range(m), k)), dtype=np.intp)
        cols_k = np.array(list(combinations(range(n), k)), dtype=np.intp)
        rows = np.repeat(rows_k, len(cols_k), axis=0)
        cols = np.tile(cols_k, (len(rows_k), 1))
        n_systems += len(rows)
        y, v, ok_y = _indifference_solutions(A, rows, cols)     # makes player 1 indifferent
        x, u, ok_x = _indifference_solutions(B.T, cols, rows)   # makes player 2 indifferent
        ok = ok_x & ok_y & np.all(x >= -tol, axis=1) & np.all(y >= -tol, axis=1)
        for p in np.flatnonzero(ok):
            xf = np.zeros(m)
            yf = np.zeros(n)
            xf[rows[p]] = x[p]
            yf[cols[p]] = y[p]
            if (A @ yf).max() <= v[p] + atol and (xf @ B).max() <= u[p] + atol:
                candidates.append([xf, yf])
    return finalize(game, candidates, method="support_enumeration", guarantee="all",
                    tol=tol, exact=exact, started=started, n_iter=n_systems,
                    degenerate=False, details={"certificate": cert})
