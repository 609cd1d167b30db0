"""Known answers from the published test suites of nashpy and QuantEcon, re-checked
here with our own code (each case cites the peer's file).

Convention differences, documented rather than skipped:

* QuantEcon's ``Player(B)`` stores player 2's payoffs indexed (own action,
  opponent's action); our bimatrix ``B`` is indexed (row, column), so its
  ``Player`` matrices enter transposed.
* On degenerate games QuantEcon's ``support_enumeration`` misses continua
  ("NEs ([0, p, 1-p], [1/2, 1/2]) are not detected", their comment); our
  ``support_enumeration`` detects degeneracy and returns every extreme
  equilibrium, which we check against Gambit's ``enummixed``.
* For large payoffs (1e15, 1e16) QuantEcon's Lemke–Howson reports that its
  lexicographic ties break down (``converged=False``); we must return the
  equilibrium, verified.
"""

from __future__ import annotations

import warnings
from fractions import Fraction as F

import numpy as np
import pytest

import gametheory as gt

from ..conftest import exact_set, gambit_enummixed


def _exact_profiles(pairs) -> set:
    return {tuple(tuple(F(v).limit_denominator(1000) for v in s) for s in p) for p in pairs}


def _solve(A, B, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.DegenerateGameWarning)
        return gt.solve(gt.Game.from_bimatrix(A, B), exact=True, **kw)


# nashpy tests/unit/test_game.py::test_support_enumeration_for_bi_matrix
NASHPY = [
    ([[160, 205, 44], [175, 180, 45], [201, 204, 50], [120, 207, 49]],
     [[2, 2, 2], [1, 0, 0], [3, 4, 1], [4, 1, 2]],
     [((0, 0, 0.75, 0.25), (1 / 28, 27 / 28, 0))]),
    ([[1, 0], [-2, 3]], [[3, 2], [-1, 0]],
     [((1, 0), (1, 0)), ((0, 1), (0, 1)), ((0.5, 0.5), (0.5, 0.5))]),
    ([[2, 1], [0, 2]], [[2, 0], [1, 2]],
     [((1, 0), (1, 0)), ((0, 1), (0, 1)), ((1 / 3, 2 / 3), (1 / 3, 2 / 3))]),
    # nashpy tests/unit/test_support_enumeration.py::test_is_ne (zero-sum cases)
    ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], [((0.5, 0.5), (0.5, 0.5))]),
    ([[0, 1, -1], [-1, 0, 1], [1, -1, 0]], [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
     [((1 / 3, 1 / 3, 1 / 3), (1 / 3, 1 / 3, 1 / 3))]),
]


@pytest.mark.parametrize(("A", "B", "expected"), NASHPY)
@pytest.mark.parametrize("method", ["vertex_enumeration", "support_enumeration"])
def test_nashpy_known_equilibria(A, B, expected, method):
    assert exact_set(_solve(A, B, method=method)) == _exact_profiles(expected)


# QuantEcon game_theory/tests/test_vertex_enumeration.py and test_support_enumeration.py:
# von Stengel (2007), Algorithmic Game Theory ch. 3, the 3 x 2 example and its
# degenerate variant
VS_A = [[3, 3], [2, 5], [0, 6]]
VS_B = [[3, 2], [2, 6], [3, 1]]
VS_B_DEGENERATE = [[3, 3], [2, 6], [3, 1]]


def test_quantecon_von_stengel_3x2():
    expected = [((1, 0, 0), (1, 0)), ((0.8, 0.2, 0), (2 / 3, 1 / 3)),
                ((0, 1 / 3, 2 / 3), (1 / 3, 2 / 3))]
    for method in ("vertex_enumeration", "support_enumeration"):
        assert exact_set(_solve(VS_A, VS_B, method=method)) == _exact_profiles(expected)


def test_quantecon_von_stengel_degenerate_3x2():
    expected = [((1, 0, 0), (1, 0)), ((1, 0, 0), (2 / 3, 1 / 3)),
                ((0, 1 / 3, 2 / 3), (1 / 3, 2 / 3))]
    res = _solve(VS_A, VS_B_DEGENERATE)
    assert res.guarantee == "all_extreme"
    assert exact_set(res) == _exact_profiles(expected)


def test_quantecon_degenerate_support_enumeration_continuum_is_found():
    """QuantEcon's test game whose continuum ([0, p, 1-p], [1/2, 1/2]) its support
    enumeration does not detect; we return its extreme points (as Gambit does)."""
    A = [[1, -1], [-1, 1], [0, 0]]
    B = [[1, 0], [0, 0], [0, 0]]
    res = _solve(A, B, method="support_enumeration")
    theirs, _ = gambit_enummixed(gt.Game.from_bimatrix(A, B))
    assert exact_set(res) == theirs
    assert ((F(0), F(1), F(0)), (F(1, 2), F(1, 2))) in theirs
    assert ((F(0), F(0), F(1)), (F(1, 2), F(1, 2))) in theirs


# QuantEcon game_theory/tests/test_lemke_howson.py
@pytest.mark.parametrize(("label", "expected"), [
    (0, ((1, 0, 0), (1, 0))),
    (1, ((0, 1 / 3, 2 / 3), (1 / 3, 2 / 3))),
])
def test_quantecon_lemke_howson(label, expected):
    res = _solve(VS_A, VS_B, method="lemke_howson", initial_dropped_label=label)
    assert exact_set(res) == _exact_profiles([expected])


QE_A = np.array([[0, 0, 0], [0, 1, 1], [1, 1, 0]])
QE_B_PLAYER = np.array([[1, 0, 1], [1, 1, 0], [0, 0, 2]])   # QuantEcon Player(B): (own, other)
PERM = [2, 0, 1]


@pytest.mark.parametrize(("A", "B", "expected"), [
    # the degenerate 3 x 2 example
    (VS_A, VS_B_DEGENERATE, ((0, 1 / 3, 2 / 3), (1 / 3, 2 / 3))),
    # "tie breaking that picks the variable with the smallest row index ... cycles"
    (QE_A, QE_B_PLAYER.T, ((0, 2 / 3, 1 / 3), (0, 1, 0))),
    # "... the smallest variable index ... cycles"
    (QE_A[:, PERM], QE_B_PLAYER[PERM, :].T, ((0, 2 / 3, 1 / 3), (0, 0, 1))),
])
def test_quantecon_lemke_howson_degenerate_does_not_cycle(A, B, expected):
    res = _solve(A, B, method="lemke_howson", initial_dropped_label=0)
    assert res.converged
    assert exact_set(res) == _exact_profiles([expected])


@pytest.mark.parametrize("scale", [1e15, 1e16])
def test_lemke_howson_large_payoffs_still_right(scale):
    """QuantEcon reports a breakdown of its lexicographic test here; we return the
    (unique, fully mixed) equilibrium, verified."""
    A = scale * np.array([[3.0, 1.0], [1.0, 3.0]])
    B = scale * np.array([[1.0, 3.0], [3.0, 1.0]])
    res = gt.solve(gt.Game.from_bimatrix(A, B), method="lemke_howson")
    assert len(res) == 1 and res.converged
    for s in res[0].strategies:
        assert s.probabilities == pytest.approx([0.5, 0.5], abs=1e-12)
