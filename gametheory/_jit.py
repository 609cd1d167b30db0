"""The numba ``jit`` decorator of the package, with its cache outside the installed
package (see :mod:`gametheory.solvers._compiled` for why and where)."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

__all__ = ["cache_dir", "jit"]


def cache_dir() -> Path:
    """The folder where the compiled kernels are cached (created if missing)."""
    if os.environ.get("GAMETHEORY_CACHE_DIR"):
        candidates = [Path(os.environ["GAMETHEORY_CACHE_DIR"]) / "numba"]
    elif os.environ.get("NUMBA_CACHE_DIR"):
        candidates = [Path(os.environ["NUMBA_CACHE_DIR"])]
    else:
        import platformdirs

        candidates = [Path(platformdirs.user_cache_dir("gametheory")) / "numba"]
    candidates.append(Path(tempfile.gettempdir()) / f"gametheory-numba-{_user()}")
    for path in candidates:
        try:
            path.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path):
                pass
        except OSError:
            continue
        return path
    return candidates[-1]


def _user() -> str:
    try:
        return str(os.getuid())
    except AttributeError:  # Windows
        return os.environ.get("USERNAME", "user")


@contextmanager
def _numba_cache_dir():
    from numba.core import config

    old = config.CACHE_DIR
    config.CACHE_DIR = str(cache_dir())
    try:
        yield
    finally:
        config.CACHE_DIR = old


def jit(func=None, **options):
    """``numba.njit(cache=True, **options)`` with the cache in :func:`cache_dir`;
    usable as ``@jit`` or ``@jit(error_model="numpy")``."""
    from numba import njit

    def decorate(f):
        with _numba_cache_dir():
            return njit(cache=True, **options)(f)

    return decorate if func is None else decorate(func)
