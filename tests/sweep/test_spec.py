"""Sweep specs: points, seeds, and bad specs rejected before any work, naming the key."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.errors import GameError, SpecError
from gametheory.sweep import load_spec, sweep_schema
from gametheory.sweep.spec import evaluate, expression_names
from gametheory.sweep.tasks import build_games


def test_grid_and_samples_make_the_product_in_task_order():
    spec = load_spec({"task": "solve", "game": "prisoners_dilemma",
                      "grid": {"T": {"start": 4, "stop": 6, "num": 3}, "S": [0, -1]},
                      "samples": {"method": "sobol", "n": 4, "ranges": {"P": [0, 1]}},
                      "repetitions": 2, "seed": 5})
    pts = spec.points()
    assert spec.n_points() == len(pts) == 3 * 2 * 4
    assert spec.n_tasks() == 48
    assert pts["T"].tolist()[:8] == [4.0] * 8            # first grid key varies slowest
    assert pts["S"].tolist()[:8] == [0] * 4 + [-1] * 4
    # every grid point sees the same Sobol samples, inside the range
    P = pts["P"].to_numpy().reshape(6, 4)
    assert np.all(P == P[0]) and np.all((P >= 0) & (P <= 1))
    assert len(set(P[0])) == 4


def test_samples_are_reproducible_from_the_seed():
    def pts(seed, method):
        return load_spec({"task": "solve", "game": "prisoners_dilemma", "seed": seed,
                          "samples": {"method": method, "n": 16,
                                      "ranges": {"P": [0, 1], "T": [4, 5]}}}).points()
    for method in ("sobol", "halton", "latin_hypercube", "random"):
        assert pts(1, method).equals(pts(1, method))
        assert not pts(1, method).equals(pts(2, method))


def test_fingerprint_ignores_the_output_folder_only():
    base = {"task": "solve", "game": "prisoners_dilemma", "grid": {"T": [4, 5]}}
    a = load_spec({**base, "output": "x"})
    b = load_spec({**base, "output": "y"})
    c = load_spec({**base, "seed": 1})
    assert a.fingerprint() == b.fingerprint() != c.fingerprint()


def test_yaml_toml_and_json_files(tmp_path):
    (tmp_path / "s.yaml").write_text("task: solve\ngame: stag_hunt\ngrid:\n  stag: [4, 5]\n"
                                     "output: results\n")
    (tmp_path / "s.toml").write_text('task = "solve"\ngame = "stag_hunt"\n'
                                     '[grid]\nstag = [4, 5]\n')
    (tmp_path / "s.json").write_text(json.dumps({"task": "solve", "game": "stag_hunt",
                                                 "grid": {"stag": [4, 5]}}))
    specs = [load_spec(tmp_path / f"s.{x}") for x in ("yaml", "toml", "json")]
    assert {s.fingerprint() for s in specs} == {specs[0].fingerprint()}
    assert specs[0].output == "results"      # relative to the working directory


@pytest.mark.parametrize(("text", "key", "fragment"), [
    ("task: solve\ngame: prisoners_dilemma\nbogus: 1\n", "bogus", "unknown key"),
    ("task: solve\ngame: prisoners_dilemma\ngrid:\n  X: [1, 2]\n", "grid.X",
     "neither an argument"),
    ("task: solve\ngame: prisoners_dilemma\noptions:\n  turns: 3\n", "options.turns",
     "unknown option"),
    ("task: play\ngame: prisoners_dilemma\noptions:\n  row: Tit for tat\n  column: Defector\n"
     "grid:\n  noise: [0, 1.5]\n", "grid.noise", "not a probability"),
    ("task: play\ngame: prisoners_dilemma\noptions:\n  column: Defector\n"
     "grid:\n  row: [Tit for tat, Tit for tatt]\n", "grid.row", "Tit for tatt"),
    ("task: solve\ngame: prisoners_dilemma\nsamples:\n  n: 10\n  ranges:\n    T: [4, 5]\n",
     "samples", "power of two"),
    ("task: solve\ngame: prisoners_dilemma\nsamples:\n  n: 8\n  ranges:\n    T: [5, 4]\n",
     "samples", "low < high"),
    ("task: solve\ngame: no_such_game\n", "game", "unknown catalogue game"),
    ("task: solve\ngame:\n  payoffs:\n    row: [[a, 0], [0, 1]]\n    column: [[1, 0], [0, 1]]\n",
     "game", "a, which is not a parameter"),
    ("task: solve\ngame:\n  payoffs:\n    row: [[1, 0], [0]]\n    column: [[1, 0], [0, 1]]\n",
     "game", "rectangular"),
    ("task: solve\ngame:\n  payoffs:\n    row: [[\"__import__('os')\", 0], [0, 1]]\n"
     "    column: [[1, 0], [0, 1]]\n", "game", "not allowed"),
    ("task: solve\ngame: us-russia\ngrid:\n  utility.USA.nonsense: [1]\n",
     "grid.utility.USA.nonsense", "no such parameter"),
    ("task: solve\ngame: us-russia\ngrid:\n  discount: [1.5]\n", "grid.discount", "less than 1"),
    ("task: scenario\nrepetitions: 0\n", "repetitions", "greater than or equal to 1"),
    ("task: tournament\ngame: prisoners_dilemma\noptions:\n  players: [Tit for tat]\n",
     "options.players", "at least two"),
    ("task: solve\ngame: prisoners_dilemma\nbatch_size: 0\n", "batch_size", ">= 1"),
    ("task: solve\ngame: prisoners_dilemma\ngrid:\n  T: []\n", "grid", "no values"),
])
def test_bad_specs_are_rejected_naming_the_key(tmp_path, text, key, fragment):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(SpecError) as err:
        load_spec(path)
    assert err.value.key == key
    assert fragment in str(err.value)
    assert str(path) in str(err.value)
    assert isinstance(err.value, GameError)


def test_error_names_the_line_of_the_key(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("task: solve\ngame: prisoners_dilemma\ngrid:\n  T: [4, 5]\n  Q: [1]\n")
    with pytest.raises(SpecError, match=r"line 5, key 'grid.Q'"):
        load_spec(path)


def test_schema_lists_every_top_level_key():
    schema = sweep_schema()
    assert {"task", "game", "grid", "samples", "repetitions", "seed", "batch_size",
            "output", "options", "model", "name"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_expressions_evaluate_vectorised_and_refuse_code():
    v = {"T": np.array([4.0, 5.0]), "c": 2.0}
    assert evaluate("T - c ** 2 / 4", v).tolist() == [3.0, 4.0]
    assert evaluate("maximum(T, 4.5)", v).tolist() == [4.5, 5.0]
    assert expression_names("maximum(T, c) + x") == {"T", "c", "x"}
    for bad in ("T.real", "open('f')", "[T]", "T if c else 1", "'a'"):
        with pytest.raises(ValueError, match="not allowed"):
            expression_names(bad)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.integers(1, 3))
def test_every_grid_combination_appears_once(sizes, reps):
    names = ["T", "R", "P"][:len(sizes)]
    grid = {n: list(range(10 * k, 10 * k + s))
            for k, (n, s) in enumerate(zip(names, sizes, strict=True))}
    spec = load_spec({"task": "solve", "repetitions": reps,
                      "game": {"payoffs": {"row": [[names[0], 0], [0, 1]],
                                           "column": [[" + ".join(names), 0], [0, 1]]}},
                      "grid": grid})
    pts = spec.points()
    assert len(pts) == int(np.prod(sizes)) == spec.n_points()
    assert not pts.duplicated().any()
    assert spec.n_tasks() == len(pts) * reps


def test_random_games_are_fixed_by_task_id_not_by_batch():
    spec = load_spec({"task": "solve", "game": {"random": {"rows": 3, "cols": 2}},
                      "repetitions": 10, "seed": 9})
    pts = spec.points()
    all_, _ = build_games(spec, pts, np.zeros(10, np.int64), np.arange(10))
    part, _ = build_games(spec, pts, np.zeros(4, np.int64), np.arange(6, 10))
    A, B = all_[(3, 2)][1:]
    assert np.array_equal(part[(3, 2)][1], A[6:]) and np.array_equal(part[(3, 2)][2], B[6:])
    assert A.min() >= 0 and A.max() <= 99 and np.all(A == np.round(A))
    assert len({a.tobytes() for a in A}) == 10


SHIPPED = sorted((Path(__file__).parents[2] / "models" / "us_russia_embassy" / "sweeps")
                 .glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_sweeps_are_valid(path):
    spec = load_spec(path)
    assert spec.n_tasks() >= 16
    assert spec.output.startswith("sweep-results/")


def test_old_package_name_is_a_deprecated_alias():
    import importlib
    import sys

    for name in [m for m in sys.modules if m == "gametheory.batch"
                 or m.startswith("gametheory.batch.")]:
        del sys.modules[name]
    with pytest.warns(DeprecationWarning, match="gametheory.sweep"):
        old = importlib.import_module("gametheory.batch")
    from gametheory.batch.runner import run as old_run  # the submodules too

    import gametheory.sweep as new

    assert old.load_spec is new.load_spec and old_run is new.run
