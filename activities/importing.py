"""Excel import of a station's activity ledger (issue 16): the shared reader and mapping step, then every
row through the online entry form and `activity_create`, all rows or none.

Names stand in for ids as offices write them: the activity type by its name (or either half of
"法治教育/法治宣讲"), the volunteers by name among the station's current members, the lecturer by name
among its legal lecturers (anyone else named there is recorded as the external lecturer, e.g. the
school's 法治副校长). A row identical to a recorded activity (same type, day and title) is an error, so
the same file imported twice records nothing twice.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from stations.audit.log import audit
from stations.imports.rows import Column, RowImporter
from stations.roles import works_at_station
from volunteers.models import StationRole
from volunteers.selectors import current_volunteers

from . import selectors, services
from .forms import ActivityForm
from .models import Activity, ActivityType


def _limit(name: str) -> int | None:
    return Activity._meta.get_field(name).max_length


class ActivityImporter(RowImporter):
    kind = "activities"
    what = "活动"
    capability = "activities.edit"
    audit_action = "activity.import"
    columns = (
        Column("type", "活动类型", ("活动类别", "类型", "类别", "活动形式", "活动种类"), True),
        Column(
            "title", "活动名称", ("活动主题", "主题", "名称", "活动标题", "活动项目"), True, max_length=_limit("title")
        ),
        Column("held_on", "活动日期", ("日期", "活动时间", "开展时间", "时间", "开展日期", "举办日期"), True, "date"),
        Column("hours", "时长（小时）", ("活动时长", "小时数", "时长小时", "用时"), kind="decimal"),
        Column("place", "活动地点", ("地点", "开展地点", "举办地点"), max_length=_limit("place")),
        Column("partner_name", "合作单位", ("协办单位", "联合单位", "合办单位"), max_length=_limit("partner_name")),
        Column(
            "volunteers", "参加志愿者", ("参加五老", "志愿者", "参加人员", "五老志愿者", "参与志愿者"), kind="names"
        ),
        Column("police_count", "参加民警（人次）", ("民警人数", "民警人次", "参加民警人数"), kind="int"),
        Column("teacher_count", "参加教师（人次）", ("教师人数", "教师人次", "参加教师人数"), kind="int"),
        Column("parent_count", "参加家长（人次）", ("家长人数", "家长人次", "参加家长人数"), kind="int"),
        Column(
            "audience_count",
            "受众（人次）",
            ("受众人数", "受众人次", "参加人数", "参与人数", "参加人次", "人数"),
            kind="int",
        ),
        Column(
            "minors_reached",
            "覆盖未成年人（人次）",
            ("未成年人人数", "青少年人数", "覆盖青少年", "受教育青少年人数", "未成年人人次"),
            kind="int",
        ),
        Column("school", "学校", ("学校名称", "进校园学校"), max_length=_limit("school")),
        Column("lecturer", "宣讲人", ("主讲人", "授课人", "宣讲员", "法治宣讲员"), targets=("vice_principal_name",)),
        Column("people_helped", "受助人数", ("救助人数", "帮扶人数", "资助人数"), kind="int"),
        Column("amount_yuan", "资助金额（元）", ("金额", "捐助金额", "资助金额元", "捐款金额"), kind="decimal"),
        Column("goods", "捐赠物资", ("物资", "捐助物资"), max_length=_limit("goods")),
        Column("attendee_units", "参会单位", ("参加单位",)),
        Column("decisions", "决定事项", ("会议决定", "议定事项")),
        Column("summary", "活动内容", ("内容", "活动简介", "主要内容", "简要内容", "活动情况", "备注")),
    )

    def prepare(self, *, actor) -> dict:
        if not works_at_station(actor):
            raise PermissionDenied("no own station")
        station = actor.workstation
        members = defaultdict(list)
        current = current_volunteers(user=actor, workstation=station)
        for volunteer in current:
            members[volunteer.name].append(volunteer)
        # the lecturer choices of the entry form: the station's current legal lecturers
        lecturers = set(current.filter(roles__role=StationRole.LEGAL_LECTURER).values_list("pk", flat=True))
        types = {}
        for activity_type in ActivityType.objects.filter(is_active=True):
            for name in (activity_type.name, *activity_type.name.split("/"), activity_type.code):
                types.setdefault(name, activity_type)
        return {"station": station, "members": members, "lecturers": lecturers, "types": types}

    def write_row(self, *, actor, data: dict, context: dict) -> None:
        station = context["station"]
        errors = {}
        activity_type = context["types"].get(data["type"])
        if activity_type is None:
            names = "、".join(sorted({t.name for t in context["types"].values()}))
            errors["type"] = _("活动类型“%(value)s”不在系统的类型中，应为：%(names)s") % {
                "value": data["type"],
                "names": names,
            }
        volunteer_ids = []
        for name in data.get("volunteers") or []:
            found = context["members"].get(name, [])
            if len(found) != 1:
                errors["volunteers"] = (
                    _("本站在册志愿者中没有“%(name)s”")
                    if not found
                    else _("本站有多名同名志愿者“%(name)s”，请在系统中选择")
                ) % {"name": name}
                break
            volunteer_ids.append(found[0].pk)
        lecturer_id, vice_principal = None, ""
        if data.get("lecturer"):
            found = [v for v in context["members"].get(data["lecturer"], []) if v.pk in context["lecturers"]]
            if len(found) == 1:
                lecturer_id = found[0].pk
            else:
                vice_principal = data["lecturer"]
        if errors:
            raise ValidationError(errors)
        if selectors.activity_recorded(
            user=actor, workstation=station, activity_type=activity_type, held_on=data["held_on"], title=data["title"]
        ):
            raise ValidationError({"title": _("本站已登记同一天、同类型、同名称的活动（可能已导入过）")})
        post = {
            "type": activity_type.pk,
            "held_on": data["held_on"].isoformat(),
            "volunteers": volunteer_ids,
            "lecturer": lecturer_id or "",
            "vice_principal_name": vice_principal,
        }
        for column in self.columns:
            if column.key in ("type", "held_on", "volunteers", "lecturer"):
                continue
            value = data.get(column.key)
            if value is None:
                default = Activity._meta.get_field(column.key).default
                value = "" if callable(default) or default is None or default == "" else default
            post[column.key] = value
        post.setdefault("audience_kind", Activity._meta.get_field("audience_kind").default)
        form = ActivityForm(post, user=actor, workstation=station)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        services.activity_create(actor=actor, workstation=station, **form.service_kwargs())

    def log(self, *, actor, object_repr: str, changes: dict) -> None:
        audit(actor=actor, action="activity.import", object_repr=object_repr, changes=changes)


IMPORTER = ActivityImporter()
