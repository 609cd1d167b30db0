"""Strategy classes for iterated play: the base class, the game as a player sees it, the registry.

A strategy is a small class with a ``name``, a ``classifier`` dict and one
decision method. The constructor only stores parameters; everything that
depends on the game (payoffs, action magnitudes) is read in :meth:`Strategy.reset`
from the :class:`PlayerView` of the game actually played.

Actions are indices into the player's actions, ordered from the most
cooperative (0) to the most hostile (last); ``view.magnitudes`` gives each
action's size (by default 0, 1, 2, ...). In the prisoner's dilemma 0 is
Cooperate and 1 is Defect.

Two ways to decide:

* ``decide(history) -> int``: plain Python, one match; every strategy has it,
  and a user's class needs nothing else.
* ``decide_batch(batch) -> ndarray``: optional, many matches at once
  (NumPy); the engine uses it when present. It must agree with ``decide``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import numpy as np

from ..errors import StrategyError, UnknownNameError
from ..games.views import PlayerView

__all__ = [
    "CLASSIFIER_KEYS",
    "DEFAULT_CLASSIFIER",
    "Batch",
    "History",
    "PlayerView",
    "Strategy",
    "StrategyError",
    "all_strategies",
    "filter_strategies",
    "get_strategy",
    "register",
]

#: Every classifier key and its default (see :class:`Strategy`).
DEFAULT_CLASSIFIER: dict[str, Any] = {
    "memory_depth": float("inf"),
    "stochastic": False,
    "uses_magnitudes": False,
    "reads_payoffs": False,
    "diplomatic": False,
    "finite_automaton": False,
    "min_actions": 2,
    "max_actions": None,
}
#: Keys every classifier has (defaults in :data:`DEFAULT_CLASSIFIER`).
CLASSIFIER_KEYS = tuple(DEFAULT_CLASSIFIER)




class History:
    """What a strategy knows in one match: its own executed actions and what it observed.

    ``own`` and ``opponent`` are lists of action indices (the opponent's as
    perceived, which differs from what was played under observation noise);
    ``random()`` returns this turn's uniform draw from the match's own stream.
    """

    __slots__ = ("_u", "intended", "opponent", "own", "view")

    def __init__(self, view: PlayerView):
        self.view = view
        self.own: list[int] = []
        self.opponent: list[int] = []
        self.intended: list[int] = []
        self._u = 0.5

    def __len__(self) -> int:
        return len(self.own)

    @property
    def turn(self) -> int:
        return len(self.own)

    def random(self) -> float:
        """This turn's uniform random number in [0, 1)."""
        return self._u

    def opponent_magnitudes(self) -> list[float]:
        """Magnitudes of the opponent's observed actions."""
        return [float(self.view.other_magnitudes[a]) for a in self.opponent]


class Batch:
    """Many matches at one turn, for vectorised decisions.

    Attributes
    ----------
    own, opponent : ndarray of int, shape (n, turn)
        Executed own actions and observed opponent actions so far.
    intended : ndarray of int, shape (n, turn)
        What this side meant to play (differs from ``own`` under implementation noise).
    u : ndarray, shape (n,)
        This turn's uniform draws, one per match.
    turn : int
    view : PlayerView
    state : dict
        Per-match state arrays a strategy keeps between turns (set up in
        ``start_batch``).
    """

    __slots__ = ("_hist", "_span", "n", "state", "turn", "u", "view")

    def __init__(self, n: int, view: PlayerView):
        self.view = view
        self.state: dict[str, np.ndarray] = {}
        self.turn = 0
        self.n = n
        self.u = np.zeros(n)
        empty = np.zeros((0, n), dtype=np.int64)
        self._hist = (empty, empty, empty)  # turn-major (turns, slots) arrays
        self._span = slice(0, n)

    def attach(self, own: np.ndarray, opponent: np.ndarray, intended: np.ndarray,
               span: slice) -> None:
        """Engine hook: point the batch at turn-major history arrays and its slot range."""
        self._hist = (own, opponent, intended)
        self._span = span

    @property
    def own(self) -> np.ndarray:
        return self._hist[0][:self.turn, self._span].T

    @property
    def opponent(self) -> np.ndarray:
        return self._hist[1][:self.turn, self._span].T

    @property
    def intended(self) -> np.ndarray:
        return self._hist[2][:self.turn, self._span].T

    @property
    def last_own(self) -> np.ndarray:
        """Own executed actions on the previous turn (turn > 0)."""
        return self._hist[0][self.turn - 1, self._span]

    @property
    def last_opponent(self) -> np.ndarray:
        """Observed opponent actions on the previous turn (turn > 0)."""
        return self._hist[1][self.turn - 1, self._span]


class Strategy:
    """Base class of all strategies: subclass it to write your own.

    A subclass sets ``name``, may set a ``classifier`` with the keys it wants to
    declare, and implements ``decide`` (optionally ``setup``, and
    ``start_batch``/``decide_batch`` for vectorised play). Constructors only store
    parameters (scikit-learn style) under the names listed in ``params``, so
    ``clone()`` and pickling work.

    Classifier keys (any key a subclass leaves out takes its default; an unknown
    key is an error naming the valid ones):

    ==================  ========  ===============================================
    key                 default   meaning
    ==================  ========  ===============================================
    memory_depth        inf       turns of history the decision reads (inf: all)
    stochastic          False     draws random numbers (``history.random()``)
    uses_magnitudes     False     reads action magnitudes (graded games)
    reads_payoffs       False     reads the game's payoffs (``self.view``)
    diplomatic          False     written for the embassy-dispute games
    finite_automaton    False     has an exact automaton (``as_automaton``)
    min_actions         2         fewest actions of its own it can handle
    max_actions         None      most actions (None: any number)
    ==================  ========  ===============================================

    Examples
    --------
    A user-written strategy needs nothing else:

    >>> class Hesitant(Strategy):
    ...     name = "Hesitant"
    ...     classifier = {"memory_depth": 1}
    ...     def decide(self, history):
    ...         if not history.opponent:
    ...             return self.view.cooperate
    ...         return history.opponent[-1]
    >>> import gametheory as gt
    >>> gt.play(Hesitant(), "Alternator", turns=4).actions.tolist()
    [[0, 0], [0, 1], [1, 0], [0, 1]]

    Run :func:`check_strategy` on a class defined at module level (a class
    local to a function cannot be pickled, which multi-process runs need).
    """

    name: ClassVar[str] = "Strategy"
    classifier: ClassVar[dict[str, Any]] = dict(DEFAULT_CLASSIFIER)
    #: Parameter names, in constructor order (used by ``clone`` and ``__repr__``).
    params: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Complete the subclass's classifier with the defaults (one rule for a missing,
        partial or full classifier); refuse unknown keys, naming the valid ones."""
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("classifier")
        if own is None:
            return  # inherits the parent's (already complete) classifier
        if not isinstance(own, dict):
            raise StrategyError(f"{cls.__name__}.classifier must be a dict, got "
                                f"{type(own).__name__}")
        unknown = [k for k in own if k not in DEFAULT_CLASSIFIER]
        if unknown:
            import difflib

            hints = [f"{k!r}" + (f" (did you mean {close[0]!r}?)" if (close := difflib
                                 .get_close_matches(k, DEFAULT_CLASSIFIER, n=1)) else "")
                     for k in unknown]
            raise StrategyError(f"{cls.__name__}.classifier has unknown key(s) "
                                f"{', '.join(hints)}; valid keys: "
                                f"{', '.join(DEFAULT_CLASSIFIER)}")
        parent = next((b.classifier for b in cls.__mro__[1:] if "classifier" in b.__dict__),
                      DEFAULT_CLASSIFIER)
        cls.classifier = {**DEFAULT_CLASSIFIER, **parent, **own}

    view: PlayerView

    # ---------------------------------------------------------------- lifecycle
    def reset(self, view: PlayerView) -> None:
        """Prepare for a new match of the game seen through ``view``; check it fits."""
        lo = self.classifier.get("min_actions", 2)
        hi = self.classifier.get("max_actions")
        n = view.n_actions
        if n < lo or (hi is not None and n > hi):
            allowed = f"{lo}" if hi == lo else f"{lo} to {hi or 'any'}"
            raise StrategyError(f"{self.name} needs {allowed} actions; this game gives "
                                f"player {view.player + 1} {n} actions ({', '.join(view.actions)})")
        self.view = view
        self.setup()

    def setup(self) -> None:
        """Hook: read the game (``self.view``) and initialise match state."""

    def decide(self, history: History) -> int:
        """The next action (an index into ``self.view.actions``)."""
        raise NotImplementedError

    # vectorised interface (optional) -------------------------------------
    def start_batch(self, batch: Batch) -> None:
        """Hook: initialise per-match state arrays in ``batch.state``."""

    decide_batch: Callable[[Batch], np.ndarray] | None = None

    # declared capabilities (read by the engine and the solvers, never probed) ---------
    def batch_family(self) -> tuple[str, dict[str, Any]] | None:
        """A vectorised family (name, parameters) the engine can play this strategy with,
        or None (the default): the engine then calls ``decide``."""
        return None

    def as_automaton(self) -> tuple[np.ndarray, np.ndarray] | None:
        """``(outputs, transitions)`` when the strategy is a deterministic finite automaton
        reacting to the opponent's action: state 0 first, play ``outputs[state]``, move to
        ``transitions[state, opponent's action]``. Call after ``reset``. Default None."""
        return None

    def as_memory_one(self) -> tuple[float, tuple[float, float, float, float]] | None:
        """``(initial, (p_CC, p_CD, p_DC, p_DD))`` when the strategy is memory-one in a
        2 x 2 game (probability of cooperating first, and after each outcome, own move
        first). Call after ``reset``. Default None."""
        return None

    # ---------------------------------------------------------------- values
    def get_params(self) -> dict[str, Any]:
        return {p: getattr(self, p) for p in self.params}

    def clone(self) -> Strategy:
        """A fresh copy with the same parameters and no match state."""
        return type(self)(**copy.deepcopy(self.get_params()))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def __str__(self) -> str:
        return self.name

    def _repr_html_(self) -> str:
        from .._format import fields_html

        doc = (type(self).__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        return fields_html(f"Strategy {self.name!r}",
                           [("description", doc), ("parameters", self.get_params()),
                            *sorted(self.classifier.items())])

    def __eq__(self, other: object) -> bool:
        if type(self) is not type(other):
            return NotImplemented
        return _params_equal(self.get_params(), other.get_params())

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(self.get_params())))


def _params_equal(a: dict, b: dict) -> bool:
    if a.keys() != b.keys():
        return False
    for k in a:
        x, y = a[k], b[k]
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            if not np.array_equal(np.asarray(x), np.asarray(y)):
                return False
        elif x != y:
            return False
    return True


# ------------------------------------------------------------------------ registry
_REGISTRY: dict[str, type[Strategy]] = {}


def register(cls: type[Strategy]) -> type[Strategy]:
    """Class decorator adding a strategy to the registry under its class name."""
    for key in CLASSIFIER_KEYS:
        if key not in cls.classifier:
            raise StrategyError(f"{cls.__name__}.classifier lacks {key!r}")
    _REGISTRY[cls.__name__] = cls
    return cls


def all_strategies() -> list[type[Strategy]]:
    """Every registered strategy class, in registration order."""
    return list(_REGISTRY.values())


def filter_strategies(**criteria: Any) -> list[type[Strategy]]:
    """Registered classes whose classifier matches every criterion.

    A criterion is a value to compare, or a callable returning True.

    Examples
    --------
    >>> import gametheory.strategies as gs
    >>> names = [c.__name__ for c in gs.filter_strategies(diplomatic=True)]
    >>> "ZeroAllRestrictions" in names and "TitForTat" not in names
    True
    """
    out = []
    for cls in _REGISTRY.values():
        ok = True
        for key, want in criteria.items():
            have = cls.classifier.get(key)
            ok &= bool(want(have)) if callable(want) else have == want
        if ok:
            out.append(cls)
    return out


def _normalise(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def get_strategy(name: str, **params: Any) -> Strategy:
    """An instance of a registered strategy by class name or display name.

    Raises
    ------
    UnknownNameError
        Listing close matches.

    Examples
    --------
    >>> get_strategy("tit for tat")
    TitForTat()
    """
    key = _normalise(name)
    for cls in _REGISTRY.values():
        if key in (_normalise(cls.__name__), _normalise(cls.name)):
            return cls(**params)
    # suggestions in the form a spec or a call expects: the display names
    raise UnknownNameError("strategy", name, [cls.name for cls in _REGISTRY.values()])


def as_strategy(obj: Strategy | type[Strategy] | str) -> Strategy:
    """Accept an instance, a class (instantiated with defaults) or a registered name."""
    if isinstance(obj, Strategy):
        return obj
    if isinstance(obj, type) and issubclass(obj, Strategy):
        return obj()
    if isinstance(obj, str):
        return get_strategy(obj)
    raise StrategyError(f"not a strategy: {obj!r} (give an instance, a Strategy subclass or a "
                        "registered name)")


def names(strategies: Sequence[Strategy]) -> list[str]:
    """Display names, made unique with the parameters where two share a name."""
    base = [s.name for s in strategies]
    out = []
    for s, b in zip(strategies, base, strict=True):
        out.append(repr(s) if base.count(b) > 1 else b)
    return out
