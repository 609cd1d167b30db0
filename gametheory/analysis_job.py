"""The main job behind ``gametheory analyze``.

Until the calibrated US–Russia model is shipped under ``models/``, the job
analyses the illustrative stage game :func:`gametheory.games.embassy_dispute`
and says so in its output.
"""

from __future__ import annotations

import warnings
from fractions import Fraction
from pathlib import Path

from .errors import DegenerateGameWarning, SolverError, UnknownNameError
from .games import Game, embassy_dispute
from .solvers import correlated_equilibrium, iterated_dominance, logit_qre_path, qre, solve

__all__ = ["nash_reversion_thresholds", "run_analysis"]

MODELS = {"us-russia": embassy_dispute}


def nash_reversion_thresholds(game: Game, target: tuple[int, ...], punishment: tuple[int, ...]
                              ) -> list[Fraction | float]:
    """Smallest discount factor at which each player keeps to ``target`` under grim trigger.

    With reversion to the stage equilibrium ``punishment`` after any deviation,
    player i keeps to ``target`` iff ``δ >= (T_i - R_i) / (T_i - P_i)``, where
    ``R_i`` is i's payoff at ``target``, ``T_i`` the best one-shot deviation
    payoff and ``P_i`` the payoff at ``punishment`` (Friedman 1971, *Rev. Econ.
    Stud.* 38:1-12). Returns 0 when no deviation gains.

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> nash_reversion_thresholds(prisoners_dilemma(), (0, 0), (1, 1))
    [Fraction(1, 2), Fraction(1, 2)]
    """
    values = game.exact_payoffs if game.exact_payoffs is not None else game.payoffs
    out = []
    for i in range(game.n_players):
        R = values[target][i]
        deviations = []
        for a in range(game.shape[i]):
            prof = list(target)
            prof[i] = a
            deviations.append(values[tuple(prof)][i])
        T = max(deviations)
        P = values[punishment][i]
        if T <= R:
            out.append(Fraction(0) if isinstance(R, Fraction) else 0.0)
        elif T <= P:
            raise SolverError(f"{game.players[i]}: the punishment payoff {P} is not below the "
                              f"best deviation payoff {T}; no discount factor sustains the target")
        else:
            out.append((T - R) / (T - P))
    return out


def _sequence_sections(analysis, key: str) -> list[str]:
    """Report sections on the shipped event sequence; returns summary lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ._format import table_html
    from .display.report import figure_html
    from .events import draw_timeline, escalation_balance, move_graph, reciprocity
    from .models import load_model

    model = load_model(key)
    events = model.events
    graph = move_graph(events)
    recent = events.filter(since="2016")
    fig, ax = plt.subplots(figsize=(12, 3.6))
    draw_timeline(recent, ax=ax)
    timeline = figure_html(fig, "Move graph, 2016-2022: arrows run from a move to its answer")
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(8, 4))
    model.plot_staffing(ax=ax)
    staffing = figure_html(fig, "Reported mission sizes and the 2017 cap of 455")
    plt.close(fig)
    recip = reciprocity(graph)
    same = recip[recip.magnitude_ratio.notna()]
    rows = [[r.trigger, r.response, r.trigger_actor, r.response_actor,
             f"{r.trigger_magnitude:g} -> {r.response_magnitude:g} {r.unit}",
             r.magnitude_ratio, r.lag_days] for r in same.itertuples()]
    balance = escalation_balance(events)
    analysis.add(
        "The retaliation sequence",
        f"{len(events)} sourced moves from {events[0].date_announced} to "
        f"{events[-1].date_announced} ({graph.number_of_edges()} stated answers), shipped "
        "under models/us_russia_embassy with its coding notes.",
        timeline + staffing
        + table_html(["trigger", "answer", "by", "answered by", "magnitudes", "ratio",
                      "lag (days)"], rows,
                     caption="Answers in the same unit: how commensurate was each reply?")
        + table_html(list(balance.columns), balance.values.tolist(),
                     caption="Who escalated and who de-escalated"))
    analysis.tables["events"] = events.to_frame()
    analysis.tables["reciprocity"] = recip
    exact = int((same.magnitude_ratio == 1.0).sum())
    return [f"Sequence: {len(events)} moves, {graph.number_of_edges()} answers; "
            f"{exact} of {len(same)} same-unit answers exactly commensurate (ratio 1)"]


def _strategy_sections(analysis, game: Game) -> list[str]:
    """Iterated play of the stage game: "zero all" against the other strategies."""
    import numpy as np
    import pandas as pd

    from ._format import table_html
    from .iterated import Tournament
    from .strategies import (
        GRIT,
        AlwaysEscalate,
        Commensurate,
        ParitySeeking,
        TitForTat,
        ZeroAllRestrictions,
    )

    players = [ZeroAllRestrictions(), TitForTat(), Commensurate(), ParitySeeking(), GRIT(),
               AlwaysEscalate()]
    names = [p.name for p in players]
    rows, records = [], []
    for noise in (0.0, 0.05):
        res = Tournament(players, game=game, magnitudes=[(-1, 0, 1)] * 2, turns=50,
                         repetitions=20, noise=noise, observation_noise=noise, seed=2021).run()
        mean = np.nanmean(res.row_scores, axis=0)
        se = np.nanstd(res.row_scores, axis=0, ddof=1) / np.sqrt(res.row_scores.shape[0])
        for j in range(1, len(players)):
            diff = mean[0, j] - mean[1, j]
            err = 2 * float(np.hypot(se[0, j], se[1, j]))
            rows.append([f"{noise:g}", names[j], mean[0, j], mean[1, j],
                         f"{diff:+.2f} ± {err:.2f}"])
            records.append({"noise": noise, "russia": names[j], "us_zero_all": mean[0, j],
                            "us_tit_for_tat": mean[1, j], "difference": diff,
                            "two_se": err})
    analysis.tables["zero_all_vs_tft"] = pd.DataFrame(records)
    analysis.add(
        "Does 'zero all restrictions' do better than tit-for-tat?",
        "The US plays 'zero all restrictions' (lift everything, then reciprocate) or "
        "tit-for-tat against each Russian strategy, 50 rounds, 20 matches each, in the "
        "illustrative stage game. Noise is the probability that a move comes out wrong and, "
        "separately, that it is misread. Intervals are two standard errors.",
        table_html(["noise", "Russia plays", "US payoff/round: zero all",
                    "US payoff/round: tit for tat", "difference"], rows))
    at_noise = [r for r in records if r["noise"] > 0]
    better = sum(r["difference"] > r["two_se"] for r in at_noise)
    worse = sum(r["difference"] < -r["two_se"] for r in at_noise)
    return [f"Zero all vs tit-for-tat (noise 0.05): better against {better}, worse against "
            f"{worse}, indistinguishable against {len(at_noise) - better - worse} of "
            f"{len(at_noise)} Russian strategies"]


def run_analysis(model: str, out_dir: str | Path) -> tuple[str, Path]:
    """Run the analysis; return the printed summary and the report path."""
    from ._format import fmt_number, table_html
    from .display.report import Analysis, analysis_report

    key = model.strip().lower().replace("_", "-")
    if key not in MODELS:
        raise UnknownNameError("model", model, MODELS)
    game = MODELS[key]()
    analysis = Analysis("US–Russia embassy dispute: the sequence and its stage game")
    seq_lines = _sequence_sections(analysis, key)
    analysis.add(
        "The stage game",
        "Illustrative, uncalibrated stage game (gametheory.games.embassy_dispute): each side "
        "chooses to zero all restrictions, hold them, or retaliate in kind. The calibrated "
        "model of the 2016–2022 sequence will replace it.\n\n"
        "Highlighted cells are pure Nash equilibria.",
        game._repr_html_())
    analysis.tables["stage_game"] = game.to_frame()

    red = iterated_dominance(game)
    elim = [[r, p, a, ", ".join(f"{k}: {fmt_number(v)}" for k, v in d.items())]
            for r, p, a, d in red.eliminated]
    analysis.add("Iterated dominance",
                 "Strictly dominated actions removed in turn (by pure or mixed strategies). "
                 + ("The game is dominance solvable." if red.solved else ""),
                 table_html(["round", "player", "removed action", "dominated by"], elim))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        nash = solve(game, method="vertex_enumeration", exact=True)
    analysis.add("Nash equilibria", nash.summary(), nash._repr_html_())
    analysis.tables["equilibria"] = nash.to_frame()

    corr = correlated_equilibrium(game)
    analysis.add("Best correlated equilibrium (maximal total payoff)",
                 f"Payoffs {', '.join(fmt_number(v) for v in corr[0].payoffs)}; verified "
                 f"{corr[0].verified}.",
                 table_html(["", *game.actions[1]],
                            [[a, *corr[0].distribution[k]] for k, a in
                             enumerate(game.actions[0])],
                            caption="Probability of each recommended profile"))

    logit = qre(game)
    path = logit_qre_path(game, lam_max=5.0)
    analysis.tables["qre_path"] = path.to_frame()
    analysis.add("Logit quantal response",
                 "Following the principal branch of logit QRE from uniform play (λ = 0) "
                 f"selects: {logit[0]!r}.")

    zero = tuple(game.action_index(i, "Zero all") for i in range(2))
    punish = tuple(s[0] for s in nash[0].support) if nash[0].is_pure else None
    rows = []
    if punish is not None:
        thresholds = nash_reversion_thresholds(game, zero, punish)
        for p, d in zip(game.players, thresholds, strict=True):
            rows.append([p, fmt_number(d), float(d)])
        import pandas as pd

        analysis.tables["thresholds"] = pd.DataFrame(
            rows, columns=["player", "delta_min_exact", "delta_min"])
        analysis.add(
            "When can mutual 'Zero all' be sustained?",
            "Grim trigger with reversion to the stage equilibrium (Friedman 1971): each side "
            "keeps to 'Zero all' if its discount factor is at least (T − R)/(T − P).",
            table_html(["player", "smallest δ", "≈"], rows))
    lines = [*seq_lines,
             f"Model: {key} (illustrative stage game; calibrated model pending)",
             f"Stage game: {game.shape[0]}x{game.shape[1]}, actions "
             f"{', '.join(game.actions[0])}",
             f"Dominance solvable: {red.solved}",
             nash.summary()]
    lines += [f"  {eq!r}" for eq in nash]
    lines.append(f"Best correlated equilibrium payoffs: "
                 f"{', '.join(fmt_number(v) for v in corr[0].payoffs)}")
    if rows:
        lines.append("Grim-trigger thresholds for mutual 'Zero all': "
                     + ", ".join(f"{p} δ >= {d}" for p, d, _ in rows))
    lines += _strategy_sections(analysis, game)
    summary = "\n".join(lines)
    report = analysis_report(analysis, out_dir)
    return summary, report
