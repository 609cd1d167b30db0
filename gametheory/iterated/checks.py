"""Conformance checks for strategy classes, the counterpart of scikit-learn's
``check_estimator``: run :func:`check_strategy` on a class you wrote."""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..errors import StrategyError
from ..games import embassy_dispute, prisoners_dilemma
from ..games.views import make_views
from ..strategies.base import Strategy
from ..strategies.classic import Random  # a stochastic opponent exercises every branch
from .match import play

__all__ = ["check_strategy"]


def check_strategy(cls: type[Strategy], *, params: dict[str, Any] | None = None,
                   games: Iterable[Any] | None = None, turns: int = 30) -> list[str]:
    """Check that a strategy class behaves: returns the list of problems (empty if none).

    Checks: the classifier's values have the right types (its keys are completed
    with the defaults when the class is defined, see :class:`Strategy`); the
    constructor stores
    parameters (clone equals the original); instances pickle; ``reset``
    clears match state (two identical matches give identical play); a fixed
    seed reproduces stochastic play; every action is legal; ``decide_batch``,
    when present, agrees with ``decide``.
    """
    problems: list[str] = []
    if not (isinstance(cls, type) and issubclass(cls, Strategy)):
        raise StrategyError(f"not a strategy: {cls!r} (give a Strategy subclass; write one "
                            "by subclassing gametheory.strategies.Strategy)")
    try:
        strat = cls(**(params or {}))
    except Exception as exc:
        return [f"cannot construct {cls.__name__}: {exc!r}"]
    c = cls.classifier
    depth = c["memory_depth"]
    if isinstance(depth, bool) or not isinstance(depth, int | float) or depth < 0:
        problems.append(f"classifier['memory_depth'] must be a number >= 0 or inf, got "
                        f"{depth!r}")
    for key in ("stochastic", "uses_magnitudes", "reads_payoffs", "diplomatic",
                "finite_automaton"):
        if not isinstance(c[key], bool):
            problems.append(f"classifier[{key!r}] must be True or False, got {c[key]!r}")
    if not isinstance(c["min_actions"], int) or c["min_actions"] < 1 or (
            c["max_actions"] is not None and (not isinstance(c["max_actions"], int)
                                              or c["max_actions"] < c["min_actions"])):
        problems.append(f"classifier min_actions/max_actions must be whole numbers with "
                        f"1 <= min <= max (or max None), got {c['min_actions']!r}, "
                        f"{c['max_actions']!r}")
    if not isinstance(getattr(cls, "name", None), str) or not cls.name:
        problems.append("name must be a non-empty string")
    try:
        if strat.clone() != strat:
            problems.append("clone() differs from the original (constructor must store "
                            "its parameters under the names in `params`)")
    except Exception as exc:
        problems.append(f"clone() failed: {exc!r}")
    try:
        pickle.loads(pickle.dumps(strat))
    except Exception as exc:
        problems.append(f"cannot be pickled: {exc!r}")
    candidates = list(games) if games is not None else [prisoners_dilemma(), embassy_dispute()]

    fitted = 0
    for game in candidates:
        try:
            strat.clone().reset(make_views(game)[0])
        except StrategyError:
            continue  # the strategy declares that it does not fit this game
        fitted += 1
        try:
            first = play(strat, Random(), game=game, turns=turns, seed=11, noise=0.05)
        except StrategyError as exc:
            problems.append(f"{game.title}: {exc}")
            continue
        except Exception as exc:
            problems.append(f"{game.title}: match failed: {exc!r}")
            continue
        again = play(strat, Random(), game=game, turns=turns, seed=11, noise=0.05)
        if not np.array_equal(first.actions, again.actions):
            problems.append(f"{game.title}: same seed, different play (state not reset in "
                            "reset()/setup(), or randomness not from history.random())")
        if strat.decide_batch is not None:
            batched = play(strat, Random(), game=game, turns=turns, seed=11, noise=0.05,
                           engine="batch")
            if not np.array_equal(first.actions, batched.actions):
                problems.append(f"{game.title}: decide_batch disagrees with decide")
        python = play(strat, Random(), game=game, turns=turns, seed=11, noise=0.05,
                      engine="python")
        if not np.array_equal(first.actions, python.actions):
            problems.append(f"{game.title}: the vectorised engine disagrees with decide()")
    if not fitted:
        problems.append("fits none of the test games (raised StrategyError in reset)")
    return problems

