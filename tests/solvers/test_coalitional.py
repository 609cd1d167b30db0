"""Coalitional (TU) games: Shapley value, Banzhaf index, least core - published numbers,
closed forms, axioms as properties, and the 2018 expelling coalition."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gametheory.errors import InputLimitError, PayoffError, ShapeError
from gametheory.games import CoalitionalGame
from gametheory.solvers import banzhaf_index, least_core, shapley_value


def test_un_security_council_shapley_shubik():
    """Shapley & Shubik (1954), the Council after 1965: five permanent members (weight 7)
    and ten others (weight 1), nine votes with no veto: quota 39. Power 421/2145 =
    0.19627 for a permanent member, 4/2145 = 0.001865 for the others."""
    g = CoalitionalGame.weighted_voting([7] * 5 + [1] * 10, 39)
    phi = shapley_value(g)
    np.testing.assert_allclose(phi[:5], 421 / 2145, atol=1e-12)
    np.testing.assert_allclose(phi[5:], 4 / 2145, atol=1e-12)
    # Banzhaf: swings counted by brute force over the 2^14 coalitions of the others
    raw = banzhaf_index(g, normalized=False)
    # a permanent member swings when the other four and at least four others vote yes
    swings_perm = sum(math.comb(10, j) for j in range(4, 11))
    assert raw[0] * 2 ** 14 == pytest.approx(swings_perm)
    swings_other = math.comb(5, 5) * math.comb(9, 3)      # all permanent + exactly 3 others
    assert raw[5] * 2 ** 14 == pytest.approx(swings_other)


def test_glove_game_and_airport_closed_forms():
    gloves = CoalitionalGame.from_function(["L", "R1", "R2"],
                                           lambda S: float("L" in S and len(S) >= 2))
    np.testing.assert_allclose(shapley_value(gloves), [2 / 3, 1 / 6, 1 / 6])
    r = least_core(gloves)
    assert r.core_nonempty and r.epsilon <= 1e-9
    np.testing.assert_allclose(r.allocation, [1, 0, 0], atol=1e-9)   # the core is one point
    # the airport game (Littlechild & Owen 1973): v(S) = -max cost in S; each pays an
    # equal share of every runway segment it uses
    cost = [1.0, 3.0, 4.0, 8.0]
    air = CoalitionalGame.from_function([str(c) for c in cost],
                                        lambda S: -max(float(c) for c in S))
    expected = [-sum((cost[k] - (cost[k - 1] if k else 0)) / (len(cost) - k)
                     for k in range(i + 1)) for i in range(len(cost))]
    np.testing.assert_allclose(shapley_value(air), expected)
    # cost max(S) is submodular, so the savings game is convex: the value is in the core
    assert air.is_convex() and air.is_superadditive()
    assert least_core(air).core_nonempty


def test_majority_game_has_an_empty_core():
    r = least_core(CoalitionalGame.weighted_voting([1, 1, 1], 2))
    assert not r.core_nonempty and r.epsilon == pytest.approx(1 / 3)
    np.testing.assert_allclose(r.allocation, [1 / 3] * 3, atol=1e-9)
    assert len(r.binding) == 3


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 6))
def test_shapley_axioms(seed, n):
    """Efficiency, symmetry of swapped players, the dummy player, additivity; for a convex
    game the Shapley value is in the core (Shapley 1971)."""
    rng = np.random.default_rng(seed)
    v = np.concatenate([[0.0], rng.normal(size=(1 << n) - 1)])
    w = np.concatenate([[0.0], rng.normal(size=(1 << n) - 1)])
    g, h = CoalitionalGame(v, [str(i) for i in range(n)]), CoalitionalGame(
        w, [str(i) for i in range(n)])
    phi = shapley_value(g)
    assert phi.sum() == pytest.approx(g.grand)
    np.testing.assert_allclose(shapley_value(CoalitionalGame(v + w, g.players)),
                               phi + shapley_value(h), atol=1e-9)
    # a dummy: player n-1 adds exactly c to every coalition
    c = float(rng.normal())
    masks = np.arange(1 << n)
    d = v.copy()
    last = 1 << (n - 1)
    d[masks & last > 0] = v[masks[masks & last > 0] & ~last] + c
    assert shapley_value(CoalitionalGame(d, g.players))[-1] == pytest.approx(c)
    # convex: v(S) = f(|S|) with f convex
    f = np.cumsum(np.sort(rng.random(n + 1)))
    f -= f[0]
    sizes = np.array([bin(m).count("1") for m in masks])
    conv = CoalitionalGame(f[sizes], g.players)
    assert conv.is_convex()
    phi_c = shapley_value(conv)
    A = ((masks[1:, None] >> np.arange(n)) & 1).astype(float)
    assert np.all(A @ phi_c >= conv.values[1:] - 1e-9)
    assert least_core(conv).core_nonempty


def test_bad_games_are_named():
    with pytest.raises(ShapeError, match="need 8 coalition values"):
        CoalitionalGame(np.zeros(7), ["a", "b", "c"])
    with pytest.raises(PayoffError, match="empty coalition"):
        CoalitionalGame([1, 0], ["a"])
    with pytest.raises(PayoffError, match=r"coalition \['a', 'b'\] is nan"):
        CoalitionalGame([0, 1, 1, float("nan")], ["a", "b"])
    with pytest.raises(InputLimitError, match="2\\^30"):
        CoalitionalGame(np.zeros(2), [str(i) for i in range(30)])
    with pytest.raises(PayoffError, match="quota"):
        CoalitionalGame.weighted_voting([1, 2], 0)
    with pytest.raises(InputLimitError, match="at most 16 players"):
        least_core(CoalitionalGame.weighted_voting([1] * 17, 9))


def test_expelling_coalition_of_2018():
    import gametheory as gt
    from gametheory.analysis import expulsion_round

    r = expulsion_round(gt.load_model("uk_russia_2018"))
    t = r.table.set_index("member")
    assert t.loc["USA", "expelled"] == 60 and t.loc["USA", "expelled back"] == 60
    assert t.loc["GBR", "days to answer"] == 3
    assert "close_facility" in t.loc["GBR", "other measures"]
    assert set(t.index[~t["size known"]]) == {"FRA", "DEU", "DNK", "ESP", "HRV", "CAN"}
    net = r.net_game()
    assert net.grand == 1.0 and shapley_value(net)[r.members.index("HUN")] == 1.0
    p = r.power((0.5, 0.9)).set_index(["quota fraction", "member"])
    # a simple majority of the round: the US alone is short (60 < 66.5), yet pivotal in
    # most orderings; no veto member, so the core is empty
    assert p.loc[(0.5, "USA"), "Shapley-Shubik"] > 0.6
    assert not p.loc[(0.5, "USA"), "core non-empty"]
    # 90 % of the round: without the US or without the UK the quota is out of reach
    veto = p.xs(0.9, level=0)
    assert set(veto.index[veto["veto"]]) == {"USA", "GBR"}
    for f in (0.5, 0.9):
        assert p.xs(f, level=0)["Shapley-Shubik"].sum() == pytest.approx(1.0)
