"""Families of strategies decided together in the vectorised engine.

All memory-one strategies, whatever their probabilities, are one family: the
engine stacks their parameters and decides every slot in one NumPy call.
Likewise all deterministic finite automata. This is what makes a tournament
of the classic strategies fast without writing each strategy twice.
"""

from __future__ import annotations

import numpy as np

from .base import Batch

__all__ = ["FAMILIES", "AutomatonFamily", "MemoryOneFamily"]


class MemoryOneFamily:
    """Two-action strategies that cooperate with probability p[own last, opponent last]."""

    name = "memory-one"

    @staticmethod
    def start(batch: Batch, params: list[dict]) -> None:
        batch.state["p"] = np.array([p["p"] for p in params], dtype=float)
        batch.state["p0"] = np.array([p["p0"] for p in params], dtype=float)

    @staticmethod
    def decide(batch: Batch) -> np.ndarray:
        if batch.turn == 0:
            prob = batch.state["p0"]
        else:
            idx = 2 * batch.own[:, -1] + batch.opponent[:, -1]
            prob = batch.state["p"][np.arange(batch.n), idx]
        return (batch.u >= prob).astype(np.int64)


class AutomatonFamily:
    """Deterministic finite automata: play ``out[state]``, move on the opponent's action."""

    name = "automaton"

    @staticmethod
    def start(batch: Batch, params: list[dict]) -> None:
        S = max(len(p["out"]) for p in params)
        k = params[0]["trans"].shape[1]
        out = np.zeros((len(params), S), dtype=np.int64)
        trans = np.zeros((len(params), S, k), dtype=np.int64)
        for j, p in enumerate(params):
            s = len(p["out"])
            out[j, :s] = p["out"]
            trans[j, :s] = p["trans"]
        batch.state.update(out=out, trans=trans, s=np.zeros(len(params), dtype=np.int64))

    @staticmethod
    def decide(batch: Batch) -> np.ndarray:
        rows = np.arange(batch.n)
        st = batch.state
        if batch.turn > 0:
            st["s"] = st["trans"][rows, st["s"], batch.opponent[:, -1]]
        return st["out"][rows, st["s"]]


FAMILIES = {MemoryOneFamily.name: MemoryOneFamily, AutomatonFamily.name: AutomatonFamily}
