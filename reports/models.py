"""Reporting: half-year periods, progress reports on assignments, evidence files."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel, choices_constraint

from .lights import Light


class ReportingPeriod(TimeStampedModel):
    """A half-year (报告期) such as 2019H1; closed periods are locked."""

    plan = models.ForeignKey(
        "tasks.Plan",
        verbose_name=_("实施方案"),
        on_delete=models.PROTECT,
        related_name="reporting_periods",
    )
    code = models.CharField(_("编号"), max_length=10, help_text=_("如 2019H1"))
    title = models.CharField(_("名称"), max_length=60)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    due_on = models.DateField(_("报送截止"))
    is_locked = models.BooleanField(_("已关闭"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报告期")
        verbose_name_plural = _("报告期")
        ordering = ["plan", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="period_code_unique_in_plan"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="period_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("ends_on")), name="period_due_after_end"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if not (self.plan_id and self.starts_on and self.ends_on):
            return
        overlapping = ReportingPeriod.objects.filter(
            plan_id=self.plan_id, starts_on__lte=self.ends_on, ends_on__gte=self.starts_on
        ).exclude(pk=self.pk)
        if overlapping.exists():
            raise ValidationError(
                _("报告期与“%(other)s”时间重叠。") % {"other": overlapping.first()}
            )


class ReportStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    COMPLETED = "completed", _("已完成")
    BLOCKED = "blocked", _("受阻")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    APPROVED = "approved", _("已审核")
    RETURNED = "returned", _("退回")
    CARRIED = "carried", _("已结转")  # left open when its period closed; continued in the next


OPEN_STATES = (ReportState.DRAFT, ReportState.SUBMITTED, ReportState.RETURNED)

TEXT_MAX_LENGTH = 5000  # about five pages of Chinese text per field


class ProgressReport(TimeStampedModel):
    """A report on one assignment in one reporting period (填报). Only approved reports count."""

    Status = ReportStatus
    State = ReportState

    OPEN_STATES = OPEN_STATES
    EDITABLE_STATES = (State.DRAFT, State.RETURNED)

    assignment = models.ForeignKey(
        "tasks.Assignment",
        verbose_name=_("任务分解"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("报告期"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    status = models.CharField(
        _("进度状态"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(
        _("完成百分比"),
        default=0,
        validators=[
            MinValueValidator(0, _("完成百分比不能小于0。")),
            MaxValueValidator(100, _("完成百分比不能大于100。")),
        ],
    )
    progress = models.TextField(
        _("进展情况"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
    )
    problems = models.TextField(
        _("存在问题"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
    )
    next_steps = models.TextField(
        _("下步打算"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
    )
    state = models.CharField(
        _("审核状态"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    problems_public = models.BooleanField(
        _("存在问题可公开"),
        default=False,
        help_text=_("由市民政局决定：勾选后，政务公开页面显示这份已审核填报的“存在问题”。"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    return_reason = models.TextField(
        _("退回理由"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
    )
    carried_from = models.OneToOneField(
        "self",
        verbose_name=_("结转自"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text=_("报告期关闭时未完成审核的填报，结转到下一报告期继续。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("进展填报")
        verbose_name_plural = _("进展填报")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="report_recent_first"),
            models.Index(fields=["assignment", "-updated_at", "-id"], name="report_by_assignment"),
            models.Index(fields=["state", "-updated_at"], name="report_by_state"),
            models.Index(fields=["period", "state"], name="report_by_period"),
            # as_of lists: approved by a day.
            models.Index(fields=["state", "reviewed_at"], name="report_by_review_day"),
            # the review queue: submitted, oldest first.
            models.Index(fields=["state", "submitted_at", "id"], name="report_review_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="report_percent_range"
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.COMPLETED) | Q(percent=100),
                name="report_completed_is_100_percent",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.NOT_STARTED) | Q(percent=0),
                name="report_not_started_is_0_percent",
            ),
            choices_constraint("state", ReportState, "report_state_known"),
            choices_constraint("status", ReportStatus, "report_status_known"),
            # One report in the works per assignment and period; approved ones pile up as history.
            models.UniqueConstraint(
                fields=["assignment", "period"],
                condition=Q(state__in=OPEN_STATES),
                name="report_one_open_per_assignment_period",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} · {self.get_state_display()}"

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED

    @property
    def is_returned(self) -> bool:
        return self.state == self.State.RETURNED

    @property
    def is_carried(self) -> bool:
        return self.state == self.State.CARRIED

    def clean(self):
        super().clean()
        errors = {}
        if self.status == self.Status.COMPLETED and self.percent != 100:
            errors["percent"] = _("状态为“已完成”时，完成百分比必须是100%。")
        elif self.status == self.Status.NOT_STARTED and self.percent:
            errors["percent"] = _("状态为“未启动”时，完成百分比应为0。")
        elif self.percent == 100 and self.status != self.Status.COMPLETED:
            errors["status"] = _("完成百分比为100%时，状态应为“已完成”。")
        texts = [self.progress, self.problems, self.next_steps]
        if (
            self.state in (self.State.SUBMITTED, self.State.APPROVED)
            and not (self.progress or "").strip()
        ):
            errors["progress"] = _("报送前请填写进展情况。")
        elif (
            self.status == self.Status.NOT_STARTED
            and not self.percent
            and not any((t or "").strip() for t in texts)
        ):
            errors["progress"] = _("填报内容为空：请填写进展情况。")
        if self.state == self.State.RETURNED and not self.return_reason.strip():
            errors["return_reason"] = _("退回时必须填写理由。")
        if errors:
            raise ValidationError(errors)


class AssignmentProgress(models.Model):
    """Where an assignment stands: its latest and latest approved report, kept by the services.

    Stored so that lists need no subquery per row. `computed_deadline` is the
    deadline the assignment's light spans were computed for: when it differs
    from the assignment's, the spans are recomputed (reports.services.lights_refresh).
    """

    assignment = models.OneToOneField(
        "tasks.Assignment",
        verbose_name=_("任务分解"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="progress",
    )
    latest_report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("最新填报"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("最新审核通过的填报"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    computed_deadline = models.DateField(_("状态灯计算所依据的完成时限"), null=True)
    computed_at = models.DateTimeField(_("状态灯计算时间"), null=True)

    class Meta:
        verbose_name = _("任务进展")
        verbose_name_plural = _("任务进展")

    def __str__(self):
        return str(self.assignment_id)


class LightSpan(models.Model):
    """A run of days over which an assignment's light stayed the same (its light history).

    The light of any day is the span that covers it: one indexed lookup, for
    today and for any past date (`as_of`). Computed by reports.lights.
    """

    assignment = models.ForeignKey(
        "tasks.Assignment",
        verbose_name=_("任务分解"),
        on_delete=models.CASCADE,
        related_name="light_spans",
    )
    light = models.CharField(_("状态灯"), max_length=8, choices=Light.choices)
    starts_on = models.DateField(_("起始日"))
    ends_on = models.DateField(_("截止日"), null=True, blank=True)

    class Meta:
        verbose_name = _("状态灯记录")
        verbose_name_plural = _("状态灯记录")
        ordering = ["assignment", "starts_on"]
        indexes = [
            models.Index(fields=["light", "starts_on", "ends_on"], name="lightspan_by_light"),
            models.Index(fields=["starts_on", "ends_on"], name="lightspan_by_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "starts_on"], name="lightspan_one_start_per_day"
            ),
            choices_constraint("light", Light, "lightspan_light_known"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="lightspan_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.assignment_id} {self.light} {self.starts_on}–{self.ends_on or ''}"


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    # The stored name is ours; the user's file name is kept in `original_name`.
    return f"evidence/{instance.report.assignment_id}/{instance.sha256[:16]}.{instance.extension}"


class Evidence(TimeStampedModel):
    """A file attached to a report (佐证材料). Removing only hides it."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("进展填报"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=200)
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
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["created_at"]

    def __str__(self):
        return self.original_name
