"""Strategies for iterated play: classes with a name, a classifier and one decision method.

Families: :mod:`.classic` (tit for tat and friends), :mod:`.memory_one` (memory-one
and zero-determinant), :mod:`.diplomatic` (commensurate retaliation, "zero all
restrictions", parity seeking, GRIT) and :mod:`.observed` (a side's record).
Every class is in an explicit registry (:func:`all_strategies`,
:func:`filter_strategies`, :func:`get_strategy`). Write your own by subclassing
:class:`Strategy`; :func:`gametheory.check_strategy` checks it.
"""

from .base import (
    CLASSIFIER_KEYS,
    DEFAULT_CLASSIFIER,
    Batch,
    History,
    PlayerView,
    Strategy,
    StrategyError,
    all_strategies,
    filter_strategies,
    get_strategy,
    register,
)
from .library import *  # noqa: F403 - the families' __all__ lists are the public list
from .library import __all__ as _library_all
from .negotiators import (
    ACCEPT,
    NegotiationState,
    Negotiator,
    all_negotiators,
    get_negotiator,
    register_negotiator,
)

__all__ = [
    "ACCEPT",
    "CLASSIFIER_KEYS",
    "DEFAULT_CLASSIFIER",
    "Batch",
    "History",
    "NegotiationState",
    "Negotiator",
    "PlayerView",
    "Strategy",
    "StrategyError",
    "all_negotiators",
    "all_strategies",
    "check_strategy",  # noqa: F405 - served by __getattr__ below
    "filter_strategies",
    "get_negotiator",
    "get_strategy",
    "register",
    "register_negotiator",
    *_library_all,
]


def __getattr__(name: str):
    # check_strategy plays matches, so it lives with the engine
    # (gametheory.iterated.checks); this alias keeps `gs.check_strategy` working without
    # the strategies layer importing the engine at import time.
    if name == "check_strategy":
        from ..iterated.checks import check_strategy

        return check_strategy
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
