"""Sequence-form Lemke on random two-player trees, side by side with pygambit.

    .venv/bin/python benchmarks/sequence_form.py [--gambit-depths 6 7 8] [--depths 10 11]

Issue 24's targets: Lemke on trees with up to 10^3 sequences per player in <= 1 s, and
>= 5x pygambit's ``lcp_solve`` on the same trees. The second part times our side alone
on larger trees of several shapes (``TREES``), ``--seeds`` trees each, and counts the
trees with at most 10^3 sequences a player solved within 1 s. Trees: ``random_tree(depth)``
(binary, players alternate, information sets of two nodes, perfect recall, integer
payoffs 0..99) as in von Stengel, van den Elzen & Talman (2002).

What the two sides compute. pygambit's ``lcp_solve`` on a tree (``use_strategic=False``)
refuses ``stop_after`` and always runs Gambit's search for "accessible" equilibria:
one Lemke path from the standard start, then one more path per row of the tableau,
recursively from each new equilibrium. So the side-by-side column times its whole
search against our one path (``starts=1``), and the per-path ratio compares
Gambit's time divided by its first level of paths (one per tableau row: a lower bound
on its path count, so the ratio is conservative) with ours over ``--paths`` random
covering vectors. Payoffs of the first equilibrium are checked equal (both start
from the all-ones covering vector with the lexicographic rule).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np

from gametheory.games import random_tree, sequence_form, write_efg
from gametheory.solvers import sequence_lemke


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gambit-depths", type=int, nargs="*", default=[6, 7, 8])
    parser.add_argument("--depths", type=int, nargs="*", default=[7, 10, 11])
    parser.add_argument("--trees", nargs="*", default=[],
                        help="labels of TREES to time besides those of --depths")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--paths", type=int, default=20)
    args = parser.parse_args()
    try:
        import pygambit
    except ImportError:
        pygambit = None
        print("pygambit is not installed (pip install pygambit): our side only")
    sequence_lemke(sequence_form(random_tree(9, seed=0)))          # load the kernels
    print(f"{'depth':>5} {'sequences':>12} {'rows':>5} {'ours 1 path':>12} "
          f"{'ours/path':>13} {'gambit':>9} {'ratio (1 path)':>15} "
          f"{'ratio per path':>15}")
    for depth in args.gambit_depths if pygambit else []:
        tree = random_tree(depth, seed=depth)
        sf = sequence_form(tree)
        rows = sum(sf.n_sequences) + len(sf.infosets[0]) + len(sf.infosets[1]) + 2
        t0 = time.perf_counter()
        ours = sequence_lemke(sf)
        t1 = time.perf_counter()
        sequence_lemke(sf, starts=args.paths, seed=0)
        t2 = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "tree.efg")
            with open(path, "w") as fh:
                fh.write(write_efg(tree))
            g = pygambit.read_efg(path)
        t3 = time.perf_counter()
        theirs = pygambit.nash.lcp_solve(g, rational=False)
        t4 = time.perf_counter()
        pay = [float(v) for _, v in theirs.equilibrium.payoffs]
        same = np.allclose(pay, ours[0].payoffs, atol=1e-6)
        print(f"{depth:>5} {sf.n_sequences!s:>12} {rows:>5} {t1 - t0:>11.3f}s "
              f"{(t2 - t1) / args.paths:>12.4f}s {t4 - t3:>8.3f}s "
              f"{(t4 - t3) / (t1 - t0):>14.0f}x "
              f"{((t4 - t3) / rows) / ((t2 - t1) / args.paths):>14.1f}x"
              + ("" if same else "  PAYOFFS DIFFER"))
    print("\nours alone (one path, engine='auto': the compiled engine up to 6,000 LCP rows), "
          "larger trees, each timed warm (best of two)")
    print(f"{'tree':>28} {'seed':>4} {'sequences':>12} {'rows':>5} {'pivots':>7} "
          f"{'time':>8} {'target':>7}")
    times = []
    for label, kwargs in TREES:
        if kwargs["depth"] not in args.depths and label not in args.trees:
            continue
        for seed in range(args.seeds):
            sf = sequence_form(random_tree(seed=seed, **kwargs))
            rows = sum(sf.n_sequences) + len(sf.infosets[0]) + len(sf.infosets[1]) + 2
            best = np.inf
            for _ in range(2):
                t0 = time.perf_counter()
                res = sequence_lemke(sf)
                best = min(best, time.perf_counter() - t0)
            small = max(sf.n_sequences) <= 1000
            if small:
                times.append(best)
            print(f"{label:>28} {seed:>4} {sf.n_sequences!s:>12} {rows:>5} "
                  f"{res.pivots:>7} {best:>7.3f}s "
                  f"{('met' if best <= 1.0 else 'MISSED') if small else '-':>7}")
    if times:
        t = np.array(times)
        print(f"\ntrees with <= 10^3 sequences a player: {np.sum(t <= 1.0)} of {t.size} "
              f"in <= 1 s; median {np.median(t):.3f} s, max {t.max():.3f} s")


#: Trees timed on our side alone: (label, random_tree keywords).
TREES = [
    ("binary, depth 10", dict(depth=10)),
    ("binary, depth 11, sets of 3", dict(depth=11, infoset_size=3)),
    ("binary, depth 11, sets of 4", dict(depth=11, infoset_size=4)),
    ("ternary, depth 7, sets of 3", dict(depth=7, branching=3, infoset_size=3)),
    ("binary, depth 11", dict(depth=11)),
    ("ternary, depth 7", dict(depth=7, branching=3)),
    ("binary, depth 10, chance", dict(depth=10, chance_root=True)),
]


if __name__ == "__main__":
    main()
