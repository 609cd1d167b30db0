"""Batch equilibrium computation: gametheory.solve_many against nashpy, pygambit and QuantEcon.

All libraries solve the same seeded random integer games (payoffs 0..99, so
some games are degenerate) in one run; the script prints games per second,
our ratio to each library, and checks that the equilibrium sets agree (with
pygambit's exact rational ``enummixed`` where it finishes in the time budget).
QuantEcon's numba compilation is timed separately (first call on a 2x2 game)
and not counted in its rate. Installs nothing: pygambit and QuantEcon come
with the dev extra.

    python benchmarks/solvers.py            # everything (about 10 minutes)
    python benchmarks/solvers.py --quick    # smaller counts, short budgets
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
import warnings
from fractions import Fraction

import numpy as np

SIZES = {2: 10_000, 3: 2_000, 5: 200, 8: 20, 12: 3}
TARGETS_ALL = {2: 1_000_000, 3: 200_000, 5: 20_000, 8: 2_000, 12: 50}
TARGET_LH = 100_000


def games(m: int, count: int, seed: int = 2026) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed + m)
    return (rng.integers(0, 100, (count, m, m)).astype(float),
            rng.integers(0, 100, (count, m, m)).astype(float))


#: (library, size) pairs not run: one game alone takes longer than any budget
#: (nashpy: 0.2 games/s at 8x8 and none in 120 s at 12x12, as measured in issue #3;
#: Gambit's rational enummixed at 12x12: minutes per game).
SKIP = {("nashpy", 8), ("nashpy", 12), ("gambit rational", 12)}


def timed(fn, A, B, budget: float):
    """Run ``fn`` game by game until ``budget`` seconds; return (games/s, results)."""
    out = []
    start = time.perf_counter()
    for a, b in zip(A, B, strict=True):
        out.append(fn(a, b))
        if time.perf_counter() - start > budget:
            break
    return len(out) / (time.perf_counter() - start), out


def flat(profiles) -> list[np.ndarray]:
    return [np.concatenate([np.asarray(x, float), np.asarray(y, float)]) for x, y in profiles]


def distinct(profiles: list[np.ndarray], atol: float) -> list[np.ndarray]:
    """Drop repeats: Gambit's enummixed lists some vertex pairs of degenerate games twice
    (e.g. game 403 of the 3x3 benchmark: 6 listed, 4 distinct)."""
    out: list[np.ndarray] = []
    for p in profiles:
        if not any(np.allclose(p, q, atol=atol) for q in out):
            out.append(p)
    return out


def same(ours, theirs, atol: float = 1e-6) -> bool:
    """Equal equilibrium sets: as many distinct equilibria, each of ours among theirs."""
    a, b = distinct(flat(ours), atol), distinct(flat(theirs), atol)
    return (len(a) == len(flat(ours)) and len(a) == len(b)
            and all(any(np.allclose(p, q, atol=atol) for q in b) for p in a))


def nashpy_support(a, b):
    import nashpy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(nashpy.Game(a, b).support_enumeration())


def gambit_game(a, b):
    import pygambit

    return pygambit.StrategicGame.from_arrays(a.astype(int), b.astype(int))


def gambit_float(a, b):
    import pygambit

    g = gambit_game(a, b)
    res = pygambit.nash.enummixed_solve(g, rational=False)
    p1, p2 = g.players
    return [([float(eq[p1][s]) for s in g.get_strategies(p1)],
             [float(eq[p2][s]) for s in g.get_strategies(p2)]) for eq in res.equilibria]


def gambit_rational(a, b):
    import pygambit

    g = gambit_game(a, b)
    res = pygambit.nash.enummixed_solve(g, rational=True)
    return [tuple(tuple(Fraction(str(eq[p][s])) for s in g.get_strategies(p))
                  for p in g.players)
            for eq in res.equilibria]


def qe_support(a, b):
    import quantecon.game_theory as qe

    return qe.support_enumeration(qe.NormalFormGame((qe.Player(a), qe.Player(b.T))))


def qe_vertex(a, b):
    import quantecon.game_theory as qe

    return qe.vertex_enumeration(qe.NormalFormGame((qe.Player(a), qe.Player(b.T))))


def qe_lh(a, b):
    import quantecon.game_theory as qe

    return qe.lemke_howson(qe.NormalFormGame((qe.Player(a), qe.Player(b.T))))


def start_up(m: int = 3, cache_dir: str | None = None) -> tuple[float, float]:
    """Seconds for a fresh process to import gametheory and solve one small m x m batch,
    and the part of it spent in the first ``solve_many`` call.

    Games above 3x3 use the compiled (numba) path: with ``cache_dir`` set to an
    empty folder numba compiles it (what the first use on a machine costs);
    without, it loads the machine code cached by earlier runs.
    """
    import os

    code = ("import time; t = time.perf_counter(); import numpy as np, gametheory as gt; "
            f"u = time.perf_counter(); gt.solve_many(np.ones((1, {m}, {m})), "
            f"np.ones((1, {m}, {m}))); v = time.perf_counter(); print(v - t, v - u)")
    env = dict(os.environ)
    if cache_dir is not None:
        env["NUMBA_CACHE_DIR"] = cache_dir
    total, first = subprocess.run([sys.executable, "-c", code], capture_output=True,
                                  text=True, check=True, env=env).stdout.split()
    return float(total), float(first)


def memory_million() -> tuple[float, float]:
    """Peak resident memory (GiB) and seconds for 1,000,000 3x3 games in a fresh process."""
    code = """
import resource, time, numpy as np, gametheory as gt
rng = np.random.default_rng(1)
A = rng.integers(0, 100, (1_000_000, 3, 3)).astype(float)
B = rng.integers(0, 100, (1_000_000, 3, 3)).astype(float)
t = time.perf_counter()
res = gt.solve_many(A, B)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
      res.n_equilibria.sum())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[1]), float(out[0])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds per library and size (default 60, quick 5)")
    args = parser.parse_args(argv)
    budget = args.budget or (5.0 if args.quick else 60.0)
    sizes = {m: (max(3, c // 10) if args.quick else c) for m, c in SIZES.items()}

    import gametheory as gt

    t = time.perf_counter()
    import quantecon.game_theory as qe  # noqa: F401

    qe_support(np.eye(2), np.eye(2))
    qe_vertex(np.eye(2), np.eye(2))
    qe_lh(np.eye(2), np.eye(2))
    qe_compile = time.perf_counter() - t

    print(f"gametheory {gt.__version__}; games: integer payoffs 0..99, seeded; budget "
          f"{budget:.0f} s per library and size; QuantEcon numba warm-up {qe_compile:.1f} s "
          "(not counted)\n")
    rows = []
    print("All equilibria (games/s)")
    print(f"{'size':>6} {'games':>6} {'ours':>11} {'nashpy':>9} {'gambit':>9} {'qe supp':>9} "
          f"{'qe vert':>9} {'best other':>10} {'ratio':>7} {'target':>9} {'met':>4} "
          f"{'degen':>5} {'agree':>10}")
    for m, count in sizes.items():
        A, B = games(m, count)
        # warm-up (not counted): index tables of this shape, numba loading its cached code
        gt.solve_many(A[:2], B[:2])
        t = time.perf_counter()
        ours = gt.solve_many(A, B)
        rate = count / (time.perf_counter() - t)
        others = {}
        others["nashpy"], _ = ((float("nan"), []) if ("nashpy", m) in SKIP
                               else timed(nashpy_support, A, B, budget / 4))
        others["gambit"], gflt = timed(gambit_float, A, B, budget)
        others["qe supp"], _ = timed(qe_support, A, B, budget)
        others["qe vert"], _ = timed(qe_vertex, A, B, budget)
        best = np.nanmax(list(others.values()))
        # agreement: exact rational enummixed where it finishes, float enummixed otherwise
        _, rational = (([], []) if ("gambit rational", m) in SKIP
                       else timed(gambit_rational, A, B, budget))
        checked = disagree = 0
        for i, entry in enumerate(ours):
            if i < len(rational):
                exp = [tuple(np.array([float(v) for v in s]) for s in p) for p in rational[i]]
            elif i < len(gflt):
                exp = gflt[i]
            else:
                break
            checked += 1
            disagree += not same(entry.equilibria, exp)
        target = TARGETS_ALL[m]
        rows.append((m, rate, best, target))
        met = "yes" if rate >= target else "NO"
        print(f"{m}x{m:<4} {count:>6} {rate:>11,.0f} {others['nashpy']:>9,.1f} "
              f"{others['gambit']:>9,.1f} {others['qe supp']:>9,.1f} {others['qe vert']:>9,.1f} "
              f"{best:>10,.1f} {rate / best:>6.1f}x {target:>9,} {met:>4} "
              f"{int(ours.degenerate.sum()):>5} {f'{checked - disagree}/{checked}':>10}"
              f"{'' if len(rational) >= checked else f' ({len(rational)} exact)'}")

    print("\nOne equilibrium by Lemke-Howson (games/s)")
    print(f"{'size':>6} {'games':>6} {'ours':>11} {'qe':>9} {'ratio':>7} {'target':>9} {'met':>4}")
    for m in (2, 3, 5, 8, 12):
        A, B = games(m, 2_000 if args.quick else 20_000, seed=7)
        gt.solve_many(A[:2], B[:2], method="lemke_howson")
        t = time.perf_counter()
        ours = gt.solve_many(A, B, method="lemke_howson")
        rate = len(A) / (time.perf_counter() - t)
        theirs, _ = timed(qe_lh, A, B, budget / 4)
        target = TARGET_LH if m <= 8 else None
        met = "-" if target is None else ("yes" if rate >= target else "NO")
        print(f"{m}x{m:<4} {len(A):>6} {rate:>11,.0f} {theirs:>9,.0f} {rate / theirs:>6.1f}x "
              f"{target or '-':>9} {met:>4}   (failed {len(ours.errors)})")

    import tempfile

    s, _ = start_up()
    start_up(8)  # make sure the compiled path is in numba's cache
    s8, first8 = min(start_up(8) for _ in range(3))
    with tempfile.TemporaryDirectory() as empty:
        _, compile_s = start_up(8, cache_dir=empty)
    print(f"\nStart-up (fresh process: import gametheory + first batch; target <= 0.5 s): "
          f"3x3 {s:.2f} s; 8x8 {s8:.2f} s, of which the first (compiled) call {first8:.2f} s: "
          f"importing numba and loading the cached machine code. JIT compilation on first "
          f"use on a machine: {compile_s:.1f} s, then cached on disk")
    if not args.quick:
        mem, secs = memory_million()
        print(f"1,000,000 3x3 games: {secs:.1f} s, peak memory {mem:.2f} GiB (target < 2 GiB)")
    print(f"peak memory of this run: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB")


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    main()
