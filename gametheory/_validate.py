"""Checks of scalar options shared by every layer: tolerances, integer labels and
counts with an upper limit. Each raises a typed error naming the option and value.

Examples
--------
>>> check_tolerance(1e-9)
1e-09
>>> check_tolerance(float("nan"))
Traceback (most recent call last):
...
gametheory.errors.ProfileError: tol must be a finite number in (0, 0.1], got nan
>>> check_index("initial_dropped_label", 1.5, 4)
Traceback (most recent call last):
...
gametheory.errors.ShapeError: initial_dropped_label must be an integer in 0..3, got 1.5
"""

from __future__ import annotations

import math
import numbers

from .errors import DiscountFactorError, InputLimitError, ProfileError, ShapeError

__all__ = ["check_count", "check_discount", "check_index", "check_probability",
           "check_tolerance"]


def check_tolerance(tol: object, name: str = "tol", *, upper: float = 0.1) -> float:
    """``tol`` as a float in ``(0, upper]``; NaN, infinite, zero, negative or non-numeric
    tolerances raise :class:`~gametheory.errors.ProfileError`."""
    if isinstance(tol, bool) or not isinstance(tol, numbers.Real):
        raise ProfileError(f"{name} must be a finite number in (0, {upper}], got {tol!r}")
    value = float(tol)
    if not (math.isfinite(value) and 0.0 < value <= upper):
        raise ProfileError(f"{name} must be a finite number in (0, {upper}], got {tol!r}")
    return value


def check_index(name: str, value: object, size: int) -> int:
    """``value`` as an int in ``0..size-1``: no silent truncation of 1.5, no strings."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) \
            or not 0 <= int(value) < size:
        raise ShapeError(f"{name} must be an integer in 0..{size - 1}, got {value!r}")
    return int(value)


def check_count(name: str, value: object, *, minimum: int = 1, maximum: int) -> int:
    """``value`` as an int in ``minimum..maximum``; above the maximum raises
    :class:`~gametheory.errors.InputLimitError` (before anything is allocated), other
    bad values :class:`~gametheory.errors.ProfileError`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        else:
            raise ProfileError(f"{name} must be a whole number, got {value!r}")
    value = int(value)
    if value < minimum:
        raise ProfileError(f"{name} must be at least {minimum}, got {value}")
    if value > maximum:
        raise InputLimitError(f"{name} = {value:,} is above the limit of {maximum:,}")
    return value


def check_probability(name: str, value: object) -> float:
    """``value`` as a float in [0, 1] (noise levels, continuation probabilities, shares)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) \
            or not 0.0 <= float(value) <= 1.0:
        raise ProfileError(f"{name} must be a probability in [0, 1], got {value!r}")
    return float(value)


def check_discount(value: object, name: str = "discount factor", *,
                   allow_one: bool = False) -> float:
    """A discount factor δ in (0, 1): the one check used everywhere.

    ``allow_one`` admits δ = 1, meaning "no discounting", for the finite matches of
    :func:`gametheory.play` only; an infinitely repeated game needs δ < 1.
    Raises :class:`~gametheory.errors.DiscountFactorError`.

    >>> check_discount(0.9)
    0.9
    >>> check_discount(1.0)
    Traceback (most recent call last):
    ...
    gametheory.errors.DiscountFactorError: discount factor must be in (0, 1), got 1.0
    """
    interval = "(0, 1]" if allow_one else "(0, 1)"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise DiscountFactorError(f"{name} must be in {interval}, got {value!r}")
    v = float(value)
    if not (0.0 < v < 1.0 or (allow_one and v == 1.0)):
        raise DiscountFactorError(f"{name} must be in {interval}, got {value!r}")
    return v
