"""Degeneracy of bimatrix games and the components of their equilibrium sets."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from math import comb

import numpy as np

from .._validate import check_tolerance
from ..errors import GameTooLargeError, ShapeError
from ..games.normal_form import Game, MixedStrategy
from ._polytope import bimatrix_polytopes, polytope_vertices
from .result import Equilibrium, EquilibriumComponent

__all__ = ["DegeneracyCertificate", "equilibrium_components", "is_degenerate"]


@dataclass(frozen=True)
class DegeneracyCertificate:
    """Answer to "is this game degenerate?", with the evidence.

    A bimatrix game is non-degenerate when no mixed strategy with support of
    size k has more than k pure best responses (von Stengel 2007, Def. 3.2).
    A certificate is such a strategy: ``strategy`` of ``player`` uses the
    actions ``support`` but the opponent has the larger set of best
    responses ``best_responses``. Truthiness is the answer.

    Examples
    --------
    >>> from gametheory import Game
    >>> cert = is_degenerate(Game.from_bimatrix([[3, 3], [2, 5], [0, 6]],
    ...                                         [[3, 3], [2, 6], [3, 1]]))
    >>> bool(cert), cert.player, cert.support, cert.best_responses
    (True, 'Player 1', (0,), (0, 1))
    """

    degenerate: bool
    player: str | None = None
    strategy: MixedStrategy | None = None
    support: tuple[int, ...] = ()
    best_responses: tuple[int, ...] = ()
    opponent: str | None = None

    def __bool__(self) -> bool:
        return self.degenerate

    def __str__(self) -> str:
        if not self.degenerate:
            return "non-degenerate: no mixed strategy has more best responses than its support size"
        return (f"degenerate: {self.player}'s strategy {self.strategy!r} uses "
                f"{len(self.support)} action(s) but {self.opponent} has "
                f"{len(self.best_responses)} best responses {list(self.best_responses)}")

    def _repr_html_(self) -> str:
        from .._format import fields_html

        if not self.degenerate:
            return fields_html("Non-degenerate game", [("degenerate", False)])
        return fields_html("Degeneracy certificate",
                           [("player", self.player), ("strategy", str(self.strategy)),
                            ("support size", len(self.support)),
                            ("best responses of " + str(self.opponent), self.best_responses)])


#: Most lexicographic bases the exact search of one polytope may visit (about 1 ms
#: each in pure Python at 10 x 10; random 10 x 10 games need about 1,500).
EXACT_BASIS_LIMIT = 60_000
#: Seconds the exact search may run before it gives up (a typed error, not a hang).
EXACT_TIME_LIMIT = 20.0
#: Most square systems the floating-point sweep of one polytope may solve
#: (``C(m + n, m)``: 705,432 at 11 x 11; 12 x 12 has 2.7 million).
FLOAT_BASIS_LIMIT = 1_000_000
#: The floating-point sweep is trusted while ``condition * eps * CONDITION_MARGIN``
#: stays below the tolerance; beyond that the vertices are recomputed exactly.
CONDITION_MARGIN = 1e3


@dataclass(frozen=True)
class PolytopeVertices:
    """Vertices of both best-response polytopes, as floats with boolean label
    matrices (``VP, LP, VQ, LQ``) and, when computed exactly, as ``Fraction``
    tuples (``exact_P``, ``exact_Q``, in the same order)."""

    VP: np.ndarray
    LP: np.ndarray
    VQ: np.ndarray
    LQ: np.ndarray
    exact_P: list | None = None
    exact_Q: list | None = None
    n_bases: int = 0

    def __iter__(self):
        return iter((self.VP, self.LP, self.VQ, self.LQ))

    @property
    def exact(self) -> bool:
        return self.exact_P is not None


def _labels_matrix(labels, n_labels: int) -> np.ndarray:
    out = np.zeros((len(labels), n_labels), dtype=bool)
    for k, lab in enumerate(labels):
        out[k, list(lab)] = True
    return out


def bimatrix_vertices(game: Game, tol: float = 1e-9, *, exact: bool | None = None
                      ) -> PolytopeVertices:
    """Vertices and label sets of both best-response polytopes of a two-player game.

    With exact payoffs (the default whenever the game has them) the vertices
    are enumerated in exact rational arithmetic by lexicographic pivoting
    (:mod:`._exact_vertices`): no basis is discarded by a floating-point
    threshold. Otherwise every basis is solved in floating point and kept
    unless it is numerically rank deficient (a relative singular-value test,
    so the answer does not depend on the payoff scale).

    Raises
    ------
    GameTooLargeError
        When the polytopes have more bases than the single-game budget.
    """
    tol = check_tolerance(tol)
    if game.n_players != 2:
        raise ShapeError(f"this method needs a two-player game; the game has {game.n_players}")
    m, n = game.shape
    use_exact = game.is_exact if exact is None else exact
    if use_exact and game.exact_payoffs is not None:
        return _exact_vertices(game, game.exact_payoffs)
    bases = comb(m + n, m)
    if bases > FLOAT_BASIS_LIMIT:
        raise GameTooLargeError(
            f"a {m} x {n} game has {bases:,} bases per best-response polytope, more than the "
            f"single-game solver's budget of {FLOAT_BASIS_LIMIT:,}; use "
            "gametheory.solve_many([game]) (compiled vertex enumeration by pivoting) or "
            "solve(game, method='lemke_howson') for one equilibrium")
    A, B = game.bimatrix
    (G_P, h_P), (G_Q, h_Q) = bimatrix_polytopes(A, B)
    VP, LP, cond_P = polytope_vertices(G_P, h_P, tol=tol)
    VQ, LQ, cond_Q = polytope_vertices(G_Q, h_Q, tol=tol)
    if max(cond_P, cond_Q) * np.finfo(float).eps * CONDITION_MARGIN > tol:
        # Rounding could have misplaced a label: redo the enumeration exactly on the
        # binary values the floats hold (every float is a rational number), which
        # certifies the result for the game as stored.
        from .._numbers import binary_fraction_array

        return _exact_vertices(game, binary_fraction_array(game.payoffs))
    return PolytopeVertices(VP, LP, VQ, LQ, n_bases=2 * bases)


def _exact_vertices(game: Game, exact_payoffs: np.ndarray) -> PolytopeVertices:
    from ._exact_vertices import exact_bimatrix_vertices

    m, n = game.shape
    try:
        EP, LPs, EQ, LQs, n_bases = exact_bimatrix_vertices(
            exact_payoffs, max_bases=EXACT_BASIS_LIMIT,
            deadline=time.monotonic() + EXACT_TIME_LIMIT)
    except OverflowError as exc:
        raise GameTooLargeError(
            f"a {m} x {n} game is beyond the exact single-game solver's budget "
            f"({EXACT_BASIS_LIMIT:,} lexicographic bases or {EXACT_TIME_LIMIT:g} s; {exc}); "
            "use gametheory.solve_many([game]) (compiled vertex enumeration, floating "
            "point, verified) or solve(game, method='lemke_howson') for one equilibrium"
            ) from None
    VP = np.array([[float(v) for v in z] for z in EP]).reshape(len(EP), m)
    VQ = np.array([[float(v) for v in z] for z in EQ]).reshape(len(EQ), n)
    return PolytopeVertices(VP, _labels_matrix(LPs, m + n), VQ, _labels_matrix(LQs, m + n),
                            exact_P=EP, exact_Q=EQ, n_bases=n_bases)


def certificate_from_vertices(game: Game, VP, LP, VQ, LQ) -> DegeneracyCertificate:
    """Build the certificate from the polytope vertices (first over-labelled vertex)."""
    m, n = game.shape
    for V, L, dim, who in ((VP, LP, m, 0), (VQ, LQ, n, 1)):
        counts = L.sum(axis=1)
        for k in np.flatnonzero(counts > dim):
            z = V[k]
            if z.sum() <= 0:
                continue
            z = np.where(np.abs(z) < 1e-12, 0.0, z) / z.sum()
            if who == 0:
                support = tuple(int(i) for i in range(m) if not L[k, i])
                brs = tuple(int(j - m) for j in range(m, m + n) if L[k, j])
            else:
                support = tuple(int(j - m) for j in range(m, m + n) if not L[k, j])
                brs = tuple(int(i) for i in range(m) if L[k, i])
            return DegeneracyCertificate(
                True, player=game.players[who],
                strategy=MixedStrategy(z, actions=game.actions[who], player=game.players[who]),
                support=support, best_responses=brs, opponent=game.players[1 - who])
    return DegeneracyCertificate(False)


def is_degenerate(game: Game, *, tol: float = 1e-9) -> DegeneracyCertificate:
    """Whether a two-player game is degenerate, with a certificate when it is.

    Parameters
    ----------
    game : Game
        A two-player game.
    tol : float
        Tolerance for tight constraints (payoffs are shifted to be >= 1).

    Returns
    -------
    DegeneracyCertificate
        Truthy when degenerate.

    References
    ----------
    von Stengel, B. (2007). Equilibrium computation for two-player games in
    strategic and extensive form. In *Algorithmic Game Theory*, ch. 3.

    Examples
    --------
    >>> from gametheory.games import matching_pennies
    >>> bool(is_degenerate(matching_pennies()))
    False
    """
    return certificate_from_vertices(game, *bimatrix_vertices(game, tol))


def equilibrium_components(game: Game, equilibria: list[Equilibrium]
                           ) -> tuple[list[Equilibrium], list[EquilibriumComponent]]:
    """Group extreme equilibria into maximal Nash subsets and connected components.

    Two extreme strategies x and y are joined when (x, y) is an equilibrium; a
    maximal Nash subset is a maximal complete bipartite subgraph (all pairs
    are equilibria, so is every convex combination), found as the maximal
    cliques of the graph in which all x-nodes and all y-nodes are additionally
    joined to each other. Components are the connected parts.

    References
    ----------
    Avis, D., Rosenberg, G., Savani, R. & von Stengel, B. (2010). Enumeration of
    Nash equilibria for two-player games. *Economic Theory* 42:9-37.
    """
    import networkx as nx

    def key(s):
        return tuple(s.values)

    xs: dict[tuple, int] = {}
    ys: dict[tuple, int] = {}
    for eq in equilibria:
        xs.setdefault(key(eq.strategies[0]), len(xs))
        ys.setdefault(key(eq.strategies[1]), len(ys))
    bip = nx.Graph()
    bip.add_nodes_from(("x", i) for i in xs.values())
    bip.add_nodes_from(("y", j) for j in ys.values())
    pair_to_eq = {}
    for k, eq in enumerate(equilibria):
        a, b = xs[key(eq.strategies[0])], ys[key(eq.strategies[1])]
        bip.add_edge(("x", a), ("y", b))
        pair_to_eq[(a, b)] = k
    aug = bip.copy()
    xn = [("x", i) for i in xs.values()]
    yn = [("y", j) for j in ys.values()]
    aug.add_edges_from((u, v) for idx, u in enumerate(xn) for v in xn[idx + 1:])
    aug.add_edges_from((u, v) for idx, u in enumerate(yn) for v in yn[idx + 1:])
    subsets = []
    for clique in nx.find_cliques(aug):
        X = tuple(sorted(i for t, i in clique if t == "x"))
        Y = tuple(sorted(j for t, j in clique if t == "y"))
        if X and Y:
            subsets.append((X, Y))
    x_strats = [None] * len(xs)
    y_strats = [None] * len(ys)
    for eq in equilibria:
        x_strats[xs[key(eq.strategies[0])]] = eq.strategies[0].probabilities
        y_strats[ys[key(eq.strategies[1])]] = eq.strategies[1].probabilities
    parts = sorted(nx.connected_components(bip),
                   key=lambda c: min(pair_to_eq.get((a[1], b[1]), 1 << 30)
                                     for a in c if a[0] == "x" for b in c if b[0] == "y"))
    components = []
    labelled = list(equilibria)
    for nodes in parts:
        xi = sorted(i for t, i in nodes if t == "x")
        yi = sorted(j for t, j in nodes if t == "y")
        eq_idx = tuple(sorted(pair_to_eq[(a, b)] for a in xi for b in yi
                              if (a, b) in pair_to_eq))
        if not eq_idx:
            continue
        xl = {g: k for k, g in enumerate(xi)}
        yl = {g: k for k, g in enumerate(yi)}
        subs = tuple(sorted((tuple(xl[a] for a in X), tuple(yl[b] for b in Y))
                            for X, Y in subsets if set(X) <= set(xi)))
        components.append(EquilibriumComponent(
            index=len(components), equilibria=eq_idx, nash_subsets=subs,
            extreme_strategies=(tuple(x_strats[i] for i in xi),
                                tuple(y_strats[j] for j in yi))))
        for k in eq_idx:
            labelled[k] = dataclasses.replace(labelled[k], component=len(components) - 1)
    return labelled, components
