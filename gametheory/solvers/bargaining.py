"""Bargaining: cooperative solutions of a :class:`~gametheory.games.BargainingProblem`
and the subgame-perfect shares of alternating offers.

* :func:`pareto_frontier`, :func:`bargaining_solutions`: the Nash (1950), Kalai–
  Smorodinsky (1975), egalitarian (Kalai 1977) and utilitarian solutions, over the
  deals as they are (``convex=False``: the best deal by each criterion, ties kept) or
  over lotteries between them (``convex=True``: the point on the frontier of the convex
  hull, with the two deals and the weights that give it).
* :func:`alternating_offers`: Rubinstein's (1982) stationary subgame-perfect shares of
  a pie of size one, with a risk of breakdown after a rejection and disagreement
  payoffs (Binmore, Rubinstein & Wolinsky 1986) and outside options a responder may
  take instead of answering (the outside-option principle of Binmore, Shaked & Sutton
  1989); :func:`alternating_offers_finite` solves a finite horizon by backward
  induction, which converges to it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from .._validate import check_count
from ..errors import ProfileError, SolverError
from ..games.bargaining import BargainingProblem
from ._convex import clip, hull

__all__ = ["AlternatingOffers", "BargainingSolutions", "alternating_offers",
           "alternating_offers_finite", "bargaining_solutions", "pareto_frontier"]

_TOL = 1e-12


def _feasible(problem: BargainingProblem) -> np.ndarray:
    """The individually rational part of the convex hull of the deals (a polygon)."""
    d = problem.disagreement
    poly = hull(problem.utilities, tol=0.0)
    if len(poly) >= 2:      # a segment clips as a two-vertex polygon (each end twice)
        poly = clip(clip(poly, np.array([-1.0, 0.0]), -d[0]), np.array([0.0, -1.0]), -d[1])
        return np.unique(np.round(poly, 12), axis=0) if len(poly) else poly
    return poly[np.all(poly >= d - _TOL, axis=1)]


def pareto_frontier(problem: BargainingProblem) -> np.ndarray:
    """The Pareto-optimal individually rational points.

    ``convex=False``: the indices of the deals that no other individually rational deal
    weakly dominates (with a strict gain for someone). ``convex=True``: the vertices of
    the frontier of the convex hull, shape (k, 2), from the best for the second party
    to the best for the first (the frontier is the chain of segments between them).

    Examples
    --------
    >>> p = BargainingProblem([[0, 10], [10, 0], [4, 4], [3, 3]], [0, 0])
    >>> pareto_frontier(p).tolist()
    [0, 1, 2]
    """
    U = problem.utilities
    if not problem.convex:
        ir = np.flatnonzero(problem.individually_rational())
        return ir[~_dominated(U[ir])]
    poly = _feasible(problem)
    if len(poly) == 0:
        return np.zeros((0, 2))
    if len(poly) >= 3:
        # the frontier of a convex polygon is the chain of its vertices from the best
        # for the first party counter-clockwise to the best for the second; a vertex
        # off that chain can be undominated by every *vertex* and still be dominated by
        # a point of an edge (a lottery), so vertex-against-vertex dominance is not enough
        P = hull(poly, tol=0.0)
        if len(P) >= 3:
            a = int(np.lexsort((P[:, 1], P[:, 0]))[-1])     # max u1, then max u2
            b = int(np.lexsort((P[:, 0], P[:, 1]))[-1])     # max u2, then max u1
            chain = [P[a]]
            k = a
            while k != b:
                k = (k + 1) % len(P)
                chain.append(P[k])
            front = np.array(chain)
            return front[np.argsort(front[:, 0], kind="stable")]
        poly = P
    pts = poly[np.lexsort((poly[:, 1], poly[:, 0]))[::-1]]       # by u1 descending
    out = []
    for p in pts:       # keep a point unless another is at least as good for both
        if not np.any(np.all(poly >= p - _TOL, axis=1) & np.any(poly > p + _TOL, axis=1)):
            out.append(p)
    front = np.array(out).reshape(-1, 2)
    return front[np.argsort(front[:, 0], kind="stable")]


@dataclass(frozen=True, eq=False)
class BargainingSolutions:
    """The four solutions of a bargaining problem (:func:`bargaining_solutions`).

    ``table`` has one row per solution: the utilities, each party's gain over
    disagreement, and the deal (or, with lotteries, the two deals and the weight on
    the first); ``ties`` lists the solutions that more than one deal attains.
    """

    problem: BargainingProblem
    table: object
    ties: tuple[str, ...]
    ideal: np.ndarray

    def point(self, name: str) -> np.ndarray:
        row = self.table[self.table.solution == name]
        if row.empty:
            raise ProfileError(f"unknown solution {name!r}; one of {list(self.table.solution)}")
        p = self.problem.players
        return row[[p[0], p[1]]].to_numpy(dtype=float)[0]

    def distances(self, deals) -> object:
        """Euclidean distance (in utility) from each named deal to each solution and to
        the frontier: where a proposed package lies."""
        import pandas as pd

        prob = self.problem
        rows = []
        for lab in deals:
            if lab not in prob.labels:
                raise ProfileError(f"unknown deal {lab!r}; one of {list(prob.labels)}")
            u = prob.utilities[prob.labels.index(lab)]
            row = {"deal": lab, "to the frontier": _distance_to_frontier(prob, u)}
            for name in self.table.solution:
                row[f"to {name}"] = float(np.linalg.norm(u - self.point(name)))
            rows.append(row)
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        from .._format import frame_html

        return frame_html(self.table, "Bargaining solutions"
                          + (" over lotteries between deals" if self.problem.convex
                             else " over the deals") + (f"; ties: {', '.join(self.ties)}"
                                                        if self.ties else ""))


def _dominated(U: np.ndarray) -> np.ndarray:
    """Which rows of U (n, 2) another row weakly dominates with a strict gain for someone
    (within ``_TOL``): row j dominates k when ``U[j] >= U[k] - tol`` in both coordinates
    and ``U[j] > U[k] + tol`` in one. O(n log n): sorted by the first utility, a prefix
    maximum of the second answers both cases - some j better in the first coordinate by
    more than tol and not worse in the second (case A), or some j not worse in the first
    and better in the second by more than tol (case B)."""
    n = len(U)
    if n == 0:
        return np.zeros(0, dtype=bool)
    order = np.argsort(-U[:, 0], kind="stable")
    u1, u2 = U[order, 0], U[order, 1]
    pmax = np.maximum.accumulate(u2)
    neg = -u1                                   # ascending, for searchsorted
    # case A: rows with u1 > u1_k + tol are the prefix before the first u1 <= u1_k + tol
    a_end = np.searchsorted(neg, -(u1 + _TOL), side="left")
    case_a = (a_end > 0) & (pmax[np.maximum(a_end - 1, 0)] >= u2 - _TOL)
    # case B: rows with u1 >= u1_k - tol are the prefix up to the last u1 >= u1_k - tol
    b_end = np.searchsorted(neg, -(u1 - _TOL), side="right")
    case_b = pmax[b_end - 1] > u2 + _TOL
    out = np.empty(n, dtype=bool)
    out[order] = case_a | case_b
    return out


def _distance_to_frontier(prob: BargainingProblem, u: np.ndarray) -> float:
    if not prob.convex:
        F = prob.utilities[pareto_frontier(prob)]
        return float(np.min(np.linalg.norm(F - u, axis=1))) if len(F) else float("nan")
    F = pareto_frontier(prob)
    if len(F) == 0:
        return float("nan")
    if len(F) == 1:
        return float(np.linalg.norm(F[0] - u))
    best = np.inf
    for a, b in itertools.pairwise(F):
        e = b - a
        t = np.clip(np.dot(u - a, e) / max(np.dot(e, e), 1e-300), 0.0, 1.0)
        best = min(best, float(np.linalg.norm(u - (a + t * e))))
    return best


def _leximin(F: np.ndarray, d: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The point of the frontier chain ``F`` that maximises the smaller of the scaled
    gains ``(u - d) / scale``, then the larger (leximin). On each segment the smaller
    gain is concave and piecewise linear, so the candidates are the vertices and the
    points where the two scaled gains are equal (Kalai-Smorodinsky: ``scale`` the ideal
    gains; egalitarian: ones)."""
    cands = [p for p in F]
    for a, b in itertools.pairwise(F):
        ga, gb = (a - d) / scale, (b - d) / scale
        da, db = ga[0] - ga[1], gb[0] - gb[1]
        if da * db < 0:
            t = da / (da - db)
            cands.append(a + t * (b - a))
    C = np.array(cands)
    G = (C - d) / scale
    key = np.round(G.min(axis=1), 12) + 1e-13 * G.max(axis=1)
    return C[int(np.argmax(key))]


def _lottery(prob: BargainingProblem, point: np.ndarray) -> tuple[str, str, float]:
    """Two deals and the weight on the first whose lottery gives ``point``."""
    U = prob.utilities
    exact = np.flatnonzero(np.all(np.abs(U - point) <= 1e-9, axis=1))
    if len(exact):
        lab = prob.labels[exact[0]]
        return lab, lab, 1.0
    best = None
    for i in range(len(U)):
        for j in range(i + 1, len(U)):
            e = U[j] - U[i]
            L = float(np.dot(e, e))
            if L == 0:
                continue
            t = float(np.dot(point - U[i], e) / L)
            if -1e-9 <= t <= 1 + 1e-9:
                gap = float(np.linalg.norm(U[i] + t * e - point))
                if best is None or gap < best[0]:
                    best = (gap, prob.labels[i], prob.labels[j], 1.0 - t)
    if best is None or best[0] > 1e-7:      # pragma: no cover - frontier points lie on edges
        raise SolverError("no lottery of two deals gives the solution point")
    return best[1], best[2], best[3]


def bargaining_solutions(problem: BargainingProblem) -> BargainingSolutions:
    """The Nash, Kalai–Smorodinsky, egalitarian and utilitarian solutions.

    Over the deals (``convex=False``): the deal maximising the product of gains
    ``(u1 - d1)(u2 - d2)`` (Nash), the smallest of the gains relative to the ideal
    gains ``min_i (u_i - d_i) / (a_i - d_i)`` (Kalai–Smorodinsky, ``a`` the best
    individually rational utility of each party), the smallest gain (egalitarian, ties
    broken by the larger one: leximin) and the sum (utilitarian); every deal attaining
    the best value is listed. Over lotteries (``convex=True``): the points of the
    frontier of the convex hull with those properties, each as a lottery of two deals.

    Raises
    ------
    SolverError
        If no deal is individually rational.

    References
    ----------
    Nash, J. (1950). The bargaining problem. *Econometrica* 18:155-162. Kalai, E. &
    Smorodinsky, M. (1975). Other solutions to Nash's bargaining problem.
    *Econometrica* 43:513-518. Kalai, E. (1977). Proportional solutions to bargaining
    situations. *Econometrica* 45:1623-1630.

    Examples
    --------
    Dividing a pie of 10 (deals on the line u1 + u2 = 10) with lotteries allowed and the
    disagreement point (2, 0): the Nash solution splits the surplus of 8 equally.

    >>> p = BargainingProblem([[10, 0], [0, 10]], [2, 0], convex=True)
    >>> bargaining_solutions(p).point("Nash").round(6).tolist()
    [6.0, 4.0]
    """
    import pandas as pd

    prob = problem
    d = prob.disagreement
    a, b = prob.players
    ir = prob.individually_rational()
    if not ir.any():
        raise SolverError("no deal is individually rational: every deal leaves someone "
                          "below the disagreement point")
    ties: list[str] = []
    rows = []
    if not prob.convex:
        idx = np.flatnonzero(ir)
        G = prob.utilities[idx] - d
        ideal = G.max(axis=0)
        rel = np.where(ideal > _TOL, G / np.where(ideal > _TOL, ideal, 1.0), 1.0)
        scores = {"Nash": G[:, 0] * G[:, 1],
                  "Kalai-Smorodinsky": rel.min(axis=1) + 1e-9 * rel.max(axis=1),
                  "egalitarian": G.min(axis=1) + 1e-9 * G.max(axis=1),
                  "utilitarian": G.sum(axis=1)}
        for name, sc in scores.items():
            top = idx[np.flatnonzero(sc >= sc.max() - 1e-9 * max(1.0, abs(sc.max())))]
            if len(top) > 1:
                ties.append(name)
            u = prob.utilities[top[0]]
            rows.append({"solution": name, a: u[0], b: u[1], f"gain {a}": u[0] - d[0],
                         f"gain {b}": u[1] - d[1],
                         "deal": " = ".join(prob.labels[k] for k in top),
                         "weight": 1.0})
        return BargainingSolutions(prob, pd.DataFrame(rows), tuple(ties), ideal + d)
    F = pareto_frontier(prob)
    ideal = np.array([F[:, 0].max(), F[:, 1].max()])
    # Nash: the product along each frontier segment is a quadratic in the position
    best, best_val = F[0], -np.inf
    segs = [(F[0], F[0])] if len(F) == 1 else list(itertools.pairwise(F))
    for p, q in segs:
        e = q - p
        cands = [0.0, 1.0]
        denom = 2 * e[0] * e[1]
        if abs(denom) > 1e-300:
            cands.append(-((p[0] - d[0]) * e[1] + (p[1] - d[1]) * e[0]) / denom)
        for t in cands:
            if 0.0 <= t <= 1.0:
                u = p + t * e
                val = (u[0] - d[0]) * (u[1] - d[1])
                if val > best_val + 1e-12:
                    best, best_val = u, val
    points = {"Nash": best}
    gain = ideal - d
    points["Kalai-Smorodinsky"] = _leximin(F, d, np.where(gain > _TOL, gain, 1.0))
    points["egalitarian"] = _leximin(F, d, np.array([1.0, 1.0]))
    sums = F.sum(axis=1)
    top = np.flatnonzero(sums >= sums.max() - 1e-9 * max(1.0, abs(sums.max())))
    if len(top) > 1:
        ties.append("utilitarian")
    points["utilitarian"] = F[top[0]]
    for name, u in points.items():
        first, second, w = _lottery(prob, u)
        rows.append({"solution": name, a: u[0], b: u[1], f"gain {a}": u[0] - d[0],
                     f"gain {b}": u[1] - d[1],
                     "deal": first if first == second else f"{first} / {second}",
                     "weight": w})
    return BargainingSolutions(prob, pd.DataFrame(rows), tuple(ties), ideal)


# ----------------------------------------------------------------- alternating offers
@dataclass(frozen=True)
class AlternatingOffers:
    """Stationary subgame-perfect shares of a pie of size one (:func:`alternating_offers`).

    ``shares[i]``: what player ``i`` keeps when it proposes (the other accepts at once);
    ``first_proposer``'s agreement is ``(shares[0], 1 - shares[0])`` when player 0
    proposes first.
    """

    shares: tuple[float, float]
    discounts: tuple[float, float]
    breakdown: float
    disagreement: tuple[float, float]
    outside: tuple[float, float]
    binding_outside: tuple[bool, bool]

    def agreement(self, first: int = 0) -> tuple[float, float]:
        """The immediate agreement when player ``first`` proposes first."""
        x = self.shares[first]
        return (x, 1.0 - x) if first == 0 else (1.0 - x, x)

    def _repr_html_(self) -> str:
        from .._format import table_html

        rows = [[f"player {i}", f"{self.shares[i]:.6g}", f"{1 - self.shares[i]:.6g}",
                 "yes" if self.binding_outside[1 - i] else "no"] for i in (0, 1)]
        return table_html(["proposer", "proposer keeps", "responder gets",
                           "responder's outside option binds"], rows,
                          caption=f"Alternating offers: discount factors {self.discounts}, "
                                  f"breakdown probability {self.breakdown:g}")


def _check_offers(discounts, breakdown, disagreement, outside):
    d = tuple(float(x) for x in discounts)
    if len(d) != 2 or not all(0.0 <= x <= 1.0 for x in d):
        raise ProfileError(f"discounts must be two numbers in [0, 1], got {discounts!r}")
    p = float(breakdown)
    if not 0.0 <= p <= 1.0:
        raise ProfileError(f"breakdown must be a probability, got {breakdown!r}")
    b = tuple(float(x) for x in disagreement)
    o = tuple(float(x) for x in outside)
    if len(b) != 2 or len(o) != 2:
        raise ProfileError("disagreement and outside need one number per player")
    if b[0] + b[1] > 1.0 + 1e-12 or o[0] + o[1] > 1.0 + 1e-12 or min(b + o) < 0:
        raise ProfileError("disagreement payoffs and outside options must be >= 0 and sum "
                           "to at most the pie (1): otherwise there is nothing to agree on")
    if (1.0 - p) ** 2 * d[0] * d[1] >= 1.0:
        raise ProfileError("with no discounting and no risk of breakdown (δ1 = δ2 = 1, "
                           "breakdown 0) every split is a subgame-perfect outcome")
    return d, p, b, o


def alternating_offers(discounts=(0.9, 0.9), *, breakdown: float = 0.0,
                       disagreement=(0.0, 0.0), outside=(0.0, 0.0)) -> AlternatingOffers:
    """Rubinstein's alternating offers with breakdown risk and outside options.

    Player ``i`` proposing offers the responder ``j`` exactly what ``j`` would get by
    rejecting: ``max(o_j, (1 - p) δ_j x_j + p b_j)``, where ``x_j`` is what ``j`` keeps
    when proposing next, ``p`` the probability that talks break down after a rejection
    (then each gets ``b``) and ``o_j`` an outside option ``j`` may take instead of
    answering. The two equations are solved exactly, case by case (whose outside
    option binds); the map is a contraction of modulus ``(1 - p)^2 δ_1 δ_2``, so the
    solution is unique.

    Examples
    --------
    Rubinstein (1982): the first proposer keeps ``(1 - δ2) / (1 - δ1 δ2)``.

    >>> r = alternating_offers((0.9, 0.8))
    >>> round(r.shares[0], 10), round((1 - 0.8) / (1 - 0.9 * 0.8), 10)
    (0.7142857143, 0.7142857143)

    With no impatience but a 10 % risk of breakdown, the proposer keeps ``1 / (2 - p)``
    (Binmore, Rubinstein & Wolinsky 1986), near an equal split as the risk vanishes:

    >>> round(alternating_offers((1.0, 1.0), breakdown=0.1).shares[0], 10)
    0.5263157895
    """
    d, p, b, o = _check_offers(discounts, breakdown, disagreement, outside)
    c = [(1 - p) * d[j] for j in (0, 1)]
    k = [p * b[j] for j in (0, 1)]
    x = None
    # the map is a contraction, so exactly one of the four cases (each responder's
    # outside option binding or not) is consistent; each case is linear
    for bind0 in (False, True):
        for bind1 in (False, True):
            A = np.eye(2)
            rhs = np.ones(2)
            if bind1:                   # player 1 responds to player 0's offer
                rhs[0] -= o[1]
            else:
                A[0, 1] += c[1]
                rhs[0] -= k[1]
            if bind0:
                rhs[1] -= o[0]
            else:
                A[1, 0] += c[0]
                rhs[1] -= k[0]
            y = np.linalg.solve(A, rhs)
            ok1 = (o[1] >= c[1] * y[1] + k[1] - 1e-13) == bind1 or \
                abs(o[1] - c[1] * y[1] - k[1]) <= 1e-13
            ok0 = (o[0] >= c[0] * y[0] + k[0] - 1e-13) == bind0 or \
                abs(o[0] - c[0] * y[0] - k[0]) <= 1e-13
            if ok0 and ok1 and x is None:
                x = y
    if x is None:  # pragma: no cover - one case is always consistent
        raise SolverError("no consistent case for the alternating-offers shares")
    cont = [(1 - p) * d[j] * x[j] + p * b[j] for j in (0, 1)]
    return AlternatingOffers((float(x[0]), float(x[1])), d, p, b, o,
                             (o[0] > cont[0], o[1] > cont[1]))


def alternating_offers_finite(discounts=(0.9, 0.9), horizon: int = 10) -> list[float]:
    """Backward induction on a finite horizon: the first proposer's share when the
    game ends (disagreement, payoff 0) after ``horizon`` rounds; player 0 proposes in
    odd rounds. Returns the first proposer's share for horizons 1, ..., ``horizon``;
    it converges to :func:`alternating_offers`'s as the horizon grows (Ståhl 1972).

    >>> shares = alternating_offers_finite((0.9, 0.9), horizon=200)
    >>> round(shares[0], 6), round(shares[1], 6), round(shares[-1], 6)
    (1.0, 0.1, 0.526316)
    """
    horizon = check_count("horizon", horizon, maximum=10_000)
    d = tuple(float(x) for x in discounts)
    if len(d) != 2 or not all(0.0 <= x <= 1.0 for x in d):
        raise ProfileError(f"discounts must be two numbers in [0, 1], got {discounts!r}")
    out = []
    for T in range(1, horizon + 1):
        # share of the proposer in round t, from the last round (who takes everything)
        share = 1.0
        for t in range(T - 1, 0, -1):
            responder = t % 2            # round t (1-based): proposer (t-1) % 2
            share = 1.0 - d[responder] * share
        out.append(share)
    return out
