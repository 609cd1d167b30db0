"""Writing output files so that a kill or a full disk never leaves a half-written one.

Every file the package writes goes to a temporary file in the same folder and is
then renamed over the target (``os.replace``, atomic on POSIX and Windows): a
reader sees either the old complete file or the new complete one.

Examples
--------
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     target = pathlib.Path(d) / "out.txt"
...     write_atomic(target, "hello\\n")
...     target.read_text(), sorted(p.name for p in pathlib.Path(d).iterdir())
('hello\\n', ['out.txt'])
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_path", "write_atomic"]


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on any
    error (or interrupt) it is removed and ``path`` is left as it was."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                               dir=target.parent if str(target.parent) else ".")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_atomic(path: str | os.PathLike, data: str | bytes, *, encoding: str = "utf-8"
                 ) -> None:
    """Write ``data`` (text or bytes) to ``path`` through a temporary file and a rename."""
    with atomic_path(path) as tmp:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding=encoding)
