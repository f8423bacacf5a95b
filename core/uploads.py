"""Uploaded files: refused while they stream in, checked by what they contain, stored with their row.

- `LimitedUploadHandler` (first in FILE_UPLOAD_HANDLERS) refuses a request
  whose file is larger than EVIDENCE_MAX_BYTES as it arrives: from its
  Content-Length before a byte is read, else as soon as the file passes the
  limit. The rest of the body is not read. It raises Django's
  `RequestDataTooBig`, which the API answers with a JSON 413
  (core.api.exception_handler) and a page with a Chinese 413 page
  (core.views.bad_request).
- `office_check` opens a .docx/.xlsx as the zip it must be and refuses one
  without Word's or Excel's parts, or one that expands too far (a zip bomb):
  it decompresses in chunks and stops at the limit, so the declared sizes in
  the archive cannot lie their way past it.
- `store_with_row` writes a file to storage for a row being saved in the same
  transaction: the file is deleted again if anything in that block raises, and
  when the transaction (or savepoint) is rolled back later on.
"""

import logging
import weakref
import zipfile
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.db import transaction
from django.utils.translation import gettext as _

log = logging.getLogger("yangquan.uploads")

# The other fields of a multipart form (a report's texts) may take this much
# beside the file before the Content-Length alone refuses the request.
FORM_FIELDS_ALLOWANCE = 2 * 1024 * 1024

OFFICE_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
OFFICE_MAX_COMPRESSION_RATIO = 100
OFFICE_MAX_ENTRIES = 5000
OFFICE_REQUIRED_PARTS = {
    "docx": ("[Content_Types].xml", "word/document.xml"),
    "xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
}
_CHUNK = 64 * 1024


def upload_max_bytes() -> int:
    return int(settings.EVIDENCE_MAX_BYTES)


def size_text(size: int) -> str:
    """A size as people write it: 10 MB, 512 KB."""
    if size >= 2**20:
        return f"{size / 2**20:.0f} MB"
    return f"{max(size // 1024, 1)} KB"


def too_large_message(limit: int | None = None) -> str:
    limit = upload_max_bytes() if limit is None else limit
    return _("文件过大，单个文件不能超过%(size)s，请压缩或拆分后再上传。") % {
        "size": size_text(limit)
    }


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading a multipart body once a file in it passes EVIDENCE_MAX_BYTES."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        limit = upload_max_bytes()
        if content_length and content_length > limit + FORM_FIELDS_ALLOWANCE:
            self._refuse(limit, content_length)
        return None  # let the other handlers parse the body

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received = start + len(raw_data)
        limit = upload_max_bytes()
        if self.received > limit:
            self._refuse(limit, self.received)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file

    def _refuse(self, limit: int, seen: int):
        log.warning(
            "upload refused: too large path=%s bytes_seen=%d limit=%d",
            getattr(self.request, "path", "-"),
            seen,
            limit,
        )
        raise RequestDataTooBig(too_large_message(limit))


def office_check(upload, extension: str) -> None:
    """Refuse a .docx/.xlsx that is not one, or that expands too far. Other types: no-op."""
    required = OFFICE_REQUIRED_PARTS.get(extension)
    if required is None:
        return
    label = _("Word 文档（.docx）") if extension == "docx" else _("Excel 表格（.xlsx）")
    not_office = ValidationError(
        {
            "file": _("文件不是有效的%(label)s：请用 Office 打开后另存为该格式再上传。")
            % {"label": label}
        }
    )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if len(entries) > OFFICE_MAX_ENTRIES or not set(required) <= names:
                raise not_office
            _check_expansion(archive, entries, compressed=upload.size, label=label)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        raise not_office from None
    except RuntimeError:  # an encrypted entry
        raise not_office from None
    finally:
        upload.seek(0)


def _check_expansion(archive: zipfile.ZipFile, entries, *, compressed: int, label: str) -> None:
    """Decompress every entry in chunks, stopping once the total passes the limits."""
    limit = min(OFFICE_MAX_UNCOMPRESSED_BYTES, max(compressed, 1) * OFFICE_MAX_COMPRESSION_RATIO)
    expanded = 0
    for entry in entries:
        if entry.is_dir():
            continue
        with archive.open(entry) as member:
            while chunk := member.read(_CHUNK):
                expanded += len(chunk)
                if expanded > limit:
                    log.warning(
                        "upload refused: archive expands past %d bytes (compressed %d)",
                        limit,
                        compressed,
                    )
                    raise ValidationError(
                        {
                            "file": _("该%(label)s解压后过大，疑似异常文件（压缩炸弹），已拒绝。")
                            % {"label": label}
                        }
                    )


def _delete_unless_committed(storage, name: str, state: dict) -> None:
    if state["committed"]:
        return
    try:
        storage.delete(name)
        log.info("stored file removed: its transaction was rolled back name=%s", name)
    except Exception:  # cleanup must never mask the error that caused the rollback
        log.exception("could not remove file of a rolled-back transaction name=%s", name)


class _CommitMarker:
    """Sits in the connection's on-commit list: called on commit, dropped on rollback."""

    def __init__(self, state: dict):
        self.state = state

    def __call__(self):
        self.state["committed"] = True


@contextmanager
def store_with_row(storage, name: str, content, *, using=None):
    """Write `content` as `name` (or a free variant of it) for a row saved inside the block.

    Yields the stored name. The file is deleted if the block raises, and when
    the surrounding transaction or savepoint is rolled back afterwards: Django
    drops the on-commit callbacks of a rolled-back block, and dropping ours
    deletes the file (CPython frees it at once). A file that still outlives its
    row (a killed process) is removed by the daily orphan job
    (reports.services.evidence_orphans_remove).
    """
    stored = storage.save(name, content)
    try:
        yield stored
    except BaseException:
        storage.delete(stored)
        raise
    state = {"committed": False}
    marker = _CommitMarker(state)
    weakref.finalize(marker, _delete_unless_committed, storage, stored, state)
    transaction.on_commit(marker, using=using)
