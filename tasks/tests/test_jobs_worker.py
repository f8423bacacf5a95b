"""A real Celery worker on Redis runs the app's jobs against the real database.

Needs what CI has: REDIS_URL and PostgreSQL (a worker process cannot see
SQLite's in-memory test database). `make test` without them runs the same job
in-process in test_placeholder_resolution.py.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

from tasks.models import Assignment, Plan
from tasks.tasks import assignments_sync_task
from yangquan_tracker.celery import app

ROOT = Path(__file__).resolve().parents[2]

needs_services = pytest.mark.skipif(
    not settings.REDIS_URL or connection.vendor != "postgresql",
    reason="needs REDIS_URL and DATABASE_URL=postgres://… (as in .ci/run)",
)


@pytest.fixture
def worker(settings):
    """A worker process on its own queue, pointed at the test database."""
    db = connection.settings_dict
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yangquan_tracker.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "yangquan_tracker",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = True
        process.terminate()
        output, _ = process.communicate(timeout=30)
        if process.returncode not in (0, -15):
            print(output.decode(errors="replace"))


@needs_services
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_on_redis_creates_missing_assignments(worker):
    call_command("load_plan", verbosity=0)  # transactional tests start from an empty database
    plan = Plan.objects.get()
    missing = Assignment.objects.filter(task__code="三(二)1-1")  # five county governments
    assert missing.count() == 5
    missing.delete()
    connections.close_all()  # the worker must see committed data, not this connection's

    result = assignments_sync_task.apply_async(args=[plan.pk, None], queue=worker)

    assert result.get(timeout=60) == 5
    assert Assignment.objects.filter(task__code="三(二)1-1").count() == 5
    connections.close_all()
