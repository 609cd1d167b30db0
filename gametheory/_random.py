"""Randomness, in one place: the seed normaliser and the counter-based streams.

Every random number the package draws comes from a ``seed`` argument. ``seed``
may be None (fresh entropy), an int, a ``numpy.random.SeedSequence`` or a
``numpy.random.Generator``; :func:`as_seed_sequence` turns any of them into a
``SeedSequence`` from which work units (matches, sweep tasks) derive their own
keys, so results do not depend on how work is scheduled.

Matches use a counter-based stream: :func:`uniforms` gives the number for a
(match key, turn, side, purpose) directly (splitmix64, Steele, Lea & Flood 2014),
so a vectorised engine and a plain loop draw the same numbers in any order.

Examples
--------
>>> as_seed_sequence(7).entropy
7
>>> ss = as_seed_sequence(np.random.default_rng(1))      # a Generator is accepted too
>>> isinstance(ss, np.random.SeedSequence)
True
>>> key = match_keys(as_seed_sequence(3), np.array([[0, 1, 2]]))
>>> float(uniforms(key, 0, 0, 0)[0]) == float(uniforms(key, 0, 0, 0)[0])
True
"""

from __future__ import annotations

import numbers

import numpy as np

from .errors import ProfileError

__all__ = ["as_generator", "as_seed_sequence", "match_keys", "uniforms"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def as_seed_sequence(seed) -> np.random.SeedSequence:
    """``seed`` (None, int, SeedSequence or Generator) as a ``SeedSequence``.

    A Generator is consumed once (one 63-bit draw), as NumPy's own ``spawn`` does.
    """
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(2**63)))
    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ProfileError(f"seed must be None, a non-negative int, a SeedSequence or a "
                           f"numpy Generator; got {seed!r}")
    return np.random.SeedSequence(int(seed))


def as_generator(seed) -> np.random.Generator:
    """``seed`` (None, int, SeedSequence or Generator) as a ``Generator`` (a Generator is
    returned as it is)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(as_seed_sequence(seed))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (Steele, Lea & Flood 2014), vectorised over uint64."""
    z = x + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def uniforms(keys: np.ndarray, turn, side, purpose: int) -> np.ndarray:
    """Uniform numbers in [0, 1) for match keys at (turn, side, purpose); broadcasts.

    Element ``counter = 16 turn + 8 side + purpose`` of the splitmix64 stream
    seeded with the match key.
    """
    counter = (np.asarray(turn, np.uint64) * np.uint64(16)
               + np.asarray(side, np.uint64) * np.uint64(8) + np.uint64(purpose))
    bits = _mix(np.asarray(keys, np.uint64) + counter * _GOLDEN)
    return (bits >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def match_keys(root: np.random.SeedSequence, ids: np.ndarray) -> np.ndarray:
    """64-bit keys for work units identified by rows of integers (e.g. row, column,
    repetition), derived from ``root``."""
    base = np.uint64(root.generate_state(1, np.uint64)[0])
    ids = np.atleast_2d(np.asarray(ids, dtype=np.uint64))
    key = np.full(ids.shape[0], base, dtype=np.uint64)
    for col in ids.T:
        key = _mix(key ^ _mix(col + np.full_like(col, 1)))
    return key
