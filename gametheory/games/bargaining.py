"""Two-player bargaining problems: a set of feasible utility pairs and a disagreement
point (Nash 1950).

A :class:`BargainingProblem` is a value: the utilities of a finite list of deals
(packages, each with a label) and the disagreement point ``d``. ``convex=True`` means
lotteries over the deals are allowed, so the feasible set is their convex hull (the
textbook setting of the Nash and Kalai–Smorodinsky solutions); ``convex=False`` keeps
the deals as they are (a package cannot be half signed). The solutions are in
:mod:`gametheory.solvers.bargaining`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import PayoffError, ShapeError

__all__ = ["BargainingProblem"]


@dataclass(frozen=True, eq=False)
class BargainingProblem:
    """Deals with the two parties' utilities and the disagreement point.

    Parameters
    ----------
    utilities : array_like, shape (deals, 2)
        Each deal's utility to the first and the second party.
    disagreement : array_like, shape (2,)
        What each gets if there is no deal (the status quo, or each side's reservation
        value).
    labels : sequence of str, optional
        A name per deal (default ``"deal 0"``, ...).
    players : pair of str
    convex : bool
        Lotteries over the deals allowed (the feasible set is their convex hull).

    Examples
    --------
    >>> p = BargainingProblem([[0, 10], [10, 0], [4, 4]], [0, 0], convex=True)
    >>> p.n_deals, p.individually_rational().tolist()
    (3, [True, True, True])
    """

    utilities: np.ndarray
    disagreement: np.ndarray
    labels: tuple[str, ...] = ()
    players: tuple[str, str] = ("1", "2")
    convex: bool = False
    title: str = field(default="")
    #: The outcome behind each deal (rows of issue values), when the problem comes from
    #: an :class:`~gametheory.games.outcomes.OutcomeSpace`; ``issues`` names the columns.
    outcomes: Any = field(default=None, repr=False)
    issues: tuple[str, ...] = ()

    def __post_init__(self):
        try:
            U = np.array(self.utilities, dtype=float)
            d = np.array(self.disagreement, dtype=float)
        except (TypeError, ValueError) as exc:
            raise PayoffError(f"utilities and disagreement must be numbers: {exc}") from None
        if U.ndim != 2 or U.shape[1] != 2 or U.shape[0] < 1:
            raise ShapeError(f"utilities must have shape (deals, 2), got {U.shape}")
        if d.shape != (2,):
            raise ShapeError(f"disagreement must have shape (2,), got {d.shape}")
        if not (np.isfinite(U).all() and np.isfinite(d).all()):
            bad = np.argwhere(~np.isfinite(U))
            where = f"deal {bad[0][0]}" if len(bad) else "disagreement"
            raise PayoffError(f"utilities must be finite numbers (NaN or inf at {where})")
        labels = tuple(str(x) for x in self.labels) or tuple(f"deal {k}"
                                                            for k in range(len(U)))
        if len(labels) != len(U):
            raise ShapeError(f"{len(labels)} labels for {len(U)} deals")
        if len(set(labels)) != len(labels):
            raise ShapeError("deal labels must be distinct")
        if len(self.players) != 2:
            raise ShapeError(f"a bargaining problem has two players, got {self.players!r}")
        U.setflags(write=False)
        d.setflags(write=False)
        object.__setattr__(self, "utilities", U)
        object.__setattr__(self, "disagreement", d)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "players", tuple(str(p) for p in self.players))

    @classmethod
    def from_deals(cls, deals: dict[str, Sequence[float]], disagreement, **options
                   ) -> BargainingProblem:
        """From ``{label: (u1, u2)}``."""
        return cls(list(deals.values()), disagreement, labels=tuple(deals), **options)

    def outcome_at(self, deal_a: int | str, deal_b: int | str, weight: float
                   ) -> dict[str, Any]:
        """The outcome of the lottery with probability ``weight`` on deal ``deal_a`` and
        the rest on ``deal_b`` - how a convex solution (``deal`` column ``"a / b"`` with
        its ``weight`` on the first) reads on a continuous outcome space, where between
        two adjacent corners only one issue moves."""
        if self.outcomes is None:
            raise ShapeError("this problem was not built from an outcome space")
        a = self._deal_index(deal_a)
        b = self._deal_index(deal_b)
        w = float(weight)
        if not 0.0 <= w <= 1.0:
            raise ShapeError(f"weight must be in [0, 1], got {weight!r}")
        out = {}
        for name, x, y in zip(self.issues, self.outcomes[a], self.outcomes[b], strict=True):
            if x == y:
                out[name] = x
            else:
                try:
                    out[name] = w * float(x) + (1 - w) * float(y)
                except (TypeError, ValueError):
                    raise ShapeError(f"issue {name!r} is discrete ({x!r} vs {y!r}): no "
                                     "outcome lies between the two deals") from None
        return out

    def _deal_index(self, deal: int | str) -> int:
        if isinstance(deal, str):
            if deal not in self.labels:
                from ..errors import UnknownNameError

                raise UnknownNameError("deal", deal, self.labels)
            return self.labels.index(deal)
        k = int(deal)
        if not 0 <= k < self.n_deals:
            raise ShapeError(f"deal index {deal} outside 0..{self.n_deals - 1}")
        return k

    @property
    def n_deals(self) -> int:
        return len(self.utilities)

    def individually_rational(self) -> np.ndarray:
        """Deals both parties weakly prefer to disagreement."""
        return np.all(self.utilities >= self.disagreement - 1e-12, axis=1)

    def to_frame(self):
        import pandas as pd

        U = self.utilities
        return pd.DataFrame({"deal": self.labels, self.players[0]: U[:, 0],
                             self.players[1]: U[:, 1],
                             "individually rational": self.individually_rational()})

    def _repr_html_(self) -> str:
        from .._format import table_html

        rows = [[lab, f"{u[0]:.4g}", f"{u[1]:.4g}", "yes" if ir else "no"]
                for lab, u, ir in zip(self.labels, self.utilities,
                                      self.individually_rational(), strict=True)]
        d = self.disagreement
        cap = (f"{self.title + ': ' if self.title else ''}{self.n_deals} deals"
               f"{' (lotteries allowed)' if self.convex else ''}; disagreement "
               f"({d[0]:.4g}, {d[1]:.4g})")
        return table_html(["deal", self.players[0], self.players[1],
                           "individually rational"], rows, caption=cap)
