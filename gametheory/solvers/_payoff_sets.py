"""Compiled Abreu–Sannikov iteration for the equilibrium payoff set of a two-player
repeated game (numba).

The same operator as the NumPy loop of :mod:`gametheory.solvers.repeated` (clip the
current set by each action profile's incentive constraints, map, take the hull, stop
when successive sets are within a Hausdorff distance), written as loops over fixed
buffers so that one iteration costs microseconds instead of the Python overhead of
clipping a polygon per action profile. Unlike the NumPy loop it does not round: the
hull is Andrew's monotone chain with exact orientation tests and a relative tolerance
of 1e-12, and incentive constraints are relaxed by 1e-13 of the payoff range so that
exactly binding ones survive rounding. Called by ``equilibrium_payoffs``; compiled on
first use and cached (:mod:`._compiled`).
"""

from __future__ import annotations

import numpy as np

from ._compiled import jit

__all__ = ["CONVERGED", "EMPTY", "NOT_CONVERGED", "abreu_sannikov"]

CONVERGED, EMPTY, NOT_CONVERGED = 0, 1, 2


@jit
def _clip(poly, n, nx, ny, bound, out):  # pragma: no cover
    """Sutherland–Hodgman: ``poly[:n]`` clipped to ``nx·x + ny·y <= bound`` into
    ``out``; returns the number of vertices."""
    m = 0
    for k in range(n):
        k1 = k + 1 if k + 1 < n else 0
        px, py = poly[k, 0], poly[k, 1]
        qx, qy = poly[k1, 0], poly[k1, 1]
        vp = px * nx + py * ny - bound
        vq = qx * nx + qy * ny - bound
        if vp <= 0:
            out[m, 0] = px
            out[m, 1] = py
            m += 1
        if (vp < 0 < vq) or (vq < 0 < vp):
            f = vp / (vp - vq)
            out[m, 0] = px + (qx - px) * f
            out[m, 1] = py + (qy - py) * f
            m += 1
    return m


@jit
def _cross(ox, oy, ax, ay, bx, by):  # pragma: no cover
    return (ax - ox) * (by - oy) - (ay - oy) * (bx - ox)


@jit
def _hull(Z, nz, out, tol):  # pragma: no cover
    """Counter-clockwise hull of ``Z[:nz]`` (Andrew's monotone chain, exact
    orientation tests, no rounding), then vertices within ``tol`` (of the size) of
    each other merged and flat corners dropped as ``_convex.hull`` does; collinear
    sets within ``tol`` give their two ends."""
    P = Z[:nz]
    order = np.argsort(P[:, 1], kind="mergesort")
    order = order[np.argsort(P[order, 0], kind="mergesort")]
    S = np.empty((nz, 2))
    ns = 0
    for k in range(nz):                      # unique points, sorted by x then y
        x, y = P[order[k], 0], P[order[k], 1]
        if ns == 0 or x != S[ns - 1, 0] or y != S[ns - 1, 1]:
            S[ns, 0] = x
            S[ns, 1] = y
            ns += 1
    if ns < 3:
        for k in range(ns):
            out[k, 0] = S[k, 0]
            out[k, 1] = S[k, 1]
        return ns
    # collinear (Qhull refuses such sets and _convex.hull keeps the two ends): every
    # point within ``tol`` of the size from the line through the two
    # points farthest apart (found from the first point, then from the farthest one;
    # exact for collinear sets, whatever their direction)
    a = 0
    best = -1.0
    for k in range(ns):
        d = (S[k, 0] - S[0, 0]) ** 2 + (S[k, 1] - S[0, 1]) ** 2
        if d > best:
            best, a = d, k
    b = a
    best = -1.0
    for k in range(ns):
        d = (S[k, 0] - S[a, 0]) ** 2 + (S[k, 1] - S[a, 1]) ** 2
        if d > best:
            best, b = d, k
    ex, ey = S[b, 0] - S[a, 0], S[b, 1] - S[a, 1]
    length = np.sqrt(ex * ex + ey * ey)
    size = max(1.0, length)
    flat = True
    for k in range(ns):
        if abs(ex * (S[k, 1] - S[a, 1]) - ey * (S[k, 0] - S[a, 0])) > tol * size * length:
            flat = False
            break
    if flat:
        lo, hi = (a, b) if (S[a, 0], S[a, 1]) < (S[b, 0], S[b, 1]) else (b, a)
        out[0, 0], out[0, 1] = S[lo, 0], S[lo, 1]
        out[1, 0], out[1, 1] = S[hi, 0], S[hi, 1]
        return 2
    H = np.empty((2 * ns, 2))
    h = 0
    for k in range(ns):                      # lower hull
        while h >= 2 and _cross(H[h - 2, 0], H[h - 2, 1], H[h - 1, 0], H[h - 1, 1],
                                S[k, 0], S[k, 1]) <= 0:
            h -= 1
        H[h, 0] = S[k, 0]
        H[h, 1] = S[k, 1]
        h += 1
    low = h + 1
    for k in range(ns - 2, -1, -1):          # upper hull
        while h >= low and _cross(H[h - 2, 0], H[h - 2, 1], H[h - 1, 0], H[h - 1, 1],
                                  S[k, 0], S[k, 1]) <= 0:
            h -= 1
        H[h, 0] = S[k, 0]
        H[h, 1] = S[k, 1]
        h += 1
    h -= 1                                   # the first point closes the chain
    # near-duplicates (consecutive, then last against first), as _convex.dedupe
    m = 0
    for k in range(h):
        if m == 0 or max(abs(H[k, 0] - out[m - 1, 0]), abs(H[k, 1] - out[m - 1, 1])) > tol * size:
            out[m, 0] = H[k, 0]
            out[m, 1] = H[k, 1]
            m += 1
    if m > 1 and max(abs(out[0, 0] - out[m - 1, 0]), abs(out[0, 1] - out[m - 1, 1])) <= tol * size:
        m -= 1
    # flat corners, as _convex.drop_flat_corners
    if m > 0:
        xs = out[:m, 0]
        ys = out[:m, 1]
        scale = max(1.0, max(xs.max() - xs.min(), ys.max() - ys.min()))
    else:
        scale = 1.0
    changed = True
    while changed and m > 3:
        changed = False
        for k in range(m):
            km = k - 1 if k > 0 else m - 1
            kp = k + 1 if k + 1 < m else 0
            acx = out[kp, 0] - out[km, 0]
            acy = out[kp, 1] - out[km, 1]
            cr = acx * (out[k, 1] - out[km, 1]) - acy * (out[k, 0] - out[km, 0])
            if abs(cr) <= tol * scale * max(np.sqrt(acx * acx + acy * acy), 1e-300):
                for j in range(k, m - 1):
                    out[j, 0] = out[j + 1, 0]
                    out[j, 1] = out[j + 1, 1]
                m -= 1
                changed = True
                break
    return m


@jit
def _point_polygon(px, py, poly, n):  # pragma: no cover
    if n == 0:
        return np.inf
    if n == 1:
        return np.sqrt((px - poly[0, 0]) ** 2 + (py - poly[0, 1]) ** 2)
    inside = True
    best = np.inf
    for k in range(n):
        k1 = k + 1 if k + 1 < n else 0
        ax, ay = poly[k, 0], poly[k, 1]
        ex, ey = poly[k1, 0] - ax, poly[k1, 1] - ay
        if ex * (py - ay) - ey * (px - ax) < -1e-12 * np.sqrt(ex * ex + ey * ey):
            inside = False                   # outside by more than 1e-12 (a distance)
        t = ((px - ax) * ex + (py - ay) * ey) / max(ex * ex + ey * ey, 1e-300)
        t = min(max(t, 0.0), 1.0)
        d = np.sqrt((px - ax - t * ex) ** 2 + (py - ay - t * ey) ** 2)
        if d < best:
            best = d
    return 0.0 if inside and n > 2 else best


@jit
def _hausdorff(P, n, Q, m):  # pragma: no cover
    d = 0.0
    for k in range(n):
        d = max(d, _point_polygon(P[k, 0], P[k, 1], Q, m))
    for k in range(m):
        d = max(d, _point_polygon(Q[k, 0], Q[k, 1], P, n))
    return d


@jit
def abreu_sannikov(U, dev, delta, W0, tol, max_iter, slack):  # pragma: no cover
    """Iterate B(W) from ``W0`` (a convex polygon, counter-clockwise) until successive
    sets are within ``tol`` (Hausdorff). ``U``, ``dev``: (profiles, 2) payoffs and
    best deviation payoffs; ``slack``: how far an incentive constraint may be violated
    (rounding). Returns ``(status, vertices, iterations)``."""
    n_prof = U.shape[0]
    cap = max(W0.shape[0], 3) + 4
    W = np.empty((cap, 2))
    nw = W0.shape[0]
    W[:nw] = W0
    for it in range(1, max_iter + 1):
        cap_z = n_prof * (nw + 4)
        Z = np.empty((cap_z, 2))
        A = np.empty((nw + 4, 2))
        B = np.empty((nw + 4, 2))
        nz = 0
        wmin0 = W[0, 0]
        wmin1 = W[0, 1]
        for k in range(1, nw):
            wmin0 = min(wmin0, W[k, 0])
            wmin1 = min(wmin1, W[k, 1])
        c = (1.0 - delta) / delta
        for a in range(n_prof):
            lb0 = c * (dev[a, 0] - U[a, 0]) + wmin0 - slack
            lb1 = c * (dev[a, 1] - U[a, 1]) + wmin1 - slack
            na = _clip(W, nw, -1.0, 0.0, -lb0, A)
            nb = _clip(A, na, 0.0, -1.0, -lb1, B)
            for k in range(nb):
                Z[nz, 0] = (1.0 - delta) * U[a, 0] + delta * B[k, 0]
                Z[nz, 1] = (1.0 - delta) * U[a, 1] + delta * B[k, 1]
                nz += 1
        if nz == 0:
            return EMPTY, W[:0].copy(), it
        Wn = np.empty((nz + 2, 2))
        nn = _hull(Z, nz, Wn, 1e-12)
        if _hausdorff(Wn, nn, W, nw) < tol:
            return CONVERGED, Wn[:nn].copy(), it
        if nn + 4 > W.shape[0]:
            W = np.empty((nn + 4, 2))
        W[:nn] = Wn[:nn]
        nw = nn
    return NOT_CONVERGED, W[:nw].copy(), max_iter
