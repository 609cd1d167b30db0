"""Pure sequential equilibria of small trees (known answers and properties)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory.games import GameTree, SignallingGame, random_tree
from gametheory.solvers import perfect_bayesian_equilibria, sequential_equilibria
from gametheory.solvers import sequential as sequential_module

from .test_tree_pbe import selten_horse, signalling_tree


def tied_beliefs() -> GameTree:
    """Player 1 stays out (2 each) or enters left/right; player 2 cannot see which and
    answers up/down; after down, player 3 (who sees neither) answers u/d. Player 2's
    up needs P(left) >= 2/3 when 3 plays u; 3's u needs P(left) <= 1/3."""
    t = GameTree(players=("1", "2", "3"), title="tied beliefs")
    t.decision("r", player="1", actions={"out": "o", "left": "a", "right": "b"})
    t.terminal("o", (2, 2, 2))
    t.decision("a", player="2", infoset="h2", actions={"up": "au", "down": "ad"})
    t.decision("b", player="2", infoset="h2", actions={"up": "bu", "down": "bd"})
    t.terminal("au", (0, 1, 0))
    t.terminal("bu", (0, 0, 0))
    t.decision("ad", player="3", infoset="h3", actions={"u": "adu", "d": "add"})
    t.decision("bd", player="3", infoset="h3", actions={"u": "bdu", "d": "bdd"})
    for node, pay in {"adu": (1, 0, 0), "add": (1, 0, 2), "bdu": (1, 2, 1),
                      "bdd": (1, 0, 0)}.items():
        t.terminal(node, pay)
    return t


def test_consistency_ties_beliefs_across_sets():
    """By hand: with player 1 out, the same tremble (left or right) leads to both
    unreached sets, so players 2 and 3 must believe the same P(left) = p. (out, up, u)
    needs p >= 2/3 and p <= 1/3; (out, down, d) needs p = 0 (2's down against 3's d) and
    p >= 1/3: both are weak PBE only. (out, up, d) holds with p >= 1/3, (out, down, u)
    with p <= 1/3."""
    t = tied_beliefs()
    weak = [e.choices for e in perfect_bayesian_equilibria(t)]
    assert len(weak) == 4
    res = sequential_equilibria(t)
    got = [e.choices for e in res]
    assert got == [{"r": "out", "h2": "up", "h3": "d"}, {"r": "out", "h2": "down", "h3": "u"}]
    assert res.details["not_sequential"] == [{"r": "out", "h2": "up", "h3": "u"},
                                             {"r": "out", "h2": "down", "h3": "d"}]
    assert res.details["guarantee"] == "all" and res.details["weak_pbe"] == 4
    up_d, down_u = res
    for e, ok in ((up_d, lambda p: p >= 1 / 3 - 1e-9), (down_u, lambda p: p <= 1 / 3 + 1e-9)):
        p2, p3 = e.consistent_beliefs["h2"]["a"], e.consistent_beliefs["h3"]["ad"]
        assert p2 == pytest.approx(p3) and ok(p2)
    assert "<table" in res._repr_html_() and len(res.to_frame()) == 2
    assert "sequential" in up_d._repr_html_()


def test_uninformed_tremble_pins_the_belief_to_the_prior():
    """Chance picks a (1/3) or b (2/3); player 1, who does not see it, stays out or
    enters; player 2 sees the entry but not chance. Whatever player 1's tremble, it is
    the same at both nodes, so player 2's belief after an unexpected entry is the prior
    1/3 - the weak PBE's freedom (any belief) is gone. X pays player 2 well at a, Y at
    b: X is a best reply iff P(a) >= 1/2, so (out, X) is weak only."""
    t = GameTree(players=("1", "2"), title="prior after a deviation")
    t.chance("root", outcomes=[("a", "na", Fraction(1, 3)), ("b", "nb", Fraction(2, 3))])
    t.decision("na", player="1", infoset="h1", actions={"out": "ao", "in": "ai"})
    t.decision("nb", player="1", infoset="h1", actions={"out": "bo", "in": "bi"})
    t.terminal("ao", (1, 0))
    t.terminal("bo", (1, 0))
    t.decision("ai", player="2", infoset="h2", actions={"X": "aiX", "Y": "aiY"})
    t.decision("bi", player="2", infoset="h2", actions={"X": "biX", "Y": "biY"})
    for node, pay in {"aiX": (0, 2), "aiY": (0, 0), "biX": (0, 0), "biY": (0, 2)}.items():
        t.terminal(node, pay)
    weak = [e.choices for e in perfect_bayesian_equilibria(t)]
    assert weak == [{"h1": "out", "h2": "X"}, {"h1": "out", "h2": "Y"}]
    res = sequential_equilibria(t)
    assert [e.choices for e in res] == [{"h1": "out", "h2": "Y"}]
    assert res[0].consistent_beliefs["h2"] == pytest.approx({"ai": 1 / 3, "bi": 2 / 3})


def test_selten_horse_both_equilibria_are_sequential():
    """Player 3's nodes follow trembles of different players, so any belief is
    consistent: both weak PBE are sequential (the first with P(x) <= 1/3)."""
    res = sequential_equilibria(selten_horse())
    assert [e.choices for e in res] == [{"r": "C", "n2": "c", "h3": "R"},
                                        {"r": "C", "n2": "d", "h3": "R"}]
    assert res[0].consistent_beliefs["h3"]["x"] <= 1 / 3 + 1e-9
    assert res[1].consistent_beliefs == {} and res[1].beliefs == {"h3": {"x": 0.0, "y": 1.0}}


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(-3, 4), min_size=16, max_size=16), st.integers(1, 3))
def test_signalling_games_every_weak_pbe_is_sequential(pay, w):
    """In a signalling game each type's message is its own tremble, so every belief
    after an unsent message is consistent: sequential = weak PBE."""
    S = np.array(pay[:8], float).reshape(2, 2, 2)
    R = np.array(pay[8:], float).reshape(2, 2, 2)
    tree = signalling_tree(SignallingGame([w / 4, 1 - w / 4], S, R))
    weak = [e.choices for e in perfect_bayesian_equilibria(tree)]
    res = sequential_equilibria(tree)
    assert [e.choices for e in res] == weak and res.details["guarantee"] == "all"


def _limit_beliefs(t: GameTree, e) -> dict:
    """Bayes' rule along the trembles of the certificate at a tiny eps (log space):
    ``weight * eps**order`` for the listed untaken actions, eps for the others."""
    orders = [o for o, _ in e.trembles.values()]
    # small enough that a node one smallest order-gap behind, whatever the weights on
    # its path, is below 1e-14 of the support
    gaps = [abs(a - b) for a in orders for b in orders if abs(a - b) > 1e-12] + [1.0]
    spread = sum(abs(np.log(w)) for _, w in e.trembles.values())
    log_eps = -(14 * np.log(10) + 2 * spread) / min(min(gaps), min(orders, default=1.0))
    logp = {t.root: 0.0}
    todo = [t.root]
    while todo:
        n = todo.pop()
        d = t.graph.nodes[n]
        for k, c in enumerate(t.children(n)):
            if d["kind"] == "chance":
                logp[c] = logp[n] + np.log(float(t.graph.edges[n, c]["prob"]))
            elif d["actions"][k] == e.choices[d["infoset"]]:
                logp[c] = logp[n]               # 1 - O(eps): log 1 at this eps
            else:
                o, w = e.trembles.get((d["infoset"], d["actions"][k]), (1.0, 1.0))
                logp[c] = logp[n] + np.log(w) + o * log_eps
            todo.append(c)
    out = {}
    for h, belief in e.consistent_beliefs.items():
        lp = np.array([logp[n] for n in belief])
        p = np.exp(lp - lp.max())
        out[h] = dict(zip(belief, p / p.sum(), strict=True))
    return out


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.just((3, 2)))
def test_certificates_reproduce_the_beliefs_and_no_one_shot_deviation_pays(seed, shape):
    """On random trees with chance and two-node information sets: every sequential
    equilibrium is a weak PBE; Bayes' rule along its trembles (eps -> 0) gives its
    consistent beliefs; and under those beliefs (Bayes on the path) no player gains by
    changing its action at any set with the rest of the profile kept (the one-shot
    deviation principle holds for consistent assessments)."""
    depth, size = shape
    t = random_tree(depth, infoset_size=size, chance_root=True, payoffs=(0, 3), seed=seed)
    weak = [e.choices for e in perfect_bayesian_equilibria(t)]
    res = sequential_equilibria(t)
    assert res.details["guarantee"] == "all"
    assert len(res) + len(res.details["not_sequential"]) == len(weak)
    for e in res:
        assert e.choices in weak
        sim = _limit_beliefs(t, e)
        for h, belief in e.consistent_beliefs.items():
            assert sum(belief.values()) == pytest.approx(1.0)
            assert sim[h] == pytest.approx(belief, abs=1e-9)
        beliefs = {**e.beliefs, **e.consistent_beliefs}
        for h, belief in beliefs.items():
            node = next(iter(belief))
            player = t.graph.nodes[node]["player"]
            p = t.players.index(player) if not isinstance(player, int) else player
            for a in t.graph.nodes[node]["actions"]:
                dev = dict(e.choices) | {h: a}
                gain = sum(mu * (_behaviour_value(t, n, _plan(dev))[p]
                                 - _behaviour_value(t, n, _plan(e.choices))[p])
                           for n, mu in belief.items())
                assert gain <= 1e-8      # the solver's tolerance: 1e-9 x payoff range


def test_undetermined_profiles_are_reported(monkeypatch):
    """A profile z3 cannot decide in time is neither returned nor rejected: it is
    listed, and the guarantee drops to "some"."""
    monkeypatch.setattr(sequential_module, "_decide",
                        lambda *a, **k: ("unknown", None, None))
    res = sequential_equilibria(tied_beliefs())
    assert len(res) == 0 and len(res.details["undetermined"]) == 4
    assert res.details["guarantee"] == "some"
    assert "undetermined" in res._repr_html_()


# ----------------------------------------------------------------- mixed patterns


def test_mixed_beer_quiche_has_one_pattern_the_hybrid():
    """Cho & Kreps with P(strong) = 0.1: no pure equilibrium; the only support pattern is
    the hybrid one - the weak type drinks beer with probability 1/9, the receiver duels
    after beer with probability 1/2 and always after quiche."""
    from gametheory.games import beer_quiche

    res = sequential_equilibria(signalling_tree(beer_quiche(0.1)), mixed=True)
    assert res.details == {"patterns": 81, "without_equilibrium": 80, "undetermined": [],
                           "guarantee": "all"}
    (e,) = res
    assert e.behaviour["type weak"] == pytest.approx({"beer": 1 / 9, "quiche": 8 / 9})
    assert e.behaviour["after beer"] == pytest.approx({"duel": 0.5, "don't": 0.5})
    assert e.behaviour["after quiche"] == {"duel": 1.0} and not e.pure
    assert e.beliefs["after beer"] == pytest.approx({"t0m0": 0.5, "t1m0": 0.5})
    assert "<table" in res._repr_html_() and "behaviour" in e._repr_html_()


def test_mixed_selten_horse_by_hand():
    """Three patterns: (C, c, R) with P(x) <= 1/3; (C, d, R); and player 2 mixing c and d
    (both pay it 1 against R), which reaches player 3 at y only. Player 3 cannot mix:
    L needs P(x) >= 1/3 and then player 2's d pays 1 + 3 P(L) > 1."""
    res = sequential_equilibria(selten_horse(), mixed=True)
    supports = [tuple(tuple(a) for a in e.support.values()) for e in res]
    assert sorted(supports) == sorted([(("C",), ("c",), ("R",)), (("C",), ("d",), ("R",)),
                                       (("C",), ("c", "d"), ("R",))])
    first = next(e for e in res if e.support["n2"] == ["c"])
    assert first.beliefs["h3"]["x"] <= 1 / 3 + 1e-9


def test_mixed_matching_pennies_as_a_tree():
    t = GameTree(players=("1", "2"), title="matching pennies")
    t.decision("r", player="1", actions={"H": "h", "T": "t"})
    for n in ("h", "t"):
        t.decision(n, player="2", infoset="guess", actions={"H": n + "H", "T": n + "T"})
    for node, pay in {"hH": (1, -1), "hT": (-1, 1), "tH": (-1, 1), "tT": (1, -1)}.items():
        t.terminal(node, pay)
    (e,) = sequential_equilibria(t, mixed=True)
    assert e.behaviour == {"r": pytest.approx({"H": 0.5, "T": 0.5}),
                           "guess": pytest.approx({"H": 0.5, "T": 0.5})}
    assert e.payoffs == pytest.approx({"1": 0.0, "2": 0.0})


@settings(max_examples=12, deadline=None)
@given(st.lists(st.integers(-3, 4), min_size=16, max_size=16), st.integers(1, 3))
def test_mixed_patterns_of_signalling_games_are_signalling_equilibria(pay, w):
    """Written as a tree, a signalling game's support patterns of sequential equilibria
    are exactly those of ``signalling_equilibria(mixed=True)`` (an independent method:
    one LP per pattern); messages after which the receiver's action changes nothing are
    left out (reported there once, as any action)."""
    from hypothesis import assume

    from gametheory.solvers import signalling_equilibria
    from gametheory.solvers.signalling import ANY_ACTION

    S = np.array(pay[:8], float).reshape(2, 2, 2)
    R = np.array(pay[8:], float).reshape(2, 2, 2)
    game = SignallingGame([Fraction(w, 4), 1 - Fraction(w, 4)], S, R)
    sig = signalling_equilibria(game, mixed=True)
    assume(all(ANY_ACTION not in r for e in sig for r in e.receiver.values()))
    want = {tuple(sorted({**{f"type {t}": tuple(sorted(d)) for t, d in e.sender.items()},
                          **{f"after {m}": tuple(sorted(d)) for m, d in e.receiver.items()}
                          }.items()))
            for e in sig}
    res = sequential_equilibria(signalling_tree(game), mixed=True)
    got = {tuple(sorted((h, tuple(sorted(a))) for h, a in e.support.items())) for e in res}
    assert got == want and res.details["guarantee"] == "all"


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.booleans())
def test_mixed_pure_patterns_are_the_pure_sequential_equilibria(seed, chance):
    """On random trees with two-node sets (a chance move at the root, or depth 3 without
    one: 27 or 81 patterns), the pure patterns of the mixed search are the pure
    sequential equilibria, and every pattern's point survives every one-shot deviation
    under its beliefs."""
    t = random_tree(2 if chance else 3, infoset_size=2, chance_root=chance, payoffs=(0, 3),
                    seed=seed)
    pure = [e.choices for e in sequential_equilibria(t)]
    res = sequential_equilibria(t, mixed=True)
    assert res.details["guarantee"] == "all"
    got = [{h: a[0] for h, a in e.support.items()} for e in res if e.pure]
    assert sorted(map(lambda d: sorted(d.items()), got)) == \
        sorted(map(lambda d: sorted(d.items()), pure))
    sets: dict = {}
    for n, d in t.graph.nodes(data=True):
        if d["kind"] == "decision":
            sets.setdefault(d["infoset"], []).append(n)
    for e in res:
        for h, nodes in sets.items():
            belief = e.beliefs.get(h, {nodes[0]: 1.0})
            assert set(belief) == set(nodes) and sum(belief.values()) == pytest.approx(1.0)
            d = t.graph.nodes[nodes[0]]
            p = t.players.index(d["player"]) if not isinstance(d["player"], int) \
                else d["player"]
            q = {a: sum(mu * _behaviour_value(t, t.children(n)[k], e.behaviour)[p]
                        for n, mu in belief.items())
                 for k, a in enumerate(d["actions"])}
            best = max(q.values())
            assert all(q[a] >= best - 1e-8 for a in e.support[h])


def _plan(choices: dict) -> dict:
    """A pure profile as behaviour strategies."""
    return {h: {a: 1.0} for h, a in choices.items()}


def _behaviour_value(t: GameTree, node, behaviour: dict):
    """Every player's expected payoff from ``node`` under behaviour strategies."""
    d = t.graph.nodes[node]
    if d["kind"] == "terminal":
        return np.array([float(v) for v in d["payoffs"]])
    kids = t.children(node)
    if d["kind"] == "chance":
        return sum(float(t.graph.edges[node, c]["prob"]) * _behaviour_value(t, c, behaviour)
                   for c in kids)
    plan = behaviour[d["infoset"]]
    return sum(plan.get(a, 0.0) * _behaviour_value(t, kids[k], behaviour)
               for k, a in enumerate(d["actions"]))


def test_too_many_patterns_and_imperfect_recall_are_refused(monkeypatch):
    from gametheory.errors import GameTooLargeError, GameTreeError

    monkeypatch.setattr(sequential_module, "MAX_SEQUENTIAL_SUPPORTS", 26)
    with pytest.raises(GameTooLargeError, match="27 support patterns over 3 information"):
        sequential_equilibria(selten_horse(), mixed=True)
    t = GameTree(players=("1", "2"))
    t.decision("r", player="1", actions={"a": "x", "b": "y"})
    t.decision("x", player="1", infoset="forget", actions={"l": "xl", "r": "xr"})
    t.decision("y", player="1", infoset="forget", actions={"l": "yl", "r": "yr"})
    for n in ("xl", "xr", "yl", "yr"):
        t.terminal(n, (0, 0))
    for mixed in (False, True):
        with pytest.raises(GameTreeError, match="perfect recall"):
            sequential_equilibria(t, mixed=mixed)
