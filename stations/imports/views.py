"""The import pages of a row importer: upload → column mapping with the first rows as read → preview
with every row error → confirm. An app subclasses these with its importer and URL names."""

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from stations.downloads import bytes_response
from stations.mixins import CapabilityRequired, NoStore

from .forms import ImportFileForm
from .reader import ImportRefused, Sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ERRORS_KEPT = 2000
TEMP_TTL_SECONDS = 3600


def _temp_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "tmp" / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _clean_temp() -> None:
    cutoff = time.time() - TEMP_TTL_SECONDS
    for stale in _temp_dir().glob("*.upload"):
        if stale.stat().st_mtime < cutoff:
            stale.unlink(missing_ok=True)


class ImportSteps(CapabilityRequired, NoStore, View):
    importer = None
    template_name = "imports/rows_import.html"
    url_name = ""  # this page
    confirm_url_name = ""
    errors_url_name = ""
    done_url_name = ""
    title = ""

    def get_capability(self) -> str:
        return self.importer.capability

    @property
    def session_key(self) -> str:
        return f"import_{self.importer.kind}"

    def context(self, **extra) -> dict:
        return {
            "title": self.title,
            "map_url": reverse(self.url_name),
            "upload_url": reverse(self.url_name),
            "confirm_url": reverse(self.confirm_url_name),
            "errors_url": reverse(self.errors_url_name),
            **extra,
        }

    def get(self, request):
        return render(request, self.template_name, self.context(form=ImportFileForm()))

    def post(self, request):
        if request.POST.get("step") == "map":
            pending, sheet = pending_sheet(request, self.session_key, request.POST.get("token", ""))
            if sheet is None:
                messages.error(request, _("没有待确认的导入，请重新上传文件。"))
                return redirect(self.url_name)
            mapping = self.importer.from_post(request.POST, sheet)
            pending["mapping"] = {str(p): key for p, key in mapping.items()}
            request.session.modified = True
            return self.preview(request, ImportFileForm(), sheet, mapping, pending["token"], pending["name"])
        form = ImportFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form=form))
        upload = form.cleaned_data["file"]
        try:
            sheet = self.importer.read(upload.name, upload.read())
        except ImportRefused as refused:
            form.add_error("file", refused.message)
            return render(request, self.template_name, self.context(form=form))
        mapping = self.importer.suggested(user=request.user, sheet=sheet)
        token = store_sheet(request, self.session_key, sheet, upload.name, mapping)
        return self.preview(request, form, sheet, mapping, token, upload.name)

    def preview(self, request, form, sheet: Sheet, mapping, token, name):
        columns = self.importer.columns
        context = self.context(
            form=form,
            sheet=sheet,
            filename=name,
            sheet_token=token,
            field_choices=[(c.key, c.label + ("*" if c.required else "")) for c in columns],
            columns=[
                {"position": p, "letter": sheet.letter(p), "header": h, "selected": mapping.get(p, "")}
                for p, h in enumerate(sheet.headers)
            ],
            preview_rows=self.importer.preview(sheet=sheet, mapping=mapping),
        )
        problems = self.importer.problems(user=request.user, mapping=mapping)
        if problems:
            return render(request, self.template_name, {**context, "mapping_problems": problems})
        try:
            plan = self.importer.run(actor=request.user, name=name, sheet=sheet, mapping=mapping, commit=False)
        except ImportRefused as refused:
            return render(request, self.template_name, {**context, "mapping_problems": [refused.message]})
        request.session[f"{self.session_key}_errors"] = {
            "name": name,
            "errors": [[e.row, e.column, e.value, e.message] for e in plan.errors[:MAX_ERRORS_KEPT]],
        }
        context["plan"] = plan
        if plan.is_valid:
            context["token"] = token
        return render(request, self.template_name, context)


def store_sheet(request, key: str, sheet: Sheet, name: str, mapping: dict[int, str], **extra) -> str:
    """Keep the file's table as read (JSON in a temp file, removed on confirm or after an hour); `extra`
    goes into the session entry with it."""
    _clean_temp()
    previous = request.session.pop(key, None)
    if previous:
        drop_sheet(previous)
    token = secrets.token_hex(16)
    (_temp_dir() / f"{token}.upload").write_text(sheet.to_json(), encoding="utf-8")
    request.session[key] = {
        "token": token,
        "name": name,
        "mapping": {str(p): k for p, k in mapping.items()},
        **extra,
    }
    return token


def drop_sheet(pending: dict) -> None:
    """Remove a kept table (after its import, or when another file replaces it)."""
    (_temp_dir() / f"{pending['token']}.upload").unlink(missing_ok=True)


def pending_sheet(request, key: str, token: str):
    """(pending import, its table) for the caller's own token, or (None, None)."""
    pending = request.session.get(key)
    if not pending or not token or token != pending["token"]:
        return None, None
    try:
        text = (_temp_dir() / f"{pending['token']}.upload").read_text(encoding="utf-8")
    except FileNotFoundError:
        request.session.pop(key, None)
        return None, None
    return pending, Sheet.from_json(text)


class ImportConfirm(ImportSteps):
    """Confirm the previewed file: checked again and written in one transaction, or nothing."""

    http_method_names = ["post"]

    def post(self, request):
        pending, sheet = pending_sheet(request, self.session_key, request.POST.get("token", ""))
        if sheet is None:
            messages.error(request, _("没有待确认的导入，请重新上传文件。"))
            return redirect(self.url_name)
        mapping = {int(p): key for p, key in pending.get("mapping", {}).items()}
        try:
            plan = self.importer.run(
                actor=request.user, name=pending["name"], sheet=sheet, mapping=mapping, commit=True
            )
        except (ImportRefused, ValidationError) as exc:
            plan = None
            messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
        finally:
            drop_sheet(pending)
            request.session.pop(self.session_key, None)
        if plan is None:
            return redirect(self.url_name)
        if not plan.is_valid:
            context = self.context(form=ImportFileForm(), plan=plan, filename=pending["name"])
            return render(request, self.template_name, context)
        messages.success(request, _("导入完成：新增 %(c)d 条。") % {"c": plan.written})
        return redirect(self.done_url_name)


class ImportErrors(ImportSteps):
    """The last preview's row report as xlsx, written by the formula-safe XlsxWriter (OUT-3)."""

    http_method_names = ["get"]

    def get(self, request):
        from stations.exports.xlsx import XlsxWriter

        report = request.session.get(f"{self.session_key}_errors") or {"name": "", "errors": []}
        writer = XlsxWriter(title=_("导入错误报告"), user=request.user, filters={_("文件"): report["name"]})
        writer.sheet(
            _("导入错误"),
            [_("行"), _("列"), _("内容"), _("问题")],
            report["errors"],
            widths=[6, 14, 30, 60],
            key_columns=1,
        )
        return bytes_response(writer.to_bytes(), filename="导入错误报告.xlsx", content_type=XLSX)
