"""StochasticGame: construction, constructors, display and bad input."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import (
    DiscountFactorError,
    InputLimitError,
    LabelError,
    ShapeError,
    TransitionError,
    UnknownNameError,
)
from gametheory.games import StochasticGame, prisoners_dilemma


def big_match(delta=0.9):
    play = gt.Game.zero_sum([[1, 0], [0, 1]], actions=(("T", "B"), ("L", "R")))
    won, lost = gt.Game.zero_sum([[1]]), gt.Game.zero_sum([[0]])
    P = [[[0, 1, 0], [0, 0, 1]], [[1, 0, 0], [1, 0, 0]]]
    return StochasticGame([play, won, lost], [P, [[[0, 1, 0]]], [[[0, 0, 1]]]],
                          discount=delta, states=("play", "won", "lost"))


def test_a_value_with_labels_and_read_only_arrays():
    g = big_match()
    assert g.n_states == 3 and g.n_players == 2 and g.discount == (0.9, 0.9)
    assert g.stage("won").shape == (1, 1) and g.state_index("lost") == 2
    assert g.transition("play")[0, 0].tolist() == [0, 1, 0]
    with pytest.raises(ValueError):
        g.transition(0)[0, 0, 0] = 0.5
    with pytest.raises(AttributeError):
        g.discount = (0.5, 0.5)
    assert g == big_match() and hash(g) == hash(big_match()) and g != big_match(0.8)
    frame = g.to_frame()
    assert len(frame) == 6 and frame.loc[0, "next"] == "won: 1"
    assert "Markov" not in g._repr_html_() and "play" in g._repr_html_()


def test_per_player_discount_factors():
    g = StochasticGame.from_repeated(gt.RepeatedGame(prisoners_dilemma(), 0.6))
    h = StochasticGame([g.stage(0)], [np.ones((2, 2, 1))], discount=(0.6, 0.3))
    assert h.discount == (0.6, 0.3) and "0.6, 0.3" in repr(h)


def test_from_step_finds_the_reachable_states():
    def acts(k):
        return (("hold", "raise"), ("hold", "raise")) if k < 2 else (("hold",), ("hold",))

    def step(k, a):
        return [(0.5, min(2, k + a.count("raise"))), (0.5, k)]

    g = StochasticGame.from_step(0, actions=acts, payoff=lambda k, a: (-k, -k), step=step,
                                 discount=0.9, players=("USA", "RUS"))
    assert g.states == ("0", "1", "2") and g.players == ("USA", "RUS")
    assert g.transition("0")[1, 1].tolist() == [0.5, 0, 0.5]
    assert g.stage("2").shape == (1, 1)
    with pytest.raises(ShapeError, match=r"state '0', profile \('hold', 'hold'\): payoff"):
        StochasticGame.from_step(0, actions=acts, payoff=lambda k, a: (0,), step=step,
                                 discount=0.9)
    with pytest.raises(InputLimitError, match="more than 2 reachable"):
        StochasticGame.from_step(0, actions=acts, payoff=lambda k, a: (0, 0), step=step,
                                 discount=0.9, max_states=2)


@pytest.mark.parametrize(("transitions", "error", "message"), [
    ([[[0.5, 0.4], [0, 1]], [[1, 0], [0, 1]]], TransitionError,
     r"state '0', profile \(A, C\): next-state probabilities sum to 0.9"),
    ([[[1.5, -0.5], [0, 1]], [[1, 0], [0, 1]]], TransitionError,
     r"state '0', profile \(A, C\): negative probability -0.5 of moving to '1'"),
    ([[[np.nan, 1], [0, 1]], [[1, 0], [0, 1]]], TransitionError, "NaN or infinite"),
    ([[[1, 0, 0], [0, 1, 0]], [[1, 0], [0, 1]]], ShapeError, r"state '0': .* expected \(2, 1, 2\)"),
])
def test_bad_transitions_name_the_state_and_profile(transitions, error, message):
    g = gt.Game.from_bimatrix([[1], [0]], [[0], [1]], actions=(("A", "B"), ("C",)))
    with pytest.raises(error, match=message):
        StochasticGame([g, g], [np.array(t, dtype=float).reshape(-1)
                                .reshape((2, 1, -1)) for t in transitions], discount=0.9)


def test_other_bad_input():
    g = gt.Game.from_bimatrix([[1]], [[0]])
    one = [np.ones((1, 1, 1))]
    with pytest.raises(DiscountFactorError):
        StochasticGame([g], one, discount=1.0)
    with pytest.raises(DiscountFactorError):
        StochasticGame([g], one, discount=(0.9, 0))
    with pytest.raises(LabelError, match="players"):
        StochasticGame([g, g.relabel(players=("A", "B"))], [np.ones((1, 1, 2)) / 2] * 2, 0.9)
    with pytest.raises(LabelError, match="duplicated"):
        StochasticGame([g, g], [np.ones((1, 1, 2)) / 2] * 2, 0.9, states=("x", "x"))
    with pytest.raises(ShapeError, match="at least one state"):
        StochasticGame([], [], 0.9)
    with pytest.raises(UnknownNameError):
        StochasticGame([g], one, 0.9).stage("nowhere")


def test_a_stochastic_game_pickles_and_stays_immutable():
    """Worker processes receive games by pickle: the copy is equal, its transition
    arrays read-only, and it refuses assignment like the original."""
    import pickle

    from gametheory.analysis import calibrate, dispute_game

    game = dispute_game(calibrate()).game
    copy = pickle.loads(pickle.dumps(game))
    assert copy == game and hash(copy) == hash(game)
    assert not copy.transition(0).flags.writeable
    with pytest.raises(AttributeError, match="immutable"):
        copy.title = "changed"
