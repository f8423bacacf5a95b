"""Create one account from the command line (accounts.services.account_create)."""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import UserRole
from accounts.services import account_create, validation_messages
from departments.services import department_resolve_name


class Command(BaseCommand):
    help = (
        "Create an account: create_account USERNAME --department 市编办 --role staff "
        "[--password PW]. Without --password the password is asked for twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--department", default="", help="Short name or alias (市编办); blank for a viewer."
        )
        parser.add_argument("--role", required=True, choices=UserRole.values)
        parser.add_argument(
            "--password",
            help="Initial password. Omit it to be prompted (keeps it out of the shell history).",
        )

    def handle(self, *args, username, department, role, password, **options):
        body = None
        if department:
            try:
                body = department_resolve_name(department)
            except ValidationError as error:
                raise CommandError(f"单位“{department}”在单位表中找不到。") from error
        if password is None:
            password = self._ask_password()
        try:
            user = account_create(username=username, department=body, role=role, password=password)
        except ValidationError as error:
            raise CommandError("\n".join(["账号未创建：", *validation_messages(error)])) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"已创建账号 {user.username}（{user.get_role_display()}，"
                f"{user.department or '无所属单位'}）。"
            )
        )

    def _ask_password(self) -> str:
        try:
            first = getpass.getpass("密码: ")
            second = getpass.getpass("再次输入密码: ")
        except (EOFError, KeyboardInterrupt) as error:
            raise CommandError("未输入密码。") from error
        if first != second:
            raise CommandError("两次输入的密码不一致。")
        return first
