"""Hostile and broken input: a typed error that says what and where, never a hang,
a silent wrong answer or an untyped exception (issue 16)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gametheory as gt
from gametheory.errors import (
    GameError,
    InputLimitError,
    PayoffError,
    ProfileError,
    ShapeError,
    UnknownNameError,
)

PD = gt.Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])


# ----------------------------------------------------------------------- payoffs


@pytest.mark.parametrize(("payoff", "match"), [
    ("1e999999999", "exponent"),          # exact value would have a billion digits
    ("1e-999999999", "exponent"),
    ("1e400", "finite numbers"),          # exact, but no float holds it
    (complex(1, 2), "not a finite real number"),
    ("nan", "not finite"),
    (float("inf"), "finite"),
])
def test_bad_payoffs_refused_at_the_game_boundary(payoff, match):
    with pytest.raises(PayoffError, match=match):
        gt.Game.from_bimatrix(np.array([[payoff, 0], [0, 1]], dtype=object), [[0, 0], [0, 0]])


def test_complex_arrays_refused_everywhere():
    A = np.array([[1, -1], [-1, 1]], dtype=complex) + 0.5j
    with pytest.raises(PayoffError, match="real"):
        gt.Game.from_bimatrix(A, -A)
    with pytest.raises(PayoffError, match="complex"):
        gt.solve_many(A[None], -A[None])
    res = gt.solve_many([(A, -A), PD])
    assert "complex" in res.errors[0] and res.n_equilibria[1] == 1


def test_payoff_range_that_overflows_is_refused_not_misjudged():
    """Matching pennies x 1e308 has finite payoffs but a range beyond the largest float."""
    A = np.array([[1.0, -1.0], [-1.0, 1.0]]) * 1e308
    with pytest.raises(PayoffError, match="range overflows"):
        gt.Game.from_bimatrix(A, -A)
    res = gt.solve_many([(A, -A)])
    assert res.n_equilibria[0] == 0 and "overflows" in res.errors[0]
    # just inside the float range, the answer is right
    small = A / 4
    res = gt.solve(gt.Game.from_bimatrix(small, -small))
    assert len(res) == 1 and np.allclose(res[0].strategies[0].probabilities, 0.5)
    x, y = gt.solve_many([(small, -small)])[0].equilibria[0]
    assert x == pytest.approx([0.5, 0.5]) and y == pytest.approx([0.5, 0.5])


# ----------------------------------------------------------------------- options


@pytest.mark.parametrize("tol", [float("nan"), -1e-9, 0.0, float("inf"), "1e-9", True])
@pytest.mark.parametrize("method", ["vertex_enumeration", "support_enumeration", "pure",
                                    "lemke_howson"])
def test_tolerance_is_validated(method, tol):
    with pytest.raises(ProfileError, match="tol must be"):
        gt.solve(PD, method=method, tol=tol)


def test_tolerance_validated_on_direct_calls():
    from gametheory.solvers import support_enumeration, vertex_enumeration

    for func in (vertex_enumeration, support_enumeration):
        with pytest.raises(ProfileError, match="tol must be"):
            func(PD, tol=float("nan"))


@pytest.mark.parametrize("label", [1.5, "1", -1, 4, None.__class__])
def test_lemke_howson_label_is_not_truncated(label):
    with pytest.raises(ShapeError, match=r"initial_dropped_label must be an integer in 0\.\.3"):
        gt.solve(PD, method="lemke_howson", initial_dropped_label=label)


def test_lemke_howson_accepts_numpy_integers():
    res = gt.solve(PD, method="lemke_howson", initial_dropped_label=np.int64(2))
    assert len(res) == 1


def test_unknown_solver_option_is_named_with_the_valid_ones():
    with pytest.raises(UnknownNameError, match=r"'tl'.*tol"):
        gt.solve(PD, tl=1e-9)
    with pytest.raises(UnknownNameError):
        gt.solve(PD, method=3)
    with pytest.raises(GameError, match="exact must be"):
        gt.solve(PD, exact="yes")


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5),
                 st.integers(-5, 5), st.none()))
def test_property_any_tolerance_gives_a_result_or_a_typed_error(tol):
    try:
        res = gt.solve(PD, tol=tol)
    except GameError:
        return
    assert len(res) == 1


def test_input_limit_error_is_a_game_error():
    assert issubclass(InputLimitError, GameError) and issubclass(InputLimitError, ValueError)


# ----------------------------------------------------------------------- files

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + k)}: &{chr(98 + k)} [*{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}, "
    f"*{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}]\n"
    for k in range(9))


def _loaders(tmp_path):
    """(suffix, loader, error type) for every entry point that reads a config file."""
    from gametheory.analysis.parameters import load_parameters
    from gametheory.errors import EventFileError, ParameterError, SpecError
    from gametheory.sweep import load_spec

    return [("yaml", gt.load_events, EventFileError),
            ("yaml", load_parameters, ParameterError),
            ("yaml", load_spec, SpecError)]


@pytest.mark.timeout(10)
def test_yaml_alias_bombs_are_refused_quickly(tmp_path):
    import time

    for k, (suffix, load, error) in enumerate(_loaders(tmp_path)):
        path = tmp_path / f"bomb{k}.{suffix}"
        path.write_text(BOMB)
        started = time.perf_counter()
        with pytest.raises(error, match="aliases") as info:
            load(path)
        assert time.perf_counter() - started < 2
        assert "line 2" in str(info.value) and len(str(info.value)) < 500


@pytest.mark.parametrize(("suffix", "text", "lines"), [
    ("yaml", "name: a\nseed: 1\nseed: 2\n", ("line 3", "line 2")),
    ("json", '{\n "name": "a",\n "seed": 1,\n "seed": 2\n}\n', ("lines 3, 4",)),
])
def test_duplicate_keys_are_refused_naming_both_lines(tmp_path, suffix, text, lines):
    from gametheory.errors import SpecError
    from gametheory.sweep import load_spec

    path = tmp_path / f"spec.{suffix}"
    path.write_text(text)
    with pytest.raises(SpecError, match="duplicate key 'seed'") as info:
        load_spec(path)
    for where in lines:
        assert where in str(info.value)


def test_duplicate_keys_in_event_records_and_parameters(tmp_path):
    from gametheory.analysis.parameters import load_parameters
    from gametheory.errors import EventFileError, ParameterError

    ev = tmp_path / "events.yaml"
    ev.write_text("- event_id: E1\n  date: 2016-12-29\n  date: 2016-12-30\n")
    with pytest.raises(EventFileError, match="duplicate key 'date'"):
        gt.load_events(ev)
    par = tmp_path / "parameters.yaml"
    par.write_text("players: [USA, RUS]\nplayers: [RUS, USA]\n")
    with pytest.raises(ParameterError, match=r"duplicate key 'players'.*line 1"):
        load_parameters(par)


def test_deep_nesting_is_a_typed_error(tmp_path):
    from gametheory.errors import EventFileError, SpecError
    from gametheory.sweep import load_spec

    for suffix, text in (("yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n"),
                         ("json", '{"a": ' + "[" * 50000 + "]" * 50000 + "}")):
        path = tmp_path / f"deep.{suffix}"
        path.write_text(text)
        with pytest.raises(SpecError, match=r"nested deeper|not valid"):
            load_spec(path)
        with pytest.raises(EventFileError, match=r"nested deeper|not valid"):
            gt.load_events(path)


def test_non_regular_files_and_folders_are_refused(tmp_path):
    import os

    from gametheory.analysis.parameters import load_parameters
    from gametheory.errors import EventFileError, ParameterError, SpecError
    from gametheory.sweep import load_spec

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    for target in (fifo, folder):
        with pytest.raises(EventFileError, match=r"folder|regular file"):
            gt.load_events(target)
        with pytest.raises(SpecError, match=r"folder|regular file"):
            load_spec(target)
        with pytest.raises(ParameterError, match=r"folder|regular file"):
            load_parameters(target)


def test_non_utf8_config_is_a_typed_error(tmp_path):
    from gametheory.errors import SpecError
    from gametheory.sweep import load_spec

    path = tmp_path / "spec.yaml"
    path.write_bytes("name: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(SpecError, match="not UTF-8"):
        load_spec(path)


# ----------------------------------------------------------------------- specs


@pytest.mark.parametrize(("spec", "key", "fragment"), [
    # exp(S, T) once passed T as NumPy's out= array and overwrote it
    ({"task": "solve", "grid": {"S": [0], "T": [5]},
      "game": {"payoffs": {"row": [[3, "exp(S, T)"], ["T", 1]],
                           "column": [[3, "T"], ["S", 1]]}}}, "game", "takes 1 argument"),
    ({"task": "solve", "game": "prisoners_dilemma", "batch_size": True}, "batch_size",
     "whole number"),
    ({"task": "solve", "game": "prisoners_dilemma",
      "grid": {"T": {"start": 2, "stop": 6, "num": 1_000_000},
               "R": {"start": 2, "stop": 3, "num": 1_000_000}}}, "grid", "above the limit"),
    ({"task": "solve", "game": "prisoners_dilemma", "grid": {"T": [float("nan")]}}, "grid",
     "finite"),
])
def test_bad_specs_refused_before_any_work(spec, key, fragment):
    from gametheory.errors import SpecError
    from gametheory.sweep import load_spec

    with pytest.raises(SpecError, match=fragment) as info:
        load_spec(spec)
    assert info.value.key.startswith(key)


def test_expression_arity_is_checked_and_values_kept():
    from gametheory.sweep.spec import evaluate

    T = np.array([5.0, 6.0])
    assert evaluate("maximum(T, 5.5) - exp(0)", {"T": T}).tolist() == [4.5, 5.0]
    assert T.tolist() == [5.0, 6.0]
    with pytest.raises(ValueError, match="takes 2 arguments"):
        evaluate("maximum(T)", {"T": T})


def test_nan_parameter_is_refused(tmp_path):
    import re

    from gametheory.analysis.parameters import load_parameters
    from gametheory.errors import ParameterError
    from gametheory.models import model_path

    text = (model_path("us-russia") / "parameters.yaml").read_text()
    bad, n = re.subn(r"(: )(\d+(?:\.\d+)?)(\s*(#.*)?\n)", r"\1.nan\3", text, count=1)
    assert n == 1
    path = tmp_path / "parameters.yaml"
    path.write_text(bad)
    with pytest.raises(ParameterError, match=r"finite|nan"):
        load_parameters(path)


# ----------------------------------------------------------------------- event CSV

HEADER = "event_id,date_announced,actor,target,action_type,magnitude,magnitude_unit,sources"


def test_csv_duplicate_header_is_refused(tmp_path):
    from gametheory.errors import EventFileError

    path = tmp_path / "dup.csv"
    path.write_text(HEADER + ",actor\nX1,2021-04-15,USA,RUS,expel,10,persons,AP,RUS\n")
    with pytest.raises(EventFileError, match=r"column appears twice \(columns 3 and 9\)"):
        gt.load_events(path)


def test_csv_unterminated_quote_is_reported_not_swallowed(tmp_path):
    from gametheory.errors import EventFileError

    path = tmp_path / "quote.csv"
    path.write_text(HEADER + '\nX1,2021-04-15,USA,RUS,"expel,10,persons,AP\n'
                    "X2,2021-04-16,RUS,USA,expel,10,persons,AP\n")
    with pytest.raises(EventFileError, match="unterminated quote") as info:
        gt.load_events(path)
    assert "line 2" in str(info.value)


def test_csv_semicolons_and_typos(tmp_path):
    from gametheory.errors import EventFileError

    path = tmp_path / "semi.csv"
    path.write_text(HEADER.replace(",", ";") + "\nX1;2021-04-15;USA;RUS;expel;10;persons;AP\n")
    assert len(gt.load_events(path)) == 1
    path.write_text(HEADER.replace("magnitude_unit", "magnitude_units")
                    + "\nX1,2021-04-15,USA,RUS,expel,10,persons,AP\n")
    with pytest.raises(EventFileError, match="did you mean 'magnitude_unit'"):
        gt.load_events(path)


# ----------------------------------------------------------------------- play


@pytest.mark.parametrize(("turns", "error"), [(float("inf"), ProfileError),
                                              (float("nan"), ProfileError),
                                              (10**12, InputLimitError), (2.5, ProfileError),
                                              (0, ProfileError), ("10", ProfileError)])
def test_play_turns_are_bounded(turns, error):
    with pytest.raises(error, match="turns"):
        gt.play("Tit for tat", "Defector", turns=turns)


@pytest.mark.parametrize("noise", [float("nan"), -0.1, 1.5, "0.1"])
def test_play_noise_is_a_probability(noise):
    with pytest.raises(ProfileError, match="noise"):
        gt.play("Tit for tat", "Defector", turns=5, noise=noise)


def test_solve_many_ragged_string_and_non_game_input():
    with pytest.raises(ShapeError, match="ragged"):
        gt.solve_many([[[1, 2], [3]]], [[[1, 2], [3, 4]]])
    with pytest.raises(PayoffError, match="not real numbers"):
        gt.solve_many(np.array([[["a", "b"], ["c", "d"]]]), np.zeros((1, 2, 2)))
    res = gt.solve_many([None, 3, "x", PD])
    assert sorted(res.errors) == [0, 1, 2] and res.n_equilibria[3] == 1
    assert all("is not a Game or an (A, B) pair" in m for m in res.errors.values())


def test_unreachable_or_malformed_scheduler_is_a_sweep_error(tmp_path):
    pytest.importorskip("distributed")
    from gametheory.errors import SweepError
    from gametheory.sweep import run

    with pytest.raises(SweepError, match="cannot reach the Dask scheduler"):
        run({"task": "solve", "game": "prisoners_dilemma"}, output=tmp_path,
            scheduler="not a scheduler address", progress=False)


def test_repeated_directions_are_validated():
    from typer.testing import CliRunner

    from gametheory.cli import app

    out = CliRunner().invoke(app, ["repeated", "--game", "prisoners_dilemma",
                                   "--directions", "0"])
    assert out.exit_code == 2 and "directions must be at least 3" in out.output


def test_sibling_seed_sequences_give_different_tournaments():
    import gametheory.strategies as gs

    a, b = np.random.SeedSequence(7).spawn(2)
    players = [gs.Random(), gs.TitForTat()]
    ra = gt.Tournament(players, turns=30, repetitions=2, seed=a).run()
    rb = gt.Tournament(players, turns=30, repetitions=2, seed=b).run()
    assert not np.array_equal(ra.scores, rb.scores)


def test_errors_pickle_whole_from_worker_processes():
    """A GameError raised in a worker process reaches the caller with its message and
    attributes, whatever its __init__ takes (keyword-only fields, issue lists)."""
    import pickle

    from gametheory.errors import NFGFormatError, ParameterError, UnknownNameError

    errors = [ParameterError("bad value", key="dynamic.noise", path="p.yaml", line=3),
              UnknownNameError("strategy", "Tit for tatt", ["Tit for tat", "Grim"]),
              NFGFormatError("unexpected token", path="g.nfg", line=2)]
    for err in errors:
        copy = pickle.loads(pickle.dumps(err))
        assert type(copy) is type(err) and str(copy) == str(err)
        assert vars(copy) == vars(err)
