"""The dispute's deal space and the packages of late 2021 (analysis/deals.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.analysis import WeightPosterior, calibrate, transition
from gametheory.analysis.deals import PACKAGES, dispute_deals
from gametheory.analysis.dynamic import feature_weights
from gametheory.analysis.parameters import FEATURES
from gametheory.errors import ParameterError, ShapeError
from gametheory.solvers.bargaining import pareto_frontier

CAL = calibrate()
ZERO, PARITY, PARITY_RU = list(PACKAGES)


def test_known_utilities_of_the_standoff_and_of_zero_all():
    """By hand with the file's weights (mission value 1, parity weight 0.5, restriction
    cost 10, property value 0): the standoff (USA 120, RUS 400, restrictions 8 and 11)
    is worth 120 - 600 (400/455 - 0.1) - 80 to the US and 400 + 227.5 (400/455 - 0.1) -
    110 to Russia; zero all is worth each mission's baseline."""
    deals = dispute_deals(CAL)
    d = deals.problem.disagreement
    share = 400 / 455 - 0.1
    assert d[0] == pytest.approx(120 - 600 * share - 80)
    assert d[1] == pytest.approx(400 + 227.5 * share - 110)
    pos = deals.positions().set_index("package")
    assert pos.loc[ZERO, "USA"] == pytest.approx(1200) and pos.loc[ZERO, "RUS"] == 455
    # zero all is Pareto optimal, but Russia would lose by it: the US mission grows
    # tenfold against Russia's 14 %
    assert pos.loc[ZERO, "pareto optimal"] and not pos.loc[ZERO, "both gain"]
    assert pos.loc[ZERO, "gain RUS"] == pytest.approx(455 - d[1])
    # parity at 455 is on the frontier and both gain; parity at Russia's 400 is not
    assert pos.loc[PARITY, "pareto optimal"] and pos.loc[PARITY, "both gain"]
    assert pos.loc[PARITY, "to the frontier"] == 0
    assert not pos.loc[PARITY_RU, "pareto optimal"] and pos.loc[PARITY_RU, "dominated by"] > 0


def test_deal_utilities_are_the_models_stage_utility_when_both_hold():
    """Every deal's value is what transition() gives a standing state when both sides
    hold (no loss, no concession): an independent computation of the same formula."""
    deals = dispute_deals(CAL)
    t = deals.issues
    S = t[["staff_USA", "staff_RUS"]].to_numpy(float)
    R = t[["restrictions_on_USA", "restrictions_on_RUS"]].to_numpy(float)
    hold = CAL.levels.index(CAL.params.classification.idle_level)
    _, _, u = transition(CAL.params, S, R, np.full((len(S), 2), hold))
    np.testing.assert_allclose(deals.problem.utilities, u, rtol=1e-12, atol=1e-9)


def test_seized_property_matters_only_through_its_value_and_ties_stay_ties():
    theta = feature_weights(CAL.params).copy()
    assert (theta[:, FEATURES.index("property_value")] == 0).all()
    deals = dispute_deals(CAL)
    U, labels = deals.problem.utilities, deals.problem.labels
    held = U[labels.index(deals.packages[PARITY])]
    returned = U[labels.index(deals.packages[PARITY].replace("USA,RUS", "none"))]
    assert np.array_equal(held, returned)          # a tie, both Pareto optimal
    theta[:, FEATURES.index("property_value")] = 50.0
    valued = dispute_deals(CAL, theta=theta).positions().set_index("package")
    assert not valued.loc[PARITY, "pareto optimal"]      # returning them helps both
    assert valued.loc[ZERO, "USA"] == pytest.approx(1200)


def _posterior(thetas, weights):
    n = len(thetas)
    return WeightPosterior(names=("lambda",), draws=np.ones((n, 1)), loglik=np.zeros(n),
                           weights=np.asarray(weights, float), ess=1.0, priors={},
                           thetas=np.asarray(thetas, float), players=CAL.players)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(0.05, 3.0), min_size=4, max_size=4))
def test_one_draw_posterior_agrees_with_the_positions(ws):
    """A posterior of one draw gives probabilities 0 or 1 that say what positions()
    says at those weights; the Pareto flags agree with pareto_frontier on the deals
    both sides prefer to the standoff."""
    theta = feature_weights(CAL.params).copy()
    for j, f in enumerate(("mission_value", "parity_weight")):
        theta[:, FEATURES.index(f)] = ws[2 * j:2 * j + 2]
    deals = dispute_deals(CAL, theta=theta, staff_steps=3, restriction_steps=2)
    pos = deals.positions().set_index("package")
    post = deals.over_posterior(_posterior([theta], [1.0])).set_index("package")
    front = set(pareto_frontier(deals.problem).tolist())
    for name, lab in deals.packages.items():
        assert post.loc[name, "P(pareto optimal)"] == float(pos.loc[name, "pareto optimal"])
        assert post.loc[name, "P(both gain over the standoff)"] == float(
            pos.loc[name, "both gain"])
        if pos.loc[name, "both gain"]:
            assert (deals.problem.labels.index(lab) in front) == pos.loc[name,
                                                                         "pareto optimal"]
    assert post["P(nearest the Nash solution)"].sum() == pytest.approx(1.0)
    # intervals hold the estimate
    assert (post["pareto optimal: 95% low"] <= post["P(pareto optimal)"]).all()


def test_posterior_probabilities_weight_the_draws():
    """Two draws: the file's weights and one where Russia does not mind parity at all
    (then zero all costs it nothing relative: it gains); weights 0.25 / 0.75."""
    a = feature_weights(CAL.params)
    b = a.copy()
    b[1, FEATURES.index("parity_weight")] = 0.0
    post = dispute_deals(CAL).over_posterior(_posterior([a, b], [0.25, 0.75]))
    row = post.set_index("package").loc[ZERO]
    assert row["P(both gain over the standoff)"] == pytest.approx(0.75)


def test_malformed_inputs_raise_named_errors():
    with pytest.raises(ShapeError, match="theta"):
        dispute_deals(CAL, theta=np.ones(3))
    with pytest.raises(ShapeError, match="theta"):
        dispute_deals(CAL, theta=np.full((2, len(FEATURES)), np.nan))
    with pytest.raises(ParameterError, match="unknown issue"):
        dispute_deals(CAL, packages={"x": {"visas": 1}})
    with pytest.raises(ParameterError, match=r"outside 0\.\.baseline"):
        dispute_deals(CAL, packages={"x": {"staff": 5000}})
    with pytest.raises(ParameterError, match="property"):
        dispute_deals(CAL, packages={"x": {"property": "sold"}})
    with pytest.raises(ParameterError, match="staff_steps"):
        dispute_deals(CAL, staff_steps=1)
