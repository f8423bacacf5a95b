"""Reading a plan from a file or pasted text, and refusing what is not one.

Every bad file is generated in tmp_path by the test; nothing big is committed.
"""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from plan_import import readers
from plan_import.readers import CHUNK_BYTES, normalise_text, read_document

PLAN = "一、任务\n1.完善设施。改造服务大厅（县住建局负责）。"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


def refused(source, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        read_document(source, **kwargs)
    message = "".join(caught.value.messages)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), "message must be Chinese"
    return caught.value


class CountingReader(io.RawIOBase):
    """A file object that counts the bytes handed out (and has no `size`)."""

    def __init__(self, f):
        self.f, self.handed_out = f, 0

    def readable(self):
        return True

    def read(self, n=-1):
        data = self.f.read(n)
        self.handed_out += len(data)
        return data


def word_zip(path, entries: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


# --- good input ---------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_files_in_the_usual_encodings(tmp_path, encoding):
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN.encode(encoding))
    assert read_document(path) == PLAN


def test_gb18030_text_that_is_not_valid_utf8_is_decoded_as_gb18030(tmp_path):
    data = PLAN.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    path = tmp_path / "plan.TXT"
    path.write_bytes(data)
    assert read_document(path) == PLAN


def test_uploaded_file_is_read_by_its_own_name():
    upload = SimpleUploadedFile("方案.txt", PLAN.encode("utf-8"))
    assert read_document(upload) == PLAN


def test_docx_paragraphs_become_lines(tmp_path):
    import docx

    document = docx.Document()
    for line in PLAN.split("\n"):
        document.add_paragraph("\u3000\u3000" + line)
    path = tmp_path / "plan.docx"
    document.save(path)
    assert read_document(path) == PLAN


def test_pasted_text_is_normalised():
    pasted = (
        "\ufeff  一、任务\r\n\r\n\u3000\u30001.完善设施。\xa0改造服务大厅（县住建局负责）。  \r\n"
    )
    assert normalise_text(pasted) == "一、任务\n1.完善设施。\xa0改造服务大厅（县住建局负责）。"


# --- bad input --------------------------------------------------------------------------------
def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(b"")
    assert refused(path).code == "empty"


def test_file_of_blank_lines_is_refused(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(" \r\n\u3000\n".encode())
    assert refused(path).code == "empty"


def test_empty_pasted_text_is_refused():
    with pytest.raises(ValidationError):
        normalise_text("\n \u3000 \n")


def test_png_named_txt_is_refused(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(PNG)
    error = refused(path)
    assert error.code == "binary"
    assert "PNG" in error.messages[0]


def test_pdf_named_txt_is_refused(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert refused(path).code == "binary"


def test_text_that_decodes_but_is_mostly_control_characters_is_refused(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(bytes(range(1, 9)) * 200 + "任务".encode())
    assert refused(path).code == "binary"


def test_undecodable_bytes_are_refused(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(b"\xff\xff\xfe\x80" * 50)
    assert refused(path).code in ("encoding", "binary")


@pytest.mark.parametrize("name", ["plan.pdf", "plan.doc", "plan", "plan.xlsx"])
def test_unsupported_extension_is_refused(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(PLAN.encode())
    assert refused(path).code == "unsupported_type"


def test_docx_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(PLAN.encode())
    assert refused(path).code == "not_docx"


def test_truncated_zip_named_docx_is_refused(tmp_path):
    good = word_zip(tmp_path / "good.zip", {"[Content_Types].xml": b"x", "word/document.xml": b"y"})
    path = tmp_path / "plan.docx"
    path.write_bytes(good.read_bytes()[:30])
    assert refused(path).code == "not_docx"


def test_zip_without_words_parts_named_docx_is_refused(tmp_path):
    path = word_zip(tmp_path / "plan.docx", {"plan.txt": PLAN.encode()})
    assert refused(path).code == "not_docx"


def test_zip_with_words_parts_but_broken_xml_is_refused(tmp_path):
    path = word_zip(
        tmp_path / "plan.docx",
        {"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"},
    )
    assert refused(path).code == "unreadable_docx"


def test_zip_bomb_named_docx_is_refused_by_its_compression_ratio(tmp_path):
    zeros = b"\x00" * (20 * 1024 * 1024)
    path = word_zip(
        tmp_path / "plan.docx",
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": zeros},
    )
    assert path.stat().st_size < 100 * 1024
    assert refused(path).code == "too_large"


def test_docx_expanding_past_the_size_limit_is_refused(tmp_path, monkeypatch):
    # Stored (not compressed), so only the absolute limit can refuse it.
    monkeypatch.setattr(readers, "DOCX_MAX_UNCOMPRESSED_BYTES", 1024)
    path = word_zip(
        tmp_path / "plan.docx",
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>" * 1000},
        compression=zipfile.ZIP_STORED,
    )
    assert refused(path).code == "too_large"


def test_file_over_the_limit_is_refused_without_being_read(tmp_path):
    path = tmp_path / "plan.txt"
    with open(path, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    with open(path, "rb") as f:
        counting = CountingReader(f)
        assert refused(counting, name="plan.txt").code == "too_large"
    assert readers.max_bytes() == readers.DEFAULT_MAX_BYTES == 5 * 1024 * 1024
    assert counting.handed_out <= readers.max_bytes() + CHUNK_BYTES
    assert refused(path).code == "too_large"  # by path: refused on its size alone


def test_size_limit_comes_from_settings(tmp_path, settings):
    settings.PLAN_IMPORT_MAX_BYTES = 10
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN.encode())
    with open(path, "rb") as f:
        counting = CountingReader(f)
        assert refused(counting, name="plan.txt").code == "too_large"
    assert counting.handed_out == 11
    with pytest.raises(ValidationError):
        normalise_text(PLAN)


def test_uploaded_file_over_the_limit_is_refused_by_its_size(settings):
    settings.PLAN_IMPORT_MAX_BYTES = 10
    upload = SimpleUploadedFile("plan.txt", PLAN.encode())
    assert refused(upload).code == "too_large"
