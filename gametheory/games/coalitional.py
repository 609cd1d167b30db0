"""Transferable-utility coalitional games: the value of every coalition.

A :class:`CoalitionalGame` on ``n`` players stores ``v(S)`` for all ``2^n`` coalitions in
one float array indexed by bitmask (bit ``i`` set: player ``i`` is in ``S``; ``v(empty)
= 0``). Constructors: from a function of the member set, :meth:`weighted_voting` (a
coalition wins when its weights reach the quota: the simple games of voting power),
:meth:`additive`. The solution concepts are in :mod:`gametheory.solvers.coalitional`
(Shapley value, Banzhaf index, core, least core).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .._validate import check_count
from ..errors import InputLimitError, PayoffError, ShapeError

__all__ = ["MAX_COALITION_PLAYERS", "CoalitionalGame"]

#: Most players a coalitional game stores (2^n values).
MAX_COALITION_PLAYERS = 24


@dataclass(frozen=True, eq=False)
class CoalitionalGame:
    """``v(S)`` for every coalition ``S`` of the players, by bitmask.

    Parameters
    ----------
    values : array_like, shape (2 ** n,)
        ``values[mask]`` is the worth of the coalition whose members are the set bits
        of ``mask``; ``values[0]`` must be 0.
    players : sequence of str

    Examples
    --------
    The glove game: player 0 holds a left glove, players 1 and 2 a right one; a pair is
    worth 1.

    >>> g = CoalitionalGame.from_function(["L", "R1", "R2"],
    ...                                   lambda S: float("L" in S and len(S) >= 2))
    >>> g.value(["L", "R2"]), g.value(["R1", "R2"])
    (1.0, 0.0)
    """

    values: np.ndarray
    players: tuple[str, ...]
    title: str = field(default="")

    def __post_init__(self):
        players = tuple(str(p) for p in self.players)
        n = len(players)
        if n < 1:
            raise ShapeError("a coalitional game needs at least one player")
        if n > MAX_COALITION_PLAYERS:
            raise InputLimitError(f"{n} players means 2^{n} coalitions; at most "
                                  f"{MAX_COALITION_PLAYERS} players are stored")
        if len(set(players)) != n:
            raise ShapeError(f"player names must be distinct, got {players}")
        try:
            v = np.array(self.values, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            raise PayoffError("coalition values must be numbers") from None
        if v.shape != (1 << n,):
            raise ShapeError(f"{n} players need {1 << n} coalition values (one per "
                             f"bitmask), got {v.size}")
        if not np.all(np.isfinite(v)):
            bad = int(np.flatnonzero(~np.isfinite(v))[0])
            raise PayoffError(f"the value of coalition {_members(bad, players)} is "
                              f"{float(v[bad])!r}; values must be finite")
        if v[0] != 0:
            raise PayoffError(f"the empty coalition must be worth 0, got {v[0]!r}")
        v.setflags(write=False)
        object.__setattr__(self, "values", v)
        object.__setattr__(self, "players", players)

    # ---------------------------------------------------------------- constructors
    @classmethod
    def from_function(cls, players: Sequence[str], worth: Callable[[frozenset], float],
                      *, title: str = "") -> CoalitionalGame:
        """``worth(frozenset of member names)`` for every coalition (not the empty one)."""
        players = tuple(str(p) for p in players)
        n = check_count("players", len(players), maximum=MAX_COALITION_PLAYERS)
        v = np.zeros(1 << n)
        for mask in range(1, 1 << n):
            v[mask] = float(worth(frozenset(_members(mask, players))))
        return cls(v, players, title=title)

    @classmethod
    def weighted_voting(cls, weights: Sequence[float], quota: float, *,
                        players: Sequence[str] | None = None, title: str = ""
                        ) -> CoalitionalGame:
        """The simple game ``[quota; w_1, ..., w_n]``: a coalition is worth 1 when its
        weights sum to at least ``quota`` (Shapley & Shubik 1954).

        >>> CoalitionalGame.weighted_voting([49, 48, 3], 51).value([1, 2])
        1.0
        """
        w = np.array(weights, dtype=float)
        if w.ndim != 1 or not np.all(np.isfinite(w)) or np.any(w < 0):
            raise PayoffError(f"weights must be finite and >= 0, got {list(weights)!r}")
        n = check_count("players", len(w), maximum=MAX_COALITION_PLAYERS)
        names = tuple(players) if players is not None else tuple(str(i + 1) for i in range(n))
        if len(names) != n:
            raise ShapeError(f"{len(names)} names for {n} weights")
        q = float(quota)
        if not np.isfinite(q) or q <= 0:
            raise PayoffError(f"quota must be a positive number, got {quota!r}")
        totals = _subset_sums(w)
        return cls((totals >= q - 1e-12).astype(float), names, title=title)

    @classmethod
    def additive(cls, worths: Sequence[float], *, players: Sequence[str] | None = None,
                 title: str = "") -> CoalitionalGame:
        """``v(S) = sum of the members' own worths`` (an inessential game)."""
        w = np.array(worths, dtype=float)
        n = check_count("players", len(w), maximum=MAX_COALITION_PLAYERS)
        names = tuple(players) if players is not None else tuple(str(i + 1) for i in range(n))
        return cls(_subset_sums(w), names, title=title)

    # ---------------------------------------------------------------- access
    @property
    def n_players(self) -> int:
        return len(self.players)

    def mask(self, members: Sequence[int | str]) -> int:
        """The bitmask of a coalition given by names or indices."""
        m = 0
        for p in members:
            if isinstance(p, str):
                if p not in self.players:
                    from ..errors import UnknownNameError

                    raise UnknownNameError("player", p, self.players)
                i = self.players.index(p)
            else:
                i = int(p)
                if not 0 <= i < self.n_players:
                    raise ShapeError(f"player index {p} outside 0..{self.n_players - 1}")
            m |= 1 << i
        return m

    def value(self, members: Sequence[int | str]) -> float:
        """``v(S)``."""
        return float(self.values[self.mask(members)])

    @property
    def grand(self) -> float:
        """``v(N)``, the worth of everyone together."""
        return float(self.values[-1])

    def is_superadditive(self, tol: float = 1e-9) -> bool:
        """``v(S u T) >= v(S) + v(T)`` for disjoint ``S``, ``T`` (checked over all pairs;
        ``3^n`` of them, so for up to 16 players)."""
        n = self.n_players
        if n > 16:
            raise InputLimitError("superadditivity is checked over 3^n pairs: at most 16 "
                                  "players")
        v = self.values
        full = (1 << n) - 1
        for S in range(1, full + 1):
            rest = full & ~S
            T = rest
            while T:
                if v[S | T] < v[S] + v[T] - tol:
                    return False
                T = (T - 1) & rest
        return True

    def is_convex(self, tol: float = 1e-9) -> bool:
        """Supermodular: ``v(S + i + j) - v(S + j) >= v(S + i) - v(S)`` for all ``S``
        without ``i`` and ``j`` - marginal contributions grow with the coalition joined
        (then the core is non-empty and contains the Shapley value; Shapley 1971)."""
        v = self.values
        n = self.n_players
        masks = np.arange(1 << n)
        for i in range(n):
            for j in range(i + 1, n):
                bi, bj = 1 << i, 1 << j
                S = masks[(masks & (bi | bj)) == 0]
                if np.any(v[S | bi | bj] - v[S | bj] < v[S | bi] - v[S] - tol):
                    return False
        return True

    def to_frame(self):
        """One row per coalition: members, size, worth."""
        import pandas as pd

        return pd.DataFrame({"coalition": [", ".join(_members(m, self.players)) or "(none)"
                                           for m in range(len(self.values))],
                             "size": [bin(m).count("1") for m in range(len(self.values))],
                             "worth": self.values})

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html(self.title or "Coalitional game", [
            ("players", list(self.players)), ("v(N)", self.grand),
            ("coalitions", len(self.values))])


def _members(mask: int, players: Sequence[str]) -> list[str]:
    return [p for i, p in enumerate(players) if (mask >> i) & 1]


def _subset_sums(w: np.ndarray) -> np.ndarray:
    """``sum(w[i] for i in S)`` for every bitmask ``S`` (built by doubling)."""
    out = np.zeros(1)
    for x in w:
        out = np.concatenate([out, out + x])
    return out
