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

__all__ = ["MAX_SIGNALLING_PROFILES", "SignallingEquilibrium", "SignallingResult",
           "signalling_equilibria"]

#: Largest number of pure strategy pairs enumerated.
MAX_SIGNALLING_PROFILES = 2_000_000


def _supports(R: np.ndarray, action: int, types: np.ndarray, tol: float):
    """Whether ``action`` is a best reply (within ``tol``) to some belief on ``types``
    (R: (T, A) receiver payoffs after one message); and the smallest and largest
    probability of each type over the supporting beliefs (None if none)."""
    from scipy.optimize import linprog

    T, A = R.shape
    idx = np.flatnonzero(types)
    if idx.size == 0:
        return False, None
    # sum_t mu_t (R[t, a'] - R[t, action]) <= tol for every a'
    A_ub = (R[idx] - R[idx, action][:, None]).T
    b_ub = np.full(A, tol)
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
        lo[t], hi[t] = float(a.x[j]), float(b.x[j])
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


@dataclass(frozen=True, eq=False)
class SignallingResult:
    """All pure perfect Bayesian equilibria (:func:`signalling_equilibria`)."""

    equilibria: list
    game: SignallingGame = field(repr=False)
    details: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.equilibria)

    def __getitem__(self, k: int) -> SignallingEquilibrium:
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
            row = {"equilibrium": k, "kind": e.kind}
            row.update({f"sends ({t})": m for t, m in e.sender.items()})
            row.update({f"after {m}": a for m, a in e.receiver.items()})
            row["off-path beliefs"] = "; ".join(
                f"after {m}: " + ", ".join(f"P({t}) in [{lo:.3g}, {hi:.3g}]"
                                           for t, (lo, hi) in b.items())
                for m, b in e.off_path.items())
            row["intuitive"] = e.intuitive
            row["fails because"] = e.reason
            rows.append(row)
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        from .._format import frame_html

        return frame_html(self.to_frame(), f"{len(self)} pure perfect Bayesian equilibri"
                          f"{'um' if len(self) == 1 else 'a'} of "
                          f"{self.game.title or 'the signalling game'}")


def signalling_equilibria(game: SignallingGame, *, tol: float = 1e-9) -> SignallingResult:
    """Every pure perfect Bayesian equilibrium, with the intuitive criterion.

    Parameters
    ----------
    game : SignallingGame
    tol : float
        Best-reply tolerance, relative to each player's payoff range.

    Returns
    -------
    SignallingResult

    Raises
    ------
    GameTooLargeError
        More than :data:`MAX_SIGNALLING_PROFILES` strategy pairs.

    Examples
    --------
    >>> from gametheory.games import beer_quiche
    >>> res = signalling_equilibria(beer_quiche())
    >>> [(e.sender, e.intuitive) for e in res]
    [({'weak': 'beer', 'strong': 'beer'}, True), ({'weak': 'quiche', 'strong': 'quiche'}, False)]
    """
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

    out = []
    for sends in itertools.product(range(M), repeat=T):
        sends = np.array(sends)
        mass = np.array([prior[sends == m].sum() for m in range(M)])
        # receiver's best replies on the path (all of them: ties stay ties)
        options = []
        for m in range(M):
            if mass[m] > 0:
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


def _describe(game, sends, acts, mass, got, support, tol_s) -> SignallingEquilibrium:
    S, R, prior = game.sender, game.receiver, game.prior
    T, M, A = game.shape
    live = prior > 0
    beliefs, off = {}, {}
    for m in range(M):
        if mass[m] > 0:
            mu = np.where(sends == m, prior, 0.0) / mass[m]
            beliefs[game.messages[m]] = {game.types[t]: float(mu[t]) for t in range(T)}
        else:
            _, (lo, hi) = support(m, int(acts[m]), np.ones(T, dtype=bool))
            off[game.messages[m]] = {game.types[t]: (float(lo[t]), float(hi[t]))
                                     for t in range(T)}
    sent = {int(sends[t]) for t in range(T) if live[t]}
    n_live = int(live.sum())
    kind = ("pooling" if len(sent) == 1 else "separating" if len(sent) == n_live
            else "partially pooling")
    # the intuitive criterion on each unsent message
    intuitive, reason = True, ""
    for m in range(M):
        if mass[m] > 0:
            continue
        br_all = [a for a in range(A) if support(m, a, np.ones(T, dtype=bool))[0]]
        dominated = np.array([live[t] and got[t] > max(S[t, m, a] for a in br_all) + tol_s
                              for t in range(T)])
        keep = live & ~dominated
        if not keep.any():
            continue
        br_keep = [a for a in range(A) if support(m, a, keep)[0]]
        for t in np.flatnonzero(keep):
            if br_keep and min(S[t, m, a] for a in br_keep) > got[t] + tol_s:
                intuitive = False
                reason = (f"after {game.messages[m]!r} the receiver should not believe the "
                          f"sender is "
                          + " or ".join(repr(game.types[u]) for u in np.flatnonzero(dominated))
                          + f" (the message cannot pay for that type); then {game.types[t]!r} "
                          f"gains by sending it ({min(S[t, m, a] for a in br_keep):g} > "
                          f"{got[t]:g})")
                break
        if not intuitive:
            break
    payoffs = {game.types[t]: float(got[t]) for t in range(T)}
    payoffs["receiver"] = float(sum(prior[t] * R[t, sends[t], acts[sends[t]]]
                                    for t in range(T)))
    return SignallingEquilibrium(
        sender={game.types[t]: game.messages[int(sends[t])] for t in range(T)},
        receiver={game.messages[m]: game.actions[int(acts[m])] for m in range(M)},
        beliefs=beliefs, off_path=off, kind=kind, payoffs=payoffs, intuitive=intuitive,
        reason=reason)
