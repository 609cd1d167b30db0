"""EventSequence: an immutable, validated sequence of moves with a pandas view."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import EventFileError, LabelError, UnknownNameError
from .schema import FIELDS, ActionType, Event
from .validation import parse_records, validate_sequence
from .writers import save_events

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["MAGNITUDE_SCALINGS", "EventSequence"]

#: Named magnitude scalings f(m) for ``goldstein * f(magnitude)``; f(None) = 1.
MAGNITUDE_SCALINGS: dict[str, Callable[[float], float]] = {
    "none": lambda m: 1.0,
    "linear": lambda m: m,
    "log1p": math.log1p,
    "sqrt": math.sqrt,
}


class EventSequence:
    """A validated retaliation sequence.

    Events keep the order of the file. Construction checks the sequence as a
    whole (unique ids, known and earlier triggers, no cycles) and raises
    :class:`~gametheory.errors.EventFileError` otherwise.

    Examples
    --------
    >>> import gametheory as gt
    >>> seq = gt.load_model("us-russia").events
    >>> seq["E09a"].responds_to
    ('E08a',)
    >>> seq.filter(actor="RUS", action_type="expel").ids[:3]
    ('A6', 'E09a', 'E15a')
    """

    __slots__ = ("_events", "_index", "source")

    def __init__(self, events: Iterable[Event], *, source: str | None = None,
                 _validated: bool = False):
        evs = tuple(events)
        if not _validated:
            from .io import validate_sequence

            issues = validate_sequence(list(evs), [None] * len(evs), source)
            if issues:
                raise EventFileError(issues)
        object.__setattr__(self, "_events", evs)
        object.__setattr__(self, "_index", {e.event_id: k for k, e in enumerate(evs)})
        object.__setattr__(self, "source", source)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("EventSequence is immutable")

    def __reduce__(self):
        # pickles (to worker processes) as its events, already validated
        return (_restore, (self._events, self.source))

    # ------------------------------------------------------------ container
    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __getitem__(self, key: int | str) -> Event:
        if isinstance(key, str):
            if key not in self._index:
                raise UnknownNameError("event_id", key, self._index)
            return self._events[self._index[key]]
        return self._events[key]

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._index

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EventSequence):
            return NotImplemented
        return self._events == other._events

    def __hash__(self) -> int:
        return hash(self._events)

    @property
    def ids(self) -> tuple[str, ...]:
        """Event ids in order."""
        return tuple(e.event_id for e in self._events)

    @property
    def actors(self) -> tuple[str, ...]:
        """Actors and targets that appear, in order of first appearance."""
        seen: dict[str, None] = {}
        for e in self._events:
            seen.setdefault(e.actor)
            if e.target:
                seen.setdefault(e.target)
        return tuple(seen)

    def filter(self, *, actor: str | None = None, target: str | None = None,
               action_type: str | ActionType | Iterable[str] | None = None,
               since: Any = None, until: Any = None,
               predicate: Callable[[Event], bool] | None = None) -> EventSequence:
        """A sub-sequence; ``responds_to`` and ``implements`` links to dropped events are
        removed."""
        import datetime as dt

        from .schema import parse_date

        types = None
        if action_type is not None:
            items = [action_type] if isinstance(action_type, str | ActionType) else action_type
            types = {ActionType(str(t).lower()) for t in items}
        lo = parse_date(since)[0] if since is not None else dt.date.min
        hi = parse_date(until)[0] if until is not None else dt.date.max
        kept = [e for e in self._events
                if (actor is None or e.actor == actor) and (target is None or e.target == target)
                and (types is None or e.action_type in types)
                and lo <= e.date_announced <= hi and (predicate is None or predicate(e))]
        ids = {e.event_id for e in kept}
        pruned = [e if set(e.responds_to) | set(e.implements) <= ids else
                  e.model_copy(update={
                      "responds_to": tuple(r for r in e.responds_to if r in ids),
                      "implements": tuple(r for r in e.implements if r in ids)})
                  for e in kept]
        return EventSequence(pruned, source=self.source, _validated=True)

    def coalitions(self, sides: Mapping[str, Iterable[str]]) -> EventSequence:
        """The sequence between coalitions: a dyad from an n-actor sequence.

        ``sides`` maps a side's code to its members, e.g. ``{"WEST": ["GBR", "USA",
        "NATO", ...], "RUS": ["RUS"]}``. The rule: every actor and target that is a
        member is replaced by its side's code; moves between members of one side and
        moves of actors in no side are dropped, with links to them; everything else
        (dates, magnitudes, links, sources) is kept. Several members moving on one
        day stay separate events, which the calibration then reads as one decision
        of the side (one decision per side and day, at the most hostile level).

        Examples
        --------
        >>> import gametheory as gt
        >>> uk = gt.load_model("uk-russia-2018").events
        >>> west = [a for a in uk.actors if a != "RUS"]
        >>> dyad = uk.coalitions({"WEST": west, "RUS": ["RUS"]})
        >>> dyad.actors, len(dyad) == len(uk)
        (('WEST', 'RUS'), True)
        """
        member: dict[str, str] = {}
        for side, members in sides.items():
            for m in members:
                if m in member:
                    raise LabelError(f"{m!r} is listed in two sides ({member[m]!r} and "
                                     f"{side!r})")
                member[m] = side
        kept = []
        for e in self._events:
            a, t = member.get(e.actor), member.get(e.target) if e.target else None
            if a is None or (e.target is not None and (t is None or t == a)):
                continue
            kept.append(e.model_copy(update={"actor": a, "target": t if e.target else None}))
        ids = {e.event_id for e in kept}
        kept = [e.model_copy(update={
            "responds_to": tuple(r for r in e.responds_to if r in ids),
            "implements": tuple(r for r in e.implements if r in ids)}) for e in kept]
        return EventSequence(kept, source=self.source, _validated=True)

    def with_cameo(self, codes: Mapping[str, str]) -> EventSequence:
        """A copy in which action types take other default CAMEO codes.

        Which code an action type gets is a coding choice; the one that changes
        published scores is the expulsion of diplomats, ``174`` ("Expel or deport
        individuals", Goldstein -5.0, PLOVER COERCE) by default or ``161`` ("Reduce or
        break diplomatic relations", -4.0, PLOVER SANCTION). Only events that use the
        default code of their type change; a code or Goldstein weight written in the
        file is a decision about that event and is kept. Goldstein-based measures
        (:meth:`scaled_goldstein`, the ``goldstein_ratio`` of
        :func:`~gametheory.events.reciprocity`, the ``goldstein_resolved`` column)
        follow; the turn table of a calibration does not, since its levels come from
        action types and magnitudes.

        Parameters
        ----------
        codes : mapping
            Action type -> CAMEO code with a documented Goldstein weight
            (:data:`~gametheory.events.cameo.GOLDSTEIN`).

        Examples
        --------
        >>> import gametheory as gt
        >>> ev = gt.load_model("us-russia").events
        >>> as_161 = ev.with_cameo({"expel": "161"})
        >>> ev["E01a"].resolved_goldstein, as_161["E01a"].resolved_goldstein
        (-5.0, -4.0)
        """
        from .cameo import GOLDSTEIN

        types = {t.value: t for t in ActionType}
        for name, code in codes.items():
            if name not in types:
                raise UnknownNameError("action type", name, types)
            if code not in GOLDSTEIN:
                raise LabelError(f"CAMEO code {code!r} for {name!r} has no documented "
                                 f"Goldstein weight; known codes: {', '.join(GOLDSTEIN)}")
        recoded = [e.model_copy(update={"cameo_code": codes[e.action_type.value]})
                   if e.cameo_code is None and e.action_type.value in codes else e
                   for e in self._events]
        return EventSequence(recoded, source=self.source, _validated=True)

    # ------------------------------------------------------------ values
    def scaled_goldstein(self, scaling: str | Callable[[float], float] = "log1p"
                         ) -> list[float]:
        """``goldstein * f(magnitude)`` per event; events without magnitude keep ``goldstein``.

        CAMEO scores the code, not the size, so expelling 60 scores like expelling 1;
        the scaling is a parameter (``"none"``, ``"linear"``, ``"log1p"``, ``"sqrt"`` or
        any function).
        """
        if isinstance(scaling, str):
            if scaling not in MAGNITUDE_SCALINGS:
                raise UnknownNameError("magnitude scaling", scaling, MAGNITUDE_SCALINGS)
            f = MAGNITUDE_SCALINGS[scaling]
        else:
            f = scaling
        return [e.resolved_goldstein * (f(e.magnitude) if e.magnitude is not None else 1.0)
                for e in self._events]

    def to_frame(self, *, resolved: bool = True) -> pd.DataFrame:
        """One row per event, the file's columns in order (dates as datetime64).

        With ``resolved`` two more columns give the CAMEO code and Goldstein weight
        after defaults (``cameo``, ``goldstein_resolved``).
        """
        import pandas as pd

        rows = []
        for e in self._events:
            rec = e.model_dump()
            rec["action_type"] = e.action_type.value
            rec["date_precision"] = e.date_precision.value
            rec["source_tier"] = e.source_tier.value
            rec["confidence"] = e.confidence.value
            if resolved:
                rec["cameo"] = e.resolved_cameo
                rec["goldstein_resolved"] = e.resolved_goldstein
            rows.append(rec)
        cols = list(FIELDS) + (["cameo", "goldstein_resolved"] if resolved else [])
        df = pd.DataFrame(rows, columns=cols)
        for col in ("date_announced", "date_effective"):
            df[col] = pd.to_datetime(df[col])
        return df

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, source: str | None = None) -> EventSequence:
        """Build (and validate) a sequence from a table with the file's columns."""
        import pandas as pd

        records = []
        for row in frame.to_dict(orient="records"):
            rec = {}
            for key in FIELDS:
                if key not in row:
                    continue
                v = row[key]
                if isinstance(v, pd.Timestamp):
                    v = v.date()
                elif v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
                    continue
                elif isinstance(v, tuple):
                    v = list(v)
                rec[key] = v
            records.append((rec, None, {}))
        events, issues, lines = parse_records(records, source)
        if not issues:
            issues = validate_sequence(events, lines, source)
        if issues:
            raise EventFileError(issues)
        return cls(events, source=source, _validated=True)

    def save(self, path, *, format: str | None = None):
        """Write the sequence as CSV, YAML or JSON (see :func:`save_events`)."""
        return save_events(self._events, path, format=format)

    def __repr__(self) -> str:
        if not self._events:
            return "EventSequence(0 events)"
        dates = [e.date_announced for e in self._events]
        first, last = min(dates), max(dates)   # rows need not be in date order
        return (f"EventSequence({len(self)} events, {first} to {last}, actors "
                f"{', '.join(self.actors)})")

    def _repr_html_(self) -> str:
        from .._format import table_html

        cols = ["event_id", "date", "actor", "target", "action", "magnitude", "responds to",
                "Goldstein", "confidence"]
        rows = []
        for e in self._events:
            mag = "" if e.magnitude is None else f"{e.magnitude:g} {e.magnitude_unit}"
            rows.append([e.event_id, e.to_record()["date_announced"], e.actor,
                         e.target or "", e.action_type.value, mag, ", ".join(e.responds_to),
                         e.resolved_goldstein, e.confidence.value])
        return table_html(cols, rows, caption=repr(self))


def _restore(events, source):
    """Unpickle an :class:`EventSequence` (its events were validated when it was made)."""
    return EventSequence(events, source=source, _validated=True)
