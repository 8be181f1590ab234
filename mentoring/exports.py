"""Mentoring exports (DOMAIN §7.7, SECURITY DATA-1/DATA-2): the masked case list and the named case list.

- The masked list (`mentoring-youth-masked`) is masked for every role, station users included: 张某, no ID
  number. A file called masked is forwarded as harmless, so it must be.
- The named list (`mentoring-youth-named`) is made only on its own page (`mentoring:youth-export`): a
  reason from the list with details, filters that narrow it to the cases the reason covers (one station at
  a time above the station), at most NAMED_EXPORT_MAX_ROWS rows, ID numbers masked unless the reason needs
  them, exporter/time/reason on every sheet, and the file encrypted with a one-time password shown once.

Both read through the scoped selectors, so sealed youth never appear and nothing leaves the user's scope;
city and province hold neither `mentoring.view` nor `mentoring.export_named` and get 403.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stations.audit.log import audit
from stations.exports import Report, ReportFile, register
from stations.exports.encryption import encrypt_xlsx, one_time_password
from stations.exports.xlsx import XlsxWriter
from stations.filters import filterset_or_404
from stations.masking import mask_id_number
from stations.models import ExportJob
from stations.reasons import AccessReason, Purpose, check_reason
from stations.reports.jobs import export_job_store
from stations.roles import require

from . import selectors
from .filters import YouthFilterSet
from .models import Category, RiskLevel, Stage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAMED_SLUG = "mentoring-youth-named"
# Reasons for which the full 18-digit ID number is part of the purpose; every other reason gets it masked.
ID_REASONS = frozenset({AccessReason.CASE_HANDLING})
NOTICE = gettext_lazy(
    "本文件含未成年人个人信息（个人信息保护法第二十八条、未成年人保护法第一百零三条），仅限上述事由使用；"
    "不得转发、复制或公开，用毕即删除。"
)


def _filters(filterset: YouthFilterSet) -> dict:
    """The valid filters as the cover sheet shows them (labels, not codes); 404 for a bad one."""
    shown = {}
    for name, value in filterset_or_404(filterset).items():
        field = filterset.form.fields[name]
        if name == "period":
            value = value.label
        elif name in ("workstation", "org"):
            value = value.name
        elif name == "overdue":
            value = _("是")
        else:
            value = dict(getattr(field, "choices", [])).get(value, value)
        shown[str(field.label)] = str(value)
    return shown


def _categories(youth) -> str:
    labels = dict(Category.choices)
    return "、".join(str(labels.get(c, c)) for c in youth.category_list)


def _rows(qs, *, user, masked: bool, id_numbers: str):
    """`id_numbers`: "full", "masked" or "none" (the column is left out)."""
    today = timezone.localdate()
    for youth in qs.iterator(chunk_size=500):
        row = selectors.present(youth, user=user, today=today, full=not masked, masked=masked)
        number = youth.id_number if id_numbers == "full" else mask_id_number(youth.id_number)
        yield [
            youth.pk,
            row.name,
            youth.get_gender_display(),
            *([number if youth.id_number else ""] if id_numbers != "none" else []),
            youth.workstation.name,
            _categories(youth),
            youth.get_stage_display(),
            youth.get_risk_level_display(),
            youth.intake_on,
            youth.last_contact_on,
            row.next_contact,
            _("是") if row.overdue else "",
            youth.get_outcome_display() if youth.outcome else "",
        ]


def _headers(*, with_id: bool) -> tuple[list[str], list[int]]:
    headers = [_("编号"), _("姓名"), _("性别"), *([_("身份证号")] if with_id else []), _("工作站"), _("类别")]
    headers += [_("阶段"), _("风险"), _("接收日期"), _("最近联系"), _("下次联系"), _("逾期"), _("结案结果")]
    widths = [8, 10, 6, *([22] if with_id else []), 26, 24, 10, 6, 12, 12, 12, 6, 10]
    return headers, widths


@register
class MaskedYouthList(Report):
    slug = "mentoring-youth-masked"
    title = gettext_lazy("帮教对象名单（脱敏）")
    capability = "mentoring.view"
    names_people = True

    def build(self, *, user, params) -> ReportFile:
        filterset = YouthFilterSet(params, queryset=selectors.youth_list(user=user), user=user)
        filters = _filters(filterset)
        qs = filterset.qs
        headers, widths = _headers(with_id=False)
        writer = XlsxWriter(title=f"{user.scope_label} {self.title}", user=user, filters=filters)
        writer.sheet(
            str(self.title)[:28],
            headers,
            _rows(qs, user=user, masked=True, id_numbers="none"),
            widths,
            key_columns=2,
        )
        stamp = timezone.localdate().strftime("%Y%m%d")
        return ReportFile(
            writer.to_bytes(), f"{self.title}_{stamp}.xlsx", XLSX, row_count=writer.rows_written, filters=filters
        )


@register
class NamedYouthList(Report):
    """Made only by `named_export_create` on the export page; never by the generic download or a job."""

    slug = NAMED_SLUG
    title = gettext_lazy("帮教对象名单")
    capability = "mentoring.export_named"
    names_people = True
    requires_reason = True
    export_page = "mentoring:youth-export"

    def build(self, *, user, params) -> ReportFile:
        raise PermissionDenied("the named list is made on its export page only")


def _shown(filters: dict) -> dict:
    """The filters in words, for the cover sheet (codes and ids go to the audit log)."""
    shown = {}
    if station := filters.get("workstation"):
        shown[_("工作站")] = station.name
    if stage := filters.get("stage"):
        shown[_("阶段")] = str(Stage(stage).label)
    if risk := filters.get("risk"):
        shown[_("风险")] = str(RiskLevel(risk).label)
    if category := filters.get("category"):
        shown[_("类别")] = str(Category(category).label)
    if filters.get("overdue"):
        shown[_("仅逾期")] = _("是")
    if cases := filters.get("cases"):
        shown[_("案件编号")] = "、".join(str(c) for c in cases)
    return shown


def _selected(actor, filters: dict):
    """The cases the export page's choices cover, through the list's own FilterSet, then the case numbers."""
    data = {key: filters[key] for key in ("stage", "risk", "category") if filters.get(key)}
    if station := filters.get("workstation"):
        data["workstation"] = station.pk
    if filters.get("overdue"):
        data["overdue"] = "on"
    qs = YouthFilterSet(data, queryset=selectors.youth_list(user=actor), user=actor).qs
    return qs.filter(pk__in=filters["cases"]) if filters.get("cases") else qs


def _params(filters: dict) -> dict:
    params = {key: filters[key] for key in ("stage", "risk", "category") if filters.get(key)}
    if station := filters.get("workstation"):
        params["workstation"] = station.pk
    if filters.get("overdue"):
        params["overdue"] = True
    if cases := filters.get("cases"):
        params["cases"] = sorted(cases)
    return params


@transaction.atomic
def named_export_create(*, actor, filters: dict, reason_code: str, reason: str) -> tuple[ExportJob, str]:
    """Build, encrypt and keep the named list; return the job and its one-time password (never stored).

    Refused as a whole (ValidationError naming the field) when the reason, the filters or the size do not
    fit: nothing is written, not even an audit entry, so a refused export leaves no file anywhere.
    """
    require(actor, "mentoring.export_named")
    reason_text = check_reason(Purpose.NAMED_EXPORT, reason_code, reason)
    errors = {}
    if not selectors.sees_identity(actor) and not filters.get("workstation"):
        errors["workstation"] = _("请选择一个工作站：实名名单每次只导出一个工作站的帮教对象。")
    full_ids = reason_code in ID_REASONS
    if full_ids and not filters.get("cases"):
        errors["cases"] = _("因“案件办理需要”导出完整身份证号时，请填写所涉案件编号。")
    if errors:
        raise ValidationError(errors)
    qs = _selected(actor, filters)
    if cases := filters.get("cases"):
        found = set(qs.values_list("pk", flat=True))
        missing = sorted(set(cases) - found)
        if missing:
            raise ValidationError(
                {
                    "cases": _("以下案件编号不在您可导出的范围内或不符合所选条件：%(ids)s")
                    % {"ids": "、".join(str(m) for m in missing)}
                }
            )
    count = qs.count()
    limit = settings.NAMED_EXPORT_MAX_ROWS
    if count == 0:
        raise ValidationError(_("没有符合条件的帮教对象，未生成文件。"))
    if count > limit:
        raise ValidationError(
            _("符合条件的有 %(n)d 人，超过单次导出上限 %(max)d 人。请按工作站、阶段、风险或案件编号缩小范围。")
            % {"n": count, "max": limit}
        )

    shown = _shown(filters)
    unit = filters["workstation"].name if filters.get("workstation") else actor.scope_label
    title = f"{unit} {NamedYouthList.title}"
    writer = XlsxWriter(title=title, user=actor, filters=shown, reason=reason_text, notice=str(NOTICE))
    headers, widths = _headers(with_id=True)
    rows = _rows(qs, user=actor, masked=False, id_numbers="full" if full_ids else "masked")
    writer.sheet(str(NamedYouthList.title), headers, rows, widths, key_columns=2)
    password = one_time_password()
    stamp = timezone.localdate().strftime("%Y%m%d")
    params = _params(filters)
    job = export_job_store(
        actor=actor,
        report=NAMED_SLUG,
        title=title,
        params=params,
        content=encrypt_xlsx(writer.to_bytes(), password),
        filename=f"{NamedYouthList.title}_{unit}_{stamp}.xlsx",
        content_type=XLSX,
        rows=writer.rows_written,
    )
    try:
        audit(
            actor=actor,
            action="export.named",
            obj=job,
            object_repr=f"{job.title}: {job.filename}",
            changes={
                "report": NAMED_SLUG,
                "filters": params,
                "rows": writer.rows_written,
                "reason_code": reason_code,
                "id_numbers": "full" if full_ids else "masked",
                "encrypted": True,
                "job": job.pk,
            },
            reason=reason_text,
        )
    except BaseException:
        job.file.delete(save=False)  # the row rolls back with the transaction; the file on disk would not
        raise
    return job, password
