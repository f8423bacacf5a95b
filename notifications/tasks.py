"""Celery jobs of notifications: e-mail after the inbox row is committed."""

from celery import shared_task

from .services import notifications_email


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notifications_email_task(key: str, recipient_ids: list[int]) -> int:
    return notifications_email(key=key, recipient_ids=recipient_ids)
