"""Pieces shared by every app's models."""

from django.core.exceptions import ValidationError
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


def check_text_lengths(instance: models.Model) -> None:
    """Refuse text longer than its field's max_length.

    Django's full_clean() checks max_length on CharFields only; on a TextField
    it is a hint for forms. Services call this before saving user-written text.
    """
    errors = {}
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.TextField) and field.max_length:
            value = getattr(instance, field.attname) or ""
            if len(value) > field.max_length:
                errors[field.name] = _("不能超过%(max)d个字（当前%(n)d个字）。") % {
                    "max": field.max_length,
                    "n": len(value),
                }
    if errors:
        raise ValidationError(errors)


class OutboxEvent(models.Model):
    """Something that happened which systems outside may be told about (an outbox).

    Written by the service that made it happen, in the same transaction (so an event
    exists if and only if its change was committed). Apps above read it and fan it out
    (integrations: webhooks); nothing here knows who listens, so the layers stay one-way.
    `department_ids`: the bodies concerned (whose report, whom a reminder chases…).
    """

    kind = models.CharField(_("事件"), max_length=50, db_index=True)
    department_ids = models.JSONField(_("相关单位"), default=list)
    payload = models.JSONField(_("内容"), default=dict)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["id"]

    def __str__(self):
        return f"{self.kind} #{self.pk}"
