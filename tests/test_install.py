"""The README's two commands in one clone and one environment: a wheel install that runs a
compiled path, then an editable install over it, must leave an importable package (the
compiled kernels' cache once stayed behind in site-packages and turned ``gametheory``
into an empty namespace package). CI also runs both commands in order (``.ci/run``)."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _run(args, cwd, **kw):
    out = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, **kw)
    assert out.returncode == 0, f"{args}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out.stdout


@pytest.mark.timeout(900)
def test_wheel_then_editable_install_in_one_environment(tmp_path):
    pip = [sys.executable, "-m", "pip"]
    wheels = tmp_path / "wheels"
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels),
          str(REPO)], cwd=tmp_path)
    wheel = next(wheels.glob("gametheory-*.whl"))
    env_dir = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], cwd=tmp_path)
    python = env_dir / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                      "['purelib'])"], cwd=tmp_path).strip())
    # the dependencies come from this environment (no network needed)
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([*pip, "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
         cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = ("import numpy as np, gametheory as gt; rng = np.random.default_rng(0); "
            "r = gt.solve_many(rng.random((3, 4, 4)), rng.random((3, 4, 4))); "
            "assert not r.errors and r.n_equilibria.min() >= 1; print(gt.__file__)")
    first = _run([str(python), "-c", code], cwd=elsewhere)
    assert str(site) in first
    leftovers = [p for p in (site / "gametheory").rglob("*") if p.suffix in (".nbi", ".nbc")]
    assert not leftovers, f"compiled-kernel cache written into the package: {leftovers[:3]}"
    _run([*pip, "--python", str(python), "install", "--no-deps", "--no-build-isolation",
          "-q", "-e", str(REPO)], cwd=tmp_path)
    second = _run([str(python), "-c", "import gametheory, gametheory.cli, gametheory.events;"
                   " print(gametheory.__file__)"], cwd=elsewhere)
    assert str(REPO) in second
    _run([str(env_dir / "bin" / "gametheory"), "--version"], cwd=elsewhere)
