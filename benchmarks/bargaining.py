"""Bargaining over many deals: the frontier and the four solutions on 10^4 outcomes.

    .venv/bin/python benchmarks/bargaining.py [--deals 10000] [--repeats 20]

Issue 25's target: Nash and Kalai-Smorodinsky solutions on a 10^4-outcome space in at
most 10 ms. NegMAS (the anchor) is not a dependency here; the reference column is the
frontier's definition checked pair by pair, which the sorted sweep replaced (3 s on
10^4 deals), on the same deals, with the same answer checked.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from gametheory.games import BargainingProblem
from gametheory.solvers import bargaining_solutions, pareto_frontier
from gametheory.solvers.bargaining import _TOL


def pairwise(U: np.ndarray) -> list[int]:
    keep = []
    for k in range(len(U)):
        dom = np.all(U >= U[k] - _TOL, axis=1) & np.any(U > U[k] + _TOL, axis=1)
        if not dom.any():
            keep.append(k)
    return keep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    rng = np.random.default_rng(2021)
    # linear-additive utilities over 4 issues of 10 levels each, opposed weights
    levels = rng.integers(0, 10, size=(args.deals, 4)) / 9
    U = np.column_stack([levels @ np.array([0.4, 0.3, 0.2, 0.1]),
                         (1 - levels) @ np.array([0.1, 0.2, 0.3, 0.4])])
    prob = BargainingProblem(U, [0.2, 0.2])
    bargaining_solutions(prob)          # imports
    t = time.perf_counter()
    for _ in range(args.repeats):
        front = pareto_frontier(prob)
    ours_front = (time.perf_counter() - t) / args.repeats
    t = time.perf_counter()
    for _ in range(args.repeats):
        bargaining_solutions(prob)
    ours_sol = (time.perf_counter() - t) / args.repeats
    t = time.perf_counter()
    ir = np.flatnonzero(prob.individually_rational())
    ref = ir[pairwise(U[ir])]
    ref_front = time.perf_counter() - t
    assert front.tolist() == ref.tolist(), "frontiers differ"
    print(f"{args.deals} deals, {len(front)} on the frontier (same as the definition)")
    print(f"{'':34}{'ours':>12}{'pairwise':>12}{'ratio':>10}")
    print(f"{'Pareto frontier':34}{ours_front * 1e3:10.2f}ms{ref_front * 1e3:10.0f}ms"
          f"{ref_front / ours_front:9.0f}x")
    print(f"{'Nash, KS, egalitarian, utilitarian':34}{ours_sol * 1e3:10.2f}ms")
    print("target (issue 25): Nash and Kalai-Smorodinsky on 10^4 outcomes <= 10 ms")


if __name__ == "__main__":
    main()
