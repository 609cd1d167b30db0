"""Sequence-form solvers: Lemke and the zero-sum LP, against Gambit and the normal form."""

from __future__ import annotations

import glob
import itertools
from fractions import Fraction
from importlib.resources import files

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.errors import GameTreeError, SolverError
from gametheory.games import GameTree
from gametheory.games.efg import read_efg
from gametheory.games.extensive import random_tree
from gametheory.games.sequence_form import sequence_form
from gametheory.solvers.sequence_form import sequence_lemke, sequence_lp


def _catalogue_trees():
    pygambit = pytest.importorskip("pygambit")
    root = str(files("pygambit") / "catalog_data")
    out = []
    for path in sorted(glob.glob(root + "/**/*.efg", recursive=True)):
        g = pygambit.read_efg(path)
        if len(g.players) == 2 and g.is_perfect_recall:
            out.append((path, g))
    return out


def _their_profile(g, sf, eq):
    """Our behaviour profile as pygambit's (information sets in tree preorder, as
    pygambit orders them and as the sequence form lists them)."""
    data = [[[eq.behaviour[i][h][a] for a in acts]
             for h, acts in zip(sf.infosets[i], sf.actions[i], strict=True)]
            for i in (0, 1)]
    return g.mixed_behavior_profile(data, rational=False)


def test_every_two_player_catalogue_tree_agrees_with_gambit():
    pygambit = pytest.importorskip("pygambit")
    trees = _catalogue_trees()
    assert len(trees) >= 20
    zero_sum = 0
    for path, g in trees:
        tree = read_efg(path)
        res = sequence_lemke(tree)
        eq = res[0]
        sf = res.form
        prof = _their_profile(g, sf, eq)
        # Gambit's own evaluation: our profile is an equilibrium, with our payoffs
        assert float(prof.max_regret()) < 1e-9, path
        assert [float(v) for _, v in prof.payoffs] == pytest.approx(list(eq.payoffs)), path
        # Gambit's lcp_solve (the same method) reaches the same payoffs on every file
        theirs = pygambit.nash.lcp_solve(g, rational=True).equilibrium
        assert [float(v) for _, v in theirs.payoffs] == pytest.approx(list(eq.payoffs)), path
        if g.is_const_sum:
            zero_sum += 1
            lp = sequence_lp(tree)
            their_lp = pygambit.nash.lp_solve(g, rational=True).equilibrium
            assert lp.value == pytest.approx(float(next(iter(their_lp.payoffs))[1])), path
            assert float(_their_profile(g, sf, lp[0]).max_regret()) < 1e-9, path
    assert zero_sum >= 3


def _pure_best(tree, sf, player, other):
    """The best pure-strategy payoff of ``player`` against the other's behaviour, by
    enumerating its pure strategies and walking the tree."""
    g = tree.graph

    def value(n, choice):
        d = g.nodes[n]
        if d["kind"] == "terminal":
            return float(d["payoffs"][player])
        kids = tree.children(n)
        if d["kind"] == "chance":
            return sum(float(g.edges[n, c]["prob"]) * value(c, choice) for c in kids)
        if d["player"] == player:
            return value(kids[choice[d["infoset"]]], choice)
        probs = other[d["infoset"]]
        return sum(probs[a] * value(c, choice)
                   for a, c in zip(d["actions"], kids, strict=True) if probs[a] > 0)

    best = -np.inf
    for pure in itertools.product(*[range(len(a)) for a in sf.actions[player]]):
        best = max(best, value(tree.root, dict(zip(sf.infosets[player], pure, strict=True))))
    return best


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**6), depth=st.integers(2, 4), size=st.integers(1, 3),
       chance=st.booleans(), scale=st.sampled_from([1e-6, 1.0, 1e6]))
def test_lemke_equilibria_survive_brute_force_deviations(seed, depth, size, chance, scale):
    tree = random_tree(depth, infoset_size=size, chance_root=chance, seed=seed)
    if scale != 1.0:       # any payoff scale
        for _n, d in tree.graph.nodes(data=True):
            if d["kind"] == "terminal":
                d["payoffs"] = tuple(v * Fraction(scale) for v in d["payoffs"])
    res = sequence_lemke(tree, starts=3, seed=seed)
    assert 1 <= len(res) <= 3
    for eq in res:
        for i in (0, 1):
            best = _pure_best(tree, res.form, i, eq.behaviour[1 - i])
            assert eq.payoffs[i] >= best - 1e-7 * 99 * scale


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10**6), depth=st.integers(2, 4), size=st.integers(1, 3))
def test_zero_sum_lp_value_equals_the_normal_form_value(seed, depth, size):
    tree = random_tree(depth, infoset_size=size, seed=seed)
    for _n, d in tree.graph.nodes(data=True):
        if d["kind"] == "terminal":
            d["payoffs"] = (d["payoffs"][0], -d["payoffs"][0])
    res = sequence_lp(tree)
    nf = tree.to_normal_form(reduced=True)
    value = gt.solve(nf, method="zero_sum")[0].payoffs[0]
    assert res.value == pytest.approx(float(value), abs=1e-7)
    assert res[0].payoffs[0] == pytest.approx(res.value, abs=1e-7)
    # Lemke on the same tree reaches the value too (every equilibrium of a zero-sum game
    # has it)
    assert sequence_lemke(tree)[0].payoffs[0] == pytest.approx(res.value, abs=1e-7)


def test_several_starts_find_several_equilibria_reproducibly():
    # a coordination game as a tree: two pure equilibria and a mixed one
    t = GameTree(players=("1", "2"))
    t.decision("r", player="1", actions={"A": "a", "B": "b"})
    t.decision("a", player="2", actions={"A": "aa", "B": "ab"}, infoset="I")
    t.decision("b", player="2", actions={"A": "ba", "B": "bb"}, infoset="I")
    for n, u in {"aa": (2, 1), "ab": (0, 0), "ba": (0, 0), "bb": (1, 2)}.items():
        t.terminal(n, u)
    one = sequence_lemke(t, starts=12, seed=5)
    two = sequence_lemke(t, starts=12, seed=5)
    assert [e.payoffs for e in one] == [e.payoffs for e in two]
    found = {tuple(np.round(e.payoffs, 6)) for e in one}
    assert found <= {(2.0, 1.0), (1.0, 2.0), (round(2 / 3, 6), round(2 / 3, 6))}
    assert len(found) >= 2


def test_bad_inputs_raise_typed_errors():
    t = random_tree(3, seed=1)
    with pytest.raises(SolverError, match="zero-sum"):
        sequence_lp(t)
    with pytest.raises(SolverError, match="starts"):
        sequence_lemke(t, starts=0)
    with pytest.raises(gt.errors.GameError, match="GameTree"):
        sequence_lemke(gt.games.matching_pennies())
    bad = GameTree(players=("1", "2"))
    bad.decision("r", player="1", actions={"L": "a", "R": "b"})
    bad.decision("a", player="1", actions={"l": "c", "r": "d"}, infoset="I")
    bad.decision("b", player="1", actions={"l": "e", "r": "f"}, infoset="I")
    for n in "cdef":
        bad.terminal(n, (0, 0))
    with pytest.raises(GameTreeError, match="perfect recall"):
        sequence_lemke(bad)


def test_sequence_form_is_linear_where_the_normal_form_explodes():
    tree = random_tree(8, seed=8)
    sf = sequence_form(tree)
    assert sf.n_sequences == (87, 171)
    eq = sequence_lemke(sf)[0]
    assert max(eq.gains) <= 1e-7 * 99


@pytest.mark.parametrize("seed", [8, 9])
def test_sparse_and_dense_engines_follow_the_same_lexicographic_path(seed):
    sf = sequence_form(random_tree(8, infoset_size=2, chance_root=seed == 9, seed=seed))
    dense = sequence_lemke(sf, engine="dense")
    sparse = sequence_lemke(sf, engine="sparse")     # > REFACTOR_EVERY pivots
    assert sparse.pivots == dense.pivots > 48
    for a, b in zip(sparse[0].plans, dense[0].plans, strict=True):
        assert np.allclose(a, b, atol=1e-9)
    with pytest.raises(gt.errors.UnknownNameError, match="engine"):
        sequence_lemke(sf, engine="lu")


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), depth=st.integers(2, 8), size=st.integers(1, 3),
       chance=st.booleans())
def test_compiled_engine_follows_the_dense_engines_path(seed, depth, size, chance):
    sf = sequence_form(random_tree(depth, infoset_size=size, chance_root=chance, seed=seed))
    dense = sequence_lemke(sf, engine="dense")
    compiled = sequence_lemke(sf, engine="compiled")
    assert compiled.pivots == dense.pivots
    for a, b in zip(compiled[0].plans, dense[0].plans, strict=True):
        assert np.allclose(a, b, atol=1e-9)


def test_compiled_engine_redoes_a_stretch_whose_inverse_drifted(monkeypatch):
    """Drift is injected into the updated inverse in the middle of the path (1e-7 on
    every entry of one column, far above the 1e-12 the check accepts): the residual
    check catches it at the end of the stretch, the stretch is redone from the last
    checked basis with fresh inverses, and the path reaches the sparse-LU engine's
    equilibrium."""
    from gametheory.solvers import _lemke_kernel as kernel
    from gametheory.solvers import sequence_form as engine

    sf = sequence_form(random_tree(7, branching=3, infoset_size=3, seed=2))
    M, q0, n1, _, _ = engine._lcp(sf)
    d = np.ones(len(q0))
    steps = kernel.lemke_steps
    calls, drifted = [], []

    def drifting(*args):
        binv, state = args[4], args[8]
        calls.append(int(state[1]))
        status = steps(*args)
        if not drifted and int(state[1]) == 512:
            binv[:, 7] += 1e-7                          # once, after pivot 512
            drifted.append(True)
        return status

    monkeypatch.setattr(kernel, "lemke_steps", drifting)
    z, pivots = engine._lemke_compiled(M, q0, d, max_pivots=10**7)
    assert calls.count(256) == 2                        # the stretch 256-512 redone
    zs, pivots_sparse = engine._lemke_sparse(M, q0, d, max_pivots=10**7)
    assert pivots == pivots_sparse == 1543
    assert np.allclose(z, zs, atol=1e-8)
    monkeypatch.undo()
    eq = sequence_lemke(sf)[0]                                # auto: compiled
    assert np.allclose(eq.plans[0], z[:n1], atol=1e-8)


def test_compiled_engine_gives_up_when_rounding_brings_a_basis_back(monkeypatch):
    """The lexicographic rule never revisits a basis; when rounding breaks a near-tie
    the wrong way the floating-point path can (seen on random_tree(10, seed=1) on one
    machine, not on another: rounding differs). A revisit is injected here (every
    stretch reports a basis hash twice): the engine redoes the stretch with halved
    intervals, then gives up (None), and sequence_lemke finishes with the sparse
    engine from the start."""
    from gametheory.solvers import _lemke_kernel as kernel
    from gametheory.solvers import sequence_form as engine

    sf = sequence_form(random_tree(7, seed=7))
    M, q0, n1, _, _ = engine._lcp(sf)
    steps = kernel.lemke_steps
    intervals = []

    def revisiting(*args):
        state, stop, hist = args[8], args[9], args[14]
        before = int(state[1])
        intervals.append(int(stop) - before)
        status = steps(*args)
        done = int(state[1]) - before
        if done >= 2:
            hist[done - 1] = hist[0]                    # a basis comes back
        return status

    monkeypatch.setattr(kernel, "lemke_steps", revisiting)
    assert engine._lemke_compiled(M, q0, np.ones(len(q0)), max_pivots=10**6) is None
    assert intervals[:1] == [engine.REINVERT_EVERY]
    assert min(intervals) == engine.MIN_REINVERT          # halved down to the floor
    res = sequence_lemke(sf)                              # auto: the sparse engine
    monkeypatch.undo()
    zs, _ = engine._lemke_sparse(M, q0, np.ones(len(q0)), max_pivots=10**6)
    assert np.allclose(res[0].plans[0], zs[:n1], atol=1e-8)


def test_compiled_engine_checks_its_memory_before_allocating(monkeypatch):
    from gametheory.solvers import sequence_form as engine

    sf = sequence_form(random_tree(6, seed=6))
    with pytest.raises(gt.errors.IterationLimitError):
        sequence_lemke(sf, engine="compiled", max_pivots=20)
    monkeypatch.setattr(engine, "COMPILED_UP_TO", 50)
    with pytest.raises(SolverError, match="COMPILED_UP_TO = 50"):
        sequence_lemke(sf, engine="compiled")
    assert len(sequence_lemke(sf)) == 1                       # auto: sparse instead
