"""Agent logit quantal response equilibria of two-player game trees, and fitting λ.

In the agent logit QRE (McKelvey & Palfrey 1998) every information set is an agent
that plays each action with probability proportional to ``exp(λ v(h, a))``, where
``v(h, a)`` is the expected payoff of taking ``a`` at ``h`` and playing on by the
profile, given the beliefs at ``h`` that the profile itself implies (Bayes' rule;
every information set is reached, since logit play is fully mixed). λ = 0 is
uniform play; as λ grows the branch from λ = 0 approaches a Nash (indeed a
sequential) equilibrium. This is Gambit's ``logit_solve_lambda`` on a tree.

The values come from the sequence form: for a player with realisation plan ``x``
and sequence payoffs ``c = A y`` (``B.T x`` for player 2), the expected payoff
below a sequence is accumulated backwards over the information sets, and the
conditional value of ``(h, a)`` is that amount divided by the behaviour
probability of ``a`` and by the probability of reaching ``h`` (the same pass over
the chance-weighted reach matrix). The equilibrium at each λ is solved by Newton's
method on the log-probabilities, continued in λ from 0 with step control.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import IterationLimitError, ProfileError, SolverError
from ..games.sequence_form import SequenceForm
from .sequence_form import _form

__all__ = ["AgentQRE", "AgentQREFit", "agent_qre", "fit_agent_qre"]


@dataclass(frozen=True, eq=False)
class AgentQRE:
    """Agent logit QREs of a tree at several λ (:func:`agent_qre`).

    Attributes
    ----------
    lambdas : ndarray
    behaviour : list
        Per λ, per player, ``{infoset: {action: probability}}``.
    form : SequenceForm
    """

    lambdas: np.ndarray
    behaviour: list
    form: SequenceForm = field(repr=False)

    def __len__(self) -> int:
        return len(self.lambdas)

    def __getitem__(self, k: int):
        return self.behaviour[k]

    def to_frame(self):
        """One row per λ, player, information set and action."""
        import pandas as pd

        rows = []
        for lam, beh in zip(self.lambdas, self.behaviour, strict=True):
            for i, per in enumerate(beh):
                for h, probs in per.items():
                    for a, p in probs.items():
                        rows.append({"lambda": float(lam), "player": self.form.players[i],
                                     "infoset": h, "action": a, "probability": p})
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        from .._format import frame_html

        return frame_html(self.to_frame(), f"Agent logit QRE at {len(self)} value(s) of λ")


@dataclass(frozen=True, eq=False)
class AgentQREFit:
    """Maximum-likelihood λ of the agent logit QRE (:func:`fit_agent_qre`).

    Attributes
    ----------
    lam : float
    loglik : float
    loglik_uniform : float
        Log-likelihood of uniform play (λ = 0).
    behaviour : tuple of two dicts
        The QRE at the estimate.
    profile : DataFrame
        ``lambda`` and ``loglik`` at every point the search evaluated.
    """

    lam: float
    loglik: float
    loglik_uniform: float
    behaviour: tuple = field(repr=False)
    profile: object = field(repr=False)

    def _repr_html_(self) -> str:
        from .._format import frame_html

        return frame_html(self.profile, f"λ = {self.lam:.4g}, log-likelihood "
                          f"{self.loglik:.4f} (uniform {self.loglik_uniform:.4f})")


# ------------------------------------------------------------------- the map
class _Agents:
    """Index bookkeeping: all (player, infoset, action) as one vector, and each
    player's descendant matrix ``D`` (``D[a, s] = 1`` when sequence ``s`` extends
    sequence ``a`` or is ``a``), so that a plan is ``exp(D.T @ log b)`` and the payoff
    below every sequence is ``D @ (x * c)`` - no loop over information sets."""

    def __init__(self, sf: SequenceForm):
        from scipy import sparse

        self.sf = sf
        self.slices: list[list[slice]] = [[], []]
        k = 0
        for i in (0, 1):
            for acts in sf.actions[i]:
                self.slices[i].append(slice(k, k + len(acts)))
                k += len(acts)
        self.size = k
        self.starts = np.array([s.start for per in self.slices for s in per], dtype=np.int64)
        self.group = np.repeat(np.arange(len(self.starts)),
                               np.diff(np.append(self.starts, k)))
        self.seq = []          # per player: the sequence of each of its stacked actions
        self.span = []         # per player: its slice of the stacked vector
        self.D = []
        for i in (0, 1):
            n = len(sf.sequences[i])
            seq = np.concatenate([np.arange(f, f + len(acts)) for f, acts in
                                  zip(sf.first[i], sf.actions[i], strict=True)]
                                 ).astype(np.int64) if sf.actions[i] else np.zeros(0, np.int64)
            parent_of = np.zeros(n, dtype=np.int64)       # the sequence each extends
            for f, par, acts in zip(sf.first[i], sf.parent[i], sf.actions[i], strict=True):
                parent_of[f:f + len(acts)] = par
            rows, cols = [], []
            for s_ in range(n):                          # every ancestor of every sequence
                a_ = s_
                while True:
                    rows.append(a_)
                    cols.append(s_)
                    if a_ == 0:
                        break
                    a_ = int(parent_of[a_])
            self.D.append(sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)))
            self.seq.append(seq)
            first = self.slices[i][0].start if self.slices[i] else 0
            self.span.append(slice(first, first + len(seq)))
        self.R = sf.reach.tocsr()
        self.RT = self.R.T.tocsr()
        self.BT = sf.B.T.tocsr()

    def split(self, logb: np.ndarray) -> list[list[np.ndarray]]:
        return [[np.exp(logb[s]) for s in self.slices[i]] for i in (0, 1)]

    def _plan(self, i: int, logb: np.ndarray) -> np.ndarray:
        """Realisation plan of (possibly unnormalised, mid-Newton) log-behaviour."""
        lseq = np.zeros(self.D[i].shape[0])
        lseq[self.seq[i]] = logb[self.span[i]]
        return np.exp(self.D[i].T @ lseq)

    def values(self, logb: np.ndarray) -> np.ndarray:
        """Conditional action values at every information set, stacked: the payoff
        below each action's sequence, divided by the action's probability and by the
        probability of reaching its information set."""
        sf = self.sf
        x, y = self._plan(0, logb), self._plan(1, logb)
        out = np.zeros(self.size)
        b = np.maximum(np.exp(logb), 1e-300)
        for i, (own, c, r) in enumerate(((x, sf.A @ y, self.R @ y),
                                         (y, self.BT @ x, self.RT @ x))):
            W = (self.D[i] @ (own * c))[self.seq[i]]
            WR = (self.D[i] @ (own * r))[self.seq[i]]
            sp = self.span[i]
            grp = self.group[sp] - self.group[sp][0] if len(self.seq[i]) else self.group[sp]
            reach = np.bincount(grp, weights=WR)[grp]
            ok = reach > 1e-300
            out[sp] = np.where(ok, W / b[sp] / np.where(ok, reach, 1.0), 0.0)
        return out

    def residual(self, logb: np.ndarray, lam: float) -> np.ndarray:
        """``log b - log softmax(λ v)`` at every information set."""
        z = lam * self.values(logb)
        m = np.maximum.reduceat(z, self.starts)
        lse = np.log(np.add.reduceat(np.exp(z - m[self.group]), self.starts)) + m
        return logb - (z - lse[self.group])

    def uniform(self) -> np.ndarray:
        counts = np.diff(np.append(self.starts, self.size))
        return -np.log(counts[self.group]).astype(float)


def _newton(ag: _Agents, logb: np.ndarray, lam: float, *, tol: float, max_iter: int = 40
            ) -> np.ndarray | None:
    """Newton's method with a forward-difference Jacobian; None when it stalls."""
    x = logb.copy()
    n = len(x)
    for _ in range(max_iter):
        F = ag.residual(x, lam)
        if np.abs(F).max() < tol:
            return x
        J = np.empty((n, n))
        h = 1e-7
        for j in range(n):
            xp = x.copy()
            xp[j] += h
            J[:, j] = (ag.residual(xp, lam) - F) / h
        try:
            step = np.linalg.solve(J, -F)
        except np.linalg.LinAlgError:
            return None
        t = 1.0
        base = np.abs(F).max()
        while t > 1e-4:
            cand = x + t * step
            if np.abs(ag.residual(cand, lam)).max() < base:
                break
            t /= 2
        else:
            return None
        x = x + t * step
    return x if np.abs(ag.residual(x, lam)).max() < tol else None


def _jacobian(ag: _Agents, x: np.ndarray, lam: float, F: np.ndarray) -> np.ndarray:
    """Forward-difference Jacobian of the residual in (log-probabilities, λ)."""
    n = len(x)
    J = np.empty((n, n + 1))
    h = 1e-7
    for j in range(n):
        xp = x.copy()
        xp[j] += h
        J[:, j] = (ag.residual(xp, lam) - F) / h
    hl = 1e-7 * max(1.0, lam)
    J[:, n] = (ag.residual(x, lam + hl) - F) / hl
    return J


def _tangent(J: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    """Unit null vector of J (n x n+1), oriented along ``previous`` (or λ up)."""
    _, _, vt = np.linalg.svd(J)
    t = vt[-1]
    ref = previous if previous is not None else np.eye(len(t))[-1]
    return t if t @ ref >= 0 else -t


def _trace(ag: _Agents, targets: np.ndarray, *, tol: float, max_steps: int = 20_000,
           partial: bool = False) -> list[np.ndarray]:
    """The branch from λ = 0, followed by pseudo-arclength continuation (so through
    turning points, where λ falls back for a while), evaluated where it first
    reaches each of the increasing ``targets``."""
    n = ag.size
    z = np.append(ag.uniform(), 0.0)
    out: list[np.ndarray] = []
    k = 0
    while k < len(targets) and targets[k] <= 0.0:
        out.append(z[:n].copy())
        k += 1
    t_prev = None
    h = 0.1
    steps = 0
    while k < len(targets):
        F = ag.residual(z[:n], z[n])
        t = _tangent(_jacobian(ag, z[:n], z[n], F), t_prev)
        while True:
            steps += 1
            if steps > max_steps:
                raise IterationLimitError(f"agent QRE: more than {max_steps} continuation "
                                          "steps")
            pred = z + h * t
            cand = _correct(ag, pred, t, tol=tol)
            if cand is not None and np.linalg.norm(cand - z) < 3 * h:
                break
            h /= 2
            if h < 1e-10:
                if partial:
                    return out
                raise SolverError(f"agent QRE: the continuation stalled at λ = {z[n]:.6g}")
        z_old, z = z, cand
        t_prev = t
        h = min(h * 1.5, 10.0 * max(1.0, z[n]) ** 0.5)
        while k < len(targets) and z_old[n] < targets[k] <= z[n]:
            w = (targets[k] - z_old[n]) / (z[n] - z_old[n])
            start = z_old[:n] + w * (z[:n] - z_old[:n])
            y = _newton(ag, start, float(targets[k]), tol=tol)
            if y is None:
                raise SolverError(f"agent QRE: no equilibrium found at λ = {targets[k]:.6g} "
                                  "near the branch")
            out.append(y)
            k += 1
    return out


def _correct(ag: _Agents, z: np.ndarray, t: np.ndarray, *, tol: float,
             max_iter: int = 12) -> np.ndarray | None:
    """Newton on the residual plus the hyperplane through the prediction normal to
    the tangent."""
    n = ag.size
    base = z.copy()
    for _ in range(max_iter):
        if z[n] < 0:
            return None
        F = ag.residual(z[:n], z[n])
        g = t @ (z - base)
        if max(np.abs(F).max(), abs(g)) < tol:
            return z
        J = _jacobian(ag, z[:n], z[n], F)
        try:
            step = np.linalg.solve(np.vstack([J, t]), -np.append(F, g))
        except np.linalg.LinAlgError:
            return None
        z = z + step
        if not np.all(np.isfinite(z)):
            return None
    F = ag.residual(z[:n], z[n])
    return z if np.abs(F).max() < tol * 10 else None


def _lambdas(lam) -> tuple[np.ndarray, bool]:
    scalar = np.ndim(lam) == 0
    arr = np.atleast_1d(np.asarray(lam, dtype=float))
    if arr.size == 0 or not np.all(np.isfinite(arr)) or (arr < 0).any():
        raise ProfileError(f"λ must be finite numbers >= 0, got {lam!r}")
    return arr, scalar


def _behaviour_dicts(ag: _Agents, logb: np.ndarray):
    beh = ag.split(logb)
    for per in beh:
        for k, p in enumerate(per):
            per[k] = p / p.sum()
    return tuple(ag.sf.behaviour_dict(i, beh[i]) for i in (0, 1))


def agent_qre(game, lam: float | Sequence[float], *, tol: float = 1e-10) -> AgentQRE:
    """The agent logit QRE of a two-player tree at one or several λ (the principal
    branch, traced from λ = 0).

    Parameters
    ----------
    game : GameTree or SequenceForm
        Two players, perfect recall, chance allowed.
    lam : float or sequence of float
        Precision(s) λ >= 0, in payoff units (λ multiplies the action values as the
        payoffs are given, as Gambit's ``logit_solve_lambda`` does).
    tol : float
        Newton tolerance on the log-probabilities.

    Examples
    --------
    Matching pennies with a payoff of 2 for (H, h), the second mover not seeing the
    first move (pygambit's ``logit_solve_lambda`` gives the same 0.4887 at λ = 1):

    >>> from gametheory.games import GameTree
    >>> t = GameTree(players=("1", "2"))
    >>> t.decision("r", player="1", actions={"H": "a", "T": "b"})
    >>> t.decision("a", player="2", actions={"h": "ah", "t": "at"}, infoset="I")
    >>> t.decision("b", player="2", actions={"h": "bh", "t": "bt"}, infoset="I")
    >>> for n, u in {"ah": (2, -2), "at": (-1, 1), "bh": (-1, 1), "bt": (1, -1)}.items():
    ...     t.terminal(n, u)
    >>> q = agent_qre(t, [0.0, 1.0])
    >>> q[0][0]["r"]["H"], round(q[1][0]["r"]["H"], 4)
    (0.5, 0.4887)
    """
    sf = _form(game)
    targets, _ = _lambdas(lam)
    order = np.argsort(targets)
    ag = _Agents(sf)
    sols = _trace(ag, targets[order], tol=tol)
    out: list = [None] * len(targets)
    for k, j in enumerate(order):
        out[j] = _behaviour_dicts(ag, sols[k])
    return AgentQRE(lambdas=targets, behaviour=out, form=sf)


def fit_agent_qre(game, counts: Mapping[str, Mapping[str, float]], *,
                  lam_max: float = 1e3, tol: float = 1e-10) -> AgentQREFit:
    """Maximum-likelihood λ of the agent logit QRE given observed action counts.

    Parameters
    ----------
    game : GameTree or SequenceForm
    counts : dict
        ``{infoset: {action: count}}`` over the information sets observed (either
        player's; absent ones contribute nothing).
    lam_max : float
        Upper end of the search; an estimate there is reported as at the bound.

    Returns
    -------
    AgentQREFit
        The log-likelihood is ``sum counts * log(QRE probability)``; the search
        evaluates the branch on a grid of λ (0, then 25 points geometric from 0.01 to
        ``lam_max``; it stops early where the branch cannot be followed further, past
        the best point) and refines the best point by bounded search in log λ. As
        Gambit's ``logit_estimate``, this is a maximum along the principal branch,
        which need not be the global maximum over all QREs.

    Examples
    --------
    >>> from gametheory.games import GameTree
    >>> t = GameTree(players=("1", "2"))
    >>> t.decision("r", player="1", actions={"H": "a", "T": "b"})
    >>> t.decision("a", player="2", actions={"h": "ah", "t": "at"}, infoset="I")
    >>> t.decision("b", player="2", actions={"h": "bh", "t": "bt"}, infoset="I")
    >>> for n, u in {"ah": (2, -2), "at": (-1, 1), "bh": (-1, 1), "bt": (1, -1)}.items():
    ...     t.terminal(n, u)
    >>> fit = fit_agent_qre(t, {"r": {"H": 9, "T": 11}, "I": {"h": 8, "t": 12}})
    >>> round(fit.lam, 3), fit.loglik > fit.loglik_uniform
    (1.963, True)
    """
    from scipy.optimize import minimize_scalar

    sf = _form(game)
    ag = _Agents(sf)
    index: list[tuple[int, float]] = []
    for i in (0, 1):
        for h, acts, s in zip(sf.infosets[i], sf.actions[i], ag.slices[i], strict=True):
            if h not in counts:
                continue
            got = counts[h]
            unknown = [a for a in got if a not in acts]
            if unknown:
                raise ProfileError(f"counts at information set {h!r}: unknown action "
                                   f"{unknown[0]!r}; the actions are {list(acts)}")
            for a, n in got.items():
                n = float(n)
                if not np.isfinite(n) or n < 0:
                    raise ProfileError(f"counts at {h!r}, {a!r}: {n!r} is not a count >= 0")
                index.append((s.start + acts.index(a), n))
    missing = [h for h in counts if h not in sf.infosets[0] and h not in sf.infosets[1]]
    if missing:
        raise ProfileError(f"counts name an unknown information set {missing[0]!r}")
    if not index or sum(n for _, n in index) <= 0:
        raise ProfileError("counts: no observed actions")
    pos = np.array([k for k, _ in index])
    w = np.array([n for _, n in index])

    grid = np.concatenate([[0.0], np.geomspace(1e-2, lam_max, 25)])
    sols = _trace(ag, grid, tol=tol, partial=True)
    grid = grid[:len(sols)]
    ll = np.array([float(w @ s[pos]) for s in sols])
    best = int(np.argmax(ll))
    if best == len(sols) - 1 and len(sols) < 26:
        raise SolverError(f"fit_agent_qre: the branch could not be followed beyond λ = "
                          f"{grid[-1]:.4g} and the likelihood was still rising there")
    points = list(zip(grid.tolist(), ll.tolist(), strict=True))
    lam_hat, ll_hat, x_hat = float(grid[best]), float(ll[best]), sols[best]
    if 0 < best < len(grid) - 1:
        cache = {}

        def neg(t: float) -> float:
            lam = float(np.exp(t))
            start = sols[best - 1] if lam < grid[best] else sols[best]
            y = _newton(ag, start, lam, tol=tol)
            if y is None:
                y = _trace(ag, np.array([lam]), tol=tol)[0]
            cache[t] = y
            value = float(w @ y[pos])
            points.append((lam, value))
            return -value

        res = minimize_scalar(neg, bracket=None,
                              bounds=(np.log(grid[best - 1] if best > 1 else 1e-3),
                                      np.log(grid[best + 1])), method="bounded",
                              options={"xatol": 1e-6})
        if -res.fun > ll_hat:
            lam_hat, ll_hat, x_hat = float(np.exp(res.x)), float(-res.fun), cache[res.x]
    import pandas as pd

    prof = pd.DataFrame(sorted(points), columns=["lambda", "loglik"])
    return AgentQREFit(lam=lam_hat, loglik=ll_hat, loglik_uniform=float(ll[0]),
                       behaviour=_behaviour_dicts(ag, x_hat), profile=prof)
