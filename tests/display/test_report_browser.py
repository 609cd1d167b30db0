"""The HTML report of ``gametheory analyze`` opened in a real browser (headless Chromium).

Chromium is Debian's ``chromium`` package. Where it is missing, the fixture installs
it with apt-get (the README's test command installs what it needs); only where that
is impossible (not root, no apt-get, no registry) is the test skipped, saying why.
"""

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading

import numpy as np
import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome")

HARNESS = """<!doctype html><html><body>
<iframe id="report" src="index.html" style="width:1280px;height:900px"></iframe>
<script>
document.getElementById("report").addEventListener("load", function () {
  var d = this.contentDocument;
  var imgs = Array.from(d.images);
  var out = {
    title: d.title,
    images: imgs.length,
    decoded: imgs.filter(function (i) { return i.complete && i.naturalWidth > 100; }).length,
    tables: d.querySelectorAll("table").length,
    cells: d.querySelectorAll("table td").length,
    empty_tables: Array.from(d.querySelectorAll("table"))
        .filter(function (t) { return t.rows.length < 2; }).length,
    uncaptioned: Array.from(d.querySelectorAll("table"))
        .filter(function (t) { return !t.caption || !t.caption.textContent.trim(); }).length,
    nan_cells: Array.from(d.querySelectorAll("table td"))
        .filter(function (c) { return /^(nan|NaN|<NA>|NaT)$/.test(c.textContent.trim()); })
        .length,
    no_alt: imgs.filter(function (i) { return !(i.alt || "").trim(); }).length,
    first_section: (function () {
        var s = d.querySelector("section");
        return s ? s.textContent.slice(0, 2000) : ""; })(),
    headings: Array.from(d.querySelectorAll("h2")).map(function (h) { return h.textContent; }),
    width: d.documentElement.scrollWidth,
    height: d.documentElement.scrollHeight
  };
  var pre = document.createElement("pre");
  pre.id = "result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script></body></html>"""


def _find():
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def chromium():
    path = _find()
    if path:
        return path
    if not shutil.which("apt-get") or os.geteuid() != 0:
        pytest.skip("headless Chromium is not installed and cannot be installed here "
                    "(installing Debian's 'chromium' needs root and apt-get); the browser "
                    "test of the report did not run")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True,
                       timeout=600, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                        "chromium"], check=True, capture_output=True, timeout=1200, env=env)
    except (subprocess.SubprocessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        pytest.skip(f"headless Chromium could not be installed with apt-get ({exc}; "
                    f"{detail.decode(errors='replace')[-300:]}); the browser test of the "
                    "report did not run")
    path = _find()
    if path is None:
        pytest.skip("apt-get installed 'chromium' but no chromium executable is on PATH")
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from gametheory.display.analyze import run_analysis

    out = tmp_path_factory.mktemp("report")
    run_analysis("us-russia", out, repetitions=20, turns=15, progress=False, draws=16)
    (out / "harness.html").write_text(HARNESS)
    return out


@pytest.fixture(scope="module")
def server(report):
    handler = functools.partial(_QuietHandler, directory=str(report))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _chromium(path, profile, *args, timeout=120):
    cmd = [path, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def _harness(chromium, server, tmp_path) -> dict:
    res = _chromium(chromium, tmp_path / "profile", "--virtual-time-budget=15000",
                    "--dump-dom", f"{server}/harness.html")
    match = re.search(r'<pre id="result">(.*?)</pre>', res.stdout, re.S)
    assert match, f"the harness did not report (stderr: {res.stderr[-500:]})"
    text = (match.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
            .replace("&amp;", "&"))
    return json.loads(text)


def test_report_renders_its_figures_and_tables_in_chromium(chromium, server, tmp_path):
    seen = _harness(chromium, server, tmp_path)
    assert "US" in seen["title"] or "gametheory" in seen["title"].lower(), seen["title"]
    assert seen["images"] >= 5
    assert seen["decoded"] == seen["images"], seen          # every figure decoded by the browser
    assert seen["tables"] >= 8 and seen["empty_tables"] == 0 and seen["cells"] > 100, seen
    for heading in ("Nash equilibria", "Which strategies did each side play?",
                    "Sensitivity of the stage equilibria"):
        assert any(heading in h for h in seen["headings"]), (heading, seen["headings"])
    assert seen["height"] > 3000
    # read as a reader would: every table captioned, no nan, every figure described,
    # and the first section is the summary stating the answer
    assert seen["uncaptioned"] == 0 and seen["nan_cells"] == 0 and seen["no_alt"] == 0, seen
    assert seen["first_section"].lstrip().startswith("Summary: the answer first")
    assert "probability that 'zero all' beats tit for tat" in seen["first_section"]


@pytest.mark.parametrize("width", [1280, 600])
def test_report_screenshot_is_not_blank(chromium, server, tmp_path, width):
    import matplotlib.image as mpimg

    shot = tmp_path / "report.png"
    res = _chromium(chromium, tmp_path / "profile", f"--window-size={width},2400",
                    f"--screenshot={shot}", f"{server}/index.html")
    assert shot.exists(), res.stderr[-500:]
    pixels = mpimg.imread(shot)[..., :3]
    assert pixels.shape[:2] == (2400, width)
    ink = (pixels.min(axis=2) < 0.9).mean()                 # share of non-white pixels
    colour = (np.ptp(pixels, axis=2) > 0.2).mean()          # figures add coloured pixels
    assert ink > 0.02 and colour > 0.001, (ink, colour)


@pytest.mark.filterwarnings("ignore::gametheory.errors.SmallSampleWarning")
def test_the_report_of_another_dispute_reads_as_its_own(chromium, tmp_path):
    """A non-US-Russia model: its title and labels, checked in the browser."""
    from gametheory.display.analyze import run_analysis

    out = tmp_path / "czech"
    run_analysis("czech-russia-2021", out, repetitions=4, turns=5, progress=False, draws=8)
    (out / "harness.html").write_text(HARNESS)
    handler = functools.partial(_QuietHandler, directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        seen = _harness(chromium, f"http://127.0.0.1:{httpd.server_address[1]}", tmp_path)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
    assert seen["title"].startswith("Czech Republic–Russia 2021"), seen["title"]
    assert "for CZE and RUS" in seen["title"]
    assert "USA" not in seen["first_section"] and "CZE" in seen["first_section"]
    assert seen["uncaptioned"] == 0 and seen["nan_cells"] == 0
