"""Workstation documents: the workstation roster (Excel) and a workstation profile sheet (PDF)."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from stations import selectors
from stations.exports import Report, ReportFile, register
from stations.exports.pdf import render_pdf
from stations.exports.xlsx import XlsxWriter
from stations.models import OrgUnit
from stations.scoping import visible_to

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@register
class WorkstationRoster(Report):
    slug = "workstation-roster"
    title = _("关爱工作站名册")
    capability = "stations.export_roster"

    def build(self, *, user, params) -> ReportFile:
        filters = {}
        scope_name = user.scope_label
        qs = selectors.workstation_list(user=user)
        if county_id := params.get("county"):
            county = get_object_or_404(visible_to(OrgUnit.objects.all(), user), pk=county_id)
            qs = qs.filter(county=county)
            filters[_("县/区")] = scope_name = county.name
        qs = qs.annotate(systems_on_file=Count("system_documents", filter=~Q(system_documents__document="")))
        rows = (
            [
                s.code,
                s.name,
                s.police_station,
                s.county.parent.name if s.county.parent else "",
                s.county.name,
                s.get_status_display(),
                s.head_name,
                s.deputy_name,
                s.get_office_location_display(),
                s.partner_name,
                s.get_partner_type_display() if s.partner_type else "",
                s.established_on,
                s.phone,
                _("是") if s.logo_hung else _("否"),
                f"{s.systems_on_file}/6",
            ]
            for s in qs.iterator(chunk_size=500)
        )
        writer = XlsxWriter(title=f"{scope_name} {self.title}", user=user, filters=filters)
        headers = [
            _("编号"),
            _("工作站名称"),
            _("所属派出所"),
            _("市/地"),
            _("县/区/分局"),
            _("状态"),
            _("站长"),
            _("副站长"),
            _("办公场所"),
            _("共建单位"),
            _("共建类型"),
            _("建站日期"),
            _("联系电话"),
            _("统一标识"),
            _("制度文件"),
        ]
        writer.sheet(
            _("工作站名册"),
            headers,
            rows,
            widths=[12, 28, 22, 12, 14, 8, 10, 10, 12, 22, 10, 12, 14, 8, 8],
            key_columns=2,
        )
        stamp = timezone.localdate().strftime("%Y%m%d")
        return ReportFile(
            writer.to_bytes(),
            f"工作站名册_{scope_name}_{stamp}.xlsx",
            XLSX,
            row_count=writer.rows_written,
            filters=filters,
        )


@register
class WorkstationProfile(Report):
    slug = "workstation-profile"
    title = _("关爱工作站基本情况表")
    capability = "stations.export_profile"

    def build(self, *, user, params) -> ReportFile:
        station = selectors.workstation_get(user=user, pk=_int(params.get("workstation")))
        content = render_pdf(
            "stations/pdf/workstation_profile.html",
            {
                "station": station,
                "systems": selectors.system_document_status(station),
                "title": self.title,
                "printed_on": timezone.localdate(),
            },
            header_left=station.name,
            header_right=str(self.title),
        )
        filename = f"{station.name}_基本情况表.pdf"
        return ReportFile(content, filename, "application/pdf", filters={_("工作站"): station.name})


def _int(value) -> int:
    from django.http import Http404

    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise Http404("bad id") from exc
