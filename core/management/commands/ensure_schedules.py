"""Create the default schedules of the periodic jobs in django-celery-beat (idempotent).

The defaults are in settings.CELERY_BEAT_DEFAULTS. A schedule that already exists
is left as it is: the bureau may have changed or disabled it in the admin
(周期任务). Run by `make run` and after each deployment.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask


def _crontab(expression: str) -> CrontabSchedule:
    minute, hour, day_of_month, month_of_year, day_of_week = expression.split()
    schedule, _created = CrontabSchedule.objects.get_or_create(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        day_of_week=day_of_week,
        timezone=settings.TIME_ZONE,
    )
    return schedule


class Command(BaseCommand):
    help = "Create the default periodic-job schedules that do not exist yet."

    @transaction.atomic
    def handle(self, *args, **options):
        created = []
        for name, spec in settings.CELERY_BEAT_DEFAULTS.items():
            if PeriodicTask.objects.filter(name=name).exists():
                continue
            PeriodicTask.objects.create(
                name=name,
                task=spec["task"],
                crontab=_crontab(spec["crontab"]),
                description=spec.get("description", ""),
                enabled=spec.get("enabled", True),
            )
            created.append(name)
        if created:
            self.stdout.write(f"Created schedules: {', '.join(created)}")
        else:
            self.stdout.write("Schedules already in place.")
