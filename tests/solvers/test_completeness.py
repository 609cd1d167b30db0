"""A solver that says "all" returns all: ill-conditioned games at every payoff scale.

Von Stengel's 6 x 6 game with 75 equilibria (von Stengel 1999, "New maximal
numbers of equilibria in bimatrix games", *Discrete Comput. Geom.* 21:557-568;
shipped in Gambit's catalogue as ``journals/dcg/vonstengel1999/6x6_game_with_75_eq.nfg``)
has bases with determinants down to 4e-15 once its payoffs are moved into [1, 2];
a determinant cutoff once dropped two of its equilibria (and support enumeration
up to all 75, depending on the payoff scale).
"""

from __future__ import annotations

import warnings
from importlib.resources import files

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gametheory as gt
from gametheory.errors import GameTooLargeError
from gametheory.solvers._exact_vertices import exact_polytope_vertices

from ..conftest import bimatrix_games, exact_set, gambit_enummixed

SCALES = [1e-6, 1e-3, 0.1, 1.0, 7.0, 1e3, 1e6, np.pi]


@pytest.fixture(scope="module")
def game75():
    path = files("pygambit") / "catalog_data/journals/dcg/vonstengel1999/6x6_game_with_75_eq.nfg"
    return gt.read_nfg(str(path))


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("method", ["vertex_enumeration", "support_enumeration"])
def test_75_equilibria_at_every_scale(game75, scale, method):
    A, B = game75.bimatrix
    game = gt.Game.from_bimatrix(A * scale + 3.0, B * scale - 2.0)
    res = gt.solve(game, method=method)
    assert len(res) == 75 and res.guarantee == "all"
    assert all(eq.verified in ("exact", "float") for eq in res)
    # the same equilibria at every scale (strategies do not depend on the units)
    assert _same_equilibria(res, gt.solve(game75))


def _flat(res) -> np.ndarray:
    return np.array([np.concatenate([s.probabilities for s in eq.strategies]) for eq in res])


def _same_equilibria(res1, res2, atol=1e-7) -> bool:
    """Same number of equilibria and each of one within ``atol`` of one of the other."""
    X, Y = _flat(res1), _flat(res2)
    if X.shape != Y.shape:
        return False
    if not len(X):
        return True
    dist = np.abs(X[:, None, :] - Y[None, :, :]).max(axis=2)
    return bool((dist.min(axis=1) <= atol).all() and (dist.min(axis=0) <= atol).all())


@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e6])
def test_75_equilibria_solve_many(game75, scale):
    A, B = game75.bimatrix
    res = gt.solve_many([(A * scale, B * scale)])
    assert res.n_equilibria[0] == 75


def test_75_equilibria_exact_match_gambit(game75):
    res = gt.solve(game75, exact=True)
    assert res.details["arithmetic"] == "exact"
    theirs, _ = gambit_enummixed(game75)
    assert exact_set(res) == theirs and len(theirs) == 75


def test_exact_polytope_vertices_known_answer():
    # {z >= 0 : z1 + 2 z2 <= 1, 2 z1 + z2 <= 1}: vertices 0, (1/2, 0), (0, 1/2), (1/3, 1/3)
    V, labels, _ = exact_polytope_vertices([[1, 2], [2, 1]])
    from fractions import Fraction as F

    got = dict(zip(V, labels, strict=True))
    assert set(got) == {(0, 0), (F(1, 2), 0), (0, F(1, 2)), (F(1, 3), F(1, 3))}
    assert got[(F(1, 3), F(1, 3))] == frozenset({2, 3})
    assert got[(0, 0)] == frozenset({0, 1})


@given(bimatrix_games(max_actions=4, low=-3, high=3))
def test_property_exact_path_matches_gambit(game):
    """Small payoff ranges make many degenerate games: every extreme equilibrium counts."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.DegenerateGameWarning)
        res = gt.solve(game)
    theirs, _ = gambit_enummixed(game)
    assert exact_set(res) == theirs


@given(bimatrix_games(max_actions=3, low=-4, high=4),
       st.sampled_from([1e-6, 1e-3, 0.37, 1e3, 1e6]), st.floats(-100, 100))
def test_property_equilibria_survive_positive_affine_maps(game, scale, shift):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.DegenerateGameWarning)
        base = gt.solve(game)
        A, B = game.bimatrix
        moved = gt.solve(gt.Game.from_bimatrix(A * scale + shift, B * scale - shift))

    assert _same_equilibria(moved, base)


def test_single_game_budget_names_the_alternatives():
    rng = np.random.default_rng(0)
    game = gt.Game.from_bimatrix(rng.random((13, 13)), rng.random((13, 13)))
    with pytest.raises(GameTooLargeError, match="solve_many"):
        gt.solve(game)


def test_large_payoffs_give_both_ends_of_the_equilibrium_segment():
    """Gambit's ``tests/test_games/large_payoff_game.efg`` (payoffs 1e19): the
    equilibria form a segment whose second end differs from the first by 1e-19;
    exact enumeration returns both ends, in one component (Gambit returns none)."""
    from fractions import Fraction as F
    from pathlib import Path

    from gametheory.games.efg import read_efg

    tree = read_efg(Path(__file__).parents[1] / "data" / "large_payoff_game.efg")
    game = tree.to_normal_form(reduced=True)
    with pytest.warns(gt.DegenerateGameWarning):
        res = gt.solve(game, exact=True)
    assert res.guarantee == "all_extreme" and res.details["arithmetic"] == "exact"
    got = exact_set(res)
    one = (F(1), F(0), F(0), F(0))
    assert got == {(one, (F(0), F(0), F(1), F(0))),
                   (one, (F(0), F(0), 1 - F(1, 10**19), F(1, 10**19)))}
    assert len(res.components) == 1 and not res.components[0].is_isolated


def test_exact_search_has_a_time_budget(monkeypatch):
    import time

    from gametheory.solvers import degeneracy

    monkeypatch.setattr(degeneracy, "EXACT_TIME_LIMIT", 0.5)
    rng = np.random.default_rng(1)
    game = gt.Game.from_bimatrix(rng.integers(0, 100, (40, 40)),
                                 rng.integers(0, 100, (40, 40)))
    started = time.perf_counter()
    with pytest.raises(GameTooLargeError, match="lemke_howson"):
        gt.solve(game)
    assert time.perf_counter() - started < 5
    assert len(gt.solve(game, method="lemke_howson")) == 1
