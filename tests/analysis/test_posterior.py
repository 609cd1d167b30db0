"""Posterior over the weights and verdicts as probabilities (analysis/posterior.py)."""

from __future__ import annotations

import numpy as np
import pytest

from gametheory.analysis import (
    WeightPosterior,
    calibrate,
    dynamic_compare,
    load_parameters,
    verdict_probabilities,
    weight_posterior,
)
from gametheory.analysis.dynamic import feature_weights
from gametheory.analysis.estimation import _total
from gametheory.analysis.parameters import Prior
from gametheory.analysis.posterior import (
    _adaptive_sample,
    _importance,
    _normalised,
    _wilson,
)
from gametheory.errors import ParameterError
from tests.analysis.test_estimation import TRUE, _spec_two, _synthetic


@pytest.fixture(scope="module")
def cal():
    return calibrate()


def _one_weight_spec(rec):
    spec = _spec_two(rec)
    return type(spec)(("log_lambda", "w[B]"), (((0, 1, 1),),))


def test_importance_sampling_matches_quadrature_on_a_planted_record():
    """Two parameters (λ, one weight) on a synthetic record: the importance-sampling
    posterior mean and the truth-covering interval against a 30 x 40 grid."""
    rec = _synthetic(5, 200, TRUE, lam=4.0)
    spec = _one_weight_spec(rec)
    lam_prior = Prior(distribution="log_uniform", low=0.5, high=30.0)
    w_prior = Prior(distribution="half_normal", scale=3.0)
    rng = np.random.default_rng(11)
    n = 800
    draws = np.column_stack([lam_prior.sample(rng, n), w_prior.sample(rng, n)])
    w = _normalised(_importance([rec], spec, draws, workers=1))
    is_mean = float(w @ draws[:, 1])
    # quadrature: the prior's density on a grid (log-uniform is uniform in log λ)
    loglam = np.linspace(np.log(0.5), np.log(30.0), 30)
    ws = np.linspace(0.0, 9.0, 40)
    ll = np.array([[_total(np.array([a, b]), [rec], spec) for b in ws] for a in loglam])
    post = np.exp(ll - ll.max()) * np.exp(-0.5 * (ws / 3.0) ** 2)[None, :]
    grid_mean = float((post.sum(axis=0) @ ws) / post.sum())
    ess = 1.0 / np.sum(w ** 2)
    sd = float(np.sqrt(w @ (draws[:, 1] - is_mean) ** 2))
    assert abs(is_mean - grid_mean) < 4 * sd / np.sqrt(ess) + 0.02
    # the posterior is far narrower than the prior and sits on the planted 1.5
    from gametheory.analysis.posterior import _weighted_quantiles

    lo, hi = _weighted_quantiles(draws[:, 1], w, (0.025, 0.975))
    assert lo < 1.5 < hi and hi - lo < 0.5 * (w_prior.scale * 1.96 * 2)


def _toy_loglik(d):
    """A likelihood with a closed-form posterior under the toy priors below."""
    return -0.5 * ((np.log(d[:, 0]) - np.log(2.0)) / 0.3) ** 2 - 0.5 * ((d[:, 1] - 1) / 0.2) ** 2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_adaptive_importance_sampling_recovers_a_closed_form_posterior(seed):
    """λ log-uniform on [0.01, 100] and w half-normal (scale 2) against a likelihood
    normal in log λ (at log 2, sd 0.3) and in w (at 1, sd 0.2): the posterior of log λ
    is that normal, w's is normal with precision 1/4 + 1/0.04 and mean 25/25.25.
    The adaptive sample finds both within four standard errors and carries many more
    effective draws than prior sampling with the same budget."""
    priors = [Prior(distribution="log_uniform", low=0.01, high=100.0),
              Prior(distribution="half_normal", scale=2.0)]
    n = 2000
    d, _, lw, det = _adaptive_sample(priors, _toy_loglik, n, np.random.default_rng(seed),
                                      True)
    w = _normalised(lw)
    ess = 1 / np.sum(w ** 2)
    z = np.log(d[:, 0])
    mean_z, mean_w = w @ z, w @ d[:, 1]
    sd_w = 1 / np.sqrt(25.25)
    assert abs(mean_z - np.log(2.0)) < 4 * 0.3 / np.sqrt(ess)
    assert abs(mean_w - 25 / 25.25) < 4 * sd_w / np.sqrt(ess)
    # the spreads too, within three standard errors (weighting by likelihood alone,
    # without the proposal's density, gives 0.26 and 0.17: the t sits on the posterior)
    assert abs(np.sqrt(w @ (z - mean_z) ** 2) - 0.3) < 3 * 0.3 / np.sqrt(2 * ess)
    assert abs(np.sqrt(w @ (d[:, 1] - mean_w) ** 2) - sd_w) < 3 * sd_w / np.sqrt(2 * ess)
    assert det["stages"] == (1000, 1000)
    _, _, lw0, _ = _adaptive_sample(priors, _toy_loglik, n, np.random.default_rng(seed),
                                     False)
    w0 = _normalised(lw0)
    assert ess > 3 / np.sum(w0 ** 2)
    # the same seed gives the same sample
    d2, _, lw2, _ = _adaptive_sample(priors, _toy_loglik, n, np.random.default_rng(seed),
                                     True)
    assert np.array_equal(d, d2) and np.array_equal(lw, lw2)


def test_posterior_of_the_record_is_reproducible_and_serial_equals_parallel(cal):
    a = weight_posterior(cal, n_draws=12, seed=3)
    b = weight_posterior(cal, n_draws=12, seed=3)
    assert np.array_equal(a.draws, b.draws) and np.allclose(a.loglik, b.loglik)
    c = weight_posterior(cal, n_draws=12, seed=3, workers=2)
    assert np.array_equal(a.loglik, c.loglik)          # the same runs, whatever the workers
    assert a.names == ("lambda", "parity_weight[USA]", "parity_weight[RUS]")
    assert a.weights.sum() == pytest.approx(1.0) and 1 <= a.ess <= 12
    # the file's priors are used: log-uniform λ on [0.001, 3], half-normal parity
    assert a.priors["lambda"].high == 3.0
    assert a.priors["parity_weight[USA]"].scale == 1.0
    used = a.weights > 0       # the t proposal may reach outside the prior: weight 0
    assert (a.draws[used, 0] >= 0.001).all() and (a.draws[used, 0] <= 3.0).all()
    assert a.details["stages"] == (6, 6)
    frame = a.to_frame()
    # prior columns are the prior's own quantiles, whatever the proposal drew
    assert frame["prior median"].iloc[0] == pytest.approx(np.sqrt(0.001 * 3.0))
    assert list(frame.parameter) == list(a.names) and "<table" in a._repr_html_()
    assert "effective sample size" in a.summary()
    # the full weights put each draw's parity weights in place
    assert a.thetas[:, 1, 2].tolist() == a.draws[:, 2].tolist()


def test_priors_are_validated_with_the_key_named(cal):
    p = load_parameters("us-russia").model_dump(mode="json")
    with pytest.raises(ParameterError, match=r"priors\.parity_weight.*needs scale"):
        load_parameters({**p, "priors": {"parity_weight": {"distribution": "half_normal"}}})
    with pytest.raises(ParameterError, match=r"priors\.parity_wait.*unknown quantity"):
        load_parameters({**p, "priors": {"parity_wait": {"distribution": "half_normal",
                                                          "scale": 1}}})
    with pytest.raises(ParameterError, match=r"priors\.parity_weight\.XYZ"):
        load_parameters({**p, "priors": {"parity_weight.XYZ": {
            "distribution": "half_normal", "scale": 1}}})
    with pytest.raises(ParameterError, match="low > 0"):
        load_parameters({**p, "priors": {"lambda": {"distribution": "log_uniform",
                                                     "low": 0, "high": 1}}})
    neg = calibrate(parameters=load_parameters(
        {**p, "priors": {"parity_weight.RUS": {"distribution": "normal", "mean": 0.5,
                                               "scale": 1}}}))
    with pytest.raises(ParameterError, match="allows negative values"):
        weight_posterior(neg, n_draws=4)
    with pytest.raises(ParameterError, match="n_draws"):
        weight_posterior(cal, n_draws=1)


def _at_file_weights(cal) -> WeightPosterior:
    theta = feature_weights(cal.params)
    return WeightPosterior(names=("lambda",), draws=np.ones((1, 1)), loglik=np.zeros(1),
                           weights=np.ones(1), ess=1.0, priors={}, thetas=theta[None],
                           players=cal.players)


def test_a_single_draw_at_the_file_weights_prices_play_as_dynamic_compare(cal):
    kw = dict(opponents=["Tit for tat", "Always escalate"], sides=["RUS"],
              noise_levels=[0.05], discounts=[0.8], turns=12, repetitions=20, seed=5)
    ref = dynamic_compare(cal, **kw).comparison.set_index("opponent")
    res = verdict_probabilities(cal, _at_file_weights(cal), n_boot=20, **kw)
    got = res.by_opponent.set_index("opponent")
    for opp in ("Tit for tat", "Always escalate"):
        assert got.loc[opp, "mean_difference"] == pytest.approx(ref.loc[opp, "difference"],
                                                                rel=1e-9, abs=1e-9)
        assert got.loc[opp, "probability"] == float(ref.loc[opp, "difference"] > 0)
    # equal weighting is the average over the two opponents
    eq = res.verdicts.set_index("weighting").loc["equal", "mean_difference"]
    assert eq == pytest.approx(ref.difference.mean())


def test_a_strategy_against_itself_is_a_tie_and_results_are_reproducible(cal):
    post = weight_posterior(cal, n_draws=6, seed=2)
    kw = dict(first="Tit for tat", second="Tit for tat", opponents=["Commensurate"],
              sides=["USA"], noise_levels=[0.05], turns=8, repetitions=10, n_boot=20, seed=9)
    res = verdict_probabilities(cal, post, **kw)
    row = res.verdicts.iloc[0]
    assert row.probability == 0.5 and row.low == row.high == 0.5
    assert row.reading.startswith("a tie")
    a = verdict_probabilities(cal, post, **{**kw, "first": "Zero all restrictions"})
    b = verdict_probabilities(cal, post, **{**kw, "first": "Zero all restrictions"})
    assert a.verdicts.equals(b.verdicts)
    assert "P('Zero all restrictions' beats 'Tit for tat', on the payoff averaged" in a.answer()
    with pytest.raises(ParameterError, match="Markov perfect"):
        verdict_probabilities(cal, post, opponents=["Markov perfect"])


def test_wilson_interval_does_not_collapse_when_every_draw_agrees():
    lo, hi = _wilson(1.0, 60)
    assert 0.93 < lo < 0.95 and hi == pytest.approx(1.0)
    lo, hi = _wilson(0.5, 1e6)
    assert hi - lo < 0.002
