"""Conversion of payoffs and probabilities between floats and exact rationals.

Gambit's convention is followed: numbers written in a file or given as
strings are exact, so ``"0.1"`` and ``"1/10"`` are the same quantity.
Python ``fractions.Fraction`` is the exact type; no C++ build is needed.
"""

from __future__ import annotations

import functools
import numbers
from decimal import Decimal
from fractions import Fraction

import numpy as np

__all__ = ["as_fraction", "binary_fraction_array", "exact_float_array", "fraction_array",
           "short_reduce", "to_float_array"]

#: Float payoffs are treated as exact when every value is a multiple of 1/DYADIC.
#: Such values (integers, halves, quarters, ... 1/1024ths) survive the conversion to
#: binary floating point unchanged, so their exact value is what the user typed.
DYADIC = 1024


def as_fraction(value: object) -> Fraction:
    """Convert one exact-looking number to a ``Fraction``.

    Integers, ``Fraction``, ``Decimal`` and strings such as ``"-3"``, ``"0.25"`` or
    ``"2/7"`` are converted exactly. A float is read through its shortest decimal
    representation (``0.1`` becomes ``1/10``), as Gambit reads decimals.

    Raises
    ------
    ValueError, TypeError
        If the value is not a finite real number.

    Examples
    --------
    >>> as_fraction("2/7"), as_fraction(0.1), as_fraction(3)
    (Fraction(2, 7), Fraction(1, 10), Fraction(3, 1))
    """
    if isinstance(value, bool | np.bool_):
        return Fraction(int(value))
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not finite")
        _check_exponent(value, value)
        return Fraction(value)
    if isinstance(value, numbers.Real):
        f = float(value)
        if not np.isfinite(f):
            raise ValueError(f"{f} is not finite")
        return Fraction(repr(f))
    if isinstance(value, str):
        text = value.strip()
        if "/" in text:
            num, _, den = text.partition("/")
            return Fraction(int(num), int(den))
        try:
            d = Decimal(text)
        except ArithmeticError:
            raise ValueError(f"{value!r} is not a number") from None
        if not d.is_finite():
            raise ValueError(f"{value!r} is not finite")
        _check_exponent(d, value)
        return Fraction(d)
    if isinstance(value, numbers.Rational):  # e.g. pygambit.Rational
        return Fraction(value.numerator, value.denominator)
    raise TypeError(f"{value!r} of type {type(value).__name__} is not a real number")


#: Largest decimal exponent accepted in an exact number (``1e400``, ``1e-400``): the
#: exact value of ``1e999999999`` has a billion digits, and no float is beyond 1e308.
MAX_DECIMAL_EXPONENT = 400


def _check_exponent(d: Decimal, shown: object) -> None:
    if d and abs(d.adjusted()) > MAX_DECIMAL_EXPONENT:
        raise ValueError(f"{shown!r} has a decimal exponent beyond +/-{MAX_DECIMAL_EXPONENT}")


def fraction_array(values: np.ndarray) -> np.ndarray:
    """Object array of ``Fraction`` with the same shape (each entry via :func:`as_fraction`)."""
    out = np.empty(values.shape, dtype=object)
    flat_in = values.reshape(-1)
    flat_out = out.reshape(-1)
    for k, v in enumerate(flat_in):
        flat_out[k] = as_fraction(v)
    return out


def exact_float_array(values: np.ndarray) -> np.ndarray | None:
    """Exact ``Fraction`` array for a float array whose values are all dyadic, else ``None``."""
    if np.any(np.abs(values) > 2.0**52):
        return None
    scaled = values * DYADIC
    if not np.all(scaled == np.round(scaled)):
        return None
    out = np.empty(values.shape, dtype=object)
    flat_out = out.reshape(-1)
    if np.all(values == np.round(values)):  # integers (the common case): shared Fractions
        for k, v in enumerate(values.reshape(-1).astype(np.int64).tolist()):
            flat_out[k] = _integer_fraction(v)
        return out
    for k, v in enumerate(values.reshape(-1).tolist()):
        flat_out[k] = Fraction(v)
    return out


@functools.lru_cache(maxsize=4096)
def _integer_fraction(v: int) -> Fraction:
    return Fraction(v)


def binary_fraction_array(values: np.ndarray) -> np.ndarray:
    """Object array of the exact rational values that a float array holds.

    Every finite binary float is a rational number; ``Fraction(0.1)`` is
    ``3602879701896397/36028797018963968``, not ``1/10``. Used to certify a
    computation on the game as stored when floating point cannot.
    """
    out = np.empty(values.shape, dtype=object)
    flat_out = out.reshape(-1)
    for k, v in enumerate(np.asarray(values, dtype=float).reshape(-1).tolist()):
        flat_out[k] = Fraction(v)
    return out


def to_float_array(values: np.ndarray) -> np.ndarray:
    """Float array of an object array of rationals."""
    return np.array([float(v) for v in values.reshape(-1)], dtype=float).reshape(values.shape)


def short_reduce(ufunc: np.ufunc, a: np.ndarray, axis: int) -> np.ndarray:
    """``ufunc.reduce(a, axis)`` for a short axis (a few entries per game), as
    elementwise operations on its slices: NumPy's reduction over a short last axis
    costs about 17x more (0.37 ms against 0.02 ms for 10,000 x 4 here)."""
    a = np.moveaxis(np.asarray(a), axis, 0)
    if a.shape[0] > 32:
        return ufunc.reduce(a, axis=0)
    out = a[0].copy()
    for sl in a[1:]:
        ufunc(out, sl, out=out)
    return out
