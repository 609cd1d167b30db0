"""Where the compiled (numba) kernels keep their machine code, and whether it is there.

numba's ``cache=True`` writes its cache beside the source file by default: inside
``site-packages/gametheory/solvers/__pycache__`` for an installed package. Those
files are not in the wheel's record, so reinstalling the package (``pip install
-e .`` after ``pip install .``) leaves the folder behind and Python then finds an
empty namespace package ``gametheory``. The kernels therefore cache in a per-user
folder, never in the installed package:

1. ``GAMETHEORY_CACHE_DIR`` if set (the kernels go in its ``numba`` subfolder),
2. else ``NUMBA_CACHE_DIR`` if set (numba's own setting, honoured as numba does),
3. else the platform's user cache folder (``platformdirs.user_cache_dir``:
   ``~/.cache/gametheory/numba`` on Linux),
4. else, when that is not writable, a folder in the temporary directory.

Only the functions of this package are affected: numba's global setting is
changed while our kernels are decorated and restored at once.
"""

from __future__ import annotations

from pathlib import Path

from .._jit import cache_dir, jit

__all__ = ["COMPILE_NOTICE", "cache_dir", "compile_notice", "jit", "kernels_cached"]


def kernels_cached(module: str = "_pivoting") -> bool:
    """True when compiled code of ``module``'s kernels is already in the cache (so the
    first use in a process loads it instead of compiling for 10-20 s)."""
    from numba.core.caching import _CacheLocator

    source = Path(__file__).with_name(f"{module}.py")
    folder = cache_dir() / _CacheLocator.get_suitable_cache_subpath(str(source))
    return any(folder.glob(f"{module}.*.nbi"))


#: What the user is told before the first compile on a machine.
COMPILE_NOTICE = ("compiling the solver kernels once (about 20-60 s on first use); later runs "
                  "load them from {dir}")


def compile_notice(module: str = "_pivoting") -> str | None:
    """The notice to show before ``module``'s compiled kernels (``_pivoting``: the
    batch solvers; ``_payoff_sets``: repeated-game payoff sets; ``_markov_qre``: the
    Markov QRE homotopy) are first needed, or None when they are cached or already
    loaded in this process."""
    import sys

    if f"gametheory.solvers.{module}" in sys.modules or kernels_cached(module):
        return None
    return COMPILE_NOTICE.format(dir=cache_dir())
