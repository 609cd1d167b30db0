"""Compiled kernel of :func:`~gametheory.solvers.polynomial.polynomial_enumeration`.

For every support profile (one non-empty set of actions per player) the kernel
solves the indifference equations - for each player, every action of the
support earns what the first one earns - over the probability boxes of the
players, and keeps the roots that are probability vectors against which no
action outside a support does better.

The equations are *multilinear*: each player's expected payoff is linear in
every other player's mixed strategy, so every variable appears with degree at
most one. Two facts follow and carry the method:

* the range of each equation (and of each entry of the Jacobian, itself
  multilinear) over a box is attained at the box's vertices, so the exclusion
  test "this equation cannot vanish in the box" is exact, not an interval
  over-estimate;
* the Krawczyk operator ``K(X) = c - Y F(c) + (I - Y J(X)) (X - c)`` with the
  exact interval Jacobian ``J(X)`` certifies a unique root in a box
  (``K(X)`` inside ``X``) or none (``K(X)`` disjoint from ``X``) (Moore,
  Kearfott & Cloud 2009, ch. 8; Krawczyk 1969).

Boxes are split until each is excluded or certified; a certified root is
polished by Newton's method. A box that shrinks below ``min_width`` without
either certificate holds a singular root or a continuum of solutions; the
support is then reported as *singular* (as Gambit's ``enumpoly`` reports it),
its Gauss-Newton point is still returned as a candidate, and the search of
that support stops. A structurally singular system (more equations than
unknowns in one block, as when a pure player faces a mixing one) needs no
special case: generically no box survives the exclusion test. A support whose
search exceeds ``max_boxes`` is reported as over budget.

Three-player supports of the right shape are first tried by elimination
(:func:`_pencil_roots`, :func:`_plane_roots`): a univariate or bivariate
polynomial in the Bernstein basis instead of a box search in all unknowns.
"""

from __future__ import annotations

import numpy as np

from .._jit import jit

__all__ = ["enumerate_supports"]

_EXCLUDE = 1e-12
#: Krawczyk is tried on boxes narrower than this (wider ones rarely certify; they are
#: split after the cheaper exclusion tests)
_KRAWCZYK_WIDTH = 0.1




@jit
def _profile_index(strides, choice, sup, n_players):
    idx = 0
    for j in range(n_players):
        idx += strides[j] * sup[j, choice[j]]
    return idx


@jit
def _next_choice(choice, k, skip):
    """Odometer over support positions, player ``skip`` held at 0. False when done."""
    j = len(k) - 1
    while j >= 0:
        if j != skip:
            choice[j] += 1
            if choice[j] < k[j]:
                return True
            choice[j] = 0
        j -= 1
    return False


@jit
def _dominated(U, strides, m, sup, k, n_players, tol):
    """True when some support action is strictly worse than another action of its
    player against every profile of the others' supports (conditional dominance)."""
    choice = np.zeros(n_players, dtype=np.int64)
    for i in range(n_players):
        for ta in range(k[i]):
            a = sup[i, ta]
            for b in range(m[i]):
                if b == a:
                    continue
                dominated = True
                for j in range(n_players):
                    choice[j] = 0
                while True:
                    base = _profile_index(strides, choice, sup, n_players) - strides[i] * sup[i, 0]
                    if U[i, base + strides[i] * b] <= U[i, base + strides[i] * a] + tol:
                        dominated = False
                        break
                    if not _next_choice(choice, k, i):
                        break
                if dominated:
                    return True
    return False


@jit
def _rows(U, strides, sup, k, offsets, n_players, acts, n_acts):
    """Payoff-difference rows: for player ``i`` and each action ``a`` in
    ``acts[i, :n_acts[i]]``, ``sum_s [U_i(a, s) - U_i(S_i[0], s)] prod_{j != i} p_j[s_j]``
    over the profiles ``s`` of the other players' supports, as monomials: coefficient,
    row (``eq``), probability positions (``idx[r, j]``: player j's action in the
    concatenated support probabilities, -1 for the row's own player), own player.
    Returns them with the number of rows."""
    n_mono = 0
    for i in range(n_players):
        rest = 1
        for j in range(n_players):
            if j != i:
                rest *= k[j]
        n_mono += n_acts[i] * rest
    coef = np.empty(n_mono)
    eq = np.empty(n_mono, dtype=np.int64)
    idx = np.empty((n_mono, n_players), dtype=np.int64)
    own = np.empty(n_mono, dtype=np.int64)
    choice = np.zeros(n_players, dtype=np.int64)
    row = 0
    e = 0
    for i in range(n_players):
        for t in range(n_acts[i]):
            a = acts[i, t]
            for j in range(n_players):
                choice[j] = 0
            while True:
                base = _profile_index(strides, choice, sup, n_players) - strides[i] * sup[i, 0]
                coef[row] = U[i, base + strides[i] * a] - U[i, base + strides[i] * sup[i, 0]]
                eq[row] = e
                own[row] = i
                for j in range(n_players):
                    idx[row, j] = -1 if j == i else offsets[j] + choice[j]
                row += 1
                if not _next_choice(choice, k, i):
                    break
            e += 1
    return coef, eq, idx, own, e


@jit
def _monomials(U, strides, sup, k, offsets, n_players):
    """The indifference equations: row ``(i, t)`` for each support action ``S_i[t]``
    after the first (see :func:`_rows`)."""
    acts = np.zeros((n_players, sup.shape[1]), dtype=np.int64)
    n_acts = np.zeros(n_players, dtype=np.int64)
    for i in range(n_players):
        for t in range(1, k[i]):
            acts[i, t - 1] = sup[i, t]
        n_acts[i] = k[i] - 1
    coef, eq, idx, _, _ = _rows(U, strides, sup, k, offsets, n_players, acts, n_acts)
    return coef, eq, idx


@jit
def _inequalities(U, strides, m, sup, k, offsets, n_players):
    """The equilibrium inequalities: a row (``<= 0`` at an equilibrium) for each action
    outside its player's support (see :func:`_rows`)."""
    acts = np.zeros((n_players, np.max(m)), dtype=np.int64)
    n_acts = np.zeros(n_players, dtype=np.int64)
    for i in range(n_players):
        for b in range(m[i]):
            inside = False
            for t in range(k[i]):
                if sup[i, t] == b:
                    inside = True
            if not inside:
                acts[i, n_acts[i]] = b
                n_acts[i] += 1
    return _rows(U, strides, sup, k, offsets, n_players, acts, n_acts)


@jit
def _vertex_probabilities(lo, hi, n, k, offsets, var_off, n_players, x, pv):
    """``pv[v]``: every player's support probabilities at vertex ``v`` of the box (bit d
    of v set: variable d at its upper bound)."""
    for v in range(1 << n):
        for d in range(n):
            x[d] = hi[d] if (v >> d) & 1 else lo[d]
        for j in range(n_players):
            s = 0.0
            for t in range(1, k[j]):
                val = x[var_off[j] + t - 1]
                pv[v, offsets[j] + t] = val
                s += val
            pv[v, offsets[j]] = 1.0 - s


@jit
def _vertex_values(coef, start, idx, row_own, var_mask, n_rows, n, pv, out):
    """``out[v, e]``: row ``e`` (its monomials are ``start[e]:start[e + 1]``) at every
    vertex ``v``. A row of player i does not involve i's probabilities: it is evaluated
    where i's bits are zero and copied to the vertices that differ only there."""
    n_players = idx.shape[1]
    for e in range(n_rows):
        mask = var_mask[row_own[e]]
        for v in range(1 << n):
            if v & mask:
                out[v, e] = out[v & ~mask, e]
                continue
            t = 0.0
            for r in range(start[e], start[e + 1]):
                val = coef[r]
                for j in range(n_players):
                    g = idx[r, j]
                    if g >= 0:
                        val *= pv[v, g]
                t += val
            out[v, e] = t


@jit
def _violated(icoef, istart, iidx, irow_own, var_mask, n_rows, n, pv, ivals):
    """True when some action outside a support does strictly better than the support
    everywhere in the box (exact: the minimum over the box's vertices is positive)."""
    if n_rows == 0:
        return False
    _vertex_values(icoef, istart, iidx, irow_own, var_mask, n_rows, n, pv, ivals)
    for e in range(n_rows):
        low = np.inf
        for v in range(1 << n):
            if ivals[v, e] < low:
                low = ivals[v, e]
        if low > _EXCLUDE:
            return True
    return False


@jit
def _probabilities(x, k, offsets, var_off, n_players, p):
    for j in range(n_players):
        s = 0.0
        for t in range(1, k[j]):
            v = x[var_off[j] + t - 1]
            p[offsets[j] + t] = v
            s += v
        p[offsets[j]] = 1.0 - s


@jit
def _residual(coef, eq, idx, p, n, out):
    for e in range(n):
        out[e] = 0.0
    for r in range(len(coef)):
        v = coef[r]
        for j in range(idx.shape[1]):
            g = idx[r, j]
            if g >= 0:
                v *= p[g]
        out[eq[r]] += v


@jit
def _add_derivatives(coef, eq, idx, p, k, offsets, var_off, out):
    """Add every monomial's derivative by each variable of another player into ``out``
    (d F / d x, x the free probabilities; each player's first support action is one
    minus the others)."""
    n_players = idx.shape[1]
    for r in range(len(coef)):
        for j in range(n_players):
            g = idx[r, j]
            if g < 0 or k[j] == 1:
                continue
            val = coef[r]
            for q in range(n_players):
                h = idx[r, q]
                if q != j and h >= 0:
                    val *= p[h]
            pos = g - offsets[j]
            if pos == 0:
                for t in range(1, k[j]):
                    out[eq[r], var_off[j] + t - 1] -= val
            else:
                out[eq[r], var_off[j] + pos - 1] += val


@jit
def _jacobian(coef, eq, idx, p, k, offsets, var_off, n, out):
    """d F / d x at the probabilities ``p``."""
    for a in range(n):
        for b in range(n):
            out[a, b] = 0.0
    _add_derivatives(coef, eq, idx, p, k, offsets, var_off, out)


@jit
def _box_ranges(coef, start, idx, eq_own, k, offsets, var_off, var_mask, n, pv,
                with_jacobian, f_lo, f_hi, j_lo, j_hi, fv, part):
    """Exact ranges of F (and of J when asked) over the box whose vertex probabilities
    are ``pv`` (:func:`_vertex_probabilities`); F at every vertex is left in ``fv``.

    An equation of player i does not involve player i's probabilities, and its
    derivative by player j's involves neither player's: each is evaluated only at
    the vertices where those players' bits are zero (elsewhere the value repeats).
    """
    n_players = idx.shape[1]
    _vertex_values(coef, start, idx, eq_own, var_mask, n, n, pv, fv)
    for e in range(n):
        lo_e = np.inf
        hi_e = -np.inf
        for v in range(1 << n):
            if fv[v, e] < lo_e:
                lo_e = fv[v, e]
            if fv[v, e] > hi_e:
                hi_e = fv[v, e]
        f_lo[e] = lo_e
        f_hi[e] = hi_e
    if not with_jacobian:
        return
    for e in range(n):
        for b in range(n):
            j_lo[e, b] = 0.0  # derivatives by the equation's own player's variables
            j_hi[e, b] = 0.0
    for e in range(n):
        i = eq_own[e]
        for j in range(n_players):
            if j == i or k[j] == 1:
                continue
            both = var_mask[i] | var_mask[j]
            for t in range(1, k[j]):
                b = var_off[j] + t - 1
                j_lo[e, b] = np.inf
                j_hi[e, b] = -np.inf
            for v in range(1 << n):
                if v & both:
                    continue
                # part[pos]: the terms with player j's support action pos, without it
                for pos in range(k[j]):
                    part[pos] = 0.0
                for r in range(start[e], start[e + 1]):
                    val = coef[r]
                    for q in range(n_players):
                        h = idx[r, q]
                        if q != j and h >= 0:
                            val *= pv[v, h]
                    part[idx[r, j] - offsets[j]] += val
                for t in range(1, k[j]):
                    b = var_off[j] + t - 1
                    d = part[t] - part[0]
                    if d < j_lo[e, b]:
                        j_lo[e, b] = d
                    if d > j_hi[e, b]:
                        j_hi[e, b] = d


@jit
def _newton(coef, eq, idx, k, offsets, var_off, n, x, p, f, jac, iters,
            least_squares):
    """Newton's method from x (in place); Gauss-Newton minimum-norm steps when
    ``least_squares``. Returns the final residual's max-norm."""
    n_players = idx.shape[1]
    res = np.inf
    for _ in range(iters):
        _probabilities(x, k, offsets, var_off, n_players, p)
        _residual(coef, eq, idx, p, n, f)
        res = np.max(np.abs(f))
        if res < 1e-14:
            break
        _jacobian(coef, eq, idx, p, k, offsets, var_off, n, jac)
        if least_squares:
            step = np.linalg.pinv(jac, rcond=1e-10) @ f
        else:
            if abs(np.linalg.det(jac)) < 1e-300:
                break
            step = np.linalg.solve(jac, f)
        for d in range(n):
            x[d] -= step[d]
        if not np.all(np.isfinite(x)):
            break
    _probabilities(x, k, offsets, var_off, n_players, p)
    _residual(coef, eq, idx, p, n, f)
    return np.max(np.abs(f))


@jit
def _invert(A, out, work, n):
    """Inverse of the n x n matrix A into ``out`` by Gauss-Jordan elimination with
    partial pivoting, without allocating; False when a pivot vanishes."""
    for i in range(n):
        for j in range(n):
            work[i, j] = A[i, j]
            out[i, j] = 1.0 if i == j else 0.0
    scale = 0.0
    for i in range(n):
        for j in range(n):
            scale = max(scale, abs(A[i, j]))
    if scale == 0.0:
        return False
    for col in range(n):
        piv = col
        for r in range(col + 1, n):
            if abs(work[r, col]) > abs(work[piv, col]):
                piv = r
        if abs(work[piv, col]) <= 1e-13 * scale:
            return False
        if piv != col:
            for j in range(n):
                t = work[col, j]
                work[col, j] = work[piv, j]
                work[piv, j] = t
                t = out[col, j]
                out[col, j] = out[piv, j]
                out[piv, j] = t
        d = 1.0 / work[col, col]
        for j in range(n):
            work[col, j] *= d
            out[col, j] *= d
        for r in range(n):
            if r != col:
                fct = work[r, col]
                if fct != 0.0:
                    for j in range(n):
                        work[r, j] -= fct * work[col, j]
                        out[r, j] -= fct * out[col, j]
    return True


@jit
def _krawczyk(Y, yf, c, j_lo, j_hi, lo, hi, n, slack):
    """The Krawczyk test on the box [lo, hi] with centre c: ``K(X) = c - Y F(c) +
    (I - Y J(X)) (X - c)``, ``yf = Y F(c)``, J(X) enclosed by [j_lo, j_hi], ``slack[a]``
    the rounding allowed in row a. Returns (inside: K(X) in the interior of X, a unique
    root; disjoint: K(X) misses X, no root)."""
    inside = True
    disjoint = False
    for a in range(n):
        rad = slack[a]
        for b in range(n):
            # entry (a, b) of I - Y J(X) as an interval
            mlo = 1.0 if a == b else 0.0
            mhi = mlo
            for q in range(n):
                y = Y[a, q]
                if y >= 0:
                    mlo -= y * j_hi[q, b]
                    mhi -= y * j_lo[q, b]
                else:
                    mlo -= y * j_lo[q, b]
                    mhi -= y * j_hi[q, b]
            rad += max(abs(mlo), abs(mhi)) * 0.5 * (hi[b] - lo[b])
        centre = c[a] - yf[a]
        if centre - rad <= lo[a] or centre + rad >= hi[a]:
            inside = False
        if centre + rad < lo[a] or centre - rad > hi[a]:
            disjoint = True
    return inside, disjoint


@jit
def _narrow(table, n_fun, n, lo, hi, new_lo, new_hi, fmask):
    """Shrink the box to the part where every function of ``table`` can vanish.

    ``table[v, e]`` is function e at vertex v of the box. Each function is affine in
    each variable, so along variable d it is, for every vertex w of the other
    variables, the line through its values at ``lo[d]`` and ``hi[d]``. Where all those
    lines are negative (or all positive) the function cannot vanish; such a stretch
    that starts at an end of ``[lo[d], hi[d]]`` is cut off (the projection of the
    zero set, exact for the box). ``fmask[e]``: the variables function e does not
    depend on (its lines along them are flat, and its values repeat where their bits
    are set): skipped. Returns False when the box becomes empty.
    """
    for d in range(n):
        new_lo[d] = lo[d]
        new_hi[d] = hi[d]
    for d in range(n):
        bit = 1 << d
        width = hi[d] - lo[d]
        if width <= 0.0:
            continue
        for e in range(n_fun):
            if bit & fmask[e]:
                continue
            # [neg_a, neg_b]: where every line is < 0; [pos_a, pos_b]: every line > 0
            neg_a = 0.0
            neg_b = 1.0
            pos_a = 0.0
            pos_b = 1.0
            for w in range(1 << n):
                if w & bit or w & fmask[e]:
                    continue
                l0 = table[w, e]
                l1 = table[w | bit, e]
                # negative part of this line on [0, 1]
                if l0 < 0.0 and l1 < 0.0:
                    pass
                elif l0 < 0.0:
                    neg_b = min(neg_b, l0 / (l0 - l1))
                elif l1 < 0.0:
                    neg_a = max(neg_a, l0 / (l0 - l1))
                else:
                    neg_a = 2.0
                if l0 > 0.0 and l1 > 0.0:
                    pass
                elif l0 > 0.0:
                    pos_b = min(pos_b, l0 / (l0 - l1))
                elif l1 > 0.0:
                    pos_a = max(pos_a, l0 / (l0 - l1))
                else:
                    pos_a = 2.0
            # cut what starts at either end (a margin keeps roots on the edge)
            cut_lo = 0.0
            cut_hi = 1.0
            if neg_a == 0.0 and neg_b > 0.0:
                cut_lo = max(cut_lo, neg_b)
            if pos_a == 0.0 and pos_b > 0.0:
                cut_lo = max(cut_lo, pos_b)
            if neg_b == 1.0 and neg_a < 1.0:
                cut_hi = min(cut_hi, neg_a)
            if pos_b == 1.0 and pos_a < 1.0:
                cut_hi = min(cut_hi, pos_a)
            if cut_lo >= 1.0 or cut_hi <= 0.0 or cut_lo > cut_hi:
                return False
            if cut_lo > 0.0:
                new_lo[d] = max(new_lo[d], lo[d] + (cut_lo - 1e-9) * width - 1e-13)
            if cut_hi < 1.0:
                new_hi[d] = min(new_hi[d], lo[d] + (cut_hi + 1e-9) * width + 1e-13)
        if new_lo[d] > new_hi[d]:
            return False
    return True


@jit
def _solve_support(coef, eq, idx, icoef, ieq, iidx, iown, n_rows, k, offsets, var_off, n,
                   max_boxes, min_width, stats):
    """Every root of the support's system in the probability boxes.

    Returns (roots (r, n), status: 0 solved, 1 singular, 2 over budget, boxes used).
    ``stats`` counts the boxes by fate (outside the simplex, excluded by F, by an
    inequality, by the preconditioned system or by narrowing, narrowed, split, roots).
    """
    n_players = idx.shape[1]
    cap = 4 * n * n + 64
    lo_stack = np.empty((cap, n))
    hi_stack = np.empty((cap, n))
    margin = 1e-6
    for d in range(n):
        lo_stack[0, d] = -margin
        hi_stack[0, d] = 1.0 + margin
    depth = 1
    roots = np.empty((8, n))
    n_roots = 0
    x = np.empty(n)
    p = np.empty(int(offsets[-1]) + int(k[-1]))
    f = np.empty(n)
    jac = np.empty((n, n))
    f_lo = np.empty(n)
    f_hi = np.empty(n)
    j_lo = np.empty((n, n))
    j_hi = np.empty((n, n))
    status = 0
    lo = np.empty(n)
    hi = np.empty(n)
    nlo = np.empty(n)
    nhi = np.empty(n)
    ilo = np.empty(n)
    ihi = np.empty(n)
    c = np.empty(n)
    yf = np.empty(n)
    fv = np.empty((1 << n, n))
    yfv = np.empty((1 << n, n))
    part = np.empty(np.max(k))
    pv = np.empty((1 << n, len(p)))
    jc = np.empty((n, n))
    Y = np.empty((n, n))
    work = np.empty((n, n))
    ivals = np.empty((1 << n, max(n_rows, 1)))
    # each row's monomials are contiguous: row e is start[e]:start[e + 1]; its player
    # is the one whose position in idx is -1
    start = np.zeros(n + 1, dtype=np.int64)
    eq_own = np.zeros(n, dtype=np.int64)
    for r in range(len(coef)):
        start[eq[r] + 1] = r + 1
        for j in range(n_players):
            if idx[r, j] < 0:
                eq_own[eq[r]] = j
    istart = np.zeros(n_rows + 1, dtype=np.int64)
    irow_own = np.zeros(max(n_rows, 1), dtype=np.int64)
    for r in range(len(icoef)):
        istart[ieq[r] + 1] = r + 1
        irow_own[ieq[r]] = iown[r]
    var_mask = np.zeros(n_players, dtype=np.int64)
    for j in range(n_players):
        for t in range(1, k[j]):
            var_mask[j] |= 1 << (var_off[j] + t - 1)
    eq_mask = np.empty(n, dtype=np.int64)  # the variables each equation ignores
    for e in range(n):
        eq_mask[e] = var_mask[eq_own[e]]
    no_mask = np.zeros(n, dtype=np.int64)
    no_slack = np.zeros(n)
    boxes = 0
    while depth > 0:
        depth -= 1
        lo[:] = lo_stack[depth]
        hi[:] = hi_stack[depth]
        boxes += 1
        if boxes > max_boxes:
            status = 2
            break
        # outside the simplex: some player's free probabilities already exceed one
        outside = False
        for j in range(n_players):
            s = 0.0
            for t in range(1, k[j]):
                s += lo[var_off[j] + t - 1]
            if s > 1.0 + margin:
                outside = True
        if outside:
            stats[0] += 1
            continue
        excluded = False
        have_y = False
        for _round in range(6):
            _vertex_probabilities(lo, hi, n, k, offsets, var_off, n_players, x, pv)
            _box_ranges(coef, start, idx, eq_own, k, offsets, var_off, var_mask, n, pv,
                        False, f_lo, f_hi, j_lo, j_hi, fv, part)
            for e in range(n):
                if f_lo[e] > _EXCLUDE or f_hi[e] < -_EXCLUDE:
                    excluded = True
            if excluded:
                stats[1] += 1
                break
            if _violated(icoef, istart, iidx, irow_own, var_mask, n_rows, n, pv, ivals):
                excluded = True
                stats[2] += 1
                break
            # the system preconditioned by the inverse Jacobian at the centre, Y F, is
            # multilinear too and close to x - root near a root: exact ranges, narrowing
            for d in range(n):
                c[d] = 0.5 * (lo[d] + hi[d])
            _probabilities(c, k, offsets, var_off, n_players, p)
            _jacobian(coef, eq, idx, p, k, offsets, var_off, n, jac)
            jc[:, :] = jac
            have_y = _invert(jac, Y, work, n)
            if not _narrow(fv, n, n, lo, hi, nlo, nhi, eq_mask):
                excluded = True
                stats[3] += 1
                break
            if have_y:
                for v in range(1 << n):
                    for a in range(n):
                        t = 0.0
                        for e in range(n):
                            t += Y[a, e] * fv[v, e]
                        yfv[v, a] = t
                # both narrowings read the same box's vertex table: intersect them
                if not _narrow(yfv, n, n, lo, hi, ilo, ihi, no_mask):
                    excluded = True
                    stats[3] += 1
                    break
                for d in range(n):
                    nlo[d] = max(nlo[d], ilo[d])
                    nhi[d] = min(nhi[d], ihi[d])
                    if nlo[d] > nhi[d]:
                        excluded = True
                if excluded:
                    stats[3] += 1
                    break
            shrink = 0.0
            for d in range(n):
                w_old = hi[d] - lo[d]
                if w_old > 0.0:
                    shrink = max(shrink, 1.0 - (nhi[d] - nlo[d]) / w_old)
            lo[:] = nlo
            hi[:] = nhi
            if shrink < 0.4:
                break
            stats[4] += 1
        if excluded:
            continue
        width = 0.0
        split = 0
        for d in range(n):
            w = hi[d] - lo[d]
            if w > width:
                width = w
                split = d
        decided = False
        if width < _KRAWCZYK_WIDTH:
            # Krawczyk on the box inflated by a tenth of its width each side (and by
            # 1e-10: narrowing can leave a box of nearly zero width around a root)
            for d in range(n):
                w = hi[d] - lo[d]
                ilo[d] = lo[d] - 0.1 * w - 1e-10
                ihi[d] = hi[d] + 0.1 * w + 1e-10
                c[d] = 0.5 * (lo[d] + hi[d])
            _probabilities(c, k, offsets, var_off, n_players, p)
            _jacobian(coef, eq, idx, p, k, offsets, var_off, n, jac)
            jc[:, :] = jac
            if _invert(jac, Y, work, n):
                _residual(coef, eq, idx, p, n, f)
                for a in range(n):
                    t = 0.0
                    for e in range(n):
                        t += Y[a, e] * f[e]
                    yf[a] = t
                _vertex_probabilities(ilo, ihi, n, k, offsets, var_off, n_players, x, pv)
                _box_ranges(coef, start, idx, eq_own, k, offsets, var_off, var_mask, n, pv,
                            True, f_lo, f_hi, j_lo, j_hi, fv, part)
                inside, disjoint = _krawczyk(Y, yf, c, j_lo, j_hi, ilo, ihi, n, no_slack)
                if disjoint:
                    decided = True
                    stats[3] += 1
                elif inside:
                    decided = True
                    x[:] = c
                    res = _newton(coef, eq, idx, k, offsets, var_off, n, x,
                                  p, f, jac, 40, False)
                    if res < 1e-9:
                        duplicate = False
                        for r in range(n_roots):
                            if np.max(np.abs(roots[r] - x)) < 1e-9:
                                duplicate = True
                        if not duplicate:
                            if n_roots == roots.shape[0]:
                                roots = np.concatenate((roots, np.empty_like(roots)))
                            roots[n_roots] = x
                            stats[6] += 1
                            n_roots += 1
        if decided:
            continue
        if width < min_width:
            # neither excluded nor certified at the smallest width: a singular root or
            # a continuum. Report, keep the Gauss-Newton point, stop this support.
            status = 1
            for d in range(n):
                x[d] = 0.5 * (lo[d] + hi[d])
            res = _newton(coef, eq, idx, k, offsets, var_off, n, x, p, f, jac,
                          50, True)
            if res < 1e-10:
                if n_roots == roots.shape[0]:
                    roots = np.concatenate((roots, np.empty_like(roots)))
                roots[n_roots] = x
                n_roots += 1
            break
        if depth + 2 > cap:
            cap *= 2
            lo_stack = np.concatenate((lo_stack, np.empty_like(lo_stack)))
            hi_stack = np.concatenate((hi_stack, np.empty_like(hi_stack)))
        # split where the box is widest relative to the equations' sensitivity (the
        # "smear" of Kearfott 1996), the widest side when the Jacobian vanishes
        best = 0.0
        for d in range(n):
            sens = 0.0
            for e in range(n):
                sens = max(sens, abs(jc[e, d]))
            if sens * (hi[d] - lo[d]) > best:
                best = sens * (hi[d] - lo[d])
                split = d
        mid = lo[split] + 0.4999 * (hi[split] - lo[split])
        lo_stack[depth] = lo
        hi_stack[depth] = hi
        hi_stack[depth, split] = mid
        lo_stack[depth + 1] = lo
        hi_stack[depth + 1] = hi
        lo_stack[depth + 1, split] = mid
        depth += 2
        stats[5] += 1
    return roots[:n_roots], status, boxes


#: the elimination solver looks for roots on [-margin, 1 + margin] (as the box search)
_PENCIL_MARGIN = 1e-6


@jit
def _bernstein_split(b, r, left, right, work):
    """De Casteljau: the Bernstein coefficients of ``b`` on [0, r] and [r, 1]."""
    d = len(b) - 1
    for j in range(d + 1):
        work[j] = b[j]
    left[0] = work[0]
    right[d] = work[d]
    for level in range(1, d + 1):
        for j in range(d - level + 1):
            work[j] = (1.0 - r) * work[j] + r * work[j + 1]
        left[level] = work[0]
        right[d - level] = work[d - level]


@jit
def _bernstein_value(b, s, work):
    """The polynomial with Bernstein coefficients ``b`` at s (de Casteljau)."""
    d = len(b) - 1
    for j in range(d + 1):
        work[j] = b[j]
    for level in range(1, d + 1):
        for j in range(d - level + 1):
            work[j] = (1.0 - s) * work[j] + s * work[j + 1]
    return work[0]


@jit
def _bernstein_roots(b, zero):
    """Every root in (0, 1) of the polynomial with Bernstein coefficients ``b`` on
    [0, 1], isolated by Descartes' rule of signs for the Bernstein basis (no sign
    change: no root; one: exactly one, simple) and de Casteljau subdivision, then
    located by the Illinois method. Coefficients within ``zero`` of zero count as of
    unknown sign (as the box search never excludes a box where an equation comes
    within 1e-12 of zero). Returns (roots, count); count -1 when a root cannot be
    isolated (a piece's end within ``zero`` of zero, or sign changes left on a piece
    narrower than 1e-9: a multiple root, a tangency or a cluster)."""
    d = len(b) - 1
    roots = np.empty(d + 1)
    n_roots = 0
    cap = 40  # depth-first: one piece per level (2^-30 < 1e-9) plus siblings
    stack = np.empty((cap, d + 1))
    ends = np.empty((cap, 2))
    stack[0] = b
    ends[0, 0] = 0.0
    ends[0, 1] = 1.0
    depth = 1
    left = np.empty(d + 1)
    right = np.empty(d + 1)
    work = np.empty(d + 1)
    while depth > 0:
        depth -= 1
        coeffs = stack[depth].copy()
        s0 = ends[depth, 0]
        s1 = ends[depth, 1]
        if abs(coeffs[0]) <= zero or abs(coeffs[d]) <= zero:
            return roots, -1
        changes = 0
        last = coeffs[0]
        for j in range(1, d + 1):
            if abs(coeffs[j]) <= zero:
                # a coefficient within rounding of zero: its sign is unknown, so the
                # count is not trusted (the piece is split; a tangency ends in -1)
                changes = 2
                break
            if (coeffs[j] > 0.0) != (last > 0.0):
                changes += 1
            last = coeffs[j]
        if changes == 0:
            continue
        if changes == 1:
            # the one simple root: Illinois (regula falsi that halves the weight of a
            # retained end), superlinear and bracketed
            lo = 0.0
            hi = 1.0
            f_lo = coeffs[0]
            f_hi = coeffs[d]
            side = 0
            mid = 0.5
            for _ in range(100):
                previous = mid
                mid = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
                if not lo < mid < hi:
                    mid = 0.5 * (lo + hi)
                f_mid = _bernstein_value(coeffs, mid, work)
                if f_mid == 0.0 or abs(mid - previous) < 1e-15:
                    break
                if (f_mid > 0.0) == (f_lo > 0.0):
                    lo = mid
                    f_lo = f_mid
                    if side == -1:
                        f_hi *= 0.5
                    side = -1
                else:
                    hi = mid
                    f_hi = f_mid
                    if side == 1:
                        f_lo *= 0.5
                    side = 1
                if hi - lo < 1e-15:
                    break
            if n_roots == d + 1:
                return roots, -1
            roots[n_roots] = s0 + (s1 - s0) * mid
            n_roots += 1
            continue
        if s1 - s0 < 1e-9:
            return roots, -1
        if depth + 2 > cap:
            return roots, -1
        _bernstein_split(coeffs, 0.4999, left, right, work)
        sm = s0 + 0.4999 * (s1 - s0)
        stack[depth] = left
        ends[depth, 0] = s0
        ends[depth, 1] = sm
        stack[depth + 1] = right
        ends[depth + 1, 0] = sm
        ends[depth + 1, 1] = s1
        depth += 2
    return roots, n_roots


@jit
def _collocation(dmax):
    """For each degree d <= dmax: Chebyshev nodes on [0, 1] (``nodes[d, :d + 1]``) and
    the matrix taking a polynomial's values there to its Bernstein coefficients
    (``inverse[d, :d + 1, :d + 1]``)."""
    nodes = np.zeros((dmax + 1, dmax + 1))
    inverse = np.zeros((dmax + 1, dmax + 1, dmax + 1))
    for d in range(dmax + 1):
        B = np.empty((d + 1, d + 1))
        for i in range(d + 1):
            sn = 0.5 * (1.0 - np.cos(np.pi * (i + 0.5) / (d + 1)))
            nodes[d, i] = sn
            binom = 1.0
            for j in range(d + 1):
                B[i, j] = binom * sn ** j * (1.0 - sn) ** (d - j)
                binom = binom * (d - j) / (j + 1)
        out = np.empty((d + 1, d + 1))
        _invert(B, out, np.empty((d + 1, d + 1)), d + 1)
        inverse[d, :d + 1, :d + 1] = out
    return nodes, inverse


@jit
def _pencil_player(k, n_players):
    """In a three-player support, a player ``c`` mixing over at most three actions
    whose opponents mix over the same number ``K`` of actions (``K >= 2``; ``K = 3``
    when c mixes over three), the one with the fewest actions (see
    :func:`_pencil_roots`); -1 if there is none."""
    if n_players != 3:
        return -1
    best = -1
    for c in range(3):
        a = (c + 1) % 3
        b = (c + 2) % 3
        # (c mixing over three actions: only against three each, where the plane search
        # beats the box search; against pairs or fours the box search is faster)
        if k[c] <= 3 and k[a] == k[b] and k[a] >= 2 and (k[c] < 3 or k[a] == 3) \
                and (best < 0 or k[c] < k[best]):
            best = c
    return best


@jit
def _pencil_matrix(U, strides, sup, i, j, c, K, pc, out):
    """Player ``i``'s indifference rows as a (K-1) x K matrix acting on player ``j``'s
    support probabilities, with player ``c`` at ``pc`` (on c's support)."""
    for t in range(1, K):
        for s in range(K):
            val = 0.0
            for sc in range(len(pc)):
                base = strides[j] * sup[j, s] + strides[c] * sup[c, sc]
                val += pc[sc] * (U[i, base + strides[i] * sup[i, t]]
                                 - U[i, base + strides[i] * sup[i, 0]])
            out[t - 1, s] = val


@jit
def _null_vector(M, K, out, minor):
    """The generalised cross product of the K-1 rows of M: ``out[s] = (-1)^s`` times
    the minor without column s; it spans the null space when M has full rank and is
    zero when it has not. Returns its max-norm."""
    norm = 0.0
    for s in range(K):
        if K == 2:
            d = M[0, 1 - s]
        elif K == 3:
            c0 = 1 if s == 0 else 0
            c1 = 1 if s == 2 else 2
            d = M[0, c0] * M[1, c1] - M[0, c1] * M[1, c0]
        else:
            for r in range(K - 1):
                q = 0
                for col in range(K):
                    if col != s:
                        minor[r, q] = M[r, col]
                        q += 1
            d = np.linalg.det(minor)
        out[s] = d if s % 2 == 0 else -d
        norm = max(norm, abs(out[s]))
    return norm


@jit
def _bern2_value(B, rows, cols, u1, u2, row, work):
    """The bivariate polynomial with tensor Bernstein coefficients ``B[:rows, :cols]``
    on the unit square at (u1, u2)."""
    for i in range(rows):
        row[i] = _bernstein_value(B[i, :cols], u2, work)
    return _bernstein_value(row[:rows], u1, work)


@jit
def _bern2_split(B, d, axis, r, left, right, line, lo_line, hi_line, work):
    """De Casteljau along ``axis`` of a (d+1) x (d+1) tensor: the coefficients on the
    two halves of the square cut at r."""
    for q in range(d + 1):
        for t in range(d + 1):
            line[t] = B[t, q] if axis == 0 else B[q, t]
        _bernstein_split(line, r, lo_line, hi_line, work)
        for t in range(d + 1):
            if axis == 0:
                left[t, q] = lo_line[t]
                right[t, q] = hi_line[t]
            else:
                left[q, t] = lo_line[t]
                right[q, t] = hi_line[t]


@jit
def _clip_interval(B, d, axis, cmin, cmax):
    """Where along ``axis`` (on [0, 1]) the polynomial with tensor Bernstein
    coefficients B can vanish: the convex hull of its control points, projected on
    that axis and the value, meets zero only there (the projected polyhedron of
    Sherbrooke & Patrikalakis 1993). Returns (lo, hi); lo > hi when nowhere."""
    for i in range(d + 1):
        mi = np.inf
        ma = -np.inf
        for j in range(d + 1):
            val = B[i, j] if axis == 0 else B[j, i]
            mi = min(mi, val)
            ma = max(ma, val)
        cmin[i] = mi
        cmax[i] = ma
    lo = np.inf
    hi = -np.inf
    for i in range(d + 1):
        ui = i / d
        if cmin[i] <= 0.0 <= cmax[i]:
            lo = min(lo, ui)
            hi = max(hi, ui)
        for r in range(d + 1):
            if r == i:
                continue
            # segments from a point of column i at or below zero to one of column r
            # at or above: their crossings span [u(t_min), u(t_max)]
            if cmin[i] < 0.0 and cmax[r] > 0.0:
                y_near = min(cmax[i], 0.0)
                y_far = max(cmin[r], 0.0)
                t_min = -y_near / (cmax[r] - y_near)
                t_max = -cmin[i] / (y_far - cmin[i])
                ur = r / d
                for t in (t_min, t_max):
                    u = ui + (ur - ui) * t
                    lo = min(lo, u)
                    hi = max(hi, u)
    return lo, hi


@jit
def _plane_roots(U, strides, sup, k, var_off, coef, eq, idx, offsets, n, nodes,
                 collocation, c, max_boxes):
    """:func:`_pencil_roots` when player c mixes over three actions: with c at
    ``(1 - t1 - t2, t1, t2)`` the others' probabilities are the null vectors v, w of
    ``M_a(t)``, ``M_b(t)`` as before and c's two equations become bivariate polynomials
    ``g_q(t) = w' D_q v`` of degree <= 2(K-1) in each variable. Their common roots in
    the simplex are found by subdivision of the square in the tensor Bernstein basis:
    a box is dropped when either polynomial's coefficients there have one strict sign,
    when it lies outside the simplex, or when some ``v_s sum(v)`` (``w_s sum(w)``) is
    negative throughout it (a probability of b (a) below -1e-6 everywhere); it is
    clipped to where both polynomials can vanish (the projected polyhedron) and
    certified to hold exactly one root by the Krawczyk operator with the Jacobian
    enclosed by the derivatives' Bernstein coefficients. A box still undecided below
    width 1e-8 (a singular root or a curve of them), a search over ``max_boxes``, or a
    rank drop where the dropped player's probabilities could solve the system
    (:func:`_rank_drop_consistent`) sends the support back to the box search.
    """
    empty = np.empty((0, n))
    a = (c + 1) % 3
    b = (c + 2) % 3
    K = k[a]
    d = 2 * (K - 1)
    m = _PENCIL_MARGIN
    span = 1.0 + 2.0 * m
    Ma, Mb, minor, v, w = _elimination_workspace(K)
    pc = np.empty(3)
    D = _c_differences(U, strides, sup, a, b, c, K, 3)
    gq = np.empty(2)
    mag = np.empty(2)
    # values at the tensor grid of Chebyshev nodes, then Bernstein coefficients
    # polynomials 0, 1: c's equations; 2 .. K+1: v_s sum(v) (the sign of b's
    # probability s); K+2 .. 2K+1: w_s sum(w) (a's)
    n_poly = 2 + 2 * K
    G = np.empty((n_poly, d + 1, d + 1))
    vscale = 0.0
    wscale = 0.0
    gscale = np.zeros(2)
    sigma2 = 0.0
    for i in range(d + 1):
        for j in range(d + 1):
            pc[1] = -m + span * nodes[d, i]
            pc[2] = -m + span * nodes[d, j]
            pc[0] = 1.0 - pc[1] - pc[2]
            nv, nw = _eliminated_at(U, strides, sup, a, b, c, K, pc, D, Ma, Mb, minor,
                                    v, w, gq, mag)
            vscale = max(vscale, nv)
            wscale = max(wscale, nw)
            sv = 0.0
            sw = 0.0
            for t in range(K):
                sv += v[t]
                sw += w[t]
            sigma2 = max(sigma2, sv * sv, sw * sw)
            for t in range(K):
                G[2 + t, i, j] = v[t] * sv
                G[2 + K + t, i, j] = w[t] * sw
            for q in range(2):
                G[q, i, j] = gq[q]
                gscale[q] = max(gscale[q], mag[q])
    cap = 160
    stack = np.zeros((cap, n_poly, d + 1, d + 1))
    box = np.empty((cap, 4))  # s1 lo, s1 hi, s2 lo, s2 hi on the unit square
    zero = np.empty(2)
    for q in range(2):
        if gscale[q] == 0.0 or np.max(np.abs(G[q])) <= 1e-11 * gscale[q]:
            return empty, False  # an equation vanishes identically
    # a box where some v_s sum(v) stays below this has b's probability s below -1e-6
    # throughout (p_s = v_s sum(v) / sum(v)^2 and sum(v)^2 <= sigma2): no root of use
    negative = -1e-6 * sigma2
    for q in range(n_poly):
        for i in range(d + 1):  # C G C' with C the collocation inverse
            for j in range(d + 1):
                t = 0.0
                for r in range(d + 1):
                    for u in range(d + 1):
                        t += collocation[d, i, r] * G[q, r, u] * collocation[d, j, u]
                stack[0, q, i, j] = t
        if q < 2:
            zero[q] = 1e-12 * np.max(np.abs(stack[0, q]))
    box[0, 0] = 0.0
    box[0, 1] = 1.0
    box[0, 2] = 0.0
    box[0, 3] = 1.0
    depth = 1
    found = np.empty((8, 3))
    n_found = 0
    row = np.empty(d + 1)
    work = np.empty(d + 1)
    line = np.empty(d + 1)
    lo_line = np.empty(d + 1)
    hi_line = np.empty(d + 1)
    left = np.empty((d + 1, d + 1))
    right = np.empty((d + 1, d + 1))
    cmin = np.empty(d + 1)
    cmax = np.empty(d + 1)
    D1 = np.empty((2, d + 1, d + 1))  # derivative coefficients (d x (d+1), (d+1) x d)
    D2 = np.empty((2, d + 1, d + 1))
    J_lo = np.empty((2, 2))
    J_hi = np.empty((2, 2))
    Jc = np.empty((2, 2))
    gc = np.empty(2)
    Y2 = np.empty((2, 2))
    yf2 = np.empty(2)
    slack2 = np.empty(2)
    cen = np.empty(2)
    lo_x = np.empty(2)
    hi_x = np.empty(2)
    boxes = 0
    while depth > 0:
        depth -= 1
        boxes += 1
        if boxes > max_boxes:
            return empty, False
        B = stack[depth]
        s1lo = box[depth, 0]
        s1hi = box[depth, 1]
        s2lo = box[depth, 2]
        s2hi = box[depth, 3]
        # outside the simplex t1 + t2 <= 1 (with the margin)
        if (-m + span * s1lo) + (-m + span * s2lo) > 1.0 + m:
            continue
        excluded = False
        for q in range(2):
            pos = True
            neg = True
            for i in range(d + 1):
                for j in range(d + 1):
                    if B[q, i, j] <= zero[q]:
                        pos = False
                    if B[q, i, j] >= -zero[q]:
                        neg = False
            if pos or neg:
                excluded = True
        for q in range(2, n_poly):
            if excluded:
                break
            excluded = True
            for i in range(d + 1):
                for j in range(d + 1):
                    if B[q, i, j] >= negative:
                        excluded = False
        if excluded:
            continue
        # clip the box to where both equations can vanish; a box that shrinks by a
        # third or more goes back on the stack as it is now
        clipped = False
        for axis in range(2):
            lo_c = 0.0
            hi_c = 1.0
            for q in range(2):
                cl, ch = _clip_interval(B[q], d, axis, cmin, cmax)
                lo_c = max(lo_c, cl - 1e-12)
                hi_c = min(hi_c, ch + 1e-12)
            if lo_c > hi_c:
                excluded = True
                break
            w_old = box[depth, 2 * axis + 1] - box[depth, 2 * axis]
            if hi_c - lo_c < 0.67 and (hi_c - lo_c) * w_old > 1e-9:
                for q in range(n_poly):
                    _bern2_split(B[q], d, axis, hi_c, left, right, line, lo_line, hi_line,
                                 work)
                    if hi_c > 0.0:
                        _bern2_split(left, d, axis, lo_c / hi_c, right, B[q], line,
                                     lo_line, hi_line, work)
                    else:
                        B[q, :, :] = left
                start = box[depth, 2 * axis]
                box[depth, 2 * axis] = start + lo_c * w_old
                box[depth, 2 * axis + 1] = start + hi_c * w_old
                clipped = True
        if excluded:
            continue
        if clipped:
            depth += 1
            continue
        w1 = s1hi - s1lo
        w2 = s2hi - s2lo
        # derivative enclosures (by the global coordinates s) and values at the centre
        for q in range(2):
            for i in range(d):
                for j in range(d + 1):
                    D1[q, i, j] = d * (B[q, i + 1, j] - B[q, i, j]) / w1
                    D2[q, j, i] = d * (B[q, j, i + 1] - B[q, j, i]) / w2
            lo1 = np.inf
            hi1 = -np.inf
            lo2 = np.inf
            hi2 = -np.inf
            for i in range(d):
                for j in range(d + 1):
                    lo1 = min(lo1, D1[q, i, j])
                    hi1 = max(hi1, D1[q, i, j])
                    lo2 = min(lo2, D2[q, j, i])
                    hi2 = max(hi2, D2[q, j, i])
            J_lo[q, 0] = lo1
            J_hi[q, 0] = hi1
            J_lo[q, 1] = lo2
            J_hi[q, 1] = hi2
            gc[q] = _bern2_value(B[q], d + 1, d + 1, 0.5, 0.5, row, work)
            Jc[q, 0] = _bern2_value(D1[q], d, d + 1, 0.5, 0.5, row, work)
            Jc[q, 1] = _bern2_value(D2[q], d + 1, d, 0.5, 0.5, row, work)
        det = Jc[0, 0] * Jc[1, 1] - Jc[0, 1] * Jc[1, 0]
        scale_j = abs(Jc[0, 0] * Jc[1, 1]) + abs(Jc[0, 1] * Jc[1, 0])
        if max(w1, w2) < 0.25 and abs(det) > 1e-13 * scale_j:
            # Krawczyk, with the rounding in the centre values magnified by Y (large
            # near a singular root, where it must not fake a certificate either way)
            Y2[0, 0] = Jc[1, 1] / det
            Y2[0, 1] = -Jc[0, 1] / det
            Y2[1, 0] = -Jc[1, 0] / det
            Y2[1, 1] = Jc[0, 0] / det
            for r in range(2):
                yf2[r] = Y2[r, 0] * gc[0] + Y2[r, 1] * gc[1]
                slack2[r] = abs(Y2[r, 0]) * zero[0] + abs(Y2[r, 1]) * zero[1]
            cen[0] = 0.5 * (s1lo + s1hi)
            cen[1] = 0.5 * (s2lo + s2hi)
            lo_x[0] = s1lo
            lo_x[1] = s2lo
            hi_x[0] = s1hi
            hi_x[1] = s2hi
            inside, disjoint = _krawczyk(Y2, yf2, cen, J_lo, J_hi, lo_x, hi_x, 2, slack2)
            if disjoint:
                continue
            if inside:
                # the unique root: Newton on the square from the centre, in the box
                u1 = 0.5
                u2 = 0.5
                for _ in range(30):
                    f0 = _bern2_value(B[0], d + 1, d + 1, u1, u2, row, work)
                    f1 = _bern2_value(B[1], d + 1, d + 1, u1, u2, row, work)
                    a00 = _bern2_value(D1[0], d, d + 1, u1, u2, row, work) * w1
                    a01 = _bern2_value(D2[0], d + 1, d, u1, u2, row, work) * w2
                    a10 = _bern2_value(D1[1], d, d + 1, u1, u2, row, work) * w1
                    a11 = _bern2_value(D2[1], d + 1, d, u1, u2, row, work) * w2
                    dt = a00 * a11 - a01 * a10
                    if dt == 0.0:
                        break
                    step1 = (a11 * f0 - a01 * f1) / dt
                    step2 = (a00 * f1 - a10 * f0) / dt
                    u1 -= step1
                    u2 -= step2
                    if abs(step1) * w1 + abs(step2) * w2 < 1e-16:
                        break
                t1 = -m + span * (s1lo + w1 * u1)
                t2 = -m + span * (s2lo + w2 * u2)
                duplicate = False
                for r in range(n_found):
                    if abs(found[r, 1] - t1) < 1e-10 and abs(found[r, 2] - t2) < 1e-10:
                        duplicate = True
                if not duplicate:
                    if n_found == found.shape[0]:
                        found = np.concatenate((found, np.empty_like(found)))
                    found[n_found, 0] = 1.0 - t1 - t2
                    found[n_found, 1] = t1
                    found[n_found, 2] = t2
                    n_found += 1
                continue
        if max(w1, w2) < 1e-8 or depth + 2 > cap:
            return empty, False  # a singular root or a curve of roots
        # split where the polynomials vary most over the box (the "smear"), but never
        # a side a hundred times narrower than the other
        smear1 = w1 * max(abs(J_lo[0, 0]), abs(J_hi[0, 0]), abs(J_lo[1, 0]), abs(J_hi[1, 0]))
        smear2 = w2 * max(abs(J_lo[0, 1]), abs(J_hi[0, 1]), abs(J_lo[1, 1]), abs(J_hi[1, 1]))
        axis = 0 if smear1 >= smear2 else 1
        if w1 < 0.01 * w2:
            axis = 1
        elif w2 < 0.01 * w1:
            axis = 0
        for q in range(n_poly):
            _bern2_split(B[q], d, axis, 0.4999, left, right, line, lo_line, hi_line, work)
            stack[depth, q] = left
            stack[depth + 1, q] = right
        lo_t = box[depth, 2 * axis]
        hi_t = box[depth, 2 * axis + 1]
        cut = lo_t + 0.4999 * (hi_t - lo_t)
        box[depth + 1, 0] = s1lo
        box[depth + 1, 1] = s1hi
        box[depth + 1, 2] = s2lo
        box[depth + 1, 3] = s2hi
        box[depth, 2 * axis + 1] = cut
        box[depth + 1, 2 * axis] = cut
        depth += 2
    return _pencil_points(U, strides, sup, k, var_off, coef, eq, idx, offsets, n, a, b, c,
                          found[:n_found], vscale, wscale)


@jit
def _pencil_roots(U, strides, sup, k, var_off, coef, eq, idx, offsets, n, nodes,
                  collocation, max_boxes):
    """Every root of a three-player support system by elimination, or ``ok=False``
    when the shortcut does not apply or the system is degenerate (the caller then
    runs the box search, which also reports singular supports).

    With player c at ``(1 - tau, tau)``, player a's equations are linear in player
    b's probabilities and b's in a's: ``M_a(tau) p_b = 0``, ``M_b(tau) p_a = 0``, each
    (K-1) x K with entries affine in tau. Where ``M_a(tau)`` has full rank its null
    space is spanned by ``v(tau)`` (signed maximal minors, degree <= K-1), so
    ``p_b = v / sum(v)`` and likewise ``p_a = w / sum(w)``; player c's equation
    becomes the polynomial ``g(tau) = w(tau)' D_c v(tau)`` of degree <= 2(K-1),
    interpolated at Chebyshev nodes in the Bernstein basis, whose real roots are
    isolated by Descartes' rule and subdivision (:func:`_bernstein_roots`: each one
    found is simple, hence a regular root of the system). A rank drop makes ``v`` or
    ``w`` vanish and so is a root of g; it, a polynomial that vanishes identically
    and a root that cannot be isolated (a multiple one: singular) all send the
    support back to the box search. Each root is polished by Newton's method on the
    full system. Roots closer together than about 1e-9 (where floating point cannot
    tell a simple pair from a double root) are beyond either method.
    """
    c = _pencil_player(k, 3)
    empty = np.empty((0, n))
    if c < 0 or 2 * (k[(c + 1) % 3] - 1) >= nodes.shape[0]:
        return empty, False
    if k[c] == 3:
        return _plane_roots(U, strides, sup, k, var_off, coef, eq, idx, offsets, n, nodes,
                            collocation, c, max_boxes)
    a = (c + 1) % 3
    b = (c + 2) % 3
    K = k[a]
    kc = k[c]
    Ma, Mb, minor, v, w = _elimination_workspace(K)
    pc = np.ones(kc)
    D = _c_differences(U, strides, sup, a, b, c, K, kc)
    gq = np.empty(1)
    mag = np.empty(1)
    taus = np.empty(2 * K + 1)
    n_tau = 0
    if kc == 1:
        taus[0] = 0.0
        n_tau = 1
        _pencil_matrix(U, strides, sup, a, b, c, K, pc, Ma)
        _pencil_matrix(U, strides, sup, b, a, c, K, pc, Mb)
        ma = np.max(np.abs(Ma))
        mb = np.max(np.abs(Mb))
        vscale = ma ** (K - 1)
        wscale = mb ** (K - 1)
    else:
        # g on [-margin, 1 + margin] in the Bernstein basis, from its values at the
        # Chebyshev nodes of :func:`_collocation`
        d = 2 * (K - 1)
        span = 1.0 + 2.0 * _PENCIL_MARGIN
        g = np.empty(d + 1)
        vscale = 0.0
        wscale = 0.0
        gscale = 0.0
        for i in range(d + 1):
            pc[1] = -_PENCIL_MARGIN + span * nodes[d, i]
            pc[0] = 1.0 - pc[1]
            nv, nw = _eliminated_at(U, strides, sup, a, b, c, K, pc, D, Ma, Mb, minor,
                                    v, w, gq, mag)
            vscale = max(vscale, nv)
            wscale = max(wscale, nw)
            g[i] = gq[0]
            gscale = max(gscale, mag[0])
        if gscale == 0.0 or np.max(np.abs(g)) <= 1e-11 * gscale:
            return empty, False  # g vanishes identically: a continuum, or M's rank drops
        bern = np.zeros(d + 1)
        for j in range(d + 1):
            for i in range(d + 1):
                bern[j] += collocation[d, j, i] * g[i]
        found, n_found = _bernstein_roots(bern, 1e-12 * np.max(np.abs(bern)))
        if n_found < 0:
            return empty, False  # a multiple or clustered root: singular
        for r in range(n_found):
            taus[n_tau] = -_PENCIL_MARGIN + span * found[r]
            n_tau += 1
    pcs = np.empty((n_tau, kc))
    for r in range(n_tau):
        pcs[r, 0] = 1.0 - taus[r]
        if kc == 2:
            pcs[r, 1] = taus[r]
    return _pencil_points(U, strides, sup, k, var_off, coef, eq, idx, offsets, n, a, b, c,
                          pcs, vscale, wscale)


@jit
def _c_differences(U, strides, sup, a, b, c, K, kc):
    """``D[q, sa, sb]``: player c's payoff from its support action q + 1 minus from its
    first, at a's and b's support actions sa, sb (c's equations are ``w' D[q] v``)."""
    D = np.zeros((kc - 1, K, K))
    for q in range(kc - 1):
        for sa in range(K):
            for sb in range(K):
                base = strides[a] * sup[a, sa] + strides[b] * sup[b, sb]
                D[q, sa, sb] = (U[c, base + strides[c] * sup[c, q + 1]]
                                - U[c, base + strides[c] * sup[c, 0]])
    return D


@jit
def _elimination_workspace(K):
    """Arrays for :func:`_eliminated_at`: the two (K-1) x K matrices, a minor, the two
    null vectors."""
    return (np.empty((K - 1, K)), np.empty((K - 1, K)), np.empty((K - 1, K - 1)),
            np.empty(K), np.empty(K))


@jit
def _eliminated_at(U, strides, sup, a, b, c, K, pc, D, Ma, Mb, minor, v, w, g, mag):
    """At player c's strategy ``pc``: the null vectors v (of ``M_a``, b's strategy up to
    scale) and w (of ``M_b``, a's), c's equations ``g[q] = w' D[q] v`` with the sums of
    their terms' magnitudes ``mag[q]``. Returns the null vectors' max-norms."""
    _pencil_matrix(U, strides, sup, a, b, c, K, pc, Ma)
    _pencil_matrix(U, strides, sup, b, a, c, K, pc, Mb)
    nv = _null_vector(Ma, K, v, minor)
    nw = _null_vector(Mb, K, w, minor)
    for q in range(D.shape[0]):
        gi = 0.0
        size = 0.0
        for sa in range(K):
            for sb in range(K):
                term = w[sa] * D[q, sa, sb] * v[sb]
                gi += term
                size += abs(term)
        g[q] = gi
        mag[q] = size
    return nv, nw


@jit
def _rank_drop_consistent(U, strides, sup, a, b, c, K, Ma, Mb, v, w, drop_v):
    """At a point where player a's matrix loses rank (``drop_v``; else b's), whether
    some probability vector of b (else a) solves its own rows, sums to one and makes
    player c indifferent against the other player's determined strategy: the least
    squares residual of those K + 2 equations in K unknowns, relative to their size."""
    if drop_v:
        M = Ma
        other = w  # player a's strategy is determined
        i = a
        j = b
    else:
        M = Mb
        other = v
        i = b
        j = a
    so = 0.0
    for s in range(K):
        so += other[s]
    if so == 0.0:
        return True
    rows = K + 2
    A = np.zeros((rows, K))
    rhs = np.zeros(rows)
    for t in range(K - 1):
        for s in range(K):
            A[t, s] = M[t, s]
    for s in range(K):
        A[K - 1, s] = 1.0
    rhs[K - 1] = 1.0
    for q in range(2):
        for s in range(K):
            val = 0.0
            for r in range(K):
                base = strides[i] * sup[i, r] + strides[j] * sup[j, s]
                val += other[r] / so * (U[c, base + strides[c] * sup[c, q + 1]]
                                        - U[c, base + strides[c] * sup[c, 0]])
            A[K + q, s] = val
    # least squares by the normal equations (K x K; this only asks whether the
    # residual vanishes), without LAPACK's lstsq, which is slow to compile
    AtA = A.T @ A
    inverse = np.empty((K, K))
    if not _invert(np.ascontiguousarray(AtA), inverse, np.empty((K, K)), K):
        return True  # undetermined: let the box search decide
    sol = inverse @ (A.T @ rhs)
    residual = 0.0
    size = 0.0
    for t in range(rows):
        acc = -rhs[t]
        for s in range(K):
            acc += A[t, s] * sol[s]
            size = max(size, abs(A[t, s]))
        residual = max(residual, abs(acc))
    return residual <= 1e-9 * max(size, 1e-300) * max(1.0, np.max(np.abs(sol)))


@jit
def _pencil_points(U, strides, sup, k, var_off, coef, eq, idx, offsets, n, a, b, c, pcs,
                   vscale, wscale):
    """The support's roots from player c's strategies ``pcs`` at the roots of the
    eliminated system (:func:`_pencil_roots`): the others' probabilities from the null
    vectors, polished by Newton's method on the full system. ``ok=False`` at a rank
    drop (the probabilities are not determined there) or when Newton fails."""
    K = k[a]
    kc = k[c]
    Ma, Mb, minor, v, w = _elimination_workspace(K)
    out = np.empty((pcs.shape[0], n))
    n_out = 0
    x = np.empty(n)
    p = np.empty(int(offsets[-1]) + int(k[-1]))
    f = np.empty(n)
    jac = np.empty((n, n))
    for r in range(pcs.shape[0]):
        pc = pcs[r]
        _pencil_matrix(U, strides, sup, a, b, c, K, pc, Ma)
        _pencil_matrix(U, strides, sup, b, a, c, K, pc, Mb)
        nv = _null_vector(Ma, K, v, minor)
        nw = _null_vector(Mb, K, w, minor)
        if vscale == 0.0 or wscale == 0.0:
            return out[:0], False
        drop_v = nv <= 1e-9 * vscale
        drop_w = nw <= 1e-9 * wscale
        if drop_v or drop_w:
            # a rank drop: a root of the eliminated system whatever the probabilities.
            # With c mixing over three actions it is generically no root of the game's
            # system (the dropped player's probabilities must satisfy K + 1 independent
            # linear equations); otherwise, or if they can, the box search decides.
            if kc != 3 or (drop_v and drop_w) or _rank_drop_consistent(
                    U, strides, sup, a, b, c, K, Ma, Mb, v, w, drop_v):
                return out[:0], False
            continue
        sv = 0.0
        sw = 0.0
        for s in range(K):
            sv += v[s]
            sw += w[s]
        if abs(sv) <= 1e-12 * nv or abs(sw) <= 1e-12 * nw:
            continue  # null vectors summing to zero: no probability vector
        probable = True
        for s in range(K):
            if v[s] / sv < -1e-4 or v[s] / sv > 1.0 + 1e-4:
                probable = False
            if w[s] / sw < -1e-4 or w[s] / sw > 1.0 + 1e-4:
                probable = False
        if not probable:
            continue
        for t in range(1, K):
            x[var_off[a] + t - 1] = w[t] / sw
            x[var_off[b] + t - 1] = v[t] / sv
        for t in range(1, kc):
            x[var_off[c] + t - 1] = pc[t]
        res = _newton(coef, eq, idx, k, offsets, var_off, n, x, p, f, jac, 20, False)
        if not res < 1e-9:
            return out[:0], False
        out[n_out] = x
        n_out += 1
    return out[:n_out], True


@jit
def _equilibrium_check(U, strides, m, sup, k, offsets, p, n_players, tol):
    """Largest gain of an action outside its player's support over the support's
    first action, against the others' mixed strategies ``p`` (on their supports)."""
    worst = -np.inf
    choice = np.zeros(n_players, dtype=np.int64)
    for i in range(n_players):
        payoff = np.zeros(m[i])
        for j in range(n_players):
            choice[j] = 0
        while True:
            w = 1.0
            for j in range(n_players):
                if j != i:
                    w *= p[offsets[j] + choice[j]]
            base = _profile_index(strides, choice, sup, n_players) - strides[i] * sup[i, 0]
            for b in range(m[i]):
                payoff[b] += w * U[i, base + strides[i] * b]
            if not _next_choice(choice, k, i):
                break
        ref = payoff[sup[i, 0]]
        for b in range(m[i]):
            gain = payoff[b] - ref
            if gain > worst:
                worst = gain
    return worst


@jit
def enumerate_supports(U, m, max_boxes, min_width, tol, pencil):
    """Candidate equilibria of the game ``U`` (shape (n_players, prod m), each player's
    payoffs scaled to [0, 1], C order over the action axes).

    Returns
    -------
    candidates : (c, sum m) float array, every player's full mixed strategy
    origin : (c,) int array, the status of the support each candidate came from
    flagged : (f, n_players + 1) int array, support masks and status (1 singular,
        2 over budget)
    examined : number of support profiles whose equations were solved
    boxes : total boxes examined

    ``pencil``: solve the three-player supports that allow it by elimination
    (:func:`_pencil_roots`) instead of the box search (tests compare the two).
    """
    n_players = len(m)
    strides = np.empty(n_players, dtype=np.int64)
    s = 1
    for j in range(n_players - 1, -1, -1):
        strides[j] = s
        s *= m[j]
    total_actions = 0
    for j in range(n_players):
        total_actions += m[j]
    mmax = np.max(m)
    masks = np.ones(n_players, dtype=np.int64)
    sup = np.zeros((n_players, mmax), dtype=np.int64)
    k = np.zeros(n_players, dtype=np.int64)
    offsets = np.zeros(n_players, dtype=np.int64)
    var_off = np.zeros(n_players, dtype=np.int64)
    candidates = np.empty((16, total_actions))
    origin = np.empty(16, dtype=np.int64)
    n_cand = 0
    flagged = np.empty((16, n_players + 1), dtype=np.int64)
    n_flag = 0
    examined = 0
    boxes = 0
    stats = np.zeros(8, dtype=np.int64)
    # Bernstein collocation for the elimination solver's polynomials (degree <= 2(K-1),
    # at most 16 here: larger supports go to the box search)
    nodes, collocation = _collocation(min(2 * (mmax - 1), 16))
    full_off = np.zeros(n_players, dtype=np.int64)
    for j in range(1, n_players):
        full_off[j] = full_off[j - 1] + m[j - 1]
    while True:
        # the support profile of the current masks
        off = 0
        voff = 0
        for j in range(n_players):
            c = 0
            for a in range(m[j]):
                if (masks[j] >> a) & 1:
                    sup[j, c] = a
                    c += 1
            k[j] = c
            offsets[j] = off
            var_off[j] = voff
            off += c
            voff += c - 1
        n = voff
        if not _dominated(U, strides, m, sup, k, n_players, tol):
            examined += 1
            p = np.empty(off)
            if n == 0:
                roots = np.zeros((1, 0))
                status = 0
            else:
                coef, eq, idx = _monomials(U, strides, sup, k, offsets, n_players)
                solved = False
                if pencil and _pencil_player(k, n_players) >= 0:
                    roots, solved = _pencil_roots(U, strides, sup, k, var_off, coef, eq,
                                                  idx, offsets, n, nodes, collocation,
                                                  max_boxes)
                    status = 0
                    if solved:
                        stats[7] += 1
                if not solved:
                    icoef, ieq, iidx, iown, n_rows = _inequalities(U, strides, m, sup, k,
                                                                   offsets, n_players)
                    roots, status, used = _solve_support(coef, eq, idx, icoef, ieq, iidx,
                                                         iown, n_rows, k, offsets, var_off,
                                                         n, max_boxes, min_width, stats)
                    boxes += used
            if status != 0:
                if n_flag == flagged.shape[0]:
                    flagged = np.concatenate((flagged, np.empty_like(flagged)))
                for j in range(n_players):
                    flagged[n_flag, j] = masks[j]
                flagged[n_flag, n_players] = status
                n_flag += 1
            for r in range(roots.shape[0]):
                _probabilities(roots[r], k, offsets, var_off, n_players, p)
                if np.min(p) < -1e-9:
                    continue
                for g in range(off):
                    if p[g] < 0.0:
                        p[g] = 0.0
                if _equilibrium_check(U, strides, m, sup, k, offsets, p, n_players,
                                      tol) > tol:
                    continue
                if n_cand == candidates.shape[0]:
                    candidates = np.concatenate((candidates, np.empty_like(candidates)))
                    origin = np.concatenate((origin, np.empty_like(origin)))
                origin[n_cand] = status
                candidates[n_cand] = 0.0
                for j in range(n_players):
                    for t in range(k[j]):
                        candidates[n_cand, full_off[j] + sup[j, t]] = p[offsets[j] + t]
                n_cand += 1
        # next support profile (odometer over masks 1 .. 2^m_j - 1)
        j = n_players - 1
        while j >= 0:
            masks[j] += 1
            if masks[j] < (1 << m[j]):
                break
            masks[j] = 1
            j -= 1
        if j < 0:
            break
    return candidates[:n_cand], origin[:n_cand], flagged[:n_flag], examined, stats
