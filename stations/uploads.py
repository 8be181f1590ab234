"""Upload checks shared by every file field (IN-5): size, content that matches the extension, image
pixels read from the header before any decoding, zip structure (also used by the volunteer import),
PDF/HTML polyglots. Forms take files only through `CheckedFileField`, so a new field cannot skip them."""

import re
import warnings
import zipfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}}
DOCUMENT_EXTENSIONS = {".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png"}
# Pillow's own guard only warns up to twice this and raises above; ours refuses at the limit itself.
Image.MAX_IMAGE_PIXELS = settings.UPLOAD_MAX_IMAGE_PIXELS

# Zip limits (ASVS 4.0 V12.1.2), for Office files here and for the import (volunteers/importing.py).
MAX_ZIP_ENTRIES = 200
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
DRIVE = re.compile(r"^[A-Za-z]:")

# HTML in a PDF's first KB makes it a polyglot: a browser sniffing the bytes would run it as a page.
POLYGLOT_WINDOW = 1024
HTML_MARKERS = re.compile(rb"<(?:!doctype|html|head|body|script|iframe|svg|img|meta|object|embed)\b", re.IGNORECASE)


def max_image_pixels() -> int:
    return settings.UPLOAD_MAX_IMAGE_PIXELS


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


def _too_many_pixels(limit: int, size: tuple[int, int] | None = None) -> ValidationError:
    values = {"limit": limit // 10000}
    if size:
        values.update(width=size[0], height=size[1])
        message = _("图片像素过多（%(width)d×%(height)d），上限 %(limit)d 万像素，请缩小后重新上传。")
    else:
        message = _("图片像素过多，上限 %(limit)d 万像素，请缩小后重新上传。")
    return ValidationError(message % values, code="too_many_pixels")


def validate_image(upload) -> None:
    """A real JPEG/PNG/WebP image whose extension matches its content and whose pixel count is within
    the limit. Image.open reads only the header, so a hostile image is refused before it is decoded."""
    _check_size(upload)
    extension = Path(upload.name).suffix.lower()
    limit = max_image_pixels()
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the limit below decides
            with Image.open(upload) as image:
                fmt, size = image.format, image.size
                if size[0] * size[1] * getattr(image, "n_frames", 1) > limit:
                    raise _too_many_pixels(limit, size)
                image.verify()
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(limit) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("不是有效的图片文件（仅支持 JPG、PNG、WebP）。"), code="not_image") from exc
    finally:
        upload.seek(0)
    if extension not in IMAGE_FORMATS.get(fmt, set()):
        raise ValidationError(_("文件扩展名与图片内容不符。"), code="extension_mismatch")


def open_checked_image(upload) -> Image.Image:
    """Open an image for resizing only after `validate_image`, with the hard pixel limit checked again."""
    validate_image(upload)
    upload.seek(0)
    return Image.open(upload)


def zip_entries(file) -> list[zipfile.ZipInfo]:
    """The entries of a zip (xlsx, docx) that is safe to open; ValidationError otherwise.

    Counts entries and declared sizes from the central directory without inflating anything; zipfile
    never inflates an entry beyond its declared size, so these limits also bound a later read.
    """
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(_("文件已损坏，无法读取。"), code="bad_zip") from exc
    finally:
        file.seek(0)
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ValidationError(_("文件结构异常（压缩条目过多），已拒绝。"), code="zip_entries")
    bomb = ValidationError(_("文件解压后过大（疑似压缩炸弹），已拒绝。"), code="zip_bomb")
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
        raise bomb
    for info in infos:
        name = info.filename
        if ".." in name.split("/") or name.startswith("/") or "\\" in name or "\x00" in name or DRIVE.match(name):
            raise ValidationError(_("文件结构异常（路径不合法），已拒绝。"), code="zip_path")
        if info.file_size > 1024 * 1024 and info.file_size / max(info.compress_size, 1) > MAX_RATIO:
            raise bomb
    return infos


def validate_document(upload) -> None:
    """PDF, Office (docx/xlsx) or image; the content must match the extension and be safe to open."""
    _check_size(upload)
    extension = Path(upload.name).suffix.lower()
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(_("仅支持 PDF、Word(docx)、Excel(xlsx)、JPG、PNG 文件。"), code="bad_extension")
    if extension in {".jpg", ".jpeg", ".png"}:
        validate_image(upload)
        return
    head = _head(upload, POLYGLOT_WINDOW)
    if extension == ".pdf":
        if not head.startswith(b"%PDF-"):
            raise ValidationError(_("文件内容不是 PDF。"), code="extension_mismatch")
        if HTML_MARKERS.search(head):
            raise ValidationError(_("PDF 文件中含有网页代码，已拒绝。"), code="polyglot")
    if extension in {".docx", ".xlsx"}:
        if not head.startswith(b"PK\x03\x04"):
            raise ValidationError(_("文件内容与扩展名不符。"), code="extension_mismatch")
        if "[Content_Types].xml" not in {info.filename for info in zip_entries(upload)}:
            raise ValidationError(_("文件内容与扩展名不符。"), code="extension_mismatch")


def validate_attachment(upload) -> None:
    """An activity attachment: a photo (JPG, PNG, WebP) or a document, told apart by the extension."""
    if Path(upload.name).suffix.lower() in {ext for exts in IMAGE_FORMATS.values() for ext in exts}:
        validate_image(upload)
    else:
        validate_document(upload)


def validate_table(upload) -> None:
    """An import file: only the size here; `volunteers.importing.read_table` does the stricter check."""
    _check_size(upload)


CHECKS = {
    "image": validate_image,
    "document": validate_document,
    "attachment": validate_attachment,
    "table": validate_table,
}


class CheckedFileField(forms.FileField):
    """The one form field for uploads: every new file goes through the shared check of its kind."""

    def __init__(self, *args, kind: str = "document", **kwargs):
        self.kind = kind
        self.check = CHECKS[kind]
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        if isinstance(value, UploadedFile):
            self.check(value)


class CheckedImageField(CheckedFileField):
    """For a model ImageField: the shared image check instead of forms.ImageField's full verify."""

    def __init__(self, *args, **kwargs):
        kwargs["kind"] = "image"
        super().__init__(*args, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class CheckedMultipleFileField(CheckedFileField):
    """Several files in one field, each checked; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


# Where errors of a redirected upload wait to be shown next to the field on the page it returns to.
FIELD_ERRORS_KEY = "upload_field_errors"


def keep_field_errors(request, form_key: str, errors: list[str]) -> None:
    request.session.setdefault(FIELD_ERRORS_KEY, {})[form_key] = [str(e) for e in errors]
    request.session.modified = True


def pop_field_errors(request, form_key: str) -> list[str]:
    stored = request.session.get(FIELD_ERRORS_KEY) or {}
    errors = stored.pop(form_key, [])
    if errors:
        request.session.modified = True
    return errors
