"""The event schema: one validated record per move of a retaliation sequence."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .actors import check_actor
from .cameo import DEFAULT_CAMEO, default_goldstein

__all__ = [
    "FIELDS",
    "ActionType",
    "Confidence",
    "DatePrecision",
    "Event",
    "SourceTier",
    "StatedReciprocity",
    "event_json_schema",
    "format_date",
    "parse_date",
]


class ActionType(StrEnum):
    """What a move does. Conflictual types first, then cooperative and verbal ones."""

    EXPEL = "expel"
    CLOSE_FACILITY = "close_facility"
    SEIZE_PROPERTY = "seize_property"
    CAP_STAFF = "cap_staff"
    BAN_LOCAL_HIRES = "ban_local_hires"
    SUSPEND_SERVICES = "suspend_services"
    ROTATION_LIMIT = "rotation_limit"
    SANCTION = "sanction"
    THREAT = "threat"
    DEMAND = "demand"
    OFFER = "offer"
    CONCESSION = "concession"
    RESTRAINT = "restraint"
    TALKS = "talks"
    AGREEMENT = "agreement"
    STATEMENT = "statement"
    #: A side cutting its *own* mission or services (closing its own consulate,
    #: suspending its visa services for lack of staff): no target, never a
    #: restriction on the other side, never a turn of the game.
    REDUCE_OWN_OPERATIONS = "reduce_own_operations"

    @property
    def restricts(self) -> bool:
        """True for moves that impose a restriction on the other side's mission."""
        return self in _RESTRICTIVE


_RESTRICTIVE = {ActionType.EXPEL, ActionType.CLOSE_FACILITY, ActionType.SEIZE_PROPERTY,
                ActionType.CAP_STAFF, ActionType.BAN_LOCAL_HIRES, ActionType.SUSPEND_SERVICES,
                ActionType.ROTATION_LIMIT, ActionType.SANCTION}


class StatedReciprocity(StrEnum):
    """What the actor said its answer was: ``in_kind`` ("mirror", "commensurate",
    "parity") or ``escalation``. Used where magnitudes cannot be compared."""

    IN_KIND = "in_kind"
    ESCALATION = "escalation"


class DatePrecision(StrEnum):
    """How precisely the date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    APPROXIMATE = "approximate"


class SourceTier(StrEnum):
    """Kind of source: the seed news reports, other news, official documents, scholarship."""

    SEED = "seed"
    NEWS = "news"
    OFFICIAL = "official"
    SCHOLARLY = "scholarly"


class Confidence(StrEnum):
    """Confidence in the coding (keep flags of disputed facts as ``low`` or ``medium``)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


#: Field order of the event file format.
FIELDS = (
    "event_id", "date_announced", "date_effective", "date_precision", "actor", "target",
    "action_type", "magnitude", "magnitude_unit", "facility", "responds_to", "implements",
    "cameo_code", "goldstein", "stated_justification", "stated_reciprocity", "quote",
    "sources", "source_tier", "confidence", "notes",
)

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_date(value: Any) -> tuple[dt.date, DatePrecision]:
    """Parse ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; partial dates get the first day.

    Examples
    --------
    >>> parse_date("2020-12")
    (datetime.date(2020, 12, 1), <DatePrecision.MONTH: 'month'>)
    """
    if isinstance(value, dt.datetime):
        return value.date(), DatePrecision.DAY
    if isinstance(value, dt.date):
        return value, DatePrecision.DAY
    m = _DATE.match(str(value).strip())
    if not m:
        raise ValueError("expected a date as YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = m.groups()
    date = dt.date(int(year), int(month or 1), int(day or 1))  # ValueError if impossible
    precision = (DatePrecision.DAY if day else DatePrecision.MONTH if month
                 else DatePrecision.YEAR)
    return date, precision


def format_date(date: dt.date, precision: DatePrecision) -> str:
    """Inverse of :func:`parse_date` (keeps the file's precision)."""
    if precision is DatePrecision.YEAR:
        return f"{date.year:04d}"
    if precision is DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


EventId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=64)]
ActorCode = Annotated[str, Field(pattern=r"^[A-Z]{3}[A-Z0-9]*$", max_length=12)]


class Event(BaseModel):
    """One dated move: who did what to whom, how much, in answer to what, on whose word.

    ``goldstein`` defaults to the weight of ``cameo_code``, which defaults to
    the action type's code (:data:`gametheory.events.cameo.DEFAULT_CAMEO`);
    both can be overridden per event. ``date_precision`` is inferred from the
    date when not given (``2020-12`` is month precision).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)

    event_id: EventId
    date_announced: dt.date
    date_effective: dt.date | None = None
    date_precision: DatePrecision = DatePrecision.DAY
    actor: ActorCode
    target: ActorCode | None = None
    action_type: ActionType
    magnitude: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    magnitude_unit: Annotated[str | None, Field(validate_default=True)] = None
    facility: str | None = None
    responds_to: tuple[EventId, ...] = ()
    implements: tuple[EventId, ...] = ()
    cameo_code: Annotated[str, Field(pattern=r"^\d{2,4}$")] | None = None
    goldstein: Annotated[float | None, Field(ge=-10, le=10, allow_inf_nan=False,
                                             validate_default=True)] = None
    stated_justification: str | None = None
    stated_reciprocity: StatedReciprocity | None = None
    quote: str | None = None
    sources: Annotated[tuple[str, ...], Field(min_length=1)]
    source_tier: SourceTier = SourceTier.NEWS
    confidence: Confidence = Confidence.HIGH
    notes: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _dates_and_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        raw = data.get("date_announced")
        if raw is not None and not isinstance(raw, dt.date):
            try:
                date, precision = parse_date(raw)
            except ValueError:
                return data  # the field validator reports it
            data["date_announced"] = date
            if not data.get("date_precision") and precision is not DatePrecision.DAY:
                data["date_precision"] = precision
        eff = data.get("date_effective")
        if eff is not None and not isinstance(eff, dt.date):
            try:
                data["date_effective"] = parse_date(eff)[0]
            except ValueError:
                pass
        if isinstance(data.get("action_type"), str):
            data["action_type"] = data["action_type"].strip().lower().replace(" ", "_")
        for key in ("date_precision", "source_tier", "confidence", "stated_reciprocity"):
            if isinstance(data.get(key), str):
                data[key] = data[key].strip().lower()
        for key in ("actor", "target"):
            if isinstance(data.get(key), str):
                data[key] = data[key].strip().upper()
        return data

    @field_validator("date_announced", "date_effective", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        if value is None or isinstance(value, dt.date):
            return value
        return parse_date(value)[0]

    # Cross-field checks are field validators (fields validate in declaration order), so
    # every error carries the name of the field it is about.
    @field_validator("date_effective")
    @classmethod
    def _effective_after_announced(cls, value: dt.date | None, info: ValidationInfo):
        announced = info.data.get("date_announced")
        if value is not None and announced is not None and value < announced:
            raise ValueError(f"date_effective {value} is before date_announced {announced}")
        return value

    @field_validator("actor", "target")
    @classmethod
    def _known_actor(cls, value: str | None, info: ValidationInfo):
        if value is None:
            return value
        extra = (info.context or {}).get("actors")
        return check_actor(value, extra)

    @field_validator("target")
    @classmethod
    def _target_not_actor(cls, value: str | None, info: ValidationInfo):
        if value is not None and value == info.data.get("actor"):
            raise ValueError(f"target equals actor {value!r}")
        return value

    @field_validator("action_type")
    @classmethod
    def _target_fits_the_action(cls, value: ActionType, info: ValidationInfo):
        # target is validated before action_type, so it is known here
        target = info.data.get("target")
        if value.restricts and target is None and "target" in info.data:
            raise ValueError(f"{value.value} is a restriction on another state's mission: "
                             "give its target (a side cutting its own operations is "
                             "reduce_own_operations, with no target)")
        if value is ActionType.REDUCE_OWN_OPERATIONS and target is not None:
            raise ValueError(f"reduce_own_operations acts on the actor's own mission: leave "
                             f"target empty (got {target!r}); link what forced it with "
                             "responds_to")
        return value

    @field_validator("magnitude_unit")
    @classmethod
    def _unit_with_magnitude(cls, value: str | None, info: ValidationInfo):
        if info.data.get("magnitude") is not None and not value:
            raise ValueError("a magnitude needs a magnitude_unit (persons, facilities, ...)")
        return value

    @field_validator("responds_to")
    @classmethod
    def _not_self(cls, value: tuple[str, ...], info: ValidationInfo):
        if info.data.get("event_id") in value:
            raise ValueError("an event cannot respond to itself")
        if len(set(value)) != len(value):
            raise ValueError("responds_to lists an event twice")
        return value

    @field_validator("goldstein")
    @classmethod
    def _goldstein_known(cls, value: float | None, info: ValidationInfo):
        if value is None:
            action = info.data.get("action_type")
            code = info.data.get("cameo_code") or (DEFAULT_CAMEO[action.value]
                                                   if action is not None else None)
            if code is not None and default_goldstein(code) is None:
                raise ValueError(f"no default Goldstein weight for CAMEO code {code!r}; "
                                 "give goldstein explicitly")
        return value

    @property
    def resolved_cameo(self) -> str:
        """The CAMEO code, or the action type's default."""
        return self.cameo_code or DEFAULT_CAMEO[self.action_type.value]

    @property
    def resolved_goldstein(self) -> float:
        """The Goldstein weight, or the CAMEO code's default."""
        if self.goldstein is not None:
            return self.goldstein
        return default_goldstein(self.resolved_cameo)  # type: ignore[return-value]

    def to_record(self) -> dict[str, Any]:
        """Plain, file-ready values (dates as strings at the file's precision)."""
        rec = self.model_dump(mode="json")
        rec["date_announced"] = format_date(self.date_announced, self.date_precision)
        rec["responds_to"] = list(self.responds_to)
        rec["implements"] = list(self.implements)
        rec["sources"] = list(self.sources)
        return {k: rec[k] for k in FIELDS}


def event_json_schema() -> dict[str, Any]:
    """The JSON Schema of one event record (also shipped as ``events.schema.json``)."""
    schema = Event.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "gametheory retaliation event"
    return schema
