"""Games: the normal-form model, named games and Gambit file formats."""

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
from .nfg import read_nfg, write_nfg
from .normal_form import Game, MixedStrategy

__all__ = [
    "Game",
    "MixedStrategy",
    "battle_of_the_sexes",
    "catalogue",
    "chicken",
    "embassy_dispute",
    "get_game",
    "matching_pennies",
    "prisoners_dilemma",
    "read_nfg",
    "rock_paper_scissors",
    "stag_hunt",
    "write_nfg",
]
