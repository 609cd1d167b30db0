"""Two-player bargaining problems: a set of feasible utility pairs and a disagreement
point (Nash 1950).

A :class:`BargainingProblem` is a value: the utilities of a finite list of deals
(packages, each with a label) and the disagreement point ``d``. ``convex=True`` means
lotteries over the deals are allowed, so the feasible set is their convex hull (the
textbook setting of the Nash and Kalai–Smorodinsky solutions); ``convex=False`` keeps
the deals as they are (a package cannot be half signed). The solutions are in
:mod:`gametheory.solvers.bargaining`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import PayoffError, ShapeError

__all__ = ["MAX_OFFER_TREE_NODES", "BargainingProblem", "alternating_offers_tree"]

#: Most nodes :func:`alternating_offers_tree` builds.
MAX_OFFER_TREE_NODES = 500_000


@dataclass(frozen=True, eq=False)
class BargainingProblem:
    """Deals with the two parties' utilities and the disagreement point.

    Parameters
    ----------
    utilities : array_like, shape (deals, 2)
        Each deal's utility to the first and the second party.
    disagreement : array_like, shape (2,)
        What each gets if there is no deal (the status quo, or each side's reservation
        value).
    labels : sequence of str, optional
        A name per deal (default ``"deal 0"``, ...).
    players : pair of str
    convex : bool
        Lotteries over the deals allowed (the feasible set is their convex hull).

    Examples
    --------
    >>> p = BargainingProblem([[0, 10], [10, 0], [4, 4]], [0, 0], convex=True)
    >>> p.n_deals, p.individually_rational().tolist()
    (3, [True, True, True])
    """

    utilities: np.ndarray
    disagreement: np.ndarray
    labels: tuple[str, ...] = ()
    players: tuple[str, str] = ("1", "2")
    convex: bool = False
    title: str = field(default="")
    #: The outcome behind each deal (rows of issue values), when the problem comes from
    #: an :class:`~gametheory.games.outcomes.OutcomeSpace`; ``issues`` names the columns.
    outcomes: Any = field(default=None, repr=False)
    issues: tuple[str, ...] = ()

    def __post_init__(self):
        try:
            U = np.array(self.utilities, dtype=float)
            d = np.array(self.disagreement, dtype=float)
        except (TypeError, ValueError) as exc:
            raise PayoffError(f"utilities and disagreement must be numbers: {exc}") from None
        if U.ndim != 2 or U.shape[1] != 2 or U.shape[0] < 1:
            raise ShapeError(f"utilities must have shape (deals, 2), got {U.shape}")
        if d.shape != (2,):
            raise ShapeError(f"disagreement must have shape (2,), got {d.shape}")
        if not (np.isfinite(U).all() and np.isfinite(d).all()):
            bad = np.argwhere(~np.isfinite(U))
            where = f"deal {bad[0][0]}" if len(bad) else "disagreement"
            raise PayoffError(f"utilities must be finite numbers (NaN or inf at {where})")
        labels = tuple(str(x) for x in self.labels) or tuple(f"deal {k}"
                                                            for k in range(len(U)))
        if len(labels) != len(U):
            raise ShapeError(f"{len(labels)} labels for {len(U)} deals")
        if len(set(labels)) != len(labels):
            raise ShapeError("deal labels must be distinct")
        if len(self.players) != 2:
            raise ShapeError(f"a bargaining problem has two players, got {self.players!r}")
        U.setflags(write=False)
        d.setflags(write=False)
        object.__setattr__(self, "utilities", U)
        object.__setattr__(self, "disagreement", d)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "players", tuple(str(p) for p in self.players))

    @classmethod
    def from_deals(cls, deals: dict[str, Sequence[float]], disagreement, **options
                   ) -> BargainingProblem:
        """From ``{label: (u1, u2)}``."""
        return cls(list(deals.values()), disagreement, labels=tuple(deals), **options)

    def outcome_at(self, deal_a: int | str, deal_b: int | str, weight: float
                   ) -> dict[str, Any]:
        """The outcome of the lottery with probability ``weight`` on deal ``deal_a`` and
        the rest on ``deal_b`` - how a convex solution (``deal`` column ``"a / b"`` with
        its ``weight`` on the first) reads on a continuous outcome space, where between
        two adjacent corners only one issue moves."""
        if self.outcomes is None:
            raise ShapeError("this problem was not built from an outcome space")
        a = self._deal_index(deal_a)
        b = self._deal_index(deal_b)
        w = float(weight)
        if not 0.0 <= w <= 1.0:
            raise ShapeError(f"weight must be in [0, 1], got {weight!r}")
        out = {}
        for name, x, y in zip(self.issues, self.outcomes[a], self.outcomes[b], strict=True):
            if x == y:
                out[name] = x
            else:
                try:
                    out[name] = w * float(x) + (1 - w) * float(y)
                except (TypeError, ValueError):
                    raise ShapeError(f"issue {name!r} is discrete ({x!r} vs {y!r}): no "
                                     "outcome lies between the two deals") from None
        return out

    def _deal_index(self, deal: int | str) -> int:
        if isinstance(deal, str):
            if deal not in self.labels:
                from ..errors import UnknownNameError

                raise UnknownNameError("deal", deal, self.labels)
            return self.labels.index(deal)
        k = int(deal)
        if not 0 <= k < self.n_deals:
            raise ShapeError(f"deal index {deal} outside 0..{self.n_deals - 1}")
        return k

    @property
    def n_deals(self) -> int:
        return len(self.utilities)

    def individually_rational(self) -> np.ndarray:
        """Deals both parties weakly prefer to disagreement."""
        return np.all(self.utilities >= self.disagreement - 1e-12, axis=1)

    def to_frame(self):
        import pandas as pd

        U = self.utilities
        return pd.DataFrame({"deal": self.labels, self.players[0]: U[:, 0],
                             self.players[1]: U[:, 1],
                             "individually rational": self.individually_rational()})

    def _repr_html_(self) -> str:
        from .._format import table_html

        rows = [[lab, f"{u[0]:.4g}", f"{u[1]:.4g}", "yes" if ir else "no"]
                for lab, u, ir in zip(self.labels, self.utilities,
                                      self.individually_rational(), strict=True)]
        d = self.disagreement
        cap = (f"{self.title + ': ' if self.title else ''}{self.n_deals} deals"
               f"{' (lotteries allowed)' if self.convex else ''}; disagreement "
               f"({d[0]:.4g}, {d[1]:.4g})")
        return table_html(["deal", self.players[0], self.players[1],
                           "individually rational"], rows, caption=cap)


def alternating_offers_tree(problem: BargainingProblem, *, horizon: int,
                            discounts: Sequence[float] = (1.0, 1.0), breakdown: float = 0.0,
                            first: int = 0, max_nodes: int = MAX_OFFER_TREE_NODES):
    """Alternating offers over the deals of ``problem`` as a game tree (OpenSpiel's
    ``bargaining`` game; Rubinstein 1982 with a finite horizon, Stahl 1972).

    In round ``t = 0, 1, ...`` the proposer (``first``, then the other, alternately)
    names a deal; the responder accepts - both get ``discounts[i] ** t`` times their
    utility of it - or rejects. After a rejection the talks break down with probability
    ``breakdown`` (both get the disagreement point; Binmore, Rubinstein & Wolinsky 1986)
    and otherwise continue; after ``horizon`` rejected offers both get the disagreement
    point. Every subgame-perfect equilibrium, ties kept, comes from
    :func:`~gametheory.games.backward_induction`; the tree also has a normal form and a
    sequence form like any other.

    The tree has one proposer node per history of rejected offers, so its size grows as
    ``deals ** horizon``; it is counted before anything is built (``max_nodes``).

    Examples
    --------
    A pie in twentieths, discount 0.47, two rounds. If the last responder accepts when
    offered nothing, the second proposer takes all (worth 0.47 in round 1), the first
    responder accepts the smallest share above that (0.5) and the proposer keeps 0.5
    (Stahl's continuous answer is 1 - 0.47 = 0.53). If it rejects, the second proposer
    must leave it 0.05 (worth 0.95 x 0.47 = 0.4465), and the first keeps 0.55. With
    discrete offers both are subgame perfect, and both are found:

    >>> import numpy as np
    >>> from gametheory.games import backward_induction
    >>> x = np.linspace(0, 1, 21)
    >>> pie = BargainingProblem(np.stack([x, 1 - x], axis=1), [0, 0])
    >>> tree = alternating_offers_tree(pie, horizon=2, discounts=(0.47, 0.47))
    >>> res = backward_induction(tree, max_listed=1)    # count all, list one plan
    >>> sorted(tuple(round(float(v), 4) for v in outcome) for outcome in res.values)
    [(0.5, 0.5), (0.55, 0.45)]
    """
    from .._numbers import as_fraction
    from .._validate import check_count
    from ..errors import InputLimitError, ProfileError
    from .extensive import GameTree

    if not isinstance(problem, BargainingProblem):
        raise ShapeError(f"need a BargainingProblem, got {type(problem).__name__}")
    if problem.convex:
        raise ShapeError("offers are deals: give a problem over deals (convex=False)")
    horizon = check_count("horizon", horizon, maximum=10_000)
    disc = [float(x) for x in discounts]
    if len(disc) != 2 or not all(0.0 < x <= 1.0 for x in disc):
        raise ProfileError(f"discounts must be two numbers in (0, 1], got {discounts!r}")
    p = float(breakdown)
    if not 0.0 <= p <= 1.0:
        raise ProfileError(f"breakdown must be a probability, got {breakdown!r}")
    if first not in (0, 1):
        raise ProfileError(f"first must be 0 or 1, got {first!r}")
    D = problem.n_deals
    per_round = 2 * D + (2 * D if p > 0 else 0) + 1     # responder, accept, chance, breakdown
    total = sum(D ** t for t in range(horizon)) * per_round + D ** horizon
    if total > max_nodes:
        raise InputLimitError(f"an alternating-offers tree over {D} deals for {horizon} "
                              f"rounds has about {total:,} nodes, more than max_nodes="
                              f"{max_nodes:,}; shorten the horizon or coarsen the deals")
    U = problem.utilities
    d = tuple(as_fraction(float(v)) for v in problem.disagreement)
    tree = GameTree(players=problem.players,
                    title=f"Alternating offers, {horizon} round(s)" + (f", breakdown {p:g}"
                                                                      if p else ""))
    breakdown_prob = as_fraction(p)
    counter = [0]

    def name(kind: str) -> str:
        counter[0] += 1
        return f"{kind} {counter[0]}"

    def build(node: str, t: int) -> None:
        proposer = (first + t) % 2
        responders = []
        for k in range(D):
            responders.append((problem.labels[k], name(f"round {t + 1}: "
                                                      f"{problem.labels[k]} offered")))
        tree.decision(node, player=proposer, actions=responders)
        for k, (_, rnode) in enumerate(responders):
            acc = name(f"round {t + 1}: {problem.labels[k]} accepted")
            rej = name(f"round {t + 1}: rejected")
            tree.decision(rnode, player=1 - proposer, actions=[("accept", acc),
                                                               ("reject", rej)])
            tree.terminal(acc, [as_fraction(float(U[k, i]) * disc[i] ** t) for i in (0, 1)])
            if t + 1 == horizon:
                tree.terminal(rej, d)
            elif p > 0:
                nxt = name(f"round {t + 2}")
                off = name("breakdown")
                tree.chance(rej, outcomes=[("breakdown", off, breakdown_prob),
                                           ("talks go on", nxt, 1 - breakdown_prob)])
                tree.terminal(off, d)
                build(nxt, t + 1)
            else:
                # the rejection node is the next proposer's node
                build(rej, t + 1)

    build("round 1", 0)
    tree.validate()
    return tree
