"""`manage.py import_plan FILE [--title …] [--dry-run] [--json]`: read a plan into a draft.

With --dry-run it only reads and prints (--json: the machine-readable clauses,
exactly `ParsedDocument.as_json()`), writing nothing. Without it, the plan is
saved as a draft import for review: nothing is live until a coordinator
publishes it on the review page, whose path is printed.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import PermissionDenied
from plan_import.models import ImportedBody
from plan_import.parser import ROLE_LABELS, ROLES, ParsedDocument, parse_document
from plan_import.readers import read_document

TEXT_PREVIEW = 40


class Command(BaseCommand):
    help = gettext_lazy(
        "读取一份实施方案（.txt 或 .docx），保存为待审核的草稿并给出审核页面地址；"
        "加 --dry-run 只解析并列出识别出的责任条款和分工（不写入数据库），"
        "再加 --json 输出机器可读的结果。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("方案文件（.txt 或 .docx）"))
        parser.add_argument("--title", default="", help=gettext_lazy("方案标题"))
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("只解析并显示结果，不保存")
        )
        parser.add_argument(
            "--json", action="store_true", help=gettext_lazy("以 JSON 输出（只输出一个 JSON 对象）")
        )
        parser.add_argument(
            "--user",
            default="",
            help=gettext_lazy("以此协调员的名义保存草稿（用户名）；不填则记为系统导入"),
        )
        parser.add_argument(
            "--verbose",
            action="store_true",
            help=gettext_lazy("JSON 中另附每个单位名称与单位表的比对结果（matched）"),
        )

    def handle(self, *args, **options):
        try:
            text = read_document(options["file"])
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        if not options["dry_run"]:
            self._save_draft(text, options)
            return
        document = parse_document(text)
        if options["json"]:
            self.stdout.write(self._json(document, verbose=options["verbose"]))
        else:
            self.stdout.write(self._summary(document, title=options["title"] or options["file"]))

    def _save_draft(self, text: str, options) -> None:
        from plan_import.services import import_create

        by = None
        if options["user"]:
            from django.contrib.auth import get_user_model

            by = get_user_model().objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(_("没有用户“%(name)s”。") % {"name": options["user"]})
        try:
            plan_import = import_create(
                text=text,
                by=by,
                title=options["title"],
                source_name=Path(options["file"]).name,
            )
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        except PermissionDenied as error:
            raise CommandError(str(error.message)) from None
        url = reverse("plan_import:review", args=[plan_import.pk])
        clauses = plan_import.clauses.count()
        if options["json"]:
            payload = {
                "import": plan_import.pk,
                "review_url": url,
                **parse_document(plan_import.source_text).as_json(),
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        unresolved = ImportedBody.objects.filter(
            clause__plan_import=plan_import, resolution=ImportedBody.Resolution.UNRESOLVED
        ).count()
        self.stdout.write(
            _(
                "已将《%(title)s》保存为待审核的草稿（%(clauses)s 条责任条款，%(unresolved)s 个单位待确认）。"
                "请在审核页面核对后发布：%(url)s"
            )
            % {"title": plan_import.title, "clauses": clauses, "unresolved": unresolved, "url": url}
        )

    def _json(self, document: ParsedDocument, *, verbose: bool) -> str:
        payload = document.as_json()
        if verbose:
            matcher = _matcher()
            for entry, clause in zip(payload["clauses"], document.clauses, strict=True):
                entry["matched"] = {
                    name: _short_name(matcher, name) for _role, name in clause.roles()
                }
        return json.dumps(payload, ensure_ascii=False, indent=2)

    def _summary(self, document: ParsedDocument, *, title: str) -> str:
        matcher = _matcher()
        lines = [
            _("《%(title)s》试运行解析结果（未保存）") % {"title": title},
            _("识别出 %(clauses)s 条责任条款，%(warnings)s 条提示。")
            % {"clauses": len(document.clauses), "warnings": len(document.warnings)},
        ]
        if matcher is None:
            lines.append(_("（单位表不可用，未与已有单位比对。）"))
        for clause in document.clauses:
            lines.append("")
            lines.append(f"{clause.code}  {clause.heading}".rstrip())
            preview = clause.text.replace("\n", " ")
            if len(preview) > TEXT_PREVIEW:
                preview = preview[:TEXT_PREVIEW] + "…"
            lines.append("  " + _("内容：%(text)s") % {"text": preview})
            for role in ROLES:
                names = getattr(clause, role)
                if names:
                    shown = "、".join(_marked(matcher, name) for name in names)
                    lines.append(f"  {ROLE_LABELS[role]}：{shown}")
            if clause.scope:
                lines.append("  " + _("适用范围：%(places)s") % {"places": "、".join(clause.scope)})
            if clause.due_text:
                lines.append("  " + _("时限：%(due)s") % {"due": clause.due_text})
        if document.warnings:
            lines.append("")
            lines.append(_("提示："))
            for warning in document.warnings:
                level = _("注意") if warning.level == "warning" else _("说明")
                lines.append(
                    "  "
                    + _("[%(level)s] 第 %(line)s 行：%(message)s")
                    % {"level": level, "line": warning.line, "message": warning.message}
                )
        return "\n".join(lines)


def _matcher():
    """A DepartmentMatcher, or None where the department table cannot be read."""
    from plan_import.names import DepartmentMatcher

    try:
        return DepartmentMatcher()
    except DatabaseError:
        return None


def _short_name(matcher, name: str) -> str | None:
    department = matcher.match(name) if matcher else None
    return department.short_name if department else None


def _marked(matcher, name: str) -> str:
    if matcher is None:
        return name
    department = matcher.match(name)
    if department is None:
        return name + _("〔新单位，待确认〕")
    if department.short_name == name:
        return name + _("〔已有〕")
    return name + _("〔已有：%(name)s〕") % {"name": department.short_name}
