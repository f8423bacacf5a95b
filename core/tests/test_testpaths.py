"""`make test` runs every app's tests: each folder holding tests is on pytest's testpaths."""

import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_every_folder_with_tests_is_on_the_testpaths():
    testpaths = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"][
            "ini_options"
        ]["testpaths"]
    )
    with_tests = {
        folder.name
        for folder in ROOT.iterdir()
        if folder.is_dir()
        and not folder.name.startswith(".")  # .venv, .git
        and folder.name not in {"node_modules", "var", "media", "staticfiles"}
        and any(folder.glob("**/test_*.py"))
    }
    assert with_tests, "the glob finds the test folders"
    assert with_tests <= testpaths
