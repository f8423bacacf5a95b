from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NARRATIVE_MAX_LENGTH


class NarrativeForm(forms.Form):
    overview = forms.CharField(
        label=_("总体情况"),
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
        help_text=_("写在“一、总体情况”的数据之后。每段一行。"),
    )
    problems = forms.CharField(
        label=_("存在的主要问题"),
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
    )
    next_steps = forms.CharField(
        label=_("下半年工作打算"),
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
    )
    narrative_version = forms.IntegerField(widget=forms.HiddenInput)
