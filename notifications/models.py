"""站内通知: a message in a person's inbox (and, where mail is set up, by e-mail)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import choices_constraint


class NotificationKind(models.TextChoices):
    REPORT_DUE = "report_due", _("催报")  # a period's deadline is near, nothing submitted
    REMINDER = "reminder", _("催办")  # a formal chase from the bureau
    RETURNED = "returned", _("填报退回")
    APPROVED = "approved", _("填报审核通过")
    LIGHT = "light", _("状态灯变化")
    SUMMARY = "summary", _("半年汇总")
    SIGNOFF = "signoff", _("办结")
    INSPECTION = "inspection", _("督查整改")
    OTHER = "other", _("其他")


class Notification(models.Model):
    """One message to one person. Read once opened; never deleted by users."""

    Kind = NotificationKind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类别"), max_length=12, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True, max_length=4000)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    # The same event never notifies the same person twice (e.g. one 催报 per reminder date).
    key = models.CharField(_("去重键"), max_length=120)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                name="notification_inbox",
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key"),
            choices_constraint("kind", NotificationKind, "notification_kind_known"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
