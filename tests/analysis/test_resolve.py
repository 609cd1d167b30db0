"""Private resolve: the belief that a side is resolute along the record."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.analysis import calibrate
from gametheory.analysis.resolve import DEFAULT_TYPES, resolve_posterior
from gametheory.errors import ParameterError

CAL = calibrate()


def test_the_us_opening_escalation_by_hand():
    """The US opened with Escalate: 'Always escalate' prescribes it (probability β), the
    other three strategies do not (each (1-β)/4 with five levels), so the likelihood
    ratio of resolute to conciliatory is (β + (1-β)/4)/2 over (1-β)/4."""
    beta = 0.8
    res = resolve_posterior(CAL, betas=(beta,))
    first = res.path[res.path.side == "USA"].iloc[0]
    slip = (1 - beta) / 4
    assert first.level == "Escalate"
    assert first["likelihood ratio"] == pytest.approx((beta + slip) / 2 / slip)
    assert first.after == pytest.approx(8.5 / 9.5)
    assert res.reveal.columns.tolist()[:3] == ["side", "beta", "next level"]
    assert "USA: P(resolute)" in res.answer() and "<table" in res._repr_html_()


def test_reveal_applies_its_likelihood_ratio_to_the_final_belief():
    res = resolve_posterior(CAL, betas=(0.7,))
    final = res.final().set_index("side")["P(resolute)"]
    for _, row in res.reveal.iterrows():
        odds = final[row.side] / (1 - final[row.side]) * row["likelihood ratio"]
        assert row["P(resolute) after it"] == pytest.approx(odds / (1 + odds))


@settings(max_examples=15, deadline=None)
@given(st.floats(0.05, 0.9), st.floats(0.3, 0.95))
def test_beliefs_are_monotone_in_the_prior_and_symmetric_in_the_types(prior, beta):
    a = resolve_posterior(CAL, prior=prior, betas=(beta,)).path
    b = resolve_posterior(CAL, prior=min(prior + 0.05, 0.95), betas=(beta,)).path
    assert a.after.between(0, 1).all()
    assert (b.after.to_numpy() >= a.after.to_numpy() - 1e-12).all()
    swapped = dict(reversed(list(DEFAULT_TYPES.items())))
    c = resolve_posterior(CAL, prior=1 - prior, types=swapped, betas=(beta,)).path
    np.testing.assert_allclose(c.after.to_numpy(), 1 - a.after.to_numpy(), atol=1e-9)


def test_bad_requests_raise_named_errors():
    with pytest.raises(ParameterError, match="prior"):
        resolve_posterior(CAL, prior=1.0)
    with pytest.raises(ParameterError, match="beta"):
        resolve_posterior(CAL, betas=(0.1,))
    with pytest.raises(ParameterError, match="two types"):
        resolve_posterior(CAL, types={"only": ("Tit for tat",)})
