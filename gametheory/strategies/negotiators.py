"""Negotiators for alternating-offers bargaining over a set of deals.

A negotiator is a small class with a ``name``, a ``classifier`` dict and one decision
method, ``decide(state)``, which returns :data:`ACCEPT` (take the offer on the table),
:data:`END` (walk away) or the index of the deal it proposes. It knows only its own
utility of each deal and its reservation value (what it gets without agreement), as in
the stacked alternating offers protocol of NegMAS and the ANAC competitions; the protocol itself is
:func:`gametheory.iterated.negotiate`.

The library (every class in an explicit registry, :func:`get_negotiator`):

* **time-based concession** (Faratin, Sierra & Jennings 1998): the aspiration
  ``r + (u_max - r)(1 - t^(1/e))`` at relative time ``t``; ``Boulware`` (``e = 0.2``:
  firm until late), ``Linear`` (``e = 1``), ``Conceder`` (``e = 5``: concedes early);
* **tit for tat in utility** (``TitForTatUtility``; the relative tit-for-tat of
  Faratin et al. 1998): concede, in one's own utility, as much as the opponent's last
  offer improved on its previous one for oneself, after an opening step;
* **a standing offer** (``StandingOffer``, registered also as ``Zero all``): propose
  one package every turn and accept anything at least as good - Lavrov's "zero all
  these restrictions" as a negotiating position;
* ``Hardliner`` (its best deal, always) and ``RandomNegotiator`` (a uniformly drawn
  acceptable deal, accepting anything acceptable).

Every negotiator accepts only offers worth at least its reservation value and proposes
only such deals; with none it walks away (a negotiator that breaks this is the user's to
write).
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

import numpy as np

from ..errors import StrategyError, UnknownNameError

__all__ = [
    "ACCEPT",
    "END",
    "Boulware",
    "Conceder",
    "Hardliner",
    "Linear",
    "NegotiationState",
    "Negotiator",
    "RandomNegotiator",
    "StandingOffer",
    "TimeBased",
    "TitForTatUtility",
    "all_negotiators",
    "get_negotiator",
    "register_negotiator",
]

#: What :meth:`Negotiator.decide` returns to accept the offer on the table.
ACCEPT = -1
#: What :meth:`Negotiator.decide` returns to walk away (no agreement, reservation values).
END = -2

DEFAULT_NEGOTIATOR_CLASSIFIER: dict[str, Any] = {
    "time_based": False,    # the decision depends on the deadline
    "responsive": False,    # reads the opponent's offers
    "stochastic": False,    # draws random numbers (state.random())
}


class NegotiationState:
    """What a negotiator knows when it must act.

    Attributes
    ----------
    turn : int
        Offers made so far (0 when this negotiator opens).
    deadline : int
        Offers allowed in all; after the last one unanswered, no agreement.
    utilities : ndarray
        This negotiator's utility of every deal.
    reserved_value : float
    offer : int or None
        The deal on the table (the opponent's last offer), None at the opening.
    own_offers, opponent_offers : list of int
        The deals proposed so far by each side, in order.
    """

    __slots__ = ("_u", "deadline", "offer", "opponent_offers", "own_offers", "reserved_value",
                 "turn", "utilities")

    def __init__(self, utilities: np.ndarray, reserved_value: float, deadline: int):
        self.utilities = utilities
        self.reserved_value = float(reserved_value)
        self.deadline = int(deadline)
        self.turn = 0
        self.offer: int | None = None
        self.own_offers: list[int] = []
        self.opponent_offers: list[int] = []
        self._u = 0.5

    @property
    def relative_time(self) -> float:
        """``turn / (deadline - 1)``: 0 at the first offer, 1 at the last."""
        return self.turn / max(1, self.deadline - 1)

    def random(self) -> float:
        """This turn's uniform random number in [0, 1) (from the negotiation's seed)."""
        return self._u


class Negotiator:
    """Base class of negotiators: subclass it and implement :meth:`decide`.

    Examples
    --------
    >>> class Fair(Negotiator):
    ...     name = "Fair"
    ...     def decide(self, state):
    ...         good = state.utilities >= state.reserved_value
    ...         if state.offer is not None and good[state.offer]:
    ...             return ACCEPT
    ...         return int(np.flatnonzero(good)[0])
    """

    name: ClassVar[str] = "Negotiator"
    classifier: ClassVar[dict[str, Any]] = dict(DEFAULT_NEGOTIATOR_CLASSIFIER)
    params: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("classifier")
        if own is None:
            return
        unknown = [k for k in own if k not in DEFAULT_NEGOTIATOR_CLASSIFIER]
        if unknown:
            raise StrategyError(f"{cls.__name__}.classifier has unknown key(s) {unknown}; "
                                f"valid keys: {', '.join(DEFAULT_NEGOTIATOR_CLASSIFIER)}")
        cls.classifier = {**DEFAULT_NEGOTIATOR_CLASSIFIER, **own}

    def reset(self, state: NegotiationState) -> None:
        """Prepare for a new negotiation (``state`` before the first offer)."""
        self.setup(state)

    def setup(self, state: NegotiationState) -> None:
        """Hook: precompute from the utilities."""

    def decide(self, state: NegotiationState) -> int:
        """:data:`ACCEPT`, :data:`END`, or the index of the deal to propose."""
        raise NotImplementedError

    def clone(self) -> Negotiator:
        return copy.deepcopy(self)

    def __repr__(self) -> str:
        args = ", ".join(f"{p}={getattr(self, p)!r}" for p in self.params)
        return f"{type(self).__name__}({args})"


# ---------------------------------------------------------------- helpers
def _acceptable(state: NegotiationState) -> np.ndarray:
    return np.flatnonzero(state.utilities >= state.reserved_value - 1e-12)


def _offer_at(state: NegotiationState, target: float) -> int:
    """The acceptable deal whose utility is the least at or above ``target`` (the best
    acceptable deal when none reaches it; :data:`END` when no deal is acceptable); ties
    to the lowest index."""
    u = state.utilities
    ok = _acceptable(state)
    if len(ok) == 0:
        return END
    above = ok[u[ok] >= target - 1e-12]
    if len(above) == 0:
        return int(ok[np.argmax(u[ok])])
    return int(above[np.argmin(u[above])])


def _accepts(state: NegotiationState, threshold: float) -> bool:
    return (state.offer is not None
            and state.utilities[state.offer] >= max(threshold, state.reserved_value) - 1e-12)


# ---------------------------------------------------------------- the library
class TimeBased(Negotiator):
    """Aspiration ``r + (u_max - r)(1 - t^(1/e))`` at relative time ``t`` (Faratin et
    al. 1998): offer the deal that just meets it; accept an offer worth at least what
    it would propose next (Baarslag's AC_next)."""

    name = "Time-based"
    classifier: ClassVar[dict[str, Any]] = {"time_based": True}
    params = ("e",)

    def __init__(self, e: float = 1.0):
        if not (isinstance(e, int | float) and e > 0 and np.isfinite(e)):
            raise StrategyError(f"TimeBased: e must be a positive number, got {e!r}")
        self.e = float(e)

    def setup(self, state: NegotiationState) -> None:
        ok = _acceptable(state)
        self._best = float(state.utilities[ok].max()) if len(ok) else float(
            state.utilities.max())

    def target(self, state: NegotiationState, turn: int) -> float:
        t = min(1.0, turn / max(1, state.deadline - 1))
        r = state.reserved_value
        return r + (self._best - r) * (1.0 - t ** (1.0 / self.e))

    def decide(self, state: NegotiationState) -> int:
        mine = _offer_at(state, self.target(state, state.turn))
        if mine != END and _accepts(state, state.utilities[mine]):
            return ACCEPT
        return mine


class Boulware(TimeBased):
    """Time-based with ``e = 0.2``: firm until close to the deadline."""

    name = "Boulware"
    params = ()

    def __init__(self):
        super().__init__(0.2)


class Linear(TimeBased):
    """Time-based with ``e = 1``: concedes at a constant rate."""

    name = "Linear"
    params = ()

    def __init__(self):
        super().__init__(1.0)


class Conceder(TimeBased):
    """Time-based with ``e = 5``: concedes early."""

    name = "Conceder"
    params = ()

    def __init__(self):
        super().__init__(5.0)


class TitForTatUtility(Negotiator):
    """Concede in one's own utility what the opponent conceded (relative tit for tat):
    the target falls by the rise, for this side, from the opponent's previous offer to
    its last one; ``opening`` is the step of the second own offer (without it two
    tit-for-tat negotiators never move). Accept an offer worth the current target."""

    name = "Tit for tat (utility)"
    classifier: ClassVar[dict[str, Any]] = {"responsive": True}
    params = ("opening",)

    def __init__(self, opening: float = 0.05):
        if not (isinstance(opening, int | float) and 0 <= opening <= 1):
            raise StrategyError(f"TitForTatUtility: opening must be in [0, 1], got "
                                f"{opening!r}")
        self.opening = float(opening)

    def setup(self, state: NegotiationState) -> None:
        ok = _acceptable(state)
        self._target = float(state.utilities[ok].max()) if len(ok) else float(
            state.utilities.max())
        self._span = self._target - state.reserved_value

    def decide(self, state: NegotiationState) -> int:
        u = state.utilities
        opp = state.opponent_offers
        if len(state.own_offers) == 1:
            self._target -= self.opening * self._span
        elif len(opp) >= 2:
            self._target -= max(0.0, float(u[opp[-1]] - u[opp[-2]]))
        self._target = max(self._target, state.reserved_value)
        mine = _offer_at(state, self._target)
        if mine != END and _accepts(state, state.utilities[mine]):
            return ACCEPT
        return mine


class StandingOffer(Negotiator):
    """Propose one deal every turn; accept any offer at least as good for oneself.

    ``deal`` is the deal's index in the problem (resolve a label with
    ``problem.labels.index(label)``). Registered as ``"Zero all"`` too: Lavrov's
    "zero all these restrictions" as a standing offer.
    """

    name = "Standing offer"
    params = ("deal",)

    def __init__(self, deal: int):
        if isinstance(deal, bool) or not isinstance(deal, int | np.integer) or deal < 0:
            raise StrategyError(f"StandingOffer: deal must be a deal index, got {deal!r}")
        self.deal = int(deal)

    def setup(self, state: NegotiationState) -> None:
        if self.deal >= len(state.utilities):
            raise StrategyError(f"StandingOffer: deal {self.deal} is not one of the "
                                f"{len(state.utilities)} deals")

    def decide(self, state: NegotiationState) -> int:
        if _accepts(state, float(state.utilities[self.deal])):
            return ACCEPT
        if state.utilities[self.deal] < state.reserved_value - 1e-12:
            return END          # the package is worth less than no deal to its proposer
        return self.deal


class Hardliner(Negotiator):
    """Its best deal every turn; accepts only an offer worth as much."""

    name = "Hardliner"

    def decide(self, state: NegotiationState) -> int:
        best = int(np.argmax(state.utilities))
        if state.utilities[best] < state.reserved_value - 1e-12:
            return END
        if _accepts(state, float(state.utilities[best])):
            return ACCEPT
        return best


class RandomNegotiator(Negotiator):
    """A uniformly drawn acceptable deal each turn; accepts any acceptable offer."""

    name = "Random"
    classifier: ClassVar[dict[str, Any]] = {"stochastic": True}

    def decide(self, state: NegotiationState) -> int:
        if _accepts(state, state.reserved_value):
            return ACCEPT
        ok = _acceptable(state)
        if len(ok) == 0:
            return END
        return int(ok[min(int(state.random() * len(ok)), len(ok) - 1)])


# ---------------------------------------------------------------- registry
_NEGOTIATORS: dict[str, type[Negotiator]] = {}


def register_negotiator(cls: type[Negotiator], *names: str) -> type[Negotiator]:
    """Add a negotiator class to the registry (under its ``name`` and any aliases)."""
    if not (isinstance(cls, type) and issubclass(cls, Negotiator)):
        raise StrategyError(f"only Negotiator subclasses can be registered, got {cls!r}")
    for n in (cls.name, *names):
        _NEGOTIATORS[n] = cls
    return cls


for _cls in (TimeBased, Boulware, Linear, Conceder, TitForTatUtility, Hardliner,
             RandomNegotiator):
    register_negotiator(_cls)
register_negotiator(StandingOffer, "Zero all")


def all_negotiators() -> list[str]:
    """The registered names."""
    return list(_NEGOTIATORS)


def get_negotiator(name: str, **params: Any) -> Negotiator:
    """A negotiator by registered name (``"Boulware"``, ``"Zero all"``, ...), with
    parameters (``get_negotiator("Zero all", deal=3)``)."""
    if isinstance(name, Negotiator):
        return name
    if name not in _NEGOTIATORS:
        raise UnknownNameError("negotiator", str(name), list(_NEGOTIATORS))
    try:
        return _NEGOTIATORS[name](**params)
    except TypeError as exc:
        raise StrategyError(f"negotiator {name!r}: {exc}") from None
