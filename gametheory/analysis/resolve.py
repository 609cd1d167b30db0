"""Private resolve: how the record moves the belief that a side is resolute.

Each side is one of two types, unknown to the other: **resolute** (it answers in kind
or harder whatever it costs) or **conciliatory** (it looks for a way out). A type is
a set of strategies of the iterated-play library - by default the resolute type plays
"Always escalate" or "Commensurate", the conciliatory type "GRIT" or "Zero all
restrictions", each strategy equally likely a priori and kept for the whole record -
and a side following a strategy makes the prescribed move with probability β,
otherwise one of the other levels at random (the tremble of
:mod:`~gametheory.analysis.inference`). An observer who starts from ``prior`` updates
by Bayes' rule after each of the side's turns:

    P(resolute | moves up to t) ∝ prior · mean over the resolute strategies of
    Π_{u ≤ t} P(move_u | strategy, history before u),

and likewise for the conciliatory type. The belief path is reported turn by turn for
several β (β is not identified separately from the types here: it is shown as a
coding choice), with the likelihood ratio of each move (how much it moved the odds),
and, at the end of the record, what each possible next move - a commensurate answer,
an offer to zero all - would reveal.

This is a model of *inference about* resolve from behaviour, not an equilibrium of a
game with private types: the types' strategies are given, not derived.

**Private resolve in equilibrium: one stage** (:func:`resolve_stage`,
:func:`resolve_stage_equilibria`). One side's own cost of escalating (the dynamic
game's ``own_cost_per_staff`` and ``own_cost_per_restriction``) is private: low
("resolute", the shipped costs times ``scales[0]``) or high ("conciliatory", times
``scales[1]``). At a state where that side is to move, it picks a level (the
message); the other side, seeing the level but not the type, answers with a level.
Each side's payoff is its dynamic-game payoff of the two turns plus the discounted
value of where they lead, in the Markov-perfect equilibrium of the dynamic game
with that type (:func:`~gametheory.analysis.dynamic_analysis`'s game, solved by
iterated best responses). The assumption that keeps this one stage: after it, the
type is known (the continuation is the complete-information equilibrium). The
perfect Bayesian equilibria of this signalling game
(:func:`~gametheory.solvers.signalling_equilibria`) say which levels each type
plays, whether an offer to zero all or a commensurate answer separates the types,
and what the other side believes after each level.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ParameterError
from ..strategies.base import as_strategy

if TYPE_CHECKING:  # pragma: no cover
    from .calibration import Calibration

__all__ = ["DEFAULT_TYPES", "ResolveResult", "ResolveStage", "resolve_posterior", "resolve_stage",
           "resolve_stage_equilibria"]

#: The strategies of each type (equally likely within a type).
DEFAULT_TYPES: dict[str, tuple[str, ...]] = {
    "resolute": ("Always escalate", "Commensurate"),
    "conciliatory": ("GRIT", "Zero all restrictions"),
}


@dataclass(frozen=True, eq=False)
class ResolveResult:
    """The belief that each side is resolute along the record (:func:`resolve_posterior`).

    Attributes
    ----------
    path : DataFrame
        One row per side, β and scored turn: the turn's date and level, the belief
        before and after it, and the move's likelihood ratio (resolute over
        conciliatory).
    reveal : DataFrame
        One row per side, β and possible next level: the likelihood ratio that move
        would have after the record, and the belief it would lead to.
    """

    path: Any
    reveal: Any
    types: dict[str, tuple[str, ...]]
    prior: float
    betas: tuple[float, ...]
    players: tuple[str, str]
    details: dict = field(default_factory=dict)

    def final(self):
        """The belief at the end of the record, per side and β."""
        last = self.path.groupby(["side", "beta"], sort=False).tail(1)
        return last[["side", "beta", "after"]].rename(columns={"after": "P(resolute)"})

    def answer(self) -> str:
        """One sentence per side: the final belief over the β coded."""
        out = []
        for side, grp in self.final().groupby("side", sort=False):
            vals = grp["P(resolute)"].to_numpy()
            out.append(f"{side}: P(resolute) after the record {vals.min():.2f} to "
                       f"{vals.max():.2f} (β from {min(self.betas):g} to {max(self.betas):g}, "
                       f"prior {self.prior:g})")
        return "; ".join(out) + "."

    def plot(self, ax=None, *, beta: float | None = None):
        """The belief that each side is resolute after each of its turns (one line per
        side; a band over the β coded, the middle β drawn). Returns the Axes."""
        import matplotlib.pyplot as plt

        from .._format import series_style

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4), layout="constrained")
        mid = sorted(self.betas)[len(self.betas) // 2] if beta is None else beta
        for k, side in enumerate(self.players):
            d = self.path[self.path.side == side]
            st = series_style(k)
            band = d.groupby("date")["after"].agg(["min", "max"])
            ax.fill_between(band.index, band["min"], band["max"], color=st["color"],
                            alpha=0.2, step="post", lw=0)
            line = d[np.isclose(d.beta, mid)]
            ax.step(line.date, line.after, where="post", label=f"{side} (β {mid:g})", **st)
        ax.axhline(self.prior, color="0.6", lw=0.8, ls=":")
        ax.set_ylim(-0.02, 1.02)
        ax.set_ylabel("P(resolute)")
        ax.set_title("The belief that each side is resolute, turn by turn")
        ax.legend(fontsize=8)
        return ax

    def _repr_html_(self) -> str:
        import html

        from .._format import frame_html

        return (f"<p>{html.escape(self.answer())}</p>"
                + frame_html(self.path, "Belief after each turn"))


def _type_likelihoods(strategies, own, observed, start, game, player, mags, beta, k):
    """Per strategy, the probability of each scored move given the history (tremble)."""
    from .inference import move_probabilities

    out = []
    for s in strategies:
        p = move_probabilities(s, own, observed, game, player=player, magnitudes=mags)[start:]
        out.append(beta * p + (1 - beta) * (1 - p) / (k - 1))
    return np.array(out)                                    # (strategies, turns)


def resolve_posterior(cal: Calibration, *, types: dict[str, Sequence[str]] | None = None,
                      prior: float = 0.5, betas: Sequence[float] = (0.6, 0.8, 0.95)
                      ) -> ResolveResult:
    """The belief, turn by turn, that each side is the resolute type.

    Parameters
    ----------
    cal : Calibration
    types : dict, optional
        Exactly two types, the first the one whose probability is reported, each a
        list of strategy names (default :data:`DEFAULT_TYPES`).
    prior : float
        The prior probability of the first type, in (0, 1).
    betas : sequence of float
        Probabilities of making the prescribed move, each in (1/K, 1) for K levels.

    Returns
    -------
    ResolveResult

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> res = resolve_posterior(calibrate(), betas=(0.8,))
    >>> bool(res.final()["P(resolute)"].between(0, 1).all())
    True
    """
    import pandas as pd

    from .inference import next_move_probabilities

    types = dict(DEFAULT_TYPES if types is None else types)
    if len(types) != 2 or any(not v for v in types.values()):
        raise ParameterError(f"resolve_posterior needs two types, each with at least one "
                             f"strategy; got {list(types)}", key="types")
    strat = {name: [as_strategy(s) for s in v] for name, v in types.items()}
    k = len(cal.levels)
    if not (0 < prior < 1):
        raise ParameterError(f"prior must be in (0, 1), got {prior!r}", key="prior")
    for b in betas:
        if not (1 / k < b < 1):
            raise ParameterError(f"beta must be in (1/{k}, 1) (the prescribed move more "
                                 f"likely than any other, and not certain), got {b!r}",
                                 key="betas")
    first, second = list(types)
    game, mags = cal.stage_game(), cal.magnitudes()
    rows, reveal = [], []
    for i, (side, moves) in enumerate(cal.sequences().items()):
        side_turns = cal.turns_[cal.turns_.actor == side].reset_index(drop=True)
        for beta in betas:
            L = {t: _type_likelihoods(strat[t], moves.own, moves.observed, moves.start, game,
                                      i, mags, beta, k) for t in types}
            # log of each strategy's cumulative likelihood, per turn
            cum = {t: np.cumsum(np.log(L[t]), axis=1) for t in types}
            n = L[first].shape[1]

            def belief(upto: int, cum=cum) -> float:
                if upto < 0:
                    return prior
                a = np.log(prior) + _logmeanexp(cum[first][:, upto])
                b = np.log(1 - prior) + _logmeanexp(cum[second][:, upto])
                return float(1 / (1 + np.exp(b - a)))

            for t in range(n):
                before, after = belief(t - 1), belief(t)
                turn = side_turns.iloc[t]
                ratio = (after / (1 - after)) / (before / (1 - before))
                rows.append({"side": side, "beta": beta, "turn": int(turn.turn),
                             "date": pd.Timestamp(turn.start), "level": turn.level,
                             "before": before, "after": after, "likelihood ratio": ratio})
            # what the next move would reveal: each strategy's next-move distribution,
            # weighted by its posterior within its type
            nxt = {}
            for t in types:
                post = np.exp(cum[t][:, -1] - cum[t][:, -1].max())
                post /= post.sum()
                q = np.array([next_move_probabilities(s, moves.own, moves.observed, game,
                                                      player=i, magnitudes=mags)
                              for s in strat[t]])
                q = beta * q + (1 - beta) * (1 - q) / (k - 1)
                nxt[t] = post @ q
            end = belief(n - 1)
            for lv, name in enumerate(cal.levels):
                lr = float(nxt[first][lv] / nxt[second][lv])
                odds = end / (1 - end) * lr
                reveal.append({"side": side, "beta": beta, "next level": name,
                               "likelihood ratio": lr, "P(resolute) after it":
                               odds / (1 + odds)})
    return ResolveResult(path=pd.DataFrame(rows), reveal=pd.DataFrame(reveal),
                         types={t: tuple(s.name for s in v) for t, v in strat.items()},
                         prior=float(prior), betas=tuple(float(b) for b in betas),
                         players=cal.players)


def _logmeanexp(x: np.ndarray) -> float:
    m = float(np.max(x))
    return m + float(np.log(np.mean(np.exp(x - m))))


@dataclass(frozen=True, eq=False)
class ResolveStage:
    """The equilibria of the one-stage private-resolve game (:func:`resolve_stage_equilibria`).

    Attributes
    ----------
    table : DataFrame
        One row per pair of type costs (``costs``: the resolute and the conciliatory
        type's own costs as multiples of the shipped ones), state, prior and pure
        perfect Bayesian equilibrium: each type's
        level, the other side's answer to each level, the belief that the mover is
        resolute after each level played (Bayes) and whether the equilibrium passes
        the intuitive criterion.
    games : dict
        (costs, state name) -> the :class:`~gametheory.games.SignallingGame` at the
        first prior.
    """

    table: Any
    games: dict
    side: str
    scales: tuple
    details: dict = field(default_factory=dict)

    def answer(self) -> str:
        """One sentence per state: what the types play and whether the levels reveal
        anything."""
        out = []
        for (costs, at), grp in self.table.groupby(["costs", "state"], sort=False):
            plays = sorted({(r["resolute plays"], r["conciliatory plays"])
                            for _, r in grp.iterrows()})
            pooled = all(a == b for a, b in plays)
            out.append(f"costs {costs}, {at}: "
                       + ("both types play " if pooled else "the types play ")
                       + "; ".join(a if a == b else f"{a} (resolute) / {b} (conciliatory)"
                                   for a, b in plays)
                       + (" - the level reveals nothing" if pooled else
                          " - the level can reveal the type"))
        return f"Private resolve of {self.side}, one stage: " + "; ".join(out) + "."

    def _repr_html_(self) -> str:
        import html

        from .._format import frame_html

        return (f"<p>{html.escape(self.answer())}</p>"
                + frame_html(self.table, "Perfect Bayesian equilibria of the stage"))


def _stage_state(dg, side: str, at: str) -> int:
    """The state index where ``side`` moves: the record's current state or the baseline."""
    if at == "baseline":
        return int(dg.baseline[side])
    if at != "current":
        raise ParameterError(f"at: {at!r} is neither 'current' nor 'baseline'", key="at")
    idx = list(np.unravel_index(dg.start, dg.dims))
    idx[6] = dg.players.index(side)
    idx[7] = 0
    return int(np.ravel_multi_index(idx, dg.dims))


def resolve_stage(cal: Calibration, *, side: str | None = None,
                  scales: tuple[float, float] = (0.5, 2.0), at: str = "current",
                  prior: float = 0.5):
    """The one-stage private-resolve game as a signalling game (see the module).

    Parameters
    ----------
    cal : Calibration
    side : str, optional
        The side whose own cost of escalating is private (default: the second player,
        Russia in the US-Russia record).
    scales : (float, float)
        The resolute and the conciliatory type's own costs as multiples of the shipped
        ones (the resolute one lower).
    at : {"current", "baseline"}
        The record's state at its last date (with ``side`` to move) or the baseline.
    prior : float
        The other side's prior that ``side`` is resolute.

    Returns
    -------
    SignallingGame
        Types ("resolute", "conciliatory"), messages and actions the levels; payoffs
        normalised per turn (as the dynamic game's values).

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> g = resolve_stage(calibrate())
    >>> g.types, g.shape
    (('resolute', 'conciliatory'), (2, 5, 5))
    """
    return _stage(cal, side, scales, at, prior, {})


def _stage(cal: Calibration, side: str | None, scales, at: str, prior: float,
           solved: dict):
    """:func:`resolve_stage`, with ``solved`` caching each type's dynamic game and its
    equilibrium values (keyed by side and cost scale: the state does not change them)
    across calls."""
    from ..games import SignallingGame
    from ..solvers import iterated_best_response, markov_values
    from .dynamic import dispute_game

    players = cal.players
    side = players[1] if side is None else side
    if side not in players:
        raise ParameterError(f"side: {side!r} is not a player ({', '.join(players)})",
                             key="side")
    lo, hi = (float(x) for x in scales)
    if not (0 < lo < hi):
        raise ParameterError(f"scales must satisfy 0 < resolute < conciliatory, got "
                             f"{scales!r}", key="scales")
    if not (0 < prior < 1):
        raise ParameterError(f"prior must be in (0, 1), got {prior!r}", key="prior")
    d = cal.params.dynamic
    base_s = d.per_side("own_cost_per_staff", players)
    base_r = d.per_side("own_cost_per_restriction", players)
    me = players.index(side)
    other = 1 - me
    S = np.zeros((2, len(cal.levels), len(cal.levels)))
    R = np.zeros_like(S)
    for t, k in enumerate((lo, hi)):
        key = (side, k)
        if key in solved:
            dg, V = solved[key]
        else:
            dg = dispute_game(cal, own_cost_per_staff={
                p: base_s[i] * (k if i == me else 1.0) for i, p in enumerate(players)},
                own_cost_per_restriction={
                p: base_r[i] * (k if i == me else 1.0) for i, p in enumerate(players)})
            eq = iterated_best_response(dg.game)[0]
            V = markov_values(dg.game, eq.strategies)
            solved[key] = (dg, V)
        g, delta = dg.game, dg.discount_per_turn
        s = _stage_state(dg, side, at)
        pay = np.asarray(g.stage(s).payoffs, dtype=float)
        pay = pay[0] if me == 1 else pay[:, 0]                 # (levels, players)
        T = g.transition(s)
        T = T[0] if me == 1 else T[:, 0]                       # (levels, states)
        for m in range(len(cal.levels)):
            cont = np.zeros((len(cal.levels), 2))
            for nxt in np.flatnonzero(T[m] > 0):
                q = np.asarray(g.stage(int(nxt)).payoffs, dtype=float)
                q = q[:, 0] if me == 1 else q[0]               # the other side moves
                Tn = g.transition(int(nxt))
                Tn = Tn[:, 0] if me == 1 else Tn[0]
                cont += T[m, nxt] * ((1 - delta) * q + delta * (Tn @ V.T))
            value = (1 - delta) * pay[m] + delta * cont         # (answers, players)
            S[t, m] = value[:, me]
            R[t, m] = value[:, other]
    return SignallingGame([prior, 1 - prior], S, R, types=("resolute", "conciliatory"),
                          messages=cal.levels, actions=cal.levels)


def resolve_stage_equilibria(cal: Calibration, *, side: str | None = None,
                             scales: Sequence = (0.5, 2.0),
                             priors: Sequence[float] = (0.2, 0.5, 0.8),
                             at: Sequence[str] = ("current", "baseline")) -> ResolveStage:
    """Every pure perfect Bayesian equilibrium of the one-stage private-resolve game, at
    each pair of type costs, state and prior (see the module).

    Parameters
    ----------
    scales : (float, float) or sequence of them
        The resolute and the conciliatory type's own costs as multiples of the shipped
        ones; several pairs show how far the answer depends on this assumed gap.

    Returns
    -------
    ResolveStage

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> res = resolve_stage_equilibria(calibrate(), priors=(0.5,), at=("current",))
    >>> list(res.table.columns[:5])
    ['costs', 'state', 'prior', 'equilibrium', 'resolute plays']
    """
    import pandas as pd

    from ..solvers import signalling_equilibria

    side = cal.players[1] if side is None else side
    pairs = [tuple(scales)] if np.ndim(scales[0]) == 0 else [tuple(p) for p in scales]
    solved: dict = {}
    rows, games = [], {}
    for pair, where, prior in itertools.product(pairs, at, priors):
        costs = f"x{pair[0]:g} / x{pair[1]:g}"
        game = _stage(cal, side, pair, where, prior, solved)
        games.setdefault((costs, where), game)
        for k, e in enumerate(signalling_equilibria(game)):
            row = {"costs": costs, "state": where, "prior": float(prior), "equilibrium": k,
                   "resolute plays": e.sender["resolute"],
                   "conciliatory plays": e.sender["conciliatory"]}
            row.update({f"answer to {m}": a for m, a in e.receiver.items()})
            row.update({f"P(resolute | {m})": b["resolute"] for m, b in e.beliefs.items()})
            row["intuitive"] = bool(e.intuitive)
            rows.append(row)
    return ResolveStage(table=pd.DataFrame(rows), games=games, side=side,
                        scales=tuple((float(a), float(b)) for a, b in pairs),
                        details={"continuation": "complete-information Markov-perfect "
                                 "equilibrium of the dynamic game per type (the type is "
                                 "known after the stage)"})
