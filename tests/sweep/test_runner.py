"""The sweep runner: known answers for each task kind, identical tables whatever the
scheduler, errors kept as rows, resume after SIGKILL, dead workers survived."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import gametheory as gt
from gametheory.errors import SweepError
from gametheory.sweep import load_spec, run
from gametheory.sweep.tasks import task_seed

RANDOM = {"task": "solve", "game": {"random": {"rows": "k", "cols": "k", "low": 0, "high": 9}},
          "grid": {"k": [2, 3]}, "repetitions": 3000, "seed": 11, "batch_size": 700}


def _wait_for_parts(folder: Path, n: int, timeout: float = 60.0, alive=lambda: True):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        if len(list((folder / "parts").glob("part-*.parquet"))) >= n:
            return True
        time.sleep(0.01)
    return False


def test_solve_sweep_agrees_with_single_game_solving(tmp_path):
    spec = {"task": "solve", "game": "stag_hunt", "grid": {"stag": [3.5, 4, 6], "alone": [0, 1]}}
    df = run(spec, output=tmp_path, progress=False).to_frame()
    for (stag, alone), rows in df.groupby(["stag", "alone"]):
        ref = gt.solve(gt.games.stag_hunt(stag=stag, alone=alone))
        assert len(rows) == len(ref) == rows["n_equilibria"].iloc[0]
        got = sorted((tuple(np.round(r.row_strategy, 9)), tuple(np.round(r.column_strategy, 9)))
                     for r in rows.itertuples())
        want = sorted((tuple(np.round(np.asarray(e.strategies[0].values, float), 9)),
                       tuple(np.round(np.asarray(e.strategies[1].values, float), 9)))
                      for e in ref)
        assert got == want
    assert df["error"].isna().all()


def test_same_table_in_process_with_two_processes_and_on_dask(tmp_path):
    pytest.importorskip("distributed")
    one = run(RANDOM, output=tmp_path / "a", workers=1, progress=False)
    two = run(RANDOM, output=tmp_path / "b", workers=2, progress=False)
    dask = run(RANDOM, output=tmp_path / "c", dask_local=2, progress=False)
    assert (one.summary["scheduler"], two.summary["scheduler"], dask.summary["scheduler"]) \
        == ("in-process", "processes", "dask")
    ref = one.to_frame()
    assert len(ref) > 6000 and ref["error"].isna().all()
    pd.testing.assert_frame_equal(ref, two.to_frame())
    pd.testing.assert_frame_equal(ref, dask.to_frame())
    # the equilibria are those of the batch engine on the same games
    assert (ref.groupby("task")["n_equilibria"].first() >= 1).all()


def test_play_task_known_scores(tmp_path):
    spec = {"task": "play", "game": "prisoners_dilemma",
            "options": {"turns": 10, "column": "Defector"},
            "grid": {"row": ["Tit for tat", "Cooperator"]}, "repetitions": 2}
    df = run(spec, output=tmp_path, progress=False).to_frame()
    tft = df[df.row == "Tit for tat"]
    assert tft.row_score.tolist() == [0.9, 0.9]          # S once, then P: (0 + 9) / 10
    assert tft.column_score.tolist() == [1.4, 1.4]       # T once, then P: (5 + 9) / 10
    assert df[df.row == "Cooperator"].row_score.tolist() == [0.0, 0.0]
    assert df.column_name.unique().tolist() == ["Defector"]


def test_noisy_matches_depend_on_the_task_only(tmp_path):
    spec = {"task": "play", "game": "prisoners_dilemma", "options": {"turns": 30},
            "grid": {"row": ["Tit for tat", "GRIT"], "column": ["Win-stay lose-shift"],
                     "noise": [0.1]}, "repetitions": 5, "seed": 3}
    a = run({**spec, "batch_size": 10}, output=tmp_path / "a", progress=False).to_frame()
    b = run({**spec, "batch_size": 3}, output=tmp_path / "b", progress=False).to_frame()
    cols = ["task", "row_score", "column_score", "row_cooperation"]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    assert a.row_score.nunique() > 1                   # noise differs between repetitions


def test_tournament_task_matches_a_direct_tournament(tmp_path):
    players = ["Tit for tat", "Defector", "Cooperator", "GRIT"]
    spec = {"task": "tournament", "game": "prisoners_dilemma",
            "options": {"players": players, "turns": 20, "repetitions": 3},
            "grid": {"noise": [0.0, 0.05]}, "seed": 4}
    res = run({**spec, "batch_size": 1}, output=tmp_path, progress=False)
    df = res.to_frame()
    lazy = res.dataset()                       # one part per tournament, one schema
    assert str(lazy.schema.field("error").type) == "string"
    assert lazy.count_rows() == len(df) == 8
    loaded = load_spec(spec)
    for task, noise in enumerate([0.0, 0.05]):
        ref = gt.Tournament(players, turns=20, repetitions=3, noise=noise,
                            seed=task_seed(loaded, task)).run().summary()
        got = df[df.task == task]
        assert got.player.tolist() == ref.player.tolist()
        np.testing.assert_allclose(got.mean_payoff, ref.mean_payoff)


def test_scenario_task_matches_compare_strategies(tmp_path):
    from gametheory.analysis import calibrate, compare_strategies

    opts = {"opponents": ["Tit for tat"], "sides": ["RUS"], "noise_levels": [0.0],
            "discounts": [0.9], "turns": 5, "repetitions": 4}
    spec = {"task": "scenario", "options": opts, "grid": {"utility.RUS.loss_cost": [1.0, 3.0]}}
    df = run(spec, output=tmp_path, progress=False).to_frame()
    assert len(df) == 2 and df.error.isna().all()
    cal = calibrate().with_parameters(**{"utility.RUS.loss_cost": 3.0})
    ref = compare_strategies(cal, opponents=["Tit for tat"], sides=["RUS"],
                             noise_levels=[0.0], discounts=[0.9], turns=5, repetitions=4,
                             seed=task_seed(load_spec(spec), 1)).comparison
    assert df.iloc[1].difference == pytest.approx(ref.difference.iloc[0])
    assert df.iloc[1].verdict == ref.verdict.iloc[0]


def test_failing_tasks_are_rows_with_their_error_and_the_rest_is_kept(tmp_path):
    # log(x) is NaN for x < 0: those games cannot be solved, the others are
    spec = {"task": "solve", "grid": {"x": [-1.0, 1.0, 2.0, -3.0]},
            "game": {"payoffs": {"row": [[3, 0], ["4 + log(x)", 1]],
                                 "column": [[3, "4 + log(x)"], [0, 1]]}}}
    res = run(spec, output=tmp_path, progress=False)
    assert res.summary["failed"] == 2
    errs = res.errors()
    assert errs.x.tolist() == [-1.0, -3.0]
    assert errs.error.str.contains("non-finite|NaN", case=False).all()
    ok = res.to_frame().dropna(subset=["equilibrium"])
    assert sorted(ok.x.unique()) == [1.0, 2.0]


def test_resume_skips_finished_batches_and_refuses_to_clobber(tmp_path):
    full = run(RANDOM, output=tmp_path, workers=1, progress=False)
    expected = full.to_frame()
    parts = sorted((tmp_path / "parts").glob("part-*.parquet"))
    for p in parts[1::3]:
        p.unlink()
    (tmp_path / "parts" / ".part-000000.parquet.123.tmp").write_text("half a part")
    with pytest.raises(SweepError, match="--resume"):
        run(RANDOM, output=tmp_path, progress=False)
    again = run(RANDOM, output=tmp_path, resume=True, workers=1, progress=False)
    assert again.summary["done"] == sum(700 for _ in parts[1::3]) - \
        (700 * len(parts) - 6000 if parts[-1] in parts[1::3] else 0)
    assert again.summary["skipped"] == 6000 - again.summary["done"]
    pd.testing.assert_frame_equal(again.to_frame(), expected)
    assert not list((tmp_path / "parts").glob("*.tmp"))
    with pytest.raises(SweepError, match="different spec"):
        run({**RANDOM, "seed": 12}, output=tmp_path, resume=True, progress=False)
    runs = json.loads((tmp_path / "summary.json").read_text())["runs"]
    assert len(runs) == 2


def test_sigkill_then_resume_gives_every_row_exactly_once(tmp_path):
    spec = {**RANDOM, "repetitions": 60_000, "batch_size": 2_000}
    (tmp_path / "spec.json").write_text(json.dumps({**spec, "output": str(tmp_path / "out")}))
    cmd = [sys.executable, "-m", "gametheory", "sweep", str(tmp_path / "spec.json"),
           "--workers", "2", "--no-progress"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    k = int(np.random.default_rng(int(time.time())).integers(1, 20))
    got = _wait_for_parts(tmp_path / "out", k, alive=lambda: proc.poll() is None)
    assert got and proc.poll() is None, f"the sweep finished before {k} parts were written"
    os.killpg(proc.pid, signal.SIGKILL)                   # the runner and its workers
    proc.wait()
    done_before = len(list((tmp_path / "out" / "parts").glob("part-*.parquet")))
    assert done_before < 60, k
    res = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert f"{done_before * 2000} skipped" in res.stdout
    df = pd.read_parquet(tmp_path / "out" / "parts")
    per_task = df.groupby("task").equilibrium.apply(list)
    assert len(per_task) == 120_000
    assert set(per_task.index) == set(range(120_000))
    assert all(eq == list(range(len(eq))) for eq in per_task.iloc[::97])
    assert not df.duplicated(["task", "equilibrium"]).any()


def test_a_local_worker_that_dies_is_replaced_and_its_batch_rerun(tmp_path):
    psutil = pytest.importorskip("psutil")
    spec = {**RANDOM, "repetitions": 100_000, "batch_size": 2_000}
    out = tmp_path / "out"
    box = {}
    t = threading.Thread(target=lambda: box.update(res=run(spec, output=out, workers=2,
                                                           progress=False)))
    t.start()
    assert _wait_for_parts(out, 2)
    servers = [c for c in psutil.Process().children(recursive=True)
               if "forkserver" in " ".join(c.cmdline())]
    workers = [w for s in servers for w in s.children()]
    assert workers
    workers[0].kill()
    t.join(timeout=300)
    res = box["res"]
    assert res.summary["retried"] >= 1                  # the killed worker's batch, rerun
    assert res.summary["failed"] == 0 and res.summary["done"] == 200_000
    assert res.to_frame().task.nunique() == 200_000


def test_a_dask_worker_killed_mid_run_does_not_lose_work(tmp_path):
    distributed = pytest.importorskip("distributed")
    spec = {**RANDOM, "repetitions": 40_000, "batch_size": 2_000}
    out = tmp_path / "out"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        pids = client.run(os.getpid)
        box = {}
        t = threading.Thread(target=lambda: box.update(
            res=run(spec, output=out, scheduler=cluster.scheduler_address, progress=False)))
        t.start()
        assert _wait_for_parts(out, 2)
        os.kill(next(iter(pids.values())), signal.SIGKILL)
        t.join(timeout=300)
    res = box["res"]
    assert res.summary["scheduler"] == "dask"
    assert res.summary["failed"] == 0 and res.summary["done"] == 80_000
    assert res.to_frame().task.nunique() == 80_000


def test_cli_sweep_and_schema(tmp_path):
    from typer.testing import CliRunner

    from gametheory.cli import app

    (tmp_path / "s.yaml").write_text("name: pd\ntask: solve\ngame: prisoners_dilemma\n"
                                     f"grid:\n  T: [4, 5, 6]\noutput: {tmp_path / 'out'}\n")
    r = CliRunner().invoke(app, ["sweep", str(tmp_path / "s.yaml"), "--no-progress"])
    assert r.exit_code == 0, r.output
    assert "pd: 3 tasks in 1 batches: 3 run, 0 skipped, 0 failed" in r.output
    assert len(pd.read_parquet(tmp_path / "out" / "parts")) == 3
    (tmp_path / "bad.yaml").write_text("task: solve\ngame: prisoners_dilemma\nworkers: 2\n")
    r = CliRunner().invoke(app, ["sweep", str(tmp_path / "bad.yaml")])
    assert r.exit_code == 2 and "key 'workers': unknown key" in r.output
    r = CliRunner().invoke(app, ["sweep-schema"])
    assert json.loads(r.output)["title"] == "SweepSpec"


def test_shipped_stage_game_sweep_matches_single_solves(tmp_path):
    path = (Path(__file__).parents[2] / "models" / "us_russia_embassy" / "sweeps"
            / "stage-game-sensitivity.yaml")
    res = run(path, output=tmp_path, progress=False)
    df = res.to_frame()
    assert res.summary["failed"] == 0 and df.task.nunique() == 81
    from gametheory.analysis import calibrate

    cal = calibrate()
    key_p, key_c = "utility.RUS.parity_weight", "utility.RUS.concession_cost"
    for _, row in df.drop_duplicates("task").iloc[[0, 40, 80]].iterrows():
        game = cal.with_parameters(**{key_p: row[key_p], key_c: row[key_c]}).stage_game()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ref = gt.solve(game)
        assert row.n_equilibria == len(ref)
        degenerate = any(issubclass(w.category, gt.DegenerateGameWarning) for w in caught)
        assert bool(row.degenerate) == degenerate


SMALL = {"task": "solve", "game": "stag_hunt", "grid": {"stag": [3.5, 4, 6, 7]},
         "batch_size": 1}


def test_resume_reruns_truncated_and_foreign_parts(tmp_path):
    from gametheory.errors import SweepWarning

    full = run(SMALL, output=tmp_path, workers=1, progress=False)
    expected = full.to_frame()
    parts = sorted((tmp_path / "parts").glob("part-*.parquet"))
    data = parts[1].read_bytes()
    parts[1].write_bytes(data[: len(data) // 2])          # a part cut by a kill or full disk
    with pytest.warns(SweepWarning, match="part-000001.parquet: unreadable"):
        again = run(SMALL, output=tmp_path, resume=True, workers=1, progress=False)
    assert again.summary["done"] == 1 and again.summary["skipped"] == 3
    pd.testing.assert_frame_equal(again.to_frame(), expected)


def test_a_different_spec_is_refused_before_any_part_exists(tmp_path):
    (tmp_path / "sweep.json").write_text(json.dumps({"fingerprint": "0123456789abcdef"}))
    with pytest.raises(SweepError, match="different spec"):
        run(SMALL, output=tmp_path, workers=1, progress=False)
    run(SMALL, output=tmp_path, workers=1, progress=False, overwrite=True)


def test_output_folder_is_locked_while_a_sweep_runs(tmp_path):
    from gametheory.sweep.runner import _FolderLock

    with _FolderLock(tmp_path):
        with pytest.raises(SweepError, match="in use by a running sweep"):
            run(SMALL, output=tmp_path, workers=1, progress=False)
    assert run(SMALL, output=tmp_path, workers=1, progress=False).summary["done"] == 4


def test_output_that_is_a_file_is_a_typed_error(tmp_path):
    target = tmp_path / "results"
    target.write_text("not a folder")
    with pytest.raises(SweepError, match="is a file"):
        run(SMALL, output=target, workers=1, progress=False)
