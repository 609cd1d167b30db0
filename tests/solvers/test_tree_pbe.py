"""Pure perfect Bayesian equilibria of small trees (known answers and properties)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.errors import GameTooLargeError, GameTreeError
from gametheory.games import GameTree, SignallingGame, backward_induction, random_tree
from gametheory.solvers import perfect_bayesian_equilibria, signalling_equilibria
from gametheory.solvers import tree_pbe as tree_pbe_module
from gametheory.solvers.signalling import ANY_ACTION


def selten_horse() -> GameTree:
    t = GameTree(players=("1", "2", "3"), title="Selten's horse")
    t.decision("r", player="1", actions={"C": "n2", "D": "x"})
    t.decision("n2", player="2", actions={"c": "end", "d": "y"})
    t.terminal("end", (1, 1, 1))
    t.decision("x", player="3", infoset="h3", actions={"L": "xL", "R": "xR"})
    t.decision("y", player="3", infoset="h3", actions={"L": "yL", "R": "yR"})
    for node, pay in {"xL": (3, 3, 2), "xR": (0, 0, 0), "yL": (4, 4, 0),
                      "yR": (1, 1, 1)}.items():
        t.terminal(node, pay)
    return t


def test_selten_horse():
    """Selten (1975): (D, c, L) is a Nash equilibrium but player 2's c is not a best
    reply at its (unreached) node, so it is not perfect Bayesian. Player 1 continues;
    with player 2 ending the game player 3's R needs P(player 1 went down) <= 1/3
    (2 mu <= 1 - mu); with player 2 continuing, player 3's set is reached at y only."""
    res = perfect_bayesian_equilibria(selten_horse())
    assert [e.choices for e in res] == [{"r": "C", "n2": "c", "h3": "R"},
                                        {"r": "C", "n2": "d", "h3": "R"}]
    first, second = res
    assert first.off_path == {"h3": {"x": (0.0, pytest.approx(1 / 3)),
                                     "y": (pytest.approx(2 / 3), 1.0)}}
    assert first.outcome == {"end": 1.0} and first.beliefs == {}
    assert second.beliefs == {"h3": {"x": 0.0, "y": 1.0}} and second.off_path == {}
    assert second.payoffs == {"1": 1.0, "2": 1.0, "3": 1.0}
    assert "<table" in res._repr_html_() and len(res.to_frame()) == 2
    assert "perfect Bayesian" in first._repr_html_()


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([(2, 3), (3, 2)]))
def test_perfect_information_equilibria_are_the_subgame_perfect_plans(seed, shape):
    """With singleton information sets every belief is trivial and the equilibria are
    exactly the subgame-perfect plans (backward induction counts ties separately)."""
    branching, depth = shape
    t = random_tree(depth, branching=branching, infoset_size=1, payoffs=(0, 2), seed=seed)
    node_of = {d["infoset"]: n for n, d in t.graph.nodes(data=True)
               if d["kind"] == "decision"}
    ours = sorted(tuple(sorted((node_of[h], a) for h, a in e.choices.items()))
                  for e in perfect_bayesian_equilibria(t))
    theirs = sorted(tuple(sorted(p.items())) for p in backward_induction(t).iter_plans())
    assert ours == theirs


def signalling_tree(game: SignallingGame) -> GameTree:
    """A signalling game written as a tree: chance picks the type, the sender's choice
    at each type, the receiver's information set per message."""
    T, M, A = game.shape
    t = GameTree(players=("sender", "receiver"))
    t.chance("root", outcomes=[(game.types[k], f"t{k}", float(game.prior[k]))
                               for k in range(T)])
    for k in range(T):
        t.decision(f"t{k}", player="sender", infoset=f"type {game.types[k]}",
                   actions=[(game.messages[m], f"t{k}m{m}") for m in range(M)])
        for m in range(M):
            t.decision(f"t{k}m{m}", player="receiver", infoset=f"after {game.messages[m]}",
                       actions=[(game.actions[a], f"t{k}m{m}a{a}") for a in range(A)])
            for a in range(A):
                t.terminal(f"t{k}m{m}a{a}", (float(game.sender[k, m, a]),
                                             float(game.receiver[k, m, a])))
    return t


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(-3, 4), min_size=16, max_size=16), st.integers(1, 3))
def test_signalling_game_as_a_tree_has_the_signalling_equilibria(pay, w):
    """Written as a tree, a signalling game's pure PBE (with their off-path belief
    ranges) are those of signalling_equilibria."""
    S = np.array(pay[:8], float).reshape(2, 2, 2)
    R = np.array(pay[8:], float).reshape(2, 2, 2)
    game = SignallingGame([w / 4, 1 - w / 4], S, R)
    sig = signalling_equilibria(game)
    tree = perfect_bayesian_equilibria(signalling_tree(game))
    want = {}
    for e in sig:
        key = tuple(sorted({**{f"type {t}": m for t, m in e.sender.items()},
                            **{f"after {m}": a for m, a in e.receiver.items()}}.items()))
        want[key] = {f"after {m}": b for m, b in e.off_path.items()}
    idle = {f"after {m}" for m, a in (sig[0].receiver.items() if len(sig) else ())
            if a == ANY_ACTION}
    got = {}
    for e in tree:
        choices = {h: ANY_ACTION if h in idle else a for h, a in e.choices.items()}
        got[tuple(sorted(choices.items()))] = e.off_path
    assert set(got) == set(want)
    for key, off in got.items():
        for h, ranges in off.items():
            if h in idle:
                continue
            k = h.removeprefix("after ")
            m = game.messages.index(k)
            for t in range(2):
                lo, hi = ranges[f"t{t}m{m}"]
                assert (lo, hi) == pytest.approx(want[key][h][game.types[t]], abs=1e-7)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_equilibria_are_nash_with_bayes_beliefs_on_imperfect_information_trees(seed):
    """On random trees with a chance move and two-node information sets: every
    equilibrium survives every pure deviation (brute force over the tree's
    strategies) and its beliefs sum to one and follow Bayes' rule."""
    t = random_tree(3, infoset_size=2, chance_root=True, payoffs=(0, 3), seed=seed)
    res = perfect_bayesian_equilibria(t)
    sets = {p: t.infosets(p) for p in range(2)}
    for e in res:
        base = t.outcome(e.choices)
        assert [float(v) for v in base] == pytest.approx(list(e.payoffs.values()))
        for p in range(2):
            for alt in itertools.product(*sets[p].values()):
                dev = dict(e.choices) | dict(zip(sets[p], alt, strict=True))
                assert float(t.outcome(dev)[p]) <= float(base[p]) + 1e-9
        reach = _reach(t, e.choices)
        for belief in e.beliefs.values():
            assert sum(belief.values()) == pytest.approx(1.0)
            mass = sum(reach[n] for n in belief)
            assert belief == pytest.approx({n: reach[n] / mass for n in belief})


def _reach(t: GameTree, choices: dict) -> dict:
    """Probability of reaching every node when each information set plays ``choices``."""
    out, todo = {t.root: 1.0}, [t.root]
    while todo:
        n = todo.pop()
        d = t.graph.nodes[n]
        for k, c in enumerate(t.children(n)):
            if d["kind"] == "chance":
                out[c] = out[n] * float(t.graph.edges[n, c]["prob"])
            else:
                out[c] = out[n] * (d["actions"][k] == choices[d["infoset"]])
            todo.append(c)
    return out


def test_imperfect_recall_and_size_are_refused(monkeypatch):
    t = GameTree(players=("1", "2"))
    t.decision("r", player="1", actions={"a": "x", "b": "y"})
    t.decision("x", player="1", infoset="forget", actions={"l": "xl", "r": "xr"})
    t.decision("y", player="1", infoset="forget", actions={"l": "yl", "r": "yr"})
    for n in ("xl", "xr", "yl", "yr"):
        t.terminal(n, (0, 0))
    with pytest.raises(GameTreeError, match=r"perfect recall.*'x'.*'y'"):
        perfect_bayesian_equilibria(t)
    monkeypatch.setattr(tree_pbe_module, "MAX_TREE_PBE_PROFILES", 4)
    with pytest.raises(GameTooLargeError, match="pure strategy profiles"):
        perfect_bayesian_equilibria(selten_horse())
