"""The shipped US–Russia model: content checks and loading after a plain install."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import UnknownNameError

ROOT = Path(__file__).resolve().parents[2]
MODEL = gt.load_model("us-russia")


def test_content():
    ev = MODEL.events
    assert len(ev) >= 40
    assert all(e.sources for e in ev)
    assert ev[0].date_announced.year == 1986 and ev["A5"].date_announced.year == 2001
    assert ev[-1].date_announced.year == 2023
    expulsions = {e.event_id: e.magnitude for e in ev.filter(action_type="expel")}
    for eid, n in {"E01a": 35, "E08a": 60, "E14a": 10}.items():
        assert expulsions[eid] == n
    assert ev["E29"].magnitude == 55 and ev["E04a"].magnitude == 455
    # flagged facts keep their flags
    assert ev["E28"].confidence.value == "low" and "FLAG" in ev["E28"].notes
    assert "обнулить" in ev["E32"].quote
    assert ev["E02"].action_type.value == "restraint"
    seed = MODEL.staffing[MODEL.staffing.source_tier == "seed"]
    assert (seed.confidence == "low").any() and "60 -> 5" in " ".join(seed.notes.dropna())
    us = MODEL.staffing[(MODEL.staffing.mission_of == "USA") & (MODEL.staffing.kind == "count")]
    assert {1200, 120}.issubset(set(us["count"]))
    assert "Coding decisions" in MODEL.readme


def test_unknown_model():
    with pytest.raises(UnknownNameError, match="us-russia"):
        gt.load_model("us-china")


def test_loads_from_a_built_wheel(tmp_path):
    """After a plain install (no clone), the model loads by name from the package."""
    pytest.importorskip("hatchling")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path / "dist"), str(ROOT)], check=True)
    wheel = next((tmp_path / "dist").glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "gametheory/models/data/us_russia_embassy/events.csv" in names
    assert "gametheory/models/data/us_russia_embassy/parameters.yaml" in names
    assert "gametheory/models/data/czech_russia_2021/events.csv" in names
    assert "gametheory/models/data/uk_russia_2018/parameters.yaml" in names
    assert "gametheory/models/data/us_china_2020/events.csv" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True)
    code = ("import gametheory as gt, sys; m = gt.load_model('us-russia'); "
            "others = [gt.load_model(n) for n in "
            "('czech-russia-2021', 'uk-russia-2018', 'us-china-2020')]; "
            "assert all('site' in str(o.path) and len(o.events) >= 12 for o in others); "
            "assert 'site' in str(m.path), m.path; "
            "print(len(m.events))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin"},
                         check=True)
    assert int(out.stdout) == len(MODEL.events)


def test_czech_russia_2021_loads_with_sources_and_calibrates_with_talk_as_moves():
    from gametheory.analysis import calibrate

    m = gt.load_model("czech-russia-2021")
    assert len(m.events) >= 12 and set(m.events.actors) == {"CZE", "RUS"}
    assert all(e.sources for e in m.events) and "Vrbětice" in m.readme
    assert m.events["C03"].responds_to == ("C01",) and m.events["C09"].implements == ("C08",)
    from gametheory.errors import SmallSampleWarning

    with pytest.warns(SmallSampleWarning, match="RUS has only 2 decision"):
        short = calibrate(m.events, "czech-russia-2021")
    assert short.turns_.actor.tolist() == ["CZE", "RUS", "CZE", "RUS"]
    cal = calibrate(m.events, "czech-russia-2021", coding={"talk": "moves"})
    levels = cal.moves_.set_index("event_id").level
    assert levels["C03"] == "Escalate"          # 20 for 18: 11 % more than the answer
    assert levels["C08"] == "Commensurate"      # the cap at parity, stated in kind
    assert cal.stage_game().shape == (5, 5)


def test_uk_russia_2018_is_an_n_actor_sequence_reduced_to_a_dyad():
    from gametheory.analysis import calibrate
    from gametheory.errors import LabelError
    from gametheory.events import reciprocity

    uk = gt.load_model("uk-russia-2018").events
    assert len(uk) >= 12 and len(uk.actors) > 10 and "NATO" in uk.actors
    assert all(e.sources for e in uk)
    west = [a for a in uk.actors if a != "RUS"]
    dyad = uk.coalitions({"WEST": west, "RUS": ["RUS"]})
    assert dyad.actors == ("WEST", "RUS") and len(dyad) == len(uk)
    assert dyad["U11"].target == "WEST" and dyad["U11"].responds_to == ("U08h",)
    # the rule drops moves inside a side and moves of actors in no side
    only_uk = uk.coalitions({"GBR": ["GBR"], "RUS": ["RUS"]})
    assert set(only_uk.actors) == {"GBR", "RUS"} and "U07" not in only_uk
    with pytest.raises(LabelError, match="two sides"):
        uk.coalitions({"A": ["GBR"], "B": ["GBR", "RUS"]})
    # Russia's answers of 30 March mirror each state's expulsion where sizes are known
    table = reciprocity(gt.move_graph(uk))
    mirrored = table.dropna(subset=["magnitude_ratio"])
    assert len(mirrored) >= 13 and (mirrored.magnitude_ratio == 1.0).all()
    ukr = table.set_index("response").loc[[e.event_id for e in uk
                                           if e.actor == "RUS" and e.target == "UKR"]]
    assert ukr.trigger.tolist() == ["U08q"] and ukr.magnitude_ratio.tolist() == [1.0]
    cal = calibrate(dyad, "uk-russia-2018")
    assert cal.turns_.actor.tolist() == ["WEST", "RUS", "WEST", "RUS"]
    levels = cal.moves_.set_index("event_id").level
    assert levels["U03"] == "Commensurate" and levels["U04"] == "Commensurate"


def test_us_china_2020_loads_with_sources_and_calibrates():
    from gametheory.analysis import calibrate

    m = gt.load_model("us-china-2020")
    assert len(m.events) >= 12 and set(m.events.actors) == {"USA", "CHN"}
    assert all(e.sources for e in m.events) and "Chengdu" in m.readme
    assert m.events["H11"].responds_to == ("H09",)
    assert m.events["H11"].stated_reciprocity == "in_kind"
    # no answer is dated before what it answers (the date-line note in the README)
    for e in m.events:
        for other in e.responds_to:
            assert m.events[other].date_announced <= e.date_announced, (e.event_id, other)
    cal = calibrate(m.events, "us-china-2020")
    levels = cal.moves_.set_index("event_id").level
    assert levels["H05"] == "Commensurate"      # five outlets for five
    assert levels["H11"] == "Commensurate"      # a consulate for a consulate
    assert cal.stage_game().shape == (5, 5)


def test_uk_russia_2018_calibrates_through_its_coalition_rule():
    """The parameters' coalitions reduce the n-actor record to WEST against RUS before
    calibration, and a reduced record reduces to itself (robustness recalibrates it)."""
    from gametheory.analysis import calibrate
    from gametheory.errors import ParameterError

    m = gt.load_model("uk-russia-2018")
    cal = calibrate(m.events, m.path / "parameters.yaml")
    assert cal.events.actors == ("WEST", "RUS")
    assert cal.turns_.actor.tolist() == ["WEST", "RUS", "WEST", "RUS"]
    again = calibrate(cal.events, cal.params)
    assert again.turns_.level.tolist() == cal.turns_.level.tolist()
    with pytest.raises(ParameterError, match="coalitions"):
        cal.params.replace(coalitions={"WEST": ["*"], "RUS": ["*"]})
    with pytest.raises(ParameterError, match="one entry per player"):
        cal.params.replace(coalitions={"WEST": ["*"]})


def test_staffing_plot_has_gaps_where_no_data_and_no_internal_markers():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gametheory.models import load_model

    fig, ax = plt.subplots()
    out = load_model("us-russia").plot_staffing(ax=ax)
    assert out is ax
    texts = [t.get_text() for t in ax.texts]
    assert not any("FLAG" in t for t in texts)
    assert any("cap 455" in t for t in texts)
    # the US line breaks between the early-2017 count and the 2021 counts (no data)
    us = [line for line in ax.lines if line.get_label().startswith("USA mission")]
    assert us and np.isnan(np.asarray(us[0].get_ydata(), dtype=float)).any()
    plt.close(fig)
