"""Alternating-offers negotiation and negotiators: known outcomes, properties, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gametheory.errors import ProfileError, ShapeError, StrategyError, UnknownNameError
from gametheory.games import BargainingProblem
from gametheory.iterated import negotiate, negotiation_tournament
from gametheory.strategies import ACCEPT, Negotiator, all_negotiators, get_negotiator
from gametheory.strategies.negotiators import StandingOffer, TimeBased


def _pie(n=101, reserved=(0.0, 0.0)):
    x = np.linspace(0, 1, n)
    return BargainingProblem(np.stack([x, 1 - x], axis=1), list(reserved))


def test_linear_against_linear_meets_near_the_middle():
    """Targets 1 - t/19 on both sides: at offer 10 the first proposes 0.48 (its target
    0.4737 rounded up to the grid); the second, whose next target is 8/19 = 0.42, takes
    it."""
    r = negotiate("Linear", "Linear", _pie())
    assert r.ended_by == "agreement" and r.label == "deal 48"
    np.testing.assert_allclose(r.utilities, [0.48, 0.52])
    assert r.turn == 11
    assert [u for _, u in r.offers[:3]] == [100, 5, 90]


def test_time_based_targets_follow_the_formula():
    """Offer k of a time-based negotiator alone: r + (1 - r)(1 - (k/(T-1))^(1/e))."""
    pie = _pie(1001, reserved=(0.2, 0.0))
    r = negotiate(TimeBased(e=2.0), "Hardliner", pie, deadline=11)
    own = [deal for who, deal in r.offers if who == 0]
    for k, deal in zip(range(0, 11, 2), own, strict=True):
        target = 0.2 + 0.8 * (1 - (k / 10) ** 0.5)
        assert pie.utilities[deal, 0] == pytest.approx(target, abs=1e-3)
        assert pie.utilities[deal, 0] >= target - 1e-12


def test_boulware_beats_conceder_and_hardliners_deadlock():
    r = negotiate("Boulware", "Conceder", _pie())
    assert r.utilities[0] > 0.8 > r.utilities[1]
    r = negotiate("Hardliner", "Hardliner", _pie())
    assert r.agreement is None and r.ended_by == "deadline"
    np.testing.assert_allclose(r.utilities, [0.0, 0.0])


def test_zero_all_as_a_standing_offer():
    """A standing offer is taken by a conceder once its aspiration falls to it, and it
    accepts only offers at least as good for itself."""
    pie = _pie()
    zero_all = get_negotiator("Zero all", deal=40)          # worth 0.4 / 0.6
    r = negotiate(zero_all, "Conceder", pie)
    assert r.label == "deal 40" and r.ended_by == "agreement"
    assert all(deal == 40 for who, deal in r.offers if who == 0)
    r = negotiate("Hardliner", zero_all, pie)
    assert r.agreement is None                                # 0.0 for it: never taken
    with pytest.raises(StrategyError, match="not one of the 101 deals"):
        negotiate(StandingOffer(200), "Linear", pie)


def test_tit_for_tat_mirrors_concessions():
    r = negotiate("Tit for tat (utility)", "Tit for tat (utility)", _pie(), deadline=200)
    assert r.ended_by == "agreement"
    np.testing.assert_allclose(r.utilities, [0.5, 0.5], atol=0.06)


@given(seed=st.integers(0, 2**32 - 1), deals=st.integers(2, 30),
       a=st.sampled_from(["Boulware", "Linear", "Conceder", "Tit for tat (utility)",
                          "Hardliner", "Random"]),
       b=st.sampled_from(["Boulware", "Linear", "Conceder", "Tit for tat (utility)",
                          "Hardliner", "Random"]))
def test_agreements_are_individually_rational_and_reproducible(seed, deals, a, b):
    rng = np.random.default_rng(seed)
    prob = BargainingProblem(rng.random((deals, 2)), rng.random(2) * 0.5)
    r1 = negotiate(a, b, prob, seed=seed, breakdown=0.05)
    r2 = negotiate(a, b, prob, seed=seed, breakdown=0.05)
    assert r1.offers == r2.offers and r1.agreement == r2.agreement
    assert np.all(r1.utilities >= prob.disagreement - 1e-12)
    for who, deal in r1.offers:
        assert prob.utilities[deal, who] >= prob.disagreement[who] - 1e-12


def test_discount_and_breakdown():
    pie = _pie()
    r = negotiate("Linear", "Linear", pie, discount=0.9)
    np.testing.assert_allclose(r.utilities, np.array([0.48, 0.52]) * 0.9 ** 10)
    ended = [negotiate("Linear", "Linear", pie, breakdown=0.05, seed=s).ended_by
             for s in range(200)]
    # ten rejections before agreement: it survives with probability 0.95^10 = 0.60
    assert 0.5 < ended.count("agreement") / 200 < 0.7
    ended = set(ended)
    assert ended == {"agreement", "breakdown"}


def test_tournament_is_reproducible_and_ranks():
    pie = _pie()
    t1 = negotiation_tournament(["Boulware", "Conceder", "Random"], [pie, _pie(21)],
                                repetitions=3, seed=5)
    t2 = negotiation_tournament(["Boulware", "Conceder", "Random"], [pie, _pie(21)],
                                repetitions=3, seed=5)
    assert t1.results.equals(t2.results)
    assert len(t1.results) == 2 * 9 * 3
    s = t1.summary()
    assert s["negotiator"].iloc[0] == "Boulware"
    assert (s["low"] <= s["mean gain"]).all() and (s["mean gain"] <= s["high"]).all()
    assert t1.results.loc[t1.results["agreement"].notna(), "pareto optimal"].all()


class _Cheater(Negotiator):
    name = "Cheater"

    def decide(self, state):
        return 10_000


class _Opener(Negotiator):
    name = "Opener"

    def decide(self, state):
        return ACCEPT


def test_bad_negotiators_and_inputs_are_named():
    pie = _pie()
    with pytest.raises(StrategyError, match="Cheater proposed deal 10000"):
        negotiate(_Cheater(), "Linear", pie)
    with pytest.raises(StrategyError, match="accepted at the opening"):
        negotiate(_Opener(), "Linear", pie)
    with pytest.raises(UnknownNameError):
        negotiate("Bolware", "Linear", pie)
    with pytest.raises(ShapeError, match="convex=False"):
        negotiate("Linear", "Linear", BargainingProblem([[0, 1], [1, 0]], [0, 0], convex=True))
    with pytest.raises(ProfileError, match="discount"):
        negotiate("Linear", "Linear", pie, discount=0)
    with pytest.raises(StrategyError, match="e must be"):
        TimeBased(e=-1)
    with pytest.raises(StrategyError, match="unknown key"):
        type("Bad", (Negotiator,), {"classifier": {"memory": 1}})
    assert {"Boulware", "Conceder", "Linear", "Zero all", "Hardliner"} <= set(all_negotiators())
    # nothing acceptable: walk away rather than propose a loss
    bad = BargainingProblem([[0.1, 0.9], [0.2, 0.8]], [0.5, 0.0])
    r = negotiate("Boulware", "Linear", bad)
    assert r.ended_by == "walked away" and r.agreement is None
