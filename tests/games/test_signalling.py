"""Signalling games: validation and the beer-quiche constructor."""

from __future__ import annotations

import numpy as np
import pytest

from gametheory.errors import PayoffError, ProfileError, ShapeError
from gametheory.games import SignallingGame, beer_quiche


def test_beer_quiche_payoffs():
    g = beer_quiche()
    t, m, a = g.types.index("strong"), g.messages.index("beer"), g.actions.index("don't")
    assert g.sender[t, m, a] == 3 and g.receiver[t, m, a] == 1
    w, q, d = g.types.index("weak"), g.messages.index("quiche"), g.actions.index("duel")
    assert g.sender[w, q, d] == 1 and g.receiver[w, q, d] == 1
    assert g.prior.tolist() == pytest.approx([0.1, 0.9]) and "<table" in g._repr_html_()


def test_malformed_signalling_games_raise_named_errors():
    S = np.zeros((2, 2, 2))
    with pytest.raises(ProfileError, match="sum to 1"):
        SignallingGame([0.5, 0.6], S, S)
    with pytest.raises(ProfileError, match=">= 0"):
        SignallingGame([1.5, -0.5], S, S)
    with pytest.raises(ShapeError, match="receiver payoffs"):
        SignallingGame([0.5, 0.5], S, np.zeros((2, 2, 3)))
    with pytest.raises(ShapeError, match="types"):
        SignallingGame([1.0], S, S)
    bad = S.copy()
    bad[0, 1, 1] = np.nan
    with pytest.raises(PayoffError, match=r"\(0, 1, 1\)"):
        SignallingGame([0.5, 0.5], bad, S)
    with pytest.raises(ShapeError, match="distinct labels"):
        SignallingGame([0.5, 0.5], S, S, types=["a", "a"])
