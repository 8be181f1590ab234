"""Access-matrix entries of the mentoring app (see tests/access.py).

City and province hold only `mentoring.view_aggregate`: every youth URL answers them 403.
"""

from tests.access import STATION, Entry, today

VIEWERS = STATION | {"county"}
HEAD = frozenset({"head"})
SEALED_READERS = frozenset({"head", "county"})


def youth(side):
    from .factories import YouthFactory

    return YouthFactory(workstation=side.station)


def closed_youth(side):
    from django.utils import timezone

    from .factories import YouthFactory

    return YouthFactory(workstation=side.station, stage="closed", outcome="completed", closed_on=timezone.localdate())


def proposed_youth(side):
    from django.utils import timezone

    from .factories import YouthFactory

    return YouthFactory(workstation=side.station, proposed_outcome="completed", proposed_closed_on=timezone.localdate())


def sealed_youth(side):
    from django.utils import timezone

    from .factories import YouthFactory

    return YouthFactory(
        workstation=side.station, is_sealed=True, sealed_on=timezone.localdate(), seal_ground="刑事诉讼法第286条"
    )


def sealed_requested(side):
    from django.utils import timezone

    youth = sealed_youth(side)
    youth.unseal_requested_on, youth.unseal_ground = timezone.localdate(), "依法解封"
    youth.save()
    return youth


def consented_youth(side):
    from django.utils import timezone

    from .factories import YouthFactory

    return YouthFactory(
        workstation=side.station,
        consent_by="李某",
        consent_relation="母亲",
        consent_on=timezone.localdate(),
        consent_scope="帮教记录",
    )


def intake_youth(side):
    from .factories import YouthFactory

    return YouthFactory(workstation=side.station, stage="intake")


def call(side):
    from .factories import PoliceCallFactory

    return PoliceCallFactory(workstation=side.station)


def _lead(youth):
    from volunteers.models import Volunteer

    return Volunteer.objects.filter(workstation_id=youth.workstation_id, status="active").order_by("pk").first().pk


def _today():
    from django.utils import timezone

    return timezone.localdate().isoformat()


ENTRIES = {
    "mentoring:youth-list": Entry(allowed=VIEWERS),
    "mentoring:youth-create": Entry(allowed=STATION),
    "mentoring:youth-import": Entry(allowed=STATION),
    "mentoring:youth-import-confirm": Entry(allowed=STATION, method="post", ok=302),
    "mentoring:youth-import-errors": Entry(allowed=STATION),
    "mentoring:overdue-list": Entry(allowed=VIEWERS),
    "mentoring:youth-export": Entry(allowed=VIEWERS),
    # no export made in this session yet: back to the export page
    "mentoring:youth-export-done": Entry(allowed=VIEWERS, ok=302),
    "mentoring:followup-list": Entry(allowed=VIEWERS),
    "mentoring:youth-detail": Entry(allowed=VIEWERS, target=youth),
    "mentoring:youth-full": Entry(
        allowed=frozenset({"county"}),
        target=youth,
        method="post",
        data=lambda obj: {"reason_code": "inspection", "reason": "2025年上半年督查抽查本站帮教档案"},
    ),
    "mentoring:youth-consent": Entry(
        allowed=STATION,
        target=youth,
        post=lambda obj: {
            "consent_by": "李某",
            "consent_relation": "母亲",
            "consent_on": today(),
            "consent_scope": "帮教记录",
        },
    ),
    "mentoring:youth-edit": Entry(
        allowed=STATION,
        target=youth,
        post=lambda obj: {
            "categories": ["misconduct"],
            "school_status": "junior",
            "home_area": "新社区",
            "kind": "mentoring",
        },
    ),
    "mentoring:youth-consent-withdraw": Entry(
        allowed=STATION, target=consented_youth, post=lambda obj: {"withdrawn_on": today(), "reason": "监护人撤回"}
    ),
    "mentoring:youth-assess": Entry(
        allowed=STATION, target=youth, post=lambda obj: {"risk_level": "high", "assessed_on": today(), "reason": "复评"}
    ),
    "mentoring:guardian-create": Entry(
        allowed=STATION, target=youth, post=lambda obj: {"relation": "父亲", "name": "李父", "phone": "13900002222"}
    ),
    "mentoring:milestone-create": Entry(
        allowed=STATION, target=youth, post=lambda obj: {"kind": "back_to_school", "on": today()}
    ),
    "mentoring:reinvolvement-create": Entry(
        allowed=STATION, target=youth, post=lambda obj: {"kind": "admin", "on": today()}
    ),
    "mentoring:followup-create": Entry(
        allowed=STATION,
        target=closed_youth,
        method="post",
        data=lambda obj: {"done_on": _today(), "summary": "回访正常"},
        ok=302,
    ),
    "mentoring:team-create": Entry(
        allowed=STATION,
        target=youth,
        post=lambda obj: {"team_type": "one_to_one", "lead": _lead(obj), "formed_on": today()},
    ),
    "mentoring:visit-create": Entry(
        allowed=STATION,
        target=youth,
        method="post",
        data=lambda obj: {"visited_on": _today(), "form": "phone", "place": "电话", "summary": "通话", "hours": "1"},
        ok=302,
    ),
    "mentoring:youth-close": Entry(
        allowed=STATION,
        target=youth,
        post=lambda obj: {"outcome": "completed", "closed_on": today(), "note": "表现良好"},
    ),
    "mentoring:youth-close-approve": Entry(allowed=HEAD, target=proposed_youth, method="post", ok=302),
    "mentoring:youth-transition": Entry(
        allowed=STATION,
        target=intake_youth,
        method="post",
        data=lambda obj: {"to_stage": "active", "reason": "已完成接案评估"},
        ok=302,
    ),
    "mentoring:youth-seal": Entry(
        allowed=HEAD, target=youth, method="post", data=lambda obj: {"ground": "刑事诉讼法第二百八十六条"}, ok=302
    ),
    # The case number travels in the form: another scope's sealed file is a 404 and logs nothing.
    "mentoring:sealed-view": Entry(
        allowed=SEALED_READERS,
        target=sealed_youth,
        kwargs=lambda obj: {},
        object_in_post=True,
        post=lambda obj: {"case": obj.pk, "reason_code": "legal_query", "reason": "检察院依法查询封存记录函"},
        post_ok=200,
    ),
    "mentoring:unseal-request": Entry(
        allowed=HEAD, target=sealed_youth, method="post", data=lambda obj: {"ground": "依法申请解封"}, ok=302
    ),
    "mentoring:unseal-list": Entry(allowed=frozenset({"county"})),
    "mentoring:unseal-approve": Entry(
        allowed=frozenset({"county"}),
        target=sealed_requested,
        method="post",
        data=lambda obj: {"reason": "同意解封"},
        ok=302,
    ),
    "mentoring:call-list": Entry(allowed=VIEWERS),
    "mentoring:encounter-list": Entry(allowed=VIEWERS),
    "mentoring:encounter-create": Entry(allowed=STATION),
    "mentoring:call-create": Entry(allowed=STATION),
    "mentoring:call-followup": Entry(
        allowed=STATION, target=call, post=lambda obj: {"followup_on": today(), "result": "no_need", "note": "已回访"}
    ),
}
