"""All equilibria of a non-degenerate bimatrix game by support enumeration."""

from __future__ import annotations

import time
import warnings
from itertools import combinations

import numpy as np

from ..errors import DegenerateGameWarning, IncompleteResultWarning
from ..games.normal_form import Game
from ._polytope import RANK_RTOL, positive_payoffs
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
    # Numerically singular systems are skipped by a singular-value test relative to
    # the largest (M is in [1, 2], so the test does not depend on the payoff scale);
    # ill-conditioned ones are solved and their candidates verified by the caller.
    sv = np.linalg.svd(sys, compute_uv=False)
    ok = sv[:, -1] > sv[:, 0] * ((k + 1) * RANK_RTOL)
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
    vertices = bimatrix_vertices(game, tol)
    cert = certificate_from_vertices(game, *vertices)
    if cert:
        warnings.warn(f"{cert}; support enumeration needs a non-degenerate game, so all "
                      "extreme equilibria are returned instead, computed from the "
                      "best-response polytopes", DegenerateGameWarning, stacklevel=2)
        return extreme_equilibria(game, vertices, cert, method="support_enumeration",
                                  tol=tol, exact=exact, started=started)
    # Payoffs moved into [1, 2] by a positive affine map per player: the same equilibria,
    # and the indifference systems and tolerances no longer depend on the payoff scale.
    A, B = (positive_payoffs(M) for M in game.bimatrix)
    m, n = game.shape
    atol = tol
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
    result = finalize(game, candidates, method="support_enumeration", guarantee="all",
                      tol=tol, exact=exact, started=started, n_iter=n_systems,
                      degenerate=False, details={"certificate": cert})
    # Completeness check: in a non-degenerate game the equilibria are exactly the
    # completely labelled vertex pairs, already computed above (exactly, when the
    # payoffs are exact). A pair that the floating-point support systems missed is
    # announced and added, so "all" stays true.
    reference = extreme_equilibria(game, vertices, cert, method="vertex_enumeration", tol=tol,
                                   exact=exact, started=started)
    found = {_profile_key(eq) for eq in result.equilibria}
    missing = [eq for eq in reference.equilibria if _profile_key(eq) not in found]
    if missing:
        warnings.warn(f"support_enumeration: the floating-point support systems missed "
                      f"{len(missing)} of {len(reference.equilibria)} equilibria (an "
                      "ill-conditioned game); they are added from the best-response "
                      "polytopes", IncompleteResultWarning, stacklevel=2)
        result.equilibria = sorted(
            [*result.equilibria, *missing],
            key=lambda e: tuple(-v for st in e.strategies for v in st.probabilities))
        result.details["completed_from_vertices"] = len(missing)
    result.elapsed_s = time.perf_counter() - started
    return result


def _profile_key(eq) -> tuple:
    if eq.exact_strategies is not None:
        return eq.exact_strategies
    return tuple(tuple(np.round(s.probabilities, 7)) for s in eq.strategies)
