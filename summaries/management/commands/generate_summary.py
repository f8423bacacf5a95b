"""python manage.py generate_summary 2019H1 [--plan SLUG]: generate a summary now, in this process.

Prints the paths of the files it wrote (the data snapshot, the .docx, the .xlsx),
one per line, and nothing else on stdout.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from summaries import services
from summaries.models import SummaryVersion
from tasks.models import Plan


class Command(BaseCommand):
    help = "Generate the semi-annual summary of a reporting period (e.g. 2019H1) now."

    def add_arguments(self, parser):
        parser.add_argument("period", help="报告期编号，如 2019H1")
        parser.add_argument("--plan", help="实施方案标识（只有一个方案时可省略）")

    def handle(self, *args, period, plan=None, **options):
        try:
            plan_obj = Plan.objects.get(slug=plan) if plan else None
        except Plan.DoesNotExist as error:
            raise CommandError(f"没有实施方案“{plan}”。") from error
        try:
            found = services.period_by_code(code=period, plan=plan_obj)
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        version = services.summary_generate_request(
            plan=found.plan, period=found, by=None, trigger=SummaryVersion.Trigger.COMMAND
        )
        try:
            version = services.summary_generate(version_id=version.pk)
        except Exception as error:
            services.summary_version_fail(
                version_id=version.pk, reason=f"{type(error).__name__}: {error}"
            )
            raise CommandError(f"生成失败：{error}") from error
        for name in (version.data_file, version.docx_file, version.xlsx_file):
            self.stdout.write(str(Path(settings.MEDIA_ROOT) / name))
