"""Dated steps of 二、目标步骤 and the per-county / per-town checklist behind each."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel, choices_constraint


class Milestone(TimeStampedModel):
    class Precision(models.TextChoices):
        DAY = "day", _("日")
        MONTH = "month", _("月底前")
        YEAR = "year", _("年内")

    class Scope(models.TextChoices):
        COUNTIES = "counties", _("各县(区)")
        PILOT_COUNTIES = "pilot_counties", _("有试点乡镇的县(区)")
        PILOT_TOWNS = "pilot_towns", _("试点乡镇")
        ALL_TOWNS = "all_towns", _("全市所有乡镇")

    plan = models.ForeignKey(
        "tasks.Plan",
        verbose_name=_("实施方案"),
        on_delete=models.PROTECT,
        related_name="milestones",
    )
    code = models.SlugField(_("标识"), max_length=30)
    due_date = models.DateField(_("时间节点"))
    due_precision = models.CharField(
        _("时限写法"), max_length=6, choices=Precision.choices, default=Precision.MONTH
    )
    title = models.CharField(_("事项"), max_length=200)
    text = models.TextField(_("原文"))
    scope = models.CharField(_("落实范围"), max_length=20, choices=Scope.choices)
    note = models.TextField(_("备注"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("时间节点")
        verbose_name_plural = _("时间节点")
        ordering = ["plan", "due_date", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="milestone_code_unique_in_plan"),
        ]

    def __str__(self):
        return f"{self.due_date:%Y-%m-%d} {self.title}"

    @property
    def due_before_plan_issued(self) -> bool:
        """The plan was issued after some of its own deadlines (2018-10-31 < 2018-11-09)."""
        return self.due_date < self.plan.issued_on


class LineState(models.TextChoices):
    OPEN = "open", _("未完成")
    REPORTED = "reported", _("已报完成，待确认")
    CONFIRMED = "confirmed", _("已确认完成")
    RETURNED = "returned", _("退回")


class ChecklistLine(TimeStampedModel):
    """One county's or town's line on a milestone's checklist (节点任务清单)."""

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("时间节点"), on_delete=models.CASCADE, related_name="lines"
    )
    region = models.ForeignKey(
        "departments.Region",
        verbose_name=_("县(区)或乡镇"),
        on_delete=models.PROTECT,
        related_name="checklist_lines",
    )
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("报告单位"),
        on_delete=models.PROTECT,
        related_name="checklist_lines",
        help_text=_("负责报告该项完成情况的单位（县(区)人民政府）。"),
    )
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True, max_length=2000)
    state = models.CharField(
        _("确认状态"), max_length=10, choices=LineState.choices, default=LineState.OPEN
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True, max_length=2000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节点任务清单")
        verbose_name_plural = _("节点任务清单")
        ordering = ["milestone", "region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "region"], name="checklist_line_one_per_region"
            ),
            choices_constraint("state", LineState, "checklist_line_state_known"),
            # A line reported or confirmed done says when it was done.
            models.CheckConstraint(
                condition=Q(state__in=[LineState.OPEN, LineState.RETURNED])
                | Q(completed_on__isnull=False),
                name="checklist_line_done_has_date",
            ),
        ]

    State = LineState

    def __str__(self):
        return f"{self.milestone.code} · {self.region.name}"

    @property
    def is_confirmed(self) -> bool:
        return self.state == LineState.CONFIRMED

    @property
    def is_reported(self) -> bool:
        return self.state == LineState.REPORTED

    @property
    def is_returned(self) -> bool:
        return self.state == LineState.RETURNED

    def clean(self):
        super().clean()
        from departments.models import Region

        if not self.milestone_id or not self.region_id:
            return
        town_scopes = (Milestone.Scope.PILOT_TOWNS, Milestone.Scope.ALL_TOWNS)
        wants_town = self.milestone.scope in town_scopes
        if wants_town and not self.region.is_town:
            raise ValidationError({"region": _("该节点的清单应落实到乡镇。")})
        if not wants_town and self.region.kind != Region.Kind.COUNTY:
            raise ValidationError({"region": _("该节点的清单应落实到县(区)。")})
        county_id = (
            self.region_id if self.region.kind == Region.Kind.COUNTY else self.region.parent_id
        )
        if self.department_id and not (
            self.department.kind == self.department.Kind.COUNTY_GOVERNMENT
            and self.department.region_id == county_id
        ):
            raise ValidationError({"department": _("报告单位应是该县(区)的人民政府。")})


def checklist_evidence_upload_to(instance: "ChecklistEvidence", filename: str) -> str:
    # The stored name is ours; the user's file name is kept in `original_name`.
    return f"checklists/{instance.line_id}/{instance.sha256[:16]}.{instance.extension}"


class ChecklistEvidence(TimeStampedModel):
    """A file a county attaches when it reports its line done (佐证材料). Removing only hides it."""

    line = models.ForeignKey(
        ChecklistLine,
        verbose_name=_("节点任务清单"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    file = models.FileField(_("文件"), upload_to=checklist_evidence_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    extension = models.CharField(_("类型"), max_length=10)
    content_type = models.CharField(_("内容类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节点任务佐证材料")
        verbose_name_plural = _("节点任务佐证材料")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name
