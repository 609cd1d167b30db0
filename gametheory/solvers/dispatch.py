"""The ``solve`` dispatcher: one entry point, a registry of methods."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from .._validate import check_tolerance
from ..errors import SolverError, UnknownNameError
from ..games.normal_form import Game
from ..games.stochastic import StochasticGame
from .correlated import correlated_equilibrium
from .dominance import dominance
from .lemke_howson import lemke_howson
from .polynomial import polynomial_enumeration
from .pure import pure_nash
from .qre import qre
from .result import EquilibriumResult
from .support_enumeration import support_enumeration
from .vertex_enumeration import vertex_enumeration
from .zero_sum import zero_sum

__all__ = ["METHODS", "solve"]

#: Method name -> solver function. Every solver takes the game and keyword options.
METHODS: dict[str, Callable[..., EquilibriumResult]] = {
    "support_enumeration": support_enumeration,
    "vertex_enumeration": vertex_enumeration,
    "lemke_howson": lemke_howson,
    "pure": pure_nash,
    "zero_sum": zero_sum,
    "dominance": dominance,
    "correlated": correlated_equilibrium,
    "qre": qre,
    "polynomial": polynomial_enumeration,
}


def solve(game: Game | StochasticGame, method: str | None = None, **options) -> EquilibriumResult:
    """Solve a game with the named method.

    Parameters
    ----------
    game : Game
    method : str, optional
        One of :data:`METHODS`. By default: ``"vertex_enumeration"`` for two
        players (every extreme equilibrium, degenerate games included) and
        ``"pure"`` for more players (every pure equilibrium; ``"polynomial"``
        finds the mixed ones too, compiling its kernel on first use). A
        :class:`~gametheory.games.stochastic.StochasticGame` takes one of
        :data:`~gametheory.solvers.stochastic.STOCHASTIC_METHODS` (``"shapley"``,
        ``"pure_markov"``, the default, ``"markov_qre"``) and returns a
        :class:`~gametheory.solvers.stochastic.MarkovResult`.
    **options
        Passed to the method (``tol``, ``exact``, ``initial_dropped_label``, ...).

    Raises
    ------
    UnknownNameError
        For an unknown method; the message lists the valid ones.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.games import matching_pennies
    >>> res = gt.solve(matching_pennies(), method="support_enumeration")
    >>> res[0].strategies[0]
    MixedStrategy(Player 1: Heads=0.5, Tails=0.5)
    >>> gt.solve(matching_pennies(), method="suport")
    Traceback (most recent call last):
    ...
    gametheory.errors.UnknownNameError: unknown method 'suport'. Did you mean ...
    """
    if isinstance(game, StochasticGame):
        return _solve_stochastic(game, method, options)
    if not isinstance(game, Game):
        from ..errors import GameError

        raise GameError(f"solve() needs a gametheory.Game, got {type(game).__name__}; build "
                        "one with Game.from_bimatrix(A, B) or Game(payoff_profile_array)")
    if method is None:
        method = "vertex_enumeration" if game.n_players == 2 else "pure"
    func = _pick(method, METHODS, "method", options)
    if "tol" in options:
        options["tol"] = check_tolerance(options["tol"])
    if "exact" in options and not isinstance(options["exact"], bool):
        raise SolverError(f"exact must be True or False, got {options['exact']!r}")
    return func(game, **options)


def _pick(method, registry: dict, what: str, options: dict) -> Callable:
    """The solver a method name stands for (case, ``-`` and spaces forgiven), after
    checking that every option is a parameter of it."""
    if not isinstance(method, str):
        raise UnknownNameError(what, repr(method), registry)
    key = method.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in registry:
        raise UnknownNameError(what, method, registry)
    func = registry[key]
    allowed = [p for p in inspect.signature(func).parameters if p != "game"]
    for name in options:
        if name not in allowed:
            raise UnknownNameError(f"option of method {key!r}", name, allowed)
    return func


def _solve_stochastic(game, method, options):
    from .stochastic import STOCHASTIC_METHODS

    func = _pick("pure_markov" if method is None else method, STOCHASTIC_METHODS,
                 "method for a stochastic game", options)
    return func(game, **options)
