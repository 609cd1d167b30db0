"""Games of incomplete information with finite types (Harsanyi 1967-68).

A :class:`BayesianGame` gives each player a finite set of types, a common prior over
type profiles and payoffs that depend on the type profile and the actions. Each
player knows its own type; a strategy says what each type does. Two standard
normal forms make it solvable by the normal-form solvers:

* the **induced normal form** (ex ante): a pure strategy is one action per own type,
  payoffs are expected over the prior - :meth:`BayesianGame.induced_normal_form`;
* the **agent form**: every (player, type) is a separate player maximising its
  expected payoff given its type (interim) - :meth:`BayesianGame.agent_form`.

Their Nash equilibria are the Bayes-Nash equilibria (in the induced form, for types
of positive probability). :func:`~gametheory.solvers.bayes_nash` solves them and
reports each equilibrium type by type.

Inputs given as integers, fractions or decimal strings stay exact (as everywhere in
the library): the induced normal form of an exact game is exact.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import GameTooLargeError, PayoffError, ProfileError, ShapeError

__all__ = ["MAX_INDUCED_CELLS", "BayesianGame"]

#: Largest induced normal form (pure-strategy profiles times payoffs) built.
MAX_INDUCED_CELLS = 5_000_000


def _exact_array(values) -> np.ndarray | None:
    """A Fraction array when every entry is exact (int, Fraction, decimal string), else
    None."""
    from .._numbers import as_fraction

    raw = np.asarray(values, dtype=object)
    flat = raw.ravel()
    if not all(isinstance(v, int | np.integer | Fraction | str) and not isinstance(v, bool)
               for v in flat):
        return None
    return np.array([as_fraction(v) for v in flat], dtype=object).reshape(raw.shape)


@dataclass(frozen=True, eq=False)
class BayesianGame:
    """A finite game of incomplete information with a common prior.

    Parameters
    ----------
    payoffs : array_like, shape (T_1, ..., T_N, A_1, ..., A_N, N)
        Each player's payoff for every type profile and action profile.
    prior : array_like, shape (T_1, ..., T_N)
        The common prior over type profiles (non-negative, sums to one). Types may be
        correlated; a player's beliefs about the others are the prior conditioned on
        its own type.
    players : sequence of str, optional
    types : sequence of sequence of str, optional
        Each player's type labels.
    actions : sequence of sequence of str, optional
        Each player's action labels (the same for all its types).
    title : str

    Examples
    --------
    Osborne (2004, Example 273.1): Bach or Stravinsky where player 1 does not know
    whether player 2 wants to meet her (probability 1/2) or to avoid her.

    >>> meet = [[[2, 1], [0, 0]], [[0, 0], [1, 2]]]
    >>> avoid = [[[2, 0], [0, 2]], [[0, 1], [1, 0]]]
    >>> g = BayesianGame([[meet, avoid]], [[Fraction(1, 2), Fraction(1, 2)]],
    ...                  types=[["-"], ["meet", "avoid"]], actions=[["B", "S"], ["B", "S"]])
    >>> g.induced_normal_form().shape
    (2, 4)
    """

    payoffs: np.ndarray
    prior: np.ndarray
    players: tuple[str, ...] = ()
    types: tuple[tuple[str, ...], ...] = ()
    actions: tuple[tuple[str, ...], ...] = ()
    title: str = ""
    exact_payoffs: np.ndarray | None = field(default=None, repr=False)
    exact_prior: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self):
        try:
            U = np.asarray(self.payoffs, dtype=float)
            p = np.asarray(self.prior, dtype=float)
        except (TypeError, ValueError) as exc:
            raise PayoffError(f"payoffs and prior must be numbers: {exc}") from None
        n = p.ndim
        if n < 1:
            raise ShapeError("the prior needs one axis per player (types), got a scalar")
        if U.ndim != 2 * n + 1 or U.shape[-1] != n:
            raise ShapeError(f"payoffs need shape (types of each of the {n} players, actions "
                             f"of each, {n}) = {2 * n + 1} axes ending in {n}; got {U.shape}")
        if U.shape[:n] != p.shape:
            raise ShapeError(f"the payoffs' type axes {U.shape[:n]} do not match the prior's "
                             f"shape {p.shape}")
        if 0 in U.shape:
            raise ShapeError(f"every player needs at least one type and one action: {U.shape}")
        if not np.isfinite(U).all():
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(U))[0])
            raise PayoffError(f"payoffs must be finite (NaN or inf at {bad})")
        if not np.isfinite(p).all() or (p < 0).any():
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(p) | (p < 0))[0])
            raise ProfileError(f"prior probabilities must be finite and >= 0; {p[bad]} at "
                               f"type profile {bad}")
        if abs(p.sum() - 1.0) > 1e-9:
            raise ProfileError(f"the prior must sum to 1, sums to {p.sum():.12g}")
        ex_u, ex_p = _exact_array(self.payoffs), _exact_array(self.prior)
        if ex_p is not None and sum(ex_p.ravel(), Fraction(0)) != 1:
            raise ProfileError(f"the prior must sum to 1 exactly, sums to "
                               f"{sum(ex_p.ravel(), Fraction(0))}")
        players = tuple(self.players) or tuple(f"Player {i + 1}" for i in range(n))
        types = tuple(tuple(map(str, t)) for t in self.types) or tuple(
            tuple(f"t{k + 1}" for k in range(p.shape[i])) for i in range(n))
        actions = tuple(tuple(map(str, a)) for a in self.actions) or tuple(
            tuple(f"a{k + 1}" for k in range(U.shape[n + i])) for i in range(n))
        for name, labels, sizes in (("players", (players,), (n,)),
                                    ("types", types, p.shape),
                                    ("actions", actions, U.shape[n:2 * n])):
            if len(labels) != len(sizes):
                raise ShapeError(f"{name}: {len(labels)} label lists for {len(sizes)} players")
            for i, (lab, k) in enumerate(zip(labels, sizes, strict=True)):
                if len(lab) != k:
                    raise ShapeError(f"{name} of {players[i] if name != 'players' else 'the game'}"
                                     f": {len(lab)} labels for {k}")
                if len(set(lab)) != len(lab):
                    raise ShapeError(f"{name} labels must be distinct: {lab}")
        U.setflags(write=False)
        p.setflags(write=False)
        for k, v in (("payoffs", U), ("prior", p), ("players", players), ("types", types),
                     ("actions", actions), ("exact_payoffs", ex_u if ex_p is not None else
                                            None), ("exact_prior", ex_p if ex_u is not None
                                                    else None)):
            object.__setattr__(self, k, v)

    # ------------------------------------------------------------------ shape
    @property
    def n_players(self) -> int:
        return self.prior.ndim

    @property
    def exact(self) -> bool:
        """True when payoffs and prior are exact (the normal forms are then exact)."""
        return self.exact_prior is not None

    def type_probabilities(self, player: int) -> np.ndarray:
        """The marginal probability of each of ``player``'s types."""
        axes = tuple(j for j in range(self.n_players) if j != player)
        return self.prior.sum(axis=axes)

    def plans(self, player: int) -> list[tuple[int, ...]]:
        """``player``'s pure strategies: one action index per own type."""
        k = len(self.actions[player])
        return list(itertools.product(range(k), repeat=len(self.types[player])))

    def plan_label(self, player: int, plan: Sequence[int]) -> str:
        """E.g. ``"B/S"``: the action of each type, in type order."""
        return "/".join(self.actions[player][a] for a in plan)

    # ------------------------------------------------------------------ normal forms
    def induced_normal_form(self):
        """The ex-ante normal form: a pure strategy is a plan (one action per own type),
        a payoff the prior expectation. Exact when the game is.

        Raises
        ------
        GameTooLargeError
            When it would have more than :data:`MAX_INDUCED_CELLS` cells (checked before
            anything is allocated).
        """
        from .normal_form import Game

        n = self.n_players
        plans = [np.array(self.plans(i), dtype=np.int64).reshape(-1, len(self.types[i]))
                 for i in range(n)]
        cells = int(np.prod([len(s) for s in plans], dtype=float)) * n
        if cells * int(np.prod(self.prior.shape)) > MAX_INDUCED_CELLS:
            raise GameTooLargeError(
                f"the induced normal form has {cells:,} payoff cells over "
                f"{int(np.prod(self.prior.shape))} type profiles (plans per player: "
                f"{[len(s) for s in plans]}); the limit is {MAX_INDUCED_CELLS:,}: use the "
                "agent form")
        src = self.exact_payoffs if self.exact else self.payoffs
        prior = self.exact_prior if self.exact else self.prior
        out = np.zeros((*[len(s) for s in plans], n), dtype=object if self.exact else float)
        if self.exact:
            out[...] = Fraction(0)
        for t in np.ndindex(*self.prior.shape):
            w = prior[t]
            if w == 0:
                continue
            # the action each plan gives each player's type in t: broadcast over plans
            idx = tuple(plans[i][:, t[i]].reshape([-1 if j == i else 1 for j in range(n)])
                        for i in range(n))
            out = out + w * src[t][idx]
        labels = [[self.plan_label(i, pl) for pl in self.plans(i)] for i in range(n)]
        return Game(out, players=self.players, actions=labels,
                    title=f"{self.title or 'Bayesian game'}: induced normal form")

    def agent_form(self):
        """The agent normal form: one player per (player, type), named
        ``"player: type"``, each maximising its payoff expected given its type (types of
        probability 0 get payoffs 0: any action is a best reply for them)."""
        from .normal_form import Game

        n = self.n_players
        agents = [(i, k) for i in range(n) for k in range(len(self.types[i]))]
        shape = [len(self.actions[i]) for i, _ in agents]
        if int(np.prod(shape, dtype=float)) * len(agents) > MAX_INDUCED_CELLS:
            raise GameTooLargeError(f"the agent form has {len(agents)} agents with actions "
                                    f"{shape}; more than {MAX_INDUCED_CELLS:,} payoff cells")
        exact = self.exact
        src = self.exact_payoffs if exact else self.payoffs
        prior = self.exact_prior if exact else self.prior
        out = np.zeros((*shape, len(agents)), dtype=object if exact else float)
        if exact:
            out[...] = Fraction(0)
        pos = {a: j for j, a in enumerate(agents)}
        # each type's probability (exact when the game is): the interim conditioning
        marginals = [[sum(np.asarray(prior).take(k, axis=i).ravel(),
                          Fraction(0) if exact else 0.0) for k in range(len(self.types[i]))]
                     for i in range(n)]
        for prof in np.ndindex(*shape):
            for t in np.ndindex(*self.prior.shape):
                w = prior[t]
                if w == 0:
                    continue
                acts = tuple(prof[pos[(i, t[i])]] for i in range(n))
                u = src[t + acts]
                for i in range(n):
                    j = pos[(i, t[i])]
                    cell = (*prof, j)
                    out[cell] = out[cell] + w * u[i] / marginals[i][t[i]]
        names = [f"{self.players[i]}: {self.types[i][k]}" for i, k in agents]
        return Game(out, players=names, actions=[list(self.actions[i]) for i, _ in agents],
                    title=f"{self.title or 'Bayesian game'}: agent form")

    def interim_payoffs(self, behaviour: Sequence[Sequence[Sequence[float]]], player: int,
                        type_: int) -> np.ndarray:
        """Expected payoff of each of ``player``'s actions for its type ``type_`` when
        every other type plays ``behaviour[j][t]`` (probabilities over actions), given
        the prior conditioned on that type."""
        n = self.n_players
        cond = np.take(self.prior, type_, axis=player)        # other players' types
        mass = cond.sum()
        if mass <= 0:
            return np.zeros(len(self.actions[player]))
        out = np.zeros(len(self.actions[player]))
        others = [j for j in range(n) if j != player]
        for t_other in np.ndindex(*cond.shape):
            w = cond[t_other] / mass
            if w == 0:
                continue
            t = list(t_other)
            t.insert(player, type_)
            u = np.moveaxis(self.payoffs[tuple(t)][..., player], player, 0)  # (A_i, others)
            for j in reversed(others):           # contract the last other axis first
                u = u @ np.asarray(behaviour[j][t[j]], dtype=float)
            out += w * u
        return out

    def check_behaviour(self, behaviour: Any) -> list[list[np.ndarray]]:
        """Validated behaviour: per player, per type, probabilities over actions.

        Raises
        ------
        ProfileError
            Wrong numbers of players, types or actions, or probabilities that are
            negative or do not sum to one (the player and type are named).
        """
        game = self
        if len(behaviour) != game.n_players:
            raise ProfileError(f"behaviour for {len(behaviour)} players, the game has "
                               f"{game.n_players}")
        out = []
        for i, per_type in enumerate(behaviour):
            if len(per_type) != len(game.types[i]):
                raise ProfileError(f"{game.players[i]}: behaviour for {len(per_type)} types, "
                                   f"it has {len(game.types[i])}")
            row = []
            for k, probs in enumerate(per_type):
                q = np.asarray(probs, dtype=float)
                if q.shape != (len(game.actions[i]),) or (q < -1e-12).any() or \
                        abs(q.sum() - 1) > 1e-9:
                    raise ProfileError(f"{game.players[i]}, type {game.types[i][k]}: need "
                                       f"{len(game.actions[i])} probabilities summing to 1, "
                                       f"got {q}")
                row.append(q)
            out.append(row)
        return out

    def _repr_html_(self) -> str:
        from .._format import table_html

        rows = []
        for t in np.ndindex(*self.prior.shape):
            rows.append([", ".join(self.types[i][k] for i, k in enumerate(t)),
                         f"{self.prior[t]:.4g}"])
        return (f"<p><b>{self.title or 'Bayesian game'}</b>: "
                f"{', '.join(self.players)}; actions "
                + "; ".join(f"{p}: {', '.join(a)}" for p, a in zip(self.players, self.actions,
                                                                     strict=True))
                + "</p>" + table_html(["type profile", "prior"], rows,
                                      caption="The common prior"))
