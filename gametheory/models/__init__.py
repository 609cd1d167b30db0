"""Shipped models: data files of real disputes, loadable by name after a plain install."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UnknownNameError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..events import EventSequence

__all__ = ["MODELS", "Model", "load_model", "model_key", "model_path"]

#: The one registry of shipped models: name -> folder under ``models/`` (names are
#: compared with ``_`` read as ``-``, so the folder name works too).
MODELS = {"us-russia": "us_russia_embassy", "us-russia-embassy": "us_russia_embassy",
          "czech-russia-2021": "czech_russia_2021", "uk-russia-2018": "uk_russia_2018",
          "us-china-2020": "us_china_2020"}


def model_key(name: str) -> str:
    """The registry key of a model name (``US_Russia_Embassy`` -> ``us-russia-embassy``).

    Raises
    ------
    UnknownNameError
        Listing the shipped models.
    """
    key = str(name).strip().lower().replace("_", "-")
    if key not in MODELS:
        raise UnknownNameError("model", name, MODELS)
    return key


def model_path(name: str) -> Path:
    """Folder of a shipped model: inside the installed package, or ``models/`` in a clone."""
    folder = MODELS[model_key(name)]
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

    @property
    def title(self) -> str:
        """The dispute's name: the first heading of the model's README (else its name)."""
        for line in self.readme.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
        return self.name

    def plot_staffing(self, ax=None, *, since: str = "2013", log: bool = True):
        """Reported whole-mission sizes (lines) and caps (dashed) of each side; other
        reported figures (a consular section, cuts) as open markers. Returns the Axes.

        Counts differ in what they include (local staff, the UN mission); the
        ``scope`` column of :attr:`staffing` says which, ``series`` what is counted.
        """
        import matplotlib.pyplot as plt
        import pandas as pd

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4))
        df = self.staffing.copy()
        df["when"] = pd.to_datetime(df["date"].astype(str), format="mixed")
        df = df[df["when"] >= pd.Timestamp(since)]
        colors = {"USA": "tab:blue", "RUS": "tab:orange"}
        for side, part in df.groupby("mission_of"):
            others = part[(part["kind"] == "count") & (part["series"] != "mission")]
            if len(others):
                ax.scatter(others["when"], others["count"], facecolors="none",
                           edgecolors=colors.get(side), label=f"{side}: other reported figures")
            for _, row in others.iterrows():
                ax.annotate(row["series"].replace("_", " "), (row["when"], row["count"]),
                            fontsize=7, textcoords="offset points", xytext=(4, -10))
            part = part[part["series"] == "mission"]
            counts = part[part["kind"] == "count"].sort_values("when")
            ax.plot(counts["when"], counts["count"], "o-", color=colors.get(side),
                    label=f"{side} mission (reported)", alpha=0.8)
            for _, row in counts[counts["confidence"] == "low"].iterrows():
                ax.annotate("FLAG", (row["when"], row["count"]), fontsize=7,
                            textcoords="offset points", xytext=(4, 4))
            caps = part[part["kind"] == "cap"].sort_values("when")
            for _, row in caps.iterrows():
                ax.axhline(row["count"], ls="--", lw=0.8, color=colors.get(side))
                ax.annotate(f"cap {row['count']} ({row['when'].year})",
                            (row["when"], row["count"]), fontsize=7,
                            textcoords="offset points", xytext=(4, -10))
        if log:
            ax.set_yscale("log")
        ax.set_ylabel("staff")
        ax.set_title("Mission sizes as each side reported them")
        ax.legend(fontsize=8)
        return ax

    def _repr_html_(self) -> str:
        from .._format import fields_html

        return fields_html(f"Model {self.name!r}",
                           [("folder", self.path), ("events", self.events),
                            ("staffing", self.staffing)])


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
