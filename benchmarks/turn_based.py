"""Alternating-move stochastic games: our ``turn_qre`` (sparse logit Markov QRE in the
values, analytic Jacobian) and ``iterated_best_response`` against sgamesolver's QRE
homotopy, one run, the same games, every result checked by our best-response MDP check.

The games: random alternating-move games (in each state one player chooses among 2-4
actions, the other has a single "wait"; integer payoffs in [-10, 10], Dirichlet
transitions, δ = 0.9) of 4-40 states, and the US-Russia dispute game (648 states, 5
levels for the mover, its per-turn δ).

sgamesolver needs ``numpy<2``, so it lives in its own virtual environment:

    python3.11 -m venv /tmp/sgvenv
    /tmp/sgvenv/bin/pip install "numpy<2" "pandas<2.3" cython setuptools wheel
    /tmp/sgvenv/bin/pip install --no-build-isolation sgamesolver
    SGAMESOLVER_PYTHON=/tmp/sgvenv/bin/python .venv/bin/python benchmarks/turn_based.py

Each library runs in a fresh process (imports count, as for a user). Games are handed
over as plain ``.npz`` arrays. ``--no-dispute`` leaves the dispute game out; without
sgamesolver only our side runs and the script says so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

SIZES = [(4, 2), (10, 3), (20, 2), (20, 4), (40, 3)]   # (states, actions of the mover)
SEEDS = range(3)
DELTA = 0.9
TIMEOUT = 900


def random_turn_game(n_states: int, n_actions: int, seed: int) -> dict:
    rng = np.random.default_rng(7000 + 100 * n_states + 10 * n_actions + seed)
    u, phi = [], []
    for s in range(n_states):
        shape = (n_actions, 1) if s % 2 == 0 else (1, n_actions)
        u.append(rng.integers(-10, 11, (2, *shape)).astype(float))
        phi.append(rng.dirichlet(np.ones(n_states), size=shape))
    return {"name": f"{n_states} states x {n_actions} actions #{seed}", "u": u, "phi": phi,
            "delta": DELTA}


def dispute() -> dict:
    from gametheory.analysis import calibrate, dispute_game

    dg = dispute_game(calibrate())
    g = dg.game
    u = [np.moveaxis(st.payoffs, -1, 0) for st in g.stage_games]
    phi = [g.transition(s) for s in range(g.n_states)]
    return {"name": f"US-Russia dispute ({g.n_states} states)", "u": u, "phi": phi,
            "delta": float(dg.discount_per_turn)}


def save(games: list[dict], path: Path) -> None:
    arrays = {}
    for k, g in enumerate(games):
        arrays[f"g{k}_delta"] = np.array(g["delta"])
        for s, (u, p) in enumerate(zip(g["u"], g["phi"], strict=True)):
            arrays[f"g{k}_u{s}"] = u
            arrays[f"g{k}_p{s}"] = p
    np.savez(path, **arrays)
    path.with_suffix(".json").write_text(json.dumps([[g["name"], len(g["u"])] for g in games]))


LOAD = """
import json, sys, time
import numpy as np
names = json.load(open(sys.argv[1][:-4] + ".json"))
data = np.load(sys.argv[1])
def games():
    for k, (name, n) in enumerate(names):
        yield (name, [data[f"g{k}_u{s}"] for s in range(n)],
               [data[f"g{k}_p{s}"] for s in range(n)], float(data[f"g{k}_delta"]))
"""

OURS = LOAD + """
t0 = time.perf_counter()
import gametheory as gt
from gametheory.errors import SolverError
from gametheory.solvers import iterated_best_response, turn_qre
method = sys.argv[2]
out = {}
for name, u, phi, delta in games():
    stages = [gt.Game(np.moveaxis(x, 0, -1)) for x in u]
    game = gt.StochasticGame(stages, phi, discount=delta)
    t = time.perf_counter()
    try:
        res = turn_qre(game) if method == "turn_qre" else iterated_best_response(game)
        eq = res[0]
        strat = [[p.tolist() for p in st] for st in eq.strategies]
    except (SolverError, IndexError) as exc:
        strat = f"{type(exc).__name__}: {exc}"[:200]
    out[name] = {"seconds": time.perf_counter() - t, "strategies": strat}
print(json.dumps({"total": time.perf_counter() - t0, "games": out}))
"""

THEIRS = LOAD + """
t0 = time.perf_counter()
import sgamesolver
out = {}
for name, u, phi, delta in games():
    game = sgamesolver.SGame(u, phi, delta)
    t = time.perf_counter()
    try:
        hom = sgamesolver.homotopy.QRE(game)
        hom.solver_setup()
        hom.solver.verbose = 0
        hom.solve()
        nums = [x.shape[1:] for x in u]
        S = np.asarray(hom.equilibrium.strategies)
        strat = [[S[s, i, :nums[s][i]].tolist() for i in range(2)] for s in range(len(u))]
    except Exception as exc:
        strat = f"{type(exc).__name__}: {exc}"[:200]
    out[name] = {"seconds": time.perf_counter() - t, "strategies": strat}
print(json.dumps({"total": time.perf_counter() - t0, "games": out}))
"""


def run(python: str, code: str, path: Path, *extra: str) -> dict | str:
    t0 = time.perf_counter()
    try:
        res = subprocess.run([python, "-c", code, str(path), *extra], capture_output=True,
                             text=True, check=True, cwd="/tmp", timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"timed out after {TIMEOUT} s"
    except subprocess.CalledProcessError as exc:
        return f"failed: {exc.stderr.strip().splitlines()[-1] if exc.stderr else exc}"
    data = json.loads(res.stdout.strip().splitlines()[-1])
    data["process"] = time.perf_counter() - t0
    return data


def gain(g: dict, strategies) -> float:
    import gametheory as gt
    from gametheory.solvers import best_response_gain

    if isinstance(strategies, str):
        return float("nan")
    stages = [gt.Game(np.moveaxis(x, 0, -1)) for x in g["u"]]
    game = gt.StochasticGame(stages, g["phi"], discount=g["delta"])
    prof = [[np.clip(np.array(p, float), 0, None) / np.clip(np.array(p, float), 0, None).sum()
             for p in st] for st in strategies]
    return float(best_response_gain(game, prof).max())


def run_all(python: str, code: str, sets: list[list[dict]], *extra: str) -> dict:
    """One fresh process per set of games (the dispute game alone, so that a timeout
    there does not lose the random games); a failed set marks each of its games."""
    merged = {"games": {}, "process": 0.0}
    for k, games in enumerate(sets):
        path = Path(f"/tmp/gametheory_turn_bench_{k}.npz")
        save(games, path)
        r = run(python, code, path, *extra)
        if isinstance(r, str):
            for g in games:
                merged["games"][g["name"]] = {"seconds": float("nan"), "strategies": r}
            continue
        merged["games"].update(r["games"])
        merged["process"] += r["process"]
    return merged


def main() -> None:
    gs = [random_turn_game(n, a, seed) for n, a in SIZES for seed in SEEDS]
    sets = [list(gs)]
    if "--no-dispute" not in sys.argv:
        sets.append([dispute()])
        gs += sets[-1]
    runs = {"turn_qre": run_all(sys.executable, OURS, sets, "turn_qre"),
            "best_response": run_all(sys.executable, OURS, sets, "best_response")}
    other = os.environ.get("SGAMESOLVER_PYTHON", "/tmp/sgvenv/bin/python")
    if Path(other).exists():
        runs["sgamesolver"] = run_all(other, THEIRS, sets)
    else:
        print(f"sgamesolver not found at {other}: only our side runs (see the docstring)")
    for key, r in runs.items():
        for name, o in r["games"].items():
            if isinstance(o["strategies"], str):
                print(f"{key} on {name}: {o['strategies']}")
    names = list(runs)
    print(f"{'game':34}" + "".join(f" {k + ' s':>16} {'gain':>8}" for k in names)
          + (f" {'QRE |diff|':>10}" if "sgamesolver" in names else ""))
    same = 0
    totals = dict.fromkeys(names, 0.0)
    solved = dict.fromkeys(names, 0)
    for g in gs:
        line = f"{g['name']:34}"
        for k in names:
            o = runs[k]["games"][g["name"]]
            gn = gain(g, o["strategies"])
            ok = np.isfinite(gn) and gn < 1e-6 * 20
            totals[k] += o["seconds"] if np.isfinite(o["seconds"]) else 0.0
            solved[k] += bool(ok)
            line += f" {o['seconds']:16.3f} {gn:8.1e}"
        if "sgamesolver" in names and "turn_qre" in names:
            a = runs["turn_qre"]["games"][g["name"]]["strategies"]
            b = runs["sgamesolver"]["games"][g["name"]]["strategies"]
            if not isinstance(a, str) and not isinstance(b, str):
                d = max(float(np.max(np.abs(np.array(x) - np.array(y))))
                        for sa, sb in zip(a, b, strict=True)
                        for x, y in zip(sa, sb, strict=True))
                same += d < 1e-4
                line += f" {d:10.1e}"
        print(line)
    print()
    for k in names:
        print(f"{k:14} solving {totals[k]:8.2f} s, process {runs[k]['process']:8.2f} s, "
              f"verified equilibria {solved[k]} of {len(gs)}")
    if "sgamesolver" in names:
        print(f"turn_qre and sgamesolver reach the same equilibrium (within 1e-4) in {same} "
              f"of {len(gs)} games")
        for k in ("turn_qre", "best_response"):
            if k in names:
                print(f"ratio sgamesolver / {k} (solving): "
                      f"{totals['sgamesolver'] / totals[k]:.2f} (above 1: we are faster)")


if __name__ == "__main__":
    main()
