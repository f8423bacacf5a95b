"""Helpers every import service shares: who may, whether the draft is still open, saving."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.errors import PermissionDenied
from core.services import record_actor

from ..models import PlanImport
from ..permissions import may_import

TITLE_SNIPPET = 30
SENTENCE_ENDS = "。；;！？!?"


def check_actor(by, *, system_allowed: bool = False) -> None:
    if by is None and system_allowed:
        return
    if not may_import(by):
        raise PermissionDenied(_("只有市民政局协调员可以导入和审核方案。"))


def check_draft(plan_import: PlanImport) -> None:
    if not plan_import.is_draft:
        raise ValidationError(
            _("该导入已%(status)s，不能再修改。") % {"status": plan_import.get_status_display()}
        )


def save_with_history(instance, by, *, reason: str = "") -> None:
    """Validate, then save, the history row naming `by` (and why)."""
    instance.full_clean()
    record_actor(instance, by, reason=reason)
    instance.save()


def title_from_text(text: str) -> str:
    """A clause's title when its item has no heading: its first sentence, shortened."""
    first = re.split(f"[{SENTENCE_ENDS}\n]", text.strip(), maxsplit=1)[0].strip("，,、 ")
    return first if len(first) <= TITLE_SNIPPET else first[:TITLE_SNIPPET] + "…"
