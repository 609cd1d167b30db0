"""Zero-sum stochastic games in a batch: ``shapley_many`` against one-by-one solving.

No installable library solves zero-sum stochastic games (QuantEcon solves MDPs and
normal-form games, sgamesolver general-sum games by homotopy), so the reference is
the textbook method as a user without ``shapley_many`` would run it: Shapley's value
iteration with one HiGHS linear program per state and round (our ``shapley``), and,
for the matrix games alone, SciPy's HiGHS LP per game. Same seeded games for both;
values must agree to 1e-8 of the payoff range and every batch result passes the
best-response check.

    .venv/bin/python benchmarks/shapley.py           # full
    .venv/bin/python benchmarks/shapley.py --quick

Target (issue #20): at least 10,000 small games per second (2-3 states, 2-3 actions).
"""

from __future__ import annotations

import sys
import time

import numpy as np

import gametheory as gt
from gametheory.solvers import matrix_values, shapley, shapley_many
from gametheory.solvers.zero_sum import maximin

CASES = [  # (games, states, actions, discount)
    (10_000, 2, 2, 0.9),
    (10_000, 3, 3, 0.9),
    (10_000, 3, 3, 0.99),
    (2_000, 5, 4, 0.95),
]
TARGET = 10_000


def games(B, S, m, seed):
    rng = np.random.default_rng(seed)
    A = rng.integers(-10, 11, (B, S, m, m)).astype(float)
    T = rng.dirichlet(np.ones(S), size=(B, S, m, m))
    return A, T


def main() -> None:
    quick = "--quick" in sys.argv
    shapley_many(*games(10, 2, 2, 0), 0.9)                # imports and first calls
    print(f"{'games':>7} {'states':>6} {'actions':>7} {'δ':>5} {'batch /s':>10} "
          f"{'one by one /s':>14} {'ratio':>8} {'agree':>6} {'max gain':>9} {'target':>7}")
    for B, S, m, delta in CASES:
        if quick:
            B = B // 10
        A, T = games(B, S, m, seed=S * 100 + m)
        t = time.perf_counter()
        res = shapley_many(A, T, delta)
        ours = B / (time.perf_counter() - t)
        # the reference: one game at a time for up to 10 s (or 30 games)
        t = time.perf_counter()
        k = 0
        agree = True
        while k < min(B, 30) and time.perf_counter() - t < 10:
            g = gt.StochasticGame([gt.Game.zero_sum(A[k, s]) for s in range(S)], list(T[k]),
                                  discount=delta)
            ref = shapley(g)
            agree &= bool(np.allclose(ref.value, res.value[k],
                                      atol=1e-8 * float(np.ptp(A[k]))))
            k += 1
        theirs = k / (time.perf_counter() - t)
        span = np.ptp(A.reshape(B, -1), axis=1)
        gain = float((res.max_gain / span).max())
        met = ("yes" if ours >= TARGET else "no") if S <= 3 and m <= 3 else "-"
        print(f"{B:7d} {S:6d} {m:4d}x{m:<2d} {delta:5.2f} {ours:10,.0f} {theirs:14,.1f} "
              f"{ours / theirs:7,.0f}x {'yes' if agree else 'NO':>6} {gain:9.1e} {met:>7}")
    # the matrix games alone: kernels in a batch against one HiGHS LP per game
    for m in (2, 3, 4, 5):
        M = np.random.default_rng(m).integers(-10, 11, (20_000, m, m)).astype(float)
        t = time.perf_counter()
        v = matrix_values(M)[0]
        ours = len(M) / (time.perf_counter() - t)
        t = time.perf_counter()
        ref = [maximin(M[k])[0] for k in range(300)]
        theirs = 300 / (time.perf_counter() - t)
        ok = np.allclose(ref, v[:300], atol=1e-9)
        print(f"matrix games {m}x{m}: batch {ours:,.0f}/s, HiGHS one by one {theirs:,.0f}/s, "
              f"ratio {ours / theirs:,.0f}x, values agree: {'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main()
