"""Evolutionary dynamics over a payoff matrix: Moran process and replicator dynamics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .._random import as_generator
from ..errors import ProfileError

__all__ = ["MoranResult", "ReplicatorResult", "fixation_probability", "moran_process",
           "replicator_dynamics"]


def _matrix(payoffs) -> np.ndarray:
    M = np.asarray(getattr(payoffs, "payoff_matrix", payoffs), dtype=float)
    if M.ndim != 2 or M.shape[0] != M.shape[1] or not np.all(np.isfinite(M)):
        raise ProfileError(f"need a finite square payoff matrix, got shape {M.shape}")
    return M


def fixation_probability(payoffs, mutant: int, resident: int, population: int, *,
                         intensity: float = 1.0) -> float:
    """Exact probability that one ``mutant`` takes over a population of ``resident``.

    Frequency-dependent Moran process with fitness ``1 - w + w * (average payoff
    against the others)`` (Nowak, Sasaki, Taylor & Fudenberg 2004, *Nature*
    428:646-650): ``rho = 1 / (1 + sum_k prod_{j<=k} g_j / f_j)``. Neutral
    drift gives 1/N.

    Examples
    --------
    >>> round(fixation_probability([[1, 1], [1, 1]], 0, 1, 10), 12)
    0.1
    """
    M = _matrix(payoffs)
    N = int(population)
    if N < 2:
        raise ProfileError(f"population must be at least 2, got {population}")
    if not 0 <= intensity <= 1:
        raise ProfileError(f"intensity must be in [0, 1], got {intensity}")
    a, b = M[mutant, mutant], M[mutant, resident]
    c, d = M[resident, mutant], M[resident, resident]
    j = np.arange(1, N)
    f = 1 - intensity + intensity * (a * (j - 1) + b * (N - j)) / (N - 1)
    g = 1 - intensity + intensity * (c * j + d * (N - j - 1)) / (N - 1)
    with np.errstate(divide="ignore", invalid="ignore"):  # zero fitness: the mutant cannot win
        ratios = np.cumprod(np.where(f > 0, g / np.where(f > 0, f, 1), np.inf))
        return float(1.0 / (1.0 + ratios.sum()))


@dataclass
class MoranResult:
    """Population counts over time and who fixed."""

    counts: np.ndarray  # (steps + 1, n_types)
    labels: list[str]
    fixed: str | None = None

    def plot(self, ax=None):
        """Shares of each type over time. Returns the Axes."""
        import matplotlib.pyplot as plt

        from .._format import series_style

        if ax is None:
            _, ax = plt.subplots()
        shares = self.counts / self.counts.sum(axis=1, keepdims=True)
        for k, lab in enumerate(self.labels):
            ax.plot(shares[:, k], label=lab, **series_style(k))
        ax.set_xlabel("step")
        ax.set_ylabel("share")
        ax.legend(fontsize=8)
        return ax

    def _repr_html_(self) -> str:
        from .._format import fields_html

        last = np.asarray(self.counts)[-1]
        return fields_html("Moran process",
                           [("steps", len(self.counts) - 1),
                            ("final counts", dict(zip(self.labels, last.tolist(), strict=True))),
                            ("fixed", self.fixed)])


def moran_process(payoffs, counts: Sequence[int], *, labels: Sequence[str] | None = None,
                  intensity: float = 1.0, max_steps: int = 100_000, seed=None) -> MoranResult:
    """Simulate a frequency-dependent Moran process until one type fixes.

    Each step one individual reproduces with probability proportional to its
    fitness ``1 - w + w * (average payoff against the others)`` and replaces a
    uniformly chosen individual.
    """
    M = _matrix(payoffs)
    x = np.asarray(counts, dtype=np.int64).copy()
    if x.shape != (M.shape[0],) or np.any(x < 0) or x.sum() < 2:
        raise ProfileError(f"counts must give each of the {M.shape[0]} types a count >= 0 "
                           f"summing to at least 2, got {list(counts)}")
    rng = as_generator(seed)
    N = int(x.sum())
    names = list(labels) if labels is not None else list(getattr(payoffs, "players",
                                                                 range(M.shape[0])))
    names = [str(s) for s in names]
    history = [x.copy()]
    for _ in range(max_steps):
        if (x > 0).sum() == 1:
            break
        avg = (M @ x - np.diag(M)) / (N - 1)
        fit = (1 - intensity + intensity * avg) * x
        fit = np.clip(fit, 0, None)
        total = fit.sum()
        probs = fit / total if total > 0 else x / N
        born = rng.choice(len(x), p=probs)
        died = rng.choice(len(x), p=x / N)
        x[born] += 1
        x[died] -= 1
        history.append(x.copy())
    fixed = names[int(np.argmax(x))] if (x > 0).sum() == 1 else None
    return MoranResult(np.array(history), names, fixed)


@dataclass
class ReplicatorResult:
    """Shares of each strategy over time under the replicator dynamics."""

    times: np.ndarray
    shares: np.ndarray  # (len(times), n)
    labels: list[str] = field(default_factory=list)

    @property
    def final(self) -> np.ndarray:
        return self.shares[-1]

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(self.shares, index=pd.Index(self.times, name="t"),
                            columns=self.labels)

    def plot(self, ax=None):
        """Shares over time. Returns the Axes."""
        import matplotlib.pyplot as plt

        from .._format import series_style

        if ax is None:
            _, ax = plt.subplots()
        for k, lab in enumerate(self.labels):
            ax.plot(self.times, self.shares[:, k], label=lab, **series_style(k))
        ax.set_xlabel("time")
        ax.set_ylabel("share")
        ax.legend(fontsize=8)
        return ax

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html("Replicator dynamics",
                           [("time", float(self.times[-1])),
                            ("final shares", {k: round(float(v), 4) for k, v
                                              in zip(self.labels, self.final, strict=True)})])


def replicator_dynamics(payoffs, x0: Sequence[float] | None = None, *, t_max: float = 100.0,
                        n_points: int = 201, labels: Sequence[str] | None = None
                        ) -> ReplicatorResult:
    """Integrate ``dx_i/dt = x_i ((Mx)_i - x.Mx)`` (Taylor & Jonker 1978) with SciPy.

    Examples
    --------
    >>> res = replicator_dynamics([[3, 0], [5, 1]], [0.9, 0.1], t_max=50)
    >>> res.final.round(3).tolist()   # defection takes over the prisoner's dilemma
    [0.0, 1.0]
    """
    from scipy.integrate import solve_ivp

    M = _matrix(payoffs)
    n = M.shape[0]
    x = np.full(n, 1.0 / n) if x0 is None else np.asarray(x0, dtype=float)
    if x.shape != (n,) or np.any(x < 0) or abs(x.sum() - 1) > 1e-9:
        raise ProfileError(f"x0 must be {n} shares >= 0 summing to 1, got {x.tolist()}")

    def rhs(_t, y):
        f = M @ y
        return y * (f - y @ f)

    times = np.linspace(0, t_max, n_points)
    sol = solve_ivp(rhs, (0, t_max), x, t_eval=times, rtol=1e-10, atol=1e-12)
    names = list(labels) if labels is not None else [str(s) for s in
                                                     getattr(payoffs, "players", range(n))]
    shares = np.clip(sol.y.T, 0, None)
    shares /= shares.sum(axis=1, keepdims=True)
    return ReplicatorResult(sol.t, shares, names)
