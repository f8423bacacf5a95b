"""Pieces shared by every app's models."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


def choices_constraint(field: str, choices: type[models.TextChoices], name: str):
    """The database refuses a value outside the field's choices."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


def validity_constraint(name: str):
    """valid_to, when both ends are known, is not before valid_from."""
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True)
        | Q(valid_from__isnull=True)
        | Q(valid_to__gte=models.F("valid_from")),
        name=name,
    )
