"""Bayes-Nash equilibria (solvers/bayesian.py): known answers, the agent form, an
oracle on the induced normal form and a brute-force property test."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.errors import DegenerateGameWarning, ProfileError
from gametheory.games import BayesianGame
from gametheory.solvers import bayes_nash, interim_gains

from ..conftest import exact_set, gambit_enummixed
from ..games.test_bayesian import osborne


def test_osborne_bos_has_one_pure_bayes_nash_equilibrium():
    """Osborne (2004, Example 273.1): the unique pure equilibrium is player 1 B, the
    type that wants to meet B, the type that wants to avoid S."""
    res = bayes_nash(osborne())
    assert res.pure() == [{"Player 1": {"-": "B"}, "Player 2": {"meet": "B", "avoid": "S"}}]
    assert res.guarantee == "all"      # the induced form is nondegenerate at 1/2
    # the agent form (pure equilibria) finds the same one
    agent = bayes_nash(osborne(), form="agent")
    assert agent.pure() == res.pure()
    frame = res.to_frame()
    assert set(frame.type) == {"-", "meet", "avoid"} and "<table" in res._repr_html_()


def test_every_equilibrium_of_the_induced_form_agrees_with_gambit():
    """pygambit's rational enummixed on the induced normal form gives the same extreme
    equilibria as the solver bayes_nash uses; each maps to verified behaviour."""
    game = osborne((Fraction(1, 3), Fraction(2, 3)))
    with pytest.warns(DegenerateGameWarning):      # induced forms are often degenerate
        res = bayes_nash(game)
    ours = exact_set(res.normal_form)
    theirs, _ = gambit_enummixed(game.induced_normal_form())
    assert ours == theirs
    for beh in res.behaviours:
        gains = interim_gains(game, beh)
        assert max(float(np.nanmax(g)) for g in gains) <= 1e-9


def _brute_force_pure(game: BayesianGame) -> set:
    """Every pure behaviour profile whose every type of positive probability plays a
    best reply given its type (independent of the normal forms)."""
    n = game.n_players
    choices = [list(itertools.product(range(len(game.actions[i])), repeat=len(game.types[i])))
               for i in range(n)]
    found = set()
    for plan in itertools.product(*choices):
        beh = [[np.eye(len(game.actions[i]))[a] for a in plan[i]] for i in range(n)]
        ok = True
        for i in range(n):
            marg = game.type_probabilities(i)
            for k in range(len(game.types[i])):
                if marg[k] > 0:
                    u = game.interim_payoffs(beh, i, k)
                    ok &= u[plan[i][k]] >= u.max() - 1e-9
        if ok:
            found.add(plan)
    return found


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-5, 9), min_size=32, max_size=32),
       st.lists(st.integers(1, 6), min_size=4, max_size=4))
def test_pure_bayes_nash_equal_brute_force(pay, weights):
    """Two players, two types each (correlated prior, every type profile possible), two
    actions: the pure Bayes-Nash equilibria found through the induced normal form are
    exactly the pure behaviour profiles that pass the interim check."""
    U = np.array(pay).reshape(2, 2, 2, 2, 2)
    prior = np.array([[Fraction(w, sum(weights)) for w in weights[:2]],
                      [Fraction(w, sum(weights)) for w in weights[2:]]], dtype=object)
    game = BayesianGame(U.tolist(), prior.tolist())
    res = bayes_nash(game, method="pure")
    got = {tuple(tuple(int(np.argmax(q)) for q in per) for per in beh)
           for beh in res.behaviours}
    assert got == _brute_force_pure(game)


def test_interim_gains_name_bad_behaviour():
    with pytest.raises(ProfileError, match="Player 2"):
        interim_gains(osborne(), [[[1, 0]], [[1, 0], [1, 0], [1, 0]]])
    with pytest.raises(ProfileError, match="'induced' or 'agent'"):
        bayes_nash(osborne(), form="ex post")
