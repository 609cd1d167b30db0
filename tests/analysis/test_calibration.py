"""Calibration of the shipped sequence: parameters, classification, stage game, invariants."""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.analysis import (
    calibrate,
    load_parameters,
    sensitivity,
    stage_payoffs,
    transition,
)
from gametheory.errors import ParameterError, SequenceTooShortError
from gametheory.models import model_path

PARAMS_FILE = model_path("us-russia") / "parameters.yaml"
RAW = yaml.safe_load(PARAMS_FILE.read_text())
CAL = calibrate()


def _with(mutate):
    data = copy.deepcopy(RAW)
    mutate(data)
    return data


@pytest.mark.parametrize(("mutate", "key", "text"), [
    (lambda d: d["utility"]["USA"].update(bogus=1), "utility.USA.bogus", "unknown key"),
    (lambda d: d["utility"]["RUS"].pop("loss_cost"), "utility.RUS.loss_cost", "missing"),
    (lambda d: d.update(discount=-0.2), "discount", "greater than 0"),
    (lambda d: d.update(noise=1.5), "noise", "less than or equal to 1"),
    (lambda d: d.update(observation_noise=-0.1), "observation_noise", "greater than or equal"),
    (lambda d: d["missions"]["USA"].update(state=5000), "missions.USA", "exceeds baseline"),
    (lambda d: d["classification"].update(idle_level="Nap"), "classification.idle_level",
     "not a level"),
    (lambda d: d["classification"]["action_types"].pop("expel"),
     "classification.action_types", "expel"),
    (lambda d: d["utility"].pop("RUS"), "utility.RUS", "missing"),
    (lambda d: d.update(start_date=dt.date(2030, 1, 1)), "start_date", "after state_date"),
])
def test_bad_parameters_name_the_key(mutate, key, text):
    with pytest.raises(ParameterError, match=text) as info:
        load_parameters(_with(mutate))
    assert info.value.key == key
    assert isinstance(info.value, gt.GameError)


def test_bad_parameters_file_gives_line(tmp_path):
    text = PARAMS_FILE.read_text().replace("  concession_cost: 90.0",
                                           "  concession_cost: 90.0\n    bribe: 3")
    bad = tmp_path / "p.yaml"
    bad.write_text(text)
    with pytest.raises(ParameterError) as info:
        load_parameters(bad)
    err = info.value
    assert err.key == "utility.RUS.bribe" and err.path == str(bad)
    assert text.splitlines()[err.line - 1].strip() == "bribe: 3"
    bad.write_text("players: [USA, RUS\n")
    with pytest.raises(ParameterError, match="not valid YAML"):
        load_parameters(bad)
    with pytest.raises(ParameterError, match="cannot read"):
        load_parameters(tmp_path / "missing.yaml")


def test_replace_rejects_unknown_keys():
    with pytest.raises(ParameterError, match="no such parameter"):
        CAL.params.replace(**{"utility.USA.charm": 1.0})
    with pytest.raises(ParameterError, match="greater than or equal to 0"):
        CAL.params.replace(**{"utility.USA.loss_cost": -1.0})


def test_short_sequence_says_so():
    from gametheory.errors import SmallSampleWarning

    events = gt.load_model("us-russia").events.filter(until="2017-08-01")
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cal = calibrate(events)
    texts = [str(w.message) for w in caught if w.category is SmallSampleWarning]
    assert any("USA has only 1 decision" in t for t in texts)
    assert any("RUS has only 2 decision" in t for t in texts)
    assert len(cal.turns_) >= 2
    none = gt.load_model("us-russia").events.filter(until="2016-12-29")
    with pytest.raises(SequenceTooShortError, match=r"RUS has 0 decision.*start_date"):
        calibrate(none)


def test_classification_of_known_moves():
    moves = CAL.moves_.set_index("event_id")
    assert moves.loc["E09a", "level"] == "Commensurate"       # 60 for 60
    assert moves.loc["E09a", "ratio"] == 1.0
    assert moves.loc["E15a", "level"] == "Commensurate"       # 10 for 10
    assert moves.loc["E01a", "level"] == "Escalate"           # unprovoked expulsion of 35
    assert moves.loc["E04a", "level"] == "Escalate"           # the cap of 455
    assert moves.loc["E02", "level"] == "Hold"                # Putin's non-retaliation
    assert moves.loc["E10", "rule"] == "cheap talk"           # the offer: talk (default)
    assert moves.loc["E03", "rule"] == "cheap talk"           # a demand: talk, alike
    assert moves.loc["E31", "level"] == "Commensurate"        # "commensurate", no number
    assert moves.loc["E18", "rule"] == "implements"           # the ban is one decision
    assert moves.loc["E21", "rule"] == "implements"
    assert "E06" not in moves.index and "E22" not in moves.index   # US self-cuts
    # Sullivan's June return (month precision) is ordered after the 16 June summit
    assert moves.loc["E20c", "date"] > moves.loc["E20b", "date"]
    assert "A5" not in moves.index                            # 2001 is outside the period
    turns = CAL.turns_
    assert (turns.actor.values[1:] != turns.actor.values[:-1]).all()   # alternating
    assert turns.iloc[0].actor == "USA" and turns.iloc[0].level == "Escalate"


def test_state_and_stage_game():
    assert CAL.state_.staff == (120.0, 400.0)
    # restrictive decisions against each side: the US self-cuts are not restrictions on
    # the US, and the local-hire ban (E16, E18, E21) counts once
    assert CAL.state_.restrictions == (8.0, 11.0)
    g = CAL.stage_game()
    assert g.actions[0] == ("Zero all", "Concede", "Hold", "Commensurate", "Escalate")
    # both zero all: both missions at baseline, nothing else counts
    np.testing.assert_allclose(g.payoff(("Zero all", "Zero all")), [1200, 455])
    # a hand computation of one cell: US escalates, Russia holds
    S_us, S_ru = 120.0, 400.0 - 55
    u_us = S_us - 0 - 0.5 * 1200 * (S_ru / 455 - S_us / 1200) - 0 - 10 * 8
    u_ru = S_ru - 2 * 55 - 0.5 * 455 * (S_us / 1200 - S_ru / 455) - 90 * 2 - 10 * 13
    np.testing.assert_allclose(g.payoff(("Escalate", "Hold")), [u_us, u_ru])
    res = gt.solve(g)
    assert len(res) == 1 and res[0].is_pure and all(eq.verified for eq in res)
    assert gt.iterated_dominance(g).solved


def test_relabelling_levels_permutes_the_matrix():
    perm = [4, 2, 0, 3, 1]
    data = _with(lambda d: d.update(levels=[d["levels"][k] for k in perm]))
    data["classification"]["action_types"] = RAW["classification"]["action_types"]
    cal2 = calibrate(CAL.events, data)
    assert cal2.stage_game().actions[0] == tuple(CAL.levels[k] for k in perm)
    # the concession term compares positions in the order of levels, so it changes
    # meaning under a reordering; every other term permutes exactly
    base = CAL.params.replace(**{f"utility.{s}.concession_cost": 0.0 for s in CAL.players})
    perm_params = cal2.params.replace(**{f"utility.{s}.concession_cost": 0.0
                                         for s in CAL.players})
    A, B = stage_payoffs(base, CAL.state_)
    A2, B2 = stage_payoffs(perm_params, CAL.state_)
    np.testing.assert_allclose(A2, A[np.ix_(perm, perm)])
    np.testing.assert_allclose(B2, B[np.ix_(perm, perm)])


@settings(max_examples=25, deadline=None)
@given(st.floats(0.1, 50.0))
def test_scaling_utilities_leaves_equilibria_unchanged(c):
    changes = {f"utility.{s}.{k}": getattr(CAL.params.utility[s], k) * c
               for s in CAL.players for k in ("mission_value", "loss_cost", "parity_weight",
                                              "concession_cost", "restriction_cost")}
    scaled = CAL.with_parameters(**changes)
    g0, g1 = CAL.stage_game(), scaled.stage_game()
    np.testing.assert_allclose(g1.payoffs, c * g0.payoffs, rtol=1e-12, atol=1e-9)
    eq0 = [tuple(map(tuple, e.profile)) for e in gt.solve(g0)]
    eq1 = [tuple(map(tuple, e.profile)) for e in gt.solve(g1)]
    assert eq0 == eq1


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=2, max_size=2),
       st.floats(0, 1200), st.floats(0, 455), st.floats(0, 30), st.floats(0, 30))
def test_transition_keeps_missions_within_bounds(actions, s_us, s_ru, r_us, r_ru):
    S, R, u = transition(CAL.params, [s_us, s_ru], [r_us, r_ru], actions)
    assert 0 <= S[0] <= 1200 and 0 <= S[1] <= 455 and (R >= 0).all()
    assert np.isfinite(u).all()


def test_sensitivity_reports_changes():
    df = sensitivity(CAL, "utility.USA.concession_cost", [0, 60, 200])
    assert df.equilibria.tolist() == ["Escalate / Escalate"] * 3 and not df.changed.any()
    # remove every reason to escalate for the US: parity and concession both zero
    cal0 = CAL.with_parameters(**{"utility.USA.parity_weight": 0.0})
    df = sensitivity(cal0, "utility.USA.concession_cost", [0.0, 10.0])
    assert df.changed.tolist() == [False, True]
    # with nothing to gain from escalating, the US is indifferent among its levels
    # against Russian escalation: five pure equilibria, one per US level
    assert df.n_equilibria.iloc[0] == 5 and df.equilibria.iloc[1] == "Escalate / Escalate"
    assert all(e.endswith("/ Escalate") for e in df.equilibria.iloc[0].split("; "))


def test_repeated_game_and_thresholds():
    rg = CAL.repeated_game()
    assert rg.discount == CAL.params.discount
    from gametheory.solvers.repeated import nash_reversion_thresholds

    th = nash_reversion_thresholds(CAL.stage_game(), (0, 0), (4, 4))
    assert 0 < float(th[0]) < float(th[1]) < 1
