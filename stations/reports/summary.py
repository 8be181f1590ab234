"""The yearly summary (DESIGN §7): every registered figure for every station, unit and level of a subtree.

Reads only named figures (stations.figures) and org names — never a person. One `for_stations` call per
figure covers all stations of the subtree; merged stations are folded into their successor
(`counting_station_ids`). Totals of additive figures are sums of the station rows below them, so they
reconcile exactly from station to province; non-additive figures use their own `total_for`.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy

from stations.exports import Report, ReportFile, register
from stations.figures import FIGURES, Figure, Period, all_figures, shared_work
from stations.models import OrgKind, OrgUnit, StationStatus, subtree_q
from stations.scoping import stations_under
from stations.selectors import counting_station_ids

SUBMITTED_KEY = "inspections.checklist_submitted"


@dataclass
class Row:
    """One line of the summary: a station or an org unit with its figure values by key."""

    name: str
    kind: str
    pk: int
    city: str = ""
    county: str = ""
    code: str = ""
    status: str = ""
    folded: list[str] = field(default_factory=list)
    values: dict[str, float] = field(default_factory=dict)
    station_ids: list[int] = field(default_factory=list)


@dataclass
class Summary:
    root: OrgUnit
    period: Period
    figures: list[Figure]
    total: Row
    cities: list[Row]
    counties: list[Row]
    stations: list[Row]
    not_submitted: list[Row]
    submitted_known: bool

    def levels(self):
        """(label, rows) from the top: the root's total, then each level below it."""
        levels = [("total", [self.total])]
        if self.cities:
            levels.append(("cities", self.cities))
        if self.counties:
            levels.append(("counties", self.counties))
        levels.append(("stations", self.stations))
        return levels


class SubtreeStationIds(list):
    """The ids of a subtree's stations. In Python a plain list; used in an ORM `__in` filter it becomes
    the subquery that selected them, so a figure over 1,500 stations does not make Django prepare (and the
    database parse) a 1,500-parameter IN list. Same rows either way: both come from the same filter."""

    def __init__(self, ids, queryset):
        super().__init__(ids)
        self._subquery = queryset.values("pk")

    def resolve_expression(self, *args, **kwargs):
        return self._subquery.resolve_expression(*args, **kwargs)


def _units_below(root: OrgUnit) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(subtree_q("path", root.path)).order_by("path"))


@shared_work()
def build_summary(
    *, root: OrgUnit, period: Period, figures: list[Figure] | None = None, progress: Callable | None = None
) -> Summary:
    """Compute the summary of `root`'s subtree in a number of queries that does not grow with stations."""
    figures = all_figures() if figures is None else figures
    # Whatever the columns, the list of stations that have not submitted is always worked out from the
    # checklist figure when the inspections app registers it (a PDF with a few columns and the workbook
    # with all of them list the same stations).
    computed = list(figures)
    if SUBMITTED_KEY in FIGURES and all(fig.key != SUBMITTED_KEY for fig in figures):
        computed.append(FIGURES[SUBMITTED_KEY])
    report = progress or (lambda percent: None)
    units = _units_below(root)
    by_id = {unit.pk: unit for unit in units}
    in_root = stations_under(root)
    # (pk, code, name, status, county_id) tuples: cheaper than dicts at province scale
    stations = list(in_root.order_by("org_path", "code").values_list("pk", "code", "name", "status", "county_id"))
    station_ids = SubtreeStationIds([s[0] for s in stations], in_root)
    in_subtree = set(station_ids)
    folding = {src: dst for src, dst in counting_station_ids(on=period.end).items() if src in in_subtree}
    folding = {src: dst for src, dst in folding.items() if dst in in_subtree}
    names = {s[0]: s[2] for s in stations}

    station_rows: dict[int, Row] = {}
    for pk, code, name, status, county_id in stations:
        if pk in folding:
            continue
        county = by_id.get(county_id)
        city = by_id.get(county.parent_id) if county else None
        station_rows[pk] = Row(
            name=name,
            kind="station",
            pk=pk,
            city=city.name if city else "",
            county=county.name if county else "",
            code=code,
            status=status,
            station_ids=[pk],
        )
    for src, dst in folding.items():
        station_rows[dst].station_ids.append(src)
        station_rows[dst].folded.append(names[src])

    # Org rows: counties and the level between root and counties (cities or system units).
    county_rows: dict[int, Row] = {}
    city_rows: dict[int, Row] = {}
    for unit in units:
        if unit.kind == OrgKind.COUNTY and unit.pk != root.pk:
            parent = by_id.get(unit.parent_id)
            county_rows[unit.pk] = Row(
                name=unit.name, kind="county", pk=unit.pk, city=parent.name if parent else "", county=unit.name
            )
        elif unit.kind in (OrgKind.CITY, OrgKind.SYSTEM) and unit.pk != root.pk:
            city_rows[unit.pk] = Row(name=unit.name, kind="city", pk=unit.pk, city=unit.name)
    total = Row(name=root.name, kind=root.kind, pk=root.pk)

    county_of = {s[0]: s[4] for s in stations}
    parents: dict[int, list[Row]] = {}
    for row in station_rows.values():
        chain = [total]
        county_id = county_of[row.pk]
        if county_id in county_rows:
            chain.append(county_rows[county_id])
            city_id = by_id[county_id].parent_id
            if city_id in city_rows:
                chain.append(city_rows[city_id])
        for target in chain:
            target.station_ids.extend(row.station_ids)
        parents[row.pk] = chain

    rows_by_level = [list(station_rows.values()), list(county_rows.values()), list(city_rows.values()), [total]]
    walk = [(row, row.pk, bool(row.folded), parents[row.pk]) for row in rows_by_level[0]]
    for index, fig in enumerate(computed):
        # per_station directly (not for_stations, which would copy the ids into a plain list)
        raw = fig.per_station(station_ids=station_ids, period=period)
        key = fig.key
        if fig.additive:
            # Each unit is the sum of the station rows below it, so totals reconcile exactly.
            for level in rows_by_level[1:]:
                for row in level:
                    row.values[key] = 0
            get = raw.get
            for row, pk, folded, chain in walk:
                value = get(pk, 0)
                if folded:
                    value += sum(get(i, 0) for i in row.station_ids[1:])
                row.values[key] = value
                if value:
                    for parent in chain:
                        parent.values[key] += value
        else:
            # Units (and stations with merged ones folded in) get the figure's own total, all at once.
            grouped = [row for row in rows_by_level[0] if row.folded]
            grouped += [row for level in rows_by_level[1:] for row in level]
            totals = fig.totals_for_groups(groups={id(row): row.station_ids for row in grouped}, period=period)
            for row in rows_by_level[0]:
                if not row.folded:
                    row.values[key] = raw.get(row.pk, 0)
            for row in grouped:
                row.values[key] = totals.get(id(row), 0)
        report(10 + int(80 * (index + 1) / max(len(computed), 1)))

    submitted_known = any(fig.key == SUBMITTED_KEY for fig in computed)
    not_submitted = [
        row
        for row in station_rows.values()
        if row.status == StationStatus.ACTIVE and not (submitted_known and row.values.get(SUBMITTED_KEY))
    ]
    return Summary(
        root=root,
        period=period,
        figures=figures,
        total=total,
        cities=list(city_rows.values()),
        counties=list(county_rows.values()),
        stations=list(station_rows.values()),
        not_submitted=not_submitted,
        submitted_known=submitted_known,
    )


def unsubmitted_by_county(summary: Summary) -> list[tuple[str, str, int, int]]:
    """(city, county, stations not submitted, active stations) for each county with a station missing."""
    missing = defaultdict(int)
    active = defaultdict(int)
    for row in summary.stations:
        if row.status == StationStatus.ACTIVE:
            active[(row.city, row.county)] += 1
    for row in summary.not_submitted:
        missing[(row.city, row.county)] += 1
    return [(city, county, n, active[(city, county)]) for (city, county), n in missing.items()]


# --- the Excel documents ---------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _number(value):
    """Excel cells get plain numbers: whole numbers as int, others rounded to two decimals."""
    if value is None:
        return 0
    number = float(value)
    return int(number) if number == int(number) else round(number, 2)


def write_summary_xlsx(summary: Summary, *, user, title: str) -> tuple[bytes, int]:
    """Cover, one sheet per level, and the not-submitted sheet. Only figures and org names are written."""
    from django.utils.translation import gettext as _

    from stations.exports.xlsx import XlsxWriter

    writer = XlsxWriter(
        title=title,
        user=user,
        filters={_("年度"): summary.period.label, _("汇总单位"): summary.root.name},
    )
    figure_headers = [f"{fig.label}（{fig.unit}）" if fig.unit else str(fig.label) for fig in summary.figures]
    keys = [fig.key for fig in summary.figures]
    widths = [12] * len(keys)  # at least this wide; wider where the header needs it
    money = [index for index, fig in enumerate(summary.figures) if str(fig.unit) == "元"]

    def values(row):
        return [_number(row.values.get(key)) for key in keys]

    status_labels = dict(StationStatus.choices)
    sheet_names = {
        "total": _("合计"),
        "cities": _("市（地）"),
        "counties": _("县（区）"),
        "stations": _("工作站"),
    }
    for level, rows in summary.levels():
        if level == "total":
            headers, lead = [_("单位")], lambda r: [r.name]
            lead_widths = [20]
        elif level == "cities":
            headers, lead = [_("市（地）")], lambda r: [r.name]
            lead_widths = [16]
        elif level == "counties":
            headers, lead = [_("市（地）"), _("县（区）")], lambda r: [r.city, r.county]
            lead_widths = [14, 16]
        else:
            headers = [_("市（地）"), _("县（区）"), _("编号"), _("工作站"), _("状态"), _("并入站点")]
            lead_widths = [12, 14, 12, 28, 8, 20]

            def lead(r):
                return [r.city, r.county, r.code, r.name, str(status_labels[r.status]), "、".join(r.folded)]

        writer.sheet(
            sheet_names[level],
            [*headers, *figure_headers],
            ([*lead(r), *values(r)] for r in rows),
            widths=[*lead_widths, *widths],
            key_columns=4 if level == "stations" else len(headers),  # up to the station's name
            money_columns=[len(headers) + index for index in money],
        )
    note = (
        _("按年度台账提交情况统计")
        if summary.submitted_known
        else _("检查模块尚未登记“年度台账已提交”指标，全部已建工作站列为未提交")
    )
    writer.sheet(
        _("未提交年度台账"),
        [_("市（地）"), _("县（区）"), _("编号"), _("工作站"), _("说明")],
        ([r.city, r.county, r.code, r.name, note] for r in summary.not_submitted),
        widths=[12, 14, 12, 28, 50],
        key_columns=4,
    )
    writer.sheet(
        _("未提交县（区）"),
        [_("市（地）"), _("县（区）"), _("未提交工作站数"), _("已建工作站数")],
        ([city, county, missing, active] for city, county, missing, active in unsubmitted_by_county(summary)),
        widths=[12, 16, 16, 14],
        key_columns=2,
    )
    return writer.to_bytes(), writer.rows_written


def period_from(params) -> Period:
    from django.core.exceptions import ValidationError
    from django.http import Http404
    from django.utils import timezone

    from stations.filters import parse_period

    raw = params.get("year") or params.get("period") or str(timezone.localdate().year - 1)
    try:
        return parse_period(raw)
    except ValidationError as exc:  # a download link with a bad period is not found
        raise Http404("bad period") from exc


def summary_root(*, user, params, kinds) -> OrgUnit:
    """The unit to summarise: `org` in the user's scope (404 otherwise), default the user's own unit."""
    from stations.filters import summary_unit

    return summary_unit(user=user, data=params, kinds=kinds)


class _SummaryReport(Report):
    """The yearly summary workbook of a unit (the job runs `build` in the background)."""

    kinds: tuple = ()

    def check_params(self, *, user, params):
        """Called when the job is started, so a foreign unit or a bad year is refused at once.
        Returns the job's title."""
        root = summary_root(user=user, params=params, kinds=self.kinds)
        period = period_from(params)
        return f"{root.name}{period.label}{self.title}"

    def build(self, *, user, params):
        root = summary_root(user=user, params=params, kinds=self.kinds)
        period = period_from(params)
        progress = getattr(self, "progress", None)
        summary = build_summary(root=root, period=period, progress=progress)
        title = f"{root.name}{period.label}{self.title}"
        content, rows = write_summary_xlsx(summary, user=user, title=title)
        stamp = timezone.localdate().strftime("%Y%m%d")
        return ReportFile(
            content,
            f"{root.name}_{period}_年度汇总_{stamp}.xlsx",
            XLSX,
            row_count=rows,
            filters={"年度": period.label, "汇总单位": root.name},
        )


@register
class ProvinceSummary(_SummaryReport):
    slug = "province-summary"
    title = gettext_lazy("工作情况汇总表")
    capability = "reports.export_province"
    kinds = (OrgKind.PROVINCE,)


@register
class AreaSummary(_SummaryReport):
    slug = "area-summary"
    title = gettext_lazy("工作情况汇总表")
    capability = "reports.export_aggregate"
    kinds = (OrgKind.CITY, OrgKind.SYSTEM, OrgKind.COUNTY)
