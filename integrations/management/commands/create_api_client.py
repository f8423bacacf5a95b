"""Register a county system: prints `client_id=… client_secret=…` (one line, nothing else)."""

from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from departments.models import Department
from integrations.services import api_client_create


class Command(BaseCommand):
    help = "为一个单位登记对接系统，输出 client_id 和 client_secret（只显示这一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--department", required=True, help="单位名称，如 平定县人民政府")
        parser.add_argument("--name", required=True, help="系统名称，如 平定县政务系统")
        parser.add_argument("--scopes", default="read,write", help="read 或 read,write")

    def handle(self, *args, department, name, scopes, **options):
        body = Department.objects.by_name(department).first()
        if body is None:
            raise CommandError(f"没有名为“{department}”的单位。")
        try:
            client, secret = api_client_create(
                department=body, name=name, scopes=[s.strip() for s in scopes.split(",") if s]
            )
        except ApplicationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"client_id={client.application.client_id} client_secret={secret}")
