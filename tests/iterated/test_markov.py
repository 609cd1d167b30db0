"""Exact memory-one payoffs: echo effect, Press-Dyson, agreement with simulation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gametheory as gt
import gametheory.strategies as gs
from gametheory.games import prisoners_dilemma

TFT = (1, 0, 1, 0)


@pytest.mark.parametrize("noise", [1e-4, 0.01, 0.1, 0.3])
def test_tft_echo_effect_is_independent_of_noise(noise):
    """Molander (1985): with any error rate TFT vs TFT averages (R + S + T + P) / 4."""
    pay = gt.memory_one_payoffs(TFT, TFT, noise=noise)
    assert pay == pytest.approx([2.25, 2.25], abs=1e-12)


def test_simulation_matches_the_markov_chain():
    exact = gt.memory_one_payoffs(gs.TitForTat(), gs.TitForTat(), noise=0.05)[0]
    res = gt.Tournament([gs.TitForTat(), gs.TitForTat()], turns=2000, repetitions=20,
                        noise=0.05, seed=7, self_play=False).run()
    sim = res.scores[:, 0, 1]
    se = sim.std(ddof=1) / np.sqrt(len(sim))
    assert abs(sim.mean() - exact) < 4 * se + 0.02


def test_deterministic_pairs_without_noise():
    assert gt.memory_one_payoffs(TFT, (0, 0, 0, 0))[0] == pytest.approx(1.0)  # locks into DD
    pay = gt.memory_one_payoffs(gs.TitForTat(), gs.SuspiciousTitForTat())
    assert pay == pytest.approx([2.5, 2.5])  # alternating CD / DC
    wsls = gt.memory_one_payoffs((1, 0, 0, 1), (1, 0, 0, 1), noise=0.01)
    assert wsls[0] > 2.9  # corrects errors


@given(st.lists(st.floats(0, 1), min_size=4, max_size=4))
def test_press_dyson_extortion_and_equalizer(q):
    game = prisoners_dilemma()
    sx, sy = gt.memory_one_payoffs(gs.ZeroDeterminant("extortionate", chi=3), q, game,
                                   noise=1e-9)
    assert sx - 1 == pytest.approx(3 * (sy - 1), abs=1e-6)
    _, sy = gt.memory_one_payoffs(gs.ZeroDeterminant("equalizer", score=2), q, game,
                                  noise=1e-9)
    assert sy == pytest.approx(2.0, abs=1e-6)


def test_vectorised_over_many_pairs_and_discounting():
    rng = np.random.default_rng(0)
    p = rng.random((1000, 4))
    q = rng.random((1000, 4))
    pay = gt.memory_one_payoffs(p, q, noise=0.01)
    one = gt.memory_one_payoffs(p[17], q[17], noise=0.01)
    assert pay.shape == (1000, 2) and pay[17] == pytest.approx(one)
    disc = gt.memory_one_payoffs(gs.Cooperator(), gs.Defector(), discount=0.9)
    assert disc == pytest.approx([0.0, 5.0])
    near = gt.memory_one_payoffs(p[:3], q[:3], noise=0.01, discount=1 - 1e-7)
    assert near == pytest.approx(pay[:3], abs=1e-4)


def test_zero_determinant_check():
    from gametheory.iterated import zero_determinant_coefficients

    a, b, g = zero_determinant_coefficients(gs.ZeroDeterminant("extortionate", chi=3))
    assert b / a == pytest.approx(-3) and g / a == pytest.approx(-1 + 3)  # s_X - 1 = 3 (s_Y - 1)
    assert zero_determinant_coefficients((1, 0, 0, 1)) is None


def test_median_ranking_like_axelrod():
    res = gt.Tournament([gs.TitForTat(), gs.Defector(), gs.Cooperator(), gs.GrimTrigger()],
                        turns=20, repetitions=3, noise=0.1, seed=4).run()
    assert sorted(res.ranked("median")) == sorted(res.ranking)
    with pytest.raises(gs.StrategyError):
        res.ranked("mode")
