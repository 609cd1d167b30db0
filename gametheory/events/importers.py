"""Importers for machine-coded event data (ICEWS, GDELT, Phoenix) into the event schema.

These datasets code the CAMEO event type and a Goldstein weight but not the
size of a move (expelling 60 scores like expelling 1) and no non-events, so
imported events have no magnitude; add it by hand where it matters. The
action type is derived from the CAMEO code (:data:`CAMEO_ACTION`); the
dataset's own Goldstein score is kept.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..errors import EventFileError, EventIssue
from .sequence import EventSequence
from .validation import parse_records, validate_sequence

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["CAMEO_ACTION", "COUNTRY_CODES", "from_gdelt", "from_icews", "from_phoenix"]

#: CAMEO code prefix -> action type, longest prefix first.
CAMEO_ACTION: dict[str, str] = {
    "174": "expel", "166": "expel", "1711": "seize_property", "171": "seize_property",
    "163": "sanction", "172": "suspend_services", "16": "close_facility",
    "13": "threat", "10": "demand", "03": "offer", "08": "concession", "04": "talks",
    "05": "agreement",
}

#: ICEWS country names -> ISO 3166 alpha-3 (extend with ``country_codes=``).
COUNTRY_CODES: dict[str, str] = {
    "United States": "USA", "United States of America": "USA", "Russian Federation": "RUS",
    "Russia": "RUS", "United Kingdom": "GBR", "Germany": "DEU", "France": "FRA",
    "China": "CHN", "Ukraine": "UKR", "Czech Republic": "CZE", "Poland": "POL",
}


def action_for_cameo(code: str) -> str:
    """Action type for a CAMEO code (``statement`` when no prefix matches)."""
    for prefix in sorted(CAMEO_ACTION, key=len, reverse=True):
        if code.startswith(prefix):
            return CAMEO_ACTION[prefix]
    return "statement"


def _table(table, sep: str | None) -> pd.DataFrame:
    import pandas as pd

    if isinstance(table, pd.DataFrame):
        return table
    path = os.fspath(table)
    return pd.read_csv(path, sep=sep or ("\t" if path.endswith((".tsv", ".txt")) else ","),
                       dtype=str, keep_default_na=False)


def _convert(df, columns: dict[str, str], *, name: str, id_prefix: str, date_format: str,
             countries: dict[str, str] | None, unique_with_date: bool) -> EventSequence:
    import pandas as pd

    missing = [c for c in columns.values() if c not in df.columns]
    if missing:
        raise EventFileError([EventIssue(name, 1, None, c, None,
                                         f"required {id_prefix.upper()} column is missing")
                              for c in missing])
    records = []
    issues = []
    for k, row in enumerate(df.to_dict(orient="records"), start=2):
        try:
            date = pd.to_datetime(str(row[columns["date"]]), format=date_format).date()
        except ValueError:
            issues.append(EventIssue(name, k, None, columns["date"], row[columns["date"]],
                                     f"date does not match {date_format}"))
            continue
        actor, target = str(row[columns["actor"]]).strip(), str(row[columns["target"]]).strip()
        if countries is not None:
            for field, value in ((columns["actor"], actor), (columns["target"], target)):
                if value not in countries:
                    issues.append(EventIssue(name, k, None, field, value,
                                             "unknown country name; pass country_codes="))
            actor, target = countries.get(actor, actor), countries.get(target, target)
        code = str(row[columns["cameo"]]).strip()
        eid = f"{id_prefix}-{row[columns['id']]}"
        if unique_with_date:  # ICEWS: Event ID is unique only together with Event Date
            eid += f"-{date.isoformat()}"
        records.append(({
            "event_id": eid, "date_announced": date.isoformat(), "actor": actor,
            "target": target or None, "action_type": action_for_cameo(code),
            "cameo_code": code, "goldstein": row[columns["goldstein"]],
            "sources": [str(row[columns["source"]]) or f"{id_prefix} {row[columns['id']]}"],
            "source_tier": "news", "confidence": "medium",
            "notes": f"imported from {id_prefix.upper()}",
        }, k, {}))
    # codes the caller mapped names to are declared actors, whatever they are
    declared = {code: country for country, code in (countries or {}).items()}
    events, more, lines = parse_records(records, name, actors=declared)
    issues += more
    if not issues:
        issues = validate_sequence(events, lines, name)
    if issues:
        raise EventFileError(issues)
    return EventSequence(events, source=name, _validated=True)


def from_icews(table, *, country_codes: dict[str, str] | None = None) -> EventSequence:
    """Import an ICEWS table (``Event ID, Event Date, Source Country, Target Country,
    CAMEO Code, Intensity, Story ID``; Boschee et al., doi:10.7910/DVN/28075)."""
    df = _table(table, sep=None)
    return _convert(df, {"id": "Event ID", "date": "Event Date", "actor": "Source Country",
                         "target": "Target Country", "cameo": "CAMEO Code",
                         "goldstein": "Intensity", "source": "Story ID"},
                    name=str(table) if not hasattr(table, "columns") else "<ICEWS table>",
                    id_prefix="icews", date_format="%Y-%m-%d",
                    countries={**COUNTRY_CODES, **(country_codes or {})},
                    unique_with_date=True)


def from_gdelt(table) -> EventSequence:
    """Import a GDELT 1.0/2.0 event table (``GLOBALEVENTID, SQLDATE, Actor1CountryCode,
    Actor2CountryCode, EventCode, GoldsteinScale, SOURCEURL``)."""
    df = _table(table, sep="\t" if not hasattr(table, "columns") and str(table).endswith(
        (".tsv", ".txt", ".CSV")) else None)
    return _convert(df, {"id": "GLOBALEVENTID", "date": "SQLDATE",
                         "actor": "Actor1CountryCode", "target": "Actor2CountryCode",
                         "cameo": "EventCode", "goldstein": "GoldsteinScale",
                         "source": "SOURCEURL"},
                    name=str(table) if not hasattr(table, "columns") else "<GDELT table>",
                    id_prefix="gdelt", date_format="%Y%m%d", countries=None,
                    unique_with_date=False)


def from_phoenix(table) -> EventSequence:
    """Import a Phoenix (OEDA) table (``EventID, Date, SourceActorEntity,
    TargetActorEntity, EventCode, GoldsteinScore, URLs``)."""
    df = _table(table, sep=None)
    return _convert(df, {"id": "EventID", "date": "Date", "actor": "SourceActorEntity",
                         "target": "TargetActorEntity", "cameo": "EventCode",
                         "goldstein": "GoldsteinScore", "source": "URLs"},
                    name=str(table) if not hasattr(table, "columns") else "<Phoenix table>",
                    id_prefix="phoenix", date_format="%Y%m%d", countries=None,
                    unique_with_date=False)
