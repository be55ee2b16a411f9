"""Sniffing: a file is what its bytes say, whatever its name or the browser's type."""

import io

import pytest

from bascule.network import files
from tests.network import files as samples


def sniffed(content: bytes, name: str = "file"):
    return files.sniff(io.BytesIO(content), name)


@pytest.mark.parametrize(
    "content,expected",
    [
        (samples.PDF, files.PDF),
        (samples.image_bytes("PNG"), files.PNG),
        (samples.image_bytes("JPEG"), files.JPEG),
        (samples.image_bytes("GIF"), files.GIF),
        (samples.image_bytes("WEBP"), files.WEBP),
        ("Compte rendu de la réunion\nÀ relire.\n".encode(), files.TEXT),
        ("\ufeffNotes with a BOM".encode(), files.TEXT),
        (samples.ooxml_bytes(), files.DOCX),
        (samples.ooxml_bytes("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"), files.XLSX),
        (samples.ooxml_bytes("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"), files.PPTX),
        (samples.odf_bytes(), files.ODT),
        (samples.odf_bytes("application/vnd.oasis.opendocument.spreadsheet"), files.ODS),
        (samples.odf_bytes("application/vnd.oasis.opendocument.presentation"), files.ODP),
    ],
)
def test_it_recognises_the_accepted_types(content, expected):
    assert sniffed(content) is expected


def test_it_tells_csv_from_text_by_name_only():
    assert sniffed(b"a;b\n1;2\n", "figures.csv") is files.CSV
    assert sniffed(b"a;b\n1;2\n", "figures.txt") is files.TEXT


@pytest.mark.parametrize(
    "content",
    [
        samples.EXE,
        samples.HTML,
        samples.SVG,
        b"  <html><p>hi</p></html>",
        b'<?xml version="1.0"?><note/>',
        b"text with a NUL \x00 byte",
        b"not utf-8: \xe9t\xe9",
        samples.plain_zip_bytes(),
        samples.ooxml_bytes("application/vnd.ms-word.document.macroEnabled.main+xml"),
        samples.odf_bytes("application/x-evil"),
        b"PK\x03\x04 truncated zip",
        b"",
    ],
    ids=["exe", "html", "svg", "html-indented", "xml", "nul", "latin1", "zip", "docm", "odf-unknown", "bad-zip", "empty"],
)
def test_it_refuses_everything_else(content):
    assert sniffed(content, "innocent.pdf") is None


def test_it_finds_markup_cut_between_two_chunks(monkeypatch):
    monkeypatch.setattr(files, "_CHUNK", 8)
    assert sniffed(b"hello  <scr" + b"ipt>alert(1)</script>") is None
    assert sniffed(b"hello world, nothing to see here") is files.TEXT


def test_it_leaves_the_file_at_its_start():
    handle = io.BytesIO(samples.ooxml_bytes())
    files.sniff(handle, "a.docx")
    assert handle.tell() == 0


@pytest.mark.parametrize(
    "name,file_type,expected",
    [
        ("plan.png", files.PNG, "plan.png"),
        ("plan.pdf", files.PNG, "plan.pdf.png"),
        ("photo.JPEG", files.JPEG, "photo.JPEG"),
        ("README", files.TEXT, "README.txt"),
        ("budget.xlsx", files.XLSX, "budget.xlsx"),
    ],
)
def test_it_gives_downloads_their_real_extension(name, file_type, expected):
    assert files.download_name(name, file_type) == expected
