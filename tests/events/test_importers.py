"""ICEWS, GDELT and Phoenix tables into the event schema."""

from __future__ import annotations

import pandas as pd
import pytest

from gametheory.errors import EventFileError
from gametheory.events import from_gdelt, from_icews, from_phoenix


def test_icews():
    df = pd.DataFrame({
        "Event ID": ["1", "1"], "Event Date": ["2018-03-26", "2018-03-29"],
        "Source Country": ["United States", "Russian Federation"],
        "Target Country": ["Russian Federation", "United States"],
        "CAMEO Code": ["174", "174"], "Intensity": ["-5", "-5"],
        "Story ID": ["s1", "s2"]})
    seq = from_icews(df)
    # Event ID repeats across dates (ICEWS gotcha): ids stay unique with the date
    assert seq.ids == ("icews-1-2018-03-26", "icews-1-2018-03-29")
    assert seq[1].actor == "RUS" and seq[1].action_type.value == "expel"
    assert seq[0].magnitude is None  # event data do not code size


def test_icews_unknown_country():
    df = pd.DataFrame({"Event ID": ["1"], "Event Date": ["2018-03-26"],
                       "Source Country": ["Atlantis"], "Target Country": ["United States"],
                       "CAMEO Code": ["174"], "Intensity": ["-5"], "Story ID": ["s"]})
    with pytest.raises(EventFileError, match=r"Atlantis.*country_codes"):
        from_icews(df)
    assert len(from_icews(df, country_codes={"Atlantis": "ATL"})) == 1


def test_gdelt_and_phoenix(tmp_path):
    gd = pd.DataFrame({"GLOBALEVENTID": ["9"], "SQLDATE": ["20211201"],
                       "Actor1CountryCode": ["RUS"], "Actor2CountryCode": ["USA"],
                       "EventCode": ["0351"], "GoldsteinScale": ["7.0"],
                       "SOURCEURL": ["http://example.org"]})
    seq = from_gdelt(gd)
    assert seq[0].action_type.value == "offer" and seq[0].goldstein == 7.0
    ph = pd.DataFrame({"EventID": ["p1"], "Date": ["20170728"], "SourceActorEntity": ["RUS"],
                       "TargetActorEntity": ["USA"], "EventCode": ["1711"],
                       "GoldsteinScore": ["-9.2"], "URLs": ["u"]})
    path = tmp_path / "phoenix.csv"
    ph.to_csv(path, index=False)
    assert from_phoenix(path)[0].action_type.value == "seize_property"


def test_missing_columns_and_bad_dates():
    with pytest.raises(EventFileError, match="SQLDATE"):
        from_gdelt(pd.DataFrame({"GLOBALEVENTID": ["1"]}))
    bad = pd.DataFrame({"GLOBALEVENTID": ["9"], "SQLDATE": ["2021-12-01"],
                        "Actor1CountryCode": ["RUS"], "Actor2CountryCode": ["USA"],
                        "EventCode": ["0351"], "GoldsteinScale": ["7.0"], "SOURCEURL": ["u"]})
    with pytest.raises(EventFileError, match=r"line 2.*%Y%m%d"):
        from_gdelt(bad)
