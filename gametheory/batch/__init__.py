"""Deprecated name of :mod:`gametheory.sweep` (batch runs were renamed "sweeps", as the
command line always called them; "batch" now means only :func:`gametheory.solve_many`'s
stacks of games). Importing it warns once and gives the same objects; its submodules
(``gametheory.batch.spec``, ``.runner``, ``.tasks``, ``.load``) are the sweep modules.
It will be removed in the next release.
"""

import sys
import warnings

from ..sweep import *  # noqa: F403
from ..sweep import (
    __all__,  # noqa: F401
    load,
    runner,
    spec,
    tasks,
)

warnings.warn("gametheory.batch is now gametheory.sweep; the old name will be removed in the "
              "next release", DeprecationWarning, stacklevel=2)

for _name, _module in (("spec", spec), ("runner", runner), ("tasks", tasks), ("load", load)):
    sys.modules[f"{__name__}.{_name}"] = _module
