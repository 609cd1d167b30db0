"""All equilibria of larger bimatrix games, side by side with lrsnash (lrslib, exact C).

    apt-get install lrslib                       # Debian/Ubuntu: provides lrsnash
    .venv/bin/python benchmarks/lrsnash.py [--sizes 12 16 20] [--games 6 3 2]

Issue 23's targets: random integer games (payoffs 0..99) 12x12, 16x16, 20x20, every
game solved (no ``errors``), equilibrium counts equal to lrsnash game by game, >= 20x
lrsnash at every size, peak memory printed and <= 2 GiB. Both sides solve the same
games one at a time (lrsnash as a subprocess per game, wall time; ours ``solve_many``
on one game, warm), each the best of ``--repeat`` calls (lrsnash's repeats stop once
a game has cost it 5 s; ours are as many as its). Peak memory is the resident set of this
process (``ru_maxrss``), which contains ours.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import tempfile
import time

import numpy as np

import gametheory as gt


def lrsnash(A: np.ndarray, B: np.ndarray) -> tuple[int, float]:
    m, n = A.shape
    text = f"{m} {n}\n\n" + "\n".join(" ".join(map(str, r)) for r in A) + "\n\n" + \
        "\n".join(" ".join(map(str, r)) for r in B) + "\n"
    with tempfile.NamedTemporaryFile("w", suffix=".nash", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        t = time.perf_counter()
        out = subprocess.run(["lrsnash", path], capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t
    finally:
        os.unlink(path)
    count = int(re.search(r"Number of equilibria found:\s*(\d+)", out.stdout).group(1))
    return count, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[12, 16, 20])
    parser.add_argument("--games", type=int, nargs="*", default=[6, 3, 2])
    parser.add_argument("--repeat", type=int, default=5,
                        help="best of this many calls a game and side (lrsnash only "
                             "while a game has cost it < 5 s)")
    args = parser.parse_args()
    if shutil.which("lrsnash") is None:
        raise SystemExit("lrsnash not found: apt-get install lrslib")
    # load both kernels: the hash-table search (up to 12 x 12) and reverse search
    gt.solve_many(np.ones((1, 12, 12)), np.ones((1, 12, 12)))
    gt.solve_many(np.ones((1, 13, 13)), np.ones((1, 13, 13)))
    print(f"{'size':>6} {'games':>5} {'lrsnash s/game':>15} {'ours s/game':>12} "
          f"{'ratio':>7} {'counts equal':>12} {'errors':>6} {'reverse search':>14} "
          f"{'peak RSS MB':>11}")
    for size, games in zip(args.sizes, args.games, strict=False):
        rng = np.random.default_rng(size)
        t_them = t_us = 0.0
        equal = errors = rs = 0
        for _ in range(games):
            A = rng.integers(0, 100, (size, size))
            B = rng.integers(0, 100, (size, size))
            # best of up to --repeat calls a side (lrsnash repeated only while a game
            # has cost it under 5 s in all; one call of ours per lrsnash call)
            theirs, best = lrsnash(A, B)
            spent, reps = best, 1
            while reps < args.repeat and spent < 5.0:
                _, wall = lrsnash(A, B)
                best, spent, reps = min(best, wall), spent + wall, reps + 1
            t_them += best
            best = np.inf
            for _ in range(max(reps, 1)):
                t = time.perf_counter()
                res = gt.solve_many(A[None], B[None])
                best = min(best, time.perf_counter() - t)
            t_us += best
            errors += len(res.errors)
            rs += int(res.reverse_search.sum())
            equal += int(res.n_equilibria[0]) == theirs
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{size:>4}x{size:<2} {games:>4} {t_them / games:>15.3f} {t_us / games:>12.3f} "
              f"{t_them / t_us:>6.1f}x {equal:>8}/{games:<3} {errors:>6} {rs:>14} "
              f"{peak:>11.0f}")


if __name__ == "__main__":
    main()
