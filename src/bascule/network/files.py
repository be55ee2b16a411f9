"""What an uploaded file really is, from its bytes.

Neither the name nor the content type the browser sends can be trusted: a person (or a
compromised machine) renames ``tool.exe`` to ``report.pdf`` as easily as anything. The
type is read from the file's own signature ("magic bytes"), and only a short list of
types colleagues exchange is accepted. Types that can carry scripts when opened by a
browser (HTML, SVG, XML) are refused, even though they are text.
"""

import codecs
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    # What the interface shows: an icon and a word per family.
    family: str


PDF = FileType("application/pdf", "pdf", "pdf")
PNG = FileType("image/png", "png", "image")
JPEG = FileType("image/jpeg", "jpg", "image")
GIF = FileType("image/gif", "gif", "image")
WEBP = FileType("image/webp", "webp", "image")
TEXT = FileType("text/plain", "txt", "text")
CSV = FileType("text/csv", "csv", "spreadsheet")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "document")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "spreadsheet")
PPTX = FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "presentation")
ODT = FileType("application/vnd.oasis.opendocument.text", "odt", "document")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "ods", "spreadsheet")
ODP = FileType("application/vnd.oasis.opendocument.presentation", "odp", "presentation")

ALL_TYPES = (PDF, PNG, JPEG, GIF, WEBP, TEXT, CSV, DOCX, XLSX, PPTX, ODT, ODS, ODP)
BY_CONTENT_TYPE = {t.content_type: t for t in ALL_TYPES}
# Shown inline by the browser (everything else is downloaded).
INLINE_FAMILIES = frozenset({"image", "pdf"})

FAMILY_LABELS = {
    "pdf": _("PDF"),
    "image": _("Image"),
    "text": _("Text"),
    "document": _("Document"),
    "spreadsheet": _("Spreadsheet"),
    "presentation": _("Presentation"),
}

# The main part of an Office Open XML package, as [Content_Types].xml declares it. Macro-
# enabled variants (.docm, .xlsm, .pptm) declare other types and are refused.
_OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
_ODF_MIMETYPES = {ODT.content_type: ODT, ODS.content_type: ODS, ODP.content_type: ODP}
# The small entries read from a ZIP are never trusted to be small (ZIP bombs).
_MAX_MANIFEST_BYTES = 1024 * 1024
# Text that a browser or a viewer could take for markup: refused.
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?xml)\b", re.IGNORECASE)
_CHUNK = 64 * 1024


def _read_head(upload, size: int) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _zip_type(upload) -> FileType | None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 200:
                    declared = archive.read(info).decode("ascii", "replace").strip()
                    return _ODF_MIMETYPES.get(declared)
                return None
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > _MAX_MANIFEST_BYTES:
                    return None
                manifest = archive.read(info).decode("utf-8", "replace")
                found = {t for part, t in _OOXML_MAIN_PARTS.items() if f'ContentType="{part}"' in manifest}
                return found.pop() if len(found) == 1 else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    return None


def _is_plain_text(upload) -> bool:
    """Valid UTF-8 from start to end, no NUL byte, and nothing that looks like markup."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    tail = b""
    try:
        while chunk := upload.read(_CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
            # The tail of the previous chunk catches a tag cut between two chunks.
            if _MARKUP.search(tail + chunk):
                return False
            tail = chunk[-32:]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True


def sniff(upload, name: str = "") -> FileType | None:
    """The accepted type of ``upload`` (a file object open in binary mode) read from its
    content, or None when it is not one of the accepted types. ``name`` only chooses
    between plain text and CSV, which have no signature."""
    head = _read_head(upload, 16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(upload)
    if head and _is_plain_text(upload):
        return CSV if name.lower().endswith(".csv") else TEXT
    return None


_OTHER_EXTENSIONS = {"jpg": {"jpeg"}, "txt": {"text", "md", "log"}}


def download_name(original_name: str, file_type: FileType) -> str:
    """The name a download gets: the name the author gave, with the real extension added
    when the name claims another type (a PNG named ``plan.pdf`` downloads as
    ``plan.pdf.png``, so that the computer opens it with the right program)."""
    extensions = {file_type.extension} | _OTHER_EXTENSIONS.get(file_type.extension, set())
    current = original_name.rsplit(".", 1)[-1].lower() if "." in original_name else ""
    return original_name if current in extensions else f"{original_name}.{file_type.extension}"
