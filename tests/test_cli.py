"""The command line: solve and analyze."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from gametheory.cli import app

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def test_solve_file_table_csv_json():
    out = runner.invoke(app, ["solve", str(DATA / "e02.nfg"), "--exact"])
    assert out.exit_code == 0, out.output
    assert "all_extreme, degenerate" in out.output
    csv = runner.invoke(app, ["solve", str(DATA / "e02.nfg"), "--format", "csv"])
    assert csv.output.splitlines()[0].startswith("equilibrium,player,action")
    js = runner.invoke(app, ["solve", "--game", "battle_of_the_sexes", "--format", "json",
                             "--exact"])
    data = json.loads(js.output)
    assert data["guarantee"] == "all" and len(data["equilibria"]) == 3
    assert data["equilibria"][1]["strategies"]["Player 1"] == {"Opera": "3/5",
                                                               "Football": "2/5"}


def test_solve_method_option():
    out = runner.invoke(app, ["solve", "--game", "matching_pennies", "--method", "zero_sum"])
    assert out.exit_code == 0 and "zero_sum: 1 equilibrium" in out.output


def test_errors_are_one_line_with_exit_code_2(tmp_path):
    bad = tmp_path / "bad.nfg"
    bad.write_text('NFG 1 R "x" { "A" } { 2 } 1')
    out = runner.invoke(app, ["solve", str(bad)])
    assert out.exit_code == 2
    assert "bad.nfg, line 1" in out.output and "Traceback" not in out.output
    out = runner.invoke(app, ["solve", "--game", "stag", "--method", "nope"])
    assert out.exit_code == 2 and "stag_hunt" in out.output
    out = runner.invoke(app, ["solve"])
    assert out.exit_code == 2 and "either" in out.output


def test_analyze_writes_report(tmp_path):
    out = runner.invoke(app, ["analyze", "us-russia", "--out", str(tmp_path / "r"),
                              "--repetitions", "20", "--turns", "15", "--draws", "16",
                              "--no-progress"])
    assert out.exit_code == 0, out.output
    assert "Mutual 'Zero all' sustainable by grim trigger for δ >= USA 0.076, RUS 0.531" \
        in out.output
    assert "Zero all vs tit for tat" in out.output and "USA noise 0.05" in out.output
    html = (tmp_path / "r" / "index.html").read_text()
    for heading in ("Nash equilibria", "Calibration: from moves to a game",
                    "Which strategies did each side play?",
                    "Does &#x27;zero all restrictions&#x27; do better than tit for tat?",
                    "Sensitivity of the stage equilibria", "The dispute as a stochastic game",
                    "&#x27;Zero all&#x27; against tit for tat in the dynamic game"):
        assert heading in html, heading
    assert "Dynamic game (648 states)" in out.output
    assert "Out of sample: On 7 holdout turns" in out.output
    assert "Out of sample: the moves after the calibration" in html
    assert "Out of sample across disputes" in html and "Across the 4 shipped" in out.output
    assert "Reciprocity in the record" in html and "Reciprocity (monthly VAR)" in out.output
    first = html.index("<section id='s0'>")
    assert html.index("Summary: the answer first") > first
    assert html.index("Summary: the answer first") < html.index("<section id='s1'>")
    assert "better against" in html[first:html.index("<section id='s1'>")]
    # six conclusions at the file's weights and the posterior verdict of each side
    assert "Robustness over coding choices" in html and "Robustness: Of 8 conclusions" in \
        out.output
    assert "posterior verdict, USA" in out.output and "P(zero all beats tit for tat)" in html
    import json

    prov = json.loads((tmp_path / "r" / "provenance.json").read_text())
    assert prov["model"] == "us-russia" and prov["settings"] == {
        "repetitions": 20, "turns": 15, "posterior_draws": 16}
    assert "The verdict as a probability" in html and "Verdict over the posterior" in \
        out.output
    assert "Zero all against parity as bargaining positions" in html
    assert "Bargaining positions: with the file's weights, 'Zero all" in out.output
    assert prov["seeds"]["scenarios"] == 2021 and prov["coding"]["merge_within_days"] == 45
    assert len(prov["inputs_sha256"]["events.csv"]) == 64
    assert "Provenance" in html and prov["version"] in html
    import pyarrow.parquet as pq

    meta = pq.read_schema(tmp_path / "r" / "scenario_comparison.parquet").metadata
    assert json.loads(meta[b"gametheory.provenance"])["created"] == prov["created"]
    assert html.count("<img") >= 5 and "<table" in html
    import re

    tables = re.findall(r"<table.*?</table>", html, flags=re.S)
    assert tables and all("<caption>" in t for t in tables), \
        [re.sub(r"<[^>]+>", " ", t)[:80] for t in tables if "<caption>" not in t]
    cells = [c.strip().lower() for c in re.findall(r"<td[^>]*>([^<]*)</td>", html)]
    assert not {"nan", "<na>", "nat"} & set(cells)
    for table in ("equilibria", "scenario_comparison", "strategy_fit", "sensitivity",
                  "dynamic_equilibria", "dynamic_region", "dynamic_comparison",
                  "holdout_scores", "coding_robustness", "cross_dispute"):
        for ext in ("csv", "json", "parquet"):
            assert (tmp_path / "r" / f"{table}.{ext}").exists(), (table, ext)
    import pandas as pd

    cmp = pd.read_parquet(tmp_path / "r" / "scenario_comparison.parquet")
    assert set(cmp.verdict) <= {"better", "worse", "no difference"}
    assert len(cmp) == 2 * 6 * 3 * 3     # sides x opponents x noise levels x discounts
    assert runner.invoke(app, ["analyze", "mars"]).exit_code == 2


def test_python_dash_m():
    out = subprocess.run([sys.executable, "-m", "gametheory", "solve", "--game",
                          "prisoners_dilemma"], capture_output=True, text=True, check=True)
    assert "Defect=1" in out.stdout


def test_events_commands(tmp_path):
    from gametheory.models import model_path

    events = model_path("us-russia") / "events.csv"
    out = runner.invoke(app, ["events", "validate", str(events)])
    assert out.exit_code == 0 and "64 events" in out.output
    bad = DATA / "bad_events" / "bad_dates.csv"
    out = runner.invoke(app, ["events", "validate", str(bad)])
    assert out.exit_code == 2 and "line 3" in out.output and "line 4" in out.output
    png = tmp_path / "g.png"
    out = runner.invoke(app, ["events", "graph", str(events), "--out", str(png),
                              "--since", "2016"])
    assert out.exit_code == 0 and png.stat().st_size > 10_000
    graphml = tmp_path / "g.graphml"
    runner.invoke(app, ["events", "graph", str(events), "--out", str(graphml)])
    import networkx as nx

    g = nx.read_graphml(graphml)
    assert g.has_edge("E08b", "E09b") and g.nodes["E04a"]["magnitude"] == 455
    assert runner.invoke(app, ["events", "graph", str(events), "--out",
                               str(tmp_path / "x.doc")]).exit_code == 2
    schema = json.loads(runner.invoke(app, ["events", "schema"]).output)
    assert "action_type" in schema["properties"]


def test_repeated_command():
    out = runner.invoke(app, ["repeated", "--game", "prisoners_dilemma", "--discount", "0.75"])
    assert out.exit_code == 0, out.output
    assert "[0.5, 1]" in out.output and "(3, 3)" in out.output and "(1, 1)" in out.output
    bad = runner.invoke(app, ["repeated", "--game", "prisoners_dilemma", "--discount", "1.5"])
    assert bad.exit_code == 2 and "(0, 1)" in bad.output


def test_version():
    import gametheory as gt

    out = runner.invoke(app, ["--version"])
    assert out.exit_code == 0 and out.output.strip() == f"gametheory {gt.__version__}"


COMMANDS = [[], ["solve"], ["analyze"], ["sweep"], ["sweep-schema"], ["repeated"],
            ["events"], ["events", "validate"], ["events", "graph"], ["events", "schema"]]


def test_every_help_has_an_example_and_flags_read_as_flags():
    for cmd in COMMANDS:
        out = runner.invoke(app, [*cmd, "--help"])
        assert out.exit_code == 0, (cmd, out.output)
        assert "Example" in out.output, cmd
        assert "<bool>" not in out.output, cmd
        assert f"gametheory {' '.join(cmd)}".strip() in out.output, cmd


def test_solve_help_lists_methods_and_games():
    from gametheory.games.catalogue import catalogue
    from gametheory.solvers.dispatch import METHODS

    text = runner.invoke(app, ["solve", "--help"]).output
    for name in [*METHODS, *catalogue]:
        assert f"\n    {name}\n" in text, name


def test_analyze_another_shipped_dispute(tmp_path):
    """The report of a non-US-Russia model: its own title, players and dates."""
    out = runner.invoke(app, ["analyze", "czech-russia-2021", "--out", str(tmp_path / "r"),
                              "--repetitions", "5", "--turns", "5", "--draws", "8",
                              "--no-progress"])
    assert out.exit_code == 0, out.output
    html = (tmp_path / "r" / "index.html").read_text()
    assert "<h1>Czech Republic–Russia 2021 (Vrbětice)" in html
    assert "The stage game at 2021-06-30" in html and "CZE" in html
    assert "US–Russia" not in html and "end of 2021" not in html
    assert "Reciprocity in the record" in html        # too few months: says so


def _user_model(folder):
    """A user's own model, written here: the Czech record with Estonia in the Czech
    Republic's place, and its parameters with the players renamed."""
    from gametheory.models import model_path

    src = model_path("czech-russia-2021")
    folder.mkdir()
    events = folder / "my_events.csv"
    events.write_text((src / "events.csv").read_text(encoding="utf-8").replace("CZE", "EST"),
                      encoding="utf-8")
    params = folder / "my.yaml"
    params.write_text((src / "parameters.yaml").read_text(encoding="utf-8")
                      .replace("CZE", "EST"), encoding="utf-8")
    return events, params


def test_analyze_an_events_file_with_its_parameters(tmp_path):
    events, params = _user_model(tmp_path / "mine")
    out = runner.invoke(app, ["analyze", str(events), "--parameters", str(params), "--out",
                              str(tmp_path / "r"), "--repetitions", "4", "--turns", "5",
                              "--draws", "8", "--no-progress"])
    assert out.exit_code == 0, out.output
    html = (tmp_path / "r" / "index.html").read_text()
    assert "<h1>my_events: " in html and "for EST and RUS" in html
    import re

    text = re.sub(r"<img[^>]*>", "", html)          # not inside base64 image data
    assert "read from" in text and "US–Russia" not in text and "CZE" not in text
    import json

    prov = json.loads((tmp_path / "r" / "provenance.json").read_text())
    assert prov["model"] == "my_events"
    assert {str(events), str(params)} <= set(prov["inputs_sha256"])
    # the same model as a folder (events.csv + parameters.yaml)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "events.csv").write_text(events.read_text(encoding="utf-8"), encoding="utf-8")
    no_params = runner.invoke(app, ["analyze", str(folder), "--out", str(tmp_path / "r2")])
    assert no_params.exit_code == 2 and "no parameters file" in no_params.output
    assert "new-model" in no_params.output


def test_analyze_says_what_an_incomplete_model_lacks(tmp_path):
    events, params = _user_model(tmp_path / "mine")
    alone = runner.invoke(app, ["analyze", str(events), "--out", str(tmp_path / "r")])
    assert alone.exit_code == 2 and "--parameters" in alone.output
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(params.read_text(encoding="utf-8").replace("EST", "FIN"),
                     encoding="utf-8")
    out = runner.invoke(app, ["analyze", str(events), "--parameters", str(wrong), "--out",
                              str(tmp_path / "r")])
    assert out.exit_code == 2
    assert "FIN of the parameters never act" in out.output and "EST, RUS" in out.output
    missing = runner.invoke(app, ["analyze", str(tmp_path / "nothing_here.csv")])
    assert missing.exit_code == 2 and "unknown model" in missing.output


def test_new_model_writes_a_template_that_analyses_once_the_weights_are_filled(tmp_path):
    events, _ = _user_model(tmp_path / "mine")
    folder = tmp_path / "est_rus"
    out = runner.invoke(app, ["new-model", str(folder), "--events", str(events)])
    assert out.exit_code == 0, out.output
    text = (folder / "parameters.yaml").read_text(encoding="utf-8")
    assert "players: [" in text and "EST" in text and "RUS" in text
    assert text.count(": TODO") == 10 and (folder / "events.csv").is_file()
    # unfilled: the analysis refuses, naming a TODO key
    refused = runner.invoke(app, ["analyze", str(folder), "--out", str(tmp_path / "r")])
    assert refused.exit_code == 2 and "utility" in refused.output
    # again without --overwrite: refused, nothing lost
    again = runner.invoke(app, ["new-model", str(folder), "--events", str(events)])
    assert again.exit_code == 2 and "--overwrite" in again.output
    values = {"mission_value": "1.0", "loss_cost": "2.0", "parity_weight": "0.5",
              "concession_cost": "60.0", "restriction_cost": "10.0"}
    for key, v in values.items():
        text = text.replace(f"{key}: TODO", f"{key}: {v}")
    (folder / "parameters.yaml").write_text(text, encoding="utf-8")
    done = runner.invoke(app, ["analyze", str(folder), "--out", str(tmp_path / "r"),
                               "--repetitions", "4", "--turns", "5", "--draws", "8",
                               "--no-progress"])
    assert done.exit_code == 0, done.output
    assert "<h1>est_rus: " in (tmp_path / "r" / "index.html").read_text()
    bad = runner.invoke(app, ["new-model", str(tmp_path / "x"), "--events", str(events),
                              "--players", "EST,FIN"])
    assert bad.exit_code == 2 and "FIN never act" in bad.output


def test_a_model_folder_without_events_is_named(tmp_path):
    folder = tmp_path / "empty_model"
    folder.mkdir()
    out = runner.invoke(app, ["analyze", str(folder), "--out", str(tmp_path / "r")])
    assert out.exit_code == 2 and "no events file here" in out.output
