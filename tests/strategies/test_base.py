"""The Strategy base class: one documented rule for classifiers, declared capabilities."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
import gametheory.strategies as gs
from gametheory.errors import StrategyError


def test_missing_partial_and_full_classifiers_follow_one_rule():
    class NoClassifier(gs.Strategy):
        name = "None given"

        def decide(self, history):
            return 0

    class Partial(gs.Strategy):
        name = "Partial"
        classifier = {"memory_depth": 1, "stochastic": True}

        def decide(self, history):
            return 0

    class Child(Partial):
        classifier = {"diplomatic": True}

    assert NoClassifier.classifier == gs.DEFAULT_CLASSIFIER
    assert Partial.classifier == {**gs.DEFAULT_CLASSIFIER, "memory_depth": 1,
                                  "stochastic": True}
    # a subclass's partial classifier builds on its parent's
    assert Child.classifier["stochastic"] and Child.classifier["diplomatic"]
    assert set(Child.classifier) == set(gs.DEFAULT_CLASSIFIER)


def test_unknown_classifier_key_is_refused_with_the_valid_ones():
    with pytest.raises(StrategyError, match=r"'memory'.*did you mean 'memory_depth'"):
        class Typo(gs.Strategy):
            name = "Typo"
            classifier = {"memory": 1}


def test_strategy_docstring_documents_every_key():
    for key in gs.DEFAULT_CLASSIFIER:
        assert key in gs.Strategy.__doc__


class Plain:
    """Looks like a strategy but does not subclass Strategy."""

    name = "Plain"
    classifier = {"memory_depth": 1}

    def decide(self, history):
        return 0


def test_a_plain_class_gets_the_same_message_everywhere():
    message = r"not a strategy: .*Strategy subclass"
    with pytest.raises(StrategyError, match=message):
        gt.play(Plain, "Defector", turns=3)
    with pytest.raises(StrategyError, match=message):
        gt.play(Plain(), "Defector", turns=3)
    with pytest.raises(StrategyError, match=message):
        gt.check_strategy(Plain)
    with pytest.raises(StrategyError, match=message):
        gt.Tournament([Plain(), gs.Defector()], turns=3)


class Minimal(gs.Strategy):
    """The smallest strategy: a name and a decision."""

    name = "Minimal"

    def decide(self, history):
        return 0 if not history.opponent else history.opponent[-1]


def test_a_minimal_subclass_passes_check_strategy():
    assert gt.check_strategy(Minimal) == []
    assert gs.check_strategy is gt.check_strategy        # the documented alias


def test_check_strategy_reports_bad_classifier_values():
    class BadValues(gs.Strategy):
        name = "Bad values"
        classifier = {"stochastic": "yes", "min_actions": 0}

        def decide(self, history):
            return 0

    problems = gt.check_strategy(BadValues)
    assert any("stochastic" in p for p in problems)
    assert any("min_actions" in p for p in problems)


def test_declared_capabilities():
    from gametheory.games import prisoners_dilemma
    from gametheory.games.views import make_views

    view = make_views(prisoners_dilemma())[0]
    tft, wsls, mini = gs.TitForTat(), gs.WinStayLoseShift(), Minimal()
    for s in (tft, wsls, mini):
        s.reset(view)
    out, trans = tft.as_automaton()       # start, then "copy C" and "copy D" states
    assert out.tolist() == [0, 0, 1] and trans.tolist() == [[1, 2]] * 3
    assert tft.as_memory_one() == (1.0, (1.0, 0.0, 1.0, 0.0))
    assert wsls.as_automaton() is None and wsls.as_memory_one()[1] == (1.0, 0.0, 0.0, 1.0)
    assert mini.as_automaton() is None and mini.as_memory_one() is None
    assert mini.batch_family() is None


def test_tournament_accepts_a_generator_as_seed():
    players = [gs.TitForTat(), gs.Random(), gs.Defector()]
    a = gt.Tournament(players, turns=20, repetitions=2, seed=np.random.default_rng(5)).run()
    b = gt.Tournament(players, turns=20, repetitions=2, seed=np.random.default_rng(5)).run()
    assert np.array_equal(a.scores, b.scores)
