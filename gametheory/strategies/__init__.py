"""Strategies for iterated play: classes with a name, a classifier and one decision method.

Every class is in an explicit registry (:func:`all_strategies`,
:func:`filter_strategies`, :func:`get_strategy`); :func:`check_strategy`
validates a class a user wrote.
"""

from .base import (
    CLASSIFIER_KEYS,
    Batch,
    History,
    PlayerView,
    Strategy,
    StrategyError,
    all_strategies,
    check_strategy,
    filter_strategies,
    get_strategy,
    register,
)
from .library import *  # noqa: F403 - the library's __all__ is the public list
from .library import __all__ as _library_all

__all__ = [
    "CLASSIFIER_KEYS",
    "Batch",
    "History",
    "PlayerView",
    "Strategy",
    "StrategyError",
    "all_strategies",
    "check_strategy",
    "filter_strategies",
    "get_strategy",
    "register",
    *_library_all,
]
