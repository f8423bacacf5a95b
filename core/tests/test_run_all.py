"""`make run`'s processes for real: web, worker and beat on the broker with no server.

The test prepares a database file the way `make run` does (migrate, load_plan,
ensure_schedules), adds a schedule that fires every two seconds, starts
`bin/run-all` without REDIS_URL (so Celery uses the filesystem transport), and
waits until the worker has run the scheduled job twice. Stopping the script
stops all three processes; a second beat refuses to start while one runs.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JOB = "reports.tasks.lights_stale_task"


def _env(tmp_path: Path, port: int) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT")
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "yangquan_tracker.settings.local",
        "IGNORE_DOTENV": "true",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_DATA_DIR": str(tmp_path / "celery"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "ADDR": f"127.0.0.1:{port}",
    }


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.celery_worker
def test_make_run_starts_a_worker_and_a_beat_that_run_scheduled_jobs(tmp_path):
    env = _env(tmp_path, _free_port())
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "load_plan", "-v0")
    assert "reports.daily" in _manage(env, "ensure_schedules")
    _manage(
        env,
        "shell",
        "-c",
        "from django_celery_beat.models import IntervalSchedule, PeriodicTask;"
        "every, _ = IntervalSchedule.objects.get_or_create(every=2, period='seconds');"
        f"PeriodicTask.objects.create(name='test-every-2s', task='{JOB}', interval=every)",
    )
    log_path = tmp_path / "run-all.log"
    with open(log_path, "w") as log:
        script = subprocess.Popen(
            [str(ROOT / "bin" / "run-all")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            text = log_path.read_text(errors="replace")
            if text.count(f"Task {JOB}[") >= 2 and text.count("succeeded") >= 2:
                break
            assert script.poll() is None, text[-3000:]
            time.sleep(1)
        else:
            raise AssertionError(log_path.read_text(errors="replace")[-3000:])

        second_beat = subprocess.run(
            ["flock", "--nonblock", str(tmp_path / "celery" / "beat.lock"), "true"],
            capture_output=True,
        )
        assert second_beat.returncode != 0, "the beat lock is not held: a second beat could start"
    finally:
        script.send_signal(signal.SIGTERM)
        script.wait(timeout=60)
    address = env["ADDR"]
    patterns = [
        f"runserver {address}",
        f"{tmp_path}/celery/beat-state",
        f"worker-{address.replace(':', '-').replace('.', '-')}@",
    ]
    leftover = subprocess.run(["pgrep", "-af", "|".join(patterns)], capture_output=True, text=True)
    assert not leftover.stdout.strip(), leftover.stdout
    assert "beat: Starting" in log_path.read_text()
