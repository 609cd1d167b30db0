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
