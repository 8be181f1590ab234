"""Mentoring exports (DOMAIN §7.7): the station's named case list, and a masked list for the county.

Both go through the scoped selectors, so sealed youth never appear and nothing leaves the county:
city and province hold no `mentoring.view` / `mentoring.export_named` and get 403.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from stations.exports import Report, ReportFile, register
from stations.exports.xlsx import XlsxWriter
from stations.filters import filterset_or_404
from stations.roles import has_capability

from . import selectors
from .filters import YouthFilterSet
from .models import Category

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


class _YouthList(Report):
    names_people = True
    masked = False

    def build(self, *, user, params) -> ReportFile:
        filterset = YouthFilterSet(params, queryset=selectors.youth_list(user=user), user=user)
        filters = _filters(filterset)
        qs = filterset.qs
        today = timezone.localdate()
        full = not self.masked and has_capability(user, "mentoring.export_named")
        headers = [
            _("编号"),
            _("姓名"),
            _("性别"),
            _("身份证号"),
            _("工作站"),
            _("类别"),
            _("阶段"),
            _("风险"),
            _("接收日期"),
            _("最近联系"),
            _("下次联系"),
            _("逾期"),
            _("结案结果"),
        ]

        def rows():
            for youth in qs.iterator(chunk_size=500):
                row = selectors.present(youth, user=user, today=today, full=full)
                yield [
                    youth.pk,
                    row.name,
                    youth.get_gender_display(),
                    row.id_number if full else "",  # no ID numbers, not even masked, in lists above the station
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

        writer = XlsxWriter(title=f"{user.scope_label} {self.title}", user=user, filters=filters)
        writer.sheet(str(self.title)[:28], headers, rows(), widths=[8, 10, 6, 22, 26, 24, 10, 6, 12, 12, 12, 6, 10])
        stamp = today.strftime("%Y%m%d")
        return ReportFile(
            writer.to_bytes(), f"{self.title}_{stamp}.xlsx", XLSX, row_count=writer.rows_written, filters=filters
        )


@register
class NamedYouthList(_YouthList):
    """Station: its own named list. County: the full list only with a stated reason (logged)."""

    slug = "mentoring-youth-named"
    title = _("帮教对象名单")
    capability = "mentoring.export_named"

    def requires_reason_for(self, user) -> bool:
        return not has_capability(user, "mentoring.view_identity")


@register
class MaskedYouthList(_YouthList):
    slug = "mentoring-youth-masked"
    title = _("帮教对象名单（脱敏）")
    capability = "mentoring.view"
    masked = True
