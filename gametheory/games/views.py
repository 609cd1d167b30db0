"""The game as one player sees it: own payoffs first, own and other's action magnitudes.

Strategies read a :class:`PlayerView` (never the two-player ``Game`` directly), so one
strategy class plays either side of any two-player game; :func:`make_views` builds
both players' views.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import StrategyError
from .normal_form import Game

__all__ = ["PlayerView", "make_views"]


@dataclass(frozen=True)
class PlayerView:
    """The game from one player's side.

    Attributes
    ----------
    payoffs : ndarray, shape (n_own, n_other)
        This player's payoffs, own action first.
    other_payoffs : ndarray, shape (n_own, n_other)
        The opponent's payoffs, same orientation.
    magnitudes, other_magnitudes : ndarray
        Size of each action (0 = most cooperative).
    player : int
        0 for the row player, 1 for the column player.
    actions, other_actions : tuple of str
    """

    payoffs: np.ndarray
    other_payoffs: np.ndarray
    magnitudes: np.ndarray
    other_magnitudes: np.ndarray
    player: int
    actions: tuple[str, ...]
    other_actions: tuple[str, ...]

    @property
    def n_actions(self) -> int:
        return self.payoffs.shape[0]

    @property
    def cooperate(self) -> int:
        """The most cooperative action (index 0)."""
        return 0

    @property
    def defect(self) -> int:
        """The most hostile action (last index)."""
        return self.n_actions - 1

    def rstp(self) -> tuple[float, float, float, float]:
        """Reward, sucker, temptation, punishment of a 2x2 game, from this player's side."""
        if self.payoffs.shape != (2, 2):
            raise StrategyError(f"R, S, T, P need a 2x2 game; this game is "
                                f"{self.payoffs.shape[0]}x{self.payoffs.shape[1]}")
        u = self.payoffs
        return float(u[0, 0]), float(u[0, 1]), float(u[1, 0]), float(u[1, 1])

    def closest_action(self, magnitude: float) -> int:
        """Own action whose magnitude is closest to ``magnitude`` (ties: the milder)."""
        return int(np.argmin(np.abs(self.magnitudes - magnitude)))



def make_views(game: Game, magnitudes: Sequence[Sequence[float]] | None = None
               ) -> tuple[PlayerView, PlayerView]:
    """The two players' views of a two-player game."""
    if game.n_players != 2:
        raise StrategyError(f"iterated play needs a two-player game; this game has "
                            f"{game.n_players} players")
    A, B = game.bimatrix
    if magnitudes is None:
        mags = [np.arange(n, dtype=float) for n in game.shape]
    else:
        mags = [np.asarray(m, dtype=float) for m in magnitudes]
        for i, m in enumerate(mags):
            if m.shape != (game.shape[i],):
                raise StrategyError(f"magnitudes of {game.players[i]!r} need {game.shape[i]} "
                                    f"values, got {m.size}")
    v0 = PlayerView(A, B, mags[0], mags[1], 0, game.actions[0], game.actions[1])
    v1 = PlayerView(B.T, A.T, mags[1], mags[0], 1, game.actions[1], game.actions[0])
    return v0, v1
