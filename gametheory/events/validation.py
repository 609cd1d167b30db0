"""Validation of event records: each record against the schema (pydantic), then checks
across records (unique ids, known and earlier triggers, no cycles). Every problem is
collected with its file, line, record and field, so a file's errors are reported at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import EventIssue
from .schema import FIELDS, ActionType, Event

__all__ = ["LIST_FIELDS", "REQUIRED", "parse_records", "validate_sequence"]

LIST_FIELDS = ("responds_to", "implements", "sources")
REQUIRED = ("event_id", "date_announced", "actor", "action_type", "sources")


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _clean(raw: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in raw.items():
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                continue
        if value is None:
            continue
        out[key] = _split(value) if key in LIST_FIELDS else value
    return out


def _issues_from_validation(exc, path, line, record, field_lines, raw) -> list[EventIssue]:
    issues = []
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else None
        value = raw.get(field) if field else None
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            message = "required field is missing"
        elif err["type"] == "extra_forbidden":
            message = f"unknown field (valid fields: {', '.join(FIELDS)})"
        elif err["type"] == "enum":
            message = message.replace("Input should be", "must be one of")
            expected = [v.value for v in ActionType] if field == "action_type" else []
            close = difflib.get_close_matches(str(value), expected, n=1, cutoff=0.5)
            if close:
                message = f"unknown value; did you mean {close[0]!r}? ({message})"
        issues.append(EventIssue(path, field_lines.get(field, line), record, field, value,
                                 message))
    return issues


def parse_records(records: Iterable[tuple[dict[str, Any], int | None, dict[str, int]]],
                  path: str | None, *, actors: Mapping[str, str] | None = None
                  ) -> tuple[list[Event], list[EventIssue], list[int | None]]:
    """Validate raw records; return events, issues and each event's line. ``actors``
    declares actor codes beyond the ISO and organisation codes (code -> name)."""
    from pydantic import ValidationError

    events, issues, lines = [], [], []
    for k, (raw, line, field_lines) in enumerate(records, start=1):
        cleaned = _clean(raw)
        try:
            events.append(Event.model_validate(cleaned, context={"actors": actors}))
            lines.append(line)
        except ValidationError as exc:
            issues.extend(_issues_from_validation(exc, path, line, k, field_lines, cleaned))
    return events, issues, lines


def validate_sequence(events: list[Event], lines: list[int | None], path: str | None
                      ) -> list[EventIssue]:
    """Checks across records: unique ids, known and earlier triggers, no cycles."""
    import networkx as nx

    issues = []
    index: dict[str, int] = {}
    for k, ev in enumerate(events):
        if ev.event_id in index:
            first = lines[index[ev.event_id]]
            issues.append(EventIssue(path, lines[k], k + 1, "event_id", ev.event_id,
                                     "duplicate event_id" + (f" (first on line {first})"
                                                             if first else "")))
        else:
            index[ev.event_id] = k
    graph = nx.DiGraph()
    for k, ev in enumerate(events):
        for decision in ev.implements:
            if decision not in index:
                issues.append(EventIssue(path, lines[k], k + 1, "implements", decision,
                                         f"event {ev.event_id!r} implements an unknown event"))
                continue
            earlier = events[index[decision]]
            if earlier.actor != ev.actor:
                issues.append(EventIssue(
                    path, lines[k], k + 1, "implements", decision,
                    f"event {ev.event_id!r} ({ev.actor}) implements a move of "
                    f"{earlier.actor}: implements links a side's own earlier decision; "
                    "an answer to the other side is responds_to"))
            elif earlier.date_announced > ev.date_announced:
                issues.append(EventIssue(
                    path, lines[k], k + 1, "implements", decision,
                    f"event {ev.event_id!r} ({ev.date_announced}) implements a later "
                    f"event ({earlier.date_announced})"))
            graph.add_edge(decision, ev.event_id)
        for trigger in ev.responds_to:
            if trigger not in index:
                issues.append(EventIssue(path, lines[k], k + 1, "responds_to", trigger,
                                         f"event {ev.event_id!r} responds to an unknown event"))
                continue
            earlier = events[index[trigger]]
            if earlier.actor == ev.actor:
                issues.append(EventIssue(
                    path, lines[k], k + 1, "responds_to", trigger,
                    f"event {ev.event_id!r} answers {trigger!r}, a move of the same side "
                    f"({ev.actor}): a side does not answer itself; a step that carries out "
                    "its own earlier decision is linked with implements"))
            if earlier.date_announced > ev.date_announced:
                issues.append(EventIssue(
                    path, lines[k], k + 1, "responds_to", trigger,
                    f"event {ev.event_id!r} ({ev.date_announced}) responds to a later event "
                    f"({earlier.date_announced})"))
            graph.add_edge(trigger, ev.event_id)
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        cycle = None
    if cycle:
        ids = [u for u, _ in cycle]
        k = index[ids[0]]
        issues.append(EventIssue(path, lines[k], k + 1, "responds_to", ids[0],
                                 "responds_to forms a cycle: " + " -> ".join([*ids, ids[0]])))
    return issues
