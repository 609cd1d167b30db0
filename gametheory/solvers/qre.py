"""Logit quantal response equilibrium: the principal branch, points on it, and fitting λ.

The logit QRE at precision λ is a profile with
``σ_i(a) ∝ exp(λ u_i(a, σ_-i))`` for every player i and action a (McKelvey &
Palfrey 1995). At λ = 0 play is uniform; the *principal branch* is the curve
of QREs connected to it, which for generic games leads to a unique Nash
equilibrium as λ → ∞ (the logit tracing procedure).

The branch is followed by pseudo-arclength predictor–corrector continuation
in the log-probabilities (so probabilities never leave the simplex and
turning points in λ are passed), as in Turocy (2005). Symmetric games are
not generic: their branch can meet a pitchfork bifurcation (a sign change of
the augmented Jacobian's determinant). The continuation then keeps to the
branch it is on, which in a symmetric game is the symmetric one; the λ of
each bifurcation is recorded (``QREPath.bifurcations``,
``details["bifurcations"]``). Gambit's ``logit_solve`` may turn onto one of
the other branches there.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import IterationLimitError, ProfileError, ShapeError, SolverError
from ..games.normal_form import Game, MixedStrategy, action_values
from .result import EquilibriumResult
from .verify import finalize

__all__ = ["QREFit", "QREPath", "fit_qre", "logit_qre", "logit_qre_path", "qre"]


class _System:
    """The logit equations H(z, λ) = 0 of a game with payoffs scaled to unit range."""

    def __init__(self, game: Game):
        self.scale = game.payoff_scale
        self.U = game.payoffs / self.scale
        self.shape = game.shape
        self.N = game.n_players
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)])
        self.M = int(self.offsets[-1])
        self.bifurcations: list[float] = []

    def split(self, z: np.ndarray) -> list[np.ndarray]:
        return [z[self.offsets[i]:self.offsets[i + 1]] for i in range(self.N)]

    def sigma(self, z: np.ndarray) -> list[np.ndarray]:
        with np.errstate(over="ignore"):  # a diverging Newton step is rejected by the caller
            return [np.exp(zi) for zi in self.split(z)]

    def values(self, sigma: Sequence[np.ndarray]) -> list[np.ndarray]:
        return [action_values(self.U[..., i], sigma, i) for i in range(self.N)]

    def cross(self, sigma: Sequence[np.ndarray], i: int, k: int) -> np.ndarray:
        """Payoff to i of (own action, k's action), others mixed: shape (n_i, n_k)."""
        u = self.U[..., i]
        axes = list(range(self.N))
        out = np.moveaxis(u, (i, k), (0, 1))
        rest = [j for j in axes if j not in (i, k)]
        for j in rest:
            out = np.tensordot(out, sigma[j], axes=(2, 0))
        return out

    def H(self, w: np.ndarray) -> np.ndarray:
        z, lam = w[:-1], w[-1]
        sigma = self.sigma(z)
        vals = self.values(sigma)
        out = np.empty(self.M)
        for i, (zi, vi) in enumerate(zip(self.split(z), vals, strict=True)):
            o = self.offsets[i]
            out[o:o + len(zi) - 1] = zi[1:] - zi[0] - lam * (vi[1:] - vi[0])
            out[o + len(zi) - 1] = sigma[i].sum() - 1.0
        return out

    def J(self, w: np.ndarray) -> np.ndarray:
        z, lam = w[:-1], w[-1]
        sigma = self.sigma(z)
        vals = self.values(sigma)
        Jm = np.zeros((self.M, self.M + 1))
        for i in range(self.N):
            o, n_i = self.offsets[i], self.shape[i]
            r = np.arange(o, o + n_i - 1)
            Jm[r, o + np.arange(1, n_i)] = 1.0
            Jm[r, o] = -1.0
            Jm[r, -1] = -(vals[i][1:] - vals[i][0])
            Jm[o + n_i - 1, o:o + n_i] = sigma[i]
            for k in range(self.N):
                if k == i:
                    continue
                C = self.cross(sigma, i, k)  # (n_i, n_k)
                ok = self.offsets[k]
                Jm[r, ok:ok + self.shape[k]] = -lam * (C[1:] - C[0]) * sigma[k]
        return Jm

    def start(self) -> np.ndarray:
        z = np.concatenate([np.full(n, -np.log(n)) for n in self.shape])
        return np.concatenate([z, [0.0]])


def _tangent(Jm: np.ndarray, prev: np.ndarray) -> np.ndarray:
    aug = np.vstack([Jm, prev])
    rhs = np.zeros(len(prev))
    rhs[-1] = 1.0
    t = np.linalg.solve(aug, rhs)
    return t / np.linalg.norm(t)


def _newton_fixed_lambda(system: _System, z: np.ndarray, lam: float, *, tol: float = 1e-12,
                         max_iter: int = 50) -> np.ndarray | None:
    w = np.concatenate([z, [lam]])
    for _ in range(max_iter):
        Hv = system.H(w)
        if np.max(np.abs(Hv)) < tol:
            return w[:-1]
        try:
            dz = np.linalg.solve(system.J(w)[:, :-1], -Hv)
        except np.linalg.LinAlgError:
            return None
        w[:-1] += dz
    return w[:-1] if np.max(np.abs(system.H(w))) < 1e-9 else None


@dataclass
class QREPath:
    """Points of the principal branch: ``lam[k]`` (in the game's payoff units) and
    ``profiles[k]`` (one probability array per player)."""

    lam: np.ndarray
    profiles: list[list[np.ndarray]]
    game: Game = field(repr=False)
    bifurcations: list[float] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.lam)

    def to_frame(self):
        """Tidy table: one row per point and (player, action)."""
        import pandas as pd

        rows = []
        for k, (lam, prof) in enumerate(zip(self.lam, self.profiles, strict=True)):
            for i, s in enumerate(prof):
                for a, p in enumerate(s):
                    rows.append({"point": k, "lam": float(lam),
                                 "player": self.game.players[i],
                                 "action": self.game.actions[i][a], "probability": float(p)})
        return pd.DataFrame(rows)

    def plot(self, ax=None, *, player: int | str = 0):
        """Probabilities of one player's actions along the branch, against λ."""
        import matplotlib.pyplot as plt

        from .._format import series_style

        if ax is None:
            _, ax = plt.subplots()
        i = self.game.player_index(player)
        P = np.array([prof[i] for prof in self.profiles])
        for a, label in enumerate(self.game.actions[i]):
            ax.plot(self.lam, P[:, a], label=label, **series_style(a))
        ax.set_xscale("symlog", linthresh=1.0)
        ax.set_xlabel("λ")
        ax.set_ylabel(f"probability ({self.game.players[i]})")
        ax.legend()
        return ax

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html("Logit QRE path (principal branch)",
                           [("points", len(self.lam)),
                            ("λ from", float(self.lam[0])), ("λ to", float(self.lam[-1])),
                            ("bifurcations (turning points)", self.bifurcations),
                            ("path", self.to_frame())])


def _trace(system: _System, lam_stop: float, *, max_steps: int, record: bool
           ) -> tuple[list[np.ndarray], np.ndarray]:
    """Follow the branch until λ (internal units) reaches lam_stop.

    Returns the recorded points (if ``record``) and the final point, which is
    solved exactly at ``lam_stop``.
    """
    w = system.start()
    t = np.zeros_like(w)
    t[-1] = 1.0
    t = _tangent(system.J(w), t)
    if t[-1] < 0:
        t = -t
    h = 0.05
    points = [w.copy()] if record else []
    orientation = np.sign(np.linalg.det(np.vstack([system.J(w), t])))
    bifurcations: list[float] = []
    for _ in range(max_steps):
        wp = w + h * t
        w_new = wp.copy()
        ok = False
        n_newton = 0
        for n_newton in range(20):  # noqa: B007 (the count steers the step size below)
            Hv = system.H(w_new)
            F = np.concatenate([Hv, [t @ (w_new - wp)]])
            if np.max(np.abs(F)) < 1e-11:
                ok = True
                break
            Jm = np.vstack([system.J(w_new), t])
            try:
                w_new -= np.linalg.solve(Jm, F)
            except np.linalg.LinAlgError:
                break
            if np.max(w_new[:-1]) > 50:  # log-probabilities far above 0: diverging
                break
            if not np.all(np.isfinite(w_new)):
                break
        if ok and w_new[-1] < -1e-9:
            raise SolverError("QRE path following turned back through λ = 0, which happens "
                              "at bifurcations of degenerate games; no branch end to report")
        if not ok or np.linalg.norm(w_new - wp) > 0.5 * max(h, 1e-3) + 1.0:
            h *= 0.5
            if h < 1e-10:
                raise SolverError("QRE path following failed: step size underflow "
                                  f"at λ={w[-1] / system.scale:.6g}")
            continue
        if w_new[-1] >= lam_stop:
            # solve at exactly lam_stop from the linear interpolation
            frac = (lam_stop - w[-1]) / (w_new[-1] - w[-1])
            z0 = w[:-1] + frac * (w_new[:-1] - w[:-1])
            z = _newton_fixed_lambda(system, z0, lam_stop)
            if z is None:
                h *= 0.5
                continue
            final = np.concatenate([z, [lam_stop]])
            if record:
                points.append(final)
            system.bifurcations = [b / system.scale for b in bifurcations]
            return points, final
        J_new = system.J(w_new)
        try:
            t_new = _tangent(J_new, t)
        except np.linalg.LinAlgError:
            t_new = None
        # a step whose tangent turns by more than ~37 degrees may have jumped across a
        # fold onto another part of the curve (the predictor was too long): retry shorter
        if t_new is None or (t_new @ t < 0.8 and h > 1e-6):
            h *= 0.5
            if h < 1e-10:
                raise SolverError("QRE path following failed: step size underflow "
                                  f"at λ={w[-1] / system.scale:.6g}")
            continue
        sign = np.sign(np.linalg.det(np.vstack([J_new, t])))
        if sign != orientation:
            bifurcations.append(float(w_new[-1]))
            orientation = sign
        t = t_new
        w = w_new
        if record:
            points.append(w.copy())
        # steps grow while Newton converges fast, but stay below a tenth of the current
        # λ (plus one): a longer predictor can jump across a fold of the branch onto
        # another part of the QRE correspondence (seen on Shoham & Leyton-Brown's fig. 5.15)
        h = min(h * (1.6 if n_newton <= 3 else 0.8), 0.1 * (1.0 + abs(float(w[-1]))), 1e3)
    raise IterationLimitError(f"QRE path did not reach λ={lam_stop / system.scale:.6g} "
                              f"within {max_steps} steps (reached {w[-1] / system.scale:.6g})")


def logit_qre_path(game: Game, *, lam_max: float | None = None, max_steps: int = 10_000
                   ) -> QREPath:
    """The principal branch from λ = 0 to ``lam_max`` (default ``1e4`` / payoff range).

    References
    ----------
    McKelvey, R. D. & Palfrey, T. R. (1995). Quantal response equilibria for
    normal form games. *Games Econ. Behav.* 10:6-38. Turocy, T. L. (2005). A
    dynamic homotopy interpretation of the logistic quantal response
    equilibrium correspondence. *Games Econ. Behav.* 51:243-263.

    Examples
    --------
    >>> from gametheory.games import matching_pennies
    >>> path = logit_qre_path(matching_pennies(), lam_max=5.0)
    >>> float(path.lam[0]), float(path.lam[-1]), path.profiles[-1][0].round(6).tolist()
    (0.0, 5.0, [0.5, 0.5])
    """
    system = _System(game)
    stop = (1e4 if lam_max is None else float(lam_max) * system.scale)
    points, _ = _trace(system, stop, max_steps=max_steps, record=True)
    lam = np.array([p[-1] / system.scale for p in points])
    profiles = [system.sigma(p[:-1]) for p in points]
    return QREPath(lam, [[s / s.sum() for s in prof] for prof in profiles], game,
                   system.bifurcations)


def _fixed_point(system: _System, lam_int: float, max_iter: int = 100_000,
                 damping: float = 0.5) -> list[np.ndarray]:
    sigma = [np.full(n, 1.0 / n) for n in system.shape]
    for _ in range(max_iter):
        vals = system.values(sigma)
        new = []
        for v in vals:
            e = np.exp(lam_int * (v - v.max()))
            new.append(e / e.sum())
        diff = max(np.abs(a - b).max() for a, b in zip(new, sigma, strict=True))
        sigma = [(1 - damping) * s + damping * n for s, n in zip(sigma, new, strict=True)]
        if diff < 1e-13:
            return sigma
    raise IterationLimitError(f"logit fixed-point iteration did not converge in {max_iter} "
                              "iterations (it converges only for small λ; use method='path')")


def logit_qre(game: Game, lam: float, *, method: str = "path") -> list[np.ndarray]:
    """The logit QRE at precision ``lam`` on the principal branch.

    Parameters
    ----------
    lam : float
        Precision λ >= 0 in the game's payoff units.
    method : {"path", "fixed_point"}
        Path following (any λ), or damped iteration of the logit response map
        (a contraction only for small λ; useful as an independent check).

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> p = logit_qre(prisoners_dilemma(), 1.0)
    >>> bool(abs(p[0][1] - logit_qre(prisoners_dilemma(), 1.0, method="fixed_point")[0][1])
    ...      < 1e-9)
    True
    """
    if not np.isfinite(lam) or lam < 0:
        raise ProfileError(f"λ must be a finite number >= 0, got {lam!r}")
    system = _System(game)
    if method == "fixed_point":
        return _fixed_point(system, lam * system.scale)
    if method != "path":
        raise SolverError(f"unknown QRE method {method!r}; use 'path' or 'fixed_point'")
    if lam == 0:
        return [np.full(n, 1.0 / n) for n in game.shape]
    _, final = _trace(system, lam * system.scale, max_steps=10_000, record=False)
    return [s / s.sum() for s in system.sigma(final[:-1])]


def _polish(game: Game, sigma: list[np.ndarray], threshold: float) -> list[np.ndarray] | None:
    """Nash equilibrium with the supports that ``sigma`` suggests (indifference equations)."""
    from scipy.optimize import least_squares, root

    supports = [np.flatnonzero(s > threshold * s.max()) for s in sigma]
    sizes = [len(S) for S in supports]

    def build(v: np.ndarray) -> list[np.ndarray]:
        out, o = [], 0
        for i, S in enumerate(supports):
            x = np.zeros(game.shape[i])
            x[S] = v[o:o + len(S)]
            out.append(x)
            o += len(S)
        return out

    def F(v: np.ndarray) -> np.ndarray:
        prof = build(v)
        res = []
        for i, S in enumerate(supports):
            vals = action_values(game.payoffs[..., i], prof, i)
            res.extend((vals[S[1:]] - vals[S[0]]).tolist())
            res.append(prof[i].sum() - 1.0)
        return np.array(res)

    v0 = np.concatenate([s[S] / s[S].sum() for s, S in zip(sigma, supports, strict=True)])
    if sum(sizes) == game.n_players:
        return build(v0 * 0 + 1.0)
    limit = 1e-10 * max(1.0, float(np.abs(game.payoffs).max()))
    sol = root(F, v0, method="hybr")
    x = sol.x
    if np.max(np.abs(F(x))) > limit or x.min() < -1e-12:
        # Degenerate supports (e.g. duplicate actions) make the square system singular and
        # hybr may wander to negative "probabilities": solve it again as a bounded least
        # squares problem started from the branch end point.
        x = least_squares(F, np.clip(v0, 0.0, 1.0), bounds=(0.0, 1.0), xtol=1e-15,
                          ftol=1e-15, gtol=1e-15).x
        if np.max(np.abs(F(x))) > limit:
            return None
    return build(np.clip(x, 0.0, None))


def qre(game: Game, *, lam: float | None = None, lam_max: float | None = None,
        tol: float = 1e-9, exact: bool = False) -> EquilibriumResult:
    """The logit QRE at ``lam``, or the Nash equilibrium the principal branch leads to.

    Without ``lam`` the branch is followed to ``lam_max`` (default 1e5 / payoff
    range, or less if the equations become too stiff), the supports are read
    off, and the Nash equilibrium is polished by solving the indifference
    equations and verified (guarantee ``"one"``:
    the logit-selected equilibrium). With ``lam`` the QRE itself is returned
    in ``details["qre"]`` (it is not a Nash equilibrium, so ``equilibria`` is
    empty), verified as a fixed point of the logit response to 1e-9.

    Examples
    --------
    >>> from gametheory import Game
    >>> game = Game.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 4]])
    >>> res = qre(game)
    >>> res[0].support, res.details["bifurcations"]
    (((1,), (1,)), [])
    """
    started = time.perf_counter()
    if lam is not None:
        profile = logit_qre(game, lam)
        system = _System(game)
        resid = 0.0
        for i, v in enumerate(system.values(profile)):
            e = np.exp(lam * system.scale * (v - v.max()))
            resid = max(resid, float(np.abs(e / e.sum() - profile[i]).max()))
        if resid > 1e-8:
            raise SolverError(f"QRE at λ={lam} failed verification (residual {resid:.3g})")
        strategies = tuple(MixedStrategy(s, actions=game.actions[i], player=game.players[i])
                           for i, s in enumerate(profile))
        return EquilibriumResult(
            equilibria=[], method="qre", guarantee="one", game=game, tol=tol,
            elapsed_s=time.perf_counter() - started, game_digest=game.digest(),
            details={"lam": lam, "qre": strategies, "residual": resid,
                     "payoffs": game.payoff(profile)})
    system = _System(game)
    stops = [1e5, 1e4, 1e3] if lam_max is None else [float(lam_max) * system.scale]
    for k, stop in enumerate(stops):
        try:
            _, final = _trace(system, stop, max_steps=20_000, record=False)
            break
        except SolverError:  # far out on the branch the equations get stiff: stop earlier
            if k == len(stops) - 1:
                raise
    sigma = [s / s.sum() for s in system.sigma(final[:-1])]
    candidates = []
    for threshold in (1e-3, 1e-5, 1e-8, 1e-2):
        polished = _polish(game, sigma, threshold)
        if polished is not None and all(s.sum() > 0 for s in polished):
            polished = [s / s.sum() for s in polished]
            if game.is_nash(polished, tol=1e-6):
                candidates = [polished]
                break
    if not candidates:
        warnings.warn("the end of the QRE branch did not polish into a Nash equilibrium; "
                      "returning the raw end point for verification", stacklevel=2)
        candidates = [sigma]
    return finalize(game, candidates, method="qre", guarantee="one", tol=tol, exact=exact,
                    started=started, details={"lam_max": stop / system.scale,
                                              "branch_end": sigma,
                                              "bifurcations": system.bifurcations})


@dataclass
class QREFit:
    """Maximum-likelihood fit of the logit precision λ to observed choices.

    Attributes
    ----------
    lam_ : float
        The estimate (in the game's payoff units).
    profile_ : tuple of MixedStrategy
        The QRE at ``lam_``.
    log_likelihood_ : float
    ci_ : tuple of float
        95 % profile-likelihood interval for λ (``inf`` when the likelihood stays
        within the χ² bound up to ``lam_max``).
    path : QREPath
    """

    lam_: float
    profile_: tuple[MixedStrategy, ...]
    log_likelihood_: float
    ci_: tuple[float, float]
    path: QREPath = field(repr=False)

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html("Logit QRE fitted by maximum likelihood",
                           [("λ", self.lam_), ("95 % interval", self.ci_),
                            ("log-likelihood", self.log_likelihood_),
                            ("profile", [np.round(np.asarray(p, float), 4)
                                         for p in self.profile_])])


def fit_qre(game: Game, observed: Sequence[Sequence[float]], *, lam_max: float | None = None
            ) -> QREFit:
    """Estimate λ by maximum likelihood along the principal branch (as ``gambit-logit -L``).

    Parameters
    ----------
    observed : one sequence per player
        Counts (or frequencies) of each action in the data.
    lam_max : float, optional
        How far to search (default 1e3 / payoff range).

    Raises
    ------
    ProfileError
        If counts have the wrong shape or are negative.

    References
    ----------
    McKelvey & Palfrey (1995), section 5; Turocy (2005).

    Examples
    --------
    >>> from gametheory.games import prisoners_dilemma
    >>> g = prisoners_dilemma()
    >>> target = logit_qre(g, 0.8)
    >>> fit = fit_qre(g, [1000 * target[0], 1000 * target[1]])
    >>> round(fit.lam_, 4)
    0.8
    """
    from scipy.optimize import minimize_scalar

    counts = []
    for i, c in enumerate(observed):
        arr = np.asarray(c, dtype=float).reshape(-1)
        if arr.shape != (game.shape[i],):
            raise ShapeError(f"observed counts of {game.players[i]!r} have {arr.size} entries "
                             f"for {game.shape[i]} actions")
        if np.any(arr < 0) or not np.all(np.isfinite(arr)):
            raise ProfileError(f"observed counts of {game.players[i]!r} must be finite and "
                               f">= 0, got {arr.tolist()}")
        counts.append(arr)
    if len(counts) != game.n_players:
        raise ProfileError(f"need observed counts for {game.n_players} players, got "
                           f"{len(counts)}")
    system = _System(game)
    stop = (1e3 if lam_max is None else float(lam_max) * system.scale)
    points, _ = _trace(system, stop, max_steps=20_000, record=True)
    c_all = np.concatenate(counts)

    def loglik_z(z: np.ndarray) -> float:
        return float(c_all @ z)

    ll = np.array([loglik_z(p[:-1]) for p in points])
    lam_int = np.array([p[-1] for p in points])
    k = int(np.argmax(ll))
    lo = lam_int[max(k - 1, 0)]
    hi = lam_int[min(k + 1, len(points) - 1)]
    best_lam, best_z, best_ll = lam_int[k], points[k][:-1], ll[k]
    if hi > lo:
        z_start = points[k][:-1]

        def neg(lmb: float) -> float:
            z = _newton_fixed_lambda(system, z_start.copy(), lmb)
            return np.inf if z is None else -loglik_z(z)

        opt = minimize_scalar(neg, bounds=(lo, hi), method="bounded",
                              options={"xatol": 1e-10 * max(1.0, hi)})
        if opt.success and -opt.fun >= best_ll:
            z = _newton_fixed_lambda(system, z_start.copy(), float(opt.x))
            if z is not None:
                best_lam, best_z, best_ll = float(opt.x), z, -float(opt.fun)
    ci = _profile_interval(system, points, lam_int, ll, best_lam, best_ll, loglik_z)
    sig = system.sigma(best_z)
    profile = tuple(MixedStrategy(s / s.sum(), actions=game.actions[i], player=game.players[i])
                    for i, s in enumerate(sig))
    path = QREPath(lam_int / system.scale,
                   [[s / s.sum() for s in system.sigma(p[:-1])] for p in points], game)
    return QREFit(best_lam / system.scale, profile, best_ll,
                  (ci[0] / system.scale, ci[1] / system.scale), path)


def _profile_interval(system, points, lam_int, ll, best_lam, best_ll, loglik_z,
                      level: float = 3.841458820694124) -> tuple[float, float]:
    """95 % profile-likelihood interval: where 2 (L_max - L(λ)) <= χ²₁(0.95)."""
    from scipy.optimize import brentq

    def excess(lmb: float) -> float:
        k = int(np.argmin(np.abs(lam_int - lmb)))
        z = _newton_fixed_lambda(system, points[k][:-1].copy(), lmb)
        if z is None:
            return np.nan
        return 2 * (best_ll - loglik_z(z)) - level

    below = lam_int[(lam_int < best_lam) & (2 * (best_ll - ll) > level)]
    if below.size == 0:
        lo = 0.0
    else:
        a = float(below.max())
        lo = brentq(excess, a, best_lam, xtol=1e-12 * max(1.0, best_lam))
    above = lam_int[(lam_int > best_lam) & (2 * (best_ll - ll) > level)]
    if above.size == 0:
        hi = np.inf
    else:
        b = float(above.min())
        hi = brentq(excess, best_lam, b, xtol=1e-12 * max(1.0, b))
    return lo, hi
