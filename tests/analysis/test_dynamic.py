"""The dispute as a stochastic game: per-year discounting from the record, the state's
moves (grid splits, resets, offers, property), payoffs with own costs, bad parameters,
and the Markov-perfect analysis."""

from __future__ import annotations

import numpy as np
import pytest

from gametheory.analysis import calibrate, dispute_game, dynamic_analysis, turn_discount
from gametheory.errors import ParameterError, ProfileError, UnknownNameError


@pytest.fixture(scope="module")
def cal():
    return calibrate()


def _next(dg, state, level):
    """Successor distribution {label: probability} of the mover's level in ``state``."""
    g = dg.game
    stage = g.stage_games[state]
    mover = int(np.argmax(stage.shape))
    k = stage.actions[mover].index(level)
    t = g.transition(state)
    row = t[k, 0] if mover == 0 else t[0, k]
    return {g.states[j]: float(p) for j, p in enumerate(row) if p > 0}


def _payoff(dg, state, level):
    stage = dg.game.stage_games[state]
    mover = int(np.argmax(stage.shape))
    k = stage.actions[mover].index(level)
    return stage.payoffs[k, 0] if mover == 0 else stage.payoffs[0, k]


def test_the_per_turn_discount_is_the_mean_over_the_records_gaps(cal):
    starts = cal.turns_.start.to_numpy().astype("datetime64[D]").astype(np.int64)
    gaps = np.diff(starts) / 365.25
    assert turn_discount(cal, 0.8) == pytest.approx(np.mean(0.8 ** gaps))
    assert turn_discount(cal, 0.5) < turn_discount(cal, 0.8) < turn_discount(cal, 0.95) < 1
    assert dispute_game(cal, discount_per_year=0.9).game.discount[0] == pytest.approx(
        turn_discount(cal, 0.9))


def test_states_start_and_baseline(cal):
    dg = dispute_game(cal)
    assert dg.describe(dg.start) == ("USA 120 RUS 400 | restr 8/11 | seized USA,RUS | "
                                     "USA to move")
    assert dg.describe(dg.baseline["RUS"]) == ("USA 1200 RUS 455 | restr 0/0 | seized none | "
                                               "RUS to move")
    assert len(dg.table) == dg.game.n_states
    with pytest.raises(ProfileError, match="not on the grid"):
        dg.state(staff=(1000, 455), restrictions=(0, 0), mover="USA")
    with pytest.raises(ProfileError, match="mover"):
        dg.state(staff=(1200, 455), restrictions=(0, 0), mover="UK")
    with pytest.raises(ProfileError, match="offer"):
        dg.state(staff=(1200, 455), restrictions=(0, 0), mover="USA", offer=True)
    with pytest.raises(UnknownNameError):
        dg.game.state_index("USA 1 RUS 1 | restr 0/0 | seized none | USA to move")


def test_a_move_between_grid_points_is_split_to_keep_the_expected_size(cal):
    """At the baseline a commensurate answer removes 10 of Russia's 455: the grid has 400
    and 455, so Russia's mission goes to 455 with probability 45/55, to 400 with 10/55;
    the restriction count (grid 0, 11, 12) goes from 0 to 1: to 11 with 1/11."""
    dg = dispute_game(cal, noise=0.0)
    nxt = _next(dg, dg.baseline["USA"], "Commensurate")
    base = "| seized none | RUS to move"
    assert nxt[f"USA 1200 RUS 455 | restr 0/0 {base}"] == pytest.approx(45 / 55 * 10 / 11)
    assert nxt[f"USA 1200 RUS 400 | restr 0/0 {base}"] == pytest.approx(10 / 55 * 10 / 11)
    assert nxt[f"USA 1200 RUS 455 | restr 0/11 {base}"] == pytest.approx(45 / 55 / 11)
    assert nxt[f"USA 1200 RUS 400 | restr 0/11 {base}"] == pytest.approx(10 / 55 / 11)
    held = _next(dg, dg.baseline["USA"], "Hold")
    assert held == {f"USA 1200 RUS 455 | restr 0/0 {base}": pytest.approx(1.0)}


def test_noise_lands_on_neighbouring_levels_and_never_on_the_offer(cal):
    dg = dispute_game(cal, noise=0.1)
    exact = dispute_game(cal, noise=0.0)
    s = dg.baseline["USA"]
    mix = {}
    for level, w in (("Hold", 0.9), ("Concede", 0.05), ("Commensurate", 0.05)):
        for k, p in _next(exact, s, level).items():
            mix[k] = mix.get(k, 0.0) + w * p
    assert _next(dg, s, "Hold") == pytest.approx(mix)
    # Concede trembles to Hold only: the offer level is never an accident
    mix = {}
    for level, w in (("Concede", 0.9), ("Hold", 0.1)):
        for k, p in _next(exact, s, level).items():
            mix[k] = mix.get(k, 0.0) + w * p
    assert _next(dg, s, "Concede") == pytest.approx(mix)
    assert _next(dg, s, "Zero all") == _next(exact, s, "Zero all")


def test_a_unilateral_zero_all_restores_the_other_mission_and_costs_a_concession(cal):
    dg = dispute_game(cal, noise=0.0)
    nxt = _next(dg, dg.start, "Zero all")
    assert nxt == {"USA 120 RUS 455 | restr 8/0 | seized USA | RUS to move": 1.0}
    p = cal.params
    hold, zero = _payoff(dg, dg.start, "Hold"), _payoff(dg, dg.start, "Zero all")
    # Russia gains its 55 staff, its restrictions and its property back
    gain = (55 * p.utility["RUS"].mission_value + 11 * p.utility["RUS"].restriction_cost
            + p.dynamic.per_side("property_value", cal.players)[1])
    parity = p.utility["RUS"].parity_weight * 455 * 55 / 455
    assert zero[1] - hold[1] == pytest.approx(gain + parity)
    # the USA pays two levels of concession and the parity shift
    assert hold[0] - zero[0] == pytest.approx(
        2 * p.utility["USA"].concession_cost + p.utility["USA"].parity_weight * 1200 * 55 / 455)


def test_a_mutual_offer_resets_everything_only_when_answered_in_kind(cal):
    dg = dispute_game(cal, offer="mutual", noise=0.0)
    assert dg.game.n_states == 2 * dispute_game(cal).game.n_states
    offered = _next(dg, dg.start, "Zero all")
    label = "USA 120 RUS 400 | restr 8/11 | seized USA,RUS | RUS to move, USA offers"
    assert offered == {label: 1.0}
    pending = dg.game.state_index(label)
    assert _next(dg, pending, "Zero all") == {
        "USA 1200 RUS 455 | restr 0/0 | seized none | USA to move": 1.0}
    # any other answer lets the offer lapse and is played as usual
    assert _next(dg, pending, "Hold") == {
        "USA 120 RUS 400 | restr 8/11 | seized USA,RUS | USA to move": 1.0}


def test_escalating_costs_the_escalator_its_own_cost(cal):
    free = dispute_game(cal, noise=0.0, own_cost_per_staff=0.0, own_cost_per_restriction=0.0)
    costly = dispute_game(cal, noise=0.0, own_cost_per_staff=1.0, own_cost_per_restriction=5.0)
    s = free.baseline["USA"]
    diff = _payoff(free, s, "Escalate") - _payoff(costly, s, "Escalate")
    assert diff == pytest.approx([55 * 1.0 + 2 * 5.0, 0.0])
    # escalation seizes the other side's property
    assert all("seized RUS" in k for k in _next(free, s, "Escalate"))


@pytest.mark.parametrize(("changes", "key"), [
    ({"seize_level": "Nuke"}, "dynamic.seize_level"),
    ({"own_cost_per_staff": {"USA": 1.0}}, "dynamic.own_cost_per_staff.RUS"),
    ({"staff_grid": [0.0, 1.5]}, "dynamic.staff_grid"),
    ({"discount_per_year": 1.0}, "dynamic.discount_per_year"),
    ({"offer": "maybe"}, "dynamic.offer"),
])
def test_bad_dynamic_parameters_name_the_key(cal, changes, key):
    with pytest.raises(ParameterError, match=key.replace(".", r"\.")):
        dispute_game(cal, **changes)


def test_restraint_is_self_enforcing_without_relative_gains_and_not_with_them(cal):
    """The Markov-perfect equilibria found are verified; with no parity (relative-gains)
    weight the side to move holds at the baseline, with the shipped weight it escalates
    (the parity term pays a side for every member of the other mission it removes, every
    turn, against a one-off own cost)."""
    r = dynamic_analysis(cal, discounts=(0.8,), parity_weights=(0.0, 0.5), cost_scales=(1.0,))
    assert all(eq.max_gain < 1e-6 for eq in r.equilibria)
    assert r.region.restraint_in.tolist() == [1, 0]
    assert set(r.summary.start) == {"2021-12-31", "baseline, USA to move",
                                    "baseline, RUS to move"}
    paths = r.paths[(r.paths.equilibrium == 0) & (r.paths.start == "2021-12-31")]
    assert paths.turn.tolist() == list(range(r.turns + 1))
    assert paths.staff_USA.iloc[0] == 120 and paths.p_baseline.between(0, 1).all()
    assert "<table" in r._repr_html_()


def test_simulated_play_matches_the_exact_expectation_of_the_chain(cal):
    """Always escalate against the Markov-perfect opponent, no noise: the simulated mean
    discounted payoff agrees with the expectation computed from the state chain."""
    from gametheory.analysis import dynamic_compare
    from gametheory.analysis.dynamic import MARKOV_PERFECT
    from gametheory.solvers import iterated_best_response

    turns, reps = 12, 400
    res = dynamic_compare(cal, "Always escalate", "Tit for tat", [MARKOV_PERFECT],
                          sides=["USA"], noise_levels=[0.0], discounts=[0.8], turns=turns,
                          repetitions=reps, seed=5)
    row = res.outcomes[res.outcomes.strategy == "Always escalate"].iloc[0]
    dg = dispute_game(cal, noise=0.0)
    eq = iterated_best_response(dispute_game(cal).game)[0]
    g, n = dg.game, len(dg.game.states)
    esc = cal.levels.index("Escalate")
    P, u = np.zeros((n, n)), np.zeros(n)
    for s in range(n):
        stage = g.stage_games[s]
        mover = int(np.argmax(stage.shape))
        p = np.zeros(stage.shape[mover])
        if mover == 0:
            p[esc] = 1.0
        else:
            p = eq.strategies[s][1]
        T = g.transition(s).reshape(len(p), n)
        pay = stage.payoffs.reshape(len(p), 2)[:, 0]
        P[s], u[s] = p @ T, p @ pay
    x = np.zeros(n)
    x[dg.start] = 1.0
    w = turn_discount(cal, 0.8) ** np.arange(turns)
    exact = 0.0
    for t in range(turns):
        exact += w[t] * (x @ u)
        x = x @ P
    exact /= w.sum()
    assert row.low <= exact <= row.high
    assert abs(row.payoff - exact) < 0.05 * abs(exact)


def test_dynamic_compare_is_reproducible_and_fresh_initiatives_open(cal):
    from gametheory.analysis import dynamic_compare

    kw = dict(opponents=["Always escalate"], sides=["RUS"], noise_levels=[0.0, 0.1],
              discounts=[0.8], turns=4, repetitions=6, seed=11)
    a, b = dynamic_compare(cal, **kw), dynamic_compare(cal, **kw)
    assert a.outcomes.equals(b.outcomes)
    # Russia does not move first from the 2021 state; its fresh offer to zero all comes
    # at its first turn and restores the US mission at once
    tr = a.trajectories
    us = tr[(tr["second"] == "Zero all restrictions") & (tr.mission_of == "USA")
            & (tr.noise == 0.0)].set_index("turn").mean_staff
    assert us[0] == us[1] == 120 and us[2] == 1200
    with pytest.raises(ProfileError, match="noise"):
        dynamic_compare(cal, noise_levels=[1.5])


def test_dynamic_compare_plays_a_strategy_that_does_not_pickle_as_one_that_does(cal):
    """Placed strategies are set up once and copied by pickle per match; a strategy
    that cannot be pickled (a class defined in a function) is set up afresh per match
    instead, with the same play."""
    from gametheory.analysis import dynamic_compare
    from gametheory.strategies.classic import TitForTat

    class LocalTitForTat(TitForTat):     # same moves, but not picklable
        pass

    kw = dict(sides=["RUS"], noise_levels=[0.05], discounts=[0.8], turns=6,
              repetitions=8, seed=3)
    a = dynamic_compare(cal, opponents=["Tit for tat"], **kw)
    b = dynamic_compare(cal, opponents=[LocalTitForTat()], **kw)
    assert a.outcomes.drop(columns="opponent").equals(b.outcomes.drop(columns="opponent"))
