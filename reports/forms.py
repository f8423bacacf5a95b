from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import ProgressReport


class ProgressReportForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    file = forms.FileField(
        label=_("佐证材料"),
        required=False,
    )

    class Meta:
        model = ProgressReport
        fields = ["status", "percent", "progress", "problems", "next_steps"]
        widgets = {
            "percent": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "progress": forms.Textarea(attrs={"rows": 4}),
            "problems": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF、Word、Excel或图片(JPG/PNG)，单个文件不超过%(mb)d MB。"
        ) % {"mb": settings.EVIDENCE_MAX_BYTES // 2**20}
        # The browser's own range check would hide our message; the server decides.
        self.fields["percent"].widget.attrs.pop("max", None)
        self.fields["percent"].widget.attrs.pop("min", None)
        for name, field in self.fields.items():
            css = "form-select" if name == "status" else "form-control"
            field.widget.attrs.setdefault("class", css)

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"

    def report_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
