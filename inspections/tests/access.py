"""Access-matrix entries of the inspections app (see tests/access.py)."""

from datetime import date

from tests.access import STATION, SUPERVISORS, Entry, today

VIEWERS = STATION | SUPERVISORS
COUNTY = frozenset({"county"})
HEAD = frozenset({"head"})
CITY = frozenset({"city"})
PROV = frozenset({"prov"})


def _template():
    from inspections.models import ChecklistTemplate, TemplateItem

    template, created = ChecklistTemplate.objects.get_or_create(
        province=None, year=2000, version=1, defaults={"name": "矩阵"}
    )
    if created:
        TemplateItem.objects.create(
            template=template, code="1", section="综合", text="综合", kind="manual", max_points=100
        )
    return template


def round_of(side, half=1):
    from inspections.models import InspectionRound

    return InspectionRound.objects.get_or_create(
        county=side.county, year=2025, half=half, defaults={"template": _template()}
    )[0]


def inspection_of(side, status="draft", half=1):
    from inspections.models import Inspection, InspectionItem

    round = round_of(side, half)
    inspection, created = Inspection.objects.get_or_create(
        round=round,
        workstation=side.station,
        version=1,
        defaults={"template": round.template, "status": status, "score": 80, "inspected_on": date(2025, 6, 1)},
    )
    if created:
        for item in round.template.items.all():
            InspectionItem.objects.create(inspection=inspection, item=item, values=[80])
    return inspection


def submitted_inspection(side):
    return inspection_of(side, status="submitted", half=2)  # apart from the draft of round 1


def rect_of(side, status="open"):
    from inspections.models import Rectification

    return Rectification.objects.create(
        workstation=side.station,
        inspection=inspection_of(side),
        finding="台账不全",
        due_on=date(2030, 1, 1),
        responsible="王",
        status=status,
    )


def answered_rect(side):
    return rect_of(side, status="answered")


def rect_with_evidence(side):
    from django.core.files.base import ContentFile

    from inspections.models import RectificationEvidence

    rect = rect_of(side, status="answered")
    evidence = RectificationEvidence(rectification=rect, name="e.pdf")
    evidence.file.save("e.pdf", ContentFile(b"%PDF-1.4 e"), save=True)
    return evidence


def checklist_of(side):
    from inspections.models import AnnualChecklist

    return AnnualChecklist.objects.get_or_create(workstation=side.station, year=2025, defaults={"filled_by": "刘"})[0]


def cycle_of(side, status="nominating"):
    from inspections.models import AwardCycle

    return AwardCycle.objects.get_or_create(province=side.province, first_year=2023, defaults={"status": status})[0]


def nomination_of(side):
    from inspections.models import Nomination

    return Nomination.objects.get_or_create(
        cycle=cycle_of(side), workstation=side.station, defaults={"reason": "好", "scores": [90, 90, 90, 90]}
    )[0]


def objection_of(side):
    from inspections.models import Objection

    return Objection.objects.create(nomination=nomination_of(side), received_on=date(2025, 1, 1), text="异议")


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("answer.pdf", b"%PDF-1.4 answer", content_type="application/pdf")


ENTRIES = {
    "inspections:round-list": Entry(allowed=VIEWERS),
    "inspections:round-open": Entry(allowed=COUNTY, method="post", data=lambda obj: {"year": "1999"}),
    "inspections:round-detail": Entry(allowed=VIEWERS, target=round_of, level="county"),
    "inspections:inspection-detail": Entry(allowed=VIEWERS, target=inspection_of),
    "inspections:inspection-score": Entry(
        allowed=COUNTY, target=inspection_of, post=lambda obj: {"inspected_on": today(), "summary": "总体良好"}
    ),
    "inspections:inspection-correct": Entry(
        allowed=COUNTY, target=submitted_inspection, method="post", data=lambda obj: {"reason": "分数录错"}, ok=302
    ),
    "inspections:rectification-raise": Entry(
        allowed=COUNTY,
        target=inspection_of,
        method="post",
        data=lambda obj: {"finding": "无记录", "responsible": "王", "severity": "normal"},
        ok=302,
    ),
    "inspections:rectification-list": Entry(allowed=VIEWERS),
    "inspections:rectification-detail": Entry(allowed=VIEWERS, target=rect_of),
    "inspections:rectification-answer": Entry(
        allowed=STATION, target=rect_of, method="post", data=lambda obj: {"answer": "已整改", "files": _pdf()}, ok=302
    ),
    "inspections:rectification-verify": Entry(allowed=COUNTY, target=answered_rect, method="post", ok=302),
    "inspections:rectification-return": Entry(
        allowed=COUNTY, target=answered_rect, method="post", data=lambda obj: {"reason": "缺签到表"}, ok=302
    ),
    "inspections:evidence-file": Entry(
        allowed=VIEWERS, target=rect_with_evidence, kwargs=lambda obj: {"pk": obj.rectification_id, "evidence": obj.pk}
    ),
    "inspections:checklist-list": Entry(allowed=VIEWERS),
    "inspections:checklist-detail": Entry(
        allowed=VIEWERS,
        target=lambda side: side.station,
        kwargs=lambda obj: {"station": obj.pk, "year": 2025},
        post=lambda obj: {"highlights": "法治进校园", "filled_by": "刘"},
        post_allowed=STATION,  # supervisors read the checklist; only the station fills it in
    ),
    "inspections:checklist-action": Entry(
        allowed=HEAD,
        target=checklist_of,
        kwargs=lambda obj: {"station": obj.workstation_id, "year": obj.year, "action": "submit"},
        method="post",
        ok=302,
    ),
    "inspections:award-list": Entry(allowed=VIEWERS),
    "inspections:award-open": Entry(
        allowed=PROV,
        method="post",
        data=lambda obj: {
            "first_year": "2019",  # the matrix's world has the 2023 cycle already
            "min_each": "85",
            "min_mean": "90",
            "quota_percent": "10",
            "notice_days": "7",
        },
        ok=302,
    ),
    # An award cycle belongs to the province: sides s, c and b (same province) share it.
    "inspections:award-detail": Entry(allowed=VIEWERS, target=cycle_of, level="province"),
    "inspections:award-nominate": Entry(
        allowed=COUNTY,
        target=cycle_of,
        method="post",
        data=lambda obj: {"reason": "好"},
        level="province",
        # no station of the world is eligible (two scored years); nominating is tested in
        # inspections/tests/test_checklist_award.py, the matrix proves only the scope
        post_changes=False,
    ),
    "inspections:award-advance": Entry(
        allowed=PROV,
        target=cycle_of,
        method="post",
        data=lambda obj: {"to": "reviewing"},
        ok=302,
        level="province",
    ),
    "inspections:nomination-action": Entry(
        allowed=CITY,
        target=nomination_of,
        kwargs=lambda obj: {"pk": obj.pk, "action": "review"},
        method="post",
        data=lambda obj: {"approve": "1"},
        ok=302,
    ),
    "inspections:objection-handle": Entry(
        allowed=PROV, target=objection_of, method="post", data=lambda obj: {"handling": "不属实"}, ok=302
    ),
}
