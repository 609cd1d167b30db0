"""Game trees: backward induction with ties, normal-form reduction, .efg round trip."""

from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")

import pytest

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
