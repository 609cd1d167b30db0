"""Tournaments: ranking, payoff matrix, serial = parallel, failures reported."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import gametheory as gt
import gametheory.strategies as gs
from gametheory.games import embassy_dispute

BASIC = [gs.Alternator(), gs.AntiTitForTat(), gs.Bully(), gs.Cooperator(), gs.Cycler("DC"),
         gs.Defector(), gs.GoByMajority(), gs.SuspiciousTitForTat(), gs.TitForTat(),
         gs.WinStayLoseShift()]


def test_payoff_matrix_matches_single_matches():
    res = gt.Tournament(BASIC, turns=50, repetitions=2, seed=0).run()
    for i, j in [(8, 5), (0, 3), (6, 7)]:
        m = gt.play(BASIC[i], BASIC[j], turns=50)
        assert res.payoff_matrix[i, j] == pytest.approx(m.mean_payoffs[0])
        assert res.payoff_matrix[j, i] == pytest.approx(m.mean_payoffs[1])
    assert res.ranking[0] in ("Tit for tat", "Go by majority", "Win-stay lose-shift",
                              "Defector", "Bully", "Suspicious tit for tat")
    assert len(res.to_frame()) == 2 * 10 * 10


def test_serial_equals_parallel_with_noise():
    kw = {"turns": 60, "repetitions": 3, "noise": 0.05, "seed": 123}
    serial = gt.Tournament([*BASIC, gs.Random(), gs.GenerousTitForTat()], **kw).run()
    parallel = gt.Tournament([*BASIC, gs.Random(), gs.GenerousTitForTat()], processes=2,
                             chunk_size=7, **kw).run()
    python = gt.Tournament([*BASIC, gs.Random(), gs.GenerousTitForTat()], engine="python",
                           **kw).run()
    assert np.array_equal(serial.scores, parallel.scores, equal_nan=True)
    assert np.array_equal(serial.scores, python.scores, equal_nan=True)
    other = gt.Tournament([*BASIC, gs.Random(), gs.GenerousTitForTat()],
                          **{**kw, "seed": 124}).run()
    assert not np.array_equal(serial.scores, other.scores, equal_nan=True)


def test_self_play_switch():
    with_self = gt.Tournament([gs.TitForTat(), gs.Defector()], turns=10, repetitions=1).run()
    without = gt.Tournament([gs.TitForTat(), gs.Defector()], turns=10, repetitions=1,
                            self_play=False).run()
    assert not np.isnan(with_self.scores[0, 0, 0]) and np.isnan(without.scores[0, 0, 0])
    assert with_self.mean_scores[0] == pytest.approx((3 + 0.9) / 2)
    assert without.mean_scores[0] == pytest.approx(0.9)


def test_failing_strategy_is_reported_not_raised():
    class Crashes(gs.Strategy):
        name = "Crashes"

        def decide(self, history):
            if len(history.own) == 3:
                raise RuntimeError("boom")
            return 0

    res = gt.Tournament([gs.TitForTat(), Crashes(), gs.Defector()], turns=10,
                        repetitions=2).run()
    failed = {(a, b) for a, b, _ in res.errors}
    assert ("Tit for tat", "Crashes") in failed and "boom" in res.errors[0][2]
    assert not np.isnan(res.scores[0, 0, 2])  # TFT vs Defector kept


def test_asymmetric_game_plays_both_roles():
    game = embassy_dispute()
    res = gt.Tournament([gs.ZeroAllRestrictions(), gs.TitForTat(), gs.AlwaysEscalate()],
                        game=game, turns=20, repetitions=1, magnitudes=[(-1, 0, 1)] * 2,
                        self_play=False).run()
    # ordered pairs: 6 matches, each strategy as US (row) and as Russia (column)
    off = ~np.eye(3, dtype=bool)
    assert np.isfinite(res.row_scores[0][off]).all()
    assert np.isfinite(res.column_scores[0][off]).all()
    m = gt.play(gs.ZeroAllRestrictions(), gs.AlwaysEscalate(), game=game, turns=20,
                magnitudes=[(-1, 0, 1)] * 2)
    assert res.row_scores[0, 0, 2] == pytest.approx(m.mean_payoffs[0])
    assert res.column_scores[0, 0, 2] == pytest.approx(m.mean_payoffs[1])
    back = gt.play(gs.AlwaysEscalate(), gs.ZeroAllRestrictions(), game=game, turns=20,
                   magnitudes=[(-1, 0, 1)] * 2)
    # ZeroAll's score against AlwaysEscalate averages its two roles
    assert res.scores[0, 0, 2] == pytest.approx((m.mean_payoffs[0] + back.mean_payoffs[1]) / 2)


def test_plot_and_html():
    res = gt.Tournament(BASIC[:4], turns=10, repetitions=3, seed=2).run()
    ax = res.plot()
    assert ax.get_ylabel() == "mean payoff per turn"
    assert "Tournament of 4 strategies" in res._repr_html_()


class _Sleeper(__import__("gametheory").strategies.Strategy):
    """A user strategy whose decision never returns in time."""

    name = "Sleeper"

    def decide(self, history):
        import time

        time.sleep(30)
        return 0


class _Quitter(__import__("gametheory").strategies.Strategy):
    """A user strategy that calls sys.exit."""

    name = "Quitter"

    def decide(self, history):
        import sys

        sys.exit(3)


def test_misbehaving_strategies_cost_only_their_own_matches():
    import time

    import gametheory as gt
    from gametheory.strategies import Cooperator, Defector, TitForTat

    started = time.perf_counter()
    res = gt.Tournament([TitForTat(), _Sleeper(), _Quitter(), Defector(), Cooperator()],
                        turns=5, repetitions=1, seed=1, decide_timeout=0.2).run()
    assert time.perf_counter() - started < 20
    failed = {(a, b) for a, b, _ in res.errors}
    assert ("Sleeper", "Sleeper") in failed and ("Quitter", "Defector") in failed
    messages = " ".join(m for _, _, m in res.errors)
    assert "did not return within 0.2 s" in messages and "sys.exit(3)" in messages
    good = res.players.index("Tit for tat"), res.players.index("Defector")
    assert np.isfinite(res.payoff_matrix[good])
    assert res.ranking[0] in ("Tit for tat", "Defector", "Cooperator")


@pytest.mark.parametrize("noise,observation", [(0.0, 0.0), (0.1, 0.0), (0.05, 0.2)])
def test_compiled_turn_loop_plays_move_for_move_as_plain_python(noise, observation,
                                                                monkeypatch):
    """Memory-one strategies (deterministic and stochastic) and automata are played by
    the compiled turn loop; every executed, intended and observed move and every
    payoff equals the plain-Python engine's."""
    from gametheory.iterated import engine as eng
    from gametheory.iterated.engine import match_keys, run_matches

    called = []
    monkeypatch.setattr(eng, "COMPILED_FROM", 0)
    real = eng._play_compiled
    monkeypatch.setattr(eng, "_play_compiled",
                        lambda *a, **k: called.append(1) or real(*a, **k))
    players = [p for p in BASIC if p.name != "Go by majority"] + [
        gs.GenerousTitForTat(), gs.GrimTrigger(), gs.ZeroDeterminant()]
    pairs = [(a, b) for a in players for b in players]
    keys = match_keys(np.random.SeedSequence(7), np.arange(len(pairs))[:, None])
    game = gt.games.prisoners_dilemma()
    fast = run_matches(game, pairs, keys, turns=40, noise=noise,
                       observation_noise=observation)
    assert called, "the compiled loop was not taken"
    slow = run_matches(game, pairs, keys, turns=40, noise=noise,
                       observation_noise=observation, engine="python")
    for name in ("executed", "intended", "observed", "payoffs"):
        assert np.array_equal(getattr(fast, name), getattr(slow, name)), name
    short = run_matches(game, pairs, keys, turns=40, noise=noise,
                        observation_noise=observation, summary=True)
    assert np.allclose(short.totals, slow.payoffs.sum(axis=1))


def test_match_summaries_score_the_moves_played_not_the_moves_misread():
    """With observation noise a summary's totals are the payoffs of what was played
    (a misread move changes the reader's next decision, not the payoff), on the
    NumPy path (Random is decided outside the compiled families) as on the compiled."""
    from gametheory.iterated.engine import match_keys, run_matches

    pairs = [(gs.TitForTat(), gs.Random()), (gs.Random(), gs.WinStayLoseShift())]
    keys = match_keys(np.random.SeedSequence(3), np.arange(len(pairs))[:, None])
    game = gt.games.prisoners_dilemma()
    full = run_matches(game, pairs, keys, turns=60, observation_noise=0.3)
    short = run_matches(game, pairs, keys, turns=60, observation_noise=0.3, summary=True)
    assert np.array_equal(short.totals, full.payoffs.sum(axis=1))
    assert (full.observed != full.executed[:, :, ::-1]).any()    # misreads happened
