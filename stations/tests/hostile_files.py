"""Hostile upload files built in memory, cheaply: a huge-pixel PNG, a zip bomb, a `../` zip, a PDF/HTML polyglot."""

import functools
import io
import re
import struct
import zipfile
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


@functools.cache
def huge_png(width: int = 8000, height: int = 6250, rgba: bool = True) -> bytes:
    """A valid PNG of width × height black pixels (50 MP by default, 200 MB once decoded as RGBA) in ~200 KB.

    Rows of zeros compress about 1000:1, so the file is small and passes the 5 MB limit.
    """
    channels, colour_type = (4, 6) if rgba else (1, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + width * channels)  # filter byte 0 + pixels
    packed = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", packed) + _chunk(b"IEND", b"")


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@functools.cache
def zip_bomb() -> bytes:
    """An Office-looking zip (it has [Content_Types].xml) whose sheet inflates to 60 MB from ~60 KB."""
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "xl/worksheets/sheet1.xml": b"\x00" * (60 * 1024 * 1024)})


def traversal_zip() -> bytes:
    """An Office-looking zip with an entry that would be written outside the extraction folder."""
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "../../etc/cron.d/evil": b"* * * * * root sh /tmp/x\n"})


def office_zip() -> bytes:
    """A small, harmless Office-looking zip (passes the zip checks)."""
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document/>" * 20})


def pdf_html_polyglot() -> bytes:
    """Starts as a PDF, but a browser sniffing the first bytes finds an HTML page with a script."""
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n<html><body><script>fetch('/audit/')</script></body></html>\n%%EOF\n"


def field_errors(html: str, field: str) -> list[str]:
    """The error texts shown next to a form field (`data-field` marks them in every template)."""
    return re.findall(rf'data-field="{field}">([^<]*)<', html)
