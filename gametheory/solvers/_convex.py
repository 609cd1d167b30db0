"""Convex polygons in the plane, for the payoff sets of repeated games: hulls, clipping
by half-planes (Sutherland-Hodgman), polygons from support functions, and the Hausdorff
distance between convex polygons. Private to :mod:`gametheory.solvers`."""

from __future__ import annotations

import numpy as np

__all__ = ["clip", "dedupe", "drop_flat_corners", "hausdorff_distance", "hull",
           "point_polygon_distance", "polygon_from_support"]


def hull(points: np.ndarray, tol: float = 1e-7) -> np.ndarray:
    """Convex hull vertices, counter-clockwise from the lexicographically smallest
    (smallest first coordinate, then second), tolerating degenerate point sets.

    Vertices within ``tol`` of each other are merged and vertices within ``tol`` (of
    the size) of the line through their neighbours dropped: the noise an iteration
    leaves. Inside the payoff-set iteration ``tol`` is 1e-9 (a point kept by an
    exactly binding incentive constraint must not be merged away); its result is
    cleaned at the default."""
    pts = np.unique(np.round(points, 9), axis=0)
    if len(pts) and np.abs(pts - pts[0]).max() <= tol:
        return pts[:1]                  # one point, up to the iteration's noise
    if len(pts) < 3:
        return pts
    # collinear within rounding (every point within 1e-9 of the set's size from the line
    # through the two points farthest apart): those two ends, in lexicographic order;
    # Qhull would accept some such slivers and keep their noise as vertices
    a = int(np.argmax(((pts - pts[0]) ** 2).sum(axis=1)))
    b = int(np.argmax(((pts - pts[a]) ** 2).sum(axis=1)))
    e, d = pts[b] - pts[a], pts - pts[a]
    length = float(np.hypot(*e))
    if np.all(np.abs(e[0] * d[:, 1] - e[1] * d[:, 0]) <= 1e-9 * max(1.0, length) * length):
        return pts[sorted((a, b))]
    from scipy.spatial import ConvexHull, QhullError

    try:
        # iteration noise leaves near-duplicate and near-collinear corners: drop them
        poly = drop_flat_corners(dedupe(pts[ConvexHull(pts).vertices], tol=tol), tol=tol)
        # counter-clockwise from the lexicographically smallest vertex (a canonical order)
        return np.roll(poly, -int(np.lexsort(poly.T[::-1])[0]), axis=0)
    except QhullError:  # pragma: no cover - collinear sets are caught above
        return pts[[0, -1]]


def drop_flat_corners(poly: np.ndarray, tol: float = 1e-7) -> np.ndarray:
    """Remove vertices lying within ``tol`` (times the polygon's size) of the line through
    their neighbours: points on an edge, left by the iteration."""
    scale = max(1.0, float(np.ptp(poly, axis=0).max())) if len(poly) else 1.0
    changed = True
    while changed and len(poly) > 3:
        changed = False
        n = len(poly)
        for k in range(n):
            a, b, c = poly[k - 1], poly[k], poly[(k + 1) % n]
            ac = c - a
            cross = ac[0] * (b - a)[1] - ac[1] * (b - a)[0]
            if abs(cross) <= tol * scale * max(float(np.linalg.norm(ac)), 1e-300):
                poly = np.delete(poly, k, axis=0)
                changed = True
                break
    return poly


def clip(poly: np.ndarray, normal: np.ndarray, bound: float) -> np.ndarray:
    """Clip a convex polygon (vertices in order) to the half-plane ``normal . w <= bound``
    (Sutherland-Hodgman)."""
    if len(poly) == 0:
        return poly
    out = []
    vals = poly @ normal - bound
    n = len(poly)
    for k in range(n):
        p, q = poly[k], poly[(k + 1) % n]
        vp, vq = vals[k], vals[(k + 1) % n]
        if vp <= 0:
            out.append(p)
        if (vp < 0 < vq) or (vq < 0 < vp):
            out.append(p + (q - p) * (vp / (vp - vq)))
    return np.array(out).reshape(-1, 2)


def polygon_from_support(H: np.ndarray, c: np.ndarray, box: float) -> np.ndarray:
    """Vertices of {w : H w <= c}, clipping a large box one half-plane at a time."""
    poly = np.array([[-box, -box], [box, -box], [box, box], [-box, box]], dtype=float)
    for h, b in zip(H, c, strict=True):
        poly = clip(poly, h, b)
    return dedupe(poly)


def dedupe(poly: np.ndarray, tol: float = 1e-12) -> np.ndarray:
    if len(poly) == 0:
        return poly
    keep = [poly[0]]
    for v in poly[1:]:
        if np.max(np.abs(v - keep[-1])) > tol:
            keep.append(v)
    if len(keep) > 1 and np.max(np.abs(keep[0] - keep[-1])) <= tol:
        keep.pop()
    return np.array(keep)


def point_polygon_distance(p: np.ndarray, poly: np.ndarray) -> float:
    """Distance from a point to a convex polygon (0 inside)."""
    n = len(poly)
    if n == 0:
        return np.inf
    if n == 1:
        return float(np.linalg.norm(p - poly[0]))
    inside = True
    best = np.inf
    for k in range(n):
        a, b = poly[k], poly[(k + 1) % n]
        edge = b - a
        cross = edge[0] * (p[1] - a[1]) - edge[1] * (p[0] - a[0])
        # outside by more than 1e-12 (a distance: the cross product over the edge's
        # length, so that a tiny polygon does not take every point for inside)
        if cross < -1e-12 * float(np.hypot(*edge)):
            inside = False
        t = np.clip(np.dot(p - a, edge) / max(np.dot(edge, edge), 1e-300), 0, 1)
        best = min(best, float(np.linalg.norm(p - (a + t * edge))))
    return 0.0 if inside and n > 2 else best


def hausdorff_distance(P: np.ndarray, Q: np.ndarray) -> float:
    """Hausdorff distance between two convex polygons (attained at vertices)."""
    return max(max((point_polygon_distance(p, Q) for p in P), default=0.0),
               max((point_polygon_distance(q, P) for q in Q), default=0.0))
