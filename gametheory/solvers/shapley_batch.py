"""Many small two-player zero-sum stochastic games at once: values and optimal strategies.

:func:`shapley` solves one game with a linear program per state and round; a sweep
over thousands of small games (2-5 states, 2-4 actions) spends nearly all its time in
the LP solver's set-up. :func:`shapley_many` solves them together, in arrays:

- every matrix game of every state of every game is solved at once by its *kernels*
  (Shapley & Snow 1950): after shifting the payoffs so that the value is positive, an
  extreme optimal pair of strategies is given by a square non-singular submatrix ``K``,
  ``x ∝ 1ᵀ K⁻¹``, ``y ∝ K⁻¹ 1``, ``v = 1 / (1ᵀ K⁻¹ 1)``; all square submatrices are
  tried in a batch and the first whose strategies are non-negative and optimal against
  every pure reply is kept (saddle points first);
- the stochastic game is solved by Hoffman & Karp's strategy iteration: player 2's
  best response to player 1's stationary strategy is an MDP, solved exactly by batched
  policy iteration; player 1 then takes the optimal strategies of the matrix games at
  those values. It stops when the Shapley operator moves the values by less than
  ``tol (1 - δ)`` times the payoff range (so the values are within ``tol`` of the
  fixed point) and runs plain value iteration for the games it has not finished after
  ``max_iter`` rounds;
- every game's strategies are verified like every other solver's: each player's best
  response to the other's stationary strategy is found by policy iteration (batched),
  and the largest gain must be at most ``tol`` times the payoff range. A game that
  fails (it has not happened in the tests) is re-solved by :func:`shapley` and listed
  in ``fallback``.

References
----------
Shapley, L. S. & Snow, R. N. (1950). Basic solutions of discrete games. *Annals of
Mathematics Studies* 24:27-35. Hoffman, A. J. & Karp, R. M. (1966). On nonterminating
stochastic games. *Management Science* 12(5):359-370. Filar & Vrieze (1997), ch. 3.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validate import check_count, check_discount, check_tolerance
from ..errors import InputLimitError, ShapeError, SolverError, TransitionError

__all__ = ["ShapleyBatch", "shapley_many"]

#: Largest number of payoff entries (games x states x actions x actions) accepted.
MAX_ENTRIES = 50_000_000
#: Largest number of actions per player in one state (the kernels are all square
#: submatrices: 251 pairs at 5 x 5, 923 at 6 x 6).
MAX_ACTIONS = 6


@dataclass
class ShapleyBatch:
    """Values and optimal stationary strategies of many zero-sum stochastic games.

    Attributes
    ----------
    value : ndarray, shape (games, states)
        Player 1's normalised value from each state.
    row, col : ndarray, shapes (games, states, m) and (games, states, n)
        Optimal stationary strategies of player 1 (maximiser) and player 2.
    max_gain : ndarray, shape (games,)
        The largest gain either player's best response (an MDP solved by policy
        iteration) achieves over the strategies in any state: the verification.
    rounds : ndarray, shape (games,)
        Strategy-iteration rounds each game needed.
    fallback : list of int
        Games re-solved one by one with :func:`shapley`.
    """

    value: np.ndarray
    row: np.ndarray
    col: np.ndarray
    max_gain: np.ndarray
    rounds: np.ndarray
    tol: float
    elapsed_s: float
    fallback: list = field(default_factory=list)

    def __len__(self) -> int:
        return self.value.shape[0]

    def to_frame(self):
        """One row per game and state: the value and both strategies."""
        import pandas as pd

        B, S = self.value.shape
        return pd.DataFrame({
            "game": np.repeat(np.arange(B), S), "state": np.tile(np.arange(S), B),
            "value": self.value.reshape(-1),
            "player 1": [np.array2string(p, precision=4) for p in self.row.reshape(B * S, -1)],
            "player 2": [np.array2string(p, precision=4) for p in self.col.reshape(B * S, -1)],
        })

    def _repr_html_(self) -> str:
        head = (f"<p><b>{len(self)} zero-sum stochastic games</b> solved in "
                f"{self.elapsed_s:.3g} s; largest best-response gain "
                f"{float(self.max_gain.max(initial=0.0)):.2g}"
                + (f"; {len(self.fallback)} re-solved one by one" if self.fallback else "")
                + "</p>")
        return head + self.to_frame().head(40).to_html(index=False)


# ----------------------------------------------------------------- matrix games
def _supports(m: int, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    out = []
    for k in range(2, min(m, n) + 1):
        for rows in itertools.combinations(range(m), k):
            for cols in itertools.combinations(range(n), k):
                out.append((np.array(rows), np.array(cols)))
    return out


def _det_inv(K: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Determinants and inverses of a stack of small square matrices (closed forms for
    2 x 2 and 3 x 3: a LAPACK call per tiny matrix costs more than the arithmetic).
    Singular matrices get an arbitrary inverse; the caller masks them by ``det``."""
    k = K.shape[-1]
    if k == 2:
        a, b, c, d = K[:, 0, 0], K[:, 0, 1], K[:, 1, 0], K[:, 1, 1]
        det = a * d - b * c
        adj = np.stack([np.stack([d, -b], -1), np.stack([-c, a], -1)], -2)
    elif k == 3:
        r0, r1, r2 = K[:, 0], K[:, 1], K[:, 2]
        c0, c1, c2 = np.cross(r1, r2), np.cross(r2, r0), np.cross(r0, r1)
        det = np.einsum("ki,ki->k", r0, c0)
        adj = np.stack([c0, c1, c2], -1)            # columns: the adjugate
    else:
        det = np.linalg.det(K)
        safe = np.where(np.abs(det)[:, None, None] > 0, K, np.eye(k))
        return det, np.linalg.inv(safe)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = adj / np.where(det == 0, 1.0, det)[:, None, None]
    return det, inv


def _kernel(A: np.ndarray, e: np.ndarray, rows: np.ndarray, cols: np.ndarray):
    """Try one square support on a stack of positive matrix games ``A`` (K, m, n):
    which games it solves (a non-singular kernel whose strategies are non-negative and
    optimal against every pure reply), with their value and strategies."""
    K_, m, n = A.shape
    sub = A[:, rows][:, :, cols]
    det, inv = _det_inv(sub)
    good = np.abs(det) > 1e-13 * np.abs(sub).max(axis=(1, 2)) ** len(rows)
    xr = inv.sum(axis=1)                     # 1ᵀ K⁻¹
    yc = inv.sum(axis=2)                     # K⁻¹ 1
    tot = xr.sum(axis=1)
    good &= tot > 0
    v = 1.0 / np.where(good, tot, 1.0)
    xs = xr * v[:, None]
    ys = yc * v[:, None]
    good &= (xs >= -e[:, None]).all(axis=1) & (ys >= -e[:, None]).all(axis=1)
    xf = np.zeros((K_, m))
    yf = np.zeros((K_, n))
    xf[:, rows] = np.clip(xs, 0.0, None)
    yf[:, cols] = np.clip(ys, 0.0, None)
    xf /= np.where(good, xf.sum(axis=1), 1.0)[:, None]
    yf /= np.where(good, yf.sum(axis=1), 1.0)[:, None]
    good &= (np.einsum("km,kmn->kn", xf, A).min(axis=1) >= v - e)
    good &= (np.einsum("kmn,kn->km", A, yf).max(axis=1) <= v + e)
    return good, v, xf, yf


def matrix_values(M: np.ndarray, *, tol: float = 1e-12, hint: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Values and optimal strategies of many zero-sum matrix games (row player maximises).

    Parameters
    ----------
    M : ndarray, shape (K, m, n)
    tol : float
        Relative to each game's payoff range: how far a strategy may be below zero or
        off optimal against a pure reply before a kernel is rejected.
    hint : ndarray of int, shape (K,), optional
        The support index each game used last time (the fourth output): tried first,
        which is what makes repeated solves of slowly changing games cheap.

    Returns
    -------
    value (K,), row strategies (K, m), column strategies (K, n), support index (K,)
    (-1 for a saddle point)

    Examples
    --------
    >>> v, x, y, _ = matrix_values(np.array([[[1.0, -1.0], [-1.0, 1.0]],
    ...                                      [[3.0, 2.0], [1.0, 0.0]]]))
    >>> v.tolist(), x[0].tolist(), y[1].tolist()
    ([0.0, 2.0], [0.5, 0.5], [0.0, 1.0])
    """
    K, m, n = M.shape
    value = np.full(K, np.nan)
    x = np.zeros((K, m))
    y = np.zeros((K, n))
    used = np.full(K, -1)
    lo = M.min(axis=(1, 2))
    span = np.maximum(M.max(axis=(1, 2)) - lo, 1e-300)
    eps = tol * span
    # pure saddle points: max-min = min-max
    rmin = M.min(axis=2)
    cmax = M.max(axis=1)
    i = rmin.argmax(axis=1)
    j = cmax.argmin(axis=1)
    maximin = rmin[np.arange(K), i]
    minimax = cmax[np.arange(K), j]
    saddle = minimax - maximin <= eps
    idx = np.flatnonzero(saddle)
    value[idx] = maximin[idx]
    x[idx, i[idx]] = 1.0
    y[idx, j[idx]] = 1.0
    todo = np.flatnonzero(~saddle)
    if todo.size == 0:
        return value, x, y, used
    shift = lo - 1.0                                      # positive games: value > 0
    sups = _supports(m, n)

    def attempt(games: np.ndarray, u: int) -> np.ndarray:
        rows, cols = sups[u]
        good, v, xf, yf = _kernel(M[games] - shift[games, None, None], eps[games], rows,
                                  cols)
        hit = games[good]
        value[hit] = v[good] + shift[hit]
        x[hit] = xf[good]
        y[hit] = yf[good]
        used[hit] = u
        return good

    open_ = np.ones(K, bool)
    open_[idx] = False
    if hint is not None:
        h = hint[todo]
        for u in np.unique(h[h >= 0]).tolist():
            games = todo[h == u]
            open_[games[attempt(games, u)]] = False
    for u in range(len(sups)):
        games = np.flatnonzero(open_)
        if games.size == 0:
            break
        open_[games[attempt(games, u)]] = False
    left = np.flatnonzero(open_)
    if left.size:                 # numerically awkward: HiGHS, one game at a time
        from .zero_sum import maximin as lp_maximin

        for k in left.tolist():
            value[k], x[k] = lp_maximin(M[k])
            _, y[k] = lp_maximin(-M[k].T)
    return value, x, y, used


# ----------------------------------------------------------------- MDPs in a batch
def _policy_iteration(R: np.ndarray, P: np.ndarray, delta: float, *, maximise: bool,
                      max_iter: int = 1000) -> np.ndarray:
    """Optimal values of many finite MDPs: R (B, S, a) rewards, P (B, S, a, S)."""
    B, S, _ = R.shape
    sign = 1.0 if maximise else -1.0
    R = sign * R
    pol = R.argmax(axis=2)
    bi = np.arange(B)[:, None]
    si = np.arange(S)[None, :]
    eye = np.eye(S)
    for _ in range(max_iter):
        r = R[bi, si, pol]
        Pp = P[bi, si, pol]
        V = np.linalg.solve(eye - delta * Pp, (1 - delta) * r[..., None])[..., 0]
        Q = (1 - delta) * R + delta * np.einsum("bsat,bt->bsa", P, V)
        cur = Q[bi, si, pol]
        best = Q.max(axis=2)
        better = best > cur + 1e-12 * np.maximum(1.0, np.abs(best))
        if not better.any():
            return sign * V
        pol = np.where(better, Q.argmax(axis=2), pol)
    raise SolverError("batched policy iteration did not converge")   # pragma: no cover


def _stage(A, T, V, delta):
    return (1 - delta) * A + delta * np.einsum("bsmnt,bt->bsmn", T, V)


# ----------------------------------------------------------------- the solver
def _as_arrays(games: Any, transitions: Any, discount: Any):
    """(A, T, δ) from a list of StochasticGame, or from arrays."""
    if transitions is None:
        from ..games.stochastic import StochasticGame

        games = list(games)
        if not games:
            raise ShapeError("shapley_many: no games")
        for k, g in enumerate(games):
            if not isinstance(g, StochasticGame):
                raise ShapeError(f"game {k}: expected a StochasticGame, got "
                                 f"{type(g).__name__} (or pass payoff and transition arrays)")
            if g.n_players != 2 or not all(h.is_zero_sum for h in g.stage_games):
                raise SolverError(f"game {k}: shapley_many needs two-player games that are "
                                  "zero-sum in every state")
            if len(set(g.discount)) != 1:
                raise SolverError(f"game {k}: one discount factor for both players needed")
        S = games[0].n_states
        if any(g.n_states != S for g in games):
            raise ShapeError("shapley_many: every game needs the same number of states "
                             "(pad with unreachable states, or solve groups separately)")
        deltas = {g.discount[0] for g in games}
        if len(deltas) != 1:
            raise SolverError("shapley_many: every game needs the same discount factor "
                              f"(got {sorted(deltas)}); solve groups separately")
        m = max(h.shape[0] for g in games for h in g.stage_games)
        n = max(h.shape[1] for g in games for h in g.stage_games)
        B = len(games)
        A = np.empty((B, S, m, n))
        T = np.empty((B, S, m, n, S))
        for b, g in enumerate(games):
            for s, h in enumerate(g.stage_games):
                # pad by repeating the first action: a duplicate changes no value
                ri = np.where(np.arange(m) < h.shape[0], np.arange(m), 0)
                ci = np.where(np.arange(n) < h.shape[1], np.arange(n), 0)
                A[b, s] = h.payoffs[..., 0][np.ix_(ri, ci)]
                T[b, s] = g.transition(s)[np.ix_(ri, ci)]
        shapes = [[h.shape for h in g.stage_games] for g in games]
        return A, T, deltas.pop(), shapes
    A = np.asarray(games, dtype=float)
    T = np.asarray(transitions, dtype=float)
    if A.ndim != 4:
        raise ShapeError(f"payoffs: shape {A.shape}, expected (games, states, m, n) of "
                         "player 1's payoffs")
    B, S, m, n = A.shape
    if T.shape != (B, S, m, n, S):
        raise ShapeError(f"transitions: shape {T.shape}, expected {(B, S, m, n, S)}")
    if not np.isfinite(A).all():
        b = int(np.argwhere(~np.isfinite(A))[0][0])
        raise ShapeError(f"payoffs of game {b}: NaN or infinite")
    if not np.isfinite(T).all() or (T < 0).any():
        b = int(np.argwhere(~np.isfinite(T) | (T < 0))[0][0])
        raise TransitionError(f"transitions of game {b}: a probability is negative, NaN or "
                              "infinite")
    off = np.abs(T.sum(axis=-1) - 1.0) > 1e-9
    if off.any():
        b, s, i, j = (int(v) for v in np.argwhere(off)[0])
        raise TransitionError(f"transitions of game {b}, state {s}, profile ({i}, {j}): "
                              f"next-state probabilities sum to {T[b, s, i, j].sum():.12g}, "
                              "not 1")
    return A, T, check_discount(discount), None


def shapley_many(games: Any, transitions: Any = None, discount: float | None = None, *,
                 tol: float = 1e-10, max_iter: int = 200) -> ShapleyBatch:
    """Values and stationary optimal strategies of many two-player zero-sum stochastic games.

    Parameters
    ----------
    games : list of StochasticGame, or ndarray of shape (B, S, m, n)
        The games (two players, zero-sum in every state, same number of states and
        discount factor; states with fewer actions are padded by repeating an action,
        and the padding is folded back into the strategies), or player 1's payoffs.
    transitions : ndarray of shape (B, S, m, n, S), optional
        With payoff arrays: ``P(s' | s, i, j)``.
    discount : float, optional
        With payoff arrays: the common discount factor.
    tol : float
        Values within ``tol`` times each game's payoff range of the fixed point; the
        verification allows gains of ``max(1e3 tol, 1e-9)`` times the range (as
        :func:`shapley`).
    max_iter : int
        Strategy-iteration rounds before the unfinished games switch to value iteration.

    Returns
    -------
    ShapleyBatch

    Examples
    --------
    The Big Match at δ = 0.8 (value 1/2 in the playing state) and matching pennies as a
    one-state game, padded to the same number of states:

    >>> import gametheory as gt
    >>> play = gt.Game.zero_sum([[1, 0], [0, 1]])
    >>> won, lost = gt.Game.zero_sum([[1]]), gt.Game.zero_sum([[0]])
    >>> big = gt.StochasticGame([play, won, lost], [[[[0, 1, 0], [0, 0, 1]],
    ...     [[1, 0, 0], [1, 0, 0]]], [[[0, 1, 0]]], [[[0, 0, 1]]]], discount=0.8)
    >>> res = shapley_many([big, big])
    >>> res.value.round(6).tolist()[0], res.row[0, 0].round(4).tolist()
    ([0.5, 1.0, 0.0], [0.1667, 0.8333])
    """
    tol = check_tolerance(tol)
    max_iter = check_count("max_iter", max_iter, maximum=1_000_000)
    start = time.perf_counter()
    if transitions is None and discount is not None:
        raise ShapeError("discount is given with payoff and transition arrays only")
    if transitions is not None and discount is None:
        raise ShapeError("payoff arrays need a discount factor")
    if transitions is not None:
        arr = np.asarray(games)
        if arr.size > MAX_ENTRIES:
            raise InputLimitError(f"{arr.size:,} payoff entries is above the limit of "
                                  f"{MAX_ENTRIES:,}")
    A, T, delta, shapes = _as_arrays(games, transitions, discount)
    B, S, m, n = A.shape
    if max(m, n) > MAX_ACTIONS:
        raise InputLimitError(f"{max(m, n)} actions in a state is above the limit of "
                              f"{MAX_ACTIONS} for shapley_many; use shapley() per game")
    span = np.maximum(A.max(axis=(1, 2, 3)) - A.min(axis=(1, 2, 3)), 1e-300)
    rounds = np.zeros(B, dtype=int)
    V = np.zeros((B, S))
    active = np.arange(B)
    value = np.empty((B, S))
    hint = np.full((B, S), -1)
    # Hoffman-Karp strategy iteration on the active games
    for it in range(1, max_iter + 1):
        a = active
        G = _stage(A[a], T[a], V[a], delta)
        w, x, _, used = matrix_values(G.reshape(-1, m, n), hint=hint[a].reshape(-1))
        hint[a] = used.reshape(a.size, S)
        w = w.reshape(a.size, S)
        resid = np.abs(w - V[a]).max(axis=1)
        done = resid <= tol * (1 - delta) * span[a]
        value[a[done]] = w[done]
        rounds[a] = it
        active = a[~done]
        if active.size == 0:
            break
        keep = ~done
        xs = x.reshape(a.size, S, m)[keep]
        # player 2's best response to x: an MDP over its own actions
        R = np.einsum("bsm,bsmn->bsn", xs, A[active])
        P = np.einsum("bsm,bsmnt->bsnt", xs, T[active])
        V[active] = _policy_iteration(R, P, delta, maximise=False)
    # value iteration (a contraction) for any game strategy iteration did not finish
    while active.size:
        a = active
        w = matrix_values(_stage(A[a], T[a], V[a], delta).reshape(-1, m, n),
                          hint=hint[a].reshape(-1))[0]
        w = w.reshape(a.size, S)
        step = np.abs(w - V[a]).max(axis=1)
        V[a] = w
        rounds[a] += 1
        done = delta / (1 - delta) * step <= tol * span[a]
        value[a[done]] = w[done]
        active = a[~done]
        if rounds.max() > 10_000_000:                                   # pragma: no cover
            raise SolverError("shapley_many: value iteration did not converge")
    # optimal strategies of the matrix games at the values, then the verification
    _, x, y, _ = matrix_values(_stage(A, T, value, delta).reshape(-1, m, n),
                               hint=hint.reshape(-1))
    x = x.reshape(B, S, m)
    y = y.reshape(B, S, n)
    gain = _gains(A, T, delta, x, y)
    bad = np.flatnonzero(gain > max(1e3 * tol, 1e-9) * span)
    fallback = []
    if bad.size:
        if shapes is None:                     # arrays: rebuild the games to re-solve
            raise SolverError(f"shapley_many: games {bad[:10].tolist()} failed the "
                              "best-response check")                 # pragma: no cover
        from .stochastic import shapley

        for b in bad.tolist():                                         # pragma: no cover
            res = shapley(games[b], tol=tol)
            value[b] = res.value
            for s in range(S):
                x[b, s] = 0.0
                y[b, s] = 0.0
                p, q = res[0].strategies[s]
                x[b, s, :p.size] = p
                y[b, s, :q.size] = q
            gain[b] = res[0].max_gain
            fallback.append(b)
    if shapes is not None:                     # fold padded duplicates back
        for b, row in enumerate(shapes):
            for s, (mm, nn) in enumerate(row):
                if mm < m:
                    x[b, s, 0] += x[b, s, mm:].sum()
                    x[b, s, mm:] = 0.0
                if nn < n:
                    y[b, s, 0] += y[b, s, nn:].sum()
                    y[b, s, nn:] = 0.0
    return ShapleyBatch(value, x, y, gain, rounds, tol, time.perf_counter() - start,
                        fallback)


def _gains(A, T, delta, x, y) -> np.ndarray:
    """Largest best-response gain of either player in any state, per game."""
    r = np.einsum("bsm,bsmn,bsn->bs", x, A, y)
    P = np.einsum("bsm,bsmnt,bsn->bst", x, T, y)
    S = A.shape[1]
    own = np.linalg.solve(np.eye(S) - delta * P, (1 - delta) * r[..., None])[..., 0]
    best1 = _policy_iteration(np.einsum("bsmn,bsn->bsm", A, y),
                              np.einsum("bsmnt,bsn->bsmt", T, y), delta, maximise=True)
    best2 = _policy_iteration(np.einsum("bsm,bsmn->bsn", x, A),
                              np.einsum("bsm,bsmnt->bsnt", x, T), delta, maximise=False)
    return np.maximum((best1 - own).max(axis=1), (own - best2).max(axis=1)).clip(0.0)
