"""Support enumeration: known answers, oracles, properties."""

from __future__ import annotations

import warnings
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given

from gametheory import DegenerateGameWarning, Game, solve
from gametheory.games import (
    battle_of_the_sexes,
    chicken,
    matching_pennies,
    rock_paper_scissors,
)
from gametheory.solvers import support_enumeration, vertex_enumeration

from ..conftest import bimatrix_games, exact_set, gambit_enummixed, random_games

half, third = F(1, 2), F(1, 3)

KNOWN = [
    (matching_pennies(), {((half, half), (half, half))}),
    (battle_of_the_sexes(), {((1, 0), (1, 0)), ((0, 1), (0, 1)),
                             ((F(3, 5), F(2, 5)), (F(2, 5), F(3, 5)))}),
    (chicken(), {((1, 0), (0, 1)), ((0, 1), (1, 0)),
                 ((F(9, 10), F(1, 10)), (F(9, 10), F(1, 10)))}),
    (rock_paper_scissors(), {((third,) * 3, (third,) * 3)}),
    # nashpy's README game: three equilibria
    (Game.from_bimatrix([[1, 2], [3, 0]], [[0, 2], [3, 1]]),
     {((1, 0), (0, 1)), ((0, 1), (1, 0)), ((half, half), (half, half))}),
    # von Stengel (2007), Algorithmic Game Theory, ch. 3, the non-degenerate 3x2 example
    (Game.from_bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]]),
     {((1, 0, 0), (1, 0)), ((F(4, 5), F(1, 5), 0), (F(2, 3), third)),
      ((0, third, F(2, 3)), (third, F(2, 3)))}),
]


def _as_fractions(s):
    return {tuple(tuple(F(v) for v in p) for p in prof) for prof in s}


@pytest.mark.parametrize(("game", "expected"), KNOWN, ids=lambda x: getattr(x, "title", ""))
def test_known_answers(game, expected):
    res = support_enumeration(game, exact=True)
    assert exact_set(res) == _as_fractions(expected)
    assert res.guarantee == "all" and res.degenerate is False
    assert all(eq.verified == "exact" for eq in res)
    assert all(isinstance(v, F) for eq in res for s in eq.strategies for v in s.values)


def test_nashpy_bug_is_not_reproduced(rng):
    """nashpy drops equilibria whose zero probabilities come back as -1e-17."""
    nashpy = pytest.importorskip("nashpy")
    lost = 0
    for g in random_games(rng, 3, 3, 150, high=9):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if solve(g, method="vertex_enumeration").degenerate:
                continue
            theirs = list(nashpy.Game(*g.bimatrix).support_enumeration())
        ours = support_enumeration(g)
        lost += len(ours) - len(theirs)
        assert len(ours) >= len(theirs)
        assert exact_set(ours) == exact_set(vertex_enumeration(g))
    assert lost > 0  # the case exists in this sample, and we keep those equilibria


def test_degenerate_game_warns_and_returns_all_extreme_equilibria():
    game = Game.from_bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
    with pytest.warns(DegenerateGameWarning, match="degenerate"):
        res = support_enumeration(game, exact=True)
    assert res.guarantee == "all_extreme" and res.degenerate
    assert exact_set(res) == _as_fractions({((1, 0, 0), (1, 0)),
                                            ((1, 0, 0), (F(2, 3), third)),
                                            ((0, third, F(2, 3)), (third, F(2, 3)))})


@given(bimatrix_games(max_actions=4))
def test_every_returned_profile_is_an_equilibrium(game):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        res = support_enumeration(game)
    assert len(res) >= 1  # Nash (1951): every finite game has one
    for eq in res:
        assert game.is_nash(eq.profile)
        for s in eq.strategies:
            p = np.asarray(s)
            assert np.all(p >= 0) and np.isclose(p.sum(), 1.0)


def test_agrees_with_quantecon(rng):
    qe = pytest.importorskip("quantecon.game_theory")
    for g in random_games(rng, 4, 4, 10):
        theirs = qe.support_enumeration(qe.NormalFormGame(g.payoffs))
        ours = support_enumeration(g)
        assert len(ours) == len(theirs)
        for x, y in theirs:
            assert any(np.allclose(x, eq.profile[0]) and np.allclose(y, eq.profile[1])
                       for eq in ours)


@pytest.mark.parametrize(("m", "n"), [(2, 2), (3, 3), (3, 5), (5, 5)])
def test_equals_gambit_enummixed_on_random_nondegenerate_games(m, n):
    rng = np.random.default_rng(m * 10 + n)
    for g in random_games(rng, m, n, 8):
        ours = support_enumeration(g)
        assert ours.degenerate is False
        theirs, _ = gambit_enummixed(g)
        assert exact_set(ours) == theirs
