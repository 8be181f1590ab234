"""Every write of the mentoring app leaves its audit entry (AUD-2); hostile text is stored, never rendered as markup."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring import exports, services
from mentoring.tests.factories import PoliceCallFactory, VolunteerFactory, YouthFactory
from stations.models import AuditEntry


def _cases(world):
    today = timezone.localdate()
    staff, head = world.user("staff"), world.user("head")
    station = world.a.station

    def intake():
        services.youth_intake(
            actor=staff,
            workstation=station,
            categories=["misconduct"],
            name="审计测",
            gender="male",
            birth_date=today.replace(year=today.year - 16),
            school_status="junior",
            intake_source="school",
            intake_on=today,
            risk_level="low",
            risk_assessed_on=today,
        )

    def youth():
        return YouthFactory(workstation=station)

    return {
        "youth.intake": intake,
        "youth.update": lambda: services.youth_update(actor=staff, youth=youth(), categories=["idle"], home_area="x"),
        "youth.guardian_add": lambda: services.guardian_add(actor=staff, youth=youth(), relation="父", name="某父"),
        "youth.consent": lambda: services.youth_consent_record(
            actor=staff, youth=youth(), consent_by="某", consent_relation="母", consent_on=today, consent_scope="帮教"
        ),
        "youth.assess": lambda: services.youth_assess(actor=staff, youth=youth(), risk_level="high", assessed_on=today),
        "youth.stage_active": lambda: services.youth_transition(
            actor=staff, youth=YouthFactory(workstation=station, stage="intake"), to_stage="active", reason="开始"
        ),
        "youth.close_propose": lambda: services.youth_close_propose(
            actor=staff, youth=youth(), outcome="completed", closed_on=today
        ),
        "youth.close": lambda: services.youth_close(actor=head, youth=youth(), outcome="employed", closed_on=today),
        "youth.followup": lambda: services.followup_record(
            actor=staff,
            youth=YouthFactory(workstation=station, stage="closed", closed_on=today, outcome="completed"),
            done_on=today,
            summary="好",
        ),
        "mentor_team.create": lambda: services.team_create(
            actor=staff,
            youth=youth(),
            team_type="one_to_one",
            lead=VolunteerFactory(workstation=station),
            members=[],
            formed_on=today - timedelta(days=1),
        ),
        "visit.record": lambda: services.visit_record(
            actor=staff, youth=youth(), visited_on=today, place="家", form="home", summary="谈心"
        ),
        "youth.milestone": lambda: services.milestone_record(actor=staff, youth=youth(), kind="employed", on=today),
        "youth.reinvolvement": lambda: services.reinvolvement_record(
            actor=staff, youth=youth(), kind="admin", on=today
        ),
        "police_call.record": lambda: services.call_record(
            actor=staff, workstation=station, kind="runaway", called_at=timezone.now(), reference="JQ1"
        ),
        "police_call.followup": lambda: services.call_followup(
            actor=staff, call=PoliceCallFactory(workstation=station), followup_on=today, result="no_need"
        ),
        "youth.seal": lambda: services.youth_seal(actor=head, youth=youth(), ground="刑诉法第286条"),
        "youth.view_full": lambda: services.log_full_view(
            actor=world.user("county"), youth=youth(), reason_code="inspection", reason="半年督查抽查帮教档案"
        ),
        "export.named": lambda: (
            youth()
            and exports.named_export_create(
                actor=world.user("county"),
                filters={"workstation": station},
                reason_code="inspection",
                reason="半年督查抽查帮教档案",
            )
        ),
    }


ACTIONS = [
    "youth.intake",
    "youth.update",
    "youth.guardian_add",
    "youth.consent",
    "youth.assess",
    "youth.stage_active",
    "youth.close_propose",
    "youth.close",
    "youth.followup",
    "mentor_team.create",
    "visit.record",
    "youth.milestone",
    "youth.reinvolvement",
    "police_call.record",
    "police_call.followup",
    "youth.seal",
    "youth.view_full",
    "export.named",
]


@pytest.mark.parametrize("action", ACTIONS)
def test_each_write_leaves_exactly_one_entry(world, action):
    before = AuditEntry.objects.count()
    _cases(world)[action]()
    entries = AuditEntry.objects.order_by("pk")[before:]
    assert [e.action for e in entries] == [action]
    assert entries[0].actor is not None


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_text_is_escaped_on_the_case_page(world, client):
    youth = YouthFactory(workstation=world.a.station, name=HOSTILE[:50])
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("mentoring:visit-create", args=[youth.pk]),
        {"visited_on": timezone.localdate().isoformat(), "form": "home", "place": HOSTILE[:100], "summary": HOSTILE},
        follow=True,
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;" in text
