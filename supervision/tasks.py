"""Celery jobs of supervision: escalating reminders nobody signed for.

Jobs are a few lines: they call a service and are safe to run twice (each
reminder is escalated once).
"""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def reminders_escalate_task() -> int:
    return services.reminders_escalate()
