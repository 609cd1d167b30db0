"""Provenance of a report: what produced it, from which inputs, with which seeds.

Written as ``provenance.json`` beside the report, shown in the report's header and
stored in the key-value metadata of every Parquet table (key ``gametheory.provenance``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = ["collect_provenance", "git_commit", "sha256_file"]


def sha256_file(path: str | Path) -> str | None:
    """SHA-256 of a file's bytes, or None when it cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def git_commit(where: str | Path | None = None) -> dict[str, Any] | None:
    """The commit (and whether the tree has changes) when the package runs from a git
    checkout; None for an installed package or when git is not available."""
    root = Path(where) if where is not None else Path(__file__).resolve().parents[2]
    if not (root / ".git").exists():
        return None
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"],
                              capture_output=True, text=True, timeout=10, check=True)
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain",
                                 "--untracked-files=no"],
                                capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": head.stdout.strip(), "dirty": bool(status.stdout.strip())}


def collect_provenance(*, model: str, model_dir: str | Path | None = None,
                       seeds: dict[str, int] | None = None,
                       settings: dict[str, Any] | None = None,
                       coding: dict[str, Any] | None = None,
                       command: list[str] | None = None,
                       files: list[str | Path] | None = None) -> dict[str, Any]:
    """Everything needed to say where a report came from.

    Examples
    --------
    >>> p = collect_provenance(model="us-russia", seeds={"tournament": 2021})
    >>> sorted(p)[:4], p["seeds"]
    (['coding', 'command', 'created', 'git'], {'tournament': 2021})
    """
    import numpy as np

    from .. import __version__

    inputs = {}
    if files is not None:             # exactly these input files (a user's model)
        for f in files:
            inputs[str(f)] = sha256_file(Path(f))
    elif model_dir is not None:
        for f in sorted(Path(model_dir).glob("*")):
            if f.is_file() and f.suffix in (".csv", ".yaml", ".yml", ".toml", ".json"):
                inputs[f.name] = sha256_file(f)
    versions = {"python": platform.python_version(), "numpy": np.__version__}
    for name in ("scipy", "pandas", "networkx", "nashpy", "matplotlib"):
        mod = sys.modules.get(name)
        if mod is not None:
            versions[name] = getattr(mod, "__version__", "?")
    return {
        "package": "gametheory",
        "version": __version__,
        "git": git_commit(),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": list(command) if command is not None else list(sys.argv),
        "model": model,
        "inputs_sha256": inputs,
        "coding": coding or {},
        "settings": settings or {},
        "seeds": seeds or {},
        "versions": versions,
        "platform": platform.platform(),
    }


def provenance_html(prov: dict[str, Any]) -> str:
    """A compact header block for the report."""
    import html

    git = prov.get("git")
    commit = (f"{git['commit'][:12]}{' (uncommitted changes)' if git['dirty'] else ''}"
              if git else "not a git checkout")
    rows = [("gametheory", f"{prov['version']}, commit {commit}"),
            ("created", prov["created"]),
            ("command", " ".join(prov["command"])),
            ("model", prov["model"]),
            ("inputs (SHA-256)", "; ".join(f"{k} {v[:12]}" for k, v in
                                          prov["inputs_sha256"].items() if v)),
            ("seeds", ", ".join(f"{k} {v}" for k, v in prov["seeds"].items())),
            ("settings", ", ".join(f"{k} {v}" for k, v in prov["settings"].items()))]
    body = "".join(f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(k)}</th>"
                   f"<td>{html.escape(str(v))}</td></tr>" for k, v in rows)
    return (f"<details class='provenance'><summary>Provenance (also in provenance.json and "
            f"in every Parquet file's metadata)</summary><table><caption>Where this report came "
            f"from: package, commit, date, command, seeds and input files</caption>{body}"
            "</table></details>")


def dumps(prov: dict[str, Any]) -> str:
    return json.dumps(prov, indent=1, sort_keys=True, default=str)
