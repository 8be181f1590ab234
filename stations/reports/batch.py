"""Batch documents (issue 16 §4): a county's annual checklists or station annual reports, or every county's
summary of a city or province, as one ZIP built by a background job with progress.

A batch is made of another registered report (by slug: `stations` names the inspections app's checklist
PDF without importing it), built once per station or county *as the requester*, so each member goes
through the same scope and capability checks as its single download.
"""

import io
import zipfile

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stations.exports import REGISTRY, Report, ReportFile, register
from stations.models import OrgKind, StationStatus
from stations.roles import has_capability
from stations.scoping import stations_under, visible_to

from .summary import period_from, summary_root

ZIP = "application/zip"


class _Batch(Report):
    member = ""  # slug of the report built for each item
    kinds: tuple = ()
    what = ""  # the members' name in the ZIP's file name

    def items(self, *, user, root, year) -> list[tuple[str, dict]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _member(self, user):
        if self.member not in REGISTRY:
            raise PermissionDenied(_("该打包下载暂不可用"))
        member = REGISTRY[self.member]()
        if not has_capability(user, member.capability):
            raise PermissionDenied(_("您无权导出其中的文件"))
        return member

    def check_params(self, *, user, params):
        """Called when the job starts: a foreign unit, a bad year or a missing right is refused at once."""
        root = summary_root(user=user, params=params, kinds=self.kinds)
        year = period_from(params).year
        self._member(user)
        return f"{root.name}{year}年{self.title}"

    def build(self, *, user, params) -> ReportFile:
        root = summary_root(user=user, params=params, kinds=self.kinds)
        year = period_from(params).year
        member = self._member(user)
        items = self.items(user=user, root=root, year=year)
        progress = getattr(self, "progress", None) or (lambda percent: None)
        buffer = io.BytesIO()
        names = set()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for index, (prefix, member_params) in enumerate(items, start=1):
                query = QueryDict(mutable=True)
                query.update({key: str(value) for key, value in member_params.items()})
                result = member.build(user=user, params=query)
                name = f"{prefix}_{result.filename}"
                while name in names:  # two stations of one name still get two files
                    name = f"{index}_{name}"
                names.add(name)
                archive.writestr(name, result.content)
                progress(100 * index / max(len(items), 1))
        stamp = timezone.localdate().strftime("%Y%m%d")
        return ReportFile(
            buffer.getvalue(),
            f"{root.name}_{year}_{self.what}_{stamp}.zip",
            ZIP,
            row_count=len(items),
            filters={_("汇总单位"): root.name, _("年度"): str(year)},
        )


class _StationBatch(_Batch):
    kinds = (OrgKind.COUNTY,)

    def items(self, *, user, root, year):
        stations = visible_to(stations_under(root), user).filter(status=StationStatus.ACTIVE).order_by("code")
        return [(station.code, {"workstation": station.pk, "year": year}) for station in stations]


@register
class CountyChecklists(_StationBatch):
    slug = "county-checklists"
    title = gettext_lazy("年度台账（全县打包）")
    capability = "reports.export_aggregate"
    member = "annual-checklist"
    what = "年度台账"


@register
class CountyAnnualReports(_StationBatch):
    slug = "county-annual-reports"
    title = gettext_lazy("工作站年度工作报告（全县打包）")
    capability = "reports.export_aggregate"
    member = "station-annual-report"
    what = "工作站年度报告"


@register
class CountySummaries(_Batch):
    """Every county's summary PDF under a city or the province."""

    slug = "county-summaries"
    title = gettext_lazy("各县（区）工作汇总（打包）")
    capability = "reports.export_aggregate"
    member = "county-summary-pdf"
    kinds = (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.SYSTEM)
    what = "各县汇总"

    def items(self, *, user, root, year):
        from stations.models import OrgUnit, subtree_q

        counties = visible_to(OrgUnit.objects.filter(kind=OrgKind.COUNTY), user).filter(subtree_q("path", root.path))
        return [(county.code, {"org": county.pk, "year": year}) for county in counties.order_by("path")]
