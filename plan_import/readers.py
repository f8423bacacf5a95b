"""The text of a plan, from a file (.txt, .docx) or from pasted text.

Every reader either returns the whole text or raises a `ValidationError` with a
message a clerk can act on; it never returns part of a document. Files are read
in chunks and refused as soon as they pass the size limit, so a huge upload is
never read (or decompressed) in full.
"""

import contextlib
import io
import unicodedata
import zipfile
from os import PathLike
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DOCX_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
DOCX_MAX_COMPRESSION_RATIO = 100
CHUNK_BYTES = 64 * 1024
SUPPORTED_EXTENSIONS = (".txt", ".docx")
# More control characters than this share of the text means it is not a document.
MAX_CONTROL_SHARE = 0.05

# Signatures of files people upload by mistake, and what to call them.
BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"%PDF-", "PDF 文件"),
    (b"PK\x03\x04", "压缩包或 Office 文档"),
    (b"PK\x05\x06", "压缩包"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文档（.doc/.xls）"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
)
ZERO_WIDTH = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"))
LINE_BREAKS = str.maketrans(
    {"\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}
)


def max_bytes() -> int:
    """The largest file (or pasted text, in UTF-8 bytes) the importer accepts."""
    return int(getattr(settings, "PLAN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def read_document(source, *, name: str | None = None, limit: int | None = None) -> str:
    """The normalised text of a plan document.

    `source` is a path (str or Path), a Django `UploadedFile`, or any binary file
    object with `read(n)`; `name` overrides the file name used to pick the format
    (an uploaded file's own name otherwise). `limit` overrides
    `settings.PLAN_IMPORT_MAX_BYTES`. Raises `ValidationError` for anything that
    is not a readable .txt or .docx plan.
    """
    limit = max_bytes() if limit is None else limit
    name = name or getattr(source, "name", None) or (str(source) if _is_path(source) else "")
    extension = Path(name).suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        hint = _("旧版 .doc 文件请在 Word 中另存为 .docx。") if extension == ".doc" else ""
        raise ValidationError(
            _("不支持的文件类型“%(ext)s”，请上传 .txt 或 .docx 文件。%(hint)s")
            % {"ext": extension or _("无扩展名"), "hint": hint},
            code="unsupported_type",
        )
    data = _read_bounded(source, limit)
    if extension == ".docx":
        return docx_text(data)
    return decode_text(data)


def decode_text(data: bytes) -> str:
    """Decode a plain-text file: UTF-8 (with or without BOM), else GB18030.

    UTF-16 with a byte order mark (what Windows Notepad calls "Unicode") is
    accepted too, since it is otherwise mistaken for a binary file.
    """
    if not data:
        raise ValidationError(_("文件是空的，没有可导入的内容。"), code="empty")
    kind = _binary_kind(data)
    if kind:
        raise ValidationError(
            _("文件内容不是文本（看起来是%(kind)s），请上传 .txt 或 .docx 格式的方案全文。")
            % {"kind": kind},
            code="binary",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return normalise_text(data.decode("utf-16"))
        except UnicodeDecodeError:
            pass
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)  # strict: a wrong guess fails, it does not garble
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text:
        raise ValidationError(
            _(
                "无法识别文件的文字编码，或文件不是文本。请将方案另存为 UTF-8 或 GB18030（GBK）编码的 .txt 文件。"
            ),
            code="encoding",
        )
    return normalise_text(text)


def docx_text(data: bytes) -> str:
    """The paragraphs of a Word (.docx) document, one per line, with their list numbers.

    Checks that the file is a zip holding Word's parts before python-docx sees
    it, and refuses archives that would expand past
    DOCX_MAX_UNCOMPRESSED_BYTES or DOCX_MAX_COMPRESSION_RATIO (zip bombs). The
    sizes checked are the archive's declared sizes; zipfile stops at the
    declared size and fails the CRC check if an entry lies about it.
    """
    not_word = ValidationError(
        _("该文件不是有效的 Word 文档（.docx）。请用 Word 打开后另存为 .docx，或上传 .txt 文本。"),
        code="not_docx",
    )
    if not data:
        raise ValidationError(_("文件是空的，没有可导入的内容。"), code="empty")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            _("这是旧版 Word 文档（.doc），请在 Word 中另存为 .docx 后再上传。"), code="not_docx"
        )
    if not data.startswith(b"PK"):
        raise not_word
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise not_word from None
    names = {entry.filename for entry in entries}
    if not {"[Content_Types].xml", "word/document.xml"} <= names:
        raise not_word
    expanded = sum(entry.file_size for entry in entries)
    ratio = expanded / max(len(data), 1)
    if expanded > DOCX_MAX_UNCOMPRESSED_BYTES or ratio > DOCX_MAX_COMPRESSION_RATIO:
        raise ValidationError(
            _("该 Word 文档解压后过大（约 %(mb)s MB），疑似异常文件，已拒绝导入。")
            % {"mb": expanded // (1024 * 1024)},
            code="too_large",
        )
    import docx  # python-docx; imported here so the text path does not need it

    from plan_import.numbering import ListNumbers

    try:
        document = docx.Document(io.BytesIO(data))
        numbers = ListNumbers(document)
        # Word's automatic numbering (一、 / （一） / 1. set as a list) is not in the
        # paragraph's text: write it back, or the parser would see no tree.
        text = "\n".join(numbers.label(p) + p.text for p in document.paragraphs)
    except Exception:  # python-docx raises many kinds (KeyError, ValueError, lxml errors…)
        raise ValidationError(
            _("无法读取该 Word 文档，文件可能已损坏。请用 Word 打开后重新保存，或上传 .txt 文本。"),
            code="unreadable_docx",
        ) from None
    return normalise_text(text)


def normalise_text(text: str) -> str:
    """Clean a plan's text (pasted, or decoded from a file) for the parser.

    Unifies line breaks, drops byte order marks and zero-width characters,
    trims each line (including the full-width and no-break spaces used for
    indentation) and drops empty lines; characters are otherwise kept exactly
    as written (full-width punctuation stays full-width). Raises
    `ValidationError` for empty text, text that is mostly control characters
    and text over the size limit.
    """
    if not isinstance(text, str):
        raise TypeError("normalise_text expects str")
    if len(text.encode("utf-8", errors="surrogatepass")) > max_bytes():
        raise ValidationError(limit_message(max_bytes()), code="too_large")
    text = text.translate(ZERO_WIDTH).replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(LINE_BREAKS)
    visible = [ch for ch in text if not ch.isspace()]
    controls = sum(1 for ch in visible if unicodedata.category(ch) in ("Cc", "Cs"))
    if visible and controls > MAX_CONTROL_SHARE * len(visible):
        raise ValidationError(
            _("文件内容含有大量控制字符，不是正常的文本，请上传方案全文的 .txt 或 .docx 文件。"),
            code="binary",
        )
    if controls:
        text = "".join(
            ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
        )
    lines = (line.strip() for line in text.split("\n"))
    text = "\n".join(line for line in lines if line)
    if not text:
        raise ValidationError(_("没有可导入的文字内容。"), code="empty")
    return text


def _is_path(source) -> bool:
    return isinstance(source, str | PathLike)


def limit_message(limit: int) -> str:
    return _("文件过大：方案文件不能超过 %(mb)s MB。") % {"mb": round(limit / (1024 * 1024), 1)}


def _read_bounded(source, limit: int) -> bytes:
    """Read at most `limit` bytes; refuse (without reading the rest) past it."""
    if _is_path(source):
        path = Path(source)
        try:
            if path.stat().st_size > limit:
                raise ValidationError(limit_message(limit), code="too_large")
            with open(path, "rb") as f:
                return _read_chunks(f, limit)
        except OSError:
            raise ValidationError(
                _("无法打开文件“%(name)s”。") % {"name": path.name}, code="unreadable"
            ) from None
    size = getattr(source, "size", None)
    if isinstance(size, int) and size > limit:
        raise ValidationError(limit_message(limit), code="too_large")
    if hasattr(source, "seek"):
        with contextlib.suppress(OSError, ValueError):
            source.seek(0)
    return _read_chunks(source, limit)


def _read_chunks(f, limit: int) -> bytes:
    buffer = bytearray()
    while True:
        chunk = f.read(min(CHUNK_BYTES, limit + 1 - len(buffer)))
        if not chunk:
            return bytes(buffer)
        if isinstance(chunk, str):
            raise TypeError("read_document expects a binary file")
        buffer += chunk
        if len(buffer) > limit:
            raise ValidationError(limit_message(limit), code="too_large")


def _binary_kind(data: bytes) -> str | None:
    head = data[:16]
    for signature, kind in BINARY_SIGNATURES:
        if head.startswith(signature):
            return kind
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _("二进制文件")
    return None
