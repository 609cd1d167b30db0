"""Families of strategies decided together in the vectorised engine.

All memory-one strategies, whatever their probabilities, are one family: the
engine stacks their parameters and decides every slot in one NumPy call.
Likewise all deterministic finite automata. This is what makes a tournament
of the classic strategies fast without writing each strategy twice.

A family gets the distinct parameter sets of its members (``params``) and,
for each slot, the index of its parameter set (``index``).
"""

from __future__ import annotations

import numpy as np

from .base import Batch

__all__ = ["FAMILIES", "AutomatonFamily", "MemoryOneFamily"]


class MemoryOneFamily:
    """Two-action strategies that cooperate with probability p[own last, opponent last]."""

    name = "memory-one"

    @staticmethod
    def start(batch: Batch, params: list[dict], index: np.ndarray) -> None:
        p = np.array([q["p"] for q in params], dtype=float)[index]
        batch.state["p_flat"] = p.reshape(-1)
        batch.state["p0"] = np.array([q["p0"] for q in params], dtype=float)[index]
        batch.state["base"] = 4 * np.arange(len(index))
        batch.state["deterministic"] = bool(np.all((p == 0) | (p == 1))
                                            and np.all(np.isin(batch.state["p0"], (0, 1))))

    @staticmethod
    def needs_random(batch: Batch) -> bool:
        """Random draws matter only if some probability is strictly between 0 and 1."""
        return not batch.state["deterministic"]

    @staticmethod
    def decide(batch: Batch) -> np.ndarray:
        st = batch.state
        if batch.turn == 0:
            prob = st["p0"]
        else:
            idx = st["base"] + 2 * batch.last_own + batch.last_opponent
            prob = st["p_flat"].take(idx)
        if st["deterministic"]:
            return (prob == 0).view(np.int8).astype(np.int64)
        return (batch.u >= prob).astype(np.int64)


class AutomatonFamily:
    """Deterministic finite automata: play ``out[state]``, move on the opponent's action."""

    name = "automaton"

    @staticmethod
    def start(batch: Batch, params: list[dict], index: np.ndarray) -> None:
        S = max(len(p["out"]) for p in params)
        k = params[0]["trans"].shape[1]
        out = np.zeros((len(params), S), dtype=np.int64)
        trans = np.zeros((len(params), S, k), dtype=np.int64)
        for j, p in enumerate(params):
            s = len(p["out"])
            out[j, :s] = p["out"]
            trans[j, :s] = p["trans"]
        # flat tables indexed by slot: state s of slot j is row j * S + s
        out_slots = out[index].reshape(-1)
        trans_slots = trans[index].reshape(-1)
        n = len(index)
        batch.state.update(out=out_slots, trans=trans_slots, S=S, k=k,
                           row=np.arange(n) * S, s=np.zeros(n, dtype=np.int64))

    @staticmethod
    def needs_random(batch: Batch) -> bool:
        return False

    @staticmethod
    def decide(batch: Batch) -> np.ndarray:
        st = batch.state
        if batch.turn > 0:
            st["s"] = st["trans"].take((st["row"] + st["s"]) * st["k"] + batch.last_opponent)
        return st["out"].take(st["row"] + st["s"])


FAMILIES = {MemoryOneFamily.name: MemoryOneFamily, AutomatonFamily.name: AutomatonFamily}
