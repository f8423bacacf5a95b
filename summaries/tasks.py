"""Celery jobs of summaries: generate a version, render its Word file again, the daily round.

A generation job may be delivered twice (a worker killed halfway, acks_late):
it starts over on the same version, which ends done with one set of files. A
failing job retries with backoff; when it gives up, the version is marked failed
with the reason the coordinator sees.
"""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from . import services
from .models import SummaryVersion

RETRYABLE = (OperationalError, InterfaceError, OSError)


class SummaryJob(Task):
    """Records a version's failure, and its retries, where the coordinator sees them."""

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        SummaryVersion.objects.filter(pk=_version_id(args, kwargs)).update(
            stage=_("出错，稍后自动重试：%(error)s") % {"error": str(exc)[:80]}
        )

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        services.summary_version_fail(
            version_id=_version_id(args, kwargs),
            reason=_("%(kind)s：%(error)s（任务编号 %(task)s）")
            % {"kind": type(exc).__name__, "error": exc, "task": task_id},
        )


def _version_id(args, kwargs) -> int:
    return args[0] if args else kwargs["version_id"]


@shared_task(
    base=SummaryJob,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=RETRYABLE,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=3,
)
def summary_generate_task(version_id: int) -> int:
    return services.summary_generate(version_id=version_id).pk


@shared_task(acks_late=True, autoretry_for=RETRYABLE, retry_backoff=5, max_retries=3)
def summary_render_task(version_id: int) -> None:
    services.summary_render(version_id=version_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def summaries_due_task() -> list[int]:
    return [version.pk for version in services.summaries_due()]
