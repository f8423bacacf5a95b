"""Semi-annual summaries (半年工作推进情况汇总): one per plan and period, each generation a version.

A `SummaryVersion` is a record of one generation: when, by whom or which
schedule, where it stands (queued → running → done / failed, with its stage and
a percentage for the progress bar), the data it was made from (a snapshot file
and its checksum) and the documents rendered from it (.docx, .xlsx). The data of
a version never changes; while the version is a draft the coordinator edits its
narrative (总体情况, 主要问题, 下半年工作打算) and its Word document is rendered
again from the same snapshot. Submitting (报送) freezes it; a later generation is
a new version.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel, choices_constraint

NARRATIVE_MAX_LENGTH = 20000


class Summary(TimeStampedModel):
    """The summary of one plan's reporting period (e.g. 2019年上半年)."""

    plan = models.ForeignKey(
        "tasks.Plan", verbose_name=_("实施方案"), on_delete=models.PROTECT, related_name="summaries"
    )
    period = models.ForeignKey(
        "reports.ReportingPeriod",
        verbose_name=_("报告期"),
        on_delete=models.PROTECT,
        related_name="summaries",
    )
    submitted_version = models.OneToOneField(
        "SummaryVersion",
        verbose_name=_("已报送版本"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("半年汇总")
        verbose_name_plural = _("半年汇总")
        ordering = ["plan", "-period__starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="summary_one_per_period"),
        ]

    def __str__(self):
        return f"{self.period.title}工作推进情况汇总"


class VersionStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


class Trigger(models.TextChoices):
    PAGE = "page", _("页面")
    API = "api", _("接口")
    COMMAND = "command", _("命令行")
    SCHEDULE = "schedule", _("定时任务")


class SummaryVersion(models.Model):
    """One generation of a summary: its progress, its data snapshot and its documents."""

    Status = VersionStatus
    Trigger = Trigger

    summary = models.ForeignKey(
        Summary, verbose_name=_("半年汇总"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=8, choices=VersionStatus.choices, default=VersionStatus.QUEUED
    )
    stage = models.CharField(_("进行到"), max_length=100, blank=True)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    error = models.TextField(_("失败原因"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    trigger = models.CharField(_("发起方式"), max_length=10, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    as_of = models.DateField(_("数据截至"), null=True, blank=True)
    # The data it was made from: a snapshot file (JSON lines, gzip) and its checksum.
    data_file = models.CharField(_("数据快照"), max_length=300, blank=True)
    data_checksum = models.CharField(_("数据校验和(SHA-256)"), max_length=64, blank=True)
    figures = models.JSONField(_("主要数据"), default=dict, blank=True)
    docx_file = models.CharField(_("Word文件"), max_length=300, blank=True)
    xlsx_file = models.CharField(_("Excel台账"), max_length=300, blank=True)
    overview = models.TextField(_("总体情况"), blank=True, max_length=NARRATIVE_MAX_LENGTH)
    problems = models.TextField(_("存在的主要问题"), blank=True, max_length=NARRATIVE_MAX_LENGTH)
    next_steps = models.TextField(_("下半年工作打算"), blank=True, max_length=NARRATIVE_MAX_LENGTH)
    narrative_version = models.PositiveIntegerField(_("正文修改次数"), default=0)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["stage", "progress"])

    class Meta:
        verbose_name = _("汇总版本")
        verbose_name_plural = _("汇总版本")
        ordering = ["summary", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "number"], name="summary_version_number"),
            choices_constraint("status", VersionStatus, "summary_version_status_known"),
            choices_constraint("trigger", Trigger, "summary_version_trigger_known"),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(status=VersionStatus.DONE),
                name="summary_version_submitted_is_done",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="summary_version_progress_range"
            ),
        ]

    def __str__(self):
        return f"{self.summary} · 第{self.number}版"

    @property
    def is_done(self) -> bool:
        return self.status == VersionStatus.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == VersionStatus.FAILED

    @property
    def is_working(self) -> bool:
        return self.status in (VersionStatus.QUEUED, VersionStatus.RUNNING)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_editable(self) -> bool:
        return self.is_done and not self.is_submitted
