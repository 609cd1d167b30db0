"""Scenarios: play the calibrated dispute forward from its state, with noise.

Strategies choose levels in the iterated-play engine (graded actions: level
magnitudes are staff removed from the other mission), with move noise and
misperception; the model's state (mission sizes, standing restrictions) is then
rolled forward from the calibration state by :func:`transition`, which gives
each round's utilities, the staffing trajectories and whether both missions
are back to normal functioning. Matches of two strategies for one side against
the same opponent share their random numbers (common random numbers), so
their difference is estimated as a paired comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._validate import check_discount
from ..errors import ProfileError
from ..strategies.base import Strategy, as_strategy
from .calibration import Calibration, transition

if TYPE_CHECKING:  # pragma: no cover
    pass

__all__ = ["Continuing", "ScenarioResult", "compare_strategies", "simulate_paths"]

_Z = 1.959963984540054


class Continuing(Strategy):
    """A strategy that continues a dispute: it has already seen ``own`` and ``observed``.

    Before the first scenario turn the wrapped strategy is fed the observed
    turns one by one (so an automaton is in the state the record put it in, a
    parity seeker knows the standing gap, a grim trigger may already be
    triggered); then every scenario turn is decided on the record plus what
    happened since. Not registered: it is built by :func:`compare_strategies`.
    """

    def __init__(self, strategy: Strategy | str, own: Sequence[int], observed: Sequence[int]):
        self.strategy = as_strategy(strategy)
        self.own, self.observed = list(own), list(observed)
        self.name = self.strategy.name
        self.classifier = dict(self.strategy.classifier)

    _batchable = False

    def get_params(self) -> dict[str, Any]:
        return {"strategy": self.strategy, "own": self.own, "observed": self.observed}

    def clone(self) -> Continuing:
        """A fresh copy (the wrapped strategy cloned, not deep-copied with its match state)."""
        return type(self)(self.strategy.clone(), list(self.own), list(self.observed))

    def setup(self) -> None:
        from ..strategies.base import History

        self._inner = self.strategy.clone()
        self._inner.reset(self.view)
        self._hist = History(self.view)
        for t in range(len(self.own)):
            self._hist.own, self._hist.opponent = self.own[:t], self.observed[:t]
            self._hist.intended = self.own[:t]
            self._inner.decide(self._hist)
        # vectorised play needs a rectangular history (one observed turn per own turn)
        # and a wrapped strategy the engine can vectorise
        self._batchable = len(self.own) == len(self.observed) and (
            self._inner.batch_family() is not None or self._inner.decide_batch is not None)

    @property
    def decide_batch(self):
        """The vectorised decision (the engine plays all matches of this object in one
        group) when the wrapped strategy has a vectorised family or its own
        ``decide_batch`` and the record has one observed turn per own turn; else None, and
        the engine calls :meth:`decide` match by match. Both give the same moves."""
        return self._decide_batch if self._batchable else None

    def start_batch(self, batch) -> None:
        """Feed the record to the wrapped strategy's vectorised form in every match (the
        record is the same for all, so each match starts in the state :meth:`setup`
        reaches); its history is the record followed by the scenario's turns."""
        from ..strategies.base import Batch
        from ..strategies.families import FAMILIES

        inner = self.strategy.clone()
        inner.reset(self.view)
        n, R = batch.n, len(self.own)
        ib = Batch(n, self.view)
        fam = inner.batch_family()
        if fam is not None:
            impl = FAMILIES[fam[0]]
            impl.start(ib, [fam[1]], np.zeros(n, dtype=np.int64))
            decide = impl.decide
        else:
            inner.start_batch(ib)
            decide = inner.decide_batch
        hist = np.zeros((3, R + 64, n), dtype=np.int64)  # own, observed, intended
        hist[0, :R] = np.asarray(self.own, dtype=np.int64)[:, None]
        hist[1, :R] = np.asarray(self.observed, dtype=np.int64)[:, None]
        hist[2, :R] = hist[0, :R]
        ib.attach(hist[0], hist[1], hist[2], slice(0, n))
        ib.u = np.full(n, 0.5)          # as History's draw while setup replays the record
        for r in range(R):
            ib.turn = r
            decide(ib)
        batch.state["continuing"] = {"batch": ib, "decide": decide, "hist": hist, "R": R}

    def _decide_batch(self, batch) -> np.ndarray:
        c = batch.state["continuing"]
        ib, R, t = c["batch"], c["R"], batch.turn
        row = R + t
        if row >= c["hist"].shape[1]:   # grow the history (doubling)
            grown = np.zeros((3, 2 * row, ib.n), dtype=np.int64)
            grown[:, :row] = c["hist"][:, :row]
            c["hist"] = grown
            ib.attach(grown[0], grown[1], grown[2], slice(0, ib.n))
        if t > 0:
            h = c["hist"]
            h[0, row - 1] = batch.last_own
            h[1, row - 1] = batch.last_opponent
            h[2, row - 1] = batch.intended[:, t - 1]
        ib.turn = row
        ib.u = batch.u
        return np.asarray(c["decide"](ib), dtype=np.int64)

    def decide(self, history) -> int:
        h = self._hist
        h.own = self.own + list(history.own)
        h.opponent = self.observed + list(history.opponent)
        h.intended = self.own + list(history.intended)
        h._u = history.random()
        return int(self._inner.decide(h))


def simulate_paths(cal: Calibration, pairs: Sequence[tuple[Strategy, Strategy]], *,
                   turns: int, noise: float, observation_noise: float, seed, ids: np.ndarray
                   ) -> dict[str, np.ndarray]:
    """Play each pair once per row of ``ids`` and roll the model's state forward.

    Returns arrays ``actions`` (M, T, 2), ``staff`` and ``restrictions`` (M, T + 1, 2)
    (the calibration state first) and ``utility`` (M, T, 2).
    """
    from .._random import as_seed_sequence, match_keys
    from ..iterated.engine import run_matches

    game = cal.stage_game()
    keys = match_keys(as_seed_sequence(seed), ids)
    arr = run_matches(game, list(pairs), keys, turns=turns, noise=noise,
                      observation_noise=observation_noise, magnitudes=cal.magnitudes(),
                      noise_kernel=cal.noise_kernels())
    acts = arr.executed
    M, T = acts.shape[:2]
    S0, R0 = cal.state_.as_arrays()
    staff = np.empty((M, T + 1, 2))
    restr = np.empty((M, T + 1, 2))
    util = np.empty((M, T, 2))
    staff[:, 0], restr[:, 0] = S0, R0
    for t in range(T):
        staff[:, t + 1], restr[:, t + 1], util[:, t] = transition(
            cal.params, staff[:, t], restr[:, t], acts[:, t])
    return {"actions": acts, "staff": staff, "restrictions": restr, "utility": util}


def _discounted(util: np.ndarray, delta: float) -> np.ndarray:
    """Normalised discounted average (1-δ)/(1-δ^T) Σ δ^t u_t over the horizon."""
    T = util.shape[1]
    w = delta ** np.arange(T)
    return np.tensordot(util, w / w.sum(), axes=([1], [0]))


@dataclass
class ScenarioResult:
    """Outcome of :func:`compare_strategies`.

    Attributes
    ----------
    outcomes : DataFrame
        One row per (side, strategy, opponent, noise, discount): the side's mean
        normalised discounted payoff per round with a 95 % interval, the
        probability that both missions end at normal functioning, and the
        final mission sizes.
    comparison : DataFrame
        One row per (side, opponent, noise, discount): payoff of the first
        strategy minus the second (paired over common random numbers), its
        95 % interval and a verdict (``better``, ``worse``, ``no difference``).
    trajectories : DataFrame
        Mean mission sizes per turn with 95 % intervals, per match-up and noise.
    """

    outcomes: Any
    comparison: Any
    trajectories: Any
    strategies: tuple[str, str]
    turns: int
    repetitions: int

    def answer(self) -> str:
        """One paragraph: where the first strategy does better than the second."""
        c = self.comparison
        a, b = self.strategies
        parts = []
        for side, grp in c.groupby("side", sort=False):
            better = grp[grp.verdict == "better"]
            worse = grp[grp.verdict == "worse"]
            parts.append(
                f"For {side}, '{a}' beats '{b}' in {len(better)} and loses in {len(worse)} of "
                f"{len(grp)} cases (opponent x noise x discount); "
                + ("it wins against " + ", ".join(sorted(set(better.opponent))) if len(better)
                   else "it never wins")
                + ("; it loses against " + ", ".join(sorted(set(worse.opponent)))
                   if len(worse) else "") + ".")
        return " ".join(parts)

    def _trajectory_rows(self, noise, side, mission):
        """The trajectories drawn for one side, noise level and mission, with the
        columns naming the side's own strategy and its opponent's."""
        tr = self.trajectories
        noise = tr.noise.max() if noise is None else noise
        side = side if side is not None else tr.side.iloc[0]
        mission = mission if mission is not None else side
        players = [c.removeprefix("final_staff_") for c in self.outcomes.columns
                   if c.startswith("final_staff_")]
        own_col = "first" if players.index(side) == 0 else "second"
        opp_col = "second" if own_col == "first" else "first"
        tr = tr[np.isclose(tr.noise, noise) & (tr.side == side) & (tr.mission_of == mission)]
        return tr, noise, side, mission, own_col, opp_col

    def plot_trajectories(self, ax=None, *, noise: float | None = None,
                          side: str | None = None, mission: str | None = None,
                          opponent: str | None = None):
        """Mission size over the turns when ``side`` plays each of the two strategies.

        One line per own strategy (two colours, colour-blind safe): the mean over the
        opponents, with a band from the opponent with the smallest mean to the one with
        the largest; with ``opponent``, that match-up alone with its 95 % band. Never
        more lines than strategies. ``mission`` (default: the side's own) is whose
        mission is drawn.
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4))
        tr, noise, side, mission, own_col, opp_col = self._trajectory_rows(noise, side,
                                                                           mission)
        if opponent is not None:
            tr = tr[tr[opp_col] == opponent]
        from .._format import PALETTE as colours

        n_opp = tr[opp_col].nunique()
        for k, name in enumerate(self.strategies):
            part = tr[tr[own_col] == name]
            if opponent is not None:
                g = part.sort_values("turn")
                ax.plot(g.turn, g.mean_staff, color=colours[k], label=f"{side} plays {name}")
                ax.fill_between(g.turn, g.low, g.high, color=colours[k], alpha=0.15)
                continue
            by_turn = part.groupby("turn").mean_staff
            mean, lo, hi = by_turn.mean(), by_turn.min(), by_turn.max()
            ax.plot(mean.index, mean.values, color=colours[k], lw=2,
                    label=f"{side} plays {name} (mean over {n_opp} opponents)")
            ax.fill_between(mean.index, lo.values, hi.values, color=colours[k], alpha=0.15,
                            label=f"range over the opponents ({name})")
        ax.set_xlabel("turn (one move and its answer)")
        ax.set_ylabel(f"{mission} mission staff (persons)")
        against = f"against {opponent}" if opponent else "over the opponents"
        ax.set_title(f"{mission} mission when {side} plays each strategy, {against}, "
                     f"noise {noise:g}", fontsize=10)
        ax.legend(fontsize=7)
        return ax

    def plot_trajectory_grid(self, axes=None, *, noise: float | None = None,
                             side: str | None = None, mission: str | None = None):
        """Small multiples: one panel per opponent, each with the mission size when
        ``side`` plays each of the two strategies and its 95 % simulation band; shared
        axes, one legend. ``axes``: an array of at least as many Axes as opponents (by
        default a new figure, three panels a row). Returns the Axes array.

        A band over the opponents hides what differs between them (against some the
        mission is restored, against others it is lost); here each match-up is read
        alone, as in a paper's figure.
        """
        import matplotlib.pyplot as plt

        from .._format import PALETTE

        tr, noise, side, mission, own_col, opp_col = self._trajectory_rows(noise, side,
                                                                           mission)
        opponents = list(dict.fromkeys(tr[opp_col]))
        if axes is None:
            ncols = min(3, max(1, len(opponents)))
            nrows = -(-len(opponents) // ncols)
            _, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 2.4 * nrows),
                                   sharex=True, sharey=True, squeeze=False)
        flat = np.asarray(axes).ravel()
        if len(flat) < len(opponents):
            raise ValueError(f"need {len(opponents)} Axes, got {len(flat)}")
        for ax, opp in zip(flat, opponents, strict=False):
            for k, name in enumerate(self.strategies):
                g = tr[(tr[own_col] == name) & (tr[opp_col] == opp)].sort_values("turn")
                ax.plot(g.turn, g.mean_staff, color=PALETTE[k], lw=1.6,
                        label=f"{side} plays {name}")
                ax.fill_between(g.turn, g.low, g.high, color=PALETTE[k], alpha=0.2, lw=0)
            ax.set_title(f"against {opp}", fontsize=9)
            ax.tick_params(labelsize=8)
        for ax in flat[len(opponents):]:
            ax.set_axis_off()
        flat[0].legend(fontsize=7, loc="best")
        for ax in flat[:len(opponents)]:
            if ax.get_subplotspec() is None or ax.get_subplotspec().is_first_col():
                ax.set_ylabel(f"{mission} staff", fontsize=8)
            if ax.get_subplotspec() is None or ax.get_subplotspec().is_last_row():
                ax.set_xlabel("turn", fontsize=8)
        return axes

    def plot_comparison(self, ax=None, *, side: str | None = None):
        """Payoff difference (first minus second strategy) by opponent and noise."""
        import matplotlib.pyplot as plt

        from .._format import PALETTE

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4))
        c = self.comparison
        side = side or c.side.iloc[0]
        c = c[(c.side == side) & np.isclose(c.discount, c.discount.max())]
        opps = list(dict.fromkeys(c.opponent))
        noises = sorted(set(c.noise))
        width = 0.8 / len(noises)
        for k, nz in enumerate(noises):
            part = c[np.isclose(c.noise, nz)].set_index("opponent").loc[opps]
            x = np.arange(len(opps)) + k * width
            ax.bar(x, part.difference, width, yerr=[part.difference - part.low,
                                                    part.high - part.difference],
                   label=f"noise {nz:g}", capsize=2, color=PALETTE[k % len(PALETTE)],
                   hatch=("", "//", "..", "xx")[(k // len(PALETTE)) % 4], edgecolor="k",
                   linewidth=0.4, error_kw={"ecolor": "0.2", "lw": 0.8})
        ax.axhline(0, color="k", lw=0.8)
        ax.set_xticks(np.arange(len(opps)) + width * (len(noises) - 1) / 2, opps,
                      rotation=20, fontsize=8)
        a, b = self.strategies
        ax.set_ylabel(f"{side}: payoff '{a}' − '{b}'")
        ax.set_title(f"{side}: '{a}' against '{b}' (δ = {c.discount.max():g}), 95 % intervals")
        ax.legend(fontsize=8)
        return ax

    def _repr_html_(self) -> str:
        return (f"<p>{self.answer()}</p>"
                + self.comparison.to_html(index=False, float_format=lambda v: f"{v:.4g}"))


def _check_case_inputs(players, sides, turns: int, repetitions: int,
                       noise_levels) -> list[str]:
    """Checks shared by :func:`compare_strategies` and ``dynamic_compare``; the sides."""
    if turns < 1 or repetitions < 2:
        raise ProfileError(f"need turns >= 1 and repetitions >= 2, got {turns}, {repetitions}")
    for nz in noise_levels:
        if not 0 <= nz <= 1:
            raise ProfileError(f"noise level {nz} is not a probability in [0, 1]")
    sides = list(sides) if sides is not None else list(players)
    for side in sides:
        if side not in players:
            from ..errors import UnknownNameError

            raise UnknownNameError("side", side, players)
    return sides


def _case_rows(side: str, i: int, own_names, opp_name: str, noise: float, util, staff,
               players, normal, discounts) -> tuple[list, list, list]:
    """Outcome, comparison and trajectory rows of one (side, opponent, noise) case.

    ``util`` (2, reps, turns): side ``i``'s utilities under the two own strategies
    (common random numbers); ``staff`` (2, reps, turns + 1, 2); ``discounts``: pairs of
    (the label written as ``discount``, the per-turn factor, extra outcome columns).
    """
    reps, turns = util.shape[1], util.shape[2]
    ok = (staff[:, :, -1] >= normal - 1e-9).all(axis=-1)                  # (2, reps)
    out, cmp_, traj = [], [], []
    for label, delta, extra in discounts:
        val = np.stack([_discounted(util[k], delta) for k in range(2)])    # (2, reps)
        for k, name in enumerate(own_names):
            m, se = val[k].mean(), val[k].std(ddof=1) / np.sqrt(reps)
            p = ok[k].mean()
            pse = np.sqrt(max(p * (1 - p), 1e-12) / reps)
            out.append({
                "side": side, "strategy": name, "opponent": opp_name, "noise": noise,
                "discount": label, **extra, "payoff": m, "low": m - _Z * se,
                "high": m + _Z * se, "p_normal": p, "p_normal_low": max(0.0, p - _Z * pse),
                "p_normal_high": min(1.0, p + _Z * pse),
                **{f"final_staff_{q}": staff[k, :, -1, j].mean()
                   for j, q in enumerate(players)}})
        diff = val[0] - val[1]
        m, se = diff.mean(), diff.std(ddof=1) / np.sqrt(reps)
        lo, hi = m - _Z * se, m + _Z * se
        verdict = "better" if lo > 0 else "worse" if hi < 0 else "no difference"
        cmp_.append({"side": side, "opponent": opp_name, "noise": noise, "discount": label,
                     "first": own_names[0], "second": own_names[1], "difference": m,
                     "low": lo, "high": hi, "verdict": verdict,
                     "p_normal_first": ok[0].mean(), "p_normal_second": ok[1].mean()})
    for k, name in enumerate(own_names):
        pair = (name, opp_name) if i == 0 else (opp_name, name)
        for j, mission in enumerate(players):
            x = staff[k, :, :, j]
            mean = x.mean(axis=0)
            se = x.std(axis=0, ddof=1) / np.sqrt(reps)
            for t in range(turns + 1):
                traj.append({"side": side, "first": pair[0], "second": pair[1],
                             "noise": noise, "mission_of": mission, "turn": t,
                             "mean_staff": mean[t], "low": mean[t] - _Z * se[t],
                             "high": mean[t] + _Z * se[t]})
    return out, cmp_, traj


def compare_strategies(cal: Calibration, first: Strategy | str = "Zero all restrictions",
                       second: Strategy | str = "Tit for tat",
                       opponents: Sequence[Strategy | str] | None = None, *,
                       sides: Sequence[str] | None = None,
                       noise_levels: Sequence[float] = (0.0, 0.05, 0.1),
                       discounts: Sequence[float] | None = None, turns: int = 40,
                       repetitions: int = 200, seed=2021, progress: bool = False,
                       fresh: Sequence[str] = ("Zero all restrictions", "GRIT")
                       ) -> ScenarioResult:
    """Does ``first`` do better than ``second`` for a side, against each opponent?

    From the calibration state, each side in ``sides`` plays ``first`` and
    ``second`` against every opponent strategy. Strategies named in ``fresh``
    (new initiatives: the offer to zero all restrictions, GRIT) start anew;
    every other strategy continues the dispute, having seen the record of
    :meth:`Calibration.sequences` (:class:`Continuing`): tit for tat opens by
    answering the other side's last turn, not by cooperating. Scenario turns
    are simultaneous, so the side that moved last in the record re-decides
    that turn at turn 0, together with the other side's answer. Each plays
    ``repetitions`` matches of ``turns`` turns per noise level (move noise
    and misperception both equal to the level; a slip lands where the
    parameters' ``noise_kernel`` says, by default on a neighbouring graded
    level, never on the offer to zero all:
    :func:`~gametheory.analysis.slip_matrix`). Payoffs are the model's
    state-dependent utilities, averaged with each discount factor.

    Parameters
    ----------
    cal : Calibration
    first, second : strategy or name
    opponents : strategies or names, optional
        Default: tit for tat, commensurate, parity seeking, GRIT, zero all
        restrictions and always escalate (as in :func:`dispute_candidates`).
    sides : player names, optional
        Default: both.
    fresh : names
        Strategies that do not continue the record.
    noise_levels, discounts : sequences of float
        Discounts default to (0.8, 0.9, the model's δ, 0.95) without duplicates.
    seed : int, optional
        Same seed, same result.

    Examples
    --------
    >>> from gametheory.analysis import calibrate
    >>> res = compare_strategies(calibrate(), opponents=["Tit for tat"], sides=["RUS"],
    ...                          noise_levels=[0.0], discounts=[0.9], turns=10,
    ...                          repetitions=5)
    >>> res.comparison[["side", "opponent", "verdict"]].values.tolist()
    [['RUS', 'Tit for tat', 'better']]
    """
    import pandas as pd

    from .inference import dispute_candidates

    sides = _check_case_inputs(cal.players, sides, turns, repetitions, noise_levels)
    discounts = sorted(set(discounts if discounts is not None else
                           (0.8, 0.9, cal.params.discount, 0.95)))
    for d in discounts:
        check_discount(d, "a scenario discount factor")
    own = [as_strategy(first), as_strategy(second)]
    record = cal.sequences()
    last_mover = cal.turns_.actor.iloc[-1]
    if opponents is None:
        keep = {"Tit for tat", "Commensurate", "Parity seeking", "GRIT",
                "Zero all restrictions", "Always escalate"}
        opponents = [s for s in dispute_candidates(cal) if s.name in keep]
    opps = [as_strategy(o) for o in opponents]
    B = np.array([cal.params.missions[p].baseline for p in cal.players])
    normal = cal.params.normal_functioning * B
    out_rows, cmp_rows, traj_rows = [], [], []
    jobs = [(si, side, oi, opp, ni, nz) for si, side in enumerate(sides)
            for oi, opp in enumerate(opps) for ni, nz in enumerate(noise_levels)]
    if progress:
        from tqdm.auto import tqdm

        jobs = tqdm(jobs, desc="scenarios", leave=False)
    for si, side, oi, opp, ni, nz in jobs:
        i = cal.players.index(side)
        other = cal.players[1 - i]

        def placed(strat, who):
            if strat.name in fresh:
                return strat.clone()
            own_rec, obs_rec = record[who].own, record[who].observed
            if who == last_mover:   # its last turn is re-decided at turn 0 (see above)
                own_rec, obs_rec = own_rec[:-1], obs_rec[:-1]
            return Continuing(strat, own_rec, obs_rec)

        pairs, ids = [], []
        for s in own:
            mine, theirs = placed(s, side), placed(opp, other)
            for r in range(repetitions):
                # the same objects in every repetition: the engine plays each (object,
                # side) as one vectorised group and gives every match its own copy
                pairs.append((mine, theirs) if i == 0 else (theirs, mine))
                ids.append((si, oi, ni, r))
        paths = simulate_paths(cal, pairs, turns=turns, noise=nz, observation_noise=nz,
                               seed=seed, ids=np.array(ids, dtype=np.uint64))
        util = paths["utility"][..., i].reshape(2, repetitions, turns)
        staff = paths["staff"].reshape(2, repetitions, turns + 1, 2)
        rows = _case_rows(side, i, [x.name for x in own], opp.name, nz, util, staff,
                          cal.players, normal, [(d, d, {}) for d in discounts])
        for acc, new_rows in zip((out_rows, cmp_rows, traj_rows), rows, strict=True):
            acc.extend(new_rows)
    return ScenarioResult(outcomes=pd.DataFrame(out_rows), comparison=pd.DataFrame(cmp_rows),
                          trajectories=pd.DataFrame(traj_rows),
                          strategies=(own[0].name, own[1].name), turns=turns,
                          repetitions=repetitions)
