"""Sending notifications: one row per person, at most once per event, e-mail after commit."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import Notification

User = get_user_model()


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    key: str,
    body: str = "",
    url: str = "",
) -> list[Notification]:
    """Put a message in each recipient's inbox, once per `key`; mail those who have an address.

    Returns the notifications created now (a repeated event creates none).
    """
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not users:
        return []
    already = set(
        Notification.objects.filter(recipient_id__in=users, key=key).values_list(
            "recipient_id", flat=True
        )
    )
    rows = [
        Notification(recipient_id=pk, kind=kind, title=title[:200], body=body, url=url, key=key)
        for pk in users
        if pk not in already
    ]
    created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    mailed = [pk for pk in users if pk not in already and users[pk].email]
    if mailed:
        from .tasks import notifications_email_task

        transaction.on_commit(lambda: notifications_email_task.delay(key, mailed))
    return created


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of a person's own notifications read; returns how many changed."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return queryset.update(read_at=timezone.now())


def notifications_email(*, key: str, recipient_ids: list[int]) -> int:
    """Send the e-mails of one event (Django's mail settings; console by default)."""
    from django.conf import settings
    from django.core.mail import send_mail

    sent = 0
    pending = Notification.objects.filter(
        key=key, recipient_id__in=recipient_ids, emailed_at__isnull=True
    ).select_related("recipient")
    for notification in pending:
        address = notification.recipient.email
        if not address:
            continue
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
        send_mail(
            subject=f"[任务跟踪] {notification.title}",
            message="\n\n".join(part for part in (notification.body, link) if part),
            from_email=None,
            recipient_list=[address],
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
