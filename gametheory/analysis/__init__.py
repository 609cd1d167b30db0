"""Analyses of a retaliation sequence: calibration, strategy inference, scenarios."""

from .calibration import (
    Calibration,
    ModelState,
    calibrate,
    classify_moves,
    sensitivity,
    slip_matrix,
    stage_payoffs,
    transition,
)
from .coalition import ExpulsionRound, expulsion_round
from .deals import PACKAGES, DisputeDeals, dispute_deals
from .dynamic import (
    DisputeGame,
    DynamicResult,
    dispute_game,
    dynamic_analysis,
    dynamic_compare,
    turn_discount,
)
from .estimation import WeightFit, fit_weights, recorded_staff
from .inference import (
    MixtureResult,
    StrategyFit,
    dispute_candidates,
    estimate_mixture,
    fit_sides,
    move_probabilities,
    next_move_probabilities,
    simulate_play,
    strategy_likelihoods,
)
from .parameters import ModelParameters, Prior, load_parameters
from .posterior import VerdictResult, WeightPosterior, verdict_probabilities, weight_posterior
from .resolve import (
    DEFAULT_TYPES,
    ResolveResult,
    ResolveStage,
    resolve_path,
    resolve_posterior,
    resolve_stage,
    resolve_stage_equilibria,
)
from .robustness import RobustnessResult, coding_robustness
from .scenarios import ScenarioResult, compare_strategies
from .validation import HoldoutScore, cross_dispute, holdout_turns, out_of_sample

__all__ = [
    "DEFAULT_TYPES",
    "PACKAGES",
    "Calibration",
    "DisputeDeals",
    "DisputeGame",
    "DynamicResult",
    "ExpulsionRound",
    "HoldoutScore",
    "MixtureResult",
    "ModelParameters",
    "ModelState",
    "Prior",
    "ResolveResult",
    "ResolveStage",
    "RobustnessResult",
    "ScenarioResult",
    "StrategyFit",
    "VerdictResult",
    "WeightFit",
    "WeightPosterior",
    "calibrate",
    "classify_moves",
    "coding_robustness",
    "compare_strategies",
    "cross_dispute",
    "dispute_candidates",
    "dispute_deals",
    "dispute_game",
    "dynamic_analysis",
    "dynamic_compare",
    "estimate_mixture",
    "expulsion_round",
    "fit_sides",
    "fit_weights",
    "holdout_turns",
    "load_parameters",
    "move_probabilities",
    "next_move_probabilities",
    "out_of_sample",
    "recorded_staff",
    "resolve_path",
    "resolve_posterior",
    "resolve_stage",
    "resolve_stage_equilibria",
    "sensitivity",
    "simulate_play",
    "slip_matrix",
    "stage_payoffs",
    "strategy_likelihoods",
    "transition",
    "turn_discount",
    "verdict_probabilities",
    "weight_posterior",
]
