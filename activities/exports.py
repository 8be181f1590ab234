"""The activities app's documents: the activity list (Excel) for the user's scope and a period."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.exports import Report, ReportFile, register
from stations.exports.xlsx import XlsxWriter
from stations.filters import filterset_or_404

from . import selectors
from .filters import ActivityFilterSet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@register
class ActivityListReport(Report):
    slug = "activity-list"
    title = _("活动台账")
    capability = "activities.view"
    names_people = False  # counts only: no volunteer, minor or other person's name

    def build(self, *, user, params: QueryDict) -> ReportFile:
        filterset = ActivityFilterSet(params, queryset=selectors.activity_list(user=user), user=user)
        filters = filterset_or_404(filterset)
        qs = filterset.qs.order_by("held_on", "pk")
        shown = {}
        if filters.get("period"):
            shown[_("期间")] = filters["period"].label
        if filters.get("workstation"):
            shown[_("工作站")] = filters["workstation"].name
        if filters.get("type"):
            shown[_("类型")] = filters["type"].name
        if filters.get("system"):
            shown[_("制度")] = filters["system"]
        if filters.get("q"):
            shown[_("搜索")] = filters["q"]
        rows = (
            [
                a.held_on,
                a.workstation.name,
                a.type.name,
                a.type.get_system_display(),
                a.title,
                a.place,
                a.partner_name or a.school,
                a.station_n,
                a.volunteer_n,
                a.police_count + a.teacher_count + a.parent_count,
                a.audience_count,
                a.minors_reached,
                a.people_helped,
                a.amount_yuan,
            ]
            for a in qs.iterator(chunk_size=500)
        )
        writer = XlsxWriter(title=f"{user.scope_label} {self.title}", user=user, filters=shown)
        headers = [
            _("日期"),
            _("主办工作站"),
            _("类型"),
            _("制度"),
            _("活动名称"),
            _("地点"),
            _("合作单位/学校"),
            _("参与站数"),
            _("志愿者人次"),
            _("民警教师家长人次"),
            _("受众人次"),
            _("未成年人人次"),
            _("受助人数"),
            _("资助金额（元）"),
        ]
        writer.sheet(
            _("活动台账"),
            headers,
            rows,
            widths=[11, 24, 14, 10, 30, 20, 20, 8, 10, 12, 10, 10, 8, 12],
            key_columns=2,
            money_columns=[headers.index(_("资助金额（元）"))],
        )
        stamp = timezone.localdate().strftime("%Y%m%d")
        return ReportFile(
            writer.to_bytes(),
            f"活动台账_{user.scope_label}_{stamp}.xlsx",
            XLSX,
            row_count=writer.rows_written,
            filters=shown,
        )
