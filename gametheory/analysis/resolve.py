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
:func:`resolve_path` below derives them: the belief path in equilibrium.

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

__all__ = ["DEFAULT_TYPES", "ResolvePath", "ResolveResult", "ResolveStage", "resolve_path",
           "resolve_posterior", "resolve_stage", "resolve_stage_equilibria"]

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


def _stage_state(dg, side: str, at) -> int:
    """The state index where ``side`` moves: the record's current state, the baseline,
    or a given state index (where ``side`` must be the mover)."""
    if isinstance(at, int | np.integer) and not isinstance(at, bool):
        if not 0 <= at < dg.game.n_states:
            raise ParameterError(f"at: state {at} is not a state of the dispute game "
                                 f"(0..{dg.game.n_states - 1})", key="at")
        if np.unravel_index(int(at), dg.dims)[6] != dg.players.index(side):
            raise ParameterError(f"at: {side} is not the mover in state {at} "
                                 f"({dg.describe(int(at))})", key="at")
        return int(at)
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


@dataclass(frozen=True, eq=False)
class ResolvePath:
    """The belief along the record in equilibrium (:func:`resolve_path`).

    Attributes
    ----------
    table : DataFrame
        One row per turn of ``side``: ``turn``, ``date``, the observed ``level``, the
        modal ``state`` the record has reached (and its probability ``state_prob``),
        the number of pure perfect Bayesian equilibria of that turn's stage, the
        belief that ``side`` is resolute before the turn and after its observed level
        on the lowest and the highest path (``before_low``, ``after_low``,
        ``before_high``, ``after_high``), and ``on_path``: in how many of the
        equilibria some type's intended level can be realised as the observed one
        (``equilibria`` and ``on_path`` on the lowest path). When none can, the belief
        after it is any belief that keeps the other side's answer a best reply: the
        lowest path takes the smallest, the highest path the largest.
    side : str
    scales : tuple
    prior, tremble : float
    """

    table: Any
    side: str
    scales: tuple
    prior: float
    tremble: float = 0.0

    @property
    def final(self) -> tuple[float, float]:
        """The lowest and the highest belief after the record's last turn of ``side``."""
        if self.table.empty:
            return (self.prior, self.prior)
        last = self.table.iloc[-1]
        return float(last["after_low"]), float(last["after_high"])

    def answer(self) -> str:
        lo, hi = self.final
        moved = (self.table["after_low"] != self.table["before_low"]) | (
            self.table["after_high"] != self.table["before_high"])
        span = f"{lo:.2f}" if abs(hi - lo) < 1e-12 else f"between {lo:.2f} and {hi:.2f}"
        return (f"In equilibrium (types' own costs x{self.scales[0]:g} / "
                f"x{self.scales[1]:g}, prior {self.prior:g}, tremble {self.tremble:g}), "
                f"{int(moved.sum())} of "
                f"{len(self.table)} turns of {self.side} moved the belief that it is "
                f"resolute; after the record it is {span}.")

    def plot(self, ax=None):
        """The two belief paths (lowest and highest across equilibria) by date."""
        import matplotlib.pyplot as plt

        from .._format import PALETTE

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 3))
        t = self.table
        ax.step(t["date"], t["after_low"], where="post", color=PALETTE[0],
                label="lowest equilibrium path")
        ax.step(t["date"], t["after_high"], where="post", linestyle="--", color=PALETTE[1],
                label="highest equilibrium path")
        ax.set_ylim(-0.02, 1.02)
        ax.set_ylabel(f"P({self.side} resolute)")
        ax.legend(loc="best", fontsize="small")
        return ax

    def _repr_html_(self) -> str:
        import html

        from .._format import frame_html

        return (f"<p>{html.escape(self.answer())}</p>"
                + frame_html(self.table, "Belief along the record in equilibrium"))


def resolve_path(cal: Calibration, *, side: str | None = None,
                 scales: tuple[float, float] = (0.5, 2.0), prior: float = 0.5,
                 tremble: float = 0.0, stage_cache: dict | None = None) -> ResolvePath:
    """The belief that ``side`` is resolute, turn by turn along the record, in
    equilibrium.

    The record is followed through the dispute game's states from the baseline (each
    realised level moves the state as the game's noise kernel and grids say, so the
    state is a distribution; its modal state is used). At each of ``side``'s turns the
    one-stage private-resolve game (:func:`resolve_stage`) is played at that state
    with the belief carried from the previous turn as the prior; in each of its pure
    perfect Bayesian equilibria each type intends a level, and the observed level is
    read through the dynamic game's own slip kernel (``dispute_game(cal).kernel``: an
    intended level is realised as a neighbouring one with probability ``noise``), so
    the belief moves by Bayes' rule whenever some type's intended level can come out
    as the observed one. When none can, the level is off the path and perfect
    Bayesian equilibrium leaves the belief free within the range that keeps the other
    side's answer a best reply (the intuitive criterion restricts nothing here: on
    the shipped models every off-path level is equilibrium-dominated for both
    types). The lowest and the highest posterior over equilibria (and over that
    range) are carried forward as two paths. The stage's assumption stays: within a
    stage, the continuation is the complete-information equilibrium of each type.

    Parameters
    ----------
    cal : Calibration
    side : str, optional
        Whose own cost is private (default the second player).
    scales : (float, float)
        The types' own costs as multiples of the shipped ones (resolute lower).
    prior : float
        The belief before the record's first turn.
    tremble : float
        Probability that a move is, besides the kernel's slips, any level at random
        (uniform): with ``tremble > 0`` every observed level has positive probability
        under every type, nothing is off the path and a certain belief can be
        revised. An assumption of the observer's model, shown as a coding choice.
    stage_cache : dict, optional
        Shared with other calls: each type's dynamic-game equilibrium is solved once.

    Returns
    -------
    ResolvePath

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> res = resolve_path(calibrate(), scales=(0.1, 10.0))
    >>> list(res.table.columns[:4])
    ['turn', 'date', 'level', 'state']
    """
    import pandas as pd

    from ..solvers import signalling_equilibria
    from .dynamic import dispute_game

    players = cal.players
    side = players[1] if side is None else side
    if side not in players:
        raise ParameterError(f"side: {side!r} is not a player ({', '.join(players)})",
                             key="side")
    if not (0 < prior < 1):
        raise ParameterError(f"prior must be in (0, 1), got {prior!r}", key="prior")
    if not (0 <= tremble < 1):
        raise ParameterError(f"tremble must be in [0, 1), got {tremble!r}", key="tremble")
    turns = cal.turns_
    actors = turns.actor.tolist()
    if any(a == b for a, b in itertools.pairwise(actors)):
        raise ParameterError("the record's turns do not alternate (insert_idle_turns is "
                             "off): the record cannot be followed through the dynamic "
                             "game's states", key="classification.insert_idle_turns")
    dg = dispute_game(cal)
    kernel = np.asarray(dg.kernel, dtype=float)            # intended -> realised level
    S, K = dg.game.n_states, len(cal.levels)
    moves = dg.realised_moves()
    B = [cal.params.missions[p].baseline for p in players]
    dist = np.zeros(S)
    dist[dg.state(staff=B, restrictions=(0, 0), mover=actors[0])] = 1.0
    solved = {} if stage_cache is None else stage_cache
    belief = [float(prior), float(prior)]
    rows = []
    for t, (actor, level, date) in enumerate(zip(actors, turns.level_index.astype(int),
                                                 turns.start, strict=True)):
        if actor == side:
            s = int(np.argmax(dist))
            row = {"turn": t, "date": date, "level": cal.levels[level], "state": s,
                   "state_prob": float(dist[s])}
            after, counts = [], []
            for path, p in enumerate(belief):
                p_in = min(max(p, 1e-9), 1 - 1e-9)        # a stage needs 0 < prior < 1
                game = _stage(cal, side, scales, s, p_in, solved)
                eqs = signalling_equilibria(game)
                if not eqs:
                    after.append(p)
                    counts.append((0, 0))
                    continue
                post = []
                played = 0
                for e in eqs:
                    like = np.array([(1 - tremble) * kernel[cal.levels.index(e.sender[ty]),
                                                            level] + tremble / K
                                     for ty in ("resolute", "conciliatory")])
                    mass = p * like[0] + (1 - p) * like[1]
                    if mass > 0:                         # Bayes' rule through the slips
                        played += 1
                        post.append(p * like[0] / mass)
                    elif cal.levels[level] in e.off_path:   # off the path: the range
                        lo, hi = e.off_path[cal.levels[level]]["resolute"]
                        post.append(float(lo) if path == 0 else float(hi))
                    else:
                        post.append(0.0 if path == 0 else 1.0)
                after.append(min(post) if path == 0 else max(post))
                counts.append((len(eqs), played))
            row.update({"equilibria": counts[0][0], "on_path": counts[0][1],
                        "before_low": belief[0], "after_low": after[0],
                        "before_high": belief[1], "after_high": after[1]})
            rows.append(row)
            belief = after
        dist = dist @ moves[level]
        dist /= dist.sum()
    return ResolvePath(table=pd.DataFrame(rows), side=side,
                       scales=(float(scales[0]), float(scales[1])), prior=float(prior),
                       tremble=float(tremble))
