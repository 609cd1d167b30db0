"""Robustness over coding choices: which conclusions survive every way of coding the record?

Each named coding option of the parameters' ``classification`` section (talk as
moves or cheap talk, implementation steps merged or separate, idle turns, where
a partial date sits, the level of an unprovoked move, stated reciprocity, the
merge window, the commensurate tolerance) is changed one at a time from the
model's defaults; the record is recoded, the model recalibrated and each
conclusion recomputed. A conclusion *survives* when it is the same under every
coding; otherwise the table names the codings under which it flips.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import GameError
from .calibration import Calibration, calibrate

__all__ = ["CODING_VARIANTS", "RobustnessResult", "coding_robustness"]

#: One-at-a-time departures from the shipped coding (option, value).
CODING_VARIANTS: tuple[tuple[str, Any], ...] = (
    ("talk", "moves"), ("implementation", "separate"), ("insert_idle_turns", False),
    ("partial_dates_at", "start"), ("compare_default", "Commensurate"),
    ("stated_reciprocity", "ignore"), ("merge_within_days", 15), ("merge_within_days", 90),
    ("commensurate_tolerance", 0.0), ("commensurate_tolerance", 0.25))

CONCLUSIONS = ("stage equilibria", "best fit {p}", "zero all vs tit for tat, {p}",
               "dynamic game: the side to move at the state date intends")


@dataclass
class RobustnessResult:
    """Conclusions under each coding (:func:`coding_robustness`).

    Attributes
    ----------
    table : DataFrame
        One row per coding (the first is the model's own): ``option``, ``value``,
        ``turns`` and one column per conclusion (``error`` when the coding could
        not be analysed).
    """

    table: Any

    @property
    def conclusions(self) -> list[str]:
        """The categorical conclusions (the ``P(...)`` columns are their numbers)."""
        return [c for c in self.table.columns if c not in ("option", "value", "turns",
                                                             "error")
                and not c.startswith("P(")]

    def flips(self) -> dict[str, list[str]]:
        """Conclusion -> the codings ("option = value") under which it differs."""
        base = self.table.iloc[0]
        rest = self.table.iloc[1:]
        if "error" in rest:
            rest = rest[rest.error.fillna("") == ""]
        out = {}
        for c in self.conclusions:
            diff = rest[rest[c] != base[c]]
            out[c] = [f"{r.option} = {r.value}" for r in diff.itertuples()]
        return out

    def summary(self) -> str:
        """Which conclusions survive every coding, and which flip under which choice."""
        flips = self.flips()
        keep = [c for c, f in flips.items() if not f]
        n_ok = len(self.table) - 1 - len(self.table[self.table.error.fillna("") != ""]) \
            if "error" in self.table else len(self.table) - 1
        text = (f"Of {len(flips)} conclusions, {len(keep)} survive all {n_ok} coding "
                "changes that could be analysed")
        text += (": " + "; ".join(keep) + "." if keep else ".")
        for c, f in flips.items():
            if f:
                text += (f" '{c}' ({self.table.iloc[0][c]}) changes under "
                         + ", ".join(f) + ".")
        failed = (self.table[self.table.error.fillna("") != ""] if "error" in self.table
                  else self.table.iloc[0:0])
        if len(failed):
            text += (" Not analysable: " + "; ".join(
                f"{r.option} = {r.value} ({r.error})" for r in failed.itertuples()) + ".")
        return text

    def _repr_html_(self) -> str:
        import html

        return (f"<p>{html.escape(self.summary())}</p>"
                + self.table.to_html(index=False))


def _verdicts(cal: Calibration, *, repetitions: int, turns: int, seed) -> dict[str, str]:
    from .inference import fit_sides
    from .scenarios import compare_strategies

    out = {}
    g = cal.stage_game()
    eqs = g.pure_equilibria()
    out["stage equilibria"] = "; ".join(
        "/".join(g.actions[i][a] for i, a in enumerate(e)) for e in eqs) or "mixed only"
    fits = fit_sides(cal)
    for p, f in fits.items():
        out[f"best fit {p}"] = f.best
    res = compare_strategies(cal, noise_levels=[cal.params.noise],
                             discounts=[cal.params.discount], repetitions=repetitions,
                             turns=turns, seed=seed)
    for p, grp in res.comparison.groupby("side", sort=False):
        out[f"zero all vs tit for tat, {p}"] = (
            f"{(grp.verdict == 'better').sum()} better, {(grp.verdict == 'worse').sum()} "
            f"worse of {len(grp)}")
    return out


def _posterior_verdicts(cal: Calibration, posterior, *, turns: int, repetitions: int,
                        seed) -> dict[str, str]:
    from .posterior import verdict_probabilities

    noise = cal.params.dynamic.noise
    noise = cal.params.noise if noise is None else noise
    res = verdict_probabilities(cal, posterior, noise_levels=[noise],
                                discounts=[cal.params.dynamic.discount_per_year],
                                turns=turns, repetitions=repetitions, seed=seed,
                                n_boot=200, weightings=("equal",))
    v = res.verdicts
    out = {}
    for r in v.itertuples():
        out[f"posterior verdict, {r.side}"] = r.reading
        out[f"P(zero all beats tit for tat), {r.side}"] = (
            f"{r.probability:.2f} [{r.low:.2f}, {r.high:.2f}]")
    return out


def _dynamic(cal: Calibration, warm=None) -> tuple[str, Any]:
    from ..solvers.stochastic import iterated_best_response
    from .dynamic import _strategy, dispute_game

    dg = dispute_game(cal)
    starts = (warm, "last") if warm is not None and len(warm) == len(dg.game.states) \
        else ("first", "last")
    res = iterated_best_response(dg.game, starts=starts)
    if not len(res):
        return "no equilibrium found", None
    names = cal.levels
    seen = set()
    for eq in res:
        mover, p = _strategy(eq, dg.start)
        seen.add(f"{dg.players[mover]} " + "; ".join(
            names[a] if p[a] > 1 - 1e-9 else f"{names[a]} {p[a]:.2f}"
            for a in np.flatnonzero(p > 1e-9)))
    warm_profile = np.array([[int(np.argmax(p)) for p in st] for st in res[0].strategies])
    return " | ".join(sorted(seen)), warm_profile


def coding_robustness(cal: Calibration, variants: Sequence[tuple[str, Any]] = CODING_VARIANTS,
                      *, repetitions: int = 30, turns: int = 20, seed=2021,
                      dynamic: bool = True, progress=None, posterior=None,
                      posterior_repetitions: int = 30) -> RobustnessResult:
    """Recompute the model's conclusions under each coding change, one at a time.

    Parameters
    ----------
    cal : Calibration
        The model at its own coding (the first row).
    variants : sequence of (option, value)
        Coding options of :func:`calibrate` and the values to try.
    repetitions, turns, seed
        Size and seed of the scenario comparison ("zero all" against tit for tat
        at the model's noise and δ, paired matches).
    dynamic : bool
        Also solve the dispute's stochastic game under each coding.
    progress : callable, optional
        Wraps the iterable of codings (e.g. ``tqdm``).
    posterior : WeightPosterior, optional
        Draws of the weights (:func:`~gametheory.analysis.weight_posterior`, at the
        model's coding): each coding then also gets the verdict as a probability over
        them (:func:`~gametheory.analysis.verdict_probabilities` in the dynamic game, at
        the model's dynamic noise and δ per year, opponents weighted equally,
        ``posterior_repetitions`` paired matches of ``turns`` turns): a conclusion
        ``posterior verdict, <side>`` (the reading: better / worse with high
        probability, more likely better / worse, not distinguishable) and its number
        ``P(zero all beats tit for tat), <side>`` with its 95 % interval. The draws are
        not refitted per coding (about 15 s a coding): the weights' uncertainty is
        carried, the coding's effect on the likelihood is not.

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> r = coding_robustness(calibrate(), [("compare_default", "Commensurate")],
    ...                       repetitions=5, turns=5, dynamic=False)
    >>> r.flips()["best fit USA"]
    ['compare_default = Commensurate']
    """
    import pandas as pd

    rows = []
    warm = None
    todo = [(None, None), *variants]
    it = progress(todo) if progress is not None else todo
    for option, value in it:
        row: dict[str, Any] = {"option": option or "(model's coding)",
                               "value": "" if option is None else str(value)}
        try:
            c = cal if option is None else calibrate(cal.events, cal.params,
                                                     coding={option: value})
            row["turns"] = len(c.turns_)
            row.update(_verdicts(c, repetitions=repetitions, turns=turns, seed=seed))
            if posterior is not None:
                row.update(_posterior_verdicts(c, posterior, turns=turns,
                                               repetitions=posterior_repetitions,
                                               seed=seed))
            if dynamic:
                text, prof = _dynamic(c, warm)
                if option is None:
                    warm = prof
                row[CONCLUSIONS[-1]] = text
            row["error"] = ""
        except GameError as exc:
            if option is None:
                raise
            row["error"] = f"{type(exc).__name__}: {exc}"
        rows.append(row)
    return RobustnessResult(pd.DataFrame(rows))
