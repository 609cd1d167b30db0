"""The Game model: construction, validation, values, payoffs, display."""

from __future__ import annotations

import pickle
from fractions import Fraction

import nashpy
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gametheory import Game, GameError, MixedStrategy
from gametheory.errors import LabelError, PayoffError, ProfileError, ShapeError, UnknownNameError
from gametheory.games import embassy_dispute, matching_pennies, prisoners_dilemma

from ..conftest import bimatrix_games


def test_payoff_profile_convention():
    g = Game.from_bimatrix([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    assert g.payoffs.shape == (2, 2, 2)
    assert g.payoffs[1, 0].tolist() == [3.0, 7.0]
    A, B = g.bimatrix
    assert A.tolist() == [[1, 2], [3, 4]] and B.tolist() == [[5, 6], [7, 8]]


def test_three_player_game_from_arrays():
    rng = np.random.default_rng(1)
    arrays = [rng.integers(0, 5, (2, 3, 2)) for _ in range(3)]
    g = Game.from_payoff_arrays(arrays)
    assert g.shape == (2, 3, 2) and g.n_players == 3
    assert np.array_equal(g.payoff_array(2), arrays[2])
    # expected payoff of a mixed profile equals the explicit sum
    sigma = [np.array([0.3, 0.7]), np.array([0.2, 0.5, 0.3]), np.array([0.6, 0.4])]
    explicit = sum(sigma[0][a] * sigma[1][b] * sigma[2][c] * g.payoffs[a, b, c]
                   for a in range(2) for b in range(3) for c in range(2))
    assert np.allclose(g.payoff(sigma), explicit)


def test_games_are_immutable_values():
    g = prisoners_dilemma()
    with pytest.raises(ValueError):
        g.payoffs[0, 0, 0] = 10
    with pytest.raises(AttributeError):
        g.title = "other"
    h = prisoners_dilemma()
    assert g == h and hash(g) == hash(h) and g.digest() == h.digest()
    assert g != prisoners_dilemma(R=4)
    assert len({g, h}) == 1
    assert pickle.loads(pickle.dumps(g)) == g


def test_exact_payoffs():
    g = Game.from_bimatrix([[1, "1/3"]], [[0.5, "0.1"]])
    ex = g.exact_payoffs
    assert ex[0, 1, 0] == Fraction(1, 3) and ex[0, 1, 1] == Fraction(1, 10)
    assert ex[0, 0, 1] == Fraction(1, 2)
    assert Game.from_bimatrix([[0.1]], [[0]]).exact_payoffs is None  # 0.1 is not exact in binary
    assert prisoners_dilemma().is_exact


@pytest.mark.parametrize(
    ("A", "B", "error", "match"),
    [
        ([[1, 2], [3]], [[1, 2], [3, 4]], ShapeError, "ragged"),
        ([[1, 2]], [[1, 2], [3, 4]], ShapeError, "shape"),
        ([[1, np.nan]], [[1, 2]], PayoffError, r"A\[0, 1\] is nan"),
        ([[1, 2]], [[np.inf, 2]], PayoffError, "finite"),
        ([["a", 2]], [[1, 2]], PayoffError, "not a finite real"),
        ([[1j, 2]], [[1, 2]], PayoffError, "real"),
        ([1, 2], [1, 2], ShapeError, "2-dimensional"),
    ],
)
def test_bad_payoffs_raise_typed_errors(A, B, error, match):
    with pytest.raises(error, match=match):
        Game.from_bimatrix(A, B)


def test_bad_profile_arrays():
    with pytest.raises(ShapeError, match="last axis"):
        Game(np.zeros((2, 2, 3)))
    with pytest.raises(ShapeError, match="at least one action"):
        Game(np.zeros((0, 2, 2)))
    with pytest.raises(GameError):
        Game([[[1, 2], [3, 4]], [[5, 6]]])


def test_labels_validated():
    with pytest.raises(LabelError, match="duplicate"):
        Game.from_bimatrix([[1, 2]], [[1, 2]], actions=[["a"], ["x", "x"]])
    with pytest.raises(LabelError, match="expected 2 labels"):
        Game.from_bimatrix([[1, 2]], [[1, 2]], players=["only one"])
    with pytest.raises(LabelError, match="sequence of strings"):
        Game.from_bimatrix([[1, 2]], [[1, 2]], players="AB")


@pytest.mark.parametrize(
    ("profile", "match"),
    [
        ([[0.5, 0.6], [0.5, 0.5]], "sum to"),
        ([[1.5, -0.5], [0.5, 0.5]], "negative probability"),
        ([[np.nan, 1], [0.5, 0.5]], "NaN"),
        ([[1, 0, 0], [0.5, 0.5]], "3 probabilities for 2 actions"),
        ([[1, 0]], "1 entries for 2 players"),
        ("CD", "sequence"),
    ],
)
def test_bad_profiles_raise(profile, match):
    with pytest.raises(ProfileError, match=match):
        matching_pennies().payoff(profile)


def test_unknown_action_label_lists_valid_ones():
    with pytest.raises(UnknownNameError, match="Cooperate, Defect"):
        prisoners_dilemma().payoff(["Cooperate", "Deflect"])


def test_best_responses_and_regret():
    g = prisoners_dilemma()
    assert g.best_responses(["Cooperate", "Cooperate"]) == ((1,), (1,))
    assert g.best_responses([[0.5, 0.5], [0.5, 0.5]], player=1) == (1,)
    assert np.allclose(g.regret(["Cooperate", "Cooperate"]), [2.0, 2.0])
    assert g.is_nash(["Defect", "Defect"]) and not g.is_nash(["Cooperate", "Defect"])
    # ties: every action is a best response to uniform play in matching pennies
    assert matching_pennies().best_responses([[0.5, 0.5], [0.5, 0.5]], player=0) == (0, 1)


def test_constructors_from_other_libraries():
    nashpy_game = nashpy.Game(np.array([[1, 2], [3, 0]]), np.array([[0, 2], [3, 1]]))
    g = Game.from_nashpy(nashpy_game)
    assert np.array_equal(g.bimatrix[1], [[0, 2], [3, 1]])
    back = g.to_nashpy()
    assert np.array_equal(back.payoff_matrices[0], [[1, 2], [3, 0]])
    pygambit = pytest.importorskip("pygambit")
    pg = pygambit.StrategicGame.from_arrays(np.array([[1, 2], [3, 0]]),
                                            np.array([[0, 2], [3, 1]]), title="t")
    h = Game.from_pygambit(pg)
    assert np.array_equal(h.payoffs, g.payoffs) and h.title == "t"
    assert h.exact_payoffs[0, 1, 0] == 2


def test_zero_sum_constructor():
    g = Game.zero_sum([[1, -2], [0, 3]])
    assert g.is_zero_sum and g.is_constant_sum
    assert np.array_equal(g.bimatrix[1], [[-1, 2], [0, -3]])
    assert not prisoners_dilemma().is_constant_sum


def test_to_frame_is_tidy():
    df = embassy_dispute().to_frame()
    assert len(df) == 9
    assert list(df.columns) == ["US", "Russia", "payoff US", "payoff Russia"]
    row = df[(df["US"] == "Zero all") & (df["Russia"] == "Zero all")].iloc[0]
    assert (row["payoff US"], row["payoff Russia"]) == (3.0, 2.0)


def test_rich_display_marks_pure_equilibria():
    g = Game.from_bimatrix([[1, 0]], [[0, 1]], players=["<US>", "RU"],
                           actions=[["a&b"], ["x", "y"]])
    html = g._repr_html_()
    assert "&lt;US&gt;" in html and "a&amp;b" in html  # labels escaped
    assert html.count("gt-ne") == 2  # one style rule + the equilibrium cell (0, 1)
    latex = embassy_dispute()._repr_latex_()
    assert r"\boxed{-2, -1}" in latex and latex.count(r"\boxed") == 1
    assert "Retaliate" in str(embassy_dispute())
    assert repr(prisoners_dilemma()).startswith("Game(")
    three = Game(np.zeros((2, 2, 2, 3)))
    assert three._repr_html_().count("<tr>") == 9  # header + 8 profiles


def test_strategy_is_labelled_and_array_like():
    s = MixedStrategy([Fraction(1, 3), Fraction(2, 3)], actions=["Hold", "Expel"], player="US")
    assert s.exact and s["Expel"] == Fraction(2, 3)
    assert np.allclose(np.asarray(s), [1 / 3, 2 / 3])
    assert s.support == (0, 1) and s.as_dict() == {"Hold": Fraction(1, 3),
                                                     "Expel": Fraction(2, 3)}
    with pytest.raises(UnknownNameError):
        s["Zero"]


@given(bimatrix_games())
def test_pure_equilibria_agree_with_is_nash(game):
    pure = set(game.pure_equilibria())
    for idx in np.ndindex(*game.shape):
        assert (idx in pure) == game.is_nash(list(idx))


@given(bimatrix_games(), st.floats(0.1, 10), st.floats(-10, 10))
def test_regret_scales_with_positive_affine_transform(game, a, b):
    A, B = game.bimatrix
    scaled = Game.from_bimatrix(a * A + b, B)
    rng = np.random.default_rng(0)
    x = rng.dirichlet(np.ones(game.shape[0]))
    y = rng.dirichlet(np.ones(game.shape[1]))
    r0, r1 = game.regret([x, y]), scaled.regret([x, y])
    assert np.allclose(r1[0], a * r0[0], atol=1e-9) and np.allclose(r1[1], r0[1])


def test_batch_profile_values_known_answer():
    # matching pennies at (1/2, 1/2): both players earn 0 and cannot gain
    from gametheory.games.normal_form import batch_profile_values

    g = matching_pennies()
    rows = np.array([[0.5, 0.5, 0.5, 0.5], [1.0, 0.0, 1.0, 0.0]])
    values, regrets = batch_profile_values(g.payoffs, rows)
    np.testing.assert_allclose(values, [[0, 0], [1, -1]], atol=1e-15)
    np.testing.assert_allclose(regrets, [[0, 0], [0, 2]], atol=1e-15)


@given(shape=st.lists(st.integers(1, 3), min_size=1, max_size=4),
       seed=st.integers(0, 2**32 - 1), count=st.integers(0, 4))
def test_batch_profile_values_agree_with_one_contraction_per_profile(shape, seed, count):
    # the batch (one einsum per player for all rows) equals each row's action values
    from gametheory.games.normal_form import action_values, batch_profile_values

    rng = np.random.default_rng(seed)
    payoffs = rng.normal(size=(*shape, len(shape)))
    sigmas = [[rng.dirichlet(np.ones(m)) for m in shape] for _ in range(count)]
    rows = (np.array([np.concatenate(s) for s in sigmas]) if count
            else np.zeros((0, sum(shape))))
    values, regrets = batch_profile_values(payoffs, rows)
    assert values.shape == regrets.shape == (count, len(shape))
    for r, sigma in enumerate(sigmas):
        for i in range(len(shape)):
            v = action_values(payoffs[..., i], sigma, i)
            assert values[r, i] == pytest.approx(v @ sigma[i], abs=1e-12)
            assert regrets[r, i] == pytest.approx(v.max() - v @ sigma[i], abs=1e-12)


def test_profile_values_refuse_a_profile_of_the_wrong_shape():
    # the same number of probabilities split differently is not silently re-split
    from gametheory.games.normal_form import batch_profile_values, profile_values

    g = prisoners_dilemma()
    with pytest.raises(ShapeError, match="for a game of shape"):
        profile_values(g.payoffs, [[0.2, 0.3, 0.5], [1.0]])
    with pytest.raises(ShapeError, match="rows of 4"):
        batch_profile_values(g.payoffs, np.ones((2, 3)))
