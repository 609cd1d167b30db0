"""The main job's time, stage by stage: ``build_analysis("us-russia")`` (everything
``gametheory analyze us-russia`` computes, without writing the report) in two fresh
processes one after the other - the first may compile the numba kernels if this
machine has not cached them yet, the second is the warm run the issue's target
(≤ 30 s warm, ≤ 90 s first) is about.

    .venv/bin/python benchmarks/main_job.py [--runs 2]

There is no reference library for this (no other package runs this analysis); the
script prints each stage's seconds and the total, per run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

CODE = """
import json, time
t0 = time.perf_counter()
from gametheory.display.analyze import build_analysis
a = build_analysis("us-russia", progress=False)
print(json.dumps({"stages": a.timings, "total": time.perf_counter() - t0}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    results = []
    for _ in range(args.runs):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                             check=True)
        data = json.loads(out.stdout.strip().splitlines()[-1])
        data["process"] = time.perf_counter() - t
        results.append(data)
    stages = list(results[0]["stages"])
    print(f"{'stage':24}" + "".join(f"{'run ' + str(k + 1):>10}" for k in range(len(results))))
    for name in stages:
        print(f"{name:24}" + "".join(f"{r['stages'].get(name, float('nan')):10.1f}"
                                      for r in results))
    print(f"{'total (in process)':24}" + "".join(f"{r['total']:10.1f}" for r in results))
    print(f"{'process (with imports)':24}" + "".join(f"{r['process']:10.1f}" for r in results))
    print("targets: first run <= 90 s, warm <= 30 s")


if __name__ == "__main__":
    main()
