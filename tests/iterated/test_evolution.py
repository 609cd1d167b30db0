"""Moran process and replicator dynamics."""

from __future__ import annotations

import numpy as np
import pytest

from gametheory.errors import ProfileError
from gametheory.iterated import fixation_probability, moran_process, replicator_dynamics

PD_MATRIX = [[3, 0], [5, 1]]


def test_neutral_fixation_is_one_over_n():
    assert fixation_probability([[2, 2], [2, 2]], 0, 1, 25) == pytest.approx(1 / 25)


def test_defectors_invade_cooperators():
    assert fixation_probability(PD_MATRIX, 1, 0, 20) > 1 / 20 > fixation_probability(
        PD_MATRIX, 0, 1, 20)


def test_simulated_fixation_frequency_matches_formula():
    M = [[1.0, 1.2], [0.9, 1.1]]
    exact = fixation_probability(M, 0, 1, 8, intensity=0.5)
    wins = sum(moran_process(M, [1, 7], intensity=0.5, seed=s, labels=["A", "B"]).fixed == "A"
               for s in range(600))
    assert abs(wins / 600 - exact) < 4 * np.sqrt(exact * (1 - exact) / 600)


def test_replicator_dynamics():
    res = replicator_dynamics([[0, 3], [1, 2]], [0.2, 0.8], t_max=60)  # hawk-dove like
    assert res.final == pytest.approx([0.5, 0.5], abs=1e-3)
    assert res.to_frame().shape == (201, 2)
    with pytest.raises(ProfileError, match="sum"):
        replicator_dynamics(PD_MATRIX, [0.5, 0.6])
