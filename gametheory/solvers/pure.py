"""All pure-strategy Nash equilibria of an N-player game."""

from __future__ import annotations

import time

import numpy as np

from ..games.normal_form import Game
from .result import EquilibriumResult
from .verify import finalize

__all__ = ["pure_nash"]


def pure_nash(game: Game, *, tol: float = 1e-9, exact: bool = False) -> EquilibriumResult:
    """Every pure-strategy Nash equilibrium, for any number of players.

    A profile is an equilibrium when each player's payoff is maximal along that
    player's axis of the payoff array; the check is one vectorised comparison
    per player (Nash 1951; Osborne & Rubinstein 1994, Def. 14.1).

    Examples
    --------
    >>> from gametheory.games import chicken
    >>> [eq.support for eq in pure_nash(chicken())]
    [((0,), (1,)), ((1,), (0,))]
    """
    started = time.perf_counter()
    candidates = []
    for idx in game.pure_equilibria(tol):
        profile = []
        for i, a in enumerate(idx):
            s = np.zeros(game.shape[i])
            s[a] = 1.0
            profile.append(s)
        candidates.append(profile)
    return finalize(game, candidates, method="pure", guarantee="all_pure", tol=tol,
                    exact=exact, started=started, n_iter=int(np.prod(game.shape)))
