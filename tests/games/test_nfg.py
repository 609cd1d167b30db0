"""Gambit .nfg reading and writing."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given

from gametheory import Game, read_nfg, write_nfg
from gametheory.errors import NFGFormatError
from gametheory.games import embassy_dispute

from ..conftest import bimatrix_games

DATA = Path(__file__).parents[1] / "data"


def test_read_e02_payoff_version():
    g = read_nfg(DATA / "e02.nfg")
    assert g.title == "Selten (IJGT, 75), Figure 2, normal form"
    assert g.players == ("Player 1", "Player 2")
    A, B = g.bimatrix
    assert A.tolist() == [[1, 1], [0, 0], [0, 2]]
    assert B.tolist() == [[1, 1], [2, 3], [2, 0]]


def test_outcome_version_from_gambit_docs():
    text = '''NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" }
    {
    { "1" "2" "3" }
    { "1" "2" }
    }
    ""
    {
    { "" 1, 1 }
    { "" 0, 2 }
    { "" 0, 2 }
    { "" 1, 1 }
    { "" 0, 3 }
    { "" 2, 0 }
    }
    1 2 3 4 5 6
    '''
    assert np.array_equal(read_nfg(text).payoffs, read_nfg(DATA / "e02.nfg").payoffs)


def test_numbers_are_exact_and_null_outcome_is_zero():
    text = ('NFG 1 R "r" { "A" "B" } { { "u" "d" } { "l" } } '
            '{ { "o1" 1/3 0.1 } { "o2" -2 1e1 } } 1 0')
    g = read_nfg(text)
    assert g.exact_payoffs[0, 0].tolist() == [Fraction(1, 3), Fraction(1, 10)]
    assert g.exact_payoffs[1, 0].tolist() == [0, 0]
    assert g.actions == (("u", "d"), ("l",))
    # o2 is defined but unused; 1e1 parses as 10
    assert read_nfg('NFG 1 R "" { "A" } { 1 } 1e1').payoffs[0, 0] == 10


def test_escaped_quotes_and_file_objects(tmp_path):
    g = Game.from_bimatrix([[1]], [[2]], players=['say "no"', "B\\C"], title='a "title"')
    text = write_nfg(g)
    assert read_nfg(io.StringIO(text)) == g
    path = tmp_path / "g.nfg"
    write_nfg(g, path)
    assert read_nfg(path) == g


@pytest.mark.parametrize("version", ["payoff", "outcome"])
def test_round_trip_against_pygambit(version, tmp_path):
    pygambit = pytest.importorskip("pygambit")
    g = embassy_dispute()
    path = tmp_path / "embassy.nfg"
    write_nfg(g, path, version=version)
    theirs = Game.from_pygambit(pygambit.read_nfg(str(path)))
    assert np.array_equal(theirs.payoffs, g.payoffs)
    if version == "outcome":
        assert theirs == g  # labels and title survive
    # and their writer's output reads back identically here
    pg = pygambit.StrategicGame.from_arrays(*(np.asarray(m, dtype=int) for m in g.bimatrix))
    assert np.array_equal(read_nfg(pg.to_nfg()).payoffs, g.payoffs)


@given(bimatrix_games())
def test_round_trip_is_lossless(game):
    for version in ("payoff", "outcome"):
        back = read_nfg(write_nfg(game, version=version))
        assert np.array_equal(back.payoffs, game.payoffs)
    assert read_nfg(write_nfg(game)) == game


@pytest.mark.parametrize(
    ("text", "line", "token", "match"),
    [
        ("EFG 2 R \"x\" { }", 1, "EFG", "expected 'NFG'"),
        ('NFG 2 R "x" { "A" } { 1 } 0', 1, "2", "version"),
        ('NFG 1 R "x" { "A" "B" } { 2 2 }\n1 2 3 4\n5 6 7', 3, None, "payoff of player 2 in "
         "contingency 4 of 4"),
        ('NFG 1 R "x" { "A" "B" } { 2 2 }\n1 2 3 4 5 6 7 x', 2, "x", "payoff of player 2"),
        ('NFG 1 R "x" { "A" } { 0 }', 1, "0", "at least 1"),
        ('NFG 1 R "x" { "A" } { 1 } 1 2', 1, "2", "unexpected data"),
        ('NFG 1 R "x" { "A" } { { "a" } } { { "o" 1 } } 2', 1, "2",
         "outcome number 2 does not exist"),
        ('NFG 1 R "x {', 1, None, "unterminated"),
        ('NFG 1 R "x" { "A" } { 1 }\n1/0', 2, "1/0", "invalid number"),
        ("", 1, None, "empty"),
    ],
)
def test_malformed_files_name_line_and_token(text, line, token, match):
    with pytest.raises(NFGFormatError, match=match) as info:
        read_nfg(io.StringIO(text))
    assert info.value.line == line
    if token is not None:
        assert info.value.token == token


def test_error_names_the_file(tmp_path):
    bad = tmp_path / "bad.nfg"
    bad.write_text('NFG 1 R "x" { "A" } { 1 }\n\nfoo\n')
    with pytest.raises(NFGFormatError, match=r"bad\.nfg, line 3.*'foo'"):
        read_nfg(bad)
