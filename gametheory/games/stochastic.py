"""Finite stochastic games as values: a stage game per state and transition probabilities.

A :class:`StochasticGame` has N players, finitely many labelled states, in each state a
normal-form stage game (its own action sets: a state in which only one player has more
than one action is a move of that player alone, so alternating moves are a special
case), transition probabilities ``P(s' | s, a)`` and a discount factor per player.
Payoffs are normalised like those of :class:`~gametheory.games.repeated.RepeatedGame`,
``(1 - δ) Σ δ^t u_t``, so a one-state stochastic game is the repeated game of its stage
game. The algorithms (Shapley's value iteration, pure stationary Markov-perfect
equilibria, the best-response check) are in :mod:`gametheory.solvers.stochastic`.

References
----------
Shapley, L. S. (1953). Stochastic games. *PNAS* 39(10):1095-1100. Filar, J. & Vrieze, K.
(1997). *Competitive Markov Decision Processes*. Springer.
"""

from __future__ import annotations

import numbers
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from .._numbers import as_fraction, exact_float_array, fraction_array
from .._validate import check_count, check_discount
from ..errors import InputLimitError, LabelError, ShapeError, TransitionError
from .normal_form import Game

__all__ = ["StochasticGame", "TransitionError"]

#: Largest number of transition entries (sum over states of profiles x states) accepted.
MAX_TRANSITION_ENTRIES = 50_000_000
#: Tolerance on a row of transition probabilities summing to one.
SUM_TOL = 1e-9


def _discounts(discount, players) -> tuple[tuple, tuple]:
    """(the discount factors as given, checked floats), one per player."""
    if isinstance(discount, numbers.Real) and not isinstance(discount, bool):
        return (discount,) * len(players), (check_discount(discount),) * len(players)
    raw = tuple(discount)
    deltas = tuple(check_discount(d, f"discount factor of {p!r}")
                   for d, p in zip(raw, players, strict=False))
    if len(deltas) != len(players):
        raise ShapeError(f"discount: {len(deltas)} values for {len(players)} players")
    return raw, deltas


class StochasticGame:
    """A finite stochastic game: a stage game per state, ``P(s' | s, a)`` and δ per player.

    Parameters
    ----------
    stage_games : sequence of Game
        The stage game of each state; all have the same players (labels and number).
    transitions : sequence of array_like
        For state ``s``, an array of shape ``stage_games[s].shape + (n_states,)`` whose
        last axis is the distribution of the next state after each action profile.
    discount : float or sequence of float
        One discount factor in (0, 1) for every player, or one per player (a
        continuation probability plays the same role).
    states : sequence of str, optional
        State labels (default ``"0"``, ``"1"``, ...).
    title : str, optional

    Raises
    ------
    ShapeError
        If a transition array has the wrong shape (the message names the state).
    TransitionError
        If a probability is negative, not finite, or a row does not sum to one (the
        message names the state and the action profile).
    LabelError
        If stage games have different players or state labels are duplicated.
    DiscountFactorError
        If a discount factor is not in (0, 1).

    Examples
    --------
    The Big Match (Blackwell and Ferguson 1968): in state ``play`` player 1 either stops
    (``T``: the outcome of this round is absorbing) or continues (``B``).

    >>> import gametheory as gt
    >>> play = gt.Game.zero_sum([[1, 0], [0, 1]], actions=(("T", "B"), ("L", "R")))
    >>> one, zero = gt.Game.zero_sum([[1]]), gt.Game.zero_sum([[0]])
    >>> P = [[[0, 1, 0], [0, 0, 1]], [[1, 0, 0], [1, 0, 0]]]     # from play
    >>> g = StochasticGame([play, one, zero], [P, [[[0, 1, 0]]], [[[0, 0, 1]]]],
    ...                    discount=0.9, states=("play", "won", "lost"))
    >>> g
    StochasticGame(3 states: play, won, lost; players Player 1, Player 2; discount 0.9)
    """

    __slots__ = ("_exact_discount", "_exact_transitions", "_hash", "_transitions", "discount",
                 "players", "stage_games", "states", "title")

    def __init__(self, stage_games: Sequence[Game], transitions: Sequence[Any],
                 discount: float | Sequence[float], *, states: Sequence[str] | None = None,
                 title: str = ""):
        stages = tuple(stage_games)
        if not stages:
            raise ShapeError("a stochastic game needs at least one state")
        for s, g in enumerate(stages):
            if not isinstance(g, Game):
                raise ShapeError(f"state {s}: the stage game must be a gametheory.Game, got "
                                 f"{type(g).__name__}")
        n = len(stages)
        players = stages[0].players
        for s, g in enumerate(stages):
            if g.players != players:
                raise LabelError(f"state {s}: players {g.players} differ from state 0's "
                                 f"{players}")
        if states is None:
            labels = tuple(str(s) for s in range(n))
        else:
            labels = tuple(str(x) for x in states)
            if len(labels) != n:
                raise LabelError(f"states: {len(labels)} labels for {n} states")
            dup = sorted({x for x in labels if labels.count(x) > 1})
            if dup:
                raise LabelError(f"states: duplicated label(s) {', '.join(dup)}")
        trans = list(transitions)
        if len(trans) != n:
            raise ShapeError(f"transitions: {len(trans)} arrays for {n} states")
        entries = sum(int(np.prod(g.shape)) * n for g in stages)
        if entries > MAX_TRANSITION_ENTRIES:
            raise InputLimitError(f"{entries:,} transition probabilities (profiles x states) "
                                  f"is above the limit of {MAX_TRANSITION_ENTRIES:,}")
        checked, exact = [], []
        for s, (g, t) in enumerate(zip(stages, trans, strict=True)):
            arr, ex = _check_transition(t, g, s, labels)
            checked.append(arr)
            exact.append(ex)
        raw, deltas = _discounts(discount, players)
        init = object.__setattr__
        init(self, "stage_games", stages)
        init(self, "_transitions", tuple(checked))
        # exact twins: None where an input is not exact (see ``is_exact``); dyadic float
        # transitions get theirs lazily
        init(self, "_exact_transitions", exact)
        init(self, "_exact_discount", tuple(as_fraction(d) for d in raw))
        init(self, "discount", deltas)
        init(self, "players", players)
        init(self, "states", labels)
        init(self, "title", str(title))
        init(self, "_hash", None)

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_repeated(cls, repeated) -> StochasticGame:
        """The repeated game of a stage game as a one-state stochastic game.

        >>> import gametheory as gt
        >>> from gametheory.games import prisoners_dilemma
        >>> StochasticGame.from_repeated(gt.RepeatedGame(prisoners_dilemma(), 0.6)).n_states
        1
        """
        g = repeated.stage_game
        return cls([g], [np.ones((*g.shape, 1))], repeated.discount, states=("stage",),
                   title=g.title)

    @classmethod
    def from_step(cls, initial: Hashable, *,
                  actions: Callable[[Any], Sequence[Sequence[str]]],
                  payoff: Callable[[Any, tuple[str, ...]], Sequence[float]],
                  step: Callable[[Any, tuple[str, ...]], Sequence[tuple[float, Any]]],
                  discount: float | Sequence[float], players: Sequence[str] | None = None,
                  label: Callable[[Any], str] = str, max_states: int = 100_000,
                  title: str = "") -> StochasticGame:
        """Build the game over the states reachable from ``initial``.

        Parameters
        ----------
        initial : hashable
            The first state (any hashable value: a tuple of counts, a named tuple).
        actions : callable
            ``actions(state)`` -> one sequence of action labels per player.
        payoff : callable
            ``payoff(state, profile)`` -> one payoff per player (``profile`` is a tuple
            of action labels).
        step : callable
            ``step(state, profile)`` -> ``[(probability, next_state), ...]``; repeated
            next states are added up.
        discount, players, title
            As for the constructor.
        label : callable
            State -> label (default ``str``).
        max_states : int
            The search stops with :class:`~gametheory.errors.InputLimitError` beyond this.

        Examples
        --------
        A count that either player can raise by one, up to 2, and that costs both:

        >>> def acts(k): return (("hold", "raise"), ("hold", "raise"))
        >>> def pay(k, a): return (-k, -k)
        >>> def step(k, a): return [(1.0, min(2, k + a.count("raise")))]
        >>> g = StochasticGame.from_step(0, actions=acts, payoff=pay, step=step, discount=0.9)
        >>> g.states
        ('0', '1', '2')
        """
        max_states = check_count("max_states", max_states, maximum=10_000_000)
        index: dict[Any, int] = {initial: 0}
        exact_probs = True          # every probability an int, Fraction or string
        order = [initial]
        queue = deque([initial])
        rows: list[tuple[Game, list]] = []
        while queue:
            state = queue.popleft()
            acts = [tuple(str(a) for a in labels) for labels in actions(state)]
            shape = tuple(len(a) for a in acts)
            pays = np.empty((*shape, len(acts)), dtype=object)
            nexts = {}
            for prof in np.ndindex(*shape):
                labels = tuple(acts[i][k] for i, k in enumerate(prof))
                pay = tuple(payoff(state, labels))
                if len(pay) != len(acts):
                    raise ShapeError(f"state {label(state)!r}, profile {labels}: payoff() gave "
                                     f"{len(pay)} payoffs for {len(acts)} players")
                pays[prof] = pay
                dist: dict[int, Any] = {}
                for prob, nxt in step(state, labels):
                    if nxt not in index:
                        if len(order) >= max_states:
                            raise InputLimitError(f"more than {max_states:,} reachable "
                                                  "states; raise max_states or coarsen the "
                                                  "state")
                        index[nxt] = len(order)
                        order.append(nxt)
                        queue.append(nxt)
                    if isinstance(prob, numbers.Rational | str):
                        try:
                            prob = as_fraction(prob)
                        except (TypeError, ValueError, ZeroDivisionError) as exc:
                            raise TransitionError(f"state {label(state)!r}, profile {labels}: "
                                                  f"probability {prob!r} is not a number "
                                                  f"({exc})") from None
                    else:
                        prob = float(prob)
                        exact_probs = False
                    dist[index[nxt]] = dist.get(index[nxt], 0) + prob
                nexts[prof] = dist
            game = Game(np.array(pays.tolist(), dtype=object) if pays.size else pays,
                        players=players, actions=acts, title=label(state))
            rows.append((game, nexts))
        n = len(order)
        trans = []
        for game, nexts in rows:
            t = (np.full((*game.shape, n), Fraction(0), dtype=object) if exact_probs
                 else np.zeros((*game.shape, n)))
            for prof, dist in nexts.items():
                for j, p in dist.items():
                    t[(*prof, j)] = p
            trans.append(t)
        return cls([g for g, _ in rows], trans, discount,
                   states=[label(s) for s in order], title=title)

    def with_discount(self, discount: float | Sequence[float]) -> StochasticGame:
        """The same game at other discount factors (checked as the constructor checks
        them; the stage games and transitions, already checked, are shared)."""
        raw, deltas = _discounts(discount, self.players)
        new = object.__new__(type(self))
        for name in self.__slots__:
            object.__setattr__(new, name, getattr(self, name))
        object.__setattr__(new, "_exact_discount", tuple(as_fraction(d) for d in raw))
        object.__setattr__(new, "discount", deltas)
        object.__setattr__(new, "_hash", None)
        return new

    def reachable(self, state: int | str) -> tuple[int, ...]:
        """Indices of the states reachable from ``state`` under some sequence of action
        profiles (``state`` included): the subgames that start there."""
        start = self.state_index(state)
        seen, stack = {start}, [start]
        while stack:
            s = stack.pop()
            nxt = np.flatnonzero(self._transitions[s].reshape(-1, self.n_states).max(axis=0) > 0)
            for j in nxt.tolist():
                if j not in seen:
                    seen.add(j)
                    stack.append(j)
        return tuple(sorted(seen))

    # ----------------------------------------------------------------- access
    @property
    def n_states(self) -> int:
        return len(self.stage_games)

    @property
    def n_players(self) -> int:
        return len(self.players)

    def state_index(self, state: int | str) -> int:
        """Index of a state given by index or label."""
        if isinstance(state, (int, np.integer)) and not isinstance(state, bool):
            if 0 <= state < self.n_states:
                return int(state)
            raise LabelError(f"state index {state} out of range 0..{self.n_states - 1}")
        if state in self.states:
            return self.states.index(state)
        from ..errors import UnknownNameError

        raise UnknownNameError("state", state, self.states)

    def stage(self, state: int | str) -> Game:
        """The stage game of a state."""
        return self.stage_games[self.state_index(state)]

    def transition(self, state: int | str) -> np.ndarray:
        """``P(· | state, a)``: read-only array of shape ``stage.shape + (n_states,)``."""
        return self._transitions[self.state_index(state)]

    # ----------------------------------------------------------------- exact twins
    def exact_transition(self, state: int | str) -> np.ndarray | None:
        """``P(· | state, a)`` as ``Fraction`` objects, or None when the input was inexact.

        Transitions given as integers, ``Fraction``, ``Decimal`` or strings such as
        ``"1/3"`` are exact (a row that sums to one only within the tolerance is divided
        by its exact sum, as the float row is); float transitions are exact when every
        value is a multiple of 1/1024 (halves, quarters, ...), as for payoffs.
        """
        s = self.state_index(state)
        ex = self._exact_transitions[s]
        if ex is None:
            ex = exact_float_array(self._transitions[s])
            if ex is None or any(sum(row) != 1 for row in
                                 ex.reshape(-1, self.n_states).tolist()):
                return None
            ex.setflags(write=False)
            self._exact_transitions[s] = ex
        return ex

    @property
    def exact_discount(self) -> tuple[Fraction, ...]:
        """Each player's discount factor as the number typed (``0.9`` is ``9/10``)."""
        return self._exact_discount

    @property
    def is_exact(self) -> bool:
        """True when payoffs and transitions are exact rationals: pure equilibria are
        then verified in exact arithmetic (:func:`~gametheory.solvers.stochastic.\
exact_markov_check`) with the discount factors :attr:`exact_discount`.

        Examples
        --------
        >>> import gametheory as gt
        >>> from gametheory.games import prisoners_dilemma
        >>> gt.StochasticGame.from_repeated(gt.RepeatedGame(prisoners_dilemma(), 0.9)).is_exact
        True
        """
        return (all(g.is_exact for g in self.stage_games)
                and all(self.exact_transition(s) is not None for s in range(self.n_states)))

    # ----------------------------------------------------------------- values
    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __getstate__(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: dict) -> None:
        # unpickling: the checked fields as they were, the arrays read-only again
        for name, value in state.items():
            if name == "_transitions":
                value = tuple(np.array(t) for t in value)
                for t in value:
                    t.setflags(write=False)
            object.__setattr__(self, name, value)

    def _key(self) -> tuple:
        return (self.stage_games, tuple(t.tobytes() for t in self._transitions),
                self.discount, self.states)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StochasticGame) and self._key() == other._key()

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(self._key()))
        return self._hash

    def __repr__(self) -> str:
        shown = ", ".join(self.states[:6]) + (", ..." if self.n_states > 6 else "")
        d = self.discount
        disc = f"{d[0]:g}" if len(set(d)) == 1 else ", ".join(f"{x:g}" for x in d)
        return (f"{type(self).__name__}({self.n_states} state{'s' * (self.n_states != 1)}: "
                f"{shown}; players {', '.join(self.players)}; discount {disc})")

    def to_frame(self):
        """One row per state and action profile: the payoffs and the next-state
        distribution (only states with positive probability)."""
        import pandas as pd

        rows = []
        for s, (g, t) in enumerate(zip(self.stage_games, self._transitions, strict=True)):
            for prof in np.ndindex(*g.shape):
                rec = {"state": self.states[s]}
                for i, p in enumerate(self.players):
                    rec[f"action {p}"] = g.actions[i][prof[i]]
                for i, p in enumerate(self.players):
                    rec[f"payoff {p}"] = float(g.payoffs[(*prof, i)])
                rec["next"] = "; ".join(f"{self.states[j]}: {t[(*prof, j)]:.4g}"
                                        for j in np.flatnonzero(t[prof]))
                rows.append(rec)
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        frame = self.to_frame()
        head = frame.head(60).to_html(index=False)
        more = f"<p>... {len(frame) - 60} more rows</p>" if len(frame) > 60 else ""
        return f"<div><b>{self!r}</b>{head}{more}</div>"


def _check_transition(t: Any, game: Game, s: int, labels: tuple[str, ...]
                      ) -> tuple[np.ndarray, np.ndarray | None]:
    """The checked float transition array of state ``s`` and, when the input is exact
    (integers, Fractions, Decimals, strings), its exact twin normalised row by row."""
    n = len(labels)
    where = f"state {labels[s]!r}"
    exact = None
    try:
        raw = np.asarray(t)
        if raw.dtype.kind in "USO":
            exact = fraction_array(raw.astype(object))
            arr = np.array([float(v) for v in exact.reshape(-1)],
                           dtype=float).reshape(exact.shape)
        else:
            arr = np.array(raw, dtype=float)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError) as exc:
        raise TransitionError(f"{where}: transition probabilities are not numbers "
                              f"({exc})") from None
    want = (*game.shape, n)
    if arr.shape != want:
        raise ShapeError(f"{where}: transition array of shape {arr.shape}, expected {want} "
                         "(the stage game's shape, then one probability per state)")
    if not np.isfinite(arr).all():
        prof = tuple(int(k) for k in np.argwhere(~np.isfinite(arr))[0][:-1])
        raise TransitionError(f"{where}, profile {_profile(game, prof)}: a transition "
                              "probability is NaN or infinite")
    if (arr < 0).any():
        bad = np.argwhere(arr < 0)[0]
        prof = tuple(int(k) for k in bad[:-1])
        raise TransitionError(f"{where}, profile {_profile(game, prof)}: negative probability "
                              f"{arr[tuple(bad)]:g} of moving to {labels[bad[-1]]!r}")
    sums = arr.sum(axis=-1)
    off = np.abs(sums - 1.0) > SUM_TOL
    if off.any():
        prof = tuple(int(k) for k in np.argwhere(off)[0])
        raise TransitionError(f"{where}, profile {_profile(game, prof)}: next-state "
                              f"probabilities sum to {sums[prof]:.12g}, not 1")
    arr = np.ascontiguousarray(arr / sums[..., None])
    arr.setflags(write=False)
    if exact is not None:
        flat = exact.reshape(-1, n)
        for r in range(flat.shape[0]):
            total = sum(flat[r].tolist())
            if total != 1:
                flat[r] = [v / total for v in flat[r].tolist()]
        exact.setflags(write=False)
    return arr, exact


def _profile(game: Game, prof: tuple[int, ...]) -> str:
    return "(" + ", ".join(game.actions[i][k] for i, k in enumerate(prof)) + ")"
