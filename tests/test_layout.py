"""The package's shape: only `mutation/engine/` knows mutmut, and every module says what it is for."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "mutation"
MODULES = sorted(PACKAGE.rglob("*.py"))


def imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


@pytest.mark.parametrize("path", [p for p in MODULES if PACKAGE / "engine" not in p.parents],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_outside_the_engine_imports_mutmut_or_reads_its_files(path):
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)

    assert [name for name in imported_modules(tree) if name.split(".")[0] == "mutmut"] == []
    strings = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    assert [text for text in strings if ".meta" in text or "mutmut-stats" in text or "MUTANT_UNDER_TEST" in text] == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_starts_with_a_docstring(path):
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))

    assert docstring and len(docstring.splitlines()[0]) > 20
