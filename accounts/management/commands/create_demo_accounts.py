"""Demo accounts for trying the app locally (`make run`). Idempotent."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User, UserRole
from accounts.services import account_create, account_grant_superuser, validation_messages
from departments.services import department_resolve_name

DEFAULT_PASSWORD = "Demo-Pass-2018"
URL = "http://127.0.0.1:8000/"

# (username, role, department short name or None, superuser)
DEMO_ACCOUNTS = [
    ("admin", UserRole.COORDINATOR, "市民政局", True),
    ("bianban_staff", UserRole.STAFF, "市编办", False),
    ("bianban_reviewer", UserRole.REVIEWER, "市编办", False),
    ("caizheng_staff", UserRole.STAFF, "市财政局", False),
    ("minzheng_coord", UserRole.COORDINATOR, "市民政局", False),
    ("pingding_staff", UserRole.STAFF, "平定县人民政府", False),
    # A county's reviewer hears of reminders its staff leave unacknowledged (escalation).
    ("pingding_reviewer", UserRole.REVIEWER, "平定县人民政府", False),
    ("leader_viewer", UserRole.VIEWER, None, False),
]


class Command(BaseCommand):
    help = (
        "Create the demo accounts (admin, bianban_staff, …) with the password "
        f"{DEFAULT_PASSWORD} or $DEMO_PASSWORD. Existing accounts are left as they are. "
        "Needs the plan loaded (load_plan) and refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (creates a superuser with a known password!).",
        )

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG 未开启：演示账号（含已知密码的超级管理员）不应出现在生产环境。"
                "确需创建请加 --force。"
            )
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        rows = []
        with transaction.atomic():
            for username, role, department_name, superuser in DEMO_ACCOUNTS:
                existing = User.objects.filter(username=username).select_related("department")
                user = existing.first()
                if user is not None:
                    rows.append((user, False))
                    continue
                user = self._create(username, role, department_name, password)
                if superuser:
                    account_grant_superuser(user=user)
                rows.append((user, True))
        self._print(rows, password)

    def _create(self, username: str, role: str, department_name: str | None, password: str):
        try:
            department = department_resolve_name(department_name) if department_name else None
            return account_create(
                username=username, department=department, role=role, password=password
            )
        except ValidationError as error:
            raise CommandError(
                "\n".join(
                    [f"演示账号 {username} 未能创建（是否已运行 load_plan？）："]
                    + validation_messages(error)
                )
            ) from error

    def _print(self, rows, password: str) -> None:
        table = [("用户名", "角色", "单位", "密码", "状态")] + [
            (
                user.username,
                user.get_role_display() + ("·超级管理员" if user.is_superuser else ""),
                str(user.department or "—"),
                password if created else "（未改动）",
                "新建" if created else "已存在，未改动",
            )
            for user, created in rows
        ]
        widths = [max(_width(row[i]) for row in table) for i in range(len(table[0]))]
        for index, row in enumerate(table):
            self.stdout.write(
                "  ".join(
                    _pad(cell, width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write(self.style.SUCCESS(f"\n打开 {URL} 登录；管理后台 {URL}admin/"))


def _width(text: str) -> int:
    """Columns on a terminal: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
