"""Game trees: backward induction with ties, normal-form reduction, .efg round trip."""

from __future__ import annotations

import io
import warnings
from fractions import Fraction as F

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gametheory as gt
from gametheory.errors import NFGFormatError
from gametheory.games.efg import read_efg, write_efg
from gametheory.games.extensive import GameTree, GameTreeError, backward_induction


def entry() -> GameTree:
    t = GameTree(players=("Entrant", "Incumbent"), title="Entry deterrence")
    t.decision("root", player="Entrant", actions={"Out": "out", "In": "in"})
    t.terminal("out", (0, 2))
    t.decision("in", player="Incumbent", actions={"Fight": "fight", "Accommodate": "acc"})
    t.terminal("fight", (-1, -1))
    t.terminal("acc", (1, 1))
    return t


def centipede(n: int = 4) -> GameTree:
    """Rosenthal's centipede: taking at node k pays (k + 2, k) to the mover's side."""
    t = GameTree(players=("A", "B"), title="Centipede")
    for k in range(n):
        take = (k + 2, k) if k % 2 == 0 else (k, k + 2)
        nxt = f"n{k + 1}" if k + 1 < n else "end"
        t.decision(f"n{k}", player=k % 2, actions={"take": f"t{k}", "pass": nxt})
        t.terminal(f"t{k}", take)
    # passing at the last node must be worse for its mover than taking
    t.terminal("end", (n + 2, n) if n % 2 == 0 else (n, n + 2))
    return t


def ultimatum(pie: int = 2) -> GameTree:
    t = GameTree(players=("Proposer", "Responder"), title="Ultimatum")
    t.decision("root", player=0, actions={f"offer {k}": f"o{k}" for k in range(pie + 1)})
    for k in range(pie + 1):
        t.decision(f"o{k}", player=1, actions={"accept": f"a{k}", "reject": f"r{k}"})
        t.terminal(f"a{k}", (pie - k, k))
        t.terminal(f"r{k}", (0, 0))
    return t


def test_entry_deterrence():
    res = backward_induction(entry())
    assert res.equilibria == [{"root": "In", "in": "Accommodate"}]
    assert res.payoffs == [(1.0, 1.0)] and res.paths == [["root", "in", "acc"]]
    # the normal form also has the non-credible threat (Out, Fight) as a Nash equilibrium
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.DegenerateGameWarning)
        nash = gt.solve(entry().to_normal_form())
    supports = [eq.support for eq in nash]
    assert ((0,), (0,)) in supports and ((1,), (1,)) in supports


def test_centipede_unravels():
    res = backward_induction(centipede(6))
    assert len(res) == 1 and res.equilibria[0]["n0"] == "take"
    assert all(a == "take" for a in res.equilibria[0].values())
    assert res.payoffs == [(2.0, 0.0)]


def test_ultimatum_ties_give_two_equilibria():
    res = backward_induction(ultimatum(2))
    assert len(res) == 2
    offers = sorted(eq["root"] for eq in res.equilibria)
    assert offers == ["offer 0", "offer 1"]  # accept 0 (indifferent) or reject it


def test_chance_nodes_take_expectations():
    t = GameTree(players=("P",))
    t.chance("root", outcomes={"h": ("a", "1/4"), "t": ("b", "3/4")})
    t.decision("a", player=0, actions={"x": "ax", "y": "ay"})
    t.terminal("ax", (4,))
    t.terminal("ay", (0,))
    t.terminal("b", (8,))
    res = backward_induction(t)
    assert res.payoffs == [(7.0,)] and res.equilibria == [{"a": "x"}]


def test_reduced_normal_form():
    t = GameTree(players=("One", "Two"))
    t.decision("r", player=0, actions={"Out": "o", "In": "i"})
    t.terminal("o", (1, 1))
    t.decision("i", player=1, actions={"a": "ia", "b": "ib"})
    t.decision("ia", player=0, actions={"x": "iax", "y": "iay"})
    t.terminal("ib", (0, 2))
    t.terminal("iax", (3, 0))
    t.terminal("iay", (0, 3))
    assert t.to_normal_form().shape == (4, 2)
    reduced = t.to_normal_form(reduced=True)
    assert reduced.shape == (3, 2)
    assert "Out/*" in reduced.actions[0]


def test_imperfect_information_needs_the_normal_form():
    t = entry()
    t2 = GameTree(players=("A", "B"))
    t2.decision("r", player=0, actions={"L": "l", "R": "rr"})
    for side in ("l", "rr"):
        t2.decision(side, player=1, actions={"u": side + "u", "d": side + "d"}, infoset="B")
        t2.terminal(side + "u", (1, 0))
        t2.terminal(side + "d", (0, 1))
    with pytest.raises(GameTreeError, match="perfect information"):
        backward_induction(t2)
    assert t2.to_normal_form().shape == (2, 2)
    assert t.perfect_information and not t2.perfect_information


@pytest.mark.parametrize("build", [entry, centipede, ultimatum])
def test_efg_round_trip_through_pygambit(build):
    pygambit = pytest.importorskip("pygambit")
    tree = build()
    theirs = pygambit.read_efg(io.StringIO(write_efg(tree)))
    back = read_efg(theirs.to_efg())
    assert back.to_normal_form().payoffs.tolist() == tree.to_normal_form().payoffs.tolist()
    assert backward_induction(back).payoffs == backward_induction(tree).payoffs


def test_efg_with_chance_and_information_sets(tmp_path):
    text = '''EFG 2 R "bayes" { "Player 1" "Player 2" }
""
c "" 1 "" { "G" 1/2 "B" 1/2 } 0
p "" 1 1 "" { "H" "L" } 1 "bonus" { 1, 0 }
t "" 2 "" { 10, 2 }
t "" 3 "" { 0, 10 }
p "" 1 2 "" { "H" "L" } 0
t "" 4 "" { 2, 4 }
t "" 0
'''
    path = tmp_path / "b.efg"
    path.write_text(text)
    tree = read_efg(path)
    g = tree.to_normal_form()
    # H at both types: 1/2 (1 + 10) + 1/2 * 2; the outcome at the node adds to its leaves
    assert g.payoff([0, 0])[0] == pytest.approx(6.5)
    assert g.payoff([3, 0]).tolist() == pytest.approx([0.5, 5.0])


@pytest.mark.parametrize(("text", "match"), [
    ('NFG 1 R "x" { "A" }', "expected 'EFG'"),
    ('EFG 2 R "x" { "A" } p "" 2 1 "" { "a" } 0 t "" 0', "player 2 does not exist"),
    ('EFG 2 R "x" { "A" } p "" 1 1 0', "used before its actions"),
    ('EFG 2 R "x" { "A" } t "" 3', "outcome 3 is used before"),
    ('EFG 2 R "x" { "A" } c "" 1 "" { "a" 1/2 "b" 1/3 } 0 t "" 0 t "" 0', "sum to 1"),
    ('EFG 2 R "x" { "A" } t "" 0 t "" 0', "unexpected data"),
])
def test_malformed_efg(text, match):
    with pytest.raises(NFGFormatError, match=match):
        read_efg(text)


def test_bad_trees_name_the_node():
    t = GameTree(players=("A", "B"))
    t.decision("r", player=0, actions={"x": "a"})
    with pytest.raises(GameTreeError, match="'a' is reached by a move but never defined"):
        t.validate()
    with pytest.raises(GameTreeError, match="two parents"):
        t.decision("b", player=1, actions={"y": "a"})
    t2 = GameTree(players=("A", "B"))
    t2.decision("r", player=0, actions={"x": "p", "y": "q"})
    t2.decision("p", player=0, actions={"u": "pu"}, infoset="S")
    t2.decision("q", player=1, actions={"u": "qu"}, infoset="S")
    t2.terminal("pu", (0, 0))
    t2.terminal("qu", (0, 0))
    with pytest.raises(GameTreeError, match="'S' mixes players"):
        t2.validate()
    with pytest.raises(GameTreeError, match="2 payoffs"):
        GameTree(players=("A",)).terminal("t", (1, 2))


def test_draw():
    ax = entry().draw()
    assert ax.get_title() == "Entry deterrence"


def test_cycles_and_inconsistent_information_sets():
    t = GameTree(players=("A", "B"))
    t.decision("root", player=0, actions={"x": "a"})
    t.decision("a", player=1, actions={"back": "root"})
    with pytest.raises(GameTreeError, match="cycle"):
        t.validate()
    t2 = GameTree(players=("A", "B"))
    t2.decision("r", player=0, actions={"x": "p", "y": "q"})
    t2.decision("p", player=1, actions={"u": "pu"}, infoset="S")
    t2.decision("q", player=1, actions={"v": "qv"}, infoset="S")
    t2.terminal("pu", (0, 0))
    t2.terminal("qv", (0, 0))
    with pytest.raises(GameTreeError, match="'S': nodes 'p' and 'q' have different actions"):
        t2.validate()


def test_actions_are_kept_by_position_so_labels_may_repeat():
    """Gambit allows two actions of a node to share a label (vonstengel2022 fig10.1,
    vonstengelforges2008 fig1/fig9); they are distinct moves."""
    t = GameTree(players=("A", "B"))
    t.chance("root", outcomes=[("1/2", "l", "1/2"), ("1/2", "r", "1/2")])
    t.decision("l", player="A", actions=[("1", "l1"), ("1", "l2")])
    t.terminal("l1", (1, 0))
    t.terminal("l2", (3, 0))
    t.decision("r", player="B", actions=[("x", "r1"), ("x", "r2")])
    t.terminal("r1", (0, 2))
    t.terminal("r2", (0, 1))
    spe = backward_induction(t)
    assert len(spe) == 1 and spe.payoffs == [(1.5, 1.0)]
    assert spe.paths[0][:2] == ["root", "l"]
    assert t.outcome({"l": 1, "r": 0}) == (F(3, 2), F(1))
    with pytest.raises(GameTreeError, match="2 actions labelled '1'"):
        t.outcome({"l": "1", "r": 0})
    nf = t.to_normal_form()
    assert nf.shape == (2, 2) and nf.actions[0] == ("1", "1'")


def test_efg_with_repeated_labels_round_trips(tmp_path):
    from importlib.resources import files

    pytest.importorskip("pygambit")
    path = files("pygambit") / "catalog_data/books/vonstengel2022/fig10.1.efg"
    tree = read_efg(str(path))
    write_efg(tree, tmp_path / "copy.efg")
    again = read_efg(tmp_path / "copy.efg")
    assert np.array_equal(again.to_normal_form().exact_payoffs,
                          tree.to_normal_form().exact_payoffs)


def test_trees_too_deep_or_too_wide_are_typed_errors():
    from gametheory.games.extensive import MAX_TREE_DEPTH

    t = GameTree(players=("A",))
    for k in range(MAX_TREE_DEPTH + 1):
        t.decision(f"n{k}", player="A", actions=[("go", f"n{k + 1}"), ("stop", f"s{k}")])
        t.terminal(f"s{k}", (k,))
    t.terminal(f"n{MAX_TREE_DEPTH + 1}", (0,))
    with pytest.raises(GameTreeError, match="deep"):
        t.validate()
    with pytest.raises(GameTreeError, match="deep"):
        t.to_normal_form()


def _comb(depth: int, payoff=(0, 0)) -> GameTree:
    """A chain of decisions, each between stopping and going on, every outcome tied:
    2**depth subgame-perfect plans."""
    t = GameTree(players=("A", "B"))
    for k in range(depth):
        t.decision(f"n{k}", player=k % 2, actions=[("stop", f"s{k}"), ("go", f"n{k + 1}")])
        t.terminal(f"s{k}", payoff)
    t.terminal(f"n{depth}", payoff)
    return t


def test_spe_plans_are_counted_not_listed():
    import time

    started = time.perf_counter()
    res = backward_induction(_comb(300), max_listed=5)
    assert time.perf_counter() - started < 5
    assert res.count == 2**300 and res.truncated and len(res.equilibria) == 5
    plans = res.sample(20, seed=1)
    assert len({tuple(p.values()) for p in plans}) == 20     # distinct with near certainty
    assert res.sample(3, seed=7) == res.sample(3, seed=7)      # seeded
    again = backward_induction(_comb(8), max_listed=10**6)
    assert again.count == len(again.equilibria) == len(list(again.iter_plans())) == 256


def _brute_force_spe(tree: GameTree) -> int:
    """Count subgame-perfect plans by checking every pure plan at every node."""
    import itertools as it

    nodes = tree._decision_order()
    g = tree.graph
    count = 0
    for choice in it.product(*(range(len(g.nodes[n]["actions"])) for n in nodes)):
        plan = dict(zip(nodes, choice, strict=True))

        def value(n, plan=plan):
            d = g.nodes[n]
            if d["kind"] == "terminal":
                return d["payoffs"]
            if d["kind"] == "chance":
                vals = [value(k) for k in tree.children(n)]
                probs = [g.edges[n, k]["prob"] for k in tree.children(n)]
                return tuple(sum(p * v[i] for p, v in zip(probs, vals, strict=True))
                             for i in range(len(tree.players)))
            return value(tree.children(n)[plan[n]])

        ok = all(value(tree.children(n)[plan[n]])[g.nodes[n]["player"]]
                 == max(value(k)[g.nodes[n]["player"]] for k in tree.children(n))
                 for n in nodes)
        count += ok
    return count


@st.composite
def _small_trees(draw):
    t = GameTree(players=("A", "B"))
    counter = [0]

    def build(name, depth):
        if depth == 0 or (draw(st.booleans()) and depth < 3):
            t.terminal(name, (draw(st.integers(0, 2)), draw(st.integers(0, 2))))
            return
        k = draw(st.integers(2, 3))
        kids = []
        for _ in range(k):
            counter[0] += 1
            kids.append(f"v{counter[0]}")
        if draw(st.integers(0, 4)) == 0:
            t.chance(name, outcomes=[(f"o{j}", c, F(1, k)) for j, c in enumerate(kids)])
        else:
            t.decision(name, player=draw(st.integers(0, 1)),
                       actions=[(f"a{j}", c) for j, c in enumerate(kids)])
        for c in kids:
            build(c, depth - 1)

    build("root", draw(st.integers(1, 3)))
    return t


@given(_small_trees())
def test_property_spe_count_equals_brute_force(tree):
    if tree.graph.nodes[tree.root]["kind"] == "terminal":
        return
    res = backward_induction(tree, max_listed=10**6)
    assert res.count == _brute_force_spe(tree) == len(res.equilibria)
    assert res.count >= 1
