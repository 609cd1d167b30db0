"""Reading and writing event files (CSV, YAML, JSON) with located, aggregated errors.

One schema for all three formats (:class:`~gametheory.events.schema.Event`).
In CSV the list fields ``responds_to`` and ``sources`` are separated by ``;``.
Files must be UTF-8 (a byte-order mark is accepted); YAML is read with the
safe loader. Every problem of a file is collected and reported at once in an
:class:`~gametheory.errors.EventFileError` naming the file, line (or record),
field and offending value. Files are never modified.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
from collections.abc import Mapping
from pathlib import Path

from .._config import parse_text, read_text
from ..errors import EventFileError, EventIssue
from .schema import FIELDS
from .sequence import EventSequence
from .validation import REQUIRED, parse_records, validate_sequence
from .writers import save_events

__all__ = ["load_events", "parse_records", "save_events", "validate_sequence"]  # the last
# three are re-exported from .validation and .writers, where they live

#: Files larger than this are refused (pass ``max_bytes`` to raise the limit).
MAX_BYTES = 200_000_000


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise EventFileError([EventIssue(
            path, line, None, None, data[exc.start:exc.start + 4],
            "not valid UTF-8 (mixed or legacy encoding?); re-save the file as UTF-8")]
        ) from None


#: Fields whose values may span lines inside quotes; a line break anywhere else
#: means an unterminated quote swallowed the rows after it.
_MULTILINE_FIELDS = {"stated_justification", "quote", "notes", "sources"}


def _sniff_delimiter(first_line: str) -> str | None:
    """The delimiter a header line uses when it is not a comma (``;`` or tab), else None."""
    if "," in first_line:
        return None
    for delim in (";", "\t"):
        cells = [c.strip() for c in first_line.split(delim)]
        if len(cells) > 1 and sum(c in FIELDS for c in cells) >= 2:
            return delim
    return None


def _csv_records(text: str, path: str, delimiter: str | None = None):
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = delimiter or _sniff_delimiter(first_line) or ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = reader.fieldnames or []
    issues = []
    names = [h.strip() for h in header]
    seen: dict[str, int] = {}
    for col, h in enumerate(names, start=1):
        if h in seen:
            issues.append(EventIssue(path, 1, None, h, None,
                                     f"column appears twice (columns {seen[h]} and {col})"))
        seen.setdefault(h, col)
    missing = [f for f in REQUIRED if f not in names]
    for f in missing:
        issues.append(EventIssue(path, 1, None, f, None, "required column is missing"))
    unknown = [h for h in names if h not in FIELDS]
    for h in unknown:
        close = difflib.get_close_matches(h, FIELDS, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        issues.append(EventIssue(path, 1, None, h, None,
                                 f"unknown column ({hint}valid columns: {', '.join(FIELDS)})"))
    if issues:
        raise EventFileError(issues)
    records = []
    start = 2
    for row in reader:
        if None in row:  # more cells than columns
            issues.append(EventIssue(path, start, None, None, row[None],
                                     f"row has {len(header) + len(row[None])} cells for "
                                     f"{len(header)} columns"))
        else:
            clean = {k.strip(): v for k, v in row.items()}
            broken = [k for k, v in clean.items()
                      if isinstance(v, str) and "\n" in v and k not in _MULTILINE_FIELDS]
            if broken:
                issues.append(EventIssue(
                    path, start, None, broken[0], None,
                    f"a quoted value runs from line {start} to line {reader.line_num}: an "
                    "unterminated quote (\") swallowed the lines after it"))
            elif any(v not in (None, "") for v in clean.values()):
                records.append((clean, start, {}))
        start = reader.line_num + 1
    return records, issues


def _fail_for(path: str):
    def fail(message: str, line: int | None = None):
        raise EventFileError([EventIssue(path, line, None, None, None, message)])
    return fail


def _yaml_records(text: str, path: str):
    data, root = parse_text(text, "yaml", _fail_for(path))
    return _structured_records(root, data, path)


def _json_records(text: str, path: str):
    data, root = parse_text(text, "json", _fail_for(path))
    return _structured_records(root, data, path)


def _structured_records(root, data, path):
    items_node = root
    if isinstance(data, dict) and "events" in data:
        data = data["events"]
        if root is not None and hasattr(root, "value"):
            items_node = next((v for k, v in root.value if k.value == "events"), None)
    if not isinstance(data, list):
        raise EventFileError([EventIssue(path, 1, None, None, None,
                                         "expected a list of event records (or a mapping "
                                         "with key 'events')")])
    nodes = items_node.value if items_node is not None and hasattr(items_node, "value") \
        and isinstance(items_node.value, list) else [None] * len(data)
    records, issues = [], []
    for k, (item, node) in enumerate(zip(data, nodes, strict=False), start=1):
        line = node.start_mark.line + 1 if node is not None else None
        if not isinstance(item, dict):
            issues.append(EventIssue(path, line, k, None, item, "a record must be a mapping"))
            continue
        field_lines = {}
        if node is not None and isinstance(node.value, list):
            for key_node, _ in node.value:
                field_lines[str(key_node.value)] = key_node.start_mark.line + 1
        records.append(({str(k2): v for k2, v in item.items()}, line, field_lines))
    return records, issues


def _sidecar_actors(path: Path) -> dict[str, str]:
    """Extra actor codes declared in ``actors.yaml`` beside an event file (code -> name)."""
    side = path.with_name("actors.yaml")
    if not side.is_file():
        return {}
    name = str(side)

    def fail(message: str, line: int | None = None):
        raise EventFileError([EventIssue(name, line, None, None, None, message)])

    data, _ = parse_text(read_text(side, fail), "yaml", fail)
    if not isinstance(data, dict) or not all(
            isinstance(k, str) and k.isupper() and k.isalpha() and len(k) >= 3
            for k in data):
        fail("actors.yaml must map upper-case codes of three or more letters to names "
             "(e.g. 'WAG: Wagner group')")
    return {k: str(v) for k, v in data.items()}


def load_events(path: str | os.PathLike, *, format: str | None = None,
                max_bytes: int = MAX_BYTES, actors: Mapping[str, str] | None = None,
                delimiter: str | None = None):
    """Load and validate an event file into an :class:`EventSequence`.

    Parameters
    ----------
    path : path
        A ``.csv``, ``.yaml``/``.yml`` or ``.json`` file.
    format : {"csv", "yaml", "json"}, optional
        Overrides the suffix.
    max_bytes : int
        Larger files are refused with a clear error instead of exhausting memory.
    actors : mapping, optional
        Actor codes beyond ISO 3166 alpha-3 and the organisation codes (code ->
        name); an ``actors.yaml`` file beside the event file (a mapping of code to
        name) is read too. Unknown codes are errors with a did-you-mean.
    delimiter : str, optional
        The CSV delimiter; by default ``,``, or ``;`` / tab when the header uses it.

    Raises
    ------
    EventFileError
        Listing every problem with file, line or record, field and value.

    Examples
    --------
    >>> import gametheory as gt
    >>> events = gt.load_model("us-russia").events
    >>> len(events) >= 40, events["E08a"].magnitude
    (True, 60.0)
    """
    p = Path(path)
    name = str(p)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise EventFileError([EventIssue(name, None, None, None, None,
                                         f"cannot read: {exc.strerror}")]) from None
    if size > max_bytes:
        raise EventFileError([EventIssue(name, None, None, None, size,
                                         f"file is {size:,} bytes, over the limit of "
                                         f"{max_bytes:,} (pass max_bytes= to raise it)")])
    if p.is_dir() or not p.is_file():
        kind = "a folder" if p.is_dir() else "not a regular file (a pipe, socket or device)"
        raise EventFileError([EventIssue(name, None, None, None, None,
                                         f"cannot read: {kind}; give an event file")])
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise EventFileError([EventIssue(name, None, None, None, None,
                                         f"cannot read: {exc.strerror or exc}")]) from None
    text = _decode(data, name)
    if not text.strip():
        raise EventFileError([EventIssue(name, 1, None, None, None, "the file is empty")])
    kind = (format or p.suffix.lstrip(".")).lower()
    if kind == "csv":
        records, issues = _csv_records(text, name, delimiter)
    elif kind in ("yaml", "yml"):
        records, issues = _yaml_records(text, name)
    elif kind == "json":
        records, issues = _json_records(text, name)
    else:
        raise EventFileError([EventIssue(name, None, None, None, p.suffix,
                                         "unknown format; use .csv, .yaml, .yml or .json")])
    events, more, lines = parse_records(records, name,
                                        actors={**_sidecar_actors(p), **(actors or {})})
    issues += more
    if not issues and not events:
        issues.append(EventIssue(name, 1, None, None, None, "the file holds no events"))
    # checks across records run on the valid records too, so that every problem is
    # reported at once; links to records that failed are not reported a second time
    failed = {str(raw.get("event_id", "")).strip() for raw, _, _ in records} - {
        e.event_id for e in events}
    issues += [i for i in validate_sequence(events, lines, name)
               if not (i.field == "responds_to" and i.value in failed
                       and "unknown event" in i.message)]
    if issues:
        issues.sort(key=lambda i: (i.line or 0, i.record or 0))
        raise EventFileError(issues)
    return EventSequence(events, source=name, _validated=True)


