"""The request scope guard (stations.scope_guard) with minors' records: a forgotten scope fails, the
scoped paths (selectors, services, Django's own validation through the guarded base manager) work."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring import selectors, services
from mentoring.models import Visit, Youth
from mentoring.tests.factories import VolunteerFactory, YouthFactory
from stations.scope_guard import ScopeError, guarding


def test_a_forgotten_scope_on_minors_fails_and_the_scoped_paths_work_inside_a_request(world):
    own = YouthFactory(workstation=world.a.station)
    YouthFactory(workstation=world.b.station)
    staff = world.user("staff")
    mentor = VolunteerFactory(workstation=world.a.station)
    with guarding():
        with pytest.raises(ScopeError):
            list(Youth.objects.all())
        with pytest.raises(ScopeError):
            Youth.all_objects.filter(is_sealed=True).count()
        assert list(selectors.youth_list(user=staff)) == [own]
        visit = services.visit_record(
            actor=staff,
            youth=own,
            visited_on=timezone.localdate() - timedelta(days=1),
            place="家中",
            form="home",
            summary="谈心",
            participants=[mentor],
        )
        assert visit.youth == own  # the visit's foreign key was validated through the guarded base manager
        assert [v.pk for v in own.visits.all()] == [visit.pk]
    assert Visit.objects.get().participants.get() == mentor
