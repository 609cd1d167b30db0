"""One match between two strategies."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .._random import as_seed_sequence, match_keys
from .._validate import check_count, check_discount
from ..errors import ProfileError
from ..games.normal_form import Game
from ..strategies.base import Strategy, as_strategy
from .engine import MatchArrays, run_matches

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["MatchResult", "check_play_parameters", "play"]


#: Most turns of one match (the engine allocates a row per turn and player).
MAX_TURNS = 10**8


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_play_parameters(turns: int | None, continuation: float | None, noise: float,
                          observation_noise: float, discount: float | None) -> None:
    """Raise ProfileError for impossible settings (naming the parameter)."""
    for name, value in (("noise", noise), ("observation_noise", observation_noise)):
        if not _is_real(value) or not (0.0 <= float(value) <= 1.0):
            raise ProfileError(f"{name} must be a probability in [0, 1], got {value!r}")
    if continuation is not None and not (_is_real(continuation) and 0.0 <= continuation < 1.0):
        raise ProfileError(f"continuation must be in [0, 1), got {continuation!r}")
    if discount is not None:
        check_discount(discount, "discount", allow_one=True)
    if turns is not None:
        check_count("turns", turns, maximum=MAX_TURNS)


@dataclass
class MatchResult:
    """A played match.

    Attributes
    ----------
    scores : ndarray, shape (2,)
        Total (discounted, if ``discount`` was given) payoff of each player.
    actions : ndarray, shape (turns, 2)
        Actions played (after implementation noise).
    intended, observed : ndarray, shape (turns, 2)
        Actions chosen, and what each side perceived of the other's move.
    payoffs : ndarray, shape (turns, 2)
    players : tuple of str
    game : Game
    """

    scores: np.ndarray
    actions: np.ndarray
    intended: np.ndarray
    observed: np.ndarray
    payoffs: np.ndarray
    players: tuple[str, str]
    game: Game = field(repr=False)
    magnitudes: tuple[np.ndarray, np.ndarray] = field(repr=False, default=None)

    @property
    def turns(self) -> int:
        return self.actions.shape[0]

    @property
    def mean_payoffs(self) -> np.ndarray:
        """Undiscounted payoff per turn of each player."""
        return self.payoffs.mean(axis=0)

    @property
    def cooperation(self) -> np.ndarray:
        """Share of turns on which each player played its most cooperative action."""
        return (self.actions == 0).mean(axis=0)

    @property
    def winner(self) -> str | None:
        """The player with the higher score (None on a tie)."""
        if self.scores[0] == self.scores[1]:
            return None
        return self.players[int(np.argmax(self.scores))]

    @property
    def history(self) -> pd.DataFrame:
        """Per-turn table: actions (labels), intended and perceived moves, magnitudes, payoffs.

        Columns are prefixed with the game's player labels (row player first)."""
        import pandas as pd

        g = self.game
        rows = {"turn": np.arange(1, self.turns + 1)}
        for i, p in enumerate(g.players):
            labels = np.array(g.actions[i])
            other = np.array(g.actions[1 - i])
            rows[f"{p} action"] = labels[self.actions[:, i]]
            rows[f"{p} intended"] = labels[self.intended[:, i]]
            rows[f"{p} perceived"] = other[self.observed[:, i]]
            if self.magnitudes is not None:
                rows[f"{p} magnitude"] = self.magnitudes[i][self.actions[:, i]]
            rows[f"{p} payoff"] = self.payoffs[:, i]
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        return (f"MatchResult({self.players[0]} vs {self.players[1]}: {self.turns} turns, "
                f"scores {self.scores[0]:g} : {self.scores[1]:g})")

    def _repr_html_(self) -> str:
        from .._format import table_html

        cols = ["", *self.players]
        rows = [["score", *self.scores], ["payoff per turn", *self.mean_payoffs],
                ["cooperation rate", *self.cooperation]]
        return table_html(cols, rows, caption=repr(self))


def play(player1: Strategy | type[Strategy] | str, player2: Strategy | type[Strategy] | str,
         game: Game | None = None, turns: int = 200, continuation: float | None = None,
         noise: float = 0.0, observation_noise: float = 0.0, seed=None, *,
         discount: float | None = None, magnitudes=None, engine: str = "auto",
         noise_kernel=None) -> MatchResult:
    """Play one match.

    Parameters
    ----------
    player1, player2 : Strategy, Strategy subclass or registered name
    game : Game, optional
        Any two-player game (default: the prisoner's dilemma 3, 0, 5, 1).
    turns : int
        Number of turns (ignored when ``continuation`` is given).
    continuation : float, optional
        Probability that another turn follows (match length is geometric).
    noise : float
        Implementation noise: probability that a move comes out as another action.
    observation_noise : float
        Misperception: probability that a side perceives the other's move as
        another action (each side independently).
    seed : int, Generator or SeedSequence, optional
    discount : float, optional
        Discount factor for ``scores`` (payoff on turn t weighted by discount**t).
    magnitudes : pair of sequences, optional
        Magnitude of each action of each player (default 0, 1, 2, ...).
    engine : {"auto", "batch", "python"}
        "python" forces every strategy through its plain ``decide``.
    noise_kernel : {"uniform", "neighbour"} or pair of matrices, optional
        Where a botched or misread action lands
        (:func:`~gametheory.iterated.engine.noise_kernels`); default any other action
        alike. With ordered levels, ``"neighbour"`` keeps a slip small.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.strategies import TitForTat, Alternator
    >>> gt.play(TitForTat(), Alternator(), turns=6).actions.tolist()
    [[0, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]]
    """
    from ..games import prisoners_dilemma

    check_play_parameters(turns, continuation, noise, observation_noise, discount)
    game = prisoners_dilemma() if game is None else game
    p1, p2 = as_strategy(player1), as_strategy(player2)
    keys = match_keys(as_seed_sequence(seed), np.zeros((1, 1), dtype=np.uint64))
    arrays: MatchArrays = run_matches(game, [(p1, p2)], keys, turns=turns,
                                      continuation=continuation, noise=noise,
                                      observation_noise=observation_noise,
                                      magnitudes=magnitudes, engine=engine,
                                      noise_kernel=noise_kernel)
    L = int(arrays.lengths[0])
    pay = arrays.payoffs[0, :L]
    weights = discount ** np.arange(L) if discount is not None else np.ones(L)
    from ..games.views import make_views

    v0, v1 = make_views(game, magnitudes)
    return MatchResult(scores=weights @ pay, actions=arrays.executed[0, :L],
                       intended=arrays.intended[0, :L], observed=arrays.observed[0, :L],
                       payoffs=pay, players=(p1.name, p2.name), game=game,
                       magnitudes=(v0.magnitudes, v1.magnitudes))


