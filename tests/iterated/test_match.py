"""Matches: known answers, noise, continuation, reproducibility, bad input."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
import gametheory.strategies as gs
from gametheory.errors import ProfileError
from gametheory.games import embassy_dispute


def test_known_scores():
    assert gt.play(gs.TitForTat(), gs.Defector(), turns=10).scores.tolist() == [9.0, 14.0]
    assert gt.play(gs.GrimTrigger(), gs.TitForTat(), turns=10).scores.tolist() == [30.0, 30.0]
    assert gt.play(gs.WinStayLoseShift(), gs.TitForTat(), turns=10).scores.tolist() == [30, 30]
    res = gt.play(gs.TitForTat(), gs.Alternator(), turns=200)
    assert res.scores.tolist() == [3 + 99 * 5 + 100 * 0, 3 + 99 * 0 + 100 * 5]


def test_same_seed_same_match_and_engines_agree():
    a = gt.play(gs.GenerousTitForTat(), gs.Random(), turns=300, noise=0.1,
                observation_noise=0.05, seed=42)
    b = gt.play(gs.GenerousTitForTat(), gs.Random(), turns=300, noise=0.1,
                observation_noise=0.05, seed=42, engine="python")
    assert np.array_equal(a.actions, b.actions) and np.array_equal(a.observed, b.observed)
    c = gt.play(gs.GenerousTitForTat(), gs.Random(), turns=300, noise=0.1, seed=43)
    assert not np.array_equal(a.actions, c.actions)


def test_noise_kinds_are_separate():
    res = gt.play(gs.Cooperator(), gs.Cooperator(), turns=20_000, noise=0.1, seed=1)
    assert abs((res.actions != res.intended).mean() - 0.1) < 0.01
    assert np.array_equal(res.observed[:, 0], res.actions[:, 1])  # perception is exact
    res = gt.play(gs.Cooperator(), gs.Cooperator(), turns=20_000, observation_noise=0.2, seed=1)
    assert (res.actions == 0).all()  # nothing botched...
    assert abs((res.observed[:, 0] != res.actions[:, 1]).mean() - 0.2) < 0.01  # ...but misread


def test_misperception_alone_starts_tft_echoes():
    res = gt.play(gs.TitForTat(), gs.TitForTat(), turns=500, observation_noise=0.02, seed=5)
    assert (res.actions == res.intended).all() and res.cooperation.mean() < 0.9


def test_continuation_probability():
    lengths = [gt.play(gs.TitForTat(), gs.Cooperator(), continuation=0.9, seed=s).turns
               for s in range(400)]
    assert abs(np.mean(lengths) - 10) < 1.5  # geometric with mean 1 / (1 - 0.9)


def test_discounting():
    res = gt.play(gs.Cooperator(), gs.Cooperator(), turns=3, discount=0.5)
    assert res.scores.tolist() == [3 * 1.75, 3 * 1.75]


def test_history_frame_and_display():
    res = gt.play(gs.ZeroAllRestrictions(), gs.Commensurate(), game=embassy_dispute(),
                  turns=4, magnitudes=[(-1, 0, 1)] * 2)
    df = res.history
    assert list(df["US action"]) == ["Zero all"] * 4 and df["US magnitude"].iloc[0] == -1
    assert "scores" in repr(res) and "cooperation rate" in res._repr_html_()


@pytest.mark.parametrize(("kw", "match"), [
    ({"noise": -0.1}, "noise"),
    ({"observation_noise": 1.5}, "observation_noise"),
    ({"continuation": 1.0}, "continuation"),
    ({"turns": 0}, "turns"),
    ({"discount": 0.0}, "discount"),
])
def test_bad_parameters(kw, match):
    with pytest.raises(ProfileError, match=match):
        gt.play(gs.TitForTat(), gs.TitForTat(), **kw)


def test_names_are_resolved():
    assert gt.play("tit for tat", "defector", turns=3).players == ("Tit for tat", "Defector")


def test_neighbour_noise_kernel_lands_one_level_away():
    from gametheory._random import as_seed_sequence
    from gametheory.iterated.engine import match_keys, noise_kernels, run_matches

    K = noise_kernels("neighbour", (5, 5))[0]
    np.testing.assert_allclose(K.sum(axis=1), 1.0)
    game = gt.Game.from_bimatrix(np.zeros((5, 5)), np.zeros((5, 5)))
    mags = (np.arange(5) - 2.0,) * 2
    hold = gs.Commensurate(opening=2, scale=0.0)            # always the middle level
    keys = match_keys(as_seed_sequence(3), np.arange(400)[:, None])
    arr = run_matches(game, [(hold, hold)] * 400, keys, turns=5, noise=1.0,
                      observation_noise=1.0, noise_kernel="neighbour", magnitudes=mags)
    assert (arr.intended == 2).all()
    executed = arr.executed.ravel()
    assert set(np.unique(executed)) == {1, 3}                # always slips, one step
    assert abs((executed == 1).mean() - 0.5) < 0.05
    seen = arr.observed.ravel()                              # a misread slips once more
    assert set(np.unique(seen)) <= {0, 2, 4}
    # the one-match Python path and the batched engine agree under a kernel
    a = gt.play(hold, "Random", game=game, turns=30, noise=0.3, observation_noise=0.2,
                seed=9, noise_kernel="neighbour", magnitudes=mags)
    b = gt.play(hold, "Random", game=game, turns=30, noise=0.3, observation_noise=0.2,
                seed=9, noise_kernel="neighbour", magnitudes=mags, engine="batch")
    np.testing.assert_array_equal(a.actions, b.actions)


@pytest.mark.parametrize("kernel, match", [
    ("sideways", "not 'uniform'"), ([np.eye(3)], "one matrix per player"),
    ([np.eye(4), np.eye(3)], "shape"), ([np.eye(3) * 2, np.eye(3)], "summing to one")])
def test_bad_noise_kernels(kernel, match):
    with pytest.raises(ProfileError, match=match):
        gt.play("Tit for tat", "Tit for tat", game=embassy_dispute(), turns=3,
                noise_kernel=kernel)
