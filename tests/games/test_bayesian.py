"""Bayesian games: validation, the induced normal form and the agent form."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from gametheory.errors import GameTooLargeError, PayoffError, ProfileError, ShapeError
from gametheory.games import BayesianGame
from gametheory.games import bayesian as bayesian_module

MEET = [[[2, 1], [0, 0]], [[0, 0], [1, 2]]]
AVOID = [[[2, 0], [0, 2]], [[0, 1], [1, 0]]]
HALF = Fraction(1, 2)


def osborne(prior=(HALF, HALF)):
    """Osborne (2004), Example 273.1: BoS, player 2 wants to meet or to avoid."""
    return BayesianGame([[MEET, AVOID]], [list(prior)], types=[["-"], ["meet", "avoid"]],
                        actions=[["B", "S"], ["B", "S"]])


def test_induced_normal_form_is_the_prior_expectation_and_exact():
    nf = osborne().induced_normal_form()
    assert nf.shape == (2, 4)
    assert nf.actions[1] == ("B/B", "B/S", "S/B", "S/S")
    P = nf.exact_payoffs
    # player 1 plays B, player 2's types play B (meet) and S (avoid): 1/2*2 + 1/2*0 = 1
    assert P[0, 1, 0] == 1 and P[0, 1, 1] == Fraction(1, 2) * 1 + Fraction(1, 2) * 2
    assert isinstance(P[0, 1, 0], Fraction)
    # with a degenerate prior the induced form is the complete-information game
    g = osborne((1, 0))
    np.testing.assert_array_equal(g.induced_normal_form().payoffs[:, [0, 3]],
                                  np.array(MEET, dtype=float))


def test_agent_form_payoffs_are_interim_expectations():
    g = osborne((Fraction(1, 4), Fraction(3, 4)))
    af = g.agent_form()
    assert af.players == ("Player 1: -", "Player 2: meet", "Player 2: avoid")
    P = af.exact_payoffs
    # player 1 plays B; the meet type B, the avoid type S
    assert P[0, 0, 1, 0] == Fraction(1, 4) * 2 + Fraction(3, 4) * 0
    assert P[0, 0, 1, 1] == 1 and P[0, 0, 1, 2] == 2       # each type sees its own payoff
    # interim_payoffs agrees with the agent form at a pure profile
    beh = [[[1, 0]], [[1, 0], [0, 1]]]
    np.testing.assert_allclose(g.interim_payoffs(beh, 0, 0), [0.5, 0.75])


def test_correlated_types_condition_on_the_own_type():
    """Two players with two types each, perfectly correlated: each type knows the
    other's type, so the agent form's payoffs are the payoffs of the matching state."""
    U = np.zeros((2, 2, 2, 2, 2))
    U[0, 0] = [[[3, 3], [0, 0]], [[0, 0], [1, 1]]]
    U[1, 1] = [[[1, 1], [0, 0]], [[0, 0], [3, 3]]]
    g = BayesianGame(U, [[0.5, 0.0], [0.0, 0.5]])
    beh = [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]
    np.testing.assert_allclose(g.interim_payoffs(beh, 0, 0), [3, 0])
    np.testing.assert_allclose(g.interim_payoffs(beh, 0, 1), [0, 3])


def test_malformed_games_raise_named_errors():
    with pytest.raises(ProfileError, match="sum to 1"):
        osborne((HALF, Fraction(1, 3)))
    with pytest.raises(ProfileError, match=">= 0"):
        BayesianGame([[MEET, AVOID]], [[1.5, -0.5]])
    with pytest.raises(ShapeError, match="do not match the prior"):
        BayesianGame([[MEET, AVOID]], [[0.2, 0.3, 0.5]])
    with pytest.raises(ShapeError, match="axes"):
        BayesianGame(MEET, [[1.0]])
    with pytest.raises(PayoffError, match="finite"):
        BayesianGame([[MEET, [[[np.nan, 0], [0, 2]], [[0, 1], [1, 0]]]]], [[0.5, 0.5]])
    with pytest.raises(ShapeError, match="labels"):
        BayesianGame([[MEET, AVOID]], [[0.5, 0.5]], types=[["-"], ["meet"]])
    with pytest.raises(ProfileError, match="type avoid"):
        osborne().check_behaviour([[[1, 0]], [[1, 0], [0.5, 0.6]]])
    with pytest.raises(ProfileError, match="types"):
        osborne().check_behaviour([[[1, 0]], [[1, 0]]])


def test_size_is_checked_before_the_induced_form_is_built(monkeypatch):
    monkeypatch.setattr(bayesian_module, "MAX_INDUCED_CELLS", 10)
    with pytest.raises(GameTooLargeError, match="agent form"):
        osborne().induced_normal_form()
