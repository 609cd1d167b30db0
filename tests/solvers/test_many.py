"""solve_many: agreement with single-game solving and with Gambit, bad input, streaming."""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gametheory import Game, solve, solve_many
from gametheory.errors import GameError, ShapeError, UnknownNameError
from gametheory.games import battle_of_the_sexes, matching_pennies, prisoners_dilemma
from gametheory.solvers import _batch_kernels as K

from ..conftest import bimatrix_games, gambit_enummixed


def _profiles(entry, decimals=7):
    return sorted(tuple(np.round(np.concatenate([x, y]), decimals)) for x, y in entry.equilibria)


def _single(A, B, decimals=7):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = solve(Game.from_bimatrix(A, B), method="vertex_enumeration")
    return sorted(tuple(np.round(np.concatenate([e.strategies[0].probabilities,
                                                 e.strategies[1].probabilities]), decimals))
                  for e in res)


# ----------------------------------------------------------------- known answers


def test_known_games():
    games = [prisoners_dilemma(), matching_pennies(), battle_of_the_sexes()]
    res = solve_many(games)
    assert res.n_equilibria.tolist() == [1, 1, 3]
    assert res[1].equilibria[0][0] == pytest.approx([0.5, 0.5])
    bos = res[2]
    assert [len(bos)] == [3] and not bos.degenerate
    game = battle_of_the_sexes()
    (A, B) = game.bimatrix
    assert _profiles(bos) == _single(A, B)
    mixed = next(e for e in bos.equilibria if 0 < e[0][0] < 1)
    # the mixed equilibrium makes each player indifferent
    assert np.ptp(A @ mixed[1]) == pytest.approx(0) and np.ptp(mixed[0] @ B) == pytest.approx(0)


def test_prisoners_dilemma_sweep_from_readme():
    T = np.linspace(2, 6, 5)
    A = np.stack([[[3, 0], [t, 1]] for t in T])
    res = solve_many(A, np.swapaxes(A, 1, 2))
    # T = 2 < R: a coordination game (2 pure + 1 mixed); T = 3 = R: degenerate, the
    # extreme equilibria are (C, C) and (D, D); T > R: only mutual defection.
    assert res.n_equilibria.tolist() == [3, 2, 1, 1, 1]
    assert res.degenerate.tolist() == [False, True, False, False, False]
    frame = res.to_frame()
    assert list(frame.columns[:4]) == ["game", "equilibrium", "x", "y"]
    assert frame.loc[frame.game == 4, "payoff_1"].tolist() == [1.0]


@pytest.mark.parametrize("method", ["vertex_enumeration", "enumerate", "lemke_howson"])
@pytest.mark.parametrize("shape", [(1, 1), (1, 4), (2, 2), (3, 3), (2, 5), (4, 3), (5, 5),
                                   (7, 6)])
def test_agrees_with_single_game_solvers(shape, method):
    rng = np.random.default_rng(sum(shape))
    m, n = shape
    A = rng.integers(-50, 50, (40, m, n)).astype(float)
    B = rng.integers(-50, 50, (40, m, n)).astype(float)
    res = solve_many(A, B, method=method)
    assert not res.errors and not res.rejected.any()
    for i, entry in enumerate(res):
        if method in ("vertex_enumeration", "enumerate"):
            assert _profiles(entry) == _single(A[i], B[i]), i
        else:
            single = solve(Game.from_bimatrix(A[i], B[i]), method="lemke_howson")
            (x, y), = entry.equilibria
            assert x == pytest.approx(single[0].strategies[0].probabilities)
            assert y == pytest.approx(single[0].strategies[1].probabilities)


@pytest.mark.parametrize("label", range(7))
def test_lemke_howson_every_label_agrees_with_single_game_on_degenerate_games(label):
    """Payoffs 0..2 make ties in the ratio test common: the compiled kernel's
    lexicographic rule must follow the same path as the single-game solver."""
    rng = np.random.default_rng(label)
    A = rng.integers(0, 3, (60, 3, 4)).astype(float)
    B = rng.integers(0, 3, (60, 3, 4)).astype(float)
    res = solve_many(A, B, method="lemke_howson", initial_dropped_label=label)
    assert not res.errors
    for i, entry in enumerate(res):
        single = solve(Game.from_bimatrix(A[i], B[i]), method="lemke_howson",
                       initial_dropped_label=label)
        (x, y), = entry.equilibria
        assert x == pytest.approx(single[0].strategies[0].probabilities), i
        assert y == pytest.approx(single[0].strategies[1].probabilities), i


@pytest.mark.parametrize("shape,count", [((9, 9), 2), ((12, 10), 1)])
def test_large_games_agree_with_single_game_solver(shape, count):
    rng = np.random.default_rng(7)
    A = rng.integers(0, 1000, (count, *shape)).astype(float)
    B = rng.integers(0, 1000, (count, *shape)).astype(float)
    res = solve_many(A, B)
    for i, entry in enumerate(res):
        assert _profiles(entry) == _single(A[i], B[i])


@pytest.mark.parametrize("shape", [(1, 25), (25, 1), (2, 30), (30, 3)])
def test_thin_games_on_the_pivoting_path(shape):
    """Games with one short side (C(m + n, m) > 20, so pivoted) against the single-game
    solver, ties included."""
    rng = np.random.default_rng(shape[1])
    A = rng.integers(0, 6, (5, *shape)).astype(float)
    B = rng.integers(0, 6, (5, *shape)).astype(float)
    res = solve_many(A, B)
    assert not res.errors
    for i, entry in enumerate(res):
        assert _profiles(entry) == _single(A[i], B[i]), i


def test_games_with_too_many_vertices_go_to_reverse_search(monkeypatch):
    """A polytope with more bases than the hash-table search's memory budget: that game
    is solved by reverse search instead (memory bounded by the depth), the others of
    the batch by the hash-table search, with the same equilibria as the single-game
    solver."""
    from gametheory.solvers import many as batch

    monkeypatch.setattr(batch, "PIVOT_MEMORY", 1)          # at least 64 bases still fit
    assert batch.max_bases(8, 8) == 64
    rng = np.random.default_rng(3)
    A = rng.integers(0, 100, (3, 8, 8)).astype(float)    # a few hundred vertices each
    B = rng.integers(0, 100, (3, 8, 8)).astype(float)
    A[1] = B[1] = 1.0                                    # constant game: 9 vertices
    res = solve_many(A, B)
    assert not res.errors
    assert res.reverse_search.tolist() == [True, False, True]
    assert res.summary()["by reverse search"] == 2
    for i in range(3):
        assert _profiles(res[i]) == _single(A[i], B[i]), i


@pytest.mark.parametrize("shape,high", [((4, 4), 100), ((4, 4), 3), ((5, 5), 3),
                                        ((6, 4), 4), ((3, 7), 2), ((7, 7), 100), ((8, 8), 3)])
def test_reverse_search_agrees_with_the_hash_table_search(shape, high):
    """Two enumerations of the same vertex sets: the breadth-first walk that keeps every
    basis and the reverse search that keeps none - the same equilibria and degeneracy
    flags, game by game, on degenerate (small payoff range) and generic games."""
    from gametheory.solvers import _batch_kernels as K
    from gametheory.solvers.many import _enumerate_pivoting, _reverse_search

    rng = np.random.default_rng(high + 7 * shape[0])
    A = rng.integers(0, high, (60, *shape)).astype(float)
    B = rng.integers(0, high, (60, *shape)).astype(float)

    def table(g, x, y):
        rows = np.column_stack([g, x / x.sum(axis=1, keepdims=True),
                                y / y.sum(axis=1, keepdims=True)])
        return rows[np.lexsort(np.round(rows, 6).T[::-1])]

    g, x, y, deg, _ = _enumerate_pivoting(A, B, 1e-9)
    g2, x2, y2, deg2 = _reverse_search(K.normalise(A), K.normalise(B), range(len(A)), 1e-9)
    ref, got = table(g, x, y), table(g2, x2, y2)
    assert got.shape == ref.shape
    np.testing.assert_allclose(got, ref, atol=1e-9)
    assert np.array_equal(deg, deg2)


@given(bimatrix_games(max_actions=5, low=0, high=3))
def test_reverse_search_equals_gambit_enummixed(game):
    """Degenerate games included: every extreme equilibrium, exactly Gambit's set."""
    from gametheory.solvers import _batch_kernels as K
    from gametheory.solvers.many import _reverse_search

    A, B = (np.asarray(game.payoffs[..., i], dtype=float)[None] for i in (0, 1))
    _, x, y, _ = _reverse_search(K.normalise(A), K.normalise(B), [0], 1e-9)
    got = {(tuple(Fraction(float(v)).limit_denominator(1000) for v in a / a.sum()),
            tuple(Fraction(float(v)).limit_denominator(1000) for v in b / b.sum()))
           for a, b in zip(x, y, strict=True)}
    expected, _ = gambit_enummixed(game)
    assert got == expected


def test_games_too_large_to_enumerate_are_reported():
    A = np.zeros((2, 32, 31))
    res = solve_many(A, A)
    assert sorted(res.errors) == [0, 1]
    assert "m + n > 62" in res.errors[0] and "lemke_howson" in res.errors[0]
    one = solve_many(A, A, method="lemke_howson")
    assert not one.errors and one.n_equilibria.tolist() == [1, 1]


@pytest.mark.parametrize("shape,high", [((4, 4), 100), ((4, 4), 3), ((5, 5), 100), ((5, 5), 3),
                                        ((6, 4), 4), ((3, 7), 2)])
def test_pivoting_agrees_with_basis_enumeration(shape, high):
    """The compiled vertex-to-vertex path and the NumPy sweep over all bases are two
    algorithms for the same set: equal equilibria, game by game; the sweep's flags are
    exact, and pivoting (which searches player 2's polytope only when it must) flags
    only degenerate games and leaves unflagged only games whose equilibria are all
    isolated."""
    from gametheory.solvers.many import _enumerate_pivoting, _enumerate_small

    rng = np.random.default_rng(high + shape[0])
    A = rng.integers(0, high, (150, *shape)).astype(float)
    B = rng.integers(0, high, (150, *shape)).astype(float)

    def table(out):
        g, x, y, deg = out
        rows = np.column_stack([g, x / x.sum(axis=1, keepdims=True),
                                y / y.sum(axis=1, keepdims=True)])
        return rows[np.lexsort(np.round(rows, 6).T[::-1])], deg

    *pivoted, too_large = _enumerate_pivoting(A, B, 1e-9)
    assert too_large.size == 0
    fast, deg_fast = table(pivoted)
    ref, deg_ref = table(_enumerate_small(A, B, 1e-9))
    assert fast.shape == ref.shape
    np.testing.assert_allclose(fast, ref, atol=1e-9)
    _check_flags(A, B, ref, deg_fast, deg_ref)
    if high <= 4:
        assert deg_ref.sum() > 50


def _check_flags(A, B, rows, flagged, exact):
    """``flagged`` only where ``exact``; where the two differ, every equilibrium of the
    game (``rows``: game, x, y) is isolated: no player has more pure best responses than
    the support of the other's strategy (the condition for a vertex with extra labels)."""
    assert not (flagged & ~exact).any()
    m = A.shape[1]
    for g in np.flatnonzero(exact & ~flagged):
        for row in rows[rows[:, 0] == g]:
            x, y = row[1:m + 1], row[m + 1:]
            u2, u1 = x @ B[g], A[g] @ y
            scale = max(np.ptp(A[g]), np.ptp(B[g]), 1.0)
            assert (u2 >= u2.max() - 1e-7 * scale).sum() == (x > 1e-9).sum()
            assert (u1 >= u1.max() - 1e-7 * scale).sum() == (y > 1e-9).sum()


@pytest.mark.parametrize("shape,high", [((2, 2), 2), ((3, 3), 3), ((3, 4), 2), ((5, 5), 3),
                                        ((6, 6), 3)])
def test_degenerate_games_match_gambit_enummixed(shape, high):
    """Small payoff ranges make most games degenerate: all extreme equilibria must match
    Gambit's exact (rational) enummixed, one for one."""
    rng = np.random.default_rng(high * 10 + shape[0])
    m, n = shape
    A = rng.integers(0, high, (25, m, n))
    B = rng.integers(0, high, (25, m, n))
    res = solve_many(A, B)
    assert res.degenerate.sum() >= 10
    for i, entry in enumerate(res):
        expected, _ = gambit_enummixed(Game.from_bimatrix(A[i], B[i]))
        got = {tuple(tuple(Fraction(float(v)).limit_denominator(1000) for v in s) for s in e)
               for e in entry.equilibria}
        assert got == expected, i


def test_agrees_with_gambit_on_random_games():
    rng = np.random.default_rng(11)
    A = rng.integers(0, 100, (30, 4, 4))
    B = rng.integers(0, 100, (30, 4, 4))
    res = solve_many(A, B)
    for i, entry in enumerate(res):
        expected, _ = gambit_enummixed(Game.from_bimatrix(A[i], B[i]))
        assert len(entry) == len(expected)
        for x, y in entry.equilibria:
            assert any(np.allclose(x, [float(v) for v in p[0]]) and
                       np.allclose(y, [float(v) for v in p[1]]) for p in expected)


# ----------------------------------------------------------------- properties


@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_property_every_equilibrium_verified_and_invariant_to_scaling(m, n, data):
    """Every returned profile is a Nash equilibrium, and a positive affine change of a
    player's payoffs leaves the set unchanged."""
    A = data.draw(arrays(np.int64, (3, m, n), elements=st.integers(-5, 5))).astype(float)
    B = data.draw(arrays(np.int64, (3, m, n), elements=st.integers(-5, 5))).astype(float)
    res = solve_many(A, B)
    scaled = solve_many(3 * A + 7, 0.5 * B - 2)
    for i, (e1, e2) in enumerate(zip(res, scaled, strict=True)):
        game = Game.from_bimatrix(A[i], B[i])
        assert len(e1) >= 1
        for x, y in e1.equilibria:
            assert game.is_nash([x, y], tol=1e-7)
        assert _profiles(e1) == _profiles(e2)


# ----------------------------------------------------------------- input and output


def test_bad_games_are_reported_and_the_rest_solved():
    A = np.zeros((4, 2, 2))
    B = np.zeros((4, 2, 2))
    A[:] = [[3, 0], [5, 1]]
    B[:] = [[3, 5], [0, 1]]
    A[1, 0, 1] = np.nan
    B[3, 1, 1] = np.inf
    res = solve_many(A, B)
    assert sorted(res.errors) == [1, 3]
    assert "NaN payoff in A[0, 1]" in res.errors[1]
    assert "infinite payoff in B[1, 1]" in res.errors[3]
    assert res.n_equilibria.tolist() == [1, 0, 1, 0]
    assert res.failed.tolist() == [False, True, False, True]
    assert res[1].error is not None and res[0].error is None
    assert res.errors_frame().game.tolist() == [1, 3]


def test_mixed_list_with_wrong_shapes():
    three = Game(np.zeros((2, 2, 2, 3)))
    games = [prisoners_dilemma(), ([[1, 2, 3]], [[1, 2]]), three, ([[1]], [[2]]),
             ([[1, np.nan]], [[0, 0]])]
    res = solve_many(games)
    assert sorted(res.errors) == [1, 2, 4]
    assert "ShapeError" in res.errors[1] and "3-player" in res.errors[2]
    assert res.n_equilibria.tolist() == [1, 0, 0, 1, 0]


def test_whole_batch_shape_errors_and_unknown_method():
    with pytest.raises(ShapeError, match="shape"):
        solve_many(np.zeros((3, 2, 2)), np.zeros((3, 2, 3)))
    with pytest.raises(UnknownNameError, match="lemke_howson"):
        solve_many([prisoners_dilemma()], method="lemke_howsen")
    with pytest.raises(UnknownNameError, match="max_iter"):
        solve_many([prisoners_dilemma()], max_iter=3)
    with pytest.raises(GameError, match="tol must be"):
        solve_many([prisoners_dilemma()], tol=float("nan"))
    with pytest.raises(GameError, match="initial_dropped_label"):
        solve_many([prisoners_dilemma()], method="lemke_howson", initial_dropped_label=1.5)


def test_chunks_give_the_same_result_and_parquet_round_trip(tmp_path):
    rng = np.random.default_rng(3)
    A = rng.integers(0, 9, (300, 3, 3))
    B = rng.integers(0, 9, (300, 3, 3))
    whole = solve_many(A, B)
    chunked = solve_many(A, B, chunk_size=7)
    assert np.array_equal(whole.n_equilibria, chunked.n_equilibria)
    f1, f2 = whole.to_frame(), chunked.to_frame()
    assert f1.drop(columns=["x", "y"]).equals(f2.drop(columns=["x", "y"]))
    path = tmp_path / "eq.parquet"
    whole.to_parquet(path)
    import pandas as pd

    back = pd.read_parquet(path)
    assert len(back) == whole.n_equilibria.sum()
    assert np.allclose(np.vstack(back.x), np.vstack(f1.x))


def test_lemke_howson_iteration_limit_is_reported():
    rng = np.random.default_rng(0)
    A = rng.integers(0, 100, (20, 6, 6))
    B = rng.integers(0, 100, (20, 6, 6))
    res = solve_many(A, B, method="lemke_howson", max_iter=1)
    # one pivot can never finish a path (the dropped label must leave from the other
    # tableau), so every game is reported and none is lost silently
    assert len(res.errors) == 20
    assert all("IterationLimitError" in e for e in res.errors.values())
    assert (res.n_equilibria[list(res.errors)] == 0).all()


def test_repr_and_html():
    res = solve_many([prisoners_dilemma(), matching_pennies()])
    assert "2 games" in repr(res) and "<table>" in res._repr_html_()


def test_minors_match_numpy_determinants():
    rng = np.random.default_rng(2)
    C = rng.random((5, 4, 5))
    D = K.all_minors(C, 4)
    S, T = K.subsets(4, 3), K.subsets(5, 3)
    for a, rows in enumerate(S):
        for b, cols in enumerate(T):
            assert D[3][:, a, b] == pytest.approx(np.linalg.det(C[:, rows][:, :, cols]))


@pytest.mark.parametrize("high,jitter", [(3, 0.0), (9, 0.0), (99, 0.0), (3, 1e-10), (3, 1e-3)])
def test_closed_form_2x2_agrees_with_basis_enumeration(high, jitter):
    from gametheory.solvers.many import _enumerate_2x2, _enumerate_small

    rng = np.random.default_rng(high)
    A = rng.integers(0, high + 1, (4000, 2, 2)).astype(float)
    B = rng.integers(0, high + 1, (4000, 2, 2)).astype(float)
    A += jitter * rng.standard_normal(A.shape)     # near ties on both sides of the threshold
    B += jitter * rng.standard_normal(B.shape)

    def table(out):
        g, x, y, deg = out
        x = x / x.sum(axis=1, keepdims=True)       # the polytope path leaves them unscaled
        y = y / y.sum(axis=1, keepdims=True)
        rows = sorted(zip(g.tolist(), map(tuple, np.round(x, 9).tolist()),
                          map(tuple, np.round(y, 9).tolist()), strict=True))
        return rows, deg

    fast, deg_fast = table(_enumerate_2x2(A, B, 1e-9))
    ref, deg_ref = table(_enumerate_small(A, B, 1e-9))
    assert fast == ref
    assert np.array_equal(deg_fast, deg_ref)
    if jitter == 0 and high == 3:
        assert deg_ref.sum() > 100          # the degenerate case is really exercised


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_complementary_pairs_equal_all_pairs(m, n, data):
    """Sorted complement matching plus exhaustive tests for vertices with extra labels
    finds exactly the completely labelled pairs of the all-pairs test."""
    from gametheory.solvers._pivoting import complementary_pairs

    full = (1 << (m + n)) - 1

    def masks(k, at_least):
        out = set()
        for _ in range(k):   # distinct label sets, as distinct vertices have
            bits = data.draw(st.sets(st.integers(0, m + n - 1), min_size=at_least,
                                     max_size=m + n))
            out.add(sum(1 << b for b in bits))
        return np.array(sorted(out), dtype=np.int64)

    plab = masks(data.draw(st.integers(1, 12)), m)
    qlab = masks(data.draw(st.integers(1, 12)), n)
    origin_p, origin_q = (1 << m) - 1, full ^ ((1 << m) - 1)
    got = {tuple(pq) for pq in complementary_pairs(plab, qlab, m, n).tolist()}
    want = {(p, q) for p in range(len(plab)) for q in range(len(qlab))
            if (plab[p] | qlab[q]) == full and plab[p] != origin_p and qlab[q] != origin_q}
    assert got == want


def _brute_force_vertices(M):
    """Vertices of {z >= 0, M z <= 1} from every c-subset of the r + c constraints."""
    from itertools import combinations

    r, c = M.shape
    G = np.vstack([M, -np.eye(c)])
    h = np.concatenate([np.ones(r), np.zeros(c)])
    found = {}
    for rows in combinations(range(r + c), c):
        sub = G[list(rows)]
        if abs(np.linalg.det(sub)) < 1e-9:
            continue
        z = np.linalg.solve(sub, h[list(rows)])
        if (G @ z <= h + 1e-9).all():
            found[tuple(np.round(z, 9))] = frozenset(np.flatnonzero(np.abs(G @ z - h) <= 1e-9))
    return found


def test_polytope_vertices_known_answer():
    """{z >= 0, 2 z_1 + 2 z_2 <= 1, z_1 + 2 z_2 <= 1}: three vertices; at (0, 1/2) both
    rows and z_1 = 0 are tight (degenerate), and the perturbed polytope has an extra
    basis there, so the search visits four bases for three vertices."""
    from gametheory.solvers._pivoting import polytope_vertices

    M = np.array([[2.0, 2.0], [1.0, 2.0]])
    Z, labels, n_bases = polytope_vertices(M, 1e-9, 1e-11, 0, 2)
    got = {tuple(z): lab for z, lab in zip(Z.tolist(), labels.tolist(), strict=True)}
    # labels: bit 0/1 rows tight, bit 2/3 z_1/z_2 = 0
    assert got == {(0.0, 0.0): 0b1100, (0.5, 0.0): 0b1001, (0.0, 0.5): 0b0111}
    assert n_bases == 4
    # identical rows: the perturbation makes one redundant, so no extra bases
    Z, _, n_bases = polytope_vertices(np.ones((2, 3)), 1e-9, 1e-11, 0, 2)
    assert sorted(map(tuple, Z.tolist())) == [(0, 0, 0), (0, 0, 1), (0, 1, 0), (1, 0, 0)]
    assert n_bases == 4


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_property_polytope_vertices_equal_brute_force(r, c, data):
    """Pivoting finds exactly the vertices (and tight sets) of solving every basis,
    degenerate polytopes (small integer entries) included."""
    from gametheory.solvers._pivoting import polytope_vertices

    M = data.draw(arrays(np.int64, (r, c), elements=st.integers(1, 3))).astype(float)
    Z, labels, _ = polytope_vertices(M, 1e-9, 1e-11, 0, r)
    want = _brute_force_vertices(M)
    got = {tuple(np.round(z, 9)): frozenset(b for b in range(r + c) if lab >> b & 1)
           for z, lab in zip(Z, labels.tolist(), strict=True)}
    assert len(got) == len(Z)
    assert got == want


def test_first_compile_is_announced(tmp_path, monkeypatch):
    from gametheory.solvers import _compiled

    monkeypatch.setenv("GAMETHEORY_CACHE_DIR", str(tmp_path))
    monkeypatch.delitem(__import__("sys").modules, "gametheory.solvers._pivoting",
                        raising=False)
    notice = _compiled.compile_notice()
    assert notice and "compiling the solver kernels once" in notice and str(tmp_path) in notice
    assert _compiled.cache_dir() == tmp_path / "numba"


def test_no_notice_once_the_kernels_are_loaded():
    from gametheory.solvers import _compiled

    solve_many(np.ones((1, 4, 4)), np.ones((1, 4, 4)))
    assert _compiled.compile_notice() is None


def test_compile_notice_per_kernel_module(tmp_path, monkeypatch):
    """Each compiled module is announced until it is cached or loaded (the payoff-set
    and Markov QRE kernels compile on their own first use)."""
    from gametheory.solvers import _compiled
    from gametheory.solvers.repeated import RepeatedGame

    monkeypatch.setenv("GAMETHEORY_CACHE_DIR", str(tmp_path))
    for module in ("_payoff_sets", "_markov_qre"):
        monkeypatch.delitem(__import__("sys").modules, f"gametheory.solvers.{module}",
                            raising=False)
        assert "compiling the solver kernels once" in _compiled.compile_notice(module)
    monkeypatch.undo()
    from gametheory.games import prisoners_dilemma

    RepeatedGame(prisoners_dilemma(), discount=0.5).equilibrium_payoffs()
    assert _compiled.compile_notice("_payoff_sets") is None


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_property_face_partners_are_the_vertices_of_the_face(m, n, data):
    """The partners of a vertex of P (labels: rows ``I`` of its support, columns ``J``
    tight) are exactly the vertices of Q that carry every label it misses - brute force
    over all vertices of Q, degenerate polytopes (entries 1..3) included; the search of Q
    is asked for only when a completion is singular or a face rank-deficient."""
    from gametheory.solvers._pivoting import _face_partners

    A = data.draw(arrays(np.int64, (m, n), elements=st.integers(1, 3))).astype(float)
    rows_i = data.draw(st.sets(st.integers(0, m - 1), min_size=1))
    cols_j = data.draw(st.sets(st.integers(0, n - 1), min_size=len(rows_i))) \
        if len(rows_i) <= n else None
    if cols_j is None:
        return
    lab = sum(1 << i for i in range(m) if i not in rows_i) + sum(1 << (m + j) for j in cols_j)
    x = np.arange(1.0, m + 1)
    X, Y, ok = _face_partners(A, x[None], np.array([lab], np.int64), 1e-9, m, n)
    rank = np.linalg.matrix_rank(A[np.ix_(sorted(rows_i), sorted(cols_j))])
    if len(rows_i) == len(cols_j) and rank < len(rows_i):
        assert not ok                     # a singular completion: Q must be searched
    if not ok:
        return
    want = {z for z, tight in _brute_force_vertices(A).items()
            if all(i in tight for i in rows_i)
            and all(m + j in tight for j in range(n) if j not in cols_j)}
    got = {tuple(np.round(y, 9)) for y in Y}
    assert got == want
    assert all(np.array_equal(r, x) for r in X)


def test_unflagged_game_degenerate_only_away_from_its_equilibria():
    """Player 2's polytope is searched only when player 1's needs it, so a tie in player
    1's payoffs that no equilibrium touches is not flagged (the exact sweep flags it);
    the equilibria are still exactly Gambit's."""
    from gametheory.solvers.many import _enumerate_pivoting, _enumerate_small

    rng = np.random.default_rng(5)
    A = rng.integers(0, 100, (20, 4, 4))
    B = rng.integers(0, 100, (20, 4, 4))
    A[:, 0, 3] = A[:, 1, 3] = 120       # against column 3, rows 0 and 1 tie at the top
    B[:, :, 3] = -1                     # and column 3 is strictly dominated
    _, _, _, flagged, _ = _enumerate_pivoting(A, B, 1e-9)
    *_, exact = _enumerate_small(A, B, 1e-9)
    assert exact.all()
    unflagged = np.flatnonzero(~flagged)
    assert unflagged.size >= 10
    res = solve_many(A, B)
    for g in unflagged:
        expected, _ = gambit_enummixed(Game.from_bimatrix(A[g], B[g]))
        got = {tuple(tuple(Fraction(float(v)).limit_denominator(10**5) for v in s) for s in e)
               for e in res[g].equilibria}
        assert got == expected, g
        assert not res[g].degenerate


def test_a_20x20_game_beyond_the_hash_tables_memory_is_solved(monkeypatch):
    """Issue 23: a random 20 x 20 game whose first polytope has about 1.1 million bases,
    more than ten times what the hash-table search may keep in its 1 GiB
    (``max_bases(20, 20)`` = 96,213). Sent to the hash-table search first, it outgrows
    it; reverse search then solves it (memory bounded by the depth): every equilibrium
    verified, as many as lrsnash (lrslib 0.71b, exact arithmetic) finds - 31."""
    from gametheory.solvers import many as batch

    monkeypatch.setattr(batch, "REVERSE_SEARCH_FROM", 10**9)   # try the hash table first
    rng = np.random.default_rng(100)
    A = rng.integers(0, 100, (1, 20, 20))
    B = rng.integers(0, 100, (1, 20, 20))
    res = solve_many(A, B)
    assert not res.errors and res.reverse_search.tolist() == [True]
    assert res.n_equilibria.tolist() == [31] and res.rejected.tolist() == [0]
