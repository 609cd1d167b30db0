"""Multi-issue outcome spaces, linear-additive utilities, their bargaining problems."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gametheory.errors import InputLimitError, PayoffError, ShapeError, UnknownNameError
from gametheory.games import (
    Issue,
    LinearAdditiveUtility,
    OutcomeSpace,
    bargaining_problem,
)
from gametheory.games.outcomes import zonotope_corners
from gametheory.solvers import bargaining_solutions


def _pie(reserved=(0.0, 0.0)):
    space = OutcomeSpace([Issue("share of the first", bounds=(0, 1))])
    a = LinearAdditiveUtility(space, [1], ["increasing"], reserved_value=reserved[0])
    b = LinearAdditiveUtility(space, [1], ["decreasing"], reserved_value=reserved[1])
    return space, a, b


def test_split_the_pie_nash_splits_the_surplus():
    """Linear utilities over a pie of 1, reservation values (0.2, 0): the Nash solution
    gives each its reservation value plus half the surplus: (0.6, 0.4)."""
    space, a, b = _pie((0.2, 0.0))
    prob = bargaining_problem(space, a, b)
    sol = bargaining_solutions(prob)
    np.testing.assert_allclose(sol.point("Nash"), [0.6, 0.4], atol=1e-12)
    # Kalai-Smorodinsky: ideal gains (0.8, 0.8) from (0.2, 0): equal relative gains
    np.testing.assert_allclose(sol.point("Kalai-Smorodinsky"), [0.6, 0.4], atol=1e-12)
    row = sol.table.set_index("solution").loc["Nash"]
    first, second = row["deal"].split(" / ")
    out = prob.outcome_at(first, second, row["weight"])
    assert out["share of the first"] == pytest.approx(0.6, abs=1e-12)


def test_logrolling_two_issues():
    """Two continuous issues valued in opposite proportions (Raiffa 1982): each side
    concedes the issue it cares less about; the Nash, KS and egalitarian solutions all
    pick the corner (first issue high, second low) worth (0.8, 0.8) to both."""
    space = OutcomeSpace([Issue("visas", bounds=(0, 1)), Issue("staff", bounds=(0, 1))])
    a = LinearAdditiveUtility(space, [0.8, 0.2], ["increasing", "increasing"])
    b = LinearAdditiveUtility(space, [0.2, 0.8], ["decreasing", "decreasing"])
    prob = bargaining_problem(space, a, b)
    sol = bargaining_solutions(prob)
    for name in ("Nash", "Kalai-Smorodinsky", "egalitarian"):
        np.testing.assert_allclose(sol.point(name), [0.8, 0.8], atol=1e-12)
    deal = sol.table.set_index("solution").loc["Nash", "deal"]
    assert deal == "visas=1; staff=0"


@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 3))
def test_continuous_solutions_beat_every_sampled_outcome(seed, k):
    """The exact convex solutions on a continuous space: no outcome on an 11^k grid of
    the issues has a larger Nash product or a larger smallest gain, and the best grid
    outcome comes within the grid's resolution."""
    rng = np.random.default_rng(seed)
    space = OutcomeSpace([Issue(f"i{j}", bounds=(0, 1)) for j in range(k)])
    us = [LinearAdditiveUtility(space, rng.random(k) + 0.01,
                                [tuple(rng.random(2)) for _ in range(k)],
                                reserved_value=float(rng.random() * 0.3)) for _ in range(2)]
    prob = bargaining_problem(space, *us)
    grid = np.array(list(itertools.product(np.linspace(0, 1, 11), repeat=k)))
    U = np.stack([u.utilities(grid) for u in us], axis=1)
    d = prob.disagreement
    G = U - d
    ok = np.all(G >= -1e-12, axis=1)
    if not prob.individually_rational().any():
        return
    sol = bargaining_solutions(prob)
    nash = sol.point("Nash") - d
    egal = sol.point("egalitarian") - d
    assert np.all(nash >= -1e-9) and np.all(egal >= -1e-9)
    if ok.any():
        assert (G[ok, 0] * G[ok, 1]).max() <= nash[0] * nash[1] + 1e-9
        assert G[ok].min(axis=1).max() <= egal.min() + 1e-9
        # a grid step of 0.1 moves each utility by at most 0.1 * sum of weights
        assert nash[0] * nash[1] - (G[ok, 0] * G[ok, 1]).max() <= 0.25


@pytest.mark.parametrize("k", [1, 2, 4, 7])
def test_zonotope_corners_are_the_hull_of_all_corners(k):
    from scipy.spatial import ConvexHull

    rng = np.random.default_rng(k)
    G = rng.normal(size=(k, 2))
    corners = np.array(list(itertools.product([0, 1], repeat=k)))
    pts = corners @ G
    ours = {tuple(np.round(r @ G, 10)) for r in zonotope_corners(G)}
    if k == 1:
        expected = {tuple(np.round(p, 10)) for p in pts}
    else:
        hull = ConvexHull(pts)
        expected = {tuple(np.round(pts[v], 10)) for v in hull.vertices}
    assert ours == expected
    assert len(zonotope_corners(G)) <= 2 * k


def test_discrete_space_enumerates_and_scores():
    space = OutcomeSpace([Issue("visas", values=("suspended", "restored")),
                          Issue.integers("consulates", 0, 2),
                          Issue("compounds", values=("held", "returned"))])
    assert space.size == 12
    X = space.outcomes()
    assert X.shape == (12, 3)
    u = LinearAdditiveUtility(space, {"visas": 2, "consulates": 1, "compounds": 1},
                              {"visas": {"suspended": 0, "restored": 1},
                               "consulates": "increasing", "compounds": (0.3, 1.0)},
                              reserved_value=0.25)
    vec = u.utilities(X)
    by_call = [u({i.name: i.values[v] for i, v in zip(space.issues, row, strict=True)})
               for row in X]
    np.testing.assert_allclose(vec, by_call)
    assert u({"visas": "restored", "consulates": 2, "compounds": "returned"}) == 1.0
    assert u(("suspended", 0, "held")) == pytest.approx(0.25 * 0.3)
    v = LinearAdditiveUtility(space, [1, 1, 1], ["decreasing", "decreasing", (1.0, 0.0)],
                              reserved_value=0.1)
    prob = bargaining_problem(space, u, v, players=("US", "Russia"))
    assert prob.n_deals == 12 and prob.players == ("US", "Russia")
    assert prob.disagreement.tolist() == [0.25, 0.1]
    assert prob.labels[0] == "visas=suspended; consulates=0; compounds=held"
    assert prob.outcome_at(0, 0, 0.5) == {"visas": "suspended", "consulates": 0,
                                          "compounds": "held"}
    assert list(space.to_frame().columns) == ["visas", "consulates", "compounds"]


def test_mixed_space_needs_steps_and_discretises():
    space = OutcomeSpace([Issue("visas", values=("no", "yes")), Issue("staff", bounds=(0, 10))])
    a = LinearAdditiveUtility(space, [1, 1], [(0, 1), "increasing"])
    b = LinearAdditiveUtility(space, [1, 1], [(1, 0), "decreasing"])
    with pytest.raises(ShapeError, match="steps"):
        bargaining_problem(space, a, b)
    prob = bargaining_problem(space, a, b, steps=5)
    assert prob.n_deals == 10 and "approximation" in prob.title
    assert a({"visas": "yes", "staff": 5}) == pytest.approx(0.75)


def test_bad_input_is_named():
    with pytest.raises(ShapeError, match="give values"):
        Issue("x")
    with pytest.raises(ShapeError, match="low < high"):
        Issue("x", bounds=(1, 1))
    with pytest.raises(ShapeError, match="distinct"):
        Issue("x", values=(1, 1))
    with pytest.raises(ShapeError, match="distinct"):
        OutcomeSpace([Issue("x", values=(1,)), Issue("x", values=(2,))])
    space = OutcomeSpace([Issue("visas", values=("no", "yes")), Issue("staff", bounds=(0, 10))])
    with pytest.raises(PayoffError, match=">= 0"):
        LinearAdditiveUtility(space, [1, -1], ["increasing", "increasing"])
    with pytest.raises(PayoffError, match="positive"):
        LinearAdditiveUtility(space, [0, 0], ["increasing", "increasing"])
    with pytest.raises(PayoffError, match=r"\[0, 1\]"):
        LinearAdditiveUtility(space, [1, 1], [(0, 2), "increasing"])
    with pytest.raises(PayoffError, match=r"\[0, 1\]"):
        LinearAdditiveUtility(space, [1, 1], [(0, float("nan")), "increasing"])
    with pytest.raises(ShapeError, match="no score"):
        LinearAdditiveUtility(space, [1, 1], [{"no": 0}, "increasing"])
    with pytest.raises(ShapeError, match=r"1 entries for 2 issues"):
        LinearAdditiveUtility(space, [1], ["increasing"])
    with pytest.raises(UnknownNameError):
        LinearAdditiveUtility(space, {"visa": 1, "staff": 1}, ["increasing", "increasing"])
    u = LinearAdditiveUtility(space, [1, 1], ["increasing", "increasing"])
    with pytest.raises(UnknownNameError):
        u({"visas": "maybe", "staff": 1})
    with pytest.raises(PayoffError, match="outside"):
        u({"visas": "no", "staff": 11})
    big = OutcomeSpace([Issue.integers(f"i{j}", 0, 99) for j in range(4)])
    with pytest.raises(InputLimitError, match="100,000,000 outcomes"):
        big.outcomes()


# --- alternating offers as a game tree -------------------------------------------------

def _grid_pie(n):
    from gametheory.games import BargainingProblem

    x = np.linspace(0, 1, n)
    return BargainingProblem(np.stack([x, 1 - x], axis=1), [0, 0])


def _outcomes(tree):
    from gametheory.games import backward_induction

    res = backward_induction(tree, max_listed=1)
    return sorted(tuple(round(float(v), 9) for v in o) for o in res.values)


def test_offer_tree_ultimatum_and_stahl_limit():
    from gametheory.games import alternating_offers_tree

    # one round (ultimatum): the responder takes 0 or not - two subgame-perfect outcomes
    assert _outcomes(alternating_offers_tree(_grid_pie(11), horizon=1)) == [(0.9, 0.1),
                                                                           (1.0, 0.0)]
    # three rounds, discount 0.5: Stahl's share 1 - d(1 - d) = 0.75, within a grid step
    outs = _outcomes(alternating_offers_tree(_grid_pie(11), horizon=3,
                                             discounts=(0.5, 0.5)))
    assert all(abs(o[0] - 0.75) <= 0.1 + 1e-9 for o in outs)
    assert (0.8, 0.2) in outs or (0.7, 0.3) in outs


def test_offer_tree_breakdown_is_a_chance_move():
    from gametheory.games import alternating_offers_tree

    # breakdown certain after a rejection: an ultimatum game again
    tree = alternating_offers_tree(_grid_pie(11), horizon=3, breakdown=1.0)
    assert _outcomes(tree) == [(0.9, 0.1), (1.0, 0.0)]
    # half a chance of breakdown: rejecting is worth half of what the second proposer
    # keeps (1, or 0.9 if refused nothing), so the first offers 0.5 - or 0.6 when the
    # responder refuses what leaves it indifferent
    outs = _outcomes(alternating_offers_tree(_grid_pie(11), horizon=2, breakdown=0.5))
    assert outs == [(0.4, 0.6), (0.5, 0.5)]


def test_offer_tree_over_a_multi_issue_space():
    """One round over a discrete two-issue space: the proposer's best deal among those
    the responder weakly prefers to its reservation value (and, if rejecting zero is
    kept, those it strictly prefers)."""
    from gametheory.games import alternating_offers_tree

    space = OutcomeSpace([Issue("visas", values=("no", "yes")),
                          Issue.integers("consulates", 0, 2)])
    a = LinearAdditiveUtility(space, [0.7, 0.3], [(0, 1), (1, 0.5, 0)], reserved_value=0.2)
    b = LinearAdditiveUtility(space, [0.2, 0.8], [(1, 0), (0, 0.5, 1)], reserved_value=0.3)
    prob = bargaining_problem(space, a, b)
    outs = _outcomes(alternating_offers_tree(prob, horizon=1))
    U, d = prob.utilities, prob.disagreement
    ok = U[:, 1] >= d[1] - 1e-12
    best = U[ok][np.argmax(U[ok, 0])]
    assert (round(best[0], 9), round(best[1], 9)) in outs


def test_offer_tree_size_is_checked_first():
    from gametheory.games import alternating_offers_tree

    with pytest.raises(InputLimitError, match="max_nodes"):
        alternating_offers_tree(_grid_pie(101), horizon=5)
    with pytest.raises(ShapeError, match="convex=False"):
        from gametheory.games import BargainingProblem

        alternating_offers_tree(BargainingProblem([[0, 1], [1, 0]], [0, 0], convex=True),
                                horizon=2)
