"""Equilibrium solvers: pure functions reached through :func:`solve`.

Every solver verifies each equilibrium (mutual best responses, and exactly
in rational arithmetic when payoffs are exact) before returning it.
"""

from importlib import import_module

from ._compiled import compile_notice
from .agent_qre import AgentQRE, AgentQREFit, agent_qre, fit_agent_qre
from .bargaining import (
    AlternatingOffers,
    BargainingSolutions,
    alternating_offers,
    alternating_offers_finite,
    bargaining_solutions,
    pareto_frontier,
)
from .bayesian import BayesNashResult, bayes_nash, interim_gains
from .coalitional import CoreResult, banzhaf_index, least_core, shapley_value
from .correlated import correlated_equilibrium, correlated_equilibrium_polytope
from .degeneracy import DegeneracyCertificate, equilibrium_components, is_degenerate
from .dispatch import METHODS, solve
from .dominance import DominanceResult, dominance, iterated_dominance
from .lemke_howson import lemke_howson
from .many import BATCH_METHODS, BatchEntry, BatchResult, solve_many
from .polynomial import polynomial_enumeration
from .pure import pure_nash
from .qre import QREFit, QREPath, fit_qre, logit_qre, logit_qre_path, qre
from .result import (
    CorrelatedEquilibrium,
    Equilibrium,
    EquilibriumComponent,
    EquilibriumResult,
    Rejected,
)
from .sequence_form import (
    BehaviourEquilibrium,
    BehaviourResult,
    sequence_lemke,
    sequence_lp,
)
from .shapley_batch import ShapleyBatch, matrix_values, shapley_many
from .signalling import (
    MAX_SIGNALLING_PROFILES,
    MAX_SIGNALLING_SUPPORTS,
    MixedSignallingEquilibrium,
    SignallingEquilibrium,
    SignallingResult,
    signalling_equilibria,
)
from .stochastic import (
    STOCHASTIC_METHODS,
    ExactCheck,
    MarkovEquilibrium,
    MarkovResult,
    automaton_game,
    best_response_gain,
    exact_markov_check,
    iterated_best_response,
    markov_logit_qre,
    markov_perfect_discounts,
    markov_qre,
    markov_values,
    pure_markov_perfect,
    shapley,
    turn_qre,
)
from .support_enumeration import support_enumeration
from .tree_pbe import (
    MAX_TREE_PBE_PROFILES,
    TreeEquilibrium,
    TreeEquilibriumResult,
    perfect_bayesian_equilibria,
)
from .verify import check_profile, verify_equilibrium
from .vertex_enumeration import vertex_enumeration
from .zero_sum import zero_sum

__all__ = [
    "BATCH_METHODS",
    "MAX_SEQUENTIAL_SUPPORTS",
    "MAX_SIGNALLING_PROFILES",
    "MAX_SIGNALLING_SUPPORTS",
    "MAX_TREE_PBE_PROFILES",
    "METHODS",
    "STOCHASTIC_METHODS",
    "AgentQRE",
    "AgentQREFit",
    "AlternatingOffers",
    "BargainingSolutions",
    "BatchEntry",
    "BatchResult",
    "BayesNashResult",
    "BehaviourEquilibrium",
    "BehaviourResult",
    "CoreResult",
    "CorrelatedEquilibrium",
    "DegeneracyCertificate",
    "DominanceResult",
    "Equilibrium",
    "EquilibriumComponent",
    "EquilibriumResult",
    "ExactCheck",
    "MarkovEquilibrium",
    "MarkovResult",
    "MixedSequentialEquilibrium",
    "MixedSignallingEquilibrium",
    "QREFit",
    "QREPath",
    "Rejected",
    "SequentialEquilibrium",
    "SequentialResult",
    "ShapleyBatch",
    "SignallingEquilibrium",
    "SignallingResult",
    "TreeEquilibrium",
    "TreeEquilibriumResult",
    "agent_qre",
    "alternating_offers",
    "alternating_offers_finite",
    "automaton_game",
    "banzhaf_index",
    "bargaining_solutions",
    "bayes_nash",
    "best_response_gain",
    "check_profile",
    "compile_notice",
    "correlated_equilibrium",
    "correlated_equilibrium_polytope",
    "dominance",
    "equilibrium_components",
    "exact_markov_check",
    "fit_agent_qre",
    "fit_qre",
    "interim_gains",
    "is_degenerate",
    "iterated_best_response",
    "iterated_dominance",
    "least_core",
    "lemke_howson",
    "logit_qre",
    "logit_qre_path",
    "markov_logit_qre",
    "markov_perfect_discounts",
    "markov_qre",
    "markov_values",
    "matrix_values",
    "pareto_frontier",
    "perfect_bayesian_equilibria",
    "polynomial_enumeration",
    "pure_markov_perfect",
    "pure_nash",
    "qre",
    "sequence_lemke",
    "sequence_lp",
    "sequential_equilibria",
    "shapley",
    "shapley_many",
    "shapley_value",
    "signalling_equilibria",
    "solve",
    "solve_many",
    "support_enumeration",
    "turn_qre",
    "verify_equilibrium",
    "vertex_enumeration",
    "zero_sum",
]

# Loaded on first use, so that `import gametheory` does not compile them: sequential
# equilibria (a large module; z3 itself is imported only when a tree is solved).
_LAZY = {name: ".sequential" for name in (
    "MAX_SEQUENTIAL_SUPPORTS", "MixedSequentialEquilibrium", "SequentialEquilibrium",
    "SequentialResult", "sequential_equilibria")}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
