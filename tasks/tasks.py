"""Celery jobs of the `tasks` app (the app is named after the plan's 工作任务).

Jobs take ids, fetch, and call a service; they are safe to run twice.
"""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import OperationalError

from .models import Plan
from .services import assignments_sync


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def assignments_sync_task(plan_id: int, user_id: int | None = None) -> int:
    """Create the assignments a plan's responsibilities call for; returns how many."""
    plan = Plan.objects.get(pk=plan_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return assignments_sync(plan=plan, by=user)
