"""The strategy library, by family: :mod:`.classic`, :mod:`.memory_one`,
:mod:`.diplomatic` and :mod:`.observed` (this module gathers them, for code that
imports ``gametheory.strategies.library``)."""

from __future__ import annotations

from .classic import *  # noqa: F403
from .classic import __all__ as _classic
from .diplomatic import *  # noqa: F403
from .diplomatic import __all__ as _diplomatic
from .memory_one import *  # noqa: F403
from .memory_one import __all__ as _memory_one
from .observed import *  # noqa: F403
from .observed import __all__ as _observed

__all__ = sorted([*_classic, *_memory_one, *_diplomatic, *_observed])
