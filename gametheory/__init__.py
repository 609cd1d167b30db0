"""gametheory: retaliation sequences, games, verified equilibria.

The names a researcher types most are re-exported here; everything else lives
in the subpackages (:mod:`gametheory.games`, :mod:`gametheory.solvers`).
"""

from .errors import DegenerateGameWarning, GameError
from .games import Game, Strategy, read_nfg, write_nfg
from .solvers import (
    Equilibrium,
    EquilibriumResult,
    fit_qre,
    is_degenerate,
    iterated_dominance,
    logit_qre,
    solve,
)

__version__ = "0.1.0"

__all__ = [
    "DegenerateGameWarning",
    "Equilibrium",
    "EquilibriumResult",
    "Game",
    "GameError",
    "Strategy",
    "__version__",
    "fit_qre",
    "is_degenerate",
    "iterated_dominance",
    "logit_qre",
    "read_nfg",
    "solve",
    "write_nfg",
]
