"""Stationary (Markov) equilibria of finite stochastic games.

- :func:`markov_values`: each player's normalised value from every state under a
  stationary profile (one linear system per player).
- :func:`best_response_gain`: each player's best response to the others' stationary
  strategies, solved as a Markov decision process by policy iteration, and how much it
  gains over the profile in the worst state: the verification every solver here runs
  before it returns an equilibrium.
- :func:`shapley`: two-player zero-sum games, Shapley's value iteration with one linear
  program (HiGHS) per state and round; the value and stationary optimal strategies.
- :func:`pure_markov_perfect`: every pure stationary Markov-perfect equilibrium, by
  enumeration after removing actions that no continuation value can make a best
  response; a size budget is checked before anything is enumerated.

A stationary profile is a list over states of a list over players of probability
vectors (``profile[s][i]``). Payoffs are normalised, ``(1 - δ) Σ δ^t u_t``.

References
----------
Shapley, L. S. (1953). Stochastic games. *PNAS* 39(10):1095-1100. Howard, R. A. (1960).
*Dynamic Programming and Markov Processes* (policy iteration). Filar, J. & Vrieze, K.
(1997). *Competitive Markov Decision Processes*, ch. 3-4.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validate import check_count, check_tolerance
from ..errors import GameTooLargeError, ProfileError, SolverError
from ..games.stochastic import StochasticGame

__all__ = [
    "STOCHASTIC_METHODS",
    "MarkovEquilibrium",
    "MarkovResult",
    "best_response_gain",
    "markov_logit_qre",
    "markov_qre",
    "markov_values",
    "pure_markov_perfect",
    "shapley",
]


@dataclass(frozen=True)
class MarkovEquilibrium:
    """A verified stationary equilibrium: strategies per state, values, and the check.

    Attributes
    ----------
    strategies : tuple of tuple of ndarray
        ``strategies[s][i]``: player ``i``'s mixed action in state ``s``.
    values : ndarray, shape (n_players, n_states)
        Normalised values from each state.
    max_gain : float
        The largest gain any player's best response (an MDP solved exactly by policy
        iteration) achieves over the profile in any state; at most ``tol`` times the
        payoff scale.
    """

    game: StochasticGame = field(repr=False)
    strategies: tuple
    values: np.ndarray
    max_gain: float

    @property
    def is_pure(self) -> bool:
        return all(np.isclose(p.max(), 1.0) for st in self.strategies for p in st)

    def actions(self) -> dict[str, tuple[str, ...]]:
        """State label -> the action each player takes (pure equilibria only)."""
        if not self.is_pure:
            raise ProfileError("actions() is for pure equilibria; read .strategies")
        return {self.game.states[s]: tuple(self.game.stage_games[s].actions[i][int(p.argmax())]
                                           for i, p in enumerate(st))
                for s, st in enumerate(self.strategies)}

    def to_frame(self):
        """One row per state and player: the strategy (label: probability) and value."""
        import pandas as pd

        rows = []
        for s, st in enumerate(self.strategies):
            g = self.game.stage_games[s]
            for i, p in enumerate(st):
                mix = ", ".join(f"{g.actions[i][k]}: {p[k]:.4g}" for k in np.flatnonzero(
                    p > 1e-12))
                rows.append({"state": self.game.states[s], "player": self.game.players[i],
                             "strategy": mix, "value": float(self.values[i, s])})
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        return (f"<div><b>Markov equilibrium</b> (largest best-response gain "
                f"{self.max_gain:.2g}){self.to_frame().to_html(index=False)}</div>")


@dataclass
class MarkovResult:
    """What a stochastic-game solver found and what it guarantees (``"all"`` pure
    stationary equilibria, ``"one"``, ...); iterate it for the equilibria."""

    equilibria: list[MarkovEquilibrium]
    method: str
    guarantee: str
    game: StochasticGame = field(repr=False)
    tol: float = 1e-9
    converged: bool = True
    n_iter: int = 0
    elapsed_s: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, k: int) -> MarkovEquilibrium:
        return self.equilibria[k]

    @property
    def value(self) -> np.ndarray:
        """Player 1's value in each state (method ``"shapley"`` only)."""
        if "value" not in self.details:
            raise AttributeError("value is only defined for method='shapley'")
        return self.details["value"]

    def to_frame(self):
        import pandas as pd

        frames = [eq.to_frame().assign(equilibrium=k) for k, eq in enumerate(self.equilibria)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def _repr_html_(self) -> str:
        head = (f"<p><b>{len(self)} Markov equilibri{'um' if len(self) == 1 else 'a'}</b> "
                f"({self.method}, guarantee: {self.guarantee})</p>")
        return head + "".join(eq._repr_html_() for eq in self.equilibria[:10])


# ----------------------------------------------------------------- building blocks
def _check_profile(game: StochasticGame, profile: Any) -> list[list[np.ndarray]]:
    if len(profile) != game.n_states:
        raise ProfileError(f"a stationary profile needs one entry per state "
                           f"({game.n_states}), got {len(profile)}")
    out = []
    for s, (g, st) in enumerate(zip(game.stage_games, profile, strict=True)):
        if len(st) != game.n_players:
            raise ProfileError(f"state {game.states[s]!r}: {len(st)} strategies for "
                               f"{game.n_players} players")
        row = []
        for i, p in enumerate(st):
            p = np.asarray(p, dtype=float)
            if p.shape != (g.shape[i],) or not np.isfinite(p).all() or (p < -1e-12).any() \
                    or abs(p.sum() - 1) > 1e-9:
                raise ProfileError(f"state {game.states[s]!r}, player {game.players[i]!r}: "
                                   f"need {g.shape[i]} probabilities summing to 1, got {p}")
            row.append(p)
        out.append(row)
    return out


def _contract(arr: np.ndarray, strategies: list[np.ndarray], skip: int | None = None, *,
              batched: bool = False) -> np.ndarray:
    """Expectation over the players' action axes (the leading axes of ``arr``, after a
    batch axis when ``batched``) under ``strategies[j]`` of shape (B, n_j); player
    ``skip``'s axis is kept. The result has shape (B, [n_skip,] trailing axes)."""
    out = arr if batched else arr[None]
    for j in reversed(range(len(strategies))):    # last player axis first: indices stay valid
        if j == skip:
            continue
        shape = [strategies[j].shape[0]] + [1] * (out.ndim - 1)
        shape[1 + j] = strategies[j].shape[1]
        out = (out * strategies[j].reshape(shape)).sum(axis=1 + j)
    return out


def _expect(arr: np.ndarray, strategies: list[np.ndarray], skip: int | None = None
            ) -> np.ndarray:
    """``_contract`` for one profile (no batch axis)."""
    return _contract(arr, [np.asarray(p)[None] for p in strategies], skip)[0]


def _reduced(game: StochasticGame, prof: list[list[np.ndarray]], player: int):
    """Player ``player``'s MDP against the others: rewards[s] (own actions) and
    transitions[s] (own actions x states), both as lists over states."""
    rewards, trans = [], []
    for s, g in enumerate(game.stage_games):
        u = g.payoffs[..., player]
        rewards.append(_expect(u, prof[s], skip=player))
        trans.append(_expect(game.transition(s), prof[s], skip=player))
    return rewards, trans


def markov_values(game: StochasticGame, profile: Any) -> np.ndarray:
    """Each player's normalised value from each state under a stationary profile.

    Returns
    -------
    ndarray, shape (n_players, n_states)

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.games import prisoners_dilemma
    >>> g = StochasticGame.from_repeated(gt.RepeatedGame(prisoners_dilemma(), 0.6))
    >>> markov_values(g, [[[1, 0], [1, 0]]])                 # both cooperate forever
    array([[3.],
           [3.]])
    """
    prof = _check_profile(game, profile)
    S = game.n_states
    values = np.empty((game.n_players, S))
    for i, delta in enumerate(game.discount):
        r = np.array([_expect(g.payoffs[..., i], prof[s]) for s, g in
                      enumerate(game.stage_games)], dtype=float)
        P = np.array([_expect(game.transition(s), prof[s]) for s in range(S)])
        values[i] = np.linalg.solve(np.eye(S) - delta * P, (1 - delta) * r)
    return values


def _policy_iteration(rewards, trans, delta: float, max_iter: int = 10_000):
    """Optimal values and policy of a finite discounted MDP (normalised payoffs)."""
    S = len(rewards)
    policy = np.array([int(np.argmax(r)) for r in rewards])
    for _ in range(max_iter):
        r = np.array([rewards[s][policy[s]] for s in range(S)])
        P = np.array([trans[s][policy[s]] for s in range(S)])
        V = np.linalg.solve(np.eye(S) - delta * P, (1 - delta) * r)
        new = policy.copy()
        for s in range(S):
            q = (1 - delta) * rewards[s] + delta * trans[s] @ V
            best = q.max()
            # keep the current action on ties (policy iteration then terminates)
            if q[policy[s]] < best - 1e-12 * max(1.0, abs(best)):
                new[s] = int(np.argmax(q))
        if (new == policy).all():
            return V, policy
        policy = new
    raise SolverError("policy iteration did not converge")      # pragma: no cover


def _gains_by_state(game: StochasticGame, prof) -> np.ndarray:
    """Best-response value minus profile value, shape (n_players, n_states)."""
    own = markov_values(game, prof)
    out = np.empty_like(own)
    for i, delta in enumerate(game.discount):
        rewards, trans = _reduced(game, prof, i)
        best, _ = _policy_iteration(rewards, trans, delta)
        out[i] = best - own[i]
    return out


def best_response_gain(game: StochasticGame, profile: Any) -> np.ndarray:
    """For each player, how much a best response to the others' stationary strategies
    gains over the profile in the worst state (0 at a Markov-perfect equilibrium).

    The best response is the optimal policy of the player's Markov decision process
    against the others' strategies, found by policy iteration (exact up to the
    linear solves). A stationary profile is Markov perfect exactly when no player gains.

    Returns
    -------
    ndarray, shape (n_players,)
    """
    prof = _check_profile(game, profile)
    return _gains_by_state(game, prof).max(axis=1)


def markov_perfect_discounts(game: StochasticGame, profile: Any, *,
                             state: int | str | None = None, grid: int = 400,
                             tol: float = 1e-9) -> list[tuple[float, float]]:
    """The discount factors (one for all players) at which a stationary profile is
    Markov perfect, as closed intervals; ``[]`` if none.

    With ``state``, only the subgames that start in states reachable from it count
    (subgame perfection from that state); otherwise every state does. Gains are taken
    per unit of discounted time (divided by 1 - δ) so they do not vanish as δ -> 1;
    signs are read on a grid of ``grid`` points and the edges refined by Brent's method,
    as in the repeated-game :func:`~gametheory.solvers.repeated.critical_discount_factor`
    (intervals narrower than the grid spacing can be missed).

    Examples
    --------
    Grim trigger in the prisoner's dilemma as a two-state game (cooperating, punishing):
    the textbook threshold (T - R)/(T - P) = 1/2.

    >>> import gametheory as gt
    >>> from gametheory.games.repeated import public_grim_trigger
    >>> rg = gt.RepeatedGame(gt.games.prisoners_dilemma(), 0.9)
    >>> game, prof = automaton_game(rg, (public_grim_trigger(),) * 2)
    >>> [(round(lo, 6), hi) for lo, hi in markov_perfect_discounts(game, prof)]
    [(0.5, 1.0)]
    """
    from .repeated import _discount_intervals

    prof = _check_profile(game, profile)
    states = list(range(game.n_states)) if state is None else list(game.reachable(state))

    def gain(d: float) -> float:
        g = _gains_by_state(game.with_discount(d), prof)[:, states]
        return float(g.max()) / (1 - d)

    return _discount_intervals(gain, grid=check_count("grid", grid, minimum=3,
                                                      maximum=1_000_000),
                               tol=check_tolerance(tol))


def automaton_game(repeated, profile) -> tuple[StochasticGame, list]:
    """A repeated game played by two automata as a stochastic game and a stationary
    profile: the states are the automata's joint states reachable under any actions
    (every subgame), each with the full stage game; the profile plays the automata's
    outputs. Subgame perfection of the automata is Markov perfection of this profile.

    Parameters
    ----------
    repeated : RepeatedGame
    profile : AutomatonProfile or pair of strategies with automata

    Returns
    -------
    (StochasticGame, list)
        The game (states labelled ``"q1,q2"``, starting from ``"0,0"``) and the
        stationary profile.
    """
    from .repeated import _profile

    prof = _profile(repeated, profile)
    stage = repeated.stage_game
    t1, t2 = (np.asarray(t) for t in prof.transitions)
    pol = [prof.policy(0, stage.shape[0]), prof.policy(1, stage.shape[1])]

    def step(q, labels):
        a = stage.actions[0].index(labels[0])
        b = stage.actions[1].index(labels[1])
        return [(1.0, (int(t1[q[0], a, b]), int(t2[q[1], b, a])))]

    game = StochasticGame.from_step(
        (0, 0), actions=lambda q: stage.actions,
        payoff=lambda q, labels: stage.payoff(labels).tolist(), step=step,
        discount=repeated.discount, players=stage.players, label=lambda q: f"{q[0]},{q[1]}",
        title=stage.title)
    states = [tuple(int(x) for x in lab.split(",")) for lab in game.states]
    return game, [[pol[0][q1], pol[1][q2]] for q1, q2 in states]


def _scale(game: StochasticGame) -> float:
    lo = min(float(g.payoffs.min()) for g in game.stage_games)
    hi = max(float(g.payoffs.max()) for g in game.stage_games)
    return max(hi - lo, 1e-300)


def _verified(game: StochasticGame, prof, tol: float) -> MarkovEquilibrium | None:
    gains = best_response_gain(game, prof)
    if gains.max() > tol * _scale(game):
        return None
    strategies = tuple(tuple(np.asarray(p, dtype=float) for p in st) for st in prof)
    return MarkovEquilibrium(game, strategies, markov_values(game, prof),
                             float(max(gains.max(), 0.0)))


# ----------------------------------------------------------------- Shapley
def _matrix_game(M: np.ndarray, *, strategies: bool = True
                 ) -> tuple[float, np.ndarray | None, np.ndarray | None]:
    """Value and (with ``strategies``) optimal strategies of the zero-sum matrix game M
    (the row player maximises). A state where one side has a single action needs no
    linear program."""
    from scipy.optimize import linprog

    m, n = M.shape
    if m == 1 or n == 1:
        k = int(np.argmin(M[0])) if m == 1 else int(np.argmax(M[:, 0]))
        x, y = np.ones(1), np.ones(1)
        if m == 1:
            y = np.eye(n)[k]
        else:
            x = np.eye(m)[k]
        return float(M[0, k] if m == 1 else M[k, 0]), x, y
    shift = M.min() - 1.0
    A = M - shift                                    # all positive: value > 0
    # row player: min sum x s.t. A^T x >= 1, x >= 0; value = 1 / sum x
    res = linprog(np.ones(m), A_ub=-A.T, b_ub=-np.ones(n), bounds=(0, None), method="highs")
    if res.status != 0:                                            # pragma: no cover
        raise SolverError(f"the linear program of a stage failed: {res.message}")
    value = 1.0 / res.x.sum() + shift
    if not strategies:
        return value, None, None
    col = linprog(-np.ones(n), A_ub=A, b_ub=np.ones(m), bounds=(0, None), method="highs")
    if col.status != 0:                                            # pragma: no cover
        raise SolverError(f"the linear program of a stage failed: {col.message}")
    return value, res.x / res.x.sum(), col.x / col.x.sum()


def shapley(game: StochasticGame, *, tol: float = 1e-10, max_iter: int = 100_000
            ) -> MarkovResult:
    """Value and stationary optimal strategies of a two-player zero-sum stochastic game.

    Shapley's operator ``V(s) = val[(1 - δ) A_s + δ Σ P(s'|s, ·) V(s')]`` is a
    contraction of modulus δ; it is iterated until the bound ``δ/(1 - δ) ||ΔV||`` on
    the distance to the fixed point is below ``tol`` times the payoff scale, each
    matrix game solved as a linear program (HiGHS). The stationary strategies optimal
    in the final matrix games are verified by solving each player's best-response MDP.

    Parameters
    ----------
    game : StochasticGame
        Two players, zero-sum in every state, one discount factor.
    tol : float
    max_iter : int

    Returns
    -------
    MarkovResult
        One equilibrium (guarantee ``"one"``; the value is unique, strategies may not be)
        and ``result.value``, player 1's value in each state.

    Raises
    ------
    SolverError
        If the game is not two-player zero-sum with a common discount factor.
    IterationLimitError
        If ``max_iter`` rounds do not reach the tolerance.

    Examples
    --------
    The Big Match: its discounted value is 1/2 for every δ (Blackwell and Ferguson 1968).

    >>> import gametheory as gt
    >>> play = gt.Game.zero_sum([[1, 0], [0, 1]], actions=(("T", "B"), ("L", "R")))
    >>> won, lost = gt.Game.zero_sum([[1]]), gt.Game.zero_sum([[0]])
    >>> P = [[[0, 1, 0], [0, 0, 1]], [[1, 0, 0], [1, 0, 0]]]
    >>> g = gt.StochasticGame([play, won, lost], [P, [[[0, 1, 0]]], [[[0, 0, 1]]]],
    ...                       discount=0.8, states=("play", "won", "lost"))
    >>> res = gt.solve(g, method="shapley")
    >>> [round(float(v), 6) for v in res.value]
    [0.5, 1.0, 0.0]
    """
    from ..errors import IterationLimitError

    tol = check_tolerance(tol)
    max_iter = check_count("max_iter", max_iter, maximum=10_000_000)
    if game.n_players != 2 or not all(g.is_zero_sum for g in game.stage_games):
        raise SolverError("shapley needs a two-player game that is zero-sum in every state")
    if len(set(game.discount)) != 1:
        raise SolverError("shapley needs one discount factor for both players, got "
                          f"{game.discount}")
    start = time.perf_counter()
    delta = game.discount[0]
    S = game.n_states
    A = [g.payoffs[..., 0].astype(float) for g in game.stage_games]
    T = [game.transition(s) for s in range(S)]
    V = np.zeros(S)
    scale = _scale(game)
    strategies = [None] * S
    n_iter = 0
    for n_iter in range(1, max_iter + 1):   # noqa: B007
        new = np.empty(S)
        for s in range(S):
            M = (1 - delta) * A[s] + delta * T[s] @ V
            new[s] = _matrix_game(M, strategies=False)[0]
        step = np.abs(new - V).max()
        V = new
        if delta / (1 - delta) * step <= tol * scale:
            break
    else:
        raise IterationLimitError(f"shapley: {max_iter} rounds without reaching tol={tol:g}")
    for s in range(S):
        _, x, y = _matrix_game((1 - delta) * A[s] + delta * T[s] @ V)
        strategies[s] = [x, y]
    eq = _verified(game, strategies, tol=max(1e3 * tol, 1e-9))
    if eq is None:                                                   # pragma: no cover
        raise SolverError("shapley: the strategies failed the best-response check")
    return MarkovResult([eq], "shapley", "one", game, tol=tol, n_iter=n_iter,
                        elapsed_s=time.perf_counter() - start, details={"value": V})


# ----------------------------------------------------------------- pure MPE
def _never_best(game: StochasticGame) -> list[list[np.ndarray]]:
    """Per state and player, a mask of actions kept: an action ``a`` is dropped when
    some ``b`` beats it by more than any continuation can make up,
    ``(1 - δ)(u(b, ·) - u(a, ·)) > δ (max u - min u)`` against every profile of the
    others, so it is a best response under no stationary profile."""
    keep = []
    for g in game.stage_games:
        row = []
        for i, delta in enumerate(game.discount):
            u = np.moveaxis(g.payoffs[..., i], i, 0).reshape(g.shape[i], -1)
            spread = float(max(h.payoffs[..., i].max() for h in game.stage_games)
                           - min(h.payoffs[..., i].min() for h in game.stage_games))
            margin = delta * spread
            diff = (1 - delta) * (u[None, :, :] - u[:, None, :])    # [a, b, others]
            beaten = ((diff > margin + 1e-12 * max(1.0, spread)).all(axis=2)).any(axis=1)
            row.append(~beaten)
        keep.append(row)
    return keep


def pure_markov_perfect(game: StochasticGame, *, tol: float = 1e-9,
                        max_profiles: int = 2_000_000) -> MarkovResult:
    """Every pure stationary Markov-perfect equilibrium.

    Actions that no continuation value can make a best response are removed first
    (see the notes); the remaining pure stationary profiles are enumerated and each is
    checked for one-shot deviations in every state, then verified by solving every
    player's best-response MDP.

    Parameters
    ----------
    game : StochasticGame
    tol : float
        Relative to the payoff range.
    max_profiles : int
        Budget on the number of profiles left after pruning, checked before any is
        enumerated (:class:`~gametheory.errors.GameTooLargeError` beyond it).

    Returns
    -------
    MarkovResult
        Guarantee ``"all"``: every pure stationary equilibrium (there may be none).

    Notes
    -----
    Pruning: with normalised payoffs, the continuation value of any player lies between
    its smallest and largest stage payoff, so an action whose stage payoff is below that
    of another action by more than ``δ/(1 - δ)`` times that range against every profile
    of the others is never a best response.

    Examples
    --------
    A one-state game is its repeated game: the pure stationary equilibria are the
    stage game's pure equilibria played forever.

    >>> import gametheory as gt
    >>> from gametheory.games import prisoners_dilemma
    >>> g = gt.StochasticGame.from_repeated(gt.RepeatedGame(prisoners_dilemma(), 0.9))
    >>> [eq.actions() for eq in gt.solve(g, method="pure_markov")]
    [{'stage': ('Defect', 'Defect')}]
    """
    tol = check_tolerance(tol)
    max_profiles = check_count("max_profiles", max_profiles, maximum=10**9)
    start = time.perf_counter()
    keep = _never_best(game)
    choices = [[np.flatnonzero(m) for m in row] for row in keep]
    count = 1
    for row in choices:
        for c in row:
            count *= len(c)
            if count > max_profiles:
                raise GameTooLargeError(
                    f"more than {max_profiles:,} pure stationary profiles remain after "
                    "pruning; raise max_profiles or reduce the game")
    S, N = game.n_states, game.n_players
    scale = _scale(game)
    found = []
    slots = [(s, i) for s in range(S) for i in range(N)]
    pay = [[np.asarray(g.payoffs[..., i], dtype=float) for i in range(N)]
           for g in game.stage_games]
    trans = [game.transition(s) for s in range(S)]
    eye = np.eye(S)
    n_checked = 0
    for combo in itertools.product(*[choices[s][i] for s, i in slots]):
        n_checked += 1
        act = np.array(combo).reshape(S, N)
        ok = True
        for i, delta in enumerate(game.discount):
            r = np.array([pay[s][i][tuple(act[s])] for s in range(S)])
            P = np.array([trans[s][tuple(act[s])] for s in range(S)])
            V = np.linalg.solve(eye - delta * P, (1 - delta) * r)
            for s in range(S):
                idx = list(act[s])
                idx[i] = slice(None)
                q = (1 - delta) * pay[s][i][tuple(idx)] + delta * trans[s][tuple(idx)] @ V
                if q.max() > V[s] + tol * scale:
                    ok = False
                    break
            if not ok:
                break
        if not ok:
            continue
        prof = [[np.eye(game.stage_games[s].shape[i])[act[s, i]] for i in range(N)]
                for s in range(S)]
        eq = _verified(game, prof, tol)
        if eq is not None:
            found.append(eq)
    return MarkovResult(found, "pure_markov", "all", game, tol=tol, n_iter=n_checked,
                        elapsed_s=time.perf_counter() - start,
                        details={"profiles_checked": n_checked,
                                 "actions_pruned": sum(int((~m).sum()) for row in keep
                                                       for m in row)})


# ----------------------------------------------------------------- Markov logit QRE
class _MarkovSystem:
    """The stationary logit equations of a stochastic game, payoffs scaled to unit range:
    for each state ``s`` and player ``i``, ``z_a - z_0 = λ (Q_a - Q_0)`` and
    ``Σ exp(z) = 1``, where ``z`` are log-probabilities and ``Q`` the player's
    normalised action values given everyone's stationary strategies. The interface is
    the one the normal-form path follower uses (``H``, ``J``, ``start``, ``scale``,
    ``sigma``), so the same predictor-corrector traces the branch; the Jacobian is
    taken by complex-step differentiation, exact to rounding because every operation
    (exp, contractions, linear solves) is analytic."""

    def __init__(self, game: StochasticGame):
        self.game = game
        self.scale = _scale(game)
        self.N, self.S = game.n_players, game.n_states
        self.U = [np.moveaxis(np.asarray(g.payoffs, dtype=float), -1, 0) / self.scale
                  for g in game.stage_games]                 # [s][i] -> payoff array
        self.T = [game.transition(s) for s in range(self.S)]
        self.blocks = [(s, i, g.shape[i]) for s, g in enumerate(game.stage_games)
                       for i in range(self.N)]
        sizes = [n for _, _, n in self.blocks]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        self.M = int(self.offsets[-1])
        self.bifurcations: list[float] = []

    def _profile(self, z: np.ndarray) -> list[list[np.ndarray]]:
        prof: list[list[np.ndarray]] = [[None] * self.N for _ in range(self.S)]
        for k, (s, i, _) in enumerate(self.blocks):
            prof[s][i] = np.exp(z[self.offsets[k]:self.offsets[k + 1]])
        return prof

    def sigma(self, z: np.ndarray) -> list[np.ndarray]:
        with np.errstate(over="ignore"):
            return [np.exp(z[self.offsets[k]:self.offsets[k + 1]])
                    for k in range(len(self.blocks))]

    def q_values(self, prof) -> list[list[np.ndarray]]:
        """Q[s][i]: player i's normalised action values in state s."""
        batch = [[np.asarray(p)[None] for p in row] for row in prof]
        return [[q[0] for q in row] for row in self._q_batch(batch)]

    def _q_batch(self, prof) -> list[list[np.ndarray]]:
        """Q for a batch of profiles: ``prof[s][i]`` has shape (B, n_i); Q[s][i] (B, n_i)."""
        Q: list[list[np.ndarray]] = [[None] * self.N for _ in range(self.S)]
        eye = np.eye(self.S)
        for i, delta in enumerate(self.game.discount):
            r = np.stack([_contract(self.U[s][i], prof[s]) for s in range(self.S)],
                         axis=1)                                          # (B, S)
            P = np.stack([_contract(self.T[s], prof[s]) for s in range(self.S)],
                         axis=1)                                          # (B, S, S)
            V = np.linalg.solve(eye[None] - delta * P, ((1 - delta) * r)[..., None])[..., 0]
            for s in range(self.S):
                cont = np.tensordot(V, self.T[s], axes=([1], [self.T[s].ndim - 1]))
                total = (1 - delta) * self.U[s][i][None] + delta * cont  # (B, *actions)
                Q[s][i] = _contract(total, prof[s], skip=i, batched=True)  # (B, n_i)
        return Q

    def _H_batch(self, W: np.ndarray) -> np.ndarray:
        Z, lam = W[:, :-1], W[:, -1]
        prof: list[list[np.ndarray]] = [[None] * self.N for _ in range(self.S)]
        for k, (s, i, _) in enumerate(self.blocks):
            prof[s][i] = np.exp(Z[:, self.offsets[k]:self.offsets[k + 1]])
        Q = self._q_batch(prof)
        out = np.empty((W.shape[0], self.M), dtype=W.dtype)
        for k, (s, i, n) in enumerate(self.blocks):
            o = self.offsets[k]
            zi, q = Z[:, o:o + n], Q[s][i]
            out[:, o:o + n - 1] = zi[:, 1:] - zi[:, :1] - lam[:, None] * (q[:, 1:] - q[:, :1])
            out[:, o + n - 1] = prof[s][i].sum(axis=1) - 1.0
        return out

    def H(self, w: np.ndarray) -> np.ndarray:
        return self._H_batch(np.asarray(w)[None])[0]

    def J(self, w: np.ndarray) -> np.ndarray:
        # all M + 1 complex steps in one batched evaluation
        h = 1e-30
        W = np.repeat(w.astype(complex)[None], self.M + 1, axis=0)
        W[np.arange(self.M + 1), np.arange(self.M + 1)] += 1j * h
        return (self._H_batch(W).imag / h).T

    def start(self) -> np.ndarray:
        z = np.concatenate([np.full(n, -np.log(n)) for _, _, n in self.blocks])
        return np.concatenate([z, [0.0]])

    def profile(self, z: np.ndarray) -> list[list[np.ndarray]]:
        prof = self._profile(z)
        return [[p / p.sum() for p in row] for row in prof]


def markov_logit_qre(game: StochasticGame, lam: float, *, max_steps: int = 10_000) -> list:
    """The stationary logit QRE at precision ``lam`` (in the game's payoff units) on the
    principal branch that starts from uniform play at λ = 0.

    Returns
    -------
    list
        ``profile[s][i]``: player ``i``'s logit response in state ``s``.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.games import matching_pennies
    >>> g = gt.StochasticGame.from_repeated(gt.RepeatedGame(matching_pennies(), 0.5))
    >>> markov_logit_qre(g, 0.0)[0][0].tolist()
    [0.5, 0.5]
    """
    from .qre import _trace

    if not np.isfinite(lam) or lam < 0:
        raise ProfileError(f"λ must be a finite number >= 0, got {lam!r}")
    system = _MarkovSystem(game)
    if lam == 0:
        return [[np.full(g.shape[i], 1.0 / g.shape[i]) for i in range(game.n_players)]
                for g in game.stage_games]
    _, final = _trace(system, lam * system.scale, max_steps=max_steps, record=False)
    return system.profile(final[:-1])


def _polish_markov(system: _MarkovSystem, prof, threshold: float):
    """A stationary equilibrium with the supports ``prof`` suggests: in each state every
    supported action of a player has the same action value."""
    from scipy.optimize import root

    supports = [[np.flatnonzero(p > threshold * p.max()) for p in row] for row in prof]
    order = [(s, i) for s in range(system.S) for i in range(system.N)]

    def build(v):
        out = [[None] * system.N for _ in range(system.S)]
        o = 0
        for s, i in order:
            x = np.zeros(len(prof[s][i]))
            sup = supports[s][i]
            x[sup] = v[o:o + len(sup)]
            out[s][i] = x
            o += len(sup)
        return out

    def F(v):
        p = build(v)
        Q = system.q_values(p)
        res = []
        for s, i in order:
            sup = supports[s][i]
            res.extend((Q[s][i][sup[1:]] - Q[s][i][sup[0]]).tolist())
            res.append(p[s][i].sum() - 1.0)
        return np.array(res)

    v0 = np.concatenate([prof[s][i][supports[s][i]] / prof[s][i][supports[s][i]].sum()
                         for s, i in order])
    sol = root(F, v0, method="hybr")
    if not np.all(np.isfinite(sol.x)) or np.max(np.abs(F(sol.x))) > 1e-11 \
            or (sol.x < -1e-12).any():
        return None
    out = build(np.clip(sol.x, 0, None))
    return [[p / p.sum() for p in row] for row in out]


def markov_qre(game: StochasticGame, *, lam_max: float | None = None, tol: float = 1e-9,
               max_steps: int = 20_000) -> MarkovResult:
    """One stationary Markov-perfect equilibrium: the limit of the logit Markov QRE.

    The stationary logit QRE (the Markov QRE of Eibelshäuser and Poensgen) is followed
    from uniform play at λ = 0 by the predictor-corrector path follower of the
    normal-form QRE, up to ``lam_max`` (default ``1e4`` over the payoff range); the
    supports are read off its end point, the equilibrium with those supports is solved
    from the indifference equations, and it is verified by each player's best-response
    MDP before it is returned.

    Returns
    -------
    MarkovResult
        One equilibrium (guarantee ``"one"``: the logit-selected one), with the raw end
        of the branch in ``details["branch_end"]``.

    Raises
    ------
    SolverError
        If the end of the branch does not polish into a verified equilibrium (the
        message says so; no unverified profile is returned).

    References
    ----------
    Eibelshäuser, S. & Poensgen, D. (2019). Markov quantal response equilibrium and a
    homotopy method for computing and selecting Markov perfect equilibria of dynamic
    stochastic games. SSRN 3314404.

    Examples
    --------
    >>> import gametheory as gt
    >>> play = gt.Game.zero_sum([[1, 0], [0, 1]], actions=(("T", "B"), ("L", "R")))
    >>> g = gt.StochasticGame([play, gt.Game.zero_sum([[1]]), gt.Game.zero_sum([[0]])],
    ...     [[[[0, 1, 0], [0, 0, 1]], [[1, 0, 0], [1, 0, 0]]], [[[0, 1, 0]]], [[[0, 0, 1]]]],
    ...     discount=0.9)
    >>> res = gt.solve(g, method="markov_qre")
    >>> [p.round(4).tolist() for p in res[0].strategies[0]]
    [[0.0909, 0.9091], [0.5, 0.5]]
    """
    from .qre import _trace

    tol = check_tolerance(tol)
    start = time.perf_counter()
    system = _MarkovSystem(game)
    stops = [1e4, 1e3, 1e2] if lam_max is None else [float(lam_max) * system.scale]
    final = None
    for k, stop in enumerate(stops):
        try:
            _, final = _trace(system, stop, max_steps=max_steps, record=False)
            break
        except SolverError:
            if k == len(stops) - 1:
                raise
    end = system.profile(final[:-1])
    for threshold in (1e-3, 1e-5, 1e-8, 1e-2):
        polished = _polish_markov(system, end, threshold)
        if polished is None:
            continue
        eq = _verified(game, polished, tol)
        if eq is not None:
            return MarkovResult([eq], "markov_qre", "one", game, tol=tol,
                                elapsed_s=time.perf_counter() - start,
                                details={"lam_max": stop / system.scale, "branch_end": end,
                                         "bifurcations": system.bifurcations})
    raise SolverError(f"the Markov QRE branch reached λ={stop / system.scale:.3g} but its end "
                      "did not polish into a verified stationary equilibrium; no result is "
                      "returned (try a larger lam_max)")


#: Method name -> solver for stochastic games (reached through :func:`gametheory.solve`).
STOCHASTIC_METHODS = {"shapley": shapley, "pure_markov": pure_markov_perfect,
                      "markov_qre": markov_qre}
