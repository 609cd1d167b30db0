"""Zero-sum games by linear programming."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gametheory import Game
from gametheory.errors import SolverError
from gametheory.games import matching_pennies, prisoners_dilemma, rock_paper_scissors
from gametheory.solvers import zero_sum


def test_known_values():
    assert zero_sum(matching_pennies()).value == 0.0
    assert zero_sum(rock_paper_scissors()).value == 0.0
    # Morra-like example: value 1/5... here a 2x2 with value (ad - bc)/(a + d - b - c)
    res = zero_sum(Game.zero_sum([[3, -1], [-2, 1]]), exact=True)
    assert res.value == pytest.approx(1 / 7)
    assert res[0].strategies[0].values == (F(3, 7), F(4, 7))
    assert res[0].strategies[1].values == (F(2, 7), F(5, 7))


def test_constant_sum_accepted_and_general_sum_rejected():
    g = Game.from_bimatrix([[3, 1], [2, 4]], [[2, 4], [3, 1]])  # sums to 5
    assert zero_sum(g).value == pytest.approx(2.5)
    with pytest.raises(SolverError, match="constant-sum"):
        zero_sum(prisoners_dilemma())


@given(arrays(np.int64, st.tuples(st.integers(1, 5), st.integers(1, 5)),
              elements=st.integers(-9, 9)))
def test_minimax_theorem(A):
    res = zero_sum(Game.zero_sum(A))
    x, y = res[0].profile
    v = res.value
    assert (x @ A).min() == pytest.approx(v, abs=1e-9)   # x guarantees v
    assert (A @ y).max() == pytest.approx(v, abs=1e-9)   # y holds player 1 to v
    assert res.details["duality_gap"] < 1e-8
