from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.models import Department

from .models import LineState, Milestone


class LineReportForm(forms.Form):
    """A county reports one checklist line done (报完成)."""

    completed_on = forms.DateField(
        label=_("完成日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(label=_("佐证材料"), required=False)

    def __init__(self, *args, line=None, **kwargs):
        prefix = f"line{line.pk}" if line is not None else None
        initial = kwargs.pop("initial", None) or {}
        if line is not None:
            initial.setdefault("completed_on", line.completed_on)
            initial.setdefault("note", line.note)
        super().__init__(*args, prefix=prefix, initial=initial, **kwargs)
        self.fields["completed_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["file"].help_text = _(
            "可选：PDF、Word、Excel或图片(JPG/PNG)，不超过%(mb)d MB。"
        ) % {"mb": settings.EVIDENCE_MAX_BYTES // 2**20}
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")


class LineReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, line=None, **kwargs):
        super().__init__(*args, prefix=f"line{line.pk}" if line is not None else None, **kwargs)
        self.fields["reason"].widget.attrs["class"] = "form-control form-control-sm"


class ChecklistFilterForm(forms.Form):
    milestone = forms.ModelChoiceField(
        label=_("时间节点"),
        queryset=Milestone.objects.order_by("due_date", "order"),
        required=False,
        empty_label=_("全部时间节点"),
    )
    department = forms.ModelChoiceField(
        label=_("县(区)"),
        queryset=Department.objects.filter(kind=Department.Kind.COUNTY_GOVERNMENT).order_by(
            "order", "short_name"
        ),
        required=False,
        empty_label=_("全部县(区)"),
    )
    state = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *LineState.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
