"""Bargaining solutions and alternating offers: known answers (textbook examples,
Rubinstein's closed form, Binmore-Rubinstein-Wolinsky, the outside-option principle),
bad input, and property tests (every solution individually rational and on the
frontier; the Nash point maximises the product of gains)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.errors import PayoffError, ProfileError, ShapeError, SolverError
from gametheory.games import BargainingProblem
from gametheory.solvers import (
    alternating_offers,
    alternating_offers_finite,
    bargaining_solutions,
    pareto_frontier,
)

KINKED = {"A": (0.0, 1.0), "B": (0.6, 0.9), "C": (1.0, 0.0)}


def test_dividing_a_pie_with_an_outside_value():
    """u1 + u2 = 10, disagreement (2, 0): Nash, Kalai-Smorodinsky and egalitarian split
    the surplus of 8 equally; every point of the line is utilitarian (a tie)."""
    p = BargainingProblem([[10, 0], [0, 10]], [2, 0], convex=True, labels=("all 1", "all 2"))
    res = bargaining_solutions(p)
    for name in ("Nash", "Kalai-Smorodinsky", "egalitarian"):
        assert res.point(name) == pytest.approx([6.0, 4.0], abs=1e-12)
    assert "utilitarian" in res.ties
    row = res.table[res.table.solution == "Nash"].iloc[0]
    assert row.deal == "all 1 / all 2" and row.weight == pytest.approx(0.6)


def test_nash_and_kalai_smorodinsky_differ_on_a_kinked_frontier():
    """Frontier A = (0, 1), B = (0.6, 0.9), C = (1, 0): the product of gains is largest
    at the kink B; the Kalai-Smorodinsky ray to the ideal point (1, 1) meets B-C at
    x = y = 0.9 / 1.3."""
    p = BargainingProblem.from_deals(KINKED, [0, 0], convex=True)
    res = bargaining_solutions(p)
    assert res.point("Nash") == pytest.approx([0.6, 0.9])
    ks = 0.6 + 0.4 * 0.3 / 1.3
    assert res.point("Kalai-Smorodinsky") == pytest.approx([ks, ks])
    assert res.point("egalitarian") == pytest.approx([ks, ks])
    assert res.point("utilitarian") == pytest.approx([0.6, 0.9])
    assert res.ideal == pytest.approx([1.0, 1.0])
    row = res.table[res.table.solution == "Kalai-Smorodinsky"].iloc[0]
    assert row.deal == "B / C" and row.weight == pytest.approx(1 - 0.3 / 1.3)
    # over the deals themselves every criterion picks B
    finite = bargaining_solutions(BargainingProblem.from_deals(KINKED, [0, 0]))
    assert set(finite.table.deal) == {"B"} and not finite.ties


def test_pareto_frontier_and_distances():
    p = BargainingProblem.from_deals({**KINKED, "D": (0.5, 0.5), "E": (-1, 2)}, [0, 0])
    assert [p.labels[k] for k in pareto_frontier(p)] == ["A", "B", "C"]   # E not IR
    conv = BargainingProblem.from_deals({**KINKED, "D": (0.5, 0.5)}, [0, 0], convex=True)
    assert pareto_frontier(conv).tolist() == [[0.0, 1.0], [0.6, 0.9], [1.0, 0.0]]
    dist = bargaining_solutions(conv).distances(["B", "D"]).set_index("deal")
    assert dist.loc["B", "to the frontier"] == pytest.approx(0.0, abs=1e-12)
    assert dist.loc["B", "to Nash"] == pytest.approx(0.0, abs=1e-12)
    # D = (0.5, 0.5) is nearest to the segment B-C: its projection onto it
    b, c, d = np.array([0.6, 0.9]), np.array([1.0, 0.0]), np.array([0.5, 0.5])
    e = c - b
    t = np.clip(np.dot(d - b, e) / np.dot(e, e), 0, 1)
    assert dist.loc["D", "to the frontier"] == pytest.approx(np.linalg.norm(b + t * e - d))


def test_ties_stay_ties_over_the_deals():
    p = BargainingProblem([[1, 3], [3, 1], [0, 0]], [0, 0], labels=("x", "y", "z"))
    res = bargaining_solutions(p)
    assert "Nash" in res.ties and "utilitarian" in res.ties
    assert res.table.set_index("solution").loc["Nash", "deal"] == "x = y"


def test_bad_input_says_what_is_wrong():
    with pytest.raises(PayoffError, match="deal 1"):
        BargainingProblem([[1, 2], [np.nan, 1]], [0, 0])
    with pytest.raises(ShapeError, match=r"\(deals, 2\)"):
        BargainingProblem([[1, 2, 3]], [0, 0])
    with pytest.raises(ShapeError, match="labels"):
        BargainingProblem([[1, 2]], [0, 0], labels=("a", "b"))
    with pytest.raises(SolverError, match="individually rational"):
        bargaining_solutions(BargainingProblem([[1, 2]], [5, 0]))
    with pytest.raises(ProfileError, match="unknown deal"):
        bargaining_solutions(BargainingProblem([[1, 2]], [0, 0])).distances(["nope"])
    with pytest.raises(ProfileError, match="every split"):
        alternating_offers((1.0, 1.0))
    with pytest.raises(ProfileError, match="probability"):
        alternating_offers((0.9, 0.9), breakdown=1.5)
    with pytest.raises(ProfileError, match="sum"):
        alternating_offers((0.9, 0.9), outside=(0.7, 0.7))


@pytest.mark.parametrize(("d1", "d2"), [(0.9, 0.9), (0.9, 0.5), (0.5, 0.99), (0.0, 0.7)])
def test_rubinstein_closed_form_and_finite_horizons(d1, d2):
    """Rubinstein (1982): the first proposer keeps (1 - δ2) / (1 - δ1 δ2); the finite
    horizon's backward induction converges to it (Ståhl 1972)."""
    r = alternating_offers((d1, d2))
    assert r.shares[0] == pytest.approx((1 - d2) / (1 - d1 * d2), abs=1e-12)
    assert r.shares[1] == pytest.approx((1 - d1) / (1 - d1 * d2), abs=1e-12)
    assert r.agreement(1) == pytest.approx((1 - r.shares[1], r.shares[1]))
    finite = alternating_offers_finite((d1, d2), horizon=2000)
    assert finite[0] == 1.0 and finite[1] == pytest.approx(1 - d2)
    assert finite[-1] == pytest.approx(r.shares[0], abs=1e-9)


def test_breakdown_risk_and_outside_options():
    # Binmore, Rubinstein & Wolinsky: no impatience, breakdown p, disagreement 0
    for p in (0.5, 0.1, 0.01):
        assert alternating_offers((1.0, 1.0), breakdown=p).shares[0] == \
            pytest.approx(1 / (2 - p), abs=1e-12)
    # disagreement payoffs shift the split: the limit is the Nash split of the surplus
    r = alternating_offers((1.0, 1.0), breakdown=1e-4, disagreement=(0.4, 0.0))
    assert r.shares[0] == pytest.approx(0.7, abs=1e-3)
    # the outside-option principle: an option below the Rubinstein share changes nothing,
    # one above it is exactly what the responder gets
    base = alternating_offers((0.9, 0.9))
    low = alternating_offers((0.9, 0.9), outside=(0.0, 0.3))
    assert low.shares == pytest.approx(base.shares) and not any(low.binding_outside)
    high = alternating_offers((0.9, 0.9), outside=(0.0, 0.6))
    assert high.shares[0] == pytest.approx(0.4) and high.binding_outside == (False, True)


@settings(max_examples=60, deadline=None)
@given(pts=st.lists(st.tuples(st.integers(-5, 20), st.integers(-5, 20)), min_size=1,
                    max_size=8),
       d=st.tuples(st.integers(-3, 5), st.integers(-3, 5)))
def test_solutions_are_rational_and_on_the_frontier(pts, d):
    U = np.array(pts, dtype=float)
    for convex in (False, True):
        prob = BargainingProblem(U, d, convex=convex)
        if not prob.individually_rational().any():
            with pytest.raises(SolverError):
                bargaining_solutions(prob)
            continue
        res = bargaining_solutions(prob)
        gains = U[prob.individually_rational()] - np.array(d, float)
        for name in res.table.solution:
            u = res.point(name)
            assert np.all(u >= np.array(d) - 1e-9), name
            if convex:
                assert _on_frontier(prob, u), (name, u)
        # a Pareto-optimal deal is on the frontier, at distance 0; no deal is beyond it
        dist = res.distances(list(prob.labels)).set_index("deal")["to the frontier"]
        front = set(pareto_frontier(prob).tolist()) if not convex else None
        for k, lab in enumerate(prob.labels):
            if not convex and k in front:
                assert dist[lab] == pytest.approx(0.0, abs=1e-12)
            assert dist[lab] >= 0.0
        nash = res.point("Nash") - np.array(d, float)
        # the Nash point's product of gains is at least every rational deal's
        assert nash[0] * nash[1] >= (gains[:, 0] * gains[:, 1]).max() - 1e-9


def _on_frontier(prob, u) -> bool:
    from gametheory.solvers.bargaining import _distance_to_frontier

    return _distance_to_frontier(prob, u) < 1e-7


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=40),
       st.sampled_from([0.0, 1e-13, 0.5]))
def test_sorted_frontier_equals_the_pairwise_definition(points, jitter):
    """The O(n log n) frontier of deals equals the definition checked pair by pair, with
    many exact ties (small integers) and with differences below and above tolerance."""
    from gametheory.solvers.bargaining import _TOL

    U = np.array(points, float)
    U[::2, 1] += jitter
    prob = BargainingProblem(U, [-1.0, -1.0])
    keep = []
    for k in range(len(U)):
        dom = np.all(U >= U[k] - _TOL, axis=1) & np.any(U > U[k] + _TOL, axis=1)
        if not dom.any():
            keep.append(k)
    assert pareto_frontier(prob).tolist() == keep
