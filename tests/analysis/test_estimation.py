"""Structural estimation of the dispute game's weights (analysis/estimation.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

import gametheory as gt
from gametheory.analysis import calibrate
from gametheory.analysis.estimation import (
    LR_CUTOFF,
    WeightFit,
    _fit,
    _simulate,
    _spec,
    _total,
    _total_grad,
    _TurnData,
    fit_weights,
)
from gametheory.analysis.parameters import FEATURES
from gametheory.errors import ParameterError


def _synthetic(seed: int, n_turns: int, theta_true: np.ndarray, lam: float = 4.0,
               n_states: int = 4, K: int = 3) -> _TurnData:
    """A small alternating-move game whose payoffs are linear in two weights per side,
    and a record of ``n_turns`` simulated from the logit equilibrium at ``theta_true``."""
    from gametheory.solvers.stochastic import TurnLogit

    rng = np.random.default_rng(seed)
    stages, trans = [], []
    for s in range(n_states):
        shape = (K, 1) if s % 2 == 0 else (1, K)
        acts = ((tuple(f"a{k}" for k in range(K)), ("wait",)) if s % 2 == 0
                else (("wait",), tuple(f"b{k}" for k in range(K))))
        stages.append(gt.Game(np.zeros((*shape, 2)), actions=acts))
        t = rng.random((*shape, n_states)) ** 4
        trans.append(t / t.sum(axis=-1, keepdims=True))
    game = gt.StochasticGame(stages, trans, 0.8)
    logit = TurnLogit(game)
    phi = rng.normal(size=(n_states * K, 2, 2))
    realised = []
    for k in range(K):
        rows = np.array([np.asarray(trans[s]).reshape(K, n_states)[k] for s in range(n_states)])
        realised.append(sparse.csr_matrix(rows))
    base = _TurnData(name="synthetic", logit=logit, phi=phi, theta=np.array(theta_true, float),
                     kernel=np.eye(K), realised=realised,
                     sequences=[(0, np.zeros(n_turns, dtype=np.int64))], players=("A", "B"))
    return _simulate(base, base.theta, lam, np.random.default_rng(seed + 1))


TRUE = np.array([[1.0, 0.7], [1.0, 1.5]])


def test_exact_gradient_matches_finite_differences():
    rec = _synthetic(1, 50, TRUE)
    spec = _spec([rec], ("parity_weight",), ())       # any feature name: index 2 > 1
    spec = type(spec)(("log_lambda", "w[A]", "w[B]"), (((0, 0, 1),), ((0, 1, 1),)))
    x = np.array([np.log(3.0), 0.5, 1.2])
    _, g = _total_grad(x, [rec], spec)
    fd = []
    for j in range(3):
        h = 1e-6
        up, dn = x.copy(), x.copy()
        up[j] += h
        dn[j] -= h
        fd.append((_total(up, [rec], spec) - _total(dn, [rec], spec)) / (2 * h))
    assert g == pytest.approx(fd, rel=1e-5, abs=1e-7)


def _spec_two(rec):
    return type(_spec([rec], ("parity_weight",), ()))(
        ("log_lambda", "w[A]", "w[B]"), (((0, 0, 1),), ((0, 1, 1),)))


def test_planted_weights_are_recovered_from_a_long_record():
    rec = _synthetic(3, 10_000, TRUE)
    out = _fit([rec], _spec_two(rec), profile=False)
    est = np.array([np.exp(out["x"][0]), *out["x"][1:]])
    assert est == pytest.approx([4.0, 0.7, 1.5], rel=0.1)
    # and within 3 standard errors of the truth, component by component
    truth = np.array([np.log(4.0), 0.7, 1.5])
    assert np.all(np.abs(out["x"] - truth) < 3 * out["se"])


@pytest.mark.timeout(600)
def test_profile_intervals_cover_the_planted_weight_about_95_percent_of_the_time():
    """Coverage over 30 replications: the count of intervals that contain the truth is
    binomial(30, 0.95) if the intervals are right. At least 24 is required: a correct
    95 % interval fails that with probability about 6e-4, an interval with 70 %
    coverage passes it with probability about 0.16 (the replications are fixed seeds,
    so the outcome is the same on every run)."""
    covered = 0
    reps = 30
    for rep in range(reps):
        rec = _synthetic(100 + rep, 300, TRUE)
        spec = type(_spec([rec], ("parity_weight",), ()))(("log_lambda", "w[B]"),
                                                         (((0, 1, 1),),))
        out = _fit([rec], spec, profile=[1], lam0=4.0)
        lo, hi = out["low"][1], out["high"][1]
        covered += int(lo <= 1.5 <= hi)
    assert covered >= 24


def test_profile_interval_bounds_sit_at_the_likelihood_ratio_cutoff():
    rec = _synthetic(5, 400, TRUE)
    spec = _spec_two(rec)
    out = _fit([rec], spec, profile=True)
    from gametheory.analysis.estimation import _bounds, _maximise

    for j in (1, 2):
        for v, is_open in ((out["low"][j], out["low_open"][j]),
                           (out["high"][j], out["high_open"][j])):
            if is_open:
                continue
            _, ll, _ = _maximise([rec], spec, out["x"], _bounds(spec, [rec]), fixed={j: v})
            assert ll == pytest.approx(out["ll"] - LR_CUTOFF, abs=2e-3)


def test_bootstrap_is_reproducible_and_brackets_the_estimate():
    rec = _synthetic(7, 300, TRUE)
    spec = _spec_two(rec)
    a = _fit([rec], spec, profile=False, n_boot=8, seed=11)
    b = _fit([rec], spec, profile=False, n_boot=8, seed=11)
    assert np.array_equal(a["boot"], b["boot"])
    lo, hi = np.percentile(a["boot"], [2.5, 97.5], axis=0)
    assert np.all(lo <= a["x"] + 0.5) and np.all(hi >= a["x"] - 0.5)


# ----------------------------------------------------------------- on the shipped record
@pytest.fixture(scope="module")
def cal():
    return calibrate()


def test_fit_on_the_record_reports_estimates_intervals_and_diagnostics(cal):
    fit = fit_weights(cal, free=("parity_weight",))
    assert isinstance(fit, WeightFit)
    assert fit.names == ("lambda", "parity_weight[USA]", "parity_weight[RUS]")
    assert fit.loglik > fit.loglik_uniform + 3          # the model beats uniform play
    assert fit.n_turns == len(cal.turns_)
    frame = fit.to_frame()
    assert list(frame.index) == list(fit.names)
    for j in range(3):
        lo_ok = fit.low_open[j] or fit.low[j] <= fit.estimate[j] + 1e-9
        hi_ok = fit.high_open[j] or fit.high[j] >= fit.estimate[j] - 1e-9
        assert lo_ok and hi_ok
    # with ten decisions a side, something is not identified, and the fit says so
    assert any("open" in d or "flat" in d for d in fit.diagnostics)
    # the model's level effects do not reproduce the US mission's fall to 120: said
    assert fit.end_state["dispute"]["USA"]["record"] == 120
    assert any("USA's mission" in d for d in fit.diagnostics)
    assert "profile-likelihood" in fit._repr_html_()


def test_pooled_fit_shares_a_weight_across_disputes(cal):
    from gametheory.models import load_model

    uk = load_model("uk-russia-2018")
    other = calibrate(uk.events, uk.path / "parameters.yaml")
    fit = fit_weights([cal, other], free=("parity_weight",), shared=("parity_weight",),
                      names=["us", "uk"], profile=False)
    assert fit.names == ("lambda", "parity_weight")
    assert fit.n_turns == len(cal.turns_) + len(other.turns_)
    split = fit_weights([cal, other], free=("parity_weight",), names=["us", "uk"],
                        profile=False)
    assert split.names[1:] == ("parity_weight[us:USA]", "parity_weight[us:RUS]",
                               "parity_weight[uk:WEST]", "parity_weight[uk:RUS]")
    assert split.fixed["mission_value"] == {"us:USA": 1.0, "us:RUS": 1.0, "uk:WEST": 1.0,
                                            "uk:RUS": 1.0}
    # more free parameters never fit worse (nested models, same data)
    assert split.loglik >= fit.loglik - 1e-6


def test_bad_requests_raise_named_errors(cal):
    with pytest.raises(ParameterError, match="unknown weight"):
        fit_weights(cal, free=("parity",), profile=False)
    with pytest.raises(ParameterError, match="not free"):
        fit_weights(cal, free=("parity_weight",), shared=("loss_cost",), profile=False)
    with pytest.raises(ParameterError, match="once"):
        fit_weights(cal, free=("loss_cost", "loss_cost"), profile=False)
    with pytest.raises(ParameterError, match="names"):
        fit_weights([cal, cal], names=["one"], profile=False)


def test_profiles_in_worker_processes_equal_the_serial_ones():
    rec = _synthetic(9, 300, TRUE)
    spec = _spec_two(rec)
    serial = _fit([rec], spec, profile=True)
    parallel = _fit([rec], spec, profile=True, workers=2)
    for key in ("x", "low", "high", "low_open", "high_open"):
        assert np.array_equal(serial[key], parallel[key]), key


def test_workers_must_be_a_positive_integer(cal):
    with pytest.raises(ParameterError, match="workers"):
        fit_weights(cal, profile=False, workers=0)


# ----------------------------------------------------------------- recorded mission sizes
def test_recorded_staff_follows_reports_and_removals(cal):
    """US: 1,200 before the 2017 cap, 455 under it, 60 fewer once the March 2018
    expulsions took effect (5 April), 123 after the local-hire ban's report of 27 August
    2021, 120 from the October report. Russia: 35 fewer after the December 2016
    expulsions until its own count of 455 (28 July 2017); 400 by Sullivan's August 2021
    count, less the 24 whose rotation ended 3 September; Zakharova's low-confidence 200
    is not used."""
    import gametheory as gt
    from gametheory.analysis import recorded_staff

    t = recorded_staff(cal, gt.load_model().staffing).set_index("turn")
    assert t.loc[0, "staff_USA"] == 1200 and t.loc[0, "anchor_RUS"] == "baseline"
    assert t.loc[3, "staff_RUS"] == 455 - 35
    assert t.loc[4, "staff_RUS"] == 455 and t.loc[6, "staff_USA"] == 455
    assert t.loc[8, "staff_USA"] == 455 - 60 and t.loc[8, "staff_RUS"] == 455 - 60
    assert t.loc[15, "staff_USA"] == 123 and t.loc[18, "staff_USA"] == 120
    assert t.loc[19, "staff_RUS"] == 400 - 24
    with pytest.raises(ParameterError, match="lacks the column"):
        recorded_staff(cal, gt.load_model().staffing.drop(columns="series"))
    bad = gt.load_model().staffing.copy()
    bad.loc[bad.series == "mission", "date"] = "autumn"
    with pytest.raises(ParameterError, match="'autumn', not a date"):
        recorded_staff(cal, bad)
    bad = gt.load_model().staffing.astype({"count": object})
    bad.loc[bad.series == "mission", "count"] = "many"
    with pytest.raises(ParameterError, match=r"'many'.*not a number"):
        recorded_staff(cal, bad)


def test_anchored_likelihood_matches_a_brute_force_filter(cal):
    """The anchored log-likelihood against the same filter written state by state with
    pandas: before each turn the belief over the states keeps its distribution over
    everything but the mission sizes, which become the recorded ones split over the
    grid; the exact gradient matches finite differences."""
    import gametheory as gt
    from gametheory.analysis.dynamic import _split, dispute_game
    from gametheory.analysis.estimation import _dispute_data, _equilibrium, _loglik_one

    staffing = gt.load_model().staffing
    data = _dispute_data(cal, "d", staffing)
    plain = _dispute_data(cal, "d")
    theta, lam = data.theta.copy(), 0.3
    ll = _loglik_one(data, theta, lam)
    assert ll != pytest.approx(_loglik_one(plain, theta, lam))      # the anchors matter
    dg = dispute_game(cal)
    tab = dg.table
    rest = tab.drop(columns=["staff_USA", "staff_RUS"]).astype(str).agg("|".join, axis=1)
    from gametheory.analysis import recorded_staff

    rec = recorded_staff(cal, staffing)
    weight = np.ones(len(tab))
    system, V = _equilibrium(data, theta, lam)
    sig, _ = system.parts(V, lam)
    real = sig @ data.kernel
    start, levels = data.sequences[0]
    b = np.zeros(len(tab))
    b[start] = 1.0
    total = 0.0
    for t, k in enumerate(levels):
        q = pd.Series(b).groupby(rest.values).sum()
        weight = np.ones(len(tab))
        for i, p in enumerate(cal.players):
            grid = np.asarray(dg.staff_grid[i])
            lo, hi, w = _split(np.array([rec[f"staff_{p}"].iloc[t]]), grid)
            col = tab[f"staff_{p}"].to_numpy()
            weight *= np.where(col == grid[lo[0]], 1 - w[0], 0) + np.where(
                col == grid[hi[0]], w[0], 0)
        b = weight * q.reindex(rest.values).to_numpy()
        a = b * real[:, k]
        total += np.log(a.sum())
        b = data.realised[k].T @ (a / a.sum())
    assert ll == pytest.approx(total, rel=1e-10)
    # gradient in λ and the parity weights, by central differences
    f = FEATURES.index("parity_weight")
    _, g = _loglik_one(data, theta, lam, dirs=["lambda", [(0, f)], [(1, f)]])
    h = 1e-5
    num = []
    for d in range(3):
        th_p, th_m, lp, lm = theta.copy(), theta.copy(), lam, lam
        if d == 0:
            lp, lm = lam * np.exp(h), lam * np.exp(-h)
        else:
            th_p[d - 1, f] += h
            th_m[d - 1, f] -= h
        num.append((_loglik_one(data, th_p, lp) - _loglik_one(data, th_m, lm)) / (2 * h))
    np.testing.assert_allclose(g, num, rtol=1e-4, atol=1e-6)


def test_profile_side_beyond_an_unreachable_point_is_open_and_said(monkeypatch):
    """Known answer on a quadratic profile: the crossing is found where the profile
    reaches the cutoff; where the equilibrium cannot be continued (SolverError) the
    side is reported open at the last point reached, which the diagnostics say."""
    import gametheory.analysis.estimation as E
    from gametheory.errors import SolverError

    def profile(curvature):
        """A stand-in for the profile maximisation: log-likelihood -curvature v^2,
        unreachable (SolverError) above 2.5."""
        def maximise(records, spec, start, bounds, fixed, **kw):
            (j, v), = fixed.items()
            if v > 2.5:
                raise SolverError("beyond a fold")
            x = start.copy()
            x[j] = v
            return x, -curvature * v ** 2, 3
        return maximise

    monkeypatch.setattr(E, "_maximise", profile(1.0))
    xhat = np.zeros(2)
    bounds = [(-10.0, 10.0), (-10.0, 10.0)]
    (low, high) = E._profile_sides([], None, xhat, 0.0, 0, bounds, 0.5, (-1, 1))
    assert low[1] is False and low[2] is None
    assert low[0] == pytest.approx(-np.sqrt(LR_CUTOFF), rel=2e-3)
    # upwards: 0.5 is inside, 1.5 beyond the cutoff (at sqrt(1.92) = 1.386)
    assert high[1] is False and high[0] == pytest.approx(np.sqrt(LR_CUTOFF), rel=2e-3)

    monkeypatch.setattr(E, "_maximise", profile(0.01))
    (high,) = E._profile_sides([], None, xhat, 0.0, 0, bounds, 0.5, (1,))
    assert high == (1.5, True, 4.5)          # 0.5, 1.5 inside; 4.5 could not be computed
    notes, _ = E._diagnostics(["log_lambda", "w"], xhat, [False, False], [True, False],
                              np.eye(2), bounds, {(0, 1): 4.5})
    assert any("could not be computed at λ = 90.02" in n and "open above" in n
               for n in notes)
    assert not any("fit as well" in n for n in notes)


def test_a_flat_profile_is_crossed_in_longer_steps(monkeypatch):
    """Where the profile has flattened (the last step lowered it by less than a tenth of
    its height above the cutoff) the next step grows ninefold instead of threefold: a
    plateau up to the bound takes three maximisations (0.5, 4.5, the bound 10), not
    four; a profile that keeps falling keeps the threefold steps."""
    import gametheory.analysis.estimation as E

    calls = []

    def maximise(records, spec, start, bounds, fixed, **kw):
        (j, v), = fixed.items()
        calls.append(v)
        x = start.copy()
        x[j] = v
        return x, -0.001 * v ** 2, 3

    monkeypatch.setattr(E, "_maximise", maximise)
    bounds = [(-10.0, 10.0)]
    (high,) = E._profile_sides([], None, np.zeros(1), 0.0, 0, bounds, 0.5, (1,))
    assert high == (10.0, True, None) and calls == [0.5, 4.5, 10.0]
    calls.clear()
    monkeypatch.setattr(E, "_maximise", lambda r, s, start, b, fixed, **kw: (
        start, -1.0 * next(iter(fixed.values())) ** 2, 3))
    (high,) = E._profile_sides([], None, np.zeros(1), 0.0, 0, bounds, 0.5, (1,))
    assert high[0] == pytest.approx(np.sqrt(LR_CUTOFF), rel=2e-3) and not high[1]


def test_precision_profile_on_the_record_reaches_the_cutoff(cal):
    """On the US-Russia record (anchored to the recorded mission sizes, as in the
    main job) the upper end of λ's interval is where the profile likelihood falls to
    the cutoff. Before: a failed continuation past a fold re-traced the branch from
    λ = 0 at every point (minutes each), and Newton spent 40 factorisations a try."""
    from gametheory.analysis.estimation import _bounds, _dispute_data, _maximise
    from gametheory.models import load_model

    rec = _dispute_data(cal, "dispute", load_model("us-russia").staffing)   # as the main job
    spec = _spec([rec], ("parity_weight",), ())
    out = _fit([rec], spec, profile=[0])
    assert not out["high_open"][0]
    _, ll, _ = _maximise([rec], spec, out["x"], _bounds(spec, [rec]),
                         fixed={0: out["high"][0]})
    assert ll == pytest.approx(out["ll"] - LR_CUTOFF, abs=2e-3)
