"""All equilibria of N-player games (support enumeration + polynomial systems):
known answers, pygambit's enumpoly as an oracle, properties."""

from __future__ import annotations

import io
import warnings
from importlib.resources import files

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.errors import IncompleteResultWarning, InputLimitError, SolverError
from gametheory.games.nfg import read_nfg
from gametheory.solvers import polynomial_enumeration, vertex_enumeration

# McKelvey & McLennan (1997), "The maximal number of regular totally mixed Nash
# equilibria", J. Econ. Theory 72: a 2x2x2 game with nine equilibria, two totally mixed
# (the example file 2x2x2.nfg shipped with Gambit).
MCKELVEY_MCLENNAN = '''NFG 1 R "2x2x2, McKelvey-McLennan" { "Player 1" "Player 2" "Player 3" }
{ { "1" "2" } { "1" "2" } { "1" "2" } }
""
{
{ "" 9, 8, 12 }
{ "" 0, 0, 0 }
{ "" 0, 0, 0 }
{ "" 9, 8, 2 }
{ "" 0, 0, 0 }
{ "" 3, 4, 6 }
{ "" 3, 4, 6 }
{ "" 0, 0, 0 }
}
1 2 3 4 5 6 7 8
'''


def _jordan() -> gt.Game:
    """Three-player matching pennies (Jordan 1993): 1 matches 2, 2 mismatches 3,
    3 matches 1; the unique equilibrium is everyone mixing half and half."""
    U = np.zeros((2, 2, 2, 3))
    for a in np.ndindex(2, 2, 2):
        U[a] = [a[0] == a[1], a[1] != a[2], a[2] == a[0]]
    return gt.Game(U)


def _profiles(res) -> list[np.ndarray]:
    return [np.concatenate(e.profile) for e in res]


def _contains(found: list[np.ndarray], x: np.ndarray, tol: float = 1e-6) -> bool:
    return any(np.abs(f - x).max() < tol for f in found)


def _random_game(seed: int, shape: tuple[int, ...], integer: bool = False) -> gt.Game:
    rng = np.random.default_rng(seed)
    if integer:
        U = rng.integers(0, 100, size=(*shape, len(shape)))
    else:
        U = rng.normal(size=(*shape, len(shape)))
    return gt.Game(U)


def test_jordan_unique_equilibrium():
    res = polynomial_enumeration(_jordan())
    assert res.guarantee == "all" and len(res) == 1
    np.testing.assert_allclose(_profiles(res)[0], 0.5, atol=1e-12)


def test_mckelvey_mclennan_nine_equilibria_two_totally_mixed():
    res = gt.solve(read_nfg(io.StringIO(MCKELVEY_MCLENNAN)), method="polynomial")
    assert res.guarantee == "all" and len(res) == 9
    first = np.array([[s.probabilities[0] for s in e.strategies] for e in res])
    totally_mixed = first[np.all((first > 0) & (first < 1), axis=1)]
    expected = np.array([[1 / 2, 2 / 5, 1 / 4], [2 / 5, 1 / 2, 1 / 3]])
    assert len(totally_mixed) == 2
    for row in expected:
        assert np.abs(totally_mixed - row).max(axis=1).min() < 1e-10
    assert sum(e.is_pure for e in res) == 4


@pytest.mark.parametrize("shape", [(3, 3), (4, 3), (2, 5)])
def test_two_players_agree_with_vertex_enumeration(shape):
    for seed in range(5):
        g = _random_game(seed, shape)
        ours = _profiles(polynomial_enumeration(g))
        ref = _profiles(vertex_enumeration(g))
        assert len(ours) == len(ref)
        assert all(_contains(ours, x) for x in ref)


@given(seed=st.integers(0, 2**32 - 1),
       shape=st.sampled_from([(2, 2, 2), (3, 2, 2), (3, 3, 2), (2, 2, 2, 2)]),
       exponents=st.lists(st.integers(-6, 6), min_size=4, max_size=4))
def test_generic_games_odd_count_and_scale_free(seed, shape, exponents):
    """A generic game has an odd number of equilibria (Wilson 1971; Harsanyi 1973);
    a positive affine map of one player's payoffs changes none of them."""
    g = _random_game(seed, shape)
    res = polynomial_enumeration(g)
    assert res.guarantee == "all"
    assert len(res) % 2 == 1
    U = np.array(g.payoffs)
    for i in range(g.n_players):
        U[..., i] = U[..., i] * 10.0 ** exponents[i] + 7.0 * exponents[i]
    scaled = polynomial_enumeration(gt.Game(U))
    assert scaled.guarantee == "all" and len(scaled) == len(res)
    assert all(_contains(_profiles(scaled), x) for x in _profiles(res))


def test_over_budget_is_reported_not_hidden():
    g = _random_game(4, (3, 3, 3))
    with pytest.warns(IncompleteResultWarning, match="over the budget"):
        res = polynomial_enumeration(g, max_boxes=2)
    assert res.guarantee == "all_regular" and not res.converged
    assert any(u["status"] == "over budget" for u in res.details["unresolved_supports"])
    full = polynomial_enumeration(g)
    assert full.guarantee == "all" and len(full) > len(res)


def test_limits_and_bad_options():
    with pytest.raises(InputLimitError, match="support profiles"):
        polynomial_enumeration(gt.Game(np.zeros((8, 8, 8, 3))))
    with pytest.raises(InputLimitError, match="unknowns"):
        polynomial_enumeration(gt.Game(np.zeros((6, 6, 6, 3))))
    with pytest.raises(SolverError, match="max_boxes"):
        polynomial_enumeration(_jordan(), max_boxes=0)
    with pytest.raises(SolverError, match="min_width"):
        polynomial_enumeration(_jordan(), min_width=2.0)


# --- pygambit's enumpoly as an oracle ------------------------------------------------

pygambit = pytest.importorskip("pygambit")


def _gambit(g: gt.Game):
    arrays = [np.asarray(g.payoffs[..., i]) for i in range(g.n_players)]
    if all(np.array_equal(a, np.round(a)) for a in arrays):
        arrays = [a.astype(int) for a in arrays]
    game = pygambit.StrategicGame.from_arrays(*arrays)
    events = []
    res = pygambit.nash.enumpoly_solve(game, event_callback=events.append)
    eqs = [np.concatenate([[float(eq[p][s]) for s in game.get_strategies(p)]
                           for p in game.players]) for eq in res.equilibria]
    singular = sum("Candidate" not in type(e).__name__ for e in events)
    return game, eqs, singular


def _their_regret(game, g: gt.Game, x: np.ndarray) -> float:
    parts = np.split(x, np.cumsum(g.shape)[:-1])
    prof = game.mixed_strategy_profile([[float(v) for v in s] for s in parts])
    return float(prof.max_regret())


@pytest.mark.parametrize("shape", [(2, 2, 2), (3, 3, 3)])
def test_against_gambit_enumpoly_on_random_games(shape):
    """Every equilibrium enumpoly finds is ours; ours are equilibria by pygambit's own
    regret. Where enumpoly returns fewer (it misses some totally mixed equilibria, and
    it skips singular supports) the extra ones are checked there too."""
    for seed in range(12):
        g = _random_game(seed, shape, integer=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", IncompleteResultWarning)
            ours = polynomial_enumeration(g)
        game, theirs, _ = _gambit(g)
        found = _profiles(ours)
        assert all(_contains(found, x) for x in theirs), seed
        span = float(np.ptp(g.payoffs))
        for x in found:
            assert _their_regret(game, g, x) <= 1e-9 * span


CATALOGUE_N_PLAYER = [
    "conf/itcs/jakobsen2016/fig3.efg",
    "journals/ijgt/nau2004/sec4.nfg",
    "journals/ijgt/nau2004/sec5.nfg",
    "journals/ijgt/nau2004/sec6.nfg",
    "journals/ijgt/selten1975/fig1.efg",
    "journals/ijgt/selten1975/fig3.efg",
]


@pytest.mark.parametrize("name", CATALOGUE_N_PLAYER)
def test_gambit_catalogue_n_player_games(name):
    path = str(files("pygambit") / "catalog_data" / name)
    tree = pygambit.read_efg(path) if name.endswith(".efg") else pygambit.read_nfg(path)
    g = gt.Game(np.stack([np.asarray(a, dtype=float) for a in tree.to_arrays()], axis=-1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IncompleteResultWarning)
        ours = polynomial_enumeration(g)
    game, theirs, singular = _gambit(g)
    found = _profiles(ours)
    assert all(_contains(found, x) for x in theirs)
    span = float(np.ptp(g.payoffs))
    assert all(_their_regret(game, g, x) <= 1e-9 * span for x in found)
    # a continuum (or singular root) is reported as Gambit reports it, never hidden
    assert (ours.guarantee == "all") == (not ours.details["unresolved_supports"])
    if singular:
        assert ours.guarantee == "all_regular"


def test_selten_horse_continuum_is_reported_with_its_ends():
    """Selten's (1975) horse: player 3 may play L with any probability up to 1/4 while
    players 1 and 2 play their first actions - a continuum, which enumpoly skips as a
    singular support. We report that support and return both ends of the segment."""
    path = str(files("pygambit") / "catalog_data" / "journals/ijgt/selten1975/fig1.efg")
    tree = pygambit.read_efg(path)
    g = gt.Game(np.stack([np.asarray(a, dtype=float) for a in tree.to_arrays()], axis=-1))
    with pytest.warns(IncompleteResultWarning, match="singular"):
        res = polynomial_enumeration(g)
    assert res.guarantee == "all_regular"
    supports = [u["support"] for u in res.details["unresolved_supports"]]
    assert {"Player 1": ["1"], "Player 2": ["1"], "Player 3": ["1", "2"]} in supports
    found = _profiles(res)
    assert _contains(found, np.array([1, 0, 1, 0, 0.25, 0.75]), 1e-9)
    assert _contains(found, np.array([1, 0, 1, 0, 0, 1]), 1e-9)
    # no near-duplicates: points on the segment that are its ends are not listed twice
    assert all(np.abs(a - b).max() > 1e-6 for i, a in enumerate(found) for b in found[:i])


def _kernel_input(U: np.ndarray) -> np.ndarray:
    """A payoff array (shape + (n,)) as the kernel takes it: per player, scaled to [0, 1]."""
    from gametheory.solvers.polynomial import _scaled

    return _scaled(gt.Game(U))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1),
       shape=st.sampled_from([(2, 2, 2), (3, 3, 2), (3, 2, 3), (3, 3, 3), (4, 4, 2),
                              (2, 3, 3)]),
       high=st.sampled_from([2, 3, 100]))
def test_elimination_agrees_with_the_box_search(seed, shape, high):
    """Three-player supports solved by elimination (one player fixed, a univariate
    polynomial) give the same candidates and the same flagged supports as the box
    search, on generic games and on degenerate ones (payoffs in 0..1 or 0..2, where
    continua, rank drops and multiple roots are common)."""
    from gametheory.solvers._polynomial import enumerate_supports

    U = _kernel_input(np.random.default_rng(seed).integers(0, high, (*shape, 3)))
    m = np.array(shape)
    fast = enumerate_supports(U, m, 20_000, 1e-7, 1e-9, True)
    boxes = enumerate_supports(U, m, 20_000, 1e-7, 1e-9, False)
    assert {tuple(r) for r in fast[2].tolist()} == {tuple(r) for r in boxes[2].tolist()}
    regular_fast = fast[0][fast[1] == 0]
    regular_boxes = boxes[0][boxes[1] == 0]
    assert len(regular_fast) == len(regular_boxes)
    assert all(_contains(list(regular_boxes), x, 1e-8) for x in regular_fast)
    if high == 100:  # generic: the shortcut was taken somewhere
        assert fast[4][7] > 0


@pytest.mark.parametrize("seed", range(4))
def test_elimination_agrees_on_four_action_supports(seed):
    """Supports where two players mix over four actions (null vectors from 3 x 3
    minors) against a pure or a two-action third player: same equilibria as the box
    search. (A wrongly sized minor once lost an equilibrium on such a support.)"""
    from gametheory.solvers._polynomial import enumerate_supports

    U = _kernel_input(np.random.default_rng(100 + seed).integers(0, 100, (4, 4, 2, 3)))
    m = np.array([4, 4, 2])
    fast = enumerate_supports(U, m, 20_000, 1e-7, 1e-9, True)
    boxes = enumerate_supports(U, m, 20_000, 1e-7, 1e-9, False)
    assert fast[4][7] > 0 and len(fast[0]) == len(boxes[0])
    assert all(_contains(list(boxes[0]), x, 1e-8) for x in fast[0])


def test_bernstein_root_isolation_known_roots():
    from gametheory.solvers._polynomial import _bernstein_roots, _collocation

    nodes, inverse = _collocation(4)

    def bernstein(roots):
        s = nodes[len(roots), :len(roots) + 1]
        values = np.prod([s - r for r in roots], axis=0)
        return inverse[len(roots), :len(roots) + 1, :len(roots) + 1] @ values

    found, count = _bernstein_roots(bernstein([0.2, 0.3, 0.75, 1.6]), 1e-14)
    assert count == 3 and np.allclose(np.sort(found[:count]), [0.2, 0.3, 0.75], atol=1e-13)
    found, count = _bernstein_roots(bernstein([0.5, 0.5 + 1e-3]), 1e-14)
    assert count == 2 and np.allclose(np.sort(found[:count]), [0.5, 0.501], atol=1e-12)
    # a double root cannot be isolated: reported, not dropped
    assert _bernstein_roots(bernstein([0.4, 0.4, 0.9]), 1e-14)[1] == -1
    # none in (0, 1)
    assert _bernstein_roots(bernstein([-0.5, 1.5]), 1e-14)[1] == 0
