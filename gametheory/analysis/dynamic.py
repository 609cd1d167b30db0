"""The dispute as a stochastic game: standing restrictions as state, alternating moves.

The repeated-game view freezes the stage game at one date. Here the state moves:

* **State**: each side's mission size (on a grid of shares of its baseline), its
  standing restrictions (on a grid of counts), whether its property (the seized
  compounds, dachas, warehouses) is held by the other side, whose turn it is, and
  whether the other side has just offered to "zero all". A move between grid points
  is split between the two neighbouring points with the probabilities that keep the
  expected mission size (restriction count) exact.
* **Moves alternate** as in the record's turns (one side acts per state; the other
  waits). A level whose ``staff`` or ``restrictions`` is ``all`` is an *offer* to
  reset: it changes nothing by itself; if the other side answers with the same
  offer, both missions return to baseline, every restriction is lifted and seized
  property is returned (Lavrov's "zero all these restrictions", a mutual package).
* **Discounting per year**: the per-turn discount factor is ``E[δ_year ** gap]`` over
  the record's gaps between turns, so that a turn answered the next day and one
  answered after 19 months are weighted as in calendar time.
* **Payoffs**: the stage utility of :func:`~gametheory.analysis.transition` at the
  state after the move, plus the value of seized property, plus an explicit **own
  cost** of escalating for the side that moves (per member of the other mission it
  removes and per restriction it imposes: expelling diplomats costs the expeller its
  consular, trade and information channels and reputation), so escalation is not
  dominant by construction. Appearing to concede costs the mover
  ``concession_cost`` per level below the idle level; an offer to zero all and its
  acceptance cost nothing of that kind (a mutual package is not a concession).
* **Noise**: a move lands on a *neighbouring* level with probability ``noise`` (split
  between the two neighbours); an offer to zero all is deliberate and never the
  result of a tremble.

All weights are assumptions, named in the ``dynamic`` section of the parameters file.
"""

from __future__ import annotations

import bisect
import pickle
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ParameterError, SequenceTooShortError
from ..games.normal_form import Game
from ..games.stochastic import StochasticGame
from .calibration import Calibration, _level_tables, _utility_table, slip_matrix
from .parameters import FEATURES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..solvers.stochastic import MarkovEquilibrium

__all__ = ["FEATURES", "MARKOV_PERFECT", "DisputeGame", "DynamicResult", "dispute_game",
           "dynamic_analysis", "dynamic_compare", "equilibrium_paths", "feature_weights",
           "turn_discount"]

_DAYS_PER_YEAR = 365.25

#: The weights a dispute game's payoffs are linear in, in the order of
#: :attr:`DisputeGame.features`: the stage utility's five (``utility`` section), then
#: the dynamic section's property value and the mover's two own costs of escalating.


def turn_gaps(cal: Calibration) -> np.ndarray:
    """Years between consecutive turns of the record (the start dates of the turns)."""
    starts = np.array(cal.turns_.start.values, dtype="datetime64[D]").astype(np.int64)
    return np.diff(starts) / _DAYS_PER_YEAR


def turn_discount(cal: Calibration, discount_per_year: float) -> float:
    """The per-turn discount factor ``E[δ_year ** gap]`` over the record's gaps.

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> round(turn_discount(calibrate(), 0.8), 3)
    0.951
    """
    gaps = turn_gaps(cal)
    if gaps.size == 0:
        raise SequenceTooShortError("the record has a single turn: no gap between turns "
                                    "to derive a per-turn discount factor from")
    return float(np.mean(discount_per_year ** gaps))


def _grid(values, extra) -> np.ndarray:
    return np.unique(np.concatenate([np.asarray(values, dtype=float),
                                     np.asarray(extra, dtype=float)]))


def _split(x: np.ndarray, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Neighbouring grid indices ``lo``, ``hi`` and the weight of ``hi`` that keeps the
    expectation at ``x`` (values outside the grid go to its end)."""
    x = np.clip(x, grid[0], grid[-1])
    if grid.size == 1:
        z = np.zeros(x.shape, dtype=np.int64)
        return z, z, np.zeros(x.shape)
    hi = np.clip(np.searchsorted(grid, x, side="left"), 1, grid.size - 1)
    lo = hi - 1
    w = np.clip((x - grid[lo]) / (grid[hi] - grid[lo]), 0.0, 1.0)
    return lo, hi, w


def _kernel(params, noise: float) -> np.ndarray:
    """Intended level (rows) -> realised level: a slip with probability ``noise``, landing
    by :func:`~gametheory.analysis.calibration.slip_matrix`."""
    L = slip_matrix(params)
    K = len(L)
    return np.where(np.diag(L)[:, None] == 1.0, np.eye(K), (1 - noise) * np.eye(K) + noise * L)


@dataclass(frozen=True, eq=False)
class DisputeGame:
    """The dispute as a :class:`~gametheory.StochasticGame`, with its state table.

    Build it with :func:`dispute_game`.

    Attributes
    ----------
    game : StochasticGame
    calibration : Calibration
    table : DataFrame
        One row per state: ``staff_<side>``, ``restrictions_<side>``,
        ``property_seized_<side>``, ``mover`` and ``offer_pending`` (the other side has
        just offered to zero all).
    staff_grid, restriction_grid : tuple of ndarray
        Per side, the values its mission size (persons) and restriction count can take.
    discount_per_year, discount_per_turn : float
    noise : float
    start : int
        The state at ``state_date`` (the side that did not make the record's last move
        is to move).
    baseline : dict
        Side to move -> the baseline state (full missions, no restrictions, no seized
        property).
    features : ndarray, shape (states, levels, 2, len(FEATURES))
        The payoffs decomposed: ``game``'s payoff to side ``p`` of intended level ``k``
        in state ``s`` is ``features[s, k, p] @ weights[p]`` with the weights of
        :data:`FEATURES` (exactly; the structural estimator fits those weights).
    successors, successor_probs : ndarray, shape (states, levels, 4)
        Where a *realised* level leads (the grid neighbours and their probabilities),
        for following a record through the states.
    kernel : ndarray, shape (levels, levels)
        Intended level (rows) -> realised level.
    """

    game: StochasticGame
    calibration: Calibration = field(repr=False)
    table: Any = field(repr=False)
    staff_grid: tuple
    restriction_grid: tuple
    discount_per_year: float
    discount_per_turn: float
    noise: float
    start: int
    baseline: dict
    dims: tuple = field(repr=False, default=())
    features: Any = field(repr=False, default=None)
    successors: Any = field(repr=False, default=None)
    successor_probs: Any = field(repr=False, default=None)
    kernel: Any = field(repr=False, default=None)

    def weights(self) -> np.ndarray:
        """The weights of :data:`FEATURES` the game was built with, shape (2, features)."""
        return feature_weights(self.calibration.params)

    @property
    def players(self) -> tuple[str, str]:
        return self.game.players

    def realised_moves(self) -> list:
        """Per realised level, the sparse matrix of where it moves the state (rows: the
        state before, columns: after; the grid neighbours and their probabilities),
        for following a record through the states."""
        from scipy import sparse

        S = self.game.n_states
        rows = np.repeat(np.arange(S), self.successors.shape[2])
        return [sparse.csr_matrix((self.successor_probs[:, k].ravel(),
                                   (rows, self.successors[:, k].ravel())), shape=(S, S))
                for k in range(self.successors.shape[1])]

    def describe(self, state: int) -> str:
        """The label of a state index."""
        return self.game.states[state]

    def state(self, *, staff, restrictions, seized=(False, False), mover: str,
              offer: bool = False) -> int:
        """The index of a state given by its values (staff and restrictions must be on the
        grids; ``offer``: the side that does not move has just offered to zero all).

        Examples
        --------
        >>> from gametheory.analysis import calibrate
        >>> dg = dispute_game(calibrate())
        >>> dg.describe(dg.state(staff=(1200, 455), restrictions=(0, 0), mover="RUS"))
        'USA 1200 RUS 455 | restr 0/0 | seized none | RUS to move'
        """
        from ..errors import ProfileError

        pos = []
        for name, values, grids in (("staff", staff, self.staff_grid),
                                    ("restrictions", restrictions, self.restriction_grid)):
            for i, (v, g) in enumerate(zip(values, grids, strict=True)):
                hit = np.flatnonzero(np.isclose(g, float(v)))
                if hit.size == 0:
                    raise ProfileError(f"{name} of {self.players[i]}: {v} is not on the grid "
                                       f"({', '.join(f'{x:g}' for x in g)})")
                pos.append(int(hit[0]))
        if mover not in self.players:
            raise ProfileError(f"mover: {mover!r} is not a player ({', '.join(self.players)})")
        if offer and self.dims[7] == 1:
            raise ProfileError("offer: no offer is ever pending in this game (offer: "
                               "unilateral); build it with offer='mutual'")
        order = (pos[0], pos[1], pos[2], pos[3], int(bool(seized[0])), int(bool(seized[1])),
                 self.players.index(mover), int(bool(offer)))
        return int(np.ravel_multi_index(order, self.dims))

    def __repr__(self) -> str:
        return (f"DisputeGame({' vs '.join(self.players)}, {self.game.n_states} states, "
                f"δ {self.discount_per_year:g}/year = {self.discount_per_turn:.3f}/turn, "
                f"noise {self.noise:g})")

    def _repr_html_(self) -> str:
        from .._format import table_html

        rows = [[p, ", ".join(f"{v:g}" for v in self.staff_grid[i]),
                 ", ".join(f"{v:g}" for v in self.restriction_grid[i])]
                for i, p in enumerate(self.players)]
        return table_html(["side", "mission sizes", "restriction counts"], rows,
                          caption=f"{self!r}; start: {self.describe(self.start)}")


def _seized(cal: Calibration) -> tuple[int, int]:
    """Whether each side's property is held by the other at ``state_date`` (a
    ``seize_property`` move against it in the period; the record has no return)."""
    from .calibration import _in_period

    out = []
    for i, side in enumerate(cal.players):
        other = cal.players[1 - i]
        out.append(int(any(e.actor == other and e.target == side
                           and e.action_type.value == "seize_property"
                           and _in_period(e.date_announced, cal.params) for e in cal.events)))
    return out[0], out[1]


def dispute_game(cal: Calibration, **changes: Any) -> DisputeGame:
    """Build the dispute's stochastic game from a calibration.

    Parameters
    ----------
    cal : Calibration
    **changes
        Fields of the parameters' ``dynamic`` section to change, e.g.
        ``discount_per_year=0.9`` or ``own_cost_per_staff={"USA": 1, "RUS": 0.5}``.

    Returns
    -------
    DisputeGame

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> dg = dispute_game(calibrate())
    >>> dg.game.n_states, dg.players
    (648, ('USA', 'RUS'))
    >>> dg.describe(dg.start)
    'USA 120 RUS 400 | restr 8/11 | seized USA,RUS | USA to move'
    """
    params = cal.params
    if changes:
        params = params.replace(**{f"dynamic.{k}": v for k, v in changes.items()})
    d = params.dynamic
    players = params.players
    names = params.level_names
    K = len(names)
    eff_s, eff_r = _level_tables(params)
    offer = np.isnan(eff_s) | np.isnan(eff_r)
    if offer.sum() > 1:
        raise ParameterError("the dynamic game allows at most one offer level (staff or "
                             "restrictions 'all')", key="levels")
    idle = names.index(params.classification.idle_level)
    seize = None if d.seize_level is None else names.index(d.seize_level)
    noise = params.noise if d.noise is None else d.noise
    B = np.array([params.missions[p].baseline for p in players])
    S0, R0 = cal.state_.as_arrays()
    gS = [_grid(np.asarray(d.staff_grid) * B[i], [S0[i], B[i]]) for i in range(2)]
    gR = [_grid(d.restriction_grid, [0.0, R0[i]]) for i in range(2)]
    mutual = d.offer == "mutual"
    dims = (gS[0].size, gS[1].size, gR[0].size, gR[1].size, 2, 2, 2, 2 if mutual else 1)
    n = int(np.prod(dims))
    idx = np.unravel_index(np.arange(n), dims)
    S = np.stack([gS[0][idx[0]], gS[1][idx[1]]], axis=1)
    R = np.stack([gR[0][idx[2]], gR[1][idx[3]]], axis=1)
    P = np.stack([idx[4], idx[5]], axis=1).astype(float)
    mover, pending = idx[6], idx[7]
    rows_n = np.arange(n)
    F = len(FEATURES)
    weights = feature_weights(params)

    def utility(S1, R1, P1):
        """Features (n, 2, F) of the state after a move; the mover's own terms are added
        by the caller."""
        share = S1 / B
        comp = np.zeros((n, 2, F))
        comp[..., 0] = S1
        comp[..., 1] = -np.maximum(S - S1, 0.0)
        comp[..., 2] = -B * (share[:, ::-1] - share)
        comp[..., 3] = -R1
        comp[..., 4] = -P1
        return comp

    other = 1 - mover
    # per realised level: successor indices (n, 4), probabilities (n, 4), payoffs (n, 2)
    succ, prob, pay = [], [], []
    for lv in range(K):
        base = [a.copy() for a in idx]
        base[6] = other
        base[7] = np.zeros(n, dtype=np.int64)
        if offer[lv] and not mutual:
            # a unilateral zero all: the mover lifts everything it imposed on the other
            S1, R1, P1 = S.copy(), R.copy(), P.copy()
            S1[rows_n, other] = B[other]
            R1[rows_n, other] = 0.0
            P1[rows_n, other] = 0.0
            u = utility(S1, R1, P1)
            u[rows_n, mover, 5] -= max(0, idle - lv)
            nxt = [a.copy() for a in base]
            for side in (0, 1):
                m = other == side
                nxt[side][m] = gS[side].size - 1
                nxt[2 + side][m] = 0
                nxt[4 + side][m] = 0
            one = np.ravel_multi_index(nxt, dims)
            succ.append(np.stack([one] * 4, axis=1))
            prob.append(np.tile([1.0, 0.0, 0.0, 0.0], (n, 1)))
            pay.append(u)
            continue
        if offer[lv]:
            accept = pending == 1
            S1 = np.where(accept[:, None], B, S)
            R1 = np.where(accept[:, None], 0.0, R)
            P1 = np.where(accept[:, None], 0.0, P)
            u = utility(S1, R1, P1)
            nxt = [a.copy() for a in base]
            nxt[0] = np.where(accept, gS[0].size - 1, idx[0])
            nxt[1] = np.where(accept, gS[1].size - 1, idx[1])
            nxt[2] = np.where(accept, 0, idx[2])
            nxt[3] = np.where(accept, 0, idx[3])
            nxt[4] = np.where(accept, 0, idx[4])
            nxt[5] = np.where(accept, 0, idx[5])
            nxt[7] = np.where(accept, 0, 1)
            one = np.ravel_multi_index(nxt, dims)
            succ.append(np.stack([one] * 4, axis=1))
            prob.append(np.tile([1.0, 0.0, 0.0, 0.0], (n, 1)))
            pay.append(u)
            continue
        S1, R1, P1 = S.copy(), R.copy(), P.copy()
        S1[rows_n, other] = np.clip(S[rows_n, other] - eff_s[lv], 0.0, B[other])
        R1[rows_n, other] = np.maximum(R[rows_n, other] + eff_r[lv], 0.0)
        if seize is not None and lv == seize:
            P1[rows_n, other] = 1.0
        u = utility(S1, R1, P1)
        removed = np.maximum(S[rows_n, other] - S1[rows_n, other], 0.0)
        u[rows_n, mover, 5] -= max(0, idle - lv)
        u[rows_n, mover, 6] -= removed
        u[rows_n, mover, 7] -= max(0.0, eff_r[lv])
        pay.append(u)
        # the hit side's new size and restriction count, split between grid points
        s_lo, s_hi, s_w = np.empty(n, int), np.empty(n, int), np.empty(n)
        r_lo, r_hi, r_w = np.empty(n, int), np.empty(n, int), np.empty(n)
        for side in (0, 1):
            m = other == side
            s_lo[m], s_hi[m], s_w[m] = _split(S1[m, side], gS[side])
            r_lo[m], r_hi[m], r_w[m] = _split(R1[m, side], gR[side])
        cols, ps = [], []
        for s_pick, s_p in ((s_lo, 1 - s_w), (s_hi, s_w)):
            for r_pick, r_p in ((r_lo, 1 - r_w), (r_hi, r_w)):
                nxt = [a.copy() for a in base]
                nxt[4] = P1[:, 0].astype(np.int64)
                nxt[5] = P1[:, 1].astype(np.int64)
                for side in (0, 1):
                    m = other == side
                    nxt[side][m] = s_pick[m]
                    nxt[2 + side][m] = r_pick[m]
                cols.append(np.ravel_multi_index(nxt, dims))
                ps.append(s_p * r_p)
        succ.append(np.stack(cols, axis=1))
        prob.append(np.stack(ps, axis=1))
    kern = _kernel(params, noise)
    succ_a, prob_a, feat_a = np.stack(succ, 1), np.stack(prob, 1), np.stack(pay, 1)
    # intended level k: mixture over realised levels
    trans = np.zeros((n, K, n))
    features = np.einsum("kl,nlpf->nkpf", kern, feat_a)
    payoffs = np.einsum("nkpf,pf->nkp", features, weights)
    for k in range(K):
        for lv in np.flatnonzero(kern[k]):
            np.add.at(trans, (rows_n[:, None], k, succ_a[:, lv]), kern[k, lv] * prob_a[:, lv])
    delta = turn_discount(cal, d.discount_per_year)
    labels = _labels(players, S, R, P, mover, pending)
    wait = ("wait",)
    stages, transitions = [], []
    for s in range(n):
        if mover[s] == 0:
            g = Game(payoffs[s][:, None, :], players=players, actions=[names, wait],
                     title=labels[s])
            transitions.append(trans[s][:, None, :])
        else:
            g = Game(payoffs[s][None, :, :], players=players, actions=[wait, names],
                     title=labels[s])
            transitions.append(trans[s][None, :, :])
        stages.append(g)
    game = StochasticGame(stages, transitions, delta, states=labels,
                          title=f"{' vs '.join(players)}: the dispute as a stochastic game")
    table = _table(players, S, R, P, mover, pending)
    first = 1 - players.index(cal.turns_.actor.iloc[-1])
    p0, p1 = _seized(cal)
    start = int(np.ravel_multi_index(
        (int(np.flatnonzero(gS[0] == S0[0])[0]), int(np.flatnonzero(gS[1] == S0[1])[0]),
         int(np.flatnonzero(gR[0] == R0[0])[0]), int(np.flatnonzero(gR[1] == R0[1])[0]),
         p0, p1, first, 0), dims))
    baseline = {players[m]: int(np.ravel_multi_index(
        (gS[0].size - 1, gS[1].size - 1, 0, 0, 0, 0, m, 0), dims)) for m in (0, 1)}
    return DisputeGame(game=game, calibration=cal, table=table, staff_grid=tuple(gS),
                       restriction_grid=tuple(gR), discount_per_year=d.discount_per_year,
                       discount_per_turn=delta, noise=noise, start=start, baseline=baseline,
                       dims=dims, features=features, successors=succ_a,
                       successor_probs=prob_a, kernel=kern)


def feature_weights(params) -> np.ndarray:
    """The weights of :data:`FEATURES` in a parameters object, shape (2, features), in
    ``params.players`` order."""
    w = _utility_table(params)
    d = params.dynamic
    dyn = {name: np.array(d.per_side(name, params.players))
           for name in ("property_value", "own_cost_per_staff", "own_cost_per_restriction")}
    return np.stack([w[f] if f in w else dyn[f] for f in FEATURES], axis=1)


def _labels(players, S, R, P, mover, pending) -> list[str]:
    out = []
    for s in range(len(mover)):
        seized = ",".join(p for i, p in enumerate(players) if P[s, i]) or "none"
        lab = (f"{players[0]} {S[s, 0]:.0f} {players[1]} {S[s, 1]:.0f} | restr "
               f"{R[s, 0]:g}/{R[s, 1]:g} | seized {seized} | {players[mover[s]]} to move")
        if pending[s]:
            lab += f", {players[1 - mover[s]]} offers"
        out.append(lab)
    return out


def _table(players, S, R, P, mover, pending):
    import pandas as pd

    data = {}
    for i, p in enumerate(players):
        data[f"staff_{p}"] = S[:, i]
    for i, p in enumerate(players):
        data[f"restrictions_{p}"] = R[:, i]
    for i, p in enumerate(players):
        data[f"property_seized_{p}"] = P[:, i].astype(bool)
    data["mover"] = [players[m] for m in mover]
    data["offer_pending"] = pending.astype(bool)
    return pd.DataFrame(data)


# ----------------------------------------------------------------- analysis
def _strategy(eq: MarkovEquilibrium, state: int) -> tuple[int, np.ndarray]:
    """The mover of ``state`` and its mixed action there."""
    st = eq.strategies[state]
    mover = int(np.argmax([len(p) for p in st]))
    return mover, np.asarray(st[mover], dtype=float)


def equilibrium_paths(dg: DisputeGame, eq: MarkovEquilibrium, starts: dict[str, int], *,
                      turns: int = 40) -> pd.DataFrame:
    """Expected course of play under a Markov equilibrium from each named start state.

    One row per start and turn (0 = the start): ``years`` (turns times the record's mean
    gap), expected mission sizes ``staff_<side>``, expected standing restrictions,
    the probability that both missions are at normal functioning (``normal_functioning``
    share of baseline) and that both are at baseline with no restrictions
    (``p_baseline``).
    """
    import pandas as pd

    P = eq.transition_matrix()
    tab = dg.table
    players = dg.players
    params = dg.calibration.params
    B = np.array([params.missions[p].baseline for p in players])
    normal = np.ones(len(tab), dtype=bool)
    at_base = np.ones(len(tab), dtype=bool)
    for i, p in enumerate(players):
        normal &= tab[f"staff_{p}"].to_numpy() >= params.normal_functioning * B[i] - 1e-9
        at_base &= (tab[f"staff_{p}"].to_numpy() >= B[i] - 1e-9) & (
            tab[f"restrictions_{p}"].to_numpy() == 0)
    gap = float(np.mean(turn_gaps(dg.calibration)))
    rows = []
    for name, s0 in starts.items():
        x = np.zeros(len(tab))
        x[s0] = 1.0
        for t in range(turns + 1):
            row = {"start": name, "turn": t, "years": t * gap}
            for p in players:
                row[f"staff_{p}"] = float(x @ tab[f"staff_{p}"].to_numpy())
            for p in players:
                row[f"restrictions_{p}"] = float(x @ tab[f"restrictions_{p}"].to_numpy())
            row["p_normal_functioning"] = float(x[normal].sum())
            row["p_baseline"] = float(x[at_base].sum())
            rows.append(row)
            x = P.T @ x
    return pd.DataFrame(rows)


def _offer_table(dg: DisputeGame, eq: MarkovEquilibrium, physical: int) -> dict[str, float]:
    """At the physical state of ``physical``: each side's probability of playing the
    offer level when it is to move, and the other side's probability of answering with
    it (accepting a mutual offer; reciprocating a unilateral zero all)."""
    names = dg.calibration.levels
    eff_s, eff_r = _level_tables(dg.calibration.params)
    offer = int(np.flatnonzero(np.isnan(eff_s) | np.isnan(eff_r))[0])
    idx = list(np.unravel_index(physical, dg.dims))
    out = {}
    for m, side in enumerate(dg.players):
        other = dg.players[1 - m]
        here = list(idx)
        here[6], here[7] = m, 0
        _, p = _strategy(eq, int(np.ravel_multi_index(here, dg.dims)))
        out[f"{side} plays {names[offer]}"] = float(p[offer])
        answer = list(here)
        answer[6] = 1 - m
        if dg.dims[7] == 2:
            answer[7] = 1                      # the other side faces the offer
        else:                                  # the other side's mission restored
            answer[1 - m] = dg.dims[1 - m] - 1
            answer[2 + (1 - m)] = 0
            answer[4 + (1 - m)] = 0
        _, q = _strategy(eq, int(np.ravel_multi_index(answer, dg.dims)))
        out[f"{other} answers in kind"] = float(q[offer])
    return out


@dataclass(eq=False)
class DynamicResult:
    """The dispute as a stochastic game, solved. Build it with :func:`dynamic_analysis`.

    Attributes
    ----------
    model : DisputeGame
    equilibria : MarkovResult
        Markov-perfect equilibria found (guarantee ``"some"``), each verified.
    summary : DataFrame
        Per equilibrium and start (the state at ``state_date`` and the baseline with
        either side to move): the mover's intended level there (mixed actions as
        probabilities), each side's probability of offering to zero all and of
        accepting the other's offer in that situation, each side's value, and where
        play is expected to be after ``turns`` turns.
    paths : DataFrame
        :func:`equilibrium_paths` of every equilibrium (column ``equilibrium``).
    region : DataFrame
        Over a grid of δ per year and a scale of the own costs of escalating: how many
        equilibria were found, in how many of them the side to move at the baseline
        intends no more than the idle level in both baseline states (mutual restraint
        is self-enforcing there), and whether an offer to zero all at the state date is
        accepted.
    """

    model: DisputeGame
    equilibria: Any
    summary: Any
    paths: Any
    region: Any
    turns: int = 40

    def plot_paths(self, ax=None, *, equilibrium: int = 0, share: bool = True):
        """Expected mission sizes along the equilibrium path from each start.

        One line per side and start (solid: the state date, dashed and dotted: the
        baseline with either side to move), in shares of each side's baseline when
        ``share``. Returns the Axes.

        Examples
        --------
        >>> from gametheory.analysis import calibrate
        >>> r = dynamic_analysis(calibrate(), discounts=(0.8,), parity_weights=(0.0,),
        ...                      cost_scales=(1.0,))
        >>> ax = r.plot_paths()
        >>> len(ax.lines)
        6
        """
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(8, 4))
        from .._format import PALETTE

        paths = self.paths[self.paths.equilibrium == equilibrium]
        params = self.model.calibration.params
        styles = ["-", "--", ":", "-."]
        for k, (start, part) in enumerate(paths.groupby("start", sort=False)):
            for i, side in enumerate(self.model.players):
                y = part[f"staff_{side}"].to_numpy()
                if share:
                    y = y / params.missions[side].baseline
                ax.plot(part.years, y, styles[k % 4], color=PALETTE[i % len(PALETTE)],
                        label=f"{side}, from {start}")
        ax.set_xlabel("years (turns × the record's mean gap)")
        ax.set_ylabel("expected mission, share of baseline" if share
                      else "expected mission size")
        ax.set_title(f"Markov-perfect equilibrium {equilibrium}: expected course of play")
        ax.legend(fontsize="small")
        return ax

    def _repr_html_(self) -> str:
        from .._format import table_html

        def frame(df, caption):
            return table_html(list(df.columns), df.values.tolist(), caption=caption)

        return (self.model._repr_html_()
                + frame(self.summary, "Markov-perfect equilibria found")
                + frame(self.region, "Where mutual restraint is self-enforcing"))


def _summary(dg: DisputeGame, res, starts: dict[str, int], turns: int) -> pd.DataFrame:
    import pandas as pd

    names = dg.calibration.levels
    rows = []
    for k, eq in enumerate(res):
        path = equilibrium_paths(dg, eq, starts, turns=turns)
        for name, s0 in starts.items():
            mover, p = _strategy(eq, s0)
            intended = "; ".join(f"{names[a]} {p[a]:.2f}" if p[a] < 1 - 1e-9 else names[a]
                                 for a in np.flatnonzero(p > 1e-9))
            end = path[(path.start == name) & (path.turn == turns)].iloc[0]
            row = {"equilibrium": k, "start": name, "state": dg.describe(s0),
                   "mover": dg.players[mover], "intends": intended,
                   **_offer_table(dg, eq, s0)}
            for i, side in enumerate(dg.players):
                row[f"value_{side}"] = float(eq.values[i, s0])
            for side in dg.players:
                row[f"staff_{side}_after"] = float(end[f"staff_{side}"])
            row["p_normal_after"] = float(end["p_normal_functioning"])
            rows.append(row)
    return pd.DataFrame(rows)


def _restraint(dg: DisputeGame, eq: MarkovEquilibrium) -> bool:
    idle = dg.calibration.levels.index(dg.calibration.params.classification.idle_level)
    for s in dg.baseline.values():
        _, p = _strategy(eq, s)
        if p[idle + 1:].sum() > 1e-6:
            return False
    return True


def dynamic_analysis(cal: Calibration, *, turns: int = 40,
                     discounts=(0.5, 0.8, 0.95), parity_weights=(0.0, 0.05, 0.1, 0.25, 0.5),
                     cost_scales=(1.0, 4.0), starts=("first", "last", "myopic"),
                     tol: float = 1e-9, progress=None, **changes: Any) -> DynamicResult:
    """Solve the dispute as a stochastic game and map where restraint is self-enforcing.

    Parameters
    ----------
    cal : Calibration
    turns : int
        Horizon of the expected paths (turns of the record's mean length).
    discounts : sequence of float
        δ per year of the restraint map.
    parity_weights : sequence of float
        Parity (relative-gains) weights of the map, the same for both sides.
    cost_scales : sequence of float
        Multipliers of both own costs of escalating (per staff member removed and per
        restriction imposed) in the map.
    starts : sequence
        Starting profiles of :func:`~gametheory.solvers.iterated_best_response` at the
        model's own parameters; each point of the map starts from that equilibrium and
        from ``"last"``.
    progress : callable, optional
        Wraps the iterable of map points (e.g. ``tqdm``).
    **changes
        Fields of the ``dynamic`` parameters to change.

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> r = dynamic_analysis(calibrate(), discounts=(0.8,), parity_weights=(0.0, 0.5),
    ...                      cost_scales=(1.0,))
    >>> all(eq.max_gain < 1e-6 for eq in r.equilibria)
    True
    >>> r.region[["parity_weight", "restraint_in", "equilibria_found"]].values.tolist()
    [[0.0, 1.0, 1.0], [0.5, 0.0, 1.0]]
    """
    import pandas as pd

    from ..solvers.stochastic import iterated_best_response

    dg = dispute_game(cal, **changes)
    res = iterated_best_response(dg.game, starts=starts, tol=tol)
    if not len(res):
        from ..errors import SolverError

        raise SolverError(f"no Markov-perfect equilibrium found from the starts {starts}: "
                          f"{res.details['starts']}")
    named = {f"{cal.params.state_date}": dg.start,
             **{f"baseline, {p} to move": s for p, s in dg.baseline.items()}}
    summary = _summary(dg, res, named, turns)
    paths = pd.concat([equilibrium_paths(dg, eq, named, turns=turns).assign(equilibrium=k)
                       for k, eq in enumerate(res)], ignore_index=True)
    d = cal.params.dynamic
    base_s = d.per_side("own_cost_per_staff", cal.players)
    base_r = d.per_side("own_cost_per_restriction", cal.players)
    warm = np.array([[int(np.argmax(p)) for p in st] for st in res[0].strategies])
    rows = []
    points = [(pw, dy, c) for pw in parity_weights for dy in discounts for c in cost_scales]
    it = progress(points) if progress is not None else points
    recal, built = {}, {}
    for pw, dy, c in it:
        if pw not in recal:
            recal[pw] = cal.with_parameters(**{f"utility.{p}.parity_weight": float(pw)
                                               for p in cal.players})
        if (pw, c) not in built:
            ch = {**changes, "discount_per_year": float(dy),
                  "own_cost_per_staff": {p: c * v for p, v in zip(cal.players, base_s,
                                                                   strict=True)},
                  "own_cost_per_restriction": {p: c * v for p, v in zip(cal.players, base_r,
                                                                         strict=True)}}
            built[(pw, c)] = dispute_game(recal[pw], **ch)
        g = built[(pw, c)]
        if g.discount_per_year != float(dy):
            # only the discount differs: the same game at another δ per turn
            per_turn = turn_discount(recal[pw], float(dy))
            g = replace(g, game=g.game.with_discount(per_turn),
                        discount_per_year=float(dy), discount_per_turn=per_turn)
        r = iterated_best_response(g.game, starts=(warm, "last"), tol=tol)
        restraint = [_restraint(g, eq) for eq in r]
        answers = [_offer_table(g, eq, g.start) for eq in r]
        row = {"parity_weight": float(pw), "discount_per_year": float(dy),
               "discount_per_turn": g.discount_per_turn, "own_cost_scale": float(c),
               "equilibria_found": len(r), "restraint_in": sum(restraint)}
        for key in (answers[0] if answers else {}):
            row[key] = float(np.mean([a[key] for a in answers]))
        row["starts_failed"] = sum(not e["converged"] for e in r.details["starts"])
        rows.append(row)
    return DynamicResult(model=dg, equilibria=res, summary=summary, paths=paths,
                         region=pd.DataFrame(rows), turns=turns)


#: Name of the opponent that plays a Markov-perfect equilibrium of the dispute game.
MARKOV_PERFECT = "Markov perfect"


def _draw(cum: list[float], u: float) -> int:
    """The index at which ``u`` times the total falls in the cumulative weights ``cum``
    (a Python list: bisecting it is ~10x faster than ``np.searchsorted`` on one value)."""
    return min(bisect.bisect_right(cum, u * cum[-1]), len(cum) - 1)


def _simulate_cases(cal: Calibration, first: Any, second: Any, opponents: Any, *, sides,
                    noise_levels, discounts, turns: int, repetitions: int, seed, fresh,
                    changes: dict) -> dict:
    """The play of :func:`dynamic_compare`: for each (side, opponent, noise) case the
    states and realised levels of every turn, ``(2, repetitions, turns)`` (own
    strategy first or second), and the mission sizes along the way. Play does not
    depend on the utility weights unless the opponent is ``"Markov perfect"``, so
    payoffs under any weights are ``game.features[states, levels, side] @ w``."""
    from .._random import as_seed_sequence, match_keys
    from .._validate import check_discount
    from ..games.views import make_views
    from ..strategies.base import History, as_strategy
    from .inference import dispute_candidates
    from .scenarios import Continuing, _check_case_inputs

    players = cal.players
    sides = _check_case_inputs(players, sides, turns, repetitions, noise_levels)
    for d in discounts:
        check_discount(d, "a discount factor per year")
    own = [as_strategy(first), as_strategy(second)]
    if opponents is None:
        keep = {"Tit for tat", "Commensurate", "Parity seeking", "GRIT",
                "Zero all restrictions", "Always escalate"}
        opponents = [s for s in dispute_candidates(cal) if s.name in keep] + [MARKOV_PERFECT]
    opps = [o if o == MARKOV_PERFECT else as_strategy(o) for o in opponents]
    names = [MARKOV_PERFECT if o == MARKOV_PERFECT else o.name for o in opps]

    dg = dispute_game(cal, **{**changes, "noise": 0.0})     # noise is drawn here
    game, tab = dg.game, dg.table
    n, K = len(game.states), len(cal.levels)
    movers = tab.mover.map({p: k for k, p in enumerate(players)}).to_numpy()
    cum = np.zeros((n, K, n))
    pay = np.zeros((n, K, 2))
    for s in range(n):
        T = game.transition(s).reshape(K, n)
        cum[s] = np.cumsum(T, axis=1)
        pay[s] = game.stage_games[s].payoffs.reshape(K, 2)
    mpe = None
    if MARKOV_PERFECT in names:
        from ..solvers.stochastic import iterated_best_response

        res = iterated_best_response(dispute_game(cal, **changes).game)
        if not len(res):
            from ..errors import SolverError

            raise SolverError("no Markov-perfect equilibrium found for the opponent "
                              f"{MARKOV_PERFECT!r}: {res.details['starts']}")
        mpe = np.array([st[movers[s]] for s, st in enumerate(res[0].strategies)])
    # successors by (state, level): the states of positive probability in increasing
    # order and their cumulative probabilities (bisecting these draws the same state as
    # bisecting the full cumulative row: the partial sums are the same numbers)
    positive = np.diff(cum, axis=2, prepend=0.0) > 0
    s_idx, k_idx, j_idx = np.nonzero(positive)          # grouped by (state, level)
    edges = np.cumsum(positive.sum(axis=2).ravel())[:-1]
    succ = [a.tolist() for a in np.split(j_idx, edges)]
    succ_c = [a.tolist() for a in np.split(cum[s_idx, k_idx, j_idx], edges)]
    succ_l = [succ[s_ * K:(s_ + 1) * K] for s_ in range(n)]
    succ_cum_l = [succ_c[s_ * K:(s_ + 1) * K] for s_ in range(n)]
    mpe_cum = np.cumsum(mpe, axis=1).tolist() if mpe is not None else None
    staff = np.stack([tab[f"staff_{p}"].to_numpy() for p in players], axis=1)
    B = np.array([cal.params.missions[p].baseline for p in players])
    normal = cal.params.normal_functioning * B
    views = make_views(cal.stage_game(), cal.magnitudes())
    record = cal.sequences()
    opener = int(movers[dg.start])
    deltas = {d: turn_discount(cal, d) for d in discounts}
    root = as_seed_sequence(seed)

    templates: dict[tuple[int, int], bytes | None] = {}

    def placed(strat, who: int):
        """(strategy ready to decide, own record, observed record) for side ``who``:
        set up (the record replayed) once per strategy and side, then a copy loaded
        from its pickle per match (set up afresh when it does not pickle)."""
        if strat == MARKOV_PERFECT:
            return None, [], []
        key = (id(strat), who)
        if key not in templates:
            ready, _, _ = setup_placed(strat, who)
            try:
                templates[key] = pickle.dumps(ready)
            except (pickle.PicklingError, AttributeError, TypeError):
                templates[key] = None    # a strategy that does not pickle (a local class)
            return ready, [], []
        blob = templates[key]
        return (pickle.loads(blob), [], []) if blob is not None else setup_placed(strat, who)

    def setup_placed(strat, who: int):
        if strat.name in fresh:
            s = strat.clone()
            s.reset(views[who])
            return s, [], []
        rec = record[players[who]]
        own_rec, obs_rec = list(rec.own), list(rec.observed)
        if who != opener:          # its last turn is still unanswered
            obs_rec = obs_rec[:-1]
        s = Continuing(strat, own_rec, obs_rec)
        s.reset(views[who])
        return s, [], []

    cases = []
    for si, side in enumerate(sides):
        i = players.index(side)
        for oi, opp in enumerate(opps):
            for ni, nz in enumerate(noise_levels):
                kern = _kernel(cal.params, nz)
                kcum = np.cumsum(kern, axis=1).tolist()
                ids = np.array([(si, oi, ni, r) for r in range(repetitions)], dtype=np.uint64)
                keys = match_keys(root, ids)
                states = np.zeros((2, repetitions, turns), dtype=np.int64)
                levels = np.zeros((2, repetitions, turns), dtype=np.int64)
                path = np.zeros((2, repetitions, turns + 1, 2))
                for k, mine in enumerate(own):
                    for r in range(repetitions):
                        rng = np.random.default_rng(int(keys[r]))
                        U = rng.random((turns, 4)).tolist()
                        strategies = [None, None]
                        hist = [None, None]
                        fresh_side = [False, False]
                        for who, strat in ((i, mine), (1 - i, opp)):
                            st, pre_own, _ = placed(strat, who)
                            strategies[who] = st
                            fresh_side[who] = st is not None and not isinstance(st, Continuing)
                            h = History(views[who])
                            h.own, h.intended, h.opponent = list(pre_own), list(pre_own), []
                            hist[who] = h
                        s = dg.start
                        path[k, r, 0] = staff[s]
                        for t in range(turns):
                            m = int(movers[s])
                            if strategies[m] is None:
                                intended = _draw(mpe_cum[s], U[t][0])
                            else:
                                h = hist[m]
                                h._u = U[t][0]
                                if fresh_side[m] and not h.own and h.opponent:
                                    # a fresh initiative opens unconditionally: the move it
                                    # follows is paired with its opening, as in play
                                    seen_before, h.opponent = h.opponent, []
                                    intended = int(strategies[m].decide(h))
                                    h.opponent = seen_before
                                else:
                                    intended = int(strategies[m].decide(h))
                            done = _draw(kcum[intended], U[t][1])
                            seen = _draw(kcum[done], U[t][2])
                            hist[m].own.append(done)
                            hist[m].intended.append(intended)
                            hist[1 - m].opponent.append(seen)
                            states[k, r, t] = s
                            levels[k, r, t] = done
                            s = succ_l[s][done][_draw(succ_cum_l[s][done], U[t][3])]
                            path[k, r, t + 1] = staff[s]
                cases.append({"side": side, "i": i, "opponent": names[oi], "noise": nz,
                              "states": states, "levels": levels, "path": path})
    return {"own": own, "pay": pay, "normal": normal, "deltas": deltas, "cases": cases,
            "game": dg, "names": names}


def dynamic_compare(cal: Calibration, first: Any = "Zero all restrictions",
                    second: Any = "Tit for tat", opponents: Any = None, *,
                    sides=None, noise_levels=(0.0, 0.05), discounts=(0.5, 0.8, 0.95),
                    turns: int = 40, repetitions: int = 100, seed=2021,
                    fresh=("Zero all restrictions", "GRIT"), **changes: Any):
    """``compare_strategies`` re-run in the dispute's stochastic game.

    Each side in ``sides`` plays ``first`` and ``second`` against every opponent,
    from the state at ``state_date``, with the sides alternating as in the record
    (the side that did not make the record's last move opens). A move is a level of
    the stage game; it lands on a neighbouring level with probability ``noise``
    (the kernel of :func:`dispute_game`, an offer to zero all never trembles), the
    other side perceives it through the same kernel, and the state (mission sizes
    on their grid, restrictions, compounds) moves by the dispute game's own
    transitions, so own costs, seizures and the offer semantics (``offer``) all
    apply. Payoffs are each round's utilities of the dispute game, discounted per
    turn by the factor each δ per year gives (:func:`turn_discount`) and normalised.
    Strategies not in ``fresh`` continue the record (they have seen its turns, as
    in :func:`~gametheory.analysis.compare_strategies`). The opponent
    ``"Markov perfect"`` plays the first Markov-perfect equilibrium that
    :func:`~gametheory.solvers.iterated_best_response` finds at the model's
    parameters (``changes`` applied) in whatever state play is in. The two own
    strategies face the same random numbers (a paired comparison).

    Returns
    -------
    ScenarioResult
        As :func:`~gametheory.analysis.compare_strategies`; ``discount`` is per year,
        and ``outcomes`` also has ``discount_per_turn``.

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> res = dynamic_compare(calibrate(), opponents=["Tit for tat"], sides=["RUS"],
    ...                       noise_levels=[0.0], discounts=[0.8], turns=10,
    ...                       repetitions=5)
    >>> res.comparison[["side", "opponent", "verdict"]].values.tolist()
    [['RUS', 'Tit for tat', 'worse']]
    """
    import pandas as pd

    from .scenarios import ScenarioResult, _case_rows

    sim = _simulate_cases(cal, first, second, opponents, sides=sides,
                          noise_levels=noise_levels, discounts=discounts, turns=turns,
                          repetitions=repetitions, seed=seed, fresh=fresh, changes=changes)
    own, pay, players, normal = sim["own"], sim["pay"], cal.players, sim["normal"]
    out_rows, cmp_rows, traj_rows = [], [], []
    for case in sim["cases"]:
        i = case["i"]
        util = pay[case["states"], case["levels"], i]
        rows = _case_rows(case["side"], i, [x.name for x in own], case["opponent"],
                          case["noise"], util, case["path"], players, normal,
                          [(d, dt, {"discount_per_turn": dt})
                           for d, dt in sim["deltas"].items()])
        for acc, new_rows in zip((out_rows, cmp_rows, traj_rows), rows, strict=True):
            acc.extend(new_rows)
    return ScenarioResult(outcomes=pd.DataFrame(out_rows), comparison=pd.DataFrame(cmp_rows),
                          trajectories=pd.DataFrame(traj_rows),
                          strategies=(own[0].name, own[1].name), turns=turns,
                          repetitions=repetitions)
