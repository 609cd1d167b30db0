"""What one batch of a sweep computes: rows of an Arrow table, errors kept as rows.

Every random draw of a task comes from the root seed and the task's id (never
from the batch or the worker), so a sweep gives the same table however it is
split and scheduled.
"""

from __future__ import annotations

import functools
import time
import traceback
from typing import Any

import numpy as np

from ..errors import GameError
from .spec import MAX_RANDOM_ACTIONS, TASK_OPTIONS, SweepSpec, evaluate

__all__ = ["build_games", "run_batch", "task_seed"]

_PAYOFF_PURPOSE = 5


def task_seed(spec: SweepSpec, task: int) -> np.random.SeedSequence:
    """The random stream of one task: ``SeedSequence(seed, spawn_key=(0, task))``."""
    return np.random.SeedSequence(spec.seed, spawn_key=(0, int(task)))


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


@functools.lru_cache(maxsize=4)
def _calibration(model: str):
    from ..analysis.calibration import calibrate

    return calibrate(parameters=model)


def _point_values(spec: SweepSpec, points, point: int) -> dict[str, Any]:
    row = points.iloc[int(point)]
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}


def _catalogue_game(spec: SweepSpec, values: dict[str, Any]):
    from ..games.catalogue import get_game

    takes = spec.game.arguments()
    kwargs = {k: v for k, v in {**spec.game.fixed, **values}.items() if k in takes}
    return get_game(spec.game.catalogue, **kwargs)


def _model_game(spec: SweepSpec, model: str, values: dict[str, Any]):
    cal = _calibration(model)
    changes = {k: v for k, v in values.items() if k not in TASK_OPTIONS[spec.task]}
    return cal.with_parameters(**changes) if changes else cal


def build_games(spec: SweepSpec, points, task_point: np.ndarray,
                task_ids: np.ndarray | None = None):
    """Payoff stacks for tasks at ``points.iloc[task_point]``, grouped by shape.

    Returns ``(groups, errors)``: ``groups[(m, n)] = (local task indices, A, B)``
    and ``errors[local index] = message`` for tasks whose game could not be built.
    """
    task_point = np.asarray(task_point, dtype=np.int64)
    n = len(task_point)
    if task_ids is None:
        task_ids = np.arange(n, dtype=np.int64)
    game = spec.game
    groups: dict[tuple[int, int], list] = {}
    errors: dict[int, str] = {}
    if game.catalogue is not None or game.model is not None:
        per_point: dict[int, tuple[np.ndarray, np.ndarray] | str] = {}
        for p in np.unique(task_point):
            values = _point_values(spec, points, p)
            try:
                if game.catalogue is not None:
                    A, B = _catalogue_game(spec, values).bimatrix
                else:
                    A, B = _model_game(spec, game.model, values).stage_game().bimatrix
                per_point[int(p)] = (A, B)
            except GameError as exc:
                per_point[int(p)] = _error_text(exc)
        for p, got in per_point.items():
            idx = np.flatnonzero(task_point == p)
            if isinstance(got, str):
                errors.update(dict.fromkeys(idx.tolist(), got))
                continue
            A, B = got
            groups.setdefault(A.shape, []).append((idx, np.broadcast_to(A, (len(idx), *A.shape)),
                                                   np.broadcast_to(B, (len(idx), *B.shape))))
        out = {}
        for shape, parts in groups.items():
            idx = np.concatenate([p[0] for p in parts])
            order = np.argsort(idx, kind="stable")
            out[shape] = (idx[order], np.concatenate([p[1] for p in parts])[order],
                          np.concatenate([p[2] for p in parts])[order])
        return out, errors
    values = {k: points[k].to_numpy()[task_point] for k in points.columns}
    values.update({k: np.full(n, v, dtype=float) for k, v in game.fixed.items()})
    if game.payoffs is not None:
        rows = game.payoffs["row"]
        m, k = len(rows), len(rows[0])
        A = np.empty((n, m, k))
        B = np.empty((n, m, k))
        for M, key in ((A, "row"), (B, "column")):
            for i, r in enumerate(game.payoffs[key]):
                for j, entry in enumerate(r):
                    M[:, i, j] = evaluate(entry, values)
        return {(m, k): (np.arange(n), A, B)}, errors
    # random games: the shape and range per task, the payoffs from the task's key
    from .._random import match_keys, uniforms

    spec_r = game.random

    def per_task(field):
        return np.broadcast_to(evaluate(getattr(spec_r, field), values), (n,)).astype(float)

    rows, cols, low, high = (per_task(f) for f in ("rows", "cols", "low", "high"))
    bad = ~((rows >= 1) & (cols >= 1) & (rows == np.round(rows)) & (cols == np.round(cols))
            & (rows <= MAX_RANDOM_ACTIONS) & (cols <= MAX_RANDOM_ACTIONS)
            & np.isfinite(low) & np.isfinite(high) & (low <= high))
    for i in np.flatnonzero(bad):
        errors[int(i)] = (f"ShapeError: random game needs whole rows, cols in "
                          f"1..{MAX_RANDOM_ACTIONS} and low <= "
                          f"high, got rows={rows[i]}, cols={cols[i]}, low={low[i]}, "
                          f"high={high[i]}")
    keys = match_keys(np.random.SeedSequence(spec.seed, spawn_key=(0,)),
                      np.asarray(task_ids, dtype=np.uint64)[:, None])
    out = {}
    ok = ~bad
    shapes = np.stack([rows, cols], axis=1).astype(np.int64)
    code = shapes[:, 0] * (1 << 32) + shapes[:, 1]
    first = code[ok][:1]
    kinds = first if np.all(code[ok] == first[0] if len(first) else True) else np.unique(code[ok])
    for shape in ((int(c) >> 32, int(c) & 0xFFFFFFFF) for c in kinds):
        idx = np.flatnonzero(ok & (shapes[:, 0] == shape[0]) & (shapes[:, 1] == shape[1]))
        cells = shape[0] * shape[1]
        u = uniforms(keys[idx, None], np.arange(2 * cells, dtype=np.uint64)[None, :], 0,
                     _PAYOFF_PURPOSE)
        lo, hi = low[idx, None], high[idx, None]
        if spec_r.integer:
            lo, hi = np.ceil(lo), np.floor(hi)
            vals = np.minimum(lo + np.floor(u * (hi - lo + 1)), hi)
        else:
            vals = lo + u * (hi - lo)
        out[shape] = (idx, vals[:, :cells].reshape(-1, *shape),
                      vals[:, cells:].reshape(-1, *shape))
    return out, errors


# ------------------------------------------------------------------------ task kinds
def _solve(spec, points, task_point, task_ids, opts):
    from .._numbers import short_reduce
    from ..solvers.many import solve_many

    groups, errors = build_games(spec, points, task_point, task_ids)
    cols: dict[str, list] = {k: [] for k in ("local", "equilibrium", "rows", "cols", "x", "y",
                                             "row_payoff", "column_payoff", "pure",
                                             "degenerate", "n_equilibria")}
    kwargs = {"method": opts["method"], "tol": float(opts["tol"])}
    for (m, k), (idx, A, B) in groups.items():
        res = solve_many(np.asarray(A, dtype=float), np.asarray(B, dtype=float), **kwargs)
        for g_local, msg in res.errors.items():
            errors[int(idx[g_local])] = msg
        for grp in res.groups:
            g = grp.game
            order = (slice(None) if len(g) < 2 or np.all(g[1:] >= g[:-1])
                     else np.argsort(g, kind="stable"))   # solve_many sorts by game already
            g = g[order]
            E = len(g)
            if E == 0:
                continue
            starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
            first = np.repeat(starts, np.diff(np.r_[starts, E]))
            cols["local"].append(idx[g])
            cols["equilibrium"].append(np.arange(E) - first)
            cols["rows"].append(np.full(E, m))
            cols["cols"].append(np.full(E, k))
            x, y = grp.x[order], grp.y[order]
            cols["x"].append(x)
            cols["y"].append(y)
            cols["row_payoff"].append(grp.payoffs[order, 0])
            cols["column_payoff"].append(grp.payoffs[order, 1])
            cols["pure"].append((short_reduce(np.add, (x > 0).view(np.uint8), 1) == 1)
                                & (short_reduce(np.add, (y > 0).view(np.uint8), 1) == 1))
            cols["degenerate"].append(res.degenerate[g])
            cols["n_equilibria"].append(res.n_equilibria[g])
    return _solve_table(cols, errors)


def _list_array(mats: list[np.ndarray]):
    import pyarrow as pa

    lengths = np.concatenate([np.full(len(M), M.shape[1], dtype=np.int32) for M in mats]) \
        if mats else np.zeros(0, np.int32)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    flat = np.concatenate([M.ravel() for M in mats]) if mats else np.zeros(0)
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(flat, pa.float64()))


def _solve_table(cols, errors):
    import pyarrow as pa

    err_idx = np.array(sorted(errors), dtype=np.int64)
    n_err = len(err_idx)

    def cat(name, dtype, fill):
        parts = [np.asarray(a, dtype=dtype) for a in cols[name]]
        if n_err:
            parts.append(np.full(n_err, fill, dtype=dtype))
        if len(parts) == 1:
            return parts[0]
        return np.concatenate(parts) if parts else np.zeros(0, dtype)

    local = cat("local", np.int64, 0)
    n_eq = len(local) - n_err
    local[n_eq:] = err_idx
    eq = cat("equilibrium", np.int64, 0)
    sorted_ = len(cols["local"]) <= 1 and n_err == 0   # one shape: already by task
    order = None if sorted_ else np.lexsort((eq, local))
    missing = None
    if n_err:
        missing = np.zeros(len(local), dtype=bool)
        missing[n_eq:] = True

    def col(name, dtype, fill):
        return pa.array(cat(name, dtype, fill), mask=missing)

    empty = [np.zeros((n_err, 0))] if n_err else []
    error = pa.nulls(n_eq, pa.string())
    if n_err:
        error = pa.concat_arrays([error, pa.array([errors[i] for i in err_idx.tolist()],
                                                  pa.string())])
    table = pa.table({
        "local": local,
        "equilibrium": pa.array(eq, mask=missing),
        "rows": col("rows", np.int64, 0),
        "cols": col("cols", np.int64, 0),
        "row_strategy": _list_array(cols["x"] + empty),
        "column_strategy": _list_array(cols["y"] + empty),
        "row_payoff": col("row_payoff", float, np.nan),
        "column_payoff": col("column_payoff", float, np.nan),
        "pure": col("pure", bool, False),
        "degenerate": col("degenerate", bool, False),
        "n_equilibria": col("n_equilibria", np.int64, 0),
        "error": error,
    })
    return table if order is None else table.take(pa.array(order))


def _play(spec, points, task_point, task_ids, opts):
    import pandas as pd

    from .._random import match_keys
    from ..iterated.engine import run_matches
    from ..strategies import get_strategy

    names = list(points.columns)
    strategies: dict[str, Any] = {}

    def strat(name):
        if name not in strategies:
            strategies[name] = get_strategy(str(name))
        return strategies[name]

    root = np.random.SeedSequence(spec.seed, spawn_key=(0,))
    keys = match_keys(root, np.asarray(task_ids, dtype=np.uint64)[:, None])
    n = len(task_point)
    out = {"local": np.arange(n), "row_name": [None] * n, "column_name": [None] * n,
           "turns_played": np.zeros(n, np.int64), "row_score": np.full(n, np.nan),
           "column_score": np.full(n, np.nan), "row_cooperation": np.full(n, np.nan),
           "column_cooperation": np.full(n, np.nan), "error": [None] * n}
    group_of: dict[tuple, list[int]] = {}
    settings = {}
    per_point: dict[int, tuple[dict, dict, tuple]] = {}   # tasks of a point share it
    for local, p in enumerate(task_point.tolist()):
        if p not in per_point:
            values = _point_values(spec, points, p) if names else {}
            o = {**opts, **{k: v for k, v in values.items() if k in opts}}
            key = tuple((k, values[k]) for k in names if k not in ("row", "column"))
            per_point[p] = (o, values, key)
        o, values, key = per_point[p]
        group_of.setdefault(key, []).append(local)
        settings[local] = (o, values)
    for _key, members in group_of.items():
        o, values = settings[members[0]]
        try:
            game = (_catalogue_game(spec, values) if spec.game.catalogue is not None
                    else _payoff_game(spec, values))
            pairs = []
            for local in members:
                oo = settings[local][0]
                pairs.append((strat(oo["row"]), strat(oo["column"])))
                out["row_name"][local] = pairs[-1][0].name
                out["column_name"][local] = pairs[-1][1].name
            res = run_matches(game, pairs, keys[members], turns=int(o["turns"]),
                              continuation=o["continuation"], noise=float(o["noise"]),
                              observation_noise=float(o["observation_noise"]), summary=True)
        except Exception as exc:  # a task error becomes a row; the batch goes on
            for local in members:
                out["error"][local] = _error_text(exc)
            continue
        mem = np.array(members)
        out["turns_played"][mem] = res.lengths
        out["row_score"][mem] = res.totals[:, 0] / res.lengths
        out["column_score"][mem] = res.totals[:, 1] / res.lengths
        out["row_cooperation"][mem] = res.cooperations[:, 0] / res.lengths
        out["column_cooperation"][mem] = res.cooperations[:, 1] / res.lengths
    import pyarrow as pa

    frame = pd.DataFrame(out)
    return pa.Table.from_pandas(frame, preserve_index=False)


def _payoff_game(spec, values):
    from ..games import Game

    A = np.array([[float(evaluate(v, values)) for v in r] for r in spec.game.payoffs["row"]])
    B = np.array([[float(evaluate(v, values)) for v in r] for r in spec.game.payoffs["column"]])
    kwargs = {}
    if spec.game.players is not None:
        kwargs["players"] = spec.game.players
    if spec.game.actions is not None:
        kwargs["actions"] = spec.game.actions
    return Game.from_bimatrix(A, B, **kwargs)


def _per_task(spec, points, task_point, task_ids, opts, one):
    import pandas as pd
    import pyarrow as pa

    frames = []
    for local, (p, tid) in enumerate(zip(task_point.tolist(), task_ids.tolist(), strict=True)):
        values = _point_values(spec, points, p) if len(points.columns) else {}
        o = {**opts, **{k: v for k, v in values.items() if k in opts}}
        try:
            df = one(values, o, task_seed(spec, tid))
            df.insert(0, "local", local)
            df["error"] = None
        except Exception as exc:  # recorded, the batch goes on
            df = pd.DataFrame({"local": [local], "error": [_error_text(exc)]})
        frames.append(df)
    frame = pd.concat(frames, ignore_index=True)
    frame["error"] = frame["error"].astype(object)
    return pa.Table.from_pandas(frame, preserve_index=False)


def _tournament_one(spec):
    from ..iterated.tournament import Tournament

    def one(values, o, seed):
        game = (_catalogue_game(spec, values) if spec.game.catalogue is not None
                else _payoff_game(spec, values))
        res = Tournament(o["players"], game, turns=int(o["turns"]),
                         repetitions=int(o["repetitions"]), noise=float(o["noise"]),
                         observation_noise=float(o["observation_noise"]),
                         continuation=o["continuation"], self_play=bool(o["self_play"]),
                         seed=seed).run()
        df = res.summary()
        df["failed_pairs"] = len(res.errors)
        return df
    return one


def _scenario_one(spec):
    from ..analysis.scenarios import compare_strategies

    def one(values, o, seed):
        cal = _model_game(spec, spec.model, values)
        res = compare_strategies(cal, o["first"], o["second"], o["opponents"],
                                 sides=o["sides"], noise_levels=o["noise_levels"],
                                 discounts=o["discounts"], turns=int(o["turns"]),
                                 repetitions=int(o["repetitions"]), seed=seed)
        return res.comparison.rename(columns={"noise": "scenario_noise",
                                              "discount": "scenario_discount"})
    return one


def run_batch(spec: SweepSpec, batch: int, points=None):
    """Compute batch ``batch`` of ``spec``; returns ``(table, info)``.

    The table has one row per result (an equilibrium, a match, a player of a
    tournament, a scenario comparison) with the columns ``task``, ``point``,
    ``repetition``, ``batch``, the parameters, the task's own columns and
    ``error`` (null, or why that task failed). A failure of the whole batch
    gives one error row per task; it is never raised.
    """
    import pyarrow as pa

    started = time.perf_counter()
    lo, hi = spec.batch_tasks(batch)
    task_ids = np.arange(lo, hi, dtype=np.int64)
    task_point = task_ids // spec.repetitions
    if points is None:
        points = spec.points()
    opts = {**TASK_OPTIONS[spec.task], **spec.options}
    try:
        if spec.task == "solve":
            table = _solve(spec, points, task_point, task_ids, opts)
        elif spec.task == "play":
            table = _play(spec, points, task_point, task_ids, opts)
        elif spec.task == "tournament":
            table = _per_task(spec, points, task_point, task_ids, opts, _tournament_one(spec))
        else:
            table = _per_task(spec, points, task_point, task_ids, opts, _scenario_one(spec))
        failure = None
    except Exception as exc:  # an unexpected failure of the batch: one error row per task
        failure = _error_text(exc) + " | " + traceback.format_exc(limit=3).replace("\n", " ")
        table = pa.table({"local": np.arange(hi - lo), "error": [failure] * (hi - lo)})
    local = table.column("local").to_numpy()
    tid = task_ids[local]
    pt = task_point[local]
    lead = {"task": tid, "point": pt, "repetition": tid % spec.repetitions,
            "batch": np.full(len(tid), batch, dtype=np.int64)}
    for name in points.columns:
        col = points[name].to_numpy()[pt]
        lead[name] = pa.array(col.tolist() if col.dtype == object else col)
    rest = table.drop_columns(["local"])
    cols = {n: rest.column(n) for n in rest.column_names}
    cols["error"] = cols.pop("error").cast(pa.string())   # text in every part (not null-typed)
    table = pa.table({**lead, **cols})
    errors = table.column("error")
    failed_tasks = 0
    if errors.null_count < len(errors):
        failed_tasks = len(np.unique(tid[~np.asarray(errors.is_null())]))
    info = {"batch": batch, "tasks": [int(lo), int(hi)], "rows": table.num_rows,
            "failed_tasks": int(failed_tasks), "seconds": time.perf_counter() - started,
            "batch_failure": failure}
    return table, info
