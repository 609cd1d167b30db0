"""Normal-form games as immutable values.

A :class:`Game` stores the payoff-profile array of QuantEcon's
``NormalFormGame``: for N players with ``n_1, ..., n_N`` actions it has shape
``(n_1, ..., n_N, N)`` and entry ``[a_1, ..., a_N, i]`` is player ``i``'s payoff
when each player ``j`` plays action ``a_j``. The bimatrix ``(A, B)`` of a
two-player game is ``payoffs[..., 0]`` and ``payoffs[..., 1]``.
"""

from __future__ import annotations

import functools
import hashlib
import numbers
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from .._numbers import exact_float_array, fraction_array, to_float_array
from ..errors import LabelError, PayoffError, ProfileError, ShapeError, UnknownNameError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Game", "MixedStrategy", "action_values", "batch_profile_values", "profile_regrets",
           "profile_values"]

#: Default tolerance for "is this a best response" checks, relative to the payoff range.
DEFAULT_TOL = 1e-9


class MixedStrategy:
    """A labelled mixed strategy of one player: a probability per action.

    Behaves like a read-only 1-D array (``np.asarray(s)``, ``s[0]``, ``len(s)``)
    and can also be indexed by action label (``s["Hold"]``). The values are
    floats, or ``Fraction`` when the strategy is exact.

    Examples
    --------
    >>> s = MixedStrategy([0.25, 0.75], actions=("Hold", "Retaliate"), player="US")
    >>> s["Retaliate"], float(s[0])
    (0.75, 0.25)
    >>> s
    MixedStrategy(US: Hold=0.25, Retaliate=0.75)
    """

    __slots__ = ("_array", "_values", "actions", "player")

    def __init__(self, values: Sequence[Any] | np.ndarray, *, actions: Sequence[str],
                 player: str = ""):
        if isinstance(values, np.ndarray) and values.dtype.kind == "f" and values.ndim == 1:
            # the common case (solvers' float results): no per-entry type checks
            if len(values) != len(actions):
                raise ShapeError(
                    f"strategy of {player or 'player'} has {len(values)} probabilities "
                    f"for {len(actions)} actions"
                )
            arr = values.astype(float)  # a copy
            arr.setflags(write=False)
            self._values = tuple(arr.tolist())
            self._array = arr
            self.actions = tuple(actions)
            self.player = player
            return
        vals = list(values)
        if len(vals) != len(actions):
            raise ShapeError(
                f"strategy of {player or 'player'} has {len(vals)} probabilities "
                f"for {len(actions)} actions"
            )
        exact = all(isinstance(v, Fraction | numbers.Integral) for v in vals)
        self._values: tuple = (
            tuple(Fraction(v) for v in vals) if exact else tuple(float(v) for v in vals)
        )
        arr = np.array([float(v) for v in vals], dtype=float)
        arr.setflags(write=False)
        self._array = arr
        self.actions = tuple(actions)
        self.player = player

    @property
    def exact(self) -> bool:
        """True when the probabilities are exact ``Fraction`` values."""
        return bool(self._values) and isinstance(self._values[0], Fraction)

    @property
    def probabilities(self) -> np.ndarray:
        """The probabilities as a read-only float array."""
        return self._array

    @property
    def values(self) -> tuple:
        """The probabilities as stored: ``Fraction`` when exact, else ``float``."""
        return self._values

    @property
    def support(self) -> tuple[int, ...]:
        """Indices of the actions played with positive probability."""
        return tuple(int(k) for k, v in enumerate(self._values) if v > 0)

    def as_dict(self) -> dict[str, Any]:
        """``{action label: probability}``."""
        return dict(zip(self.actions, self._values, strict=True))

    def __array__(self, dtype=None, copy=None):
        if dtype is None or np.dtype(dtype) == self._array.dtype:
            return self._array.copy() if copy else self._array
        return self._array.astype(dtype)

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self):
        return iter(self._values)

    def __getitem__(self, key: int | str):
        if isinstance(key, str):
            try:
                return self._values[self.actions.index(key)]
            except ValueError:
                raise UnknownNameError(f"action of {self.player or 'player'}", key,
                                       self.actions) from None
        return self._values[key]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MixedStrategy):
            return self._values == other._values and self.actions == other.actions
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._values, self.actions))

    def __repr__(self) -> str:
        parts = ", ".join(f"{a}={_fmt(v)}" for a, v in zip(self.actions, self._values,
                                                            strict=True))
        inner = f"{self.player}: {parts}" if self.player else parts
        return f"MixedStrategy({inner})"

    def _repr_html_(self) -> str:
        from .._format import table_html

        return table_html(list(self.actions), [list(self.values)],
                          caption=f"Mixed strategy of {self.player}")


def _fmt(v: Any) -> str:
    if isinstance(v, Fraction):
        return str(v)
    return f"{v:.6g}"


def _check_labels(labels: Sequence[Any] | None, n: int, default: list[str], what: str
                  ) -> tuple[str, ...]:
    if labels is None:
        return tuple(default)
    if isinstance(labels, str):
        raise LabelError(f"{what} must be a sequence of strings, got the string {labels!r}")
    out = tuple(labels)
    if len(out) != n:
        raise LabelError(f"{what}: expected {n} labels, got {len(out)}: {list(out)!r}")
    if not all(isinstance(x, str) for x in out):
        bad = next(x for x in out if not isinstance(x, str))
        raise LabelError(f"{what}: labels must be strings, got {bad!r}")
    if len(set(out)) != n:
        dup = next(x for x in out if out.count(x) > 1)
        raise LabelError(f"{what}: duplicate label {dup!r}")
    return out


def _as_payoff_profile(data: Any) -> tuple[np.ndarray, np.ndarray | None]:
    """Float payoff-profile array and, when the input is exact, its Fraction twin."""
    try:
        raw = np.asarray(data)
    except ValueError as exc:  # ragged nested lists
        raise ShapeError(f"payoffs are ragged (rows of different lengths): {exc}") from None
    if raw.dtype.kind in "US":
        raw = raw.astype(object)
    if raw.dtype == object:
        try:
            exact = fraction_array(raw)
        except (TypeError, ValueError, ZeroDivisionError) as exc:
            raise PayoffError(f"payoff is not a finite real number: {exc}") from None
        try:
            values = to_float_array(exact)
        except OverflowError:
            values = np.full(exact.shape, np.inf)
        _check_float_payoffs(values)
        return values, exact
    if raw.dtype.kind == "c":
        raise PayoffError("payoffs must be real numbers, got complex values")
    if raw.dtype.kind not in "biuf":
        raise PayoffError(f"payoffs must be numbers, got dtype {raw.dtype}")
    values = raw.astype(float)
    _check_float_payoffs(values)
    if raw.dtype.kind in "biu":
        return values, None  # exact twin built lazily from the integers
    return values, None


def _check_float_payoffs(values: np.ndarray) -> None:
    """Every payoff finite, and their range representable: a game whose payoffs span
    more than the largest float (1.8e308) has no meaningful regret tolerance."""
    bad = ~np.isfinite(values)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise PayoffError(f"payoff at index {idx} is {float(values[idx])!r} as a float; payoffs "
                          "must be finite numbers within +/-1.8e308")
    if values.size:
        with np.errstate(over="ignore"):
            span = values.max() - values.min()
        if not np.isfinite(span):
            hi = tuple(int(i) for i in np.unravel_index(np.argmax(values), values.shape))
            lo = tuple(int(i) for i in np.unravel_index(np.argmin(values), values.shape))
            raise PayoffError(f"payoffs range from {values[lo]:.3g} (index {lo}) to "
                              f"{values[hi]:.3g} (index {hi}): the range overflows floating "
                              "point; rescale the payoffs (equilibria do not change)")


class Game:
    """An N-player normal-form game with labelled players and actions.

    Games are values: the payoff array is read-only, two games are equal when
    their payoffs and labels are equal, and a game can be hashed.

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_N, N)
        The payoff-profile array. Entries may be numbers, ``Fraction``,
        ``Decimal`` or strings such as ``"2/3"`` (exact rationals).
    players : sequence of str, optional
        Player labels (default ``"Player 1"``, ``"Player 2"``, ...).
    actions : sequence of sequences of str, optional
        Action labels of each player (default ``"1"``, ``"2"``, ... as in Gambit).
    title : str, optional
        A title, shown in displays and written to ``.nfg`` files.

    Raises
    ------
    ShapeError
        If the array is ragged or its last axis is not the number of players.
    PayoffError
        If a payoff is NaN, infinite or not a number.
    LabelError
        If labels have the wrong count or are duplicated.

    Notes
    -----
    Payoffs given as integers, rationals, decimal strings or floats that are
    multiples of 1/1024 are *exact*: :attr:`exact_payoffs` returns them as
    ``Fraction`` and solvers re-check every equilibrium in exact arithmetic.

    Examples
    --------
    >>> import gametheory as gt
    >>> g = gt.Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                           players=("US", "Russia"),
    ...                           actions=(("Restrain", "Retaliate"),) * 2)
    >>> g
    Game(US: Restrain, Retaliate | Russia: Restrain, Retaliate)
    >>> g.payoff(("Retaliate", "Retaliate"))
    array([1., 1.])
    >>> g.is_nash([[0, 1], [0, 1]])
    True
    """

    __slots__ = ("_exact", "_hash", "_payoffs", "_scale", "actions", "players", "title")

    def __init__(self, payoffs: Any, *, players: Sequence[str] | None = None,
                 actions: Sequence[Sequence[str]] | None = None, title: str = ""):
        values, exact = _as_payoff_profile(payoffs)
        if values.ndim < 2:
            raise ShapeError(
                "a payoff-profile array needs shape (n_1, ..., n_N, N); "
                f"got shape {values.shape}"
            )
        n_players = values.ndim - 1
        if values.shape[-1] != n_players:
            raise ShapeError(
                f"payoff-profile array of shape {values.shape} describes {n_players} players' "
                f"actions but its last axis holds {values.shape[-1]} payoffs per profile"
            )
        if 0 in values.shape:
            raise ShapeError(f"every player needs at least one action; got shape {values.shape}")
        values = np.ascontiguousarray(values)
        values.setflags(write=False)
        if exact is not None:
            exact.setflags(write=False)
        players_ = _check_labels(players, n_players,
                                 [f"Player {i + 1}" for i in range(n_players)], "players")
        if actions is None:
            actions_ = tuple(tuple(str(k + 1) for k in range(n)) for n in values.shape[:-1])
        else:
            acts = list(actions)
            if len(acts) != n_players:
                raise LabelError(f"actions: expected one label list per player ({n_players}), "
                                 f"got {len(acts)}")
            actions_ = tuple(
                _check_labels(a, n, [], f"actions of {p!r}")
                for a, n, p in zip(acts, values.shape[:-1], players_, strict=True)
            )
        init = object.__setattr__
        init(self, "_exact", exact)
        init(self, "_hash", None)
        init(self, "_scale", None)
        init(self, "players", players_)
        init(self, "actions", actions_)
        init(self, "title", str(title))
        init(self, "_payoffs", values)

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_bimatrix(cls, A: Any, B: Any, *, players: Sequence[str] | None = None,
                      actions: Sequence[Sequence[str]] | None = None, title: str = "") -> Game:
        """Two-player game from the row player's matrix ``A`` and the column player's ``B``.

        Examples
        --------
        >>> g = Game.from_bimatrix([[1, 2], [3, 0]], [[0, 2], [3, 1]])
        >>> g.shape
        (2, 2)
        """
        a, b = _bimatrix_part(A, "A"), _bimatrix_part(B, "B")
        if a.shape != b.shape:
            raise ShapeError(f"A has shape {a.shape} but B has shape {b.shape}; they must match")
        return cls(np.stack([a, b], axis=-1), players=players, actions=actions, title=title)

    @classmethod
    def zero_sum(cls, A: Any, *, players: Sequence[str] | None = None,
                 actions: Sequence[Sequence[str]] | None = None, title: str = "") -> Game:
        """Two-player zero-sum game in which the column player receives ``-A``.

        Examples
        --------
        >>> Game.zero_sum([[1, -1], [-1, 1]]).is_zero_sum
        True
        """
        a = _bimatrix_part(A, "A")
        neg = -a
        if a.dtype == object:
            neg = np.vectorize(lambda x: -x, otypes=[object])(a)
        return cls(np.stack([a, neg], axis=-1), players=players, actions=actions, title=title)

    @classmethod
    def from_payoff_arrays(cls, arrays: Sequence[Any], **labels: Any) -> Game:
        """N-player game from one payoff array per player, each of shape ``(n_1, ..., n_N)``."""
        parts = [_bimatrix_part(a, f"payoff array {i}", ndim=None) for i, a in enumerate(arrays)]
        shapes = {p.shape for p in parts}
        if len(shapes) != 1:
            raise ShapeError(f"payoff arrays have different shapes: {sorted(shapes)}")
        if parts[0].ndim != len(parts):
            raise ShapeError(f"{len(parts)} payoff arrays of {parts[0].ndim} dimensions; an "
                             "N-player game needs N arrays of N dimensions")
        return cls(np.stack(parts, axis=-1), **labels)

    @classmethod
    def from_nashpy(cls, game: Any, **labels: Any) -> Game:
        """Convert a ``nashpy.Game`` (two players)."""
        A, B = game.payoff_matrices
        return cls.from_bimatrix(A, B, **labels)

    @classmethod
    def from_pygambit(cls, game: Any) -> Game:
        """Convert a strategic ``pygambit`` game, keeping exact payoffs and all labels."""
        arrays = [np.asarray(a, dtype=object) for a in game.to_arrays()]
        players = list(game.players)
        labels = []
        for p in players:
            strategies = game.get_strategies(p)
            labels.append([s if isinstance(s, str) else s.label for s in strategies])
        names = [p if isinstance(p, str) else p.label for p in players]
        return cls.from_payoff_arrays(arrays, players=_unique(names, "Player"),
                                      actions=[_unique(a, "") for a in labels],
                                      title=getattr(game, "title", "") or "")

    def to_nashpy(self):
        """The game as a ``nashpy.Game`` (two players only)."""
        import nashpy

        A, B = self.bimatrix
        return nashpy.Game(np.array(A), np.array(B))

    def relabel(self, *, players: Sequence[str] | None = None,
                actions: Sequence[Sequence[str]] | None = None, title: str | None = None
                ) -> Game:
        """A copy with new labels (payoffs unchanged)."""
        return Game(self._exact if self._exact is not None else self._payoffs,
                    players=players or self.players, actions=actions or self.actions,
                    title=self.title if title is None else title)

    # ----------------------------------------------------------------- structure
    @property
    def payoffs(self) -> np.ndarray:
        """The read-only float payoff-profile array, shape ``(n_1, ..., n_N, N)``."""
        return self._payoffs

    @property
    def n_players(self) -> int:
        """Number of players."""
        return self._payoffs.ndim - 1

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of actions of each player."""
        return tuple(self._payoffs.shape[:-1])

    def payoff_array(self, player: int | str) -> np.ndarray:
        """Player's payoffs, shape ``(n_1, ..., n_N)``, indexed by the full action profile."""
        return self._payoffs[..., self.player_index(player)]

    @property
    def bimatrix(self) -> tuple[np.ndarray, np.ndarray]:
        """``(A, B)`` for a two-player game."""
        self._require_players(2, "bimatrix")
        return self._payoffs[..., 0], self._payoffs[..., 1]

    @property
    def exact_payoffs(self) -> np.ndarray | None:
        """The payoff-profile array as ``Fraction`` objects, or None if the payoffs are inexact.

        Examples
        --------
        >>> Game.from_bimatrix([[1, 0.5]], [["1/3", 0]]).exact_payoffs[0, 1, 0]
        Fraction(1, 2)
        """
        if self._exact is None:
            exact = exact_float_array(self._payoffs)
            if exact is None:
                return None
            exact.setflags(write=False)
            object.__setattr__(self, "_exact", exact)
        return self._exact

    @property
    def is_exact(self) -> bool:
        """True when payoffs are exact rationals (see :attr:`exact_payoffs`)."""
        return self.exact_payoffs is not None

    @property
    def is_zero_sum(self) -> bool:
        """True when the payoffs of all players sum to zero in every profile."""
        return bool(np.allclose(self._payoffs.sum(axis=-1), 0.0, atol=1e-12))

    @property
    def is_constant_sum(self) -> bool:
        """True when the payoffs of all players sum to the same constant in every profile."""
        s = self._payoffs.sum(axis=-1)
        return bool(np.allclose(s, s.flat[0], atol=1e-12))

    def player_index(self, player: int | str) -> int:
        """Index of a player given by index or label."""
        if isinstance(player, str):
            if player not in self.players:
                raise UnknownNameError("player", player, self.players)
            return self.players.index(player)
        i = int(player)
        if not 0 <= i < self.n_players:
            raise ProfileError(f"player index {i} out of range for {self.n_players} players")
        return i

    def action_index(self, player: int | str, action: int | str) -> int:
        """Index of an action given by index or label."""
        i = self.player_index(player)
        if isinstance(action, str):
            if action not in self.actions[i]:
                raise UnknownNameError(f"action of {self.players[i]!r}", action, self.actions[i])
            return self.actions[i].index(action)
        a = int(action)
        if not 0 <= a < self.shape[i]:
            raise ProfileError(f"action index {a} of {self.players[i]!r} out of range "
                               f"0..{self.shape[i] - 1}")
        return a

    # ----------------------------------------------------------------- profiles
    def mixed_profile(self, profile: Any) -> list[np.ndarray]:
        """Normalise a profile to one probability array per player, validating it.

        A profile is a sequence with one entry per player; each entry is an
        action (index or label, meaning that action with probability one) or a
        sequence of probabilities (or a :class:`MixedStrategy`).

        Raises
        ------
        ProfileError
            Wrong number of players or actions, negative probabilities,
            probabilities not summing to one (tolerance 1e-9), NaN.
        """
        if isinstance(profile, str | bytes) or not isinstance(profile, Sequence | np.ndarray):
            raise ProfileError(f"a profile must be a sequence with one entry per player, "
                               f"got {profile!r}")
        if len(profile) != self.n_players:
            raise ProfileError(f"profile has {len(profile)} entries for {self.n_players} players")
        out = []
        for i, entry in enumerate(profile):
            n = self.shape[i]
            if isinstance(entry, str | numbers.Integral):
                x = np.zeros(n)
                x[self.action_index(i, entry)] = 1.0
                out.append(x)
                continue
            try:
                x = np.asarray(entry, dtype=float).reshape(-1)
            except (TypeError, ValueError):
                raise ProfileError(f"strategy of {self.players[i]!r} is not a probability "
                                   f"vector: {entry!r}") from None
            if x.shape != (n,):
                raise ProfileError(f"strategy of {self.players[i]!r} has {x.size} "
                                   f"probabilities for {n} actions")
            if not np.all(np.isfinite(x)):
                raise ProfileError(f"strategy of {self.players[i]!r} contains NaN or inf: "
                                   f"{x.tolist()}")
            if np.any(x < -1e-12):
                k = int(np.argmin(x))
                raise ProfileError(f"strategy of {self.players[i]!r} gives action "
                                   f"{self.actions[i][k]!r} the negative probability {x[k]!r}")
            total = float(x.sum())
            if abs(total - 1.0) > 1e-9:
                raise ProfileError(f"probabilities of {self.players[i]!r} sum to {total!r}, "
                                   "not 1")
            out.append(np.clip(x, 0.0, None))
        return out

    def _pure_index(self, profile: Any) -> tuple[int, ...] | None:
        if (isinstance(profile, Sequence) and not isinstance(profile, str)
                and len(profile) == self.n_players
                and all(isinstance(e, str | numbers.Integral) for e in profile)):
            return tuple(self.action_index(i, a) for i, a in enumerate(profile))
        return None

    def payoff(self, profile: Any) -> np.ndarray:
        """Expected payoff of every player under a pure or mixed profile.

        Examples
        --------
        >>> from gametheory.games import matching_pennies
        >>> matching_pennies().payoff([[0.5, 0.5], [0.5, 0.5]])
        array([0., 0.])
        """
        idx = self._pure_index(profile)
        if idx is not None:
            return self._payoffs[idx].copy()
        sigma = self.mixed_profile(profile)
        return _expected(self._payoffs, sigma)

    def action_values(self, profile: Any, player: int | str) -> np.ndarray:
        """Expected payoff of each of ``player``'s actions against the others' strategies."""
        i = self.player_index(player)
        sigma = self.mixed_profile(profile)
        return action_values(self._payoffs[..., i], sigma, i)

    def best_responses(self, profile: Any, player: int | str | None = None, *,
                       tol: float = DEFAULT_TOL) -> tuple[int, ...] | tuple[tuple[int, ...], ...]:
        """Indices of the pure best responses to a profile.

        With ``player`` given, that player's best responses; otherwise one tuple
        per player. ``tol`` is relative to the game's payoff range.

        Examples
        --------
        >>> from gametheory.games import prisoners_dilemma
        >>> prisoners_dilemma().best_responses(["Cooperate", "Cooperate"])
        ((1,), (1,))
        """
        sigma = self.mixed_profile(profile)
        atol = tol * self.payoff_scale
        players = range(self.n_players) if player is None else [self.player_index(player)]
        out = []
        for i in players:
            v = action_values(self._payoffs[..., i], sigma, i)
            out.append(tuple(int(k) for k in np.flatnonzero(v >= v.max() - atol)))
        return out[0] if player is not None else tuple(out)

    def regret(self, profile: Any) -> np.ndarray:
        """Each player's gain from the best deviation (0 for a best response)."""
        sigma = self.mixed_profile(profile)
        return profile_regrets(self._payoffs, sigma)

    def is_nash(self, profile: Any, tol: float = DEFAULT_TOL) -> bool:
        """True when no player gains more than ``tol`` × payoff range by deviating.

        Examples
        --------
        >>> from gametheory.games import matching_pennies
        >>> matching_pennies().is_nash([[0.5, 0.5], [0.5, 0.5]])
        True
        >>> matching_pennies().is_nash([[1, 0], [0.5, 0.5]])
        False
        """
        return bool(np.all(self.regret(profile) <= tol * self.payoff_scale))

    @property
    def payoff_scale(self) -> float:
        """``max(1, max payoff - min payoff)``: the scale for relative tolerances."""
        if self._scale is None:  # computed once: verification asks for it per candidate
            object.__setattr__(self, "_scale", float(max(1.0, np.ptp(self._payoffs))))
        return self._scale

    def pure_equilibria(self, tol: float = DEFAULT_TOL) -> list[tuple[int, ...]]:
        """All pure-strategy Nash equilibria as action-index tuples (vectorised)."""
        atol = tol * self.payoff_scale
        ok = np.ones(self.shape, dtype=bool)
        for i in range(self.n_players):
            u = self._payoffs[..., i]
            ok &= u >= u.max(axis=i, keepdims=True) - atol
        return [tuple(int(a) for a in idx) for idx in np.argwhere(ok)]

    # ----------------------------------------------------------------- values
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Game):
            return NotImplemented
        return (self.players == other.players and self.actions == other.actions
                and self.title == other.title
                and np.array_equal(self._payoffs, other._payoffs))

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(self, "_hash", hash((self.players, self.actions, self.title,
                                                    self._payoffs.tobytes())))
        return self._hash

    def digest(self) -> str:
        """A SHA-256 hex digest of payoffs and labels (stable across processes)."""
        h = hashlib.sha256()
        h.update(repr((self.players, self.actions, self.shape)).encode())
        h.update(np.ascontiguousarray(self._payoffs).tobytes())
        return h.hexdigest()

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(self, "_payoffs") and name in Game.__slots__:
            raise AttributeError(f"Game is immutable; cannot set {name!r}")
        object.__setattr__(self, name, value)

    def __reduce__(self):
        data = self._exact if self._exact is not None else self._payoffs
        return (_rebuild, (np.array(data), self.players, self.actions, self.title))

    # ----------------------------------------------------------------- display
    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per pure profile, action labels and payoffs.

        Examples
        --------
        >>> from gametheory.games import prisoners_dilemma
        >>> prisoners_dilemma().to_frame().columns.tolist()
        ['Player 1', 'Player 2', 'payoff Player 1', 'payoff Player 2']
        """
        import pandas as pd

        idx = np.indices(self.shape).reshape(self.n_players, -1).T
        data: dict[str, Any] = {}
        for i, p in enumerate(self.players):
            data[p] = pd.Categorical([self.actions[i][k] for k in idx[:, i]],
                                     categories=list(self.actions[i]), ordered=True)
        flat = self._payoffs.reshape(-1, self.n_players)
        for i, p in enumerate(self.players):
            data[f"payoff {p}"] = flat[:, i]
        return pd.DataFrame(data)

    def __repr__(self) -> str:
        head = " | ".join(f"{p}: {', '.join(a)}" for p, a in zip(self.players, self.actions,
                                                                  strict=True))
        title = f"{self.title!r}; " if self.title else ""
        return f"Game({title}{head})"

    def __str__(self) -> str:
        from .._format import game_text

        return game_text(self)

    def _repr_html_(self) -> str:
        from .._format import game_html

        return game_html(self)

    def _repr_latex_(self) -> str:
        from .._format import game_latex

        return game_latex(self)

    def _require_players(self, n: int, what: str) -> None:
        if self.n_players != n:
            raise ShapeError(f"{what} needs a {n}-player game; this game has "
                             f"{self.n_players} players")


def _rebuild(data, players, actions, title):
    return Game(data, players=players, actions=actions, title=title)


def _unique(labels: Sequence[str], prefix: str) -> list[str]:
    """Gambit allows empty or repeated labels; make them unique and non-empty."""
    out: list[str] = []
    for k, lab in enumerate(labels):
        name = lab or f"{prefix}{' ' if prefix else ''}{k + 1}"
        while name in out:
            name = f"{name}'"
        out.append(name)
    return out


def _bimatrix_part(M: Any, name: str, ndim: int | None = 2) -> np.ndarray:
    try:
        arr = np.asarray(M)
    except ValueError:
        raise ShapeError(f"{name} is ragged (rows of different lengths)") from None
    if arr.dtype.kind in "US":
        arr = arr.astype(object)
    if arr.dtype == object:
        try:
            arr = fraction_array(arr)
        except (TypeError, ValueError, ZeroDivisionError) as exc:
            raise PayoffError(f"{name}: payoff is not a finite real number: {exc}") from None
    elif arr.dtype.kind not in "biuf":
        raise PayoffError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ShapeError(f"{name} must be a {ndim}-dimensional matrix, got shape {arr.shape}")
    if arr.dtype != object:
        bad = ~np.isfinite(arr.astype(float))
        if bad.any():
            idx = tuple(int(i) for i in np.argwhere(bad)[0])
            raise PayoffError(f"{name}[{', '.join(map(str, idx))}] is {float(arr[idx])!r}; "
                              "payoffs must be finite")
    return arr


def _expected(payoffs: np.ndarray, sigma: Sequence[np.ndarray]) -> np.ndarray:
    out = payoffs
    for s in sigma:
        out = np.tensordot(s, out, axes=(0, 0))
    return np.asarray(out, dtype=float)


def action_values(u: np.ndarray, sigma: Sequence[np.ndarray], i: int) -> np.ndarray:
    """Payoff of each action of player i: contract ``u`` (i's payoff array, one axis per
    player) over every other player's mixed strategy in ``sigma``."""
    others = [np.asarray(s, dtype=float) for j, s in enumerate(sigma) if j != i]
    return np.asarray(_contract_others(np.asarray(u, dtype=float), others, i), dtype=float)


def _contract_others(u: np.ndarray, others: list[np.ndarray], i: int) -> np.ndarray:
    """Player i's action values: ``u`` contracted over the others' strategies, each of
    shape (m_j,) or, for a batch of profiles, (c, m_j); the result is (m_i,) or
    (c, m_i). A matrix product for two players, one einsum otherwise."""
    n = u.ndim
    if n == 1:
        return u
    if n == 2:
        return others[0] @ u.T if i == 0 else others[0] @ u
    return np.einsum(_contraction(n, i), u, *others)


def profile_regrets(payoffs: np.ndarray, sigma: Sequence[np.ndarray]) -> np.ndarray:
    """Each player's regret (best action value minus the profile's value) at ``sigma``,
    for a payoff-profile array."""
    return profile_values(payoffs, sigma)[1]


def profile_values(payoffs: np.ndarray, sigma: Sequence[np.ndarray]
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Each player's expected payoff and regret at ``sigma`` (one pass over the action
    values), for a payoff-profile array."""
    parts = [np.asarray(s, dtype=float).reshape(-1) for s in sigma]
    if [len(p) for p in parts] != list(payoffs.shape[:-1]):
        raise ShapeError(f"a profile of {[len(p) for p in parts]} probabilities for a game "
                         f"of shape {payoffs.shape[:-1]}")
    values, regrets = batch_profile_values(payoffs, np.concatenate(parts)[None, :])
    return values[0], regrets[0]


def batch_profile_values(payoffs: np.ndarray, profiles: np.ndarray
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Expected payoffs and regrets of many profiles at once.

    ``profiles`` has one row per profile: every player's mixed strategy, concatenated
    (shape ``(c, sum of the action counts)``). Returns the values and the regrets,
    each of shape ``(c, n_players)``: one contraction per player for the whole batch
    (verification calls this with every candidate of a solver).
    """
    n = payoffs.ndim - 1
    shape = payoffs.shape[:-1]
    X = np.asarray(profiles, dtype=float)
    if X.ndim != 2 or X.shape[1] != sum(shape):
        raise ShapeError(f"profiles must be rows of {sum(shape)} probabilities (every "
                         f"player's strategy), got shape {X.shape}")
    parts = []
    start = 0
    for m in shape:  # slices, not np.split (a tenth of the cost on small batches)
        parts.append(X[:, start:start + m])
        start += m
    values = np.empty((len(X), n))
    best = np.empty((len(X), n))
    for i in range(n):
        v = _contract_others(np.asarray(payoffs[..., i], dtype=float),
                             [parts[j] for j in range(n) if j != i], i)
        if v.ndim == 1:  # a one-player game
            v = np.broadcast_to(v, (len(X), shape[i]))
        values[:, i] = (v * parts[i]).sum(axis=1)
        best[:, i] = v.max(axis=1)
    return values, np.maximum(0.0, best - values)


@functools.lru_cache(maxsize=256)
def _contraction(n: int, i: int) -> str:
    """The einsum subscripts contracting an n-player payoff array over every player's
    strategy but player i's, for a batch of profiles (``"abc,...a,...c->...b"`` for
    n = 3, i = 1)."""
    letters = [chr(ord("a") + k) if k < 26 else chr(ord("A") + k - 26) for k in range(n)]
    return ("".join(letters) + "," + ",".join("..." + letters[j] for j in range(n) if j != i)
            + "->..." + letters[i])
