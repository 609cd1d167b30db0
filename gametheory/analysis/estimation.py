"""Structural estimation: the dispute game's utility weights fitted to the record.

The model of a side's choice is the **logit Markov QRE** of the dispute as a
stochastic game (:func:`~gametheory.analysis.dispute_game`): in each state the side
to move chooses level ``k`` with probability proportional to ``exp(λ Q(s, k))``, where
``Q`` is its value of the level given that both sides play this way from then on
(the branch of logit equilibria that starts at uniform play, λ = 0). The payoffs are
linear in named weights (:data:`~gametheory.analysis.dynamic.FEATURES`), so the
likelihood of the record is a function of the free weights and λ, which are fitted
by maximum likelihood (nested fixed point: every evaluation solves the logit
equilibrium, warm-started by Newton's method on its sparse Jacobian).

* **States are followed through the record** as the model moves them: the record
  starts at ``start_date`` with both missions at their baselines, no restrictions
  and no seized property; each recorded level (as realised, after the model's
  trembles) moves the state by the model's own effects. A state between grid points
  is a probability over its neighbours (a filter, as in a hidden Markov model), so
  the likelihood of a turn is the probability of its level averaged over where the
  model believes the dispute stands. Where the model's effects of the recorded
  levels do not reach the recorded state at ``state_date``, the fit says so
  (``WeightFit.end_state``).
* **Scale**: choices identify weights only relative to each other and to λ, so one
  weight must be fixed; ``mission_value`` (the value of one person in the mission for
  one turn) is, by default, and every weight not freed keeps its value from the
  parameters file.
* **Intervals**: profile likelihood (the set of values the likelihood-ratio test does
  not reject at 5 %, the other free parameters re-fitted at each point) and, on
  request, a parametric bootstrap (records simulated from the fit along the record's
  own length, refitted; percentile intervals).
* **Identification** is reported in words: a profile that never falls below the
  cutoff on one side is an open interval; a near-zero eigenvalue of the observed
  information is a flat direction; strongly correlated estimates are named.
* **Pooling**: several disputes are fitted jointly; weights listed in ``shared`` take
  one value for every side of every dispute, the others one value per side and
  dispute; λ is shared.

The estimator is consistent under the model when the record is long; with a dozen
decisions per side it is what it is, and the intervals say how little that is.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .._random import as_generator
from ..errors import ParameterError, SolverError
from .dynamic import FEATURES, dispute_game

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .calibration import Calibration

__all__ = ["WeightFit", "fit_theta", "fit_weights", "recorded_staff", "structural_forecast"]

#: Half the 95 % quantile of chi-square with one degree of freedom: the drop of the
#: profile log-likelihood that bounds a 95 % likelihood-ratio interval.
LR_CUTOFF = 1.920729410347062
#: Weights are searched up to this multiple of (|estimate| + 1) before an interval is
#: reported open above.
_UPPER = 30.0
#: The profile search: steps from the estimate grow by this factor until the profile
#: falls below the cutoff (or the bound is reached: an open side), then the crossing is
#: found by Brent's method to this relative tolerance (0.1 %, below the three digits
#: reported; for the precision it applies to log λ).
PROFILE_GROWTH = 3.0
PROFILE_RTOL = 1e-3
#: L-BFGS-B's relative tolerance on the log-likelihood at a profile point: about 3e-4
#: on a record's log-likelihood of -25, far below the 1.92 the interval's ends are
#: read at and below what moves an end by the 0.1 % of PROFILE_RTOL (the fit itself
#: uses 1e-10).
PROFILE_FTOL = 1e-5
#: Where the profile has flattened - the last step lowered it by less than this share
#: of its remaining height above the cutoff - the next step grows by PROFILE_GROWTH
#: squared: a plateau (an open side) is crossed in fewer maximisations.
PROFILE_FLAT = 0.1


class _ZeroProbability(SolverError):
    """A recorded turn is (numerically) impossible at the parameters tried: the
    optimiser steps back, as from a point where the branch could not be followed."""


# ----------------------------------------------------------------- the generic model
@dataclass
class _TurnData:
    """One record in a turn-based stochastic game with payoffs linear in weights.

    ``phi`` (rows, players, features): the payoffs of every (state, intended level)
    row of ``flat`` are ``phi[row, p] @ theta[p]``; ``realised[k]`` (sparse states x
    states): where realised level ``k`` leads; ``kernel`` (levels x levels): intended
    -> realised; ``sequences``: (start state, realised levels) pairs."""

    name: str
    logit: Any
    phi: np.ndarray
    theta: np.ndarray
    kernel: np.ndarray
    realised: list
    sequences: list[tuple[int, np.ndarray]]
    players: tuple[str, ...]
    V: np.ndarray | None = field(default=None, repr=False)
    last: tuple | None = field(default=None, repr=False)
    lu: Any = field(default=None, repr=False)
    #: Steps of the branch trace from λ = 0 when continuation from the last solution
    #: fails; 0: no trace once a solution exists (the point is reported unsolvable,
    #: as the posterior's importance sampling wants: one draw lost, not minutes).
    trace_steps: int = field(default=3_000, repr=False)
    #: Trace the branch again from λ = 0 when continuation from the last solution
    #: fails. False in the fits and their profiles: such a point (past a fold of the
    #: branch between the last parameters and these) is unreachable - the optimiser
    #: steps back - instead of a trace that can take minutes per point.
    retrace: bool = field(default=True, repr=False)
    #: Per sequence, per turn: the recorded mission sizes as splits over the staff grids
    #: ``(w_first, w_second)``, which replace the filter's staff marginal before the
    #: turn (:func:`recorded_staff`); None: the states follow the model's own effects.
    anchors: list | None = field(default=None, repr=False)
    #: Sizes of the two staff grids (the first two axes of the state index).
    staff_shape: tuple[int, int] = (0, 0)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["lu"] = None          # sparse LU factors do not pickle; a worker refactors
        return state

    @property
    def flat(self):
        return self.logit.flat

    @property
    def n_turns(self) -> int:
        return int(sum(len(levels) for _, levels in self.sequences))


def _system(data: _TurnData, theta: np.ndarray):
    U = np.einsum("rpf,pf->rp", data.phi, theta)
    return data.logit.system(U)


#: GMRES iterations (one cycle) preconditioned with the factors of a nearby Jacobian
#: before a Newton step or a derivative pays for a fresh sparse LU.
KRYLOV_ITERATIONS = 20


def _krylov(J, b: np.ndarray, lu, rtol: float) -> np.ndarray | None:
    """``J x = b`` by GMRES preconditioned with ``lu`` (the factors of a Jacobian at a
    nearby point), or None when it has not converged - its true residual checked -
    within :data:`KRYLOV_ITERATIONS` iterations (the caller then factors ``J``)."""
    from scipy.sparse.linalg import LinearOperator, gmres

    n = b.size
    M = LinearOperator((n, n), matvec=lu.solve, dtype=float)
    x, _ = gmres(J, b, M=M, rtol=rtol, atol=0.0, restart=KRYLOV_ITERATIONS, maxiter=1)
    # the true residual decides (GMRES may stop short of rtol on its own measure)
    if not np.all(np.isfinite(x)) or \
            float(np.linalg.norm(J @ x - b)) > 100 * rtol * max(float(np.linalg.norm(b)), 1e-300):
        return None
    return x


def _newton(system, V: np.ndarray, lam: float, scale: float, lu=None):
    """Newton's method on the logit equations from ``V``: ``(V, lu)``, V None if it
    does not converge, ``lu`` the factors it last used.

    Every step is a full Newton step (the Jacobian at the iterate), solved by GMRES
    preconditioned with ``lu`` - the factors of a Jacobian at a nearby point - and a
    fresh sparse LU only when GMRES does not converge: most solves factor nothing.
    (Chord steps with a far point's factors were tried: they can jump to another
    branch of the logit equations.)"""
    from scipy.sparse.linalg import splu

    prev = np.inf
    stalled = 0
    for _ in range(40):
        Fv = system.F(V, lam)
        if not np.all(np.isfinite(Fv)):
            return None, lu
        norm = float(np.abs(Fv).max())
        if norm < 1e-10 * scale:
            return V, lu
        if norm > 0.9 * prev:
            # a full Newton step that did not reduce the residual: twice, and the start
            # is not in Newton's basin (the caller takes a shorter step instead of
            # paying a factorisation per iteration to find out)
            stalled += 1
            if stalled >= 2:
                return None, lu
        J, _ = system.jacobian(V, lam)
        step = None if lu is None else _krylov(J, Fv, lu, 1e-8)
        if step is None:
            try:
                lu = splu(J.tocsc())
            except RuntimeError:     # singular Jacobian: a fold of the branch
                return None, lu
            step = lu.solve(Fv)
        prev = norm
        V = V - step.reshape(V.shape)
    return None, lu


def _equilibrium(data: _TurnData, theta: np.ndarray, lam: float) -> tuple[Any, np.ndarray]:
    """The logit equilibrium at ``lam`` on the branch from λ = 0.

    From the last solution of this record: Newton at once, else a continuation from
    the last (weights, λ) to the new ones in steps that Newton can take (so the
    solution stays on the branch it was on); only if that fails, the branch is traced
    from λ = 0."""
    system = _system(data, theta)
    scale = max(float(np.ptp(system.U)), 1e-12)
    if data.V is not None:
        V, lu = _newton(system, data.V.copy(), lam, scale, lu=data.lu)
        if V is None and data.last is not None:
            th0, lam0 = data.last
            V, t, h = data.V.copy(), 0.0, 0.25
            min_step = 1e-4 if data.trace_steps else 1e-2     # see trace_steps
            while t < 1.0 and h > min_step:
                t1 = min(1.0, t + h)
                th1 = th0 + t1 * (theta - th0)
                l1 = float(np.exp(np.log(lam0) + t1 * (np.log(lam) - np.log(lam0))))
                sys1 = _system(data, th1)
                V1, lu = _newton(sys1, V, l1, max(float(np.ptp(sys1.U)), 1e-12), lu=lu)
                if V1 is None:
                    h *= 0.5
                    continue
                V, t, h = V1, t1, min(2 * h, 1.0)
            V = V if t >= 1.0 else None
        if V is not None:
            data.V, data.last, data.lu = V, (theta.copy(), lam), lu
            return system, V
    if data.V is not None and (data.trace_steps == 0 or not data.retrace):
        raise SolverError(f"{data.name}: the logit equilibrium could not be continued to "
                          f"λ = {lam:.4g} from the last solution")
    # trace the branch in unit-range payoffs (the path follower's step sizes are
    # calibrated for them), then rescale the values
    unit = data.logit.system(system.U / scale)
    V = data.logit.trace(unit, lam * scale, data.trace_steps or 3_000) * scale
    data.V, data.last = V, (theta.copy(), lam)
    return system, V


def _choice_derivatives(system, V: np.ndarray, lam: float, sig: np.ndarray, Q: np.ndarray,
                        data: _TurnData, dirs) -> np.ndarray:
    """d σ / d x for each direction (S, K, P), by the implicit function theorem: the
    logit equations ``F(V, x) = 0`` give ``dV = -J⁻¹ ∂F/∂x``, then σ moves with the
    mover's action values. ``dirs[j]`` is ``"lambda"`` (the derivative in log λ) or a
    list of (side, feature) entries the parameter sets."""
    from scipy.sparse.linalg import splu

    f = system.flat
    S, N = f.S, f.N
    idx = np.arange(S)
    mover = system.mover
    d = f.delta[:, None, None]
    valid = system.valid
    Qm = Q[mover, idx]
    Qm_bar = (sig * Qm).sum(axis=1, keepdims=True)
    J, _ = system.jacobian(V, lam)
    lu = data.lu                    # the factors the solve last used, if any

    def solve(rhs: np.ndarray) -> np.ndarray:
        # GMRES preconditioned with those factors; a fresh LU when it does not converge
        nonlocal lu
        x = None if lu is None else _krylov(J, rhs, lu, 1e-10)
        if x is None:
            lu = splu(J.tocsc())
            x = lu.solve(rhs)
        return x

    out = np.zeros((S, sig.shape[1], len(dirs)))
    for j, entries in enumerate(dirs):
        if entries == "lambda":
            dL, dQd = lam, np.zeros_like(Q)
        else:
            if not entries:
                continue
            dL = 0.0
            dU = np.zeros((f.U.shape[0], N))
            for p, feat in entries:
                dU[:, p] += data.phi[:, p, feat]
            dQd = (1 - d) * np.where(valid[None], dU[system.rows].transpose(2, 0, 1), 0.0)
        dQm = dQd[mover, idx]
        dsig = sig * (dL * (Qm - Qm_bar) + lam * (dQm - (sig * dQm).sum(axis=1, keepdims=True)))
        dF = -((dsig[None] * Q).sum(axis=2) + (sig[None] * dQd).sum(axis=2))   # (N, S)
        dV = -solve(dF.ravel()).reshape(N, S)
        TdV = np.asarray(f.T @ dV.T)
        dQ = dQd + d * np.where(valid[None], TdV[system.rows].transpose(2, 0, 1), 0.0)
        dQm = dQ[mover, idx]
        out[:, :, j] = sig * (dL * (Qm - Qm_bar)
                              + lam * (dQm - (sig * dQm).sum(axis=1, keepdims=True)))
    data.lu = lu                    # the next solves precondition GMRES with these
    return out


def _anchor(b: np.ndarray, w: tuple[np.ndarray, np.ndarray], staff_shape) -> np.ndarray:
    """Replace the staff marginal of a belief (states[, directions]) by the recorded
    splits ``w``, keeping the belief over everything else (linear in ``b``; the mass is
    kept)."""
    n0, n1 = staff_shape
    x = b.reshape(n0, n1, -1, *b.shape[1:])
    rest = x.sum(axis=(0, 1))
    return np.einsum("i,j,r...->ijr...", w[0], w[1], rest).reshape(b.shape)


def _loglik_one(data: _TurnData, theta: np.ndarray, lam: float, *, dirs=None):
    """Log-likelihood of the record (and, with ``dirs``, its gradient along them)."""
    system, V = _equilibrium(data, theta, lam)
    sig, Q = system.parts(V, lam)
    real = sig @ data.kernel                       # (S, K) realised-level probabilities
    P = 0 if dirs is None else len(dirs)
    dreal = (np.einsum("skp,kl->slp", _choice_derivatives(system, V, lam, sig, Q, data, dirs),
                       data.kernel) if P else None)
    total = 0.0
    grad = np.zeros(P)
    for j, (start, levels) in enumerate(data.sequences):
        b = np.zeros(data.flat.S)
        b[start] = 1.0
        db = np.zeros((data.flat.S, P))
        anchors = data.anchors[j] if data.anchors is not None else None
        for t, k in enumerate(levels):
            if anchors is not None:
                b = _anchor(b, anchors[t], data.staff_shape)
                if P:
                    db = _anchor(db, anchors[t], data.staff_shape)
            a = b * real[:, k]
            p = float(a.sum())
            if not p > 1e-200:
                raise _ZeroProbability(f"{data.name}: a recorded turn has probability "
                                       f"{p:.3g} at these parameters")
            total += np.log(p)
            if P:
                da = db * real[:, k, None] + b[:, None] * dreal[:, k, :]
                dp = da.sum(axis=0)
                grad += dp / p
                db = data.realised[k].T @ ((da - np.outer(a / p, dp)) / p)
            b = data.realised[k].T @ (a / p)
    return (total, grad) if P else total


def _turn_predictions(data: _TurnData, theta: np.ndarray, lam: float,
                      levels: Sequence[int], anchors=None) -> np.ndarray:
    """Predictive probabilities of the realised level of each turn of ``levels`` given
    the turns before it, shape (turns, levels): the filter of the likelihood, run over
    a longer record (the calibration's turns and those held out after them); with
    ``anchors`` (one per turn), the staff marginal is replaced by the recorded sizes
    before each turn, as the anchored likelihood does."""
    if data.V is None:     # reach λ by continuation from nearly uniform play, as the fit
        _equilibrium(data, theta, min(lam, 1e-3))     # does (a trace from 0 may fold)
    system, V = _equilibrium(data, theta, lam)
    sig, _ = system.parts(V, lam)
    real = sig @ data.kernel
    b = np.zeros(data.flat.S)
    b[data.sequences[0][0]] = 1.0
    out = np.empty((len(levels), real.shape[1]))
    for t, k in enumerate(levels):
        if anchors is not None:
            b = _anchor(b, anchors[t], data.staff_shape)
        pred = b @ real
        out[t] = pred / pred.sum()
        a = b * real[:, k]
        p = float(a.sum())
        # an impossible level (probability 0) tells nothing about where the state is
        b = data.realised[k].T @ (a / p if p > 1e-300 else b)
    return out


def fit_theta(cal: Calibration, fit: WeightFit) -> tuple[np.ndarray, float]:
    """The dispute game's full weights (2, features) and λ at a fit's estimates."""
    from .dynamic import feature_weights

    theta = feature_weights(cal.params).copy()
    for name, value in zip(fit.names[1:], fit.estimate[1:], strict=True):
        feature, _, rest = name.partition("[")
        side = rest.rstrip("]")
        sides = [side] if side else list(cal.players)
        for q in sides:
            if ":" in q:
                raise ParameterError("fit_theta takes a fit of one dispute, not a pooled one",
                                     key="fit")
            theta[cal.players.index(q), FEATURES.index(feature)] = value
    return theta, float(fit.estimate[0])


def structural_forecast(cal: Calibration, turns, fit: WeightFit | None = None, *,
                        staffing=None) -> np.ndarray:
    """Predictive probabilities of each turn's level under the structural model at the
    fitted weights (default: :func:`fit_weights` of ``cal``, parity weights free), given
    the turns before it; ``turns`` as :func:`~gametheory.analysis.holdout_turns` gives
    them (alternating, starting with the calibration's).

    With a ``staffing`` series, every turn (held-out ones too) is predicted from the
    mission sizes recorded before it (:func:`recorded_staff`), as the anchored fit
    conditions on them; a given ``fit`` should then be one fitted with the same series.
    """
    if fit is None:
        fit = fit_weights(cal, free=("parity_weight",), profile=False, staffing=staffing)
    theta, lam = fit_theta(cal, fit)
    actors = list(turns.actor)
    if any(a == b for a, b in itertools.pairwise(actors)):
        raise ParameterError("the turns do not alternate: the structural forecast needs "
                             "alternating turns", key="classification.insert_idle_turns")
    data = _dispute_data(cal, "dispute")
    anchors = None
    if staffing is not None:
        anchors = _staff_anchors(cal, dispute_game(cal), staffing, turns)
    return _turn_predictions(data, theta, lam, turns.level_index.to_numpy().astype(int),
                             anchors)


# ----------------------------------------------------------------- parameters
@dataclass(frozen=True)
class _Spec:
    """Free parameters: ``names[0]`` is log λ; each other name sets the listed
    (record, side, feature) entries of the weights."""

    names: tuple[str, ...]
    targets: tuple[tuple[tuple[int, int, int], ...], ...]

    def thetas(self, x: np.ndarray, records: Sequence[_TurnData]) -> list[np.ndarray]:
        out = [r.theta.copy() for r in records]
        for j, entries in enumerate(self.targets, start=1):
            for r, p, f in entries:
                out[r][p, f] = x[j]
        return out


def _spec(records: Sequence[_TurnData], free: Sequence[str], shared: Sequence[str]) -> _Spec:
    unknown = [f for f in (*free, *shared) if f not in FEATURES]
    if unknown:
        raise ParameterError(f"unknown weight(s) {', '.join(map(repr, unknown))}; the "
                             f"weights are {', '.join(FEATURES)}", key="free")
    not_free = [f for f in shared if f not in free]
    if not_free:
        raise ParameterError(f"shared weight(s) {', '.join(not_free)} are not free",
                             key="shared")
    if len(set(free)) != len(free) or not free:
        raise ParameterError("free: name each weight once, at least one", key="free")
    names, targets = ["log_lambda"], []
    for f in free:
        fi = FEATURES.index(f)
        if f in shared:
            names.append(f)
            targets.append(tuple((r, p, fi) for r, rec in enumerate(records)
                                 for p in range(len(rec.players))))
            continue
        for r, rec in enumerate(records):
            for p, side in enumerate(rec.players):
                label = f"{f}[{side}]" if len(records) == 1 else f"{f}[{rec.name}:{side}]"
                names.append(label)
                targets.append(((r, p, fi),))
    return _Spec(tuple(names), tuple(targets))


def _total(x: np.ndarray, records, spec: _Spec) -> float:
    lam = float(np.exp(x[0]))
    return float(sum(_loglik_one(r, th, lam) for r, th in zip(records, spec.thetas(x, records),
                                                                   strict=True)))


def _total_grad(x: np.ndarray, records, spec: _Spec) -> tuple[float, np.ndarray]:
    """Log-likelihood and its exact gradient in the free parameters."""
    lam = float(np.exp(x[0]))
    total, grad = 0.0, np.zeros(len(x))
    for r, (rec, th) in enumerate(zip(records, spec.thetas(x, records), strict=True)):
        dirs = ["lambda"] + [[(p, f) for rr, p, f in entries if rr == r]
                             for entries in spec.targets]
        ll, g = _loglik_one(rec, th, lam, dirs=dirs)
        total += ll
        grad += g
    return total, grad


def _maximise(records, spec: _Spec, x0: np.ndarray, bounds, fixed: dict[int, float] | None = None,
              ftol: float = 1e-10) -> tuple[np.ndarray, float, int]:
    """Maximise the log-likelihood over the parameters not in ``fixed`` (L-BFGS-B;
    ``ftol`` its relative tolerance on the log-likelihood)."""
    from scipy.optimize import minimize

    fixed = fixed or {}
    free_idx = [j for j in range(len(x0)) if j not in fixed]
    full = x0.copy()
    for j, v in fixed.items():
        full[j] = v

    def expand(z):
        x = full.copy()
        x[free_idx] = z
        return x

    sub_bounds = [bounds[j] for j in free_idx]

    best = [np.inf]

    def fg(z):
        try:
            ll, g = _total_grad(expand(z), records, spec)
        except SolverError:
            # the logit branch could not be followed to this point: a value worse than
            # any seen makes the line search step back
            return best[0] + 1e6, np.zeros(len(z))
        best[0] = min(best[0], -ll)
        return -ll, -g[free_idx]

    if not free_idx:
        return full, _total(full, records, spec), 0
    z0 = np.clip(full[free_idx], [b[0] for b in sub_bounds], [b[1] for b in sub_bounds])
    res = minimize(fg, z0, jac=True, method="L-BFGS-B", bounds=sub_bounds,
                   options={"maxiter": 200, "ftol": ftol, "gtol": 1e-6})
    if not np.isfinite(best[0]):
        raise SolverError("the log-likelihood could not be evaluated at any point the "
                          "optimiser tried (the logit branch could not be followed there)")
    return expand(res.x), -float(res.fun), int(res.nit)


def _bounds(spec: _Spec, records: Sequence[_TurnData]) -> list[tuple[float, float]]:
    """log λ from 1e-4 (every level nearly equally likely) to the precision at which
    a difference of 1/10,000 of the payoff range at the file's weights changes a
    choice's log-odds by one (beyond it choices are best responses, and the logit
    branch folds so often that following it is not practical); weights >= 0."""
    scale = max(float(np.ptp(np.einsum("rpf,pf->rp", r.phi, r.theta))) for r in records)
    top = float(np.log(1e4 / max(scale, 1e-12)))
    return [(min(float(np.log(1e-4)), top - 1.0), top)] + [(0.0, 1e6)] * (len(spec.names) - 1)


def _hessian(records, spec: _Spec, x: np.ndarray, bounds) -> np.ndarray:
    """Observed information (negative Hessian of the log-likelihood): central
    differences of the exact gradient (one-sided at a bound), symmetrised."""
    n = len(x)
    H = np.empty((n, n))
    for j in range(n):
        h = 1e-4 * max(1.0, abs(x[j]))
        up = x.copy()
        dn = x.copy()
        up[j] += h
        if x[j] - h >= bounds[j][0]:
            dn[j] -= h
            width = 2 * h
        else:
            width = h
        H[:, j] = -(_total_grad(up, records, spec)[1] - _total_grad(dn, records, spec)[1]) / width
    return 0.5 * (H + H.T)


def _profile_sides(records, spec: _Spec, xhat: np.ndarray, llhat: float, j: int, bounds,
                   se: float, directions) -> list[tuple[float, bool]]:
    """The ends of the 95 % likelihood-ratio interval of parameter ``j``, one per
    direction (-1 below, +1 above): (end, open, unreached). Open: the profile does not
    fall to the cutoff before the bound, or could not be computed at ``unreached``
    (the equilibrium could not be continued there; otherwise None), in which case the
    end is the farthest point reached inside the interval."""
    from scipy.optimize import brentq

    target = llhat - LR_CUTOFF

    def solutions():
        return [(r.V if r.V is None else r.V.copy(), r.last, r.lu) for r in records]

    # per point profiled: the profile log-likelihood, the parameters and the records'
    # equilibria there (so each point is reached by continuation from its start)
    cache: dict[float, tuple[float, np.ndarray, list]] = {
        float(xhat[j]): (llhat, xhat, solutions())}
    unreached = []

    def prof(v: float, start: np.ndarray) -> float:
        if v not in cache:
            # warm start from the nearest point already profiled on this side that is
            # inside the interval (the estimate included), continuing the equilibria
            # from that point's: a point beyond the cutoff can sit where the other
            # parameters are extreme, or past a fold of the branch
            side = [u for u in cache if (u - xhat[j]) * (v - xhat[j]) >= 0
                    and cache[u][0] >= target]
            _, start, states = cache[min(side, key=lambda u: abs(u - v))]
            for r, (V, last, lu) in zip(records, states, strict=True):
                r.V, r.last, r.lu = (V if V is None else V.copy()), last, lu
            try:
                x, ll, _ = _maximise(records, spec, start, bounds, fixed={j: v},
                                     ftol=PROFILE_FTOL)
            except SolverError:
                unreached.append(v)
                raise
            cache[v] = (ll, x, solutions())
        return cache[v][0] - target

    out = []
    for direction in directions:
        lo_b, hi_b = bounds[j]
        limit = lo_b if direction < 0 else min(hi_b, xhat[j] + _UPPER * (abs(xhat[j]) + 1))
        step = se if np.isfinite(se) and se > 0 else 0.5 * (abs(xhat[j]) + 0.1)
        inside, start = xhat[j], xhat.copy()
        found = None
        height, big = llhat - target, False
        try:
            for _ in range(40):
                v = xhat[j] + direction * step
                if (v - limit) * direction >= 0:
                    v = limit
                try:
                    h = prof(v, start)
                except SolverError:
                    if not big:
                        raise
                    # the long step over a plateau could not be reached: the ordinary
                    # step instead, before the side is called open
                    step, big = step / PROFILE_GROWTH, False
                    continue
                if h < 0:
                    found = v
                    break
                big = height - h < PROFILE_FLAT * h
                inside, start, height = v, cache[v][1], h
                if v == limit:
                    break
                step *= PROFILE_GROWTH ** 2 if big else PROFILE_GROWTH
            if found is None:
                out.append((inside, True, None))
                continue
            a, b = sorted((inside, found))
            root = brentq(prof, a, b, args=(start,), xtol=1e-8, rtol=PROFILE_RTOL)
            out.append((root, False, None))
        except SolverError:
            # the profile cannot be computed beyond the last point reached: the side is
            # open there, and said why (not "fits as well": not known)
            inside = max((u for u in cache if (u - xhat[j]) * direction >= 0
                          and cache[u][0] >= target), key=lambda u: abs(u - xhat[j]))
            out.append((inside, True, float(unreached[-1])))
    return out


# ----------------------------------------------------------------- the dispute adapter
def _dispute_data(cal: Calibration, name: str, staffing=None) -> _TurnData:
    """The record of a calibration as a :class:`_TurnData` on its dispute game; with a
    ``staffing`` series, each turn's mission sizes are the recorded ones
    (:func:`recorded_staff`)."""

    from ..solvers.stochastic import TurnLogit

    dg = dispute_game(cal)
    game = dg.game
    S, K = game.n_states, len(cal.levels)
    logit = TurnLogit(game)
    phi = dg.features.reshape(S * K, 2, -1)
    realised = dg.realised_moves()
    turns = cal.turns_
    actors = turns.actor.tolist()
    if any(a == b for a, b in itertools.pairwise(actors)):
        raise ParameterError("the record's turns do not alternate (insert_idle_turns is off): "
                             "the dynamic game's likelihood needs alternating turns",
                             key="classification.insert_idle_turns")
    B = [cal.params.missions[p].baseline for p in cal.players]
    start = dg.state(staff=B, restrictions=(0, 0), mover=actors[0])
    levels = turns.level_index.to_numpy().astype(np.int64)
    from .dynamic import feature_weights

    anchors = None if staffing is None else [_staff_anchors(cal, dg, staffing)]
    return _TurnData(name=name, logit=logit, phi=phi, theta=feature_weights(cal.params),
                     kernel=dg.kernel, realised=realised, sequences=[(start, levels)],
                     players=cal.players, anchors=anchors,
                     staff_shape=(len(dg.staff_grid[0]), len(dg.staff_grid[1])))


def _staff_anchors(cal: Calibration, dg, staffing, turns=None) -> list:
    """Per turn, each side's recorded mission size (:func:`recorded_staff`) as weights
    on the dispute game's staff grid (the two neighbouring grid points, linearly)."""
    from .dynamic import _split

    staff = recorded_staff(cal, staffing, turns)[[f"staff_{p}" for p in cal.players]]
    per_turn = []
    for row in staff.to_numpy(float):
        w = []
        for i in range(2):
            grid = np.asarray(dg.staff_grid[i], dtype=float)
            lo, hi, wt = _split(np.array([row[i]]), grid)
            v = np.zeros(grid.size)
            v[lo[0]] += 1.0 - wt[0]
            v[hi[0]] += wt[0]
            w.append(v)
        per_turn.append((w[0], w[1]))
    return per_turn


#: Events that take staff out of the other side's mission, by unit (see
#: :func:`recorded_staff`).
_REMOVALS = {("expel", "persons"), ("rotation_limit", "persons")}


def recorded_staff(cal: Calibration, staffing, turns=None) -> pd.DataFrame:
    """Each side's recorded mission size before every turn of the record.

    The size is the last reported count or cap of the whole mission (``staffing`` rows
    with ``series == "mission"`` and ``kind`` ``count`` or ``cap``, dated strictly before
    the turn; a partial date at the end or start of its month or year as
    ``classification.partial_dates_at`` says; ``confidence == "low"`` rows are left out:
    they are the conflicting counts the file flags) minus the persons the other side
    removed since (expulsions and rotation limits counted in persons, by their
    effective date, announced from ``start_date`` on), within 0 and the baseline;
    before any report, the baseline. The
    2017 cap's "cut" of 755 is a cut, not a size, and is not used (the cap's own row
    is). A removal with no count (a local-hire ban, a closure) changes nothing until the
    next report shows its effect.

    Parameters
    ----------
    cal : Calibration
    staffing : DataFrame
        A model's staffing series (columns ``date``, ``mission_of``, ``kind``,
        ``series``, ``count``, optionally ``confidence``).
    turns : DataFrame, optional
        Turns with ``turn`` and ``start`` columns (default the calibration's; the
        holdout's from :func:`~gametheory.analysis.holdout_turns` for forecasts).

    Returns
    -------
    DataFrame
        One row per turn: ``turn``, ``date`` (the turn's start), ``staff_<side>`` and
        ``anchor_<side>`` (the date of the report it starts from, or ``baseline``).

    Examples
    --------
    >>> import gametheory as gt
    >>> from gametheory.analysis import calibrate
    >>> t = recorded_staff(calibrate(), gt.load_model().staffing)
    >>> t[["staff_USA", "staff_RUS"]].iloc[[0, 7, 19]].values.tolist()
    [[1200.0, 455.0], [455.0, 455.0], [120.0, 376.0]]
    """
    import pandas as pd

    players = cal.players
    need = {"date", "mission_of", "kind", "series", "count"}
    missing = need - set(getattr(staffing, "columns", ()))
    if missing:
        raise ParameterError(f"the staffing series lacks the column(s) {sorted(missing)}",
                             key="staffing")
    at_end = cal.params.classification.partial_dates_at == "end"

    def when(text: str):
        try:
            per = pd.Period(str(text))
        except (ValueError, TypeError):
            raise ParameterError(f"the staffing series has the date {text!r}, not a date "
                                 "(YYYY, YYYY-MM or YYYY-MM-DD)", key="staffing.date") from None
        return (per.end_time if at_end else per.start_time).date()

    rows = staffing[(staffing.series == "mission") & staffing.kind.isin(["count", "cap"])]
    if "confidence" in rows:
        rows = rows[rows.confidence.astype(str) != "low"]
    counts = pd.to_numeric(rows["count"], errors="coerce")
    if counts.isna().any() or (counts < 0).any():
        bad = rows[counts.isna() | (counts < 0)].iloc[0]
        raise ParameterError(f"the staffing series has the count {bad['count']!r} on "
                             f"{bad['date']} ({bad['mission_of']}), not a number >= 0",
                             key="staffing.count")
    reports = {p: sorted((when(r.date), float(r["count"]), str(r.date))
                         for _, r in rows[rows.mission_of == p].iterrows()) for p in players}
    removals = {p: [] for p in players}
    first = cal.params.start_date
    for e in cal.events:
        if e.target in players and e.magnitude is not None and \
                (e.action_type.value, e.magnitude_unit) in _REMOVALS and \
                (first is None or e.date_announced >= first):
            removals[e.target].append((e.date_effective or e.date_announced,
                                       float(e.magnitude)))
    out = []
    for _, turn in (cal.turns_ if turns is None else turns).iterrows():
        date = pd.Timestamp(turn.start).date()
        row = {"turn": int(turn.turn), "date": date}
        for p in players:
            B = float(cal.params.missions[p].baseline)
            before = [r for r in reports[p] if r[0] < date]
            size, since, label = ((before[-1][1], before[-1][0], before[-1][2]) if before
                                  else (B, None, "baseline"))
            size -= sum(m for d, m in removals[p] if d < date and (since is None or d > since))
            row[f"staff_{p}"] = float(min(max(size, 0.0), B))
            row[f"anchor_{p}"] = label
        out.append(row)
    return pd.DataFrame(out)


# ----------------------------------------------------------------- result
@dataclass(frozen=True, eq=False)
class WeightFit:
    """Maximum-likelihood weights of the dispute game and their uncertainty.

    Attributes
    ----------
    names : tuple of str
        The free parameters: ``lambda`` (the logit precision per unit of a turn's
        normalised payoff) and ``<weight>[<side>]`` (or ``<weight>`` when shared).
    estimate, low, high : ndarray
        Estimates and 95 % profile-likelihood bounds (``low_open``/``high_open``: the
        profile did not reach the cutoff before the search limit, or could not be
        computed beyond the bound given - the logit branch could not be continued
        there, which ``diagnostics`` then says; the interval is open on that side).
    boot_low, boot_high : ndarray or None
        Parametric-bootstrap 95 % percentile bounds, when requested.
    loglik, loglik_uniform : float
        Log-likelihood at the estimate and of uniform play (every level alike).
    n_turns : int
    correlation : ndarray
        Correlation of the estimates from the observed information (NaN where it is
        singular).
    diagnostics : list of str
        Identification and fit findings in words.
    end_state : dict
        Per dispute: the model's expected mission sizes after the recorded levels,
        beside the recorded ones at ``state_date``.
    """

    names: tuple[str, ...]
    estimate: np.ndarray
    low: np.ndarray
    high: np.ndarray
    low_open: np.ndarray
    high_open: np.ndarray
    loglik: float
    loglik_uniform: float
    n_turns: int
    correlation: np.ndarray
    diagnostics: tuple[str, ...]
    end_state: dict
    fixed: dict
    boot_low: np.ndarray | None = None
    boot_high: np.ndarray | None = None
    details: dict = field(default_factory=dict, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per free parameter: estimate, 95 % profile bounds (and bootstrap
        bounds when computed); an open bound is shown as ``open``."""
        import pandas as pd

        rows = []
        for j, n in enumerate(self.names):
            row = {"parameter": n, "estimate": self.estimate[j],
                   "low": _bound(self.low[j], self.low_open[j]),
                   "high": _bound(self.high[j], self.high_open[j])}
            if self.boot_low is not None:
                row["bootstrap low"] = self.boot_low[j]
                row["bootstrap high"] = self.boot_high[j]
            rows.append(row)
        return pd.DataFrame(rows).set_index("parameter")

    def __repr__(self) -> str:
        parts = [f"{n}={v:.3g}" for n, v in zip(self.names, self.estimate, strict=True)]
        return (f"WeightFit({', '.join(parts)}; logL {self.loglik:.2f} vs uniform "
                f"{self.loglik_uniform:.2f}, {self.n_turns} turns)")

    def _repr_html_(self) -> str:
        from .._format import table_html

        rows = [[n, f"{e:.4g}", _bound(lo, lo_o, text=True), _bound(hi, hi_o, text=True)]
                for n, e, lo, hi, lo_o, hi_o in zip(self.names, self.estimate, self.low,
                                                    self.high, self.low_open, self.high_open,
                                                    strict=True)]
        cap = (f"Maximum-likelihood weights ({self.n_turns} turns; log-likelihood "
               f"{self.loglik:.2f}, uniform play {self.loglik_uniform:.2f}); 95 % "
               "profile-likelihood intervals")
        notes = "".join(f"<li>{d}</li>" for d in self.diagnostics)
        return (table_html(["parameter", "estimate", "95 % low", "95 % high"], rows,
                           caption=cap) + (f"<ul>{notes}</ul>" if notes else ""))


def _bound(value: float, is_open: bool, *, text: bool = False):
    """A profile bound for display: ``open``, ``not computed`` (no profile) or the
    number (as text with ``text``)."""
    if is_open:
        return "open"
    if not np.isfinite(value):
        return "not computed"
    return f"{value:.4g}" if text else float(value)


def _diagnostics(names, est, low_open, high_open, H, bounds, unreached=None
                 ) -> tuple[list[str], np.ndarray]:
    notes = []
    unreached = unreached or {}
    for j, (n, lo, hi, v, b) in enumerate(zip(names, low_open, high_open, est, bounds,
                                              strict=True)):
        label = "λ" if n == "log_lambda" else n
        stuck = {d: unreached[(j, d)] for d in (-1, 1) if (j, d) in unreached}
        for d, at in stuck.items():
            value = f"λ = {np.exp(at):.4g}" if n == "log_lambda" else f"{at:.4g}"
            notes.append(f"{label}: the profile could not be computed at {value} (the logit "
                         "equilibrium branch could not be continued there, typically past "
                         "a fold); the interval is reported open "
                         f"{'below' if d < 0 else 'above'} from the last point reached, "
                         "which is inside it.")
        lo, hi = lo and -1 not in stuck, hi and 1 not in stuck
        if lo and hi:
            notes.append(f"{label}: the likelihood is flat over the whole range searched; "
                         "the record does not identify it.")
        elif hi:
            notes.append(f"{label}: no upper bound - larger values, up to the "
                         f"{_UPPER:g}-fold searched, fit as well (interval open above).")
        elif lo and b[0] == 0.0 and v <= 1e-9:
            notes.append(f"{label}: estimated at zero, the edge of its range; values near "
                         "zero are not rejected.")
        elif lo:
            notes.append(f"{label}: no lower bound within its range (interval open below).")
    corr = np.full(H.shape, np.nan)
    if not np.all(np.isfinite(H)):
        notes.append("the observed information could not be computed (a neighbour of the "
                     "estimate could not be evaluated): no correlations are reported.")
        return notes, corr
    try:
        w, vecs = np.linalg.eigh(H)
        if w.max() > 0 and w.min() < 1e-8 * w.max():
            v = vecs[:, 0]
            top = np.argsort(-np.abs(v))[:2]
            combo = " and ".join(names[t].replace("log_lambda", "λ") for t in top)
            notes.append(f"the observed information is (nearly) singular: a flat direction "
                         f"moves {combo} together.")
        if w.min() > 0:
            cov = np.linalg.inv(H)
            sd = np.sqrt(np.diag(cov))
            corr = cov / np.outer(sd, sd)
            for i in range(len(names)):
                for j in range(i + 1, len(names)):
                    if abs(corr[i, j]) > 0.9:
                        notes.append(f"{names[i]} and {names[j]} are collinear (correlation "
                                     f"{corr[i, j]:+.2f}): the record tells their trade-off, "
                                     "not each.".replace("log_lambda", "λ"))
    except np.linalg.LinAlgError:  # pragma: no cover - eigh of a symmetric matrix
        pass
    return notes, corr


def _end_state(cal: Calibration, data: _TurnData) -> dict:
    """The model's expected mission sizes after the recorded levels (the filter run
    with the record's levels as given), beside the recorded ones at state_date."""
    dg = dispute_game(cal)
    start, levels = data.sequences[0]
    b = np.zeros(data.flat.S)
    b[start] = 1.0
    for k in levels:
        b = data.realised[k].T @ b
    out = {}
    for p in cal.players:
        out[p] = {"model": float(b @ dg.table[f"staff_{p}"].to_numpy()),
                  "record": float(cal.params.missions[p].state)}
    return out


def _simulate(data: _TurnData, theta: np.ndarray, lam: float, rng: np.random.Generator
              ) -> _TurnData:
    """A record of the same length drawn from the model: intended level by the logit
    equilibrium, realised by the kernel, next state by the realised level's split."""
    system, V = _equilibrium(data, theta, lam)
    sig, _ = system.parts(V, lam)
    real = sig @ data.kernel
    seqs = []
    for start, levels in data.sequences:
        s, drawn = start, []
        for _ in range(len(levels)):
            k = int(rng.choice(real.shape[1], p=real[s] / real[s].sum()))
            drawn.append(k)
            row = data.realised[k].getrow(s)
            s = int(rng.choice(row.indices, p=row.data / row.data.sum()))
        seqs.append((start, np.array(drawn, dtype=np.int64)))
    return _TurnData(name=data.name, logit=data.logit, phi=data.phi, theta=data.theta,
                     kernel=data.kernel, realised=data.realised, sequences=seqs,
                     players=data.players, V=data.V, last=data.last)


def _profile_task(records, spec, xhat, llhat, j, bounds, se, snapshot, direction):
    """One side of one profile, every record warm-started at its solution at the
    estimate (the same in a worker process as in this one, so the result does not
    depend on where it ran): (end, open, the value at which the profile could not
    be computed or None)."""
    for r, (V, last) in zip(records, snapshot, strict=True):
        # continuation only (see _TurnData.retrace): where the branch cannot be
        # continued to a profile point, the side is reported open there
        r.V, r.last, r.lu, r.retrace = V.copy(), last, None, False
    (side,) = _profile_sides(records, spec, xhat, llhat, j, bounds, se, (direction,))
    return side


def _fit(records: list[_TurnData], spec: _Spec, *, profile: bool | Sequence[int] = True,
         n_boot: int = 0, seed=None, lam0: float | None = None, workers: int = 1) -> dict:
    """The fit: ``profile`` True (every parameter), False or the indices to profile;
    profiles run in ``workers`` processes."""
    retrace = [r.retrace for r in records]
    try:
        return _fit_records(records, spec, profile=profile, n_boot=n_boot, seed=seed,
                            lam0=lam0, workers=workers)
    finally:
        for r, k in zip(records, retrace, strict=True):
            r.retrace = k


def _fit_records(records, spec, *, profile, n_boot, seed, lam0, workers) -> dict:
    bounds = _bounds(spec, records)
    for r in records:          # no warm start from an earlier fit: the same inputs give
        r.V = r.last = r.lu = None   # the same optimisation path, bit for bit
        # the first solution is traced from λ = 0; every later point is reached by
        # continuation or is unreachable (see _TurnData.retrace)
        r.retrace = False
    x0 = np.zeros(len(spec.names))
    for j, entries in enumerate(spec.targets, start=1):
        r, p, f = entries[0]
        x0[j] = records[r].theta[p, f]
    if lam0 is None:
        # a coarse search for the precision at the file's weights, upwards (each point
        # warm-starts the next)
        grid = np.linspace(bounds[0][0], bounds[0][1], 11)
        vals = []
        for g in grid:
            x0[0] = g
            try:
                vals.append(_total(x0, records, spec))
            except SolverError:
                vals.append(-np.inf)
        x0[0] = grid[int(np.argmax(vals))]
    else:
        x0[0] = np.log(lam0)
    xhat, llhat, nit = _maximise(records, spec, x0, bounds)
    # a second start from the optimum guards against a stop on a flat stretch
    xhat2, llhat2, _ = _maximise(records, spec, xhat, bounds)
    if llhat2 > llhat:
        xhat, llhat = xhat2, llhat2
    try:
        H = _hessian(records, spec, xhat, bounds)
    except SolverError:      # a neighbour of the estimate cannot be evaluated
        H = np.full((len(xhat), len(xhat)), np.nan)
    try:
        se = np.sqrt(np.clip(np.diag(np.linalg.inv(H)), 0, None))
    except np.linalg.LinAlgError:
        se = np.full(len(xhat), np.nan)
    n = len(xhat)
    low, high = np.full(n, np.nan), np.full(n, np.nan)
    low_open, high_open = np.zeros(n, bool), np.zeros(n, bool)
    _total(xhat, records, spec)
    snapshot = [(r.V.copy(), r.last) for r in records]
    which = list(range(n) if profile is True else () if profile is False else profile)
    # one side of one profile per task (each refits from the estimate, so the result does
    # not depend on which worker ran it, or whether one did)
    tasks = [(j, d) for j in which for d in (-1, 1)]
    ends = {}
    if tasks and workers > 1:
        from .._parallel import process_pool

        with process_pool(min(workers, len(tasks))) as pool:
            futures = {t: pool.submit(_profile_task, records, spec, xhat, llhat, t[0], bounds,
                                      float(se[t[0]]), snapshot, t[1]) for t in tasks}
            ends = {t: fut.result() for t, fut in futures.items()}
    else:
        ends = {t: _profile_task(records, spec, xhat, llhat, t[0], bounds, float(se[t[0]]),
                                 snapshot, t[1]) for t in tasks}
    unreached = {}
    for j in which:
        low[j], low_open[j], unreached[(j, -1)] = ends[(j, -1)]
        high[j], high_open[j], unreached[(j, 1)] = ends[(j, 1)]
    boot = None
    if n_boot:
        rng = as_generator(seed)
        thetas = spec.thetas(xhat, records)
        for r, (V, last) in zip(records, snapshot, strict=True):
            r.V, r.last, r.lu = V.copy(), last, None          # warm start at the fit
        draws = []
        for _ in range(n_boot):
            sims = [_simulate(r, th, float(np.exp(xhat[0])), rng)
                    for r, th in zip(records, thetas, strict=True)]
            for sim in sims:
                sim.retrace = False
            xb, _, _ = _maximise(sims, spec, xhat, bounds)
            draws.append(xb)
        boot = np.array(draws)
    return {"x": xhat, "ll": llhat, "H": H, "se": se, "low": low, "high": high,
            "low_open": low_open, "high_open": high_open, "boot": boot, "nit": nit,
            "bounds": bounds,
            "unreached": {k: v for k, v in unreached.items() if v is not None}}


def fit_weights(cal: Calibration | Sequence[Calibration], *,
                free: Sequence[str] = ("parity_weight", "own_cost_per_staff"),
                shared: Sequence[str] = (), profile: bool = True, n_boot: int = 0,
                seed: int | np.random.Generator | None = None,
                names: Sequence[str] | None = None, workers: int = 1,
                staffing=None) -> WeightFit:
    """Fit the dispute game's weights and logit precision to the record by maximum
    likelihood.

    Parameters
    ----------
    cal : Calibration or sequence of Calibration
        One dispute, or several fitted jointly (pooled).
    free : sequence of str
        Weights of :data:`~gametheory.analysis.dynamic.FEATURES` to estimate (one value
        per side, or per side and dispute); every other weight keeps its file value.
        ``mission_value`` fixes the scale and is best left out.
    shared : sequence of str
        Free weights that take one value across all sides and disputes.
    profile : bool
        Compute 95 % profile-likelihood intervals (the main cost).
    n_boot : int
        Parametric-bootstrap replications (0: none).
    seed : int or Generator, optional
        Randomness of the bootstrap.
    names : sequence of str, optional
        Labels of the disputes when pooling (default ``dispute1``, ...).
    workers : int
        Processes for the profiles (one parameter's profile per task; the result is the
        same for any number).
    staffing : DataFrame or sequence of DataFrame, optional
        The recorded mission sizes (a model's ``staffing``; one per dispute when
        pooling): each turn's choice is then conditioned on the recorded sizes
        (:func:`recorded_staff`) instead of the sizes the model's own effects of the
        recorded levels would give (which take the US mission to about 1,070 where the
        record has 120); restrictions and seized property still follow the model.

    Returns
    -------
    WeightFit

    Raises
    ------
    ParameterError
        An unknown or repeated weight name, a shared weight that is not free, or a
        record whose turns do not alternate.

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> fit = fit_weights(calibrate(), free=("parity_weight",), shared=("parity_weight",),
    ...                   profile=False)
    >>> fit.names
    ('lambda', 'parity_weight')
    >>> bool(fit.loglik > fit.loglik_uniform)
    True
    """
    cals = [cal] if not isinstance(cal, Sequence) else list(cal)
    if not cals:
        raise ParameterError("fit_weights needs at least one calibration", key="cal")
    labels = list(names) if names is not None else (
        ["dispute"] if len(cals) == 1 else [f"dispute{i + 1}" for i in range(len(cals))])
    if len(labels) != len(cals):
        raise ParameterError(f"{len(labels)} names for {len(cals)} disputes", key="names")
    if staffing is None or hasattr(staffing, "columns"):
        staffs = [staffing] * len(cals)
    else:
        staffs = list(staffing)
        if len(staffs) != len(cals):
            raise ParameterError(f"{len(staffs)} staffing series for {len(cals)} disputes",
                                 key="staffing")
    records = [_dispute_data(c, n, st) for c, n, st in zip(cals, labels, staffs,
                                                           strict=True)]
    spec = _spec(records, free, shared)
    if not (isinstance(workers, int) and workers >= 1):
        raise ParameterError(f"workers must be a positive integer, got {workers!r}",
                             key="workers")
    out = _fit(records, spec, profile=profile, n_boot=n_boot, seed=seed, workers=workers)
    x = out["x"].copy()
    names_out = ("lambda", *spec.names[1:])
    est = x.copy()
    est[0] = np.exp(x[0])
    low, high = out["low"].copy(), out["high"].copy()
    low[0], high[0] = np.exp(low[0]), np.exp(high[0])
    notes, corr = _diagnostics(list(spec.names), x, out["low_open"], out["high_open"],
                               out["H"], out["bounds"], out["unreached"])
    ll_uniform = float(sum(r.n_turns * np.log(1.0 / r.kernel.shape[0]) for r in records))
    if out["ll"] <= ll_uniform + 1.0:
        notes.append(f"the fitted model explains the record barely better than uniform play "
                     f"(log-likelihood {out['ll']:.2f} against {ll_uniform:.2f}).")
    ends = {}
    for c, r in zip(cals, records, strict=True):
        ends[r.name] = _end_state(c, r)
        if r.anchors is not None:
            notes.append(f"{r.name}: each turn is conditioned on the recorded mission sizes "
                         "(the staffing series), not on those the model's own effects of "
                         "the recorded levels would give.")
            continue
        for p, v in ends[r.name].items():
            if abs(v["model"] - v["record"]) > 0.25 * c.params.missions[p].baseline:
                notes.append(f"{r.name}: the model's own effects of the recorded levels leave "
                             f"{p}'s mission at {v['model']:.0f} persons where the record "
                             f"has {v['record']:.0f}; the states the fit conditions on differ "
                             "from the dispute's.")
    boot_low = boot_high = None
    if out["boot"] is not None:
        b = out["boot"].copy()
        b[:, 0] = np.exp(b[:, 0])
        boot_low, boot_high = np.percentile(b, [2.5, 97.5], axis=0)
    fixed = {f: {(p if len(records) == 1 else f"{r.name}:{p}"): float(r.theta[i, FEATURES.index(f)])
                 for r in records for i, p in enumerate(r.players)}
             for f in FEATURES if f not in free}
    return WeightFit(names=names_out, estimate=est, low=low, high=high,
                     low_open=out["low_open"], high_open=out["high_open"],
                     loglik=out["ll"], loglik_uniform=ll_uniform,
                     n_turns=sum(r.n_turns for r in records), correlation=corr,
                     diagnostics=tuple(notes), end_state=ends, fixed=fixed,
                     boot_low=boot_low, boot_high=boot_high,
                     details={"se_log_lambda_and_weights": out["se"], "iterations": out["nit"]})
