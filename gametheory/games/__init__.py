"""Games: the normal-form model, named games and Gambit file formats."""

from .bargaining import BargainingProblem, alternating_offers_tree
from .bayesian import BayesianGame
from .catalogue import (
    battle_of_the_sexes,
    catalogue,
    chicken,
    embassy_dispute,
    get_game,
    matching_pennies,
    prisoners_dilemma,
    rock_paper_scissors,
    stag_hunt,
)
from .coalitional import CoalitionalGame
from .efg import read_efg, write_efg
from .extensive import (
    GameTree,
    GameTreeError,
    backward_induction,
    negotiation_tree,
    random_tree,
)
from .nfg import read_nfg, write_nfg
from .normal_form import Game, MixedStrategy
from .outcomes import Issue, LinearAdditiveUtility, OutcomeSpace, bargaining_problem
from .sequence_form import SequenceForm, sequence_form
from .signalling import (
    SignallingGame,
    audience_cost_game,
    audience_cost_tree,
    beer_quiche,
    reassurance_game,
)
from .stochastic import StochasticGame

__all__ = [
    "BargainingProblem",
    "BayesianGame",
    "CoalitionalGame",
    "Game",
    "GameTree",
    "GameTreeError",
    "Issue",
    "LinearAdditiveUtility",
    "MixedStrategy",
    "OutcomeSpace",
    "SequenceForm",
    "SignallingGame",
    "StochasticGame",
    "alternating_offers_tree",
    "audience_cost_game",
    "audience_cost_tree",
    "backward_induction",
    "bargaining_problem",
    "battle_of_the_sexes",
    "beer_quiche",
    "catalogue",
    "chicken",
    "embassy_dispute",
    "get_game",
    "matching_pennies",
    "negotiation_tree",
    "prisoners_dilemma",
    "random_tree",
    "read_efg",
    "read_nfg",
    "reassurance_game",
    "rock_paper_scissors",
    "sequence_form",
    "stag_hunt",
    "write_efg",
    "write_nfg",
]
