"""Uncertainty carried to the verdict: a posterior over the weights, and the strategy
comparison as a probability.

:func:`weight_posterior` combines the priors of the parameters file (``priors``) with
the likelihood of the record under the structural model of
:func:`~gametheory.analysis.fit_weights` (the logit Markov QRE of the dispute game) by
**adaptive importance sampling** in two stages: half the draws from the prior, each
weighted by its likelihood; then a Student t fitted to that first posterior (on the
logs) proposes the other half, mixed with the prior (defensive mixture, Hesterberg
1995), and every draw is weighted by prior × likelihood over the density of the
whole sample's proposal. The method is exact as the number of draws grows; how many
draws effectively carry the answer is reported (the effective sample size
``1 / Σ w²``). No MCMC library is needed for two or three parameters, and the draws
of a stage are independent (so they run in processes).

:func:`verdict_probabilities` answers "does *first* do better than *second* for a
side?" as a probability over that posterior: the play of
:func:`~gametheory.analysis.dynamic_compare` is simulated once (the strategies'
moves do not depend on the weights; the payoffs are linear in them), every posterior
draw prices every path, and the probability that the first strategy's expected
payoff exceeds the second's is the posterior weight of the draws where it does. Its
95 % interval is a bootstrap over both sources of error: the simulated matches and
the posterior draws. The opponents are weighted two ways, equally and by how well
each explains the other side's record (the Akaike weights of
:func:`~gametheory.analysis.fit_sides`, renormalised over the opponents compared).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .._random import as_generator
from ..errors import ParameterError, SolverError
from .dynamic import MARKOV_PERFECT
from .parameters import Prior

if TYPE_CHECKING:  # pragma: no cover
    from .calibration import Calibration

__all__ = ["VerdictResult", "WeightPosterior", "default_prior", "verdict_probabilities",
           "weight_posterior"]

#: Below this effective sample size the posterior is said to rest on few draws.
MIN_ESS = 30
#: Runs of draws evaluated from a fresh start each (see :func:`_importance`).
RUNS = 8
#: Each run starts from the logit equilibrium at this precision (nearly uniform play).
ANCHOR_LAMBDA = 1e-4
#: Probabilities at or beyond these bounds are read as a verdict in words.
CLEAR = 0.95
#: The adaptive stage (see :func:`weight_posterior`): the share of its draws taken from
#: the prior (the defensive part of the mixture), the t proposal's degrees of freedom,
#: and the share of the prior's spread added to its scale.
DEFENSIVE = 0.3
PROPOSAL_DF = 5
PROPOSAL_FLOOR = 0.01


def default_prior(name: str, file_value: float, lam_high: float) -> Prior:
    """The prior used when the parameters file names none: ``lambda`` log-uniform from
    1e-3 to the estimator's largest precision; a weight half-normal with twice its
    file value as the scale (1 when the file says 0), so the file's judgement sits
    well inside the prior and zero is allowed."""
    if name == "lambda":
        return Prior(distribution="log_uniform", low=1e-3, high=lam_high,
                     source="default: log-uniform up to the estimator's largest precision")
    scale = 2.0 * file_value if file_value > 0 else 1.0
    return Prior(distribution="half_normal", scale=scale,
                 source=f"default: half-normal, scale twice the file value ({file_value:g})")


def _prior(params, label: str, feature: str, side: str | None, file_value: float,
           lam_high: float) -> Prior:
    if feature == "lambda":
        return params.priors.get("lambda") or default_prior("lambda", 0.0, lam_high)
    if side is not None and f"{feature}.{side}" in params.priors:
        return params.priors[f"{feature}.{side}"]
    if feature in params.priors:
        return params.priors[feature]
    return default_prior(feature, file_value, lam_high)


def _weighted_quantiles(x: np.ndarray, w: np.ndarray, qs) -> np.ndarray:
    order = np.argsort(x)
    cw = np.cumsum(w[order])
    cw /= cw[-1]
    return np.array([x[order][min(int(np.searchsorted(cw, q)), len(x) - 1)] for q in qs])


@dataclass(frozen=True, eq=False)
class WeightPosterior:
    """Draws with importance weights (:func:`weight_posterior`): from the prior, and in
    the adaptive stage from a defensive mixture of the prior and a t proposal.

    Attributes
    ----------
    names : tuple of str
        ``lambda`` then the free weights (``parity_weight[USA]``, ...).
    draws : ndarray, shape (n_draws, len(names))
        The draws, natural scale (first stage from the prior, then the mixture; see
        ``details["stages"]``).
    loglik : ndarray, shape (n_draws,)
        Log-likelihood of the record at each draw (``-inf`` where the model could not
        be solved - those draws get weight 0 and are counted in ``failed`` - and at
        draws outside the priors' support, which are not solved).
    weights : ndarray, shape (n_draws,)
        Normalised importance weights (the posterior).
    ess : float
        Effective sample size, ``1 / Σ w²``.
    priors : dict
        Name -> :class:`~gametheory.analysis.parameters.Prior` used.
    thetas : ndarray, shape (n_draws, 2, len(FEATURES))
        The dispute game's full weights at each draw (fixed weights from the file).
    """

    names: tuple[str, ...]
    draws: np.ndarray
    loglik: np.ndarray
    weights: np.ndarray
    ess: float
    priors: dict
    thetas: np.ndarray
    players: tuple[str, str]
    failed: int = 0
    notes: tuple[str, ...] = ()
    details: dict = field(default_factory=dict)

    def to_frame(self):
        """One row per parameter: its prior and posterior summaries."""
        import pandas as pd

        rows = []
        for j, name in enumerate(self.names):
            x = self.draws[:, j]
            mean = float(np.sum(self.weights * x))
            lo, med, hi = _weighted_quantiles(x, self.weights, (0.025, 0.5, 0.975))
            plo, pmed, phi = (float(v) for v in self.priors[name].ppf([0.025, 0.5, 0.975]))
            rows.append({"parameter": name, "prior": self.priors[name].describe(),
                         "prior median": pmed, "prior 95% low": plo, "prior 95% high": phi,
                         "posterior mean": mean, "posterior median": med,
                         "posterior 95% low": lo, "posterior 95% high": hi})
        return pd.DataFrame(rows)

    def summary(self) -> str:
        """One sentence per parameter and the effective sample size."""
        t = self.to_frame()
        parts = [f"{r['parameter']}: posterior median {r['posterior median']:.3g} "
                 f"[{r['posterior 95% low']:.3g}, {r['posterior 95% high']:.3g}] "
                 f"(prior {r['prior']})" for _, r in t.iterrows()]
        return ("; ".join(parts) + f". {len(self.draws)} draws, effective sample "
                f"size {self.ess:.0f}" + (f", {self.failed} could not be solved"
                                          if self.failed else "") + ".")

    def resample(self, n: int, seed=None) -> np.ndarray:
        """Indices of ``n`` draws taken with the posterior weights (with replacement)."""
        rng = as_generator(seed)
        return rng.choice(len(self.weights), size=n, p=self.weights)

    def __repr__(self) -> str:
        return (f"WeightPosterior({', '.join(self.names)}; {len(self.draws)} draws, "
                f"ESS {self.ess:.0f})")

    def _repr_html_(self) -> str:
        import html

        t = self.to_frame()
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (f"<p><b>Posterior over the weights</b> (importance sampling: "
                f"{len(self.draws)} draws, effective sample size {self.ess:.0f})</p>"
                + t.to_html(index=False, float_format=lambda v: f"{v:.3g}")
                + (f"<ul>{notes}</ul>" if notes else ""))


def _evaluate_chunk(records, spec, xs: np.ndarray) -> np.ndarray:
    """Log-likelihoods of the rows of ``xs`` (log λ first), in the given order (each
    solve warm-starts the next)."""
    from .estimation import _total, _ZeroProbability

    out = np.full(len(xs), -np.inf)
    for r in records:
        r.V = r.last = r.lu = None
        r.trace_steps = 3_000
    # anchor: the first draw's weights at a precision so low that play is nearly
    # uniform (the trace from λ = 0 is a few steps); every draw is then reached by
    # continuation, as the maximum-likelihood fit reaches its points
    anchor = xs[0].copy()
    anchor[0] = min(float(xs[0][0]), float(np.log(ANCHOR_LAMBDA)))
    try:
        _total(anchor, records, spec)
    except (_ZeroProbability, SolverError):
        for r in records:         # no anchor: the first draw is traced from λ = 0
            r.V = r.last = r.lu = None
    for r in records:
        r.trace_steps = 0    # from here on: continuation only (see _TurnData)
    for k, x in enumerate(xs):
        try:
            out[k] = _total(x, records, spec)
        except (_ZeroProbability, SolverError):
            pass              # the next draw continues from the last solution
    return out


def _importance(records, spec, draws: np.ndarray, workers: int, pool=None) -> np.ndarray:
    """Log-likelihood at each draw (natural scale, λ first), evaluated in ``RUNS``
    contiguous runs ordered by λ (then the first weight) so that each solve
    warm-starts from a near one; the runs go to ``workers`` processes (``pool``, an
    executor, when one is open)."""
    x = draws.copy()
    x[:, 0] = np.log(draws[:, 0])
    order = np.lexsort((x[:, 1] if x.shape[1] > 1 else x[:, 0], x[:, 0]))
    # a fixed number of runs, each started afresh, whatever the number of workers: the
    # same draws give the same log-likelihoods bit for bit in one process or several
    chunks = [c for c in np.array_split(order, RUNS) if len(c)]
    ll = np.full(len(draws), -np.inf)
    if pool is not None and len(chunks) > 1:
        futures = [(c, pool.submit(_evaluate_chunk, records, spec, x[c])) for c in chunks]
        for c, fut in futures:
            ll[c] = fut.result()
    elif workers > 1 and len(chunks) > 1:
        with _pool(workers) as own:
            return _importance(records, spec, draws, workers, own)
    else:
        for c in chunks:
            ll[c] = _evaluate_chunk(records, spec, x[c])
    if not np.isfinite(ll).any():
        raise SolverError("the model could not be solved at any prior draw")
    return ll


def _pool(workers: int):
    """A process pool of ``workers`` (single-threaded BLAS in each), or a null context
    when one process is asked for."""
    from contextlib import nullcontext

    if workers <= 1:
        return nullcontext(None)
    from .._parallel import process_pool

    return process_pool(min(workers, RUNS))


def _log_prior(priors: Sequence[Prior], draws: np.ndarray) -> np.ndarray:
    """Σ_j log prior_j(θ_j) per draw (``-inf`` outside the support)."""
    with np.errstate(divide="ignore"):
        return sum(np.asarray(p.logpdf(draws[:, j]), dtype=float)
                   for j, p in enumerate(priors))


def _fit_proposal(draws: np.ndarray, weights: np.ndarray):
    """The adaptive stage's proposal: a multivariate Student t (5 degrees of freedom) on
    the logs of the draws, centred on the first stage's weighted mean, its scale twice
    the weighted covariance plus 1 % of the prior draws' own spread (so a posterior
    resting on one draw still gives a proposal of full rank)."""
    from scipy import stats

    z = np.log(np.maximum(draws, 1e-300))
    mean = weights @ z
    dz = z - mean
    cov = (weights[:, None] * dz).T @ dz / max(1.0 - float(np.sum(weights ** 2)), 1e-12)
    spread = np.diag(np.var(z, axis=0)) + 1e-9 * np.eye(z.shape[1])
    return stats.multivariate_t(loc=mean, shape=2.0 * cov + PROPOSAL_FLOOR * spread,
                                df=PROPOSAL_DF)


def _log_t(proposal, draws: np.ndarray) -> np.ndarray:
    """The t proposal's density carried to the natural scale (Jacobian Π 1/θ_j)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.log(draws)
        out = np.atleast_1d(proposal.logpdf(z)) - z.sum(axis=1)
    return np.where(np.all(draws > 0, axis=1), out, -np.inf)


def _normalised(ll: np.ndarray) -> np.ndarray:
    w = np.exp(ll - ll[np.isfinite(ll)].max())
    w[~np.isfinite(ll)] = 0.0
    return w / w.sum()


def _adaptive_sample(priors: Sequence[Prior], loglik, n_draws: int, rng, adaptive: bool):
    """Draws, their log-likelihoods and log importance weights (unnormalised), and
    details: see :func:`weight_posterior` (``adaptive``). ``loglik(draws)`` returns the
    log-likelihood of each row (``-inf`` where it cannot be computed; it may raise
    :class:`SolverError` when none can); it is called only on draws inside the priors'
    support."""

    def from_prior(n: int) -> np.ndarray:
        return np.column_stack([pr.sample(rng, n) for pr in priors])

    def evaluate(draws: np.ndarray) -> np.ndarray:
        inside = np.isfinite(_log_prior(priors, draws))
        ll = np.full(len(draws), -np.inf)
        if inside.any():
            ll[inside] = loglik(draws[inside])
        return ll

    n1 = n_draws // 2 if adaptive else n_draws
    n2 = n_draws - n1
    stages = [from_prior(n1)]
    lls = [evaluate(stages[0])]
    proposal = None
    if n2:
        proposal = _fit_proposal(stages[0], _normalised(lls[0]))
        t_draws = np.exp(np.asarray(proposal.rvs(size=n2, random_state=rng)))
        t_draws = t_draws.reshape(n2, len(priors))
        use_prior = rng.random(n2) < DEFENSIVE
        stages.append(np.where(use_prior[:, None], from_prior(n2), t_draws))
        try:
            lls.append(evaluate(stages[1]))
        except SolverError:      # no second-stage draw solved: they carry no weight
            lls.append(np.full(n2, -np.inf))
    draws = np.concatenate(stages)
    ll = np.concatenate(lls)
    log_prior = _log_prior(priors, draws)
    if proposal is None:
        log_q = log_prior
    else:
        with np.errstate(divide="ignore"):
            log_q = np.logaddexp(np.log((n1 + DEFENSIVE * n2) / n_draws) + log_prior,
                                 np.log((1 - DEFENSIVE) * n2 / n_draws)
                                 + _log_t(proposal, draws))
    inside = np.isfinite(log_prior)
    log_w = np.where(inside, ll + log_prior - np.where(inside, log_q, 0.0), -np.inf)
    details = {"stages": (n1, n2), "outside_support": int(np.sum(~inside))}
    if proposal is not None:
        details["proposal"] = {"log_mean": proposal.loc.tolist(),
                               "log_scale": proposal.shape.tolist(), "df": PROPOSAL_DF,
                               "defensive": DEFENSIVE}
    return draws, ll, log_w, details


def weight_posterior(cal: Calibration, *, free: Sequence[str] = ("parity_weight",),
                     n_draws: int = 256, seed=2021, workers: int = 1,
                     adaptive: bool = True, staffing=None) -> WeightPosterior:
    """Posterior over the logit precision and the free weights of the dispute game.

    Parameters
    ----------
    cal : Calibration
    free : sequence of str
        Weights of :data:`~gametheory.analysis.dynamic.FEATURES` drawn from their
        priors (one value per side); the others keep their file values.
    n_draws : int
        Draws in all (the cost: one equilibrium solve each, 0.05-0.2 s here).
    seed : int or Generator
        The draws (same seed, same posterior, for any ``workers``).
    workers : int
        Processes; the draws are split into contiguous runs ordered by λ.
    adaptive : bool
        Two stages (default): half the draws from the prior; the other half from a
        defensive mixture - with probability :data:`DEFENSIVE` the prior, otherwise a
        Student t on the logs fitted to the first stage's posterior - and every draw
        weighted by prior × likelihood over the density of the whole sample's
        proposal (``(n1 prior + n2 mixture) / n``, the "balance heuristic" of multiple
        importance sampling; Veach & Guibas 1995, Owen & Zhou 2000), so no draw's
        weight exceeds ``n / (n1 + DEFENSIVE n2)`` times its likelihood ratio. False:
        every draw from the prior (plain importance sampling).
    staffing : DataFrame, optional
        The recorded mission sizes: the likelihood conditions each turn on them (see
        :func:`~gametheory.analysis.fit_weights`).

    Returns
    -------
    WeightPosterior

    Notes
    -----
    λ draws outside the estimator's range (:func:`~gametheory.analysis.fit_weights`:
    1e-4 up to the precision at which 1/10,000 of the payoff range decides a choice)
    are moved to its ends; keep the prior of ``lambda`` inside it. A draw of the t
    proposal outside the priors' support has weight 0 and is not solved.

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> post = weight_posterior(calibrate(), n_draws=8, seed=1)
    >>> post.names
    ('lambda', 'parity_weight[USA]', 'parity_weight[RUS]')
    >>> bool(abs(post.weights.sum() - 1) < 1e-12)
    True
    """
    from .estimation import _bounds, _dispute_data, _spec

    if not (isinstance(n_draws, int) and 2 <= n_draws <= 100_000):
        raise ParameterError(f"n_draws must be an integer in [2, 100000], got {n_draws!r}",
                             key="n_draws")
    if not (isinstance(workers, int) and workers >= 1):
        raise ParameterError(f"workers must be a positive integer, got {workers!r}",
                             key="workers")
    records = [_dispute_data(cal, "dispute", staffing)]
    spec = _spec(records, free, ())
    bounds = _bounds(spec, records)
    lam_high = float(np.exp(bounds[0][1]))
    lam_range = (float(np.exp(bounds[0][0])), lam_high)
    rng = as_generator(seed)
    priors = {}
    for j, name in enumerate(spec.names):
        if j == 0:
            label, feature, side = "lambda", "lambda", None
        else:
            label = name
            feature, _, rest = name.partition("[")
            side = rest.rstrip("]")
        (_, p, f), = spec.targets[j - 1] if j else ((0, 0, 0),)
        file_value = float(records[0].theta[p, f]) if j else 0.0
        prior = _prior(cal.params, label, feature, side, file_value, lam_high)
        if j and (prior.distribution == "normal"
                  or (prior.distribution == "uniform" and prior.low < 0)):
            raise ParameterError(f"the prior of {label} ({prior.describe()}) allows negative "
                                 "values; weights are >= 0 (use half_normal, uniform from 0, "
                                 "log_uniform or lognormal)", key=f"priors.{feature}")
        priors[label] = prior
    plist = list(priors.values())

    def evaluate(draws: np.ndarray, pool) -> np.ndarray:
        x = draws.copy()
        x[:, 0] = np.clip(x[:, 0], *lam_range)
        return _importance(records, spec, x, workers, pool)

    with _pool(workers) as pool:
        draws, ll, log_w, details = _adaptive_sample(plist, lambda d: evaluate(d, pool),
                                                     n_draws, rng, adaptive)
    inside = np.isfinite(_log_prior(plist, draws))
    draws[:, 0] = np.clip(draws[:, 0], *lam_range)
    failed = int(np.sum(inside & ~np.isfinite(ll)))
    w = _normalised(log_w)
    ess = float(1.0 / np.sum(w ** 2))
    thetas = np.repeat(records[0].theta[None], n_draws, axis=0)
    for j, entries in enumerate(spec.targets, start=1):
        for _, p, f in entries:
            thetas[:, p, f] = draws[:, j]
    notes = []
    if ess < MIN_ESS:
        notes.append(f"the posterior rests on an effective {ess:.0f} of {n_draws} draws: "
                     "raise n_draws (or narrow the priors) before reading its tails.")
    if failed:
        bad = draws[inside & ~np.isfinite(ll), 0]
        ok = np.isfinite(ll)
        near = ok & (draws[:, 0] >= bad.min())
        gap = (f"; the solved draws at λ >= {bad.min():.3g} have log-likelihoods at least "
               f"{ll[ok].max() - ll[near].max():.1f} below the best draw"
               if near.any() else "")
        notes.append(f"{failed} draw(s) could not be solved (the logit equilibrium could not "
                     f"be continued to them; λ from {bad.min():.3g} to {bad.max():.3g}) and "
                     f"carry no weight{gap}.")
    details = {"seed": seed, "free": tuple(free), "anchored": staffing is not None,
               **details}
    return WeightPosterior(names=("lambda", *spec.names[1:]), draws=draws, loglik=ll,
                           weights=w, ess=ess, priors=priors, thetas=thetas,
                           players=cal.players, failed=failed, notes=tuple(notes),
                           details=details)


# ----------------------------------------------------------------- the verdict
@dataclass(frozen=True, eq=False)
class VerdictResult:
    """The strategy comparison as probabilities (:func:`verdict_probabilities`).

    Attributes
    ----------
    verdicts : DataFrame
        One row per (side, noise, discount per year, opponent weighting): the
        posterior probability that ``first`` does better than ``second``, its 95 %
        bootstrap interval, the posterior mean payoff difference, and the reading in
        words.
    by_opponent : DataFrame
        The same probability for each opponent alone.
    opponent_weights : DataFrame
        The weight of each opponent in each weighting.
    """

    verdicts: Any
    by_opponent: Any
    opponent_weights: Any
    strategies: tuple[str, str]
    posterior: WeightPosterior = field(repr=False)
    details: dict = field(default_factory=dict)

    def answer(self, *, noise: float | None = None, discount: float | None = None) -> str:
        """The headline, one sentence per side: opponents weighted by fit, then equally."""
        v = self.verdicts
        noise = v.noise.max() if noise is None else noise
        discount = (v.discount_per_year.iloc[0] if discount is None else discount)
        v = v[np.isclose(v.noise, noise) & np.isclose(v.discount_per_year, discount)]
        a, b = self.strategies
        out = []
        for side, grp in v.groupby("side", sort=False):
            g = grp.set_index("weighting")
            fit, eq = g.loc["by fit to the record"], g.loc["equal"]
            out.append(
                f"For {side}, P('{a}' beats '{b}', on the payoff averaged over the "
                f"opponents) = {fit.probability:.2f} "
                f"[{fit.low:.2f}, {fit.high:.2f}] with opponents weighted by how well they "
                f"explain the other side's record ({fit.reading}); "
                f"{eq.probability:.2f} [{eq.low:.2f}, {eq.high:.2f}] with opponents "
                f"weighted equally ({eq.reading})")
        return ("; ".join(out) + f" (noise {noise:g}, δ {discount:g} a year; over the "
                f"posterior of the weights, effective {self.posterior.ess:.0f} draws).")

    def _repr_html_(self) -> str:
        import html

        return (f"<p>{html.escape(self.answer())}</p>"
                + self.verdicts.to_html(index=False, float_format=lambda v: f"{v:.3g}"))


def _reading(p: float, lo: float, hi: float, tie: bool = False) -> str:
    if tie:
        return "a tie: the two strategies play alike here"
    if lo >= CLEAR:
        return "better with high probability"
    if hi <= 1 - CLEAR:
        return "worse with high probability"
    if lo > 0.5:
        return "more likely better"
    if hi < 0.5:
        return "more likely worse"
    return "not distinguishable from even"


def _opponent_weights(cal: Calibration, names: Sequence[str]) -> dict[str, np.ndarray]:
    """Per side (the side whose strategy is compared): the weight of each opponent by
    the other side's Akaike weights, renormalised over ``names``."""
    from .inference import fit_sides

    fits = fit_sides(cal)
    out = {}
    for i, side in enumerate(cal.players):
        other = cal.players[1 - i]
        table = fits[other].table.set_index("strategy")
        w = np.array([float(table.weight.get(n, 0.0)) for n in names])
        out[side] = w / w.sum() if w.sum() > 0 else np.full(len(names), 1.0 / len(names))
    return out


def verdict_probabilities(cal: Calibration, posterior: WeightPosterior | None = None, *,
                          first: Any = "Zero all restrictions", second: Any = "Tit for tat",
                          opponents: Any = None, sides=None,
                          noise_levels: Sequence[float] = (0.0, 0.05),
                          discounts: Sequence[float] = (0.8,), turns: int = 40,
                          repetitions: int = 100, seed=2021, n_boot: int = 400,
                          fresh=("Zero all restrictions", "GRIT"),
                          weightings: Sequence[str] = ("by fit to the record", "equal")
                          ) -> VerdictResult:
    """P(``first`` does better than ``second``) for each side, over the posterior.

    Parameters
    ----------
    cal : Calibration
    posterior : WeightPosterior, optional
        Default: :func:`weight_posterior` of ``cal`` with its defaults.
    first, second, opponents, sides, noise_levels, turns, repetitions, fresh
        As :func:`~gametheory.analysis.dynamic_compare`, except that the opponent
        ``"Markov perfect"`` is not allowed (its play depends on the weights; it is
        compared at the file's weights in ``dynamic_compare``).
    discounts : sequence of float
        Discount factors per year.
    seed : int or Generator
        The simulated matches and the bootstrap.
    n_boot : int
        Bootstrap replications of the interval.
    weightings : sequence of str
        How the opponents are weighted: ``"by fit to the record"`` (Akaike weights of
        the strategy fits, renormalised) and/or ``"equal"``.

    Returns
    -------
    VerdictResult

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> cal = calibrate()
    >>> post = weight_posterior(cal, n_draws=8, seed=1)
    >>> res = verdict_probabilities(cal, post, opponents=["Tit for tat"], sides=["RUS"],
    ...                             noise_levels=[0.05], turns=10, repetitions=10,
    ...                             n_boot=50)
    >>> res.verdicts[["side", "weighting"]].values.tolist()
    [['RUS', 'by fit to the record'], ['RUS', 'equal']]
    """
    import pandas as pd

    from .dynamic import _simulate_cases
    from .inference import dispute_candidates

    if posterior is None:
        posterior = weight_posterior(cal)
    if posterior.players != cal.players:
        raise ParameterError(f"the posterior is for {posterior.players}, the calibration "
                             f"for {cal.players}", key="posterior")
    if opponents is None:
        keep = {"Tit for tat", "Commensurate", "Parity seeking", "GRIT",
                "Zero all restrictions", "Always escalate"}
        opponents = [s for s in dispute_candidates(cal) if s.name in keep]
    if any(o == MARKOV_PERFECT for o in opponents):
        raise ParameterError(f"the opponent {MARKOV_PERFECT!r} plays an equilibrium of the "
                             "weights, so its play changes with every draw; compare it at "
                             "the file's weights with dynamic_compare", key="opponents")
    if not (isinstance(n_boot, int) and n_boot >= 10):
        raise ParameterError(f"n_boot must be an integer >= 10, got {n_boot!r}", key="n_boot")
    from .._random import as_seed_sequence

    root = as_seed_sequence(seed)
    sim = _simulate_cases(cal, first, second, opponents, sides=sides,
                          noise_levels=noise_levels, discounts=discounts, turns=turns,
                          repetitions=repetitions, seed=root, fresh=fresh, changes={})
    dg = sim["game"]
    names = sim["names"]
    unknown = [w for w in weightings if w not in ("by fit to the record", "equal")]
    if unknown or not weightings:
        raise ParameterError(f"weightings: {unknown or 'none given'}; the weightings are "
                             "'by fit to the record' and 'equal'", key="weightings")
    pi = {}
    if "by fit to the record" in weightings:
        pi["by fit to the record"] = _opponent_weights(cal, names)
    if "equal" in weightings:
        pi["equal"] = {s: np.full(len(names), 1.0 / len(names)) for s in cal.players}
    w_post = posterior.weights
    keep_draws = np.flatnonzero(w_post > 0)
    thetas = posterior.thetas[keep_draws]            # (J, 2, F)
    wj = w_post[keep_draws]
    wj = wj / wj.sum()
    ess = float(1.0 / np.sum(wj ** 2))
    J = len(keep_draws)
    rng = np.random.default_rng(np.random.SeedSequence(
        root.entropy, spawn_key=(*root.spawn_key, 7)))      # the bootstrap's own stream
    boot_draws = rng.integers(0, J, size=(n_boot, J))
    boot_reps = rng.integers(0, repetitions, size=(n_boot, repetitions))
    # per case and discount: per-rep feature differences (R, F)
    cases: dict = {}
    for case in sim["cases"]:
        i = case["i"]
        feats = dg.features[case["states"], case["levels"], i]        # (2, R, T, F)
        for d, dt in sim["deltas"].items():
            wt = dt ** np.arange(turns)
            phi = np.tensordot(feats, wt / wt.sum(), axes=([2], [0]))  # (2, R, F)
            cases[(case["side"], case["opponent"], case["noise"], d)] = phi[0] - phi[1]
    rows, opp_rows = [], []
    sides_done = list(dict.fromkeys(c["side"] for c in sim["cases"]))
    for side in sides_done:
        i = cal.players.index(side)
        th = thetas[:, i, :]                                           # (J, F)
        for nz in noise_levels:
            for d in discounts:
                # (opponents, J, R): each draw's payoff difference in each match
                per = np.stack([th @ cases[(side, o, nz, d)].T for o in names])
                mean_or = per.mean(axis=2)                             # (O, J)
                boot_or = np.stack([per[:, :, r].mean(axis=2) for r in boot_reps])  # (B, O, J)
                for oi, o in enumerate(names):
                    p, lo, hi, tie = _prob(mean_or[oi], boot_or[:, oi], wj, boot_draws, ess)
                    opp_rows.append({"side": side, "opponent": o, "noise": nz,
                                     "discount_per_year": d, "probability": p, "low": lo,
                                     "high": hi, "reading": _reading(p, lo, hi, tie),
                                     "mean_difference": float(wj @ mean_or[oi])})
                for label, weights in pi.items():
                    pw = weights[side]
                    tot = pw @ mean_or                                 # (J,)
                    boot_tot = np.einsum("o,boj->bj", pw, boot_or)
                    p, lo, hi, tie = _prob(tot, boot_tot, wj, boot_draws, ess)
                    rows.append({"side": side, "noise": nz, "discount_per_year": d,
                                 "weighting": label, "probability": p, "low": lo, "high": hi,
                                 "reading": _reading(p, lo, hi, tie),
                                 "mean_difference": float(wj @ tot)})
    ow = pd.DataFrame([{"side": s, "weighting": lab, "opponent": o, "weight": float(w[k])}
                       for lab, by in pi.items() for s, w in by.items()
                       for k, o in enumerate(names) if s in sides_done])
    own = sim["own"]
    return VerdictResult(verdicts=pd.DataFrame(rows), by_opponent=pd.DataFrame(opp_rows),
                         opponent_weights=ow, strategies=(own[0].name, own[1].name),
                         posterior=posterior,
                         details={"turns": turns, "repetitions": repetitions,
                                  "n_boot": n_boot, "draws_used": J})


def _wilson(p: float, n: float) -> tuple[float, float]:
    """Wilson's 95 % score interval for a proportion ``p`` out of ``n`` (here the
    effective number of posterior draws): it does not collapse to a point at 0 or 1."""
    z2 = 1.959963984540054 ** 2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n) * 1.959963984540054
    return max(0.0, centre - half), min(1.0, centre + half)


def _prob(diff: np.ndarray, boot: np.ndarray, wj: np.ndarray, boot_draws: np.ndarray,
          ess: float) -> tuple[float, float, float, bool]:
    """Posterior probability that the difference is positive (a tie counts a half), its
    95 % interval and whether every difference is an exact tie. The interval is the
    wider of a bootstrap over matches and draws (``boot`` (B, J): the differences with
    resampled matches; ``boot_draws`` (B, J): resampled draw indices) and Wilson's
    interval at the effective number of draws, so that agreement of every draw reads
    as "at least about 1 - 3/ESS", not as certainty."""
    def prob(d, w):
        return float(w @ ((d > 0) + 0.5 * (d == 0)))

    p = prob(diff, wj)
    d = np.take_along_axis(boot, boot_draws, axis=1)            # (B, J) resampled draws
    w = wj[boot_draws]
    vals = (w * ((d > 0) + 0.5 * (d == 0))).sum(axis=1) / w.sum(axis=1)
    lo, hi = np.percentile(vals, [2.5, 97.5])
    tie = bool(np.all(diff == 0) and np.all(boot == 0))
    if tie:
        return 0.5, 0.5, 0.5, True
    wlo, whi = _wilson(p, ess)
    return p, float(min(lo, p, wlo)), float(max(hi, p, whi)), False
