"""Upload checks: real images and documents pass; renamed or oversized files are refused in Chinese."""

import importlib
import io
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from PIL import Image

from stations.tests.hostile_files import huge_png, office_zip, pdf_html_polyglot, traversal_zip, zip_bomb
from stations.uploads import CheckedFileField, validate_document, validate_image


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


# --- hostile files (IN-5) and one check for every file field -------------------------------------


def test_office_zip_passes():
    validate_document(SimpleUploadedFile("纪要.docx", office_zip()))


@pytest.mark.parametrize(
    "name, build, message",
    [
        ("签到表.xlsx", zip_bomb, "疑似压缩炸弹"),
        ("纪要.docx", traversal_zip, "路径不合法"),
        ("制度.pdf", pdf_html_polyglot, "含有网页代码"),
        ("合影.png", huge_png, "图片像素过多（8000×6250），上限 4000 万像素"),
    ],
)
def test_hostile_document_is_refused_in_chinese(name, build, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        validate_document(SimpleUploadedFile(name, build()))


def test_pixel_limit_is_a_setting(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 60
    with pytest.raises(ValidationError, match="图片像素过多（8×8）"):
        validate_image(SimpleUploadedFile("logo.png", png_bytes()))


def test_the_import_refuses_the_same_zip_bomb_with_the_same_message():
    from volunteers.importing import ImportRefused, read_table

    with pytest.raises(ImportRefused, match="疑似压缩炸弹"):
        read_table("志愿者.xlsx", zip_bomb())


def _project_modules():
    root = Path(django_settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if root not in path.parents or ".venv" in path.parts:
            continue
        for info in pkgutil.walk_packages([str(path)], prefix=f"{config.name}."):
            if not re.search(r"\.(tests|migrations|management)(\.|$)", info.name):
                yield importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _project_forms():
    names = {m.__name__ for m in _project_modules()}
    return [form for form in _subclasses(forms.BaseForm) if form.__module__ in names]


def test_every_form_file_field_uses_the_shared_check():
    """A new form with a plain FileField or ImageField fails here: uploads go through CheckedFileField."""
    file_fields = {
        f"{form.__module__}.{form.__name__}.{name}": field
        for form in _project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.FileField)
    }
    assert "activities.forms.AttachmentForm.file" in file_fields  # the walk does find the forms
    unchecked = [name for name, field in file_fields.items() if not isinstance(field, CheckedFileField)]
    assert unchecked == []


# Every model file field, and the checked form field that fills it (or why no user uploads it).
MODEL_FILE_FIELDS = {
    "activities.Attachment.file": "activities.forms.AttachmentForm.file",
    "stations.Workstation.logo_photo": "stations.forms.WorkstationForm.logo_photo",
    "stations.SystemDocument.document": "stations.forms.SystemDocumentForm.document",
    "volunteers.Training.certificate": "volunteers.forms.TrainingForm.certificate",
    "inspections.RectificationEvidence.file": "inspections.forms.AnswerForm.files",
    "stations.ExportJob.file": None,  # written by the export job from the application's own output
}


def test_every_model_file_field_is_filled_through_a_checked_form_field():
    forms_by_name = {f"{form.__module__}.{form.__name__}": form for form in _project_forms()}
    found = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    assert found == set(MODEL_FILE_FIELDS)
    for form_field in filter(None, MODEL_FILE_FIELDS.values()):
        form_name, field_name = form_field.rsplit(".", 1)
        assert isinstance(forms_by_name[form_name].base_fields[field_name], CheckedFileField), form_field
