"""Actor codes: ISO 3166 alpha-3 and organisation codes, with did-you-mean, extendable per
file; did-you-mean for action types; summaries that do not depend on row order."""

from __future__ import annotations

import pytest

import gametheory as gt
from gametheory.errors import EventFileError
from gametheory.events.actors import actor_codes, check_actor

HEADER = "event_id,date_announced,actor,target,action_type,magnitude,magnitude_unit,sources\n"


def test_the_code_list_is_iso_plus_organisations():
    codes = actor_codes()
    assert {"USA", "RUS", "CZE", "DEU", "SUN", "NATO"} <= set(codes)
    assert codes["SUN"].startswith("USSR") and len(codes) > 270


@pytest.mark.parametrize(("given", "hint"), [("CZECHIA", "'CZE' (Czechia)"),
                                             ("GERMANY", "'DEU' (Germany)"),
                                             ("USSR", "'SUN'"),
                                             ("FRANCE", "'FRA'")])
def test_names_and_typos_get_a_did_you_mean(given, hint):
    with pytest.raises(ValueError, match="did you mean") as info:
        check_actor(given)
    assert hint in str(info.value)


def test_role_suffixes_and_declared_codes():
    assert check_actor("USAGOV") == "USAGOV" and check_actor("RUSMILGOV") == "RUSMILGOV"
    with pytest.raises(ValueError):
        check_actor("WAG")
    assert check_actor("WAG", {"WAG": "Wagner group"}) == "WAG"


def test_event_file_errors_name_file_line_field_and_value(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "X1,2021-04-15,Czechia,RUS,expel,10,persons,AP\n"
                    "X2,2021-04-16,RUS,CZE,staff_cap,10,persons,AP\n")
    with pytest.raises(EventFileError) as info:
        gt.load_events(path)
    text = str(info.value)
    assert "line 2, field 'actor', value 'Czechia'" in text and "'CZE' (Czechia)" in text
    assert "line 3, field 'action_type', value 'staff_cap'" in text
    assert "did you mean 'cap_staff'" in text


def test_extra_codes_from_a_sidecar_file_or_the_call(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "X1,2021-04-15,WAG,CZE,expel,10,persons,AP\n")
    with pytest.raises(EventFileError, match="WAG"):
        gt.load_events(path)
    assert len(gt.load_events(path, actors={"WAG": "Wagner group"})) == 1
    (tmp_path / "actors.yaml").write_text("WAG: Wagner group\n")
    assert "WAG" in gt.load_events(path).actors
    (tmp_path / "actors.yaml").write_text("- WAG\n")
    with pytest.raises(EventFileError, match=r"actors\.yaml must map"):
        gt.load_events(path)


def test_summary_uses_earliest_and_latest_dates(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "X2,2021-04-16,RUS,CZE,expel,20,persons,AP\n"
                    "X1,2021-04-15,CZE,RUS,expel,18,persons,AP\n"
                    "X3,2021-04-30,CZE,RUS,cap_staff,32,persons,AP\n")
    assert "2021-04-15 to 2021-04-30" in repr(gt.load_events(path))
