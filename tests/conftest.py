"""Shared fixtures, hypothesis strategies and oracle helpers for the test suite."""

from __future__ import annotations

import os
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gametheory import Game

# The suite is reproducible: the default profile draws the same examples on every run
# (CI on a fresh machine sees what was seen here). ``HYPOTHESIS_PROFILE=explore`` draws
# new random examples, five times as many, to hunt for counterexamples.
settings.register_profile("default", deadline=None, max_examples=60, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", deadline=None, max_examples=300,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@st.composite
def bimatrix_games(draw, max_actions: int = 4, low: int = -6, high: int = 6) -> Game:
    """Random integer two-player games (degenerate ones included)."""
    m = draw(st.integers(1, max_actions))
    n = draw(st.integers(1, max_actions))
    A = draw(arrays(np.int64, (m, n), elements=st.integers(low, high)))
    B = draw(arrays(np.int64, (m, n), elements=st.integers(low, high)))
    return Game.from_bimatrix(A, B)


def random_games(rng: np.random.Generator, m: int, n: int, count: int, high: int = 10**6):
    """Seeded random integer games; with a wide payoff range they are almost surely
    non-degenerate."""
    return [Game.from_bimatrix(rng.integers(-high, high + 1, (m, n)),
                               rng.integers(-high, high + 1, (m, n))) for _ in range(count)]


def exact_set(result) -> set:
    """Equilibria of a result as a set of exact profiles."""
    return {eq.exact_strategies for eq in result}


def gambit_enummixed(game: Game) -> tuple[set, list]:
    """Extreme equilibria (exact) and cliques from pygambit's rational enummixed."""
    pygambit = pytest.importorskip("pygambit")
    A, B = (np.asarray(m, dtype=object) for m in game.exact_payoffs.transpose(2, 0, 1))
    g = pygambit.StrategicGame.from_arrays(A.astype(int) if _integral(A) else A,
                                           B.astype(int) if _integral(B) else B)
    res = pygambit.nash.enummixed_solve(g, rational=True)
    out = set()
    for eq in res.equilibria:
        prof = tuple(tuple(Fraction(str(eq[p][s])) for s in g.get_strategies(p))
                     for p in g.players)
        out.add(prof)
    return out, res


def _integral(M) -> bool:
    return all(Fraction(v).denominator == 1 for v in M.reshape(-1))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20161229)
