"""The bureau's follow-through: chasing (催办) and receipts (签收), sign-off (办结), inspections (督查).

A rectification item (整改) is not a model of its own: each inspection finding
becomes a work item (`tasks.Task` with origin `inspection`) with one body's
share (`tasks.Assignment`), reported on, reviewed and lit like any other; it is
closed (销号) by signing it off.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel, choices_constraint

TEXT_MAX_LENGTH = 2000


class ReminderState(models.TextChoices):
    SENT = "sent", _("待签收")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    REPLIED = "replied", _("已回复")


class Reminder(TimeStampedModel):
    """A formal chase (催办) from the bureau to one body about some of its assignments."""

    State = ReminderState

    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("被催办单位"),
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    assignments = models.ManyToManyField(
        "tasks.Assignment", verbose_name=_("催办事项"), related_name="reminders"
    )
    message = models.TextField(_("催办内容"), max_length=TEXT_MAX_LENGTH)
    reply_by = models.DateField(_("回复期限"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("催办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("催办时间"), default=timezone.now)
    state = models.CharField(
        _("状态"), max_length=12, choices=ReminderState.choices, default=ReminderState.SENT
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    reply = models.TextField(_("回复"), blank=True, max_length=TEXT_MAX_LENGTH)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回复人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(
        _("提请审核人时间"),
        null=True,
        blank=True,
        help_text=_("逾时未签收时，系统通知该单位的审核人（分管领导）的时间。"),
    )

    history = HistoricalRecords(m2m_fields=[assignments])

    class Meta:
        verbose_name = _("催办")
        verbose_name_plural = _("催办")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["department", "state"], name="reminder_by_body"),
            models.Index(fields=["state", "reply_by"], name="reminder_by_state"),
        ]
        constraints = [
            choices_constraint("state", ReminderState, "reminder_state_known"),
            models.CheckConstraint(
                condition=Q(state=ReminderState.SENT) | Q(acknowledged_at__isnull=False),
                name="reminder_acknowledged_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state=ReminderState.REPLIED)
                | (Q(replied_at__isnull=False) & ~Q(reply="")),
                name="reminder_replied_has_reply",
            ),
        ]

    def __str__(self):
        return f"{self.department} · {self.sent_at:%Y-%m-%d}"

    @property
    def is_sent(self) -> bool:
        """Sent and not yet acknowledged (待签收)."""
        return self.state == ReminderState.SENT

    @property
    def is_acknowledged(self) -> bool:
        return self.state != ReminderState.SENT

    @property
    def is_replied(self) -> bool:
        return self.state == ReminderState.REPLIED

    @property
    def is_overdue(self) -> bool:
        """Not answered by its reply-by date."""
        return not self.is_replied and self.reply_by < timezone.localdate()


class SignOffState(models.TextChoices):
    SIGNED = "signed", _("已办结")
    REOPENED = "reopened", _("已重新打开")


class SignOff(TimeStampedModel):
    """The bureau closes a work item as finished (办结), or reopens it with a reason.

    One row per work item: signing again after a reopening updates it, and the
    history keeps every sign-off and every reopening with its reason.
    """

    State = SignOffState

    task = models.OneToOneField(
        "tasks.Task", verbose_name=_("工作任务"), on_delete=models.PROTECT, related_name="sign_off"
    )
    state = models.CharField(_("状态"), max_length=10, choices=SignOffState.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("办结时间"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("重新打开人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("重新打开时间"), null=True, blank=True)
    reopen_reason = models.TextField(_("重新打开理由"), blank=True, max_length=TEXT_MAX_LENGTH)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("办结")
        verbose_name_plural = _("办结")
        ordering = ["-signed_at", "-id"]
        constraints = [
            choices_constraint("state", SignOffState, "signoff_state_known"),
            models.CheckConstraint(
                condition=~Q(state=SignOffState.REOPENED)
                | (Q(reopened_at__isnull=False) & ~Q(reopen_reason="")),
                name="signoff_reopened_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.task.code} · {self.get_state_display()}"

    @property
    def is_signed(self) -> bool:
        return self.state == SignOffState.SIGNED


class Inspection(TimeStampedModel):
    """An inspection (督查) the bureau carried out: when, by whom, where, what it found."""

    plan = models.ForeignKey(
        "tasks.Plan",
        verbose_name=_("实施方案"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    code = models.CharField(
        _("编号"), max_length=30, help_text=_("如“督查2019-1”：当年第几次督查。")
    )
    inspected_on = models.DateField(_("督查日期"))
    inspectors = models.CharField(
        _("督查人员"), max_length=300, help_text=_("参加督查人员的姓名，如“张三、李四”。")
    )
    departments = models.ManyToManyField(
        "departments.Department",
        verbose_name=_("督查单位"),
        blank=True,
        related_name="inspections",
    )
    regions = models.ManyToManyField(
        "departments.Region",
        verbose_name=_("督查县(区)、乡镇"),
        blank=True,
        related_name="inspections",
    )
    summary = models.TextField(_("督查情况"), blank=True, max_length=TEXT_MAX_LENGTH)
    section = models.OneToOneField(
        "tasks.Task",
        verbose_name=_("整改事项所在分组"),
        on_delete=models.PROTECT,
        related_name="inspection",
        help_text=_("“督查整改”下本次督查的分组，其下每条发现是一项整改任务。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords(m2m_fields=[departments, regions])

    class Meta:
        verbose_name = _("督查")
        verbose_name_plural = _("督查")
        ordering = ["-inspected_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="inspection_code_unique_in_plan"),
        ]

    def __str__(self):
        return f"{self.code}（{self.inspected_on:%Y-%m-%d}）"


class Finding(TimeStampedModel):
    """One thing an inspection found, to be rectified (整改) by one body by a deadline.

    It is tracked through its work item and share: `task` (a clause under the
    inspection's section) and `assignment` (the body's share, with the deadline).
    """

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("督查"), on_delete=models.PROTECT, related_name="findings"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("发现的问题及整改要求"), max_length=TEXT_MAX_LENGTH)
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("整改单位"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    region = models.ForeignKey(
        "departments.Region",
        verbose_name=_("所在县(区)或乡镇"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    deadline = models.DateField(_("整改时限"))
    task = models.OneToOneField(
        "tasks.Task", verbose_name=_("整改任务"), on_delete=models.PROTECT, related_name="finding"
    )
    assignment = models.OneToOneField(
        "tasks.Assignment",
        verbose_name=_("整改任务分解"),
        on_delete=models.PROTECT,
        related_name="finding",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督查发现")
        verbose_name_plural = _("督查发现")
        ordering = ["inspection", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "number"], name="finding_number_unique_in_inspection"
            ),
        ]

    def __str__(self):
        return f"{self.task.code} {self.department}"
