"""Retaliation sequences as data: the event schema, files, importers and the move graph."""

from .cameo import DEFAULT_CAMEO, GOLDSTEIN, PLOVER, default_goldstein
from .graph import (
    draw_timeline,
    escalation_balance,
    escalation_chains,
    move_graph,
    reciprocity,
    restriction_state,
    round_sequence,
)
from .importers import from_gdelt, from_icews, from_phoenix
from .io import load_events, save_events
from .schema import ActionType, Confidence, DatePrecision, Event, SourceTier, event_json_schema
from .sequence import MAGNITUDE_SCALINGS, EventSequence
from .series import ReciprocityResult, directed_series, estimate_reciprocity

__all__ = [
    "DEFAULT_CAMEO",
    "GOLDSTEIN",
    "MAGNITUDE_SCALINGS",
    "PLOVER",
    "ActionType",
    "Confidence",
    "DatePrecision",
    "Event",
    "EventSequence",
    "ReciprocityResult",
    "SourceTier",
    "default_goldstein",
    "directed_series",
    "draw_timeline",
    "escalation_balance",
    "escalation_chains",
    "estimate_reciprocity",
    "event_json_schema",
    "from_gdelt",
    "from_icews",
    "from_phoenix",
    "load_events",
    "move_graph",
    "reciprocity",
    "restriction_state",
    "round_sequence",
    "save_events",
]
