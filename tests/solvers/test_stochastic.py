"""Stochastic-game solvers: known answers (the Big Match, an entry game, one-state
games), the MDP oracle, and property tests (every equilibrium passes the best-response
check; pruning loses nothing)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.errors import GameTooLargeError, ProfileError, SolverError, UnknownNameError
from gametheory.games import StochasticGame, matching_pennies, prisoners_dilemma
from gametheory.solvers import best_response_gain, markov_values, pure_markov_perfect, shapley
from tests.games.test_stochastic import big_match


@pytest.mark.parametrize("delta", [0.3, 0.8, 0.95])
def test_big_match_value_and_optimal_strategy(delta):
    """Blackwell and Ferguson (1968): the discounted value is 1/2 for every δ; player 1
    stops (T) with probability (1 - δ)/(2 - δ), player 2 mixes 1/2, 1/2."""
    res = gt.solve(big_match(delta), method="shapley")
    assert res.value == pytest.approx([0.5, 1.0, 0.0], abs=1e-8)
    x, y = res[0].strategies[0]
    assert x[0] == pytest.approx((1 - delta) / (2 - delta), abs=1e-6)
    assert y == pytest.approx([0.5, 0.5], abs=1e-6)
    assert res[0].max_gain < 1e-7 and res.guarantee == "one"


def test_one_state_zero_sum_is_the_matrix_game():
    g = StochasticGame.from_repeated(gt.RepeatedGame(matching_pennies(), 0.7))
    res = shapley(g)
    assert res.value == pytest.approx([0.0], abs=1e-9)
    assert res[0].strategies[0][0] == pytest.approx([0.5, 0.5], abs=1e-7)
    with pytest.raises(SolverError, match="zero-sum"):
        shapley(StochasticGame.from_repeated(gt.RepeatedGame(prisoners_dilemma(), 0.7)))


def _entry_game():
    """Entrant (player 1) stays out or enters; then the incumbent fights or accommodates;
    outcomes are absorbing."""
    def acts(state):
        return {"entry": (("Out", "In"), ("wait",)), "response": (("wait",),
                ("Fight", "Accommodate"))}.get(state, (("-",), ("-",)))

    outcome = {"out": (0, 2), "fought": (-1, -1), "shared": (1, 1)}

    def pay(state, a):
        return outcome.get(state, (0, 0))

    def step(state, a):
        if state == "entry":
            return [(1, "out" if a[0] == "Out" else "response")]
        if state == "response":
            return [(1, "fought" if a[1] == "Fight" else "shared")]
        return [(1, state)]

    return StochasticGame.from_step("entry", actions=acts, payoff=pay, step=step,
                                    discount=0.9, players=("Entrant", "Incumbent"))


def test_alternating_moves_give_the_backward_induction_solution():
    res = gt.solve(_entry_game())                       # default: pure_markov
    assert res.guarantee == "all" and len(res) == 1
    acts = res[0].actions()
    assert acts["entry"] == ("In", "wait") and acts["response"] == ("wait", "Accommodate")
    # (Out, Fight) is a Nash equilibrium of the whole game but not Markov perfect
    values = res[0].values[:, _entry_game().state_index("entry")]
    assert values == pytest.approx([0.81, 0.81])    # two rounds of 0, then 1 forever: δ²


def test_one_state_pure_equilibria_are_the_stage_games():
    g = StochasticGame.from_repeated(gt.RepeatedGame(prisoners_dilemma(), 0.95))
    res = pure_markov_perfect(g)
    assert [eq.actions()["stage"] for eq in res] == [("Defect", "Defect")]
    assert res.details["actions_pruned"] == 0      # at δ = 0.95 nothing can be ruled out
    low = pure_markov_perfect(StochasticGame.from_repeated(
        gt.RepeatedGame(prisoners_dilemma(), 0.1)))
    assert low.details["actions_pruned"] == 2 and len(low) == 1


def test_markov_values_and_gains_of_a_non_equilibrium():
    g = StochasticGame.from_repeated(gt.RepeatedGame(prisoners_dilemma(), 0.6))
    coop = [[[1, 0], [1, 0]]]
    assert markov_values(g, coop).ravel() == pytest.approx([3, 3])
    assert best_response_gain(g, coop) == pytest.approx([2, 2])     # 5 - 3 each
    with pytest.raises(ProfileError, match="summing to 1"):
        markov_values(g, [[[0.5, 0.4], [1, 0]]])
    with pytest.raises(ProfileError, match="one entry per state"):
        markov_values(g, [])


def test_dispatch_and_budget():
    g = big_match()
    with pytest.raises(UnknownNameError, match="shapley"):
        gt.solve(g, method="shaply")
    with pytest.raises(UnknownNameError, match="max_iter"):
        gt.solve(g, method="pure_markov", max_iter=3)
    with pytest.raises(GameTooLargeError, match="max_profiles"):
        gt.solve(g, method="pure_markov", max_profiles=3)


def _random_game(seed: int, n_states: int, n_actions: int, delta: float) -> StochasticGame:
    rng = np.random.default_rng(seed)
    games, trans = [], []
    for _ in range(n_states):
        a, b = rng.integers(1, n_actions + 1, size=2)
        games.append(gt.Game.from_bimatrix(rng.integers(-5, 6, (a, b)),
                                           rng.integers(-5, 6, (a, b))))
        t = rng.dirichlet(np.ones(n_states), size=(a, b))
        trans.append(t)
    return StochasticGame(games, trans, discount=delta)


def _pure_profiles(game: StochasticGame):
    """Every pure stationary profile: (flat tuple of action indices, profile)."""
    slots = [range(game.stage_games[s].shape[i]) for s in range(game.n_states)
             for i in range(game.n_players)]
    for combo in itertools.product(*slots):
        act = np.array(combo).reshape(game.n_states, game.n_players)
        yield combo, [[np.eye(game.stage_games[s].shape[i])[act[s, i]]
                       for i in range(game.n_players)] for s in range(game.n_states)]


def _brute_force_pure(game: StochasticGame, tol=1e-9) -> set:
    """Every pure stationary profile checked by the MDP oracle, no pruning."""
    found = set()
    for combo, prof in _pure_profiles(game):
        scale = max(float(np.ptp(np.concatenate([g.payoffs.ravel() for g in
                                                 game.stage_games]))), 1.0)
        if best_response_gain(game, prof).max() <= tol * scale:
            found.add(combo)
    return found


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31), n_states=st.integers(1, 3), n_actions=st.integers(1, 3),
       delta=st.sampled_from([0.1, 0.5, 0.9]))
def test_pure_markov_perfect_returns_exactly_the_verified_profiles(seed, n_states, n_actions,
                                                                  delta):
    game = _random_game(seed, n_states, n_actions, delta)
    res = pure_markov_perfect(game)
    got = set()
    for eq in res:
        assert best_response_gain(game, [list(st) for st in eq.strategies]).max() < 1e-8
        got.add(tuple(int(p.argmax()) for st in eq.strategies for p in st))
    assert got == _brute_force_pure(game)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31), n_states=st.integers(1, 3), delta=st.sampled_from([0.3, 0.8]))
def test_shapley_is_a_fixed_point_with_verified_strategies(seed, n_states, delta):
    rng = np.random.default_rng(seed)
    games = [gt.Game.zero_sum(rng.integers(-4, 5, tuple(rng.integers(1, 4, size=2))))
             for _ in range(n_states)]
    trans = [rng.dirichlet(np.ones(n_states), size=g.shape) for g in games]
    game = StochasticGame(games, trans, discount=delta)
    res = shapley(game)
    V = res.value
    for s, g in enumerate(games):
        M = (1 - delta) * g.payoffs[..., 0] + delta * game.transition(s) @ V
        value = gt.solve(gt.Game.zero_sum(M), method="zero_sum").value
        assert value == pytest.approx(V[s], abs=1e-7)
    assert res[0].values[0] == pytest.approx(V, abs=1e-7)
    assert res[0].max_gain < 1e-6


# ----------------------------------------------------------------- Markov logit QRE
def test_markov_qre_reaches_the_big_match_equilibrium():
    from gametheory.solvers import markov_qre

    for delta in (0.5, 0.9):
        res = markov_qre(big_match(delta))
        x, y = res[0].strategies[0]
        assert x[0] == pytest.approx((1 - delta) / (2 - delta), abs=1e-9)
        assert y == pytest.approx([0.5, 0.5], abs=1e-9)
        assert res[0].values[0] == pytest.approx(shapley(big_match(delta)).value, abs=1e-8)


def test_markov_qre_selects_the_subgame_perfect_outcome_of_the_entry_game():
    res = gt.solve(_entry_game(), method="markov_qre")
    assert res[0].actions()["response"] == ("wait", "Accommodate")
    assert res[0].actions()["entry"] == ("In", "wait")


def test_markov_logit_qre_is_uniform_at_zero_and_the_stage_qre_in_one_state():
    from gametheory.solvers import logit_qre, markov_logit_qre

    game = gt.Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 2]])
    delta = 0.6
    g = StochasticGame.from_repeated(gt.RepeatedGame(game, delta))
    assert [p.tolist() for p in markov_logit_qre(g, 0.0)[0]] == [[0.5, 0.5], [0.5, 0.5]]
    # with one state the continuation is the same after every action, so precision λ in
    # the stochastic game is precision (1 - δ) λ in the stage game
    for lam in (0.5, 3.0):
        ours = markov_logit_qre(g, lam)[0]
        stage = logit_qre(game, (1 - delta) * lam)
        for a, b in zip(ours, stage, strict=True):
            assert a == pytest.approx(b, abs=1e-9)
    with pytest.raises(ProfileError, match="λ"):
        markov_logit_qre(g, -1.0)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31), n_states=st.integers(1, 3), delta=st.sampled_from([0.5, 0.9]))
def test_markov_qre_returns_only_verified_equilibria(seed, n_states, delta):
    from gametheory.solvers import markov_qre

    game = _random_game(seed, n_states, 2, delta)
    eq = markov_qre(game)[0]           # 1,800 such games (3 actions) all solved
    assert best_response_gain(game, [list(s) for s in eq.strategies]).max() < 1e-8


@pytest.mark.parametrize(("seed", "why"), [
    (59, "the branch passes an ill-conditioned stretch near λ = 40"),
    (281, "duplicate actions: the equilibria with the limit's supports form a continuum"),
])
def test_markov_qre_on_hard_random_games(seed, why):
    from gametheory.solvers import markov_qre

    game = _random_game(seed, 2, 3, 0.9 if seed == 59 else 0.5)
    eq = markov_qre(game)[0]
    assert best_response_gain(game, [list(s) for s in eq.strategies]).max() < 1e-9, why


def _random_n_player(seed: int, n_states: int, n_players: int, delta) -> StochasticGame:
    """Random game with some states where a player has one action (turns)."""
    rng = np.random.default_rng(seed)
    games, trans = [], []
    for _ in range(n_states):
        shape = tuple(int(k) for k in rng.integers(1, 4, size=n_players))
        games.append(gt.Game(rng.integers(-5, 6, (*shape, n_players)).astype(float)))
        trans.append(rng.dirichlet(np.ones(n_states), size=shape))
    return StochasticGame(games, trans, discount=delta)


@pytest.mark.parametrize("n_players", [2, 3])
def test_compiled_markov_qre_jacobians_match_finite_differences(n_players):
    """The closed-form Jacobians of the path follower and of the polish step against
    central differences, on games with turns (one-action states) and 3 players."""
    from gametheory.solvers import _markov_qre as mq
    from gametheory.solvers.stochastic import _markov_start, _MarkovSystem

    for seed in range(4):
        game = _random_n_player(seed, 3, n_players, [0.9, 0.6, 0.75][:n_players])
        sysm = _MarkovSystem(game)
        rng = np.random.default_rng(seed)
        w = _markov_start(sysm) + rng.normal(0, 0.3, sysm.M + sysm.S * sysm.N + 1)
        w[-1] = 2.5
        n = len(w) - 1
        H, J = np.zeros(n), np.zeros((n, n + 1))
        mq._evaluate(w, *sysm.flat, H, J, True)
        num = np.empty_like(J)
        for k in range(n + 1):
            e = np.zeros(n + 1)
            e[k] = 1e-6
            hp, hm = np.zeros(n), np.zeros(n)
            mq._evaluate(w + e, *sysm.flat, hp, J.copy(), False)
            mq._evaluate(w - e, *sysm.flat, hm, J.copy(), False)
            num[:, k] = (hp - hm) / 2e-6
        assert np.abs(J - num).max() < 1e-6

        x = np.concatenate([np.exp(w[:sysm.M]), w[sysm.M:n]])
        sup = rng.random(sysm.M) < 0.7
        Hp, Jp = np.zeros(n), np.zeros((n, n))
        mq._polish_eval(x, sup, *sysm.flat, Hp, Jp)
        for k in range(n):
            e = np.zeros(n)
            e[k] = 1e-6
            hp, hm = np.zeros(n), np.zeros(n)
            mq._polish_eval(x + e, sup, *sysm.flat, hp, Jp.copy())
            mq._polish_eval(x - e, sup, *sysm.flat, hm, Jp.copy())
            assert (hp - hm) / 2e-6 == pytest.approx(Jp[:, k], abs=1e-6)


def test_markov_logit_qre_solves_the_logit_equations_with_three_players():
    """At a given λ every player's strategy is the logit response to the action values
    computed independently (NumPy contractions and linear solves)."""
    from gametheory.solvers import markov_logit_qre
    from gametheory.solvers.stochastic import _MarkovSystem

    game = _random_n_player(7, 3, 3, 0.8)
    sysm = _MarkovSystem(game)
    for lam in (0.5, 4.0, 40.0):
        prof = markov_logit_qre(game, lam)
        Q = sysm.q_values(prof)
        for s in range(game.n_states):
            for i in range(3):
                logit = np.exp(lam * sysm.scale * (Q[s][i] - Q[s][i].max()))
                assert prof[s][i] == pytest.approx(logit / logit.sum(), abs=1e-9)


def test_markov_qre_with_three_players_returns_a_verified_equilibrium():
    from gametheory.solvers import markov_qre

    solved = 0
    for seed in range(6):
        game = _random_n_player(seed, 3, 3, 0.85)
        res = markov_qre(game)
        eq = res[0]
        assert best_response_gain(game, [list(s) for s in eq.strategies]).max() < 1e-9
        assert res.details["steps"] > 0
        solved += 1
    assert solved == 6


def test_markov_qre_reaches_sgamesolvers_equilibria():
    """Six random games of the benchmark: the equilibrium sgamesolver's QRE homotopy
    reached (stored in tests/data) is the one we reach, to sgamesolver's accuracy."""
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).parents[1] / "data" / "sgamesolver_qre.json").read_text())
    from gametheory.solvers import markov_qre

    for g in data["games"]:
        S, A, seed = g["states"], g["actions"], g["seed"]
        rng = np.random.default_rng(1000 * S + 10 * A + seed)
        u = [rng.integers(-10, 11, (2, A, A)).astype(float) for _ in range(S)]
        phi = [rng.dirichlet(np.ones(S), size=(A, A)) for _ in range(S)]
        game = StochasticGame([gt.Game(np.moveaxis(x, 0, -1)) for x in u], phi,
                              discount=g["delta"])
        eq = markov_qre(game)[0]
        ours = np.array([[p for p in st] for st in eq.strategies])
        assert ours == pytest.approx(np.array(g["strategies"]), abs=1e-3), (S, A)
        assert eq.max_gain < 1e-9


# ----------------------------------------------------------------- automata and thresholds
@pytest.mark.parametrize("pair", [
    ("GrimTrigger", "GrimTrigger"), ("TitForTat", "TitForTat"),
    ("WinStayLoseShift", "WinStayLoseShift"), ("TitForTat", "GrimTrigger"),
    ("GenerousTitForTat", "TitForTat"), ("Cooperator", "Defector"), ("Defector", "Defector"),
])
@pytest.mark.parametrize("stage", ["prisoners_dilemma", "stag_hunt"])
def test_automata_as_a_stochastic_game_reproduce_the_repeated_game_thresholds(pair, stage):
    from gametheory import strategies as gs
    from gametheory.solvers import automaton_game, markov_perfect_discounts

    rg = gt.RepeatedGame(getattr(gt.games, stage)(), 0.9)
    profile = tuple(getattr(gs, name)(**({"generosity": 0.2} if name == "GenerousTitForTat"
                                         else {})) for name in pair)
    game, prof = automaton_game(rg, profile)
    ours = markov_perfect_discounts(game, prof)
    theirs = rg.critical_discount_factor(profile)
    assert len(ours) == len(theirs), (ours, theirs)
    for (a, b), (c, d) in zip(ours, theirs, strict=True):
        assert a == pytest.approx(c, abs=1e-6) and b == pytest.approx(d, abs=1e-6)


def test_thresholds_from_a_state_count_only_the_subgames_that_start_there():
    from gametheory.solvers import markov_perfect_discounts

    # state "hot" is absorbing and its stage game is a prisoner's dilemma where defecting
    # forever is the only equilibrium; from "calm", cooperation is never reachable
    pd = gt.games.prisoners_dilemma()
    calm = gt.Game.from_bimatrix([[1]], [[1]])
    game = StochasticGame([calm, pd], [[[[0, 1]]], np.tile([0, 1.0], (2, 2, 1))],
                          discount=0.9, states=("calm", "hot"))
    assert game.reachable("hot") == (1,) and game.reachable("calm") == (0, 1)
    cooperate_when_hot = [[[1.0], [1.0]], [[1.0, 0], [1.0, 0]]]
    assert markov_perfect_discounts(game, cooperate_when_hot) == []
    assert markov_perfect_discounts(game, cooperate_when_hot, state="hot") == []
    defect_when_hot = [[[1.0], [1.0]], [[0, 1.0], [0, 1.0]]]
    assert markov_perfect_discounts(game, defect_when_hot, state="calm") == [(0.0, 1.0)]


def test_generous_tit_for_tat_needs_a_prisoners_dilemma_for_its_default_generosity():
    from gametheory import strategies as gs
    from gametheory.errors import StrategyError

    rg = gt.RepeatedGame(gt.games.stag_hunt(), 0.9)
    with pytest.raises(StrategyError, match="T > R > P > S"):
        rg.critical_discount_factor((gs.GenerousTitForTat(), gs.TitForTat()))


# ----------------------------------------------------------------- large turn-based games
def _random_turn_game(seed: int, n_states: int, n_actions: int, delta: float, *,
                      generic: bool = False) -> StochasticGame:
    """Alternating moves: player 1 chooses in even states, player 2 in odd ones; random
    payoffs (small integers, so ties and continua of equilibria occur, or with
    ``generic`` continuous ones) and transitions."""
    rng = np.random.default_rng(seed)
    stages, trans = [], []
    for s in range(n_states):
        shape = (n_actions, 1) if s % 2 == 0 else (1, n_actions)
        acts = ((tuple(f"a{k}" for k in range(n_actions)), ("wait",)) if s % 2 == 0
                else (("wait",), tuple(f"b{k}" for k in range(n_actions))))
        pay = (rng.uniform(-5, 5, size=(*shape, 2)) if generic
               else rng.integers(-5, 6, size=(*shape, 2)).astype(float))
        stages.append(gt.Game(pay, actions=acts))
        t = rng.random((*shape, n_states)) ** 3
        trans.append(t / t.sum(axis=-1, keepdims=True))
    return StochasticGame(stages, trans, delta)


def test_iterated_best_responses_find_the_entry_games_equilibrium_and_report_starts():
    from gametheory.solvers import iterated_best_response

    res = iterated_best_response(_entry_game())
    assert res.guarantee == "some" and len(res) == 1
    assert res[0].actions()["response"] == ("wait", "Accommodate")
    assert [e["start"] for e in res.details["starts"]] == ["backward", "first", "last",
                                                           "myopic"]
    with pytest.raises(ProfileError, match="unknown start"):
        iterated_best_response(_entry_game(), starts=("sideways",))
    with pytest.raises(ProfileError, match="shape"):
        iterated_best_response(_entry_game(), starts=(np.zeros((2, 2), dtype=int),))


def test_iterated_best_responses_mix_where_they_cycle():
    """Matching pennies played in turns has no pure stationary equilibrium: the best
    responses cycle, and mixing on the cycle's states gives the equilibrium (1/2, 1/2)
    in the one-state repeated version."""
    from gametheory.solvers import iterated_best_response

    g = StochasticGame.from_repeated(gt.RepeatedGame(matching_pennies(), 0.8))
    res = iterated_best_response(g, starts=("first",))
    assert len(res) == 1 and res.details["starts"][0]["mixed"]
    for p in res[0].strategies[0]:
        assert p == pytest.approx([0.5, 0.5], abs=1e-8)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31), n_states=st.integers(1, 4), n_actions=st.integers(2, 3),
       delta=st.sampled_from([0.3, 0.8, 0.95]))
def test_iterated_best_responses_return_only_verified_equilibria(seed, n_states, n_actions,
                                                                 delta):
    """Every equilibrium passes the independent MDP check; a pure one is among the
    enumerated pure equilibria."""
    from gametheory.solvers import iterated_best_response

    game = _random_turn_game(seed, n_states, n_actions, delta)
    res = iterated_best_response(game)
    pure = {tuple(int(p.argmax()) for st_ in eq.strategies for p in st_)
            for eq in pure_markov_perfect(game)}
    for eq in res:
        assert best_response_gain(game, [list(s) for s in eq.strategies]).max() < 1e-8
        if eq.is_pure:
            assert tuple(int(p.argmax()) for st_ in eq.strategies for p in st_) in pure


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31), n_states=st.integers(2, 4), delta=st.sampled_from([0.5, 0.9]))
def test_turn_qre_follows_the_same_branch_as_the_dense_markov_qre(seed, n_states, delta):
    """The sparse value formulation and the dense Markov QRE trace the same logit branch
    from λ = 0, so where both polish into an equilibrium it is the same one. (Generic
    payoffs: with tied integer payoffs a mover can be indifferent along a continuum of
    equilibria, and the two may stop at different points of it.)"""
    from gametheory.solvers import markov_qre, turn_qre

    game = _random_turn_game(seed, n_states, 2, delta, generic=True)
    try:
        dense = markov_qre(game)[0]
        sparse_ = turn_qre(game, engine="sparse")[0]
    except SolverError:
        return
    assert best_response_gain(game, [list(s) for s in sparse_.strategies]).max() < 1e-8
    assert sparse_.values == pytest.approx(dense.values, abs=1e-6)


def test_turn_qre_does_not_polish_a_nearly_indifferent_point_into_another_equilibrium():
    """Regression (found by a random CI draw): at λ = 100 the branch has a mover at
    0.47/0.53 on its way to a pure action; polishing that point gave a *different* mixed
    equilibrium. The candidate is now passed over and the branch followed to its limit."""
    from gametheory.solvers import markov_qre, turn_qre

    game = _random_turn_game(691, 2, 2, 0.5)
    res = turn_qre(game, engine="sparse")
    assert res.details["engine"] == "sparse"
    assert turn_qre(game).details["engine"] == "dense (markov_qre)"     # small: dense
    assert res.details["lam"] > 100 and res.details["branch_distance"] <= 0.05
    assert res[0].values == pytest.approx(markov_qre(game)[0].values, abs=1e-6)
    assert res[0].strategies[1][1] == pytest.approx([0.0, 1.0], abs=1e-6)
    with pytest.raises(ProfileError, match="branch_tol"):
        turn_qre(game, branch_tol=0.0)


def test_turn_qre_logit_values_at_zero_are_uniform_play():
    from gametheory.solvers.stochastic import _Flat, _TurnSystem

    game = _random_turn_game(3, 4, 3, 0.9)
    system = _TurnSystem(_Flat(game))
    V = system.start()
    sig, _ = system.parts(V, 0.0)
    assert np.allclose(sig[system.valid], 1 / 3)
    assert np.abs(system.F(V, 0.0)).max() < 1e-12
    with pytest.raises(ProfileError, match="one player with a choice"):
        gt.solve(big_match(0.5), method="turn_qre")


# ----------------------------------------------------------------- exact verification
def _exact_random_game(seed: int, n_states: int, n_actions: int, delta) -> StochasticGame:
    """Integer payoffs, transitions in thirds and quarters (exact, not dyadic)."""
    from fractions import Fraction

    rng = np.random.default_rng(seed)
    games, trans = [], []
    for _ in range(n_states):
        a, b = rng.integers(1, n_actions + 1, size=2)
        games.append(gt.Game.from_bimatrix(rng.integers(-3, 4, (a, b)),
                                           rng.integers(-3, 4, (a, b))))
        t = np.empty((a, b, n_states), dtype=object)
        for prof in np.ndindex(a, b):
            den = int(rng.choice([3, 4]))
            counts = rng.multinomial(den, np.ones(n_states) / n_states)
            t[prof] = [Fraction(int(c), den) for c in counts]
        trans.append(t)
    return StochasticGame(games, trans, discount=delta)


def test_exact_check_rejects_a_gain_the_float_tolerance_would_accept():
    from gametheory.solvers import exact_markov_check

    big = 10**12
    # player 1: A pays 1e12, B pays 1e12 + 1, C pays 0 (range 1e12, so a gain of 1 is
    # 1e-12 of the range, below the float tolerance); player 2 has one action
    stage = gt.Game.from_bimatrix([[big], [big + 1], [0]], [[0], [0], [0]],
                                  actions=(("A", "B", "C"), ("x",)))
    g = StochasticGame([stage], [np.ones((3, 1, 1))], discount=0.9)
    assert g.is_exact
    res = pure_markov_perfect(g)
    assert [eq.actions()["0"] for eq in res] == [("B", "x")]
    assert res[0].verified == "exact"
    check = exact_markov_check(g, [[[1, 0, 0], [1]]])
    assert not check.is_equilibrium and "B gains 1/10 over A" in check.deviation
    # ties stay ties: with A and B equal both are equilibria, at any scale
    tied = gt.Game.from_bimatrix([[big], [big], [0]], [[0], [0], [0]])
    res = pure_markov_perfect(StochasticGame([tied], [np.ones((3, 1, 1))], discount=0.9))
    assert len(res) == 2 and all(eq.verified == "exact" for eq in res)


def test_exact_twins_of_transitions_and_discount():
    from fractions import Fraction

    stage = gt.Game.from_bimatrix([[1, 0]], [[0, 1]])
    t = [[["1/3", "2/3"], ["1/2", "1/2"]]]
    g = StochasticGame([stage, stage], [t, t], discount=0.9)
    assert g.is_exact and g.exact_discount == (Fraction(9, 10),) * 2
    assert g.exact_transition(0)[0, 0].tolist() == [Fraction(1, 3), Fraction(2, 3)]
    assert g.transition(0)[0, 0, 1] == pytest.approx(2 / 3)
    assert g.with_discount(0.5).is_exact
    # floats that are not dyadic are not exact; dyadic floats are
    assert not StochasticGame([stage, stage], [np.full((1, 2, 2), 0.5) * [[[0.2 / 0.5, 1.6]]]
                                               ] * 2, discount=0.9).is_exact
    assert StochasticGame([stage, stage], [np.full((1, 2, 2), 0.5)] * 2, discount=0.9).is_exact
    inexact = gt.Game.from_bimatrix([[0.1, 0]], [[0, 1]])
    h = StochasticGame([inexact, stage], [t, t], discount=0.9)
    assert not h.is_exact
    with pytest.raises(ProfileError, match="exact payoffs"):
        from gametheory.solvers import exact_markov_check

        exact_markov_check(h, [[[1], [1, 0]], [[1], [1, 0]]])
    with pytest.raises(ProfileError, match="pure profiles"):
        exact_markov_check(g, [[[1], [0.5, 0.5]], [[1], [1, 0]]])
    # iterated best responses on an exact game say so
    assert all(eq.verified == "exact" for eq in gt.solve(g, method="best_response"))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31), n_states=st.integers(1, 3), n_actions=st.integers(1, 3),
       delta=st.sampled_from(["1/3", "9/10", "99/100"]))
def test_pure_markov_perfect_on_exact_games_is_the_exact_brute_force(seed, n_states,
                                                                    n_actions, delta):
    from fractions import Fraction

    from gametheory.solvers import exact_markov_check

    game = _exact_random_game(seed, n_states, n_actions, Fraction(delta))
    assert game.is_exact
    brute = set()
    for combo, prof in _pure_profiles(game):
        check = exact_markov_check(game, prof)
        # the exact values are the float values to rounding
        assert np.allclose(np.array(check.values, dtype=float), markov_values(game, prof))
        if check.is_equilibrium:
            brute.add(combo)
    res = pure_markov_perfect(game)
    got = {tuple(int(p.argmax()) for st in eq.strategies for p in st) for eq in res}
    assert got == brute
    assert all(eq.verified == "exact" for eq in res)


@given(seed=st.integers(0, 2**32 - 1), delta=st.floats(0.1, 0.99))
@settings(max_examples=15, deadline=None)
def test_sparse_and_dense_chain_values_agree(seed, delta):
    # large sparse chains (a few successors per state) are solved by a sparse LU
    from gametheory.solvers.stochastic import _discounted_values

    rng = np.random.default_rng(seed)
    S = 200
    P = np.zeros((S, S))
    for s in range(S):
        succ = rng.choice(S, size=3, replace=False)
        P[s, succ] = rng.dirichlet(np.ones(3))
    r = rng.normal(size=S)
    dense = np.linalg.solve(np.eye(S) - delta * P, (1 - delta) * r)
    np.testing.assert_allclose(_discounted_values(P, r, delta), dense, atol=1e-10)


@given(seed=st.integers(0, 2**32 - 1))
@settings(max_examples=15, deadline=None)
def test_policy_iteration_start_does_not_change_the_optimum(seed):
    # any first policy converges to the optimal values; the verification starts from
    # a one-step improvement on the profile's values
    from gametheory.solvers.stochastic import _policy_iteration

    rng = np.random.default_rng(seed)
    S = 6
    counts = rng.integers(1, 4, size=S)
    rewards = [rng.normal(size=k) for k in counts]
    trans = [rng.dirichlet(np.ones(S), size=k) for k in counts]
    V0, _ = _policy_iteration(rewards, trans, 0.9)
    V1, _ = _policy_iteration(rewards, trans, 0.9, start_values=rng.normal(size=S) * 10)
    np.testing.assert_allclose(V0, V1, atol=1e-10)
    # and they satisfy Bellman's equation
    for s in range(S):
        q = 0.1 * rewards[s] + 0.9 * trans[s] @ V0
        assert q.max() == pytest.approx(V0[s], abs=1e-10)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31), n_states=st.integers(2, 6), n_actions=st.integers(2, 4),
       lam=st.sampled_from([0.0, 0.7, 5.0]))
def test_turn_system_jacobian_matches_finite_differences(seed, n_states, n_actions, lam):
    """The turn system's Jacobian, assembled into its fixed sparsity pattern, equals
    central differences of the logit equations in the values and in λ."""
    from gametheory.solvers.stochastic import TurnLogit

    game = _random_turn_game(seed, n_states, n_actions, 0.9, generic=True)
    logit = TurnLogit(game)
    system = logit.system(logit.flat.U)
    rng = np.random.default_rng(seed % 1000)
    V = rng.normal(size=(logit.flat.N, logit.flat.S))
    J, dlam = system.jacobian(V, lam)
    eps = 1e-6
    for _ in range(3):
        v = rng.normal(size=V.shape)
        fd = (system.F(V + eps * v, lam) - system.F(V - eps * v, lam)) / (2 * eps)
        assert J @ v.ravel() == pytest.approx(fd, abs=1e-6)
    fd_lam = (system.F(V, lam + eps) - system.F(V, lam - eps)) / (2 * eps)
    assert dlam == pytest.approx(fd_lam, abs=1e-6)


def test_bordered_solve_with_a_new_last_row_equals_factoring_it():
    """The trace's Sherman-Morrison solve with a replaced last row equals a solve with
    the matrix factored afresh."""
    from scipy import sparse
    from scipy.sparse.linalg import splu

    from gametheory.solvers.stochastic import _RowUpdated

    rng = np.random.default_rng(3)
    n = 7
    A = rng.normal(size=(n, n)) + 4 * np.eye(n)
    t, s = A[-1].copy(), A[-1] + rng.normal(scale=0.3, size=n)
    lu = splu(sparse.csc_matrix(A))
    e = np.zeros(n)
    e[-1] = 1.0
    B = A.copy()
    B[-1] = s
    g = rng.normal(size=n)
    assert _RowUpdated(lu, t, lu.solve(e), s).solve(g) == pytest.approx(
        np.linalg.solve(B, g), rel=1e-10)
