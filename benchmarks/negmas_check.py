"""Cooperative solutions on random linear-additive spaces, against NegMAS.

NegMAS (0.16) pulls ~800 MB of dependencies (plotly, kaleido, pyarrow, scikit-learn),
so it is not a test dependency; it runs in its own environment:

    python3.11 -m venv /tmp/negvenv
    /tmp/negvenv/bin/pip install negmas -e .
    /tmp/negvenv/bin/python benchmarks/negmas_check.py [--spaces 200]

For each random space (2-4 discrete issues of 2-6 values, random weights and scores,
reservation values between each party's worst and middle utility - NegMAS measures
gains from the larger of the reservation value and the worst outcome) both sides
build the two utilities and compute, over the deals (no lotteries): the Pareto
frontier (the set of utility pairs), the Nash point (largest product of gains over
the reservation values) and the egalitarian point
(largest smallest gain; NegMAS calls it ``kalai_points``), compared as utility pairs
within 1e-9 (a tie counts as agreement when our listed deal is among NegMAS's). The
Kalai-Smorodinsky definitions differ on finite sets (NegMAS: the frontier point whose
gains relative to each party's best utility over *all* outcomes are closest to equal;
ours: the leximin of gains relative to the best *individually rational* utility), so
that row is printed for information only. Timing: both sides from the utilities to the
four solutions, one space at a time.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spaces", type=int, default=200)
    args = parser.parse_args()
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.ops import kalai_points, ks_points, nash_points, pareto_frontier
    from negmas.preferences.value_fun import TableFun

    from gametheory.games import Issue, LinearAdditiveUtility, OutcomeSpace, bargaining_problem
    from gametheory.solvers import bargaining_solutions
    from gametheory.solvers import pareto_frontier as our_frontier

    rng = np.random.default_rng(7)
    agree = {"Pareto frontier": 0, "Nash": 0, "egalitarian": 0, "Kalai-Smorodinsky": 0}
    counted = 0
    t_ours = t_theirs = 0.0
    for _ in range(args.spaces):
        k = int(rng.integers(2, 5))
        sizes = [int(rng.integers(2, 7)) for _ in range(k)]
        issues = [Issue(f"i{j}", values=tuple(range(n))) for j, n in enumerate(sizes)]
        space = OutcomeSpace(issues)
        specs = []
        for _ in range(2):
            w = rng.random(k) + 0.05
            w = w / w.sum()
            scores = [np.round(rng.random(n), 6) for n in sizes]
            # NegMAS measures gains from max(reservation value, the smallest utility of
            # any outcome): draw reservation values above that smallest utility so
            # both sides solve the same problem
            lo = sum(wj * sc.min() for wj, sc in zip(w, scores, strict=True))
            hi = sum(wj * sc.max() for wj, sc in zip(w, scores, strict=True))
            r = float(lo + rng.random() * 0.5 * (hi - lo))
            specs.append((w, scores, r))
        t = time.perf_counter()
        ours = [LinearAdditiveUtility(space, w, [list(sc) for sc in scores], reserved_value=r)
                for w, scores, r in specs]
        prob = bargaining_problem(space, *ours)
        if not prob.individually_rational().any():
            continue
        front = {tuple(np.round(prob.utilities[i], 9)) for i in our_frontier(prob)}
        sol = bargaining_solutions(prob)
        t_ours += time.perf_counter() - t
        t = time.perf_counter()
        nos = make_os([make_issue(list(range(n)), name=f"i{j}") for j, n in enumerate(sizes)])
        theirs = [LinearAdditiveUtilityFunction(
            values=[TableFun({v: float(sc[v]) for v in range(len(sc))}) for sc in scores],
            weights=list(map(float, w)), outcome_space=nos, reserved_value=r)
            for w, scores, r in specs]
        outcomes = list(nos.enumerate())
        fr, _ = pareto_frontier(theirs, outcomes=outcomes)
        nash = nash_points(theirs, fr, outcomes=outcomes)
        egal = kalai_points(theirs, fr, outcomes=outcomes)
        ks = ks_points(theirs, fr, outcomes=outcomes)
        t_theirs += time.perf_counter() - t
        counted += 1
        # NegMAS's frontier keeps only individually rational points when reserved values
        # are set? compare on the individually rational part of both
        d = prob.disagreement
        their_front = {tuple(np.round(p, 9)) for p in fr
                       if p[0] >= d[0] - 1e-12 and p[1] >= d[1] - 1e-12}
        agree["Pareto frontier"] += front == their_front
        for name, pts in (("Nash", nash), ("egalitarian", egal), ("Kalai-Smorodinsky", ks)):
            ours_pt = sol.point(name)
            agree[name] += any(np.abs(np.asarray(p[0]) - ours_pt).max() <= 1e-9 for p in pts)
    print(f"{counted} spaces with an individually rational deal "
          f"(of {args.spaces}); agreement with NegMAS:")
    for name, n in agree.items():
        note = "  (definitions differ: information)" if name == "Kalai-Smorodinsky" else ""
        print(f"  {name:<18} {n:>4}/{counted}{note}")
    print(f"time per space: ours {t_ours / counted * 1e3:.2f} ms, NegMAS "
          f"{t_theirs / counted * 1e3:.2f} ms, ratio {t_theirs / t_ours:.1f}x")


if __name__ == "__main__":
    main()
