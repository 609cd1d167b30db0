"""A strategy that replays an observed sequence of moves (a side's record)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._shared import _cls
from .base import Batch, History, Strategy, StrategyError, register

__all__ = ["Observed"]


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
