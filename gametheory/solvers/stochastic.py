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
- :func:`iterated_best_response`: pure stationary equilibria of games too large to
  enumerate (thousands of states), by letting the players take turns to play their
  exact best response (an MDP, sparse policy iteration) from several starting
  profiles; finds some, not all.

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
import threading
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from .._validate import check_count, check_tolerance
from ..errors import GameTooLargeError, IterationLimitError, ProfileError, SolverError
from ..games.stochastic import StochasticGame

__all__ = [
    "STOCHASTIC_METHODS",
    "ExactCheck",
    "MarkovEquilibrium",
    "MarkovResult",
    "best_response_gain",
    "exact_markov_check",
    "iterated_best_response",
    "markov_logit_qre",
    "markov_qre",
    "markov_values",
    "pure_markov_perfect",
    "shapley",
    "turn_qre",
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
    verified : str
        ``"exact"`` when a pure equilibrium of an exact game passed
        :func:`exact_markov_check` (no tolerance), else ``"floats"``.
    """

    game: StochasticGame = field(repr=False)
    strategies: tuple
    values: np.ndarray
    max_gain: float
    verified: str = "floats"

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

    def transition_matrix(self):
        """The state chain the equilibrium induces: a sparse (states, states) matrix whose
        row ``s`` is the distribution of the next state from ``s``.

        Examples
        --------
        Player 1 picks the next state (stay or switch), player 2 is a dummy:

        >>> from gametheory import Game
        >>> from gametheory.games.stochastic import StochasticGame
        >>> stay = Game.from_bimatrix([[1], [0]], [[0], [0]])
        >>> P = [[[1.0, 0.0]], [[0.0, 1.0]]]                      # stay / switch
        >>> g = StochasticGame([stay, stay], [P, [[[0.0, 1.0]], [[1.0, 0.0]]]],
        ...                    discount=0.9)
        >>> eq = iterated_best_response(g)[0]
        >>> eq.transition_matrix().toarray()
        array([[1., 0.],
               [0., 1.]])
        """
        flat = _Flat(self.game)
        sig = np.zeros((flat.S, flat.N, flat.K))
        for s, st in enumerate(self.strategies):
            for i, p in enumerate(st):
                sig[s, i, :len(p)] = p
        P, _, _, _ = flat.evaluate(sig)
        return P.tocsr()

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
        how = ("verified exactly" if self.verified == "exact" else
               f"largest best-response gain {self.max_gain:.2g}")
        return (f"<div><b>Markov equilibrium</b> ({how})"
                f"{self.to_frame().to_html(index=False)}</div>")


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
        row = [np.asarray(p, dtype=float) for p in st]
        if any(p.shape != (m,) for p, m in zip(row, g.shape, strict=True)):
            _profile_error(game, s, row)
        out.append(row)
    # the values of every state's strategies checked at once (solvers verify profiles
    # of games with hundreds of states)
    parts = [p for row in out for p in row]
    flat = np.concatenate(parts)
    sums = np.add.reduceat(flat, np.cumsum([0, *[len(p) for p in parts[:-1]]]))
    if not (np.isfinite(flat).all() and flat.min() >= -1e-12
            and np.abs(sums - 1).max() <= 1e-9):
        for s, row in enumerate(out):
            _profile_error(game, s, row)
    return out


def _profile_error(game: StochasticGame, s: int, row: list[np.ndarray]) -> None:
    """Raise the error for the first bad strategy of state ``s`` (if any)."""
    g = game.stage_games[s]
    for i, p in enumerate(row):
        if p.shape != (g.shape[i],) or not np.isfinite(p).all() or (p < -1e-12).any() \
                or abs(p.sum() - 1) > 1e-9:
            raise ProfileError(f"state {game.states[s]!r}, player {game.players[i]!r}: "
                               f"need {g.shape[i]} probabilities summing to 1, got {p}")


def _discounted_values(P: np.ndarray, r: np.ndarray, delta: float) -> np.ndarray:
    """Normalised discounted values ``V = (1 - delta) (I - delta P)^-1 r`` of a Markov
    chain; a sparse LU when the chain is large and sparse (as a dispute's standing
    restrictions make it: a few successors per state) or given as a SciPy sparse
    matrix, else a dense solve."""
    S = len(r)
    if not isinstance(P, np.ndarray) or (S >= 128 and np.count_nonzero(P) <= 0.05 * S * S):
        from scipy import sparse
        from scipy.sparse.linalg import spsolve

        A = sparse.identity(S, format="csc") - delta * sparse.csc_array(P)
        return np.atleast_1d(spsolve(A, (1 - delta) * r))
    return np.linalg.solve(np.eye(S) - delta * P, (1 - delta) * r)


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


def _by_shape(game: StochasticGame, prof, skip: int | None):
    """Expected payoffs and transition rows of every state under ``prof`` (player
    ``skip``'s actions kept), contracted for all states of one stage-game shape at once:
    ``(rewards, trans)`` as lists over states, ``rewards[s]`` of shape
    ([n_skip,] n_players) and ``trans[s]`` of shape ([n_skip,] n_states); one NumPy
    contraction per shape rather than one per state."""
    rewards: list = [None] * game.n_states
    trans: list = [None] * game.n_states
    for ix, payoffs, transitions in _stacked(game):
        strat = [np.stack([prof[s][j] for s in ix]) for j in range(game.n_players)]
        U = _contract(payoffs, strat, skip, batched=True)
        T = _contract(transitions, strat, skip, batched=True)
        for k, s in enumerate(ix):
            rewards[s], trans[s] = U[k], T[k]
    return rewards, trans


_STACKED: dict[int, tuple] = {}
_STACKED_LOCK = threading.Lock()     # the analysis solves in a background thread too


def _stacked(game: StochasticGame) -> list[tuple[list[int], np.ndarray, np.ndarray]]:
    """The states grouped by stage-game shape, with their payoffs and transitions
    stacked: ``[(states, payoffs, transitions), ...]``. Kept for the last few games
    (a game is immutable; a solver and its verification ask for these many times)."""
    with _STACKED_LOCK:
        hit = _STACKED.get(id(game))
    if hit is not None and hit[0] is game:
        return hit[1]
    groups: dict[tuple, list[int]] = {}
    for s, g in enumerate(game.stage_games):
        groups.setdefault(g.shape, []).append(s)
    out = [(ix, np.stack([game.stage_games[s].payoffs for s in ix]),
            np.stack([game.transition(s) for s in ix])) for ix in groups.values()]
    with _STACKED_LOCK:
        while len(_STACKED) >= 4:
            _STACKED.pop(next(iter(_STACKED)))
        _STACKED[id(game)] = (game, out)
    return out


def _reduced(game: StochasticGame, prof: list[list[np.ndarray]], player: int):
    """Player ``player``'s MDP against the others: rewards[s] (own actions) and
    transitions[s] (own actions x states), both as lists over states."""
    rewards, trans = _by_shape(game, prof, player)
    return [r[:, player] for r in rewards], trans


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
    rewards, trans = _by_shape(game, prof, None)
    R = np.array(rewards, dtype=float)                 # (states, players)
    P = np.array(trans, dtype=float)
    for i, delta in enumerate(game.discount):
        values[i] = _discounted_values(P, R[:, i], delta)
    return values


def _policy_iteration(rewards, trans, delta: float, max_iter: int = 10_000,
                      start_values=None):
    """Optimal values and policy of a finite discounted MDP (normalised payoffs);
    ``rewards[s]`` and ``trans[s]`` per state (own actions, and own actions x states),
    the policy improved in all states at once. The first policy is greedy on the
    rewards, or on ``start_values`` when given (any start converges to the optimum; a
    good one saves evaluations)."""
    S = len(rewards)
    counts = np.array([len(r) for r in rewards])
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])     # each state's first row
    R = np.concatenate([np.asarray(r, dtype=float) for r in rewards])
    T = np.concatenate([np.asarray(t, dtype=float).reshape(len(r), S)
                        for r, t in zip(rewards, trans, strict=True)])   # one row per action
    owner = np.repeat(np.arange(S), counts)

    def greedy(Q):
        # the first best action of each state (argmax within each state's rows)
        best = np.maximum.reduceat(Q, first)
        rows = np.flatnonzero(Q >= best[owner])
        _, at = np.unique(owner[rows], return_index=True)
        return rows[at] - first, best

    policy = greedy(R if start_values is None
                    else (1 - delta) * R + delta * (T @ start_values))[0]
    for _ in range(max_iter):
        V = _discounted_values(T[first + policy], R[first + policy], delta)
        Q = (1 - delta) * R + delta * (T @ V)
        argbest, best = greedy(Q)
        # keep the current action on ties (policy iteration then terminates)
        improve = Q[first + policy] < best - 1e-12 * np.maximum(1.0, np.abs(best))
        if not improve.any():
            return V, policy
        policy = np.where(improve, argbest, policy)
    raise SolverError("policy iteration did not converge")      # pragma: no cover


def _gains_by_state(game: StochasticGame, prof, own: np.ndarray | None = None
                    ) -> np.ndarray:
    """Best-response value minus profile value, shape (n_players, n_states); ``own``:
    the profile's values when already known (:func:`markov_values`)."""
    own = markov_values(game, prof) if own is None else own
    out = np.empty_like(own)
    for i, delta in enumerate(game.discount):
        rewards, trans = _reduced(game, prof, i)
        # start from the one-step improvement on the profile's own values: at an
        # equilibrium that is already a best response, and one evaluation confirms it
        best, _ = _policy_iteration(rewards, trans, delta, start_values=own[i])
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


#: Budget of the exact check: Fraction updates in the sparse elimination of one
#: player's value equations; beyond it the equilibrium is verified in floats only.
EXACT_WORK = 2_000_000


class _TooMuchWork(Exception):
    pass


def _exact_solve(rows: list[dict[int, Fraction]], rhs: list[Fraction], budget: int
                 ) -> list[Fraction]:
    """Solve ``A x = b`` exactly for a sparse, strictly diagonally dominant ``A`` (the
    matrix ``I - δ P`` of a Markov chain with δ < 1), given as one dict per row.

    Diagonal pivots are safe in any order for such a matrix (dominance survives
    elimination); the next pivot is the remaining row with the fewest entries, which
    keeps the fill small on the near-banded chains of turn-based games. Raises
    ``_TooMuchWork`` beyond ``budget`` entry updates.
    """
    n = len(rows)
    rows = [dict(r) for r in rows]
    rhs = list(rhs)
    cols: list[set[int]] = [set() for _ in range(n)]
    for i, r in enumerate(rows):
        for j in r:
            if j != i:
                cols[j].add(i)
    import heapq

    heap = [(len(r), i) for i, r in enumerate(rows)]
    heapq.heapify(heap)
    done = [False] * n
    order = []
    work = 0
    while heap:
        size, j = heapq.heappop(heap)
        if done[j] or size != len(rows[j]):
            if not done[j]:
                heapq.heappush(heap, (len(rows[j]), j))
            continue
        done[j] = True
        order.append(j)
        pivot_row = rows[j]
        piv = pivot_row[j]
        for i in list(cols[j]):
            if done[i]:
                continue
            r = rows[i]
            f = r.pop(j) / piv
            for k, v in pivot_row.items():
                if k == j:
                    continue
                new = r.get(k, 0) - f * v
                if new:
                    if k not in r and k != i:
                        cols[k].add(i)
                    r[k] = new
                else:
                    r.pop(k, None)
                    cols[k].discard(i)
            rhs[i] -= f * rhs[j]
            work += len(pivot_row)
            if work > budget:
                raise _TooMuchWork
            heapq.heappush(heap, (len(r), i))
        cols[j].clear()
    x: list[Fraction] = [Fraction(0)] * n
    for j in reversed(order):
        r = rows[j]
        acc = rhs[j] - sum((v * x[k] for k, v in r.items() if k != j), Fraction(0))
        x[j] = acc / r[j]
    return x


@dataclass(frozen=True)
class ExactCheck:
    """The exact verdict on a pure stationary profile (:func:`exact_markov_check`).

    Attributes
    ----------
    is_equilibrium : bool
        No player has a profitable one-shot deviation in any state, in exact arithmetic
        (by the one-shot deviation principle, the profile is then Markov perfect).
    values : tuple of tuple of Fraction
        ``values[i][s]``: player ``i``'s exact normalised value from state ``s``.
    deviation : str or None
        The first profitable deviation found (player, state, action, gain), if any.
    """

    is_equilibrium: bool
    values: tuple
    deviation: str | None = None

    def to_frame(self):
        """One row per state: each player's exact value (as a fraction string)."""
        import pandas as pd

        return pd.DataFrame({f"value of player {i + 1}": [str(v) for v in vals]
                             for i, vals in enumerate(self.values)})

    def _repr_html_(self) -> str:
        import html

        verdict = ("a Markov-perfect equilibrium (checked exactly)" if self.is_equilibrium
                   else "not an equilibrium: " + str(self.deviation))
        return (f"<p><b>Exact check</b>: {html.escape(verdict)}</p>"
                + self.to_frame().head(60).to_html(index=False))


def exact_markov_check(game: StochasticGame, profile: Any, *, max_work: int = EXACT_WORK
                       ) -> ExactCheck:
    """Check a pure stationary profile of an exact game in rational arithmetic.

    Each player's values solve ``(I - δ P) V = (1 - δ) r`` exactly (a sparse
    elimination over ``Fraction``), with the discount factors as typed
    (:attr:`StochasticGame.exact_discount`); then every one-shot deviation in every
    state is compared with the value exactly. No tolerance is involved, so ties are
    ties at any payoff scale.

    Parameters
    ----------
    game : StochasticGame
        Must be exact (:attr:`StochasticGame.is_exact`).
    profile : stationary profile
        Pure: every probability 0 or 1.
    max_work : int
        Budget on the elimination (entry updates per player);
        :class:`~gametheory.errors.GameTooLargeError` beyond it.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.games import prisoners_dilemma
    >>> g = gt.StochasticGame.from_repeated(gt.RepeatedGame(prisoners_dilemma(), 0.9))
    >>> exact_markov_check(g, [[[0, 1], [0, 1]]]).is_equilibrium     # defect forever
    True
    >>> exact_markov_check(g, [[[1, 0], [1, 0]]]).deviation
    "Player 1 in state 'stage': Defect gains 1/5 over Cooperate"
    """
    if not game.is_exact:
        raise ProfileError("exact_markov_check needs exact payoffs and transitions "
                           "(StochasticGame.is_exact is False)")
    prof = _check_profile(game, profile)
    act = np.empty((game.n_states, game.n_players), dtype=int)
    for s, st in enumerate(prof):
        for i, p in enumerate(st):
            if not np.isin(p, (0.0, 1.0)).all():
                raise ProfileError(f"state {game.states[s]!r}, player {game.players[i]!r}: "
                                   "exact_markov_check is for pure profiles")
            act[s, i] = int(p.argmax())
    return _exact_check(game, act, max_work)


def _exact_check(game: StochasticGame, act: np.ndarray, max_work: int) -> ExactCheck:
    S = game.n_states
    pays = [g.exact_payoffs for g in game.stage_games]
    trans = [game.exact_transition(s) for s in range(S)]
    values = []
    deviation = None
    for i, delta in enumerate(game.exact_discount):
        rows, rhs = [], []
        for s in range(S):
            prof = tuple(act[s])
            t = trans[s][prof]
            row: dict[int, Fraction] = {}
            for j in np.flatnonzero(t).tolist():
                row[j] = -delta * t[j]
            row[s] = row.get(s, 0) + 1
            rows.append(row)
            rhs.append((1 - delta) * pays[s][(*prof, i)])
        try:
            V = _exact_solve(rows, rhs, max_work)
        except _TooMuchWork:
            raise GameTooLargeError(f"the exact check needs more than {max_work:,} rational "
                                    "updates; raise max_work") from None
        values.append(tuple(V))
        if deviation is not None:
            continue
        for s in range(S):
            g = game.stage_games[s]
            idx = list(act[s])
            for a in range(g.shape[i]):
                if a == act[s, i]:
                    continue
                idx[i] = a
                t = trans[s][tuple(idx)]
                q = (1 - delta) * pays[s][(*idx, i)] + delta * sum(
                    (t[j] * V[j] for j in np.flatnonzero(t).tolist()), Fraction(0))
                if q > V[s]:
                    deviation = (f"{game.players[i]} in state {game.states[s]!r}: "
                                 f"{g.actions[i][a]} gains {q - V[s]} over "
                                 f"{g.actions[i][act[s, i]]}")
                    break
            if deviation is not None:
                break
    return ExactCheck(deviation is None, tuple(values), deviation)


def _verified(game: StochasticGame, prof, tol: float) -> MarkovEquilibrium | None:
    """The equilibrium if it passes the best-response check within ``tol`` (relative
    to the payoff range); a pure profile of an exact game must also pass the exact
    check (within the work budget, else it is marked verified in floats)."""
    prof = _check_profile(game, prof)
    values = markov_values(game, prof)
    gains = _gains_by_state(game, prof, values).max(axis=1)
    strategies = tuple(tuple(np.asarray(p, dtype=float) for p in st) for st in prof)
    pure = all(np.isin(p, (0.0, 1.0)).all() for st in strategies for p in st)
    verified = "floats"
    if pure and game.is_exact:
        act = np.array([[int(p.argmax()) for p in st] for st in strategies])
        try:
            check = _exact_check(game, act, EXACT_WORK)
        except GameTooLargeError:
            check = None
        if check is not None:
            if not check.is_equilibrium:
                return None
            verified = "exact"
    if verified != "exact" and gains.max() > tol * _scale(game):
        return None
    return MarkovEquilibrium(game, strategies, values, float(max(gains.max(), 0.0)),
                             verified)


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


# ----------------------------------------------------------------- iterated best responses
class _Flat:
    """The game as one row per (state, pure profile): payoffs ``U`` (rows, players) and a
    sparse transition matrix ``T`` (rows, states); a pure stationary profile ``act``
    (states, players) picks row ``offset[s] + sum_i act[s, i] * stride[s, i]``."""

    def __init__(self, game: StochasticGame):
        from scipy import sparse

        S, N = game.n_states, game.n_players
        shapes = [g.shape for g in game.stage_games]
        self.n_actions = np.array(shapes, dtype=np.int64)
        self.stride = np.ones((S, N), dtype=np.int64)
        for i in range(N - 2, -1, -1):
            self.stride[:, i] = self.stride[:, i + 1] * self.n_actions[:, i + 1]
        sizes = self.n_actions.prod(axis=1)
        self.offset = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.U = np.concatenate([np.asarray(g.payoffs, dtype=float).reshape(-1, N)
                                 for g in game.stage_games])
        dense = [game.transition(s).reshape(-1, S) for s in range(S)]
        self.T = sparse.csr_matrix(np.concatenate(dense)) if S <= 2000 else sparse.vstack(
            [sparse.csr_matrix(d) for d in dense], format="csr")
        self.S, self.N = S, N
        self.K = int(self.n_actions.max())
        self.delta = np.array(game.discount)
        self.row_state = np.repeat(np.arange(S), sizes)
        local = np.arange(len(self.row_state)) - self.offset[self.row_state]
        self.row_action = (local[:, None] // self.stride[self.row_state]
                           ) % self.n_actions[self.row_state]

    def evaluate(self, sig: np.ndarray):
        """A mixed stationary profile ``sig`` (states, players, K): the state chain ``P``
        (sparse), values ``V`` (players, states), the value of every row to every player
        ``(1 - δ) U + δ T V`` (rows, players) and action values ``Q`` (players, states, K)."""
        from scipy import sparse
        from scipy.sparse.linalg import splu

        rs, ra = self.row_state, self.row_action
        each = np.stack([sig[rs, i, ra[:, i]] for i in range(self.N)], axis=1)
        w = each.prod(axis=1)
        W = sparse.csr_matrix((w, (rs, np.arange(len(rs)))), shape=(self.S, len(rs)))
        P = (W @ self.T).tocsc()
        r = W @ self.U
        V = np.empty((self.N, self.S))
        vals = np.empty_like(self.U)
        Q = np.full((self.N, self.S, self.K), -np.inf)
        eye = sparse.identity(self.S, format="csc")
        for i in range(self.N):
            d = self.delta[i]
            V[i] = splu(eye - d * P).solve((1 - d) * r[:, i])
            vals[:, i] = (1 - d) * self.U[:, i] + d * (self.T @ V[i])
            others = np.prod(np.delete(each, i, axis=1), axis=1) if self.N > 1 else 1.0
            q = np.zeros((self.S, self.K))
            np.add.at(q, (rs, ra[:, i]), others * vals[:, i])
            valid = np.arange(self.K)[None, :] < self.n_actions[:, i, None]
            Q[i] = np.where(valid, q, -np.inf)
        return P, V, vals, Q

    def mixed_q(self, sig: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Values (players, states) and action values (players, states, K) of ``sig``."""
        _, V, _, Q = self.evaluate(sig)
        return V, Q

    def rows(self, act: np.ndarray) -> np.ndarray:
        return self.offset + (act * self.stride).sum(axis=1)

    def candidates(self, act: np.ndarray, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows of player ``i``'s deviations in every state, (S, K), and their mask."""
        k = np.arange(self.K)
        base = self.rows(act) - act[:, i] * self.stride[:, i]
        valid = k[None, :] < self.n_actions[:, i, None]
        rows = base[:, None] + np.where(valid, k[None, :], 0) * self.stride[:, i, None]
        return rows, valid

    def values(self, act: np.ndarray, i: int) -> np.ndarray:
        rows = self.rows(act)
        return _discounted_values(self.T[rows], self.U[rows, i], self.delta[i])

    def best_response(self, act: np.ndarray, i: int, eps: float, max_iter: int = 1000
                      ) -> tuple[np.ndarray, np.ndarray]:
        """Policy iteration for player ``i`` against the others' pure actions in ``act``,
        starting from (and on ties keeping) ``act[:, i]``; returns (policy, values)."""
        act = act.copy()
        rows, valid = self.candidates(act, i)
        d = self.delta[i]
        for _ in range(max_iter):
            V = self.values(act, i)
            Q = (1 - d) * self.U[rows, i] + d * (self.T @ V)[rows]
            Q = np.where(valid, Q, -np.inf)
            cur = Q[np.arange(self.S), act[:, i]]
            better = Q.max(axis=1) > cur + eps
            if not better.any():
                return act[:, i], V
            act[better, i] = Q[better].argmax(axis=1)
            rows, valid = self.candidates(act, i)
        raise SolverError("policy iteration did not converge")  # pragma: no cover


def _start_profiles(flat: _Flat, starts) -> list[np.ndarray]:
    out = []
    for st in starts:
        if isinstance(st, str):
            if st == "first":
                out.append(np.zeros((flat.S, flat.N), dtype=np.int64))
            elif st == "last":
                out.append(flat.n_actions - 1)
            elif st == "backward":
                out.append(_backward_limit(flat))
            elif st == "myopic":
                # each player's stage best response to the others' first actions
                act = np.zeros((flat.S, flat.N), dtype=np.int64)
                for i in range(flat.N):
                    rows, valid = flat.candidates(act, i)
                    act[:, i] = np.where(valid, flat.U[rows, i], -np.inf).argmax(axis=1)
                out.append(act)
            else:
                raise ProfileError(f"starts: unknown start {st!r} (use 'first', 'last', "
                                   "'myopic', 'backward' or an array of action indices "
                                   "(states, players))")
        else:
            act = np.asarray(st)
            if act.shape != (flat.S, flat.N) or not np.issubdtype(act.dtype, np.integer):
                raise ProfileError(f"starts: a start profile must be integers of shape "
                                   f"({flat.S}, {flat.N}), got {act.dtype} {act.shape}")
            if (act < 0).any() or (act >= flat.n_actions).any():
                s, i = np.argwhere((act < 0) | (act >= flat.n_actions))[0]
                raise ProfileError(f"starts: action {act[s, i]} of player {i} in state {s} "
                                   f"is not one of its {flat.n_actions[s, i]} actions")
            out.append(act.astype(np.int64))
    return out


def _backward_limit(flat: _Flat, max_iter: int = 3000) -> np.ndarray:
    """The stationary policy that backward induction over ever longer horizons settles
    on (perfect-information games: one player with a choice per state), from zero
    continuation values; ties go to the lowest action index."""
    movers = flat.n_actions.argmax(axis=1)
    if ((flat.n_actions > 1).sum(axis=1) > 1).any():
        s = int(np.flatnonzero((flat.n_actions > 1).sum(axis=1) > 1)[0])
        raise ProfileError(f"starts: 'backward' needs one player with a choice per state; "
                           f"state {s} has several")
    act = np.zeros((flat.S, flat.N), dtype=np.int64)
    V = np.zeros((flat.N, flat.S))
    d = flat.delta[:, None]
    scale = max(float(np.ptp(flat.U)), 1e-300)
    stable = 0
    for _ in range(max_iter):
        cont = np.asarray(flat.T @ V.T)                  # rows x players
        Qall = (1 - d.T) * flat.U + d.T * cont
        # the mover's options in every state
        k = np.arange(flat.K)
        base = flat.offset
        stride = flat.stride[np.arange(flat.S), movers]
        valid = k[None, :] < flat.n_actions[np.arange(flat.S), movers][:, None]
        rows = base[:, None] + np.where(valid, k[None, :], 0) * stride[:, None]
        Qm = np.where(valid, Qall[rows, movers[:, None]], -np.inf)
        best = Qm.max(axis=1, keepdims=True)
        pol = (Qm >= best - 1e-12 * scale).argmax(axis=1)
        chosen = base + pol * stride
        newV = Qall[chosen].T
        change = float(np.abs(newV - V).max())
        V = newV
        same = (pol == act[np.arange(flat.S), movers]).all()
        act[np.arange(flat.S), movers] = pol
        stable = stable + 1 if same else 0
        if change <= 1e-13 * scale and stable > 1:
            break
    return act


def _iterate(flat: _Flat, act: np.ndarray, eps: float, max_rounds: int
             ) -> tuple[np.ndarray | None, int, list[np.ndarray]]:
    """Players take turns to best-respond until nobody changes; on a cycle, None and
    the profiles of the cycle."""
    seen = {act.tobytes(): 0}
    trail = [act]
    for rounds in range(1, max_rounds + 1):
        changed = False
        for i in range(flat.N):
            pol, _ = flat.best_response(act, i, eps)
            if (pol != act[:, i]).any():
                act = act.copy()
                act[:, i] = pol
                changed = True
        if not changed:
            return act, rounds, []
        key = act.tobytes()
        if key in seen:
            return None, rounds, trail[seen[key]:]
        seen[key] = len(trail)
        trail.append(act)
    return None, max_rounds, trail[-2:]


def _mix_cycle(flat: _Flat, cycle: list[np.ndarray], eps: float) -> np.ndarray | None:
    """A mixed stationary profile from a best-response cycle: where the cycle's profiles
    differ, the player mixes over the actions the cycle visits (see
    :func:`_polish_support`)."""
    support: dict[tuple[int, int], np.ndarray] = {}
    stack = np.stack(cycle)
    for s, i in zip(*np.nonzero((stack != stack[0]).any(axis=0)), strict=True):
        support[(int(s), int(i))] = np.unique(stack[:, s, i])
    if not support:
        return None
    return _polish_support(flat, cycle[-1].copy(), support, eps)


def _polish_support(flat: _Flat, act: np.ndarray, support: dict, eps: float, *,
                    start: np.ndarray | None = None, rounds: int = 20) -> np.ndarray | None:
    """Solve for a stationary equilibrium with given supports: in the states of
    ``support`` ((state, player) -> actions) the player mixes so that those actions are
    indifferent (least squares on logits, from ``start``'s probabilities if given; an
    action whose probability goes to zero leaves the support); elsewhere it plays
    ``act``, replaced by a best response wherever that is not one. Returns the profile
    (states, players, K), or None when no such profile was found in ``rounds``."""
    from scipy.optimize import least_squares

    support = dict(support)
    act = act.copy()
    for _ in range(rounds):
        keys = list(support)
        sizes = [len(support[k]) for k in keys]
        cuts = np.cumsum([0] + [m - 1 for m in sizes])

        def profile(z, act=act, keys=keys, sizes=sizes, cuts=cuts):
            sig = np.zeros((flat.S, flat.N, flat.K))
            sig[np.arange(flat.S)[:, None], np.arange(flat.N)[None, :], act] = 1.0
            for k, (s, i) in enumerate(keys):
                logits = np.concatenate([[0.0], z[cuts[k]:cuts[k + 1]]])
                p = np.exp(logits - logits.max())
                sig[s, i] = 0.0
                sig[s, i, support[(s, i)]] = p / p.sum()
            return sig

        def residual(z, profile=profile, keys=keys):
            _, Q = flat.mixed_q(profile(z))
            out = []
            for s, i in keys:
                q = Q[i, s, support[(s, i)]]
                out.extend(q[1:] - q[0])
            return np.array(out)

        def jacobian(z, profile=profile, keys=keys, cuts=cuts):
            # one mover per mixing state: a change of its mixture moves one row of the
            # chain, so every value moves along (I - δP)^-1 e_s (one solve per state)
            from scipy import sparse
            from scipy.sparse.linalg import splu

            sig = profile(z)
            P, _, vals, _ = flat.evaluate(sig)
            states = sorted({s for s, _ in keys})
            col = {s: c for c, s in enumerate(states)}
            E = np.zeros((flat.S, len(states)))
            E[states, np.arange(len(states))] = 1.0
            eye = sparse.identity(flat.S, format="csc")
            TX = [flat.T @ splu(eye - flat.delta[j] * P).solve(E) for j in range(flat.N)]
            J = np.zeros((cuts[-1], cuts[-1]))
            for k, (s, i) in enumerate(keys):
                sup = support[(s, i)]
                rows_k = flat.offset[s] + sup * flat.stride[s, i]
                p = sig[s, i, sup]
                for b in range(1, len(sup)):
                    dp = p * ((np.arange(len(sup)) == b) - p[b])
                    c = dp @ vals[rows_k]                       # per player
                    out = 0
                    for s2, i2 in keys:
                        sup2 = support[(s2, i2)]
                        rows2 = flat.offset[s2] + sup2 * flat.stride[s2, i2]
                        d2 = flat.delta[i2] * c[i2] * TX[i2][rows2, col[s]]
                        J[out:out + len(sup2) - 1, cuts[k] + b - 1] = d2[1:] - d2[0]
                        out += len(sup2) - 1
            return J

        solo = all(int((flat.n_actions[s] > 1).sum()) == 1 for s, _ in keys)
        z0 = np.zeros(cuts[-1])
        if start is not None:
            for k, key in enumerate(keys):
                p = np.maximum(start[key[0], key[1], support[key]], 1e-12)
                z0[cuts[k]:cuts[k + 1]] = np.log(p[1:] / p[0])
        if keys:
            fit = least_squares(residual, z0, jac=jacobian if solo else "2-point",
                                xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=200)
            sig = profile(fit.x)
        else:
            sig = profile(z0)
        _, Q = flat.mixed_q(sig)
        # an action the fit drives to zero leaves the support (its state may turn pure)
        changed = False
        for (s, i) in keys:
            sup = support[(s, i)]
            p = sig[s, i, sup]
            if p.min() < 1e-6:
                keep = sup[p >= 1e-6]
                changed = True
                if len(keep) == 1:
                    act[s, i] = keep[0]
                    del support[(s, i)]
                else:
                    support[(s, i)] = keep
        if changed:
            continue
        # outside the mixing states: best responses to the mixed profile
        for i in range(flat.N):
            best = Q[i].max(axis=1)
            cur = Q[i][np.arange(flat.S), act[:, i]]
            bad = (best > cur + eps) & ~np.isin(np.arange(flat.S),
                                                 [s for s, j in support if j == i])
            if bad.any():
                act = act.copy()
                act[bad, i] = Q[i][bad].argmax(axis=1)
                changed = True
        if not changed:
            return sig
    return None


def _pure_profile(game: StochasticGame, act: np.ndarray) -> list[list[np.ndarray]]:
    """A pure stationary profile from action indices ``act`` (states, players)."""
    return [[np.eye(game.stage_games[s].shape[i])[int(act[s, i])] for i in range(game.n_players)]
            for s in range(game.n_states)]


def iterated_best_response(game: StochasticGame, *,
                           starts=("backward", "first", "last", "myopic"),
                           tol: float = 1e-9, max_rounds: int = 100,
                           mix_cycles: bool = True) -> MarkovResult:
    """Stationary Markov-perfect equilibria by iterated exact best responses.

    From each starting profile, the players take turns to replace their strategy by an
    optimal policy of their Markov decision process against the others (policy
    iteration on sparse transitions, keeping the current action wherever it is still
    optimal); when a full round changes nothing, no player has a profitable deviation
    in any state and the profile is a Markov-perfect equilibrium, which is verified
    once more by :func:`best_response_gain`. When the best responses cycle (as in
    matching pennies, there may be no pure stationary equilibrium), the players mix
    over the actions the cycle visits in the states where it differs, with the
    probabilities that make those actions indifferent (solved by least squares), and
    best-respond elsewhere; the mixed profile is returned only if it passes the same
    verification. Distinct equilibria from the different starts are returned. It
    scales to thousands of states (alternating-move games, where one player moves in
    each state, are the typical case), but it finds *some* equilibria, not all, and a
    start can fail; the details say which starts reached an equilibrium.

    Parameters
    ----------
    game : StochasticGame
    starts : sequence
        ``"first"`` (every player's first action everywhere), ``"last"``, ``"myopic"``
        (stage best responses), ``"backward"`` (the policy backward induction settles
        on as the horizon grows, for games with one player choosing per state; skipped
        in other games), or integer arrays of action indices (states, players).
    tol : float
        Relative to the payoff range: smaller improvements are ties.
    max_rounds : int
        Rounds of best responses per start before it counts as not converged.
    mix_cycles : bool
        Look for a mixed equilibrium on the states of a best-response cycle.

    Returns
    -------
    MarkovResult
        Guarantee ``"some"``; ``details["starts"]`` lists, per start, whether it
        reached an equilibrium, in how many rounds, whether by mixing a cycle, and
        which equilibrium.

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.games import prisoners_dilemma
    >>> g = gt.StochasticGame.from_repeated(gt.RepeatedGame(prisoners_dilemma(), 0.9))
    >>> res = gt.solve(g, method="best_response")
    >>> [eq.actions() for eq in res], res.guarantee
    ([{'stage': ('Defect', 'Defect')}], 'some')
    """
    tol = check_tolerance(tol)
    max_rounds = check_count("max_rounds", max_rounds, maximum=100_000)
    start = time.perf_counter()
    flat = _Flat(game)
    scale = _scale(game)
    found: list[MarkovEquilibrium] = []
    keys: list[bytes] = []
    log = []
    perfect = not ((flat.n_actions > 1).sum(axis=1) > 1).any()
    starts = [st for st in starts if perfect or not (isinstance(st, str) and st == "backward")]
    for k, act in enumerate(_start_profiles(flat, starts)):
        eps = tol * scale * 1e-3
        final, rounds, cycle = _iterate(flat, act, eps, max_rounds)
        entry = {"start": starts[k] if isinstance(starts[k], str) else f"array {k}",
                 "converged": final is not None, "rounds": rounds, "mixed": False,
                 "equilibrium": None}
        prof = None
        if final is not None:
            prof = _pure_profile(game, final)
            key = final.tobytes()
        elif cycle and mix_cycles:
            sig = _mix_cycle(flat, cycle, eps)
            if sig is not None:
                prof = [[sig[s, i, :game.stage_games[s].shape[i]]
                         for i in range(game.n_players)] for s in range(game.n_states)]
                key = np.round(sig, 9).tobytes()
                entry["mixed"] = True
        if prof is not None:
            if key in keys:
                entry["equilibrium"] = keys.index(key)
                entry["converged"] = True
            else:
                eq = _verified(game, prof, tol)
                if eq is None and final is not None and game.is_exact:
                    # a tie within the float tolerance that exact arithmetic breaks
                    entry["rejected"] = "the exact check finds a profitable deviation"
                elif eq is None and final is not None:           # pragma: no cover
                    raise SolverError("iterated best responses stopped at a profile the "
                                      "independent check rejects")
                if eq is not None:
                    entry["converged"] = True
                    keys.append(key)
                    found.append(eq)
                    entry["equilibrium"] = len(found) - 1
        log.append(entry)
    return MarkovResult(found, "best_response", "some", game, tol=tol,
                        converged=all(e["converged"] for e in log),
                        n_iter=sum(e["rounds"] for e in log),
                        elapsed_s=time.perf_counter() - start, details={"starts": log})


# ----------------------------------------------------------------- turn-based QRE (sparse)
class _TurnSystem:
    """The logit Markov QRE of a game with at most one chooser per state, in values:
    ``F_i(s) = V_i(s) - sum_a σ_a(s) Q_i(s, a)`` with ``σ(s) = softmax(λ Q_m(s, ·))``
    for the state's mover ``m``, payoffs scaled to unit range. The Jacobian in ``V`` is
    as sparse as the transitions, so thousands of states cost milliseconds per step."""

    def __init__(self, flat: _Flat, payoffs: np.ndarray | None = None):
        self.flat = flat
        S, K = flat.S, flat.K
        if payoffs is None:
            lo, hi = float(flat.U.min()), float(flat.U.max())
            self.scale = max(hi - lo, 1e-300)
            self.U = (flat.U - lo) / self.scale
        else:   # payoffs in their own units (rows, players): λ is per unit of payoff
            self.scale = 1.0
            self.U = np.asarray(payoffs, dtype=float)
        self.mover = flat.n_actions.argmax(axis=1)
        k = np.arange(K)
        self.valid = k[None, :] < flat.n_actions[np.arange(S), self.mover][:, None]
        stride = flat.stride[np.arange(S), self.mover]
        self.rows = flat.offset[:, None] + np.where(self.valid, k[None, :], 0) * stride[:, None]

    def parts(self, V: np.ndarray, lam: float):
        """σ (S, K) and Q (N, S, K) at values V (N, S)."""
        f = self.flat
        d = f.delta[:, None, None]
        TV = np.asarray(f.T @ V.T)                                   # rows x N
        Q = (1 - d) * self.U[self.rows].transpose(2, 0, 1) + d * TV[self.rows].transpose(2, 0, 1)
        Qm = Q[self.mover, np.arange(f.S)]
        x = np.where(self.valid, lam * Qm, -np.inf)
        x = x - x.max(axis=1, keepdims=True)
        e = np.exp(x)
        sig = e / e.sum(axis=1, keepdims=True)
        return sig, np.where(self.valid[None], Q, 0.0)

    def F(self, V: np.ndarray, lam: float) -> np.ndarray:
        sig, Q = self.parts(V, lam)
        return (V - (sig[None] * Q).sum(axis=2)).ravel()

    def jacobian(self, V: np.ndarray, lam: float):
        """``dF/dV`` (sparse, (N S) x (N S)) and ``dF/dλ`` (N S).

        Assembled into a fixed sparsity pattern (:class:`_TurnPattern`, built once per
        game): only the values are computed per call."""
        from scipy import sparse

        f = self.flat
        S, N = f.S, f.N
        pat = getattr(f, "_turn_pattern", None)
        if pat is None:
            pat = f._turn_pattern = _TurnPattern(self)
        sig, Q = self.parts(V, lam)
        Qm = Q[self.mover, np.arange(S)]                             # S x K
        Qbar = (sig[None] * Q).sum(axis=2)                           # N x S
        Qm_bar = Qbar[self.mover, np.arange(S)]
        dlam = np.empty((N, S))
        direct = pat.product(sig.ravel())                            # σ T, on the pattern
        vals = [np.ones(N * S)]
        vals += [-f.delta[i] * direct for i in range(N)]
        for i in range(N):
            # how V_j moves σ at the states j moves in, and so F_i
            through = pat.product((sig * (Q[i] - Qbar[i][:, None])).ravel())
            dlam[i] = -(sig * (Qm - Qm_bar[:, None]) * (Q[i] - Qbar[i][:, None])).sum(axis=1)
            vals += [-(lam * f.delta[j]) * through[pat.mover_mask[j]] for j in range(N)]
        data = np.bincount(pat.position, weights=np.concatenate(vals), minlength=pat.nnz)
        J = sparse.csc_matrix((data, pat.indices, pat.indptr), shape=(N * S, N * S))
        return J, dlam.ravel()

    def start(self) -> np.ndarray:
        """Values under uniform play (λ = 0)."""
        from scipy import sparse
        from scipy.sparse.linalg import spsolve

        f = self.flat
        sig = self.valid / self.valid.sum(axis=1, keepdims=True)
        W = sparse.csr_matrix(((sig * self.valid).ravel(),
                               (np.repeat(np.arange(f.S), f.K), self.rows.ravel())),
                              shape=(f.S, len(f.U)))
        P = (W @ f.T).tocsc()
        r = W @ self.U
        V = np.empty((f.N, f.S))
        for i in range(f.N):
            d = f.delta[i]
            V[i] = spsolve(sparse.identity(f.S, format="csc") - d * P, (1 - d) * r[:, i])
        return V


class _TurnPattern:
    """The fixed sparsity pattern of a turn system's Jacobian.

    ``σ T`` - each state's action weights times the transition rows of its mover's
    actions - has the pattern of the mover's reachable successors whatever σ is, so
    the products ``direct`` and ``through`` of :meth:`_TurnSystem.jacobian` are
    ``bincount`` over a precomputed list of contributions, and the Jacobian's CSC
    structure (identity, the own blocks, the cross blocks on the rows where the other
    player moves) is laid out once; a call computes only values."""

    def __init__(self, system: _TurnSystem):
        f = system.flat
        S, N, K = f.S, f.N, f.K
        valid = system.valid.ravel()
        e = np.flatnonzero(valid)                        # entries (state, k) of σ
        r_e = np.repeat(np.arange(S), K)[valid]
        c_e = system.rows.ravel()[valid]                 # their rows of T
        T = f.T.tocsr()
        counts = np.diff(T.indptr)[c_e]
        first = np.repeat(T.indptr[c_e], counts)
        within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        src = first + within
        self.weight_index = np.repeat(e, counts)
        self.t_values = T.data[src]
        keys = np.repeat(r_e, counts).astype(np.int64) * S + T.indices[src]
        ukeys, self.contribution = np.unique(keys, return_inverse=True)
        self.n_product = ukeys.size
        p_rows, p_cols = ukeys // S, ukeys % S
        self.mover_mask = [system.mover[p_rows] == j for j in range(N)]
        rows = [np.arange(N * S)]
        cols = [np.arange(N * S)]
        for i in range(N):                               # own blocks: δ_i σ T
            rows.append(i * S + p_rows)
            cols.append(i * S + p_cols)
        for i in range(N):                               # λ δ_j (rows where j moves)
            for j in range(N):
                m = self.mover_mask[j]
                rows.append(i * S + p_rows[m])
                cols.append(j * S + p_cols[m])
        rows_a, cols_a = np.concatenate(rows), np.concatenate(cols)
        n = N * S
        ckeys, self.position = np.unique(cols_a.astype(np.int64) * n + rows_a,
                                         return_inverse=True)
        self.nnz = ckeys.size
        self.indices = (ckeys % n).astype(np.int32)
        self.indptr = np.searchsorted(ckeys // n, np.arange(n + 1)).astype(np.int32)

    def product(self, w: np.ndarray) -> np.ndarray:
        """The values of ``W T`` on the pattern, ``W`` (states x rows of T) holding the
        weights ``w`` (states x K, raveled) at each state's mover's action rows."""
        return np.bincount(self.contribution, weights=w[self.weight_index] * self.t_values,
                           minlength=self.n_product)


class TurnLogit:
    """The logit equations of a turn-based game whose payoffs can be replaced.

    What a structural estimator needs (:mod:`gametheory.analysis.estimation` fits
    payoff weights by solving these equations at every trial value) without reaching
    into the solver's internals: ``system(payoffs)`` gives the equations ``F(V, λ)``
    with their sparse Jacobian (``parts``, ``F``, ``jacobian``, ``mover``, ``rows``,
    ``valid``), payoffs in their own units (rows of ``flat``, one per state and
    action of its mover); ``trace`` follows the branch from λ = 0 to ``lam``.
    """

    def __init__(self, game: StochasticGame):
        self.flat = _Flat(game)

    def system(self, payoffs: np.ndarray) -> _TurnSystem:
        return _TurnSystem(self.flat, payoffs=payoffs)

    def trace(self, system: _TurnSystem, lam: float, max_steps: int) -> np.ndarray:
        """The values at ``lam`` on the branch that starts at uniform play."""
        values = [V for _, V, _ in _turn_trace(system, [lam], max_steps)]
        return values[-1]


def _det_sign(lu) -> int:
    """Sign of the determinant of a matrix from its sparse LU factors."""
    def perm_sign(p):
        seen = np.zeros(len(p), dtype=bool)
        sign = 1
        for k in range(len(p)):
            if not seen[k]:
                j, length = k, 0
                while not seen[j]:
                    seen[j] = True
                    j = p[j]
                    length += 1
                if length % 2 == 0:
                    sign = -sign
        return sign

    d = lu.U.diagonal()
    return int(np.prod(np.sign(d)) * perm_sign(lu.perm_r) * perm_sign(lu.perm_c))


def _bordered(J, col: np.ndarray, row: np.ndarray):
    from scipy import sparse

    return sparse.bmat([[J, sparse.csc_matrix(col[:, None])],
                        [sparse.csr_matrix(row[None, :-1]),
                         sparse.csr_matrix([[row[-1]]])]], format="csc")


class _RowUpdated:
    """Solves with the bordered matrix ``B(s)`` (last row ``s``) from the factors of
    ``B(t)`` (last row ``t``): ``B(s) = B(t) + e (s - t)ᵀ``, so by Sherman-Morrison
    ``B(s)⁻¹ g = y - z (s - t)ᵀy / (1 + (s - t)ᵀz)`` with ``y = B(t)⁻¹ g`` and
    ``z = B(t)⁻¹ e`` - one factorisation per continuation step instead of two."""

    def __init__(self, lu, t: np.ndarray, z: np.ndarray, s: np.ndarray):
        self.lu, self.z, self.d = lu, z, s - t
        self.denom = 1.0 + float(self.d @ z)

    def solve(self, g: np.ndarray) -> np.ndarray:
        y = self.lu.solve(g)
        return y - self.z * (float(self.d @ y) / self.denom)


def _turn_trace(system: _TurnSystem, stops, max_steps: int):
    """Arc-length continuation of (V, λ) from λ = 0 to ``lam_stop``: Euler predictor,
    chord-Newton corrector with the bordered Jacobian factored once per step (its
    factors also give the next tangent and the orientation, det [J; t], which is kept
    through folds); yields ``(stop, values at stop, steps so far)`` as the branch passes
    each of the increasing ``stops``."""
    from scipy.sparse.linalg import splu, spsolve

    N = system.flat.N
    n = N * system.flat.S
    e_last = np.zeros(n + 1)
    e_last[-1] = 1.0

    def factor(w, row):
        J, dl = system.jacobian(w[:-1].reshape(N, -1), w[-1])
        return splu(_bordered(J, dl, row))

    def G(w, t, wp):
        return np.concatenate([system.F(w[:-1].reshape(N, -1), w[-1]), [t @ (w - wp)]])

    w = np.concatenate([system.start().ravel(), [0.0]])
    lu = factor(w, e_last)
    t = lu.solve(e_last)
    t /= np.linalg.norm(t)
    if t[-1] < 0:
        t = -t
    lu = factor(w, t)
    orientation = _det_sign(lu)
    stops = sorted(float(x) for x in stops)
    h = 0.1
    for steps in range(1, max_steps + 1):
        wp = w + h * t
        w_new = wp.copy()
        ok = False
        for full in (False, True):
            # chord iterations with the step's factors, then full Newton if needed
            w_new = wp.copy()
            prev_norm = np.inf
            for _ in range(8 if not full else 12):
                g = G(w_new, t, wp)
                norm = np.abs(g).max()
                if norm < 1e-11:
                    ok = True
                    break
                if not np.isfinite(norm) or (not full and norm > 0.5 * prev_norm):
                    break
                prev_norm = norm
                try:
                    step = (lu if not full else factor(w_new, t)).solve(g)
                except RuntimeError:
                    break
                w_new = w_new - step
            if ok:
                break
        if not ok or w_new[-1] < 0:
            h *= 0.5
            if h < 1e-9:
                raise SolverError(f"QRE path following failed: step size underflow at "
                                  f"λ={w[-1] / system.scale:.6g}")
            continue
        try:
            lu_new = factor(w_new, t)
        except RuntimeError:
            h *= 0.5
            continue
        z = lu_new.solve(e_last)
        t_new = z / np.linalg.norm(z)
        # the tangent with the branch's orientation, det [J; t_new] of its sign: with
        # t_new = z / |z|, det [J; t_new] = det [J; t] (t_new . z) has the sign of
        # det [J; t] (matrix determinant lemma, t . z = 1), so no second factorisation
        if _det_sign(lu_new) != orientation:
            t_new = -t_new
        if t_new @ t < 0.8 and h > 1e-6:
            h *= 0.5
            continue
        w, lu = w_new, _RowUpdated(lu_new, t, z, t_new)
        t = t_new
        while stops and w[-1] >= stops[0]:
            # the values at exactly the stop: Newton at fixed λ from the last point
            stop = stops.pop(0)
            V = w[:-1].reshape(N, -1)
            for _ in range(30):
                Fv = system.F(V, stop)
                if np.abs(Fv).max() < 1e-12:
                    break
                J, _ = system.jacobian(V, stop)
                V = V - spsolve(J, Fv).reshape(V.shape)
            yield stop, V, steps
        if not stops:
            return
        h = min(h * 2.0, max(0.1, 0.25 * w[-1]))
    raise SolverError(f"QRE path following stopped after {max_steps} steps at "
                      f"λ={w[-1] / system.scale:.6g}")


#: Games whose dense logit system (probabilities and values) has at most this many
#: unknowns are solved by :func:`turn_qre` with the compiled dense follower.
TURN_DENSE_LIMIT = 400


def turn_qre(game: StochasticGame, *, lam_max: float = 1e4, tol: float = 1e-9,
             max_steps: int = 5_000, branch_tol: float = 0.05,
             engine: str = "auto") -> MarkovResult:
    """One Markov-perfect equilibrium of a turn-based game by the logit Markov QRE.

    For games where at most one player has a choice in each state (alternating moves),
    the stationary logit QRE is followed from uniform play at λ = 0 to ``lam_max``
    (over the payoff range) in the players' *values*, whose Jacobian is as sparse as
    the transitions: the same branch as :func:`markov_qre` at a cost that grows with
    the number of transitions, not with its cube. At λ = 100, 1000 and ``lam_max`` the
    supports are read off the branch, the equilibrium with those supports is solved
    from the indifference equations (best responses elsewhere), and the first that
    passes every player's best-response MDP check *and* lies within ``branch_tol`` of
    the branch (largest probability difference) is returned (``details["lam"]`` says
    which point of the branch it was polished from, ``details["branch_distance"]`` how
    far it is). The distance check matters: at λ = 100 a nearly indifferent mover can
    sit at 0.47/0.53 on a branch that ends in a pure action, and polishing that point
    finds a *different* mixed equilibrium nearby; such a candidate is passed over and
    the branch followed further, so the result is the branch's limit, the same one
    :func:`markov_qre` selects. Games whose dense system has at most
    :data:`TURN_DENSE_LIMIT` unknowns go to :func:`markov_qre`'s compiled dense
    follower first (``details["engine"]`` says which ran).

    Parameters
    ----------
    game : StochasticGame
        At most one player with a choice in each state.
    lam_max : float
        The largest λ (over the payoff range) the branch is followed to.
    tol : float
        Best-response tolerance of the verification.
    max_steps : int
        Predictor-corrector steps before giving up.
    branch_tol : float
        Largest probability difference between a polished equilibrium and the branch
        point it was polished from.
    engine : {"auto", "dense", "sparse"}
        ``"auto"``: the compiled dense follower when the dense system has at most
        :data:`TURN_DENSE_LIMIT` unknowns (falling back to the sparse one if it fails),
        else the sparse one; or either alone.

    Returns
    -------
    MarkovResult
        One equilibrium (guarantee ``"one"``: the logit-selected one), with the steps
        and the end of the branch in ``details``.

    Raises
    ------
    ProfileError
        If a state has two or more players with a choice.
    SolverError
        If the branch cannot be followed or its end does not polish into a verified
        equilibrium (no unverified profile is returned).

    Examples
    --------
    A one-shot entry game as two states: the entrant moves, then the incumbent.

    >>> import gametheory as gt
    >>> enter = gt.Game([[[0, 0]], [[0, 0]]], actions=(("Out", "In"), ("wait",)))
    >>> fight = gt.Game([[[-1, -1], [1, 1]]], actions=(("wait",), ("Fight", "Accommodate")))
    >>> end = gt.Game([[[0, 0]]], actions=(("wait",), ("wait",)))
    >>> g = gt.StochasticGame([enter, fight, end], [[[[0, 0, 1]], [[0, 1, 0]]],
    ...     [[[0, 0, 1], [0, 0, 1]]], [[[0, 0, 1]]]], discount=0.5)
    >>> eq = turn_qre(g)[0]
    >>> eq.actions()["0"], eq.actions()["1"]
    (('In', 'wait'), ('wait', 'Accommodate'))
    """
    tol = check_tolerance(tol)
    if not (isinstance(branch_tol, (int, float)) and 0 < branch_tol <= 1):
        raise ProfileError(f"branch_tol must be a probability distance in (0, 1], "
                           f"got {branch_tol!r}")
    start = time.perf_counter()
    flat = _Flat(game)
    if ((flat.n_actions > 1).sum(axis=1) > 1).any():
        s = int(np.flatnonzero((flat.n_actions > 1).sum(axis=1) > 1)[0])
        raise ProfileError(f"turn_qre needs at most one player with a choice per state; "
                           f"state {game.states[s]!r} has several (use markov_qre)")
    if engine not in ("auto", "dense", "sparse"):
        raise ProfileError(f"engine must be 'auto', 'dense' or 'sparse', got {engine!r}")
    dense = sum(g.shape[i] for g in game.stage_games for i in range(flat.N)) \
        + flat.S * flat.N
    if engine == "dense" or (engine == "auto" and dense <= TURN_DENSE_LIMIT):
        # small enough for the compiled dense follower of markov_qre (the same branch,
        # tested): it is 10-100x faster than the sparse one below on such games
        try:
            res = markov_qre(game, tol=tol, max_steps=max(max_steps, 20_000),
                             lam_max=None if lam_max == 1e4 else lam_max)
        except SolverError:
            if engine == "dense":
                raise
            # the sparse follower may still get there
        else:
            return MarkovResult(list(res), "turn_qre", "one", game, tol=tol,
                                elapsed_s=time.perf_counter() - start,
                                details={**res.details, "engine": "dense (markov_qre)"})
    system = _TurnSystem(flat)
    eps = tol * _scale(game) * 1e-3
    stops = [x for x in (1e2, 1e3) if x < lam_max] + [float(lam_max)]
    for stop, V, steps in _turn_trace(system, stops, max_steps):
        sig_m, _ = system.parts(V, stop)
        sig = np.zeros((flat.S, flat.N, flat.K))
        sig[np.arange(flat.S)[:, None], np.arange(flat.N)[None, :], 0] = 1.0
        sig[np.arange(flat.S), system.mover] = sig_m
        for threshold in (1e-3, 1e-5, 1e-8, 1e-2):
            act = sig.argmax(axis=2)
            support = {}
            for s_ in range(flat.S):
                m = int(system.mover[s_])
                sup = np.flatnonzero(sig[s_, m] > threshold)
                if len(sup) > 1:
                    support[(s_, m)] = sup
            polished = _polish_support(flat, act, support, eps, start=sig)
            if polished is None:
                continue
            prof = [[polished[s_, i, :game.stage_games[s_].shape[i]] for i in range(flat.N)]
                    for s_ in range(flat.S)]
            distance = float(np.abs(polished - sig).max())
            if distance > branch_tol:
                continue
            eq = _verified(game, prof, tol)
            if eq is not None:
                return MarkovResult([eq], "turn_qre", "one", game, tol=tol, n_iter=steps,
                                    elapsed_s=time.perf_counter() - start,
                                    details={"lam": stop, "steps": steps,
                                             "branch_end": sig, "threshold": threshold,
                                             "branch_distance": distance,
                                             "engine": "sparse"})
    raise SolverError(f"the turn-based QRE branch reached λ={lam_max:.3g} but no point of it "
                      "(λ = 100, 1000, lam_max) polished into a verified stationary "
                      f"equilibrium within {branch_tol:g} of the branch; no result is "
                      "returned (try a larger lam_max)")


# ----------------------------------------------------------------- Markov logit QRE
class _MarkovSystem:
    """The stationary logit equations of a stochastic game, payoffs scaled to unit range:
    for each state ``s`` and player ``i``, ``z_a - z_0 = λ (Q_a - Q_0)`` and
    ``Σ exp(z) = 1``, where ``z`` are log-probabilities and ``Q`` the player's
    normalised action values given everyone's stationary strategies. The branch is
    traced by the compiled follower of :mod:`._markov_qre`, which adds the values as
    unknowns and has the Jacobian in closed form; this class keeps the layout, the
    start and the action values used to polish the branch's end."""

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

    @property
    def flat(self) -> tuple:
        """The arrays the compiled path follower reads (:func:`._markov_qre.flatten`)."""
        from ._markov_qre import flatten

        if not hasattr(self, "_flat"):
            self._flat = flatten([np.asarray(g.payoffs, dtype=float)
                                  for g in self.game.stage_games],
                                 self.T, self.game.discount, self.scale)
        return self._flat

    def _profile(self, z: np.ndarray) -> list[list[np.ndarray]]:
        prof: list[list[np.ndarray]] = [[None] * self.N for _ in range(self.S)]
        for k, (s, i, _) in enumerate(self.blocks):
            prof[s][i] = np.exp(z[self.offsets[k]:self.offsets[k + 1]])
        return prof

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
    if not np.isfinite(lam) or lam < 0:
        raise ProfileError(f"λ must be a finite number >= 0, got {lam!r}")
    system = _MarkovSystem(game)
    if lam == 0:
        return [[np.full(g.shape[i], 1.0 / g.shape[i]) for i in range(game.n_players)]
                for g in game.stage_games]
    final, _, _ = _markov_trace(system, _markov_start(system), lam * system.scale, max_steps)
    return system.profile(final[:system.M])


def _markov_start(system: _MarkovSystem) -> np.ndarray:
    """The branch's start: uniform play, its values, λ = 0."""
    z0 = system.start()[:-1]
    V0 = (markov_values(system.game, system.profile(z0)) / system.scale).T.ravel()
    return np.concatenate([z0, V0, [0.0]])


def _markov_trace(system: _MarkovSystem, w: np.ndarray, lam_stop: float, max_steps: int):
    """The compiled path follower (:mod:`._markov_qre`) from ``w`` (a point of the
    branch) to ``lam_stop`` (internal units): ``(w, steps, bifurcations)`` at the end,
    bifurcations in the game's λ units. Raises SolverError (with the last point reached
    in ``exc.last``) when it cannot get there."""
    from . import _markov_qre as mq

    status, end, steps, bif = mq.trace(w, float(lam_stop), int(max_steps), *system.flat)
    bifurcations = [float(b) / system.scale for b in bif]
    if status == mq.REACHED:
        return end, int(steps), bifurcations
    lam_now = end[-1] / system.scale
    if status == mq.TURNED_BACK:
        exc: SolverError = SolverError(
            "Markov QRE path following turned back through λ = 0, which happens at "
            "bifurcations of degenerate games; no branch end to report")
    elif status == mq.MAX_STEPS:
        exc = IterationLimitError(f"Markov QRE path did not reach "
                                  f"λ={lam_stop / system.scale:.6g} within {max_steps} steps "
                                  f"(reached {lam_now:.6g})")
    else:
        what = "step size underflow" if status == mq.UNDERFLOW else "singular Jacobian"
        exc = SolverError(f"Markov QRE path following failed: {what} at λ={lam_now:.6g}")
    exc.last = None if status == mq.TURNED_BACK else end
    raise exc


def _polish_markov(system: _MarkovSystem, prof, threshold: float, least_squares: bool = False):
    """A stationary equilibrium with the supports ``prof`` suggests (the actions with at
    least ``threshold`` times the largest probability): in each state every supported
    action of a player has the same action value. Newton's method, compiled
    (:func:`._markov_qre.polish`), from ``prof``; None if it does not converge to a
    profile with nonnegative probabilities. ``least_squares``: minimum-norm steps
    (:func:`_polish_least_squares`), for when Newton fails at every threshold."""
    from ._markov_qre import polish

    sup = np.concatenate([p > threshold * p.max() for row in prof for p in row])
    start = [[np.where(p > threshold * p.max(), p, 0.0) for p in row] for row in prof]
    start = [[p / p.sum() for p in row] for row in start]
    V0 = (markov_values(system.game, start) / system.scale).T.ravel()
    x0 = np.concatenate([np.concatenate([p for row in start for p in row]), V0])
    if least_squares:
        x, ok = _polish_least_squares(system, x0, sup)
    else:
        ok, x = polish(x0, sup, *system.flat, 50)
    sig = x[:system.M]
    if not ok or (sig < -1e-12).any():
        return None
    out = system._profile(np.log(np.clip(sig, 1e-300, None)))
    out = [[np.where(sup[system.offsets[k]:system.offsets[k + 1]], np.clip(p, 0, None), 0.0)
            for k, p in enumerate(row, start=s * system.N)] for s, row in enumerate(out)]
    return [[p / p.sum() for p in row] for row in out]


def _polish_least_squares(system: _MarkovSystem, x0: np.ndarray, sup: np.ndarray):
    """Gauss–Newton with minimum-norm steps on the same conditions: where the
    equilibria with these supports form a continuum (duplicate actions, ties of a
    degenerate game) the Jacobian is singular and Newton's method fails, but
    minimum-norm steps converge to a nearby point of the continuum."""
    from ._markov_qre import _polish_eval

    n = len(x0)
    H, J = np.zeros(n), np.zeros((n, n))
    x = x0.copy()
    best = np.inf
    for k in range(30):
        _polish_eval(x, sup, *system.flat, H, J)
        err = np.max(np.abs(H))
        if err < 1e-13:
            return x, True
        if k >= 4 and err > 1e-3 * best:
            break                # not converging (Gauss–Newton converges fast or not at all)
        best = min(best, err)
        x = x - np.linalg.lstsq(J, H, rcond=1e-12)[0]
        if not np.all(np.isfinite(x)):
            return x, False
    _polish_eval(x, sup, *system.flat, H, J)
    return x, bool(np.max(np.abs(H)) < 1e-11)


def markov_qre(game: StochasticGame, *, lam_max: float | None = None, tol: float = 1e-9,
               max_steps: int = 20_000) -> MarkovResult:
    """One stationary Markov-perfect equilibrium: the limit of the logit Markov QRE.

    The stationary logit QRE (the Markov QRE of Eibelshäuser and Poensgen) is followed
    from uniform play at λ = 0 by a compiled predictor–corrector (values as unknowns,
    closed-form Jacobian, chord-Newton corrector; :mod:`gametheory.solvers._markov_qre`)
    up to ``lam_max`` (default ``1e4`` over the payoff range, then ``1e5`` and ``1e6``
    while the end does not yet polish); the supports are read off its end point, the
    equilibrium with those supports is solved from the indifference equations (Newton,
    minimum-norm steps where the equilibria form a continuum), and it is verified by each
    player's best-response MDP before it is returned. Any number of players.

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
    tol = check_tolerance(tol)
    start = time.perf_counter()
    system = _MarkovSystem(game)
    # past 1e4 (payoffs scaled to unit range) the branch is followed further, a decade at
    # a time, while its end does not yet polish into a verified equilibrium (mixed
    # equilibria are approached at a rate 1/λ)
    stops = [1e4, 1e5, 1e6] if lam_max is None else [float(lam_max) * system.scale]
    w = _markov_start(system)
    steps, bifurcations, failure = 0, [], None
    thresholds = (1e-3, 1e-5, 1e-8, 1e-2)
    for k, stop in enumerate(stops):
        try:
            w, n, bif = _markov_trace(system, w, stop, max_steps - steps)
        except SolverError as exc:
            failure = exc
            if getattr(exc, "last", None) is None or exc.last[-1] <= 0:
                raise
            w = exc.last                 # polish the last point reached, if it can be
        else:
            steps += n
            bifurcations += bif
        end = system.profile(w[:system.M])
        # Newton at each support threshold; at the last point, minimum-norm steps too
        # (for equilibria that form a continuum, where Newton's Jacobian is singular)
        last = failure is not None or k == len(stops) - 1
        tries = [(t, False) for t in thresholds] + ([(t, True) for t in thresholds]
                                                    if last else [])
        for threshold, lsq in tries:
            polished = _polish_markov(system, end, threshold, lsq)
            if polished is None:
                continue
            eq = _verified(game, polished, tol)
            if eq is not None:
                return MarkovResult([eq], "markov_qre", "one", game, tol=tol,
                                    elapsed_s=time.perf_counter() - start,
                                    details={"lam_max": w[-1] / system.scale,
                                             "branch_end": end, "steps": steps,
                                             "bifurcations": bifurcations})
        if failure is not None:
            raise SolverError(f"{failure}; the last point of the branch did not polish into a "
                              "verified stationary equilibrium") from failure
    raise SolverError(f"the Markov QRE branch reached λ={w[-1] / system.scale:.3g} but its end "
                      "did not polish into a verified stationary equilibrium; no result is "
                      "returned (try a larger lam_max)")


#: Method name -> solver for stochastic games (reached through :func:`gametheory.solve`).
STOCHASTIC_METHODS = {"shapley": shapley, "pure_markov": pure_markov_perfect,
                      "best_response": iterated_best_response, "turn_qre": turn_qre,
                      "markov_qre": markov_qre}
