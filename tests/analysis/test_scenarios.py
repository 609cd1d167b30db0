"""Scenarios from the calibration state: continuing strategies, paired comparisons."""

from __future__ import annotations

import numpy as np
import pytest

from gametheory.analysis import calibrate, compare_strategies
from gametheory.analysis.scenarios import Continuing, simulate_paths
from gametheory.errors import ProfileError, UnknownNameError
from gametheory.strategies import TitForTat, ZeroAllRestrictions

CAL = calibrate()


def test_continuing_tit_for_tat_answers_the_last_turn():
    rec = CAL.sequences()
    assert CAL.turns_.actor.iloc[-1] == "RUS"    # Russia moved last: it re-decides at turn 0
    us = Continuing(TitForTat(), rec["USA"].own, rec["USA"].observed)
    ru = Continuing(TitForTat(), rec["RUS"].own[:-1], rec["RUS"].observed[:-1])
    paths = simulate_paths(CAL, [(us, ru)], turns=3, noise=0.0, observation_noise=0.0,
                           seed=1, ids=np.zeros((1, 1), dtype=np.uint64))
    # the record ends with a US escalation (E29, 55 departures) answered in kind (E31):
    # continuing tit for tat echoes the two levels, each side copying the other's last
    assert paths["actions"][0].tolist() == [[3, 4], [4, 3], [3, 4]]
    # a fresh zero-all offer against continuing tit for tat: Russia answers the US
    # record's last turn first, then the offer
    paths = simulate_paths(CAL, [(ZeroAllRestrictions(), ru)], turns=3, noise=0.0,
                           observation_noise=0.0, seed=1, ids=np.zeros((1, 1), np.uint64))
    assert paths["actions"][0].tolist() == [[0, 4], [4, 0], [0, 4]]
    staff = paths["staff"][0]
    assert staff[0].tolist() == [120.0, 400.0]
    assert staff[1].tolist() == [65.0, 455.0]      # US escalated against, Russia restored


def test_comparison_is_reproducible_and_consistent():
    kw = dict(opponents=["Tit for tat", "Always escalate"], noise_levels=[0.0, 0.1],
              discounts=[0.9], turns=12, repetitions=30, seed=5)
    a = compare_strategies(CAL, **kw)
    b = compare_strategies(CAL, **kw)
    assert a.comparison.equals(b.comparison) and a.outcomes.equals(b.outcomes)
    c = a.comparison
    assert ((c.verdict == "better") == (c.low > 0)).all()
    assert ((c.verdict == "worse") == (c.high < 0)).all()
    # against always-escalate with no noise, zero all only loses (it is exploited once)
    row = c[(c.opponent == "Always escalate") & (c.noise == 0) & (c.side == "USA")].iloc[0]
    assert row.difference < 0
    o = a.outcomes
    assert o.p_normal.between(0, 1).all() and (o.low <= o.payoff).all()
    tr = a.trajectories
    assert tr.mean_staff.between(0, 1200).all()
    assert tr[(tr.turn == 0) & (tr.mission_of == "USA")].mean_staff.eq(120).all()
    assert "Zero all restrictions" in a.answer() and "<table" in a._repr_html_()


def test_plots_return_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    res = compare_strategies(CAL, opponents=["Tit for tat", "Always escalate", "GRIT"],
                             noise_levels=[0.05], discounts=[0.9], turns=5, repetitions=5)
    _, ax = plt.subplots()
    assert res.plot_trajectories(ax=ax) is ax
    assert len(ax.lines) == 2            # one line per own strategy, whatever the opponents
    _, ax = plt.subplots()
    res.plot_trajectories(ax=ax, side="RUS", opponent="GRIT")
    assert len(ax.lines) == 2 and "against GRIT" in ax.get_title()
    assert res.plot_comparison() is not None
    plt.close("all")


def test_bad_scenario_input():
    with pytest.raises(ProfileError, match="noise"):
        compare_strategies(CAL, noise_levels=[1.5])
    with pytest.raises(ProfileError, match="discount"):
        compare_strategies(CAL, discounts=[1.0])
    with pytest.raises(UnknownNameError, match="side"):
        compare_strategies(CAL, sides=["FRA"])
    with pytest.raises(UnknownNameError):
        compare_strategies(CAL, first="Zero everything")


def _mutual_answer_in_kind(cal, kernel, noise, n=300):
    """Two sides that open by holding and then answer in kind (tit for tat on levels),
    on the calibrated stage game: mean payoffs per turn and mean level."""
    from gametheory._random import as_seed_sequence
    from gametheory.iterated.engine import match_keys, run_matches
    from gametheory.strategies import Commensurate

    s = Commensurate(opening=cal.levels.index("Hold"))
    keys = match_keys(as_seed_sequence(1), np.arange(n)[:, None])
    arr = run_matches(cal.stage_game(), [(s, s)] * n, keys, turns=200, noise=noise,
                      magnitudes=cal.magnitudes(), noise_kernel=kernel)
    return arr.payoffs.mean(axis=(0, 1)), arr.executed.mean()


def test_echo_effect_in_the_calibrated_model():
    """As in the prisoner's dilemma (Axelrod 1984; Downs & Rocke 1990), noise hurts two
    sides that answer in kind: a slip is answered, echoed and slips again. With the
    model's neighbour kernel both sides lose and play grows more hostile; with the
    uniform kernel of old, accidental offers to zero all made noise *help* the US."""
    from gametheory.analysis import slip_matrix

    cal = calibrate()
    assert cal.params.noise_kernel == "neighbour"
    assert slip_matrix(cal.params)[:, 0].tolist() == [1, 0, 0, 0, 0]   # never slipped into
    quiet, level0 = _mutual_answer_in_kind(cal, cal.noise_kernels(), 0.0)
    noisy, level1 = _mutual_answer_in_kind(cal, cal.noise_kernels(), 0.05)
    assert (noisy < quiet - 1.0).all() and level1 > level0 + 0.1
    old, _ = _mutual_answer_in_kind(cal, "uniform", 0.05)
    assert old[0] > quiet[0]
    # the continuing scenario: tit for tat against tit for tat no longer reaches normal
    # functioning by accident when the noise rises
    res = compare_strategies(cal, "Tit for tat", "Always escalate", ["Tit for tat"],
                             noise_levels=[0.0, 0.1], discounts=[0.9], turns=40,
                             repetitions=50)
    o = res.outcomes[res.outcomes.strategy == "Tit for tat"]
    assert (o.p_normal == 0).all()


@pytest.mark.parametrize("name", ["Tit for tat", "Commensurate", "Parity seeking", "GRIT",
                                  "Random", "Contrite tit for tat",
                                  "Raise the stakes", "Always escalate"])
def test_continuing_vectorised_play_matches_plain_python(name):
    """The engine plays a Continuing strategy as one vectorised group (the record fed to
    the wrapped strategy's family or decide_batch); the plain-Python path, match by
    match, must give the same moves, with noise, misperception and a neighbour kernel,
    and over more turns than the first history buffer holds."""
    from gametheory._random import as_seed_sequence, match_keys
    from gametheory.iterated.engine import run_matches
    from gametheory.strategies import get_strategy

    rec = CAL.sequences()
    us = Continuing(get_strategy(name), rec["USA"].own, rec["USA"].observed)
    ru = Continuing(TitForTat(), rec["RUS"].own[:-1], rec["RUS"].observed[:-1])
    pairs = [(us, ru)] * 12 + [(ru.clone(), us)] * 5
    keys = match_keys(as_seed_sequence(3), np.arange(len(pairs), dtype=np.uint64)[:, None])
    kw = dict(turns=90, noise=0.1, observation_noise=0.05, magnitudes=CAL.magnitudes(),
              noise_kernel=CAL.noise_kernels())
    game = CAL.stage_game()
    fast = run_matches(game, pairs, keys, **kw)
    slow = run_matches(game, pairs, keys, engine="python", **kw)
    for field in ("executed", "intended", "observed"):
        assert np.array_equal(getattr(fast, field), getattr(slow, field)), field
