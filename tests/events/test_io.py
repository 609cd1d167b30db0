"""Event files: schema, loading, located errors, round trips."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import gametheory as gt
from gametheory.errors import EventFileError, GameError
from gametheory.events import Event, EventSequence, event_json_schema, load_events

BAD = Path(__file__).parents[1] / "data" / "bad_events"
MODEL = gt.load_model("us-russia")

# file -> (line of the first issue or None, field or None, number of issues, text in message)
BAD_FILES = {
    "missing_columns.csv": (1, "action_type", 2, "required column is missing"),
    "bad_dates.csv": (3, "date_announced", 2, "month must be in 1..12"),
    "unknown_trigger.csv": (3, "responds_to", 1, "unknown event"),
    "later_trigger.csv": (2, "responds_to", 1, "later event"),
    "negative_magnitude.csv": (2, "magnitude", 1, "greater than or equal to 0"),
    "unknown_action.csv": (2, "action_type", 1, "must be one of 'expel'"),
    "duplicate_ids.csv": (3, "event_id", 1, "duplicate event_id (first on line 2)"),
    "too_many_cells.csv": (2, None, 1, "10 cells for 9 columns"),
    "magnitude_without_unit.csv": (2, "magnitude_unit", 1, "needs a magnitude_unit"),
    "mixed_encoding.csv": (3, None, 1, "not valid UTF-8"),
    "empty.csv": (1, None, 1, "empty"),
    "cycle.yaml": (8, "responds_to", 1, "cycle: X2 -> X1 -> X2"),
    "bad_fields.yaml": (7, "goldstein", 5, "unknown field"),
    "bad_syntax.yaml": (3, None, 1, "not valid YAML"),
    "unsafe.yaml": (2, None, 1, "could not determine a constructor"),
    "not_a_list.json": (1, None, 1, "expected a list"),
    "bad_value.json": (2, "magnitude", 1, "valid number"),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_raise_located_typed_errors(name):
    path = BAD / name
    before = _digest(path)
    line, field, count, text = BAD_FILES[name]
    with pytest.raises(EventFileError) as info:
        load_events(path)
    err = info.value
    assert isinstance(err, GameError)
    assert err.path == str(path) and err.line == line and err.field == field
    assert len(err.issues) == count
    assert text in str(err) and name in str(err)
    assert _digest(path) == before  # nothing modified


def test_every_bad_file_is_covered():
    on_disk = {p.name for p in BAD.iterdir() if p.suffix in (".csv", ".yaml", ".json")}
    assert on_disk == set(BAD_FILES)


def test_all_errors_of_a_file_are_reported_at_once(tmp_path):
    rows = ["event_id,date_announced,actor,target,action_type,magnitude,magnitude_unit,sources"]
    rows += [f"X{k},2021-01-{k + 1:02d},USA,RUS,expel,-{k + 1},persons,AP" for k in range(30)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(EventFileError) as info:
        load_events(path)
    assert len(info.value.issues) == 30
    assert "... and 5 more problem(s)" in str(info.value)


def test_huge_file_error_is_located_and_size_limit_is_clear(tmp_path):
    path = tmp_path / "huge.csv"
    rows = ["event_id,date_announced,actor,target,action_type,magnitude,magnitude_unit,sources"]
    rows += [f"H{k},2021-04-15,USA,RUS,expel,1,persons,AP" for k in range(100_000)]
    rows[77_778] = "H77777,2021-04-15,USA,RUS,expel,oops,persons,AP"
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(EventFileError) as info:
        load_events(path)
    assert info.value.line == 77_779 and info.value.field == "magnitude"
    with pytest.raises(EventFileError, match="over the limit"):
        load_events(path, max_bytes=1000)


def test_round_trip_csv_yaml_json_frame_is_lossless(tmp_path):
    seq = MODEL.events
    for suffix in ("csv", "yaml", "json"):
        path = tmp_path / f"events.{suffix}"
        seq.save(path)
        assert load_events(path) == seq
    assert EventSequence.from_frame(seq.to_frame()) == seq
    # and through a second format
    seq.save(tmp_path / "a.yaml")
    load_events(tmp_path / "a.yaml").save(tmp_path / "b.csv")
    assert load_events(tmp_path / "b.csv") == seq


def test_goldstein_defaults_and_overrides():
    e = MODEL.events["E08a"]
    assert e.cameo_code is None and e.resolved_cameo == "174" and e.resolved_goldstein == -5.0
    assert MODEL.events["E32"].resolved_goldstein == 7.0   # offer: 0351
    assert MODEL.events["E15c"].resolved_goldstein == -5.8  # explicit override
    linear = MODEL.events.filter(action_type="expel").scaled_goldstein("linear")
    none = MODEL.events.filter(action_type="expel").scaled_goldstein("none")
    assert linear[0] == -25.0 and none[0] == -5.0
    custom = MODEL.events.filter(action_type="expel").scaled_goldstein(lambda m: 2.0)
    assert custom[0] == -10.0
    with pytest.raises(GameError, match="log1p"):
        MODEL.events.scaled_goldstein("cubic")


def test_partial_dates_keep_their_precision():
    e = MODEL.events["E12"]
    assert e.date_precision.value == "month" and e.to_record()["date_announced"] == "2020-12"


def test_sequence_is_immutable_and_validated_on_construction():
    seq = MODEL.events
    with pytest.raises(AttributeError):
        seq.source = "x"
    with pytest.raises(EventFileError, match="unknown event"):
        EventSequence([Event(event_id="a", date_announced="2020-01-01", actor="USA",
                             target="RUS", action_type="expel", responds_to=["zzz"],
                             sources=["x"])])
    assert "E01a" in seq and len(seq) == len(seq.ids)
    html = seq._repr_html_()
    assert "E09b" in html and "<table" in html


def test_json_schema_file_is_current():
    shipped = Path(gt.events.__file__).parent / "event.schema.json"
    assert json.loads(shipped.read_text()) == event_json_schema()
    assert set(event_json_schema()["required"]) == {"event_id", "date_announced", "actor",
                                                     "action_type", "sources"}


def test_record_and_cross_record_problems_are_reported_together(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "event_id,date_announced,actor,target,action_type,magnitude,magnitude_unit,"
        "responds_to,sources\n"
        "A,2021-04-15,USA,RUS,expel,10,persons,,AP\n"
        "B,2021-04-16,RUS,USA,expel,-1,persons,A,AP\n"       # bad magnitude
        "C,2021-04-10,RUS,USA,expel,1,persons,A,AP\n"         # answers a later event
        "D,2021-04-20,USA,RUS,expel,1,persons,B,AP\n")        # answers the broken B
    with pytest.raises(EventFileError) as info:
        load_events(path)
    fields = [(i.line, i.field) for i in info.value.issues]
    assert fields == [(3, "magnitude"), (4, "responds_to")]  # D's link to B is not repeated


def test_an_event_sequence_pickles_without_revalidation_and_stays_immutable():
    import pickle

    import gametheory as gt

    seq = gt.load_model("us-russia").events
    copy = pickle.loads(pickle.dumps(seq))
    assert copy.ids == seq.ids and copy.source == seq.source
    assert copy["E09a"].responds_to == ("E08a",)
    with pytest.raises(AttributeError, match="immutable"):
        copy.source = "elsewhere"
