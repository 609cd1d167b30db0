"""Iterated play: gametheory against Axelrod, side by side in one run.

Installs nothing. Axelrod pulls in torch, so it lives in a separate
environment (see benchmarks/README.md), with gametheory installed beside it:

    python benchmarks/iterated.py [--repetitions 10] [--turns 200]

Measures, for the round robin of Axelrod's ten basic strategies (self-play
included, as Axelrod plays it): matches per second without noise and with
noise 0.05, and single TFT-vs-Random matches; checks that every
deterministic pair scores exactly the same in both libraries; and times
exact memory-one payoffs (pairs per second) and ``import gametheory.strategies``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import numpy as np


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def ours_basic():
    import gametheory.strategies as gs

    # the same ten, in the same order, as axelrod.basic_strategies (Axelrod 4.14)
    return [gs.Alternator(), gs.AntiTitForTat(), gs.Bully(), gs.Cooperator(), gs.Cycler("DC"),
            gs.Defector(), gs.SuspiciousTitForTat(), gs.TitForTat(), gs.WinShiftLoseStay(),
            gs.WinStayLoseShift()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--turns", type=int, default=200)
    ap.add_argument("--repetitions", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = ap.parse_args()

    import gametheory as gt
    import gametheory.strategies as gs

    try:
        import axelrod as axl
    except ImportError:
        axl = None
        print("axelrod is not installed in this environment: only gametheory is timed.\n"
              "See benchmarks/README.md for the separate environment.\n")

    n = 10
    matches = n * (n + 1) // 2 * args.repetitions
    rows = []

    def ours(noise):
        return gt.Tournament(ours_basic(), turns=args.turns, repetitions=args.repetitions,
                             noise=noise, seed=1).run()

    for noise in (0.0, 0.05):
        t_ours = best_of(lambda noise=noise: ours(noise), args.repeat)
        t_ax = None
        if axl is not None:
            def theirs(noise=noise):
                players = [s() for s in axl.basic_strategies]
                t = axl.Tournament(players, turns=args.turns, repetitions=args.repetitions,
                                   noise=noise, seed=1)
                return t.play(progress_bar=False, processes=None)

            t_ax = best_of(theirs, max(1, args.repeat - 1))
        rows.append((f"basic tournament, noise {noise}", matches / t_ours,
                     None if t_ax is None else matches / t_ax))

    # single matches
    k = 200
    t_ours = best_of(lambda: [gt.play(gs.TitForTat(), gs.Random(), turns=args.turns, seed=s)
                              for s in range(k)], args.repeat)
    t_ax = None
    if axl is not None:
        t_ax = best_of(lambda: [axl.Match((axl.TitForTat(), axl.Random()), turns=args.turns,
                                          seed=s).play() for s in range(k)],
                       max(1, args.repeat - 1))
    rows.append(("single match TFT vs Random", k / t_ours, None if t_ax is None else k / t_ax))

    print(f"{'benchmark':38s} {'gametheory/s':>14s} {'axelrod/s':>12s} {'ratio':>8s}")
    for name, a, b in rows:
        ratio = "" if b is None else f"{a / b:8.1f}x"
        bb = "" if b is None else f"{b:12,.0f}"
        print(f"{name:38s} {a:14,.0f} {bb:>12s} {ratio:>9s}")

    # identical scores for deterministic pairs
    if axl is not None:
        res = ours(0.0)
        players = [s() for s in axl.basic_strategies]
        ax_res = axl.Tournament(players, turns=args.turns, repetitions=1, seed=1).play(
            progress_bar=False)
        ax_names = [str(p) for p in players]
        our_names = [s.name for s in ours_basic()]
        theirs = np.array(ax_res.payoff_matrix)
        order = _match_names(ax_names, our_names)
        mine = res.payoff_matrix[np.ix_(order, order)]
        diff = np.abs(mine - theirs)
        print(f"\ndeterministic pairs with identical mean scores: "
              f"{int((diff < 1e-12).sum())} of {diff.size} (max difference {diff.max():.3g})")

    # exact memory-one payoffs
    rng = np.random.default_rng(0)
    p, q = rng.random((100_000, 4)), rng.random((100_000, 4))
    t = best_of(lambda: gt.memory_one_payoffs(p, q, noise=0.01), args.repeat)
    print(f"exact memory-one payoffs: {100_000 / t:,.0f} pairs/s (target 100,000)")
    out = subprocess.run([sys.executable, "-X", "importtime", "-c",
                          "import gametheory.strategies"], capture_output=True, text=True)
    total = max(int(line.split("|")[1]) for line in out.stderr.splitlines()
                if line.startswith("import time:") and "gametheory" in line.split("|")[-1]
                and line.split("|")[1].strip().isdigit())
    print(f"import gametheory.strategies: {total / 1e6:.3f} s (target < 0.5 s)")


def _match_names(ax_names, our_names):
    """Index of our player for each Axelrod player (Axelrod's display names differ)."""
    alias = {"Alternator": "Alternator", "Anti Tit For Tat": "Anti tit for tat",
             "Bully": "Bully", "Cooperator": "Cooperator", "Cycler DC": "Cycler",
             "Defector": "Defector", "Suspicious Tit For Tat": "Suspicious tit for tat",
             "Tit For Tat": "Tit for tat", "Win-Shift Lose-Stay: D": "Win-shift lose-stay",
             "Win-Stay Lose-Shift": "Win-stay lose-shift"}
    return [our_names.index(alias[a]) for a in ax_names]


if __name__ == "__main__":
    main()
