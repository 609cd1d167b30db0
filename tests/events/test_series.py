"""Reciprocity estimates: directed series sum Goldstein weights per period, the VAR and
the Patchen-Bogumil models recover coefficients planted in simulated series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gametheory as gt
from gametheory.errors import SequenceTooShortError, UnknownNameError
from gametheory.events.series import directed_series, estimate_reciprocity

HEADER = "event_id,date_announced,actor,target,action_type,magnitude,magnitude_unit,sources\n"


def test_directed_series_sums_goldstein_weights_per_month(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "X1,2021-04-15,CZE,RUS,expel,18,persons,AP\n"
                    "X2,2021-04-18,RUS,CZE,expel,20,persons,AP\n"
                    "X3,2021-04-20,CZE,RUS,expel,60,persons,AP\n"
                    "X4,2021-06-02,RUS,CZE,expel,1,persons,AP\n")
    ev = gt.load_events(path)
    w = ev["X1"].resolved_goldstein
    s = directed_series(ev, ("CZE", "RUS"))
    assert s.index.strftime("%Y-%m").tolist() == ["2021-04", "2021-05", "2021-06"]
    assert s["CZE→RUS"].tolist() == [2 * w, 0.0, 0.0]
    assert s["RUS→CZE"].tolist() == [w, 0.0, w]
    with pytest.raises(UnknownNameError):
        directed_series(ev, ("CZE", "RUS"), freq="Q")
    with pytest.raises(SequenceTooShortError, match="no moves between"):
        directed_series(ev, ("CZE", "USA"))
    with pytest.raises(SequenceTooShortError, match="too few"):
        estimate_reciprocity(ev, ("CZE", "RUS"))


def _simulate(n, b_ab, b_ba, seed):
    """x (A toward B) and y (B toward A): y_t = b_ba x_{t-1} + e, x_t = b_ab y_{t-1} + e."""
    rng = np.random.default_rng(seed)
    x, y = np.zeros(n), np.zeros(n)
    for t in range(1, n):
        x[t] = 0.3 * x[t - 1] + b_ab * y[t - 1] + rng.normal()
        y[t] = 0.2 * y[t - 1] + b_ba * x[t - 1] + rng.normal()
    return pd.DataFrame({"A→B": x, "B→A": y})


@pytest.mark.parametrize("b_ab, b_ba, kinds", [
    (0.0, 0.5, ["none", "reciprocity"]),
    (-0.4, 0.5, ["inverse response", "reciprocity"]),   # A bullied: answers hostility softly
])
def test_var_recovers_planted_responses(b_ab, b_ba, kinds):
    r = estimate_reciprocity(_simulate(2000, b_ab, b_ba, seed=1))
    got = r.responses.set_index("side").response
    assert got["A"] == pytest.approx(b_ab, abs=0.08)
    assert got["B"] == pytest.approx(b_ba, abs=0.08)
    assert r.responses.kind.tolist() == kinds
    assert r.impulse.shape == (7, 2, 2)


def test_var_interval_coverage_over_replications():
    """The planted cross coefficient lies within 1.96 standard errors in about 95 % of
    100 replications."""
    from statsmodels.tsa.api import VAR

    hits = 0
    for seed in range(100):
        data = _simulate(300, 0.0, 0.5, seed=100 + seed).to_numpy()
        fit = VAR(data).fit(1)
        est, se = fit.params[1, 1], fit.stderr[1, 1]      # B's equation, A lag 1
        hits += abs(est - 0.5) <= 1.96 * se
    assert 88 <= hits <= 99


def test_patchen_bogumil_models_recover_planted_slopes():
    rng = np.random.default_rng(5)
    n = 3000
    y = rng.normal(size=n)
    x = np.zeros(n)
    for t in range(1, n):              # comparative: change answers the previous gap
        x[t] = x[t - 1] + 0.3 * (y[t - 1] - x[t - 1]) + 0.5 * rng.normal()
    r = estimate_reciprocity(pd.DataFrame({"A→B": x, "B→A": y}))
    pb = r.patchen_bogumil.set_index(["model", "side"])
    assert pb.loc[("comparative", "A"), "b"] == pytest.approx(0.3, abs=0.03)
    assert pb.loc[("simple", "A"), "n"] == n - 1 and pb.loc[("trend", "A"), "n"] == n - 2


def test_the_shipped_record():
    r = estimate_reciprocity(gt.load_model("us-russia").events, ("USA", "RUS"), start="2016-12-01",
                    end="2021-12-31")
    assert len(r.series) == 61 and "periods" in r.summary()
    assert set(r.responses.kind) <= {"none", "reciprocity", "inverse response"}
