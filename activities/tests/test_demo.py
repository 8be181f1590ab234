"""Demo data: a realistic year of activities, every type, joint activities, idempotent."""

import random

import pytest

from activities import demo
from activities.models import Activity, ActivityType
from activities.tests.factories import volunteer
from stations import demo as stations_demo
from volunteers.models import ServiceLog

pytestmark = pytest.mark.django_db


def test_demo_is_realistic_and_idempotent():
    context = stations_demo.seed(rng=random.Random(7))
    first = next(s for s in context.stations if s.status == "active")
    lecturer = volunteer(first, "演示宣讲员", lecturer=True)
    demo.seed(context=context)
    count = Activity.objects.count()
    assert count > 4 * 200  # a few hundred per county
    assert set(Activity.objects.values_list("type__code", flat=True)) == set(
        ActivityType.objects.values_list("code", flat=True)
    )
    joint = [a for a in Activity.objects.prefetch_related("stations") if a.stations.count() > 1]
    assert joint
    lectures = Activity.objects.filter(type__code="legal_lecture")
    assert all(50 <= a.audience_count <= 300 for a in lectures)
    assert Activity.objects.filter(lecturer=lecturer).exists()
    assert ServiceLog.objects.filter(volunteer=lecturer).exists()
    assert not Activity.objects.exclude(workstation__status="active").exists()
    demo.seed(context=context)
    assert Activity.objects.count() == count
