"""Strategies of retaliation spirals between states: always escalate, commensurate
(proportional) retaliation, "zero all restrictions", parity seeking, GRIT (Osgood
1962) and raising the stakes. They read action magnitudes (graded games)."""

from __future__ import annotations

import numpy as np

from ._shared import _cls, _mirror, _reactive_tables
from .base import Batch, History, Strategy, StrategyError, register
from .classic import Defector, _AutomatonBase

__all__ = [
    "GRIT",
    "AlwaysEscalate",
    "Commensurate",
    "ParitySeeking",
    "Proportional",
    "RaiseTheStakes",
    "ZeroAllRestrictions",
]


@register
class AlwaysEscalate(Defector):
    """Escalate every round (the most hostile action): the spiral's baseline."""

    name = "Always escalate"
    classifier = _cls(memory_depth=0, finite_automaton=True, diplomatic=True)


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
