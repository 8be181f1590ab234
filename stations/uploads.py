"""Upload checks shared by every app: size, and content that matches the extension (IN-5)."""

import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}}
DOCUMENT_EXTENSIONS = {".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png"}
MAX_IMAGE_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


def _check_size(upload) -> None:
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("文件过大：%(size).1f MB，上限 %(limit)d MB。")
            % {"size": upload.size / 1048576, "limit": limit // 1048576},
            code="too_large",
        )


def _head(upload, length=8) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def validate_image(upload) -> None:
    """A real JPEG/PNG/WebP image whose extension matches its content."""
    _check_size(upload)
    extension = Path(upload.name).suffix.lower()
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            fmt = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("不是有效的图片文件（仅支持 JPG、PNG、WebP）。"), code="not_image") from exc
    finally:
        upload.seek(0)
    if extension not in IMAGE_FORMATS.get(fmt, set()):
        raise ValidationError(_("文件扩展名与图片内容不符。"), code="extension_mismatch")


def validate_document(upload) -> None:
    """PDF, Office (docx/xlsx) or image; the content must match the extension."""
    _check_size(upload)
    extension = Path(upload.name).suffix.lower()
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(_("仅支持 PDF、Word(docx)、Excel(xlsx)、JPG、PNG 文件。"), code="bad_extension")
    if extension in {".jpg", ".jpeg", ".png"}:
        validate_image(upload)
        return
    head = _head(upload)
    if extension == ".pdf" and not head.startswith(b"%PDF-"):
        raise ValidationError(_("文件内容不是 PDF。"), code="extension_mismatch")
    if extension in {".docx", ".xlsx"}:
        if not head.startswith(b"PK\x03\x04"):
            raise ValidationError(_("文件内容与扩展名不符。"), code="extension_mismatch")
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                if "[Content_Types].xml" not in archive.namelist():
                    raise ValidationError(_("文件内容与扩展名不符。"), code="extension_mismatch")
        except zipfile.BadZipFile as exc:
            raise ValidationError(_("文件已损坏或不是 Office 文件。"), code="bad_zip") from exc
        finally:
            upload.seek(0)
