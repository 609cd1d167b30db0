"""Compiled path follower of the stationary logit QRE of a stochastic game (numba).

The branch is traced in the variables ``w = (z, V, λ)``: log-probabilities ``z`` of
every player's actions in every state, every player's normalised value ``V`` in every
state, and the precision ``λ``. The equations (``n = M + S·N`` of them for ``n + 1``
unknowns, ``M`` the number of action probabilities) are

* ``z_sia − z_si0 − λ (Q_sia − Q_si0) = 0`` for every action ``a ≥ 1``,
* ``Σ_a exp(z_sia) − 1 = 0``,
* ``V_si − Σ_a exp(z_sia) Q_sia = 0``,

with ``Q_sia = Σ_{a−i} σ_{−i}(a_{−i}) [(1 − δ_i) u_i(s, a) + δ_i Σ_t P(t | s, a) V_ti]``,
as in sgamesolver's QRE homotopy (Eibelshäuser & Poensgen 2019) but with the values as
unknowns, so that the equations and their Jacobian are polynomial in ``exp(z)`` and
``V``: the Jacobian is written down term by term (no linear solve inside ``H``, no
numerical differentiation).

The predictor–corrector is the textbook one (Allgower & Georg 1990, ch. 6): an Euler
predictor along the tangent, a chord-Newton corrector on the hyperplane orthogonal to
it that reuses the LU factors of the augmented Jacobian at the last accepted point, a
step length steered by the corrector's first correction and contraction and by the
angle between successive tangents. The orientation of the branch is carried by the
bordered system, so folds in λ are passed; a sign change of its determinant marks a
bifurcation, recorded as in the normal-form follower.

Everything here is called by :func:`gametheory.solvers.stochastic.markov_qre`;
compiled on first use and cached (see :mod:`._compiled`).
"""

from __future__ import annotations

import numpy as np

from ._compiled import jit

__all__ = ["flatten", "trace"]

#: status codes of :func:`trace`
REACHED, UNDERFLOW, MAX_STEPS, TURNED_BACK, SINGULAR = 0, 1, 2, 3, 4


def flatten(stage_payoffs, transitions, discount, scale: float):
    """The game as the flat arrays the kernels read.

    ``stage_payoffs[s]``: array ``(*actions, N)``; ``transitions[s]``: ``(*actions, S)``.
    Returns ``(n_act (S, N), boff (S·N + 1), joff (S + 1), acts (J, N), U (J, N),
    P (J, S), delta (N))``.
    """
    S = len(stage_payoffs)
    N = stage_payoffs[0].shape[-1]
    n_act = np.array([u.shape[:-1] for u in stage_payoffs], dtype=np.int64).reshape(S, N)
    boff = np.concatenate([[0], np.cumsum(n_act.ravel())]).astype(np.int64)
    joff = np.concatenate([[0], np.cumsum(np.prod(n_act, axis=1))]).astype(np.int64)
    acts, U, P = [], [], []
    for s in range(S):
        shape = tuple(n_act[s])
        acts.append(np.indices(shape).reshape(N, -1).T)
        U.append(np.asarray(stage_payoffs[s], dtype=float).reshape(-1, N) / scale)
        P.append(np.asarray(transitions[s], dtype=float).reshape(-1, S))
    return (n_act, boff, joff, np.ascontiguousarray(np.concatenate(acts), dtype=np.int64),
            np.ascontiguousarray(np.concatenate(U)), np.ascontiguousarray(np.concatenate(P)),
            np.asarray(discount, dtype=float))


@jit(inline="always")
def _term(k, i, s, x, sig, M, P, U, delta, boff, acts):  # pragma: no cover
    """Player ``i``'s total payoff ``g`` at joint action ``k`` of state ``s`` (stage
    payoff and discounted continuation values ``x[M:]``) and the probability ``po`` that
    the others play their parts of ``k``."""
    S = P.shape[1]
    N = acts.shape[1]
    cont = 0.0
    for t in range(S):
        cont += P[k, t] * x[M + t * N + i]
    g = (1.0 - delta[i]) * U[k, i] + delta[i] * cont
    po = 1.0
    for j in range(N):
        if j != i:
            po *= sig[boff[s * N + j] + acts[k, j]]
    return g, po


@jit(inline="always")     # in the innermost loop: numba's IR inlining, not a call
def _add_dq(Jm, x, val, c, o, ni, vr, lam, sc):  # pragma: no cover
    """Enter ``dQ_c / d w_x = val`` into the rows it reaches: the logit rows of the
    block (``-λ`` for action ``c ≥ 1``, ``+λ`` in every row when ``c`` is the reference
    action 0) and the value row (``-σ_c``)."""
    if c >= 1:
        Jm[o + c - 1, x] -= lam * val
    else:
        for a in range(1, ni):
            Jm[o + a - 1, x] += lam * val
    Jm[vr, x] -= sc * val


@jit
def _evaluate(w, n_act, boff, joff, acts, U, P, delta, H, Jm, want_jac):  # pragma: no cover
    S, N = n_act.shape
    M = boff[S * N]
    n = M + S * N
    lam = w[n]
    sig = np.exp(w[:M])
    Q = np.zeros(M)
    H[:] = 0.0
    if want_jac:
        Jm[:, :] = 0.0
    for s in range(S):
        for k in range(joff[s], joff[s + 1]):
            for i in range(N):
                g, po = _term(k, i, s, w, sig, M, P, U, delta, boff, acts)
                b = s * N + i
                o = boff[b]
                ni = n_act[s, i]
                c = acts[k, i]
                Q[o + c] += g * po
                if not want_jac or po == 0.0:
                    continue
                vr = M + b
                sc = sig[o + c]
                # derivatives of Q_sic: other players' log-probabilities, then the values
                for j in range(N):
                    if j != i:
                        _add_dq(Jm, boff[s * N + j] + acts[k, j], g * po, c, o, ni, vr,
                                lam, sc)
                for t in range(S):
                    if P[k, t] != 0.0:
                        _add_dq(Jm, M + t * N + i, delta[i] * P[k, t] * po, c, o, ni, vr,
                                lam, sc)
        for i in range(N):
            b = s * N + i
            o = boff[b]
            ni = n_act[s, i]
            vr = M + b
            total = 0.0
            value = 0.0
            for a in range(ni):
                total += sig[o + a]
                value += sig[o + a] * Q[o + a]
            for a in range(1, ni):
                H[o + a - 1] = w[o + a] - w[o] - lam * (Q[o + a] - Q[o])
            H[o + ni - 1] = total - 1.0
            H[vr] = w[vr] - value
            if want_jac:
                for a in range(1, ni):
                    Jm[o + a - 1, o + a] += 1.0
                    Jm[o + a - 1, o] -= 1.0
                    Jm[o + a - 1, n] = -(Q[o + a] - Q[o])
                for a in range(ni):
                    Jm[o + ni - 1, o + a] = sig[o + a]
                    Jm[vr, o + a] -= sig[o + a] * Q[o + a]
                Jm[vr, vr] += 1.0


@jit
def _lu(A, piv):  # pragma: no cover
    """In-place LU with partial pivoting; returns the sign of det(A) (0 if singular).

    Written here rather than taken from LAPACK because the corrector reuses the factors
    across iterations inside compiled code: numba exposes ``np.linalg.solve`` (which
    refactors every call) but not ``getrf``/``getrs``, and the determinant's sign (the
    branch's orientation) comes with the factors for free."""
    m = A.shape[0]
    sign = 1.0
    for k in range(m):
        p = k
        best = abs(A[k, k])
        for r in range(k + 1, m):
            v = abs(A[r, k])
            if v > best:
                best = v
                p = r
        piv[k] = p
        if best == 0.0:
            return 0.0
        if p != k:
            sign = -sign
            for c in range(m):
                tmp = A[k, c]
                A[k, c] = A[p, c]
                A[p, c] = tmp
        d = A[k, k]
        if d < 0:
            sign = -sign
        for r in range(k + 1, m):
            f = A[r, k] / d
            if f != 0.0:
                A[r, k] = f
                for c in range(k + 1, m):
                    A[r, c] -= f * A[k, c]
            else:
                A[r, k] = 0.0
    return sign


@jit
def _lu_solve(A, piv, b):  # pragma: no cover
    m = A.shape[0]
    x = b.copy()
    for k in range(m):
        p = piv[k]
        if p != k:
            tmp = x[k]
            x[k] = x[p]
            x[p] = tmp
    for r in range(m):
        acc = x[r]
        for c in range(r):
            acc -= A[r, c] * x[c]
        x[r] = acc
    for r in range(m - 1, -1, -1):
        acc = x[r]
        for c in range(r + 1, m):
            acc -= A[r, c] * x[c]
        x[r] = acc / A[r, r]
    return x


@jit
def _factor(Jm, row, A, piv):  # pragma: no cover
    n = Jm.shape[0]
    A[:n, :] = Jm
    A[n, :] = row
    return _lu(A, piv)


@jit
def trace(w0, lam_stop, max_steps, n_act, boff, joff, acts, U, P, delta):  # pragma: no cover
    """Follow the branch from ``w0`` (at λ = 0) until λ = ``lam_stop``.

    Returns ``(status, w, steps, bifurcations)``: ``w`` solves the equations at exactly
    ``lam_stop`` when ``status == REACHED``; otherwise it is the last accepted point.
    """
    n = w0.shape[0] - 1
    M = boff[n_act.shape[0] * n_act.shape[1]]
    H = np.zeros(n)
    Jm = np.zeros((n, n + 1))
    A = np.zeros((n + 1, n + 1))
    piv = np.zeros(n + 1, dtype=np.int64)
    e = np.zeros(n + 1)
    e[n] = 1.0
    bif = np.zeros(64)
    n_bif = 0
    w = w0.copy()
    _evaluate(w, n_act, boff, joff, acts, U, P, delta, H, Jm, True)
    t = e.copy()
    if _factor(Jm, t, A, piv) == 0.0:
        return SINGULAR, w, 0, bif[:0]
    t = _lu_solve(A, piv, e)
    t /= np.sqrt(np.sum(t * t))
    if t[n] < 0:
        t = -t
    orientation = _factor(Jm, t, A, piv)    # A: LU of [J(w); t], reused by the corrector
    if orientation == 0.0:
        return SINGULAR, w, 0, bif[:0]
    h = 0.1
    steps = 0
    anchored = False
    F = np.zeros(n + 1)
    for steps in range(1, max_steps + 1):
        final = w[n] + h * t[n] >= lam_stop
        if final:
            h = (lam_stop - w[n]) / t[n]
        wp = w + h * t
        x = wp.copy()
        ok = False
        prev = 0.0
        first = 0.0                        # size of the first correction
        kappa = 0.0                        # largest contraction ratio of the corrector
        it = 0
        # intermediate points need not be exact (the next corrector starts from them and
        # the end is solved at fixed λ by full Newton to 1e-11): a looser tolerance
        # saves corrector iterations
        tol = 1e-11 * (1.0 + abs(lam_stop)) if final else 1e-8 * (1.0 + abs(x[n]))
        for it in range(8):
            _evaluate(x, n_act, boff, joff, acts, U, P, delta, H, Jm, False)
            F[:n] = H
            F[n] = 0.0                     # x stays on the hyperplane through wp
            err = np.max(np.abs(H))
            if err < tol:
                ok = True
                break
            dx = _lu_solve(A, piv, F)
            size = np.sqrt(np.sum(dx * dx))
            if it == 0 and size > 0.5 * h + 1e-8:
                break                      # the predictor was too far from the branch
            if it > 0 and size > 0.5 * prev:
                break                      # the chord iteration does not contract
            if it == 0:
                first = size
            else:
                kappa = max(kappa, size / prev)
            prev = size
            x -= dx
            if np.max(x[:M]) > 1.0 or not np.all(np.isfinite(x)):
                break
        if ok and final:
            # the corrector kept t·(x − wp) = 0; finish with Newton at λ = lam_stop
            x[n] = lam_stop
            for _ in range(30):
                _evaluate(x, n_act, boff, joff, acts, U, P, delta, H, Jm, True)
                if np.max(np.abs(H)) < 1e-11 * (1.0 + abs(lam_stop)):
                    return REACHED, x, steps, bif[:n_bif]
                F[:n] = H
                F[n] = 0.0
                if _factor(Jm, e, A, piv) == 0.0:
                    break
                x -= _lu_solve(A, piv, F)
                if not np.all(np.isfinite(x)):
                    break
            ok = False
            _evaluate(w, n_act, boff, joff, acts, U, P, delta, H, Jm, True)
            _factor(Jm, t, A, piv)
        if not ok:
            h *= 0.5
            if h < 1e-6 and not anchored:
                # steps this short fail when the last point itself sits off the branch by
                # more than they are long (it was accepted at the loose tolerance where
                # the Jacobian is ill-conditioned): put it back on the branch by full
                # Newton at the tight tolerance, once per stall
                anchored = True
                x = w.copy()
                for _ in range(30):
                    _evaluate(x, n_act, boff, joff, acts, U, P, delta, H, Jm, True)
                    if np.max(np.abs(H)) < 1e-12 * (1.0 + abs(x[n])):
                        break
                    F[:n] = H
                    F[n] = 0.0
                    if _factor(Jm, t, A, piv) == 0.0:
                        break
                    x -= _lu_solve(A, piv, F)
                if np.all(np.isfinite(x)) and np.max(np.abs(H)) < 1e-12 * (1.0 + abs(x[n])):
                    w = x
                    h = 1e-4
                _evaluate(w, n_act, boff, joff, acts, U, P, delta, H, Jm, True)
                _factor(Jm, t, A, piv)
            if h < 1e-10:
                return UNDERFLOW, w, steps, bif[:n_bif]
            continue
        anchored = False
        if x[n] < -1e-9:
            return TURNED_BACK, x, steps, bif[:n_bif]
        # the tangent at the new point, oriented by bordering with the old one
        _evaluate(x, n_act, boff, joff, acts, U, P, delta, H, Jm, True)
        sign = _factor(Jm, t, A, piv)
        if sign == 0.0:
            h *= 0.5
            if h < 1e-10:
                return SINGULAR, w, steps, bif[:n_bif]
            _evaluate(w, n_act, boff, joff, acts, U, P, delta, H, Jm, True)
            _factor(Jm, t, A, piv)
            continue
        t_new = _lu_solve(A, piv, e)
        t_new /= np.sqrt(np.sum(t_new * t_new))
        cosine = np.sum(t_new * t)
        if cosine < 0.99 and h > 1e-6:
            # the tangent turned by more than ~8 degrees: the step may have crossed a
            # fold onto another part of the curve; retry from w with a shorter step
            h *= 0.5
            _evaluate(w, n_act, boff, joff, acts, U, P, delta, H, Jm, True)
            _factor(Jm, t, A, piv)
            continue
        if sign != orientation:
            if n_bif < bif.shape[0]:
                bif[n_bif] = x[n]
                n_bif += 1
            orientation = sign
        # A keeps the LU of [J(x); t_old]: the next corrector works on the hyperplane
        # through the predicted point orthogonal to t_old (close to t_new), which saves
        # a second factorisation per step
        w = x
        t = t_new
        # the predictor's error grows as h²: aim for a first correction of 5 % of the
        # step (at most 3× longer, at least half as long), shorter when the chord
        # iteration contracts slowly or the tangent turns
        factor = 3.0 if first == 0.0 else min(3.0, max(0.5, np.sqrt(0.05 * h / first)))
        if kappa > 0.25 or cosine < 0.999:
            factor = min(factor, 0.8)
        h *= factor
    return MAX_STEPS, w, steps, bif[:n_bif]


@jit
def _polish_eval(x, sup, n_act, boff, joff, acts, U, P, delta, H, Jm):  # pragma: no cover
    """Equilibrium conditions on given supports, in probabilities ``σ`` and values
    ``V``: in each state, a player's supported actions have equal action values, the
    others probability 0, the probabilities sum to one and ``V = Σ σ Q``."""
    S, N = n_act.shape
    M = boff[S * N]
    sig = x[:M]
    Q = np.zeros(M)
    dQ = np.zeros((M, M + S * N))          # dQ_c / dx, row c of every (s, i)
    H[:] = 0.0
    Jm[:, :] = 0.0
    for s in range(S):
        for k in range(joff[s], joff[s + 1]):
            for i in range(N):
                g, po = _term(k, i, s, x, sig, M, P, U, delta, boff, acts)
                c = boff[s * N + i] + acts[k, i]
                Q[c] += g * po
                for j in range(N):
                    if j == i:
                        continue
                    pj = 1.0
                    for m in range(N):
                        if m != i and m != j:
                            pj *= sig[boff[s * N + m] + acts[k, m]]
                    dQ[c, boff[s * N + j] + acts[k, j]] += g * pj
                for t in range(S):
                    dQ[c, M + t * N + i] += delta[i] * P[k, t] * po
        for i in range(N):
            b = s * N + i
            o = boff[b]
            ni = n_act[s, i]
            vr = M + b
            a0 = 0                                      # first supported action
            for a in range(ni):
                if sup[o + a]:
                    a0 = a
                    break
            total = 0.0
            value = 0.0
            for a in range(ni):
                total += sig[o + a]
                value += sig[o + a] * Q[o + a]
                Jm[o + a0, o + a] = 1.0                 # the sum row sits at a0
                Jm[vr, o + a] -= Q[o + a]
                for col in range(M + S * N):
                    Jm[vr, col] -= sig[o + a] * dQ[o + a, col]
            H[o + a0] = total - 1.0
            H[vr] = x[vr] - value
            Jm[vr, vr] += 1.0
            for a in range(ni):
                if a == a0:
                    continue
                if sup[o + a]:
                    H[o + a] = Q[o + a] - Q[o + a0]
                    for col in range(M + S * N):
                        Jm[o + a, col] = dQ[o + a, col] - dQ[o + a0, col]
                else:
                    H[o + a] = sig[o + a]
                    Jm[o + a, o + a] = 1.0


@jit
def polish(x0, sup, n_act, boff, joff, acts, U, P, delta, max_iter):  # pragma: no cover
    """Newton's method on the equilibrium conditions with supports ``sup`` from ``x0``
    (probabilities then values); returns ``(converged, x)``."""
    n = x0.shape[0]
    H = np.zeros(n)
    Jm = np.zeros((n, n))
    piv = np.zeros(n, dtype=np.int64)
    x = x0.copy()
    for _ in range(max_iter):
        _polish_eval(x, sup, n_act, boff, joff, acts, U, P, delta, H, Jm)
        if np.max(np.abs(H)) < 1e-13:
            return True, x
        if _lu(Jm, piv) == 0.0:
            return False, x
        x -= _lu_solve(Jm, piv, H)
        if not np.all(np.isfinite(x)):
            return False, x
    _polish_eval(x, sup, n_act, boff, joff, acts, U, P, delta, H, Jm)
    return np.max(np.abs(H)) < 1e-11, x
