"""`make run` loads the demo history after the demo accounts, says so, and DEMO=0 skips it."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dry_run(*args: str) -> list[str]:
    done = subprocess.run(
        ["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_loads_the_demo_after_the_accounts_and_says_so():
    lines = _dry_run()
    accounts = next(i for i, line in enumerate(lines) if "create_demo_accounts" in line)
    demo = next(i for i, line in enumerate(lines) if line.endswith("manage.py load_demo"))
    assert accounts < demo
    assert any("load_demo" in line and line.startswith("echo") for line in lines[accounts:demo])


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_demo_0_skips_the_demo():
    lines = _dry_run("DEMO=0")
    assert not any(line.endswith("manage.py load_demo") for line in lines)
    assert any("DEMO=0" in line for line in lines)
