"""The package's shape: imports point one way, and no module grows past its one job.

Imports are read from the source (inside functions too, where a cycle would
otherwise hide), so the test fails the moment a stage imports its coordinator.
"""

from __future__ import annotations

import ast
from pathlib import Path

import framework_kit

PACKAGE = Path(framework_kit.__file__).parent
MAX_LINES = 420  # "about 400": a module past this does more than one job


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules that ``name`` imports, anywhere in its source."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                # ``from . import advice`` names a module; ``from .x import y`` may too.
                found.add(f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module)
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return out


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_reader_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "stage.py"
    source.write_text("def f():\n    from .coordinator import run\n", encoding="utf-8")
    known = {"pkg.stage", "pkg.coordinator"}
    assert _imports("pkg.stage", source, known) == {"pkg.coordinator"}


def test_no_import_cycles():
    found = cycles(graph())
    assert not found, "import cycles: " + "; ".join(" <-> ".join(group) for group in found)


def test_layers_point_one_way():
    """Rules never see rendering; rendering never imports the rules, the API or the CLI;
    writers never see the spec; nothing below the CLI imports it."""
    edges = graph()
    forbidden = {
        "framework_kit.spec": ("framework_kit.rules", "framework_kit.render", "framework_kit.api",
                               "framework_kit.cli"),
        "framework_kit.rules": ("framework_kit.render", "framework_kit.api", "framework_kit.cli"),
        "framework_kit.render": ("framework_kit.rules", "framework_kit.api", "framework_kit.cli",
                                 "framework_kit.mail"),
        "framework_kit.render.writers": ("framework_kit.spec",),
        "framework_kit.api": ("framework_kit.cli",),
        # The mail reads the assessment as data, as the brief does; the API drives it.
        "framework_kit.mail": ("framework_kit.rules", "framework_kit.api", "framework_kit.cli"),
    }
    wrong = []
    for module, targets in edges.items():
        for layer, banned in forbidden.items():
            if module == layer or module.startswith(layer + "."):
                wrong += [f"{module} -> {t}" for t in targets
                          if any(t == b or t.startswith(b + ".") for b in banned)]
    assert not wrong, "\n".join(sorted(wrong))


def test_no_module_is_much_over_400_lines():
    long = {name: n for name, path in _modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


def test_every_package_is_in_the_wheel():
    """pyproject.toml lists the packages by hand (seeds/ and templates/ are mapped into the
    package): a package missing from the list is missing from every non-editable install."""
    import tomllib

    from conftest import ROOT  # the checkout, not the installed copy the tests import

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    on_disk = {".".join(path.parent.relative_to(ROOT).parts)
               for path in (ROOT / "framework_kit").rglob("__init__.py")}
    assert on_disk - listed == set()
