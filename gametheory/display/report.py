"""The HTML report written by ``gametheory analyze``."""

from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReportError

__all__ = ["Analysis", "analysis_report", "figure_html"]


@dataclass
class Analysis:
    """Everything ``analyze`` computed: sections of (title, text, html) and raw tables."""

    title: str
    sections: list[tuple[str, str, str]] = field(default_factory=list)
    tables: dict[str, object] = field(default_factory=dict)  # name -> pandas.DataFrame
    #: What produced the report (:func:`~gametheory.display.provenance.collect_provenance`).
    provenance: dict | None = None
    #: Developer details (solver names, timings, checks), shown in a technical appendix.
    technical: list[str] = field(default_factory=list)
    #: Wall-clock seconds of each stage of the analysis, in order.
    timings: dict[str, float] = field(default_factory=dict)

    def add(self, title: str, text: str, body_html: str = "") -> None:
        self.sections.append((title, text, body_html))

    def note(self, text: str) -> None:
        """A line for the technical appendix (the section added by :meth:`appendix`)."""
        self.technical.append(text)

    #: What ``analyze`` printed (one line per result), and the report (index.html) if written.
    summary_lines: list[str] = field(default_factory=list)
    report_path: Path | None = None

    def summary(self) -> str:
        """The printed summary of the analysis."""
        return "\n".join(self.summary_lines)

    def _repr_html_(self) -> str:
        """Every section in the notebook: text, tables and figures, as in the report."""
        parts = [f"<h3>{html.escape(self.title)}</h3>"]
        for title, text, body in self.sections:
            parts.append(f"<details><summary><b>{html.escape(title)}</b></summary>")
            parts.extend(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
            parts.append(body + "</details>")
        parts.append(f"<p>{len(self.tables)} tables in <code>.tables</code>"
                     + (f"; report written to <code>{html.escape(str(self.report_path))}"
                        "</code>" if self.report_path else "") + "</p>")
        return "".join(parts)

    def appendix(self) -> None:
        """Add the technical appendix as the last section (if anything was noted)."""
        if self.technical:
            self.add("Technical appendix: solvers and checks",
                     "How the numbers above were computed, for checking and reproduction.",
                     "<ul>" + "".join(f"<li><code>{html.escape(t)}</code></li>"
                                      for t in self.technical) + "</ul>")


#: Marks a folder as written by ``analysis_report`` (so it may be replaced whole).
MARKER = ".gametheory-report"


def analysis_report(analysis: Analysis, out_dir: str | Path, *, overwrite: bool = False
                    ) -> Path:
    """Write ``index.html`` plus one CSV, JSON and Parquet file per table into ``out_dir``.

    Nothing is lost if the run is killed: the report is written into a temporary
    folder beside ``out_dir`` and swapped in only when complete, so ``out_dir``
    holds either the previous complete report or the new one. A folder that
    holds other files (not an earlier report) is not touched unless
    ``overwrite=True``; then the report's files are written into it one by one
    (each to a temporary name, then renamed) and the other files are kept.

    Raises
    ------
    ReportError
        ``out_dir`` is a file, or a folder with other files and ``overwrite`` is
        False, or cannot be written.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ReportError(f"output {out} is a file, not a folder")
    ours = out.is_dir() and (out / MARKER).exists()
    foreign = out.is_dir() and not ours and any(out.iterdir())
    if foreign and not overwrite:
        raise ReportError(f"{out} already holds files that are not a gametheory report; "
                          "choose another folder or pass --overwrite (overwrite=True), "
                          "which keeps the other files and replaces same-named ones")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as exc:
        raise ReportError(f"cannot write the report beside {out}: {exc.strerror}") from None
    try:
        _write_report(analysis, stage)
        if foreign:
            for item in stage.iterdir():
                os.replace(item, out / item.name)
            shutil.rmtree(stage, ignore_errors=True)
        else:
            old = None
            if out.exists():
                old = out.with_name(f".{out.name}.old-{os.getpid()}")
                os.replace(out, old)
            os.replace(stage, out)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return out / "index.html"


def _write_report(analysis: Analysis, out: Path) -> None:
    from .provenance import dumps, provenance_html

    prov = analysis.provenance
    if prov is not None:
        (out / "provenance.json").write_text(dumps(prov), encoding="utf-8")
    links = []
    for name, frame in analysis.tables.items():
        frame.to_csv(out / f"{name}.csv", index=False)
        frame.to_json(out / f"{name}.json", orient="records", indent=1, date_format="iso")
        _to_parquet(frame, out / f"{name}.parquet", prov)
        links.append(f"<li><a href='{html.escape(name)}.csv'>{html.escape(name)}.csv</a> · "
                     f"<a href='{html.escape(name)}.json'>json</a> · "
                     f"<a href='{html.escape(name)}.parquet'>parquet</a></li>")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(analysis.title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;"
        "padding:0 1em;line-height:1.45}h2{border-bottom:1px solid #ddd}"
        "pre{background:#f6f6f6;padding:0.5em}</style></head><body>",
        f"<h1>{html.escape(analysis.title)}</h1>",
    ]
    if prov is not None:
        parts.append(provenance_html(prov))
    for k, (title, text, body) in enumerate(analysis.sections):
        parts.append(f"<section id='s{k}'><h2>{html.escape(title)}</h2>")
        parts.extend(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
        parts.append(body)
        parts.append("</section>")
    if links:
        parts.append("<section id='tables'><h2>Raw tables</h2><ul>" + "".join(links)
                     + "</ul></section>")
    parts.append("</body></html>")
    (out / "index.html").write_text("\n".join(parts), encoding="utf-8")
    (out / MARKER).write_text(json.dumps({"tables": sorted(analysis.tables),
                                          "written": time.strftime("%Y-%m-%dT%H:%M:%S%z")}))


def _to_parquet(frame, path: Path, provenance: dict | None = None) -> None:
    """Parquet needs one type per column: columns of mixed Python objects (exact
    fractions, lists of probabilities) are written as their text form. The
    provenance goes into the file's key-value metadata (``gametheory.provenance``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .provenance import dumps

    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            kinds = {type(v) for v in out[col].dropna()}
            if kinds and kinds != {str}:
                out[col] = out[col].map(lambda v: None if v is None else str(v))
    table = pa.Table.from_pandas(out, preserve_index=False)
    if provenance is not None:
        meta = dict(table.schema.metadata or {})
        meta[b"gametheory.provenance"] = dumps(provenance).encode("utf-8")
        table = table.replace_schema_metadata(meta)
    pq.write_table(table, path)


def figure_html(fig, alt: str) -> str:
    """A matplotlib figure as an inline PNG ``<img>`` (the report is one self-contained file)."""
    import base64
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f"<figure><img alt='{html.escape(alt)}' style='max-width:100%' "
            f"src='data:image/png;base64,{data}'><figcaption>{html.escape(alt)}</figcaption>"
            "</figure>")
