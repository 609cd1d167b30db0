"""The strategy library: classic strategies of the iterated prisoner's dilemma, memory-one and
zero-determinant strategies, and the diplomatic strategies of retaliation spirals.

Action 0 is the most cooperative, the last action the most hostile. In
games with more than two actions, strategies that "mirror" the opponent map
the opponent's action to their own action of the closest magnitude.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from .base import Batch, History, Strategy, StrategyError, register

__all__ = [
    "GRIT",
    "Alternator",
    "AlwaysEscalate",
    "AntiTitForTat",
    "Automaton",
    "Bully",
    "Commensurate",
    "ContriteTitForTat",
    "Cooperator",
    "Cycler",
    "Defector",
    "FirmButFair",
    "GenerousTitForTat",
    "GoByMajority",
    "Gradual",
    "GrimTrigger",
    "HardTitForTat",
    "Joss",
    "MemoryOne",
    "Observed",
    "ParitySeeking",
    "Prober",
    "Proportional",
    "RaiseTheStakes",
    "Random",
    "Reactive",
    "SoftGrudger",
    "SuspiciousTitForTat",
    "TitForTat",
    "TitForTwoTats",
    "TwoTitsForTat",
    "WinShiftLoseStay",
    "WinStayLoseShift",
    "ZeroAllRestrictions",
    "ZeroDeterminant",
]

_BASE = Strategy.classifier


def _cls(**kw: Any) -> dict[str, Any]:
    return {**_BASE, **kw}


def _mirror(view, scale: float = 1.0, cap: float | None = None) -> np.ndarray:
    """Own answer to each opponent action: the own action closest to scale x its magnitude."""
    target = scale * view.other_magnitudes
    if cap is not None:
        target = np.minimum(target, cap)
    return np.array([view.closest_action(m) for m in target], dtype=np.int64)


# ============================================================================ memory one
@register
class MemoryOne(Strategy):
    """Cooperate with probability ``four_vector[(own last, opponent last)]`` (two actions).

    The order is (CC, CD, DC, DD) from this player's side; ``initial`` is the
    probability of cooperating on the first move (Nowak & Sigmund 1990).

    Examples
    --------
    >>> MemoryOne((1, 0, 1, 0)).four_vector   # tit for tat
    (1.0, 0.0, 1.0, 0.0)
    """

    name = "Memory one"
    classifier = _cls(memory_depth=1, stochastic=True, min_actions=2, max_actions=2)
    params = ("four_vector", "initial")

    def __init__(self, four_vector: Sequence[float] = (1, 0, 1, 0), initial: float = 1.0):
        self.four_vector = tuple(float(p) for p in four_vector)
        self.initial = float(initial)

    def setup(self) -> None:
        p = np.asarray(self.memory_one_vector(), dtype=float)
        if p.shape != (4,) or np.any((p < 0) | (p > 1)) or not 0 <= self.initial <= 1:
            raise StrategyError(f"{self.name}: probabilities must be four values in [0, 1] "
                                f"and an initial value in [0, 1]; got {p.tolist()}, "
                                f"{self.initial}")
        self._p = p

    def memory_one_vector(self) -> tuple[float, ...]:
        """The four cooperation probabilities (may read the game; call after ``reset``)."""
        return self.four_vector

    def decide(self, history: History) -> int:
        if not history.own:
            p = self.initial
        else:
            p = self._p[2 * history.own[-1] + history.opponent[-1]]
        return 0 if history.random() < p else 1

    def batch_family(self):
        return "memory-one", {"p": self._p, "p0": self.initial}


def _fixed_memory_one(cls_name: str, display: str, vector, initial, doc: str,
                      stochastic: bool = False, reads_payoffs: bool = False):
    def __init__(self):
        MemoryOne.__init__(self, vector, initial)

    cls = type(cls_name, (MemoryOne,), {
        "__init__": __init__, "__doc__": doc, "name": display, "params": (),
        "classifier": _cls(memory_depth=1, stochastic=stochastic, min_actions=2,
                           max_actions=2, reads_payoffs=reads_payoffs),
        "__module__": __name__,
    })
    return register(cls)


WinStayLoseShift = _fixed_memory_one(
    "WinStayLoseShift", "Win-stay lose-shift", (1, 0, 0, 1), 1.0,
    """Pavlov: repeat the last move after R or T, switch after S or P.

    Memory-one vector (1, 0, 0, 1); corrects a mistake against itself in two
    rounds; exploited by always-defect (Nowak & Sigmund 1993, *Nature* 364:56-58).
    """)
WinShiftLoseStay = _fixed_memory_one(
    "WinShiftLoseStay", "Win-shift lose-stay", (0, 1, 1, 0), 0.0,
    """Reverse Pavlov: switch after R or T, repeat after S or P; opens with D (Li et al. 2011).
    """)
Alternator = _fixed_memory_one(
    "Alternator", "Alternator", (0, 0, 1, 1), 1.0,
    "Cooperate first, then do the opposite of its own last move.")
AntiTitForTat = _fixed_memory_one(
    "AntiTitForTat", "Anti tit for tat", (0, 1, 0, 1), 1.0,
    "Cooperate first, then the opposite of the opponent's last move.")
Bully = _fixed_memory_one(
    "Bully", "Bully", (0, 1, 0, 1), 0.0,
    "Defect first, then the opposite of the opponent's last move (Axelrod library).")
FirmButFair = _fixed_memory_one(
    "FirmButFair", "Firm but fair", (1, 0, 1, 2 / 3), 1.0,
    "Memory-one (1, 0, 1, 2/3): like TFT but forgives mutual defection with probability 2/3 "
    "(Frean 1994).", stochastic=True)


@register
class Random(Strategy):
    """Cooperate with probability ``p`` every turn (Axelrod's RANDOM with p = 1/2).

    With more than two actions: the most cooperative action with probability
    ``p``, otherwise one of the others uniformly (p = 1/k by default, i.e.
    uniform over all actions).
    """

    name = "Random"
    classifier = _cls(memory_depth=0, stochastic=True)
    params = ("p",)
    initial = property(lambda self: self._p0)

    def __init__(self, p: float | None = None):
        self.p = None if p is None else float(p)

    def setup(self) -> None:
        k = self.view.n_actions
        p = 1.0 / k if self.p is None else self.p
        if not 0 <= p <= 1:
            raise StrategyError(f"Random: p must be in [0, 1], got {p}")
        self._p0 = p
        self._k = k

    def memory_one_vector(self) -> tuple[float, ...]:
        return (self._p0,) * 4

    def _pick(self, u):
        others = 1 + np.minimum(((u - self._p0) / max(1 - self._p0, 1e-300)
                                 * (self._k - 1)).astype(np.int64), self._k - 2)
        return np.where(u < self._p0, 0, others)

    def decide(self, history: History) -> int:
        u = history.random()  # same arithmetic as _pick, in plain Python
        if u < self._p0:
            return 0
        return 1 + min(int((u - self._p0) / max(1 - self._p0, 1e-300) * (self._k - 1)),
                       self._k - 2)

    def decide_batch(self, batch: Batch) -> np.ndarray:
        return self._pick(batch.u)


@register
class Joss(MemoryOne):
    """Tit for tat that defects with probability ``1 - p`` after the opponent cooperates
    (Axelrod 1980, first tournament)."""

    name = "Joss"
    classifier = _cls(memory_depth=1, stochastic=True, min_actions=2, max_actions=2)
    params = ("p",)

    def __init__(self, p: float = 0.9):
        self.p = float(p)
        super().__init__((p, 0, p, 0), 1.0)


@register
class Reactive(MemoryOne):
    """Reactive strategy (p, q): cooperate with probability p after the opponent cooperated
    and q after it defected (Nowak & Sigmund 1992)."""

    name = "Reactive"
    classifier = _cls(memory_depth=1, stochastic=True, min_actions=2, max_actions=2)
    params = ("p", "q", "initial")

    def __init__(self, p: float = 1.0, q: float = 1 / 3, initial: float = 1.0):
        self.p, self.q = float(p), float(q)
        super().__init__((p, q, p, q), initial)


@register
class GenerousTitForTat(MemoryOne):
    """Tit for tat that forgives a defection with probability g.

    With ``generosity=None`` the generosity is read from the game actually
    played: g = min{1 - (T - R)/(R - S), (R - P)/(T - P)} (Molander 1985, *J.
    Conflict Resolution* 29:611-618; Nowak & Sigmund 1992, *Nature* 355:250-253).
    With (R, S, T, P) = (3, 0, 5, 1) g = 1/3; with (4, 0, 5, 1) g = 3/4.

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> from gametheory.iterated.engine import make_views
    >>> s = GenerousTitForTat()
    >>> s.reset(make_views(prisoners_dilemma(R=4, S=0, T=5, P=1))[0])
    >>> s.generosity_
    0.75
    """

    name = "Generous tit for tat"
    classifier = _cls(memory_depth=1, stochastic=True, reads_payoffs=True, min_actions=2,
                      max_actions=2)
    params = ("generosity",)

    def __init__(self, generosity: float | None = None):
        self.generosity = generosity
        super().__init__((1, 0, 1, 0), 1.0)

    @staticmethod
    def molander(R: float, S: float, T: float, P: float) -> float:
        """Molander's generosity for payoffs R, S, T, P."""
        return min(1 - (T - R) / (R - S), (R - P) / (T - P))

    def memory_one_vector(self) -> tuple[float, ...]:
        g = self.generosity if self.generosity is not None else self.molander(*self.view.rstp())
        self.generosity_ = float(g)
        return (1.0, g, 1.0, g)


@register
class ZeroDeterminant(MemoryOne):
    """Zero-determinant strategies of Press & Dyson (2012), read from the game's R, S, T, P.

    ``kind``:

    * ``"extortionate"``: enforce ``s_X - P = chi (s_Y - P)`` (chi >= 1).
    * ``"generous"``: enforce ``s_X - R = chi (s_Y - R)`` (Stewart & Plotkin 2013).
    * ``"equalizer"``: fix the opponent's score at ``score`` (P <= score <= R).

    ``phi`` (extortionate, generous) and ``beta`` (equalizer) scale the
    strategy; by default half the largest valid ``phi`` and the largest valid
    ``|beta|``, which give Press and Dyson's examples for (3, 0, 5, 1):
    extortion with chi = 3 is (11/13, 1/2, 7/26, 0) and the equalizer with
    score 2 is (2/3, 0, 2/3, 1/3).

    References
    ----------
    Press, W. H. & Dyson, F. J. (2012). Iterated prisoner's dilemma contains
    strategies that dominate any evolutionary opponent. *PNAS* 109:10409-10413.

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> from gametheory.iterated.engine import make_views
    >>> s = ZeroDeterminant("extortionate", chi=3)
    >>> s.reset(make_views(prisoners_dilemma())[0])
    >>> [str(Fraction(p).limit_denominator(100)) for p in s.memory_one_vector()]
    ['11/13', '1/2', '7/26', '0']
    """

    name = "Zero determinant"
    classifier = _cls(memory_depth=1, stochastic=True, reads_payoffs=True, min_actions=2,
                      max_actions=2)
    params = ("kind", "chi", "phi", "score", "beta", "initial")

    def __init__(self, kind: str = "extortionate", chi: float = 3.0, phi: float | None = None,
                 score: float | None = None, beta: float | None = None, initial: float = 1.0):
        if kind not in ("extortionate", "generous", "equalizer"):
            raise StrategyError(f"ZeroDeterminant kind must be 'extortionate', 'generous' or "
                                f"'equalizer', got {kind!r}")
        self.kind, self.chi, self.phi, self.score, self.beta = kind, chi, phi, score, beta
        super().__init__((1, 0, 1, 0), initial)

    def memory_one_vector(self) -> tuple[float, ...]:
        R, S, T, P = (Fraction(v).limit_denominator(10**9) for v in self.view.rstp())
        SX = np.array([R, S, T, P], dtype=object)
        SY = np.array([R, T, S, P], dtype=object)
        one = np.array([1, 1, 0, 0], dtype=object)
        if self.kind == "equalizer":
            s = Fraction(self.score if self.score is not None else (R + P) / 2)
            base = SY - s  # p - one = beta (S_Y - s)
            if self.beta is None:
                # largest |beta| (beta < 0) keeping every probability in [0, 1]
                bounds = []
                for b, o in zip(base, one, strict=True):
                    if b > 0:
                        bounds.append(Fraction(o) / b)        # p = o - |beta| b >= 0
                    elif b < 0:
                        bounds.append((1 - Fraction(o)) / -b)  # p = o + |beta| |b| <= 1
                beta = -min(bounds)
            else:
                beta = Fraction(self.beta)
            p = one + beta * base
        else:
            anchor = P if self.kind == "extortionate" else R
            chi = Fraction(self.chi)
            base = (SX - anchor) - chi * (SY - anchor)
            if self.phi is None:
                bounds = []
                for b, o in zip(base, one, strict=True):
                    if b < 0:
                        bounds.append(Fraction(o) / -b)
                    elif b > 0:
                        bounds.append((1 - Fraction(o)) / b)
                phi = min(bounds) / 2
            else:
                phi = Fraction(self.phi)
            p = one + phi * base
        probs = tuple(float(v) for v in p)
        if any(v < -1e-12 or v > 1 + 1e-12 for v in probs):
            raise StrategyError(f"{self.name} ({self.kind}, chi={self.chi}, phi={self.phi}, "
                                f"score={self.score}) gives probabilities {probs} outside "
                                "[0, 1] in this game")
        return tuple(min(1.0, max(0.0, v)) for v in probs)


# ============================================================================ automata
class _AutomatonBase(Strategy):
    """Deterministic finite automaton: ``output[state]``, next state from the opponent's move.

    Subclasses build ``self._out`` (states,) and ``self._trans`` (states, opponent actions)
    in ``setup``; state 0 is the initial state.
    """

    _out: np.ndarray
    _trans: np.ndarray

    def setup(self) -> None:
        self._out, self._trans = self.tables()
        self._state = 0

    def tables(self) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def decide(self, history: History) -> int:
        if history.opponent:
            self._state = int(self._trans[self._state, history.opponent[-1]])
        return int(self._out[self._state])

    def batch_family(self):
        return "automaton", {"out": self._out, "trans": self._trans}

    @property
    def automaton(self) -> tuple[np.ndarray, np.ndarray]:
        """``(output, transitions)`` of the automaton for the game last reset with."""
        return self._out, self._trans


def _reactive_tables(first: int, answer: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Automaton that plays ``first`` and then ``answer[opponent's last action]``."""
    k = len(answer)
    out = np.concatenate([[first], answer]).astype(np.int64)
    trans = np.tile(np.arange(1, k + 1), (k + 1, 1))
    return out, trans


@register
class Automaton(_AutomatonBase):
    """A user-given deterministic automaton.

    Parameters
    ----------
    output : sequence of int
        Action played in each state (state 0 first).
    transitions : sequence of sequences of int
        ``transitions[state][opponent action]`` is the next state.

    Examples
    --------
    Grim trigger as an automaton:

    >>> Automaton(output=[0, 1], transitions=[[0, 1], [1, 1]])
    Automaton(output=(0, 1), transitions=((0, 1), (1, 1)))
    """

    name = "Automaton"
    classifier = _cls(finite_automaton=True)
    params = ("output", "transitions")

    def __init__(self, output: Sequence[int] = (0,),
                 transitions: Sequence[Sequence[int]] = ((0, 0),)):
        self.output = tuple(int(a) for a in output)
        self.transitions = tuple(tuple(int(s) for s in row) for row in transitions)

    def tables(self):
        out = np.array(self.output, dtype=np.int64)
        trans = np.array(self.transitions, dtype=np.int64)
        S = len(out)
        k = len(self.view.other_actions)
        if trans.shape != (S, k):
            raise StrategyError(f"Automaton: transitions must be {S} states x {k} opponent "
                                f"actions, got shape {trans.shape} (missing transitions?)")
        if trans.min() < 0 or trans.max() >= S:
            bad = np.argwhere((trans < 0) | (trans >= S))[0]
            raise StrategyError(f"Automaton: state {bad[0]} goes to the unknown state "
                                f"{trans[tuple(bad)]} on opponent action {bad[1]}")
        if out.min() < 0 or out.max() >= self.view.n_actions:
            raise StrategyError(f"Automaton: an output is not a legal action "
                                f"(0..{self.view.n_actions - 1})")
        return out, trans


@register
class Cooperator(_AutomatonBase):
    """Always the most cooperative action (ALLC; "zero all" in a graded game)."""

    name = "Cooperator"
    classifier = _cls(memory_depth=0, finite_automaton=True)
    four_vector = (1.0, 1.0, 1.0, 1.0)
    initial = 1.0

    def tables(self):
        return np.array([0]), np.zeros((1, len(self.view.other_actions)), dtype=np.int64)


@register
class Defector(_AutomatonBase):
    """Always the most hostile action (ALLD)."""

    name = "Defector"
    classifier = _cls(memory_depth=0, finite_automaton=True)
    four_vector = (0.0, 0.0, 0.0, 0.0)
    initial = 0.0

    def tables(self):
        return (np.array([self.view.defect]),
                np.zeros((1, len(self.view.other_actions)), dtype=np.int64))


@register
class AlwaysEscalate(Defector):
    """Escalate every round (the most hostile action): the spiral's baseline."""

    name = "Always escalate"
    classifier = _cls(memory_depth=0, finite_automaton=True, diplomatic=True)


@register
class TitForTat(_AutomatonBase):
    """Cooperate first, then do what the opponent did last (Rapoport; Axelrod 1980).

    In graded games the answer is the own action closest in magnitude to the
    opponent's last action.
    """

    name = "Tit for tat"
    classifier = _cls(memory_depth=1, finite_automaton=True)
    four_vector = (1.0, 0.0, 1.0, 0.0)
    initial = 1.0

    def tables(self):
        return _reactive_tables(0, _mirror(self.view))


@register
class SuspiciousTitForTat(_AutomatonBase):
    """Tit for tat that opens with the most hostile action."""

    name = "Suspicious tit for tat"
    classifier = _cls(memory_depth=1, finite_automaton=True)
    four_vector = (1.0, 0.0, 1.0, 0.0)
    initial = 0.0

    def tables(self):
        return _reactive_tables(self.view.defect, _mirror(self.view))


@register
class GrimTrigger(_AutomatonBase):
    """Cooperate until the opponent plays anything above ``threshold``; then defect forever
    (Friedman 1971)."""

    name = "Grim trigger"
    classifier = _cls(memory_depth=float("inf"), finite_automaton=True)
    params = ("threshold",)

    def __init__(self, threshold: int = 0):
        self.threshold = int(threshold)

    def tables(self):
        k = len(self.view.other_actions)
        trans = np.ones((2, k), dtype=np.int64)
        trans[0, : self.threshold + 1] = 0
        return np.array([0, self.view.defect]), trans


@register
class SoftGrudger(_AutomatonBase):
    """Answer a defection with D, D, D, D, C, C, then cooperate again (Li et al. 2011)."""

    name = "Soft grudger"
    classifier = _cls(memory_depth=6, finite_automaton=True, min_actions=2, max_actions=2)

    def tables(self):
        out = np.array([0, 1, 1, 1, 1, 0, 0])
        # Defections during the punishment are ignored, except in its last C: the
        # opponent's move then is read when the punishment is over (as in Axelrod's
        # ``SoftGrudger``, which checks the opponent's last move on its next turn).
        trans = np.array([[0, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6], [0, 1]])
        return out, trans


@register
class Cycler(_AutomatonBase):
    """Repeat a fixed pattern of actions, e.g. ``"CCD"`` or ``(0, 0, 2)``."""

    name = "Cycler"
    classifier = _cls(memory_depth=float("inf"), finite_automaton=True)
    params = ("pattern",)

    def __init__(self, pattern: str | Sequence[int] = "CCD"):
        self.pattern = pattern

    def tables(self):
        if isinstance(self.pattern, str):
            codes = {"C": 0, "D": self.view.defect}
            try:
                out = np.array([codes[c] for c in self.pattern.upper()])
            except KeyError:
                raise StrategyError(f"Cycler pattern {self.pattern!r}: use C and D, or a "
                                    "sequence of action indices") from None
        else:
            out = np.array(list(self.pattern), dtype=np.int64)
        if out.size == 0 or out.min() < 0 or out.max() >= self.view.n_actions:
            raise StrategyError(f"Cycler pattern {self.pattern!r} is empty or not legal here")
        S = len(out)
        k = len(self.view.other_actions)
        trans = np.tile(((np.arange(S) + 1) % S)[:, None], (1, k))
        return out, trans


@register
class Commensurate(_AutomatonBase):
    """Commensurate (proportional) retaliation: answer a move of magnitude n with
    ``scale * n``, capped at ``cap``; open with action ``opening``.

    "Expel n for n": with scale 1 this is tit for tat in magnitudes; scale < 1
    is Roberts & Renwick's "give as good as you get" on a discount, and a cap
    bounds escalation (Russia's 2021 answers "in commensurate numbers").
    """

    name = "Commensurate"
    classifier = _cls(memory_depth=1, finite_automaton=True, uses_magnitudes=True,
                      diplomatic=True)
    params = ("scale", "cap", "opening")

    def __init__(self, scale: float = 1.0, cap: float | None = None, opening: int = 0):
        if scale < 0:
            raise StrategyError(f"Commensurate: scale must be >= 0, got {scale}")
        self.scale, self.cap, self.opening = float(scale), cap, int(opening)

    def tables(self):
        if not 0 <= self.opening < self.view.n_actions:
            raise StrategyError(f"{self.name}: opening action {self.opening} is not legal")
        return _reactive_tables(self.opening, _mirror(self.view, self.scale, self.cap))


@register
class Proportional(Commensurate):
    """Alias of :class:`Commensurate` under the name used in the literature on graded
    retaliation (Roberts & Sherratt 1998; Wahl & Nowak 1999)."""

    name = "Proportional"


@register
class ZeroAllRestrictions(_AutomatonBase):
    """Offer to lift every restriction, then reciprocate.

    Plays the most cooperative action ("zero all these restrictions") for the
    first ``patience`` rounds whatever the other side does, then answers
    commensurately (scaled by ``scale``). The all-at-once offer of Lavrov's
    proposal; compare :class:`GRIT`, which de-escalates step by step.
    """

    name = "Zero all restrictions"
    classifier = _cls(memory_depth=float("inf"), finite_automaton=True, uses_magnitudes=True,
                      diplomatic=True)
    params = ("patience", "scale")

    def __init__(self, patience: int = 1, scale: float = 1.0):
        if patience < 1:
            raise StrategyError(f"ZeroAllRestrictions: patience must be >= 1, got {patience}")
        self.patience, self.scale = int(patience), float(scale)

    def tables(self):
        answer = _mirror(self.view, self.scale)
        k = len(answer)
        P = self.patience
        # states 0..P-1: offering; state P + a: answering opponent action a
        out = np.concatenate([np.zeros(P, dtype=np.int64), answer])
        trans = np.empty((P + k, k), dtype=np.int64)
        for s in range(P - 1):
            trans[s] = s + 1
        trans[P - 1:] = P + np.arange(k)
        return out, trans


# ============================================================================ window rules
class _WindowRule(Strategy):
    """Answer ``mirror[agg(opponent's last w actions)]``; cooperate until w moves are seen."""

    window = 1
    agg = "max"
    wait_for_full_window = True

    def setup(self) -> None:
        self._answer = _mirror(self.view)

    def decide(self, history: History) -> int:
        seen = history.opponent[-self.window:]
        if not seen or (self.wait_for_full_window and len(seen) < self.window):
            return 0
        return int(self._answer[max(seen) if self.agg == "max" else min(seen)])

    def decide_batch(self, batch: Batch) -> np.ndarray:
        t = batch.turn
        if t == 0 or (self.wait_for_full_window and t < self.window):
            return np.zeros(batch.n, dtype=np.int64)
        seen = batch.opponent[:, -self.window:]
        pick = seen.max(axis=1) if self.agg == "max" else seen.min(axis=1)
        return self._answer[pick]


@register
class TitForTwoTats(_WindowRule):
    """Retaliate only after two hostile moves in a row (answers the milder of the last two)."""

    name = "Tit for two tats"
    classifier = _cls(memory_depth=2)
    window, agg = 2, "min"


@register
class TwoTitsForTat(_WindowRule):
    """Retaliate twice for each hostile move (answers the harsher of the last two)."""

    name = "Two tits for tat"
    classifier = _cls(memory_depth=2)
    window, agg, wait_for_full_window = 2, "max", False


@register
class HardTitForTat(_WindowRule):
    """Retaliate if any of the opponent's last three moves was hostile."""

    name = "Hard tit for tat"
    classifier = _cls(memory_depth=3)
    window, agg, wait_for_full_window = 3, "max", False


# ============================================================================ custom rules
@register
class ContriteTitForTat(Strategy):
    """Tit for tat that accepts punishment for its own mistakes.

    When its last move came out more hostile than intended (implementation
    noise), it cooperates this round and does not retaliate against the
    answer to its mistake in the next, which ends the echo of tit for tat
    under noise (Sugden 1986; Boyd 1989; Wu & Axelrod 1995).
    """

    name = "Contrite tit for tat"
    classifier = _cls(memory_depth=2)

    def setup(self) -> None:
        self._answer = _mirror(self.view)

    def decide(self, history: History) -> int:
        if not history.opponent:
            return 0
        t = len(history.own)
        if history.own[-1] > history.intended[-1]:
            return 0
        if t >= 2 and history.own[-2] > history.intended[-2]:
            return 0
        return int(self._answer[history.opponent[-1]])

    def decide_batch(self, batch: Batch) -> np.ndarray:
        if batch.turn == 0:
            return np.zeros(batch.n, dtype=np.int64)
        out = self._answer[batch.opponent[:, -1]]
        err = batch.own[:, -1] > batch.intended[:, -1]
        if batch.turn >= 2:
            err |= batch.own[:, -2] > batch.intended[:, -2]
        return np.where(err, 0, out)


@register
class GoByMajority(Strategy):
    """Cooperate while the opponent has cooperated at least as often as it defected."""

    name = "Go by majority"
    classifier = _cls(memory_depth=float("inf"), min_actions=2, max_actions=2)

    def decide(self, history: History) -> int:
        d = sum(history.opponent)
        return 0 if len(history.opponent) - d >= d else 1

    def start_batch(self, batch: Batch) -> None:
        batch.state["d"] = np.zeros(batch.n, dtype=np.int64)

    def decide_batch(self, batch: Batch) -> np.ndarray:
        d = batch.state["d"]
        if batch.turn > 0:
            d += batch.opponent[:, -1]
        return (batch.turn - d < d).astype(np.int64)


@register
class Gradual(Strategy):
    """After the opponent's n-th defection, defect n times, then cooperate twice
    (Beaufils, Delahaye & Mathieu 1997)."""

    name = "Gradual"
    classifier = _cls(memory_depth=float("inf"), min_actions=2, max_actions=2)

    def setup(self) -> None:
        self._punish = 0
        self._calm = 0
        self._count = 0

    def decide(self, history: History) -> int:
        if history.opponent:
            if self._punish == 0 and self._calm == 0 and history.opponent[-1] == 1:
                self._count += 1
                self._punish, self._calm = self._count, 2
        if self._punish > 0:
            self._punish -= 1
            return 1
        if self._calm > 0:
            self._calm -= 1
        return 0

    def start_batch(self, batch: Batch) -> None:
        n = batch.n
        batch.state.update(punish=np.zeros(n, np.int64), calm=np.zeros(n, np.int64),
                           count=np.zeros(n, np.int64))

    def decide_batch(self, batch: Batch) -> np.ndarray:
        st = batch.state
        if batch.turn > 0:
            trigger = (st["punish"] == 0) & (st["calm"] == 0) & (batch.opponent[:, -1] == 1)
            st["count"] += trigger
            st["punish"] = np.where(trigger, st["count"], st["punish"])
            st["calm"] = np.where(trigger, 2, st["calm"])
        punishing = st["punish"] > 0
        st["punish"] -= punishing
        calming = ~punishing & (st["calm"] > 0)
        st["calm"] -= calming
        return punishing.astype(np.int64)


@register
class Prober(Strategy):
    """Play D, C, C; if the opponent cooperated on moves 2 and 3, defect for ever, else
    tit for tat (Mathieu & Delahaye)."""

    name = "Prober"
    classifier = _cls(memory_depth=float("inf"), min_actions=2, max_actions=2)

    def decide(self, history: History) -> int:
        t = len(history.own)
        if t < 3:
            return (1, 0, 0)[t]
        if history.opponent[1] == 0 and history.opponent[2] == 0:
            return 1
        return history.opponent[-1]

    def decide_batch(self, batch: Batch) -> np.ndarray:
        t = batch.turn
        if t < 3:
            return np.full(batch.n, (1, 0, 0)[t], dtype=np.int64)
        exploit = (batch.opponent[:, 1] == 0) & (batch.opponent[:, 2] == 0)
        return np.where(exploit, 1, batch.opponent[:, -1])


@register
class ParitySeeking(Strategy):
    """Move toward parity: match the other side's cumulative restrictions.

    Keeps the running balance ``gap = (magnitudes imposed on me) - (magnitudes
    I imposed)`` and plays the own action whose magnitude is closest to the gap
    (so a standing shortfall is made up at once, an excess is given back), within
    ``tolerance`` it holds (the action closest to magnitude 0). The US demand
    of 2021, "parity on staffing numbers", and the 1986 cap that answered 5 with
    55 follow this logic.
    """

    name = "Parity seeking"
    classifier = _cls(memory_depth=float("inf"), uses_magnitudes=True, diplomatic=True)
    params = ("tolerance",)

    def __init__(self, tolerance: float = 0.0):
        if tolerance < 0:
            raise StrategyError(f"ParitySeeking: tolerance must be >= 0, got {tolerance}")
        self.tolerance = float(tolerance)

    def setup(self) -> None:
        v = self.view
        self._hold = v.closest_action(0.0)
        self._gap = 0.0

    def _choose(self, gap):
        v = self.view
        act = np.array([v.closest_action(g) for g in np.atleast_1d(gap)], dtype=np.int64)
        return np.where(np.abs(gap) <= self.tolerance, self._hold, act)

    def decide(self, history: History) -> int:
        if history.own:
            v = self.view
            self._gap += v.other_magnitudes[history.opponent[-1]] - v.magnitudes[history.own[-1]]
        return int(self._choose(np.array([self._gap]))[0])

    def start_batch(self, batch: Batch) -> None:
        batch.state["gap"] = np.zeros(batch.n)

    def decide_batch(self, batch: Batch) -> np.ndarray:
        v = self.view
        if batch.turn > 0:
            batch.state["gap"] += (v.other_magnitudes[batch.opponent[:, -1]]
                                   - v.magnitudes[batch.own[:, -1]])
        gap = batch.state["gap"]
        mags = v.magnitudes
        idx = np.abs(gap[:, None] - mags[None, :]).argmin(axis=1)
        return np.where(np.abs(gap) <= self.tolerance, self._hold, idx)


@register
class GRIT(Strategy):
    """Graduated and Reciprocated Initiatives in Tension reduction (Osgood 1962).

    Starts at ``start`` (default: the middle action, "hold") and takes
    announced conciliatory steps of ``step`` levels per round. A step is
    *reciprocated* when the other side plays at or below GRIT's level. It keeps
    stepping for ``patience`` unreciprocated rounds; after that it suspends the
    initiative, goes back to ``start`` and begins again once the other side
    meets it there. It keeps the capacity to retaliate: when the other side
    escalates (plays more hostile than both its own previous move and GRIT's
    level), GRIT answers commensurately for that round and then resumes
    (Lindskold 1978, *Psych. Bull.* 85:772-793).
    """

    name = "GRIT"
    classifier = _cls(memory_depth=float("inf"), uses_magnitudes=True, diplomatic=True)
    params = ("step", "patience", "start")

    def __init__(self, step: int = 1, patience: int = 3, start: int | None = None):
        if step < 1 or patience < 0:
            raise StrategyError(f"GRIT: step must be >= 1 and patience >= 0, got {step}, "
                                f"{patience}")
        self.step, self.patience, self.start = int(step), int(patience), start

    def setup(self) -> None:
        k = self.view.n_actions
        self._start = (k - 1) // 2 if self.start is None else int(self.start)
        if not 0 <= self._start < k:
            raise StrategyError(f"GRIT: start action {self.start} is not legal")
        self._answer = _mirror(self.view)
        self._level, self._unrec, self._prev = self._start, 0, self._start

    def _next(self, level, unrec, prev, opp):
        o = self._answer[opp]
        retaliate = o > np.maximum(level, prev)
        recip = o <= level
        unrec = np.where(recip, 0, np.where(retaliate, unrec, unrec + 1))
        suspend = ~retaliate & ~recip & (unrec > self.patience)
        step_down = ~retaliate & ~suspend
        level = np.where(step_down, np.maximum(level - self.step, 0),
                         np.where(suspend, self._start, level))
        unrec = np.where(suspend, 0, unrec)
        action = np.where(retaliate, o, level)
        return level, unrec, o, action

    def decide(self, history: History) -> int:
        if not history.own:
            return self._start
        level, unrec, prev, action = self._next(
            np.array([self._level]), np.array([self._unrec]), np.array([self._prev]),
            np.array([history.opponent[-1]]))
        self._level, self._unrec, self._prev = int(level[0]), int(unrec[0]), int(prev[0])
        return int(action[0])

    def start_batch(self, batch: Batch) -> None:
        batch.state.update(level=np.full(batch.n, self._start, np.int64),
                           unrec=np.zeros(batch.n, np.int64),
                           prev=np.full(batch.n, self._start, np.int64))

    def decide_batch(self, batch: Batch) -> np.ndarray:
        if batch.turn == 0:
            return np.full(batch.n, self._start, dtype=np.int64)
        st = batch.state
        st["level"], st["unrec"], st["prev"], action = self._next(
            st["level"], st["unrec"], st["prev"], batch.opponent[:, -1])
        return action


@register
class RaiseTheStakes(Strategy):
    """Start with a small step of cooperation and raise it while the other side matches
    (Roberts & Sherratt 1998, *Nature* 394:175-179).

    Cooperation level ``c = last index - action``. Opens one level above the
    most hostile action; each round raises its level by one if the other side's
    last level was at least its own, otherwise drops to the other side's level.
    """

    name = "Raise the stakes"
    classifier = _cls(memory_depth=float("inf"), uses_magnitudes=True, diplomatic=True)

    def setup(self) -> None:
        self._top = self.view.n_actions - 1
        self._answer = _mirror(self.view)

    def _rule(self, own_last, opp_last):
        mine = self._top - own_last
        theirs = self._top - self._answer[opp_last]
        level = np.where(theirs >= mine, np.minimum(mine + 1, self._top), theirs)
        return self._top - level

    def decide(self, history: History) -> int:
        if not history.own:
            return max(self._top - 1, 0)
        return int(self._rule(np.array([history.own[-1]]), np.array([history.opponent[-1]]))[0])

    def decide_batch(self, batch: Batch) -> np.ndarray:
        if batch.turn == 0:
            return np.full(batch.n, max(self._top - 1, 0), dtype=np.int64)
        return self._rule(batch.own[:, -1], batch.opponent[:, -1])


@register
class Observed(Strategy):
    """Replay a recorded sequence of moves (action labels or indices), then repeat the last.

    Used to put a side's actual record (e.g. the US moves of 2016-2022, from
    :func:`gametheory.events.round_sequence`) into a tournament or a likelihood.
    """

    name = "Observed"
    classifier = _cls(memory_depth=0)
    params = ("sequence",)

    def __init__(self, sequence: Sequence[int | str] = (0,)):
        self.sequence = tuple(sequence)

    def setup(self) -> None:
        if not self.sequence:
            raise StrategyError("Observed: the sequence is empty")
        acts = []
        for k, a in enumerate(self.sequence):
            if isinstance(a, str):
                if a not in self.view.actions:
                    raise StrategyError(f"Observed: move {k + 1} {a!r} is not an action of "
                                        f"this player ({', '.join(self.view.actions)})")
                acts.append(self.view.actions.index(a))
            else:
                if not 0 <= int(a) < self.view.n_actions:
                    raise StrategyError(f"Observed: move {k + 1} ({a}) is not a legal action")
                acts.append(int(a))
        self._seq = np.array(acts, dtype=np.int64)

    def decide(self, history: History) -> int:
        return int(self._seq[min(len(history.own), len(self._seq) - 1)])

    def decide_batch(self, batch: Batch) -> np.ndarray:
        return np.full(batch.n, self._seq[min(batch.turn, len(self._seq) - 1)], dtype=np.int64)
