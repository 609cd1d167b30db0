"""Markov QRE homotopy: gametheory's ``markov_qre`` against sgamesolver's QRE homotopy,
one run, the same random stochastic games, both results verified by our best-response
MDP check.

sgamesolver needs ``numpy<2``, so it lives in its own virtual environment:

    python3.11 -m venv /tmp/sgvenv
    /tmp/sgvenv/bin/pip install "numpy<2" "pandas<2.3" cython setuptools wheel
    /tmp/sgvenv/bin/pip install --no-build-isolation sgamesolver
    SGAMESOLVER_PYTHON=/tmp/sgvenv/bin/python .venv/bin/python benchmarks/stochastic.py

Each library runs in a fresh process (imports and compilation count, as for a user).
Without that environment only our side runs and the script says so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

SIZES = [(2, 2), (5, 2), (5, 3), (10, 2), (10, 4), (20, 2)]   # (states, actions per player)
SEEDS = range(3)
DELTA = 0.9


def games() -> list[dict]:
    out = []
    for n_states, n_actions in SIZES:
        for seed in SEEDS:
            rng = np.random.default_rng(1000 * n_states + 10 * n_actions + seed)
            u = [rng.integers(-10, 11, (2, n_actions, n_actions)).astype(float).tolist()
                 for _ in range(n_states)]
            phi = [rng.dirichlet(np.ones(n_states), size=(n_actions, n_actions)).tolist()
                   for _ in range(n_states)]
            out.append({"name": f"{n_states} states x {n_actions} actions #{seed}",
                        "u": u, "phi": phi})
    return out


OURS = """
import json, sys, time
t0 = time.perf_counter()
import numpy as np
import gametheory as gt
from gametheory.errors import SolverError
from gametheory.solvers import markov_qre
t = time.perf_counter()
markov_qre(gt.StochasticGame.from_repeated(gt.RepeatedGame(gt.games.matching_pennies(), 0.5)))
first = time.perf_counter() - t     # loading the compiled kernels in this process
out = {}
for g in json.load(open(sys.argv[1])):
    stages = [gt.Game(np.moveaxis(np.array(u), 0, -1)) for u in g["u"]]
    game = gt.StochasticGame(stages, [np.array(p) for p in g["phi"]], discount=float(sys.argv[2]))
    t = time.perf_counter()
    try:
        eq = markov_qre(game)[0]
        strat = [[p.tolist() for p in st] for st in eq.strategies]
    except SolverError as exc:
        strat = str(exc)
    out[g["name"]] = {"seconds": time.perf_counter() - t, "strategies": strat}
print(json.dumps({"total": time.perf_counter() - t0, "first": first, "games": out}))
"""

THEIRS = """
import json, sys, time
t0 = time.perf_counter()
import numpy as np
import sgamesolver
t = time.perf_counter()
hom = sgamesolver.homotopy.QRE(sgamesolver.SGame([np.array([[[1., -1.], [-1., 1.]],
    [[-1., 1.], [1., -1.]]])], [np.ones((2, 2, 1))], 0.5))
hom.solver_setup()
hom.solver.verbose = 0
hom.solve()
first = time.perf_counter() - t
out = {}
for g in json.load(open(sys.argv[1])):
    game = sgamesolver.SGame([np.array(u) for u in g["u"]], [np.array(p) for p in g["phi"]],
                             float(sys.argv[2]))
    t = time.perf_counter()
    hom = sgamesolver.homotopy.QRE(game)
    hom.solver_setup()
    hom.solver.verbose = 0
    hom.solve()
    strat = np.asarray(hom.equilibrium.strategies).tolist()
    out[g["name"]] = {"seconds": time.perf_counter() - t, "strategies": strat}
print(json.dumps({"total": time.perf_counter() - t0, "first": first, "games": out}))
"""


def run(python: str, code: str, path: Path) -> dict:
    t0 = time.perf_counter()
    res = subprocess.run([python, "-c", code, str(path), str(DELTA)], capture_output=True,
                         text=True, check=True, cwd="/tmp")
    data = json.loads(res.stdout.strip().splitlines()[-1])
    data["process"] = time.perf_counter() - t0
    return data


def gain(g: dict, strategies) -> float:
    import gametheory as gt
    from gametheory.solvers import best_response_gain

    stages = [gt.Game(np.moveaxis(np.array(u), 0, -1)) for u in g["u"]]
    game = gt.StochasticGame(stages, [np.array(p) for p in g["phi"]], discount=DELTA)
    prof = [[np.clip(np.array(p, float), 0, None) / np.clip(np.array(p, float), 0, None).sum()
             for p in st] for st in strategies]
    return float(best_response_gain(game, prof).max())


def main() -> None:
    gs = games()
    path = Path("/tmp/gametheory_stochastic_bench.json")
    path.write_text(json.dumps(gs))
    ours = run(sys.executable, OURS, path)
    other = os.environ.get("SGAMESOLVER_PYTHON", "/tmp/sgvenv/bin/python")
    theirs = run(other, THEIRS, path) if Path(other).exists() else None
    if theirs is None:
        print(f"sgamesolver not found at {other}: only our side runs (see the docstring)")
    print(f"{'game':32} {'ours s':>8} {'sgame s':>8} {'ratio':>7} {'our gain':>9} "
          f"{'their gain':>10} {'max |diff|':>10}")
    total_o = total_t = 0.0
    for g in gs:
        o = ours["games"][g["name"]]
        total_o += o["seconds"]
        ok = not isinstance(o["strategies"], str)
        go = gain(g, o["strategies"]) if ok else float("nan")
        if theirs:
            t = theirs["games"][g["name"]]
            total_t += t["seconds"]
            gt_ = gain(g, t["strategies"])
            # every game here has the same number of actions in every state, so
            # sgamesolver's padded (states, players, actions) array lines up with ours
            diff = (float(np.max(np.abs(np.array(o["strategies"], float)
                                        - np.array(t["strategies"], float))))
                    if ok else float("nan"))
            print(f"{g['name']:32} {o['seconds']:8.3f} {t['seconds']:8.3f} "
                  f"{t['seconds'] / o['seconds']:7.2f} {go:9.1e} {gt_:10.1e} {diff:10.1e}")
        else:
            print(f"{g['name']:32} {o['seconds']:8.3f} {'-':>8} {'-':>7} {go:9.1e}")
        if not ok:
            print(f"    ours: {o['strategies']}")
    print(f"\nprocess (imports included): ours {ours['process']:.2f} s"
          + (f", sgamesolver {theirs['process']:.2f} s, ratio (theirs / ours) "
             f"{theirs['process'] / ours['process']:.2f}" if theirs else ""))
    print(f"first call in the process (a 1-state warm-up game, not counted below): ours "
          f"{ours['first']:.2f} s" + (f", sgamesolver {theirs['first']:.2f} s" if theirs else ""))
    if theirs:
        print(f"solving only: ours {total_o:.2f} s, sgamesolver {total_t:.2f} s, ratio "
              f"{total_t / total_o:.2f} (above 1: we are faster)")


if __name__ == "__main__":
    main()
