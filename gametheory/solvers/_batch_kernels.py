"""Vectorised kernels behind :func:`gametheory.solve_many`.

Everything here works on a stack of ``N`` bimatrix games of one shape
``(m, n)`` whose payoffs have already been moved into [1, 2] (see
:func:`gametheory.solvers._polytope.positive_payoffs`); the caller verifies
what comes out. The polytopes and labels are those of :mod:`._polytope`:

    P = {x >= 0, B'^T x <= 1}   labels i (x_i = 0) and m + j ((B'^T x)_j = 1)
    Q = {A' y <= 1, y >= 0}     labels i ((A' y)_i = 1) and m + j (y_j = 0)

A vertex of P with support ``S`` and tight columns ``T`` solves
``B'[S, T]^T x_S = 1``; a vertex of Q with tight rows ``S`` and support ``T``
solves ``A'[S, T] y_T = 1`` (``|S| = |T| = k``). So one table of row/column
subsets ``(S, T)`` indexes the bases of both polytopes, and in a
non-degenerate game the equilibria are exactly the pairs ``(S, T)`` for
which both bases are feasible (their label sets are complementary). Games
with a vertex carrying more labels than its dimension are degenerate; their
feasible vertices are de-duplicated and matched label by label, which gives
every extreme equilibrium.

Kernels:

* :func:`polytope_bases` -- all bases of a polytope for every game at once.
  Every basic solution and slack is a ratio of two minors of ``[A' | 1]``
  (Cramer's rule and the Schur complement), and all minors are computed
  level by level by Laplace expansion, shared between bases. Cost grows like
  ``C(m + n + 1, m)`` per game, so it is used for small games.
  Larger games go to the compiled vertex-to-vertex pivoting of
  :mod:`._pivoting`.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations

import numpy as np

from .._numbers import short_reduce

__all__ = [
    "all_minors",
    "normalise",
    "polytope_bases",
]

#: Pivot magnitude under which a basis matrix (entries in [1, 2]) counts as singular.
SINGULAR = 1e-11


def normalise(M: np.ndarray) -> np.ndarray:
    """Each game's payoffs moved into [1, 2] by a positive affine map (equilibria unchanged)."""
    flat = M.reshape(len(M), -1)
    lo = short_reduce(np.minimum, flat, 1)[:, None, None]
    span = short_reduce(np.maximum, flat, 1)[:, None, None] - lo
    return (M - lo) / np.where(span > 0, span, 1.0) + 1.0


@cache
def _subsets(size: int, k: int) -> tuple[list[tuple[int, ...]], dict[tuple[int, ...], int]]:
    subs = list(combinations(range(size), k))
    return subs, {sub: i for i, sub in enumerate(subs)}


def subsets(size: int, k: int) -> np.ndarray:
    """All ``k``-subsets of ``range(size)`` in lexicographic order, shape ``(C(size, k), k)``."""
    return np.array(_subsets(size, k)[0], dtype=np.intp).reshape(-1, k)


@cache
def _laplace_tables(rows: int, cols: int, k: int):
    """Index tables to get every k-minor of a rows x cols matrix from the (k-1)-minors,
    by expansion along the last row of each row subset."""
    R = _subsets(rows, k)[0]
    K = _subsets(cols, k)[0]
    Rp = _subsets(rows, k - 1)[1]
    Kp = _subsets(cols, k - 1)[1]
    last = np.array([r[-1] for r in R], dtype=np.intp)
    prow = np.array([Rp[r[:-1]] for r in R], dtype=np.intp)
    kcol = np.array(K, dtype=np.intp).reshape(len(K), k)
    pcol = np.array([[Kp[c[:j] + c[j + 1:]] for j in range(k)] for c in K],
                    dtype=np.intp).reshape(len(K), k)
    return last, prow, kcol, pcol


def all_minors(C: np.ndarray, kmax: int) -> dict[int, np.ndarray]:
    """Every k-minor (k <= kmax) of each matrix of a stack ``(N, rows, cols)``.

    ``D[k][g, R, K]`` is the determinant of ``C[g][R][:, K]`` for the ``R``-th
    row subset and ``K``-th column subset (lexicographic order). Each level
    costs ``k`` multiply-adds per minor by Laplace expansion, so all minors of
    all sizes take ``sum_k k C(rows, k) C(cols, k)`` operations per matrix --
    far fewer than solving every square subsystem separately, and shared by
    all bases that contain them.
    """
    N, rows, cols = C.shape
    D = {0: np.ones((N, 1, 1))}
    for k in range(1, kmax + 1):
        last, prow, kcol, pcol = _laplace_tables(rows, cols, k)
        Crow = C[:, last, :]
        prev = D[k - 1][:, prow, :]
        acc = Crow[:, :, kcol[:, 0]] * prev[:, :, pcol[:, 0]]
        for j in range(1, k):
            term = Crow[:, :, kcol[:, j]] * prev[:, :, pcol[:, j]]
            if j % 2:
                acc -= term
            else:
                acc += term
        if (k - 1) % 2:
            acc = -acc
        D[k] = acc
    return D


@cache
def _basis_tables(r: int, c: int, k: int):
    """Where to find, among the minors of ``[M | 1]`` (r x (c + 1)), the determinant
    of each basis ``M[R, K]``, the Cramer numerators of ``M[R, K] z = 1`` and the
    slacks ``1 - M[i, K] z`` of the rows ``i`` outside ``R`` (Schur complement)."""
    K = _subsets(c, k)[0]
    Ka = _subsets(c + 1, k)[1]
    den = np.array([Ka[t] for t in K], dtype=np.intp)
    num = np.array([[Ka[t[:j] + t[j + 1:] + (c,)] for j in range(k)] for t in K],
                   dtype=np.intp).reshape(len(K), k)
    num_sign = np.array([(-1.0) ** (k - 1 - j) for j in range(k)])
    if k == r:
        return den, num, num_sign, None, None, None
    R = _subsets(r, k)[0]
    Ra1 = _subsets(r, k + 1)[1]
    Ka1 = _subsets(c + 1, k + 1)[1]
    out = [[i for i in range(r) if i not in sub] for sub in R]
    pairs = list(zip(R, out, strict=True))
    srow = np.array([[Ra1[tuple(sorted((*sub, i)))] for i in o] for sub, o in pairs],
                    dtype=np.intp)
    ssign = np.array([[(-1.0) ** (k - sorted((*sub, i)).index(i)) for i in o]
                      for sub, o in pairs])
    scol = np.array([Ka1[(*t, c)] for t in K], dtype=np.intp)
    return den, num, num_sign, srow, ssign, scol


def polytope_bases(M: np.ndarray, *, tol: float, kmax: int | None = None):
    """Every basis of ``{z >= 0, M z <= 1}`` for a stack of ``(N, r, c)`` matrices.

    For each support size ``k`` returns ``(z, slack, ok, extra)``: the basic
    solution on the support (``(N, C(r, k), C(c, k), k)``; rows index the tight
    constraint subsets ``R``, columns the supports ``K``), the slacks of the
    other rows (``(N, C(r, k), r - k, C(c, k))`` or None when ``k = r``),
    feasibility, and whether a feasible vertex has more tight constraints
    than its dimension (degeneracy).
    """
    N, r, c = M.shape
    C = np.concatenate([M, np.ones((N, r, 1))], axis=2)
    kmax = min(r, c) if kmax is None else kmax
    D = all_minors(C, min(r, c + 1, kmax + 1))
    out = {}
    for k in range(1, kmax + 1):
        den_idx, num_idx, num_sign, srow, ssign, scol = _basis_tables(r, c, k)
        Dk = D[k]
        den = Dk[:, :, den_idx]
        ok = np.abs(den) > SINGULAR
        den = np.where(ok, den, 1.0)
        z = Dk[:, :, num_idx] * num_sign / den[..., None]
        # (reductions over a short trailing axis are slow in NumPy: take the minimum
        # slice by slice instead)
        zmin = _min_over(z, -1)
        ok &= zmin >= -tol
        tight = zmin <= tol
        slack = None
        if srow is not None:
            slack = (D[k + 1][:, srow[:, :, None], scol[None, None, :]]
                     * ssign[None, :, :, None] / den[:, :, None, :])
            smin = _min_over(slack, 2)
            ok &= smin >= -tol
            tight |= smin <= tol
        out[k] = (z, slack, ok, tight & ok)
    return out


def _min_over(a: np.ndarray, axis: int) -> np.ndarray:
    """``a.min(axis)`` for a short axis, as elementwise minima of its slices."""
    return short_reduce(np.minimum, a, axis)
