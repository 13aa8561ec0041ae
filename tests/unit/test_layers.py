"""The layers of DESIGN.md hold: import-linter checks the import contracts in pyproject.toml;
this file checks what import-linter cannot (what is loaded at run time, and that every module
is classified as core or front end)."""

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import failtui

ROOT = Path(__file__).resolve().parents[2]
#: The modules allowed to import textual, click or rich: everything else is the core.
FRONT_ENDS = (
    "failtui.__main__",
    "failtui.app_runner",
    "failtui.cli",
    "failtui.cli_common",
    "failtui.cli_interview",
    "failtui.launch",
    "failtui.stats_report",
    "failtui.ui",
)


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def _core_modules() -> list[str]:
    return _contracts()[0]["source_modules"]


def _top_level_modules() -> list[str]:
    return sorted(f"failtui.{info.name}" for info in pkgutil.iter_modules(failtui.__path__))


def test_import_linter_keeps_every_contract():
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in result.stdout


def test_every_module_is_core_or_a_front_end():
    # A new module must be added to the core contract (or to FRONT_ENDS) to be checked.
    unclassified = [
        name
        for name in _top_level_modules()
        if name not in _core_modules() and name not in FRONT_ENDS
    ]
    assert unclassified == []
    assert sorted(set(_core_modules()) & set(FRONT_ENDS)) == []


def test_importing_the_core_loads_neither_textual_nor_rich():
    # import-linter sees our own imports; this sees third-party ones too (sqlite-utils
    # loads click, which is allowed; nothing may load textual or rich).
    code = (
        "import importlib, pkgutil, sys\n"
        f"core = {_core_modules()!r}\n"
        "for name in core:\n"
        "    module = importlib.import_module(name)\n"
        "    for info in pkgutil.walk_packages(getattr(module, '__path__', []), name + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"


#: Modules allowed in an import cycle (at any depth, through imports inside functions too):
#: none. The command line and the launcher share ``cli_common`` and ``app_runner``; opening the
#: database finishes an interrupted restore through ``storage.restoring``, which needs no
#: database code.
KNOWN_CYCLES: frozenset[str] = frozenset()


def _modules_in_cycles() -> set[str]:
    """Every module that can reach itself through imports (at any depth, in functions too)."""
    import grimp

    graph = grimp.build_graph("failtui", cache_dir=None, exclude_type_checking_imports=True)
    return {
        module
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    }


def test_no_import_cycle_in_failtui():
    # The screens, for one, reach each other only through the app (FailtuiApp.open_drill).
    assert sorted(_modules_in_cycles()) == sorted(KNOWN_CYCLES)
