"""The demo data: synthetic cases of every kind, and loading twice changes nothing."""

import random

from mentoring import demo
from mentoring.models import Outcome, PoliceCall, Visit, Youth
from mentoring.selectors import overdue_q
from stations import demo as stations_demo
from stations import idnumbers


def test_demo_seed_is_idempotent_and_covers_the_cases(db):
    context = stations_demo.seed(rng=random.Random(2026))
    demo.seed(context=context)
    counts = (Youth.all_objects.count(), Visit.objects.count(), PoliceCall.objects.count())
    demo.seed(context=stations_demo.seed(rng=random.Random(2026)))
    assert (Youth.all_objects.count(), Visit.objects.count(), PoliceCall.objects.count()) == counts
    assert Youth.all_objects.filter(is_sealed=True).exists()
    assert Youth.objects.filter(overdue_q(context.today)).exists()
    outcomes = set(Youth.all_objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == set(Outcome.values)
    for number in Youth.all_objects.exclude(id_number="").values_list("id_number", flat=True):
        assert idnumbers.validate(number) == number
