"""The folder tree shows the architecture: nothing under ``study_guide/core`` imports a site generator,
a template engine or an adapter, so a new generator is one new folder under ``adapters/``."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "plugins" / "study_guide"
CORE = PACKAGE / "core"
# What only an adapter may know: the generators, their template engine, and the adapters themselves.
FORBIDDEN = ("mkdocs", "properdocs", "zensical", "jinja2", "material", "study_guide.adapters")


def imported_modules(path: Path, root: Path = ROOT / "plugins") -> list[tuple[int, str]]:
    """Every module *path* imports, absolute, with its line: relative imports resolved against its package."""
    package = path.relative_to(root).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def forbidden_imports(path: Path, root: Path = ROOT / "plugins") -> list[str]:
    return [
        f"{path.relative_to(root)}:{line}: imports {module}"
        for line, module in imported_modules(path, root)
        if any(module == name or module.startswith(name + ".") for name in FORBIDDEN)
    ]


def test_core_imports_no_generator_and_no_adapter():
    modules = sorted(CORE.rglob("*.py"))
    assert len(modules) > 20, "the core's modules were not found"
    problems = [problem for path in modules for problem in forbidden_imports(path)]
    assert problems == [], "the core must not know the generators or the adapters:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from mkdocs.plugins import BasePlugin\n", ["mkdocs.plugins"]),
        ("import jinja2\n", ["jinja2"]),
        ("def f():\n    from ..adapters.cli import export\n", ["study_guide.adapters.cli"]),
        ("from . import markers\n", []),
    ],
)
def test_the_check_sees_every_kind_of_import(tmp_path, source, expected):
    """The check itself: top-level, nested and relative imports are all seen (a check that sees nothing passes)."""
    fake = tmp_path / "study_guide" / "core" / "probe.py"
    fake.parent.mkdir(parents=True)
    fake.write_text(source)
    found = [problem.rsplit(" imports ", 1)[1] for problem in forbidden_imports(fake, tmp_path)]
    assert found[: len(expected)] == expected and len(found) >= len(expected)
    assert bool(found) == bool(expected)


def test_each_adapter_is_one_folder_that_uses_the_core():
    adapters = sorted(p for p in (PACKAGE / "adapters").iterdir() if (p / "__init__.py").is_file())
    assert {p.name for p in adapters} >= {"mkdocs_plugin", "cli"}
    for adapter in adapters:
        modules = [module for path in adapter.rglob("*.py") for _, module in imported_modules(path)]
        assert any(m.startswith("study_guide.core") for m in modules), f"{adapter.name} does not use the core"
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py"], f"modules outside core/ and adapters/: {top}"
