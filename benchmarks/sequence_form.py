"""Sequence-form Lemke on random two-player trees, side by side with pygambit.

    .venv/bin/python benchmarks/sequence_form.py [--gambit-depths 6 7 8] [--depths 10 11]

Issue 24's targets: Lemke on trees with up to 10^3 sequences per player in <= 1 s, and
>= 5x pygambit's ``lcp_solve`` on the same trees. Trees: ``random_tree(depth)``
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
    parser.add_argument("--depths", type=int, nargs="*", default=[10, 11])
    parser.add_argument("--paths", type=int, default=20)
    args = parser.parse_args()
    try:
        import pygambit
    except ImportError:
        pygambit = None
        print("pygambit is not installed (pip install pygambit): our side only")
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
    print("\nours alone (one path), larger trees; engine='auto' (dense basis inverse up "
          "to 2,000 rows, sparse LU above)")
    for depth in args.depths:
        sf = sequence_form(random_tree(depth, seed=depth))
        t0 = time.perf_counter()
        res = sequence_lemke(sf)
        t1 = time.perf_counter()
        print(f"depth {depth}: sequences {sf.n_sequences}, {res.pivots} pivots, "
              f"{t1 - t0:.2f} s, gains {max(res[0].gains):.1e}")


if __name__ == "__main__":
    main()
