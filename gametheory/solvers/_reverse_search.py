"""Memory-bounded enumeration of the extreme equilibria of a bimatrix game: reverse
search over the bases of each best-response polytope (numba).

The hash-table search of :mod:`._pivoting` keeps every basis it has seen, so its memory
grows with the number of bases (a 16 x 16 game can need more than a gigabyte). Reverse
search (Avis & Fukuda 1992; lrs, Avis 2000) keeps none: the bases of the
lexicographically perturbed polytope ``{z >= 0, M z <= 1 + (eps, eps^2, ...)}`` form a
tree whose root is the origin and where the *parent* of a basis is the one reached by
one simplex pivot for ``min sum z`` - the entering variable by Bland's rule (the
smallest index with a negative reduced cost), the leaving one by the lexicographic
ratio test. A depth-first walk that enters a neighbour only when the basis it comes
from is that neighbour's parent visits every basis exactly once and holds only the
dictionaries along the current path: memory grows with the depth, not with the number
of bases. The parent test needs no pivot: the neighbour's reduced costs follow from
the current ones (``d'_j = d_j - d_k a_rj / a_rk``, ``d'_k = -d_k / a_rk``).

Equilibria without storing the vertices (lrsnash's idea, Avis, Rosenberg, Savani &
von Stengel 2010): at each vertex ``x`` of ``P`` with exactly ``m`` labels, the labels it
misses must all be labels of ``y``; those ``n`` tight constraints of ``Q`` give ``y`` by one
``n x n`` solve, kept when it lies in ``Q`` (and is not the origin). The same runs from
the vertices of ``Q``. A pair where both vertices have extra labels (a degenerate game)
or a singular completion is caught by keeping only those vertices (each once, by its
label set) and testing them against each other - every extreme equilibrium is found.
Q is searched only when P's kept vertices need it: a vertex with extra labels is
completed to the vertices of its face of Q directly (:func:`._pivoting._face_partners`),
so on most games only P is walked (16 x 16: 0.68 -> 0.27 s a game).
"""

from __future__ import annotations

import numpy as np

from ._compiled import jit
from ._pivoting import (
    _extra_partner_labels,
    _face_partners,
    _grow2,
    _insert,
    _inside,
    _leaving_row,
    _origin,
    _pivot_into,
    _popcount,
    _shift,
    _solve,
)

__all__ = ["reverse_search_equilibria"]


@jit
def _reduced(D, bs, nb, lvl, r, c, d):
    """Reduced costs of ``min sum z`` for the non-basic columns of dictionary ``lvl``."""
    for k in range(c):
        v = 1.0 if nb[lvl, k] < c else 0.0
        for i in range(r):
            if bs[lvl, i] < c:
                v -= D[lvl, i, k]
        d[lvl, k] = v


@jit
def _grow3(a, n):
    b = np.empty((n, a.shape[1], a.shape[2]), a.dtype)
    b[:a.shape[0]] = a
    return b


@jit
def _side(M, Mo, tol, eps, row_off, col_off, full, max_bases):
    """Reverse search over the bases of ``{z >= 0, M z <= 1}`` (``r x c``), completing
    each vertex with exactly ``c`` labels to a vertex of the other polytope
    ``{w >= 0, Mo w <= 1}`` (``c x r``).

    Labels: ``z_j = 0`` is bit ``col_off + j``, row ``i`` tight is ``row_off + i``; for
    the other polytope ``w_j = 0`` is ``row_off + j`` and its row ``i`` is ``col_off + i``.

    Returns (pairs z, pairs w, kept vertices' coordinates and labels - those with extra
    labels or a singular completion -, bases visited; -1 past ``max_bases``).
    """
    r, c = M.shape
    depth_cap = 64
    D = np.empty((depth_cap, r, c))
    rhs = np.empty((depth_cap, r))
    bs = np.empty((depth_cap, r), np.int64)
    nb = np.empty((depth_cap, c), np.int64)
    d = np.empty((depth_cap, c))
    nextk = np.zeros(depth_cap, np.int64)
    dnext = np.empty(c)
    _origin(M, D, rhs, bs, nb)
    _reduced(D, bs, nb, 0, r, c, d)
    z = np.zeros(c)
    w = np.zeros(r)
    Asys = np.empty((r, r))
    bsys = np.empty(r)
    wf = np.empty(r)
    free = np.empty(r, np.int64)
    rows = np.empty(c, np.int64)
    work = np.empty((r, r + 1))
    PZ = np.empty((16, c))
    PW = np.empty((16, r))
    n_pairs = 0
    KZ = np.empty((16, c))
    KL = np.empty(16, np.int64)
    n_kept = 0
    kept = np.zeros(256, np.int64)
    shift = _shift(256)
    origin = np.int64(0)
    for j in range(c):
        origin |= np.int64(1) << (col_off + j)
    lvl = 0
    bases = 1
    visit = True
    while lvl >= 0:
        if visit:
            visit = False
            # the vertex of this basis and its labels
            lab = np.int64(0)
            for j in range(c):
                z[j] = 0.0
            in_basis = np.int64(0)
            for i in range(r):
                var = bs[lvl, i]
                in_basis |= np.int64(1) << var
                val = rhs[lvl, i]
                if var < c:
                    z[var] = val
                if val <= tol:
                    lab |= np.int64(1) << (col_off + var if var < c else row_off + var - c)
            for var in range(c + r):
                if not (in_basis >> var) & 1:
                    lab |= np.int64(1) << (col_off + var if var < c else row_off + var - c)
            if lab != origin:
                keep = _popcount(lab) > c
                if not keep:
                    # complete: the missing labels are the other vertex's tight
                    # constraints - w_j = 0 for some j, rows of Mo tight for the others -
                    # so only the free coordinates F are solved for, from rows I
                    miss = full ^ lab
                    nf = 0
                    ni = 0
                    for j in range(r):
                        if not (miss >> (row_off + j)) & 1:
                            free[nf] = j
                            nf += 1
                    for ii in range(c):
                        if (miss >> (col_off + ii)) & 1:
                            rows[ni] = ii
                            ni += 1
                    for j in range(r):
                        w[j] = 0.0
                    solved = nf == ni and nf > 0
                    if solved:
                        for a in range(nf):
                            for b in range(nf):
                                Asys[a, b] = Mo[rows[a], free[b]]
                            bsys[a] = 1.0
                        solved = _solve(Asys, bsys, wf, work, nf)
                    if not solved:
                        keep = nf != ni or nf > 0
                    elif _inside(Mo, free, wf, nf, tol):
                        for a in range(nf):
                            w[free[a]] = wf[a]
                        if n_pairs == PZ.shape[0]:
                            PZ = _grow2(PZ, 2 * n_pairs)
                            PW = _grow2(PW, 2 * n_pairs)
                        PZ[n_pairs] = z
                        PW[n_pairs] = w
                        n_pairs += 1
                if keep and _insert(kept, lab + 1, shift):
                    if 2 * (n_kept + 1) > kept.shape[0]:
                        new = np.zeros(2 * kept.shape[0], np.int64)
                        for key in kept:
                            if key != 0:
                                _insert(new, key, shift - 1)
                        kept = new
                        shift -= 1
                    if n_kept == KZ.shape[0]:
                        KZ = _grow2(KZ, 2 * n_kept)
                        KL2 = np.empty(2 * n_kept, np.int64)
                        KL2[:n_kept] = KL[:n_kept]
                        KL = KL2
                    KZ[n_kept] = z
                    KL[n_kept] = lab
                    n_kept += 1
        k = nextk[lvl]
        if k == c:
            lvl -= 1
            continue
        nextk[lvl] = k + 1
        dk = d[lvl, k]
        if dk <= 0.0:
            # the leaving variable would re-enter with reduced cost -dk / a >= 0: Bland's
            # rule in the neighbour cannot pick it, so this is not the neighbour's parent
            continue
        row = _leaving_row(D, rhs, bs, nb, lvl, k, r, eps)
        if row < 0:
            continue
        # is this basis the neighbour's parent? Bland's rule in the neighbour must pick
        # the variable that leaves now (it re-enters along the same edge); the
        # neighbour's reduced costs follow from these ones
        out = bs[lvl, row]
        a = D[lvl, row, k]
        best = -1
        for j in range(c):
            if j == k:
                v = -dk / a
                var = out
            else:
                v = d[lvl, j] - dk * D[lvl, row, j] / a
                var = nb[lvl, j]
            dnext[j] = v
            if v < -eps and (best < 0 or var < best):
                best = var
        if best != out:
            continue
        # a child: pivot into the next level
        if lvl + 1 == D.shape[0]:
            cap = 2 * D.shape[0]
            D = _grow3(D, cap)
            rhs = _grow2(rhs, cap)
            bs = _grow2(bs, cap)
            nb = _grow2(nb, cap)
            d = _grow2(d, cap)
            n2 = np.zeros(cap, np.int64)
            n2[:nextk.shape[0]] = nextk
            nextk = n2
        _pivot_into(D, rhs, lvl, lvl + 1, row, k, r, c)
        for i in range(r):
            bs[lvl + 1, i] = bs[lvl, i]
        bs[lvl + 1, row] = nb[lvl, k]
        for j in range(c):
            nb[lvl + 1, j] = nb[lvl, j]
        nb[lvl + 1, k] = out
        lvl += 1
        for j in range(c):
            d[lvl, j] = dnext[j]
        nextk[lvl] = 0
        visit = True
        bases += 1
        if bases > max_bases:
            return PZ[:n_pairs], PW[:n_pairs], KZ[:n_kept], KL[:n_kept], -1
    return PZ[:n_pairs].copy(), PW[:n_pairs].copy(), KZ[:n_kept].copy(), \
        KL[:n_kept].copy(), bases


@jit
def reverse_search_equilibria(A, B, tol, eps, max_bases):
    """Extreme equilibria (unnormalised ``x``, ``y``) of one game with payoffs in [1, 2].

    Returns ``(X, Y, degenerate, bases)``: one row per equilibrium found (a pair may
    be found twice: the caller removes repeats), whether a vertex had extra labels (of
    P, or of Q where it was searched or at a partner), and the bases visited on the
    sides searched (-1 past ``max_bases``).
    """
    m, n = A.shape
    full = (np.int64(1) << (m + n)) - 1
    BT = B.T.copy()
    # P: x in R^m, rows B^T x <= 1; labels: x_i = 0 -> i, row j tight -> m + j
    px, py, kx, klx, nbp = _side(BT, A, tol, eps, m, 0, full, max_bases)
    if nbp < 0:
        return np.empty((0, m)), np.empty((0, n)), False, np.int64(-1)
    # Every extreme equilibrium's x is a vertex of P. A vertex with exactly m labels and
    # a regular completion has that completion as its only partner (found above); the
    # partners of the others (extra labels, or a singular completion) are the vertices
    # of a face of Q, enumerated directly when the face is small. Q is searched only
    # when some face is not (rank-deficient or too many candidate vertices).
    fx, fy, ok = _face_partners(A, kx, klx, tol, m, n)
    if ok:
        degenerate = False
        for lab in klx:
            if _popcount(lab) > m:
                degenerate = True
        # Q's degeneracy is then seen only where it matters: at the partners
        if not degenerate:
            degenerate = _extra_partner_labels(A, py, tol, n)
        X = np.empty((px.shape[0] + fx.shape[0], m))
        Y = np.empty((px.shape[0] + fx.shape[0], n))
        X[:px.shape[0]] = px
        Y[:px.shape[0]] = py
        X[px.shape[0]:] = fx
        Y[px.shape[0]:] = fy
        return X, Y, degenerate, np.int64(nbp)
    # Q: y in R^n, rows A y <= 1; labels: y_j = 0 -> m + j, row i tight -> i
    qy, qx, ky, kly, nbq = _side(A.copy(), BT, tol, eps, 0, m, full, max_bases)
    if nbq < 0:
        return np.empty((0, m)), np.empty((0, n)), False, np.int64(-1)
    degenerate = False
    for lab in klx:
        if _popcount(lab) > m:
            degenerate = True
    for lab in kly:
        if _popcount(lab) > n:
            degenerate = True
    total = px.shape[0] + qy.shape[0]
    X = np.empty((total + 4, m))
    Y = np.empty((total + 4, n))
    e = 0
    for t in range(px.shape[0]):
        X[e] = px[t]
        Y[e] = py[t]
        e += 1
    for t in range(qy.shape[0]):
        X[e] = qx[t]
        Y[e] = qy[t]
        e += 1
    # kept vertices (extra labels or singular completions) against each other
    for p in range(kx.shape[0]):
        for q in range(ky.shape[0]):
            if (klx[p] | kly[q]) == full:
                if e == X.shape[0]:
                    X = _grow2(X, 2 * e)
                    Y = _grow2(Y, 2 * e)
                X[e] = kx[p]
                Y[e] = ky[q]
                e += 1
    return X[:e].copy(), Y[:e].copy(), degenerate, np.int64(nbp + nbq)
