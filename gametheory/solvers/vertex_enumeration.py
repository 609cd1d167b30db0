"""All extreme equilibria of a bimatrix game by vertex enumeration."""

from __future__ import annotations

import time
import warnings

from ..errors import DegenerateGameWarning
from ..games.normal_form import Game
from ._polytope import complementary_pairs
from .degeneracy import bimatrix_vertices, certificate_from_vertices, equilibrium_components
from .result import EquilibriumResult
from .verify import finalize

__all__ = ["vertex_enumeration"]


def vertex_enumeration(game: Game, *, tol: float = 1e-9, exact: bool = False
                       ) -> EquilibriumResult:
    """Every extreme Nash equilibrium of a two-player game.

    Enumerates the vertices of both best-response polytopes and returns the
    completely labelled pairs (Algorithm 3.5 of von Stengel 2007). In a
    non-degenerate game these are all equilibria; in a degenerate game they
    are all *extreme* equilibria, grouped into components
    (``result.components``) whose convex pieces make up the whole
    equilibrium set, and a :class:`~gametheory.DegenerateGameWarning` is issued.

    Parameters
    ----------
    game : Game
        A two-player game.
    tol : float
        Tolerance for tight constraints and best responses, relative to the
        payoff range.
    exact : bool
        Return ``Fraction`` strategies (needs exact payoffs).

    Returns
    -------
    EquilibriumResult
        ``guarantee`` is ``"all"`` (non-degenerate) or ``"all_extreme"``.

    References
    ----------
    von Stengel, B. (2007). Equilibrium computation for two-player games in
    strategic and extensive form. In Nisan et al. (eds.), *Algorithmic Game
    Theory*, ch. 3. Avis, D., Rosenberg, G., Savani, R. & von Stengel, B.
    (2010). Enumeration of Nash equilibria for two-player games. *Economic
    Theory* 42:9-37.

    Examples
    --------
    >>> from gametheory import Game
    >>> res = vertex_enumeration(Game.from_bimatrix([[1, 2], [3, 0]], [[0, 2], [3, 1]]),
    ...                          exact=True)
    >>> [[list(map(str, s.values)) for s in eq.strategies] for eq in res]
    [[['1', '0'], ['0', '1']], [['1/2', '1/2'], ['1/2', '1/2']], [['0', '1'], ['1', '0']]]
    """
    started = time.perf_counter()
    vertices = bimatrix_vertices(game, tol)
    cert = certificate_from_vertices(game, *vertices)
    if cert:
        warnings.warn(f"{cert}; returning all extreme equilibria and their components",
                      DegenerateGameWarning, stacklevel=2)
    return extreme_equilibria(game, vertices, cert, method="vertex_enumeration", tol=tol,
                              exact=exact, started=started)


def extreme_equilibria(game: Game, vertices, cert, *, method: str, tol: float, exact: bool,
                       started: float) -> EquilibriumResult:
    """Verified equilibria from the completely labelled vertex pairs, with components."""
    VP, LP, VQ, LQ = vertices
    pairs = complementary_pairs(LP, LQ)
    if vertices.exact:
        # exact vertices: the equilibria are exact, so verification is exact too
        EP, EQ = vertices.exact_P, vertices.exact_Q
        candidates = [[_normalized(EP[p]), _normalized(EQ[q])] for p, q in pairs
                      if any(EP[p]) and any(EQ[q])]
    else:
        nz_p = VP.sum(axis=1) > tol
        nz_q = VQ.sum(axis=1) > tol
        candidates = [[VP[p] / VP[p].sum(), VQ[q] / VQ[q].sum()]
                      for p, q in pairs if nz_p[p] and nz_q[q]]
    result = finalize(game, candidates, method=method,
                      guarantee="all_extreme" if cert else "all", tol=tol, exact=exact,
                      started=started, n_iter=vertices.n_bases, degenerate=bool(cert),
                      details={"n_vertices": (len(VP), len(VQ)), "certificate": cert,
                               "arithmetic": "exact" if vertices.exact else "float"})
    if cert:
        result.equilibria, result.components = equilibrium_components(game, result.equilibria)
    result.elapsed_s = time.perf_counter() - started
    return result


def _normalized(z):
    total = sum(z)
    return [v / total for v in z]
