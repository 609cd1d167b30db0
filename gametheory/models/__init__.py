"""Shipped models: data files of real disputes, loadable by name after a plain install."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UnknownNameError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..events import EventSequence

__all__ = ["MODELS", "Model", "load_model", "model_path"]

#: Model name -> folder under ``models/`` (aliases allowed).
MODELS = {"us-russia": "us_russia_embassy", "us_russia_embassy": "us_russia_embassy"}


def model_path(name: str) -> Path:
    """Folder of a shipped model: inside the installed package, or ``models/`` in a clone."""
    key = name.strip().lower()
    if key not in MODELS:
        raise UnknownNameError("model", name, MODELS)
    folder = MODELS[key]
    here = Path(__file__).resolve().parent
    for base in (here / "data", here.parents[1] / "models"):
        if (base / folder / "events.csv").is_file():
            return base / folder
    raise FileNotFoundError(f"model data for {name!r} not found (looked in {here / 'data'} "
                            f"and {here.parents[1] / 'models'})")


@dataclass(frozen=True)
class Model:
    """A shipped model: its event sequence, staffing series and coding notes."""

    name: str
    path: Path
    events: EventSequence
    staffing: pd.DataFrame = field(repr=False)
    readme: str = field(repr=False)


def load_model(name: str = "us-russia") -> Model:
    """Load a shipped model by name.

    Examples
    --------
    >>> m = load_model("us-russia")
    >>> len(m.events) >= 40, sorted(m.staffing.mission_of.unique())
    (True, ['RUS', 'USA'])
    """
    import pandas as pd

    from ..events import load_events

    path = model_path(name)
    events = load_events(path / "events.csv")
    staffing = pd.read_csv(path / "staffing.csv", dtype={"date": str})
    readme = (path / "README.md").read_text(encoding="utf-8")
    return Model(name=name, path=path, events=events, staffing=staffing, readme=readme)
