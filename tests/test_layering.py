"""Imports follow the flow of the register's data, never against it:

    ingest -> store -> state -> contract -> {pages, api, linked data, cli, library}

A package may import its own modules and the packages of the layers before its own in LAYERS; ingest writes into
the store and is run only by the edges that start an import, a sync or an acceptance (the CLI and the web).
The test reads every module's imports (top-level and inside functions) with ast, so an import placed in a
function to dodge the order is found too."""

from __future__ import annotations

import ast
from pathlib import Path

import igsatlas

SOURCE = Path(igsatlas.__file__).parent

# Lowest first. A package in one layer may import the packages of the same layer and of every layer before it.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors", "config"}),  # coded errors and settings: known everywhere
    frozenset({"domain", "geo", "search"}),  # pure: the vocabulary, shapes and maps, ranking of words
    frozenset({"store"}),  # the database: schema, engine, queries, writes, migrations
    frozenset({"state"}),  # the clock: content version, change days, what is in force on a day
    frozenset({"analysis"}),  # congruence, network, coverage of a state
    frozenset({"legal"}),  # legal forms, the wizard, compliance rules (which read the analysis)
    frozenset({"opendata"}),  # the contract: typed models, the API, linked data, bulk files
    frozenset({"documents"}),  # the pages' documents (their JSON twins), made of the contract
    frozenset({"mail"}),  # alerts and the newsletter, made of the documents
    frozenset({"atlas", "__init__"}),  # the library: open an atlas and ask it questions
    frozenset({"web"}),  # pages, their twins, the API mounted, linked data served
    frozenset({"cli", "accounts_cli", "kbo_cli", "mail_cli", "register_cli", "sync_cli"}),  # the `igs` command
)
# The sources' importers: they write through the store (and may ask the clock); only these edges run them.
INGEST = "ingest"
INGEST_READS = frozenset({"errors", "config", "domain", "geo", "search", "store", "state"})
RUNS_INGEST = frozenset({"web", "cli", "accounts_cli", "kbo_cli", "mail_cli", "register_cli", "sync_cli"})


# The one rule of "in force on a day" is written with the clock (state/rule.py) but reads only the domain and
# the schema, so the store's own day queries apply it: for the flow it stands with the store.
MODULE_PACKAGE = {"igsatlas.state.rule": "store"}


def package_of(module: str) -> str:
    """``igsatlas.store.queries`` -> ``store``; ``igsatlas`` -> ``__init__``."""
    if module in MODULE_PACKAGE:
        return MODULE_PACKAGE[module]
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def rank(package: str) -> int:
    found = [n for n, layer in enumerate(LAYERS) if package in layer]
    assert found, f"the package {package!r} has no place in LAYERS: add it where the flow puts it"
    return found[0]


def may_import(importer: str, imported: str) -> bool:
    if importer == imported:
        return True
    if importer == INGEST:
        return imported in INGEST_READS
    if imported == INGEST:
        return importer in RUNS_INGEST
    return rank(imported) <= rank(importer)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every igsatlas import in a file, wherever it stands (``from igsatlas import x`` names
    the module x where there is one, else the package's __init__)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "igsatlas":
            found += [(node.lineno, f"igsatlas.{a.name}" if _is_module(a.name) else "igsatlas") for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("igsatlas."):
            found.append((node.lineno, str(node.module)))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "igsatlas"]
    return found


def _is_module(name: str) -> bool:
    return (SOURCE / name).is_dir() or (SOURCE / f"{name}.py").is_file()


def module_package(path: Path) -> str:
    relative = path.relative_to(SOURCE)
    dotted = "igsatlas." + ".".join(relative.with_suffix("").parts)
    if dotted in MODULE_PACKAGE:
        return MODULE_PACKAGE[dotted]
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def test_every_package_has_a_place_in_the_flow() -> None:
    packages = {module_package(p) for p in SOURCE.rglob("*.py")} - {INGEST}
    for package in packages:
        rank(package)


def test_no_module_imports_against_the_flow() -> None:
    against = []
    for path in sorted(SOURCE.rglob("*.py")):
        importer = module_package(path)
        for line, module in imports_of(path):
            imported = package_of(module)
            if not may_import(importer, imported):
                against.append(f"{path.relative_to(SOURCE.parent)}:{line} ({importer}) imports {module} ({imported})")
    assert not against, "imports against the flow (see LAYERS):\n" + "\n".join(against)


def test_the_rule_reads_the_flow_as_written() -> None:
    """The checker itself: the four imports issue 22 names are against the flow; their reverse is along it."""
    assert not may_import("legal", "documents") and may_import("documents", "legal")
    assert not may_import("documents", "atlas") and may_import("atlas", "opendata")
    assert not may_import("opendata", "documents") and may_import("documents", "opendata")
    assert not may_import("opendata", "ingest") and not may_import("store", "ingest")
    assert may_import("ingest", "store") and may_import("cli", "ingest") and not may_import("ingest", "web")
    assert package_of("igsatlas.web.site") == "web" and package_of("igsatlas") == "__init__"
