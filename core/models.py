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
