"""Forms of the import pages: upload, the plan's particulars, and the review's small edits."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from tasks.models import Role

from .models import ImportedBody
from .names import DepartmentMatcher
from .readers import SUPPORTED_EXTENSIONS, read_document
from .readers import normalise_text as normalise

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _styled(form: forms.Form, *, small: bool = False) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select form-select-sm" if small else "form-select"
        else:
            css = "form-control form-control-sm" if small else "form-control"
        widget.attrs.setdefault("class", css)


def concrete_departments():
    return Department.objects.concrete().order_by("order", "short_name")


class ServiceErrorsMixin:
    def add_service_error(self, exc: ValidationError) -> None:
        """A service's refusal, on the fields it names (or above the form)."""
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, exc.messages)


class UploadForm(ServiceErrorsMixin, forms.Form):
    """A plan from a file (.txt/.docx) or pasted text, and what we know of it."""

    file = forms.FileField(
        label=_("方案文件"),
        required=False,
        allow_empty_file=True,  # the reader says why an empty file cannot be imported
        help_text=_(".txt（UTF-8 或 GB18030）或 .docx，不超过 5 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUPPORTED_EXTENSIONS)}),
    )
    text = forms.CharField(
        label=_("或粘贴方案全文"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    title = forms.CharField(
        label=_("方案标题"),
        max_length=200,
        required=False,
        help_text=_("留空则从原文中识别。"),
    )
    issued_on = forms.DateField(
        label=_("印发日期"), required=False, widget=DATE, help_text=_("留空则从原文中识别。")
    )
    coordinator = forms.ModelChoiceField(
        label=_("牵头协调单位"),
        queryset=concrete_departments(),
        required=False,
        help_text=_("留空则为发布人所在单位。"),
    )
    issuers = forms.ModelMultipleChoiceField(
        label=_("印发单位"),
        queryset=concrete_departments(),
        required=False,
        help_text=_("可多选（电脑上按住 Ctrl 点选）；留空则从原文落款中识别。"),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean(self):
        data = super().clean()
        upload, pasted = data.get("file"), data.get("text", "")
        if upload and pasted.strip():
            raise ValidationError(_("请只选择一种方式：上传文件，或粘贴全文。"))
        if not upload and not pasted.strip():
            if "file" in self.errors:
                return data  # the file field has said why already
            raise ValidationError(_("请上传方案文件，或粘贴方案全文。"))
        try:
            if upload:
                data["source_text"] = read_document(upload)
                data["source_name"] = upload.name
            else:
                data["source_text"] = normalise(pasted)
                data["source_name"] = _("粘贴的文本")
        except ValidationError as error:
            self.add_error("file" if upload else "text", error)
        return data


class ImportForm(ServiceErrorsMixin, forms.Form):
    """The particulars the plan will be published with."""

    title = forms.CharField(label=_("方案标题"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=60, required=False)
    slug = forms.SlugField(
        label=_("方案标识"),
        max_length=60,
        required=False,
        help_text=_("用于网址，如 plan-2019-county；留空自动生成。"),
    )
    issued_on = forms.DateField(label=_("印发日期"), required=False, widget=DATE)
    starts_on = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("截止日期"), required=False, widget=DATE)
    coordinator = forms.ModelChoiceField(
        label=_("牵头协调单位"), queryset=concrete_departments(), required=False
    )
    issuers = forms.ModelMultipleChoiceField(
        label=_("印发单位"),
        queryset=concrete_departments(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )

    def __init__(self, *args, defaults=None, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)
        for name, value in (defaults or {}).items():
            self.fields[name].widget.attrs["placeholder"] = value
            self.fields[name].help_text = _("留空则为 %(value)s") % {"value": value}


class DepartmentNameField(forms.CharField):
    """A body typed by name (short name, full name or alias), as the page's list offers."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 120)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"list": "departments", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        department = DepartmentMatcher().match(value)
        if department is None:
            raise ValidationError(
                _("单位表中没有“%(name)s”。请从列表中选择；确属新单位的，请确认新建。")
                % {"name": value}
            )
        return department


class RowForm(ServiceErrorsMixin, forms.Form):
    """A small form of the review page; `form_id` ties its fields (spread over table
    cells) to the <form> element that submits them."""

    def __init__(self, *args, form_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self, small=True)
        if form_id:
            for field in self.fields.values():
                field.widget.attrs["form"] = form_id


class BodyForm(RowForm):
    role = forms.ChoiceField(label=_("分工"), choices=Role.choices)
    department = DepartmentNameField(label=_("对应单位"), required=False)
    everywhere = forms.BooleanField(label=_("同样写法一并修改"), required=False)


class NewBodyForm(RowForm):
    short_name = forms.CharField(label=_("新单位简称"), max_length=50)
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[(k.value, k.label) for k in ImportedBody.NEW_KINDS],
    )
    everywhere = forms.BooleanField(label=_("同样写法一并确认"), required=False, initial=True)


class AddBodyForm(RowForm):
    name = forms.CharField(label=_("单位"), max_length=60)
    role = forms.ChoiceField(label=_("分工"), choices=Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update(
            {"list": "departments", "autocomplete": "off", "placeholder": _("单位名称")}
        )


class TitleForm(RowForm):
    title = forms.CharField(label=_("标题"), max_length=200)


class SplitForm(RowForm):
    """Where to split: one of the sentence ends the page offers (any offset is accepted)."""

    at = forms.IntegerField(label=_("拆分位置"), min_value=1)

    def __init__(self, *args, points=(), **kwargs):
        super().__init__(*args, **kwargs)
        if points:
            attrs = dict(self.fields["at"].widget.attrs, **{"class": "form-select form-select-sm"})
            self.fields["at"].widget = forms.Select(choices=list(points), attrs=attrs)
