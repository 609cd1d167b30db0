"""Compiled pivoting kernels of :func:`~gametheory.solve_many` (numba): vertex
enumeration (all equilibria of games above 3 x 3) and Lemke–Howson (one
equilibrium, every size).

Lemke–Howson was first written in NumPy, pivoting all games of a stack in lock
step; compiled and game by game (each game stops when it is done) it is 9-16x
faster (2x2 to 12x12, 20,000 games each, the same pivots and equilibria).

Why compiled code for enumeration: the NumPy basis sweep of :mod:`._batch_kernels`
evaluates every one of the ``C(m + n, m)`` bases of both best-response
polytopes (12,870 at 8 x 8, 2.7 million at 12 x 12), although a random
game's polytopes have a few hundred vertices. Visiting only the vertices
means walking the polytope's graph pivot by pivot: a loop whose length
differs from game to game, which NumPy cannot vectorise over a batch and
which costs microseconds per step in Python. ``benchmarks/solvers.py``
measured the NumPy sweep at 228 games/s for 8 x 8 (target 2,000); this
module is the compiled alternative, loaded only when a batch needs it (so
``import gametheory`` does not import numba) and cached on disk by numba.

The algorithm, for the polytope ``{z >= 0, M z <= 1}`` with ``M > 0``
(``r x c``; payoffs are first moved into [1, 2]):

* Start at the origin (all slacks basic) and search the graph of bases
  breadth first; each basis has ``c`` neighbours, one per entering
  non-basic variable, whose leaving variable is chosen by the
  **lexicographic** minimum-ratio test. That is pivoting on the polytope
  with its right-hand side perturbed to ``1 + (eps, eps^2, ...)``, which is
  simple, so the search visits every lexicographically feasible basis once
  (a hash map from basis bit masks to bases), and tests each edge once.
* Every vertex of the unperturbed polytope has at least one
  lexicographically feasible basis (it is the optimum of some objective,
  which the lexicographic simplex method reaches), so every vertex is found;
  a degenerate vertex is found from several bases and kept once (keyed by
  its set of tight constraints, which determines it).
* Breadth first keeps each basis a few pivots away from the origin, so the
  tableaux carry little rounding error; the equilibria are verified by the
  caller all the same.
* Every basis found is kept (its dictionary is needed until its neighbours
  are tested), so the search stops at a caller-given number of bases rather
  than exhaust memory on a game with millions of vertices.

The equilibria are found from the vertices of P alone where that suffices
(lrsnash's way; :func:`_face_partners`): each vertex ``x`` is completed to the
vertices of the face of Q carrying the labels ``x`` misses - one linear solve
when ``x`` has exactly ``m`` labels, every choice of further tight constraints
when it has extra ones. Walking only P halved the time on random 12 x 12 games
(``benchmarks/lrsnash.py``). When a completion is singular or a face
rank-deficient or too large, Q is walked as well and the equilibria are the
completely labelled pairs of vertices of the two polytopes: label sets that are
complements, found by sorting and binary search, plus an all-pairs test for
vertices with extra labels (degenerate games): :func:`complementary_pairs`.

References: von Stengel (2007), "Equilibrium computation for two-player games
in strategic and extensive form", ch. 3 of *Algorithmic Game Theory* (the
polytopes, labels and the lexicographic method); Avis and Fukuda (1992), "A
pivoting algorithm for convex hulls and vertex enumeration of arrangements
and polyhedra", *Discrete Comput. Geom.* 8 (vertex enumeration by pivoting;
their reverse search needs no memory per vertex but pivots more, this search
keeps each basis once and tests each edge once).
"""

from __future__ import annotations

import numpy as np

from ._compiled import jit

__all__ = ["complementary_pairs", "enumerate_equilibria", "lemke_howson", "polytope_vertices"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@jit
def _popcount(v):
    count = 0
    while v:
        v &= v - 1
        count += 1
    return count


@jit
def _shift(size):
    """``64 - log2(size)``: the shift that maps a 64-bit hash onto a table of ``size``
    (a power of two) slots."""
    shift = 64
    while size > 1:
        size //= 2
        shift -= 1
    return shift


# The visited bases and the distinct vertices are kept in open-addressing tables of
# 64-bit keys (Fibonacci hashing, linear probing) rather than numba's typed dict:
# with typed dicts the whole enumeration measured 1.3x slower at 8x8 (3,450 ->
# 2,650 games/s), 1.3x at 5x5 and 1.1x at 12x12 (53 games/s, at the target).


@jit
def _insert(table, key, shift):
    """Insert ``key`` (non-zero) into an open-addressing set; True if it was new."""
    size = table.shape[0]
    h = np.int64((np.uint64(key) * _GOLDEN) >> np.uint64(shift))
    while True:
        k = table[h]
        if k == 0:
            table[h] = key
            return True
        if k == key:
            return False
        h = (h + 1) & (size - 1)


@jit
def _grow_table(table, shift):
    new = np.zeros(2 * table.shape[0], np.int64)
    for k in table:
        if k != 0:
            _insert(new, k, shift - 1)
    return new, shift - 1


@jit
def _get_or_put(table, key, value, shift):
    """Open-addressing map ``key -> value`` (rows ``[key, value]``, key 0 = empty):
    the value stored for ``key``, or -1 after storing ``value`` for a new key."""
    size = table.shape[0]
    h = np.int64((np.uint64(key) * _GOLDEN) >> np.uint64(shift))
    while True:
        k = table[h, 0]
        if k == 0:
            table[h, 0] = key
            table[h, 1] = value
            return -1
        if k == key:
            return table[h, 1]
        h = (h + 1) & (size - 1)


@jit
def _grow_map(table, shift):
    new = np.zeros((2 * table.shape[0], 2), np.int64)
    for h in range(table.shape[0]):
        if table[h, 0] != 0:
            _get_or_put(new, table[h, 0], table[h, 1], shift - 1)
    return new, shift - 1


@jit
def _binv(D, bs, nb, b, row, s):
    """Entry ``(row, s)`` of basis ``b``'s inverse: the column of slack ``s`` (variable
    ``c + s``) in the full tableau, read off the dictionary."""
    c = nb.shape[1]
    for k in range(c):
        if nb[b, k] == c + s:
            return D[b, row, k]
    return 1.0 if bs[b, row] == c + s else 0.0


@jit
def _leaving_row(D, rhs, bs, nb, b, k, r, eps):
    """Lexicographic minimum-ratio test for basis ``b`` and entering column ``k``; -1 if
    unbounded.

    Rows are compared by ``(rhs_i, Binv_i) / D[i, k]`` (``Binv`` the basis inverse,
    the identity at the origin), by cross multiplication (no divisions);
    differences below ``eps`` (relative) are ties. Arrays are indexed by basis
    rather than sliced: views in this inner loop cost reference counting.
    """
    best = -1
    ab = 0.0
    for i in range(r):
        a = D[b, i, k]
        if a <= eps:
            continue
        if best < 0:
            best = i
            ab = a
            continue
        tie = eps * a * ab
        d = rhs[b, i] * ab - rhs[b, best] * a
        if d < -tie:
            best = i
            ab = a
        elif d <= tie:  # degenerate: the perturbation (eps, eps^2, ...) decides
            for s in range(r):
                d = _binv(D, bs, nb, b, i, s) * ab - _binv(D, bs, nb, b, best, s) * a
                if d < -tie:
                    best = i
                    ab = a
                    break
                if d > tie:
                    break
    return best


@jit(error_model="numpy")
def _pivot_into(D, rhs, b, t, row, k, r, c):
    """Dictionary ``t`` = dictionary ``b`` after exchanging row ``row`` and column ``k``."""
    inv = 1.0 / D[b, row, k]
    for j in range(c):
        D[t, row, j] = D[b, row, j] * inv
    D[t, row, k] = inv
    rhs[t, row] = rhs[b, row] * inv
    for i in range(r):
        if i == row:
            continue
        f = D[b, i, k]
        for j in range(c):
            D[t, i, j] = D[b, i, j] - f * D[t, row, j]
        D[t, i, k] = -f * inv
        rhs[t, i] = rhs[b, i] - f * rhs[t, row]


@jit
def _origin(M, D, rhs, bs, nb):
    """Dictionary 0 = the origin of ``{z >= 0, M z <= 1}``: every slack basic."""
    r, c = M.shape
    for i in range(r):
        for j in range(c):
            D[0, i, j] = M[i, j]
        rhs[0, i] = 1.0
        bs[0, i] = c + i
    for j in range(c):
        nb[0, j] = j


@jit
def _search(M, eps, dicts, rhss, bss, nbs, skip, seen, limit):
    """Breadth-first search over the lexicographically feasible bases (see the module).

    Each basis is kept as a dictionary: ``dicts[b]`` (``r x c``, the basis inverse
    times the non-basic columns), ``rhss[b]`` (the basic variables' values),
    ``bss[b]``/``nbs[b]`` (basic variable of each row, non-basic variable of each
    column; variables ``0..c-1`` are ``z``, ``c..c+r-1`` the slacks). ``seen``
    maps basis bit masks to their index. These are work arrays, grown when full
    and returned for the next call.

    Each edge of the graph is tested once: ``skip[b]`` marks the columns of basis
    ``b`` whose edge is already known (the pivot is reversible, so from the
    neighbour reached by entering column ``k`` and dropping variable ``out``,
    entering ``out`` leads back). Returns the number of bases (-1 when there are more
    than ``limit``: the search stops before its work arrays outgrow memory) and the
    work arrays.
    """
    r, c = M.shape
    _origin(M, dicts, rhss, bss, nbs)
    skip[0] = 0
    seen[:] = 0
    shift = _shift(seen.shape[0])
    start = np.int64(0)
    for i in range(r):
        start |= np.int64(1) << (c + i)
    _get_or_put(seen, start, 0, shift)
    n = 1
    head = 0
    while head < n:
        bmask = np.int64(0)
        for i in range(r):
            bmask |= np.int64(1) << bss[head, i]
        for k in range(c):
            if (skip[head] >> k) & 1:
                continue
            row = _leaving_row(dicts, rhss, bss, nbs, head, k, r, eps)
            if row < 0:
                continue
            enter = nbs[head, k]
            out = bss[head, row]
            nmask = bmask ^ (np.int64(1) << enter) ^ (np.int64(1) << out)
            known = _get_or_put(seen, nmask, n, shift)
            if known >= 0:
                for j in range(c):  # the neighbour need not test this edge again
                    if nbs[known, j] == out:
                        skip[known] |= np.int64(1) << j
                continue
            if 2 * (n + 1) > seen.shape[0]:
                seen, shift = _grow_map(seen, shift)
            if n == limit:
                return -1, dicts, rhss, bss, nbs, skip, seen
            if n == dicts.shape[0]:
                cap = min(2 * n, limit)
                d2 = np.empty((cap, r, c))
                d2[:n] = dicts[:n]
                r2 = np.empty((cap, r))
                r2[:n] = rhss[:n]
                b2 = np.empty((cap, r), np.int64)
                b2[:n] = bss[:n]
                n2 = np.empty((cap, c), np.int64)
                n2[:n] = nbs[:n]
                s2 = np.empty(cap, np.int64)
                s2[:n] = skip[:n]
                dicts, rhss, bss, nbs, skip = d2, r2, b2, n2, s2
            _pivot_into(dicts, rhss, head, n, row, k, r, c)
            for i in range(r):
                bss[n, i] = bss[head, i]
            bss[n, row] = enter
            for j in range(c):
                nbs[n, j] = nbs[head, j]
            nbs[n, k] = out
            skip[n] = np.int64(1) << k
            n += 1
        head += 1
    return n, dicts, rhss, bss, nbs, skip, seen


@jit
def _vertices_of_bases(n, rhss, bss, r, c, tol, row_offset, col_offset, kept):
    """Coordinates ``(V, c)`` and label masks ``(V,)`` of the distinct vertices of the
    first ``n`` bases. A degenerate vertex comes from several bases: the first is kept
    (its set of tight constraints identifies it)."""
    w = c + r
    Z = np.zeros((n, c))
    labels = np.empty(n, np.int64)
    kept[:] = 0
    shift = _shift(kept.shape[0])
    while kept.shape[0] < 2 * n:
        kept = np.zeros(2 * kept.shape[0], np.int64)
        shift -= 1
    v = 0
    for b in range(n):
        lab = np.int64(0)
        in_basis = np.int64(0)
        for i in range(r):
            var = bss[b, i]
            in_basis |= np.int64(1) << var
            val = rhss[b, i]
            if var < c:
                Z[v, var] = val
            if val <= tol:
                lab |= np.int64(1) << (col_offset + var if var < c else row_offset + var - c)
        for var in range(w):
            if not (in_basis >> var) & 1:
                lab |= np.int64(1) << (col_offset + var if var < c else row_offset + var - c)
        if _insert(kept, lab + 1, shift):  # +1: the set reserves 0 for empty slots
            labels[v] = lab
            v += 1
        else:
            Z[v] = 0.0
    return Z[:v], labels[:v], kept


@jit
def polytope_vertices(M, tol, eps, row_offset, col_offset):
    """Vertices of ``{z >= 0, M z <= 1}`` (``M`` positive, ``r x c``) and their labels.

    Returns ``(Z, labels, n_bases)``: coordinates ``(V, c)``; label bit masks ``(V,)``
    with bit ``row_offset + i`` when row ``i`` is tight and ``col_offset + j`` when
    ``z_j = 0`` (within ``tol``); and how many bases the search visited.
    """
    r, c = M.shape
    n, _, rhss, bss, _, _, _ = _search(
        M, eps, np.empty((64, r, c)), np.empty((64, r)), np.empty((64, r), np.int64),
        np.empty((64, c), np.int64), np.empty(64, np.int64), np.zeros((256, 2), np.int64),
        np.int64(1) << 40)
    Z, labels, _ = _vertices_of_bases(n, rhss, bss, r, c, tol, row_offset, col_offset,
                                      np.zeros(256, np.int64))
    return Z.copy(), labels.copy(), n


@jit
def _push(games, X, Y, e, g, x, y):
    if e == games.shape[0]:
        cap = 2 * e
        g2 = np.empty(cap, np.int64)
        g2[:e] = games
        x2 = np.empty((cap, X.shape[1]))
        x2[:e] = X
        y2 = np.empty((cap, Y.shape[1]))
        y2[:e] = Y
        games, X, Y = g2, x2, y2
    games[e] = g
    X[e] = x
    Y[e] = y
    return games, X, Y


@jit
def _extra_labels(labels, dim):
    out = np.zeros(labels.shape[0], np.bool_)
    for v in range(labels.shape[0]):
        out[v] = _popcount(labels[v]) > dim
    return out


@jit
def complementary_pairs(LP, LQ, m, n):
    """Completely labelled pairs ``(p, q)`` (rows of an ``(E, 2)`` array) of distinct
    vertices of P and Q with label masks ``LP``/``LQ``, the two origins left out.

    A vertex of P has at least ``m`` labels and one of Q at least ``n``; between
    vertices with exactly ``m`` and ``n`` (all of them in a non-degenerate game) a
    pair is completely labelled only if the sets are complements: found by sorting
    and binary search, not by testing all ``|P| x |Q|`` pairs. Pairs with a vertex
    that has extra labels (degeneracy) are tested against all.
    """
    return _pairs(LP, LQ, _extra_labels(LP, m), _extra_labels(LQ, n), m, n)


@jit
def _pairs(LP, LQ, extra_p, extra_q, m, n):
    """:func:`complementary_pairs`, given which vertices have extra labels."""
    full = (np.int64(1) << (m + n)) - 1
    origin_p = (np.int64(1) << m) - 1          # x = 0: labels 0..m-1
    origin_q = full ^ origin_p                 # y = 0: labels m..m+n-1
    out = np.empty((max(4, len(LP)), 2), np.int64)
    e = 0
    order = np.argsort(LQ)
    sq = LQ[order]
    with_extra_q = np.flatnonzero(extra_q)
    every_q = np.arange(len(LQ))
    for p in range(len(LP)):
        if LP[p] == origin_p:
            continue
        if not extra_p[p]:
            want = full ^ LP[p]
            k = np.searchsorted(sq, want)
            while k < len(sq) and sq[k] == want:
                q = order[k]
                if not extra_q[q] and LQ[q] != origin_q:
                    if e == out.shape[0]:
                        out = _grow_pairs(out, e)
                    out[e, 0] = p
                    out[e, 1] = q
                    e += 1
                k += 1
        for q in every_q if extra_p[p] else with_extra_q:
            if LQ[q] != origin_q and (LP[p] | LQ[q]) == full:
                if e == out.shape[0]:
                    out = _grow_pairs(out, e)
                out[e, 0] = p
                out[e, 1] = q
                e += 1
    return out[:e]


@jit
def _grow_pairs(out, e):
    new = np.empty((2 * e, 2), np.int64)
    new[:e] = out[:e]
    return new


@jit
def enumerate_equilibria(Ap, Bp, tol, eps, limit):
    """Extreme equilibria of a stack of games with payoffs in [1, 2] (see the module).

    Returns ``(game, x, y, degenerate, vertices)``: one row per completely labelled
    pair (unnormalised ``x`` and ``y``, not yet verified; a pair may repeat in a
    flagged game), a flag per game (a vertex of P with more tight constraints than its
    dimension, or one of Q where Q was walked or at a partner) and the number of
    vertices of the polytopes walked per game, -1 for a game with a polytope of more
    than ``limit`` bases (not solved).
    """
    N, m, n = Ap.shape
    cap = max(16, 2 * N)
    games = np.empty(cap, np.int64)
    X = np.empty((cap, m))
    Y = np.empty((cap, n))
    e = 0
    degenerate = np.zeros(N, np.bool_)
    vertices = np.zeros(N, np.int64)
    # work arrays shared by the games of the stack (grown as needed)
    # games of 10 x 10 and up have thousands of bases: room for 4,096 from the start
    # rather than grow (copy) the dictionaries six times in a call with one game (a
    # quarter of the time of a 12 x 12 game); the wQ arrays only when Q is walked
    w0 = 4096 if m * n >= 100 else 64
    wP = (np.empty((w0, n, m)), np.empty((w0, n)), np.empty((w0, n), np.int64),
          np.empty((w0, m), np.int64), np.empty(w0, np.int64),
          np.zeros((4 * w0, 2), np.int64), np.zeros(4 * w0, np.int64))
    wQ = (np.empty((64, m, n)), np.empty((64, m)), np.empty((64, m), np.int64),
          np.empty((64, n), np.int64), np.empty(64, np.int64), np.zeros((256, 2), np.int64),
          np.zeros(256, np.int64))
    for g in range(N):
        nb, d, rh, bs, ns, ca, se = _search(Bp[g].T.copy(), eps, wP[0], wP[1], wP[2], wP[3],
                                            wP[4], wP[5], limit)
        wP = (d, rh, bs, ns, ca, se, wP[6])
        if nb < 0:
            vertices[g] = -1
            continue
        ZP, LP, ke = _vertices_of_bases(nb, rh, bs, n, m, tol, m, 0, wP[6])
        wP = (d, rh, bs, ns, ca, se, ke)
        extra_p = _extra_labels(LP, m)
        # lrsnash's way first: each vertex of P completed to its partners in Q
        fx, fy, ok = _face_partners(Ap[g], ZP, LP, tol, m, n)
        if ok:
            vertices[g] = len(LP)
            degenerate[g] = extra_p.any() or _extra_partner_labels(Ap[g], fy, tol, n)
            for t in range(fx.shape[0]):
                games, X, Y = _push(games, X, Y, e, g, fx[t], fy[t])
                e += 1
            continue
        nb, d, rh, bs, ns, ca, se = _search(Ap[g].copy(), eps, wQ[0], wQ[1], wQ[2], wQ[3],
                                            wQ[4], wQ[5], limit)
        wQ = (d, rh, bs, ns, ca, se, wQ[6])
        if nb < 0:
            vertices[g] = -1
            continue
        ZQ, LQ, ke = _vertices_of_bases(nb, rh, bs, m, n, tol, 0, m, wQ[6])
        wQ = (d, rh, bs, ns, ca, se, ke)
        vertices[g] = len(LP) + len(LQ)
        extra_q = _extra_labels(LQ, n)
        degenerate[g] = extra_p.any() or extra_q.any()
        pairs = _pairs(LP, LQ, extra_p, extra_q, m, n)
        for t in range(pairs.shape[0]):
            games, X, Y = _push(games, X, Y, e, g, ZP[pairs[t, 0]], ZQ[pairs[t, 1]])
            e += 1
    return games[:e].copy(), X[:e].copy(), Y[:e].copy(), degenerate, vertices


@jit
def _grow2(a, n):
    b = np.empty((n, a.shape[1]), a.dtype)
    b[:a.shape[0]] = a
    return b


@jit
def _solve(A, b, x, work, k):
    """Solve the ``k x k`` system ``A x = b`` (Gaussian elimination, partial pivoting)
    into ``x``; False when it is singular (pivot below 1e-11 of the row scale)."""
    for i in range(k):
        for j in range(k):
            work[i, j] = A[i, j]
        work[i, k] = b[i]
    for col in range(k):
        piv = col
        big = abs(work[col, col])
        for i in range(col + 1, k):
            if abs(work[i, col]) > big:
                big = abs(work[i, col])
                piv = i
        if big <= 1e-11:
            return False
        if piv != col:
            for j in range(k + 1):
                t = work[col, j]
                work[col, j] = work[piv, j]
                work[piv, j] = t
        for i in range(col + 1, k):
            f = work[i, col] / work[col, col]
            if f != 0.0:
                for j in range(col, k + 1):
                    work[i, j] -= f * work[col, j]
    for i in range(k - 1, -1, -1):
        s = work[i, k]
        for j in range(i + 1, k):
            s -= work[i, j] * x[j]
        x[i] = s / work[i, i]
    return True


@jit
def _inside(M, idx, vals, k, tol):
    """Whether the point with ``vals[:k]`` at coordinates ``idx[:k]`` (zero elsewhere)
    lies in ``{z >= 0, M z <= 1}``, within ``tol``."""
    for b in range(k):
        if vals[b] < -tol:
            return False
    for i in range(M.shape[0]):
        s = 0.0
        for b in range(k):
            s += M[i, idx[b]] * vals[b]
        if s > 1.0 + tol:
            return False
    return True


#: Largest number of candidate vertices (subsets of constraints) tried for the face of
#: Q that partners one vertex of P with extra labels before Q is searched whole.
FACE_CANDIDATES = 4096


@jit
def _rank(M, rows, k, tol):
    """Rank of the first ``rows`` rows and ``k`` columns of ``M`` (elimination with
    partial pivoting; pivots below ``tol`` of the largest entry count as zero)."""
    W = M[:rows, :k].copy()
    scale = 0.0
    for i in range(rows):
        for j in range(k):
            scale = max(scale, abs(W[i, j]))
    rank = 0
    for col in range(k):
        if rank == rows:
            break
        piv = rank
        big = abs(W[rank, col])
        for i in range(rank + 1, rows):
            if abs(W[i, col]) > big:
                big = abs(W[i, col])
                piv = i
        if big <= tol * max(scale, 1.0):
            continue
        for j in range(k):
            t = W[rank, j]
            W[rank, j] = W[piv, j]
            W[piv, j] = t
        for i in range(rank + 1, rows):
            f = W[i, col] / W[rank, col]
            for j in range(col, k):
                W[i, j] -= f * W[rank, j]
        rank += 1
    return rank


@jit
def _face_partners(A, KX, KL, tol, m, n):
    """The partners of vertices ``x`` of ``P`` (rows of ``KX``, label masks ``KL``: bit
    ``i < m`` for ``x_i = 0``, bit ``m + j`` for column ``j`` tight): the vertices of the
    face of ``Q = {y >= 0, A y <= 1}`` carrying every label ``x`` misses - ``y``
    supported on ``J`` (the columns tight at ``x``) with the rows ``I`` of ``x``'s support
    tight. With exactly ``m`` labels ``|I| = |J|`` and the face is the one solution of
    ``A[I, J] y_J = 1`` when that is regular (lrsnash's completion). With extra labels
    and ``A[I, J]`` of full row rank ``|I|``, each vertex of the face solves those rows
    and ``d = |J| - |I|`` further tight constraints (other rows, ``y_j = 0``), so trying
    every ``d``-subset finds them all (a vertex may be found more than once).

    Returns ``(X, Y, ok)``: the pairs that lie in ``Q`` (within ``tol``; verified by
    the caller); ``ok`` is False when a completion is singular, a face rank-deficient
    or in need of more than :data:`FACE_CANDIDATES` subsets (the caller then searches
    Q whole).
    """
    X = np.empty((4, m))
    Y = np.empty((4, n))
    e = 0
    rows_i = np.empty(m, np.int64)
    cols_j = np.empty(n, np.int64)
    other = np.empty(m + n, np.int64)
    sub = np.empty(n, np.int64)
    M = np.empty((n, n))
    rhs = np.empty(n)
    yJ = np.empty(n)
    work = np.empty((n, n + 1))
    y = np.empty(n)
    for p in range(KX.shape[0]):
        lab = KL[p]
        ni = 0
        for i in range(m):
            if not (lab >> i) & 1:
                rows_i[ni] = i
                ni += 1
        nj = 0
        for j in range(n):
            if (lab >> (m + j)) & 1:
                cols_j[nj] = j
                nj += 1
        d = nj - ni
        if d < 0 or nj == 0:
            continue
        if d > 0:
            for a in range(ni):
                for b in range(nj):
                    M[a, b] = A[rows_i[a], cols_j[b]]
            if _rank(M, ni, nj, 1e-11) < ni:
                return X[:e], Y[:e], False
        # other constraints: rows not in I (code i), y_J[b] = 0 (code m + b)
        no = 0
        for i in range(m):
            if (lab >> i) & 1:
                other[no] = i
                no += 1
        for b in range(nj):
            other[no] = m + b
            no += 1
        # the number of d-subsets, capped
        count = 1.0
        for t in range(d):
            count = count * (no - t) / (t + 1)
        if count > FACE_CANDIDATES:
            return X[:e], Y[:e], False
        for t in range(d):
            sub[t] = t
        while True:
            for a in range(ni):
                for b in range(nj):
                    M[a, b] = A[rows_i[a], cols_j[b]]
                rhs[a] = 1.0
            for t in range(d):
                code = other[sub[t]]
                row = ni + t
                if code < m:
                    for b in range(nj):
                        M[row, b] = A[code, cols_j[b]]
                    rhs[row] = 1.0
                else:
                    for b in range(nj):
                        M[row, b] = 0.0
                    M[row, code - m] = 1.0
                    rhs[row] = 0.0
            solved = _solve(M, rhs, yJ, work, nj)
            if d == 0 and not solved:
                return X[:e], Y[:e], False      # a singular completion: a face, unknown
            if solved and _inside(A, cols_j, yJ, nj, tol):
                for j in range(n):
                    y[j] = 0.0
                for b in range(nj):
                    y[cols_j[b]] = yJ[b]
                if e == X.shape[0]:
                    X = _grow2(X, 2 * e)
                    Y = _grow2(Y, 2 * e)
                X[e] = KX[p]
                Y[e] = y
                e += 1
            # next d-subset in lexicographic order
            t = d - 1
            while t >= 0 and sub[t] == no - d + t:
                t -= 1
            if t < 0:
                break
            sub[t] += 1
            for u in range(t + 1, d):
                sub[u] = sub[u - 1] + 1
    return X[:e], Y[:e], True


@jit
def _extra_partner_labels(A, Y, tol, n):
    """Whether some ``y`` (rows of ``Y``, a vertex of ``{y >= 0, A y <= 1}``) has more
    than ``n`` tight constraints (within ``tol``, as the search counts labels)."""
    m = A.shape[0]
    for t in range(Y.shape[0]):
        count = 0
        for j in range(n):
            if Y[t, j] <= tol:
                count += 1
        for i in range(m):
            s = 0.0
            for j in range(n):
                s += A[i, j] * Y[t, j]
            if s >= 1.0 - tol:
                count += 1
        if count > n:
            return True
    return False


# --------------------------------------------------------------------------- Lemke–Howson


@jit(error_model="numpy")
def _lh_row(T, rows, col, lex0, nlex, tol):
    """Leaving row by the lexicographic minimum-ratio test: smallest ``rhs / T[i, col]``
    over rows with ``T[i, col] > tol``; ties (within ``tol``, relative) broken by the
    columns ``lex0 .. lex0 + nlex - 1`` of the initial basis in turn."""
    rhs = T.shape[1] - 1
    best = np.inf
    for i in range(rows):
        a = T[i, col]
        if a > tol:
            v = T[i, rhs] / a
            if v < best:
                best = v
    lim = best + tol * max(1.0, abs(best))
    first = -1
    count = 0
    for i in range(rows):
        a = T[i, col]
        if a > tol and T[i, rhs] / a <= lim:
            count += 1
            if first < 0:
                first = i
    if count <= 1:
        return first
    cand = np.zeros(rows, np.bool_)
    for i in range(rows):
        a = T[i, col]
        cand[i] = a > tol and T[i, rhs] / a <= lim
    for c in range(lex0, lex0 + nlex):
        best = np.inf
        for i in range(rows):
            if cand[i]:
                v = T[i, c] / T[i, col]
                if v < best:
                    best = v
        lim = best + tol * max(1.0, abs(best))
        count = 0
        for i in range(rows):
            if cand[i]:
                cand[i] = T[i, c] / T[i, col] <= lim
                count += cand[i]
        if count <= 1:
            break
    for i in range(rows):
        if cand[i]:
            return i
    return -1


@jit(error_model="numpy")
def _lh_pivot(T, rows, row, col):
    w = T.shape[1]
    p = T[row, col]
    for j in range(w):
        T[row, j] /= p
    for i in range(rows):
        if i == row:
            continue
        f = T[i, col]
        if f != 0.0:
            for j in range(w):
                T[i, j] -= f * T[row, j]


@jit(error_model="numpy")
def lemke_howson(Ap, Bp, dropped, max_iter, tol):
    """Lemke–Howson from the artificial equilibrium, game by game (payoffs in [1, 2]).

    Label ``k < m`` is ``x_k`` (a column of P's tableau) or the slack of row ``k``
    of Q; label ``m + j`` is ``y_j`` or the slack of column ``j`` of P. Starting by
    letting ``dropped`` enter, the two tableaux take turns, each pivot's leaving
    label entering the other tableau, until ``dropped`` leaves. Returns normalised
    ``x`` (N, m), ``y`` (N, n) and the pivots per game (-1 where ``max_iter``
    was reached).
    """
    N, m, n = Ap.shape
    w = m + n + 1
    X = np.zeros((N, m))
    Y = np.zeros((N, n))
    pivots = np.full(N, -1, np.int64)
    tp = np.empty((n, w))   # P: rows = n constraints; columns x (0..m-1), slacks, rhs
    tq = np.empty((m, w))   # Q: rows = m constraints; columns slacks (0..m-1), y, rhs
    bp = np.empty(n, np.int64)
    bq = np.empty(m, np.int64)
    for g in range(N):
        tp[:] = 0.0
        tq[:] = 0.0
        for i in range(n):
            for j in range(m):
                tp[i, j] = Bp[g, j, i]
            tp[i, m + i] = 1.0
            tp[i, w - 1] = 1.0
            bp[i] = m + i
        for i in range(m):
            tq[i, i] = 1.0
            for j in range(n):
                tq[i, m + j] = Ap[g, i, j]
            tq[i, w - 1] = 1.0
            bq[i] = i
        entering = dropped
        on_p = dropped < m
        for step in range(max_iter):
            if on_p:
                row = _lh_row(tp, n, entering, m, n, tol)
                leaving = bp[row]
                bp[row] = entering
                _lh_pivot(tp, n, row, entering)
            else:
                row = _lh_row(tq, m, entering, 0, m, tol)
                leaving = bq[row]
                bq[row] = entering
                _lh_pivot(tq, m, row, entering)
            if leaving == dropped:
                pivots[g] = step + 1
                break
            entering = leaving
            on_p = not on_p
        if pivots[g] < 0:
            continue
        sx = 0.0
        for i in range(n):
            if bp[i] < m:
                X[g, bp[i]] += tp[i, w - 1]
                sx += tp[i, w - 1]
        sy = 0.0
        for i in range(m):
            if bq[i] >= m:
                Y[g, bq[i] - m] += tq[i, w - 1]
                sy += tq[i, w - 1]
        if sx > 0:
            for j in range(m):
                X[g, j] /= sx
        if sy > 0:
            for j in range(n):
                Y[g, j] /= sy
    return X, Y, pivots
