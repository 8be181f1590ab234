"""Audited actions of the mentoring app, each performed through its page (see tests/audit_support.py)."""

from django.core.management import call_command
from django.utils import timezone

from mentoring.models import NightEncounter, PoliceCall, Youth
from mentoring.tests import access
from mentoring.tests.factories import PoliceCallFactory, VolunteerFactory, YouthFactory
from tests.access import today
from tests.audit_support import Expect, post


def _create(world, client):
    from mentoring.tests.test_views import intake_data

    post(client, world.user("staff"), "mentoring:youth-create", data=intake_data())
    return Expect(world.user("staff"), Youth.objects.get(name="李测小明"))


def _on_youth(name, data, *, role="staff", make=access.youth, expect=(302,)):
    """`data(youth)` posted to the youth's URL `name` by `role`."""

    def perform(world, client):
        youth = make(world.a)
        post(client, world.user(role), name, {"pk": youth.pk}, data(youth), expect=expect)
        return Expect(world.user(role), youth)

    return perform


def _team(world, client):
    youth = YouthFactory(workstation=world.a.station)
    lead = VolunteerFactory(workstation=world.a.station)
    data = {"team_type": "one_to_one", "lead": lead.pk, "formed_on": youth.intake_on.isoformat()}
    post(client, world.user("staff"), "mentoring:team-create", {"pk": youth.pk}, data)
    return Expect(world.user("staff"), youth.teams.get())


def _call(world, client):
    called = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data = {"kind": "runaway", "called_at": called, "reference": "JQ2026AUD"}
    post(client, world.user("staff"), "mentoring:call-create", data=data)
    return Expect(world.user("staff"), PoliceCall.objects.get(reference="JQ2026AUD"))


def _call_followup(world, client):
    call = PoliceCallFactory(workstation=world.a.station)
    data = {"followup_on": today(), "result": "no_need", "note": "已回访"}
    post(client, world.user("staff"), "mentoring:call-followup", {"pk": call.pk}, data)
    return Expect(world.user("staff"), call)


def _encounter(world, client):
    met = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data = {"met_at": met, "place": "网吧门口", "measures": "供餐"}
    post(client, world.user("staff"), "mentoring:encounter-create", data=data)
    return Expect(world.user("staff"), NightEncounter.objects.get())


def _view_sealed(world, client):
    youth = access.sealed_youth(world.a)
    data = {"case": youth.pk, "reason_code": "legal_query", "reason": "检察院依法查询封存记录函"}
    post(client, world.user("head"), "mentoring:sealed-view", data=data, expect=(200,))
    return Expect(world.user("head"), youth)


def _anonymise(world, client):
    """The retention command an operator schedules (DATA-5)."""
    from mentoring.tests.test_retention import closed_youth

    youth = closed_youth(world.a.station, closed_years_ago=5, name="旧案审计", seq=17)
    call_command("anonymise_cases")
    return Expect(None, youth, username="retention")


REASON = {"reason_code": "inspection", "reason": "2025年上半年督查抽查本站帮教档案"}


def _named_export(world, client):
    """The county's encrypted named list of one station: the entry names the stored job."""
    from stations.models import ExportJob

    access.youth(world.a)
    post(client, world.user("county"), "mentoring:youth-export", data={**REASON, "workstation": world.a.station.pk})
    return Expect(world.user("county"), ExportJob.objects.get(report="mentoring-youth-named"))


def _import(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mentoring.tests.test_import import files, good_rows

    staff = world.user("staff")
    upload = SimpleUploadedFile("y.xlsx", files(good_rows()))
    response = post(client, staff, "mentoring:youth-import", data={"file": upload}, expect=(200,))
    post(client, staff, "mentoring:youth-import-confirm", data={"token": response.context["token"]})
    assert Youth.objects.filter(name="测试甲").exists()
    return Expect(staff, None)


CASES = {
    "export.named": _named_export,
    "youth.import": _import,
    "youth.intake": _create,
    "youth.update": _on_youth(
        "mentoring:youth-edit",
        lambda y: {"categories": ["misconduct"], "school_status": "junior", "home_area": "新社区", "kind": "mentoring"},
    ),
    "youth.guardian_add": _on_youth("mentoring:guardian-create", lambda y: {"relation": "父亲", "name": "李父"}),
    "youth.consent": _on_youth(
        "mentoring:youth-consent",
        lambda y: {"consent_by": "李某", "consent_relation": "母亲", "consent_on": today(), "consent_scope": "帮教"},
    ),
    "youth.consent_withdraw": _on_youth(
        "mentoring:youth-consent-withdraw", lambda y: {"withdrawn_on": today()}, make=access.consented_youth
    ),
    "youth.assess": _on_youth("mentoring:youth-assess", lambda y: {"risk_level": "high", "assessed_on": today()}),
    "youth.stage_active": _on_youth(
        "mentoring:youth-transition",
        lambda y: {"to_stage": "active", "reason": "接案评估完成"},
        make=access.intake_youth,
    ),
    "youth.close_propose": _on_youth(
        "mentoring:youth-close", lambda y: {"outcome": "completed", "closed_on": today(), "note": "表现良好"}
    ),
    "youth.close": _on_youth("mentoring:youth-close-approve", lambda y: {}, role="head", make=access.proposed_youth),
    "youth.followup": _on_youth(
        "mentoring:followup-create", lambda y: {"done_on": today(), "summary": "回访正常"}, make=access.closed_youth
    ),
    "mentor_team.create": _team,
    "visit.record": _on_youth(
        "mentoring:visit-create",
        lambda y: {"visited_on": today(), "form": "phone", "place": "电话", "summary": "通话", "hours": "1"},
    ),
    "youth.milestone": _on_youth("mentoring:milestone-create", lambda y: {"kind": "back_to_school", "on": today()}),
    "youth.reinvolvement": _on_youth("mentoring:reinvolvement-create", lambda y: {"kind": "admin", "on": today()}),
    "police_call.record": _call,
    "police_call.followup": _call_followup,
    "night_encounter.record": _encounter,
    "youth.seal": _on_youth("mentoring:youth-seal", lambda y: {"ground": "刑事诉讼法第二百八十六条"}, role="head"),
    "youth.unseal_request": _on_youth(
        "mentoring:unseal-request", lambda y: {"ground": "依法申请解封"}, role="head", make=access.sealed_youth
    ),
    "youth.unseal": _on_youth(
        "mentoring:unseal-approve", lambda y: {"reason": "同意解封"}, role="county", make=access.sealed_requested
    ),
    "youth.view_full": _on_youth("mentoring:youth-full", lambda y: REASON, role="county", expect=(200,)),
    "youth.view_sealed": _view_sealed,
    "youth.anonymise": _anonymise,
}
