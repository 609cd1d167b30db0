"""Compiled Lemke path for the sequence-form LCP (used by :func:`sequence_lemke`).

The same algorithm and the same lexicographic rule as the pure-NumPy dense engine
(``_lemke`` in :mod:`gametheory.solvers.sequence_form`), so the same path: an explicit
basis inverse updated by a rank-one product at every pivot. What differs is the cost
of a pivot. The sequence form of a tree is sparse and so, along Lemke's path, is the
basis inverse (2-10 % of its entries are non-zero on random trees of depth 9-11), so
the update visits only the non-zero entries of the entering column times the
non-zero entries of the leaving row, instead of all n^2 entries; and a
lexicographic tie (most ratio tests of a tree tie: it is massively degenerate)
compares the tied rows column by column and stops at the first column where they
differ, instead of materialising whole rows of the inverse.

:func:`lemke_steps` runs the path in stretches, so that the caller can replace the
updated inverse by a fresh one between them (rounding errors of thousands of
rank-one updates otherwise flip lexicographic decisions late on long paths).
Entries that cancel to below ``drop`` (absolute; the LCP's costs are scaled to the
payoff range, so the inverse's entries are of order one) are set to zero.
"""

from __future__ import annotations

import numpy as np

from ._compiled import jit

#: ``lemke_steps`` status codes.
DONE, RAY, PAUSED = 0, 1, 2


@jit
def lemke_steps(Mp, Mi, Mx, d, binv, first, beta, basis, state, stop, tol, drop,
                tiny, keys, hist):  # pragma: no cover
    """Pivot along Lemke's path on ``w = q + M z`` (M as CSC arrays ``Mp, Mi, Mx``,
    covering vector ``d``) from the basis ``basis`` with inverse ``binv`` (Fortran
    order) and basic values ``beta``, all updated in place. ``first[i]`` is a lower
    bound on the first non-zero column of row i of ``binv`` (kept valid here: the
    lexicographic rule starts comparing there). ``state`` holds ``[leaving,
    pivots]``: the variable that left at the last pivot (-1 before the first, when
    ``beta`` is ``q``), the pivots so far and a hash of the basis (the wrapping sum
    of ``keys`` over the basic variables); ``hist[k]`` receives the hash after the
    k-th pivot of this call, so that the caller can see a basis come back (the
    lexicographic rule never revisits one; rounding can). Stops after pivot number
    ``stop``.
    The lexicographic rule reads entries of ``binv`` below ``tiny`` as zero:
    rounding residue that division by a small pivot column entry would otherwise
    magnify past the comparison's tolerance. Returns DONE (``z0`` left: ``beta`` is
    the solution), RAY, or PAUSED."""
    n = beta.shape[0]
    col = np.empty(n)
    rowr = np.empty(n)
    nzc = np.empty(n, np.int64)
    nzr = np.empty(n, np.int64)
    tied = np.empty(n, np.int64)
    cand = np.empty(n, np.int64)
    inv = np.empty(n)
    leaving = state[0]
    pivots = state[1]
    start = pivots
    h = state[2]
    r = -1
    entering = 2 * n
    if leaving < 0:
        # z0 enters: the largest index among the most negative q_i / d_i leaves
        top = -np.inf
        for i in range(n):
            top = max(top, -beta[i] / d[i])
        if top <= 0:
            return DONE
        thr = top - tol * max(1.0, top)
        for i in range(n):
            if -beta[i] / d[i] >= thr:
                r = i
        for i in range(n):
            col[i] = 0.0
        for k in range(n):
            for i in range(n):
                col[i] -= binv[i, k] * d[k]
    while True:
        if leaving >= 0:
            if leaving == 2 * n:
                return DONE
            if pivots >= stop:
                return PAUSED
            # ---- the complement of the leaving variable enters
            entering = leaving + n if leaving < n else leaving - n
            if entering < n:
                for i in range(n):
                    col[i] = binv[i, entering]
            else:
                j = entering - n
                for i in range(n):
                    col[i] = 0.0
                for k in range(Mp[j], Mp[j + 1]):
                    c = Mi[k]
                    x = Mx[k]
                    for i in range(n):
                        col[i] -= binv[i, c] * x
            # ---- ratio test; z0 leaves on a tie
            m = np.inf
            for i in range(n):
                if col[i] > tol:
                    m = min(m, beta[i] / col[i])
            if m == np.inf:
                return RAY
            thr = m + tol * max(1.0, abs(m))
            nt = 0
            r = -1
            for i in range(n):
                if col[i] > tol and beta[i] / col[i] <= thr:
                    if basis[i] == 2 * n:
                        r = i
                    tied[nt] = i
                    nt += 1
            if r < 0 and nt == 1:
                r = tied[0]
            elif r < 0:
                # lexicographic rule: the smallest row of B^-1 / alpha among the tied
                # rows, columns compared in order with a relative tolerance (as the
                # NumPy engine's); the columns before every row's first non-zero are
                # all zero and skipped
                nk = nt
                j0 = n
                for t in range(nt):
                    cand[t] = tied[t]
                    inv[t] = 1.0 / col[tied[t]]
                    j0 = min(j0, first[tied[t]])
                for j in range(j0, n):
                    if nk == 1:
                        break
                    lo = np.inf
                    hi = -np.inf
                    big = 0.0
                    for t in range(nk):
                        v = binv[cand[t], j]
                        v = v * inv[t] if abs(v) > tiny else 0.0
                        lo = min(lo, v)
                        hi = max(hi, v)
                        big = max(big, abs(v))
                    if hi - lo > tol * max(1.0, big):
                        cut = lo + tol * max(1.0, abs(lo))
                        kept = 0
                        for t in range(nk):
                            v = binv[cand[t], j]
                            v = v * inv[t] if abs(v) > tiny else 0.0
                            if v <= cut:
                                cand[kept] = cand[t]
                                inv[kept] = inv[t]
                                kept += 1
                        nk = kept
                r = cand[0]
        # ---- pivot on (r, entering): B^-1 <- E B^-1, touching non-zeros only
        piv = col[r]
        leaving = basis[r]
        nr = 0
        lo_r = n
        for j in range(first[r], n):
            v = binv[r, j]
            if v != 0.0:
                rowr[j] = v / piv
                nzr[nr] = j
                nr += 1
                lo_r = min(lo_r, j)
        nc = 0
        for i in range(n):
            if i != r and col[i] != 0.0:
                nzc[nc] = i
                nc += 1
                first[i] = min(first[i], lo_r)
        if 8 * nc > n:
            # a dense entering column: whole contiguous columns vectorise better than
            # the gathered rows (col[r] is set aside: row r is overwritten below)
            cr = col[r]
            col[r] = 0.0
            for t in range(nr):
                j = nzr[t]
                rj = rowr[j]
                for i in range(n):
                    v = binv[i, j] - col[i] * rj
                    binv[i, j] = v if abs(v) >= drop else 0.0
                binv[r, j] = rj
            col[r] = cr
        else:
            for t in range(nr):
                j = nzr[t]
                rj = rowr[j]
                for s in range(nc):
                    i = nzc[s]
                    v = binv[i, j] - col[i] * rj
                    binv[i, j] = v if abs(v) >= drop else 0.0
                binv[r, j] = rj
        br = beta[r] / piv
        for s in range(nc):
            i = nzc[s]
            beta[i] -= col[i] * br
        beta[r] = br
        basis[r] = entering
        h += keys[entering] - keys[leaving]
        hist[pivots - start] = h
        pivots += 1
        state[0] = leaving
        state[1] = pivots
        state[2] = h


@jit
def lu_inverse(Lp, Li, Lx, Up, Ui, Ux, perm_r, perm_c, out, first,
               drop):  # pragma: no cover
    """``out[:] = A^-1`` (Fortran order) from SuperLU's factors of ``A``
    (``Pr A Pc = L U``, L and U as CSC arrays): column j is ``Pc U^-1 L^-1 Pr e_j``,
    by sparse triangular solves that skip zero entries; entries below ``drop`` are
    set to zero. ``first[i]`` is set to the first non-zero column of row i."""
    n = out.shape[0]
    for i in range(n):
        first[i] = n
    ldiag = np.ones(n)
    udiag = np.zeros(n)
    for k in range(n):
        for p in range(Lp[k], Lp[k + 1]):
            if Li[p] == k:
                ldiag[k] = Lx[p]
        for p in range(Up[k], Up[k + 1]):
            if Ui[p] == k:
                udiag[k] = Ux[p]
    x = np.zeros(n)
    for j in range(n):
        start = perm_r[j]
        x[start] = 1.0
        for k in range(start, n):
            xk = x[k]
            if xk != 0.0:
                xk /= ldiag[k]
                x[k] = xk
                for p in range(Lp[k], Lp[k + 1]):
                    i = Li[p]
                    if i > k:
                        x[i] -= Lx[p] * xk
        for k in range(n - 1, -1, -1):
            xk = x[k]
            if xk != 0.0:
                xk /= udiag[k]
                x[k] = xk
                for p in range(Up[k], Up[k + 1]):
                    i = Ui[p]
                    if i < k:
                        x[i] -= Ux[p] * xk
        for i in range(n):
            v = x[perm_c[i]]
            if abs(v) < drop:
                v = 0.0
            elif first[i] == n:
                first[i] = j
            out[i, j] = v
        for i in range(n):
            x[i] = 0.0
