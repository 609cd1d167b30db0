"""Strategy classes: registry, conformance, scripted behaviour, bad input."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import gametheory as gt
import gametheory.strategies as gs
from gametheory.errors import GameError, UnknownNameError
from gametheory.games import embassy_dispute, prisoners_dilemma
from gametheory.iterated.engine import make_views
from gametheory.strategies.base import StrategyError

PD = prisoners_dilemma()
EMBASSY = embassy_dispute()
SIGNED = [(-1, 0, 1)] * 2  # zero all, hold, retaliate


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_registry_holds_every_public_strategy_class():
    from gametheory.analysis.scenarios import Continuing

    # Continuing wraps another strategy with a record; it is not a strategy of its own
    wrappers = {Continuing}
    public = {c for c in _subclasses(gs.Strategy)
              if not c.__name__.startswith("_") and c.__module__.startswith("gametheory")
              and c not in wrappers}
    assert public == set(gs.all_strategies())
    assert len(gs.all_strategies()) >= 30


@pytest.mark.parametrize("cls", gs.all_strategies(), ids=lambda c: c.__name__)
def test_every_strategy_passes_check_strategy(cls):
    assert gs.check_strategy(cls) == []
    assert cls.__doc__ and inspect.getdoc(cls)


def test_filter_by_classifier():
    diplomatic = {c.__name__ for c in gs.filter_strategies(diplomatic=True)}
    assert {"ZeroAllRestrictions", "Commensurate", "ParitySeeking", "GRIT"} <= diplomatic
    memoryless = gs.filter_strategies(memory_depth=lambda d: d == 0)
    assert gs.Random in memoryless and gs.TitForTat not in memoryless


def test_unknown_name_lists_close_matches():
    with pytest.raises(UnknownNameError, match="TitForTat"):
        gs.get_strategy("TitForTatt")
    assert gs.get_strategy("grit") == gs.GRIT()


def _moves(a, b, game=PD, turns=8, **kw):
    return gt.play(a, b, game=game, turns=turns, **kw).actions.T.tolist()


@pytest.mark.parametrize(("strategy", "opponent", "expected"), [
    (gs.TitForTat(), gs.Alternator(), [0, 0, 1, 0, 1, 0]),
    (gs.TitForTat(), gs.Defector(), [0, 1, 1, 1, 1, 1]),
    (gs.SuspiciousTitForTat(), gs.Cooperator(), [1, 0, 0, 0, 0, 0]),
    (gs.TitForTwoTats(), gs.Defector(), [0, 0, 1, 1, 1, 1]),
    (gs.TwoTitsForTat(), gs.Cycler("DCCCCC"), [0, 1, 1, 0, 0, 0]),
    (gs.HardTitForTat(), gs.Cycler("DCCCCC"), [0, 1, 1, 1, 0, 0]),
    (gs.GrimTrigger(), gs.Cycler("CDCCCC"), [0, 0, 1, 1, 1, 1]),
    (gs.WinStayLoseShift(), gs.Defector(), [0, 1, 0, 1, 0, 1]),
    (gs.SoftGrudger(), gs.Cycler("DCCCCCCC"), [0, 1, 1, 1, 1, 0, 0, 0]),
    # Axelrod's test_strategies/test_grudger.py (SoftGrudger): a defection during the
    # punishment's last C starts a new punishment; one during D, D, D, D, C is ignored
    (gs.SoftGrudger(), gs.Cycler("DCCCCCD" + "C" * 7),
     [0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0]),
    (gs.SoftGrudger(), gs.Cycler("DCCDCDC" + "C" * 7),
     [0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    (gs.Gradual(), gs.Cycler("DCCCCCCC"), [0, 1, 0, 0, 0, 0, 0, 0]),
    (gs.Prober(), gs.Cooperator(), [1, 0, 0, 1, 1, 1]),
    (gs.Prober(), gs.TitForTat(), [1, 0, 0, 0, 0, 0]),
    (gs.GoByMajority(), gs.Cycler("DDCCCC"), [0, 1, 1, 1, 0, 0]),
    (gs.Alternator(), gs.Cooperator(), [0, 1, 0, 1, 0, 1]),
    (gs.Bully(), gs.Cooperator(), [1, 1, 1, 1, 1, 1]),
    (gs.Observed([1, 0, 0]), gs.Cooperator(), [1, 0, 0, 0, 0, 0]),
])
def test_scripted_moves(strategy, opponent, expected):
    assert _moves(strategy, opponent, turns=len(expected))[0] == expected


def test_gradual_punishes_more_each_time():
    moves = _moves(gs.Gradual(), gs.Cycler("DCCCCD" + "C" * 10), turns=14)[0]
    assert moves[:6] == [0, 1, 0, 0, 0, 0]          # 1st defection: 1 D then 2 C
    assert moves[6:10] == [1, 1, 0, 0]              # 2nd: 2 D then 2 C


def test_contrite_tit_for_tat_ends_the_echo():
    """After its own mistake, contrite TFT accepts the punishment instead of echoing."""
    res = gt.play(gs.ContriteTitForTat(), gs.TitForTat(), turns=400, noise=0.02, seed=3)
    echo = gt.play(gs.TitForTat(), gs.TitForTat(), turns=400, noise=0.02, seed=3)
    assert res.cooperation.mean() > echo.cooperation.mean() + 0.1


def test_generous_tft_uses_molander_generosity():
    for game, g in ((prisoners_dilemma(), 1 / 3), (prisoners_dilemma(R=4), 0.75)):
        s = gs.GenerousTitForTat()
        s.reset(make_views(game)[0])
        assert s.generosity_ == pytest.approx(g)
        assert s.memory_one_vector() == pytest.approx((1, g, 1, g))


def test_diplomatic_strategies_in_the_graded_game():
    zero_vs_tft = _moves(gs.ZeroAllRestrictions(), gs.TitForTat(), EMBASSY, 5,
                         magnitudes=SIGNED)
    assert zero_vs_tft == [[0] * 5, [0] * 5]  # both zero all restrictions for good
    zero_vs_esc = _moves(gs.ZeroAllRestrictions(patience=2), gs.AlwaysEscalate(), EMBASSY, 5,
                         magnitudes=SIGNED)
    assert zero_vs_esc[0] == [0, 0, 2, 2, 2]  # offers twice, then answers in kind
    # commensurate with a cap: answers retaliation with at most "hold"
    capped = _moves(gs.Commensurate(cap=0, opening=1), gs.AlwaysEscalate(), EMBASSY, 4,
                    magnitudes=SIGNED)
    assert capped[0] == [1, 1, 1, 1]
    # parity: makes up a shortfall, then holds once even
    parity = _moves(gs.ParitySeeking(), gs.Observed([2, 1, 1, 1]), EMBASSY, 4,
                    magnitudes=SIGNED)
    assert parity[0] == [1, 2, 1, 1]
    # GRIT steps down from hold to zero all, retaliates when escalated against, resumes
    grit = _moves(gs.GRIT(patience=3), gs.Observed([1, 1, 2, 0, 0]), EMBASSY, 6,
                  magnitudes=SIGNED)
    assert grit[0] == [1, 0, 0, 2, 0, 0]


def test_grit_stops_stepping_without_reciprocation():
    moves = _moves(gs.GRIT(patience=1, start=2), gs.Observed([2, 2, 2, 2, 2, 2]), EMBASSY, 6,
                   magnitudes=SIGNED)[0]
    # met at its start level it steps down; after one unreciprocated step it suspends the
    # initiative and returns to its start, then tries again
    assert moves == [2, 1, 0, 2, 1, 0]


def test_zero_determinant_press_dyson_vectors():
    v = make_views(PD)[0]
    ext = gs.ZeroDeterminant("extortionate", chi=3)
    ext.reset(v)
    assert ext.memory_one_vector() == pytest.approx((11 / 13, 1 / 2, 7 / 26, 0))
    eq = gs.ZeroDeterminant("equalizer", score=2)
    eq.reset(v)
    assert eq.memory_one_vector() == pytest.approx((2 / 3, 0, 2 / 3, 1 / 3))
    with pytest.raises(StrategyError, match="outside"):
        bad = gs.ZeroDeterminant("extortionate", chi=3, phi=1.0)
        bad.reset(v)


def test_bad_probabilities():
    with pytest.raises(StrategyError, match="probabilities"):
        gt.play(gs.MemoryOne((1.5, 0, 1, 0)), gs.TitForTat(), turns=3)


@pytest.mark.parametrize(("strategy", "match"), [
    (gs.WinStayLoseShift(), "needs 2 actions"),
    (gs.Automaton([0, 1], [[0, 1]]), "missing transitions"),
    (gs.Automaton([0, 1], [[0, 5, 1], [1, 1, 1]]), "unknown state 5"),
    (gs.Observed(["Expel"]), "not an action"),
])
def test_strategies_that_do_not_fit_raise_typed_errors(strategy, match):
    with pytest.raises(StrategyError, match=match):
        gt.play(strategy, gs.TitForTat(), game=EMBASSY, turns=3)


def test_illegal_action_names_strategy_and_turn():
    class Broken(gs.Strategy):
        name = "Broken"

        def decide(self, history):
            return 7 if len(history.own) == 2 else 0

    with pytest.raises(StrategyError, match=r"Broken returned the illegal action 7 on turn 3"):
        gt.play(Broken(), gs.TitForTat(), turns=5)
    assert isinstance(StrategyError("x"), GameError)


class Hesitant(gs.Strategy):
    """A user's strategy: retaliate only after two defections in a row."""

    name = "Hesitant"

    def decide(self, history):
        return int(history.opponent[-2:] == [1, 1])


def test_user_strategy_needs_nothing_else():
    assert gs.check_strategy(Hesitant) == []
    res = gt.Tournament([Hesitant(), gs.TitForTat(), gs.Defector()], turns=20, repetitions=2,
                        seed=1).run()
    assert "Hesitant" in res.ranking and not res.errors


def test_clone_and_equality():
    s = gs.GRIT(step=1, patience=5)
    assert s.clone() == s and s.clone() is not s and s != gs.GRIT(patience=4)
    assert repr(s) == "GRIT(step=1, patience=5, start=None)"
    from gametheory.strategies._shared import _mirror

    assert np.array_equal(_mirror(make_views(EMBASSY, SIGNED)[0]), [0, 1, 2])
