"""Every public result type renders as HTML in Jupyter (``_repr_html_``)."""

import importlib
import inspect
import warnings
from enum import Enum

import numpy as np
import pytest

import gametheory as gt
import gametheory.strategies as gs
from gametheory.strategies.base import Strategy

PUBLIC = ["gametheory", "gametheory.games", "gametheory.solvers", "gametheory.events",
          "gametheory.iterated", "gametheory.strategies", "gametheory.analysis",
          "gametheory.sweep", "gametheory.models", "gametheory.games.repeated",
          "gametheory.games.extensive"]

#: Public classes that are not results a researcher looks at, and why.
NOT_RESULTS = {
    "Tournament": "a runner; its run() returns a TournamentResult",
    "Event": "one record; a sequence of them (EventSequence) renders",
    "GameSpec": "part of a SweepSpec, which renders",
    "Samples": "part of a SweepSpec, which renders",
    "ModelParameters": "rendered by the Calibration that uses it",
    "ModelState": "rendered by the Calibration that uses it",
    "Prior": "part of ModelParameters; its posterior (WeightPosterior) renders",
    "Batch": "engine-internal view of many matches for vectorised strategies",
    "History": "a strategy's view of one match, passed to decide()",
    "PlayerView": "the game as a strategy sees it, passed to reset()",
    "Observed": "a strategy's view of the opponent's last move",
    "NegotiationState": "a negotiator's view of one negotiation, passed to decide()",
    "Negotiator": "the negotiators' base class, like Strategy (its results render)",
}


def _public_classes():
    seen = {}
    for name in PUBLIC:
        mod = importlib.import_module(name)
        for attr in getattr(mod, "__all__", []):
            obj = getattr(mod, attr, None)
            if (inspect.isclass(obj) and not issubclass(obj, Exception | Warning | Enum)
                    and not (issubclass(obj, Strategy) and obj is not Strategy)):
                seen[obj.__name__] = obj
    return seen


def test_every_public_result_class_has_rich_display():
    missing = [n for n, c in _public_classes().items()
               if n not in NOT_RESULTS and not hasattr(c, "_repr_html_")]
    assert not missing, f"no _repr_html_: {missing}"


def _instances():
    from gametheory.analysis import (
        calibrate,
        coding_robustness,
        compare_strategies,
        dispute_deals,
        dispute_game,
        dynamic_analysis,
        estimate_mixture,
        fit_weights,
        out_of_sample,
        simulate_play,
        strategy_likelihoods,
        verdict_probabilities,
        weight_posterior,
    )
    from gametheory.events import estimate_reciprocity
    from gametheory.games.extensive import backward_induction, negotiation_tree
    from gametheory.games.repeated import AutomatonProfile
    from gametheory.iterated import moran_process, replicator_dynamics
    from gametheory.solvers import (
        correlated_equilibrium,
        fit_qre,
        is_degenerate,
        iterated_dominance,
        logit_qre_path,
    )
    from gametheory.solvers.repeated import RepeatedGame, public_grim_trigger
    from gametheory.solvers.result import Rejected
    from gametheory.sweep import load_spec

    pd_game = gt.games.prisoners_dilemma()
    res = gt.solve(pd_game)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.DegenerateGameWarning)
        degenerate = gt.solve(gt.Game.from_bimatrix([[1, 1], [0, 1]], [[1, 1], [1, 0]]))
    batch = gt.solve_many(np.stack([pd_game.bimatrix[0]] * 2),
                          np.stack([pd_game.bimatrix[1]] * 2))
    cal = calibrate()
    rg = RepeatedGame(pd_game, discount=0.4)
    grim = public_grim_trigger()
    sim = simulate_play({"Tit for tat": 0.5, "Defector": 0.5}, pd_game, n=6, turns=8, seed=1)
    sg = gt.StochasticGame.from_repeated(rg)
    markov = gt.solve(sg, method="pure_markov")
    yield from {
        "StochasticGame": sg, "MarkovResult": markov, "MarkovEquilibrium": markov[0],
        "ExactCheck": gt.solvers.exact_markov_check(sg, [[[1, 0], [1, 0]]]),
        "ShapleyBatch": gt.solvers.shapley_many([gt.StochasticGame.from_repeated(
            RepeatedGame(gt.games.matching_pennies(), 0.5))]),
        "Game": pd_game, "EquilibriumResult": res, "Equilibrium": res[0],
        "MixedStrategy": res[0].strategies[0],
        "EquilibriumComponent": degenerate.components[0],
        "CorrelatedEquilibrium": correlated_equilibrium(gt.games.chicken())[0],
        "Rejected": Rejected(((1.0, 0.0), (0.0, 1.0)), "regret 0.5 > tol"),
        "BatchResult": batch, "BatchEntry": batch[0],
        "DegeneracyCertificate": is_degenerate(gt.Game.from_bimatrix([[1, 1], [0, 1]],
                                                                     [[1, 1], [1, 0]])),
        "DominanceResult": iterated_dominance(pd_game),
        "QREFit": fit_qre(pd_game, [[2, 8], [3, 7]]),
        "QREPath": logit_qre_path(gt.games.matching_pennies()),
        "EventSequence": gt.load_model().events, "Model": gt.load_model(),
        "MatchResult": gt.play("Tit for tat", "Defector", turns=5),
        "TournamentResult": gt.Tournament(["Tit for tat", "Defector"], turns=5,
                                          repetitions=2, seed=1).run(),
        "MoranResult": moran_process(np.array([[3.0, 0.0], [5.0, 1.0]]), [5, 5],
                                     labels=["C", "D"], seed=1),
        "ReplicatorResult": replicator_dynamics(np.array([[3.0, 0.0], [5.0, 1.0]]),
                                                labels=["C", "D"], t_max=5),
        "RepeatedGame": rg,
        "Deviation": rg.profitable_deviation((gs.GrimTrigger(), gs.GrimTrigger())),
        "AutomatonProfile": AutomatonProfile((grim[0], grim[0]), (grim[1], grim[1])),
        "GameTree": negotiation_tree(),
        "BackwardInduction": backward_induction(negotiation_tree()),
        "Strategy": gs.TitForTat(),
        "Calibration": cal,
        "StrategyFit": strategy_likelihoods(*cal.sequences()["RUS"][:2],
                                            ["Tit for tat", "Commensurate"],
                                            cal.stage_game(), player=1,
                                            magnitudes=cal.magnitudes()),
        "MixtureResult": estimate_mixture(sim.sequences,
                                          ["Tit for tat", "Defector"], pd_game),
        "SimulatedPlay": sim,
        "ScenarioResult": compare_strategies(cal, opponents=["Tit for tat"], sides=["RUS"],
                                             noise_levels=[0.0], discounts=[0.9], turns=3,
                                             repetitions=3),
        "DisputeGame": dispute_game(cal),
        "DynamicResult": dynamic_analysis(cal, discounts=(0.8,), parity_weights=(0.0,),
                                          cost_scales=(1.0,)),
        "HoldoutScore": out_of_sample(cal),
        "WeightFit": fit_weights(cal, free=("parity_weight",), profile=False),
        "WeightPosterior": (post := weight_posterior(cal, n_draws=4, seed=1)),
        "VerdictResult": verdict_probabilities(cal, post, opponents=["Tit for tat"],
                                               sides=["RUS"], noise_levels=[0.05], turns=3,
                                               repetitions=3, n_boot=10),
        "ReciprocityResult": estimate_reciprocity(gt.load_model().events, ("USA", "RUS"),
                                                  start="2016-12-01", end="2021-12-31"),
        "RobustnessResult": coding_robustness(cal, [("talk", "moves")], repetitions=3,
                                              turns=3, dynamic=False),
        "BargainingProblem": (bp := gt.games.BargainingProblem(
            [[0, 1], [0.6, 0.9], [1, 0]], [0, 0], convex=True)),
        "BargainingSolutions": gt.solvers.bargaining_solutions(bp),
        "AlternatingOffers": gt.solvers.alternating_offers((0.9, 0.8)),
        "NegotiationResult": gt.iterated.negotiate(
            "Linear", "Boulware", gt.games.BargainingProblem([[0, 1], [0.5, 0.5], [1, 0]],
                                                              [0, 0])),
        "NegotiationTournament": gt.iterated.negotiation_tournament(
            ["Linear", "Boulware"], gt.games.BargainingProblem([[0, 1], [0.5, 0.5], [1, 0]],
                                                               [0, 0])),
        "CoalitionalGame": (cg := gt.games.CoalitionalGame.weighted_voting([3, 2, 1], 4)),
        "CoreResult": gt.solvers.least_core(cg),
        "ExpulsionRound": gt.analysis.expulsion_round(gt.load_model("uk_russia_2018")),
        "Issue": (iss := gt.games.Issue("visas", values=("suspended", "restored"))),
        "OutcomeSpace": (osp := gt.games.OutcomeSpace(
            [iss, gt.games.Issue("staff", bounds=(0, 455))])),
        "LinearAdditiveUtility": gt.games.LinearAdditiveUtility(
            osp, [1, 2], [(0, 1), "increasing"], reserved_value=0.3),
        "DisputeDeals": dispute_deals(cal, staff_steps=2, restriction_steps=2),
        "ResolveResult": gt.analysis.resolve_posterior(cal, betas=(0.8,)),
        "ResolveStage": gt.analysis.resolve_stage_equilibria(cal, priors=(0.5,),
                                                             at=("current",)),
        "ResolvePath": gt.analysis.resolve_path(cal, tremble=0.02),
        "BayesianGame": (bg := gt.games.BayesianGame(
            [[[[[2, 1], [0, 0]], [[0, 0], [1, 2]]], [[[2, 0], [0, 2]], [[0, 1], [1, 0]]]]],
            [[0.5, 0.5]], types=[["-"], ["meet", "avoid"]])),
        "BayesNashResult": gt.solvers.bayes_nash(bg),
        "SignallingGame": (sg := gt.games.beer_quiche()),
        "SignallingResult": (sr := gt.solvers.signalling_equilibria(sg)),
        "SignallingEquilibrium": sr[0],
        "MixedSignallingEquilibrium": gt.solvers.signalling_equilibria(
            gt.games.beer_quiche(0.1), mixed=True)[0],
        "TreeEquilibriumResult": (tpr := gt.solvers.perfect_bayesian_equilibria(
            gt.games.audience_cost_tree(0.7))),
        "TreeEquilibrium": tpr[1],
        "SequentialResult": (sqr := gt.solvers.sequential_equilibria(
            gt.games.audience_cost_tree(0.7))),
        "SequentialEquilibrium": sqr[0],
        "MixedSequentialEquilibrium": gt.solvers.sequential_equilibria(
            gt.games.audience_cost_tree(0.7), mixed=True)[0],
        "SequenceForm": (sqf := gt.games.sequence_form(gt.games.random_tree(3, seed=0))),
        "BehaviourResult": (bhr := gt.solvers.sequence_lemke(sqf)),
        "BehaviourEquilibrium": bhr[0],
        "AgentQRE": gt.solvers.agent_qre(sqf, [0.0, 1.0]),
        "AgentQREFit": gt.solvers.fit_agent_qre(
            sqf, {sqf.infosets[0][0]: {sqf.actions[0][0][0]: 3, sqf.actions[0][0][1]: 1}}),
        "SweepSpec": load_spec({"task": "solve", "game": "stag_hunt",
                                "grid": {"stag": [4, 5]}}),
    }.items()


@pytest.fixture(scope="module")
def instances():
    return list(_instances())


def test_each_result_renders_a_table(instances):
    seen = set()
    for name, obj in instances:
        html = obj._repr_html_()
        assert isinstance(html, str) and "<table" in html, name
        assert "object at 0x" not in html, name
        seen.add(name)
    expected = {n for n, c in _public_classes().items()
                if n not in NOT_RESULTS and n not in ("SweepResult",)}
    assert expected <= seen | {"SweepResult"}, expected - seen


def _colours(ax):
    """Every colour an Axes draws with (lines, patches, collections), as RGBA rows."""
    from matplotlib.colors import to_rgba_array
    from matplotlib.markers import MarkerStyle

    out = []
    for line in ax.lines:          # only what is drawn: the line, a marker's edge and fill
        if line.get_linestyle() not in ("None", "", " "):
            out.append(line.get_color())
        marker = MarkerStyle(line.get_marker())
        if line.get_marker() not in ("None", "", " ", None):
            out.append(line.get_markeredgecolor())
            if marker.is_filled():
                out.append(line.get_markerfacecolor())
    for patch in ax.patches:
        out += [patch.get_facecolor(), patch.get_edgecolor()]
    for coll in ax.collections:
        out += list(coll.get_facecolors()) + list(coll.get_edgecolors())
    rows = [to_rgba_array(c) for c in out if not (isinstance(c, str) and c == "none")]
    return np.concatenate(rows) if rows else np.empty((0, 4))


def test_every_figure_uses_the_colour_blind_safe_palette(instances):
    """All plots of all results: each colour is an Okabe–Ito colour or a grey."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgb

    from gametheory._format import PALETTE

    allowed = np.array([to_rgb(c) for c in PALETTE])
    drawn = []
    for name, obj in instances:
        for meth in [m for m in dir(obj) if m.startswith("plot") or m == "draw"]:
            fn = getattr(obj, meth)
            try:
                if "axes" in inspect.signature(fn).parameters:     # small multiples
                    axes = np.asarray(fn()).ravel()
                else:
                    _, ax = plt.subplots()
                    fn(ax=ax)
                    axes = [ax]
                rgba = np.concatenate([_colours(a) for a in axes])
            finally:
                plt.close("all")
            rgb = rgba[rgba[:, 3] > 0, :3]
            grey = np.ptp(rgb, axis=1) < 1e-9
            in_palette = (np.abs(rgb[:, None, :] - allowed[None]).max(axis=2) < 1e-6).any(1)
            bad = rgb[~grey & ~in_palette]
            assert not len(bad), f"{name}.{meth} draws colours outside the palette: {bad[:3]}"
            drawn.append(f"{name}.{meth}")
    assert len(drawn) >= 10, drawn


def test_sweep_result_renders_summary_and_rows(tmp_path):
    from gametheory.sweep import run

    res = run({"task": "solve", "game": "stag_hunt", "grid": {"stag": [4, 5]}},
              output=tmp_path, progress=False)
    html = res._repr_html_()
    assert "Sweep" in html and "n_equilibria" in html and html.count("<table") >= 2


@pytest.mark.parametrize("game", [gt.games.prisoners_dilemma(), gt.games.embassy_dispute()])
def test_game_renders_html_and_latex(game):
    assert "gt-ne" in game._repr_html_()              # pure equilibria highlighted
    assert game._repr_latex_().startswith("$")
