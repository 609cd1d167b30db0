"""Shipped models: data files of real disputes, loadable by name after a plain install."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UnknownNameError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..events import EventSequence

__all__ = ["MODELS", "Model", "load_model", "load_model_dir", "model_key", "model_path",
           "resolve_model"]

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
    #: The parameters file (default: ``parameters.yaml`` in the model's folder).
    parameters: Path | None = None
    #: The registry key of a shipped model; None for a user's model.
    shipped: str | None = None
    #: The events file (default: ``events.csv`` in the model's folder).
    events_file: Path | None = None

    @property
    def parameters_path(self) -> Path:
        return self.parameters if self.parameters is not None else self.path / "parameters.yaml"

    @property
    def title(self) -> str:
        """The dispute's name: the first heading of the model's README (else its name)."""
        for line in self.readme.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
        return self.name

    def plot_staffing(self, ax=None, *, since: str = "2013", log: bool = True,
                      max_gap_years: float = 2.0):
        """Reported whole-mission sizes of each side as steps between reported points,
        with a gap where no count was reported for more than ``max_gap_years``; caps as
        dashed lines; other reported figures (a consular section, a cut) as labelled
        ticks along the bottom, not on the staff axis; low-confidence counts as open
        markers. Colour-blind-safe colours (Okabe & Ito). Returns the Axes.

        Counts differ in what they include (local staff, the UN mission); the
        ``scope`` column of :attr:`staffing` says which, ``series`` what is counted.
        """
        import matplotlib.pyplot as plt
        import matplotlib.transforms as mtransforms
        import pandas as pd

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4))
        if self.staffing.empty:
            ax.text(0.5, 0.5, "no staffing series in this model", ha="center",
                    va="center", transform=ax.transAxes)
            ax.set_axis_off()
            return ax
        df = self.staffing.copy()
        df["when"] = pd.to_datetime(df["date"].astype(str), format="mixed")
        df = df[df["when"] >= pd.Timestamp(since)]
        from .._format import PALETTE as palette

        sides = list(dict.fromkeys(df["mission_of"]))
        colors = {s: palette[k % len(palette)] for k, s in enumerate(sides)}
        bottom = mtransforms.blended_transform_factory(ax.transData, ax.transAxes)
        for side, part in df.groupby("mission_of", sort=False):
            c = colors[side]
            others = part[(part["kind"] == "count") & (part["series"] != "mission")]
            for _, row in others.iterrows():
                ax.plot([row["when"]] * 2, [0.0, 0.04], color=c, lw=1.2, transform=bottom)
                ax.annotate(f"{side} {row['series'].replace('_', ' ')}: {row['count']:g}",
                            (row["when"], 0.05), xycoords=bottom, rotation=90, fontsize=6,
                            va="bottom", ha="center", color=c)
            part = part[part["series"] == "mission"]
            counts = part[part["kind"] == "count"].sort_values("when")
            if len(counts):
                x = list(counts["when"])
                y = [float(v) for v in counts["count"]]
                xs, ys = [x[0]], [y[0]]
                for k in range(1, len(x)):
                    if (x[k] - x[k - 1]).days > 365.25 * max_gap_years:
                        xs.append(x[k - 1] + pd.Timedelta(days=1))
                        ys.append(float("nan"))          # no data: no line
                    xs.append(x[k])
                    ys.append(y[k])
                ax.step(xs, ys, where="post", color=c, lw=1.6,
                        label=f"{side} mission (reported counts, steps)")
                low = counts["confidence"] == "low"
                ax.plot(counts["when"][~low], counts["count"][~low], "o", color=c, ms=4)
                if low.any():
                    ax.plot(counts["when"][low], counts["count"][low], "o", ms=6, color=c,
                            markerfacecolor="none", markeredgecolor=c,
                            label=f"{side}: low-confidence report")
            caps = part[part["kind"] == "cap"].sort_values("when")
            for _, row in caps.iterrows():
                ax.axhline(row["count"], ls="--", lw=0.8, color=c)
                ax.annotate(f"{side} cap {row['count']:g} ({row['when'].year})",
                            (row["when"], row["count"]), fontsize=7, color=c,
                            textcoords="offset points", xytext=(4, 3))
        if log:
            from matplotlib.ticker import FuncFormatter

            ax.set_yscale("log")
            plain = FuncFormatter(lambda v, _: f"{v:g}")
            ax.yaxis.set_major_formatter(plain)
            ax.yaxis.set_minor_formatter(plain)
            ax.tick_params(axis="y", which="minor", labelsize=7)
        ax.set_ylabel("mission staff (persons)")
        ax.set_title("Mission sizes as each side reported them")
        ax.legend(fontsize=7, loc="upper right")
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
    return Model(name=name, path=path, events=events, staffing=staffing, readme=readme,
                 shipped=model_key(name))


#: Columns of a model's ``staffing.csv`` (an empty table when a model has none).
STAFFING_COLUMNS = ("date", "date_precision", "mission_of", "kind", "series", "count", "scope",
                    "reported_by", "sources", "source_tier", "confidence", "notes")


def load_model_dir(folder: str | Path | None = None, *, events: str | Path | None = None,
                   parameters: str | Path | None = None) -> Model:
    """A user's model: a folder with ``events.csv`` (or another events file) and
    ``parameters.yaml``, optionally ``staffing.csv`` and a ``README.md`` whose first
    heading names the dispute; or an events file and a parameters file anywhere.

    Raises
    ------
    ParameterError
        When the parameters file is missing (the message says how to write one).
    EventFileError
        When the events file is missing or malformed.
    """
    import pandas as pd

    from ..errors import EventFileError, EventIssue, ParameterError
    from ..events import load_events

    if folder is None and events is None:
        raise ParameterError("give a model folder or an events file", key="target")
    folder = Path(folder) if folder is not None else Path(events).resolve().parent
    ev = Path(events) if events is not None else folder / "events.csv"
    if not ev.is_file():
        raise EventFileError([EventIssue(str(ev), None, None, None, None,
                                         "no events file here (a model folder holds "
                                         "events.csv and parameters.yaml)")])
    par = Path(parameters) if parameters is not None else folder / "parameters.yaml"
    if not par.is_file():
        hint = (f"gametheory new-model {folder} --events {ev}" if events is not None
                else f"gametheory new-model {folder}")
        raise ParameterError(f"{par}: no parameters file. A model needs one (players, "
                             f"levels, weights); `{hint}` writes a template with the players "
                             "of the events file", key="<file>")
    import io

    from .._config import read_text

    def fail(message: str, line: int | None = None):
        raise EventFileError([EventIssue(None, line, None, None, None, message)])

    staffing_file = folder / "staffing.csv"
    staffing = (pd.read_csv(io.StringIO(read_text(staffing_file, fail)), dtype={"date": str})
                if staffing_file.is_file() else pd.DataFrame(columns=list(STAFFING_COLUMNS)))
    readme_file = folder / "README.md"
    readme = read_text(readme_file, fail) if readme_file.is_file() else ""
    name = folder.name if events is None else ev.stem
    return Model(name=name, path=folder, events=load_events(ev), staffing=staffing,
                 readme=readme or f"# {name}\n", parameters=par, events_file=ev)


def resolve_model(target: str | Path, parameters: str | Path | None = None) -> Model:
    """The model ``gametheory analyze TARGET`` means: a shipped model's name, a model
    folder, or an events file (then ``parameters`` is required).

    Examples
    --------
    >>> resolve_model("czech-russia-2021").shipped
    'czech-russia-2021'
    """
    # a shipped name wins unless a file or folder of that name exists here
    from ..errors import ParameterError

    path = Path(target)
    key = str(target).strip().lower().replace("_", "-")
    if key in MODELS and not path.exists():
        if parameters is not None:
            m = load_model(key)
            return Model(name=m.name, path=m.path, events=m.events, staffing=m.staffing,
                         readme=m.readme, parameters=Path(parameters), shipped=None)
        return load_model(key)
    if path.is_dir():
        return load_model_dir(path, parameters=parameters)
    if path.is_file():
        if parameters is None:
            raise ParameterError(f"{path} is an events file: give its model with "
                                 f"--parameters FILE (or write a template with `gametheory "
                                 f"new-model DIR --events {path}`)", key="parameters")
        return load_model_dir(events=path, parameters=parameters)
    raise UnknownNameError("model (a shipped name, a model folder or an events file)",
                           target, MODELS)
