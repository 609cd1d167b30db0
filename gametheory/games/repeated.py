"""Infinitely repeated two-player games as values: the stage game and the discount
factor (:class:`RepeatedGame`), and strategy profiles as finite automata
(:class:`AutomatonProfile`, :func:`public_grim_trigger`).

Strategy profiles are deterministic finite automata: each player has states,
plays ``output[state]`` and moves to ``transitions[state][own action][other's
action]`` (state 0 first); the own action matters off the equilibrium path, when
a player has deviated. Strategies that declare an automaton (``as_automaton()``:
tit-for-tat, grim trigger, ...) react to the opponent only and are converted;
memory-one strategies (``as_memory_one()``: win-stay lose-shift) remember the
whole last outcome. :func:`public_grim_trigger` is the textbook grim trigger
that reverts after *anyone's* defection, whose threshold is (T - R)/(T - P).

The algorithms are in :mod:`gametheory.solvers.repeated`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import check_discount
from ..errors import RepeatedGameError, ShapeError
from .normal_form import Game

__all__ = ["AutomatonProfile", "RepeatedGame", "RepeatedGameError", "public_grim_trigger"]


def public_grim_trigger(n_own: int = 2, n_other: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Grim trigger on the public history: cooperate (action 0) until anyone plays
    anything else, then play the last action for ever (Friedman 1971)."""
    out = np.array([0, n_own - 1])
    tr = np.ones((2, n_own, n_other), dtype=np.int64)
    tr[0, 0, 0] = 0
    return out, tr


@dataclass(frozen=True)
class AutomatonProfile:
    """Two automata: ``outputs[i][state]`` (an action, or a row of action probabilities
    for a stochastic automaton) and ``transitions[i][state][own action][other's action]``."""

    outputs: tuple[np.ndarray, np.ndarray]
    transitions: tuple[np.ndarray, np.ndarray]
    names: tuple[str, str] = ("player 1", "player 2")

    @classmethod
    def from_strategies(cls, game: Game, s1, s2) -> AutomatonProfile:
        """Build from two strategy objects (automata or deterministic memory-one)."""
        from .views import make_views

        views = make_views(game)
        outs, trans, names = [], [], []
        for view, s in zip(views, (s1, s2), strict=True):
            o, t = _automaton_of(s, view)
            outs.append(o)
            trans.append(t)
            names.append(getattr(s, "name", str(s)))
        return cls(tuple(outs), tuple(trans), tuple(names))

    def validate(self, game: Game) -> None:
        for i in range(2):
            out, tr = np.asarray(self.outputs[i]), np.asarray(self.transitions[i])
            S = len(out)
            k_own, k_other = game.shape[i], game.shape[1 - i]
            if tr.shape != (S, k_own, k_other):
                raise RepeatedGameError(
                    f"automaton of {self.names[i]}: transitions must be states ({S}) x own "
                    f"actions ({k_own}) x other's actions ({k_other}); got shape {tr.shape} "
                    "(missing transitions?)")
            if tr.size and (tr.min() < 0 or tr.max() >= S):
                s, a, b = np.argwhere((tr < 0) | (tr >= S))[0]
                raise RepeatedGameError(f"automaton of {self.names[i]}: state {s} moves to the "
                                        f"unknown state {tr[s, a, b]} after actions ({a}, {b})")
            if out.ndim == 2:  # stochastic: a probability row per state
                if out.shape != (S, k_own) or np.any(out < -1e-12) or not np.allclose(
                        out.sum(axis=1), 1.0):
                    raise RepeatedGameError(f"automaton of {self.names[i]}: stochastic "
                                            f"outputs must be {S} x {k_own} probability rows")
            elif out.min() < 0 or out.max() >= game.shape[i]:
                raise RepeatedGameError(f"automaton of {self.names[i]}: an output is not an "
                                        f"action (0..{game.shape[i] - 1})")

    def policy(self, i: int, n_actions: int) -> np.ndarray:
        """Probability of each action in each state, shape (states, actions)."""
        out = np.asarray(self.outputs[i])
        if out.ndim == 2:
            return out.astype(float)
        return np.eye(n_actions)[out]

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html("Automaton profile",
                           [("states", self.names), ("outputs", self.outputs),
                            ("transitions", self.transitions)])


def _automaton_of(strategy, view):
    k_own = view.n_actions
    if isinstance(strategy, tuple | list) and len(strategy) == 2:
        out, tr = np.asarray(strategy[0], np.int64), np.asarray(strategy[1], np.int64)
        if tr.ndim == 2:  # reacts to the other's action only
            tr = np.repeat(tr[:, None, :], k_own, axis=1)
        return out, tr
    s = strategy.clone()
    s.reset(view)
    auto = s.as_automaton()
    if auto is not None:
        out, tr = auto
        return (np.asarray(out, np.int64),
                np.repeat(np.asarray(tr, np.int64)[:, None, :], k_own, axis=1))
    m1 = s.as_memory_one()
    if m1 is not None:
        # states: 0 = start, 1 + 2*own + other = the last outcome (the own action actually
        # played, so deviations are remembered); stochastic strategies get probability rows
        initial, vec = m1
        p = np.array([initial, *np.asarray(vec, float)])
        tr = np.empty((5, 2, 2), dtype=np.int64)
        for own in (0, 1):
            for other in (0, 1):
                tr[:, own, other] = 1 + 2 * own + other
        if np.all(np.isin(p, (0.0, 1.0))):
            return np.where(p == 1, 0, 1).astype(np.int64), tr
        return np.column_stack([p, 1 - p]), tr
    raise RepeatedGameError(f"{getattr(s, 'name', s)} is neither a finite automaton nor a "
                            "memory-one strategy")


class RepeatedGame:
    """The infinitely repeated game of a two-player stage game with discount factor δ (a
    value: the stage game and δ). Payoffs are normalised, ``(1 - δ) Σ δ^t u_t``; a
    continuation probability ``w`` plays the role of δ.

    The algorithms (minmax values, payoff sets, subgame perfection, critical discount
    factors) are in :mod:`gametheory.solvers.repeated`; ``gt.RepeatedGame`` is this value
    with those algorithms as methods.

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> RepeatedGame(prisoners_dilemma(), discount=0.6).discount
    0.6
    """

    def __init__(self, stage_game: Game, discount: float = 0.9):
        if stage_game.n_players != 2:
            raise ShapeError(f"repeated games here need a two-player stage game; this one has "
                             f"{stage_game.n_players}")
        self.stage_game = stage_game
        self.discount = check_discount(discount)

    def with_discount(self, discount: float) -> RepeatedGame:
        """The same stage game at another discount factor."""
        return type(self)(self.stage_game, discount)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, RepeatedGame) and self.discount == other.discount
                and self.stage_game == other.stage_game)

    def __hash__(self) -> int:
        return hash((self.stage_game, self.discount))

    def __repr__(self) -> str:
        title = self.stage_game.title or "stage game"
        return f"{type(self).__name__}({title!r}, discount={self.discount:g})"

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html(f"Repeated game, discount factor {self.discount:g}",
                           [("stage game", self.stage_game)])
