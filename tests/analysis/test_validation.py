"""Out-of-sample checks: holdout turns continue the record, histories match the fit's,
baselines give their known scores, and a calibration without a holdout is refused."""

from __future__ import annotations

import numpy as np
import pytest

from gametheory.analysis import calibrate, holdout_turns, out_of_sample
from gametheory.analysis.validation import _histories
from gametheory.errors import SequenceTooShortError


@pytest.fixture(scope="module")
def cal():
    return calibrate()


@pytest.fixture(scope="module")
def res(cal):
    return out_of_sample(cal)


def test_holdout_turns_continue_the_calibration_turns(cal):
    turns = holdout_turns(cal)
    n = len(cal.turns_)
    assert turns.level.iloc[:n].tolist() == cal.turns_.level.tolist()
    assert not turns.holdout.iloc[:n].any() and turns.holdout.iloc[n:].all()
    # E35 (Feb 2022) is Russia's next move after its own E31: a US idle turn comes first
    assert turns.actor.iloc[n] == "USA" and turns.idle.iloc[n]
    assert "E35" in turns.event_ids.iloc[n + 1]


def test_histories_are_those_the_strategy_fit_uses(cal):
    turns = holdout_turns(cal)
    seqs = cal.sequences()
    hist = _histories(turns.iloc[:len(cal.turns_)], cal.players, 2)
    count = {0: 0, 1: 0}
    for side, own, seen in hist:
        s = seqs[cal.players[side]]
        pos = count[side] + s.start
        assert own == s.own[:pos] and seen == s.observed[:pos]
        count[side] += 1


def test_baselines_known_scores(cal, res):
    s = res.scores.set_index("forecaster")
    n = int(s.n.iloc[0])
    assert n == len(holdout_turns(cal)) - len(cal.turns_) == 7
    assert s.loc["uniform", "log_score"] == pytest.approx(np.log(1 / 5))
    assert s.loc["uniform", "accuracy"] == pytest.approx(1 / 5)      # a five-way tie
    p = res.predictions
    for name in ("fitted strategies", "empirical frequencies", "repeat own last"):
        part = p[p.forecaster == name]
        assert ((part.probability > 0) & (part.probability <= 1)).all()
        assert s.loc[name, "log_score"] == pytest.approx(np.log(part.probability).mean())
    # repeat own last: the training repeat rate on the side's own last level
    rep = p[p.forecaster == "repeat own last"]
    assert set(np.round(rep.probability, 12)) <= set(np.round(
        [x for h in _rates(cal) for x in (h, (1 - h) / 4)], 12))


def _rates(cal):
    out = []
    for side in cal.players:
        s = cal.sequences()[side]
        own = s.own
        pairs = [(own[j - 1], own[j]) for j in range(max(1, s.start), len(own))
                 if j >= 1]
        h = np.mean([a == b for a, b in pairs])
        out.append(float(np.clip(h, 0.2, 1 - 1e-6)))
    return out


def test_the_report_says_where_the_model_is_worse(res):
    worse = res.worse_than_baselines()
    text = res.summary()
    for b in worse:
        assert b in text
    assert "weak evidence" in text


def test_no_holdout_is_refused(cal):
    no = cal.with_parameters(holdout_from=None)
    with pytest.raises(SequenceTooShortError, match="holdout_from"):
        out_of_sample(no)


def test_candidates_may_be_given_by_name(cal):
    r = out_of_sample(cal, candidates=["tit for tat", "Always escalate"])
    assert r.scores.forecaster.tolist()[0] == "fitted strategies"
    probs = r.predictions[r.predictions.forecaster == "fitted strategies"].probability
    assert ((probs > 0) & (probs < 1)).all()


def test_cross_dispute_prediction():
    import warnings

    from gametheory.analysis import cross_dispute
    from gametheory.models import load_model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cals = {k: calibrate(load_model(k).events, load_model(k).path / "parameters.yaml")
                for k in ("us-russia", "czech-russia-2021", "uk-russia-2018",
                          "us-china-2020")}
    t = cross_dispute(cals)
    assert len(t) == 4 * 5
    u = t[t.forecaster == "uniform"]
    assert np.allclose(u.log_score, np.log(1 / 5))
    n = t.groupby("held_out").n.first()
    for k, cal in cals.items():      # every scored turn of both sides
        assert n[k] == sum(len(s.own) - s.start for s in cal.sequences().values())
    assert (t.log_score <= 0).all()
    with pytest.raises(SequenceTooShortError, match="two disputes"):
        cross_dispute({"us-russia": cals["us-russia"]})


def test_structural_forecast_reproduces_the_fitted_likelihood_and_scores_the_holdout(cal):
    from gametheory.analysis import fit_weights
    from gametheory.analysis.estimation import structural_forecast

    fit = fit_weights(cal, free=("parity_weight",), profile=False)
    turns = holdout_turns(cal)
    pred = structural_forecast(cal, turns, fit)
    assert np.allclose(pred.sum(axis=1), 1.0) and pred.shape == (len(turns), len(cal.levels))
    n = len(cal.turns_)
    levels = turns.level_index.to_numpy()
    # on the calibration turns the one-step predictions multiply to the fit's likelihood
    ll = float(np.sum(np.log(pred[np.arange(n), levels[:n]])))
    assert ll == pytest.approx(fit.loglik, abs=1e-6)
    r = out_of_sample(cal, structural=True)
    rows = r.predictions[r.predictions.forecaster == "structural model"]
    assert len(rows) == int(turns.holdout.sum())
    assert rows.probability.tolist() == pytest.approx(
        pred[np.flatnonzero(turns.holdout.to_numpy()), levels[turns.holdout.to_numpy()]]
        .tolist())
    assert "structural model" in r.summary()


def test_anchored_structural_forecast_reproduces_the_anchored_likelihood(cal):
    import gametheory as gt
    from gametheory.analysis import fit_weights, recorded_staff
    from gametheory.analysis.estimation import structural_forecast

    staffing = gt.load_model().staffing
    fit = fit_weights(cal, free=("parity_weight",), profile=False, staffing=staffing)
    turns = holdout_turns(cal)
    pred = structural_forecast(cal, turns, fit, staffing=staffing)
    plain = structural_forecast(cal, turns, fit)
    n = len(cal.turns_)
    levels = turns.level_index.to_numpy()
    ll = float(np.sum(np.log(pred[np.arange(n), levels[:n]])))
    assert ll == pytest.approx(fit.loglik, abs=1e-6)
    # the held-out turns start from the sizes recorded before them (the 2022 ones
    # differ from where the model's own effects of the levels lead)
    staff = recorded_staff(cal, staffing, turns)
    assert len(staff) == len(turns)
    assert staff.iloc[:n].equals(recorded_staff(cal, staffing))
    hold = turns.holdout.to_numpy()
    assert not np.allclose(pred[hold], plain[hold])
    r = out_of_sample(cal, structural=True, staffing=staffing, fit=fit)
    rows = r.predictions[r.predictions.forecaster == "structural model"]
    assert rows.probability.tolist() == pytest.approx(
        pred[np.flatnonzero(hold), levels[hold]].tolist())
