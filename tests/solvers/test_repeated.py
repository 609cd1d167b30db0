"""Repeated games: thresholds from the literature, one-shot deviations, minmax, feasible set."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory.strategies as gs
from gametheory.errors import RepeatedGameError
from gametheory.games import prisoners_dilemma
from gametheory.solvers._convex import hausdorff_distance
from gametheory.solvers.repeated import (
    RepeatedGame,
    basin_of_attraction_alld,
    public_grim_trigger,
    risk_dominance_threshold,
)

GRIM = public_grim_trigger()


def _pd(R, S, T, P):
    return RepeatedGame(prisoners_dilemma(R=R, S=S, T=T, P=P))


@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4))
@settings(max_examples=20)
def test_grim_threshold_is_friedmans(gap_tr, gap_rp, gap_ps):
    """Grim trigger is subgame perfect iff δ >= (T - R)/(T - P) (Friedman 1971)."""
    P = 1
    S, R = P - gap_ps, P + gap_rp
    T = R + gap_tr
    rg = _pd(R, S, T, P)
    (lo, hi), = rg.critical_discount_factor((GRIM, GRIM))
    assert lo == pytest.approx((T - R) / (T - P), abs=1e-9) and hi == 1.0


@pytest.mark.parametrize(("R", "S", "T", "P"), [(3, 0, 5, 1), (4, 0, 5, 1), (3, 1, 4, 2)])
def test_tft_nash_threshold_is_axelrods(R, S, T, P):
    """TFT is a Nash equilibrium (collectively stable) iff
    δ >= max{(T - R)/(T - P), (T - R)/(R - S)} (Axelrod 1984, Prop. 2)."""
    rg = _pd(R, S, T, P)
    (lo, hi), = rg.critical_discount_factor((gs.TitForTat(), gs.TitForTat()), concept="nash")
    assert hi == 1.0
    assert lo == pytest.approx(max((T - R) / (T - P), (T - R) / (R - S)), abs=1e-9)


def test_tft_is_subgame_perfect_only_on_a_knife_edge():
    # SPE needs δ = (T - R)/(R - S) and δ = (P - S)/(T - P): a point when they agree
    edge = _pd(3, 0, 4, 1).critical_discount_factor((gs.TitForTat(), gs.TitForTat()))
    assert len(edge) == 1 and edge[0][0] == pytest.approx(1 / 3, abs=1e-7)
    assert edge[0][0] == edge[0][1]
    assert _pd(3, 0, 5, 1).critical_discount_factor((gs.TitForTat(), gs.TitForTat())) == []


def test_wsls_threshold():
    """WSLS is subgame perfect iff δ >= (T - R)/(R - P), which needs 2R > T + P."""
    (lo, hi), = _pd(4, 0, 5, 1).critical_discount_factor(
        (gs.WinStayLoseShift(), gs.WinStayLoseShift()))
    assert lo == pytest.approx(1 / 3, abs=1e-9) and hi == 1.0
    assert _pd(3, 0, 5, 1).critical_discount_factor(
        (gs.WinStayLoseShift(), gs.WinStayLoseShift())) == []


def test_profitable_deviation_is_returned():
    rg = RepeatedGame(prisoners_dilemma(), discount=0.4)
    dev = rg.profitable_deviation((GRIM, GRIM))
    assert dev.state == (0, 0) and dev.prescribed == 0 and dev.action == 1
    assert dev.gain == pytest.approx((1 - 0.4) * 5 + 0.4 * 1 - 3)
    assert rg.profitable_deviation((gs.Defector(), gs.Defector())) is None


def test_exact_payoffs_of_automata():
    rg = RepeatedGame(prisoners_dilemma(), discount=0.5)
    assert rg.payoffs((gs.TitForTat(), gs.Defector())) == pytest.approx([0.5, 3.0])
    # (C,C), then (C,D), (D,C), (C,D), ...: TFT gets (1-d)(3 + 5 d^2 / (1 - d^2)) = 7/3,
    # the alternator (1-d)(3 + 5 d / (1 - d^2)) = 19/6
    assert rg.payoffs((gs.TitForTat(), gs.Alternator())) == pytest.approx([7 / 3, 19 / 6])


def test_minmax_and_feasible_set():
    rg = RepeatedGame(prisoners_dilemma())
    assert rg.minmax().tolist() == [1.0, 1.0]
    verts = {tuple(v) for v in rg.feasible_payoffs().tolist()}
    assert verts == {(0.0, 5.0), (1.0, 1.0), (5.0, 0.0), (3.0, 3.0)}
    from gametheory.games import matching_pennies

    assert RepeatedGame(matching_pennies()).minmax() == pytest.approx([0, 0])
    assert RepeatedGame(matching_pennies()).minmax(mixed=False).tolist() == [1, 1]


def test_risk_dominance_and_basin():
    g = prisoners_dilemma()
    d = risk_dominance_threshold(g)
    assert d == pytest.approx((5 - 3 + 1 - 0) / (5 - 0))
    assert basin_of_attraction_alld(g, d) == pytest.approx(0.5)
    assert basin_of_attraction_alld(g, 0.9) < 0.5 < basin_of_attraction_alld(g, 0.55)


def test_bad_input():
    with pytest.raises(RepeatedGameError, match=r"\(0, 1\)"):
        RepeatedGame(prisoners_dilemma(), discount=1.0)
    with pytest.raises(RepeatedGameError, match="missing transitions"):
        RepeatedGame(prisoners_dilemma()).payoffs(((np.array([0, 1]),
                                                    np.zeros((2, 2, 1), dtype=int)), GRIM))
    with pytest.raises(RepeatedGameError, match="neither a finite automaton"):
        RepeatedGame(prisoners_dilemma()).payoffs((gs.Gradual(), GRIM))


@pytest.mark.parametrize("delta", [0.3, 0.75, 0.9])
@pytest.mark.parametrize("payoffs", [(9, 1, 10, 3), (3, 0, 5, 1)])
def test_equilibrium_payoff_set_agrees_with_quantecon(payoffs, delta):
    """QuantEcon's Abreu-Sannikov vertices (test-only oracle) equal our inner
    approximation, and lie inside our outer approximation."""
    qe = pytest.importorskip("quantecon.game_theory")

    R, S, T, P = payoffs
    game = prisoners_dilemma(R=R, S=S, T=T, P=P)
    hull = qe.RepeatedGame(qe.NormalFormGame(game.payoffs), delta).equilibrium_payoffs(
        method="abreu_sannikov")
    theirs = hull.points[hull.vertices]
    rg = RepeatedGame(game, discount=delta)
    ours = rg.equilibrium_payoffs()  # Abreu-Sannikov
    assert len(ours) == len(theirs) and hausdorff_distance(ours, theirs) < 1e-6
    inner, outer, gap = rg.payoff_set_bounds(directions=128)
    assert hausdorff_distance(inner, theirs) < 1e-6
    assert all(any(np.allclose(v, w, atol=1e-6) for w in inner) for v in theirs)
    assert 0 <= gap < 0.15  # directions not normal to the true edges overshoot a little
    from gametheory.solvers._convex import point_polygon_distance as _point_polygon_distance

    assert all(_point_polygon_distance(v, outer) < 1e-9 for v in theirs)


def test_folk_theorem_set_of_the_prisoners_dilemma():
    """With patient players the equilibrium payoffs fill the feasible, individually
    rational set: here everything above (P, P) = (1, 1)."""

    rg = RepeatedGame(prisoners_dilemma(), discount=0.95)
    inner = rg.equilibrium_payoffs(method="inner")
    # the hull of (0, 5), (1, 1), (5, 0), (3, 3) cut at w_i >= 1: the edge from (5, 0) to
    # (3, 3) meets w_2 = 1 at (13/3, 1)
    folk = np.array([[1, 1], [13 / 3, 1], [3, 3], [1, 13 / 3]])
    assert hausdorff_distance(inner, folk) < 1e-6


def test_stochastic_automata():
    """Generous TFT as a stochastic automaton: exact payoffs and the OSD check."""
    d = 0.9
    rg = RepeatedGame(prisoners_dilemma(), discount=d)
    gtft = gs.GenerousTitForTat()          # g = 1/3 in this game
    assert rg.payoffs((gtft, gtft)) == pytest.approx([3.0, 3.0])
    g = 1 / 3
    # against ALLD: S in round one, then cooperate with probability g
    expected = (1 - d) * 0 + d * (g * 0 + (1 - g) * 1)
    assert rg.payoffs((gtft, gs.Defector()))[0] == pytest.approx(expected)
    # the same numbers as the Markov-chain analysis of memory-one strategies
    import gametheory as gt

    assert rg.payoffs((gtft, gs.Random())) == pytest.approx(
        gt.memory_one_payoffs(gtft, gs.Random(), discount=d))
    # forgiving at random is not a best reply after a defection: a deviation pays
    dev = rg.profitable_deviation((gtft, gtft))
    assert dev is not None and dev.gain > 0
    # a stochastic automaton with 0/1 probabilities behaves as the deterministic one
    wsls = (np.array([[1.0, 0], [1, 0], [0, 1], [0, 1], [1, 0]]),
            np.array([[[1, 2], [3, 4]]] * 5))
    rg4 = RepeatedGame(prisoners_dilemma(R=4), discount=0.5)
    assert rg4.critical_discount_factor((wsls, wsls)) == rg4.critical_discount_factor(
        (gs.WinStayLoseShift(), gs.WinStayLoseShift()))


def test_diplomatic_automata_in_the_embassy_game():
    from gametheory.games import embassy_dispute

    rg = RepeatedGame(embassy_dispute(), discount=0.9)
    zero, tft = gs.ZeroAllRestrictions(), gs.TitForTat()
    assert rg.payoffs((zero, tft)) == pytest.approx([3.0, 2.0])  # mutual lifting for ever
    # Russia can gain by retaliating once against a zero-all US that then reciprocates
    assert rg.profitable_deviation((zero, gs.Commensurate())) is not None
    (lo, hi), = rg.critical_discount_factor((public_grim_trigger(3, 3),
                                             public_grim_trigger(3, 3)))
    assert lo == pytest.approx(0.25) and hi == 1.0  # max of US 1/6 and Russia 1/4


def _as_set(poly: np.ndarray) -> np.ndarray:
    return poly[np.lexsort(poly.T[::-1])]


@settings(max_examples=12, deadline=None)
@given(payoffs=st.lists(st.integers(-5, 9), min_size=18, max_size=18),
       shape=st.sampled_from([(2, 2), (2, 3), (3, 3)]),
       delta=st.sampled_from([0.2, 0.5, 0.75, 0.9]))
def test_compiled_abreu_sannikov_equals_the_numpy_iteration(payoffs, shape, delta):
    """The compiled loop (default) and the NumPy loop give the same vertices, to the
    NumPy loop's precision (its hull rounds to 9 decimals; where that rounding makes it
    cycle instead of converging, about 2 % of random integer games, the compiled loop,
    which does not round, still converges)."""
    from gametheory.errors import SolverError
    from gametheory.games import Game
    from gametheory.solvers.repeated import _iterate

    m, n = shape
    arr = np.array(payoffs[:2 * m * n], dtype=float).reshape(m, n, 2)
    rg = RepeatedGame(Game(arr), discount=delta)
    ours = rg.equilibrium_payoffs()
    try:
        ref = _iterate(rg, "abreu_sannikov", 128, 1e-10, 5000)
    except SolverError:
        return
    # vertex for vertex: as many, each within the NumPy loop's error of one of the
    # other's (it relaxes incentive constraints by 1e-9 of the payoff range to survive
    # its rounding, which moves the set by up to about that over 1 - δ)
    tol = 1e-9 * max(1.0, float(np.ptp(arr))) / (1 - delta) * 10
    assert ours.shape == ref.shape
    if not len(ref):           # no pure-strategy equilibrium payoffs: both empty
        return
    gaps = np.linalg.norm(ours[:, None] - ref[None], axis=2)
    assert gaps.min(axis=1).max() < tol and gaps.min(axis=0).max() < tol


def test_compiled_abreu_sannikov_on_sets_that_collapse_to_a_segment():
    """All payoffs 0 except one profile: the equilibrium payoffs are the segment between
    the two stage-equilibrium payoffs (an earlier hull kept rounding slivers of it and
    the iteration did not converge)."""
    from gametheory.games import Game

    for top in (2.0, 3.0):
        arr = np.zeros((3, 3, 2))
        arr[2, 1] = (0.0, 1.0)
        arr[2, 2] = (1.0, top)
        W = RepeatedGame(Game(arr), discount=0.2).equilibrium_payoffs()
        assert _as_set(W) == pytest.approx(np.array([[0.0, 0.0], [1.0, top]]), abs=1e-12)


def test_compiled_abreu_sannikov_reports_an_empty_set_and_non_convergence():
    from gametheory.errors import SolverError
    from gametheory.games import matching_pennies
    from gametheory.solvers.repeated import _iterate

    # no pure stage equilibrium, hence no pure-strategy equilibrium payoff at all
    empty = RepeatedGame(matching_pennies(), discount=0.5)
    assert empty.equilibrium_payoffs().shape == (0, 2)
    assert _iterate(empty, "abreu_sannikov", 128, 1e-10, 5000).shape == (0, 2)
    rg = RepeatedGame(prisoners_dilemma(), discount=0.9)
    with pytest.raises(SolverError, match="did not converge in 3 steps"):
        rg.equilibrium_payoffs(max_iter=3)
    with pytest.raises(SolverError, match="did not converge in 3 steps"):
        _iterate(rg, "abreu_sannikov", 128, 1e-10, 3)


def test_payoff_sets_over_many_discount_factors_equal_one_by_one():
    from gametheory.solvers.repeated import equilibrium_payoff_sets

    game = prisoners_dilemma()
    deltas = np.linspace(0.05, 0.95, 19)
    sets = equilibrium_payoff_sets(game, deltas)
    for d, W in zip(deltas, sets, strict=True):
        assert W == pytest.approx(RepeatedGame(game, discount=d).equilibrium_payoffs(),
                                  abs=1e-12)
    with pytest.raises(RepeatedGameError):
        equilibrium_payoff_sets(game, [0.5, 1.5])


def test_payoff_set_that_collapses_to_a_point_is_the_point():
    """Below the cooperation threshold the prisoner's dilemma's only equilibrium payoff is
    the stage equilibrium's; an absolute 1e-12 inside test on cross products once took
    every point for inside a polygon of size 1e-7 and stopped the iteration at a
    triangle of that size around (1, 1)."""
    from gametheory.solvers.repeated import equilibrium_payoff_sets

    for d in (0.1, 0.2):
        W = RepeatedGame(prisoners_dilemma(), discount=d).equilibrium_payoffs()
        assert W.tolist() == [[1.0, 1.0]]
    # at 0.4 alternating (D, C) and (C, D) is an equilibrium: the set is a triangle
    sets = equilibrium_payoff_sets(prisoners_dilemma(), [0.2, 0.4])
    assert sets[0].tolist() == [[1.0, 1.0]] and len(sets[1]) == 3
