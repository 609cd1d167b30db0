"""Result objects returned by the solvers."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from .._format import fmt_number, table_html
from ..games.normal_form import MixedStrategy

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..games.normal_form import Game

__all__ = [
    "GUARANTEES",
    "CorrelatedEquilibrium",
    "Equilibrium",
    "EquilibriumComponent",
    "EquilibriumResult",
    "Rejected",
]

#: What a method promises about the equilibria it returns.
GUARANTEES = {
    "all": "every Nash equilibrium (the game has finitely many)",
    "all_extreme": "every extreme equilibrium; all equilibria are convex combinations "
                   "within the listed components",
    "all_pure": "every pure-strategy equilibrium",
    "all_regular": "every equilibrium on the supports whose equations were resolved; the "
                   "supports in details['unresolved_supports'] (singular: a continuum or a "
                   "singular root; or over budget) were not, and the points found on them "
                   "may not be all",
    "accessible": "every equilibrium reachable by Lemke-Howson from the labels tried",
    "one": "one equilibrium",
    "optimal": "an equilibrium optimising the stated objective",
    "subset": "some equilibria (weak dominance may remove others)",
}


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """One verified equilibrium.

    Attributes
    ----------
    strategies : tuple of MixedStrategy
        One labelled probability vector per player (``Fraction`` values when exact).
    payoffs : numpy.ndarray
        Expected payoff of each player.
    regret : float
        Largest gain any player could make by deviating, measured in floats.
    verified : {"exact", "float"}
        ``"exact"``: the regret was checked to be exactly zero in rational
        arithmetic; ``"float"``: within the tolerance.
    exact_strategies : tuple of tuple of Fraction, or None
        The exact profile when ``verified == "exact"``.
    component : int or None
        Index of the equilibrium component (degenerate games).
    """

    strategies: tuple[MixedStrategy, ...]
    payoffs: np.ndarray
    regret: float
    verified: str
    exact_strategies: tuple[tuple[Fraction, ...], ...] | None = None
    component: int | None = None

    @property
    def profile(self) -> list[np.ndarray]:
        """The strategies as a list of float arrays."""
        return [s.probabilities for s in self.strategies]

    @property
    def is_pure(self) -> bool:
        """True when every player plays one action with probability one."""
        return all(len(s.support) == 1 for s in self.strategies)

    @property
    def support(self) -> tuple[tuple[int, ...], ...]:
        """Indices of the actions each player uses."""
        return tuple(s.support for s in self.strategies)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """``{player: {action: probability}}``."""
        return {s.player: s.as_dict() for s in self.strategies}

    def __repr__(self) -> str:
        parts = "; ".join(
            f"{s.player}: " + ", ".join(f"{a}={fmt_number(v)}" for a, v in
                                        zip(s.actions, s.values, strict=True) if v != 0)
            for s in self.strategies)
        pay = ", ".join(fmt_number(v) for v in self.payoffs)
        return f"Equilibrium({parts} | payoffs {pay})"

    def _repr_html_(self) -> str:
        from .._format import fmt_number, table_html

        rows = [[s.player, ", ".join(f"{a}={fmt_number(p)}" for a, p
                                     in zip(s.actions, s.values, strict=True) if p != 0),
                 fmt_number(v)] for s, v in zip(self.strategies, self.payoffs, strict=True)]
        return table_html(["player", "strategy (support)", "payoff"], rows,
                          caption=f"Nash equilibrium ({'pure' if self.is_pure else 'mixed'}; "
                                  f"verified: {self.verified})")


@dataclass(frozen=True, eq=False)
class CorrelatedEquilibrium:
    """A correlated equilibrium: a joint distribution over action profiles.

    Attributes
    ----------
    distribution : numpy.ndarray
        Probability of each pure profile, shape ``game.shape``.
    strategies : tuple of MixedStrategy
        The marginal distribution of each player's action.
    payoffs : numpy.ndarray
        Expected payoff of each player.
    regret : float
        Largest expected gain from disobeying a recommendation.
    verified : {"exact", "float"}
    exact_distribution : numpy.ndarray of Fraction, or None
    """

    distribution: np.ndarray
    strategies: tuple[MixedStrategy, ...]
    payoffs: np.ndarray
    regret: float
    verified: str
    exact_distribution: np.ndarray | None = None
    component: int | None = None

    def __repr__(self) -> str:
        pay = ", ".join(fmt_number(v) for v in self.payoffs)
        return f"CorrelatedEquilibrium(payoffs {pay}, {int((self.distribution > 0).sum())} " \
               "profiles in support)"

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html("Correlated equilibrium",
                           [("distribution over profiles", self.distribution),
                            ("marginal strategies", [str(s) for s in self.strategies]),
                            ("payoffs", np.asarray(self.payoffs, dtype=float)),
                            ("regret", self.regret), ("verified", self.verified)])


@dataclass(frozen=True)
class Rejected:
    """A candidate a solver produced that failed verification (never returned as equilibrium)."""

    profile: tuple[tuple[float, ...], ...]
    reason: str

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html("Rejected candidate (failed verification)",
                           [("profile", self.profile), ("reason", self.reason)])


@dataclass(frozen=True)
class EquilibriumComponent:
    """A connected set of equilibria in a degenerate game.

    The component is the union of its *Nash subsets*: each is a pair of sets of
    extreme strategies ``(X, Y)`` (indices into ``extreme_strategies``) such that
    every profile in ``conv(X) x conv(Y)`` is an equilibrium (Avis, Rosenberg,
    Savani & von Stengel 2010; Gambit's ``enummixed`` cliques).
    """

    index: int
    equilibria: tuple[int, ...]
    nash_subsets: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    extreme_strategies: tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]

    @property
    def is_isolated(self) -> bool:
        """True when the component is a single equilibrium."""
        return len(self.equilibria) == 1

    def intervals(self) -> list[list[tuple[float, float]]]:
        """For each player, the range ``[min, max]`` of each action's probability in the
        component (a summary of the continuum, e.g. ``p in [0, 2/7]``)."""
        out = []
        for strategies in self.extreme_strategies:
            arr = np.array(strategies)
            out.append([(float(lo), float(hi)) for lo, hi in zip(arr.min(0), arr.max(0),
                                                                 strict=True)])
        return out

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html(f"Equilibrium component {self.index}",
                           [("extreme equilibria", len(self.equilibria)),
                            ("isolated", self.is_isolated),
                            ("Nash subsets", self.nash_subsets),
                            ("equilibria", [repr(e) for e in self.equilibria])])


@dataclass(eq=False)
class EquilibriumResult:
    """What a solver found, how, and what it guarantees.

    Attributes
    ----------
    equilibria : list of Equilibrium (or CorrelatedEquilibrium)
        Every returned equilibrium has been verified.
    method : str
    guarantee : str
        A key of :data:`GUARANTEES`: ``"all"``, ``"all_extreme"``, ``"one"``, ...
    exact : bool
        True when the strategies are exact ``Fraction`` values.
    tol : float
        Tolerance used for float checks, relative to the payoff range.
    converged : bool
    n_iter : int
    elapsed_s : float
    game_digest : str
        SHA-256 of the game's payoffs and labels.
    degenerate : bool or None
        Whether the game is degenerate (None when not determined).
    components : list of EquilibriumComponent
        Equilibrium components (degenerate two-player games).
    rejected : list of Rejected
        Candidates that failed verification and were dropped.
    details : dict
        Method-specific extras (value of a zero-sum game, the QRE path, ...).
    """

    equilibria: list
    method: str
    guarantee: str
    game: Game
    exact: bool = False
    tol: float = 1e-9
    converged: bool = True
    n_iter: int = 0
    elapsed_s: float = 0.0
    game_digest: str = ""
    degenerate: bool | None = None
    components: list[EquilibriumComponent] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, k: int):
        return self.equilibria[k]

    @property
    def value(self) -> float:
        """The value of the game to player 1 (zero-sum method only)."""
        if "value" not in self.details:
            raise AttributeError("value is only defined for method='zero_sum'")
        return self.details["value"]

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per (equilibrium, player, action) with its probability,
        plus the player's payoff and the equilibrium's flags."""
        import pandas as pd

        rows = []
        for k, eq in enumerate(self.equilibria):
            for i, s in enumerate(eq.strategies):
                for a, (label, v) in enumerate(zip(s.actions, s.values, strict=True)):
                    rows.append({
                        "equilibrium": k, "player": s.player, "action": label,
                        "action_index": a, "probability": float(v),
                        "exact_probability": str(v) if isinstance(v, Fraction) else None,
                        "payoff": float(eq.payoffs[i]), "verified": eq.verified,
                        "component": eq.component, "method": self.method,
                    })
        return pd.DataFrame(rows, columns=["equilibrium", "player", "action", "action_index",
                                           "probability", "exact_probability", "payoff",
                                           "verified", "component", "method"])

    def summary(self) -> str:
        """One line: method, count, guarantee, verification, time."""
        deg = "" if self.degenerate is None else (", degenerate" if self.degenerate
                                                   else ", non-degenerate")
        rej = f", {len(self.rejected)} candidate(s) rejected" if self.rejected else ""
        return (f"{self.method}: {len(self.equilibria)} equilibri"
                f"{'um' if len(self.equilibria) == 1 else 'a'} ({self.guarantee}{deg}), "
                f"verified {'exactly' if self._all_exact() else 'in floats'}{rej}, "
                f"{self.elapsed_s * 1e3:.1f} ms")

    def _all_exact(self) -> bool:
        return bool(self.equilibria) and all(e.verified == "exact" for e in self.equilibria)

    def __repr__(self) -> str:
        lines = [f"EquilibriumResult({self.summary()})"]
        lines += [f"  [{k}] {eq!r}" for k, eq in enumerate(self.equilibria)]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        players = self.game.players
        cols = ["#", *players, *(f"payoff {p}" for p in players), "verified"]
        if self.components and any(not c.is_isolated for c in self.components):
            cols.append("component")
        rows = []
        for k, eq in enumerate(self.equilibria):
            strat = [", ".join(f"{a}: {fmt_number(v)}" for a, v in
                               zip(s.actions, s.values, strict=True) if v != 0)
                     for s in eq.strategies]
            row = [k, *strat, *(float(v) for v in eq.payoffs), eq.verified]
            if len(cols) > len(row):
                row.append(eq.component)
            rows.append(row)
        return table_html(cols, rows, caption=self.summary() + ". Guarantee: "
                          + GUARANTEES.get(self.guarantee, self.guarantee) + ".")
