"""Iterated elimination of dominated strategies (pure and mixed dominators)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..games.normal_form import Game
from .result import EquilibriumResult

__all__ = ["DominanceResult", "dominated_by_mixed", "iterated_dominance"]


@dataclass(frozen=True)
class DominanceResult:
    """Outcome of iterated elimination.

    Attributes
    ----------
    game : Game
        The reduced game (surviving actions, original labels).
    surviving : tuple of tuple of int
        Indices (in the original game) of each player's surviving actions.
    eliminated : list of (round, player, action, dominator)
        In order; ``dominator`` maps action labels to probabilities.
    strict : bool
    """

    game: Game
    surviving: tuple[tuple[int, ...], ...]
    eliminated: list[tuple[int, str, str, dict[str, float]]]
    strict: bool

    @property
    def solved(self) -> bool:
        """True when one profile survives (the game is dominance solvable)."""
        return all(len(s) == 1 for s in self.surviving)

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html(("Strict" if self.strict else "Weak") + " iterated dominance",
                           [("surviving actions", self.surviving),
                            ("eliminated (in order)", self.eliminated),
                            ("solved (one profile left)", self.solved),
                            ("reduced game", self.game)])


def dominated_by_mixed(U: np.ndarray, action: int, others: list[int], *, strict: bool = True,
                       tol: float = 1e-9) -> np.ndarray | None:
    """A mixed strategy over ``others`` dominating ``action``, or None.

    ``U`` has shape ``(n_actions, n_opponent_profiles)``. Strict dominance
    maximises the smallest margin ``e`` in ``sum_k s_k U[k] >= U[action] + e``;
    weak dominance requires all margins >= 0 and maximises their sum.
    """
    from scipy.optimize import linprog

    if not others:
        return None
    D = U[others] - U[action]  # (k, P)
    k, P = D.shape
    if strict:
        # variables (s, e): max e  s.t.  -D^T s + e <= 0, sum s = 1
        c = np.zeros(k + 1)
        c[-1] = -1.0
        A_ub = np.hstack([-D.T, np.ones((P, 1))])
        res = linprog(c, A_ub=A_ub, b_ub=np.zeros(P), A_eq=[[1.0] * k + [0.0]], b_eq=[1.0],
                      bounds=[(0, None)] * k + [(None, None)], method="highs")
        if res.status == 0 and res.x[-1] > tol:
            return res.x[:k]
        return None
    # weak: max sum_p (D^T s)_p  s.t.  D^T s >= 0, sum s = 1
    res = linprog(-D.sum(axis=1), A_ub=-D.T, b_ub=np.zeros(P), A_eq=[[1.0] * k], b_eq=[1.0],
                  bounds=[(0, None)] * k, method="highs")
    if res.status == 0 and -res.fun > tol:
        return res.x
    return None


def iterated_dominance(game: Game, *, strict: bool = True, mixed: bool = True,
                       tol: float = 1e-9) -> DominanceResult:
    """Iteratively remove dominated actions of every player.

    Parameters
    ----------
    strict : bool
        Strict dominance (order-independent; all equilibria survive) or weak
        dominance (one action removed at a time, players in turn; the result
        can depend on the order and equilibria can be lost).
    mixed : bool
        Also test domination by mixed strategies (one LP per action).

    References
    ----------
    Osborne, M. J. & Rubinstein, A. (1994). *A Course in Game Theory*, ch. 2.9 and 4.

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> res = iterated_dominance(prisoners_dilemma())
    >>> res.solved, res.surviving
    (True, ((1,), (1,)))
    """
    N = game.n_players
    alive = [list(range(n)) for n in game.shape]
    eliminated = []
    scale = game.payoff_scale
    rnd = 0
    changed = True
    while changed:
        changed = False
        rnd += 1
        for i in range(N):
            sub = game.payoffs[np.ix_(*alive)][..., i]
            U = np.moveaxis(sub, i, 0).reshape(len(alive[i]), -1)
            remove = []
            for a in range(len(alive[i])):
                if a in remove:
                    continue
                others = [b for b in range(len(alive[i])) if b != a and b not in remove]
                dom = None
                for b in others:  # pure dominators first: cheap and readable
                    diff = U[b] - U[a]
                    if (strict and np.all(diff > tol * scale)) or (
                            not strict and np.all(diff >= -tol * scale)
                            and np.any(diff > tol * scale)):
                        dom = {game.actions[i][alive[i][b]]: 1.0}
                        break
                if dom is None and mixed and len(others) > 1:
                    s = dominated_by_mixed(U, a, others, strict=strict, tol=tol * scale)
                    if s is not None:
                        dom = {game.actions[i][alive[i][b]]: float(p)
                               for b, p in zip(others, s, strict=True) if p > 1e-12}
                if dom is not None:
                    remove.append(a)
                    eliminated.append((rnd, game.players[i], game.actions[i][alive[i][a]], dom))
                    if not strict:
                        break
            if remove:
                alive[i] = [x for k, x in enumerate(alive[i]) if k not in remove]
                changed = True
    reduced = Game(
        (game.exact_payoffs if game.exact_payoffs is not None else game.payoffs)[
            np.ix_(*alive, range(N))],
        players=game.players,
        actions=[[game.actions[i][a] for a in alive[i]] for i in range(N)],
        title=f"{game.title} (reduced)" if game.title else "")
    return DominanceResult(reduced, tuple(tuple(a) for a in alive), eliminated, strict)


def dominance(game: Game, *, strict: bool = True, mixed: bool = True, tol: float = 1e-9,
              exact: bool = False) -> EquilibriumResult:
    """Equilibria after iterated elimination of dominated strategies.

    The reduced game is solved (vertex enumeration for two players, pure
    equilibria otherwise) and the equilibria are mapped back to the full game
    and verified there. Strict elimination keeps every equilibrium (guarantee
    as the inner method); weak elimination may lose some (``"subset"``). The
    elimination record is in ``details["reduction"]``.
    """
    import warnings

    from ..errors import DegenerateGameWarning
    from .pure import pure_nash
    from .verify import finalize
    from .vertex_enumeration import vertex_enumeration

    started = time.perf_counter()
    red = iterated_dominance(game, strict=strict, mixed=mixed, tol=tol)
    if game.n_players == 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateGameWarning)
            inner = vertex_enumeration(red.game, tol=tol)
    else:
        inner = pure_nash(red.game, tol=tol)
    candidates = []
    for eq in inner:
        profile = []
        for i, s in enumerate(eq.strategies):
            full = np.zeros(game.shape[i])
            full[list(red.surviving[i])] = s.probabilities
            profile.append(full)
        candidates.append(profile)
    guarantee = inner.guarantee if strict else "subset"
    result = finalize(game, candidates, method="dominance", guarantee=guarantee, tol=tol,
                      exact=exact, started=started, n_iter=len(red.eliminated),
                      degenerate=inner.degenerate,
                      details={"reduction": red, "inner_method": inner.method})
    return result
