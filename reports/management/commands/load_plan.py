from pathlib import Path

from django.core.management.base import BaseCommand

from reports.services import plan_load
from tasks.services import DEFAULT_FIXTURES


class Command(BaseCommand):
    help = (
        "Load the 2018 plan (places, bodies, work items, dated steps) from fixtures/, "
        "its reporting periods up to today and the lights. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
        parser.add_argument("--plan-file", default="plan_2018.yaml")

    def handle(self, *args, fixtures, plan_file, **options):
        changed = plan_load(fixtures_dir=fixtures, plan_file=plan_file)
        total = sum(changed.values())
        summary = ", ".join(f"{k}={v}" for k, v in changed.items())
        if total:
            self.stdout.write(
                self.style.SUCCESS(f"Plan loaded; rows created or changed: {summary}")
            )
        else:
            self.stdout.write("Plan already up to date; nothing changed.")
