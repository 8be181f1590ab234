"""The volunteers app's documents: the roster (Excel), scoped and masked like the list page."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stations.exports import Report, ReportFile, register
from stations.exports.xlsx import XlsxWriter
from stations.filters import filterset_or_404

from . import selectors
from .filters import VolunteerFilterSet
from .importing import COLUMNS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@register
class VolunteerRoster(Report):
    """Same columns as the import template first (a station's own export can be imported again)."""

    slug = "volunteer-roster"
    title = gettext_lazy("志愿者名册")
    capability = "volunteers.export"
    names_people = True

    def build(self, *, user, params) -> ReportFile:
        filterset = VolunteerFilterSet(params, queryset=selectors.volunteer_list(user=user), user=user)
        filters, form = filterset_or_404(filterset), filterset.form
        qs = selectors.volunteer_page_queryset(filterset.qs)
        shown = {}
        for name, value in filters.items():
            field = form.fields[name]
            if name == "period":
                label = value.label
            elif name in ("workstation", "org"):
                label = value.name
            else:
                label = dict(getattr(field, "choices", [])).get(value, value)
            shown[str(field.label)] = str(label)
        full = selectors.sees_identity(user)

        def rows():
            for v in qs.iterator(chunk_size=500):
                row = selectors.volunteer_rows([v], user=user)[0]
                yield [
                    v.workstation.code,
                    v.name,
                    v.get_gender_display(),
                    row.id_number,
                    v.birth_date if full else (v.birth_date.year if v.birth_date else ""),
                    row.mobile,
                    v.get_elder_category_display(),
                    v.get_member_type_display(),
                    v.former_unit,
                    v.former_rank,
                    v.political_status,
                    v.health,
                    v.skills,
                    v.get_position_display(),
                    "、".join(row.roles),
                    v.joined_on,
                    v.workstation.name,
                    v.get_status_display(),
                    v.left_on or "",
                    v.left_reason,
                    row.total_hours,
                    row.stars,
                ]

        headers = [c.header for c in COLUMNS] + [
            _("工作站名称"),
            _("状态"),
            _("退出日期"),
            _("退出原因"),
            _("累计服务时长"),
            _("星级"),
        ]
        writer = XlsxWriter(title=f"{user.scope_label} {self.title}", user=user, filters=shown)
        writer.sheet(
            _("志愿者名册"), headers, rows(), widths=[c.width for c in COLUMNS] + [28, 8, 12, 20, 12, 6], key_columns=2
        )
        stamp = timezone.localdate().strftime("%Y%m%d")
        return ReportFile(
            writer.to_bytes(),
            f"志愿者名册_{user.scope_label}_{stamp}.xlsx",
            XLSX,
            row_count=writer.rows_written,
            filters=shown,
        )
