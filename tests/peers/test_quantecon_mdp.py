"""A one-player stochastic game is a Markov decision process: QuantEcon's DiscreteDP
(policy iteration) is the oracle for the values and optimal policies our best-response
step and pure Markov-perfect enumeration compute. QuantEcon's values are unnormalised,
``Σ β^t r_t``; ours are ``(1 - β)`` times them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.games import StochasticGame
from gametheory.solvers import pure_markov_perfect

quantecon = pytest.importorskip("quantecon")


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31), n_states=st.integers(1, 5), n_actions=st.integers(1, 4),
       beta=st.sampled_from([0.5, 0.9, 0.97]))
def test_random_mdp_matches_quantecon(seed, n_states, n_actions, beta):
    rng = np.random.default_rng(seed)
    R = rng.integers(-10, 11, (n_states, n_actions)).astype(float)
    Q = rng.dirichlet(np.ones(n_states), size=(n_states, n_actions))
    ddp = quantecon.markov.DiscreteDP(R, Q, beta)
    ref = ddp.solve(method="policy_iteration")
    games = [gt.Game(R[s][:, None], players=("DM",)) for s in range(n_states)]
    game = StochasticGame(games, [Q[s] for s in range(n_states)], discount=beta)
    res = pure_markov_perfect(game)
    assert len(res) >= 1
    for eq in res:                             # every optimal policy has the optimal values
        assert eq.values[0] == pytest.approx((1 - beta) * ref.v, abs=1e-8)
    # QuantEcon's policy is among ours (ours are all the pure optimal ones)
    ours = {tuple(int(p[0].argmax()) for p in eq.strategies) for eq in res}
    assert tuple(int(a) for a in ref.sigma) in ours
