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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ParameterError
from ..strategies.base import as_strategy

if TYPE_CHECKING:  # pragma: no cover
    from .calibration import Calibration

__all__ = ["DEFAULT_TYPES", "ResolveResult", "resolve_posterior"]

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
