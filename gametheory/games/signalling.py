"""Signalling games: a sender with a private type sends a message, a receiver who sees
only the message acts (Spence 1973; Cho & Kreps 1987).

A :class:`SignallingGame` holds the prior over the sender's types and both players'
payoffs for every (type, message, action). Its perfect Bayesian equilibria are in
:func:`~gametheory.solvers.signalling_equilibria`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import PayoffError, ProfileError, ShapeError

__all__ = ["SignallingGame", "audience_cost_game", "audience_cost_tree", "beer_quiche",
           "reassurance_game"]


@dataclass(frozen=True, eq=False)
class SignallingGame:
    """A sender-receiver game of incomplete information.

    Parameters
    ----------
    prior : array_like, shape (T,)
        Probability of each sender type (non-negative, sums to one).
    sender, receiver : array_like, shape (T, M, A)
        Payoffs for type, message, receiver action.
    types, messages, actions : sequence of str, optional
        Labels.
    title : str

    Examples
    --------
    >>> g = beer_quiche()
    >>> g.types, g.messages, g.actions
    (('weak', 'strong'), ('beer', 'quiche'), ('duel', "don't"))
    """

    prior: np.ndarray
    sender: np.ndarray
    receiver: np.ndarray
    types: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    title: str = ""

    def __post_init__(self):
        try:
            p = np.asarray(self.prior, dtype=float)
            S = np.asarray(self.sender, dtype=float)
            R = np.asarray(self.receiver, dtype=float)
        except (TypeError, ValueError) as exc:
            raise PayoffError(f"prior and payoffs must be numbers: {exc}") from None
        if p.ndim != 1 or p.size < 1:
            raise ShapeError(f"the prior must be a vector over types, got shape {p.shape}")
        if S.ndim != 3 or S.shape[0] != p.size:
            raise ShapeError(f"sender payoffs need shape (types {p.size}, messages, actions), "
                             f"got {S.shape}")
        if R.shape != S.shape:
            raise ShapeError(f"receiver payoffs have shape {R.shape}, the sender's {S.shape}")
        if 0 in S.shape:
            raise ShapeError(f"at least one type, message and action: {S.shape}")
        for name, arr in (("sender", S), ("receiver", R)):
            if not np.isfinite(arr).all():
                bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
                raise PayoffError(f"{name} payoffs must be finite (NaN or inf at {bad})")
        if not np.isfinite(p).all() or (p < 0).any():
            raise ProfileError(f"prior probabilities must be finite and >= 0, got {p}")
        if abs(p.sum() - 1) > 1e-9:
            raise ProfileError(f"the prior must sum to 1, sums to {p.sum():.12g}")
        T, M, A = S.shape
        labels = {}
        for name, given, k, stem in (("types", self.types, T, "t"),
                                     ("messages", self.messages, M, "m"),
                                     ("actions", self.actions, A, "a")):
            lab = tuple(map(str, given)) or tuple(f"{stem}{j + 1}" for j in range(k))
            if len(lab) != k or len(set(lab)) != k:
                raise ShapeError(f"{name}: need {k} distinct labels, got {lab}")
            labels[name] = lab
        for arr in (p, S, R):
            arr.setflags(write=False)
        for key, val in (("prior", p), ("sender", S), ("receiver", R), *labels.items()):
            object.__setattr__(self, key, val)

    @property
    def shape(self) -> tuple[int, int, int]:
        """(types, messages, actions)."""
        return self.sender.shape

    def _repr_html_(self) -> str:
        from .._format import table_html

        T, M, A = self.shape
        rows = [[self.types[t], f"{self.prior[t]:.4g}", self.messages[m], self.actions[a],
                 f"{self.sender[t, m, a]:g}", f"{self.receiver[t, m, a]:g}"]
                for t in range(T) for m in range(M) for a in range(A)]
        return (f"<p><b>{self.title or 'Signalling game'}</b></p>"
                + table_html(["type", "prior", "message", "action", "sender", "receiver"],
                             rows, caption="Payoffs"))


def beer_quiche(p_strong: float = 0.9) -> SignallingGame:
    """Cho & Kreps's (1987) beer-quiche game.

    The sender is strong (probability ``p_strong``) or weak. A strong sender prefers
    beer for breakfast, a weak one quiche (worth 1); avoiding a duel is worth 2. The
    receiver gains 1 by dueling a weak sender or by not dueling a strong one.
    """
    T, M, A = 2, 2, 2
    S = np.zeros((T, M, A))
    R = np.zeros((T, M, A))
    for t in range(T):              # 0 weak, 1 strong
        for m in range(M):          # 0 beer, 1 quiche
            for a in range(A):      # 0 duel, 1 don't
                S[t, m, a] = (1 if (t == 1) == (m == 0) else 0) + (2 if a == 1 else 0)
                R[t, m, a] = 1 if (a == 0) == (t == 0) else 0
    return SignallingGame([1 - p_strong, p_strong], S, R, types=["weak", "strong"],
                          messages=["beer", "quiche"], actions=["duel", "don't"],
                          title="Beer-quiche (Cho & Kreps 1987)")


def reassurance_game(p_trustworthy: float = 0.5, *, cost: float = 1.0,
                     value_trustworthy: float = 2.0, value_untrustworthy: float = 0.5,
                     gain: float = 1.0, loss: float = 2.0) -> SignallingGame:
    """A costly-reassurance game (Kydd 2000; "sinking costs" in Fearon 1997).

    The sender is trustworthy (probability ``p_trustworthy``) or not. It may make a
    costly conciliatory gesture (``cost``, paid by either type: a unilateral lifting
    of restrictions, say) or not; the receiver then cooperates or guards. Being met
    with cooperation is worth ``value_trustworthy`` to a trustworthy sender and
    ``value_untrustworthy`` to an untrustworthy one (what exploiting trust is worth);
    guarding gives the sender 0. The receiver gains ``gain`` by cooperating with a
    trustworthy sender, loses ``loss`` by cooperating with an untrustworthy one, and
    gets 0 by guarding.

    Kydd's result, as pure perfect Bayesian equilibria: the gesture reassures - a
    separating equilibrium in which only the trustworthy type makes it and is met
    with cooperation - if and only if ``value_untrustworthy <= cost <=
    value_trustworthy`` (trustworthy types are more willing to pay for trust).
    A costless gesture (``cost = 0``, cheap talk such as a standing offer) can never
    separate while the untrustworthy type values trust. When the receiver would guard
    on the prior (``p gain < (1 - p) loss``), pooling on no gesture with guarding is
    an equilibrium too, but it fails the intuitive criterion whenever the gesture
    separates. The tests check these conditions.

    Examples
    --------
    >>> from gametheory.solvers import signalling_equilibria
    >>> res = signalling_equilibria(reassurance_game(0.3, cost=1.0))
    >>> sorted((e.kind, e.intuitive) for e in res)
    [('pooling', False), ('separating', True)]
    >>> [e.sender for e in res if e.kind == "separating"]
    [{'trustworthy': 'gesture', 'untrustworthy': 'none'}]
    """
    for name, v in (("cost", cost), ("value_trustworthy", value_trustworthy),
                    ("value_untrustworthy", value_untrustworthy), ("gain", gain),
                    ("loss", loss)):
        if not np.isfinite(float(v)):
            raise PayoffError(f"{name} must be a finite number, got {v!r}")
    values = (float(value_trustworthy), float(value_untrustworthy))
    S = np.zeros((2, 2, 2))
    R = np.zeros((2, 2, 2))
    for t in range(2):               # 0 trustworthy, 1 untrustworthy
        for m in range(2):           # 0 gesture, 1 none
            for a in range(2):       # 0 cooperate, 1 guard
                S[t, m, a] = (values[t] if a == 0 else 0.0) - (float(cost) if m == 0 else 0.0)
                R[t, m, a] = 0.0 if a == 1 else (float(gain) if t == 0 else -float(loss))
    return SignallingGame([p_trustworthy, 1 - p_trustworthy], S, R,
                          types=["trustworthy", "untrustworthy"],
                          messages=["gesture", "none"], actions=["cooperate", "guard"],
                          title="Costly reassurance (Kydd 2000)")


def _audience_parameters(p_resolved, prize, audience_cost, war_resolved, war_irresolute,
                         war_target) -> dict[str, float]:
    out = {}
    for name, v in (("p_resolved", p_resolved), ("prize", prize),
                    ("audience_cost", audience_cost), ("war_resolved", war_resolved),
                    ("war_irresolute", war_irresolute), ("war_target", war_target)):
        try:
            out[name] = float(v)
        except (TypeError, ValueError):
            raise PayoffError(f"{name} must be a number, got {v!r}") from None
        if not np.isfinite(out[name]):
            raise PayoffError(f"{name} must be finite, got {v!r}")
    if not 0 <= out["p_resolved"] <= 1:
        raise ProfileError(f"p_resolved is a probability, got {p_resolved!r}")
    if out["audience_cost"] < 0:
        raise PayoffError(f"audience_cost must be >= 0, got {audience_cost!r}")
    return out


def audience_cost_game(p_resolved: float = 0.3, *, prize: float = 1.0,
                       audience_cost: float = 1.0, war_resolved: float = -0.5,
                       war_irresolute: float = -2.0, war_target: float = -2.0
                       ) -> SignallingGame:
    """A crisis with audience costs (Fearon 1994; "tying hands" in Fearon 1997), in the
    two-type, one-round form of the textbooks.

    A challenger, *resolved* (probability ``p_resolved``) or *irresolute*, threatens
    publicly or stays quiet. After a threat the target concedes (the challenger gains
    ``prize``, the target loses it) or resists; then the challenger fights (its war
    payoff: ``war_resolved`` or ``war_irresolute``; the target's ``war_target``) or
    backs down and pays the domestic ``audience_cost`` (the target gets 0). Staying
    quiet keeps the status quo (0, 0).

    The challenger's last move is at a node it alone occupies, so sequential
    rationality fixes it: a type fights when its war payoff is at least
    ``-audience_cost`` (ties fight) - folded in here, which makes the game a
    signalling game (:func:`audience_cost_tree` keeps the move; the two have the same
    pure equilibria, tested). With ``war_resolved >= -audience_cost > war_irresolute``
    and ``war_target < 0``, let ``mu* = prize / -war_target``, the belief in resolve
    below which the target resists a threat. Then (derived in the tests, which check
    them): if ``p_resolved >= mu*`` both types threaten and the target concedes; if
    ``p_resolved < mu*`` there is a hybrid equilibrium - the resolved type threatens,
    the irresolute one bluffs with probability ``p (1 - mu*) / ((1 - p) mu*)`` (which
    leaves the target indifferent), and the target resists with probability
    ``prize / (prize + audience_cost)`` (which leaves the bluffer indifferent), valid
    while the resolved type still gains by threatening. The comparative statics are
    Fearon's: a larger audience cost makes a threat *less* likely to be resisted,
    while how often the irresolute type bluffs does not depend on it; with no audience
    cost a threat is always resisted. When ``war_resolved <= 0`` both types staying
    quiet is an equilibrium too (a threat would be resisted).

    Examples
    --------
    >>> from gametheory.solvers import signalling_equilibria
    >>> res = signalling_equilibria(audience_cost_game(0.3), mixed=True)
    >>> (h,) = [e for e in res if e.kind == "hybrid"]
    >>> round(h.sender["irresolute"]["threaten"], 4), h.receiver["threaten"]["resist"]
    (0.4286, 0.5)
    """
    q = _audience_parameters(p_resolved, prize, audience_cost, war_resolved,
                             war_irresolute, war_target)
    war = (q["war_resolved"], q["war_irresolute"])
    S = np.zeros((2, 2, 2))
    R = np.zeros((2, 2, 2))
    for t in range(2):                  # 0 resolved, 1 irresolute
        fights = war[t] >= -q["audience_cost"]
        S[t, 0, 0], R[t, 0, 0] = q["prize"], -q["prize"]            # threaten, concede
        S[t, 0, 1] = war[t] if fights else -q["audience_cost"]      # threaten, resist
        R[t, 0, 1] = q["war_target"] if fights else 0.0
    return SignallingGame([q["p_resolved"], 1 - q["p_resolved"]], S, R,
                          types=["resolved", "irresolute"],
                          messages=["threaten", "stay quiet"], actions=["concede", "resist"],
                          title="Audience costs (Fearon 1994)")


def audience_cost_tree(p_resolved: float = 0.3, *, prize: float = 1.0,
                       audience_cost: float = 1.0, war_resolved: float = -0.5,
                       war_irresolute: float = -2.0, war_target: float = -2.0):
    """:func:`audience_cost_game` as a game tree, with the challenger's last move
    (fight or back down) kept: chance draws the type, the target's information set
    after a threat spans both types. Payoffs as exact as the inputs.

    Examples
    --------
    >>> from gametheory.solvers import perfect_bayesian_equilibria

    With resolve likely (0.7 >= mu* = 0.5) both types threaten and the target
    concedes; both staying quiet is an equilibrium too (a threat would be resisted,
    believed irresolute with probability at least 1/2). Each type's last move follows
    its war payoff: the resolved type fights, the irresolute one backs down.

    >>> res = perfect_bayesian_equilibria(audience_cost_tree(0.7))
    >>> [(e.choices["R challenger"], e.choices["after threat"]) for e in res]
    [('threaten', 'concede'), ('stay quiet', 'resist')]
    >>> res[0].choices["R resisted"], res[0].choices["I resisted"]
    ('fight', 'back down')
    """
    from fractions import Fraction

    from .extensive import GameTree

    q = _audience_parameters(p_resolved, prize, audience_cost, war_resolved,
                             war_irresolute, war_target)
    p = Fraction(str(p_resolved)) if isinstance(p_resolved, float) else Fraction(p_resolved)
    t = GameTree(players=("challenger", "target"), title="Audience costs (Fearon 1994)")
    t.chance("root", outcomes=[("resolved", "R", p), ("irresolute", "I", 1 - p)])
    war = {"R": q["war_resolved"], "I": q["war_irresolute"]}
    for k in ("R", "I"):
        t.decision(k, player="challenger", infoset=f"{k} challenger",
                   actions=[("threaten", f"{k}t"), ("stay quiet", f"{k}q")])
        t.terminal(f"{k}q", (0, 0))
        t.decision(f"{k}t", player="target", infoset="after threat",
                   actions=[("concede", f"{k}c"), ("resist", f"{k}r")])
        t.terminal(f"{k}c", (q["prize"], -q["prize"]))
        t.decision(f"{k}r", player="challenger", infoset=f"{k} resisted",
                   actions=[("fight", f"{k}f"), ("back down", f"{k}b")])
        t.terminal(f"{k}f", (war[k], q["war_target"]))
        t.terminal(f"{k}b", (-q["audience_cost"], 0))
    return t
