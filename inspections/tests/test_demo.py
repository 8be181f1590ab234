"""The demo data: loads, is idempotent, and contains every state the pages show."""

from django.core.management import call_command
from django.utils import timezone

from inspections.models import AwardCycle, Inspection, Nomination, Rectification, RectStatus


def test_seed_demo_is_idempotent_and_complete(db):
    call_command("seed_demo", verbosity=0)
    counts = (Inspection.objects.count(), Rectification.objects.count(), Nomination.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Inspection.objects.count(), Rectification.objects.count(), Nomination.objects.count()) == counts
    states = {r.display_status for r in Rectification.objects.all()}
    assert {"已验收", "已逾期", "待整改", "已反馈", "退回重改"} <= states
    assert Rectification.objects.filter(status=RectStatus.ANSWERED, evidence__isnull=False).exists()
    cycle = AwardCycle.objects.get()  # the 公示 has ended: the province's decision is the step to walk
    assert cycle.status == "notice" and cycle.notice_end < timezone.localdate()
    assert Nomination.objects.get().status == "city_approved"
