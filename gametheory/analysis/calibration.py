"""From a retaliation sequence to games: levels, state, stage utility, repeated game.

The model (documented with its parameters in ``models/us_russia_embassy/parameters.yaml``):

* **Levels.** Each side chooses one of ordered action levels, most conciliatory
  first (by default Zero all, Concede, Hold, Commensurate, Escalate). A level
  changes the other side's mission by a number of staff (or restores it to its
  baseline: ``all``) and its number of standing restrictions.
* **State.** Mission sizes ``S`` (against baselines ``B``) and standing
  restrictions ``R`` of both sides; the calibration state is the one at
  ``state_date``, restrictions counted from the sequence.
* **Stage utility** of side *i* against *j* after the round moves the state::

      u_i = v_i S_i' - l_i max(0, S_i - S_i') - p_i B_i (S_j'/B_j - S_i'/B_i)
            - c_i max(0, level_j - level_i) - k_i R_i'

  (value of the functioning mission, staff and services lost, standing
  against parity -- a shortfall costs, an advantage pays, the realist concern
  with relative gains (Grieco 1988) --, appearing to concede, standing
  restrictions).
* **Observed moves** become one decision per side and day, classified into
  levels by the rules of the parameters file; what the other side did in
  between is what a decision answers.

Functions here are pure; :class:`Calibration` bundles the parameters, the
sequence and the state and hands off to them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from ..errors import SequenceTooShortError
from ..games.normal_form import Game
from .parameters import ModelParameters, load_parameters

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..events import EventSequence
    from ..solvers.repeated import RepeatedGame

__all__ = ["Calibration", "ModelState", "SideMoves", "calibrate", "classify_moves",
           "sensitivity", "slip_matrix", "stage_payoffs", "transition"]

#: A side with fewer decisions than this cannot be calibrated (there is nothing to fit).
MIN_DECISIONS = 1
#: Fewer decisions than this for a side and calibrate warns that every fit and verdict
#: rests on very few observations (:class:`~gametheory.errors.SmallSampleWarning`).
SMALL_SAMPLE_DECISIONS = 3


class SideMoves(NamedTuple):
    """One side's moves for iterated play: ``own`` and ``observed`` level indices, and
    the first turn to score (``start``; earlier turns are virtual)."""

    own: list[int]
    observed: list[int]
    start: int


@dataclass(frozen=True)
class ModelState:
    """Mission sizes and standing restrictions of both sides (in ``players`` order)."""

    staff: tuple[float, float]
    restrictions: tuple[float, float]

    def as_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return np.array(self.staff, dtype=float), np.array(self.restrictions, dtype=float)


def _level_tables(params: ModelParameters) -> tuple[np.ndarray, np.ndarray]:
    """Staff and restriction effects per level; NaN marks ``all``."""
    staff = np.array([np.nan if lv.staff == "all" else float(lv.staff) for lv in params.levels])
    restr = np.array([np.nan if lv.restrictions == "all" else float(lv.restrictions)
                      for lv in params.levels])
    return staff, restr


def slip_matrix(params: ModelParameters) -> np.ndarray:
    """Where a slip (a botched or misread move) lands, by the parameters' ``noise_kernel``.

    Row: the level meant (or played); columns: the level it becomes when the slip
    happens. ``"neighbour"``: one step up or down among the graded levels, half each
    (at an end, the one neighbour); a level with ``all`` effects (the offer to zero
    all) neither slips nor is slipped into. ``"uniform"``: any other level alike.

    Examples
    --------
    >>> from gametheory.analysis import load_parameters
    >>> from gametheory.models import model_path
    >>> params = load_parameters(model_path("us-russia") / "parameters.yaml")
    >>> slip_matrix(params)
    array([[1. , 0. , 0. , 0. , 0. ],
           [0. , 0. , 1. , 0. , 0. ],
           [0. , 0.5, 0. , 0.5, 0. ],
           [0. , 0. , 0.5, 0. , 0.5],
           [0. , 0. , 0. , 1. , 0. ]])
    """
    eff_s, eff_r = _level_tables(params)
    K = len(eff_s)
    if params.noise_kernel == "uniform":
        return (np.ones((K, K)) - np.eye(K)) / max(K - 1, 1) if K > 1 else np.eye(1)
    offers = np.isnan(eff_s) | np.isnan(eff_r)
    graded = [k for k in range(K) if not offers[k]]
    M = np.eye(K)
    for pos, k in enumerate(graded):
        nb = [graded[q] for q in (pos - 1, pos + 1) if 0 <= q < len(graded)]
        if nb:
            M[k, k] = 0.0
            M[k, nb] = 1.0 / len(nb)
    return M


def _as_dyad(events: EventSequence, params: ModelParameters) -> EventSequence:
    """The record reduced to the two players by the parameters' ``coalitions`` (each
    player's own code is always a member, so a reduced record reduces to itself)."""
    sides = {}
    for side in params.players:
        members = params.coalitions[side]
        if "*" in members:
            others = {m for s_, v in params.coalitions.items() if s_ != side for m in v}
            members = [a for a in events.actors if a not in others] + [
                m for m in members if m != "*"]
        sides[side] = list(dict.fromkeys([side, *members]))
    return events.coalitions(sides)


def _utility_table(params: ModelParameters) -> dict[str, np.ndarray]:
    names = ("mission_value", "loss_cost", "parity_weight", "concession_cost",
             "restriction_cost")
    return {n: np.array([getattr(params.utility[p], n) for p in params.players])
            for n in names}


def transition(params: ModelParameters, staff, restrictions, actions
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One round of the model, vectorised over any leading axes.

    Parameters
    ----------
    params : ModelParameters
    staff, restrictions : array_like, shape (..., 2)
        State before the round, in ``params.players`` order.
    actions : array_like of int, shape (..., 2)
        Level indices chosen by the two sides.

    Returns
    -------
    staff, restrictions, utilities : ndarray, shape (..., 2)
        State after the round and each side's stage utility.

    Examples
    --------
    >>> p = load_parameters("us-russia")
    >>> s, r, u = transition(p, [120, 400], [11, 8], [0, 0])   # both zero all
    >>> s.tolist(), r.tolist()
    ([1200.0, 455.0], [0.0, 0.0])
    >>> u.tolist()   # the missions' full value, nothing else
    [1200.0, 455.0]
    """
    S = np.asarray(staff, dtype=float)
    R = np.asarray(restrictions, dtype=float)
    a = np.asarray(actions, dtype=np.int64)
    eff_s, eff_r = _level_tables(params)
    B = np.array([params.missions[p].baseline for p in params.players])
    w = _utility_table(params)
    other = a[..., ::-1]                      # the level each side is hit by
    hit_s, hit_r = eff_s[other], eff_r[other]
    S1 = np.where(np.isnan(hit_s), B, np.clip(S - np.nan_to_num(hit_s), 0.0, B))
    R1 = np.where(np.isnan(hit_r), 0.0, np.maximum(R + np.nan_to_num(hit_r), 0.0))
    share = S1 / B
    u = (w["mission_value"] * S1
         - w["loss_cost"] * np.maximum(S - S1, 0.0)
         - w["parity_weight"] * B * (share[..., ::-1] - share)
         - w["concession_cost"] * np.maximum(other - a, 0)
         - w["restriction_cost"] * R1)
    return S1, R1, u


def stage_payoffs(params: ModelParameters, state: ModelState) -> tuple[np.ndarray, np.ndarray]:
    """Payoff matrices ``(A, B)`` of the stage game at ``state`` (rows: first player)."""
    k = len(params.levels)
    a0, a1 = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    actions = np.stack([a0, a1], axis=-1)
    S, R = state.as_arrays()
    _, _, u = transition(params, np.broadcast_to(S, actions.shape),
                         np.broadcast_to(R, actions.shape), actions)
    return u[..., 0], u[..., 1]


def _standing_restrictions(events: EventSequence, params: ModelParameters) -> tuple[float, float]:
    """Restrictive decisions against each side between ``start_date`` and ``state_date``
    (implementation steps are part of the decision they implement; a side's cuts of
    its own operations are not restrictions on it)."""
    counts = []
    for i, side in enumerate(params.players):
        other = params.players[1 - i]
        counts.append(float(sum(
            1 for e in events
            if e.actor == other and e.target == side and e.action_type.restricts
            and not e.implements          # a step of a decision already counted
            and _in_period(e.date_announced, params))))
    return counts[0], counts[1]


def _in_period(date: dt.date, params: ModelParameters) -> bool:
    return (params.start_date is None or date >= params.start_date) and date <= params.state_date


def _in_holdout(date: dt.date, params: ModelParameters) -> bool:
    return params.holdout_from is not None and date >= params.holdout_from


def _ordering_date(e, params: ModelParameters) -> dt.date:
    """The date a move is ordered by: a date known to the month (year) only sits at the
    end of its month (year) with ``partial_dates_at: end``, so it is never ordered
    before an event it follows (Sullivan's June 2021 return after the Geneva summit)."""
    import calendar

    from ..events.schema import DatePrecision

    d = e.date_announced
    if params.classification.partial_dates_at == "start":
        return d
    if e.date_precision is DatePrecision.MONTH:
        return d.replace(day=calendar.monthrange(d.year, d.month)[1])
    if e.date_precision is DatePrecision.YEAR:
        return d.replace(month=12, day=31)
    return d


def classify_moves(events: EventSequence, params: ModelParameters, *,
                   period: str = "calibration") -> pd.DataFrame:
    """Every move of the two players in the period with its level (or ``skip``) and why.

    ``period="holdout"`` classifies the moves from ``holdout_from`` on instead, by the
    same rules (out-of-sample material). Columns: ``event_id``, ``date`` (the ordering
    date, see ``partial_dates_at``), ``actor``, ``action_type``, ``magnitude``,
    ``unit``, ``rule`` (the classification rule applied: a level, ``compare``,
    ``skip``, ``cheap talk`` or ``implements``), ``compared_with``, ``ratio``,
    ``level`` (name, or None when not a move of the game).
    """
    import pandas as pd

    from .parameters import TALK_TYPES

    c = params.classification
    players = set(params.players)
    in_range = _in_holdout if period == "holdout" else _in_period
    rows = []
    for e in events:
        if e.actor not in players or e.target not in players or not in_range(
                e.date_announced, params):
            continue
        rule = c.action_types[e.action_type]
        if e.action_type in TALK_TYPES and c.talk == "cheap_talk":
            rule = "cheap talk"
        elif e.implements and c.implementation == "merged":
            rule = "implements"     # part of the decision it carries out
        level, compared, ratio = None, None, np.nan
        if rule == "compare":
            triggers = [events[t] for t in e.responds_to if t in events]
            same = [t for t in triggers if t.actor != e.actor and t.magnitude
                    and t.magnitude_unit == e.magnitude_unit]
            if same and e.magnitude is not None:
                big = max(same, key=lambda t: t.magnitude)
                compared, ratio = big.event_id, e.magnitude / big.magnitude
                level = (c.commensurate_level if ratio <= 1 + c.commensurate_tolerance
                         else c.escalation_level)
            elif e.stated_reciprocity is not None and c.stated_reciprocity == "use":
                # no magnitude to compare: what the actor said the answer was
                level = (c.commensurate_level if e.stated_reciprocity.value == "in_kind"
                         else c.escalation_level)
                rule = "stated"
            else:
                level = c.compare_default
        elif rule not in ("skip", "cheap talk", "implements"):
            level = rule
            if (e.stated_reciprocity is not None and c.stated_reciprocity == "use"
                    and e.responds_to and e.action_type.restricts):
                # an answer said to be in kind (a cap "at parity") rather than the
                # fixed level of its action type
                level = (c.commensurate_level if e.stated_reciprocity.value == "in_kind"
                         else c.escalation_level)
                rule = "stated"
        rows.append({"event_id": e.event_id, "date": pd.Timestamp(_ordering_date(e, params)),
                     "actor": e.actor, "action_type": e.action_type.value,
                     "magnitude": e.magnitude, "unit": e.magnitude_unit, "rule": rule,
                     "compared_with": compared, "ratio": ratio, "level": level})
    return pd.DataFrame(rows, columns=["event_id", "date", "actor", "action_type", "magnitude",
                                       "unit", "rule", "compared_with", "ratio", "level"])


def _decisions(moves: pd.DataFrame, params: ModelParameters) -> pd.DataFrame:
    """One decision per side and day, at the most hostile of its levels."""
    import pandas as pd

    names = list(params.level_names)
    played = moves[moves.level.notna()].copy()
    played["level_index"] = [names.index(v) for v in played.level]
    rows = []
    for (date, actor), grp in played.groupby(["date", "actor"], sort=True):
        top = int(grp.level_index.max())
        rows.append({"date": date, "actor": actor, "level_index": top,
                     "level": names[top], "event_ids": ";".join(grp.event_id)})
    return pd.DataFrame(rows, columns=["date", "actor", "level_index", "level", "event_ids"])


def _turns(decisions: pd.DataFrame, params: ModelParameters) -> pd.DataFrame:
    """Alternating turns: runs of one side's decisions merged, idle turns inserted."""
    import pandas as pd

    names = list(params.level_names)
    c = params.classification
    idle = names.index(c.idle_level)
    window = pd.Timedelta(days=c.merge_within_days)
    turns: list[dict] = []
    for row in decisions.itertuples(index=False):
        last = turns[-1] if turns else None
        if last is not None and last["actor"] == row.actor:
            if row.date - last["end"] <= window:
                last["end"] = row.date
                last["level_index"] = max(last["level_index"], row.level_index)
                last["event_ids"] += ";" + row.event_ids
                continue
            if c.insert_idle_turns:
                other = params.players[1 - params.players.index(row.actor)]
                turns.append({"actor": other, "start": last["end"], "end": row.date,
                              "level_index": idle, "event_ids": "", "idle": True})
        turns.append({"actor": row.actor, "start": row.date, "end": row.date,
                      "level_index": int(row.level_index), "event_ids": row.event_ids,
                      "idle": False})
    df = pd.DataFrame(turns, columns=["actor", "start", "end", "level_index", "event_ids",
                                      "idle"])
    df["level"] = [names[k] for k in df.level_index]
    df.insert(0, "turn", np.arange(len(df)))
    return df


@dataclass(frozen=True, eq=False)
class Calibration:
    """A calibrated model: parameters, the sequence, decisions and the state.

    Build it with :func:`calibrate`. Attributes ending in an underscore are
    computed from the sequence.

    Attributes
    ----------
    params : ModelParameters
    events : EventSequence
    moves_ : DataFrame
        Every move of the two players in the period, with its level.
    decisions_ : DataFrame
        One row per side and day with its ``level`` (the most hostile of the day).
    turns_ : DataFrame
        Alternating turns (``idle`` marks a turn read as the idle level).
    state_ : ModelState
        Mission sizes and restrictions at ``state_date``.
    """

    params: ModelParameters
    events: EventSequence
    moves_: Any
    decisions_: Any
    turns_: Any
    state_: ModelState

    @property
    def players(self) -> tuple[str, str]:
        return self.params.players

    @property
    def levels(self) -> tuple[str, ...]:
        return self.params.level_names

    def stage_game(self, state: ModelState | None = None) -> Game:
        """The labelled stage game at ``state`` (default: the calibration state).

        Examples
        --------
        >>> cal = calibrate()
        >>> g = cal.stage_game()
        >>> g.players, g.shape
        (('USA', 'RUS'), (5, 5))
        >>> [tuple(g.actions[i][a] for i, a in enumerate(p)) for p in g.pure_equilibria()]
        [('Escalate', 'Escalate')]
        """
        A, B = stage_payoffs(self.params, state or self.state_)
        return Game.from_bimatrix(A, B, players=self.players, actions=[self.levels] * 2)

    def noise_kernels(self) -> tuple[np.ndarray, np.ndarray]:
        """:func:`slip_matrix` for each side, as ``noise_kernel`` of the iterated-play
        engine (:func:`gametheory.play`, :class:`~gametheory.Tournament`)."""
        M = slip_matrix(self.params)
        return M, M.copy()

    def magnitudes(self) -> tuple[np.ndarray, np.ndarray]:
        """Level magnitudes for graded play: each level's position relative to the idle level.

        With the default levels: Zero all -2, Concede -1, Hold 0, Commensurate 1,
        Escalate 2, for both sides. Strategies mirror *levels* (tit for tat answers
        an escalation with an escalation) rather than head counts, which differ
        between the missions by a factor of three; the staff each level moves are
        in :meth:`staff_effects` and drive the state.
        """
        idle = self.levels.index(self.params.classification.idle_level)
        m = np.arange(len(self.levels), dtype=float) - idle
        return m, m.copy()

    def staff_effects(self, state: ModelState | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Staff each side's levels remove from the other mission (``all``: the gap to its
        baseline at ``state``, negative)."""
        st = state or self.state_
        eff, _ = _level_tables(self.params)
        out = []
        for i in range(2):
            j = 1 - i
            gap = self.params.missions[self.players[j]].baseline - st.staff[j]
            out.append(np.where(np.isnan(eff), -gap, eff))
        return out[0], out[1]

    def repeated_game(self, discount: float | None = None) -> RepeatedGame:
        """The stage game at the calibration state, repeated with discount factor δ."""
        from ..solvers.repeated import RepeatedGame

        return RepeatedGame(self.stage_game(), self.params.discount if discount is None
                            else discount)

    def sequences(self) -> dict[str, SideMoves]:
        """Per side: its turns (level indices) and the other side's answers.

        In the order of iterated play: at turn *t* a side has seen its own
        ``own[:t]`` and the other side's ``observed[:t]``. The side that opened
        the dispute opens at turn 0; the other side gets a virtual turn 0 at
        the idle level (the state before the dispute), so that its first real
        turn, scored from ``start = 1``, answers the opening move. The last
        ``observed`` entry is the other side's final turn, or the idle level.
        """
        turns = self.turns_
        out = {}
        idle = self.levels.index(self.params.classification.idle_level)
        for side in self.players:
            opener = turns.actor.iloc[0] == side
            own, observed = ([], []) if opener else ([idle], [int(turns.level_index.iloc[0])])
            for k, row in enumerate(turns.itertuples(index=False)):
                if row.actor != side:
                    continue
                own.append(int(row.level_index))
                observed.append(int(turns.level_index.iloc[k + 1]) if k + 1 < len(turns)
                                else idle)
            out[side] = SideMoves(own, observed, 0 if opener else 1)
        return out

    def holdout_moves(self) -> pd.DataFrame:
        """The moves of the holdout period (from ``holdout_from`` on), classified by the
        same rules: out-of-sample material the calibration never saw (empty when the
        parameters set no holdout)."""
        return classify_moves(self.events, self.params, period="holdout")

    def with_parameters(self, **changes: Any) -> Calibration:
        """Recalibrate with dotted parameter keys changed (``**{"utility.USA.loss_cost": 3}``)."""
        return calibrate(self.events, self.params.replace(**changes))

    def __repr__(self) -> str:
        n = {p: int((self.decisions_.actor == p).sum()) for p in self.players}
        return (f"Calibration({' vs '.join(self.players)}, {len(self.levels)} levels, "
                f"decisions {n}, state {self.state_})")

    def _repr_html_(self) -> str:
        from .._format import table_html

        rows = [[p, self.state_.staff[i], self.params.missions[p].baseline,
                 self.state_.restrictions[i], int((self.decisions_.actor == p).sum())]
                for i, p in enumerate(self.players)]
        head = table_html(["side", f"staff on {self.params.state_date}", "baseline",
                           "standing restrictions", "decisions"], rows,
                          caption="Calibration state")
        return head + self.stage_game()._repr_html_()


def calibrate(events: EventSequence | None = None,
              parameters: str | ModelParameters | Any = "us-russia", *,
              coding: dict[str, Any] | None = None) -> Calibration:
    """Calibrate the model of a retaliation sequence.

    Parameters
    ----------
    events : EventSequence, optional
        The sequence (default: the shipped US–Russia sequence).
    parameters : path, mapping, ModelParameters or model name
        The model's assumptions (default: ``models/us_russia_embassy/parameters.yaml``).
    coding : dict, optional
        Coding choices to change, by the names of the ``classification`` section:
        ``talk`` ("cheap_talk" or "moves"), ``implementation`` ("merged" or
        "separate"), ``insert_idle_turns``, ``partial_dates_at``,
        ``merge_within_days``, ``commensurate_tolerance``, ``compare_default`` (the
        level of a move that answers nothing comparable), ... e.g.
        ``coding={"talk": "moves"}``.

    Raises
    ------
    ParameterError
        For a bad parameters file.
    SequenceTooShortError
        When a side has fewer than three decisions in the period.

    Examples
    --------
    >>> cal = calibrate()
    >>> cal.state_.staff
    (120.0, 400.0)
    >>> cal.decisions_.groupby("actor").size().to_dict()
    {'RUS': 8, 'USA': 9}
    """
    params = parameters if isinstance(parameters, ModelParameters) else \
        load_parameters(parameters)
    if coding:
        params = params.replace(**{f"classification.{k}": v for k, v in coding.items()})
    if events is None:
        from ..models import load_model

        events = load_model("us-russia").events
    if params.coalitions is not None:
        events = _as_dyad(events, params)
    moves = classify_moves(events, params)
    decisions = _decisions(moves, params)
    turns = _turns(decisions, params)
    span = (f"between {params.start_date or 'the start'} and {params.state_date} "
            "(after skipping cheap talk)")
    counts = {side: int((decisions.actor == side).sum()) for side in params.players}
    actors = sorted({e.actor for e in events})
    missing = [side for side in params.players if side not in actors]
    if missing:
        raise SequenceTooShortError(
            f"player(s) {', '.join(missing)} of the parameters never act in the events file, "
            f"whose actors are {', '.join(actors)}: the parameters' `players` (and the keys "
            "of `missions` and `utility`) must be actor codes of the file, or set "
            "`coalitions` to group several actors into one player")
    for side, n in counts.items():
        if n < MIN_DECISIONS:
            raise SequenceTooShortError(
                f"{side} has {n} decision(s) {span}; calibration needs at least "
                f"{MIN_DECISIONS} per side. Check that start_date/state_date cover the moves "
                "and that the side's moves are not all cheap talk (classification.talk)")
    for side, n in counts.items():
        if n < SMALL_SAMPLE_DECISIONS:
            import warnings

            from ..errors import SmallSampleWarning

            warnings.warn(f"{side} has only {n} decision(s) {span}: every fit and verdict "
                          f"rests on very few observations (fewer than "
                          f"{SMALL_SAMPLE_DECISIONS})", SmallSampleWarning, stacklevel=2)
    state = ModelState(
        staff=tuple(float(params.missions[p].state) for p in params.players),
        restrictions=_standing_restrictions(events, params))
    return Calibration(params=params, events=events, moves_=moves, decisions_=decisions,
                       turns_=turns, state_=state)


def sensitivity(cal: Calibration, parameter: str, values, *, tol: float = 1e-9
                ) -> pd.DataFrame:
    """Sweep one parameter; report the stage equilibria at each value and where they change.

    All stage games are solved at once with :func:`gametheory.solve_many`
    (every extreme equilibrium, each verified).

    Parameters
    ----------
    cal : Calibration
    parameter : str
        Dotted key of the parameters file, e.g. ``"utility.RUS.concession_cost"``.
    values : sequence of float

    Returns
    -------
    DataFrame
        One row per value: ``value``, ``n_equilibria``, ``equilibria`` (a
        readable description), ``pure`` (all equilibria pure) and ``changed``
        (the equilibrium set differs from the previous value's).

    Examples
    --------
    >>> cal = calibrate()
    >>> df = sensitivity(cal, "utility.USA.concession_cost", [0, 60, 200])
    >>> df.equilibria.tolist()
    ['Escalate / Escalate', 'Escalate / Escalate', 'Escalate / Escalate']
    """
    import pandas as pd

    from ..solvers import solve_many

    values = [float(v) for v in values]
    A, B = [], []
    for v in values:
        params = cal.params.replace(**{parameter: v})
        a, b = stage_payoffs(params, cal.state_)
        A.append(a)
        B.append(b)
    res = solve_many(np.array(A), np.array(B), tol=tol)
    names = cal.levels
    rows, prev = [], None
    for v, entry in zip(values, res, strict=True):
        desc = []
        for x, y in entry.equilibria:
            def part(p):
                sup = np.flatnonzero(p > tol)
                if len(sup) == 1:
                    return names[sup[0]]
                return "{" + ", ".join(f"{names[k]} {p[k]:.2f}" for k in sup) + "}"
            desc.append(f"{part(x)} / {part(y)}")
        key = tuple(sorted(desc))
        rows.append({"parameter": parameter, "value": v, "n_equilibria": len(desc),
                     "equilibria": "; ".join(key), "pure": all("{" not in d for d in desc),
                     "error": entry.error,
                     "changed": prev is not None and key != prev})
        prev = key
    return pd.DataFrame(rows)
