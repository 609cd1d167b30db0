"""Robustness over coding choices: the first row is the model's own analysis, a coding
that cannot be analysed is recorded (not raised), and flips name their coding."""

from __future__ import annotations

import pytest

from gametheory.analysis import calibrate, coding_robustness, fit_sides


@pytest.fixture(scope="module")
def res():
    return coding_robustness(calibrate(), [("insert_idle_turns", False),
                                           ("merge_within_days", -5),
                                           ("commensurate_tolerance", 0.25)],
                             repetitions=5, turns=5)


def test_first_row_is_the_models_own_analysis(res):
    cal = calibrate()
    base = res.table.iloc[0]
    assert base.option == "(model's coding)" and base.turns == len(cal.turns_)
    fits = fit_sides(cal)
    assert base["best fit USA"] == fits["USA"].best
    assert base["stage equilibria"] == "Escalate/Escalate"
    assert base["dynamic game: the side to move at the state date intends"] == "USA Escalate"


def test_a_bad_coding_is_recorded_and_the_rest_kept(res):
    bad = res.table[res.table.value == "-5"].iloc[0]
    assert "merge_within_days" in bad.error
    assert len(res.table) == 4 and (res.table.error == "").sum() == 3
    assert "Not analysable: merge_within_days = -5" in res.summary()


def test_flips_name_the_coding(res):
    flips = res.flips()
    # without idle turns Russia's turns pair differently: its best fit changes
    assert "insert_idle_turns = False" in flips["best fit RUS"]
    assert flips["stage equilibria"] == []
    assert "survive all" in res.summary()


def test_each_coding_gets_the_verdict_as_a_probability_over_the_posterior():
    from gametheory.analysis import verdict_probabilities, weight_posterior

    cal = calibrate()
    post = weight_posterior(cal, n_draws=8, seed=1)
    res = coding_robustness(cal, [("insert_idle_turns", False)], repetitions=5, turns=5,
                            dynamic=False, posterior=post, posterior_repetitions=6)
    t = res.table
    # the model's own row is the verdict section's number at the same settings
    noise = cal.params.dynamic.noise
    vp = verdict_probabilities(cal, post, noise_levels=[cal.params.noise if noise is None
                                                        else noise],
                               discounts=[cal.params.dynamic.discount_per_year], turns=5,
                               repetitions=6, seed=2021, n_boot=200)
    eq = vp.verdicts[vp.verdicts.weighting == "equal"].set_index("side")
    for side in cal.players:
        r = eq.loc[side]
        assert t.iloc[0][f"P(zero all beats tit for tat), {side}"] == \
            f"{r.probability:.2f} [{r.low:.2f}, {r.high:.2f}]"
        assert t.iloc[0][f"posterior verdict, {side}"] == r.reading
        # the reading is a conclusion (flips are counted), the number is not
        assert f"posterior verdict, {side}" in res.conclusions
        assert f"P(zero all beats tit for tat), {side}" not in res.conclusions
    assert t.iloc[1]["error"] == "" and t.iloc[1][f"posterior verdict, {cal.players[0]}"]
    from gametheory.errors import ParameterError

    with pytest.raises(ParameterError, match="weightings"):
        verdict_probabilities(cal, post, weightings=("by size",), turns=5, repetitions=6)
