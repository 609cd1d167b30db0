"""gametheory: retaliation sequences, games, verified equilibria.

The names a researcher types most are re-exported here; everything else lives
in the subpackages (:mod:`gametheory.games`, :mod:`gametheory.solvers`,
:mod:`gametheory.events`, :mod:`gametheory.models`). Names backed by heavy
dependencies (pydantic, networkx, pandas) load on first use.
"""

from importlib import import_module

from .errors import DegenerateGameWarning, GameError
from .games import Game, MixedStrategy, StochasticGame, read_nfg, write_nfg
from .solvers import (
    BatchResult,
    Equilibrium,
    EquilibriumResult,
    fit_qre,
    is_degenerate,
    iterated_dominance,
    logit_qre,
    solve,
    solve_many,
)

__version__ = "0.1.0"

_LAZY = {
    "EventSequence": "gametheory.events",
    "load_events": "gametheory.events",
    "move_graph": "gametheory.events",
    "load_model": "gametheory.models",
    "play": "gametheory.iterated",
    "Tournament": "gametheory.iterated",
    "memory_one_payoffs": "gametheory.iterated",
    "RepeatedGame": "gametheory.solvers.repeated",
    "check_strategy": "gametheory.iterated",
    "analyze": "gametheory.display.analyze",
}

__all__ = [
    "BatchResult",
    "DegenerateGameWarning",
    "Equilibrium",
    "EquilibriumResult",
    "EventSequence",
    "Game",
    "GameError",
    "MixedStrategy",
    "RepeatedGame",
    "StochasticGame",
    "Tournament",
    "__version__",
    "analyze",
    "check_strategy",
    "fit_qre",
    "is_degenerate",
    "iterated_dominance",
    "load_events",
    "load_model",
    "logit_qre",
    "memory_one_payoffs",
    "move_graph",
    "play",
    "read_nfg",
    "solve",
    "solve_many",
    "write_nfg",
]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gametheory' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
