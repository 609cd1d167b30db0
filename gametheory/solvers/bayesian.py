"""Bayes-Nash equilibria of a :class:`~gametheory.games.BayesianGame`.

The game is solved in one of its normal forms by the existing solvers and every
equilibrium is mapped back to *behaviour*: for each player and type, a distribution
over actions. A mixed strategy over plans of the induced normal form gives each type
the marginal of its action (Kuhn); in the agent form each agent is a type. Every
returned profile is verified at the interim stage: each type of positive probability
puts weight only on actions that maximise its payoff expected given its type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ProfileError, SolverError
from ..games.bayesian import BayesianGame

__all__ = ["BayesNashResult", "bayes_nash", "interim_gains"]


def interim_gains(game: BayesianGame, behaviour: Any) -> np.ndarray:
    """For each player and type, how much the best action gains over the behaviour's
    expected payoff for that type (0 for every type of positive probability at a
    Bayes-Nash equilibrium; ``nan`` for types of probability 0).

    Returns
    -------
    list of ndarray
        One array per player, one entry per type.
    """
    beh = game.check_behaviour(behaviour)
    out = []
    for i in range(game.n_players):
        marg = game.type_probabilities(i)
        gains = np.full(len(game.types[i]), np.nan)
        for k in range(len(game.types[i])):
            if marg[k] <= 0:
                continue
            u = game.interim_payoffs(beh, i, k)
            gains[k] = float(u.max() - u @ beh[i][k])
        out.append(gains)
    return out


@dataclass(frozen=True, eq=False)
class BayesNashResult:
    """Bayes-Nash equilibria, type by type (:func:`bayes_nash`).

    Attributes
    ----------
    behaviours : list
        One per equilibrium: per player, per type, a probability array over actions.
    game : BayesianGame
    form : str
        ``"induced"`` or ``"agent"``: the normal form that was solved.
    normal_form : EquilibriumResult
        The solver's result on that form (its guarantee applies to it).
    """

    behaviours: list
    game: BayesianGame = field(repr=False)
    form: str
    normal_form: Any = field(repr=False)

    def __len__(self) -> int:
        return len(self.behaviours)

    def __getitem__(self, k: int):
        return self.behaviours[k]

    @property
    def guarantee(self) -> str:
        return self.normal_form.guarantee

    def to_frame(self):
        """One row per equilibrium, player and type: the probability of each action."""
        import pandas as pd

        g = self.game
        rows = []
        for e, beh in enumerate(self.behaviours):
            for i, per_type in enumerate(beh):
                for k, q in enumerate(per_type):
                    row = {"equilibrium": e, "player": g.players[i], "type": g.types[i][k],
                           "type probability": float(g.type_probabilities(i)[k])}
                    row.update({a: float(x) for a, x in zip(g.actions[i], q, strict=True)})
                    rows.append(row)
        return pd.DataFrame(rows)

    def pure(self) -> list[dict[str, dict[str, str]]]:
        """The pure equilibria as ``{player: {type: action}}``."""
        g = self.game
        out = []
        for beh in self.behaviours:
            if all(np.isclose(q.max(), 1.0) for per in beh for q in per):
                out.append({g.players[i]: {g.types[i][k]: g.actions[i][int(np.argmax(q))]
                                           for k, q in enumerate(per)}
                            for i, per in enumerate(beh)})
        return out

    def _repr_html_(self) -> str:
        from .._format import frame_html

        return frame_html(self.to_frame(), f"{len(self)} Bayes-Nash equilibri"
                          f"{'um' if len(self) == 1 else 'a'} ({self.form} form, "
                          f"{self.normal_form.method}, guarantee: {self.guarantee})")


def _behaviour_from_plans(game: BayesianGame, strategies) -> list[list[np.ndarray]]:
    out = []
    for i, sigma in enumerate(strategies):
        p = np.asarray(sigma.probabilities, dtype=float)
        plans = game.plans(i)
        per_type = []
        for k in range(len(game.types[i])):
            q = np.zeros(len(game.actions[i]))
            for w, plan in zip(p, plans, strict=True):
                q[plan[k]] += w
            per_type.append(q)
        out.append(per_type)
    return out


def _behaviour_from_agents(game: BayesianGame, strategies) -> list[list[np.ndarray]]:
    out, j = [], 0
    for i in range(game.n_players):
        per_type = []
        for _ in game.types[i]:
            per_type.append(np.asarray(strategies[j].probabilities, dtype=float))
            j += 1
        out.append(per_type)
    return out


def bayes_nash(game: BayesianGame, *, method: str | None = None, form: str = "induced",
               tol: float = 1e-9, **options) -> BayesNashResult:
    """Bayes-Nash equilibria through a normal form.

    Parameters
    ----------
    game : BayesianGame
    method : str, optional
        A method of :func:`~gametheory.solve` (default: its default for the form's
        number of players - all extreme equilibria for two players, pure equilibria
        for more).
    form : {"induced", "agent"}
        The induced (ex-ante) normal form - two players stay two - or the agent form
        (one player per type: pure equilibria by default).
    tol : float
        Interim best-response tolerance, relative to the payoff range.

    Returns
    -------
    BayesNashResult
        Distinct behaviour profiles (plans that differ only at types of probability 0
        give the same behaviour on the types that matter; both are kept, as the
        normal-form solver returns them), each verified type by type.

    Raises
    ------
    SolverError
        If a profile the normal-form solver returned fails the interim check.

    Examples
    --------
    >>> from fractions import Fraction
    >>> meet = [[[2, 1], [0, 0]], [[0, 0], [1, 2]]]
    >>> avoid = [[[2, 0], [0, 2]], [[0, 1], [1, 0]]]
    >>> g = BayesianGame([[meet, avoid]], [[Fraction(1, 2), Fraction(1, 2)]],
    ...                  types=[["-"], ["meet", "avoid"]], actions=[["B", "S"], ["B", "S"]])
    >>> bayes_nash(g).pure()
    [{'Player 1': {'-': 'B'}, 'Player 2': {'meet': 'B', 'avoid': 'S'}}]
    """
    from .dispatch import solve

    if form not in ("induced", "agent"):
        raise ProfileError(f"form must be 'induced' or 'agent', got {form!r}")
    nf = game.induced_normal_form() if form == "induced" else game.agent_form()
    res = solve(nf, method=method, **options) if method is not None else solve(nf, **options)
    scale = max(float(np.ptp(game.payoffs)), 1e-300)
    behaviours = []
    for eq in res.equilibria:
        beh = (_behaviour_from_plans(game, eq.strategies) if form == "induced"
               else _behaviour_from_agents(game, eq.strategies))
        gains = interim_gains(game, beh)
        worst = max((float(np.nanmax(g)) for g in gains if np.isfinite(g).any()),
                    default=0.0)
        if worst > tol * scale * 10 + 1e-12:
            raise SolverError(f"a {form}-form equilibrium from {res.method} fails the interim "
                              f"check: a type gains {worst:.3g} by deviating")
        behaviours.append(beh)
    return BayesNashResult(behaviours=behaviours, game=game, form=form, normal_form=res)
