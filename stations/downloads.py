"""The one way a view hands a file to the browser (HDR-3): always an attachment with a Chinese file name
(RFC 6266/5987), never sniffed, never cached; a stored file missing on disk is a 404 with a Chinese
message, not a 500. Views check capability and scope and write the audit entry; this builds the response."""

import mimetypes
import posixpath
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _


def missing_file_message() -> str:
    return _("文件已不在服务器上（可能已被清理或移走），无法下载。请联系上传人重新上传，或联系系统管理员。")


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the full UTF-8 name (`filename*`, RFC 5987)."""
    stem, extension = posixpath.splitext(filename)
    ascii_stem = "".join(c for c in stem if c.isascii() and (c.isalnum() or c in "-_. ")).strip()
    ascii_extension = extension if extension.isascii() else ""
    ascii_name = (ascii_stem or "download") + ascii_extension
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _finish(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def file_response(field, *, filename: str = "", content_type: str = "") -> FileResponse:
    """A stored file (a FieldFile) as a download. Raises Http404 with a Chinese message when the record
    has no file or the file is gone from disk (call it before writing the audit entry)."""
    if not field:
        raise Http404(missing_file_message())
    try:
        handle = field.open("rb")
    except (FileNotFoundError, IsADirectoryError):
        raise Http404(missing_file_message()) from None
    filename = filename or posixpath.basename(field.name)
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return _finish(FileResponse(handle, content_type=content_type), filename)


def bytes_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A file built in memory (an export, a template, an error report) as a download."""
    return _finish(HttpResponse(content, content_type=content_type), filename)
