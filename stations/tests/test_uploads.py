"""Upload checks: real images and documents pass; renamed or oversized files are refused in Chinese."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from stations.uploads import validate_document, validate_image


def png_bytes(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_real_png_passes():
    validate_image(SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"))


def test_exe_renamed_jpg_is_refused():
    upload = SimpleUploadedFile("logo.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    with pytest.raises(ValidationError, match="不是有效的图片文件"):
        validate_image(upload)


def test_png_named_jpg_is_refused():
    with pytest.raises(ValidationError, match="扩展名与图片内容不符"):
        validate_image(SimpleUploadedFile("logo.jpg", png_bytes()))


def test_oversized_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="文件过大"):
        validate_document(SimpleUploadedFile("rules.pdf", b"%PDF-1.4" + b"0" * 2048))


def test_csv_renamed_docx_is_refused():
    with pytest.raises(ValidationError, match="不符"):
        validate_document(SimpleUploadedFile("rules.docx", b"name,phone\n"))


def test_pdf_passes():
    validate_document(SimpleUploadedFile("rules.pdf", b"%PDF-1.4\n%test"))
