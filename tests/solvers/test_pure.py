"""Pure equilibria of N-player games."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gametheory import Game
from gametheory.games import matching_pennies, prisoners_dilemma, stag_hunt
from gametheory.solvers import pure_nash


def test_known_answers():
    assert [eq.support for eq in pure_nash(prisoners_dilemma())] == [((1,), (1,))]
    assert [eq.support for eq in pure_nash(stag_hunt())] == [((0,), (0,)), ((1,), (1,))]
    assert len(pure_nash(matching_pennies())) == 0


def test_three_player_coordination():
    # everyone gets 1 when all choose the same action: two pure equilibria
    u = np.zeros((2, 2, 2, 3))
    u[0, 0, 0] = 1
    u[1, 1, 1] = 1
    res = pure_nash(Game(u))
    assert sorted(eq.support for eq in res) == [((0,), (0,), (0,)), ((1,), (1,), (1,))]
    assert all(eq.verified == "exact" for eq in res)


@given(st.integers(2, 3).flatmap(
    lambda n: arrays(np.int64, (2,) * n + (n,), elements=st.integers(-3, 3))))
def test_every_pure_equilibrium_found(payoffs):
    game = Game(payoffs)
    found = {tuple(s[0] for s in eq.support) for eq in pure_nash(game)}
    brute = {idx for idx in np.ndindex(*game.shape) if game.is_nash(list(idx))}
    assert found == brute
