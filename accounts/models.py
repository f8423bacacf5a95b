"""Accounts: every user belongs to one body and has one role."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import choices_constraint


class UserRole(models.TextChoices):
    STAFF = "staff", _("经办人")
    REVIEWER = "reviewer", _("审核人")
    COORDINATOR = "coordinator", _("协调员")
    VIEWER = "viewer", _("查看")


class User(AbstractUser):
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(
        _("角色"), max_length=20, choices=UserRole.choices, default=UserRole.VIEWER
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            choices_constraint("role", UserRole, "user_role_known"),
            # Staff and reviewers act for a body; without one they could do nothing.
            models.CheckConstraint(
                condition=~Q(role__in=[UserRole.STAFF, UserRole.REVIEWER])
                | Q(department__isnull=False),
                name="user_reporting_role_has_department",
            ),
        ]

    def clean(self):
        super().clean()
        if self.role in (UserRole.STAFF, UserRole.REVIEWER) and self.department_id is None:
            raise ValidationError({"department": _("经办人和审核人必须属于一个单位。")})
        if self.department_id and self.department.is_collective:
            raise ValidationError({"department": _("账号不能属于集合称谓，请选择具体单位。")})
