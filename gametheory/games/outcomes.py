"""Multi-issue outcome spaces and linear-additive utilities with reservation values.

A negotiation over a *package* - staff numbers, visas, consulates, the seized
compounds - has one :class:`Issue` per item. Each issue is discrete (a list of values)
or continuous (an interval). An :class:`OutcomeSpace` is their product. A
:class:`LinearAdditiveUtility` scores an outcome as a weighted sum of per-issue
values, ``u(o) = sum_j w_j v_j(o_j)`` with weights ``w_j >= 0`` summing to one and
each ``v_j`` in ``[0, 1]``, and carries the *reservation value* a party gets without
an agreement (Raiffa 1982; Keeney & Raiffa 1976, the additive form; NegMAS's
``LinearAdditiveUtilityFunction`` with ``reserved_value``).

:func:`bargaining_problem` turns a space and two utilities into a
:class:`~gametheory.games.BargainingProblem` whose disagreement point is the pair of
reservation values, solved by :func:`~gametheory.solvers.bargaining_solutions`:

* every issue discrete: every outcome is a deal (exact; the size is checked before
  anything is allocated);
* every issue continuous: the utility set is the image of a box under a linear map, a
  zonotope - convex, with at most ``2k`` vertices for ``k`` issues, each the image of a
  box corner. The problem is the convex hull of those corners (``convex=True``), which
  is exact: along an edge of a zonotope only one issue moves (generically), so every
  point of the frontier is an actual outcome, and a solution's lottery between two
  corners reads as that outcome (:meth:`BargainingProblem.outcome_at`);
* mixed: the continuous issues are discretised on ``steps`` points each (stated in
  the problem's title; an approximation).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validate import check_count
from ..errors import InputLimitError, PayoffError, ShapeError
from .bargaining import BargainingProblem

__all__ = ["MAX_OUTCOMES", "Issue", "LinearAdditiveUtility", "OutcomeSpace",
           "bargaining_problem", "zonotope_corners"]

#: Largest number of outcomes a space is enumerated to.
MAX_OUTCOMES = 2_000_000


@dataclass(frozen=True)
class Issue:
    """One negotiated item: discrete ``values`` or a continuous interval ``bounds``.

    Examples
    --------
    >>> Issue("consulates", values=("closed", "reopened")).size
    2
    >>> Issue("staff cap", bounds=(120, 455)).discrete
    False
    """

    name: str
    values: tuple = ()
    bounds: tuple[float, float] | None = None

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise ShapeError(f"an issue needs a non-empty name, got {self.name!r}")
        vals = tuple(self.values)
        if self.bounds is None:
            if not vals:
                raise ShapeError(f"issue {self.name!r}: give values (discrete) or bounds "
                                 "(continuous)")
            if len(set(map(repr, vals))) != len(vals):
                raise ShapeError(f"issue {self.name!r}: values must be distinct, got {vals!r}")
        else:
            if vals:
                raise ShapeError(f"issue {self.name!r}: values and bounds both given; an "
                                 "issue is discrete or continuous")
            try:
                lo, hi = (float(b) for b in self.bounds)
            except (TypeError, ValueError):
                raise ShapeError(f"issue {self.name!r}: bounds must be two numbers, got "
                                 f"{self.bounds!r}") from None
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise ShapeError(f"issue {self.name!r}: bounds must be finite with low < "
                                 f"high, got {self.bounds!r}")
            object.__setattr__(self, "bounds", (lo, hi))
        object.__setattr__(self, "values", vals)

    @classmethod
    def integers(cls, name: str, low: int, high: int) -> Issue:
        """A discrete issue over the whole numbers ``low..high``."""
        n = check_count(f"issue {name!r}: number of values", high - low + 1,
                        maximum=MAX_OUTCOMES)
        return cls(name, values=tuple(range(int(low), int(low) + n)))

    @property
    def discrete(self) -> bool:
        return self.bounds is None

    @property
    def size(self) -> float:
        """Number of values (``inf`` for a continuous issue)."""
        return len(self.values) if self.discrete else math.inf

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html(f"Issue {self.name!r}", [
            ("kind", "discrete" if self.discrete else "continuous"),
            ("values" if self.discrete else "bounds",
             list(self.values) if self.discrete else list(self.bounds))])


@dataclass(frozen=True)
class OutcomeSpace:
    """The product of the issues: one value of each is an outcome.

    Examples
    --------
    >>> space = OutcomeSpace([Issue("visas", values=("suspended", "restored")),
    ...                       Issue.integers("consulates", 0, 2)])
    >>> space.size, space.labels()[:2]
    (6, ['visas=suspended; consulates=0', 'visas=suspended; consulates=1'])
    """

    issues: tuple[Issue, ...]

    def __post_init__(self):
        issues = tuple(self.issues)
        if not issues:
            raise ShapeError("an outcome space needs at least one issue")
        for k, i in enumerate(issues):
            if not isinstance(i, Issue):
                raise ShapeError(f"issue {k} is a {type(i).__name__}, not an Issue")
        names = [i.name for i in issues]
        if len(set(names)) != len(names):
            raise ShapeError(f"issue names must be distinct, got {names}")
        object.__setattr__(self, "issues", issues)

    @property
    def names(self) -> list[str]:
        return [i.name for i in self.issues]

    @property
    def discrete(self) -> bool:
        return all(i.discrete for i in self.issues)

    @property
    def size(self) -> float:
        return math.prod(i.size for i in self.issues)

    def index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            from ..errors import UnknownNameError

            raise UnknownNameError("issue", name, self.names) from None

    def outcomes(self, *, max_outcomes: int = MAX_OUTCOMES) -> np.ndarray:
        """Every outcome as value indices, shape (size, issues), the last issue fastest.
        The size is checked against ``max_outcomes`` before allocating."""
        if not self.discrete:
            raise ShapeError("a space with a continuous issue has no finite list of outcomes; "
                             "use bargaining_problem(..., steps=) to discretise it")
        if self.size > max_outcomes:
            raise InputLimitError(f"the outcome space has {self.size:,} outcomes, more than "
                                  f"max_outcomes={max_outcomes:,}")
        sizes = [len(i.values) for i in self.issues]
        grids = np.indices(sizes).reshape(len(sizes), -1).T
        return np.ascontiguousarray(grids)

    def labels(self, outcomes: np.ndarray | None = None) -> list[str]:
        """``"issue=value; ..."`` for each outcome (all of them by default)."""
        idx = self.outcomes() if outcomes is None else np.asarray(outcomes)
        return ["; ".join(f"{i.name}={i.values[int(v)]}" for i, v in zip(self.issues, row,
                                                                       strict=True))
                for row in idx]

    def to_frame(self, outcomes: np.ndarray | None = None):
        """One row per outcome, one column per issue."""
        import pandas as pd

        idx = self.outcomes() if outcomes is None else np.asarray(outcomes)
        return pd.DataFrame({i.name: [i.values[int(v)] for v in idx[:, k]]
                             for k, i in enumerate(self.issues)})

    def _repr_html_(self) -> str:
        from .._format import table_html

        rows = [[i.name, "discrete" if i.discrete else "continuous",
                 ", ".join(map(str, i.values)) if i.discrete else f"[{i.bounds[0]:g}, "
                 f"{i.bounds[1]:g}]"] for i in self.issues]
        return table_html(["issue", "kind", "values"], rows,
                          caption=f"Outcome space: {len(self.issues)} issues, "
                                  f"{self.size:,} outcomes")


ValueSpec = Mapping[Any, float] | Sequence[float] | str | tuple[float, float] | Callable


@dataclass(frozen=True, eq=False)
class LinearAdditiveUtility:
    """``u(o) = sum_j w_j v_j(o_j)``, each ``v_j`` in [0, 1], weights >= 0 summing to 1.

    Parameters
    ----------
    space : OutcomeSpace
    weights : sequence of float or {issue: weight}
        One non-negative weight per issue; normalised to sum to one (all zero is an
        error).
    values : sequence or {issue: spec}
        Per issue: for a discrete issue ``{value: score}`` or a sequence of scores in
        the order of ``issue.values``; for a continuous issue ``"increasing"``,
        ``"decreasing"`` (linear over the bounds), or the scores ``(at low, at high)``.
        Scores must lie in [0, 1].
    reserved_value : float
        What this party gets with no agreement.

    Examples
    --------
    >>> space = OutcomeSpace([Issue("visas", values=("suspended", "restored")),
    ...                       Issue("staff", bounds=(0, 100))])
    >>> u = LinearAdditiveUtility(space, [3, 1], [{"suspended": 0, "restored": 1},
    ...                                           "increasing"], reserved_value=0.2)
    >>> u({"visas": "restored", "staff": 50})
    0.875
    """

    space: OutcomeSpace
    weights: Any
    values: Any
    reserved_value: float = 0.0
    name: str = ""
    _tables: tuple = field(default=(), repr=False)

    def __post_init__(self):
        space = self.space
        if not isinstance(space, OutcomeSpace):
            raise ShapeError(f"space must be an OutcomeSpace, got {type(space).__name__}")
        w = self._per_issue(self.weights, "weights")
        try:
            w = np.array([float(x) for x in w])
        except (TypeError, ValueError):
            raise PayoffError(f"weights must be numbers, got {self.weights!r}") from None
        if not np.all(np.isfinite(w)) or np.any(w < 0):
            raise PayoffError(f"weights must be finite and >= 0, got {w.tolist()}")
        if w.sum() <= 0:
            raise PayoffError("at least one weight must be positive")
        w = w / w.sum()
        specs = self._per_issue(self.values, "values")
        tables = []
        for issue, spec in zip(space.issues, specs, strict=True):
            tables.append(_value_table(issue, spec))
        r = float(self.reserved_value)
        if not math.isfinite(r):
            raise PayoffError(f"reserved_value must be finite, got {self.reserved_value!r}")
        w.setflags(write=False)
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "reserved_value", r)
        object.__setattr__(self, "_tables", tuple(tables))

    def _per_issue(self, spec, what: str) -> list:
        names = self.space.names
        if isinstance(spec, Mapping):
            unknown = [n for n in spec if n not in names]
            if unknown:
                self.space.index(unknown[0])
            missing = [n for n in names if n not in spec]
            if missing:
                raise ShapeError(f"{what}: no entry for issue(s) {missing}")
            return [spec[n] for n in names]
        seq = list(spec)
        if len(seq) != len(names):
            raise ShapeError(f"{what}: {len(seq)} entries for {len(names)} issues {names}")
        return seq

    def issue_values(self, j: int, idx: np.ndarray) -> np.ndarray:
        """v_j at value indices (discrete issue) or at points (continuous issue)."""
        table = self._tables[j]
        if self.space.issues[j].discrete:
            return table[np.asarray(idx, dtype=int)]
        lo, hi = self.space.issues[j].bounds
        t = (np.asarray(idx, dtype=float) - lo) / (hi - lo)
        return table[0] + (table[1] - table[0]) * t

    def utilities(self, outcomes: np.ndarray) -> np.ndarray:
        """Utility of each outcome (rows of value indices, or of points for
        continuous issues), vectorised."""
        X = np.atleast_2d(np.asarray(outcomes))
        if X.shape[1] != len(self.space.issues):
            raise ShapeError(f"outcomes need {len(self.space.issues)} columns, got "
                             f"{X.shape[1]}")
        total = np.zeros(len(X))
        for j in range(X.shape[1]):
            total += self.weights[j] * self.issue_values(j, X[:, j])
        return total

    def __call__(self, outcome: Mapping[str, Any] | Sequence[Any]) -> float:
        """Utility of one outcome given as ``{issue: value}`` or values in issue order."""
        if isinstance(outcome, Mapping):
            vals = self._per_issue(outcome, "outcome")
        else:
            vals = list(outcome)
            if len(vals) != len(self.space.issues):
                raise ShapeError(f"an outcome has {len(self.space.issues)} values, got "
                                 f"{len(vals)}")
        row = []
        for issue, v in zip(self.space.issues, vals, strict=True):
            if issue.discrete:
                if v not in issue.values:
                    from ..errors import UnknownNameError

                    raise UnknownNameError(f"value of issue {issue.name!r}", repr(v),
                                           [repr(x) for x in issue.values])
                row.append(issue.values.index(v))
            else:
                lo, hi = issue.bounds
                if not lo <= float(v) <= hi:
                    raise PayoffError(f"issue {issue.name!r}: {v!r} outside [{lo:g}, {hi:g}]")
                row.append(float(v))
        return float(self.utilities(np.array([row], dtype=float))[0])


    def _repr_html_(self) -> str:
        from .._format import table_html

        rows = []
        for issue, w, table in zip(self.space.issues, self.weights, self._tables,
                                   strict=True):
            if issue.discrete:
                scores = ", ".join(f"{v}: {t:.3g}" for v, t in zip(issue.values, table,
                                                                    strict=True))
            else:
                scores = f"{table[0]:.3g} at {issue.bounds[0]:g} .. {table[1]:.3g} at " \
                         f"{issue.bounds[1]:g} (linear)"
            rows.append([issue.name, f"{w:.3g}", scores])
        return table_html(["issue", "weight", "scores"], rows,
                          caption=f"Linear-additive utility {self.name}".rstrip()
                                  + f"; reservation value {self.reserved_value:g}")


def _value_table(issue: Issue, spec: ValueSpec) -> np.ndarray:
    if issue.discrete:
        n = len(issue.values)
        if isinstance(spec, Mapping):
            unknown = [v for v in spec if v not in issue.values]
            if unknown:
                raise ShapeError(f"issue {issue.name!r}: scores for unknown value(s) "
                                 f"{unknown!r}; values are {issue.values!r}")
            missing = [v for v in issue.values if v not in spec]
            if missing:
                raise ShapeError(f"issue {issue.name!r}: no score for value(s) {missing!r}")
            scores = [spec[v] for v in issue.values]
        elif isinstance(spec, str):
            if spec not in ("increasing", "decreasing"):
                raise ShapeError(f"issue {issue.name!r}: unknown value rule {spec!r} "
                                 "(increasing, decreasing, or scores)")
            ramp = np.linspace(0.0, 1.0, n) if n > 1 else np.ones(1)
            scores = ramp if spec == "increasing" else ramp[::-1]
        else:
            scores = list(spec)
            if len(scores) != n:
                raise ShapeError(f"issue {issue.name!r}: {len(scores)} scores for {n} values")
    else:
        if isinstance(spec, str):
            if spec not in ("increasing", "decreasing"):
                raise ShapeError(f"issue {issue.name!r}: unknown value rule {spec!r} "
                                 "(increasing, decreasing, or (at low, at high))")
            scores = [0.0, 1.0] if spec == "increasing" else [1.0, 0.0]
        else:
            scores = list(spec)
            if len(scores) != 2:
                raise ShapeError(f"issue {issue.name!r} is continuous: give its scores at "
                                 "(low, high), 'increasing' or 'decreasing'")
    try:
        arr = np.array([float(s) for s in scores])
    except (TypeError, ValueError):
        raise PayoffError(f"issue {issue.name!r}: scores must be numbers") from None
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > 1):
        raise PayoffError(f"issue {issue.name!r}: scores must lie in [0, 1], got "
                          f"{arr.tolist()}")
    arr.setflags(write=False)
    return arr


def zonotope_corners(generators: np.ndarray) -> np.ndarray:
    """The box corners (0/1 rows) whose images are the vertices of the zonotope
    ``{G^T t : t in [0, 1]^k}`` in the plane, in counter-clockwise order.

    The vertex maximising direction ``d`` sets ``t_j = 1`` exactly when ``<d, g_j> >
    0``; the pattern changes only where ``d`` is perpendicular to a generator, so one
    direction between each pair of consecutive critical angles gives every vertex
    (at most ``2k``; Ziegler 1995, zonotopes).
    """
    G = np.asarray(generators, dtype=float)
    k = len(G)
    keep = np.linalg.norm(G, axis=1) > 0
    if not keep.any():
        return np.zeros((1, k), dtype=int)
    ang = np.arctan2(G[keep, 1], G[keep, 0])
    crit = np.sort(np.concatenate([ang + np.pi / 2, ang - np.pi / 2]) % (2 * np.pi))
    gaps = np.diff(np.concatenate([crit, crit[:1] + 2 * np.pi]))
    mids = crit + gaps / 2
    mids = mids[gaps > 1e-12]
    D = np.stack([np.cos(mids), np.sin(mids)], axis=1)
    T = (G @ D.T > 0).T.astype(int)
    _, first = np.unique(T, axis=0, return_index=True)
    return T[np.sort(first)]


def bargaining_problem(space: OutcomeSpace, first: LinearAdditiveUtility,
                       second: LinearAdditiveUtility, *, players: Sequence[str] = ("1", "2"),
                       steps: int | None = None, max_outcomes: int = MAX_OUTCOMES,
                       title: str = "") -> BargainingProblem:
    """The bargaining problem of two parties over ``space``: every outcome's utilities,
    the reservation values as disagreement point (see the module docstring for the
    discrete, continuous and mixed cases).

    Examples
    --------
    Split a pie of 1 (one continuous issue): linear utilities, nothing without a deal.

    >>> from gametheory.solvers import bargaining_solutions
    >>> space = OutcomeSpace([Issue("share of the first", bounds=(0, 1))])
    >>> a = LinearAdditiveUtility(space, [1], ["increasing"])
    >>> b = LinearAdditiveUtility(space, [1], ["decreasing"])
    >>> sol = bargaining_solutions(bargaining_problem(space, a, b))
    >>> sol.point("Nash").round(6).tolist()
    [0.5, 0.5]
    """
    for u in (first, second):
        if not isinstance(u, LinearAdditiveUtility):
            raise ShapeError(f"utilities must be LinearAdditiveUtility, got {type(u).__name__}")
        if u.space != space:
            raise ShapeError("both utilities must be defined on the given outcome space")
    d = [first.reserved_value, second.reserved_value]
    continuous = [not i.discrete for i in space.issues]
    if all(continuous):
        G = np.array([[first.weights[j] * (first._tables[j][1] - first._tables[j][0]),
                       second.weights[j] * (second._tables[j][1] - second._tables[j][0])]
                      for j in range(len(space.issues))])
        base = np.array([sum(first.weights[j] * first._tables[j][0]
                             for j in range(len(space.issues))),
                         sum(second.weights[j] * second._tables[j][0]
                             for j in range(len(space.issues)))])
        corners = zonotope_corners(G)
        U = base + corners @ G
        labels = ["; ".join(f"{i.name}={i.bounds[int(t)]:g}" for i, t in
                            zip(space.issues, row, strict=True)) for row in corners]
        # identical utility points (a zero generator) keep one label
        _, keep = np.unique(np.round(U, 12), axis=0, return_index=True)
        keep = np.sort(keep)
        points = np.array([[i.bounds[int(t)] for i, t in zip(space.issues, row, strict=True)]
                           for row in corners[keep]])
        return BargainingProblem(U[keep], d, labels=[labels[k] for k in keep],
                                 players=tuple(players), convex=True,
                                 title=title or "continuous linear-additive space (exact)",
                                 outcomes=points, issues=tuple(space.names))
    if any(continuous):
        if steps is None:
            raise ShapeError("a space mixing discrete and continuous issues needs steps= "
                             "(points per continuous issue) to be discretised")
        steps = check_count("steps", steps, minimum=2, maximum=10_000)
        issues = tuple(i if i.discrete else
                       Issue(i.name, values=tuple(np.linspace(*i.bounds, steps).tolist()))
                       for i in space.issues)
        grid = OutcomeSpace(issues)
        if grid.size > max_outcomes:
            raise InputLimitError(f"the discretised space has {grid.size:,} outcomes, more "
                                  f"than max_outcomes={max_outcomes:,}")
        X = grid.outcomes(max_outcomes=max_outcomes).astype(float)
        for j, i in enumerate(space.issues):
            if not i.discrete:
                X[:, j] = np.asarray(grid.issues[j].values)[X[:, j].astype(int)]
        U = np.stack([first.utilities(X), second.utilities(X)], axis=1)
        values = [[grid.issues[j].values[int(v)] for j, v in enumerate(row)]
                  for row in grid.outcomes()]
        return BargainingProblem(U, d, labels=grid.labels(grid.outcomes()),
                                 players=tuple(players),
                                 title=title or f"mixed space, continuous issues on "
                                                f"{steps} points (approximation)",
                                 outcomes=np.array(values, dtype=object),
                                 issues=tuple(space.names))
    X = space.outcomes(max_outcomes=max_outcomes)
    U = np.stack([first.utilities(X), second.utilities(X)], axis=1)
    values = np.array([[i.values[int(v)] for i, v in zip(space.issues, row, strict=True)]
                       for row in X], dtype=object)
    return BargainingProblem(U, d, labels=space.labels(X), players=tuple(players),
                             title=title, outcomes=values, issues=tuple(space.names))

