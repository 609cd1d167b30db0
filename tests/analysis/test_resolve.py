"""Private resolve: the belief that a side is resolute along the record."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.analysis import calibrate
from gametheory.analysis.resolve import (
    DEFAULT_TYPES,
    resolve_path,
    resolve_posterior,
    resolve_stage,
    resolve_stage_equilibria,
)
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


# ------------------------------------------------------------ the one-stage game


def test_stage_payoff_of_equilibrium_play_is_the_dynamic_value():
    """Bellman: where the mover's Markov-perfect level is m* and the other side answers
    every state m* can lead to with the same level a*, the stage payoff (m*, a*) of each
    type is exactly that type's value of the dynamic game at the state."""
    from gametheory.analysis.dynamic import dispute_game
    from gametheory.analysis.resolve import _stage_state, resolve_stage
    from gametheory.solvers import iterated_best_response, markov_values

    cal = CAL
    game = resolve_stage(cal)
    d = cal.params.dynamic
    for t, k in enumerate((0.5, 2.0)):
        dg = dispute_game(cal, own_cost_per_staff={
            "USA": d.per_side("own_cost_per_staff", cal.players)[0],
            "RUS": d.per_side("own_cost_per_staff", cal.players)[1] * k},
            own_cost_per_restriction={
            "USA": d.per_side("own_cost_per_restriction", cal.players)[0],
            "RUS": d.per_side("own_cost_per_restriction", cal.players)[1] * k})
        eq = iterated_best_response(dg.game)[0]
        V = markov_values(dg.game, eq.strategies)
        s = _stage_state(dg, "RUS", "current")
        m = int(np.argmax(eq.strategies[s][1]))
        nxt = np.flatnonzero(dg.game.transition(s)[0, m] > 0)
        answers = {int(np.argmax(eq.strategies[int(n)][0])) for n in nxt}
        assert len(answers) == 1
        (a,) = answers
        assert game.sender[t, m, a] == pytest.approx(V[1, s], rel=1e-9)
        assert game.receiver[t, m, a] == pytest.approx(V[0, s], rel=1e-9)


def test_stage_equilibria_pool_under_the_shipped_costs_and_separate_when_far_apart():
    """Under the shipped weights both types escalate and the US escalates whatever it
    sees (the level reveals nothing: the belief after it is the prior); with the types'
    own costs a hundredfold apart the resolute type escalates and the conciliatory one
    holds, and the level reveals the type."""
    cal = CAL
    res = resolve_stage_equilibria(cal, priors=(0.2, 0.8), at=("current",))
    for _, row in res.table.iterrows():
        assert row["resolute plays"] == row["conciliatory plays"] == "Escalate"
        assert row["P(resolute | Escalate)"] == pytest.approx(row["prior"])
    assert "reveals nothing" in res.answer()
    far = resolve_stage_equilibria(cal, scales=(0.1, 10.0), priors=(0.5,), at=("current",))
    (row,) = [r for _, r in far.table.iterrows()]
    assert (row["resolute plays"], row["conciliatory plays"]) == ("Escalate", "Hold")
    assert row["P(resolute | Escalate)"] == 1.0 and row["P(resolute | Hold)"] == 0.0
    assert "<table" in far._repr_html_()


def test_stage_bad_input():
    cal = CAL
    with pytest.raises(ParameterError, match="side"):
        resolve_stage(cal, side="FRA")
    with pytest.raises(ParameterError, match="scales"):
        resolve_stage(cal, scales=(2.0, 0.5))
    with pytest.raises(ParameterError, match="at"):
        resolve_stage(cal, at="1917")
    with pytest.raises(ParameterError, match="prior"):
        resolve_stage(cal, prior=1.0)


_PATH_CACHE: dict = {}       # each type's dynamic game solved once for these tests


def test_belief_along_the_record_in_equilibrium_by_hand():
    """With costs a hundredfold apart the stage separates (resolute escalates,
    conciliatory holds). Russia's first move was Hold: with tremble 0.02 over five
    levels and the slip kernel's 0.95 on the intended level (Escalate never slips to
    Hold), the belief goes from 0.5 to 0.5*0.004 / (0.5*0.004 + 0.5*(0.98*0.95 +
    0.004)). Without the tremble Hold reveals the conciliatory type (0), and Russia's
    Escalate two turns later is then off the path: the belief is anything from 0 to 1."""
    far = resolve_path(CAL, scales=(0.1, 10.0), tremble=0.02, stage_cache=_PATH_CACHE)
    first = far.table.iloc[0]
    assert first.level == "Hold" and first.before_low == 0.5
    slip = 0.02 / 5
    assert first.after_low == pytest.approx(slip / (slip + 0.98 * 0.95 + slip), rel=1e-12)
    assert first.after_low == first.after_high
    assert (far.table.on_path == far.table.equilibria).all()       # nothing off the path
    # Bayes' rule turn by turn: the odds move by the likelihood ratio of each level
    t = far.table
    assert (t.before_low.iloc[1:].to_numpy() == t.after_low.iloc[:-1].to_numpy()).all()
    assert far.final[0] < 1e-4                   # the holds and concessions add up
    hard = resolve_path(CAL, scales=(0.1, 10.0), stage_cache=_PATH_CACHE)
    row0, row1 = hard.table.iloc[0], hard.table.iloc[1]
    assert (row0.after_low, row0.after_high) == (0.0, 0.0)
    assert row1.level == "Escalate" and row1.on_path == 0
    assert (row1.after_low, row1.after_high) == (0.0, 1.0)
    assert "between 0.00 and 1.00" in hard.answer()


def test_belief_along_the_record_stays_at_the_prior_when_the_types_pool():
    """Under the shipped costs both types escalate at every state of the record, so a
    level is equally likely under both (with a tremble) and the belief never moves;
    without the tremble a hold is off the path and the belief is free in [0, 1]."""
    pooled = resolve_path(CAL, tremble=0.02, prior=0.3, stage_cache=_PATH_CACHE)
    assert np.allclose(pooled.table[["after_low", "after_high"]], 0.3, rtol=0, atol=1e-12)
    assert pooled.final == pytest.approx((0.3, 0.3))
    free = resolve_path(CAL, stage_cache=_PATH_CACHE)
    assert free.table.iloc[0].level == "Hold" and free.table.iloc[0].on_path == 0
    assert free.final == (0.0, 1.0)
    assert "<table" in free._repr_html_()
    import matplotlib

    matplotlib.use("Agg")
    assert free.plot().get_ylabel() == "P(RUS resolute)"


def test_belief_path_bad_input():
    from gametheory.analysis.dynamic import dispute_game
    from gametheory.analysis.resolve import _stage_state

    with pytest.raises(ParameterError, match="tremble"):
        resolve_path(CAL, tremble=1.0)
    with pytest.raises(ParameterError, match="prior"):
        resolve_path(CAL, prior=0.0)
    with pytest.raises(ParameterError, match="side"):
        resolve_path(CAL, side="FRA")
    dg = dispute_game(CAL)
    us_moves = dg.state(staff=(1200, 455), restrictions=(0, 0), mover="USA")
    with pytest.raises(ParameterError, match="not the mover"):
        _stage_state(dg, "RUS", us_moves)
    with pytest.raises(ParameterError, match="not a state"):
        _stage_state(dg, "RUS", 10**7)
