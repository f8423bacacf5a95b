"""Evidence uploads: refused as they stream in, Office files checked by their parts, files stored
only with their rows, and the daily job that removes files without one."""

import io
import logging
import os
import time
import zipfile
from http import HTTPStatus

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.validators import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from reports import services
from reports.models import Evidence
from reports.tasks import evidence_orphans_remove_task

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def stored_files(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


# --- Refused as it streams in ------------------------------------------------------------------


class CountingBody:
    """A multipart body of `size` bytes made as it is read; counts what the server read."""

    BOUNDARY = "----yqboundary"

    def __init__(self, size: int):
        head = (
            f'--{self.BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n'
        ).encode()
        tail = f"\r\n--{self.BOUNDARY}--\r\n".encode()
        self.parts = [head, None, tail]
        self.filler = size - len(head) - len(tail)
        self.length = size
        self.read_bytes = 0
        self.position = 0

    def _byte_at(self, start: int, count: int) -> bytes:
        out = bytearray()
        head, _, tail = self.parts
        end = min(start + count, self.length)
        while start < end:
            if start < len(head):
                piece = head[start : min(end, len(head))]
            elif start < len(head) + self.filler:
                piece = b"0" * (min(end, len(head) + self.filler) - start)
            else:
                offset = start - len(head) - self.filler
                piece = tail[offset : offset + (end - start)]
            out += piece
            start += len(piece)
        return bytes(out)

    def read(self, size=-1):
        if size is None or size < 0:
            size = self.length - self.position
        data = self._byte_at(self.position, size)
        self.position += len(data)
        self.read_bytes += len(data)
        return data

    def readline(self, size=-1):
        return self.read(size if size and size > 0 else 64 * 1024)


@pytest.fixture
def _test_transaction_kept():
    """The WSGI handler closes "old" connections when a request finishes; inside a test's
    transaction that would close the test's own connection (PostgreSQL). Django's test
    client disconnects the same signal handlers."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def post_through_wsgi(path: str, body: CountingBody, token: str):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "wsgi.errors": io.StringIO(),
        "CONTENT_TYPE": f"multipart/form-data; boundary={CountingBody.BOUNDARY}",
        "CONTENT_LENGTH": str(body.length),
        "HTTP_AUTHORIZATION": f"Token {token}",
        "HTTP_HOST": "testserver",
    }
    status = []
    chunks = WSGIHandler()(environ, lambda s, headers: status.append(s))
    return int(status[0].split()[0]), b"".join(chunks)


@pytest.fixture
def draft(assignment, make_report, member):
    return make_report(assignment, by=member)


@pytest.fixture
def member_token(member, _test_transaction_kept):
    return Token.objects.create(user=member).key


def test_a_50_mb_upload_is_refused_before_its_body_is_read(draft, member_token, media_root):
    body = CountingBody(50 * MB)

    status, content = post_through_wsgi(
        f"/api/v1/progress-reports/{draft.pk}/evidence/", body, member_token
    )

    assert status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "文件过大" in content.decode()
    assert body.read_bytes == 0  # refused from its Content-Length
    assert stored_files(media_root) == []


def test_an_upload_stops_being_read_once_the_file_passes_the_limit(
    draft, member_token, media_root, settings
):
    """Within the Content-Length allowance, the file itself is cut off as it streams in."""
    settings.EVIDENCE_MAX_BYTES = 1 * MB
    body = CountingBody(int(2.5 * MB))

    status, content = post_through_wsgi(
        f"/api/v1/progress-reports/{draft.pk}/evidence/", body, member_token
    )

    assert status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert content.startswith(b"{") and b"too_large" in content
    # Read up to the limit and at most a couple of parser chunks past it, not the 2.5 MB.
    assert body.read_bytes < settings.EVIDENCE_MAX_BYTES + 256 * 1024
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


# --- Office files by what they contain --------------------------------------------------------


def real_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("乡镇政府服务能力建设工作总结")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def real_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "乡镇"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", "just a zip")
    return buffer.getvalue()


def zip_bomb(parts: tuple[str, ...] = ("[Content_Types].xml", "word/document.xml")) -> bytes:
    """Word's parts, plus one member that expands 60 MB from a few dozen KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in parts:
            archive.writestr(part, "<x/>")
        with archive.open("word/media/zeros.bin", "w") as member:
            chunk = b"\0" * MB
            for _ in range(60):
                member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [("总结.docx", real_docx), ("统计表.xlsx", real_xlsx)],
    ids=["docx", "xlsx"],
)
def test_real_office_files_are_accepted(draft, member, name, content, media_root):
    evidence = services.evidence_add(
        report=draft, by=member, upload=SimpleUploadedFile(name, content())
    )

    assert evidence.pk and len(stored_files(media_root)) == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("总结.docx", plain_zip, "不是有效的Word"),
        ("统计表.xlsx", plain_zip, "不是有效的Excel"),
        ("统计表.xlsx", real_docx, "不符"),  # a Word file named .xlsx: the sniffer tells
        ("总结.docx", zip_bomb, "压缩炸弹"),
    ],
    ids=["zip-as-docx", "zip-as-xlsx", "docx-as-xlsx", "zip-bomb"],
)
def test_office_files_without_their_parts_or_that_expand_too_far_are_refused(
    draft, member, name, content, message, media_root
):
    data = content()

    with pytest.raises(ValidationError) as refused:
        services.evidence_add(report=draft, by=member, upload=SimpleUploadedFile(name, data))

    assert message in " ".join(refused.value.message_dict["file"])
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


def test_the_zip_bomb_is_small_on_disk_and_huge_inside():
    data = zip_bomb()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        expanded = sum(i.file_size for i in archive.infolist())

    assert len(data) < 1 * MB and expanded > 50 * MB


# --- Files stored with their rows --------------------------------------------------------------


def test_a_row_that_fails_to_save_leaves_no_file(draft, member, media_root, monkeypatch):
    def fail(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Evidence, "save", fail)

    with pytest.raises(RuntimeError):
        services.evidence_add(report=draft, by=member, upload=pdf_upload())

    assert stored_files(media_root) == []


def test_a_transaction_rolled_back_after_the_upload_leaves_no_file(draft, member, media_root):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        services.evidence_add(report=draft, by=member, upload=pdf_upload())
        assert len(stored_files(media_root)) == 1  # written inside the transaction
        raise ZeroDivisionError  # something after the upload fails: the whole save is undone

    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


def test_a_refused_submit_after_the_upload_leaves_no_file(assignment, member, media_root):
    """The report page's one use case: text, file and submit, all or nothing."""
    with pytest.raises(ValidationError):
        services.report_save(
            assignment=assignment,
            by=member,
            fields={"status": "in_progress", "percent": 10, "progress": ""},
            upload=pdf_upload(),
            submit=True,
        )

    assert stored_files(media_root) == []


def test_a_committed_upload_keeps_its_file(
    draft, member, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.evidence_add(report=draft, by=member, upload=pdf_upload())

    assert [p.name for p in stored_files(media_root)] == [os.path.basename(evidence.file.name)]


# --- The daily job ------------------------------------------------------------------------------


def _age(path, seconds: int) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_orphan_job_removes_old_files_without_a_row_and_keeps_the_rest(
    draft, member, media_root, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kept = services.evidence_add(report=draft, by=member, upload=pdf_upload())
    kept_path = media_root / kept.file.name
    orphan = media_root / "evidence" / "999" / "deadbeefdeadbeef.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF-1.4 left by a killed worker")
    fresh = media_root / "evidence" / "999" / "0123456789abcdef.pdf"
    fresh.write_bytes(b"%PDF-1.4 its transaction may still be running")
    for path in (kept_path, orphan):
        _age(path, 2 * 3600)

    with caplog.at_level(logging.INFO, logger="yangquan.evidence"):
        removed = services.evidence_orphans_remove()

    assert removed == ["evidence/999/deadbeefdeadbeef.pdf"]
    assert not orphan.exists()
    assert kept_path.exists() and fresh.exists()
    assert (
        "evidence file without a row removed name=evidence/999/deadbeefdeadbeef.pdf" in caplog.text
    )


def test_orphan_job_is_a_celery_task_that_calls_the_service(media_root):
    orphan = media_root / "evidence" / "1" / "aaaaaaaaaaaaaaaa.png"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"\x89PNG")
    _age(orphan, 2 * 3600)

    assert evidence_orphans_remove_task.delay().get() == 1
    assert not orphan.exists()


def test_orphan_job_is_scheduled_daily(settings):
    entry = settings.CELERY_BEAT_DEFAULTS["reports.evidence_orphans"]

    assert entry["task"] == "reports.tasks.evidence_orphans_remove_task"
    assert entry["crontab"] == "30 3 * * *"
    assert evidence_orphans_remove_task.name == entry["task"]


def test_a_file_without_an_extension_is_named_by_its_content(draft, member):
    evidence = services.evidence_add(report=draft, by=member, upload=pdf_upload("file"))

    assert (evidence.extension, evidence.original_name) == ("pdf", "file.pdf")


def test_unknown_bytes_without_an_extension_are_refused(draft, member):
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(
            report=draft, by=member, upload=SimpleUploadedFile("file", b"\x00\x01 not a document")
        )

    assert "不支持的文件类型" in " ".join(refused.value.message_dict["file"])
