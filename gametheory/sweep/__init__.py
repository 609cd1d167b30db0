"""Batch runs at scale: sweep specs, a resumable runner, local processes or Dask.

A sweep spec (YAML, TOML or JSON; :func:`load_spec`, JSON Schema from
:func:`sweep_schema`) says what to run (``solve`` games built from parameters,
``play`` matches, run ``tournament`` s or ``scenario`` s of the calibrated
model), over which parameter grid and random or Sobol samples, with how many
repetitions, which root seed and which output folder. :func:`run` executes it
in batches and writes Parquet part files; ``gametheory sweep SPEC`` does the
same from the command line.

Examples
--------
>>> from gametheory.sweep import load_spec
>>> spec = load_spec({"task": "play", "game": "prisoners_dilemma",
...                   "grid": {"row": ["Tit for tat", "GRIT"], "noise": [0.0, 0.05]},
...                   "options": {"turns": 50, "column": "Defector"},
...                   "repetitions": 10})
>>> spec.n_points(), spec.n_tasks()
(4, 40)
"""

from .load import load_spec, parse_spec
from .runner import SweepResult, run
from .spec import GameSpec, Samples, SweepSpec, sweep_schema

__all__ = ["GameSpec", "Samples", "SweepResult", "SweepSpec", "load_spec", "parse_spec", "run",
           "sweep_schema"]
