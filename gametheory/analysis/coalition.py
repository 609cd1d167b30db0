"""A coordinated round of expulsions as a coalition: who expelled how many, how the
target answered each member, and what the coalition's members were worth to it.

The 2018 round after Salisbury was not a dyad: the United Kingdom, the United States,
sixteen EU states, Ukraine and Canada expelled Russian diplomats within two weeks, and
Russia answered each state on its own. :func:`expulsion_round` reads such a round from an
event record (every ``expel`` move against the target in a window, and the target's
``expel`` moves that answer them through ``responds_to``) and gives:

* the per-member table - expelled, expelled back, whether the answer mirrored the number,
  the delay, the target's other measures against that member;
* the **net exchange** as an additive TU game, ``v(S) = sum_{i in S} (expelled_i -
  expelled back_i)``: with one-for-one answers every coalition is worth 0 - the round
  bought no staffing advantage, its worth was the signal (an additive game's core and
  Shapley value are each member's own term);
* the **signal** as a weighted voting game ``[q; expelled_1, ..., expelled_n]``: a
  coalition "counts" when its expulsions reach the quota ``q`` (an assumption, given as a
  fraction of the round's total and swept), with each member's Shapley-Shubik and
  Banzhaf power, the veto members (those without whom the quota cannot be met) and the
  core, which is non-empty exactly when there are veto members (then it shares the worth
  among them).

Where the record names an answer without its size (Russia's "mirror measures" of 30
March 2018 for six states), the number is taken equal to the member's expulsion and
flagged (``size known`` False).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..games.coalitional import MAX_COALITION_PLAYERS, CoalitionalGame
from ..solvers.coalitional import banzhaf_index, shapley_value

__all__ = ["ExpulsionRound", "expulsion_round"]


@dataclass(frozen=True, eq=False)
class ExpulsionRound:
    """A coordinated round of expulsions against one target (:func:`expulsion_round`).

    Attributes
    ----------
    table : DataFrame
        One row per member: ``member``, ``expelled``, ``expelled back``, ``size known``,
        ``mirror`` (the answer equals the expulsion), ``days to answer``, ``other
        measures`` (the target's non-expulsion moves answering that member), ``events``.
    target : str
    window : (str, str)
        First and last date of the round.
    """

    table: Any
    target: str
    window: tuple[str, str]
    sources: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def members(self) -> list[str]:
        return self.table["member"].tolist()

    def net_game(self) -> CoalitionalGame:
        """``v(S) = sum over S of (expelled - expelled back)``."""
        t = self.table
        return CoalitionalGame.additive(
            (t["expelled"] - t["expelled back"]).to_numpy(float), players=self.members,
            title=f"Net exchange of diplomats with {self.target}")

    def voting_game(self, quota: float) -> CoalitionalGame:
        """The signal game: a coalition is worth 1 when its expulsions reach ``quota``
        (a number of diplomats)."""
        return CoalitionalGame.weighted_voting(
            self.table["expelled"].to_numpy(float), quota, players=self.members,
            title=f"Expelling coalition against {self.target}, quota {quota:g}")

    def power(self, fractions: Sequence[float] = (0.5, 2 / 3, 0.75, 0.9)):
        """Shapley-Shubik and Banzhaf power of each member in the signal game, for quotas
        at each fraction of the round's total, with the veto members (core non-empty
        exactly when there is one; the core then shares the worth among them)."""
        import pandas as pd

        total = float(self.table["expelled"].sum())
        rows = []
        for f in fractions:
            f = float(f)
            if not 0.0 < f <= 1.0:
                raise ParameterError(f"quota fractions must be in (0, 1], got {f!r}")
            game = self.voting_game(f * total)
            ss = shapley_value(game)
            bz = banzhaf_index(game)
            full = (1 << game.n_players) - 1
            veto = [p for i, p in enumerate(game.players)
                    if game.values[full & ~(1 << i)] < 1.0]
            for i, p in enumerate(game.players):
                rows.append({"quota fraction": f, "quota": f * total, "member": p,
                             "expelled": float(self.table["expelled"].iloc[i]),
                             "Shapley-Shubik": ss[i], "Banzhaf": bz[i],
                             "veto": p in veto, "core non-empty": bool(veto)})
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        from .._format import table_html

        t = self.table
        rows = [[r["member"], f"{r['expelled']:g}",
                 f"{r['expelled back']:g}" + ("" if r["size known"] else " (assumed)"),
                 "yes" if r["mirror"] else "no",
                 "" if np.isnan(r["days to answer"]) else f"{r['days to answer']:g}",
                 r["other measures"]] for r in t.to_dict("records")]
        return table_html(["member", "expelled", "expelled back", "mirror", "days",
                           "other measures"], rows,
                          caption=f"Expulsions against {self.target}, {self.window[0]} to "
                                  f"{self.window[1]}: {len(t)} members, "
                                  f"{t['expelled'].sum():g} diplomats")


def expulsion_round(events, *, target: str = "RUS", start: str | None = None,
                    days: int = 14, answer_days: int = 60) -> ExpulsionRound:
    """The coordinated round of expulsions against ``target`` in an event record.

    Parameters
    ----------
    events : EventSequence or Model
        The record (a shipped model, e.g. ``load_model("uk_russia_2018")``).
    target : str
    start : str, optional
        First day of the round (default: the first expulsion of ``target``'s diplomats).
    days : int
        Length of the round: expulsions announced within ``days`` of ``start``.
    answer_days : int
        How long after the round an answer is looked for.

    Examples
    --------
    Twenty members expelled 133 Russian diplomats; Russia answered every one in equal
    numbers except Hungary, which is not on its list of 30 March in the record:

    >>> import gametheory as gt
    >>> r = expulsion_round(gt.load_model("uk_russia_2018"))
    >>> len(r.members), int(r.table["expelled"].sum())
    (20, 133)
    >>> r.table.loc[~r.table["mirror"], "member"].tolist(), r.net_game().grand
    (['HUN'], 1.0)
    """
    import pandas as pd

    seq = getattr(events, "events", events)
    df = seq.to_frame()
    exp = df[(df["action_type"] == "expel") & (df["target"] == target)
             & (df["actor"] != target)].copy()
    if exp.empty:
        raise ParameterError(f"the record has no expulsion of {target}'s diplomats")
    first = pd.Timestamp(start) if start is not None else exp["date_announced"].min()
    last = first + pd.Timedelta(days=int(days))
    exp = exp[(exp["date_announced"] >= first) & (exp["date_announced"] <= last)]
    if exp.empty:
        raise ParameterError(f"no expulsion of {target}'s diplomats between "
                             f"{first.date()} and {last.date()}")
    answers = df[(df["actor"] == target)
                 & (df["date_announced"] <= last + pd.Timedelta(days=int(answer_days)))]
    rows = []
    for member, moves in exp.groupby("actor", sort=False):
        ids = set(moves["event_id"])
        mine = answers[answers["responds_to"].map(lambda r, ids=ids: bool(ids & set(r)))]
        back = mine[mine["action_type"] == "expel"]
        other = mine[mine["action_type"] != "expel"]
        expelled = float(moves["magnitude"].sum())
        known = bool(len(back)) and not back["magnitude"].isna().any()
        if len(back):
            number = float(back["magnitude"].sum()) if known else expelled
            lag = float((back["date_announced"].min()
                         - moves["date_announced"].min()).days)
        else:
            number, lag = 0.0, np.nan
        rows.append({"member": str(member), "expelled": expelled, "expelled back": number,
                     "size known": known or not len(back),
                     "mirror": bool(len(back)) and number == expelled,
                     "days to answer": lag,
                     "other measures": ", ".join(sorted(set(other["action_type"]))),
                     "events": ", ".join(sorted(ids | set(mine["event_id"])))})
    table = pd.DataFrame(rows).sort_values("expelled", ascending=False, kind="stable")
    table = table.reset_index(drop=True)
    if len(table) > MAX_COALITION_PLAYERS:
        raise ParameterError(f"{len(table)} members; the coalition games store 2^n "
                             f"coalitions for at most {MAX_COALITION_PLAYERS}")
    return ExpulsionRound(table, target, (str(first.date()), str(last.date())))
