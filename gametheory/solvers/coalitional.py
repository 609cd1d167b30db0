"""Solutions of transferable-utility coalitional games: Shapley value, Banzhaf index,
core and least core.

* :func:`shapley_value` - ``phi_i = sum_S |S|! (n - |S| - 1)! / n! [v(S + i) - v(S)]``
  over the coalitions ``S`` without ``i`` (Shapley 1953), vectorised over the ``2^n``
  bitmasks; on a simple (voting) game it is the Shapley-Shubik power index.
* :func:`banzhaf_index` - the share of swings (Banzhaf 1965), raw and normalised.
* :func:`least_core` - the smallest ``eps`` such that some allocation of ``v(N)`` gives
  every coalition at least ``v(S) - eps`` (Maschler, Peleg & Shapley 1979), one linear
  program (HiGHS) over all coalitions; the core is non-empty exactly when ``eps <= 0``
  and then the allocation returned is in it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InputLimitError, SolverError
from ..games.coalitional import CoalitionalGame

__all__ = ["MAX_CORE_PLAYERS", "CoreResult", "banzhaf_index", "least_core", "shapley_value"]

#: Most players :func:`least_core` takes (its LP has ``2^n`` rows).
MAX_CORE_PLAYERS = 16


def _popcount(masks: np.ndarray) -> np.ndarray:
    counts = np.zeros(masks.shape, dtype=np.int64)
    m = masks.copy()
    while np.any(m):
        counts += m & 1
        m >>= 1
    return counts


def shapley_value(game: CoalitionalGame) -> np.ndarray:
    """The Shapley value, one number per player (they sum to ``v(N)``).

    Examples
    --------
    The glove game with one left and two right gloves: the scarce left glove gets 2/3.

    >>> g = CoalitionalGame.from_function(["L", "R1", "R2"],
    ...                                   lambda S: float("L" in S and len(S) >= 2))
    >>> shapley_value(g).round(6).tolist()
    [0.666667, 0.166667, 0.166667]
    """
    n = game.n_players
    v = game.values
    masks = np.arange(1 << n, dtype=np.int64)
    size = _popcount(masks)
    fact = [math.factorial(k) for k in range(n + 1)]
    weight = np.array([fact[s] * fact[n - s - 1] / fact[n] if s < n else 0.0
                       for s in range(n + 1)])
    phi = np.empty(n)
    for i in range(n):
        bit = 1 << i
        S = masks[(masks & bit) == 0]
        phi[i] = float(np.sum(weight[size[S]] * (v[S | bit] - v[S])))
    return phi


def banzhaf_index(game: CoalitionalGame, *, normalized: bool = True) -> np.ndarray:
    """The Banzhaf index: each player's average marginal contribution over the ``2^(n-1)``
    coalitions it can join (its swings in a simple game), normalised to sum to one by
    default."""
    n = game.n_players
    v = game.values
    masks = np.arange(1 << n, dtype=np.int64)
    raw = np.empty(n)
    for i in range(n):
        bit = 1 << i
        S = masks[(masks & bit) == 0]
        raw[i] = float(np.mean(v[S | bit] - v[S]))
    if normalized:
        total = raw.sum()
        if total == 0:
            raise SolverError("no player ever makes a difference: the Banzhaf index cannot "
                              "be normalised")
        return raw / total
    return raw


@dataclass(frozen=True)
class CoreResult:
    """The least core of a coalitional game (:func:`least_core`).

    ``epsilon`` is the least-core value: the core is non-empty exactly when it is
    ``<= 0`` (``core_nonempty``), and then ``allocation`` lies in the core. ``binding``
    lists the coalitions held exactly at ``v(S) - epsilon``.
    """

    allocation: np.ndarray
    epsilon: float
    core_nonempty: bool
    binding: tuple[tuple[str, ...], ...]
    players: tuple[str, ...]

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html("Least core", [
            ("core non-empty", self.core_nonempty), ("epsilon", self.epsilon),
            ("allocation", dict(zip(self.players, self.allocation.round(6).tolist(),
                                    strict=True))),
            ("binding coalitions", [", ".join(b) for b in self.binding[:10]])])


def least_core(game: CoalitionalGame, *, tol: float = 1e-9) -> CoreResult:
    """The least-core value and an allocation in the least core, by one LP.

    Examples
    --------
    Three-player majority voting has an empty core: any split leaves some pair with
    less than 1, by at least 1/3.

    >>> g = CoalitionalGame.weighted_voting([1, 1, 1], 2)
    >>> r = least_core(g)
    >>> round(r.epsilon, 6), r.core_nonempty
    (0.333333, False)
    """
    from scipy.optimize import linprog

    n = game.n_players
    if n > MAX_CORE_PLAYERS:
        raise InputLimitError(f"the least-core LP has a row per coalition: 2^{n} rows for "
                              f"{n} players; at most {MAX_CORE_PLAYERS} players (for a "
                              "voting game, the core is non-empty exactly when some player "
                              "has a veto)")
    v = game.values
    full = (1 << n) - 1
    masks = np.arange(1, full, dtype=np.int64)         # proper, non-empty coalitions
    A = ((masks[:, None] >> np.arange(n)) & 1).astype(float)
    # variables (x_1..x_n, eps): minimise eps s.t. -x(S) - eps <= -v(S), x(N) = v(N)
    A_ub = np.hstack([-A, -np.ones((len(masks), 1))]) if len(masks) else None
    b_ub = -v[masks] if len(masks) else None
    A_eq = np.hstack([np.ones((1, n)), np.zeros((1, 1))])
    c = np.zeros(n + 1)
    c[-1] = 1.0
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[v[full]],
                  bounds=[(None, None)] * (n + 1), method="highs")
    if res.status != 0:
        raise SolverError(f"the least-core LP failed: {res.message}")
    x = res.x[:n]
    eps = float(res.x[-1]) if len(masks) else 0.0
    scale = max(1.0, float(np.abs(v).max()))
    # verification: the allocation is efficient and meets every coalition within eps
    if abs(x.sum() - v[full]) > tol * scale * n or (
            len(masks) and np.any(A @ x < v[masks] - eps - 1e-7 * scale)):
        raise SolverError("the least-core allocation failed its check")
    binding = tuple(tuple(p for i, p in enumerate(game.players) if (m >> i) & 1)
                    for m in masks[np.abs(A @ x - (v[masks] - eps)) <= 1e-7 * scale]) \
        if len(masks) else ()
    return CoreResult(x, eps, eps <= tol * scale, binding, game.players)
