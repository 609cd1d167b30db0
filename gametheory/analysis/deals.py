"""The dispute's deal space: which packages of staff numbers, restrictions and seized
property the two sides could sign, what each is worth to each side under the model's
weights, and where the two proposals of late 2021 lie in it.

A deal is a standing state of the dispute - each mission's size, the restrictions in
force against each side, whether each side's property is still held by the other - and
its value to a side is the per-turn utility of the dynamic game
(:func:`~gametheory.analysis.dispute_game`) in that state when nobody moves:
``mission_value * own staff - parity_weight * baseline * (other's share - own share)
- restriction_cost * restrictions on it - property_value * (own property held)``,
with the weights of the parameters file or any other (a fit, posterior draws). The
disagreement point is the standoff at ``state_date``. Lotteries between deals are not
allowed (a package cannot be half signed), so the solutions are deals.

The packages (:data:`PACKAGES`, the same for every dispute) are codings of what was
said in the US-Russia dispute, with their sources:

* **Zero all** - Lavrov to Blinken, OSCE Stockholm, 2 Dec 2021: "simply nullify all
  restrictions" (RU «обнулить все вот эти ограничения»): both missions back to their
  baselines, every restriction lifted, seized property returned.
* **Parity** - State Department spokesman Price, Oct 2021 (Nuland in Moscow): "We
  expect parity on staffing numbers and we expect visa reciprocity": equal mission
  sizes and the restrictions lifted both ways; the seized compounds are not part of the
  demand and stay held. Equal at *what* number is a coding choice: at the smaller
  baseline (455, the 2017 cap's parity) or at Russia's count at the state date.

Sources: ``../shared/reference/us_russia_timeline.md`` rows 25 and 32 (uawire.org,
newspm.com, prudentpressagency.com; urdupoint.com 2021-12-02, usa.one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ParameterError, ShapeError
from ..games.bargaining import BargainingProblem

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .calibration import Calibration
    from .posterior import WeightPosterior

__all__ = ["PACKAGES", "DisputeDeals", "dispute_deals"]

#: The proposals located in the deal space. Values: ``"baseline"``, ``"state"`` (as at
#: ``state_date``), ``"equal at smaller baseline"``, ``"equal at second's state"``, a
#: number; property ``"returned"`` or ``"held"`` (as at the state date).
PACKAGES: dict[str, dict[str, Any]] = {
    "Zero all": {
        "staff": "baseline", "restrictions": 0, "property": "returned",
        "source": "US-Russia: Lavrov to Blinken, OSCE Stockholm, 2 Dec 2021 (timeline row "
                  "32)"},
    "Parity at the smaller baseline": {
        "staff": "equal at smaller baseline", "restrictions": 0, "property": "held",
        "source": "US-Russia: Price, Oct 2021, 'parity on staffing numbers ... visa "
                  "reciprocity' (timeline row 25); there 455, the 2017 cap's parity"},
    "Parity at the second side's size": {
        "staff": "equal at second's state", "restrictions": 0, "property": "held",
        "source": "as above, parity at the second side's mission size at the state date "
                  "(US-Russia: Russia's 400)"},
}


def _deal_utilities(S: np.ndarray, R: np.ndarray, P: np.ndarray, B: np.ndarray,
                    theta: np.ndarray) -> np.ndarray:
    """Per-turn utility of standing states (..., 2) under weights ``theta`` (2,
    features) or (draws, 2, features): (..., 2) or (draws, ..., 2). The features are
    those of the dynamic game with nobody moving (no loss, concession or own cost)."""
    from .parameters import FEATURES

    share = S / B
    F = np.zeros((*S.shape, len(FEATURES)))
    F[..., FEATURES.index("mission_value")] = S
    F[..., FEATURES.index("parity_weight")] = -B * (share[..., ::-1] - share)
    F[..., FEATURES.index("restriction_cost")] = -R
    F[..., FEATURES.index("property_value")] = -P
    if theta.ndim == 2:
        return np.einsum("...pf,pf->...p", F, theta)
    return np.einsum("...pf,dpf->d...p", F, theta)


@dataclass(frozen=True, eq=False)
class DisputeDeals:
    """The deal space of a dispute (:func:`dispute_deals`).

    Attributes
    ----------
    problem : BargainingProblem
        Every deal's utilities (per turn) and the standoff as disagreement point.
    issues : DataFrame
        One row per deal: ``staff_<side>``, ``restrictions_on_<side>``,
        ``property_held_<side>``.
    packages : dict
        Package name -> its deal label in ``problem``.
    """

    problem: BargainingProblem
    issues: Any = field(repr=False)
    packages: dict[str, str]
    players: tuple[str, str]
    baseline: np.ndarray = field(repr=False)
    #: The disagreement state: staff, restrictions on each side, property held (arrays).
    standoff: tuple = field(repr=False, default=())
    sources: dict[str, str] = field(default_factory=dict, repr=False)

    def _arrays(self):
        p = self.players
        t = self.issues
        S = t[[f"staff_{x}" for x in p]].to_numpy(float)
        R = t[[f"restrictions_on_{x}" for x in p]].to_numpy(float)
        P = t[[f"property_held_{x}" for x in p]].to_numpy(float)
        return S, R, P

    def positions(self) -> pd.DataFrame:
        """Where each package lies: its utilities, each side's gain over the standoff
        and whether both gain, whether it is Pareto optimal among all the deals (ties
        count as optimal: a deal is dominated only by one at least as good for both and
        better for one) and how many deals dominate it, and its distance (in utility per
        turn) to the frontier - the nearest Pareto-optimal deal that both sides prefer
        to the standoff - and to each bargaining solution."""
        import pandas as pd

        from ..solvers.bargaining import bargaining_solutions

        prob = self.problem
        sol = bargaining_solutions(prob)
        dist = sol.distances(list(self.packages.values())).drop(columns="deal")
        U, d = prob.utilities, prob.disagreement
        rows = []
        for name, lab in self.packages.items():
            u = U[prob.labels.index(lab)]
            dom = np.all(U >= u - 1e-9, axis=1) & np.any(U > u + 1e-9, axis=1)
            rows.append({"package": name, "deal": lab, self.players[0]: u[0],
                         self.players[1]: u[1], f"gain {self.players[0]}": u[0] - d[0],
                         f"gain {self.players[1]}": u[1] - d[1],
                         "both gain": bool(np.all(u >= d - 1e-9)),
                         "pareto optimal": not dom.any(), "dominated by": int(dom.sum())})
        return pd.concat([pd.DataFrame(rows), dist.reset_index(drop=True)], axis=1)

    def solutions(self):
        """The Nash, Kalai-Smorodinsky, egalitarian and utilitarian deals
        (:func:`~gametheory.solvers.bargaining.bargaining_solutions`)."""
        from ..solvers.bargaining import bargaining_solutions

        return bargaining_solutions(self.problem)

    def over_posterior(self, posterior: WeightPosterior) -> pd.DataFrame:
        """The packages' positions as posterior probabilities: for each package, the
        posterior probability that it is Pareto optimal, that it is individually
        rational for both sides (each gains over the standoff), and that it is the
        package nearest the Nash bargaining solution (ties shared equally), each with
        Wilson's 95 % interval at the effective number of draws (so unanimity of few
        draws is not read as certainty). Every draw prices every deal with its own
        weights (:attr:`WeightPosterior.thetas`)."""
        import pandas as pd

        S, R, P = self._arrays()
        lab = list(self.problem.labels)
        rows_pkg = [lab.index(v) for v in self.packages.values()]
        theta = np.asarray(posterior.thetas, dtype=float)
        U = _deal_utilities(S, R, P, self.baseline, theta)             # (draws, deals, 2)
        S0, R0, P0 = self.standoff
        d = _deal_utilities(S0[None], R0[None], P0[None], self.baseline, theta)[:, 0]
        w = np.asarray(posterior.weights, dtype=float)
        gains = U - d[:, None, :]
        ir = np.all(gains >= 0, axis=2)
        prod = np.where(ir, gains[..., 0] * gains[..., 1], -np.inf)
        nash = U[np.arange(len(w)), np.argmax(prod, axis=1)]             # (draws, 2)
        out = {name: {"pareto": 0.0, "rational": 0.0, "nearest": 0.0} for name in
               self.packages}
        for k in range(len(w)):
            if w[k] == 0:
                continue
            dist = []
            for name, r in zip(self.packages, rows_pkg, strict=True):
                u = U[k, r]
                dom = np.all(U[k] >= u - 1e-9, axis=1) & np.any(U[k] > u + 1e-9, axis=1)
                out[name]["pareto"] += w[k] * (not dom.any())
                out[name]["rational"] += w[k] * bool(ir[k, r])
                dist.append(float(np.linalg.norm(u - nash[k])))
            dist = np.array(dist)
            near = np.isclose(dist, dist.min(), rtol=1e-9, atol=1e-9)
            for name, is_near in zip(self.packages, near, strict=True):
                out[name]["nearest"] += w[k] * is_near / near.sum()
        from .posterior import _wilson

        ess = float(1.0 / np.sum(w ** 2))
        rows = []
        for n, v in out.items():
            row = {"package": n}
            for key, label in (("pareto", "pareto optimal"),
                               ("rational", "both gain over the standoff"),
                               ("nearest", "nearest the Nash solution")):
                lo, hi = _wilson(float(v[key]), ess)
                row[f"P({label})"] = float(v[key])
                row[f"{label}: 95% low"], row[f"{label}: 95% high"] = lo, hi
            row["effective draws"] = ess
            rows.append(row)
        return pd.DataFrame(rows)

    def plot(self, ax=None, *, solutions: bool = True):
        """The deals in utility space (grey), the frontier of the deals both sides
        prefer to the standoff, the standoff, the packages and (``solutions``) the
        bargaining solutions. Returns the Axes."""
        import matplotlib.pyplot as plt

        from .._format import PALETTE
        from ..solvers.bargaining import pareto_frontier

        if ax is None:
            _, ax = plt.subplots(figsize=(9, 5), layout="constrained")
        prob = self.problem
        U, d = prob.utilities, prob.disagreement
        a, b = self.players
        ax.scatter(U[:, 0], U[:, 1], s=6, color="0.75", label="deals", zorder=1)
        front = U[pareto_frontier(prob)]
        if len(front):
            front = front[np.argsort(front[:, 0])]
            ax.plot(front[:, 0], front[:, 1], color=PALETTE[0], lw=0.8, marker=".",
                    label="Pareto-optimal deals both prefer to the standoff", zorder=2)
        ax.scatter([d[0]], [d[1]], marker="s", s=60, color=PALETTE[7], label="standoff",
                   zorder=4)
        for k, (name, lab) in enumerate(self.packages.items()):
            u = U[prob.labels.index(lab)]
            ax.scatter([u[0]], [u[1]], marker="o^v"[k % 3], s=80, color=PALETTE[1 + k % 3],
                       edgecolor=PALETTE[7], label=name, zorder=5)
        if solutions:
            t = self.solutions().table
            for k, (_, row) in enumerate(t.iterrows()):     # coinciding ones stay visible
                ax.scatter([row[a]], [row[b]], marker="x+1*"[k % 4], s=90 - 15 * k,
                           color=PALETTE[(4, 5, 6, 7)[k % 4]],
                           label=f"{row['solution']} solution", zorder=6)
        ax.axvline(d[0], color="0.6", lw=0.8, ls=":")
        ax.axhline(d[1], color="0.6", lw=0.8, ls=":")
        ax.set_xlabel(f"{a}: utility per turn")
        ax.set_ylabel(f"{b}: utility per turn")
        ax.set_title("Packages against the standoff")
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        return ax

    def _repr_html_(self) -> str:
        from .._format import frame_html

        return frame_html(self.positions(), f"{self.problem.n_deals} deals; the packages "
                                            "against the standoff")


def _grid(a: float, b: float, steps: int, extra: Sequence[float]) -> np.ndarray:
    lo, hi = min(a, b), max(a, b)
    return np.unique(np.round(np.concatenate([np.linspace(lo, hi, steps),
                                              np.asarray(extra, float)]), 9))


def dispute_deals(cal: Calibration, *, theta: np.ndarray | None = None,
                  packages: dict[str, dict[str, Any]] | None = None, staff_steps: int = 6,
                  restriction_steps: int = 4) -> DisputeDeals:
    """The dispute's deal space with the proposals placed in it.

    Parameters
    ----------
    cal : Calibration
    theta : ndarray, shape (2, features), optional
        Weights of :data:`~gametheory.analysis.dynamic.FEATURES` per side (default: the
        parameters file's, :func:`~gametheory.analysis.dynamic.feature_weights`; a fit's
        through :func:`~gametheory.analysis.estimation.fit_theta`).
    packages : dict, optional
        Name -> issues (see :data:`PACKAGES`, the default).
    staff_steps, restriction_steps : int
        Points of each side's mission size between its size at the state date and its
        baseline, and of the restrictions against it between 0 and their count at the
        state date (the packages' values are added).

    Returns
    -------
    DisputeDeals

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> deals = dispute_deals(calibrate())
    >>> deals.problem.n_deals
    3072
    >>> deals.positions()[["package", "pareto optimal"]].values.tolist()[0]
    ['Zero all', True]
    """
    import pandas as pd

    from .dynamic import _seized, feature_weights
    from .parameters import FEATURES

    players = cal.players
    B = np.array([cal.params.missions[p].baseline for p in players], dtype=float)
    S0, R0 = (np.asarray(x, dtype=float) for x in cal.state_.as_arrays())
    P0 = np.array(_seized(cal), dtype=float)
    theta = feature_weights(cal.params) if theta is None else np.asarray(theta, float)
    if theta.shape != (2, len(FEATURES)) or not np.isfinite(theta).all():
        raise ShapeError(f"theta must be finite weights of shape (2, {len(FEATURES)}) "
                         f"({', '.join(FEATURES)}), got {theta.shape}")
    for name, n in (("staff_steps", staff_steps), ("restriction_steps", restriction_steps)):
        if not (isinstance(n, int) and 2 <= n <= 50):
            raise ParameterError(f"{name} must be an integer in [2, 50], got {n!r}", key=name)
    packages = dict(PACKAGES if packages is None else packages)

    def resolve(spec: dict[str, Any], where: str):
        unknown = set(spec) - {"staff", "restrictions", "property", "source"}
        if unknown:
            raise ParameterError(f"package {where!r}: unknown issue(s) {sorted(unknown)}; "
                                 "use staff, restrictions, property, source", key=where)
        st = spec.get("staff", "state")
        if st == "baseline":
            S = B.copy()
        elif st == "state":
            S = S0.copy()
        elif st == "equal at smaller baseline":
            S = np.full(2, B.min())
        elif st == "equal at second's state":
            S = np.full(2, S0[1])
        elif isinstance(st, int | float) or (isinstance(st, Sequence) and len(st) == 2):
            S = np.broadcast_to(np.asarray(st, dtype=float), (2,)).copy()
        else:
            raise ParameterError(f"package {where!r}: staff {st!r} is not 'baseline', "
                                 "'state', 'equal at smaller baseline', \"equal at second's "
                                 "state\" or numbers", key=where)
        if np.any(S < 0) or np.any(S > B):
            raise ParameterError(f"package {where!r}: staff {S.tolist()} outside 0..baseline "
                                 f"{B.tolist()}", key=where)
        r = spec.get("restrictions", "state")
        R = R0.copy() if r == "state" else np.broadcast_to(np.asarray(r, float), (2,)).copy()
        if np.any(R < 0):
            raise ParameterError(f"package {where!r}: negative restrictions", key=where)
        prop = spec.get("property", "held")
        if prop not in ("held", "returned"):
            raise ParameterError(f"package {where!r}: property {prop!r} is not 'held' or "
                                 "'returned'", key=where)
        P = P0.copy() if prop == "held" else np.zeros(2)
        return S, R, P

    resolved = {name: resolve(spec, name) for name, spec in packages.items()}
    sgrid = [_grid(S0[i], B[i], staff_steps, [v[0][i] for v in resolved.values()])
             for i in range(2)]
    rgrid = [_grid(0.0, R0[i], restriction_steps, [v[1][i] for v in resolved.values()])
             for i in range(2)]
    pgrid = [np.unique([0.0, P0[i]]) for i in range(2)]
    mesh = np.meshgrid(*sgrid, *rgrid, *pgrid, indexing="ij")
    flat = [m.ravel() for m in mesh]
    S = np.stack(flat[0:2], axis=1)
    R = np.stack(flat[2:4], axis=1)
    P = np.stack(flat[4:6], axis=1)
    U = _deal_utilities(S, R, P, B, theta)
    d = _deal_utilities(S0[None], R0[None], P0[None], B, theta)[0]

    def label(s, r, p) -> str:
        held = ",".join(x for x, h in zip(players, p, strict=True) if h) or "none"
        return (f"{players[0]} {s[0]:g} {players[1]} {s[1]:g} | restrictions on "
                f"{players[0]} {r[0]:g}, on {players[1]} {r[1]:g} | property held: {held}")

    labels = [label(s, r, p) for s, r, p in zip(S, R, P, strict=True)]
    pkg_labels = {name: label(*v) for name, v in resolved.items()}
    issues = pd.DataFrame({**{f"staff_{x}": S[:, i] for i, x in enumerate(players)},
                           **{f"restrictions_on_{x}": R[:, i] for i, x in enumerate(players)},
                           **{f"property_held_{x}": P[:, i].astype(bool)
                              for i, x in enumerate(players)}})
    problem = BargainingProblem(U, d, labels=labels, players=players, convex=False,
                                title=f"{' - '.join(players)}: packages against the standoff "
                                      f"of {cal.params.state_date}")
    return DisputeDeals(problem=problem, issues=issues, packages=pkg_labels, players=players,
                        baseline=B, standoff=(S0, R0, P0),
                        sources={n: str(s.get("source", "")) for n, s in packages.items()})
