"""Classic strategies of the iterated prisoner's dilemma (Axelrod 1984; the Axelrod
library's families): always cooperate or defect, tit for tat and its variants, grudges,
cycles, majority and gradual rules, and a seeded random player.

Action 0 is the most cooperative, the last action the most hostile. In games with more
than two actions, strategies that "mirror" the opponent map the opponent's action to
their own action of the closest magnitude."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._shared import _cls, _mirror, _reactive_tables
from .base import Batch, History, Strategy, StrategyError, register

__all__ = [
    "Automaton",
    "ContriteTitForTat",
    "Cooperator",
    "Cycler",
    "Defector",
    "GoByMajority",
    "Gradual",
    "GrimTrigger",
    "HardTitForTat",
    "Prober",
    "Random",
    "SoftGrudger",
    "SuspiciousTitForTat",
    "TitForTat",
    "TitForTwoTats",
    "TwoTitsForTat",
]


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

    def as_memory_one(self):
        return (self._p0, (self._p0,) * 4) if self._k == 2 else None

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


# ============================================================================ automata
class _AutomatonBase(Strategy):
    """Deterministic finite automaton: ``output[state]``, next state from the opponent's move.

    Subclasses build ``self._out`` (states,) and ``self._trans`` (states, opponent actions)
    in ``setup``; state 0 is the initial state. Those that are also memory-one in a
    2 x 2 game declare ``four_vector`` and ``initial``.
    """

    _out: np.ndarray
    _trans: np.ndarray
    four_vector: tuple[float, float, float, float] | None = None
    initial: float = 1.0

    def as_memory_one(self):
        if self.four_vector is None or self.view.payoffs.shape != (2, 2):
            return None
        return float(self.initial), tuple(float(v) for v in self.four_vector)

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

    def as_automaton(self) -> tuple[np.ndarray, np.ndarray]:
        return self._out, self._trans


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
