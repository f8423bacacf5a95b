"""Celery jobs of reports: the daily round (periods, lights, notifications), light upkeep and
the evidence files left without a row.

Jobs are a few lines: they call a service and are safe to run twice.
"""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def reports_daily_task() -> dict:
    return services.reports_daily()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def lights_stale_task() -> int:
    return services.lights_refresh(stale_only=True)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def report_due_reminders_task() -> int:
    return services.report_due_reminders()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def evidence_orphans_remove_task() -> int:
    """Daily: delete evidence files that no row names (see services.evidence_orphans_remove)."""
    return len(services.evidence_orphans_remove())
