"""Every game of Gambit's catalogue (``pygambit.catalog``), against pygambit's own solvers.

For each game: our reader gives the same payoffs as pygambit's; on pygambit's
strategic form, our ``solve`` returns exactly the extreme equilibria of pygambit's
rational ``enummixed`` (two players) and the pure equilibria of ``enumpure``;
our reduced normal form of each ``.efg`` has the same payoff table as Gambit's
up to the order of strategies; on perfect-information trees, the
subgame-perfect payoffs of our backward induction are payoffs of pure agent-form
equilibria found by pygambit (``enumpure_agent_solve``).

Convention differences (documented, not skipped):

* Gambit labels reduced strategies by the actions taken (``"1"``, ``"2"``...);
  we label them ``T/C`` with ``*`` for unreached choices, so tables are compared
  up to permutations of rows and columns, not by label.
* ``enumpure_agent_solve`` returns every pure *agent-form* equilibrium, a
  superset of the subgame-perfect ones; we check inclusion, not equality.
* Gambit refuses to compute equilibria of trees with imperfect recall
  (Gilboa 1997, Wichardt 2008, two textbook figures) even in their strategic
  form; we solve them, so pygambit is run on a plain strategic-form copy of
  its own table (``Game.from_arrays``), which it does solve.
"""

from __future__ import annotations

import warnings
from fractions import Fraction
from importlib.resources import files

import numpy as np
import pytest

import gametheory as gt
from gametheory.games.efg import read_efg
from gametheory.games.extensive import backward_induction

pygambit = pytest.importorskip("pygambit")
from pygambit import catalog  # noqa: E402

CATALOGUE = catalog.games().Game.tolist()
ROOT = files("pygambit") / "catalog_data"


def _path(name: str):
    for suffix in (".nfg", ".efg"):
        p = ROOT / f"{name}{suffix}"
        if p.is_file():
            return p, suffix
    raise FileNotFoundError(name)


def _exact(arr) -> np.ndarray:
    return np.vectorize(lambda v: Fraction(str(v)), otypes=[object])(np.asarray(arr))


def _their_game(g) -> gt.Game:
    arrays = [_exact(a) for a in g.to_arrays()]
    return gt.Game(np.stack(arrays, axis=-1))


def _profile_set(equilibria, g) -> set:
    out = set()
    for eq in equilibria:
        out.add(tuple(tuple(Fraction(str(eq[p][s])) for s in g.get_strategies(p))
                      for p in g.players))
    return out


def _table_signature(game: gt.Game) -> list:
    """Rows and columns of the payoff table as sorted multisets (order-free)."""
    P = game.exact_payoffs
    rows = sorted(tuple(sorted(map(tuple, P[i].reshape(-1, P.shape[-1]).tolist())))
                  for i in range(P.shape[0]))
    return rows


@pytest.mark.parametrize("name", CATALOGUE)
def test_catalogue_game(name):
    path, suffix = _path(name)
    tree_game = catalog.load(name)
    theirs = _their_game(tree_game)
    # pygambit's solvers on a plain strategic-form copy of its own table (same order)
    g = pygambit.StrategicGame.from_arrays(*tree_game.to_arrays())
    if suffix == ".nfg":
        ours = gt.read_nfg(str(path))
        assert np.array_equal(ours.exact_payoffs, theirs.exact_payoffs)
    else:
        tree = read_efg(str(path))
        ours = tree.to_normal_form(reduced=True)
        assert ours.shape == theirs.shape
        assert _table_signature(ours) == _table_signature(theirs)
    # pure equilibria, any number of players
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gt.DegenerateGameWarning)
        pure = gt.solve(theirs, method="pure", exact=True)
    expected = _profile_set(pygambit.nash.enumpure_solve(g).equilibria, g)
    assert {eq.exact_strategies for eq in pure} == expected
    if len(g.players) == 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", gt.DegenerateGameWarning)
            res = gt.solve(theirs, exact=True)
        expected = _profile_set(pygambit.nash.enummixed_solve(g, rational=True).equilibria, g)
        assert {eq.exact_strategies for eq in res} == expected
        assert res.guarantee in ("all", "all_extreme")
    if suffix == ".efg" and tree.perfect_information:
        agent = pygambit.nash.enumpure_agent_solve(tree_game).equilibria
        agent_payoffs = {tuple(Fraction(str(eq.payoffs[p])) for p in tree_game.players)
                         for eq in agent}
        spe = backward_induction(tree)
        assert len(spe) >= 1
        assert {tuple(Fraction(v).limit_denominator(10**9) for v in pay)
                for pay in spe.payoffs} <= agent_payoffs


# Games where the logit principal branch meets a pitchfork bifurcation (a symmetric
# game, or a symmetric part of one): we keep to the branch we are on and record the
# bifurcation in details["bifurcations"]; Gambit's logit_solve turns onto another
# branch there, so the two limits differ, and both are Nash equilibria. On
# jakobsen2016/fig1c Gambit stops without reaching its regret target.
QRE_BRANCH_CHOICE = {
    "books/shohamleytonbrown2008/fig5_1",
    "journals/dcg/vonstengel1999/6x6_game_with_75_eq_small_payoffs",
    "journals/ijgt/nau2004/sec3",
    "journals/other/shapley1974/fig3",
}
QRE_GAMBIT_FAILS = {"conf/itcs/jakobsen2016/fig1c"}


# logit tracing is compared on the two-player games (3- and 4-player ones: pure
# equilibria, above)
TWO_PLAYER = [n for n in CATALOGUE if len(catalog.load(n).players) == 2]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", TWO_PLAYER)
def test_logit_branch_limit_matches_gambit(name):
    arrays = catalog.load(name).to_arrays()
    g = pygambit.StrategicGame.from_arrays(*arrays)
    game = gt.Game(np.stack([np.asarray(a, dtype=float) for a in arrays], axis=-1))
    ours = gt.solve(game, method="qre")
    assert len(ours) == 1 and ours.converged
    x = np.concatenate([s.probabilities for s in ours[0].strategies])
    theirs = pygambit.nash.logit_solve(g)
    if name in QRE_GAMBIT_FAILS:
        assert theirs.equilibrium is None
        return
    y = np.array([float(theirs.equilibrium[p][s]) for p in g.players
                  for s in g.get_strategies(p)])
    if name in QRE_BRANCH_CHOICE:
        assert ours.details["bifurcations"] and theirs.bifurcations
        assert not np.allclose(x, y, atol=1e-3)
        return
    assert np.allclose(x, y, atol=1e-3)
