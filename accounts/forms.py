"""Forms for accounts."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .services import CSV_MAX_ROWS

# Far more than CSV_MAX_ROWS lines of four short columns could ever need.
CSV_MAX_BYTES = 512 * 1024


class AccountsImportForm(forms.Form):
    """Upload of a CSV file of accounts (see accounts.services.accounts_import_csv)."""

    file = forms.FileField(
        label=_("CSV 文件"),
        validators=[FileExtensionValidator(["csv"], message=_("请上传扩展名为 .csv 的文件。"))],
        help_text=format_lazy(
            _("UTF-8 编码（Excel：另存为“CSV UTF-8”），首行为表头，最多 {max} 个账号。"),
            max=CSV_MAX_ROWS,
        ),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > CSV_MAX_BYTES:
            raise forms.ValidationError(
                _("文件过大（%(size)d KB），最大 %(max)d KB。")
                % {"size": file.size // 1024, "max": CSV_MAX_BYTES // 1024}
            )
        return file
