"""The core never imports the UI toolkit (DESIGN.md: layers)."""

import subprocess
import sys

CORE = [
    "failtui.models", "failtui.locations", "failtui.decks", "failtui.storage",
    "failtui.storage.queries", "failtui.scheduling", "failtui.grading", "failtui.session",
    "failtui.report", "failtui.plain", "failtui.cli", "failtui.stats",
    "failtui.storage.stats_queries",
    "failtui.report", "failtui.plain", "failtui.cli", "failtui.decks.writer",
    "failtui.decks.importers", "failtui.decks.exporters", "failtui.decks.story",
    "failtui.storage.stories", "failtui.overview", "failtui.corrections", "failtui.interview",
    "failtui.followups", "failtui.speaking", "failtui.fsrs_fit", "failtui.fsrs_params",
    "failtui.plan_report", "failtui.cli_interview",
]  # fmt: skip


def test_core_modules_do_not_import_textual():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'click')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = eval(result.stdout)
    assert "textual" not in loaded
    assert not [m for m in loaded if m.startswith("textual")]


def test_core_sources_do_not_import_click_or_textual():
    # sqlite-utils itself imports click, so this is checked on our own sources.
    import ast
    from pathlib import Path

    import failtui

    root = Path(failtui.__file__).parent
    core = [p for p in root.rglob("*.py") if "ui" not in p.relative_to(root).parts[:1]]
    core = [
        p for p in core if p.name not in ("cli.py", "cli_interview.py", "launch.py", "__main__.py")
    ]
    assert len(core) > 8
    for path in core:
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in ("click", "textual"), f"{path}: imports {name}"
