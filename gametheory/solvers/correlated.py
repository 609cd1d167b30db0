"""Correlated equilibria of N-player games by linear programming."""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from ..errors import ShapeError, SolverError, VerificationWarning
from ..games.normal_form import Game, MixedStrategy
from ._exact import rationalize_distribution
from .result import CorrelatedEquilibrium, EquilibriumResult, Rejected

__all__ = ["correlated_equilibrium", "correlated_equilibrium_polytope"]


def correlated_equilibrium_polytope(game: Game) -> tuple[np.ndarray, np.ndarray]:
    """Incentive constraints ``C p >= 0`` over joint distributions ``p`` (flattened, C order).

    One row per player ``i`` and ordered pair of actions ``(a, b)``, ``a != b``:
    ``sum_{s_-i} p(a, s_-i) [u_i(a, s_-i) - u_i(b, s_-i)] >= 0`` -- a player told
    to play ``a`` does not gain by playing ``b`` (Aumann 1974). Together with
    ``p >= 0`` and ``sum p = 1`` this is the correlated-equilibrium polytope.

    Returns
    -------
    C : ndarray, shape (n_constraints, prod(shape))
    labels : ndarray of (player, a, b)
    """
    rows, labels = _incentive_rows(game.payoffs)
    C = np.array(rows) if rows else np.zeros((0, int(np.prod(game.shape))))
    return C, np.array(labels, dtype=int).reshape(-1, 3)


def _objective(game: Game, objective) -> np.ndarray:
    size = int(np.prod(game.shape))
    flat = game.payoffs.reshape(size, game.n_players)
    if isinstance(objective, str):
        if objective == "welfare":
            return flat.sum(axis=1)
        if objective.startswith("player:"):
            return flat[:, game.player_index(objective.split(":", 1)[1])]
        if objective == "min_welfare":
            return -flat.sum(axis=1)
        raise SolverError(f"unknown objective {objective!r}; use 'welfare', 'min_welfare', "
                          "'player:<label>', player weights or a vector over profiles")
    w = np.asarray(objective, dtype=float)
    if w.shape == (game.n_players,):
        return flat @ w
    if w.size == size:
        return w.reshape(size)
    raise ShapeError(f"objective must have {game.n_players} player weights or {size} "
                     f"profile values, got shape {w.shape}")


def correlated_equilibrium(game: Game, *, objective: str | Sequence[float] = "welfare",
                           tol: float = 1e-9, exact: bool = False) -> EquilibriumResult:
    """A correlated equilibrium maximising a linear objective (N players).

    Parameters
    ----------
    objective : "welfare", "min_welfare", "player:<label>", weights or vector
        What to maximise: the sum of payoffs (default), minus it, one
        player's payoff, a weighted sum, or any vector over pure profiles.

    Returns
    -------
    EquilibriumResult
        One :class:`CorrelatedEquilibrium` (guarantee ``"optimal"``) with
        ``details["objective_value"]``. The constraint system is available from
        :func:`correlated_equilibrium_polytope`.

    References
    ----------
    Aumann, R. J. (1974). Subjectivity and correlation in randomized strategies.
    *J. Math. Econ.* 1:67-96. Papadimitriou, C. H. & Roughgarden, T. (2008).
    Computing correlated equilibria in multi-player games. *J. ACM* 55(3).

    Examples
    --------
    >>> from gametheory.games import chicken
    >>> game = chicken(tie=6, lose=2, win=7, crash=0)  # Aumann's example
    >>> res = correlated_equilibrium(game, exact=True)
    >>> res[0].payoffs  # more than the symmetric Nash payoff 14/3 for each player
    array([5.25, 5.25])
    >>> res[0].exact_distribution.tolist()
    [[Fraction(1, 2), Fraction(1, 4)], [Fraction(1, 4), Fraction(0, 1)]]
    """
    from scipy.optimize import linprog

    started = time.perf_counter()
    C, _ = correlated_equilibrium_polytope(game)
    size = int(np.prod(game.shape))
    c = -_objective(game, objective)
    res = linprog(c, A_ub=-C if len(C) else None, b_ub=np.zeros(len(C)) if len(C) else None,
                  A_eq=np.ones((1, size)), b_eq=[1.0], bounds=[(0, None)] * size,
                  method="highs-ds")
    if res.status != 0:
        raise SolverError(f"correlated-equilibrium LP failed: {res.message}")
    p = np.clip(res.x, 0.0, None)
    p /= p.sum()
    scale = game.payoff_scale
    regret = float(max(0.0, -(C @ p).min())) if len(C) else 0.0
    rejected = []
    equilibria = []
    exact_dist = None
    if regret > tol * scale:
        rejected.append(Rejected(((tuple(p),)), f"incentive constraint violated by {regret:.3g}"))
    else:
        ex = game.exact_payoffs
        if ex is not None:
            C_exact, _ = _incentive_rows(ex)
            exact_dist = rationalize_distribution(
                p, lambda q: all(sum((c_ * v for c_, v in zip(row, q.reshape(-1), strict=True)),
                                     Fraction(0)) >= 0 for row in C_exact))
            if exact_dist is None:
                rejected.append(Rejected(((tuple(p),)), "no exact rational distribution "
                                                        "satisfies the constraints"))
            else:
                exact_dist = exact_dist.reshape(game.shape)
                p = np.array([float(v) for v in exact_dist.reshape(-1)])
        elif exact:
            raise SolverError("exact=True needs exact payoffs")
    if not rejected:
        dist = p.reshape(game.shape)
        marg = []
        for i in range(game.n_players):
            axes = tuple(j for j in range(game.n_players) if j != i)
            if exact and exact_dist is not None:
                m_ex = [sum(exact_dist[(slice(None),) * i + (a,)].reshape(-1), Fraction(0))
                        for a in range(game.shape[i])]
                marg.append(MixedStrategy(m_ex, actions=game.actions[i], player=game.players[i]))
            else:
                marg.append(MixedStrategy(dist.sum(axis=axes), actions=game.actions[i],
                                     player=game.players[i]))
        payoffs = np.tensordot(dist, game.payoffs, axes=game.n_players)
        equilibria.append(CorrelatedEquilibrium(
            distribution=dist, strategies=tuple(marg), payoffs=np.asarray(payoffs),
            regret=regret, verified="exact" if exact_dist is not None else "float",
            exact_distribution=exact_dist))
    else:
        warnings.warn(f"correlated: candidate rejected ({rejected[0].reason})",
                      VerificationWarning, stacklevel=2)
    return EquilibriumResult(
        equilibria=equilibria, method="correlated", guarantee="optimal", game=game,
        exact=bool(exact), tol=tol, n_iter=int(getattr(res, "nit", 0)),
        elapsed_s=time.perf_counter() - started, game_digest=game.digest(),
        rejected=rejected, details={"objective_value": float(-res.fun),
                                    "objective": objective})


def _incentive_rows(payoffs: np.ndarray) -> tuple[list[np.ndarray], list[tuple[int, int, int]]]:
    """Incentive-constraint rows for a float or ``Fraction`` payoff-profile array."""
    shape = payoffs.shape[:-1]
    n = len(shape)
    rows, labels = [], []
    for i in range(n):
        u = payoffs[..., i]
        for a in range(shape[i]):
            for b in range(shape[i]):
                if a == b:
                    continue
                row = np.zeros(shape, dtype=payoffs.dtype)
                at_a = (slice(None),) * i + (a,)
                at_b = (slice(None),) * i + (b,)
                row[at_a] = u[at_a] - u[at_b]
                rows.append(row.reshape(-1))
                labels.append((i, a, b))
    return rows, labels
