"""Exact long-run and discounted payoffs of memory-one strategies (Markov chains).

Two memory-one strategies with implementation noise ε and observation noise
η define a Markov chain on the outcomes (CC, CD, DC, DD) of the last round
(Nowak & Sigmund 1990; Press & Dyson 2012). Its stationary distribution gives
the long-run payoff per round; ``(1 - δ) π0 (I - δM)^{-1} u`` gives the
normalised discounted payoff. Everything is vectorised over many pairs.
"""

from __future__ import annotations

import numpy as np

from .._validate import check_discount
from ..games.normal_form import Game
from ..strategies.base import Strategy, StrategyError

__all__ = ["memory_one_payoffs", "stationary_distribution", "transition_matrix",
           "zero_determinant_coefficients"]

#: Player 2 sees state (a1, a2) as (a2, a1): CC, CD, DC, DD -> CC, DC, CD, DD.
_SWAP = np.array([0, 2, 1, 3])


def _vectors(x, view) -> tuple[np.ndarray, np.ndarray]:
    """(four-vector, initial cooperation probability) of a strategy or an array."""
    if isinstance(x, Strategy):
        s = x.clone()
        s.reset(view)
        m1 = s.as_memory_one()
        if m1 is None:
            raise StrategyError(f"{s.name} is not a memory-one strategy")
        initial, vector = m1
        return np.asarray(vector, float), np.asarray(initial, float)
    arr = np.asarray(x, dtype=float)
    if arr.shape[-1] != 4:
        raise StrategyError(f"a memory-one strategy needs 4 probabilities, got shape {arr.shape}")
    if np.any((arr < 0) | (arr > 1)):
        raise StrategyError("memory-one probabilities must lie in [0, 1]")
    return arr, np.ones(arr.shape[:-1])


def _effective(p: np.ndarray, noise: float, observation_noise: float) -> np.ndarray:
    """Cooperation probability by true state, after misperception and implementation noise."""
    if observation_noise:
        # own action a1 is known; the opponent's a2 is misread with probability eta
        flipped = p[..., [1, 0, 3, 2]]
        p = (1 - observation_noise) * p + observation_noise * flipped
    return p * (1 - noise) + (1 - p) * noise


def transition_matrix(p, q, *, noise: float = 0.0, observation_noise: float = 0.0
                      ) -> np.ndarray:
    """Transition matrices ``M[..., s, s']`` on (CC, CD, DC, DD) from player 1's side."""
    p = _effective(np.asarray(p, float), noise, observation_noise)
    q = _effective(np.asarray(q, float), noise, observation_noise)[..., _SWAP]
    c1 = p[..., :, None]
    c2 = q[..., :, None]
    next1 = np.array([0, 0, 1, 1])  # player 1's action in each next state
    next2 = np.array([0, 1, 0, 1])
    a = np.where(next1 == 0, c1, 1 - c1)
    b = np.where(next2 == 0, c2, 1 - c2)
    return a * b


def stationary_distribution(M: np.ndarray) -> np.ndarray:
    """Stationary distributions of ergodic chains ``M[..., 4, 4]`` (NaN where not unique)."""
    n = M.shape[-1]
    A = np.swapaxes(M, -1, -2) - np.eye(n)
    A[..., -1, :] = 1.0
    rhs = np.zeros(M.shape[:-1])
    rhs[..., -1] = 1.0
    det = np.linalg.det(A)
    ok = np.abs(det) > 1e-12
    out = np.full(M.shape[:-1], np.nan)
    if ok.any():
        out[ok] = np.linalg.solve(A[ok], rhs[ok][..., None])[..., 0]
    return out


def _cesaro(M: np.ndarray, pi0: np.ndarray) -> np.ndarray:
    """Long-run average distribution from pi0 for one (possibly reducible) chain.

    ``P* = V (W^T V)^{-1} W^T`` projects on the eigenvalue-1 eigenspace, which is
    semisimple for a stochastic matrix; V and W span the right and left null
    spaces of ``M - I``.
    """
    n = M.shape[0]
    eye = np.eye(n)

    def null(X):
        _, s, vt = np.linalg.svd(X)
        rank = int((s > 1e-10).sum())
        return vt[rank:].T

    V = null(M - eye)
    W = null((M - eye).T)
    P = V @ np.linalg.solve(W.T @ V, W.T)
    return pi0 @ P


def memory_one_payoffs(p, q, game: Game | None = None, noise: float = 0.0, *,
                       observation_noise: float = 0.0, discount: float | None = None
                       ) -> np.ndarray:
    """Exact payoff per round of each player for memory-one strategies p and q.

    Parameters
    ----------
    p, q : array_like (..., 4) or memory-one Strategy
        Cooperation probabilities after (CC, CD, DC, DD), each from its own
        side. Arrays broadcast, so many pairs are computed at once.
    game : Game, optional
        A 2x2 game (default: prisoner's dilemma 3, 0, 5, 1).
    noise, observation_noise : float
        Implementation error and misperception probabilities.
    discount : float, optional
        Normalised discounted payoff ``(1 - δ) Σ δ^t u_t`` from the first round
        (strategies' initial moves) instead of the long-run average.

    Returns
    -------
    ndarray (..., 2)

    Examples
    --------
    Tit for tat against itself with errors: the echo effect makes the long-run
    payoff (R + S + T + P) / 4 = 2.25 for every error rate (Molander 1985).

    >>> [round(float(memory_one_payoffs((1, 0, 1, 0), (1, 0, 1, 0), noise=e)[0]), 12)
    ...  for e in (0.001, 0.1)]
    [2.25, 2.25]
    """
    from ..games import prisoners_dilemma
    from ..games.views import make_views

    game = prisoners_dilemma() if game is None else game
    if game.shape != (2, 2):
        raise StrategyError(f"memory-one payoffs need a 2x2 game, got {game.shape}")
    v0, v1 = make_views(game)
    pv, p0 = _vectors(p, v0)
    qv, q0 = _vectors(q, v1)
    pv, qv = np.broadcast_arrays(pv, qv)
    M = transition_matrix(pv, qv, noise=noise, observation_noise=observation_noise)
    A, B = game.bimatrix
    u = np.stack([A.reshape(-1), B.reshape(-1)], axis=-1)  # states CC, CD, DC, DD
    shape = M.shape[:-2]
    c1 = np.broadcast_to(p0 * (1 - noise) + (1 - p0) * noise, shape)
    c2 = np.broadcast_to(q0 * (1 - noise) + (1 - q0) * noise, shape)
    pi0 = np.stack([c1 * c2, c1 * (1 - c2), (1 - c1) * c2, (1 - c1) * (1 - c2)], axis=-1)
    if discount is not None:
        discount = check_discount(discount, "discount")
        # rounds 0, 1, ...: distribution pi0 M^t
        Minv = np.linalg.inv(np.eye(4) - discount * M)
        dist = (1 - discount) * np.einsum("...i,...ij->...j", pi0, Minv)
        return dist @ u
    v = stationary_distribution(M)
    bad = np.isnan(v[..., 0])
    if bad.any():
        Mb = M.reshape(-1, 4, 4)
        pb = np.broadcast_to(pi0, M.shape[:-1]).reshape(-1, 4)
        flat = v.reshape(-1, 4)
        for k in np.flatnonzero(bad.reshape(-1)):
            flat[k] = _cesaro(Mb[k], pb[k])
        v = flat.reshape(v.shape)
    return v @ u


def zero_determinant_coefficients(p, game: Game | None = None, *, tol: float = 1e-9
                                  ) -> tuple[float, float, float] | None:
    """``(alpha, beta, gamma)`` if ``p`` is a zero-determinant strategy, else None.

    ``p`` is ZD when ``p~ = (p1 - 1, p2 - 1, p3, p4) = alpha S_X + beta S_Y + gamma 1``;
    it then enforces ``alpha s_X + beta s_Y + gamma = 0`` against every opponent
    (Press & Dyson 2012).

    Examples
    --------
    >>> zero_determinant_coefficients((1, 0, 1, 0))   # TFT enforces s_X = s_Y
    (0.2, -0.2, 0.0)
    >>> zero_determinant_coefficients((1, 0, 0, 1)) is None   # WSLS is not ZD
    True
    """
    from ..games import prisoners_dilemma
    from ..games.views import make_views

    game = prisoners_dilemma() if game is None else game
    v0, _ = make_views(game)
    vec, _ = _vectors(p, v0)
    R, S, T, P = v0.rstp()
    target = np.asarray(vec, float) - np.array([1.0, 1.0, 0.0, 0.0])
    basis = np.column_stack([[R, S, T, P], [R, T, S, P], np.ones(4)])
    coef, *_ = np.linalg.lstsq(basis, target, rcond=None)
    if np.max(np.abs(basis @ coef - target)) > tol:
        return None
    return tuple(float(round(c, 12)) + 0.0 for c in coef)
