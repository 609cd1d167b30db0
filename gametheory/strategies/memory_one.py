"""Memory-one strategies: a probability of cooperating after each outcome of the last
turn (Nowak & Sigmund 1990), their named special cases (win-stay lose-shift, generous
tit for tat, ...) and zero-determinant strategies (Press & Dyson 2012)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from ._shared import _cls
from .base import History, Strategy, StrategyError, register

__all__ = [
    "Alternator",
    "AntiTitForTat",
    "Bully",
    "FirmButFair",
    "GenerousTitForTat",
    "Joss",
    "MemoryOne",
    "Reactive",
    "WinShiftLoseStay",
    "WinStayLoseShift",
    "ZeroDeterminant",
]


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

    def as_memory_one(self):
        return float(self.initial), tuple(float(v) for v in self.memory_one_vector())

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
    >>> from gametheory.games.views import make_views
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
        """Molander's generosity for payoffs R, S, T, P (a prisoner's dilemma,
        T > R > P > S; for another game pass ``generosity=`` explicitly)."""
        if not T > R > P > S:
            raise StrategyError(
                f"Generous tit for tat's default generosity (Molander's) needs a prisoner's "
                f"dilemma, T > R > P > S; this game has R={R:g}, S={S:g}, T={T:g}, P={P:g}: "
                "pass GenerousTitForTat(generosity=...)")
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
    >>> from gametheory.games.views import make_views
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
