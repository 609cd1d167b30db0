"""Vertices and labels of the best-response polytopes of a bimatrix game.

With payoffs moved into [1, 2] by a positive affine map (``A' = (A - min A) /
range(A) + 1``, which changes no equilibrium), the polytopes are

    P = {x in R^m : x >= 0, B'^T x <= 1}      labels: i (x_i = 0), m + j ((B'^T x)_j = 1)
    Q = {y in R^n : A' y <= 1, y >= 0}        labels: i ((A' y)_i = 1), m + j (y_j = 0)

(von Stengel 2007, "Equilibrium computation for two-player games in strategic
and extensive form", ch. 3 of *Algorithmic Game Theory*). Vertices are found
by solving every square subsystem of tight constraints, all of one size in
one batched ``numpy.linalg.solve``; this visits every basis, so degenerate
vertices (more tight constraints than the dimension) are found and flagged.
"""

from __future__ import annotations

from itertools import combinations
from math import comb

import numpy as np

__all__ = ["bimatrix_polytopes", "complementary_pairs", "polytope_vertices", "positive_payoffs"]

#: Maximum number of square systems solved in one NumPy call (memory bound).
CHUNK = 100_000
#: A basis is numerically singular when its smallest singular value is below
#: ``d * RANK_RTOL`` times its largest (NumPy's ``matrix_rank`` default is ``d * eps``).
RANK_RTOL = 1e-13


def positive_payoffs(M: np.ndarray) -> np.ndarray:
    """``M`` moved into [1, 2] by a positive affine map (equilibria are unchanged), so
    that polytope coordinates are of order one whatever the payoff units."""
    span = float(np.ptp(M))
    return (M - M.min()) / (span if span > 0 else 1.0) + 1.0


def bimatrix_polytopes(A: np.ndarray, B: np.ndarray
                       ) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Constraint systems ``G z <= h`` of P (in x) and Q (in y); row k carries label k."""
    m, n = A.shape
    Ap, Bp = positive_payoffs(A), positive_payoffs(B)
    G_P = np.vstack([-np.eye(m), Bp.T])
    h_P = np.concatenate([np.zeros(m), np.ones(n)])
    G_Q = np.vstack([Ap, -np.eye(n)])
    h_Q = np.concatenate([np.ones(m), np.zeros(n)])
    return (G_P, h_P), (G_Q, h_Q)


def polytope_vertices(G: np.ndarray, h: np.ndarray, *, tol: float = 1e-9
                      ) -> tuple[np.ndarray, np.ndarray, float]:
    """All vertices of ``{z : G z <= h}`` and their tight-constraint (label) sets.

    Returns
    -------
    vertices : ndarray, shape (k, d)
    labels : ndarray of bool, shape (k, rows of G)
    worst_condition : float
        The largest condition number among the bases that gave a feasible point
        (1.0 when there are none): rounding errors of order ``worst_condition *
        eps`` can misplace a label when this exceeds the tolerance.
    """
    n_rows, d = G.shape
    norms = np.abs(G).max(axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    Gn = G / norms
    hn = h / norms[:, 0]
    found = []
    worst = 1.0
    total = comb(n_rows, d)
    combos_iter = combinations(range(n_rows), d)
    done = 0
    while done < total:
        size = min(CHUNK, total - done)
        idx = np.fromiter((i for c in _take(combos_iter, size) for i in c), dtype=np.intp,
                          count=size * d).reshape(size, d)
        done += size
        M = Gn[idx]  # (size, d, d)
        rhs = hn[idx]
        # Rank by singular values relative to the largest (rows are scaled to max 1): an
        # ill-conditioned basis is solved, only a numerically singular one is skipped.
        # (A determinant cutoff would drop well-posed bases: with payoffs moved into
        # [1, 2] von Stengel's 75-equilibrium game has determinants down to 4e-15.)
        sv = np.linalg.svd(M, compute_uv=False)
        ok = sv[:, -1] > sv[:, 0] * (d * RANK_RTOL)
        if not ok.any():
            continue
        z = np.linalg.solve(M[ok], rhs[ok][..., None])[..., 0]
        feasible = np.all(z @ Gn.T <= hn + tol, axis=1)
        if feasible.any():
            found.append(z[feasible])
            cond = sv[ok][feasible]
            worst = max(worst, float((cond[:, 0] / cond[:, -1]).max()))
    if not found:
        return np.empty((0, d)), np.empty((0, n_rows), dtype=bool), worst
    Z = np.vstack(found)
    labels = np.abs(Z @ Gn.T - hn) <= tol
    # A vertex is determined by its set of tight constraints: bases of the same vertex
    # share it, distinct vertices (however close) do not.
    _, first = np.unique(labels, axis=0, return_index=True)
    keep = np.sort(first)
    return Z[keep], labels[keep], worst


def _take(it, k):
    for _ in range(k):
        yield next(it)


def complementary_pairs(LP: np.ndarray, LQ: np.ndarray) -> np.ndarray:
    """Index pairs ``(p, q)`` whose label sets together cover every label."""
    missing = (~LP).astype(np.int32) @ (~LQ).astype(np.int32).T
    return np.argwhere(missing == 0)
