"""Jobs of the integrations app (Celery): webhook fan-out and delivery, expired idempotency keys."""

from celery import shared_task
from django.db import transaction

from . import services, webhooks
from .models import DeliveryState


@shared_task(name="integrations.tasks.idempotency_expire_task")
def idempotency_expire_task() -> int:
    return services.idempotency_records_expire()


@shared_task(name="integrations.tasks.webhooks_fan_out_task")
def webhooks_fan_out_task() -> int:
    """Every minute: new outbox events become deliveries, each sent by its own job."""
    delivery_ids = webhooks.webhooks_fan_out()
    for delivery_id in delivery_ids:
        transaction.on_commit(lambda d=delivery_id: webhook_deliver_task.delay(d))
    return len(delivery_ids)


@shared_task(
    bind=True,
    name="integrations.tasks.webhook_deliver_task",
    max_retries=webhooks.MAX_ATTEMPTS - 1,
    acks_late=True,
)
def webhook_deliver_task(self, delivery_id: int) -> str:
    """One try; still pending (an error or a non-2xx answer) → again later, with backoff."""
    delivery = webhooks.webhook_attempt(delivery_id=delivery_id)
    if delivery.state == DeliveryState.PENDING:
        raise self.retry(countdown=webhooks.backoff_seconds(delivery.attempts))
    return delivery.state
