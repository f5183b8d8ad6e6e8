"""docs/architecture.md stays true to the tree: every package folder and every default
plugin is in it, and each default plugin module holds only hook implementations."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from pat_framework.runtime import plugins

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "pat_framework"
#: What a default plugin module may import when it is loaded.
LIGHT = {"__future__", "typing", "pat_framework.hookspecs"}
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_every_package_folder_has_its_room_in_the_doc() -> None:
    folders = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert "runtime" in folders and "cli" in folders
    missing = [name for name in folders if f"`{name}/`" not in DOC]
    assert missing == [], f"docs/architecture.md does not say what these hold: {missing}"


@pytest.mark.parametrize("name", list(plugins.DEFAULT_PLUGINS))
def test_every_default_plugin_is_named_and_holds_only_hookimpls(name: str) -> None:
    assert f"`{name}`" in DOC
    module = importlib.import_module(plugins.DEFAULT_PLUGINS[name])
    tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert functions, f"{name} registers nothing"
    for node in tree.body:
        assert not isinstance(node, ast.ClassDef), f"{name}: {node.name} belongs in the library"
        if isinstance(node, ast.ImportFrom):  # what it registers is imported when called
            assert node.module in LIGHT, f"{name} imports {node.module} when loaded"
    for function in functions:
        decorators = [ast.unparse(d) for d in function.decorator_list]
        assert decorators == ["hookimpl"], f"{name}: {function.name} is not a hook"
        assert function.name in vars(plugins.pm.hook), f"{name}: {function.name}"


def test_no_test_module_imports_another() -> None:
    offenders = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("test_")]
    assert offenders == [], "shared helpers belong in tests/*_support.py or conftest.py"
