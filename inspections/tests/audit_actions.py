"""Audited actions of the inspections app, each performed through its page (see tests/audit_support.py)."""

from datetime import date

from inspections.models import AwardCycle, Inspection, InspectionRound, Nomination, Rectification
from inspections.tests import access
from tests.access import today
from tests.audit_support import Expect, post


def _round_open(world, client):
    data = {"county": world.a.county.pk, "year": str(date.today().year), "half": "1"}
    post(client, world.user("county"), "inspections:round-open", data=data)
    return Expect(world.user("county"), InspectionRound.objects.get(county=world.a.county))


def _score(world, client, *, submit=False):
    inspection = access.inspection_of(world.a)
    data = {"inspected_on": "2025-06-01", "summary": "总体良好"}
    for entry in inspection.items.all():
        data[f"v_{entry.pk}_0"] = "80"
    if submit:
        data.update(submit="1", methods=["report", "ledger"])
    post(client, world.user("county"), "inspections:inspection-score", {"pk": inspection.pk}, data)
    return Expect(world.user("county"), inspection)


def _on(name, make, data, role, *, kwargs=None, obj=None):
    """`data(target)` posted to URL `name` of `make(side a)` by `role`; the entry names `obj(target)`."""

    def perform(world, client):
        target = make(world.a)
        url_kwargs = kwargs(target) if kwargs else {"pk": target.pk}
        post(client, world.user(role), name, url_kwargs, data(target))
        return Expect(world.user(role), obj(target) if obj else target)

    return perform


def _raise(world, client):
    inspection = access.inspection_of(world.a)
    data = {"finding": "无记录", "responsible": "王", "severity": "normal"}
    post(client, world.user("county"), "inspections:rectification-raise", {"pk": inspection.pk}, data)
    return Expect(world.user("county"), Rectification.objects.get(inspection=inspection))


def _checklist_save(world, client):
    kwargs = {"station": world.a.station.pk, "year": 2025}
    post(
        client, world.user("staff"), "inspections:checklist-detail", kwargs, {"highlights": "护学岗", "filled_by": "刘"}
    )
    return Expect(world.user("staff"), world.a.station.annual_checklists.get(year=2025))


def _checklist(action, role, data=None, *, submitted=True):
    def perform(world, client):
        checklist = access.checklist_of(world.a)
        kwargs = {"station": world.a.station.pk, "year": 2025}
        if submitted:
            post(client, world.user("head"), "inspections:checklist-action", {**kwargs, "action": "submit"})
        post(client, world.user(role), "inspections:checklist-action", {**kwargs, "action": action}, data or {})
        return Expect(world.user(role), checklist)

    return perform


def _award_open(world, client):
    data = {"first_year": "2019", "min_each": "85", "min_mean": "90", "quota_percent": "10", "notice_days": "7"}
    post(client, world.user("prov"), "inspections:award-open", data=data)
    return Expect(world.user("prov"), AwardCycle.objects.get(first_year=2019))


def _cycle(status):
    return lambda side: access.cycle_of(side, status=status)


def _nomination(cycle_status, status):
    def make(side):
        nomination = access.nomination_of(side)
        AwardCycle.objects.filter(pk=nomination.cycle_id).update(status=cycle_status, notice_start=date(2025, 1, 1))
        Nomination.objects.filter(pk=nomination.pk).update(status=status)
        return nomination

    return make


def _nominate(world, client):
    from inspections import services
    from inspections.tests.conftest import province_of, simple_template
    from inspections.tests.test_checklist_award import two_years

    simple_template(world.a.province, 2020)
    two_years(world, world.user("county"), {world.a.station.pk: [92, 93, 94, 95]})
    cycle = services.award_cycle_open(actor=world.user("prov"), province=province_of(world.a), first_year=2023)
    data = {"workstation": world.a.station.pk, "reason": "帮教成效突出"}
    post(client, world.user("county"), "inspections:award-nominate", {"pk": cycle.pk}, data)
    return Expect(world.user("county"), Nomination.objects.get(cycle=cycle))


def _action(action):
    return lambda obj: {"pk": obj.pk, "action": action}


CASES = {
    "inspection_round.open": _round_open,
    "inspection.score": _score,
    "inspection.submit": lambda world, client: _score(world, client, submit=True),
    "inspection.correct": _on(
        "inspections:inspection-correct",
        access.submitted_inspection,
        lambda o: {"reason": "分数录错"},
        "county",
        obj=lambda o: Inspection.objects.get(round=o.round, workstation=o.workstation, version=2),  # the correction
    ),
    "rectification.raise": _raise,
    "rectification.answer": _on(
        "inspections:rectification-answer",
        access.rect_of,
        lambda o: {"answer": "已整改", "files": access._pdf()},
        "staff",
    ),
    "rectification.verify": _on("inspections:rectification-verify", access.answered_rect, lambda o: {}, "county"),
    "rectification.return": _on(
        "inspections:rectification-return", access.answered_rect, lambda o: {"reason": "缺签到表"}, "county"
    ),
    "checklist.save": _checklist_save,
    "checklist.submit": _checklist("submit", "head", submitted=False),
    "checklist.review": _checklist("review", "city", {"note": "同意"}),
    "checklist.reopen": _checklist("reopen", "county", {"reason": "经费数据有误"}),
    "award.open": _award_open,
    "award.advance": _on("inspections:award-advance", _cycle("nominating"), lambda o: {"to": "reviewing"}, "prov"),
    "award.close": _on("inspections:award-advance", _cycle("deciding"), lambda o: {"to": "closed"}, "prov"),
    "award.nominate": _nominate,
    "award.city_review": _on(
        "inspections:nomination-action",
        _nomination("reviewing", "nominated"),
        lambda o: {"approve": "1"},
        "city",
        kwargs=_action("review"),
    ),
    "award.objection": _on(
        "inspections:nomination-action",
        _nomination("notice", "city_approved"),
        lambda o: {"text": "群众来信反映台账不实", "received_on": today()},
        "prov",
        kwargs=_action("objection"),
    ),
    "award.decide": _on(
        "inspections:nomination-action",
        _nomination("deciding", "city_approved"),
        lambda o: {"award": "1"},
        "prov",
        kwargs=_action("decide"),
    ),
    "award.objection_handle": _on(
        "inspections:objection-handle",
        access.objection_of,
        lambda o: {"handling": "经核查不属实"},
        "prov",
        obj=lambda o: o.nomination,
    ),
}

from inspections.tests.audit_actions_admin import CASES as _ADMIN_CASES  # noqa: E402  (Django admin)

CASES.update(_ADMIN_CASES)
