"""Writing event sequences as CSV, YAML or JSON (the inverse of :func:`load_events`),
each file written to a temporary name and renamed."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

from .._files import write_atomic
from ..errors import EventFileError, EventIssue
from .schema import FIELDS
from .validation import LIST_FIELDS

__all__ = ["save_events"]


def _csv_value(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key in LIST_FIELDS:
        return "; ".join(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def save_events(events, path: str | os.PathLike, *, format: str | None = None) -> Path:
    """Write events to CSV, YAML or JSON (the inverse of :func:`load_events`)."""
    p = Path(path)
    kind = (format or p.suffix.lstrip(".")).lower()
    records = [ev.to_record() for ev in events]
    if kind == "csv":
        buf = io.StringIO(newline="")
        writer = csv.DictWriter(buf, fieldnames=list(FIELDS), lineterminator="\n")
        writer.writeheader()
        for rec in records:
            writer.writerow({k: _csv_value(k, rec[k]) for k in FIELDS})
        write_atomic(p, buf.getvalue())
    elif kind in ("yaml", "yml"):
        import yaml

        slim = [{k: v for k, v in rec.items() if v not in (None, [])} for rec in records]
        write_atomic(p, yaml.safe_dump(slim, sort_keys=False, allow_unicode=True, width=100),
                     encoding="utf-8")
    elif kind == "json":
        write_atomic(p, json.dumps(records, indent=1, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    else:
        raise EventFileError([EventIssue(str(p), None, None, None, p.suffix,
                                         "unknown format; use .csv, .yaml, .yml or .json")])
    return p
