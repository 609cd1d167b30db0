"""Loading and checking sweep specs: read the file safely (:mod:`gametheory._config`),
validate the model (:mod:`.spec`), then check what types cannot express (probabilities,
strategy and model names, sizes) and dry-run the game builder at the first point, all
before any work starts. Every error names the file, line and key."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from .._config import line_of as config_line_of
from .._config import parse_text, read_text
from ..errors import GameError, SpecError
from .spec import MAX_POINTS, MAX_TASKS, TASK_OPTIONS, Span, SweepSpec
from .tasks import build_games

__all__ = ["load_spec", "parse_spec"]


def _read(path: Path) -> tuple[Any, Any]:
    def fail(message: str, line: int | None = None):
        raise SpecError(message, key="<file>", path=str(path), line=line)

    text = read_text(path, fail)
    suffix = path.suffix.lower()
    fmt = {".toml": "toml", ".json": "json"}.get(suffix, "yaml")
    return parse_text(text, fmt, fail)


def parse_spec(data: Mapping[str, Any], *, path: str | None = None, yaml_root=None
               ) -> SweepSpec:
    """Validate a mapping; raise :class:`SpecError` naming the first bad key."""

    def line_of(key: str):
        return config_line_of(yaml_root, tuple(key.split(".")))

    if not isinstance(data, Mapping):
        raise SpecError(f"expected a mapping, got {type(data).__name__}", key="<root>",
                        path=path)
    try:
        spec = SweepSpec.model_validate(dict(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        inner = (err.get("ctx") or {}).get("error")
        if isinstance(inner, SpecError):
            raise SpecError(inner.reason, key=inner.key, path=path,
                            line=line_of(inner.key)) from None
        loc = [str(p) for p in err["loc"] if not str(p).startswith(("list[", "function-"))
               and p not in ("Span", "int", "float", "str", "bool", "GameSpec")]
        key = ".".join(loc) or "<root>"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown key"
        elif err["type"] == "missing":
            message = "missing value"
        raise SpecError(message, key=key, path=path, line=line_of(key)) from None
    _check_size(spec, path, line_of)
    _check_values(spec, path, line_of)
    return spec


def _check_size(spec: SweepSpec, path, line_of) -> None:
    """Refuse a sweep too large to run before anything is allocated."""
    points = spec.n_points()
    if points > MAX_POINTS:
        key = "grid" if spec.grid else "samples"
        raise SpecError(f"{points:,} parameter points is above the limit of {MAX_POINTS:,}; "
                        "sample the space (samples: sobol) instead of a full grid",
                        key=key, path=path, line=line_of(key))
    if points * spec.repetitions > MAX_TASKS:
        raise SpecError(f"{points * spec.repetitions:,} tasks is above the limit of "
                        f"{MAX_TASKS:,}", key="repetitions", path=path,
                        line=line_of("repetitions"))


def _check_values(spec: SweepSpec, path, line_of) -> None:
    """Impossible values the types cannot express: probabilities, strategy names,
    model keys, methods; checked on every parameter value before any work."""
    from ..strategies import get_strategy

    pts = spec.points() if spec.n_points() <= 100_000 else None
    opts = {**TASK_OPTIONS[spec.task], **spec.options}

    def values_of(name):
        if name in spec.grid:
            g = spec.grid[name]
            return g.values() if isinstance(g, Span) else list(g), f"grid.{name}"
        if spec.samples and name in spec.samples.ranges:
            return list(spec.samples.ranges[name]), f"samples.ranges.{name}"
        return [opts[name]], f"options.{name}"

    def fail(key, message):
        raise SpecError(message, key=key, path=path, line=line_of(key))

    for name in ("noise", "observation_noise", "continuation"):
        if name in opts:
            vals, key = values_of(name)
            for v in vals:
                if v is None and name == "continuation":
                    continue
                if not isinstance(v, int | float) or not 0 <= v <= 1 or \
                        (name == "continuation" and v == 1):
                    fail(key, f"{v!r} is not a probability in [0, 1"
                         + (")" if name == "continuation" else "]"))
    for name in ("turns", "repetitions"):
        if name in opts:
            vals, key = values_of(name)
            for v in vals:
                if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                    fail(key, f"{v!r} is not a positive whole number")
    if spec.task == "solve":
        if opts["method"] not in ("vertex_enumeration", "enumerate", "lemke_howson"):
            fail("options.method", f"unknown method {opts['method']!r}; known: "
                 "vertex_enumeration (or enumerate), "
                 "lemke_howson")
        if not isinstance(opts["tol"], int | float) or not 0 < opts["tol"] < 1:
            fail("options.tol", f"tolerance {opts['tol']!r} must be in (0, 1)")
    if spec.task == "play":
        for side in ("row", "column"):
            vals, key = values_of(side)
            for v in vals:
                if v is None:
                    fail(key, f"task 'play' needs a {side} strategy (options or grid)")
                try:
                    get_strategy(str(v))
                except GameError as exc:
                    fail(key, str(exc))
    if spec.task == "tournament":
        players = opts["players"]
        if not isinstance(players, list) or len(players) < 2:
            fail("options.players", "a tournament needs a list of at least two strategies")
        for i, v in enumerate(players):
            try:
                get_strategy(str(v))
            except GameError as exc:
                fail(f"options.players.{i}", str(exc))
    if spec.task == "scenario":
        for key in ("first", "second"):
            try:
                get_strategy(str(opts[key]))
            except GameError as exc:
                fail(f"options.{key}", str(exc))
        for i, v in enumerate(opts["opponents"] or []):
            try:
                get_strategy(str(v))
            except GameError as exc:
                fail(f"options.opponents.{i}", str(exc))
    model_game = spec.task == "scenario" or (spec.game is not None and spec.game.model)
    if model_game:
        from ..analysis.parameters import load_parameters

        model = spec.model if spec.task == "scenario" else spec.game.model
        try:
            params = load_parameters(model)
        except GameError as exc:
            fail("model" if spec.task == "scenario" else "game.model", str(exc))
        keys = [n for n in spec.parameter_names() if n not in opts]
        for name in keys:
            vals, key = values_of(name)
            for v in vals:
                try:
                    params.replace(**{name: v})
                except GameError as exc:
                    text = str(exc)
                    fail(key, text.split(": ", 1)[1] if text.startswith("<parameters>")
                         else text)
    if spec.game is not None and pts is not None and not model_game:
        try:
            build_games(spec, pts.iloc[:1], np.zeros(1, dtype=np.int64))
        except GameError as exc:
            fail("game", f"the game cannot be built at the first point: {exc}")


def load_spec(source: str | os.PathLike | Mapping[str, Any]) -> SweepSpec:
    """Load and validate a sweep spec from a YAML/TOML/JSON file or a mapping.

    A relative ``output`` folder is taken relative to the working directory
    (as any command-line output), not to the spec file.

    Raises
    ------
    SpecError
        Naming the file, line and key of the first problem (an unknown key, an
        impossible value, an unknown strategy or game).

    Examples
    --------
    >>> spec = load_spec({"task": "solve", "game": "prisoners_dilemma",
    ...                   "grid": {"T": {"start": 3, "stop": 6, "num": 4}}})
    >>> spec.n_tasks(), spec.points()["T"].tolist()
    (4, [3.0, 4.0, 5.0, 6.0])
    >>> load_spec({"task": "solve", "game": "prisoners_dilemma", "grid": {"X": [1]}})
    Traceback (most recent call last):
    ...
    gametheory.errors.SpecError: <spec>, key 'grid.X': parameter is neither an argument ...
    """
    if isinstance(source, SweepSpec):
        return source
    if isinstance(source, Mapping):
        return parse_spec(source)
    path = Path(source)
    data, root = _read(path)
    return parse_spec(data, path=str(path), yaml_root=root)
