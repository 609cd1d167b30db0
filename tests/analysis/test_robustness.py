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
