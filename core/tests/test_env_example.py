"""Every variable the settings read from the environment is documented in .env.example."""

import re
from pathlib import Path

from django.conf import settings

SETTINGS_DIR = Path(settings.BASE_DIR) / "yangquan_tracker" / "settings"
READ = re.compile(r"""env(?:\.[a-z]+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""")
DOCUMENTED = re.compile(r"^([A-Z][A-Z0-9_]+)=", re.MULTILINE)


def variables_read_by_settings() -> set[str]:
    names: set[str] = set()
    for path in SETTINGS_DIR.glob("*.py"):
        names |= set(READ.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_environment_variable_of_the_settings_is_in_env_example():
    documented = set(
        DOCUMENTED.findall((Path(settings.BASE_DIR) / ".env.example").read_text(encoding="utf-8"))
    )
    read = variables_read_by_settings()
    assert len(read) > 30  # the pattern still finds the settings' reads
    assert read - documented == set()
