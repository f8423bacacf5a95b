"""What an uploaded evidence file (佐证材料) must be, wherever it is attached.

Reports (reports.services.evidence_add) and checklist lines
(milestones.services.checklist_line_report_done) accept the same files: PDF,
Word, Excel or an image, judged by their bytes as well as their name, within
EVIDENCE_MAX_BYTES. The check lives here so that both apply one rule.
"""

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.uploads import office_check

# Extension as named by the user -> what the content must turn out to be.
EVIDENCE_TYPES = {
    "pdf": {"pdf"},
    "doc": {"doc", "xls", "ppt"},  # OLE2 files: the sniffer cannot tell them apart
    "docx": {"docx", "zip"},
    "xls": {"xls", "doc", "ppt"},
    "xlsx": {"xlsx", "zip"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "png": {"png"},
}


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # the user's file name, without any directory
    extension: str
    content_type: str
    size: int
    sha256: str


def _sniff(upload) -> tuple[str, str]:
    """(extension, mime) judged from the file's bytes, not its name."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return "", ""
    return kind.extension, kind.mime


# A file named without an extension: the extension its content calls for (OLE2 files,
# which may be .doc or .xls, need their name).
EXTENSION_OF_CONTENT = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "jpg": "jpg", "png": "png"}


def evidence_upload_check(upload) -> CheckedUpload:
    """Refuse (ValidationError on `file`) a file of the wrong type, size or content.

    A .docx/.xlsx must hold its Office parts and not expand too far (core.uploads).
    A file sent without an extension (an API client's blob) is named by its content.
    """
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    if not extension:
        extension = EXTENSION_OF_CONTENT.get(_sniff(upload)[0], "")
        name = f"{name or 'file'}.{extension}" if extension else name
    if extension not in EVIDENCE_TYPES:
        raise ValidationError(
            {
                "file": _("不支持的文件类型“%(ext)s”，只能上传PDF、Word、Excel或图片(JPG/PNG)。")
                % {"ext": extension or _("无扩展名")}
            }
        )
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("文件过大（%(size).1f MB），不能超过%(max).0f MB。")
                % {"size": upload.size / 2**20, "max": settings.EVIDENCE_MAX_BYTES / 2**20}
            }
        )
    sniffed, mime = _sniff(upload)
    if sniffed not in EVIDENCE_TYPES[extension]:
        raise ValidationError(
            {
                "file": _("文件内容与扩展名“%(ext)s”不符，请上传真实的PDF、Word、Excel或图片文件。")
                % {"ext": extension}
            }
        )
    office_check(upload, extension)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        name=name[:200],
        extension=extension,
        content_type=mime,
        size=upload.size,
        sha256=digest.hexdigest(),
    )
