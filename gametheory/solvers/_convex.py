"""Convex polygons in the plane, for the payoff sets of repeated games: hulls, clipping
by half-planes (Sutherland-Hodgman), polygons from support functions, and the Hausdorff
distance between convex polygons. Private to :mod:`gametheory.solvers`."""

from __future__ import annotations

import numpy as np

__all__ = ["clip", "dedupe", "drop_flat_corners", "hausdorff_distance", "hull",
           "point_polygon_distance", "polygon_from_support"]


def hull(points: np.ndarray) -> np.ndarray:
    """Convex hull vertices (counter-clockwise), tolerating degenerate point sets."""
    pts = np.unique(np.round(points, 9), axis=0)
    if len(pts) < 3:
        return pts
    from scipy.spatial import ConvexHull, QhullError

    try:
        # iteration noise leaves near-duplicate and near-collinear corners: drop them
        return drop_flat_corners(dedupe(pts[ConvexHull(pts).vertices], tol=1e-7))
    except QhullError:  # collinear
        order = np.lexsort(pts.T[::-1])
        return pts[[order[0], order[-1]]]


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
        if cross < -1e-12:
            inside = False
        t = np.clip(np.dot(p - a, edge) / max(np.dot(edge, edge), 1e-300), 0, 1)
        best = min(best, float(np.linalg.norm(p - (a + t * edge))))
    return 0.0 if inside and n > 2 else best


def hausdorff_distance(P: np.ndarray, Q: np.ndarray) -> float:
    """Hausdorff distance between two convex polygons (attained at vertices)."""
    return max(max((point_polygon_distance(p, Q) for p in P), default=0.0),
               max((point_polygon_distance(q, P) for q in Q), default=0.0))
