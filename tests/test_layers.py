"""The import contract: the package's layers import one way, checked over the AST of every
module, counting imports inside functions too (an import deferred into a function is
still a dependency).

Layers, lowest first (a module may import its own layer, any lower layer and the
ground floor: ``errors.py`` and the private top-level modules ``_config``,
``_files``, ``_format``, ``_numbers``, ``_random``, ``_validate``)::

    events -> games -> solvers | strategies -> iterated -> models -> analysis
           -> sweep -> display -> cli

``solvers`` and ``strategies`` are siblings and never import each other (repeated-game
solvers read strategies through declared capabilities such as ``as_automaton()``).
No private name (``_x``) and no private module of another subpackage is imported
across subpackages.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gametheory"
ORDER = ["ground", "events", "games", "solvers", "strategies", "iterated", "models",
         "analysis", "sweep", "display", "cli"]
SIBLINGS = {frozenset({"solvers", "strategies"})}

#: Documented exceptions, each (importing module, imported module): why.
ALLOWED = {
    ("gametheory.strategies", "gametheory.iterated.checks"):
        "the deprecated alias gs.check_strategy, resolved lazily by __getattr__",
    ("gametheory.batch", "gametheory.sweep"):
        "gametheory.batch is the deprecated alias package of gametheory.sweep",
}


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "top"
    head = parts[1]
    if (head.startswith("_") and head != "__main__") or head == "errors":
        return "ground"
    if head in ("cli", "__main__"):
        return "cli"
    if head == "batch":
        return "sweep"
    return head


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts)
        is_pkg = path.name == "__init__.py"
        if is_pkg:
            name = name.removesuffix(".__init__")
        yield name, path, is_pkg


def _imports():
    """(importer, imported module, imported names, line) for every import in the package."""
    out = []
    for name, path, is_pkg in _modules():
        package = name if is_pkg else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[:len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if not target.startswith("gametheory"):
                    continue
                names = [a.name for a in node.names]
                # `from . import x` / `from .pkg import module`: the module is the target
                out.append((name, target, names, node.lineno))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("gametheory"):
                        out.append((name, alias.name, [], node.lineno))
    return out


IMPORTS = _imports()


def _allowed(importer: str, target: str) -> bool:
    return any(importer == a and (target == b or target.startswith(b + "."))
               for a, b in ALLOWED)


def test_the_scan_sees_the_package():
    importers = {i for i, *_ in IMPORTS}
    assert len(importers) > 60 and "gametheory.iterated.engine" in importers
    inside_functions = [i for i in IMPORTS if i[0] == "gametheory.sweep.tasks"]
    assert inside_functions, "imports inside functions are counted"


def test_layers_import_one_way():
    problems = []
    for importer, target, _names, line in IMPORTS:
        a, b = _layer(importer), _layer(target)
        if "top" in (a, b) and not (a == "top" or target == "gametheory"):
            continue
        if a in ("top", b) or b == "ground" or _allowed(importer, target):
            continue
        if b == "top":   # only __version__ may be read from the package itself
            continue
        if frozenset({a, b}) in SIBLINGS or ORDER.index(b) > ORDER.index(a):
            problems.append(f"{importer}:{line} ({a}) imports {target} ({b})")
    assert not problems, "imports against the layers:\n" + "\n".join(problems)


def test_no_private_name_crosses_a_subpackage():
    problems = []
    for importer, target, names, line in IMPORTS:
        a, b = _layer(importer), _layer(target)
        if a == b or b in ("ground", "top") or _allowed(importer, target):
            continue
        private_module = any(part.startswith("_") and not part.startswith("__")
                             for part in target.split(".")[2:])
        private_names = [n for n in names if n.startswith("_") and n != "__version__"]
        if private_module or private_names:
            problems.append(f"{importer}:{line} imports {target} {private_names or ''}")
    assert not problems, "private names across subpackages:\n" + "\n".join(problems)


@pytest.mark.parametrize("module", ["gametheory.errors", "gametheory._random",
                                    "gametheory._validate", "gametheory._config",
                                    "gametheory._files", "gametheory._numbers"])
def test_the_ground_floor_imports_nothing_above_it(module):
    for importer, target, _names, line in IMPORTS:
        if importer == module:
            assert _layer(target) == "ground", f"{importer}:{line} imports {target}"


def test_every_exception_lives_in_errors():
    defined = []
    for name, path, _ in _modules():
        if name == "gametheory.errors":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    getattr(b, "id", getattr(b, "attr", "")).endswith(("Error", "Warning"))
                    for b in node.bases) and not node.name.startswith("_"):
                defined.append(f"{name}.{node.name}")
    assert not defined, f"exceptions outside errors.py: {defined}"
