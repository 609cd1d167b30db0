"""The main job behind ``gametheory analyze``: the calibrated model end to end.

Sequence and move graph → calibration (levels, state, stage game) → equilibria,
dominance, correlated and quantal-response equilibria → discount thresholds and
parameter sensitivity → the dispute as a stochastic game (Markov-perfect
equilibria, where restraint is self-enforcing) → tournament → which strategies each side played →
scenarios from December 2021: does "zero all restrictions" do better than tit
for tat, and under which noise and discount factor? - asked again in the
stochastic game.
"""

from __future__ import annotations

import html
import time
import warnings
from pathlib import Path

import numpy as np

from .._format import frame_html
from ..errors import DegenerateGameWarning
from ..games import Game
from ..solvers import correlated_equilibrium, iterated_dominance, logit_qre_path, qre, solve
from ..solvers.repeated import nash_reversion_thresholds

__all__ = ["analyze", "nash_reversion_thresholds", "run_analysis"]

#: Seeds of every random part of the main job (recorded in the report's provenance).
SEEDS = {"tournament": 2021, "mixture_check": 6, "scenarios": 2021, "dynamic_scenarios": 2021,
         "robustness": 2021, "posterior": 2021, "verdicts": 2021}
#: Prior draws of the posterior over the weights (one equilibrium solve each).
POSTERIOR_DRAWS = 256

#: Defaults of the main job (the notebooks use smaller ones).
SCENARIO_REPETITIONS = 200
SCENARIO_TURNS = 40


#: Symbol and unit of each utility weight (payoffs are in staff-rounds: one member of a
#: functioning mission for one round).
WEIGHT_SYMBOLS = {
    "mission_value": ("v", "staff-rounds per member per round"),
    "loss_cost": ("l", "staff-rounds per member lost this round"),
    "parity_weight": ("p", "staff-rounds per baseline, per unit of relative shortfall"),
    "concession_cost": ("c", "staff-rounds per level more conciliatory than the other"),
    "restriction_cost": ("k", "staff-rounds per standing restriction per round"),
}

#: The stage utility, rendered by the browser itself (MathML: no network, no images).
UTILITY_MATHML = (
    "<math display='block' aria-label='stage utility of side i'><mrow>"
    "<msub><mi>u</mi><mi>i</mi></msub><mo>=</mo>"
    "<mi>v</mi><msubsup><mi>S</mi><mi>i</mi><mo>′</mo></msubsup>"
    "<mo>−</mo><mi>l</mi><msup><mrow><mo>(</mo><msub><mi>S</mi><mi>i</mi></msub><mo>−</mo>"
    "<msubsup><mi>S</mi><mi>i</mi><mo>′</mo></msubsup><mo>)</mo></mrow><mo>+</mo></msup>"
    "<mo>−</mo><mi>p</mi><msub><mi>B</mi><mi>i</mi></msub><mrow><mo>(</mo>"
    "<mfrac><msubsup><mi>S</mi><mi>j</mi><mo>′</mo></msubsup><msub><mi>B</mi><mi>j</mi>"
    "</msub></mfrac><mo>−</mo><mfrac><msubsup><mi>S</mi><mi>i</mi><mo>′</mo></msubsup>"
    "<msub><mi>B</mi><mi>i</mi></msub></mfrac><mo>)</mo></mrow>"
    "<mo>−</mo><mi>c</mi><msup><mrow><mo>(</mo><msub><mi>ℓ</mi><mi>j</mi></msub><mo>−</mo>"
    "<msub><mi>ℓ</mi><mi>i</mi></msub><mo>)</mo></mrow><mo>+</mo></msup>"
    "<mo>−</mo><mi>k</mi><msubsup><mi>R</mi><mi>i</mi><mo>′</mo></msubsup>"
    "</mrow></math>"
    "<p style='font-size:90%;color:#555'>S: mission size (persons), S′ after the round; "
    "B: baseline; R: standing restrictions on the mission; ℓ: the level played "
    "(0 = Zero all ... 4 = Escalate); (x)<sup>+</sup> = max(0, x). The weights v, l, p, "
    "c, k are in the table below.</p>")


def _fig(draw, alt: str, size=(8, 4), grid: tuple[int, int] | None = None) -> str:
    # a Figure without pyplot: no global backend switch, nothing left open; with
    # ``grid`` (rows, columns) ``draw`` gets the array of Axes (shared axes)
    from matplotlib.figure import Figure

    from .report import figure_html

    fig = Figure(figsize=size, layout="constrained")
    if grid is None:
        draw(fig.subplots())
    else:
        draw(fig.subplots(*grid, sharex=True, sharey=True, squeeze=False))
    return figure_html(fig, alt)


def _sequence_sections(analysis, model) -> list[str]:
    """Report sections on the model's event sequence; returns summary lines."""
    from matplotlib.figure import Figure

    from .._format import table_html
    from ..events import draw_timeline, escalation_balance, move_graph, reciprocity
    from .report import figure_html

    events = model.events
    graph = move_graph(events)
    recent = events.filter(since="2016")
    fig = Figure(figsize=(12, 3.6))
    draw_timeline(recent, ax=fig.subplots())
    years = sorted({e.date_announced.year for e in recent})
    span = f"{years[0]}-{years[-1]}" if years else "no moves since 2016"
    timeline = figure_html(fig, f"Move graph, {span}: arrows run from a move to its answer")
    fig = Figure(figsize=(8, 4))
    model.plot_staffing(ax=fig.subplots())
    staffing = figure_html(fig, "Reported mission sizes and staff caps")
    recip = reciprocity(graph)
    same = recip[recip.magnitude_ratio.notna()]
    rows = [[r.trigger, r.response, r.trigger_actor, r.response_actor,
             f"{r.trigger_magnitude:g} -> {r.response_magnitude:g} {r.unit}",
             r.magnitude_ratio, r.lag_days] for r in same.itertuples()]
    balance = escalation_balance(events)
    analysis.add(
        "The retaliation sequence",
        f"{len(events)} sourced moves from {events[0].date_announced} to "
        f"{events[-1].date_announced} "
        f"({sum(d.get('kind') == 'answer' for _, _, d in graph.edges(data=True))} stated "
        "answers), "
        + (f"shipped under models/{model.path.name} with its coding notes."
           if model.shipped else f"read from {model.path}."),
        timeline + staffing
        + table_html(["trigger", "answer", "by", "answered by", "magnitudes", "ratio",
                      "lag (days)"], rows,
                     caption="Answers in the same unit: how commensurate was each reply?")
        + table_html(list(balance.columns), balance.values.tolist(),
                     caption="Who escalated and who de-escalated"))
    analysis.tables["events"] = events.to_frame()
    analysis.tables["reciprocity"] = recip
    exact = int((same.magnitude_ratio == 1.0).sum())
    n_answers = sum(d.get("kind") == "answer" for _, _, d in graph.edges(data=True))
    return [f"Sequence: {len(events)} moves, {n_answers} answers between the sides; "
            f"{exact} of {len(same)} same-unit answers exactly commensurate (ratio 1)"]


def _calibration_sections(analysis, cal) -> list[str]:
    import pandas as pd

    from .._format import table_html

    p = cal.params
    rows = [[name, *[getattr(p.utility[s], name) for s in cal.players]]
            for name in ("mission_value", "loss_cost", "parity_weight", "concession_cost",
                         "restriction_cost")]
    levels = [[lv.name, lv.staff, lv.restrictions] for lv in p.levels]
    state = [[s, cal.state_.staff[i], p.missions[s].baseline, cal.state_.restrictions[i]]
             for i, s in enumerate(cal.players)]
    moves = cal.moves_.copy()
    moves["date"] = moves.date.dt.date
    turns = cal.turns_.copy()
    turns["start"], turns["end"] = turns.start.dt.date, turns.end.dt.date
    analysis.add(
        "Calibration: from moves to a game",
        "Every assumption is in the model's parameters.yaml. Each move of the "
        f"{cal.params.start_date or 'recorded'} to {cal.params.state_date} period is "
        "classified into an ordered level (a same-unit answer is "
        "commensurate when at most 10 % larger than what it answers); moves of a side on "
        "one day are one decision; runs of one side's decisions are one turn; a side that "
        "does nothing in between is read as holding. The stage utility of side i after a "
        "round is the formula below; each symbol is a named weight of the parameters file "
        "(table beside it, with its unit).",
        UTILITY_MATHML
        + table_html(["level", "staff removed from the other mission", "restrictions added"],
                     levels, caption="Action levels")
        + table_html(["symbol", "weight (parameters file)", "unit", *cal.players],
                     [[WEIGHT_SYMBOLS[r[0]][0], r[0], WEIGHT_SYMBOLS[r[0]][1], *r[1:]]
                      for r in rows],
                     caption="Utility weights: each symbol of the formula, its name in the "
                             "parameters file, its unit and each side's value")
        + table_html(["side", f"staff on {p.state_date}", "baseline", "standing restrictions"],
                     state, caption="State the stage game and the scenarios start from")
        + table_html(["turn", "side", "from", "to", "level", "events"],
                     [[r.turn, r.actor, r.start, r.end, r.level + (" (idle)" if r.idle else ""),
                       r.event_ids] for r in turns.itertuples()],
                     caption="The sequence as alternating turns"))
    analysis.tables["moves_classified"] = moves
    analysis.tables["turns"] = turns
    analysis.tables["parameters"] = pd.DataFrame(
        [{"key": f"utility.{s}.{k}", "value": v} for s in cal.players
         for k, v in p.utility[s].model_dump().items()]
        + [{"key": "discount", "value": p.discount}, {"key": "noise", "value": p.noise}])
    counts = turns[~turns.idle].groupby("actor")["level"].value_counts().unstack(fill_value=0)
    return ["Turns by level: " + "; ".join(
        f"{side} " + ", ".join(f"{lv} {int(n)}" for lv, n in row.items() if n)
        for side, row in counts.iterrows())]


def _equilibrium_sections(analysis, game: Game, state_date=None) -> tuple[list[str], object]:
    import pandas as pd

    from .._format import fmt_number, table_html

    analysis.add(f"The stage game at {state_date}" if state_date else "The stage game",
                 "Payoffs in staff-rounds (the value of one staff member of a functioning "
                 "mission for one round). Highlighted cells are pure Nash equilibria.",
                 game._repr_html_())
    analysis.tables["stage_game"] = game.to_frame()
    red = iterated_dominance(game)
    elim = [[r, p, a, ", ".join(f"{k}: {fmt_number(v)}" for k, v in d.items())]
            for r, p, a, d in red.eliminated]
    analysis.add("Iterated dominance",
                 "Strictly dominated levels removed in turn (by pure or mixed strategies). "
                 + ("The game is dominance solvable." if red.solved else ""),
                 table_html(["round", "player", "removed level", "dominated by"], elim,
                            caption="Levels removed in each round and the (mixed) strategy "
                                    "that strictly dominates each"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        nash = solve(game, method="vertex_enumeration")
    a, b = game.players

    def profile(eq):
        return " / ".join(", ".join(f"{game.actions[i][k]}" + ("" if np.isclose(p_, 1) else
                                                               f" {p_:.3g}")
                                    for k, p_ in enumerate(st.probabilities) if p_ > 1e-12)
                          for i, st in enumerate(eq.strategies))

    complete = "all of them" if nash.guarantee == "all" else "those found"
    analysis.add(
        "Nash equilibria of the stage game",
        f"The stage game has {len(nash)} Nash equilibri{'um' if len(nash) == 1 else 'a'} "
        f"({complete}; each checked as mutual best responses): "
        + "; ".join(f"{a} / {b}: {profile(eq)}, payoffs "
                    f"{', '.join(f'{float(v):.3g}' for v in eq.payoffs)}" for eq in nash)
        + ".",
        table_html([f"{a} plays", f"{b} plays", f"payoff {a}", f"payoff {b}"],
                   [[*profile(eq).split(" / "), *[float(f"{float(v):.3g}")
                                                   for v in eq.payoffs]] for eq in nash],
                   caption="Nash equilibria of the stage game (a level with a probability "
                           "is a mixed strategy)"))
    analysis.note(f"stage equilibria: {nash.summary()}")
    analysis.tables["equilibria"] = nash.to_frame()
    corr = correlated_equilibrium(game)
    dist = np.asarray(corr[0].distribution, dtype=float)
    support = [(game.actions[0][r], game.actions[1][c], dist[r, c])
               for r, c in zip(*np.nonzero(dist > 1e-12), strict=True)]
    analysis.add("Best correlated equilibrium (maximal total payoff)",
                 f"Payoffs {', '.join(f'{float(v):.3g}' for v in corr[0].payoffs)}. "
                 + ("It recommends a single profile: the correlated equilibrium with the "
                    "largest total payoff is a Nash equilibrium here."
                    if len(support) == 1 else ""),
                 table_html([f"{a} is told", f"{b} is told", "probability"],
                            [[x, y, float(f"{q:.3g}")] for x, y, q in support],
                            caption="The profiles the correlating device recommends, with "
                                    "their probabilities (all others: 0)"))
    analysis.note(f"correlated equilibrium: linear program, verified {corr[0].verified}")
    logit = qre(game)
    analysis.tables["qre_path"] = logit_qre_path(game, lam_max=0.05).to_frame()
    analysis.add("Logit quantal response",
                 "The principal branch of logit QRE from uniform play (λ = 0) selects "
                 f"{logit[0]!r}.")
    lines = [f"Stage game {game.shape[0]}x{game.shape[1]} at the calibration state; "
             f"dominance solvable: {red.solved}", nash.summary()]
    lines += [f"  {eq!r}" for eq in nash]
    thresholds = None
    if nash[0].is_pure:
        punish = tuple(s[0] for s in nash[0].support)
        target = (0, 0)
        thresholds = nash_reversion_thresholds(game, target, punish)
        exact = [[p, float(d)] for p, d in zip(game.players, thresholds, strict=True)]
        rows = [[p, float(f"{d:.3g}")] for p, d in exact]
        analysis.tables["thresholds"] = pd.DataFrame(exact, columns=["player", "delta_min"])
        analysis.add(
            f"When can mutual '{game.actions[0][0]}' be sustained?",
            "Grim trigger with reversion to the stage equilibrium "
            f"{'/'.join(game.actions[i][a] for i, a in enumerate(punish))} (Friedman 1971): "
            "each side keeps to the cooperative level if its discount factor is at least "
            "(T − R)/(T − P). Both must: mutual restraint is sustainable for "
            f"δ ≥ {max(map(float, thresholds)):.3f}.",
            table_html(["player", "smallest δ"], rows,
                       caption="The smallest discount factor per round at which each side "
                               "keeps to mutual restraint under grim trigger"))
        lines.append("Mutual 'Zero all' sustainable by grim trigger for δ >= "
                     + ", ".join(f"{p} {float(d):.3f}" for p, d in
                                 zip(game.players, thresholds, strict=True)))
    return lines, thresholds


def _sensitivity_section(analysis, cal) -> list[str]:
    import pandas as pd

    from .._format import table_html
    from ..analysis import sensitivity

    frames = []
    for name in ("mission_value", "loss_cost", "parity_weight", "concession_cost",
                 "restriction_cost"):
        for side in cal.players:
            base = getattr(cal.params.utility[side], name)
            values = np.linspace(0.0, 3.0 * base if base else 1.0, 13)
            frames.append(sensitivity(cal, f"utility.{side}.{name}", values))
    table = pd.concat(frames, ignore_index=True)
    joint = []
    for scale in (0.0, 0.25, 0.5, 1.0):
        changes = {f"utility.{s}.{k}": getattr(cal.params.utility[s], k) * scale
                   for s in cal.players for k in ("parity_weight", "concession_cost")}
        g = cal.with_parameters(**changes).stage_game()
        eqs = g.pure_equilibria()
        joint.append([scale, "; ".join("/".join(g.actions[i][a] for i, a in enumerate(e))
                                       for e in eqs) or "mixed only"])
    analysis.tables["sensitivity"] = table
    changed = table[table.changed]
    analysis.add(
        "Sensitivity of the stage equilibria",
        "Each utility weight of each side swept from 0 to three times its value (13 values, "
        "all games solved at once by solve_many, every equilibrium verified). "
        + (f"The equilibrium set changes at {len(changed)} of {len(table)} points."
           if len(changed) else "The equilibrium set does not change anywhere in these "
           "one-at-a-time sweeps: escalation is dominant as long as either the parity term "
           "or the cost of appearing to concede is positive.")
        + " Scaling both of those terms together for both sides:",
        table_html(["parity and concession weights × ", "pure equilibria"], joint,
                   caption="Pure equilibria of the stage game when both sides' parity and "
                           "concession weights are scaled together")
        + (table_html(["parameter", "value", "equilibria"],
                      changed[["parameter", "value", "equilibria"]].values.tolist(),
                      caption="Where the equilibria change") if len(changed) else ""))
    return [f"Sensitivity: equilibria change at {len(changed)} of {len(table)} one-at-a-time "
            "sweep points"]


def _tournament_section(analysis, cal, game: Game) -> list[str]:
    from ..analysis import dispute_candidates
    from ..iterated import Tournament

    players = [s for s in dispute_candidates(cal) if s.name != "Random"]
    res = Tournament(players, game=game, magnitudes=cal.magnitudes(), turns=40,
                     repetitions=10, noise=cal.params.noise,
                     observation_noise=cal.params.observation_noise,
                     noise_kernel=cal.noise_kernels(), seed=SEEDS["tournament"]).run()
    summary = res.summary()
    analysis.tables["tournament"] = summary
    analysis.add(
        "Round-robin tournament on the calibrated stage game",
        f"Each strategy against each (both roles), 40 turns, 10 repetitions, move noise "
        f"{cal.params.noise:g} and misperception {cal.params.observation_noise:g}; payoffs "
        "of the fixed stage game at the calibration state.",
        _fig(lambda ax: res.plot(ax=ax), "Tournament payoffs", size=(8, 4))
        + frame_html(summary, "Round robin: each strategy's mean payoff per turn over all "
                              "its matches, its wins and how often it cooperated",
                     columns={"mean_payoff": "mean payoff per turn",
                              "cooperation": "cooperation rate"}))
    return [f"Tournament winner: {res.ranking[0]}"]


def _inference_section(analysis, cal) -> list[str]:
    import pandas as pd

    from ..analysis import dispute_candidates, estimate_mixture, fit_sides, simulate_play

    fits = fit_sides(cal)
    table = pd.concat([f.to_frame() for f in fits.values()], ignore_index=True)
    analysis.tables["strategy_fit"] = table
    fit_columns = {"beta": "β", "beta_low": "β 95 % low", "beta_high": "β 95 % high",
                   "loglik": "log-likelihood", "aic": "AIC", "delta_aic": "ΔAIC",
                   "weight": "Akaike weight", "matches": "moves it matches",
                   "moves": "scored moves"}
    body = "".join(
        f"<p>{html.escape(f.verdict())}</p>"
        + frame_html(f.table, f"{side}: how well each strategy explains its turns (β: the "
                              "probability of the prescribed move; Akaike weights compare "
                              "the strategies; – where β is not defined)",
                     columns=fit_columns)
        for side, f in fits.items())
    # can the estimator tell these strategies apart? plant a mixture, recover it
    cands = [s for s in dispute_candidates(cal)
             if s.name in ("Tit for tat", "Commensurate", "Parity seeking", "Always escalate")]
    planted = {s: w for s, w in zip(cands, (0.4, 0.3, 0.2, 0.1), strict=True)}
    game = cal.stage_game()
    sim = simulate_play(planted, game, n=300, turns=12, noise=0.1,
                        magnitudes=cal.magnitudes(), seed=SEEDS["mixture_check"])
    mix = estimate_mixture(sim.sequences, cands, game, magnitudes=cal.magnitudes(),
                           bootstrap=20, seed=SEEDS["mixture_check"])
    check = mix.to_frame().assign(planted=[planted[s] for s in cands],
                                  share_in_sample=np.bincount(sim.truth, minlength=4) / 300)
    analysis.tables["mixture_recovery"] = check
    analysis.add(
        "Which strategies did each side play?",
        "Likelihood of each side's turns under each candidate strategy, with β the "
        "probability of making the move the strategy prescribes (otherwise another level at "
        "random; Dal Bó & Fréchette 2011), fitted by maximum likelihood with 95 % "
        "profile-likelihood intervals; Akaike weights compare the candidates. With about a "
        "dozen turns per side the intervals are wide: read the ranking, not the decimals. "
        "Exact ties are reported as ties; candidates within ΔAIC 2 of the best are not "
        "distinguishable from it (Burnham & Anderson 2002). "
        + " ".join(f.verdict() for f in fits.values()) + "\n\n"
        "Check of the estimator: 300 simulated sequences of 12 turns from a planted mixture "
        "(noise 0.1), frequencies recovered by the strategy frequency estimation method "
        f"(EM, bootstrap standard errors); estimated β = {mix.beta:.3f} (planted 0.9).",
        body + frame_html(check, "Check of the estimator, not an estimate: frequencies "
                                 "planted in 300 simulated sequences against those the "
                                 "estimator recovers (with bootstrap standard errors)",
                          columns={"se": "standard error",
                                   "share_in_sample": "share in the simulated sample"}))
    err = float(np.abs(check.frequency - check.planted).max())
    return ["Best-fitting strategy: " + " ".join(f.verdict() for f in fits.values()),
            f"Mixture estimator check: largest error against the planted frequencies "
            f"{err:.3f} (300 simulated sequences)"]


def _robustness_section(analysis, cal, *, progress: bool, posterior=None) -> list[str]:
    """``posterior``: a future of :func:`_posterior` (its draws give each coding its
    verdict as a probability), or None."""
    from .._format import table_html
    from ..analysis import coding_robustness
    from ..errors import GameError

    post = None
    if posterior is not None:
        try:
            post = posterior.result()
        except GameError:       # said in the verdict section
            post = None

    wrap = None
    if progress:
        from tqdm.auto import tqdm

        def wrap(it):
            return tqdm(it, desc="codings", leave=False)
    reps, turns = 30, 20
    res = coding_robustness(cal, repetitions=reps, turns=turns, seed=SEEDS["robustness"],
                            progress=wrap, posterior=post)
    analysis.tables["coding_robustness"] = res.table
    t = res.table
    cols = ["option", "value", "turns", *res.conclusions,
            *[c for c in t.columns if c.startswith("P(")]]
    analysis.add(
        "Robustness over coding choices",
        "Each named coding option of the parameters file changed one at a time from the "
        "model's coding (first row); the record is recoded, the model recalibrated and "
        "every conclusion recomputed: the stage equilibria, each side's best-fitting "
        "strategy, the count of opponents against which 'zero all' is significantly "
        f"better or worse than tit for tat (at the model's noise and δ, {reps} paired "
        f"matches of {turns} turns per case, so a flip by one can be simulation noise), "
        "and what the side to move intends at the state date in the dynamic game. "
        + ("With the posterior draws of the weights (those of the verdict section, fitted "
           "at the model's coding and not refitted per coding), each coding also gets the "
           "verdict as a probability: P(zero all beats tit for tat) for each side in the "
           "dynamic game, opponents weighted equally, with its 95 % interval, and its "
           "reading as a conclusion. " if post is not None else "")
        + res.summary(),
        table_html(cols, [[("" if v is None else str(v)) for v in row]
                          for row in t[cols].values.tolist()],
                   caption="Conclusions under each coding"))
    return ["Robustness: " + res.summary()]


def _reciprocity_section(analysis, cal) -> list[str]:
    from .._format import table_html
    from ..errors import SequenceTooShortError
    from ..events import estimate_reciprocity

    p = cal.params
    try:
        res = estimate_reciprocity(cal.events, cal.players, freq="M", start=p.start_date,
                                   end=p.state_date)
    except SequenceTooShortError as exc:
        analysis.add("Reciprocity in the record", f"Not estimated: {exc}")
        return []
    analysis.tables["reciprocity_var"] = res.responses
    analysis.tables["reciprocity_patchen_bogumil"] = res.patchen_bogumil
    pb = res.patchen_bogumil
    analysis.add(
        "Reciprocity in the record",
        "Each side's moves toward the other summed per month with their Goldstein "
        f"weights (zero in a month without moves), from {p.start_date} to {p.state_date}. "
        "A VAR (Goldstein & Pevehouse 1997) asks whether one side's series helps predict "
        "the other's (Granger test) and with which sign: positive is reciprocity, "
        "negative the inverse response ('bullying'). Patchen & Bogumil's (1995) models "
        "regress a side's action on the other's previous action (simple), its change on "
        "the other's previous change (trend), and its change on the previous gap between "
        "the two (comparative); with months of silence between moves the comparative "
        "slope also picks up each side's own return to zero, so read it beside the "
        "simple one. " + res.summary(),
        table_html(["side", "answers", "summed coefficient", "Granger F", "Granger p",
                    "reading"],
                   [[r.side, r.other, f"{r.response:+.3f}", f"{r.granger_F:.2f}",
                     f"{r.granger_p:.3f}", r.kind] for r in res.responses.itertuples()],
                   caption="VAR(1) on the monthly series")
        + table_html(["model", "side", "slope b", "std. error", "p", "periods"],
                     [[r.model, r.side, f"{r.b:+.3f}", f"{r.se:.3f}", f"{r.p:.3f}", r.n]
                      for r in pb.itertuples()],
                     caption="Patchen & Bogumil's reciprocity models, least squares"))
    return ["Reciprocity (monthly VAR): " + res.summary()]


def _holdout_section(analysis, cal, staffing=None, fit=None) -> list[str]:
    from .._format import table_html
    from ..analysis import out_of_sample

    if cal.params.holdout_from is None:
        return []
    res = out_of_sample(cal, structural=True, staffing=staffing, fit=fit)
    analysis.tables["holdout_scores"] = res.scores
    analysis.tables["holdout_predictions"] = res.predictions
    p = res.predictions
    model = p[p.forecaster == "fitted strategies"]
    rows = [[r.turn, str(r.start)[:10], r.side, r.happened + (" (idle)" if r.idle else ""),
             r.most_likely, f"{r.probability:.2f}"] for r in model.itertuples()]
    analysis.add(
        "Out of sample: the moves after the calibration",
        f"Every move from {cal.params.holdout_from} on was kept out of the calibration and "
        "the fits. Each of those turns is predicted from the turns before it by the "
        "strategies fitted above (mixed by their Akaike weights, each with its β; and the "
        "best one alone), by the structural model (the dispute game's logit Markov QRE at "
        "the parity weights and λ fitted by maximum likelihood to the calibration period, "
        + ("each turn predicted from the mission sizes recorded before it, restrictions "
           "and seized property following the levels before it" if staffing is not None
           else "each turn predicted from the state the turns before it lead to")
        + ") and by four naive "
        "baselines fitted on the same period: uniform, "
        "repeat own last level, mirror the other side's last level, and the side's level "
        "frequencies. Log score: mean log probability of the level that happened (higher "
        "is better); accuracy: share of turns whose level was the forecast's most likely "
        "one (a tie for most likely counts as a fraction). " + res.summary(),
        table_html(["forecaster", "kind", "log score", "accuracy", "turns"],
                   [[r.forecaster, r.kind, f"{r.log_score:.3f}", f"{r.accuracy:.3f}", r.n]
                    for r in res.scores.itertuples()], caption="Scores on the holdout turns")
        + table_html(["turn", "date", "side", "happened", "fitted strategies: most likely",
                      "P(happened)"], rows, caption="The fitted strategies, turn by turn"))
    lines = ["Out of sample: " + res.summary()]
    lines += _cross_dispute_part(analysis, cal)
    return lines


def _cross_dispute_part(analysis, cal) -> list[str]:
    """Fit on the other shipped disputes, predict this one (and each in turn)."""
    import warnings

    from .._format import table_html
    from ..analysis import calibrate, cross_dispute
    from ..errors import GameError
    from ..models import MODELS, load_model

    cals, skipped = {}, []
    for folder in dict.fromkeys(MODELS.values()):
        name = next(k for k, v in MODELS.items() if v == folder)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m = load_model(name)
                c = calibrate(m.events, m.path / "parameters.yaml")
        except GameError as exc:
            skipped.append(f"{name} ({type(exc).__name__})")
            continue
        if tuple(c.levels) == tuple(cal.levels):
            cals[name] = c
    if len(cals) < 2:
        return []
    table = cross_dispute(cals)
    analysis.tables["cross_dispute"] = table
    wide = table.pivot(index="held_out", columns="forecaster", values="log_score")
    n = table.groupby("held_out").n.first()
    cols = ["fitted strategies", "uniform", "repeat own last", "mirror other's last",
            "empirical frequencies"]
    worse = [h for h in wide.index
             if (wide.loc[h, cols[1:]] > wide.loc[h, "fitted strategies"]).any()]
    text = (f"Across the {len(cals)} shipped disputes: fitted on all but one, scored on the "
            f"turns of the one left out. The fitted strategies do worse than at least one "
            f"baseline for {len(worse)} of {len(cals)} held-out disputes"
            + (f" ({', '.join(worse)})" if worse else "") + ".")
    if skipped:
        text += " Not calibrated: " + ", ".join(skipped) + "."
    analysis.add(
        "Out of sample across disputes", text,
        table_html(["held out", "turns", *cols],
                   [[h, int(n[h]), *[f"{wide.loc[h, c]:.3f}" for c in cols]]
                    for h in wide.index],
                   caption="Mean log score of each forecaster (higher is better)"))
    return ["Across disputes: " + text]


def _scenario_section(analysis, cal, *, repetitions: int, turns: int, progress: bool
                      ) -> list[str]:
    from .._format import table_html
    from ..analysis import compare_strategies

    res = compare_strategies(cal, repetitions=repetitions, turns=turns, progress=progress,
                             seed=SEEDS["scenarios"])
    analysis.tables["scenario_outcomes"] = res.outcomes
    analysis.tables["scenario_comparison"] = res.comparison
    analysis.tables["scenario_trajectories"] = res.trajectories
    c = res.comparison
    d = cal.params.discount
    at = c[np.isclose(c.discount, d)]
    rows = [[r.side, r.opponent, f"{r.noise:g}", f"{r.difference:+.1f}",
             f"[{r.low:.1f}, {r.high:.1f}]", r.verdict,
             f"{r.p_normal_first:.2f} / {r.p_normal_second:.2f}"] for r in at.itertuples()]
    by_noise = c.groupby(["side", "noise", "discount"]).verdict.apply(
        lambda v: f"{(v == 'better').sum()} better, {(v == 'worse').sum()} worse")
    grid = by_noise.unstack("discount")
    figs = "".join(
        _fig(lambda ax, s=s: res.plot_comparison(ax=ax, side=s),
             f"{s}: payoff of zero all minus tit for tat, by opponent and noise")
        for s in cal.players)
    n_opp = int(res.comparison.opponent.nunique())
    n_rows = -(-n_opp // 3)
    figs += "".join(
        _fig(lambda axes, s=s: res.plot_trajectory_grid(axes, noise=cal.params.noise, side=s),
             f"{s} mission size when {s} plays each strategy (noise {cal.params.noise:g}), "
             "one panel per opponent, with 95 % simulation bands",
             size=(9.6, 2.5 * n_rows), grid=(n_rows, min(3, n_opp)))
        for s in cal.players)
    analysis.add(
        "Does 'zero all restrictions' do better than tit for tat?",
        f"From the state at {cal.params.state_date}, each side plays 'zero all "
        f"restrictions' (lift "
        f"everything at once, then reciprocate) or tit for tat (which continues the record: "
        f"its first move answers the other side's last turn) against each strategy of the "
        f"other side; {repetitions} matches of {turns} turns per case, move noise and "
        f"misperception equal to the noise level, common random numbers for the two "
        f"strategies. Payoffs are the model's state-dependent utilities averaged with "
        f"discount δ; 'normal' means both missions end at ≥ "
        f"{cal.params.normal_functioning:.0%} of baseline.\n\n{res.answer()}",
        figs
        + table_html(["side", "noise", *[f"δ = {x:g}" for x in grid.columns]],
                     [[s, f"{n:g}", *row] for (s, n), row in
                      zip(grid.index, grid.values.tolist(), strict=True)],
                     caption="Zero all against tit for tat: in how many of the six opponent "
                             "match-ups it is significantly better or worse")
        + table_html(["side", "opponent", "noise", "difference", "95 % interval", "verdict",
                      "P(normal): zero all / TFT"], rows,
                     caption=f"At the model's δ = {d:g}"))
    lines = ["Zero all vs tit for tat (count of 6 opponents where zero all is significantly "
             "better / worse):"]
    for (side, noise), row in grid.iterrows():
        lines.append(f"  {side} noise {noise:g}: " + "; ".join(
            f"δ {dd:g}: {v}" for dd, v in row.items()))
    return lines


def _dynamic_section(analysis, cal, dynamic=None) -> list[str]:
    """The dynamic game's section (``dynamic``: the analysis computed elsewhere, a
    :class:`_Background`; None: computed here)."""
    from .._format import table_html
    from ..analysis import dynamic_analysis

    res = dynamic.result() if dynamic is not None else dynamic_analysis(cal)
    dg = res.model
    d = cal.params.dynamic
    analysis.tables["dynamic_equilibria"] = res.summary
    analysis.tables["dynamic_paths"] = res.paths
    analysis.tables["dynamic_region"] = res.region
    offer = cal.levels[0]
    summ = res.summary
    offered = [c for c in summ.columns if c.endswith(f"plays {offer}")]
    never = all(float(summ[c].max()) < 1e-9 for c in offered)
    reg = res.region
    by_parity = reg.groupby("parity_weight").apply(
        lambda g: f"{int(g.restraint_in.gt(0).sum())} of {len(g)}", include_groups=False)
    rows = [[f"{r.equilibrium}", r.start, r.mover, r.intends,
             *[f"{getattr(r, f'value_{p}'):.1f}" for p in dg.players],
             *[f"{getattr(r, f'staff_{p}_after'):.0f}" for p in dg.players],
             f"{r.p_normal_after:.2f}"] for r in summ.itertuples()]
    region_rows = [[f"{r.parity_weight:g}", f"{r.discount_per_year:g}",
                    f"{r.discount_per_turn:.3f}", f"×{r.own_cost_scale:g}",
                    f"{r.restraint_in} of {r.equilibria_found}", r.starts_failed]
                   for r in reg.itertuples()]
    hurts = helps = 0
    for _, g in reg.groupby(["parity_weight", "own_cost_scale"]):
        r = g.sort_values("discount_per_year").restraint_in.gt(0).to_numpy()
        hurts += bool(np.any(r[:-1] & ~r[1:]))
        helps += bool(np.any(~r[:-1] & r[1:]))
    if hurts and not helps:
        patience = (f"In {hurts} parity × own-cost setting(s) restraint holds at a low δ and "
                    "fails at a higher one, never the reverse: the relative-gains term pays "
                    "every turn for each member missing from the other mission while own "
                    "costs are paid once, so patience favours escalation here - the "
                    "opposite of the repeated-game view, where a high enough δ sustains "
                    "restraint.")
    elif helps and not hurts:
        patience = (f"In {helps} parity × own-cost setting(s) restraint fails at a low δ and "
                    "holds at a higher one, never the reverse, as in the repeated-game view.")
    elif helps:
        patience = (f"A higher δ makes restraint self-enforcing in {helps} parity × own-cost "
                    f"setting(s) and breaks it in {hurts}: patience cuts both ways here.")
    else:
        patience = "Within this grid δ never changes whether restraint is self-enforcing."
    grids = [", ".join(f"{v:g}" for v in g) for g in dg.staff_grid]
    gain = max(e.max_gain for e in res.equilibria)
    intends = "; ".join(f"at {r.start}, {r.mover} intends {r.intends}"
                        for r in summ[summ.equilibrium == 0].itertuples())
    analysis.add(
        "The dispute as a stochastic game",
        "The stage game above is frozen at one date. Here what stands carries over from "
        f"turn to turn: the state is both mission sizes (grid {grids[0]} "
        f"for {dg.players[0]}, {grids[1]} for "
        f"{dg.players[1]}; moves between grid points are split between neighbours so "
        "expected sizes are exact), the standing restrictions on each side, whose "
        "compounds are held, and who moves next. The sides alternate as in the record; "
        f"δ = {d.discount_per_year:g} a year becomes {dg.discount_per_turn:.3f} a turn "
        "from the record's gaps between turns. Each round a side earns the stage utility "
        "of the state it is in and pays, once, an own cost for what it removes "
        f"({d.own_cost_per_staff} per staff member, {d.own_cost_per_restriction} per "
        f"restriction: assumptions, parameters.yaml `dynamic`); a move lands on a "
        f"neighbouring level with probability {dg.noise:g}; '{offer}' is "
        + ("a unilateral lifting of everything the mover imposed"
           if d.offer == "unilateral" else "an offer that resets everything only if "
           "answered in kind")
        + ". Markov-perfect equilibria are found by iterated best responses from "
        f"several starts (guarantee: some, not all), each verified state by state "
        f"(largest gain from a one-shot deviation {gain:.2g}).\n\n"
        f"At the model's parameters: {intends}. "
        + (f"No side ever plays '{offer}' in the equilibria found. " if never else "")
        + "Where restraint at the baseline is self-enforcing (the side to move intends no "
        "more than holding, from either side's turn), by parity weight, out of the δ × "
        "own-cost points: " + "; ".join(f"parity {k:g}: {v}" for k, v in by_parity.items())
        + f". {patience}",
        _fig(lambda ax: res.plot_paths(ax=ax),
             "Expected mission sizes along the equilibrium path", size=(9, 4.5))
        + table_html(["eq.", "start", "mover", "intends",
                      *[f"value {p}" for p in dg.players],
                      *[f"{p} staff after {res.turns} turns" for p in dg.players],
                      "P(normal)"], rows, caption="Markov-perfect equilibria found")
        + table_html(["parity weight", "δ / year", "δ / turn", "own costs",
                      "restraint in", "starts failed"], region_rows,
                     caption="Where mutual restraint at the baseline is self-enforcing"))
    return [f"Dynamic game ({len(dg.game.states)} states): {intends}",
            "  restraint at baseline self-enforcing, by parity weight: "
            + "; ".join(f"{k:g}: {v}" for k, v in by_parity.items())]


def _usable_staffing(model, cal):
    """The model's staffing series when it reports both missions' sizes (the estimator
    then conditions on them), else None."""
    st = getattr(model, "staffing", None)
    if st is None or st.empty or not {"date", "mission_of", "kind", "series",
                                       "count"} <= set(st.columns):
        return None
    mission = st[(st.series == "mission") & st.kind.isin(["count", "cap"])]
    return st if set(cal.players) <= set(mission.mission_of) else None


def _fit_weights(cal, staffing=None):
    """The structural fit of the estimation section, or the GameError that stopped it
    (a record the estimator cannot take: said in the report, not hidden)."""
    from ..analysis import fit_weights
    from ..errors import GameError

    try:
        return fit_weights(cal, free=("parity_weight",), workers=2, staffing=staffing)
    except GameError as exc:
        return exc


def _estimation_section(analysis, cal, staffing=None, fit=None) -> tuple[list[str], object]:
    """The estimation section's lines and the fit (None when it could not be made);
    ``fit``: the result of :func:`_fit_weights` when computed beforehand."""
    fit = _fit_weights(cal, staffing) if fit is None else fit
    if isinstance(fit, Exception):
        exc = fit
        analysis.add("Estimated weights", f"The structural estimator could not be applied: "
                     f"{exc}")
        return [f"Estimated weights: not estimated ({exc})"], None
    frame = fit.to_frame().reset_index()
    analysis.tables["weight_fit"] = frame
    fixed = ", ".join(f"{k} {', '.join(f'{p} {v:g}' for p, v in by.items())}"
                      for k, by in fit.fixed.items())
    analysis.add(
        "Estimated weights: what the record says about the parity weight",
        "The parity weight (how much a side minds the other mission being relatively larger "
        "than its own) drives whether escalation pays. Here it is *estimated*: each recorded "
        "turn is a choice of the side to move in the dispute as a stochastic game, whose "
        "probability is that of the logit Markov quantal response equilibrium (the branch "
        "that starts at uniform play), and the parity weight of each side and the logit "
        "precision λ are fitted by maximum likelihood. "
        + ("Each choice is conditioned on the mission sizes the record reports before it "
           "(the staffing series: the last reported size less the expulsions and rotations "
           "that took effect since), restrictions and seized property following the "
           "model's effects of the recorded levels. " if staffing is not None else
           "The states are followed through the record by the model's own effects of "
           "each recorded level (this model has no staffing series to anchor them). ")
        + "Intervals: 95 % profile likelihood. The other weights are held at the "
        "parameters file's values "
        f"({fixed}); they fix the scale. Log-likelihood {fit.loglik:.2f} against "
        f"{fit.loglik_uniform:.2f} for uniform play, {fit.n_turns} turns.\n\n"
        "What the fit says about itself: " + " ".join(fit.diagnostics),
        fit._repr_html_())
    cells = []
    for j, n in enumerate(fit.names):
        lo = "open" if fit.low_open[j] else f"{fit.low[j]:.3g}"
        hi = "open" if fit.high_open[j] else f"{fit.high[j]:.3g}"
        cells.append(f"{n} {fit.estimate[j]:.3g} [{lo}, {hi}]")
    return ["Estimated weights (95 % profile likelihood): " + "; ".join(cells)], fit


def _dynamic_compare_section(analysis, cal, *, repetitions: int, turns: int,
                             result=None) -> list[str]:
    """``result``: :func:`_dynamic_compare_result` computed elsewhere (a
    :class:`_Background`), or None to compute it here."""
    from .._format import table_html

    res = (result.result() if result is not None
           else _dynamic_compare_result(cal, repetitions, turns))
    analysis.tables["dynamic_comparison"] = res.comparison
    analysis.tables["dynamic_outcomes"] = res.outcomes
    c = res.comparison
    grid = c.groupby(["side", "noise", "discount"]).verdict.apply(
        lambda v: f"{(v == 'better').sum()} better, {(v == 'worse').sum()} worse").unstack(
        "discount")
    static = analysis.tables.get("scenario_comparison")
    agree = ""
    if static is not None:
        a = static[np.isclose(static.discount, cal.params.discount)].set_index(
            ["side", "opponent", "noise"]).verdict
        b = c[np.isclose(c.discount, cal.params.dynamic.discount_per_year)].set_index(
            ["side", "opponent", "noise"]).verdict
        both = a.index.intersection(b.index)
        same = int((a.loc[both] == b.loc[both]).sum())
        agree = (f" The verdicts agree with the fixed-stage-game scenarios (at their δ = "
                 f"{cal.params.discount:g} per turn) in {same} of {len(both)} side × opponent "
                 "× noise cases.")
    analysis.add(
        "'Zero all' against tit for tat in the dynamic game",
        "The strategy comparison above re-run in the stochastic game: sides alternate from "
        f"the state at {cal.params.state_date}, moves tremble to neighbouring levels and "
        "are perceived through "
        "the same kernel, the state moves by the dispute game's transitions (own costs, "
        "compounds, the grid), and payoffs are discounted per turn by the factor each δ "
        f"per year gives; {repetitions} matches of {turns} turns per case, paired. The "
        "extra opponent 'Markov perfect' plays the equilibrium of the section above. "
        + res.answer() + agree,
        "".join(_fig(lambda ax, s=s: res.plot_comparison(ax=ax, side=s),
                     f"{s}: zero all minus tit for tat in the dynamic game")
                for s in cal.players)
        + table_html(["side", "noise", *[f"δ = {x:g} / year" for x in grid.columns]],
                     [[s, f"{n:g}", *row] for (s, n), row in
                      zip(grid.index, grid.values.tolist(), strict=True)],
                     caption="Zero all against tit for tat: in how many of the seven "
                             "opponent match-ups it is significantly better or worse"))
    return ["Dynamic game, zero all vs tit for tat: " + res.answer()]


def _posterior(cal, draws: int, timings: dict[str, float], staffing=None):
    """The posterior over the weights, computed here (when no helper process has it:
    :func:`_verdict_section` without ``posterior``); its draws solved in two worker
    processes."""
    from ..analysis import weight_posterior

    t0 = time.perf_counter()
    try:
        return weight_posterior(cal, n_draws=draws, seed=SEEDS["posterior"], workers=2,
                                staffing=staffing)
    finally:
        timings["posterior"] = time.perf_counter() - t0


def _helper_posterior(cal, draws: int, staffing=None):
    """The posterior as the helper process computes it (its draws in that process)."""
    from ..analysis import weight_posterior

    return weight_posterior(cal, n_draws=draws, seed=SEEDS["posterior"], workers=1,
                            staffing=staffing)


def _timed(fn, *args):
    """``fn(*args)`` and its seconds (run in the helper process)."""
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0


def _noise(cal) -> float:
    noise = cal.params.dynamic.noise
    return cal.params.noise if noise is None else noise


def _dynamic_compare_result(cal, repetitions: int, turns: int):
    from ..analysis import dynamic_compare

    return dynamic_compare(cal, repetitions=repetitions, turns=turns,
                           noise_levels=sorted({0.0, _noise(cal)}),
                           seed=SEEDS["dynamic_scenarios"])


def _verdict_result(cal, post, repetitions: int, turns: int):
    from ..analysis import verdict_probabilities

    d = cal.params.dynamic.discount_per_year
    return verdict_probabilities(cal, post, noise_levels=sorted({0.0, _noise(cal)}),
                                 discounts=sorted({0.5, d, 0.95}), turns=turns,
                                 repetitions=repetitions, seed=SEEDS["verdicts"])


class _Background:
    """A result the helper process computes while this process works
    (``fn(*args)``); its seconds go to ``timings[name]`` when it is first taken."""

    def __init__(self, helper, timings: dict[str, float], name: str, fn, *args):
        self._future = helper.submit(_timed, fn, *args)
        self._timings, self._name = timings, name
        self._value = None
        self._taken = False

    def result(self):
        if not self._taken:
            self._value, seconds = self._future.result()
            self._timings[self._name] = seconds
            self._taken = True
        return self._value


def _verdict_section(analysis, cal, *, repetitions: int, turns: int,
                     draws: int = POSTERIOR_DRAWS, posterior=None, result=None) -> list[str]:
    """The dynamic game's verdict over the posterior of the weights (``posterior``: a
    :class:`_Background` posterior, or None to compute it here; ``result``: the verdict
    computed elsewhere, or None)."""
    from .._format import table_html
    from ..errors import GameError

    try:
        post = (posterior.result() if posterior is not None
                else _posterior(cal, draws, analysis.timings))
    except GameError as exc:
        analysis.add("The verdict as a probability", f"No posterior could be computed: {exc}")
        return [f"Verdict probabilities: not computed ({exc})"]
    noise = _noise(cal)
    d = cal.params.dynamic.discount_per_year
    res = (result.result() if result is not None
           else _verdict_result(cal, post, repetitions, turns))
    analysis.tables["weight_posterior"] = post.to_frame()
    analysis.tables["verdict_probabilities"] = res.verdicts
    analysis.tables["verdict_by_opponent"] = res.by_opponent
    analysis.tables["opponent_weights"] = res.opponent_weights
    v = res.verdicts
    rows = [[r.side, f"{r.noise:g}", f"{r.discount_per_year:g}", r.weighting,
             f"{r.probability:.2f} [{r.low:.2f}, {r.high:.2f}]", r.reading]
            for r in v.itertuples()]
    fit_w = res.opponent_weights[res.opponent_weights.weighting == "by fit to the record"]
    wrows = [[r.side, r.opponent, f"{r.weight:.2f}"] for r in fit_w.itertuples()]
    priors = "; ".join(f"{k}: {p.describe()}" + (f" ({p.source})" if p.source else "")
                       for k, p in post.priors.items())
    analysis.add(
        "The verdict as a probability: 'zero all' against tit for tat over what the record "
        "says about the weights",
        "The comparisons above use the parameters file's weights. Here the verdict is "
        "averaged over the *posterior* of the logit precision λ and both sides' parity "
        f"weights. The priors are the parameters file's ({priors}); "
        f"{post.details['stages'][0]} draws come from them and {post.details['stages'][1]} "
        "from a proposal fitted to what those first draws say (a t distribution mixed with "
        "the priors), and each draw is weighted by prior × likelihood of the record in "
        "the dynamic game over the proposal's density (adaptive importance sampling; "
        f"effective sample size {post.ess:.0f} of {len(post.draws)}). Every draw prices "
        "the same simulated matches of the dynamic game "
        f"({repetitions} per case, {turns} turns), so the probability that 'zero all' "
        "beats tit for tat is the posterior weight of the draws under which its expected "
        "payoff is higher; its interval (95 %) covers both the simulation and the finite "
        "number of draws. The opponents are weighted equally, and by how well each explains "
        "the other side's record (Akaike weights of the strategy fits, renormalised over "
        "the six opponents). The opponent 'Markov perfect' is left out: its play changes "
        "with the weights. " + post.summary() + " " + res.answer(noise=noise, discount=d),
        table_html(["side", "noise", "δ per year", "opponents weighted", "P(zero all beats "
                    "tit for tat) [95 %]", "reading"], rows,
                   caption="The probability, over the posterior of the weights and the "
                           "simulated matches, that offering to zero all restrictions gives "
                           "a side a higher expected payoff than tit for tat")
        + frame_html(post.to_frame(), "Prior and posterior of each estimated quantity "
                                      "(weighted quantiles of the importance sample)")
        + table_html(["side", "opponent", "weight"], wrows,
                     caption="Weight of each opponent by fit: its Akaike weight in the "
                             "other side's strategy fit, renormalised over these six"))
    return ["Verdict over the posterior: " + res.answer(noise=noise, discount=d)]


def _deals_section(analysis, cal, posterior=None) -> list[str]:
    """Where the two proposals of late 2021 lie in the deal space (appendix)."""
    from .._format import table_html
    from ..analysis import dispute_deals
    from ..errors import GameError

    deals = dispute_deals(cal)
    pos = deals.positions()
    sol = deals.solutions()
    a, b = cal.players
    analysis.tables["package_positions"] = pos
    analysis.tables["bargaining_solutions"] = sol.table
    rows = [[r["package"], r["deal"], f"{r[a]:.0f}", f"{r[b]:.0f}",
             "yes" if r["both gain"] else "no",
             "yes" if r["pareto optimal"] else f"no ({r['dominated by']} deals dominate it)",
             f"{r['to the frontier']:.0f}", f"{r['to Nash']:.0f}"]
            for _, r in pos.iterrows()]
    srows = [[r["solution"], r["deal"], f"{r[a]:.0f}", f"{r[b]:.0f}"]
             for _, r in sol.table.iterrows()]
    post_html, post_line = "", ""
    post = None
    if posterior is not None:
        try:
            post = posterior.result()
        except GameError:
            post = None
    if post is not None:
        pp = deals.over_posterior(post)
        analysis.tables["package_probabilities"] = pp

        def cell(r, label):
            return (f"{r[f'P({label})']:.2f} [{r[label + ': 95% low']:.2f}, "
                    f"{r[label + ': 95% high']:.2f}]")
        prow = [[r["package"], cell(r, "pareto optimal"),
                 cell(r, "both gain over the standoff"), cell(r, "nearest the Nash solution")]
                for _, r in pp.iterrows()]
        post_html = table_html(["package", "P(Pareto optimal)", "P(both gain)",
                                "P(nearest the Nash solution)"], prow,
                               caption="Over the posterior of the weights (the draws of the "
                                       "verdict section; Wilson 95 % intervals at "
                                       f"{pp['effective draws'].iloc[0]:.0f} effective draws)")
        z = pp.iloc[0]
        post_line = (f" Over the posterior of the weights, P('{z.package}' leaves both sides "
                     f"better off than the standoff) = {z['P(both gain over the standoff)']:.2f}"
                     f" [{z['both gain over the standoff: 95% low']:.2f}, "
                     f"{z['both gain over the standoff: 95% high']:.2f}].")
    zero, parity = pos.iloc[0], pos.iloc[1]
    text = (
        f"The deal space: every package of the two mission sizes ({a} from "
        f"{deals.standoff[0][0]:g} to {deals.baseline[0]:g}, {b} from "
        f"{deals.standoff[0][1]:g} to {deals.baseline[1]:g}), the restrictions in force "
        "against each side and whether each side's seized property is returned "
        f"({deals.problem.n_deals} deals), each valued by the per-turn utility of the "
        "dynamic game with nobody moving, under the parameters file's weights; the "
        f"standoff at {cal.params.state_date} is the disagreement point and a package "
        "cannot be half signed (no lotteries). The packages are codings of the two "
        "proposals of the US-Russia dispute, a judgement: 'zero all' (Lavrov, December "
        "2021) is every restriction lifted, both missions back to their baselines and the "
        "seized property returned; parity (Price, October 2021: 'parity on staffing "
        "numbers and visa reciprocity') is equal mission sizes and the restrictions "
        "lifted, the seized property not included - at the smaller baseline, or at the "
        f"second side's ({b}'s) size at the state date. Reading: with the file's weights, "
        f"'{zero.package}' is "
        f"{'Pareto optimal' if zero['pareto optimal'] else 'dominated'} and "
        f"{_who_gains(zero, a, b)}; "
        f"'{parity.package}' is "
        f"{'Pareto optimal' if parity['pareto optimal'] else 'dominated'} and "
        f"{_who_gains(parity, a, b)}."
        + post_line + (" Seized property carries no value in the file's weights "
                       "(property_value 0), so whether a package returns the compounds "
                       "changes nothing here: such deals tie, and ties are kept."
                       if not any(cal.params.dynamic.per_side("property_value",
                                                               cal.players)) else ""))
    analysis.add(
        "Zero all against parity as bargaining positions", text,
        _fig(lambda ax: deals.plot(ax=ax), "The deals, the frontier, the standoff, the "
             "packages and the bargaining solutions in utility per turn", size=(9, 5))
        + table_html(["package", "deal", f"{a} per turn", f"{b} per turn", "both gain",
                    "Pareto optimal", "to the frontier", "to Nash"], rows,
                   caption="The packages against the standoff (utility per turn; distances "
                           "in the same units)")
        + table_html(["solution", "deal", a, b], srows,
                     caption="The bargaining solutions over the deals")
        + post_html)
    return [f"Bargaining positions: {text.split('Reading: ')[1].split(' Seized')[0]}"]


#: The resolute and conciliatory types' own costs of escalating (multiples of the shipped
#: ones) at which the one-stage private-resolve game is solved: an assumed gap, shown at
#: the shipped assumption and at one wide enough for the types to separate on the
#: US-Russia record (each pair costs two solves of the dynamic game).
RESOLVE_STAGE_SCALES = ((0.5, 2.0), (0.1, 10.0))
#: Trembles (a move is any level at random) at which the belief along the record in
#: equilibrium is shown: none (some moves are off the path) and a small one.
RESOLVE_PATH_TREMBLES = (0.0, 0.02)


def _resolve_section(analysis, cal) -> list[str]:
    """What the record says about each side's resolve (appendix)."""
    import pandas as pd

    from .._format import table_html
    from ..analysis import resolve_path, resolve_posterior, resolve_stage_equilibria

    res = resolve_posterior(cal)
    analysis.tables["resolve_path"] = res.path
    analysis.tables["resolve_reveal"] = res.reveal
    mid = sorted(res.betas)[len(res.betas) // 2]
    rev = res.reveal[np.isclose(res.reveal.beta, mid)]
    rows = [[r["side"], r["next level"], f"{r['likelihood ratio']:.3g}",
             f"{r['P(resolute) after it']:.2f}"] for _, r in rev.iterrows()]
    types = "; ".join(f"{t}: {', '.join(v)}" for t, v in res.types.items())
    analysis.add(
        "Private resolve: what the moves reveal",
        "Each side is read as one of two types the other cannot see - resolute or "
        f"conciliatory - each a set of strategies ({types}; equally likely within a type), "
        f"followed with probability β (otherwise a random other level). From a prior of "
        f"{res.prior:g}, Bayes' rule after each turn gives the belief that the side is "
        "resolute; β is shown as a coding choice (the band). This is inference about "
        "resolve from behaviour with the types' strategies given, not an equilibrium of "
        "a game with private types. " + res.answer(),
        _fig(lambda ax: res.plot(ax=ax), "The belief that each side is resolute after each "
             "of its turns, with the band over β", size=(8, 3.5))
        + table_html(["side", "next move", "likelihood ratio (resolute : conciliatory)",
                      "P(resolute) after it"], rows,
                     caption=f"What each possible next move would reveal after the record "
                             f"(β {mid:g}): a ratio above 1 makes the side look more "
                             "resolute"))
    stage = resolve_stage_equilibria(cal, scales=RESOLVE_STAGE_SCALES)
    analysis.tables["resolve_stage"] = stage.table
    cols = ["types' own costs", "state", "prior", "resolute plays", "conciliatory plays"]
    rows = [[r["costs"], r["state"], f"{r['prior']:g}", r["resolute plays"],
             r["conciliatory plays"],
             ", ".join(f"{c.removeprefix('P(resolute | ').removesuffix(')')} "
                       f"{r[c]:.2f}" for c in stage.table.columns
                       if c.startswith("P(resolute |") and r[c] == r[c]),
             "yes" if r["intuitive"] else "no"]
            for _, r in stage.table.iterrows()]
    analysis.add(
        "Private resolve in equilibrium: one stage",
        f"{stage.side}'s own cost of escalating is private: resolute or conciliatory, "
        "the shipped costs times the factors in the first column - an assumed gap, shown "
        f"at {len(stage.scales)} sizes because the answer can turn on it. Where "
        f"{stage.side} is to move it picks a level; the other side, seeing the level but "
        "not the type, answers; each side gets its payoffs of the two turns and the value "
        "of where they lead in the dynamic game's Markov-perfect equilibrium for that "
        "type - the assumption that keeps this one stage is that the type is known "
        "afterwards. Every pure perfect Bayesian equilibrium at the record's last state "
        "and at the baseline, for three priors and each gap. " + stage.answer(),
        table_html([*cols, "P(resolute | level played)", "intuitive"], rows,
                   caption="Pure perfect Bayesian equilibria of the one-stage game"))
    cache: dict = {}                    # each type's dynamic game solved once
    paths = {(pair, tr): resolve_path(cal, side=stage.side, scales=pair, tremble=tr,
                                       stage_cache=cache)
             for pair in RESOLVE_STAGE_SCALES for tr in RESOLVE_PATH_TREMBLES}
    analysis.tables["resolve_equilibrium_path"] = pd.concat(
        [r.table.assign(costs=f"x{k[0][0]:g} / x{k[0][1]:g}", tremble=k[1])
         for k, r in paths.items()], ignore_index=True)
    prows = [[f"x{pair[0]:g} / x{pair[1]:g}", f"{tr:g}",
              f"{int((r.table.on_path == 0).sum())} of {len(r.table)}",
              " - ".join(f"{v:.2g}" for v in sorted(set(r.final)))]
             for (pair, tr), r in paths.items()]

    def plot(ax):
        from .._format import PALETTE

        shown = [(k, r) for k, r in paths.items() if k[1] > 0]
        for colour, ((pair, tr), r) in zip(PALETTE, shown, strict=False):
            ax.step(r.table["date"], r.table["after_low"], where="post", color=colour,
                    label=f"costs x{pair[0]:g} / x{pair[1]:g}, tremble {tr:g}")
        ax.set_ylim(-0.02, 1.02)
        ax.set_ylabel(f"P({stage.side} resolute)")
        ax.legend(loc="best", fontsize="small")
        return ax

    analysis.add(
        "Private resolve in equilibrium: along the record",
        f"The same stage at each of {stage.side}'s turns of the record, at the state the "
        "record has reached (the modal state of the record followed through the dynamic "
        "game from the baseline), with the belief carried from the turn before as the "
        "prior (0.5 at the start). Each type's level in the stage's perfect Bayesian "
        "equilibria is read through the dynamic game's slip kernel, and with a tremble "
        "(any level at random, an assumption of the observer's model shown at "
        f"{' and '.join(f'{t:g}' for t in RESOLVE_PATH_TREMBLES)}); a level neither type "
        "could produce is off the path, where perfect Bayesian equilibrium leaves the "
        "belief free (the intuitive criterion restricts nothing: every such level is "
        "equilibrium-dominated for both types), so the lowest and the highest belief are "
        "carried as two paths. Read: at the shipped cost gap both types escalate, so "
        f"{stage.side}'s holds and concessions are either off the path (no tremble: the "
        "belief is anything from 0 to 1) or equally likely slips of either type (the "
        "belief stays at the prior); only with costs a hundredfold apart do its holds mark "
        "it as conciliatory. " + " ".join(r.answer() for r in paths.values()),
        _fig(plot, "The belief along the record in equilibrium (with a tremble)",
             size=(8, 3))
        + table_html(["types' own costs", "tremble", "turns off the path",
                      "belief after the record (lowest - highest)"], prows,
                     caption=f"The belief that {stage.side} is resolute along the record, "
                             "in equilibrium"))
    return ["Private resolve: " + res.answer(), stage.answer()]


def _who_gains(row, a: str, b: str) -> str:
    """'leaves both sides better off than the standoff' or who it leaves worse off."""
    worse = [p for p in (a, b) if row[f"gain {p}"] < 0]
    if not worse:
        return "leaves both sides at least as well off as the standoff"
    return f"leaves {' and '.join(worse)} worse off than the standoff"


def _summary_section(analysis, cal) -> list[str]:
    """The answer first: a section placed at the top of the report, built from the
    tables the other sections computed."""
    from ..analysis import HoldoutScore, RobustnessResult

    t = analysis.tables
    p = cal.params
    parts = ["Question: does offering to 'zero all restrictions' (lift everything at once, "
             "then reciprocate) do better for a side than tit for tat?"]

    def counts(frame, discount):
        c = frame[np.isclose(frame.noise, p.noise) & np.isclose(frame.discount, discount)]
        out = []
        for side, grp in c.groupby("side", sort=False):
            out.append(f"{side}: better against {(grp.verdict == 'better').sum()}, worse "
                       f"against {(grp.verdict == 'worse').sum()} of {len(grp)} opponents")
        return "; ".join(out)

    if "scenario_comparison" in t:
        parts.append(f"In the stage game fixed at {p.state_date} (noise {p.noise:g}, "
                     f"δ {p.discount:g} per turn): " + counts(t["scenario_comparison"],
                                                             p.discount) + ".")
    if "dynamic_comparison" in t:
        d = t["dynamic_comparison"]
        dnoise = p.dynamic.noise if p.dynamic.noise is not None else p.noise
        c = d[np.isclose(d.noise, dnoise) & np.isclose(d.discount, p.dynamic.discount_per_year)]
        parts.append(f"In the stochastic game where restrictions stand until lifted (δ "
                     f"{p.dynamic.discount_per_year:g} per year): " + "; ".join(
                         f"{side}: better against {(g.verdict == 'better').sum()}, worse "
                         f"against {(g.verdict == 'worse').sum()} of {len(g)} opponents"
                         for side, g in c.groupby("side", sort=False)) + ".")
    if "dynamic_equilibria" in t:
        e = t["dynamic_equilibria"]
        first = e.iloc[0]
        offers = [c for c in e.columns if c.endswith("plays " + cal.levels[0])]
        never = all(float(e[c].max()) < 1e-9 for c in offers)
        parts.append(f"In the Markov-perfect equilibrium found, {first.mover} intends "
                     f"{first.intends} at {p.state_date}"
                     + (f" and no side ever plays '{cal.levels[0]}'." if never else "."))
    if "verdict_probabilities" in t:
        v = t["verdict_probabilities"]
        dnoise = p.dynamic.noise if p.dynamic.noise is not None else p.noise
        v = v[np.isclose(v.noise, dnoise) & np.isclose(v.discount_per_year,
                                                       p.dynamic.discount_per_year)]
        by = t.get("verdict_by_opponent")
        split = ""
        if by is not None:
            b = by[np.isclose(by.noise, dnoise) & np.isclose(by.discount_per_year,
                                                            p.dynamic.discount_per_year)]
            split = (" Opponent by opponent, 'zero all' is more likely better against "
                     + "; ".join(f"{side}: {(g.probability > 0.5).sum()} of {len(g)}"
                                 for side, g in b.groupby("side", sort=False))
                     + " opponents, so an average can hide large wins against a few "
                     "(tit for tat, commensurate) and small losses against the rest.")
        parts.append("Over the posterior of the weights (the record's likelihood in the "
                     "dynamic game times the stated priors), the probability that 'zero "
                     "all' beats tit for tat on the payoff averaged over the opponents: "
                     + "; ".join(
                         f"{r.side} {r.probability:.2f} [{r.low:.2f}, {r.high:.2f}] with "
                         f"opponents weighted {'by fit' if r.weighting != 'equal' else 'equally'}"
                         f" ({r.reading})" for r in v.itertuples()) + "." + split)
    rests = ("The counts of better and worse opponents rest on the parameters file's "
             "weights; the probabilities just above average over what the record says "
             "about the parity weights and λ, the other weights and the noise level staying "
             "assumptions.")
    if "dynamic_region" in t:
        reg = t["dynamic_region"]
        held = sorted(set(reg.parity_weight[reg.restraint_in > 0]))
        assumed = ", ".join(f"{q} {p.utility[q].parity_weight:g}" for q in cal.players)
        if held and len(held) < reg.parity_weight.nunique():
            rests += (f" Above all on the weight of relative gains (parity; assumed: "
                      f"{assumed}): in the dynamic game mutual restraint at the baseline is "
                      f"self-enforcing only at weights up to {max(held):g} of those tried.")
        elif not held:
            rests += (" In the dynamic game mutual restraint at the baseline is not "
                      "self-enforcing at any parity weight tried.")
    if "weight_fit" in t:
        w = t["weight_fit"]
        pw = w[w.parameter.str.startswith("parity_weight")]

        def bound(v):
            return v if isinstance(v, str) else f"{v:.3g}"

        rests += (" The record's own estimate of the parity weight (maximum likelihood in the "
                  "dynamic game, 95 % profile intervals): " + "; ".join(
                      f"{r.parameter.split('[')[-1].rstrip(']')} {r.estimate:.3g} "
                      f"[{bound(r.low)}, {bound(r.high)}]" for r in pw.itertuples())
                  + ".")
    parts.append(rests)
    if "coding_robustness" in t:
        parts.append(RobustnessResult(t["coding_robustness"]).summary())
    if "holdout_scores" in t:
        parts.append("Out of sample: " + HoldoutScore(t["holdout_scores"],
                                                      t.get("holdout_predictions")).summary())
    text = "\n\n".join(parts)
    analysis.sections.insert(0, ("Summary: the answer first", text, ""))
    return []


def analyze(target: str | Path = "us-russia", *, parameters: str | Path | None = None,
            out: str | Path | None = None, repetitions: int = SCENARIO_REPETITIONS,
            turns: int = SCENARIO_TURNS, draws: int = POSTERIOR_DRAWS,
            progress: bool = False, overwrite: bool = False):
    """The whole analysis of a model from Python: ``gt.analyze(target)``.

    ``target`` is what ``gametheory analyze`` takes: a shipped model's name, a model
    folder, or an events file with ``parameters``. Returns the
    :class:`~gametheory.display.report.Analysis`: every section (``.sections``: title,
    text, HTML with the figures), every table (``.tables``, DataFrames), the printed
    summary (``.summary()``), provenance, and rich display in Jupyter; with ``out``
    the HTML report and the tables are also written there (``.report_path``: its
    ``index.html``).
    """
    from .report import analysis_report

    analysis = build_analysis(target, parameters=parameters, repetitions=repetitions,
                              turns=turns, draws=draws, progress=progress)
    if out is not None:
        analysis.report_path = analysis_report(analysis, out, overwrite=overwrite)
    return analysis


def run_analysis(model: str, out_dir: str | Path, *, progress: bool = True,
                 repetitions: int = SCENARIO_REPETITIONS, turns: int = SCENARIO_TURNS,
                 overwrite: bool = False, parameters: str | Path | None = None,
                 draws: int = POSTERIOR_DRAWS) -> tuple[str, Path]:
    """Run the whole analysis of a model and write the report; return the printed
    summary and the report's path (the command line's ``analyze``; see
    :func:`build_analysis` for the arguments)."""
    a = analyze(model, parameters=parameters, out=out_dir, repetitions=repetitions,
                turns=turns, draws=draws, progress=progress, overwrite=overwrite)
    return a.summary(), a.report_path


def build_analysis(model: str | Path, *, progress: bool = True,
                   repetitions: int = SCENARIO_REPETITIONS, turns: int = SCENARIO_TURNS,
                   parameters: str | Path | None = None, draws: int = POSTERIOR_DRAWS):
    """Compute the whole analysis of a model (nothing written).

    Parameters
    ----------
    model : str or path
        A shipped model's name (``"us-russia"``), a model folder (``events.csv`` and
        ``parameters.yaml``, optionally ``staffing.csv`` and ``README.md``), or an
        events file (then ``parameters`` is required).
    progress : bool
        Show a progress bar on standard error.
    repetitions, turns : int
        Size of the scenario simulations.
    parameters : path, optional
        The parameters file (an events file needs one; for a folder or a shipped model
        it replaces the model's own).
    draws : int
        Prior draws of the posterior over the weights.
    """
    from tqdm.auto import tqdm

    from ..analysis import calibrate
    from ..models import resolve_model
    from .report import Analysis

    m = resolve_model(model, parameters)
    steps = ["sequence", "calibration", "equilibria", "sensitivity", "dynamic", "estimation",
             "tournament", "inference", "robustness", "scenarios", "dynamic scenarios",
             "verdict probabilities", "report"]
    bar = tqdm(total=len(steps), desc="analyze", disable=not progress, leave=False)
    clock = [time.perf_counter(), "setup"]
    timings: dict[str, float] = {}

    def step(name):
        now = time.perf_counter()
        timings[clock[1]] = timings.get(clock[1], 0.0) + now - clock[0]
        clock[:] = [now, name]
        bar.set_postfix_str(name)

    cal = calibrate(m.events, m.parameters_path)    # fails early on an incomplete model
    a, b = cal.players
    analysis = Analysis(f"{m.title}: the sequence, its game and the question whether "
                        f"offering to zero all restrictions beats tit for tat for {a} and {b}")
    analysis.timings = timings
    # a helper process takes the dynamic game's analysis and then the posterior (the
    # longest computation) while this process works through the other stages: two
    # cores, two streams of work. Neither result depends on where it runs
    # (weight_posterior: same seed, same posterior; dynamic_analysis has no randomness)
    from .._parallel import blas_threads, process_pool

    helper = process_pool(1)
    # in the order this process needs them: the dynamic analysis after a few seconds,
    # the posterior from the robustness stage on, the dynamic scenarios after that (the
    # verdict over the posterior is sent when the posterior is back)
    from ..analysis import dynamic_analysis

    staffing = _usable_staffing(m, cal)
    background = {
        "dynamic": _Background(helper, timings, "dynamic (helper)", dynamic_analysis, cal),
        "posterior": _Background(helper, timings, "posterior (helper)", _helper_posterior,
                                 cal, draws, staffing),
        "dynamic scenarios": _Background(helper, timings, "dynamic scenarios (helper)",
                                         _dynamic_compare_result, cal,
                                         min(repetitions, 100), turns),
        "helper": helper,
    }
    try:
        # the helper fills the other core: this process's BLAS takes one thread
        with blas_threads(1):
            return _build(analysis, m, cal, bar, step, timings, background,
                          repetitions=repetitions, turns=turns, draws=draws,
                          progress=progress)
    finally:
        helper.shutdown(wait=False, cancel_futures=True)
        bar.close()


def _build(analysis, m, cal, bar, step, timings, background, *, repetitions: int,
           turns: int, draws: int, progress: bool):
    """The stages of :func:`build_analysis`, in order (``background``: the results the
    helper process computes, by name, and the helper itself)."""
    posterior = background["posterior"]

    step("sequence")
    lines = _sequence_sections(analysis, m)
    bar.update()
    step("calibration")
    from .provenance import collect_provenance

    analysis.provenance = collect_provenance(
        model=m.shipped or m.name, model_dir=m.path, seeds=dict(SEEDS),
        settings={"repetitions": repetitions, "turns": turns, "posterior_draws": draws},
        coding=cal.params.classification.model_dump(mode="json"),
        files=None if m.shipped else [
            p for p in (m.events_file or m.path / "events.csv", m.parameters_path,
                        m.path / "staffing.csv") if p.is_file()])
    lines += _calibration_sections(analysis, cal)
    lines += _reciprocity_section(analysis, cal)
    bar.update()
    step("equilibria")
    game = cal.stage_game()
    eq_lines, _ = _equilibrium_sections(analysis, game, cal.params.state_date)
    lines += eq_lines
    bar.update()
    step("sensitivity")
    lines += _sensitivity_section(analysis, cal)
    bar.update()
    # the structural fit is computed before the dynamic section, whose analysis the
    # helper process is still finishing (the sections keep their order)
    step("estimation")
    staffing = _usable_staffing(m, cal)
    fitted = _fit_weights(cal, staffing)
    step("dynamic")
    lines += _dynamic_section(analysis, cal, background["dynamic"])
    bar.update()
    step("estimation")
    est_lines, fit = _estimation_section(analysis, cal, staffing, fitted)
    lines += est_lines
    bar.update()
    step("tournament")
    lines += _tournament_section(analysis, cal, game)
    bar.update()
    step("inference")
    lines += _inference_section(analysis, cal)
    lines += _holdout_section(analysis, cal, staffing, fit)
    bar.update()
    step("robustness")
    from ..errors import GameError

    verdict = None
    try:
        verdict = _Background(background["helper"], timings, "verdict (helper)",
                              _verdict_result, cal, posterior.result(),
                              min(repetitions, 100), turns)
    except GameError:
        pass                    # no posterior: said in the verdict section
    lines += _robustness_section(analysis, cal, progress=progress, posterior=posterior)
    bar.update()
    step("scenarios")
    lines += _scenario_section(analysis, cal, repetitions=repetitions, turns=turns,
                               progress=progress)
    bar.update()
    step("dynamic scenarios")
    lines += _dynamic_compare_section(analysis, cal, repetitions=min(repetitions, 100),
                                      turns=turns, result=background["dynamic scenarios"])
    bar.update()
    step("verdict probabilities")
    lines += _verdict_section(analysis, cal, repetitions=min(repetitions, 100), turns=turns,
                              draws=draws, posterior=posterior, result=verdict)
    lines += _deals_section(analysis, cal, posterior)
    lines += _resolve_section(analysis, cal)
    bar.update()
    step("report")
    _summary_section(analysis, cal)
    step("done")
    analysis.note("time of each stage (s): " + ", ".join(f"{k} {v:.1f}"
                                                      for k, v in timings.items())
                  + " (a helper process solves the dynamic game and then the posterior's "
                    "draws from the start, so the stages that use them count only the wait "
                    "for what is left)")
    analysis.appendix()
    analysis.summary_lines = lines
    bar.update()
    return analysis
