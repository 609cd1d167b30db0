"""Iterated play: matches, tournaments, exact Markov payoffs, evolutionary dynamics.

``gametheory.play`` is the match function; this package is ``gametheory.iterated``.
"""


from ..games.views import make_views
from .checks import check_strategy
from .engine import run_matches
from .evolution import (
    MoranResult,
    ReplicatorResult,
    fixation_probability,
    moran_process,
    replicator_dynamics,
)
from .markov import (
    memory_one_payoffs,
    stationary_distribution,
    transition_matrix,
    zero_determinant_coefficients,
)
from .match import MatchResult, play
from .negotiation import (
    NegotiationResult,
    NegotiationTournament,
    negotiate,
    negotiation_tournament,
)
from .tournament import Tournament, TournamentResult

__all__ = [
    "MatchResult",
    "MoranResult",
    "NegotiationResult",
    "NegotiationTournament",
    "ReplicatorResult",
    "Tournament",
    "TournamentResult",
    "check_strategy",
    "fixation_probability",
    "make_views",
    "memory_one_payoffs",
    "moran_process",
    "negotiate",
    "negotiation_tournament",
    "play",
    "replicator_dynamics",
    "run_matches",
    "stationary_distribution",
    "transition_matrix",
    "zero_determinant_coefficients",
]
