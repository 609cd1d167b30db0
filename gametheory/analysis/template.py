"""A parameters template for a user's own retaliation sequence (``gametheory new-model``).

:func:`parameters_template` reads an events file and writes the parameters file a
model needs, every value commented: the players (the two actors with the most moves,
or the ones given), the dates (the record's span), the action levels (their sizes
from the record's own expulsions), the coding options, the dynamic game and the
priors at the shipped defaults, and the utility weights left as ``TODO`` - the one
judgement the toolkit cannot make for you. Until they are filled in, loading the
file fails naming each ``TODO`` key.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ParameterError, SequenceTooShortError

if TYPE_CHECKING:  # pragma: no cover
    from ..events import EventSequence

__all__ = ["parameters_template", "write_model"]


def _players(events: EventSequence, players) -> tuple[str, str]:
    counts = Counter(e.actor for e in events)
    if players is not None:
        players = tuple(players)
        if len(players) != 2 or players[0] == players[1]:
            raise ParameterError(f"give two different players, got {players!r}",
                                 key="players")
        absent = [p for p in players if p not in counts]
        if absent:
            raise SequenceTooShortError(f"player(s) {', '.join(absent)} never act in the "
                                        f"events file; its actors are "
                                        f"{', '.join(sorted(counts))}")
        return players
    if len(counts) < 2:
        raise SequenceTooShortError(f"the events file has {len(counts)} actor(s) "
                                    f"({', '.join(counts)}); a dispute needs two")
    top = counts.most_common()
    if len(top) > 2 and top[1][1] == top[2][1]:
        raise ParameterError(f"the second most active actor is a tie between {top[1][0]} and "
                             f"{top[2][0]} ({top[1][1]} moves each): name the two players "
                             "with --players A,B", key="players")
    return top[0][0], top[1][0]


def _sizes(events: EventSequence) -> tuple[float, float]:
    """(commensurate, escalation) staff sizes: the median and the largest expulsion of
    the record (10 and 50 when it has none)."""
    sizes = [float(e.magnitude) for e in events
             if str(getattr(e.action_type, "value", e.action_type)) == "expel"
             and e.magnitude is not None and str(e.magnitude_unit) == "persons"]
    if not sizes:
        return 10.0, 50.0
    med = float(np.median(sizes))
    top = max(sizes)
    return max(1.0, round(med)), max(round(top), round(2 * med), 2.0)


def parameters_template(events: EventSequence, *, players=None, source: str = "",
                        title: str = "") -> str:
    """The text of a commented parameters file for ``events``.

    Parameters
    ----------
    events : EventSequence
    players : pair of actor codes, optional
        Default: the two actors with the most moves.
    source : str
        The events file's name, quoted in the header.
    title : str
        The dispute's name (default: "A against B").

    Examples
    --------
    >>> from gametheory.models import load_model
    >>> text = parameters_template(load_model("czech-russia-2021").events)
    >>> "players: [RUS, CZE]" in text or "players: [CZE, RUS]" in text
    True
    >>> text.count("TODO") >= 10
    True
    """
    a, b = _players(events, players)
    mine = [e for e in events if e.actor in (a, b)]
    start = min(e.date_announced for e in mine)
    end = max(e.date_announced for e in mine)
    start_date = dt.date(start.year, start.month, 1)
    expelled = {p: sum(float(e.magnitude) for e in mine if e.target == p
                       and str(getattr(e.action_type, "value", e.action_type)) == "expel"
                       and e.magnitude is not None and str(e.magnitude_unit) == "persons")
                for p in (a, b)}
    comm, esc = _sizes(mine)
    concede = max(1.0, round(comm / 2))
    baseline = {p: max(100.0, 2 * expelled[p]) for p in (a, b)}
    state = {p: max(0.0, baseline[p] - expelled[p]) for p in (a, b)}
    title = title or f"{a} against {b}"
    today = dt.date.today().isoformat()

    def utility(p: str) -> str:
        return (f"  {p}:\n"
                "    mission_value: TODO      # value of one member of its mission for one "
                "round (sets the unit; 1 is usual)\n"
                "    loss_cost: TODO          # extra cost per member lost this round "
                "(shipped models: 2)\n"
                "    parity_weight: TODO      # relative gains: cost per share point the "
                "other mission is larger (Grieco 1988; shipped: 0.5)\n"
                "    concession_cost: TODO    # cost of being more conciliatory than the "
                "other side, per level (shipped: 60-90)\n"
                "    restriction_cost: TODO   # cost per standing restriction on its "
                "mission (shipped: 10)\n")

    return f"""\
# Parameters of the model of {title}{f" ({source})" if source else ""}.
# Written by `gametheory new-model` on {today}. Every value is an assumption: the
# comments say what it means and where its default comes from. Fill in each TODO
# (the utility weights: the judgement the record cannot supply), check the dates and
# mission sizes, then run `gametheory analyze <this folder>`. The structural
# estimator and the posterior (`fit_weights`, `weight_posterior`) then say what
# the record itself says about the parity weight.
#
# Units: payoffs are in "staff-rounds": the value to a side of one member of a
# functioning mission for one round of the exchange (one move and its answer).

# The two sides, as actor codes of the events file (detected: the two actors with the
# most moves; a coalition of several actors is grouped with `coalitions:`).
players: [{a}, {b}]

# The record's span: moves before start_date are not part of the dispute; the stage
# game and the scenarios start from the state at state_date (here: the last move of
# either side; set a later date to leave moves out as an out-of-sample holdout with
# holdout_from).
start_date: {start_date.isoformat()}
state_date: {end.isoformat()}

# Mission sizes: baseline (normal size before the dispute) and state (at state_date).
# NOT IN THE EVENTS FILE: the defaults are placeholders (baseline the larger of 100
# and twice the persons expelled from the mission; state baseline minus the persons
# expelled: {', '.join(f"{p} {expelled[p]:g}" for p in (a, b))}). Replace them with
# sourced counts (a staffing.csv beside the events, as the shipped models have).
missions:
  {a}: {{baseline: {baseline[a]:g}, state: {state[a]:g}}}
  {b}: {{baseline: {baseline[b]:g}, state: {state[b]:g}}}

# The action levels, most conciliatory first. `staff` is what a move does to the other
# side's mission (positive: persons removed; `all` restores it to baseline),
# `restrictions` the change in standing restrictions on it (`all` lifts them all).
# Sizes from this record's expulsions: Commensurate = the median expulsion
# ({comm:g}), Escalate = the largest (or twice the median: {esc:g}), Concede = half
# the median back.
levels:
  - {{name: Zero all, staff: all, restrictions: all}}
  - {{name: Concede, staff: -{concede:g}, restrictions: -1}}
  - {{name: Hold, staff: 0, restrictions: 0}}
  - {{name: Commensurate, staff: {comm:g}, restrictions: 1}}
  - {{name: Escalate, staff: {esc:g}, restrictions: 2}}

# Stage utility of side i against side j, after the round moves the state:
#   u_i = mission_value * S_i' - loss_cost * max(0, S_i - S_i')
#       - parity_weight * B_i * (S_j'/B_j - S_i'/B_i)
#       - concession_cost * max(0, level_j - level_i) - restriction_cost * R_i'
# (S mission size, B baseline, R standing restrictions). The shipped models' values
# are judgement, not estimates; the comments give them for orientation only.
utility:
{utility(a)}{utility(b)}
# Repeated play: discount per round, move noise and misperception (the shipped
# models' 0.9 and 0.05; Dal Bó & Fréchette 2011 find errors of a few percent in
# laboratory repeated games), and where a slip lands (neighbour: one level up or
# down; a deliberate offer to zero all never slips - Downs & Rocke 1990 on the
# echo effect).
discount: 0.9
noise: 0.05
observation_noise: 0.05
noise_kernel: neighbour

# "Normal functioning": both missions back to at least this share of baseline.
normal_functioning: 0.75

# Priors of what the record is asked about (weight_posterior): the verdicts are
# averaged over the posterior these give with the record's likelihood.
priors:
  lambda:
    distribution: log_uniform
    low: 0.001
    high: 3.0
    source: "no source; log-uniform over three and a half orders of magnitude"
  parity_weight:
    distribution: half_normal
    scale: 1.0
    source: "Grieco 1988 (sign); Powell 1991 (size depends on the stakes); scale: judgement"

# How observed moves become levels (see models/us_russia_embassy/parameters.yaml for
# each rule explained on a real record). The coding options, each swept by the
# robustness analysis: talk (cheap_talk | moves), implementation (merged | separate),
# insert_idle_turns, partial_dates_at (end | start), compare_default (the level of an
# unprovoked move), stated_reciprocity (use | ignore), merge_within_days,
# commensurate_tolerance.
classification:
  commensurate_tolerance: 0.1
  commensurate_level: Commensurate
  escalation_level: Escalate
  compare_default: Escalate
  idle_level: Hold
  merge_within_days: 45
  talk: cheap_talk
  implementation: merged
  insert_idle_turns: true
  partial_dates_at: end
  stated_reciprocity: use
  action_types:
    expel: compare
    close_facility: compare
    seize_property: compare
    rotation_limit: compare
    cap_staff: Escalate
    ban_local_hires: Escalate
    suspend_services: Commensurate
    sanction: Commensurate
    threat: Commensurate
    demand: Hold
    statement: skip
    talks: skip
    offer: Zero all
    concession: Concede
    restraint: Hold
    agreement: Concede
"""


def write_model(folder: str | Path, events_file: str | Path, *, players=None,
                overwrite: bool = False) -> Path:
    """Write ``folder/parameters.yaml`` (the template) and copy the events file in as
    ``folder/events.csv`` (unless it is already there); returns the parameters path.

    Raises
    ------
    ReportError
        If ``parameters.yaml`` exists and ``overwrite`` is False.
    """
    from .._files import write_atomic
    from ..errors import ReportError
    from ..events import load_events

    folder = Path(folder)
    src = Path(events_file)
    events = load_events(src)
    target = folder / "parameters.yaml"
    if target.exists() and not overwrite:
        raise ReportError(f"{target} exists: pass --overwrite to replace it")
    folder.mkdir(parents=True, exist_ok=True)
    text = parameters_template(events, players=players, source=src.name,
                               title=folder.name)
    write_atomic(target, text)
    dest = folder / "events.csv"
    if src.resolve() != dest.resolve():
        if src.suffix.lower() != ".csv":
            from ..events.writers import save_events

            save_events(events, dest, format="csv")
        else:
            from .._config import read_bytes
            from ..errors import EventFileError, EventIssue
            from ..events.io import MAX_BYTES

            def fail(message: str, line: int | None = None):
                raise EventFileError([EventIssue(None, line, None, None, None, message)])

            write_atomic(dest, read_bytes(src, fail, max_bytes=MAX_BYTES))
    return target
