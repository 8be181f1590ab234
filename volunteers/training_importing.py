"""Excel import of a station's trainings with their attendance (issue 16), on the shared reader.

Offices keep attendance one person a row (培训主题, 日期, 学时, then 姓名 and 身份证号) or one training a
row with the attendees' names in one cell; both work. Rows with the same subject and day make one
training. An attendee is found among the station's current volunteers by ID number (lookup hash) or,
without one, by a name that only one of them has. Each training goes through the entry form and
`training_create`; all trainings or none. A training already recorded (same subject and day) is an
error, so the same file imported twice records nothing twice.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from stations import idnumbers
from stations.audit.log import audit
from stations.imports.rows import Column, RowImporter
from stations.roles import works_at_station

from . import selectors, services
from .forms import TrainingForm


class TrainingImporter(RowImporter):
    kind = "trainings"
    what = "培训"
    capability = "volunteers.edit"
    audit_action = "training.import"
    columns = (
        Column("title", "培训主题", ("培训内容", "培训名称", "主题", "培训项目", "培训课程"), True, max_length=100),
        Column("held_on", "培训日期", ("日期", "培训时间", "时间", "举办日期"), True, "date"),
        Column(
            "organiser", "组织单位", ("主办单位", "培训单位", "组织部门", "举办单位", "承办单位"), True, max_length=100
        ),
        Column("hours", "学时（小时）", ("学时", "培训学时", "时长", "课时", "学时数", "培训时长"), True, "decimal"),
        Column("attendee_names", "参训人员", ("参加人员", "参训志愿者", "参训人", "参加培训人员"), kind="names"),
        Column("name", "姓名", ("名字", "参训人姓名", "志愿者姓名", "人员姓名"), targets=("attendees",)),
        Column("id_number", "身份证号", ("公民身份号码", "身份证号码", "身份证", "证件号码"), kind="id"),
    )

    def prepare(self, *, actor) -> dict:
        if not works_at_station(actor):
            raise PermissionDenied("no own station")
        station = actor.workstation
        by_name, by_hash = defaultdict(list), {}
        for volunteer in selectors.current_volunteers(user=actor, workstation=station):
            by_name[volunteer.name].append(volunteer)
            if volunteer.id_hash:
                by_hash[volunteer.id_hash] = volunteer
        return {"station": station, "by_name": by_name, "by_hash": by_hash}

    def _one_by_name(self, name: str, context: dict):
        found = context["by_name"].get(name, [])
        if not found:
            raise ValueError(_("本站在册志愿者中没有“%(name)s”") % {"name": name})
        if len(found) > 1:
            raise ValueError(_("本站有多名同名志愿者“%(name)s”，请填写身份证号") % {"name": name})
        return found[0]

    def check_row(self, *, data: dict, context: dict) -> None:
        errors, attendees = {}, []
        if data.get("id_number"):
            person = context["by_hash"].get(idnumbers.lookup_hash(data["id_number"]))
            if person is None:
                errors["id_number"] = _("本站在册志愿者中没有这个身份证号的人员")
            elif data.get("name") and data["name"] != person.name:
                errors["name"] = _("姓名与身份证号对应的志愿者“%(name)s”不一致") % {"name": person.name}
            else:
                attendees.append(person)
        elif data.get("name"):
            try:
                attendees.append(self._one_by_name(data["name"], context))
            except ValueError as exc:
                errors["name"] = str(exc)
        for name in data.get("attendee_names") or []:
            try:
                attendees.append(self._one_by_name(name, context))
            except ValueError as exc:
                errors["attendee_names"] = str(exc)
                break
        if errors:
            raise ValidationError(errors)
        data["attendees"] = attendees

    def group(self, rows):
        units, first, conflicts = [], {}, []
        for number, data in rows:
            key = (data["title"], data["held_on"])
            if key not in first:
                first[key] = (number, data)
                units.append((number, data))
                continue
            first_number, unit = first[key]
            for field in ("organiser", "hours"):
                if data[field] != unit[field]:
                    message = _("与第 %(n)d 行同一培训（主题、日期相同）的内容不一致") % {"n": first_number}
                    conflicts.append((number, ValidationError({field: message})))
            unit["attendees"] = unit["attendees"] + [p for p in data["attendees"] if p not in unit["attendees"]]
        return units, conflicts

    def write_row(self, *, actor, data: dict, context: dict) -> None:
        station = context["station"]
        if selectors.training_recorded(user=actor, workstation=station, title=data["title"], held_on=data["held_on"]):
            raise ValidationError({"title": _("本站已登记同一天、同主题的培训（可能已导入过）")})
        form = TrainingForm(
            {
                "workstation": station.pk,
                "title": data["title"],
                "held_on": data["held_on"].isoformat(),
                "organiser": data["organiser"],
                "hours": data["hours"],
                "attendees": [p.pk for p in data["attendees"]],
            },
            user=actor,
            attendee_queryset=selectors.attendee_choices(user=actor),
        )
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        cleaned = {k: v for k, v in form.cleaned_data.items() if k != "certificate"}
        services.training_create(actor=actor, **cleaned)

    def log(self, *, actor, object_repr: str, changes: dict) -> None:
        audit(actor=actor, action="training.import", object_repr=object_repr, changes=changes)


IMPORTER = TrainingImporter()
