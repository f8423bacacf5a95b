from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.uploads import too_large_message
from departments.models import Department

from . import selectors
from .lights import Light
from .models import ProgressReport


class ProgressReportForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    file = forms.FileField(label=_("佐证材料"), required=False)

    class Meta:
        model = ProgressReport
        fields = ["status", "percent", "progress", "problems", "next_steps"]
        widgets = {
            "percent": forms.NumberInput(attrs={"step": 1, "inputmode": "numeric"}),
            "progress": forms.Textarea(attrs={"rows": 4}),
            "problems": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"progress": _("报送前必填：本期做了什么、取得什么成效。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF、Word、Excel或图片(JPG/PNG)，单个文件不超过%(mb)d MB。"
        ) % {"mb": settings.EVIDENCE_MAX_BYTES // 2**20}
        # static/js/upload-limit.js refuses a larger file before the form is sent.
        self.fields["file"].widget.attrs.update(
            {
                "data-max-bytes": settings.EVIDENCE_MAX_BYTES,
                "data-too-large": too_large_message(),
            }
        )
        # Values typed but not saved must not show as if saved: the page shows
        # the saved report from the database, the form the user's own input.
        for name, field in self.fields.items():
            css = "form-select" if name == "status" else "form-control"
            field.widget.attrs.setdefault("class", css)

    def _post_clean(self):
        # The service validates the whole report (with the period and the
        # state); the form only checks what a field alone can tell.
        pass

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"

    def add_service_error(self, exc) -> None:
        """A refusal from the service, on the fields it names (or above the form)."""
        if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        elif isinstance(exc, ValidationError):
            self.add_error(None, exc.messages)
        else:
            self.add_error(None, str(exc.message))

    def show_conflict(self, exc, *, current) -> None:
        """Someone saved first: say so, and let a second save be a choice made with both in view."""
        self.add_error(None, str(exc.message))
        if current is not None:
            self.data = self.data.copy()
            self.data["version"] = current.version

    def unsaved_report(self) -> ProgressReport:
        """The user's typed values as a report not saved anywhere (to show beside the saved one)."""
        return ProgressReport(**self.report_fields())

    def report_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AssignmentFilterForm(forms.Form):
    """Filters of a work item's list of shares (every body of a clause can be thousands)."""

    q = forms.CharField(label=_("单位"), required=False, max_length=50)
    light = forms.ChoiceField(
        label=_("状态灯"), required=False, choices=[("", _("全部"))] + Light.choices
    )
    state = forms.ChoiceField(
        label=_("填报状态"),
        required=False,
        choices=[("", _("全部")), ("none", _("未填报"))] + ProgressReport.State.choices,
    )
    kind = forms.ChoiceField(
        label=_("单位类型"), required=False, choices=[("", _("全部"))] + Department.Kind.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-control form-control-sm" if name == "q" else "form-select form-select-sm"
            field.widget.attrs["class"] = css
        self.fields["q"].widget.attrs["placeholder"] = _("单位名称中的字")

    def apply(self, queryset, *, as_of=None):
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.filter(department__short_name__contains=data["q"])
        if data.get("light"):
            queryset = selectors.with_light(queryset, data["light"], as_of=as_of)
        if data.get("state") == "none":
            queryset = queryset.filter(report_state__isnull=True)
        elif data.get("state"):
            queryset = queryset.filter(report_state=data["state"])
        if data.get("kind"):
            queryset = queryset.filter(department__kind=data["kind"])
        return queryset
