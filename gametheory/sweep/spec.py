"""Sweep specifications: what to run, over which parameters, with which seed, and where to.

A spec is a YAML (or TOML, or JSON) file validated by pydantic before any work
starts; :func:`sweep_schema` gives its JSON Schema. Every problem is reported as
a :class:`~gametheory.errors.SpecError` naming the key (and the file and line).
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from ..errors import SpecError

__all__ = ["GameSpec", "Samples", "SweepSpec", "evaluate", "expression_names", "sample_points",
           "sweep_schema"]

TASKS = ("solve", "play", "tournament", "scenario")

#: Options each task accepts, fixed in ``options`` or varied as a parameter.
TASK_OPTIONS: dict[str, dict[str, Any]] = {
    "solve": {"method": "vertex_enumeration", "tol": 1e-9},
    "play": {"row": None, "column": None, "turns": 200, "continuation": None, "noise": 0.0,
             "observation_noise": 0.0},
    "tournament": {"players": None, "turns": 200, "repetitions": 10, "continuation": None,
                   "noise": 0.0, "observation_noise": 0.0, "self_play": True},
    "scenario": {"first": "Zero all restrictions", "second": "Tit for tat", "opponents": None,
                 "sides": None, "noise_levels": [0.0, 0.05, 0.1], "discounts": None,
                 "turns": 40, "repetitions": 200},
}

_FUNCTIONS = {"exp": np.exp, "log": np.log, "sqrt": np.sqrt, "abs": np.abs,
              "minimum": np.minimum, "maximum": np.maximum, "round": np.round}
#: How many arguments each function takes (a NumPy ufunc's second positional argument
#: is its ``out=`` array: ``exp(S, T)`` would overwrite T).
_ARITY = {"exp": 1, "log": 1, "sqrt": 1, "abs": 1, "minimum": 2, "maximum": 2, "round": 1}
#: Most points (grid times samples) and tasks a sweep may declare.
MAX_POINTS = 10**9
#: Most actions of a player in a random game (solve_many enumerates m + n <= 62).
MAX_RANDOM_ACTIONS = 31
MAX_TASKS = 10**10
_BINOPS = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply,
           ast.Div: np.divide, ast.Pow: np.power, ast.Mod: np.mod}

_ALLOWED = (ast.Expression, ast.Name, ast.Load, ast.BinOp, ast.UnaryOp, ast.USub, ast.UAdd)

Scalar = float | int | str | bool


def _expression(text: str) -> ast.Expression:
    """Parse ``text`` as an arithmetic expression (names, numbers, + - * / ** %, a few
    functions); anything else is refused."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"{text!r} is not an arithmetic expression ({exc.msg})") from None
    for node in ast.walk(tree):
        ok = isinstance(node, _ALLOWED) or type(node) in _BINOPS
        if isinstance(node, ast.Constant):
            ok = isinstance(node.value, int | float) and not isinstance(node.value, bool)
        elif isinstance(node, ast.Call):
            ok = (isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
                  and not node.keywords)
            if ok and len(node.args) != _ARITY[node.func.id]:
                k = _ARITY[node.func.id]
                raise ValueError(f"{text!r}: {node.func.id}() takes {k} argument"
                                 f"{'s' if k > 1 else ''}, got {len(node.args)}")
            if ok and any(isinstance(a, ast.Starred) for a in node.args):
                ok = False
        if not ok:
            raise ValueError(f"{text!r}: {type(node).__name__} is not allowed in a payoff "
                             f"expression (numbers, parameter names, + - * / ** %, "
                             f"{', '.join(_FUNCTIONS)})")
    return tree


def expression_names(text: str | float) -> set[str]:
    """Parameter names an expression refers to (none for a number).

    Examples
    --------
    >>> sorted(expression_names("T - 2 * exp(-c)"))
    ['T', 'c']
    """
    if not isinstance(text, str):
        return set()
    funcs = {n.func.id for n in ast.walk(_expression(text)) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(_expression(text)) if isinstance(n, ast.Name)} - funcs


def evaluate(text: str | float, values: Mapping[str, Any]) -> np.ndarray:
    """Evaluate an arithmetic expression over parameter arrays (vectorised).

    A hand-written walk over Python's own parse tree rather than ``pandas.eval``:
    it accepts only arithmetic, reports the names an expression needs before any
    work starts, and evaluates on plain NumPy arrays.

    Examples
    --------
    >>> evaluate("R - c / 2", {"R": np.array([3.0, 4.0]), "c": 1.0}).tolist()
    [2.5, 3.5]
    """
    if not isinstance(text, str):
        return np.asarray(float(text))

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return np.asarray(float(node.value))
        if isinstance(node, ast.Name):
            return np.asarray(values[node.id], dtype=float)
        if isinstance(node, ast.UnaryOp):
            v = walk(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            return _BINOPS[type(node.op)](walk(node.left), walk(node.right))
        return _FUNCTIONS[node.func.id](*(walk(a) for a in node.args))

    with np.errstate(all="ignore"):
        return walk(_expression(text))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Span(_Strict):
    """``num`` evenly spaced values from ``start`` to ``stop`` (``log``: geometric)."""

    start: float
    stop: float
    num: int = Field(ge=1, le=10_000_000)
    log: bool = False

    @model_validator(mode="after")
    def _positive_for_log(self):
        if self.log and (self.start <= 0 or self.stop <= 0):
            raise ValueError("a log span needs start > 0 and stop > 0")
        return self

    def values(self) -> list[float]:
        f = np.geomspace if self.log else np.linspace
        return f(self.start, self.stop, self.num).tolist()


class Samples(_Strict):
    """Random or quasi-random points in a box (``scipy.stats.qmc``)."""

    method: Literal["sobol", "halton", "latin_hypercube", "random"] = "sobol"
    n: int = Field(ge=1, le=100_000_000)
    ranges: dict[str, tuple[float, float]]
    scramble: bool = True

    @model_validator(mode="after")
    def _check(self):
        if not self.ranges:
            raise ValueError("samples need at least one range")
        for name, (lo, hi) in self.ranges.items():
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise ValueError(f"range of {name!r} must be finite with low < high, "
                                 f"got [{lo}, {hi}]")
        if self.method == "sobol" and self.n & (self.n - 1):
            raise ValueError(f"Sobol samples keep their balance only for a power of two; "
                             f"n = {self.n} is not (try {1 << self.n.bit_length()})")
        return self


class RandomGame(_Strict):
    """Games with payoffs drawn uniformly per task: integers ``low..high`` or reals."""

    rows: int | str = 2
    cols: int | str = 2
    low: float | str = 0
    high: float | str = 99
    integer: bool = True

    @field_validator("rows", "cols", "low", "high")
    @classmethod
    def _parse(cls, v, info):
        if isinstance(v, str):
            _expression(v)
        elif info.field_name in ("rows", "cols") and not 1 <= v <= MAX_RANDOM_ACTIONS:
            raise ValueError(f"{info.field_name} must be in 1..{MAX_RANDOM_ACTIONS} (the "
                             f"largest games solve_many enumerates), got {v}")
        return v


class GameSpec(_Strict):
    """Which game a task plays: exactly one of ``catalogue``, ``payoffs``, ``random``,
    ``model``.

    ``catalogue``: a game of :data:`gametheory.games.catalogue`, its keyword
    arguments taken from the parameters of the same name. ``payoffs``: the two
    payoff matrices with arithmetic expressions of parameters as entries.
    ``random``: payoffs drawn per task. ``model``: the calibrated stage game of
    a shipped model (``us-russia``), parameters given as dotted keys of its
    parameters file (``utility.USA.loss_cost``).
    """

    catalogue: str | None = None
    payoffs: dict[Literal["row", "column"], list[list[float | str]]] | None = None
    players: tuple[str, str] | None = None
    actions: tuple[list[str], list[str]] | None = None
    random: RandomGame | None = None
    model: str | None = None
    fixed: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data):
        if isinstance(data, str):
            from ..models import MODELS

            is_model = str(data).strip().lower().replace("_", "-") in MODELS
            return {"model": data} if is_model else {"catalogue": data}
        return data

    @model_validator(mode="after")
    def _one_kind(self):
        given = [k for k in ("catalogue", "payoffs", "random", "model")
                 if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of catalogue, payoffs, random, model"
                             + (f" (got {', '.join(given)})" if given else ""))
        if self.catalogue is not None:
            from ..games.catalogue import catalogue

            key = self.catalogue.strip().lower().replace("-", "_").replace(" ", "_")
            if key not in catalogue:
                raise ValueError(f"unknown catalogue game {self.catalogue!r}; known: "
                                 f"{', '.join(sorted(catalogue))}")
        if self.payoffs is not None:
            if set(self.payoffs) != {"row", "column"}:
                raise ValueError("payoffs need both 'row' and 'column' matrices")
            shapes = set()
            for who, matrix in self.payoffs.items():
                if not matrix or len({len(r) for r in matrix}) != 1 or not matrix[0]:
                    raise ValueError(f"payoffs.{who} is not a non-empty rectangular matrix")
                shapes.add((len(matrix), len(matrix[0])))
                for r in matrix:
                    for v in r:
                        if isinstance(v, str):
                            _expression(v)
                        elif not math.isfinite(v):
                            raise ValueError(f"payoffs.{who} has a non-finite entry {v}")
            if len(shapes) != 1:
                raise ValueError(f"payoffs.row and payoffs.column differ in shape: "
                                 f"{sorted(shapes)}")
        elif self.players is not None or self.actions is not None:
            raise ValueError("players and actions label payoffs matrices only")
        return self

    def arguments(self) -> set[str]:
        """Parameter names this game takes (empty for a model game: its keys are the
        model's dotted parameter keys, checked against the parameters file)."""
        if self.catalogue is not None:
            from ..games.catalogue import catalogue

            key = self.catalogue.strip().lower().replace("-", "_").replace(" ", "_")
            sig = inspect.signature(catalogue[key])
            return {p.name for p in sig.parameters.values()
                    if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
        if self.payoffs is not None:
            return {n for m in self.payoffs.values() for r in m for v in r
                    for n in expression_names(v)}
        if self.random is not None:
            return {n for f in ("rows", "cols", "low", "high")
                    for n in expression_names(getattr(self.random, f))}
        return set()


Grid = dict[str, Annotated[list[Scalar] | Span, Field()]]


class SweepSpec(_Strict):
    """A validated sweep: the task, its game and options, the parameter points,
    repetitions, seed and output folder.

    Points are the Cartesian product of ``grid`` (each value a list, or a
    ``{start, stop, num}`` span) with ``samples`` (every sample combined with every
    grid point). Each point runs ``repetitions`` tasks, task id
    ``point * repetitions + repetition``; tasks are grouped ``batch_size`` at a
    time into batches (``auto``: about a quarter of a second of work each).
    """

    name: str = Field("sweep", pattern=r"^[A-Za-z0-9_.-]+$")
    task: Literal["solve", "play", "tournament", "scenario"]
    game: GameSpec | None = None
    model: str = "us-russia"
    options: dict[str, Any] = Field(default_factory=dict)
    grid: Grid = Field(default_factory=dict)
    samples: Samples | None = None
    repetitions: int = Field(1, ge=1, le=100_000_000)
    seed: int = Field(0, ge=0)
    batch_size: int | Literal["auto"] = "auto"
    output: str = "sweep-output"

    @field_validator("batch_size", mode="before")
    @classmethod
    def _positive(cls, v):
        if isinstance(v, bool) or (not isinstance(v, int) and v != "auto"):
            raise ValueError(f"batch_size must be a whole number >= 1 or 'auto', got {v!r}")
        if isinstance(v, int) and v < 1:
            raise ValueError("batch_size must be >= 1 or 'auto'")
        return v

    @field_validator("grid")
    @classmethod
    def _nonempty(cls, grid):
        for name, values in grid.items():
            if isinstance(values, list) and not values:
                raise ValueError(f"grid {name!r} has no values")
        return grid

    @model_validator(mode="after")
    def _check(self):
        allowed = TASK_OPTIONS[self.task]
        for key in self.options:
            if key not in allowed:
                raise SpecError(f"unknown option for task {self.task!r}; known: "
                                f"{', '.join(allowed)}", key=f"options.{key}")
        names = self.parameter_names()
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise SpecError("parameter both in grid and samples",
                            key=f"samples.ranges.{sorted(dup)[0]}")
        if self.task in ("solve", "play", "tournament"):
            if self.game is None:
                raise SpecError(f"task {self.task!r} needs a game", key="game")
            if self.game.model is not None and self.task != "solve":
                raise SpecError("model games are for 'solve'; use task 'scenario' to play "
                                "the calibrated model", key="game.model")
            if self.game.random is not None and self.task != "solve":
                raise SpecError("random games are for 'solve'", key="game.random")
        elif self.game is not None:
            raise SpecError("a scenario plays the calibrated model given by 'model'",
                            key="game")
        model_keys = self.task == "scenario" or (self.game is not None
                                                 and self.game.model is not None)
        takes = self.game.arguments() if self.game is not None else set()
        for name in names:
            where = (f"grid.{name}" if name in self.grid else f"samples.ranges.{name}")
            if name in allowed or name in takes or (model_keys and name not in allowed):
                continue
            raise SpecError("parameter is neither an argument of the game nor an option "
                            f"of task {self.task!r} (options: {', '.join(allowed)}"
                            + (f"; game arguments: {', '.join(sorted(takes))}" if takes
                               else "") + ")", key=where)
        if self.game is not None:
            missing = self.game.arguments() - set(names) - set(self.game.fixed)
            if self.game.catalogue is None and missing:
                raise SpecError(f"the game refers to {', '.join(sorted(missing))}, which is "
                                "not a parameter (grid or samples) nor in game.fixed",
                                key="game")
            for key in self.game.fixed:
                if self.game.catalogue is not None and key not in takes:
                    raise SpecError(f"not an argument of {self.game.catalogue}",
                                    key=f"game.fixed.{key}")
        return self

    def _repr_html_(self) -> str:
        from .._format import fields_html

        game = None
        if self.game is not None:
            game = self.game.model_dump(exclude_defaults=True)
        return fields_html(f"Sweep spec {self.name!r} ({self.task})",
                           [("game", game if self.task != "scenario" else self.model),
                            ("options", self.options),
                            ("parameters", self.parameter_names()),
                            ("points", self.n_points()), ("repetitions", self.repetitions),
                            ("tasks", self.n_tasks()),
                            ("batch size", self.resolved_batch_size()),
                            ("seed", self.seed), ("output", self.output),
                            ("fingerprint", self.fingerprint())])

    # ------------------------------------------------------------------ derived
    def parameter_names(self) -> list[str]:
        return list(self.grid) + (list(self.samples.ranges) if self.samples else [])

    def points(self):
        """The parameter points as a DataFrame (one row per point, in task order)."""
        import pandas as pd

        grids = {k: (v.values() if isinstance(v, Span) else list(v))
                 for k, v in self.grid.items()}
        n_grid = math.prod(len(v) for v in grids.values())
        cols: dict[str, Any] = {}
        if grids:
            mesh = np.meshgrid(*[np.arange(len(v)) for v in grids.values()], indexing="ij")
            for (k, values), idx in zip(grids.items(), mesh, strict=True):
                arr = np.asarray(values)
                if arr.dtype.kind not in "biuf":      # names, or numbers mixed with text
                    arr = np.asarray(values, dtype=object)
                cols[k] = arr[idx.ravel()]
        if self.samples is not None:
            S = sample_points(self.samples, self.seed)
            n = S.shape[0]
            cols = {k: np.repeat(v, n) for k, v in cols.items()}
            for j, k in enumerate(self.samples.ranges):
                cols[k] = np.tile(S[:, j], n_grid)
        return pd.DataFrame(cols) if cols else pd.DataFrame(index=range(1))

    def n_points(self) -> int:
        n = math.prod(v.num if isinstance(v, Span) else len(v) for v in self.grid.values())
        return n * (self.samples.n if self.samples else 1)

    def n_tasks(self) -> int:
        return self.n_points() * self.repetitions

    def resolved_batch_size(self) -> int:
        """Tasks per batch; ``auto`` aims at about 0.25 s of work (>= 100 ms), fixed
        by the spec alone so that results never depend on the scheduler."""
        if isinstance(self.batch_size, int):
            return self.batch_size
        if self.task == "solve":
            shape = (3, 3)
            if self.game is not None and self.game.payoffs is not None:
                m = self.game.payoffs["row"]
                shape = (len(m), len(m[0]))
            elif self.game is not None and self.game.random is not None:
                r = self.game.random
                shape = tuple(v if isinstance(v, int) else 3 for v in (r.rows, r.cols))
            elif self.game is not None and self.game.model is not None:
                return 20
            elif self.game is not None and self.game.catalogue is not None:
                return 1_000     # each point's game is built in Python (~0.2 ms)
            # rough tasks per second on one core. 2x2 and 3x3 as the sweep benchmark's
            # batches were sized (the engine alone is faster there, but a task also
            # draws its game and builds rows); 4x4 and up: solve_many on random games
            # 0..99 with the compiled path (2026-11-27), rounded down.
            rate = {2: 280_000, 3: 115_000, 4: 100_000, 5: 50_000, 6: 20_000, 7: 8_000,
                    8: 3_500, 9: 1_500, 10: 600, 11: 240, 12: 80}.get(max(shape), 20)
            return max(1, int(0.25 * rate))
        if self.task == "play":
            turns = int(self.options.get("turns") or 200)
            return max(10, 400_000 // max(turns, 1))
        return 1

    def n_batches(self) -> int:
        return math.ceil(self.n_tasks() / self.resolved_batch_size())

    def batch_tasks(self, batch: int) -> tuple[int, int]:
        """The task ids ``[lo, hi)`` of a batch."""
        size = self.resolved_batch_size()
        return batch * size, min(self.n_tasks(), (batch + 1) * size)

    def fingerprint(self) -> str:
        """Hash of everything that decides the results (not the output folder)."""
        data = self.model_dump(mode="json", exclude={"output"})
        data["batch_size"] = self.resolved_batch_size()
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def sample_points(samples: Samples, seed: int) -> np.ndarray:
    """The ``(n, d)`` sample points scaled to their ranges, reproducible from the seed."""
    from scipy.stats import qmc

    d = len(samples.ranges)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1,)))
    if samples.method == "random":
        u = rng.random((samples.n, d))
    elif samples.method == "sobol":
        u = qmc.Sobol(d, scramble=samples.scramble, seed=rng).random_base2(
            int(samples.n).bit_length() - 1)
    elif samples.method == "halton":
        u = qmc.Halton(d, scramble=samples.scramble, seed=rng).random(samples.n)
    else:
        u = qmc.LatinHypercube(d, seed=rng).random(samples.n)
    lo = np.array([r[0] for r in samples.ranges.values()])
    hi = np.array([r[1] for r in samples.ranges.values()])
    return qmc.scale(u, lo, hi)


def sweep_schema() -> dict:
    """The JSON Schema of a sweep spec (``gametheory sweep-schema``)."""
    return SweepSpec.model_json_schema()
