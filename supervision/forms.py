from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.models import Department, Region
from tasks.models import Assignment, Plan

from .models import TEXT_MAX_LENGTH, ReminderState

REMINDER_DAYS_TO_REPLY = 7
MAX_CHASED = 500  # shares one reminder page may list


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


def parse_ids(value: str | None) -> list[int]:
    """`1,2,3` -> [1, 2, 3]; anything that is not a number is ignored."""
    ids = []
    for part in (value or "").split(","):
        part = part.strip()
        if part.isdigit():
            ids.append(int(part))
    return list(dict.fromkeys(ids))[:MAX_CHASED]


class DepartmentPickForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("被催办单位"),
        queryset=Department.objects.concrete().order_by("order", "short_name"),
        empty_label=_("请选择单位"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ReminderForm(forms.Form):
    """A reminder about some shares; the page lists the candidates, the form checks the choice."""

    assignments = forms.ModelMultipleChoiceField(
        label=_("催办事项"),
        queryset=Assignment.objects.active().select_related("task", "department"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一项催办事项。")},
    )
    message = forms.CharField(
        label=_("催办内容"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        initial=_("请抓紧推进以下工作任务，及时报送进展情况，并于回复期限前书面回复。"),
    )
    reply_by = forms.DateField(
        label=_("回复期限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply_by"].initial = timezone.localdate() + timedelta(
            days=REMINDER_DAYS_TO_REPLY
        )
        self.fields["reply_by"].widget.attrs["min"] = timezone.localdate().isoformat()
        _style(self)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("回复"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ReminderFilterForm(forms.Form):
    STATES = [("", _("全部状态")), *ReminderState.choices, ("overdue", _("逾期未回复"))]

    state = forms.ChoiceField(label=_("状态"), choices=STATES, required=False)
    department = forms.ModelChoiceField(
        label=_("单位"),
        queryset=Department.objects.concrete().order_by("order", "short_name"),
        required=False,
        empty_label=_("全部单位"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("重新打开理由"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _places():
    today = timezone.localdate()
    return (
        Region.objects.filter(
            kind__in=[*Region.COUNTY_LEVEL_KINDS, Region.Kind.TOWN, Region.Kind.TOWNSHIP]
        )
        .valid_in(today.year)
        .select_related("parent")
        .order_by("code")
    )


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name}{obj.name}" if obj.is_town else obj.name


class PlacesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name}{obj.name}" if obj.is_town else obj.name


class InspectionForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("实施方案"), queryset=Plan.objects.order_by("-issued_on"))
    inspected_on = forms.DateField(
        label=_("督查日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    inspectors = forms.CharField(
        label=_("督查人员"),
        max_length=300,
        help_text=_("参加督查人员的姓名，用顿号分隔，如“张三、李四”。"),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("督查单位"),
        queryset=Department.objects.concrete().order_by("order", "short_name"),
        required=False,
        help_text=_("可多选（按住 Ctrl 键）。"),
    )
    regions = PlacesChoiceField(
        label=_("督查县(区)、乡镇"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("可多选（按住 Ctrl 键）。"),
    )
    summary = forms.CharField(
        label=_("督查情况"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = _places()
        self.fields["inspected_on"].initial = timezone.localdate()
        self.fields["inspected_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        plans = list(self.fields["plan"].queryset[:2])
        if len(plans) == 1:
            self.fields["plan"].initial = plans[0].pk
            self.fields["plan"].widget = forms.HiddenInput()
        for name in ("departments", "regions"):
            self.fields[name].widget.attrs["size"] = 8
        _style(self)


class FindingForm(forms.Form):
    text = forms.CharField(
        label=_("发现的问题及整改要求"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    department = forms.ModelChoiceField(
        label=_("整改单位"),
        queryset=Department.objects.concrete().order_by("order", "short_name"),
        empty_label=_("请选择"),
    )
    region = PlaceChoiceField(
        label=_("所在县(区)或乡镇"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("（可不选）"),
    )
    deadline = forms.DateField(
        label=_("整改时限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _places()
        _style(self)


# Rows left empty are skipped: an inspection may record fewer findings, or none, and
# more can be added on its page afterwards.
FindingFormSet = forms.formset_factory(FindingForm, extra=3, max_num=30, validate_max=True)
