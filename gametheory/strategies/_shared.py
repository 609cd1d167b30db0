"""Helpers shared by the strategy families (private to :mod:`gametheory.strategies`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .base import Strategy

__all__: list[str] = []


_BASE = Strategy.classifier


def _cls(**kw: Any) -> dict[str, Any]:
    return {**_BASE, **kw}


def _mirror(view, scale: float = 1.0, cap: float | None = None) -> np.ndarray:
    """Own answer to each opponent action: the own action closest to scale x its magnitude."""
    target = scale * view.other_magnitudes
    if cap is not None:
        target = np.minimum(target, cap)
    return np.array([view.closest_action(m) for m in target], dtype=np.int64)


def _reactive_tables(first: int, answer: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Automaton that plays ``first`` and then ``answer[opponent's last action]``."""
    k = len(answer)
    out = np.concatenate([[first], answer]).astype(np.int64)
    trans = np.tile(np.arange(1, k + 1), (k + 1, 1))
    return out, trans
