"""Reading structured input files safely: one loader for YAML, JSON and TOML.

Every event file, parameters file and sweep spec is read here, so the same
limits hold everywhere:

* only regular files are read (a directory, FIFO or device is refused), at most
  :data:`MAX_FILE_BYTES`, as UTF-8; a missing, unreadable or undecodable file is
  a typed error naming the path;
* YAML is read with the safe loader, and **aliases are refused** (``*name``):
  they are never needed in our files, and a "billion laughs" chain of them
  expands a few hundred bytes into gigabytes;
* **duplicate keys are refused** in YAML and JSON (TOML refuses them itself),
  naming both lines, instead of silently keeping the last value;
* nesting deeper than :data:`MAX_DEPTH` is refused (no ``RecursionError``).

Errors are reported through a ``fail(message, line)`` callable given by the
caller, which raises the caller's own error type (``EventFileError``,
``ParameterError``, ``SpecError``), so messages keep their file and line.

Examples
--------
>>> def fail(message, line=None):
...     raise ValueError(f"line {line}: {message}")
>>> parse_text("a: 1\\nb: [1, 2]\\n", "yaml", fail)[0]
{'a': 1, 'b': [1, 2]}
>>> parse_text("a: 1\\na: 2\\n", "yaml", fail)
Traceback (most recent call last):
...
ValueError: line 2: duplicate key 'a' (first on line 1)
>>> parse_text("x: &a [1]\\ny: *a\\n", "yaml", fail)
Traceback (most recent call last):
...
ValueError: line 2: YAML aliases (*a) are not allowed; write the value out
"""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "line_of", "parse_text", "read_bytes", "read_text"]

#: Largest input file read (bytes).
MAX_FILE_BYTES = 64 * 2**20
#: Deepest nesting of lists and mappings accepted.
MAX_DEPTH = 64

Fail = Callable[..., NoReturn]


def read_text(path: str | Path, fail: Fail) -> str:
    """The UTF-8 text of a regular file, or ``fail`` with what is wrong."""
    p = Path(path)
    data = read_bytes(p, fail)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        fail(f"{p} is not UTF-8 text (byte {exc.start}: {data[exc.start:exc.start + 1]!r}); "
             "save it as UTF-8", line)


def read_bytes(path: str | Path, fail: Fail, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or ``fail`` with what is
    wrong (missing, a folder, a pipe or device, too large, unreadable)."""
    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        fail(f"cannot read {p}: no such file")
    except OSError as exc:
        fail(f"cannot read {p}: {exc.strerror or exc}")
    if stat.S_ISDIR(info.st_mode):
        fail(f"{p} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        fail(f"{p} is not a regular file (a pipe, socket or device); give a file")
    if info.st_size > max_bytes:
        fail(f"{p} has {info.st_size:,} bytes, more than the limit of {max_bytes:,}")
    try:
        return p.read_bytes()
    except OSError as exc:
        fail(f"cannot read {p}: {exc.strerror or exc}")


def parse_text(text: str, fmt: str, fail: Fail) -> tuple[Any, Any]:
    """Parse ``text`` as ``"yaml"``, ``"json"`` or ``"toml"``.

    Returns
    -------
    data : object
        The parsed value.
    root : yaml.Node or None
        The YAML node tree (for :func:`line_of`); JSON is composed as YAML too
        (JSON is YAML) so its lines are known; None for TOML.
    """
    if fmt == "toml":
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            fail(f"not valid TOML: {exc}")
        except RecursionError:
            fail(f"nested deeper than {MAX_DEPTH} levels")
        _check_depth(data, fail)
        return data, None
    if fmt == "json":
        try:
            data = json.loads(text, object_pairs_hook=_JSONPairs(text, fail))
        except json.JSONDecodeError as exc:
            fail(f"not valid JSON: {exc.msg}", exc.lineno)
        except RecursionError:
            fail(f"nested deeper than {MAX_DEPTH} levels")
        _check_depth(data, fail)
        try:  # JSON is YAML: compose it only to learn line numbers
            root = _compose(text, _not_yaml)
        except _NotYAML:
            root = None
        return data, root
    import yaml

    root = _compose(text, fail)
    if root is None:
        return None, None
    loader_cls = _loader()
    loader = loader_cls("")
    try:
        data = loader.construct_document(root)
    except yaml.YAMLError as exc:  # e.g. a python/object tag, which the safe loader refuses
        mark = getattr(exc, "problem_mark", None)
        fail(f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
             mark.line + 1 if mark is not None else None)
    except (ValueError, TypeError, OverflowError) as exc:  # any other value it cannot build
        fail(f"a value cannot be read: {exc}")
    except RecursionError:
        fail(f"nested deeper than {MAX_DEPTH} levels")
    finally:
        loader.dispose()
    return data, root


class _NotYAML(Exception):
    pass


def _not_yaml(*_args, **_kwargs) -> NoReturn:
    raise _NotYAML


def _compose(text: str, fail: Fail):
    import yaml

    loader = None
    try:
        loader = _loader()(text)    # the reader already rejects control characters
        loader.fail = fail
        return loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        fail(f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
             mark.line + 1 if mark is not None else None)
    except RecursionError:
        fail(f"nested deeper than {MAX_DEPTH} levels")
    finally:
        if loader is not None:
            loader.dispose()


_LOADER = None


def _loader():
    """A ``yaml.SafeLoader`` that refuses aliases, duplicate keys and deep nesting."""
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml

    class SafeStrictLoader(yaml.SafeLoader):
        fail: Fail | None = None
        depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                self._fail(f"YAML aliases (*{event.anchor}) are not allowed; write the "
                           "value out", event.start_mark.line + 1)
            self.depth += 1
            if self.depth > MAX_DEPTH:
                event = self.peek_event()
                self._fail(f"nested deeper than {MAX_DEPTH} levels",
                           event.start_mark.line + 1)
            try:
                node = super().compose_node(parent, index)
            finally:
                self.depth -= 1
            if isinstance(node, yaml.MappingNode):
                seen: dict[str, int] = {}
                for key, _ in node.value:
                    if key.tag == "tag:yaml.org,2002:merge":
                        self._fail("YAML merge keys (<<) are not allowed",
                                   key.start_mark.line + 1)
                    k = str(key.value)
                    line = key.start_mark.line + 1
                    if k in seen:
                        self._fail(f"duplicate key {k!r} (first on line {seen[k]})", line)
                    seen[k] = line
            return node

        def construct_yaml_timestamp(self, node):
            # an impossible date (2021-13-45) raises ValueError deep in the constructor;
            # report it with its line like any other YAML error
            try:
                return super().construct_yaml_timestamp(node)
            except (ValueError, OverflowError) as exc:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{node.value!r} is not a valid date ({exc})",
                    node.start_mark) from None

        def _fail(self, message, line):
            if self.fail is None:
                raise yaml.YAMLError(f"line {line}: {message}")
            self.fail(message, line)

    SafeStrictLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                     SafeStrictLoader.construct_yaml_timestamp)
    _LOADER = SafeStrictLoader
    return _LOADER


class _JSONPairs:
    """``object_pairs_hook`` that refuses duplicate keys, naming their lines."""

    def __init__(self, text: str, fail: Fail):
        self.text = text
        self.fail = fail

    def __call__(self, pairs):
        out: dict = {}
        for key, value in pairs:
            if key in out:
                lines = [k + 1 for k, row in enumerate(self.text.splitlines())
                         if json.dumps(key) in row]
                where = f" (lines {', '.join(map(str, lines[:4]))})" if lines else ""
                self.fail(f"duplicate key {key!r}{where}", lines[-1] if lines else None)
            out[key] = value
        return out


def _check_depth(data: Any, fail: Fail) -> None:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            fail(f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def line_of(root, loc: tuple) -> int | None:
    """1-based line of the YAML node at ``loc`` (keys and indices), or of the deepest
    node on that path that exists; None without a node tree."""
    if root is None:
        return None
    import yaml

    node, line = root, None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if str(k.value) == str(part):
                    line, node = k.start_mark.line + 1, v
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
