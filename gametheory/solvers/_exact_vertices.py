"""Exact vertex enumeration of best-response polytopes by lexicographic pivoting.

Used by :func:`~gametheory.solvers.vertex_enumeration.vertex_enumeration` (and
support enumeration on degenerate games) whenever the game's payoffs are exact
rationals (integers, fractions, decimal strings): no basis is judged singular
or infeasible by a floating-point threshold, so an ill-conditioned game (von
Stengel's 6 x 6 game with 75 equilibria, whose bases have determinants down
to 1e-15 after scaling) loses no vertex, at any payoff scale.

The polytope is ``{z >= 0 : M z <= 1}`` with ``M`` a positive matrix of
integers (``M = (payoffs - min + 1)`` times the common denominator, a positive
affine map, so equilibria are unchanged). The search is breadth first over the
lexicographically feasible bases, starting from the all-slack basis at the
origin; the leaving variable of each pivot is chosen by the lexicographic
minimum-ratio test (the right-hand side perturbed to ``1 + (eps, eps^2, ...)``),
which makes the perturbed polytope simple, so every basis is visited once and
every vertex of the unperturbed polytope is reached from at least one of its
bases (Avis & Fukuda 1992; von Stengel 2007, sec. 3.5). Tableaux are kept in
integers with a common denominator, pivoted fraction-free (each division is
exact; Edmonds 1967), as lrs does.

References
----------
Avis, D. & Fukuda, K. (1992). A pivoting algorithm for convex hulls and vertex
enumeration of arrangements and polyhedra. *Discrete Comput. Geom.* 8:295-313.
Edmonds, J. (1967). Systems of distinct representatives and linear algebra.
*J. Res. Nat. Bur. Standards* 71B:241-245.
von Stengel, B. (2007). Equilibrium computation for two-player games in
strategic and extensive form. Ch. 3 of *Algorithmic Game Theory*.
"""

from __future__ import annotations

import time
from collections import deque
from fractions import Fraction
from math import lcm

import numpy as np

__all__ = ["exact_bimatrix_vertices", "exact_polytope_vertices", "integer_polytope_matrix"]


def integer_polytope_matrix(M: np.ndarray) -> list[list[int]]:
    """``M`` (Fraction object array) moved to positive integers by a positive affine map."""
    low = min(M.reshape(-1))
    shifted = [[v - low + 1 for v in row] for row in M.tolist()]
    den = lcm(*(v.denominator for row in shifted for v in row))
    return [[int(v * den) for v in row] for row in shifted]


def exact_polytope_vertices(M: list[list[int]], *, max_bases: int | None = None,
                            deadline: float | None = None
                            ) -> tuple[list[tuple[Fraction, ...]], list[frozenset[int]], int]:
    """Every vertex of ``{z >= 0, M z <= 1}`` (``M``: r x c positive integers), exactly.

    Returns
    -------
    vertices : list of tuple of Fraction
        The coordinates ``z`` (length c).
    labels : list of frozenset of int
        Tight constraints of each vertex: ``j`` for ``z_j = 0`` (0 <= j < c) and
        ``c + i`` for ``(M z)_i = 1``.
    n_bases : int
        Lexicographically feasible bases visited.

    Raises
    ------
    OverflowError
        When more than ``max_bases`` bases would be visited, or the search is still
        running at ``deadline`` (a ``time.monotonic()`` value); the caller turns it
        into a typed error.
    """
    r = len(M)
    c = len(M[0])
    # Variables 0..c-1 are z, c..c+r-1 the slacks s = 1 - M z. Row i of the tableau,
    # over the columns [z_0..z_{c-1}, s_0..s_{r-1}, rhs], reads
    #     T[i] . (z, s) = T[i][rhs]  (all divided by the common denominator D);
    # at the origin basis[i] = slack i, T = [M | I | 1], D = 1.
    width = c + r + 1
    start = [[*M[i], *(1 if k == i else 0 for k in range(r)), 1] for i in range(r)]
    start_basis = tuple(c + i for i in range(r))
    seen: dict[frozenset[int], None] = {frozenset(start_basis): None}
    queue: deque = deque([(start, start_basis, 1)])
    vertices: dict[tuple[Fraction, ...], frozenset[int]] = {}
    n_bases = 0
    while queue:
        T, basis, D = queue.popleft()
        n_bases += 1
        if deadline is not None and not n_bases % 64 and time.monotonic() > deadline:
            raise OverflowError(f"still searching after {n_bases:,} bases")
        z = [Fraction(0)] * c
        tight = set(range(c + r)) - set(basis)
        for i, var in enumerate(basis):
            if T[i][-1] == 0:
                tight.add(var)
            elif var < c:
                z[var] = Fraction(T[i][-1], D)
        # labels: z_j = 0 -> j ; slack i = 0 -> c + i (same numbering as the variables)
        vertices.setdefault(tuple(z), frozenset(tight))
        basic = set(basis)
        for k in range(c + r):
            if k in basic:
                continue
            row = _lex_leaving_row(T, k, c, r)
            if row is None:  # cannot happen for a bounded polytope; kept defensive
                continue
            new_basis = (*basis[:row], k, *basis[row + 1:])
            key = frozenset(new_basis)
            if key in seen:
                continue
            if max_bases is not None and len(seen) >= max_bases:
                raise OverflowError(f"more than {max_bases:,} bases")
            seen[key] = None
            queue.append((_pivot(T, row, k, D, width), new_basis, T[row][k]))
    return list(vertices), list(vertices.values()), n_bases


def _lex_leaving_row(T: list[list[int]], k: int, c: int, r: int) -> int | None:
    """Leaving row for entering column ``k`` by the lexicographic minimum-ratio test.

    Compares the rows ``(rhs, B^-1 row) / T[i][k]`` lexicographically over rows
    with ``T[i][k] > 0``; the inverse columns make every tie break, because
    ``B^-1`` has no two proportional rows.
    """
    best = None
    for i in range(r):
        a = T[i][k]
        if a <= 0:
            continue
        if best is None:
            best = i
            continue
        b = T[best][k]
        # compare T[i][col] / a with T[best][col] / b for col = rhs, then the slack columns
        for col in (-1, *range(c, c + r)):
            lhs = T[i][col] * b
            rhs = T[best][col] * a
            if lhs != rhs:
                if lhs < rhs:
                    best = i
                break
    return best


def _pivot(T: list[list[int]], row: int, k: int, D: int, width: int) -> list[list[int]]:
    """Fraction-free pivot on ``T[row][k]``; the new common denominator is ``T[row][k]``."""
    p = T[row][k]
    pr = T[row]
    out = []
    for i, Ti in enumerate(T):
        if i == row:
            out.append(list(pr))
            continue
        f = Ti[k]
        if f == 0:
            out.append([v * p // D for v in Ti])
        else:
            out.append([(Ti[j] * p - f * pr[j]) // D for j in range(width)])
    return out


def exact_bimatrix_vertices(exact_payoffs: np.ndarray, *, max_bases: int | None = None,
                            deadline: float | None = None):
    """Exact vertices and labels of both best-response polytopes of a bimatrix game.

    Labels follow :mod:`._polytope`: in P (``x``), ``i`` for ``x_i = 0`` and
    ``m + j`` for a best response ``j`` of the column player; in Q (``y``), ``i``
    for a best response ``i`` of the row player and ``m + j`` for ``y_j = 0``.

    Returns
    -------
    VP, LP, VQ, LQ : list of Fraction tuples and of frozensets, per polytope
    n_bases : int
    """
    A = exact_payoffs[..., 0]
    B = exact_payoffs[..., 1]
    m, n = A.shape
    # P: x >= 0, B^T x <= 1: z = x (c = m), constraint rows are B's columns (r = n);
    # variable labels already match (x_i -> i, slack j -> m + j).
    VP, LP, nP = exact_polytope_vertices(integer_polytope_matrix(B.T), max_bases=max_bases,
                                         deadline=deadline)
    # Q: A y <= 1, y >= 0: z = y (c = n), rows of A (r = m); variable y_j has label
    # m + j and slack i label i.
    VQ, LQr, nQ = exact_polytope_vertices(integer_polytope_matrix(A), max_bases=max_bases,
                                          deadline=deadline)
    LQ = [frozenset((m + v) if v < n else (v - n) for v in labels) for labels in LQr]
    return VP, LP, VQ, LQ, nP + nQ
