"""The parameters file of a calibrated model: schema, loading and typed errors.

A model's assumptions live in one YAML file (``models/<name>/parameters.yaml``)
so that every number a result depends on is visible and can be changed. The
file is validated by pydantic; every problem is reported as a
:class:`~gametheory.errors.ParameterError` naming the key (dotted path), the
file and the line.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .._config import line_of, parse_text, read_text
from ..errors import ParameterError
from ..events.schema import ActionType

__all__ = ["Classification", "Dynamic", "Level", "Mission", "ModelParameters", "Prior",
           "Utility", "load_parameters"]

_STRICT = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Level(BaseModel):
    """One action level: its name and what it does to the *other* side's mission."""

    model_config = _STRICT
    name: str = Field(min_length=1)
    staff: float | Literal["all"]
    restrictions: float | Literal["all"]


class Mission(BaseModel):
    """Size of one side's mission: normal (``baseline``) and at the state date."""

    model_config = _STRICT
    baseline: float = Field(gt=0)
    state: float = Field(ge=0)

    @model_validator(mode="after")
    def _state_within_baseline(self):
        if self.state > self.baseline:
            raise ValueError(f"state ({self.state:g}) exceeds baseline ({self.baseline:g})")
        return self


class Utility(BaseModel):
    """Named weights of one side's stage utility (all required, all >= 0)."""

    model_config = _STRICT
    mission_value: float = Field(ge=0)
    loss_cost: float = Field(ge=0)
    parity_weight: float = Field(ge=0)
    concession_cost: float = Field(ge=0)
    restriction_cost: float = Field(ge=0)


#: Action types that are talk: moves of the game or cheap talk, by one named option.
TALK_TYPES = (ActionType.OFFER, ActionType.DEMAND, ActionType.THREAT)


class Classification(BaseModel):
    """How observed moves become levels: the coding choices, each a named option (see the
    parameters file for the rules and ``calibrate(..., coding=...)`` to change them)."""

    model_config = _STRICT
    commensurate_tolerance: float = Field(ge=0)
    commensurate_level: str
    escalation_level: str
    compare_default: str
    idle_level: str
    merge_within_days: int = Field(ge=0)
    #: "cheap_talk": offers, demands and threats are not moves of the game (both
    #: sides alike); "moves": they are, at the levels of ``action_types``.
    talk: Literal["cheap_talk", "moves"] = "cheap_talk"
    #: "merged": a step that implements the same side's earlier decision is part of
    #: that decision; "separate": each step is a decision of its own.
    implementation: Literal["merged", "separate"] = "merged"
    #: When a side moves twice with nothing from the other side in between (and
    #: further apart than merge_within_days), read the other side as idle.
    insert_idle_turns: bool = True
    #: Where a date known only to the month or year sits when moves are ordered:
    #: "end" (never before an event it follows) or "start".
    partial_dates_at: Literal["end", "start"] = "end"
    #: "use": an answer whose actor said it was in kind (or an escalation) is scored
    #: so when its size cannot be compared; "ignore": the action type's rule decides.
    stated_reciprocity: Literal["use", "ignore"] = "use"
    action_types: dict[ActionType, str]

    @field_validator("action_types")
    @classmethod
    def _every_type(cls, value: dict[ActionType, str]) -> dict[ActionType, str]:
        # a side's cut of its own operations is never a move of the game
        value = {ActionType.REDUCE_OWN_OPERATIONS: "skip", **value}
        if value[ActionType.REDUCE_OWN_OPERATIONS] != "skip":
            raise ValueError("reduce_own_operations is never a move of the game: its rule "
                             "must be skip (or leave it out)")
        missing = [t.value for t in ActionType if t not in value]
        if missing:
            raise ValueError(f"no rule for action type(s) {', '.join(missing)}")
        return value


PerSide = float | dict[str, float]

#: The named weights the dynamic game's payoffs are linear in (their values: the
#: ``utility`` section and the per-side fields of ``dynamic``); the keys ``priors``
#: may name. :mod:`~gametheory.analysis.dynamic` builds its payoffs from them.
FEATURES = ("mission_value", "loss_cost", "parity_weight", "restriction_cost",
            "property_value", "concession_cost", "own_cost_per_staff",
            "own_cost_per_restriction")


class Dynamic(BaseModel):
    """Assumptions of the dynamic (stochastic-game) view of the dispute; every field has a
    documented default, so a parameters file without a ``dynamic`` section still works.

    Per-side weights are one number for both sides or a mapping by player.
    """

    model_config = _STRICT
    #: Discount factor per *year*; the per-turn factor is derived from the record's
    #: gaps between turns (``E[δ_year ** gap]``).
    discount_per_year: float = Field(0.8, gt=0, lt=1)
    #: Mission sizes the state can take, as shares of the baseline (the state's own
    #: share and 1 are always added); moves between grid points are split between the
    #: two neighbours so that the expected mission size is exact.
    staff_grid: list[float] = Field(default_factory=lambda: [0.0, 1.0], min_length=1,
                                    max_length=12)
    #: Standing-restriction counts the state can take (0 and the state's counts are
    #: always added; counts above the largest are held at it).
    restriction_grid: list[float] = Field(default_factory=lambda: [12.0], min_length=1,
                                          max_length=12)
    #: The expeller's own cost per member of the other mission it removes, in
    #: staff-rounds (consular service, trade and information channels, reputation).
    own_cost_per_staff: PerSide = 0.5
    #: The own cost of each restriction a side imposes on the other.
    own_cost_per_restriction: PerSide = 5.0
    #: Loss per round while the side's property (compounds, dachas) is held by the other.
    property_value: PerSide = 0.0
    #: The level whose move seizes the other side's property when it still has it
    #: (property comes back only with a mutual "zero all"); null: never.
    seize_level: str | None = "Escalate"
    #: "mutual": the offer level (staff/restrictions ``all``) is an offer that resets
    #: everything only if the other side answers with the same offer (Lavrov's package);
    #: "unilateral": it lifts at once everything the mover imposed on the other side.
    offer: Literal["mutual", "unilateral"] = "unilateral"
    #: Probability that a move lands on a neighbouring level (split between the two
    #: neighbours; an offer to zero all is deliberate and never trembles); null: the
    #: model's ``noise``.
    noise: float | None = Field(None, ge=0, le=1)

    @field_validator("staff_grid")
    @classmethod
    def _shares(cls, value: list[float]) -> list[float]:
        if any(not 0 <= v <= 1 for v in value):
            raise ValueError("staff grid values are shares of the baseline, in [0, 1]")
        return value

    @field_validator("restriction_grid")
    @classmethod
    def _counts(cls, value: list[float]) -> list[float]:
        if any(v < 0 or v > 1000 for v in value):
            raise ValueError("restriction counts must be in [0, 1000]")
        return value

    @field_validator("own_cost_per_staff", "own_cost_per_restriction", "property_value")
    @classmethod
    def _non_negative(cls, value: PerSide) -> PerSide:
        values = value.values() if isinstance(value, dict) else [value]
        if any(v < 0 for v in values):
            raise ValueError("must be >= 0")
        return value

    def per_side(self, name: str, players: tuple[str, str]) -> tuple[float, float]:
        """A per-side weight in ``players`` order."""
        value = getattr(self, name)
        if isinstance(value, dict):
            return float(value[players[0]]), float(value[players[1]])
        return float(value), float(value)


class Prior(BaseModel):
    """A prior distribution of one estimated quantity (:func:`weight_posterior`).

    ``half_normal`` (``scale``: the standard deviation of the normal it folds),
    ``normal`` (``mean``, ``scale``), ``uniform`` and ``log_uniform`` (``low``,
    ``high``; log-uniform needs ``low > 0``), ``lognormal`` (``mean`` is the median,
    ``scale`` the standard deviation of the log). ``source`` says where it comes from.
    """

    model_config = _STRICT
    distribution: Literal["half_normal", "normal", "uniform", "log_uniform", "lognormal"]
    scale: float | None = Field(None, gt=0)
    mean: float | None = None
    low: float | None = None
    high: float | None = None
    source: str = ""

    @model_validator(mode="after")
    def _complete(self):
        need = {"half_normal": ("scale",), "normal": ("mean", "scale"),
                "uniform": ("low", "high"), "log_uniform": ("low", "high"),
                "lognormal": ("mean", "scale")}[self.distribution]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(f"a {self.distribution} prior needs {', '.join(missing)}")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low ({self.low:g}) must be below high ({self.high:g})")
        if self.distribution == "log_uniform" and self.low <= 0:
            raise ValueError("a log_uniform prior needs low > 0")
        if self.distribution == "lognormal" and self.mean <= 0:
            raise ValueError("a lognormal prior's mean (its median) must be > 0")
        return self

    def sample(self, rng, n: int):
        """``n`` draws."""
        import numpy as np

        d = self.distribution
        if d == "half_normal":
            return np.abs(rng.normal(0.0, self.scale, n))
        if d == "normal":
            return rng.normal(self.mean, self.scale, n)
        if d == "uniform":
            return rng.uniform(self.low, self.high, n)
        if d == "log_uniform":
            return np.exp(rng.uniform(np.log(self.low), np.log(self.high), n))
        return self.mean * np.exp(rng.normal(0.0, self.scale, n))

    def _frozen(self):
        from scipy import stats

        d = self.distribution
        if d == "half_normal":
            return stats.halfnorm(scale=self.scale)
        if d == "normal":
            return stats.norm(self.mean, self.scale)
        if d == "uniform":
            return stats.uniform(self.low, self.high - self.low)
        if d == "log_uniform":
            return stats.loguniform(self.low, self.high)
        return stats.lognorm(self.scale, scale=self.mean)

    def logpdf(self, x):
        """Log density at ``x`` (``-inf`` outside the support)."""
        return self._frozen().logpdf(x)

    def ppf(self, q):
        """Quantiles (the inverse distribution function at ``q``)."""
        return self._frozen().ppf(q)

    def describe(self) -> str:
        """The distribution in words, e.g. ``half-normal, scale 0.5``."""
        d = self.distribution
        if d == "half_normal":
            return f"half-normal, scale {self.scale:g}"
        if d == "normal":
            return f"normal, mean {self.mean:g}, sd {self.scale:g}"
        if d == "lognormal":
            return f"log-normal, median {self.mean:g}, sd of log {self.scale:g}"
        return f"{d.replace('_', '-')} on [{self.low:g}, {self.high:g}]"


class ModelParameters(BaseModel):
    """Everything a calibration assumes; see ``models/us_russia_embassy/parameters.yaml``."""

    model_config = _STRICT
    players: tuple[str, str]
    start_date: dt.date | None = None
    state_date: dt.date
    missions: dict[str, Mission]
    levels: list[Level] = Field(min_length=2)
    utility: dict[str, Utility]
    discount: float = Field(gt=0, lt=1)
    noise: float = Field(ge=0, le=1)
    observation_noise: float = Field(ge=0, le=1)
    #: Where a botched or misread move lands: "neighbour" (one level up or down among
    #: the graded levels; an offer to zero all is deliberate, never the result of a
    #: slip and never slips) or "uniform" (any other level alike, offers included).
    noise_kernel: Literal["neighbour", "uniform"] = "neighbour"
    normal_functioning: float = Field(gt=0, le=1)
    #: Moves from this date on are the holdout period: not used to calibrate or fit,
    #: kept to check predictions out of sample (None: no holdout).
    holdout_from: dt.date | None = None
    classification: Classification
    #: The dynamic view (stochastic game); defaults when the file has no section.
    dynamic: Dynamic = Field(default_factory=Dynamic)
    #: For a record of many actors: each player's members (actor codes; "*" stands for
    #: every actor not listed for the other player). The record is reduced to the dyad
    #: by :meth:`EventSequence.coalitions` before calibration (None: the record is a dyad).
    coalitions: dict[str, list[str]] | None = None
    #: Priors of the estimated quantities, by name: ``lambda`` (the logit precision),
    #: a weight of the dynamic game (``parity_weight``: both sides) or a weight of one
    #: side (``parity_weight.USA``). A weight freed without a prior here gets the
    #: default of :func:`~gametheory.analysis.weight_posterior`.
    priors: dict[str, Prior] = Field(default_factory=dict)

    @property
    def level_names(self) -> tuple[str, ...]:
        return tuple(lv.name for lv in self.levels)

    def replace(self, **changes: Any) -> ModelParameters:
        """A copy with dotted keys changed, e.g. ``{"utility.USA.loss_cost": 3.0}``.

        Passed as ``replace(**{"utility.USA.loss_cost": 3})``; the result is validated
        like a file (a bad key or value raises :class:`ParameterError`).
        """
        data = self.model_dump(mode="json")
        for dotted, value in changes.items():
            node = data
            parts = dotted.split(".")
            for part in parts[:-1]:
                if not isinstance(node, dict) or part not in node:
                    raise ParameterError("no such parameter", key=dotted)
                node = node[part]
            if not isinstance(node, dict) or parts[-1] not in node:
                raise ParameterError("no such parameter", key=dotted)
            node[parts[-1]] = value
        return parse_parameters(data)


def _consistency(p: ModelParameters) -> tuple[str, str] | None:
    """Checks across keys; returns (dotted key, message) of the first problem."""
    if p.players[0] == p.players[1]:
        return "players", "the two players must differ"
    if p.coalitions is not None:
        if set(p.coalitions) != set(p.players):
            return "coalitions", f"needs one entry per player ({', '.join(p.players)})"
        if all("*" in v for v in p.coalitions.values()):
            return "coalitions", "only one player may use '*' (every other actor)"
    for name in ("missions", "utility"):
        keys = set(getattr(p, name))
        for player in p.players:
            if player not in keys:
                return f"{name}.{player}", "missing value"
        for extra in sorted(keys - set(p.players)):
            return f"{name}.{extra}", f"unknown key (players are {', '.join(p.players)})"
    names = p.level_names
    for k, lv in enumerate(p.levels):
        if lv.name in names[:k]:
            return f"levels.{k}.name", f"duplicate level name {lv.name!r}"
    c = p.classification
    for key in ("commensurate_level", "escalation_level", "compare_default", "idle_level"):
        if getattr(c, key) not in names:
            return (f"classification.{key}",
                    f"{getattr(c, key)!r} is not a level ({', '.join(names)})")
    for t, rule in c.action_types.items():
        if rule not in {*names, "compare", "skip"}:
            return (f"classification.action_types.{t.value}",
                    f"{rule!r} is not a level ({', '.join(names)}), 'compare' or 'skip'")
    d = p.dynamic
    for name in ("own_cost_per_staff", "own_cost_per_restriction", "property_value"):
        value = getattr(d, name)
        if isinstance(value, dict):
            for player in p.players:
                if player not in value:
                    return f"dynamic.{name}.{player}", "missing value"
            for extra in sorted(set(value) - set(p.players)):
                return (f"dynamic.{name}.{extra}",
                        f"unknown key (players are {', '.join(p.players)})")
    for key in p.priors:
        base, _, side = key.partition(".")
        if base == "lambda" and not side:
            continue
        if base not in FEATURES or (side and side not in p.players):
            return (f"priors.{key}", "unknown quantity: 'lambda', a weight ("
                    + ", ".join(FEATURES) + ") or weight.PLAYER with a player of "
                    + ", ".join(p.players))
    if d.seize_level is not None and d.seize_level not in names:
        return "dynamic.seize_level", f"{d.seize_level!r} is not a level ({', '.join(names)})"
    if p.start_date is not None and p.start_date > p.state_date:
        return "start_date", f"start_date {p.start_date} is after state_date {p.state_date}"
    if p.holdout_from is not None and p.holdout_from <= p.state_date:
        return ("holdout_from", f"holdout_from {p.holdout_from} must be after state_date "
                f"{p.state_date} (the holdout is what the calibration does not see)")
    return None


def parse_parameters(data: Mapping[str, Any], *, path: str | None = None, yaml_root=None
                     ) -> ModelParameters:
    """Validate a mapping; raise :class:`ParameterError` naming the first bad key."""
    if not isinstance(data, Mapping):
        raise ParameterError(f"expected a mapping of parameters, got {type(data).__name__}",
                             key="<root>", path=path)
    def fail(key: str, message: str):
        line = line_of(yaml_root, tuple(key.split("."))) if yaml_root is not None else None
        raise ParameterError(message, key=key, path=path, line=line) from None

    try:
        params = ModelParameters.model_validate(dict(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            message = "missing value"
        elif err["type"] == "extra_forbidden":
            message = "unknown key"
        more = len(exc.errors()) - 1
        if more:
            message += f" (and {more} more problem(s))"
        fail(".".join(str(p) for p in err["loc"]) or "<root>", message)
    problem = _consistency(params)
    if problem is not None:
        fail(*problem)
    return params


def load_parameters(source: str | os.PathLike | Mapping[str, Any]) -> ModelParameters:
    """Load and validate a model's parameters.

    Parameters
    ----------
    source : path, mapping or model name
        A YAML file, an already parsed mapping, or the name of a shipped model
        (``"us-russia"``), whose ``parameters.yaml`` is read.

    Raises
    ------
    ParameterError
        For an unknown key, a missing value or an impossible one, naming the
        key, the file and the line.

    Examples
    --------
    >>> p = load_parameters("us-russia")
    >>> p.level_names
    ('Zero all', 'Concede', 'Hold', 'Commensurate', 'Escalate')
    >>> p.utility["RUS"].concession_cost
    90.0
    >>> load_parameters({**p.model_dump(), "discount": -0.5})
    Traceback (most recent call last):
    ...
    gametheory.errors.ParameterError: <parameters>, key 'discount': Input should be greater than 0
    """

    if isinstance(source, Mapping):
        return parse_parameters(source)
    path = Path(source)
    if not path.suffix and not path.exists():
        from ..models import model_path

        path = model_path(str(source)) / "parameters.yaml"
    name = str(path)

    def fail(message: str, line: int | None = None):
        raise ParameterError(message, key="<file>", path=name, line=line)

    text = read_text(path, fail)
    data, root = parse_text(text, "yaml", fail)
    return parse_parameters(data if data is not None else {}, path=name, yaml_root=root)
