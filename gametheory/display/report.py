"""The HTML report written by ``gametheory analyze``."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Analysis", "analysis_report", "figure_html"]


@dataclass
class Analysis:
    """Everything ``analyze`` computed: sections of (title, text, html) and raw tables."""

    title: str
    sections: list[tuple[str, str, str]] = field(default_factory=list)
    tables: dict[str, object] = field(default_factory=dict)  # name -> pandas.DataFrame

    def add(self, title: str, text: str, body_html: str = "") -> None:
        self.sections.append((title, text, body_html))


def analysis_report(analysis: Analysis, out_dir: str | Path) -> Path:
    """Write ``index.html`` plus one CSV, JSON and Parquet file per table into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    links = []
    for name, frame in analysis.tables.items():
        frame.to_csv(out / f"{name}.csv", index=False)
        frame.to_json(out / f"{name}.json", orient="records", indent=1, date_format="iso")
        _to_parquet(frame, out / f"{name}.parquet")
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
    for k, (title, text, body) in enumerate(analysis.sections):
        parts.append(f"<section id='s{k}'><h2>{html.escape(title)}</h2>")
        parts.extend(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
        parts.append(body)
        parts.append("</section>")
    if links:
        parts.append("<section id='tables'><h2>Raw tables</h2><ul>" + "".join(links)
                     + "</ul></section>")
    parts.append("</body></html>")
    path = out / "index.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _to_parquet(frame, path: Path) -> None:
    """Parquet needs one type per column: columns of mixed Python objects (exact
    fractions, lists of probabilities) are written as their text form."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            kinds = {type(v) for v in out[col].dropna()}
            if kinds and kinds != {str}:
                out[col] = out[col].map(lambda v: None if v is None else str(v))
    out.to_parquet(path, index=False)


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
