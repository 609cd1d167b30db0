"""Reciprocity estimated from a record: directed Goldstein-scaled series, a VAR with
Granger tests and impulse responses, and Patchen & Bogumil's three reciprocity models.

* :func:`directed_series` sums the Goldstein weights of each side's moves toward
  the other per week or month (zero when a side did nothing), the scaling of
  Goldstein & Pevehouse (1997, *APSR* 91:515-529), who fitted VARs to such
  weekly series for the Bosnia conflict.
* :func:`estimate_reciprocity` fits a VAR (statsmodels) to the two series, tests Granger
  causality each way, and reads the sum of the cross coefficients as the
  response of one side to the other: positive is *reciprocity* (hostility met
  with hostility, cooperation with cooperation), negative the *inverse
  response* Goldstein & Pevehouse call bullying. Triangular terms need a third
  actor's series and are not fitted here.
* The same function fits Patchen & Bogumil's (1995, *Conflict Management and
  Peace Science* 14:163-195) models by least squares for each side: *simple*
  (a side's action answers the other's previous action, x_t = a + b y_{t-1}),
  *trend* (its change answers the other's previous change,
  Δx_t = a + b Δy_{t-1}) and *comparative* (its change answers the previous
  difference between the rivals, Δx_t = a + b (y_{t-1} - x_{t-1})).

A short record gives few periods; the result says how many, and the tests are
exact only asymptotically.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import SequenceTooShortError, UnknownNameError

__all__ = ["ReciprocityResult", "directed_series", "estimate_reciprocity"]

_FREQ = {"W": "W-MON", "M": "MS"}


def directed_series(events, players: tuple[str, str], *, freq: str = "M", start=None,
                    end=None):
    """Goldstein-weighted moves of each side toward the other, per period.

    Parameters
    ----------
    events : EventSequence
    players : (str, str)
    freq : {"W", "M"}
        Weeks (starting Mondays) or calendar months.
    start, end : date-like, optional
        The span (default: the first and last move between the two).

    Returns
    -------
    DataFrame
        Indexed by period start, columns ``"A→B"`` and ``"B→A"``.

    Examples
    --------
    >>> from gametheory.models import load_model
    >>> s = directed_series(load_model("us-russia").events, ("USA", "RUS"), start="2016-12-01",
    ...                     end="2017-12-31")
    >>> s.shape, float(s.loc["2016-12-01", "USA→RUS"]) < 0
    ((13, 2), True)
    """
    import pandas as pd

    if freq not in _FREQ:
        raise UnknownNameError("freq", freq, tuple(_FREQ))
    a, b = players
    rows = [(pd.Timestamp(e.date_announced), f"{e.actor}→{e.target}", e.resolved_goldstein)
            for e in events if {e.actor, e.target} == {a, b}]
    if not rows:
        raise SequenceTooShortError(f"no moves between {a} and {b} in the record")
    df = pd.DataFrame(rows, columns=["date", "direction", "goldstein"])
    lo = pd.Timestamp(start) if start is not None else df.date.min()
    hi = pd.Timestamp(end) if end is not None else df.date.max()
    df = df[(df.date >= lo) & (df.date <= hi)]
    index = pd.date_range(lo.to_period(freq).start_time, hi, freq=_FREQ[freq])
    out = pd.DataFrame(0.0, index=index, columns=[f"{a}→{b}", f"{b}→{a}"])
    period = df.date.dt.to_period(freq).dt.start_time
    sums = df.assign(period=period).groupby(["period", "direction"]).goldstein.sum()
    for (p, direction), v in sums.items():
        out.loc[p, direction] += v
    out.index.name = "period"
    return out


@dataclass
class ReciprocityResult:
    """Reciprocity estimates (:func:`estimate_reciprocity`).

    Attributes
    ----------
    series : DataFrame
        The two directed series.
    lags : int
    coefficients : DataFrame
        VAR coefficients (rows: regressors, columns: equations).
    responses : DataFrame
        Per side: the sum of its equation's lagged coefficients on the other
        side's series, the Granger test of the other side's series (F, p) and
        ``kind`` (reciprocity, inverse response or none at the 5 % level).
    impulse : ndarray, shape (horizon + 1, 2, 2)
        Orthogonalised impulse responses (``impulse[h, i, j]``: response of series
        i, h periods after a one-standard-deviation shock to series j).
    patchen_bogumil : DataFrame
        One row per model and side: coefficient b, standard error, p-value, n.
    """

    series: Any
    lags: int
    coefficients: Any
    responses: Any
    impulse: np.ndarray
    patchen_bogumil: Any

    def summary(self) -> str:
        n = len(self.series)
        parts = [f"VAR({self.lags}) on {n} periods:"]
        for r in self.responses.itertuples():
            parts.append(f"{r.side} answers {r.other} with summed coefficient "
                         f"{r.response:+.2f} (Granger p = {r.granger_p:.3f}: {r.kind})")
        text = " ".join(parts[:1]) + " " + "; ".join(parts[1:]) + "."
        if n < 30:
            text += f" With {n} periods the tests are rough."
        return text

    def _repr_html_(self) -> str:
        import html

        return (f"<p>{html.escape(self.summary())}</p>"
                + self.responses.to_html(index=False, float_format=lambda v: f"{v:.3g}")
                + self.patchen_bogumil.to_html(index=False,
                                               float_format=lambda v: f"{v:.3g}"))


def _ols(y: np.ndarray, x: np.ndarray) -> tuple[float, float, float]:
    """Slope, its standard error and two-sided p-value of y = a + b x."""
    from scipy import stats

    res = stats.linregress(x, y)
    return float(res.slope), float(res.stderr), float(res.pvalue)


def estimate_reciprocity(data, players: tuple[str, str] | None = None, *, freq: str = "M",
                lags: int = 1, horizon: int = 6, start=None, end=None,
                level: float = 0.05) -> ReciprocityResult:
    """Fit the VAR and the Patchen-Bogumil models to two directed series.

    Parameters
    ----------
    data : EventSequence or DataFrame
        A record (turned into series by :func:`directed_series`) or two columns of
        series already made (the first column is the first side's actions toward
        the second).
    players : (str, str)
        Needed with a record.
    lags : int
        VAR order.
    horizon : int
        Periods of the impulse responses.
    level : float
        Significance level that labels a response.

    Examples
    --------
    Two simulated series in which B answers A's previous action with 0.6 and A
    ignores B:

    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> a = rng.normal(size=400); b = np.zeros(400)
    >>> for t in range(1, 400):
    ...     b[t] = 0.6 * a[t - 1] + rng.normal()
    >>> r = estimate_reciprocity(pd.DataFrame({"A→B": a, "B→A": b}))
    >>> r.responses[["side", "kind"]].values.tolist()
    [['A', 'none'], ['B', 'reciprocity']]
    """
    import pandas as pd
    from statsmodels.tsa.api import VAR

    if isinstance(data, pd.DataFrame):
        series = data.iloc[:, :2].astype(float)
        names = [c.split("→")[0] for c in series.columns]
    else:
        if players is None:
            raise UnknownNameError("players", None, ("a pair of actors of the record",))
        series = directed_series(data, players, freq=freq, start=start, end=end)
        names = list(players)
    if lags < 1:
        raise SequenceTooShortError(f"lags must be >= 1, got {lags}")
    n = len(series)
    if n < 3 * lags + 5:
        raise SequenceTooShortError(f"{n} periods are too few for a VAR({lags}) (need at "
                                    f"least {3 * lags + 5})")
    cols = list(series.columns)
    model = VAR(series.to_numpy())
    fit = model.fit(lags)
    params = pd.DataFrame(fit.params, columns=cols,
                          index=["const"] + [f"{c} lag {k}" for k in range(1, lags + 1)
                                             for c in cols])
    rows = []
    for i, (side, col) in enumerate(zip(names, cols, strict=True)):
        j = 1 - i
        other = cols[j]
        resp = float(sum(params.loc[f"{other} lag {k}", col] for k in range(1, lags + 1)))
        test = fit.test_causality(i, [j], kind="f")
        p = float(test.pvalue)
        kind = ("none" if p >= level else "reciprocity" if resp > 0 else "inverse response")
        rows.append({"side": side, "other": names[j], "response": resp,
                     "granger_F": float(test.test_statistic), "granger_p": p, "kind": kind})
    irf = fit.irf(horizon).orth_irfs
    x = series.to_numpy()
    pb = []
    for i, side in enumerate(names):
        own, oth = x[:, i], x[:, 1 - i]
        for model_name, (y, z) in {
                "simple": (own[1:], oth[:-1]),
                "trend": (np.diff(own)[1:], np.diff(oth)[:-1]),
                "comparative": (np.diff(own), (oth - own)[:-1])}.items():
            b, se, p = _ols(y, z) if np.ptp(z) > 0 else (np.nan, np.nan, np.nan)
            pb.append({"model": model_name, "side": side, "b": b, "se": se, "p": p,
                       "n": len(y)})
    return ReciprocityResult(series=series, lags=lags, coefficients=params,
                             responses=pd.DataFrame(rows), impulse=np.asarray(irf),
                             patchen_bogumil=pd.DataFrame(pb))
