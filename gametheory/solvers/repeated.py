"""Algorithms of infinitely repeated two-player games: minmax values, feasible and
subgame-perfect equilibrium payoff sets (Abreu-Sannikov; Judd-Yeltekin-Conklin bounds),
exact discounted payoffs of automaton profiles, subgame perfection by the one-shot
deviation principle, best responses by policy iteration, and the discount factors at
which a profile is an equilibrium.

The game itself is a value (:class:`gametheory.games.repeated.RepeatedGame`: a stage
game and a discount factor); every function here takes it as its first argument.
:class:`RepeatedGame` below is the same value with these functions as methods (the
façade ``gt.RepeatedGame``), as nashpy's ``Game`` hands off to its algorithms.
Strategies are read through their declared capabilities (``as_automaton()``,
``as_memory_one()``), never imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .._validate import check_count, check_discount, check_tolerance
from ..errors import GameError, RepeatedGameError, SolverError
from ..games.normal_form import Game
from ..games.repeated import AutomatonProfile, public_grim_trigger
from ..games.repeated import RepeatedGame as RepeatedGameValue
from ._convex import clip, hausdorff_distance, hull, polygon_from_support

__all__ = [
    "Deviation",
    "RepeatedGame",
    "basin_of_attraction_alld",
    "best_response_value",
    "critical_discount_factor",
    "deviation_gains",
    "equilibrium_payoff_sets",
    "equilibrium_payoffs",
    "feasible_payoffs",
    "hausdorff_distance",
    "is_repeated_nash",
    "is_subgame_perfect",
    "minmax",
    "nash_reversion_thresholds",
    "payoff_set_bounds",
    "profile_payoffs",
    "profitable_deviation",
    "public_grim_trigger",
    "risk_dominance_threshold",
]


@dataclass(frozen=True)
class Deviation:
    """A profitable one-shot deviation: at joint ``state`` player ``player`` should play
    ``action`` instead of ``prescribed``, gaining ``gain`` (normalised payoff)."""

    player: int
    state: tuple[int, int]
    prescribed: int
    action: int
    gain: float

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html("Profitable one-shot deviation",
                           [("player", self.player), ("state", self.state),
                            ("prescribed", self.prescribed), ("deviation", self.action),
                            ("gain", self.gain)])


def minmax(rg: RepeatedGameValue, *, mixed: bool = True) -> np.ndarray:
    """Each player's minmax value: what the other can hold it down to (LP when mixed)."""
    A, B = rg.stage_game.bimatrix
    if not mixed:
        return np.array([A.max(axis=0).min(), B.max(axis=1).min()])
    from .zero_sum import maximin

    # player 1's minmax: min over y of max_i (A y)_i = -maximin of the column player on -A
    v1, _ = maximin(-A.T)
    v2, _ = maximin(-B)
    return np.array([-v1, -v2])


def feasible_payoffs(rg: RepeatedGameValue) -> np.ndarray:
    """Vertices of the convex hull of the stage game's payoff profiles (counter-clockwise)."""
    pts = np.unique(rg.stage_game.payoffs.reshape(-1, 2), axis=0)
    if len(pts) < 3:
        return pts
    from scipy.spatial import ConvexHull, QhullError

    try:
        convex = ConvexHull(pts)
    except QhullError:  # collinear payoffs: the hull is a segment
        order = np.lexsort(pts.T[::-1])
        return pts[[order[0], order[-1]]]
    return pts[convex.vertices]


def equilibrium_payoffs(rg: RepeatedGameValue, *, method: str = "abreu_sannikov",
                        directions: int = 128,
                        tol: float = 1e-10, max_iter: int = 5000) -> np.ndarray:
    """Vertices of the set of subgame-perfect equilibrium payoffs (pure strategies,
    public randomisation, perfect monitoring), counter-clockwise from the vertex with
    the smallest first coordinate (then second).

    The set is the largest fixed point of the Abreu-Pearce-Stacchetti operator
    B(W) = conv{(1 - δ) u(a) + δ w : w in W, (1 - δ) u_i(a) + δ w_i >=
    (1 - δ) max u_i(a'_i, a_-i) + δ min_W w_i}, found by iterating B from the
    feasible set.

    * ``"abreu_sannikov"`` (default): B(W) exactly, as in Abreu & Sannikov
      (2014): for each action profile the extreme points come from W's vertices
      that satisfy both incentive constraints and from the points where an
      incentive constraint binds on W's boundary (at most four per profile);
      the iteration stops when successive sets are within ``tol`` (Hausdorff).
    * ``"outer"``, ``"inner"``: Judd, Yeltekin & Conklin (2003). ``"outer"``
      iterates on the intersection of half-planes with ``directions`` fixed
      normals (a superset of the equilibrium payoffs); ``"inner"`` on the hull
      of the points attaining those supports (a subset).
      :meth:`payoff_set_bounds` gives both and their Hausdorff distance.

    References
    ----------
    Abreu, D., Pearce, D. & Stacchetti, E. (1990). Toward a theory of
    discounted repeated games with imperfect monitoring. *Econometrica*
    58:1041-1063. Judd, K. L., Yeltekin, S. & Conklin, J. (2003). Computing
    supergame equilibria. *Econometrica* 71:1239-1254. Abreu, D. & Sannikov,
    Y. (2014). An algorithm for two-player repeated games with perfect
    monitoring. *Theoretical Economics* 9:313-338.

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> RepeatedGame(prisoners_dilemma(), discount=0.75).equilibrium_payoffs().round(4).tolist()
    [[1.0, 1.0], [4.3333, 1.0], [3.0, 3.0], [1.0, 4.3333]]
    """
    if method not in ("abreu_sannikov", "outer", "inner"):
        raise RepeatedGameError(f"method must be 'abreu_sannikov', 'outer' or 'inner', "
                                f"got {method!r}")
    try:
        directions = check_count("directions", directions, minimum=3, maximum=100_000)
        max_iter = check_count("max_iter", max_iter, maximum=10**7)
        tol = check_tolerance(tol)
    except GameError as exc:
        raise RepeatedGameError(str(exc)) from None
    if method == "abreu_sannikov":
        return _abreu_sannikov(rg, tol, max_iter)
    return _iterate(rg, method, directions, tol, max_iter)


def _stage_arrays(rg: RepeatedGameValue) -> tuple[np.ndarray, np.ndarray]:
    """Payoffs ``U`` and best one-shot deviation payoffs ``dev``, (profiles, 2)."""
    A, B = rg.stage_game.bimatrix
    U = np.stack([A.reshape(-1), B.reshape(-1)], axis=1)
    dev = np.stack([np.broadcast_to(A.max(axis=0), A.shape).reshape(-1),
                    np.broadcast_to(B.max(axis=1)[:, None], B.shape).reshape(-1)], axis=1)
    return np.ascontiguousarray(U, dtype=float), np.ascontiguousarray(dev, dtype=float)


def _slack(U: np.ndarray, rel: float = 1e-9) -> float:
    """Incentive constraints are relaxed by ``rel`` of the payoff range: a constraint
    that binds exactly (common with small integer payoffs) must not be lost to
    rounding, which would make the set depend on the order of the vertices (a
    knife-edge point such as (1, 0), supported by exactly the whole range of
    continuation payoffs, kept by one hull routine and dropped by another). The NumPy
    loop rounds to 9 decimals and relaxes by 1e-9; the compiled loop does not round
    and relaxes by 1e-13, which moves the set by less than 1e-11 at δ = 0.9."""
    return rel * max(1.0, float(np.ptp(U)))


def _abreu_sannikov(rg: RepeatedGameValue, tol: float, max_iter: int) -> np.ndarray:
    """The Abreu–Sannikov iteration, compiled (:mod:`._payoff_sets`): the operator of
    ``_iterate(..., "abreu_sannikov", ...)`` without its rounding (tested vertex for
    vertex against it, to its precision), the result in :func:`._convex.hull`'s order."""
    from . import _payoff_sets as ps

    U, dev = _stage_arrays(rg)
    W = np.ascontiguousarray(feasible_payoffs(rg), dtype=float).reshape(-1, 2)
    status, W, _ = ps.abreu_sannikov(U, dev, float(rg.discount), W, float(tol), int(max_iter),
                                     _slack(U, 1e-13))
    if status == ps.EMPTY:
        return np.zeros((0, 2))
    if status == ps.NOT_CONVERGED:
        raise SolverError(f"the payoff-set iteration did not converge in {max_iter} steps")
    return hull(W)


def _iterate(rg: RepeatedGameValue, method: str, directions: int, tol: float,
             max_iter: int) -> np.ndarray:
    """The payoff-set iteration in NumPy: every method (the reference for the compiled
    Abreu–Sannikov loop)."""
    delta = rg.discount
    U, dev = _stage_arrays(rg)
    slack = _slack(U)
    theta = 2 * np.pi * np.arange(directions) / directions
    H = np.column_stack([np.cos(theta), np.sin(theta)])
    W = feasible_payoffs(rg)
    if len(W) < 3:
        W = np.array(W, dtype=float)
    box = 10 * (np.abs(U).max() + 1)
    c_old = None
    for _ in range(max_iter):
        wmin = W.min(axis=0)
        points = []
        for a in range(len(U)):
            lb = (1 - delta) / delta * (dev[a] - U[a]) + wmin - slack
            clipped = clip(clip(W, np.array([-1.0, 0.0]), -lb[0]),
                            np.array([0.0, -1.0]), -lb[1])
            if len(clipped):
                points.append((1 - delta) * U[a] + delta * clipped)
        if not points:
            return np.zeros((0, 2))
        Z = np.vstack(points)
        if method == "abreu_sannikov":
            W_new = hull(Z, tol=1e-9)
            if hausdorff_distance(W_new, W) < tol:
                return hull(W_new)
            W = W_new
            continue
        scores = Z @ H.T                                            # (points, dirs)
        c = scores.max(axis=0)
        if method == "outer":
            W_new = polygon_from_support(H, c, box)
        else:
            W_new = hull(Z[np.unique(scores.argmax(axis=0))])
        if c_old is not None and np.max(np.abs(c - c_old)) < tol:
            W = W_new
            break
        c_old, W = c, W_new
    else:
        raise SolverError(f"the payoff-set iteration did not converge in {max_iter} steps")
    return W


def equilibrium_payoff_sets(game: Game, discounts, *, tol: float = 1e-10,
                            max_iter: int = 5000) -> list[np.ndarray]:
    """The subgame-perfect payoff set at each of many discount factors (a sweep over δ):
    the Abreu–Sannikov iteration of :func:`equilibrium_payoffs`, compiled, with the
    stage game's payoffs, deviation payoffs and feasible set prepared once.

    Returns
    -------
    list of ndarray
        The vertices at each δ, as :func:`equilibrium_payoffs` gives them (an empty
        array where there is no pure-strategy equilibrium payoff).

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> sets = equilibrium_payoff_sets(prisoners_dilemma(), [0.2, 0.75])
    >>> [len(v) for v in sets], sets[1].round(4).tolist()[-1]
    ([1, 4], [1.0, 4.3333])
    """
    from . import _payoff_sets as ps

    try:
        tol = check_tolerance(tol)
        max_iter = check_count("max_iter", max_iter, maximum=10**7)
        deltas = [check_discount(float(d)) for d in np.atleast_1d(discounts)]
    except GameError as exc:
        raise RepeatedGameError(str(exc)) from None
    if game.n_players != 2:
        raise RepeatedGameError(f"payoff sets need a two-player game, got {game.n_players}")
    rg = RepeatedGameValue(game, deltas[0]) if deltas else None
    if rg is None:
        return []
    U, dev = _stage_arrays(rg)
    W0 = np.ascontiguousarray(feasible_payoffs(rg), dtype=float).reshape(-1, 2)
    slack = _slack(U, 1e-13)
    out = []
    for d in deltas:
        status, W, _ = ps.abreu_sannikov(U, dev, d, W0, tol, max_iter, slack)
        if status == ps.NOT_CONVERGED:
            raise SolverError(f"the payoff-set iteration did not converge in {max_iter} steps "
                              f"at δ = {d:g}")
        out.append(np.zeros((0, 2)) if status == ps.EMPTY else hull(W))
    return out


def payoff_set_bounds(rg: RepeatedGameValue, **options) -> tuple[np.ndarray, np.ndarray, float]:
    """``(inner, outer, Hausdorff distance)`` of the equilibrium payoff set."""
    inner = equilibrium_payoffs(rg, method="inner", **options)
    outer = equilibrium_payoffs(rg, method="outer", **options)
    return inner, outer, hausdorff_distance(inner, outer)


def _profile(rg: RepeatedGameValue, profile) -> AutomatonProfile:
    if isinstance(profile, AutomatonProfile):
        prof = profile
    else:
        s1, s2 = profile
        prof = AutomatonProfile.from_strategies(rg.stage_game, s1, s2)
    prof.validate(rg.stage_game)
    return prof


def _values(rg: RepeatedGameValue, prof: AutomatonProfile, delta: float) -> np.ndarray:
    """Normalised values V[s1, s2, i] of following the profile from every joint state."""
    A, B = rg.stage_game.bimatrix
    k1, k2 = A.shape
    pi1, pi2 = prof.policy(0, k1), prof.policy(1, k2)
    t1, t2 = prof.transitions
    S1, S2 = len(pi1), len(pi2)
    n = S1 * S2
    s1, s2 = np.divmod(np.arange(n), S2)
    P = np.zeros((n, n))
    u = np.zeros((n, 2))
    rows = np.arange(n)
    for a1 in range(k1):
        for a2 in range(k2):
            w = pi1[s1, a1] * pi2[s2, a2]
            nxt = t1[s1, a1, a2] * S2 + t2[s2, a2, a1]
            np.add.at(P, (rows, nxt), w)
            u += w[:, None] * np.array([A[a1, a2], B[a1, a2]])
    V = np.linalg.solve(np.eye(n) - delta * P, (1 - delta) * u)
    return V.reshape(S1, S2, 2)


def profile_payoffs(rg: RepeatedGameValue, profile, *, discount: float | None = None) -> np.ndarray:
    """Exact normalised discounted payoffs of a profile from its initial states."""
    prof = _profile(rg, profile)
    delta = rg.discount if discount is None else check_discount(discount)
    return _values(rg, prof, delta)[0, 0]


def _reachable(rg: RepeatedGameValue, prof: AutomatonProfile) -> list[tuple[int, int]]:
    """Joint states reachable after any history (every subgame)."""
    t1, t2 = prof.transitions
    seen = {(0, 0)}
    stack = [(0, 0)]
    while stack:
        s1, s2 = stack.pop()
        for a1 in range(t1.shape[1]):
            for a2 in range(t2.shape[1]):
                nxt = (int(t1[s1, a1, a2]), int(t2[s2, a2, a1]))
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
    return sorted(seen)


def deviation_gains(rg: RepeatedGameValue, profile, *, discount: float | None = None
                    ) -> list[Deviation]:
    """Every one-shot deviation with its gain (positive: profitable), over all subgames."""
    prof = _profile(rg, profile)
    delta = rg.discount if discount is None else check_discount(discount)
    V = _values(rg, prof, delta)
    A, B = rg.stage_game.bimatrix
    k1, k2 = A.shape
    pi1, pi2 = prof.policy(0, k1), prof.policy(1, k2)
    t1, t2 = prof.transitions
    out = []
    for s1, s2 in _reachable(rg, prof):
        # a pure deviation b, once, against the other's (possibly mixed) move; an action
        # the profile plays for sure is not a deviation, one it mixes must also be optimal
        for b in range(k1):
            if pi1[s1, b] == 1.0:
                continue
            dev = sum(pi2[s2, a2] * ((1 - delta) * A[b, a2]
                                     + delta * V[t1[s1, b, a2], t2[s2, a2, b], 0])
                      for a2 in range(k2))
            out.append(Deviation(0, (s1, s2), int(pi1[s1].argmax()), b,
                                 float(dev - V[s1, s2, 0])))
        for b in range(k2):
            if pi2[s2, b] == 1.0:
                continue
            dev = sum(pi1[s1, a1] * ((1 - delta) * B[a1, b]
                                     + delta * V[t1[s1, a1, b], t2[s2, b, a1], 1])
                      for a1 in range(k1))
            out.append(Deviation(1, (s1, s2), int(pi2[s2].argmax()), b,
                                 float(dev - V[s1, s2, 1])))
    return out


def is_subgame_perfect(rg: RepeatedGameValue, profile, *, discount: float | None = None,
                       tol: float = 1e-12) -> bool:
    """Subgame perfection by the one-shot deviation principle (Blackwell; Fudenberg &
    Tirole 1991, Thm 4.2): no profitable one-shot deviation in any subgame."""
    return profitable_deviation(rg, profile, discount=discount, tol=tol) is None


def profitable_deviation(rg: RepeatedGameValue, profile, *, discount: float | None = None,
                         tol: float = 1e-12) -> Deviation | None:
    """The most profitable one-shot deviation, or None when the profile is SPE."""
    gains = deviation_gains(rg, profile, discount=discount)
    best = max(gains, key=lambda d: d.gain, default=None)
    return best if best is not None and best.gain > tol else None


def best_response_value(rg: RepeatedGameValue, profile, player: int, *,
                        discount: float | None = None
                        ) -> float:
    """Value of the best strategy of ``player`` against the other's automaton (policy
    iteration on the MDP of the other automaton's states), from the initial state."""
    prof = _profile(rg, profile)
    delta = rg.discount if discount is None else check_discount(discount)
    A, B = rg.stage_game.bimatrix
    other = 1 - player
    U = A if player == 0 else B.T  # U[own action, other action]
    k_own, k_other = U.shape
    pi = prof.policy(other, k_other)                 # (S, k_other)
    tr = prof.transitions[other]                     # (S, k_other, k_own)
    S = len(pi)
    reward = pi @ U.T                                # (S, k_own): expected stage payoff
    # trans[b][s, s']: the other's next state when I play b and it plays by pi
    trans = np.zeros((k_own, S, S))
    for b in range(k_own):
        for a in range(k_other):
            np.add.at(trans[b], (np.arange(S), tr[:, a, b]), pi[:, a])
    policy = np.zeros(S, dtype=np.int64)
    for _ in range(1000):
        P = trans[policy, np.arange(S)]
        V = np.linalg.solve(np.eye(S) - delta * P,
                            (1 - delta) * reward[np.arange(S), policy])
        q = (1 - delta) * reward + delta * (trans @ V).T
        new = np.where(q.max(axis=1) > q[np.arange(S), policy] + 1e-13, q.argmax(axis=1),
                       policy)
        if np.array_equal(new, policy):
            return float(V[0])
        policy = new
    raise SolverError("policy iteration did not converge")  # pragma: no cover


def is_repeated_nash(rg: RepeatedGameValue, profile, *, discount: float | None = None,
                     tol: float = 1e-12) -> bool:
    """Nash equilibrium of the repeated game: no player gains by any deviation plan."""
    val = profile_payoffs(rg, profile, discount=discount)
    return all(best_response_value(rg, profile, i, discount=discount) <= val[i] + tol
               for i in range(2))


def critical_discount_factor(rg: RepeatedGameValue, profile, *, concept: str = "spe",
                             grid: int = 500, tol: float = 1e-9) -> list[tuple[float, float]]:
    """The discount factors at which the profile is an equilibrium, as intervals.

    The largest deviation gain is a continuous function of δ; its sign
    changes are located on a grid and refined by root search (Brent). The
    result lists closed intervals ``(lo, hi)``; a knife-edge point is
    ``(d, d)``; an empty list means no discount factor works. ``concept`` is
    ``"spe"`` (one-shot deviations in every subgame) or ``"nash"``.

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> from gametheory.strategies import TitForTat, WinStayLoseShift
    >>> rg = RepeatedGame(prisoners_dilemma())
    >>> rg.critical_discount_factor((TitForTat(), TitForTat()), concept="nash")
    [(0.6666666666..., 1.0)]
    >>> rg.critical_discount_factor((TitForTat(), TitForTat()))   # SPE: never here
    []
    >>> rg.critical_discount_factor((WinStayLoseShift(), WinStayLoseShift()))
    []
    """

    prof = _profile(rg, profile)
    # gains in unnormalised units (divided by 1 - δ), which do not vanish as δ -> 1
    if concept == "spe":
        def gain(d):
            return max((x.gain for x in deviation_gains(rg, prof, discount=d)),
                       default=-np.inf) / (1 - d)
    elif concept == "nash":
        def gain(d):
            val = profile_payoffs(rg, prof, discount=d)
            return max(best_response_value(rg, prof, i, discount=d) - val[i]
                       for i in range(2)) / (1 - d)
    else:
        raise RepeatedGameError(f"concept must be 'spe' or 'nash', got {concept!r}")
    return _discount_intervals(gain, grid=grid, tol=tol)


def _discount_intervals(gain, *, grid: int, tol: float) -> list[tuple[float, float]]:
    """The closed intervals of δ in (0, 1) where ``gain(δ) <= tol``: signs on a grid,
    edges by Brent's method, knife-edge points ``(d, d)`` by a golden-section search
    between grid points. Shared by the repeated- and stochastic-game thresholds."""
    from scipy.optimize import brentq

    ds = np.linspace(1e-6, 1 - 1e-6, grid)
    g = np.array([gain(d) for d in ds])
    ok = g <= tol
    intervals: list[tuple[float, float]] = []
    k = 0
    while k < len(ds):
        if not ok[k]:
            # a knife edge: the gain touches zero between grid points without crossing
            if 0 < k < len(ds) - 1 and g[k] < g[k - 1] and g[k] <= g[k + 1]:
                x, fx = _golden_minimum(gain, ds[k - 1], ds[k + 1])
                if fx <= tol:
                    intervals.append((x, x))
            k += 1
            continue
        j = k
        while j + 1 < len(ds) and ok[j + 1]:
            j += 1
        def edge(a, b):
            # Nash gains never go below zero, so locate where the gain leaves a thin band
            # above zero (1e-13), which is the threshold to that accuracy
            try:
                return brentq(lambda d: gain(d) - 1e-13, a, b, xtol=1e-15)
            except ValueError:  # pragma: no cover - no crossing at this resolution
                return b if gain(b) <= tol else a

        lo = 0.0 if k == 0 else edge(ds[k - 1], ds[k])
        hi = 1.0 if j == len(ds) - 1 else edge(ds[j], ds[j + 1])
        intervals.append((float(lo), float(hi)))
        k = j + 1
    return intervals


def _golden_minimum(f, a: float, b: float, iterations: int = 120) -> tuple[float, float]:
    """Minimum of a unimodal function on [a, b] by golden-section search to machine
    precision (SciPy's bounded Brent stops at a relative sqrt(eps), too coarse for the
    V-shaped minimum of a knife edge)."""
    ratio = (np.sqrt(5) - 1) / 2
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(iterations):
        if fc <= fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = f(d)
        if b - a < 1e-15:
            break
    return (float(c), float(fc)) if fc <= fd else (float(d), float(fd))


def nash_reversion_thresholds(game: Game, target: tuple[int, ...], punishment: tuple[int, ...]
                              ) -> list[Fraction | float]:
    """Smallest discount factor at which each player keeps to ``target`` under grim trigger.

    With reversion to the stage equilibrium ``punishment`` after any deviation,
    player i keeps to ``target`` iff ``δ >= (T_i - R_i) / (T_i - P_i)``, where
    ``R_i`` is i's payoff at ``target``, ``T_i`` the best one-shot deviation
    payoff and ``P_i`` the payoff at ``punishment`` (Friedman 1971, *Rev. Econ.
    Stud.* 38:1-12). Returns 0 when no deviation gains.

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> nash_reversion_thresholds(prisoners_dilemma(), (0, 0), (1, 1))
    [Fraction(1, 2), Fraction(1, 2)]
    """
    values = game.exact_payoffs if game.exact_payoffs is not None else game.payoffs
    out = []
    for i in range(game.n_players):
        R = values[target][i]
        deviations = []
        for a in range(game.shape[i]):
            prof = list(target)
            prof[i] = a
            deviations.append(values[tuple(prof)][i])
        T = max(deviations)
        P = values[punishment][i]
        if T <= R:
            out.append(Fraction(0) if isinstance(R, Fraction) else 0.0)
        elif T <= P:
            raise SolverError(f"{game.players[i]}: the punishment payoff {P} is not below the "
                              f"best deviation payoff {T}; no discount factor sustains the target")
        else:
            out.append((T - R) / (T - P))
    return out


def risk_dominance_threshold(game: Game) -> float:
    """δ above which grim-trigger cooperation risk-dominates always-defect in the repeated
    prisoner's dilemma: ``(T - R + P - S) / (T - S)`` (Blonski, Ockenfels & Spagnolo 2011).

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> risk_dominance_threshold(prisoners_dilemma())
    0.6
    """
    from ..games.views import make_views

    R, S, T, P = make_views(game)[0].rstp()
    return (T - R + P - S) / (T - S)


def basin_of_attraction_alld(game: Game, discount: float) -> float:
    """Share of Grim players below which always-defect is the better reply in the 2x2
    game of Grim against ALLD at discount δ (Dal Bó & Fréchette 2011): the size of
    ALLD's basin of attraction. Cooperation is risk dominant when it is below 1/2.

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> round(basin_of_attraction_alld(prisoners_dilemma(), 0.6), 12)
    0.5
    """
    from ..games.views import make_views

    d = check_discount(discount)
    R, S, T, P = make_views(game)[0].rstp()
    gg, gd = R, (1 - d) * S + d * P          # Grim against Grim, against ALLD
    dg, dd = (1 - d) * T + d * P, P          # ALLD against Grim, against ALLD
    denom = (gg - dg) - (gd - dd)
    if denom == 0:
        return 1.0 if dd > gd else 0.0
    p = (dd - gd) / denom
    return float(min(1.0, max(0.0, p)))


class RepeatedGame(RepeatedGameValue):
    """The repeated game with its algorithms as methods (``gt.RepeatedGame``): each method
    hands off to the function of the same name in this module.

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> rg = RepeatedGame(prisoners_dilemma(), discount=0.6)
    >>> grim = public_grim_trigger()
    >>> rg.is_subgame_perfect((grim, grim))
    True
    >>> rg.critical_discount_factor((grim, grim))   # (T - R) / (T - P)
    [(0.5, 1.0)]
    """

    def minmax(self, **options):
        return minmax(self, **options)

    def feasible_payoffs(self):
        return feasible_payoffs(self)

    def equilibrium_payoffs(self, **options):
        return equilibrium_payoffs(self, **options)

    def payoff_set_bounds(self, **options):
        return payoff_set_bounds(self, **options)

    def payoffs(self, profile, **options):
        return profile_payoffs(self, profile, **options)

    def deviation_gains(self, profile, **options):
        return deviation_gains(self, profile, **options)

    def is_subgame_perfect(self, profile, **options):
        return is_subgame_perfect(self, profile, **options)

    def profitable_deviation(self, profile, **options):
        return profitable_deviation(self, profile, **options)

    def best_response_value(self, profile, player, **options):
        return best_response_value(self, profile, player, **options)

    def is_nash(self, profile, **options):
        return is_repeated_nash(self, profile, **options)

    def critical_discount_factor(self, profile, **options):
        return critical_discount_factor(self, profile, **options)

    def plot_payoffs(self, ax=None):
        """Feasible set, minmax point and individually rational region. Returns the Axes."""
        import matplotlib.pyplot as plt
        from matplotlib.patches import Polygon

        from .._format import PALETTE

        if ax is None:
            _, ax = plt.subplots()
        verts = feasible_payoffs(self)
        ax.add_patch(Polygon(verts, closed=True, alpha=0.25, label="feasible",
                             facecolor=PALETTE[0], edgecolor=PALETTE[0]))
        v = minmax(self)
        ax.axvline(v[0], ls="--", lw=0.8, color="0.4")
        ax.axhline(v[1], ls="--", lw=0.8, color="0.4")
        ax.plot(*v, "ko", label="minmax")
        pts = self.stage_game.payoffs.reshape(-1, 2)
        ax.plot(pts[:, 0], pts[:, 1], "k.", ms=4)
        ax.set_xlabel(self.stage_game.players[0])
        ax.set_ylabel(self.stage_game.players[1])
        ax.autoscale_view()
        ax.legend(fontsize=8)
        return ax

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html(f"Repeated game, discount factor {self.discount:g}",
                           [("stage game", self.stage_game),
                            ("minmax payoffs (mixed)", minmax(self))])
