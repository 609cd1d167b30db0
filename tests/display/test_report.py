"""The report folder: swapped in whole, never half written, other files kept."""

from __future__ import annotations

import pandas as pd
import pytest

from gametheory.display import report as rep
from gametheory.errors import GameError, ReportError


def _analysis(tag: str) -> rep.Analysis:
    a = rep.Analysis(f"report {tag}")
    a.add("Section", f"text {tag}")
    a.tables["numbers"] = pd.DataFrame({"x": [1, 2], "tag": [tag, tag]})
    return a


def test_report_is_replaced_whole(tmp_path):
    out = tmp_path / "report"
    rep.analysis_report(_analysis("one"), out)
    path = rep.analysis_report(_analysis("two"), out)
    assert "report two" in path.read_text()
    assert pd.read_csv(out / "numbers.csv").tag.tolist() == ["two", "two"]
    assert [p.name for p in tmp_path.iterdir()] == ["report"]     # no temporary left


def test_a_killed_run_leaves_the_previous_report(tmp_path, monkeypatch):
    out = tmp_path / "report"
    rep.analysis_report(_analysis("one"), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = rep._write_report

    def dies_half_way(analysis, folder):
        real(analysis, folder)
        (folder / "index.html").write_text("<html><body>trunc")
        raise KeyboardInterrupt                   # the user's Ctrl-C, or a kill

    monkeypatch.setattr(rep, "_write_report", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        rep.analysis_report(_analysis("two"), out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_other_files_are_not_touched_without_overwrite(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "numbers.csv").write_text("my own data\n")
    (out / "notes.txt").write_text("keep me\n")
    with pytest.raises(ReportError, match="not a gametheory report"):
        rep.analysis_report(_analysis("one"), out)
    assert (out / "numbers.csv").read_text() == "my own data\n"
    rep.analysis_report(_analysis("one"), out, overwrite=True)
    assert (out / "notes.txt").read_text() == "keep me\n"
    assert "one" in (out / "numbers.csv").read_text()


def test_output_that_is_a_file(tmp_path):
    target = tmp_path / "report"
    target.write_text("x")
    with pytest.raises(GameError, match="is a file"):
        rep.analysis_report(_analysis("one"), target)


@pytest.mark.filterwarnings("ignore::gametheory.errors.SmallSampleWarning")
def test_analyze_from_python_returns_every_table_and_section(tmp_path):
    import gametheory as gt

    a = gt.analyze("czech-russia-2021", repetitions=4, turns=5, draws=8)
    assert a.report_path is None and not any(tmp_path.iterdir())     # nothing written
    titles = [t for t, _, _ in a.sections]
    assert titles[0] == "Summary: the answer first"
    assert "The verdict as a probability" in " ".join(titles)
    assert {"equilibria", "verdict_probabilities", "weight_posterior", "package_positions",
            "package_probabilities"} <= set(a.tables)
    assert "Zero all against parity as bargaining positions" in titles
    assert "Private resolve: what the moves reveal" in titles
    assert "Bargaining positions:" in a.summary()
    html = a._repr_html_()
    assert "<details>" in html and "<img" in html and "Czech" in html
    assert "Verdict over the posterior" in a.summary()
    assert list(a.timings)[:3] == ["setup", "sequence", "calibration"]
    assert "verdict probabilities" in a.timings and min(a.timings.values()) >= 0
    assert any("time of each stage" in t for t in a.technical)
    b = gt.analyze("czech-russia-2021", repetitions=4, turns=5, draws=8, out=tmp_path / "r")
    assert b.report_path == tmp_path / "r" / "index.html" and b.report_path.exists()
