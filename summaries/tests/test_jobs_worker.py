"""Summary jobs on real Celery workers on the real Redis, against the real database.

- a worker generates a summary;
- a worker killed (SIGKILL) in the middle of a summary job: a second worker
  finishes it, and there is exactly one version with exactly its three files.

Runs where CI runs it (PostgreSQL + Redis, see .ci/run).
"""

import uuid
from datetime import date
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from departments.models import Department
from reports import services as report_services
from reports.models import ReportingPeriod
from summaries import services
from summaries.models import SummaryVersion
from summaries.tasks import summary_generate_task
from tasks.models import Assignment, Plan, Responsibility
from tests.workers import Worker, needs_services, wait_for

pytestmark = [
    needs_services,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def real_broker(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    app = current_app
    app.conf.task_always_eager = False
    yield f"summaries-{uuid.uuid4().hex[:8]}"
    app.conf.task_always_eager = True
    connections.close_all()


def _grow(plan: Plan, bodies: int) -> int:
    """Many more county governments, each with its share of the collective clauses (bulk)."""
    collective = Department.objects.get(short_name="各县(区)人民政府")
    region = Department.objects.get(short_name="平定县人民政府").region
    made = Department.objects.bulk_create(
        [
            Department(
                short_name=f"〔测试〕合成县{n:04d}人民政府",
                kind=Department.Kind.COUNTY_GOVERNMENT,
                region=region,
                order=10_000 + n,
            )
            for n in range(bodies)
        ]
    )
    collective.members.add(*made)
    shares = []
    for responsibility in Responsibility.objects.filter(
        task__plan=plan, department=collective
    ).select_related("task"):
        shares += [
            Assignment(
                task=responsibility.task,
                department=body,
                role=responsibility.role,
                responsibility=responsibility,
                deadline=responsibility.task.due_date or plan.ends_on,
            )
            for body in made
        ]
    Assignment.objects.bulk_create(shares, batch_size=5000)
    report_services.lights_refresh(stale_only=True)
    return len(shares)


def _version(plan) -> SummaryVersion:
    period = ReportingPeriod.objects.get(plan=plan, code="2019H1")
    return services.summary_generate_request(
        plan=plan, period=period, by=None, trigger=SummaryVersion.Trigger.COMMAND
    )


def _files(version: SummaryVersion) -> list[str]:
    return sorted(p.name for p in services.version_dir(version).iterdir())


def test_a_worker_on_redis_generates_a_summary(real_broker):
    call_command("load_plan", verbosity=0)
    plan = Plan.objects.get()
    version = _version(plan)
    connections.close_all()
    worker = Worker(real_broker)
    try:
        summary_generate_task.apply_async(args=[version.pk], queue=real_broker)
        wait_for(
            lambda: SummaryVersion.objects.get(pk=version.pk).status in ("done", "failed"),
            timeout=120,
            what="the summary job",
        )
    finally:
        log = worker.stop()
    version.refresh_from_db()
    assert version.status == "done", (version.error, log[-3000:])
    assert (version.attempts, version.progress) == (1, 100)
    assert len(_files(version)) == 3
    assert all(
        (Path(settings.MEDIA_ROOT) / f).is_file() for f in (version.docx_file, version.xlsx_file)
    )


def test_a_worker_killed_mid_job_leaves_one_version_and_no_stray_file(real_broker):
    call_command("load_plan", verbosity=0)
    plan = Plan.objects.get()
    assert _grow(plan, bodies=2000) >= 10_000  # a job of several seconds
    version = _version(plan)
    connections.close_all()
    # A short visibility timeout, so the killed worker's job comes back within the test.
    first = Worker(real_broker, CELERY_VISIBILITY_TIMEOUT="8")
    summary_generate_task.apply_async(args=[version.pk], queue=real_broker)
    try:
        wait_for(
            lambda: SummaryVersion.objects.filter(
                pk=version.pk, status="running", progress__gte=5
            ).exists(),
            timeout=120,
            interval=0.05,
            what="the job to be halfway",
        )
    finally:
        first.kill()
    halfway = SummaryVersion.objects.get(pk=version.pk)
    assert halfway.status == "running" and halfway.progress < 100

    second = Worker(real_broker, CELERY_VISIBILITY_TIMEOUT="8")
    try:
        wait_for(
            lambda: SummaryVersion.objects.get(pk=version.pk).status in ("done", "failed"),
            timeout=240,
            what="the second worker to finish the job",
        )
    finally:
        log = second.stop()
    version.refresh_from_db()
    assert version.status == "done", (version.error, log[-3000:])
    assert version.attempts == 2  # the killed run, then the second worker's
    assert SummaryVersion.objects.count() == 1
    assert _files(version) == sorted(
        Path(name).name for name in (version.data_file, version.docx_file, version.xlsx_file)
    )
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.part"))
    assert date.fromisoformat(str(version.as_of)) == date(2019, 7, 10)
