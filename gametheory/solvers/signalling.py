"""Pure perfect Bayesian equilibria of signalling games, and the intuitive criterion.

Every pair of pure strategies - a message per sender type, an action per message - is
checked (the number of pairs is bounded before the enumeration starts):

* **beliefs on the path** follow Bayes' rule from the prior and the sender's strategy;
* **off the path** the rule is the one of the definition of a perfect Bayesian
  equilibrium: any belief over the types may be held, so the receiver's action after
  an unsent message must be a best reply to *some* belief. Whether one exists is a
  linear feasibility problem (HiGHS through SciPy), and the result reports, for each
  type, the smallest and largest probability a supporting belief can give it;
* **sequential rationality**: the receiver's action after every message is a best
  reply to its belief, and no type of positive probability gains by sending another
  message.

Cho & Kreps's (1987) **intuitive criterion** is then applied to each equilibrium: for
an unsent message, the types for whom it is equilibrium-dominated (their equilibrium
payoff beats everything the message could bring under any best reply) are set aside;
the equilibrium fails if some remaining type would surely gain by the message when the
receiver's belief is confined to the remaining types.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import GameTooLargeError
from ..games.signalling import SignallingGame

__all__ = ["ANY_ACTION", "MAX_SIGNALLING_PROFILES", "MAX_SIGNALLING_SUPPORTS",
           "MixedSignallingEquilibrium", "SignallingEquilibrium", "SignallingResult",
           "signalling_equilibria"]

#: Largest number of pure strategy pairs enumerated.
MAX_SIGNALLING_PROFILES = 2_000_000
#: Largest number of support patterns (a set of messages per sender type of positive
#: prior, a set of actions per message) searched for mixed equilibria.
MAX_SIGNALLING_SUPPORTS = 200_000
#: The receiver's "action" after a message after which every action gives every type and
#: the receiver the same payoff (a sender's "stay quiet", say): the choice there is
#: reported once, under this label, instead of once per action.
ANY_ACTION = "(any action)"
#: A probability below this counts as zero in a mixed equilibrium's support.
SUPPORT_MIN = 1e-8
#: HiGHS tolerances for the support programs (payoffs are scaled to a range of 1).
_LP_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


def _supports(R: np.ndarray, action, types: np.ndarray, tol: float):
    """Whether every action in ``action`` (one index or several) is a best reply
    (within ``tol``) to one common belief on ``types`` (R: (T, A) receiver payoffs
    after one message); and the smallest and largest probability of each type over
    the supporting beliefs (None if there is none)."""
    from scipy.optimize import linprog

    T = R.shape[0]
    acts = (int(action),) if np.ndim(action) == 0 else tuple(int(a) for a in action)
    idx = np.flatnonzero(types)
    if idx.size == 0:
        return False, None
    # sum_t mu_t (R[t, a'] - R[t, a]) <= tol for every a in acts and every a'
    A_ub = np.vstack([(R[idx] - R[idx, a][:, None]).T for a in acts])
    b_ub = np.full(A_ub.shape[0], tol)
    A_eq = np.ones((1, idx.size))
    first = linprog(np.zeros(idx.size), A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0],
                    bounds=[(0, 1)] * idx.size, method="highs")
    if first.status != 0:
        return False, None
    lo, hi = np.zeros(T), np.zeros(T)
    for j, t in enumerate(idx):
        c = np.zeros(idx.size)
        c[j] = 1.0
        a = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0],
                    bounds=[(0, 1)] * idx.size, method="highs")
        b = linprog(-c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0],
                    bounds=[(0, 1)] * idx.size, method="highs")
        lo[t], hi[t] = float(a.x[j]) + 0.0, float(b.x[j]) + 0.0    # no -0.0
    return True, (lo, hi)


@dataclass(frozen=True)
class SignallingEquilibrium:
    """One pure perfect Bayesian equilibrium.

    Attributes
    ----------
    sender : dict
        Type -> message.
    receiver : dict
        Message -> action.
    beliefs : dict
        Message sent on the path -> the receiver's belief (type -> probability).
    off_path : dict
        Unsent message -> type -> (smallest, largest) probability among the beliefs
        that make the receiver's action a best reply.
    kind : str
        ``"pooling"``, ``"separating"`` or ``"partially pooling"``.
    payoffs : dict
        Type -> the sender's equilibrium payoff; ``"receiver"`` -> the receiver's
        expected payoff.
    intuitive : bool
        Passes the intuitive criterion.
    reason : str
        Why it fails the criterion ("" when it passes).
    """

    sender: dict
    receiver: dict
    beliefs: dict
    off_path: dict
    kind: str
    payoffs: dict
    intuitive: bool
    reason: str = ""

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html(f"A {self.kind} perfect Bayesian equilibrium",
                           [("sender", self.sender), ("receiver", self.receiver),
                            ("beliefs on the path", self.beliefs),
                            ("off-path beliefs (ranges)", self.off_path),
                            ("payoffs", self.payoffs),
                            ("intuitive criterion", "passes" if self.intuitive
                             else f"fails: {self.reason}")])


def _mix_text(mix: dict) -> str:
    """``{label: probability}`` as text; a pure choice as its label."""
    if len(mix) == 1:
        return next(iter(mix))
    return ", ".join(f"{k} {v:.4g}" for k, v in mix.items())


@dataclass(frozen=True)
class MixedSignallingEquilibrium(SignallingEquilibrium):
    """One support pattern of perfect Bayesian equilibria, possibly mixed
    (``signalling_equilibria(game, mixed=True)``).

    The equilibria with a given support pattern (the messages each type sends, the
    actions the receiver takes after each message) form a convex set: the sender's
    strategies are cut out by the receiver's indifference, the receiver's by the
    sender's, so the set is a product of two polytopes. ``sender`` and ``receiver``
    are one point of it (the one whose smallest support probability is largest);
    ``ranges`` gives, for each mixed probability, its smallest and largest value over
    the closure of the set (every point of which is an equilibrium).

    Attributes
    ----------
    sender : dict
        Type -> {message: probability} (types of positive prior only).
    receiver : dict
        Message -> {action: probability}.
    beliefs : dict
        Message sent with positive probability -> the receiver's belief (Bayes' rule).
    off_path : dict
        Unsent message -> type -> (smallest, largest) probability among the beliefs to
        which every action the receiver mixes over is a best reply.
    kind : str
        ``"pooling"``, ``"separating"``, ``"partially pooling"`` (every type sends one
        message) or ``"hybrid"`` (some type mixes: semi-separating).
    payoffs : dict
        Type -> the sender's payoff; ``"receiver"`` -> the receiver's expected payoff.
    intuitive : bool
    reason : str
    ranges : dict
        ``("sender", type, message)`` or ``("receiver", message, action)`` -> (smallest,
        largest) over the set's closure, for every probability of a mixed choice.
    isolated : bool
        Every such range is a single point (the pattern has one equilibrium).
    """

    ranges: dict = field(default_factory=dict)
    isolated: bool = True

    def pure(self) -> tuple[dict, dict] | None:
        """(type -> message, message -> action) when no one mixes, else None."""
        if any(len(v) > 1 for v in (*self.sender.values(), *self.receiver.values())):
            return None
        return ({t: next(iter(v)) for t, v in self.sender.items()},
                {m: next(iter(v)) for m, v in self.receiver.items()})

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html(f"A {self.kind} perfect Bayesian equilibrium",
                           [("sender", {t: _mix_text(v) for t, v in self.sender.items()}),
                            ("receiver", {m: _mix_text(v) for m, v in self.receiver.items()}),
                            ("beliefs on the path", self.beliefs),
                            ("off-path beliefs (ranges)", self.off_path),
                            ("payoffs", self.payoffs),
                            ("ranges over the component", self.ranges or "a single point"),
                            ("intuitive criterion", "passes" if self.intuitive
                             else f"fails: {self.reason}")])


@dataclass(frozen=True, eq=False)
class SignallingResult:
    """The perfect Bayesian equilibria found by :func:`signalling_equilibria`: every
    pure one, or with ``mixed=True`` every support pattern (``details["mixed"]``)."""

    equilibria: list
    game: SignallingGame = field(repr=False)
    details: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.equilibria)

    def __getitem__(self, k: int):
        return self.equilibria[k]

    def intuitive(self) -> list[SignallingEquilibrium]:
        """The equilibria that pass the intuitive criterion."""
        return [e for e in self.equilibria if e.intuitive]

    def to_frame(self):
        """One row per equilibrium: the sender's and receiver's strategies, its kind,
        the off-path beliefs and the intuitive criterion."""
        import pandas as pd

        rows = []
        for k, e in enumerate(self.equilibria):
            mixed = isinstance(e, MixedSignallingEquilibrium)
            row = {"equilibrium": k, "kind": e.kind}
            row.update({f"sends ({t})": _mix_text(m) if mixed else m
                        for t, m in e.sender.items()})
            row.update({f"after {m}": _mix_text(a) if mixed else a
                        for m, a in e.receiver.items()})
            row["off-path beliefs"] = "; ".join(
                f"after {m}: " + ", ".join(f"P({t}) in [{lo:.3g}, {hi:.3g}]"
                                           for t, (lo, hi) in b.items())
                for m, b in e.off_path.items())
            if mixed:
                row["isolated"] = e.isolated
            row["intuitive"] = e.intuitive
            row["fails because"] = e.reason
            rows.append(row)
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        from .._format import frame_html

        what = ("support patterns of perfect Bayesian equilibria" if self.details.get("mixed")
                else "pure perfect Bayesian equilibri" + ("um" if len(self) == 1 else "a"))
        return frame_html(self.to_frame(), f"{len(self)} {what} of "
                          f"{self.game.title or 'the signalling game'}")


def signalling_equilibria(game: SignallingGame, *, mixed: bool = False,
                          tol: float = 1e-9) -> SignallingResult:
    """Every pure perfect Bayesian equilibrium, or every support pattern of mixed
    ones, with the intuitive criterion.

    Parameters
    ----------
    game : SignallingGame
    mixed : bool
        False: every pure equilibrium (:class:`SignallingEquilibrium`). True: every
        support pattern - a set of messages for each type of positive prior, a set of
        actions after each message - that has an equilibrium, pure, mixed or hybrid
        (semi-separating), each as a :class:`MixedSignallingEquilibrium` with one point
        of the pattern's (convex) set of equilibria and the range of every mixed
        probability over it. Given the supports, the conditions are linear: the
        receiver's indifference among its actions after a message is linear in the
        sender's strategy (Bayes' rule without the normalisation), each type's
        indifference among its messages linear in the receiver's, and the belief after
        an unsent message is a separate variable; so each pattern is decided by a
        linear program (HiGHS) maximising the smallest support probability, which
        must exceed :data:`SUPPORT_MIN`. Every point returned is verified (each type
        and the receiver after every sent message within ``tol`` of a best reply).
    tol : float
        Best-reply tolerance, relative to each player's payoff range.

    Returns
    -------
    SignallingResult

    Raises
    ------
    GameTooLargeError
        More than :data:`MAX_SIGNALLING_PROFILES` strategy pairs, or with ``mixed``
        more than :data:`MAX_SIGNALLING_SUPPORTS` support patterns.
    SolverError
        A point a support program returned failed the best-reply check.

    Examples
    --------
    >>> from gametheory.games import beer_quiche
    >>> res = signalling_equilibria(beer_quiche())
    >>> [(e.sender, e.intuitive) for e in res]
    [({'weak': 'beer', 'strong': 'beer'}, True), ({'weak': 'quiche', 'strong': 'quiche'}, False)]

    When the prior makes the sender weak with probability 0.9 there is no pure
    equilibrium; the only one is hybrid: the weak type drinks beer with probability
    1/9, just enough to leave the receiver indifferent after beer, who then duels
    with probability 1/2, just enough to leave the weak type indifferent.

    >>> res = signalling_equilibria(beer_quiche(0.1), mixed=True)
    >>> [(e.kind, e.sender["weak"]["beer"], e.receiver["beer"]["duel"]) for e in res]
    [('hybrid', 0.1111111111111111, 0.5)]
    """
    if mixed:
        return _mixed_equilibria(game, tol)
    T, M, A = game.shape
    n = float(M) ** T * float(A) ** M
    if n > MAX_SIGNALLING_PROFILES:
        raise GameTooLargeError(f"{n:,.0f} pure strategy pairs ({M} messages for {T} types, "
                                f"{A} actions after {M} messages); the limit is "
                                f"{MAX_SIGNALLING_PROFILES:,}")
    S, R, prior = game.sender, game.receiver, game.prior
    tol_s = tol * max(float(np.ptp(S)), 1.0)
    tol_r = tol * max(float(np.ptp(R)), 1.0)
    live = prior > 0
    all_types = np.ones(T, dtype=bool)
    cache: dict[tuple, Any] = {}

    def support(m: int, a: int, types: np.ndarray):
        key = (m, a, types.tobytes())
        if key not in cache:
            cache[key] = _supports(R[:, m, :], a, types, tol_r)
        return cache[key]

    idle = _idle_messages(game)
    out = []
    for sends in itertools.product(range(M), repeat=T):
        sends = np.array(sends)
        mass = np.array([prior[sends == m].sum() for m in range(M)])
        # receiver's best replies on the path (all of them: ties stay ties)
        options = []
        for m in range(M):
            if idle[m]:
                options.append(np.array([0]))
            elif mass[m] > 0:
                mu = np.where(sends == m, prior, 0.0) / mass[m]
                v = mu @ R[:, m, :]
                options.append(np.flatnonzero(v >= v.max() - tol_r))
            else:
                options.append(np.array([a for a in range(A)
                                         if support(m, a, all_types)[0]]))
        for acts in itertools.product(*options):
            acts = np.array(acts)
            got = S[np.arange(T), sends, acts[sends]]
            best = np.array([max(S[t, m, acts[m]] for m in range(M)) for t in range(T)])
            if np.any(live & (got < best - tol_s)):
                continue
            out.append(_describe(game, sends, acts, mass, got, support, tol_s))
    return SignallingResult(equilibria=out, game=game,
                            details={"profiles": int(n), "off_path_rule":
                                     "any belief that makes the action a best reply"})


def _idle_messages(game: SignallingGame) -> np.ndarray:
    """Messages after which the receiver's action changes no one's payoff."""
    S, R = game.sender, game.receiver
    return np.array([bool((S[:, m, :] == S[:, m, :1]).all() and (R[:, m, :] == R[:, m, :1]).all())
                     for m in range(game.shape[1])])


def _sums_to_one(blocks: int, size: int) -> list[tuple[np.ndarray, float]]:
    """Equality rows of a support program: each of ``blocks`` consecutive runs of
    ``size`` probabilities sums to one (the last column, eps, is not in them)."""
    rows = []
    for k in range(blocks):
        row = np.zeros(blocks * size + 1)
        row[k * size:(k + 1) * size] = 1.0
        rows.append((row, 1.0))
    return rows


def _subsets(k: int) -> list[tuple[int, ...]]:
    return [c for r in range(1, k + 1) for c in itertools.combinations(range(k), r)]


def _max_min_support(c_rows, eq_rows, n_vars: int, support: list[int], free: list[bool]):
    """Solve the support program: variables in ``support`` >= eps, the others zero
    (``free`` marks which may be positive), ``c_rows`` (list of coefficient vectors,
    each <= 0) and ``eq_rows`` (list of (vector, rhs)); maximise eps. Returns
    (x, eps) or None."""
    from scipy.optimize import linprog

    n = n_vars + 1
    A_ub = [row for row in c_rows]
    for j in support:
        r = np.zeros(n)
        r[j], r[-1] = -1.0, 1.0
        A_ub.append(r)
    A_ub = np.array(A_ub) if A_ub else None
    b_ub = np.zeros(A_ub.shape[0]) if A_ub is not None else None
    A_eq = np.array([r for r, _ in eq_rows])
    b_eq = np.array([v for _, v in eq_rows])
    bounds = [(0.0, 1.0) if f else (0.0, 0.0) for f in free] + [(0.0, 1.0)]
    c = np.zeros(n)
    c[-1] = -1.0
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds,
                  method="highs", options=_LP_OPTIONS)
    if res.status != 0 or res.x[-1] < SUPPORT_MIN:
        return None
    return res.x[:-1], (A_ub, b_ub, A_eq, b_eq, bounds)


def _ranges(program, idx: list[int]) -> dict[int, tuple[float, float]]:
    """Smallest and largest value of each variable in ``idx`` over the closure of a
    support program's feasible set (eps >= 0)."""
    from scipy.optimize import linprog

    A_ub, b_ub, A_eq, b_eq, bounds = program
    out = {}
    for j in idx:
        c = np.zeros(len(bounds))
        c[j] = 1.0
        lo = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds,
                     method="highs", options=_LP_OPTIONS)
        hi = linprog(-c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds,
                     method="highs", options=_LP_OPTIONS)
        out[j] = (float(min(max(lo.x[j], 0.0), 1.0)) + 0.0, float(min(max(hi.x[j], 0.0), 1.0)))
    return out


def _mixed_equilibria(game: SignallingGame, tol: float) -> SignallingResult:
    T, M, A = game.shape
    S, R, prior = game.sender, game.receiver, game.prior
    live = [int(t) for t in np.flatnonzero(prior > 0)]
    L = len(live)
    n = float(2 ** M - 1) ** L * float(2 ** A - 1) ** M
    if n > MAX_SIGNALLING_SUPPORTS:
        raise GameTooLargeError(f"{n:,.0f} support patterns ({M} messages for {L} types, "
                                f"{A} actions after {M} messages); the limit is "
                                f"{MAX_SIGNALLING_SUPPORTS:,}")
    scale_s, scale_r = float(np.ptp(S)) or 1.0, float(np.ptp(R)) or 1.0
    Sn, Rn = S / scale_s, R / scale_r
    tol_s = tol * max(scale_s, 1.0)
    check = max(tol, 1e-8)                 # verification, in scaled payoffs
    everyone = np.ones(T, dtype=bool)
    cache: dict[tuple, Any] = {}

    def support(m: int, acts, types: np.ndarray):
        key = (m, acts if isinstance(acts, tuple) else (int(acts),), types.tobytes())
        if key not in cache:
            cache[key] = _supports(Rn[:, m, :], key[1], types, 0.0)
        return cache[key]

    msub, asub = _subsets(M), _subsets(A)
    idle = _idle_messages(game)
    r_eq = _sums_to_one(M, A)
    out, programs = [], 0
    for spat in itertools.product(msub, repeat=L):
        senders = [np.array([t in live and m in spat[live.index(t)] for t in range(T)])
                   for m in range(M)]
        on = [m for m in range(M) if senders[m].any()]
        off = [m for m in range(M) if not senders[m].any()]
        on_opts = [[(0,)] if idle[m] else [a for a in asub if support(m, a, senders[m])[0]]
                   for m in on]
        off_opts = [[(0,)] if idle[m] else [a for a in asub if support(m, a, everyone)[0]]
                    for m in off]
        # the sender's program: variables sigma(m | t) for live t (index k * M + m)
        s_free = [m in spat[k] for k in range(L) for m in range(M)]
        s_supp = [k * M + m for k in range(L) for m in spat[k]]
        s_eq = _sums_to_one(L, M)
        # the receiver's program: variables rho(a | m) (index m * A + a); no type gains
        # by another message than those it sends
        rrows = []
        for k, t in enumerate(live):
            for m in spat[k]:
                for m2 in range(M):
                    if m2 != m:
                        row = np.zeros(M * A + 1)
                        row[m2 * A:(m2 + 1) * A] += Sn[t, m2]
                        row[m * A:(m + 1) * A] -= Sn[t, m]
                        rrows.append(row)
        for on_sup in itertools.product(*on_opts):
            rows = []
            for m, acts in zip(on, on_sup, strict=True):
                for a in acts:
                    for b in range(A):
                        if b == a:
                            continue
                        row = np.zeros(L * M + 1)
                        for k, t in enumerate(live):
                            row[k * M + m] = prior[t] * (Rn[t, m, b] - Rn[t, m, a])
                        rows.append(row)
            programs += 1
            got_s = _max_min_support(rows, s_eq, L * M, s_supp, s_free)
            if got_s is None:
                continue
            xs, s_prog = got_s
            for off_sup in itertools.product(*off_opts):
                rsup = dict(zip(on, on_sup, strict=True)) | dict(zip(off, off_sup, strict=True))
                r_free = [a in rsup[m] for m in range(M) for a in range(A)]
                r_supp = [m * A + a for m in range(M) for a in rsup[m]]
                programs += 1
                got_r = _max_min_support(rrows, r_eq, M * A, r_supp, r_free)
                if got_r is None:
                    continue
                yr, r_prog = got_r
                out.append(_describe_mixed(game, live, spat, rsup, xs, s_prog, yr, r_prog,
                                           support, Sn, Rn, check, tol_s, idle))
    return SignallingResult(equilibria=out, game=game,
                            details={"mixed": True, "patterns": int(n),
                                     "programs": programs, "support_min": SUPPORT_MIN,
                                     "off_path_rule": "any belief that makes every action "
                                                      "mixed over a best reply"})


def _describe_mixed(game, live, spat, rsup, xs, s_prog, yr, r_prog, support, Sn, Rn,
                    check, tol_s, idle) -> MixedSignallingEquilibrium:
    from ..errors import SolverError

    S, R, prior = game.sender, game.receiver, game.prior
    T, M, A = game.shape
    L = len(live)
    sig = np.zeros((T, M))
    for k, t in enumerate(live):
        row = np.where([m in spat[k] for m in range(M)], np.clip(xs[k * M:(k + 1) * M], 0, 1), 0)
        sig[t] = row / row.sum()
    rho = np.zeros((M, A))
    for m in range(M):
        row = np.where([a in rsup[m] for a in range(A)], np.clip(yr[m * A:(m + 1) * A], 0, 1), 0)
        rho[m] = row / row.sum()
    # verify: every type of positive prior, the receiver after every sent message
    U = np.einsum("ma,tma->tm", rho, Sn)
    w = prior[:, None] * sig                              # (T, M) joint weights
    mass = w.sum(axis=0)
    for t in live:
        if U[t].max() - sig[t] @ U[t] > check:
            raise SolverError(f"support program returned a point where type "
                              f"{game.types[t]!r} gains {U[t].max() - sig[t] @ U[t]:.3g} "
                              f"(scaled) by another message")
    beliefs = {}
    for m in range(M):
        if mass[m] <= 0:
            continue
        mu = w[:, m] / mass[m]
        v = mu @ Rn[:, m, :]
        if v.max() - rho[m] @ v > check:
            raise SolverError(f"support program returned a point where the receiver gains "
                              f"{v.max() - rho[m] @ v:.3g} (scaled) after "
                              f"{game.messages[m]!r}")
        beliefs[game.messages[m]] = {game.types[t]: float(mu[t]) for t in range(T)}
    off = {}
    for m in range(M):
        if mass[m] <= 0 and not idle[m]:
            _, (lo, hi) = support(m, rsup[m], np.ones(T, dtype=bool))
            off[game.messages[m]] = {game.types[t]: (float(lo[t]), float(hi[t]))
                                     for t in range(T)}
    got = np.array([float(sig[t] @ (np.einsum("ma,ma->m", rho, S[t]))) for t in range(T)])
    pure_types = all(len(spat[k]) == 1 for k in range(L))
    sent = {spat[k][0] for k in range(L)} if pure_types else set()
    kind = ("hybrid" if not pure_types else "pooling" if len(sent) == 1
            else "separating" if len(sent) == L else "partially pooling")
    intuitive, reason = _intuitive(game, mass, got, lambda m, a, ty: support(m, (a,), ty),
                                   tol_s)
    ranges = {}
    s_idx = [k * M + m for k in range(L) if len(spat[k]) > 1 for m in spat[k]]
    for j, (lo, hi) in _ranges(s_prog, s_idx).items():
        ranges[("sender", game.types[live[j // M]], game.messages[j % M])] = (lo, hi)
    r_idx = [m * A + a for m in range(M) if len(rsup[m]) > 1 for a in rsup[m]]
    for j, (lo, hi) in _ranges(r_prog, r_idx).items():
        ranges[("receiver", game.messages[j // A], game.actions[j % A])] = (lo, hi)
    payoffs = {game.types[t]: float(got[t]) for t in live}
    payoffs["receiver"] = float(np.einsum("tm,ma,tma->", w, rho, R))
    return MixedSignallingEquilibrium(
        sender={game.types[t]: {game.messages[m]: float(sig[t, m]) for m in range(M)
                                if sig[t, m] > 0} for t in live},
        receiver={game.messages[m]: ({ANY_ACTION: 1.0} if idle[m] else
                                     {game.actions[a]: float(rho[m, a]) for a in range(A)
                                      if rho[m, a] > 0}) for m in range(M)},
        beliefs=beliefs, off_path=off, kind=kind, payoffs=payoffs, intuitive=intuitive,
        reason=reason, ranges=ranges,
        isolated=all(hi - lo <= 1e-9 for lo, hi in ranges.values()))


def _describe(game, sends, acts, mass, got, support, tol_s) -> SignallingEquilibrium:
    R, prior = game.receiver, game.prior
    T, M, _ = game.shape
    live = prior > 0
    idle = _idle_messages(game)
    beliefs, off = {}, {}
    for m in range(M):
        if mass[m] > 0:
            mu = np.where(sends == m, prior, 0.0) / mass[m]
            beliefs[game.messages[m]] = {game.types[t]: float(mu[t]) for t in range(T)}
        elif not idle[m]:
            _, (lo, hi) = support(m, int(acts[m]), np.ones(T, dtype=bool))
            off[game.messages[m]] = {game.types[t]: (float(lo[t]), float(hi[t]))
                                     for t in range(T)}
    sent = {int(sends[t]) for t in range(T) if live[t]}
    n_live = int(live.sum())
    kind = ("pooling" if len(sent) == 1 else "separating" if len(sent) == n_live
            else "partially pooling")
    intuitive, reason = _intuitive(game, mass, got, support, tol_s)
    payoffs = {game.types[t]: float(got[t]) for t in range(T)}
    payoffs["receiver"] = float(sum(prior[t] * R[t, sends[t], acts[sends[t]]]
                                    for t in range(T)))
    return SignallingEquilibrium(
        sender={game.types[t]: game.messages[int(sends[t])] for t in range(T)},
        receiver={game.messages[m]: ANY_ACTION if idle[m] else game.actions[int(acts[m])]
                  for m in range(M)},
        beliefs=beliefs, off_path=off, kind=kind, payoffs=payoffs, intuitive=intuitive,
        reason=reason)


def _intuitive(game, mass, got, support, tol_s) -> tuple[bool, str]:
    """Cho & Kreps's intuitive criterion on every unsent message (``mass`` the
    probability each message is sent, ``got`` each type's equilibrium payoff)."""
    S, prior = game.sender, game.prior
    T, M, A = game.shape
    live = prior > 0
    everyone = np.ones(T, dtype=bool)
    for m in range(M):
        if mass[m] > 0:
            continue
        br_all = [a for a in range(A) if support(m, a, everyone)[0]]
        dominated = np.array([live[t] and got[t] > max(S[t, m, a] for a in br_all) + tol_s
                              for t in range(T)])
        keep = live & ~dominated
        if not keep.any():
            continue
        br_keep = [a for a in range(A) if support(m, a, keep)[0]]
        for t in np.flatnonzero(keep):
            if br_keep and min(S[t, m, a] for a in br_keep) > got[t] + tol_s:
                return False, (
                    f"after {game.messages[m]!r} the receiver should not believe the "
                    f"sender is "
                    + " or ".join(repr(game.types[u]) for u in np.flatnonzero(dominated))
                    + f" (the message cannot pay for that type); then {game.types[t]!r} "
                    f"gains by sending it ({min(S[t, m, a] for a in br_keep):g} > "
                    f"{got[t]:g})")
    return True, ""
