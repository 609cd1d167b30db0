"""`import gametheory` stays light: heavy dependencies load only when used."""

from __future__ import annotations

import subprocess
import sys

import gametheory


def test_heavy_modules_are_not_imported_eagerly():
    code = ("import sys, gametheory; "
            "print(','.join(m for m in ('pandas', 'scipy.optimize', 'matplotlib', "
            "'networkx', 'nashpy', 'typer') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""


def test_public_api_is_declared():
    for name in gametheory.__all__:
        assert hasattr(gametheory, name), name
    import importlib

    for name in ("gametheory.games", "gametheory.solvers", "gametheory.errors"):
        module = importlib.import_module(name)
        assert all(hasattr(module, n) for n in module.__all__)
