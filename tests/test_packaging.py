"""What the code imports is declared, and what is declared is pinned, so an install is the same everywhere."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    """A requirement's distribution name, normalised (PEP 503)."""
    found = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert found, requirement
    return re.sub(r"[-_.]+", "-", found[0]).lower()


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return {_name(r) for r in project["dependencies"]}, {_name(r) for r in project["optional-dependencies"]["test"]}


def _imported_top_level(folder: Path) -> set[str]:
    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    local = {p.stem for p in folder.glob("*.py")}  # the tests import each other's helpers
    return names - set(sys.stdlib_module_names) - local - {"igsatlas", "__future__"}


def test_every_module_the_code_imports_is_declared() -> None:
    runtime, test = _declared()
    distributions = packages_distributions()
    for folder, allowed in ((REPO / "src", runtime), (REPO / "tests", runtime | test)):
        for module in sorted(_imported_top_level(folder)):
            owners = {_name(d) for d in distributions.get(module, [module])}
            assert owners & allowed, f"{folder.name}/ imports {module} ({', '.join(owners)}): declare it in pyproject"


def test_every_declared_distribution_is_pinned_in_the_constraints() -> None:
    pinned = {
        _name(line): line.split("==", 1)[1]
        for line in (REPO / "requirements" / "constraints.txt").read_text().splitlines()
        if "==" in line
    }
    runtime, test = _declared()
    assert (runtime | test) - set(pinned) == set()
    assert {"ruff", "mypy", "pytest", "pip"} <= set(pinned)
