"""All Nash equilibria of N-player games: support enumeration with polynomial systems."""

from __future__ import annotations

import time
import warnings

import numpy as np

from .._validate import check_tolerance
from ..errors import IncompleteResultWarning, InputLimitError, SolverError
from ..games.normal_form import Game
from .result import EquilibriumResult
from .verify import finalize

__all__ = ["MAX_SUPPORT_PROFILES", "MAX_VARIABLES", "polynomial_enumeration"]

#: Largest number of support profiles ``prod_i (2^m_i - 1)`` the method enumerates.
MAX_SUPPORT_PROFILES = 2_000_000
#: Largest number of free probabilities ``sum_i (m_i - 1)`` in one support's system
#: (each box test visits the ``2^n`` vertices of an n-dimensional box).
MAX_VARIABLES = 14


def polynomial_enumeration(game: Game, *, tol: float = 1e-9, max_boxes: int = 20_000,
                           min_width: float = 1e-7) -> EquilibriumResult:
    """Every Nash equilibrium of a game with any number of players, or an honest
    statement of which supports could not be resolved.

    For each support profile that survives conditional dominance (no action of a
    support is strictly worse than another action against every profile of the
    others' supports), the indifference equations are solved for *every*
    root in the probability boxes by interval subdivision: the equations are
    multilinear, so their exact range over a box is read off its vertices, and
    the Krawczyk operator certifies a unique root (or none) in a box; certified
    roots are polished by Newton's method. A root is kept when it is a
    probability vector and no action outside a support does better; every
    candidate is then verified by :func:`~gametheory.solvers.verify.finalize`.
    This is the method of Gambit's ``enumpoly`` (McKelvey & McLennan 1996;
    Turocy's PolEnum), with exact vertex bounds in place of Taylor bounds.
    In three-player games, supports where one player mixes over at most two
    actions and the other two over equally many (or all three over three) are
    solved by elimination instead: with that player's strategy fixed the others'
    equations are linear, their null vectors give the others' strategies, and the
    remaining one or two equations are univariate or bivariate polynomials whose
    roots are isolated in the Bernstein basis (Descartes' rule; subdivision,
    projected-polyhedron clipping and Krawczyk certificates); degenerate cases
    go back to the box search. Both give the same equilibria (tested).

    The result promises ``"all"`` equilibria when every support's system was
    resolved: then the game has finitely many equilibria and all are listed.
    A support whose equations are singular (a continuum of equilibria, or a
    root where the Jacobian vanishes) or whose search exceeds ``max_boxes``
    is listed in ``details["unresolved_supports"]``; the points found on it by
    Gauss-Newton are still returned when they verify, the guarantee becomes
    ``"all_regular"`` and an :class:`~gametheory.errors.IncompleteResultWarning`
    says so; ``details["unresolved_points"]`` lists which returned equilibria
    are such points. (Gambit skips these supports; in a game whose only
    equilibria lie on one it can return none.)

    Parameters
    ----------
    game : Game
        Any number of players (two-player games have faster exact methods:
        ``"vertex_enumeration"``).
    tol : float
        Verification tolerance, relative to each player's payoff range.
    max_boxes : int
        Boxes examined per support before giving up on it (Gambit's
        ``max_rectangles``).
    min_width : float
        Width below which an undecided box is taken as singular.

    Raises
    ------
    InputLimitError
        When the game has more than :data:`MAX_SUPPORT_PROFILES` support profiles
        or a support system would have more than :data:`MAX_VARIABLES` unknowns
        (checked before anything is allocated).

    Examples
    --------
    Three-player matching pennies (Jordan 1993) has one equilibrium, everyone
    mixing half and half:

    >>> import numpy as np
    >>> import gametheory as gt
    >>> U = np.zeros((2, 2, 2, 3))
    >>> for a in np.ndindex(2, 2, 2):
    ...     U[a] = [a[0] == a[1], a[1] != a[2], a[2] == a[0]]
    >>> res = gt.solve(gt.Game(U), method="polynomial")
    >>> res.guarantee, len(res)
    ('all', 1)
    >>> [s.probabilities.round(6).tolist() for s in res[0].strategies]
    [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]
    """
    started = time.perf_counter()
    tol = check_tolerance(tol)
    if not isinstance(game, Game):
        raise SolverError(f"polynomial_enumeration needs a gametheory.Game, got "
                          f"{type(game).__name__}")
    if isinstance(max_boxes, bool) or not isinstance(max_boxes, int | np.integer) \
            or max_boxes < 1:
        raise SolverError(f"max_boxes must be a positive integer, got {max_boxes!r}")
    if not (0 < float(min_width) < 0.5):
        raise SolverError(f"min_width must be in (0, 0.5), got {min_width!r}")
    m = np.array(game.shape, dtype=np.int64)
    profiles = 1
    for mi in game.shape:
        profiles *= 2 ** mi - 1
        if profiles > MAX_SUPPORT_PROFILES:
            raise InputLimitError(
                f"a game of shape {game.shape} has more than {MAX_SUPPORT_PROFILES:,} "
                "support profiles; polynomial_enumeration enumerates them all. Remove "
                "dominated actions first (method='dominance'), or look for one "
                "equilibrium (method='qre' follows the logit path)")
    n_vars = int(sum(mi - 1 for mi in game.shape))
    if n_vars > MAX_VARIABLES:
        raise InputLimitError(
            f"a game of shape {game.shape} gives support systems of up to {n_vars} unknowns; "
            f"polynomial_enumeration handles at most {MAX_VARIABLES}")
    from ._polynomial import enumerate_supports

    U = _scaled(game)
    cands, origin, flagged, examined, stats = enumerate_supports(
        U, m, int(max_boxes), float(min_width), tol, True)
    # a point found on an unresolved support within 1e-6 of another candidate (often
    # the end of a continuum, certified on a larger support) is the same equilibrium
    keep = np.flatnonzero(origin == 0).tolist()
    for r in np.flatnonzero(origin != 0).tolist():
        if not any(np.abs(cands[r] - cands[q]).max() < 1e-6 for q in keep):
            keep.append(r)
    candidates = cands[keep]
    unresolved = [_support_record(game, row[:-1], int(row[-1])) for row in flagged]
    guarantee = "all" if not unresolved else "all_regular"
    if unresolved:
        singular = sum(u["status"] == "singular" for u in unresolved)
        warnings.warn(
            f"polynomial_enumeration: {len(unresolved)} support profile(s) not resolved "
            f"({singular} singular - a continuum of equilibria or a singular root - and "
            f"{len(unresolved) - singular} over the budget of {max_boxes} boxes); the "
            "equilibria found on them are verified but may not be all "
            "(details['unresolved_supports'])", IncompleteResultWarning, stacklevel=3)
    result = finalize(game, candidates, method="polynomial", guarantee=guarantee, tol=tol,
                      started=started, n_iter=int(stats.sum()),
                      converged=not any(u["status"] == "over budget" for u in unresolved),
                      details={"supports_examined": int(examined),
                               "unresolved_supports": unresolved})
    # which returned equilibria are only points found on an unresolved support (one
    # point of a continuum, or a singular root), by the support they live on
    if np.any(origin != 0):
        regular = {tuple(row) for row in np.round(cands[origin == 0], 8).tolist()}
        result.details["unresolved_points"] = [
            k for k, eq in enumerate(result.equilibria)
            if tuple(np.round(np.concatenate(eq.profile), 8).tolist()) not in regular]
    else:
        result.details["unresolved_points"] = []
    return result


def _scaled(game: Game) -> np.ndarray:
    """Each player's payoffs mapped to [0, 1] (equilibria are unchanged by a positive
    affine map of one player's payoffs); shape (n_players, prod shape)."""
    P = np.moveaxis(np.asarray(game.payoffs, dtype=float), -1, 0).reshape(game.n_players, -1)
    lo = P.min(axis=1, keepdims=True)
    span = P.max(axis=1, keepdims=True) - lo
    span[span == 0] = 1.0
    return np.ascontiguousarray((P - lo) / span)


def _support_record(game: Game, masks, status: int) -> dict:
    return {
        "support": {game.players[i]: [game.actions[i][a] for a in range(game.shape[i])
                                      if (int(masks[i]) >> a) & 1]
                    for i in range(game.n_players)},
        "status": "singular" if status == 1 else "over budget",
    }
