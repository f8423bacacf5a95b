"""Layers import one way: configuration on top, shared code (`core`) at the bottom.

Every import statement of every app module (function-level imports included) is
read from the source; tests and migrations are left out. The order below is the
architecture: an app may import the apps before it, never those after it. Apps
not listed are capabilities on top: they may import any listed app and are
imported by none. Nothing imports the configuration package `yangquan_tracker`
(settings come through `django.conf.settings`).
"""

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
LAYERS = [
    "core",
    "departments",
    "accounts",
    "notifications",
    "tasks",
    "milestones",
    "reports",
    "supervision",
]
CONFIG = "yangquan_tracker"
# Capabilities on top (not a layer): each imports layers, none is imported by any app.
TOP_LEVEL = ["summaries", "plan_import", "integrations", "seeding", "dashboard", "public"]


def _project_apps() -> list[str]:
    return [
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == ROOT
    ]


def _imports(app: str) -> dict[str, set[str]]:
    """Top-level package of every import in the app, mapped to the files that make it."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / app).rglob("*.py"):
        parts = path.relative_to(ROOT / app).parts
        if parts[0] in ("tests", "migrations"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def _rank(app: str) -> int:
    return LAYERS.index(app) if app in LAYERS else len(LAYERS)


def test_every_layer_is_an_installed_app():
    assert set(LAYERS) <= set(_project_apps())


def test_apps_import_only_the_layers_below_them():
    project = set(_project_apps())
    wrong = []
    for app in sorted(project):
        for imported, files in _imports(app).items():
            if imported == app or imported not in project | {CONFIG}:
                continue
            if imported == CONFIG:
                wrong.append(f"{app} imports the configuration package ({sorted(files)})")
            elif _rank(imported) >= _rank(app):
                wrong.append(
                    f"{app} imports {imported}, a layer above or beside it ({sorted(files)})"
                )
    assert not wrong, "\n".join(wrong)


def test_tasks_does_not_import_reports():
    """The defect that started this: the plan's own app reached up into reporting."""
    assert "reports" not in _imports("tasks")


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The walker is not blind: an upward import in a module is found."""
    module = ROOT / "tasks" / "_layer_probe.py"
    module.write_text("def f():\n    from reports.models import ProgressReport\n", encoding="utf-8")
    try:
        assert "reports" in _imports("tasks")
    finally:
        module.unlink()


def test_top_level_apps_are_imported_by_no_other_app():
    project = set(_project_apps())
    assert set(TOP_LEVEL) <= project
    wrong = [
        f"{app} imports {top} ({sorted(files)})"
        for app in sorted(project)
        for top in TOP_LEVEL
        if top != app
        for imported, files in _imports(app).items()
        if imported == top
    ]
    assert not wrong, "\n".join(wrong)
