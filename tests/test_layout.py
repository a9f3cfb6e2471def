"""The tree reads as the data flow: each step imports only the steps before it.

    inputs → law → calibration → execution → documents → render → cli → service

A module may import from its own step and the steps before it, never after; the core
(inputs to documents) never imports a CLI or rendering library, nor reads today's date.
The README's layout section, the packages pyproject.toml ships and the tree agree.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

PACKAGE = Path("clausegen")
FLOW = ("inputs", "law", "calibration", "execution", "documents", "render", "cli", "service")
TOP_LEVEL = {"__init__.py", "__main__.py", "errors.py", "workers.py"}
"""Shared by the steps: the error tree, and the worker processes (reading and rendering)."""
CORE = FLOW[: FLOW.index("documents") + 1]
FORBIDDEN_IN_CORE = {"click", "docxtpl", "docx", "pypdf", "openpyxl.writer", "fastapi"}
MODULES = sorted(PACKAGE.rglob("*.py"))


def _step(module: str) -> str | None:
    """The flow step of a dotted module name (``clausegen.law.parameters`` → ``law``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FLOW else None


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in ``path``, lazy ones (inside functions) included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def _dotted(path: Path) -> str:
    return ".".join(path.with_suffix("").parts).removesuffix(".__init__")


def test_the_package_top_holds_only_the_steps_and_the_shared_files():
    entries = {p.name for p in PACKAGE.iterdir() if p.name != "__pycache__"}
    assert entries == set(FLOW) | TOP_LEVEL


@pytest.mark.parametrize("path", [p for p in MODULES if p.name != "__main__.py"], ids=str)
def test_a_module_imports_no_step_after_its_own(path):
    own = _step(_dotted(path))
    allowed = FLOW[: FLOW.index(own) + 1] if own else ()
    if path.as_posix().endswith("clausegen/cli/serve.py"):
        allowed = FLOW  # the serve command starts the service (imported inside the command)
    for line, module in _imports(path):
        target = _step(module)
        if target is None:
            continue
        assert target in allowed, (
            f"{path}:{line} imports {module}: the {own or 'top-level'} step may not import "
            f"the {target} step, which comes after it in the flow {' → '.join(FLOW)}."
        )


@pytest.mark.parametrize("path", [p for p in MODULES if _step(_dotted(p)) in CORE], ids=str)
def test_the_core_imports_no_cli_or_rendering_library_and_reads_no_clock(path):
    for line, module in _imports(path):
        top = {module.split(".")[0], ".".join(module.split(".")[:2])}
        assert not top & FORBIDDEN_IN_CORE, f"{path}:{line} imports {module}"
    source = path.read_text(encoding="utf-8")
    assert "date.today" not in source and "datetime.now" not in source, path


def test_rendering_never_composes():
    for path in sorted((PACKAGE / "render").glob("*.py")):
        assert "compose" not in path.read_text(encoding="utf-8"), path


def test_there_is_no_import_cycle_between_modules():
    names = {_dotted(p): p for p in MODULES}
    graph = {
        name: {m for _, m in _imports(path) if m in names and m != name}
        for name, path in names.items()
    }
    done: set[str] = set()

    def visit(name: str, stack: list[str]) -> None:
        if name in stack:
            cycle = " → ".join([*stack[stack.index(name) :], name])
            raise AssertionError(f"import cycle: {cycle}")
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*stack, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_each_step_says_what_it_does_and_what_it_may_import():
    for step in FLOW:
        docstring = ast.get_docstring(ast.parse((PACKAGE / step / "__init__.py").read_text()))
        assert docstring and "import" in docstring.lower(), step


def test_the_readme_layout_lists_every_module_and_no_other():
    readme = Path("README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"clausegen/[\w/]+\.py", section))
    present = {str(p) for p in MODULES if p.name != "__init__.py"}
    assert sorted(present - listed) == [], "modules missing from the README's layout"
    assert sorted(listed - present) == [], "modules listed in the README's layout but gone"


def test_pyproject_ships_every_package():
    config = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))
    shipped = set(config["tool"]["setuptools"]["packages"])
    packages = {_dotted(p.parent) for p in PACKAGE.rglob("__init__.py")}
    assert packages <= shipped
    assert {"clausegen.legal_fragments", "clausegen.clause_templates"} <= shipped
