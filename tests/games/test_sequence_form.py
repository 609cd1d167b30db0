"""The sequence form: sizes, constraints, payoffs against the tree, conversions."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.errors import GameTreeError, ProfileError
from gametheory.games import GameTree
from gametheory.games.extensive import random_tree
from gametheory.games.sequence_form import sequence_form


def _expected(tree, behaviour):
    """Expected payoffs of a behaviour profile ({infoset: probabilities}) by walking the
    tree (independent of the sequence form)."""
    g = tree.graph

    def value(n):
        d = g.nodes[n]
        if d["kind"] == "terminal":
            return np.array([float(v) for v in d["payoffs"]])
        kids = tree.children(n)
        if d["kind"] == "chance":
            probs = [float(g.edges[n, c]["prob"]) for c in kids]
        else:
            probs = behaviour[d["player"]][d["infoset"]]
        return sum(p * value(c) for p, c in zip(probs, kids, strict=True) if p > 0)

    return value(tree.root)


def test_a_signalling_tree_has_the_textbook_sequence_form():
    # chance picks a type; player 1 sees it, player 2 sees only player 1's move
    t = GameTree(players=("S", "R"))
    t.chance("c", outcomes={"hi": ("h", "1/3"), "lo": ("l", "2/3")})
    t.decision("h", player="S", actions={"U": "hU", "D": "hD"})
    t.decision("l", player="S", actions={"U": "lU", "D": "lD"})
    for s in "hl":
        for m in "UD":
            t.decision(f"{s}{m}", player="R", infoset=f"after {m}",
                       actions={"a": f"{s}{m}a", "b": f"{s}{m}b"})
            for r in "ab":
                t.terminal(f"{s}{m}{r}", (1 if s == "h" else 2, 3 if r == "a" else 4))
    sf = sequence_form(t)
    assert sf.n_sequences == (5, 5)
    assert sf.infosets == (("h", "l"), ("after U", "after D"))
    # every pair of a sender sequence and a receiver sequence after it meets one leaf
    A = sf.A.toarray()
    assert A[sf.sequences[0].index("h:U"), sf.sequences[1].index("after U:a")] == \
        pytest.approx(1 / 3)
    assert A[sf.sequences[0].index("l:D"), sf.sequences[1].index("after D:b")] == \
        pytest.approx(2 * 2 / 3)
    # eight leaves: four per type, each weighted by the type's probability
    assert sf.reach.sum() == pytest.approx(4 * (1 / 3) + 4 * (2 / 3))
    E, e = sf.constraints(1)
    assert E.toarray().tolist() == [[1, 0, 0, 0, 0], [-1, 1, 1, 0, 0], [-1, 0, 0, 1, 1]]
    assert e.tolist() == [1, 0, 0]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), depth=st.integers(1, 5), chance=st.booleans(),
       size=st.integers(1, 3))
def test_plans_satisfy_the_constraints_and_payoffs_match_the_tree(seed, depth, chance, size):
    t = random_tree(depth, infoset_size=size, chance_root=chance, seed=seed)
    sf = sequence_form(t)
    rng = np.random.default_rng(seed)
    beh = [[rng.dirichlet(np.ones(len(a))) for a in sf.actions[i]] for i in (0, 1)]
    plans = [sf.plan(i, beh[i]) for i in (0, 1)]
    for i in (0, 1):
        E, e = sf.constraints(i)
        assert np.allclose(E @ plans[i], e)
        back = sf.behaviour(i, plans[i])
        assert all(np.allclose(a, b) for a, b in zip(back, beh[i], strict=True))
    by_set = [dict(zip(sf.infosets[i], beh[i], strict=True)) for i in (0, 1)]
    assert np.allclose(sf.payoffs(*plans), _expected(t, by_set))
    assert plans[0] @ (sf.reach @ plans[1]) == pytest.approx(1.0)


def test_best_response_values_equal_brute_force_over_pure_strategies():
    t = random_tree(4, infoset_size=2, chance_root=True, seed=3)
    sf = sequence_form(t)
    rng = np.random.default_rng(0)
    beh2 = [rng.dirichlet(np.ones(len(a))) for a in sf.actions[1]]
    y = sf.plan(1, beh2)
    best, _ = sf.best_response_value(0, sf.A @ y)
    by2 = dict(zip(sf.infosets[1], beh2, strict=True))
    values = []
    for pure in itertools.product(*[range(len(a)) for a in sf.actions[0]]):
        b1 = {h: np.eye(len(a))[k] for h, a, k in zip(sf.infosets[0], sf.actions[0], pure,
                                                       strict=True)}
        values.append(_expected(t, [b1, by2])[0])
    assert best == pytest.approx(max(values))


def test_imperfect_recall_and_wrong_inputs_are_refused():
    t = GameTree(players=("1", "2"))          # player 1 forgets its own first move
    t.decision("r", player="1", actions={"L": "a", "R": "b"})
    t.decision("a", player="1", actions={"l": "al", "r": "ar"}, infoset="I")
    t.decision("b", player="1", actions={"l": "bl", "r": "br"}, infoset="I")
    for n in ("al", "ar", "bl", "br"):
        t.terminal(n, (0, 0))
    with pytest.raises(GameTreeError, match=r"perfect recall.*'r:L'"):
        sequence_form(t)
    three = GameTree(players=("1", "2", "3"))
    three.decision("r", player="1", actions={"L": "a"})
    three.terminal("a", (0, 0, 0))
    with pytest.raises(GameTreeError, match="two players"):
        sequence_form(three)
    sf = sequence_form(random_tree(2, seed=0))
    with pytest.raises(ProfileError, match="summing to 1"):
        sf.plan(0, [[0.5, 0.6]])
    with pytest.raises(ProfileError, match="information set"):
        sf.plan(1, {"nope": {"a0": 1.0}})
    with pytest.raises(GameTreeError, match="depth"):
        random_tree(0)
    with pytest.raises(GameTreeError, match="limit"):
        random_tree(40)
