"""Every text a person writes has a maximum length: in the admin's forms and in the services."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.test import RequestFactory

from accounts.models import UserRole
from core.models import check_text_lengths
from milestones.models import ChecklistLine
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_admin_text_field_has_a_maximum_length():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_superuser=True, is_staff=True, role=UserRole.COORDINATOR)
    unbounded = []
    for model, model_admin in admin.site._registry.items():
        text_fields = {f.name for f in model._meta.fields if isinstance(f, models.TextField)}
        if not text_fields or not model_admin.has_change_permission(request):
            continue
        form = model_admin.get_form(request)
        for name in text_fields & set(form.base_fields):
            if not form.base_fields[name].max_length:
                unbounded.append(f"{model._meta.label}.{name}")

    assert unbounded == []


def test_a_checklist_note_past_its_length_is_refused_by_the_service_check():
    line = ChecklistLine(note="字" * 2001)

    with pytest.raises(ValidationError) as refused:
        check_text_lengths(line)

    assert "note" in refused.value.message_dict


def test_text_within_its_length_passes():
    check_text_lengths(ChecklistLine(note="字" * 2000, return_reason=""))
