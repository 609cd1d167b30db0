"""Exact rational linear algebra and exact equilibrium checks (pure Python ``Fraction``).

Small systems only (the supports of an equilibrium): Gaussian elimination with
exact pivoting is cheap there and needs no compiled dependency.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

__all__ = ["exact_regrets", "rationalize_bimatrix_profile", "solve_unique"]


def solve_unique(M: Sequence[Sequence[Fraction]], b: Sequence[Fraction]
                 ) -> list[Fraction] | None:
    """The unique solution of ``M x = b`` (any number of rows), or None.

    None when the system is inconsistent or its solution is not unique.
    """
    rows = [[*r, bb] for r, bb in zip(M, b, strict=True)]
    if not rows:
        return None
    n = len(rows[0]) - 1
    r = 0
    for c in range(n):
        p = next((k for k in range(r, len(rows)) if rows[k][c] != 0), None)
        if p is None:
            return None  # free variable: not unique
        rows[r], rows[p] = rows[p], rows[r]
        piv = rows[r][c]
        rows[r] = [v / piv for v in rows[r]]
        for k in range(len(rows)):
            if k != r and rows[k][c] != 0:
                f = rows[k][c]
                rows[k] = [a - f * bb for a, bb in zip(rows[k], rows[r], strict=True)]
        r += 1
    if any(rows[k][n] != 0 for k in range(r, len(rows))):
        return None  # inconsistent
    return [rows[k][n] for k in range(n)]


def _pure_index(s: Sequence[Fraction]) -> int | None:
    """The action a one-hot strategy plays, else None."""
    ones = [k for k, v in enumerate(s) if v != 0]
    return ones[0] if len(ones) == 1 and s[ones[0]] == 1 else None


def _action_values_exact(U: np.ndarray, profile: Sequence[Sequence[Fraction]], i: int
                         ) -> list[Fraction]:
    """Exact payoff of each action of player i (U has shape game.shape, object dtype)."""
    pure = [_pure_index(s) if j != i else None for j, s in enumerate(profile)]
    if all(a is not None for j, a in enumerate(pure) if j != i):
        # the others play pure actions: read the payoffs off, no products of fractions
        return list(U[tuple(slice(None) if j == i else a for j, a in enumerate(pure))])
    out = np.moveaxis(U, i, 0)
    for j, s in enumerate(profile):
        if j == i:
            continue
        out = np.tensordot(out, np.array(s, dtype=object), axes=(1, 0))
    return list(out.reshape(-1))


def exact_regrets(exact_payoffs: np.ndarray, profile: Sequence[Sequence[Fraction]]
                  ) -> list[Fraction] | None:
    """Exact regret of every player, or None when the profile is not a distribution."""
    pure = [_pure_index(s) for s in profile]
    if all(a is not None for a in pure):
        # a pure profile: each regret is a difference of payoffs read off the array
        at = tuple(pure)
        return [max(exact_payoffs[(*at[:i], slice(None), *at[i + 1:], i)])
                - exact_payoffs[(*at, i)] for i in range(len(at))]
    for s in profile:
        if any(v < 0 for v in s) or sum(s, Fraction(0)) != 1:
            return None
    regrets = []
    for i in range(exact_payoffs.ndim - 1):
        v = _action_values_exact(exact_payoffs[..., i], profile, i)
        current = sum((a * b for a, b in zip(v, profile[i], strict=True)), Fraction(0))
        regrets.append(max(v) - current)
    return regrets


def _limit(profile: Sequence[np.ndarray], max_den: int) -> list[list[Fraction]]:
    out = []
    for s in profile:
        fr = [Fraction(float(v)).limit_denominator(max_den) for v in s]
        total = sum(fr, Fraction(0))
        if total != 1:
            k = int(np.argmax(s))
            fr[k] += 1 - total
        out.append(fr)
    return out


def _solve_strategy(M: np.ndarray, own_support: Sequence[int], other_best: Sequence[int],
                    size: int) -> list[Fraction] | None:
    """Exact x supported on own_support making the other player indifferent over
    other_best (M[own, other] is the other player's payoff); unique solution or None."""
    s = list(own_support)
    rows = []
    rhs = []
    for j in other_best:  # sum_i x_i M[i, j] - v = 0
        rows.append([M[i, j] for i in s] + [Fraction(-1)])
        rhs.append(Fraction(0))
    rows.append([Fraction(1)] * len(s) + [Fraction(0)])
    rhs.append(Fraction(1))
    sol = solve_unique(rows, rhs)
    if sol is None:
        return None
    x = [Fraction(0)] * size
    for k, i in enumerate(s):
        x[i] = sol[k]
    return x


def rationalize_bimatrix_profile(exact_payoffs: np.ndarray, profile: Sequence[np.ndarray],
                                 *, tol: float) -> list[list[Fraction]] | None:
    """Find the exact equilibrium a float profile approximates, verified exactly.

    First solves the exact indifference system given by the float supports and
    best-response sets (unique for every extreme equilibrium); if that system is
    not uniquely solvable, tries continued-fraction approximations with growing
    denominators. Returns the exact profile only if its regret is exactly zero.
    """
    A = exact_payoffs[..., 0]
    B = exact_payoffs[..., 1]
    x, y = (np.asarray(p, dtype=float) for p in profile)
    Af = A.astype(float)
    Bf = B.astype(float)
    scale = max(1.0, float(np.ptp(np.stack([Af, Bf]))))
    sx = np.flatnonzero(x > tol)
    sy = np.flatnonzero(y > tol)
    u1 = Af @ y
    u2 = x @ Bf
    br1 = np.flatnonzero(u1 >= u1.max() - 1e3 * tol * scale)
    br2 = np.flatnonzero(u2 >= u2.max() - 1e3 * tol * scale)
    candidates = []
    ex = _solve_strategy(B, sx, br2, len(x))
    ey = _solve_strategy(A.T, sy, br1, len(y))
    if ex is not None and ey is not None:
        candidates.append([ex, ey])
    for max_den in (10, 100, 1000, 10**4, 10**6, 10**9, 10**12):
        candidates.append(_limit([x, y], max_den))
    for cand in candidates:
        reg = exact_regrets(exact_payoffs, cand)
        if reg is not None and all(r == 0 for r in reg):
            return cand
    return None


def rationalize_distribution(values: np.ndarray, check) -> np.ndarray | None:
    """Rational approximation of a probability array accepted by ``check`` (exact)."""
    for max_den in (10, 100, 1000, 10**4, 10**6, 10**9, 10**12):
        flat = [Fraction(float(v)).limit_denominator(max_den) for v in values.reshape(-1)]
        total = sum(flat, Fraction(0))
        if total != 1:
            k = int(np.argmax(values))
            flat[k] += 1 - total
        if any(v < 0 for v in flat):
            continue
        arr = np.array(flat, dtype=object).reshape(values.shape)
        if check(arr):
            return arr
    return None
