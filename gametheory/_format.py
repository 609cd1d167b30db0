"""Text, HTML and LaTeX rendering of games and results (used by their ``_repr_*_`` methods).

This module depends only on NumPy and the standard library; it reads objects
through their public attributes so that games and results need not import
each other's display code.
"""

from __future__ import annotations

import html
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = ["PALETTE", "fields_html", "fmt_number", "frame_html", "game_html", "game_latex",
           "game_text", "series_style", "table_html", "value_html"]

_STYLE = (
    "<style>"
    ".gt-table{border-collapse:collapse;font-family:var(--jp-content-font-family,sans-serif);"
    "margin:0.3em 0}"
    ".gt-table td,.gt-table th{border:1px solid #bbb;padding:0.25em 0.6em;text-align:center}"
    ".gt-table th{background:#f3f3f3}"
    ".gt-table td.gt-ne{background:#fff3c4;font-weight:bold}"
    ".gt-caption,.gt-table caption{font-size:90%;color:#555;text-align:left;"
    "caption-side:top;padding:0.2em 0}"
    "</style>"
)


#: The Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"): eight colours
#: that stay distinguishable under the common colour-vision deficiencies; every figure
#: the package draws takes its colours from here (and grey/black for scaffolding).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
           "#000000")

_LINESTYLES = ("-", "--", ":", "-.")


def series_style(k: int) -> dict[str, str]:
    """Colour and line style of the ``k``-th series of a figure: the palette first, then
    the palette again with the next line style, so that no two of the first 32 series look
    alike.

    >>> series_style(0), series_style(8)["linestyle"]
    ({'color': '#0072B2', 'linestyle': '-'}, '--')
    """
    return {"color": PALETTE[k % len(PALETTE)],
            "linestyle": _LINESTYLES[(k // len(PALETTE)) % len(_LINESTYLES)]}


def fmt_number(x: Any, digits: int = 4) -> str:
    """Format a payoff or probability: fractions as ``p/q``, floats compactly."""
    if isinstance(x, Fraction):
        return str(x)
    xf = float(x)
    if xf == int(xf) and abs(xf) < 1e15:
        return str(int(xf))
    return f"{xf:.{digits}g}"


def _payoff_values(game) -> np.ndarray:
    exact = game.exact_payoffs
    return exact if exact is not None else game.payoffs


def game_text(game) -> str:
    """A plain-text payoff table (two players) or a profile list (N players)."""
    vals = _payoff_values(game)
    lines = [repr(game)]
    if game.n_players == 2:
        m, n = game.shape
        cells = [[", ".join(fmt_number(v) for v in vals[r, c]) for c in range(n)]
                 for r in range(m)]
        rowlab = [str(a) for a in game.actions[0]]
        w0 = max(len(s) for s in [*rowlab, ""])
        widths = [max(len(game.actions[1][c]), *(len(cells[r][c]) for r in range(m)))
                  for c in range(n)]
        lines.append(" " * w0 + " | " + " | ".join(
            a.center(w) for a, w in zip(game.actions[1], widths, strict=True)))
        for r in range(m):
            lines.append(rowlab[r].ljust(w0) + " | " + " | ".join(
                cells[r][c].center(widths[c]) for c in range(n)))
    else:
        for idx in np.ndindex(*game.shape):
            acts = ", ".join(game.actions[i][a] for i, a in enumerate(idx))
            lines.append(f"({acts}): " + ", ".join(fmt_number(v) for v in vals[idx]))
    return "\n".join(lines)


def game_html(game) -> str:
    """HTML payoff table with labels; pure Nash equilibria highlighted."""
    esc = html.escape
    vals = _payoff_values(game)
    pure = set(game.pure_equilibria())
    label = f"{esc(game.title)}: payoffs" if game.title else "Payoffs"
    title = (f"<caption>{label} of each profile (row player first); highlighted: the "
             f"{len(pure)} pure Nash equilibri{'um' if len(pure) == 1 else 'a'}</caption>")
    note = ""
    if game.n_players == 2:
        m, n = game.shape
        p1, p2 = (esc(p) for p in game.players)
        head = (f"<tr><th rowspan='2'>{p1} \\ {p2}</th>"
                + "".join(f"<th>{esc(a)}</th>" for a in game.actions[1]) + "</tr>")
        rows = []
        for r in range(m):
            tds = []
            for c in range(n):
                cls = " class='gt-ne'" if (r, c) in pure else ""
                tds.append(f"<td{cls}>" + ", ".join(fmt_number(v) for v in vals[r, c])
                           + "</td>")
            rows.append(f"<tr><th>{esc(game.actions[0][r])}</th>{''.join(tds)}</tr>")
        body = head.replace("rowspan='2'", "") + "".join(rows)
        return f"{_STYLE}<table class='gt-table'>{title}{body}</table>{note}"
    head = ("<tr>" + "".join(f"<th>{esc(p)}</th>" for p in game.players)
            + "".join(f"<th>payoff {esc(p)}</th>" for p in game.players) + "</tr>")
    rows = []
    for idx in np.ndindex(*game.shape):
        cls = " class='gt-ne'" if idx in pure else ""
        cells = [f"<td{cls}>{esc(game.actions[i][a])}</td>" for i, a in enumerate(idx)]
        cells += [f"<td{cls}>{fmt_number(v)}</td>" for v in vals[idx]]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"{_STYLE}<table class='gt-table'>{title}{head}{''.join(rows)}</table>{note}"


def _latex_escape(s: str) -> str:
    repl = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
            "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}"}
    return "".join(repl.get(ch, ch) for ch in s)


def _latex_number(x: Any) -> str:
    if isinstance(x, Fraction) and x.denominator != 1:
        sign = "-" if x < 0 else ""
        return rf"{sign}\tfrac{{{abs(x.numerator)}}}{{{x.denominator}}}"
    return fmt_number(x)


def game_latex(game) -> str:
    """LaTeX ``array`` of a two-player game (pure equilibria boxed); N players as a list."""
    vals = _payoff_values(game)
    pure = set(game.pure_equilibria())
    if game.n_players != 2:
        rows = [
            r"\text{" + _latex_escape(", ".join(game.actions[i][a] for i, a in enumerate(idx)))
            + "} & " + ", ".join(_latex_number(v) for v in vals[idx]) + r" \\"
            for idx in np.ndindex(*game.shape)
        ]
        return "$$\\begin{array}{l|l}\n" + "\n".join(rows) + "\n\\end{array}$$"
    m, n = game.shape
    head = (r"\text{" + _latex_escape(game.players[0]) + r" \textbackslash{} "
            + _latex_escape(game.players[1]) + "} & "
            + " & ".join(r"\text{" + _latex_escape(a) + "}" for a in game.actions[1]) + r" \\")
    rows = []
    for r in range(m):
        cells = []
        for c in range(n):
            cell = ", ".join(_latex_number(v) for v in vals[r, c])
            cells.append(rf"\boxed{{{cell}}}" if (r, c) in pure else cell)
        rows.append(r"\text{" + _latex_escape(game.actions[0][r]) + "} & " + " & ".join(cells)
                    + r" \\")
    spec = "l|" + "c" * n
    return ("$$\\begin{array}{" + spec + "}\n" + head + "\n\\hline\n" + "\n".join(rows)
            + "\n\\end{array}$$")


def table_html(columns: list[str], rows: list[list[Any]], caption: str = "") -> str:
    """A small styled HTML table (values escaped, numbers formatted)."""
    esc = html.escape
    head = "<tr>" + "".join(f"<th>{esc(c)}</th>" for c in columns) + "</tr>"

    def cell(v: Any) -> str:
        if isinstance(v, Fraction | float | int | np.floating | np.integer) and not isinstance(
                v, bool):
            return fmt_number(v)
        return esc(str(v))

    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in r) + "</tr>" for r in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f"{_STYLE}<table class='gt-table'>{cap}{head}{body}</table>"


def frame_html(frame, caption: str, *, columns: dict[str, str] | None = None,
               digits: int = 3, missing: str = "–", max_rows: int = 60) -> str:
    """A DataFrame as a report table: a caption, human column names (``columns`` maps
    the frame's names; others have ``_`` read as a space), numbers to ``digits``
    significant digits, missing values shown as ``missing`` (never ``nan``).

    >>> import pandas as pd
    >>> html = frame_html(pd.DataFrame({"beta_low": [0.123456, float("nan")]}), "β bounds")
    >>> "<caption>β bounds</caption>" in html, "0.123" in html, "nan" in html
    (True, True, False)
    """
    names = [(columns or {}).get(c, str(c).replace("_", " ")) for c in frame.columns]

    def cell(v: Any) -> Any:
        if v is None or (isinstance(v, float | np.floating) and not np.isfinite(v)):
            return missing if v is None or np.isnan(v) else str(v)
        if isinstance(v, float | np.floating):
            return float(f"{float(v):.{digits}g}")
        return v

    rows = [[cell(v) for v in row] for row in frame.head(max_rows).itertuples(index=False)]
    more = (f" (first {max_rows} of {len(frame)} rows)" if len(frame) > max_rows else "")
    return table_html(names, rows, caption=caption + more)


def value_html(v: Any, *, max_items: int = 12) -> str:
    """One value as HTML: its own rich display if it has one, numbers formatted,
    arrays and sequences shortened, everything else escaped."""
    if hasattr(v, "_repr_html_") and not isinstance(v, type):
        return v._repr_html_()
    if hasattr(v, "to_html") and hasattr(v, "head"):          # a DataFrame
        return v.head(max_items).to_html(index=False, float_format=lambda x: f"{x:.4g}")
    if isinstance(v, Fraction | float | int | np.floating | np.integer) and not isinstance(
            v, bool):
        return fmt_number(v)
    if isinstance(v, np.ndarray):
        flat = v.ravel()
        shown = ", ".join(fmt_number(x) if np.issubdtype(v.dtype, np.number) else str(x)
                          for x in flat[:max_items])
        more = f", … ({v.size} values, shape {v.shape})" if v.size > max_items else ""
        return html.escape(f"[{shown}{more}]")
    if isinstance(v, dict):
        items = list(v.items())
        shown = "; ".join(f"{k}: {value_html(x)}" for k, x in items[:max_items])
        return shown + (f"; … ({len(items)} items)" if len(items) > max_items else "")
    if isinstance(v, list | tuple) and not hasattr(v, "_fields"):
        shown = ", ".join(value_html(x) for x in v[:max_items])
        return f"[{shown}" + (f", … ({len(v)} items)]" if len(v) > max_items else "]")
    return html.escape(str(v))


def fields_html(title: str, fields: list[tuple[str, Any]]) -> str:
    """A titled two-column table of named values (the rich display of result objects)."""
    esc = html.escape
    body = "".join(f"<tr><th style='text-align:left'>{esc(k)}</th>"
                   f"<td style='text-align:left'>{value_html(v)}</td></tr>" for k, v in fields)
    return (f"{_STYLE}<div class='gt-caption'>{esc(title)}</div>"
            f"<table class='gt-table'>{body}</table>")
