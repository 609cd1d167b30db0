"""Run a sweep: batches in-process, in local processes or on a Dask cluster, resumable.

The output folder holds ``sweep.json`` (the resolved spec, its fingerprint, the
package version), ``parts/part-NNNNNN.parquet`` (one per finished batch,
written to a temporary file and renamed, so a part is either complete or
absent; its timing is in the file's metadata) and ``summary.json`` (one entry
per run). On a restart with ``resume``, finished batches are skipped.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import socket
import time
import warnings
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SweepError, SweepWarning
from .load import load_spec
from .spec import SweepSpec

__all__ = ["SweepResult", "dask_worker_environ", "run"]

_PART = "part-{:06d}.parquet"


def _version() -> str:
    from .. import __version__

    return __version__


@functools.lru_cache(maxsize=2)
def _prepared(spec_json: str):
    spec = SweepSpec.model_validate_json(spec_json)
    return spec, spec.points()


def _work(spec_json: str, batch: int):
    """Run one batch (in whichever process or worker); never raises for task errors."""
    from .tasks import run_batch

    spec, points = _prepared(spec_json)
    table, info = run_batch(spec, batch, points)
    info["worker"] = f"{socket.gethostname()}:{os.getpid()}"
    return table, info


def _failure(spec: SweepSpec, batch: int, message: str):
    """Error rows for every task of a batch that could not run at all."""
    import numpy as np
    import pyarrow as pa

    lo, hi = spec.batch_tasks(batch)
    tid = np.arange(lo, hi, dtype=np.int64)
    table = pa.table({"task": tid, "point": tid // spec.repetitions,
                      "repetition": tid % spec.repetitions,
                      "batch": np.full(len(tid), batch, np.int64),
                      "error": [message] * len(tid)})
    return table, {"batch": batch, "tasks": [int(lo), int(hi)], "rows": len(tid),
                   "failed_tasks": len(tid), "seconds": 0.0, "batch_failure": message,
                   "worker": None}


@dataclass
class SweepResult:
    """A finished (or partly finished) sweep on disk.

    Attributes
    ----------
    output : Path
        The sweep's folder.
    spec : SweepSpec
    summary : dict
        This run: ``batches``, ``tasks``, ``done`` (tasks run now), ``skipped``
        (finished before, on resume), ``failed`` (tasks with an error), ``rows``,
        ``wall_s``, ``busy_s`` (time inside batches), ``rate`` (tasks per second),
        ``workers``, ``scheduler``, ``retried`` (batches rerun because their local
        worker died; Dask reschedules on its own), ``overhead`` (share of the workers' wall time
        not spent inside batches).
    """

    output: Path
    spec: SweepSpec
    summary: dict = field(default_factory=dict)

    @property
    def parts(self) -> list[Path]:
        return sorted((self.output / "parts").glob("part-*.parquet"))

    def dataset(self):
        """A lazy ``pyarrow.dataset.Dataset`` over the part files (nothing is read yet)."""
        import pyarrow.dataset as ds

        return ds.dataset([str(p) for p in self.parts], format="parquet")

    def to_frame(self, columns: list[str] | None = None):
        """All rows as a DataFrame, ordered by task (and equilibrium, player...)."""
        import pandas as pd
        import pyarrow as pa
        import pyarrow.parquet as pq

        tables = [pq.read_table(p, columns=columns) for p in self.parts]
        if not tables:
            return pd.DataFrame()
        table = pa.concat_tables(tables, promote_options="default")
        # nullable integers and booleans stay integers and booleans (error rows are null)
        nullable = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
        frame = table.to_pandas(types_mapper=nullable.get)
        if "task" in frame.columns:
            frame = frame.sort_values("task", kind="stable").reset_index(drop=True)
        return frame

    def errors(self):
        """Rows of the tasks that failed, with their error."""
        df = self.to_frame()
        return df[df["error"].notna()].reset_index(drop=True) if len(df) else df

    def __repr__(self) -> str:
        s = self.summary
        return (f"SweepResult({self.spec.name!r}, {s.get('tasks', 0)} tasks: "
                f"{s.get('done', 0)} run, {s.get('skipped', 0)} skipped, "
                f"{s.get('failed', 0)} failed; {self.output})")

    def _repr_html_(self) -> str:
        from .._format import table_html

        s = self.summary
        rows = [[k, (f"{v:.4g}" if isinstance(v, float) else v)] for k, v in s.items()]
        head = table_html(["", "value"], rows, caption=f"Sweep {self.spec.name!r} "
                                                       f"({self.spec.task}) in {self.output}")
        try:
            preview = self.dataset().head(5).to_pandas().to_html(index=False, max_cols=12)
        except Exception:  # an empty or unreadable folder still shows its summary
            preview = ""
        return head + preview


class _Writer:
    """Writes parts atomically on a background thread (Arrow releases the GIL, so the
    next batch computes meanwhile) and keeps the run's counters and progress bar."""

    def __init__(self, spec: SweepSpec, parts: Path, fingerprint: str, bar):
        from concurrent.futures import ThreadPoolExecutor

        self.spec, self.parts, self.fingerprint, self.bar = spec, parts, fingerprint, bar
        self.done = self.failed = self.rows = self.retried = 0
        self.busy = 0.0
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="gametheory-writer")
        self._pending: deque = deque()

    def _write(self, table, info: dict) -> None:
        import pyarrow.parquet as pq

        meta = {**info, "fingerprint": self.fingerprint, "version": _version(),
                "written": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               b"gametheory": json.dumps(meta).encode()})
        final = self.parts / _PART.format(info["batch"])
        tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
        import pyarrow as pa

        # dictionary encoding pays for repeated text (errors, strategy names), not for
        # the floats of strategies and payoffs, where it only costs time
        text = [f.name for f in table.schema if pa.types.is_string(f.type)]
        pq.write_table(table, tmp, compression="snappy", use_dictionary=text)
        os.replace(tmp, final)
        n = info["tasks"][1] - info["tasks"][0]
        self.done += n
        self.failed += info["failed_tasks"]
        self.rows += info["rows"]
        self.busy += info["seconds"]
        if self.bar is not None:
            self.bar.update(n)
            if self.failed:
                self.bar.set_postfix(failed=self.failed)

    def write(self, table, info: dict) -> None:
        """Queue a part; at most two are in the queue (bounded memory), errors surface."""
        while len(self._pending) >= 2:
            self._pending.popleft().result()
        self._pending.append(self._thread.submit(self._write, table, info))

    def close(self) -> None:
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            self._thread.shutdown(wait=True)


def _prepare_output(spec: SweepSpec, out: Path, *, resume: bool, overwrite: bool) -> set[int]:
    parts = out / "parts"
    meta_path = out / "sweep.json"
    fingerprint = spec.fingerprint()
    if meta_path.exists():
        try:
            old = json.loads(meta_path.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise SweepError(f"{meta_path} is unreadable ({exc}); remove the folder or pass "
                             "overwrite") from None
        has_parts = any(parts.glob("part-*.parquet"))
        if overwrite:
            shutil.rmtree(parts, ignore_errors=True)
        elif old.get("fingerprint") != fingerprint:
            # refused from the first moment, parts or not: the folder belongs to the
            # sweep that wrote sweep.json before its first part
            raise SweepError(f"{out} holds a different spec's sweep (fingerprint "
                             f"{old.get('fingerprint')}, this spec {fingerprint}); choose "
                             "another output folder or pass overwrite")
        elif has_parts and not resume:
            raise SweepError(f"{out} already holds results of this sweep; pass --resume "
                             "(resume=True) to continue it, or overwrite to start again")
    parts.mkdir(parents=True, exist_ok=True)
    for tmp in parts.glob(".part-*.tmp"):   # left by a run that was killed mid-write
        tmp.unlink(missing_ok=True)
    info = {"name": spec.name, "fingerprint": fingerprint, "version": _version(),
            "task": spec.task, "n_tasks": spec.n_tasks(),
            "batch_size": spec.resolved_batch_size(),
            "n_batches": spec.n_batches(),
            "spec": spec.model_dump(mode="json")}
    tmp = meta_path.with_name(".sweep.json.tmp")
    tmp.write_text(json.dumps(info, indent=2))
    os.replace(tmp, meta_path)
    done = set()
    for p in parts.glob("part-*.parquet"):
        try:
            batch = int(p.stem.split("-")[1])
        except ValueError:
            continue
        problem = _part_problem(p, fingerprint, spec, batch)
        if problem:  # a truncated or foreign part is rerun, not trusted
            warnings.warn(f"{p.name}: {problem}; the batch is run again", SweepWarning,
                          stacklevel=3)
            p.unlink(missing_ok=True)
            continue
        done.add(batch)
    return done


def _part_problem(path: Path, fingerprint: str, spec: SweepSpec, batch: int) -> str:
    """Why a finished part cannot be trusted ("" when it can): an unreadable footer, no
    or foreign metadata, or fewer rows than it records."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(path)
        info = json.loads((meta.metadata or {}).get(b"gametheory", b"{}"))
    except Exception as exc:  # pyarrow raises several types for a damaged file
        return f"unreadable ({type(exc).__name__}: {exc})"
    if info.get("fingerprint") != fingerprint:
        return "written by a different spec"
    if info.get("batch") != batch or info.get("rows") != meta.num_rows:
        return f"holds {meta.num_rows} rows where its metadata records {info.get('rows')}"
    return ""


class _FolderLock:
    """An exclusive lock on an output folder for the length of a run (``.lock``), so a
    second sweep started into the same folder stops at once instead of mixing parts."""

    def __init__(self, out: Path):
        self.path = out / ".lock"
        self.handle = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "a+")
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks here; the fingerprint check remains
            return self
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.seek(0)
            holder = self.handle.read().strip() or "another process"
            self.handle.close()
            raise SweepError(f"{self.path.parent} is in use by a running sweep ({holder}); "
                             "wait for it, or choose another output folder") from None
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"pid {os.getpid()}")
        self.handle.flush()
        return self

    def __exit__(self, *exc):
        if self.handle is not None:
            self.handle.close()


def run(spec: SweepSpec | str | os.PathLike | dict, *, resume: bool = False,
        overwrite: bool = False, workers: int | None = None, scheduler: str | None = None,
        dask_local: int | None = None, output: str | os.PathLike | None = None,
        progress: bool = True, retries: int = 2) -> SweepResult:
    """Run a sweep and return its result (a lazy view of the Parquet parts).

    Parameters
    ----------
    spec : SweepSpec, path or mapping
        See :func:`load_spec`; validated before any work starts.
    resume : bool
        Continue a sweep whose output folder exists: finished batches are
        skipped. Without it an existing sweep is not touched.
    overwrite : bool
        Discard earlier results in the output folder.
    workers : int, optional
        Local worker processes (forkserver, one pipe each). Default: in-process when the
        sweep is one batch, else one process per core. ``1``: in-process.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``); the batches run on
        its workers and the parts are written here.
    dask_local : int, optional
        Start a Dask ``LocalCluster`` with this many worker processes.
    output : path, optional
        Overrides the spec's output folder.
    progress : bool
        Progress bar (``tqdm.auto``) with ETA.
    retries : int
        A batch whose worker died is run again up to this many times (alone,
        so that a crash is pinned on its batch); after that its tasks are
        recorded as failed. On Dask the scheduler reschedules lost tasks
        itself (its ``allowed-failures``).

    Returns
    -------
    SweepResult

    Notes
    -----
    Every task draws its random numbers from ``SeedSequence(seed,
    spawn_key=(0, task))`` (or the counter-based key of its id), and batches
    are fixed by the spec, so the table is the same in-process, on local
    processes and on any Dask cluster.

    Examples
    --------
    >>> import tempfile
    >>> from gametheory.sweep import run

    A prisoner's dilemma swept over the temptation payoff ``T``:

    >>> spec = {"task": "solve", "grid": {"T": [2, 4, 6]}, "repetitions": 1,
    ...         "game": {"payoffs": {"row": [[3, 0], ["T", 1]],
    ...                              "column": [[3, "T"], [0, 1]]}}}
    >>> with tempfile.TemporaryDirectory() as out:
    ...     res = run(spec, output=out, progress=False)
    ...     df = res.to_frame()
    >>> res.summary["tasks"], res.summary["failed"]
    (3, 0)
    >>> df.groupby("T")["n_equilibria"].first().tolist()
    [3, 1, 1]
    """
    spec = load_spec(spec)
    if output is not None:
        spec = spec.model_copy(update={"output": str(output)})
    if sum(x is not None for x in (scheduler, dask_local)) > 1:
        raise SweepError("give either scheduler or dask_local, not both")
    if workers is not None and workers < 1:
        raise SweepError(f"workers must be >= 1, got {workers}")
    out = Path(spec.output)
    if out.exists() and not out.is_dir():
        raise SweepError(f"output {out} is a file, not a folder")
    try:
        lock = _FolderLock(out).__enter__()
    except PermissionError as exc:
        raise SweepError(f"cannot write in the output folder {out}: {exc.strerror}") from None
    try:
        return _run_locked(spec, out, resume, overwrite, workers, scheduler, dask_local,
                           progress, retries)
    finally:
        lock.__exit__(None, None, None)


def _run_locked(spec, out, resume, overwrite, workers, scheduler, dask_local, progress,
                retries) -> SweepResult:
    try:
        done = _prepare_output(spec, out, resume=resume, overwrite=overwrite)
    except OSError as exc:  # read-only folder, full disk, ...
        raise SweepError(f"cannot prepare the output folder {out}: "
                         f"{exc.strerror or exc}") from None
    T = spec.n_tasks()
    n_batches = spec.n_batches()
    pending = [b for b in range(n_batches) if b not in done]
    skipped = sum(hi - lo for lo, hi in map(spec.batch_tasks, done) if lo < T)
    spec_json = spec.model_dump_json()
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=T, initial=skipped, unit="task", desc=spec.name, smoothing=0.1)
    writer = _Writer(spec, out / "parts", spec.fingerprint(), bar)
    started = time.perf_counter()
    try:
        mode, n_workers = _execute(spec, spec_json, pending, writer, workers, scheduler,
                                   dask_local, progress, retries)
    finally:
        writer.close()
        if bar is not None:
            bar.close()
    wall = time.perf_counter() - started

    summary = {"batches": n_batches, "tasks": T, "done": writer.done, "skipped": skipped,
               "failed": writer.failed, "rows": writer.rows, "wall_s": round(wall, 4),
               "busy_s": round(writer.busy, 4),
               "rate": round(writer.done / wall, 2) if wall > 0 else 0.0,
               "workers": n_workers, "scheduler": mode, "retried": writer.retried,
               "overhead": round(max(0.0, 1 - writer.busy / (wall * max(n_workers, 1))), 4)
               if writer.done and wall > 0 else 0.0}
    log = out / "summary.json"
    runs = []
    if log.exists():
        try:
            runs = json.loads(log.read_text()).get("runs", [])
        except (OSError, json.JSONDecodeError):
            runs = []
    runs.append({**summary, "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                 "version": _version()})
    tmp = log.with_name(".summary.json.tmp")
    tmp.write_text(json.dumps({"runs": runs}, indent=2))
    os.replace(tmp, log)
    return SweepResult(out, spec, summary)


def _execute(spec, spec_json, pending, writer, workers, scheduler, dask_local, progress,
             retries) -> tuple[str, int]:
    if scheduler is not None or dask_local is not None:
        return _run_dask(spec, spec_json, pending, writer, scheduler, dask_local, progress)
    if workers is None:
        workers = 1 if len(pending) <= 1 else min(os.cpu_count() or 1, len(pending))
    if workers == 1:
        for b in pending:
            writer.write(*_work(spec_json, b))
        return "in-process", 1
    _run_local(spec, spec_json, pending, writer, workers, retries)
    return "processes", workers


def _worker_main(conn) -> None:
    """A local worker: run the batches sent over its own pipe until told to stop (or
    until the runner's end of the pipe closes, e.g. because the runner was killed)."""
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        conn.send(_work(*msg))


class _Slot:
    """One worker process with its own pipe: a crash loses only the batch it ran, and
    a half-sent result cannot block the others (as it can with a shared queue)."""

    def __init__(self, ctx):
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child,), daemon=True,
                                name="gametheory-sweep-worker")
        self.proc.start()
        child.close()
        self.batch: int | None = None

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.conn.close()
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()


def _run_local(spec, spec_json, pending, writer, workers: int, retries: int) -> None:
    """Local worker processes; the batch of a worker that died is rerun on a new worker
    up to ``retries`` times, then recorded as failed."""
    import multiprocessing
    from multiprocessing.connection import wait

    # forkserver: workers fork from a clean server that has imported the task code once
    # (fast start, and no threads inherited from the caller, e.g. Jupyter's)
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["gametheory.sweep.runner", "gametheory.sweep.tasks"])
    queue = deque(pending)
    attempts: dict[int, int] = {}
    slots = [_Slot(ctx) for _ in range(min(workers, len(queue)))]
    try:
        while True:
            for s in slots:
                if s.batch is None and queue:
                    s.batch = queue.popleft()
                    try:
                        s.conn.send((spec_json, s.batch))
                    except OSError:
                        pass            # found dead below, through its sentinel
            busy = [s for s in slots if s.batch is not None]
            if not busy:
                break
            ready = set(wait([s.conn for s in busy] + [s.proc.sentinel for s in busy]))
            for k, s in enumerate(slots):
                if s.batch is None or (s.conn not in ready and s.proc.sentinel not in ready):
                    continue
                result = None
                if s.conn in ready or s.conn.poll():
                    try:
                        result = s.conn.recv()
                    except (EOFError, OSError):
                        result = None
                if result is not None:
                    writer.write(*result)
                    s.batch = None
                    continue
                if s.proc.is_alive() and s.proc.sentinel not in ready:
                    continue
                b = s.batch
                s.proc.join()
                s.conn.close()
                attempts[b] = attempts.get(b, 0) + 1
                if attempts[b] > retries:
                    writer.write(*_failure(spec, b, f"WorkerDied: the process running this "
                                                    f"batch died {attempts[b]} times (exit "
                                                    f"code {s.proc.exitcode})"))
                else:
                    queue.appendleft(b)
                    writer.retried += 1
                slots[k] = _Slot(ctx)
    finally:
        for s in slots:
            s.stop()


def dask_worker_environ():
    """A ``dask.config.set`` context for starting Dask workers that run batches at full
    speed.

    Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_=65536`` in its workers, which turns off
    glibc's adaptive mmap threshold: every large temporary array is then mapped and
    unmapped afresh, and the batch engine runs 1.7x slower (``benchmarks/sweep.py``).
    Use it around ``LocalCluster(...)`` (or set the same Dask config on a cluster).
    """
    import dask

    environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ",
                                                 {}).items()
               if k != "MALLOC_TRIM_THRESHOLD_"}
    return dask.config.set({"distributed.nanny.pre-spawn-environ": environ})


def _run_dask(spec, spec_json, pending, writer, scheduler, dask_local, progress):
    try:
        from distributed import Client, LocalCluster, as_completed
        from distributed.client import FutureCancelledError
    except ImportError:
        raise SweepError("Dask is not installed: pip install 'gametheory[dask]'") from None
    cluster = None
    if dask_local is not None:
        if dask_local < 1:
            raise SweepError(f"dask_local must be >= 1, got {dask_local}")
        with dask_worker_environ():
            cluster = LocalCluster(n_workers=dask_local, threads_per_worker=1,
                                   processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout="20s")
        except Exception as exc:  # distributed raises OSError, TimeoutError, ValueError, ...
            raise SweepError(f"cannot reach the Dask scheduler at {scheduler!r}: "
                             f"{type(exc).__name__}: {exc}") from None
    try:
        n_workers = max(1, len(client.nthreads()))
        if progress and cluster is None and client.dashboard_link:
            print(f"Dask dashboard: {client.dashboard_link}")
        queue = deque(pending)
        limit = 4 * n_workers + 4
        prefix = f"gametheory-{spec.fingerprint()}-{time.time_ns()}"

        def submit(b):
            return client.submit(_work, spec_json, b, key=f"{prefix}-{b}", pure=False)

        first = [submit(queue.popleft()) for _ in range(min(limit, len(queue)))]
        batches = {f.key: int(f.key.rsplit("-", 1)[1]) for f in first}
        ac = as_completed(first)
        for fut in ac:
            b = batches.pop(fut.key)
            try:
                writer.write(*fut.result())
            except (FutureCancelledError, Exception) as exc:  # KilledWorker and the like
                writer.write(*_failure(spec, b, f"{type(exc).__name__}: {exc}"))
            fut.release()
            if queue:
                nxt = submit(queue.popleft())
                batches[nxt.key] = int(nxt.key.rsplit("-", 1)[1])
                ac.add(nxt)
        return "dask", n_workers
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
