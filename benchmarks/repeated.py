"""Subgame-perfect payoff sets: gametheory's Abreu-Sannikov against QuantEcon's, one run.

Each library computes the equilibrium payoff set of the same stage games and
discount factors in a fresh process, so QuantEcon's numba compilation counts, as
it does for a user; then both are timed warm. The vertex sets are compared.
Installs nothing (QuantEcon comes with the dev extra).

    python benchmarks/repeated.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

GAMES = {"PD (9,1,10,3)": [[[9, 9], [1, 10]], [[10, 1], [3, 3]]],
         "PD (3,0,5,1)": [[[3, 3], [0, 5]], [[5, 0], [1, 1]]],
         "embassy 3x3": None}
DELTAS = [0.3, 0.75, 0.9]

OURS = """
import json, sys, time, numpy as np
t0 = time.perf_counter()
import gametheory as gt
from gametheory.solvers.repeated import RepeatedGame
out = {}
for name, payoffs in json.loads(sys.argv[1]).items():
    game = gt.games.embassy_dispute() if payoffs is None else gt.Game(np.array(payoffs))
    for d in json.loads(sys.argv[2]):
        out[f"{name} {d}"] = RepeatedGame(game, discount=d).equilibrium_payoffs().tolist()
print(json.dumps({"seconds": time.perf_counter() - t0, "sets": out}))
"""

THEIRS = """
import json, sys, time, numpy as np
t0 = time.perf_counter()
import quantecon.game_theory as qe
import gametheory as gt
out = {}
for name, payoffs in json.loads(sys.argv[1]).items():
    arr = gt.games.embassy_dispute().payoffs if payoffs is None else np.array(payoffs, float)
    for d in json.loads(sys.argv[2]):
        hull = qe.RepeatedGame(qe.NormalFormGame(arr), d).equilibrium_payoffs(
            method="abreu_sannikov")
        out[f"{name} {d}"] = hull.points[hull.vertices].tolist()
print(json.dumps({"seconds": time.perf_counter() - t0, "sets": out}))
"""


def run(code: str) -> dict:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, json.dumps(GAMES), json.dumps(DELTAS)],
                         capture_output=True, text=True, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["process"] = time.perf_counter() - t0
    return res


def main() -> None:
    import numpy as np

    from gametheory.solvers.repeated import hausdorff_distance

    ours, theirs = run(OURS), run(THEIRS)
    n = len(ours["sets"])
    print(f"{n} payoff sets ({len(GAMES)} games x {len(DELTAS)} discount factors), "
          "fresh process each, import and start-up included:")
    print(f"  gametheory: {ours['process']:.2f} s   QuantEcon: {theirs['process']:.2f} s   "
          f"ratio {theirs['process'] / ours['process']:.1f}x")
    worst = max(hausdorff_distance(np.array(ours["sets"][k]), np.array(theirs["sets"][k]))
                for k in ours["sets"])
    same = sum(len(ours["sets"][k]) == len(theirs["sets"][k]) for k in ours["sets"])
    print(f"  same number of vertices in {same} of {n} sets; largest Hausdorff distance "
          f"{worst:.2e}")
    # warm: second computation in this process
    import quantecon.game_theory as qe

    import gametheory as gt
    from gametheory.solvers.repeated import RepeatedGame

    pd = np.array(GAMES["PD (9,1,10,3)"], float)
    qe.RepeatedGame(qe.NormalFormGame(pd), 0.9).equilibrium_payoffs(method="abreu_sannikov")
    t = time.perf_counter()
    for _ in range(5):
        qe.RepeatedGame(qe.NormalFormGame(pd), 0.9).equilibrium_payoffs(method="abreu_sannikov")
    t_qe = (time.perf_counter() - t) / 5
    t = time.perf_counter()
    for _ in range(5):
        RepeatedGame(gt.Game(pd), discount=0.9).equilibrium_payoffs()
    t_ours = (time.perf_counter() - t) / 5
    print(f"warm, PD (9,1,10,3) at 0.9: gametheory {t_ours * 1e3:.0f} ms, QuantEcon "
          f"{t_qe * 1e3:.0f} ms (ratio {t_qe / t_ours:.2f}x)")


if __name__ == "__main__":
    main()
