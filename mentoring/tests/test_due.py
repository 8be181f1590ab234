"""Due dates are computed, never typed: table-driven checks of the pure functions and the overdue filter."""

from datetime import UTC, date, datetime, timedelta

import pytest
from freezegun import freeze_time

from mentoring import due
from mentoring.models import Youth
from mentoring.selectors import overdue_q, present
from mentoring.tests.factories import YouthFactory


@pytest.mark.parametrize(
    ("risk", "last", "expected"),
    [
        ("high", date(2026, 1, 1), date(2026, 1, 31)),
        ("medium", date(2026, 1, 1), date(2026, 3, 2)),
        ("low", date(2026, 1, 1), date(2026, 4, 1)),
        ("high", date(2025, 12, 15), date(2026, 1, 14)),
    ],
)
def test_next_contact_due_by_risk(risk, last, expected):
    assert due.next_contact_due(risk_level=risk, last_contact_on=last) == expected


def test_contact_cadence_is_configurable(settings):
    settings.MENTORING_CONTACT_DAYS = {**settings.MENTORING_CONTACT_DAYS, "high": 7}
    assert due.next_contact_due(risk_level="high", last_contact_on=date(2026, 1, 1)) == date(2026, 1, 8)
    assert due.next_contact_due(risk_level="low", last_contact_on=date(2026, 1, 1)) == date(2026, 4, 1)


@pytest.mark.parametrize(
    ("assessed", "expected"),
    [
        (date(2026, 1, 15), date(2026, 7, 15)),
        (date(2025, 8, 31), date(2026, 2, 28)),
        (date(2023, 8, 31), date(2024, 2, 29)),
        (date(2025, 12, 1), date(2026, 6, 1)),
    ],
)
def test_reassessment_every_six_months(assessed, expected):
    assert due.reassessment_due(assessed_on=assessed) == expected


@pytest.mark.parametrize(
    ("closed", "expected"),
    [
        (date(2026, 1, 10), [date(2026, 7, 10), date(2027, 1, 10)]),
        (date(2025, 3, 31), [date(2025, 9, 30), date(2026, 3, 31)]),
    ],
)
def test_followups_six_and_twelve_months_after_closure(closed, expected):
    assert due.followup_dues(closed_on=closed) == expected


def test_runaway_call_followed_up_within_48_hours():
    called = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)
    assert due.call_followup_due(called_at=called) == datetime(2026, 3, 3, 22, 30, tzinfo=UTC)
    assert not due.is_overdue(due.call_followup_due(called_at=called), now=called + timedelta(hours=48))
    assert due.is_overdue(due.call_followup_due(called_at=called), now=called + timedelta(hours=48, seconds=1))


def world_user():
    from stations.tests.factories import UserFactory

    return UserFactory()


@pytest.mark.parametrize(
    ("risk", "days_since_contact", "overdue"),
    [
        ("high", 30, False),
        ("high", 31, True),
        ("medium", 60, False),
        ("medium", 61, True),
        ("low", 90, False),
        ("low", 91, True),
    ],
)
@freeze_time("2026-05-20")
def test_overdue_filter_agrees_with_due_dates(db, risk, days_since_contact, overdue):
    today = date(2026, 5, 20)
    last = today - timedelta(days=days_since_contact)
    youth = YouthFactory(risk_level=risk, intake_on=last, last_contact_on=last, risk_assessed_on=today)
    assert Youth.objects.filter(overdue_q(today), pk=youth.pk).exists() is overdue
    assert present(youth, user=world_user(), today=today).contact_overdue is overdue


@freeze_time("2026-05-20")
def test_reassessment_overdue_after_six_months(db):
    today = date(2026, 5, 20)
    intake_on = date(2025, 11, 1)
    fresh = YouthFactory(
        risk_level="low", intake_on=intake_on, last_contact_on=today, risk_assessed_on=date(2025, 11, 20)
    )
    stale = YouthFactory(
        risk_level="low", intake_on=intake_on, last_contact_on=today, risk_assessed_on=date(2025, 11, 19)
    )
    ids = set(Youth.objects.filter(overdue_q(today)).values_list("pk", flat=True))
    assert fresh.pk not in ids
    assert stale.pk in ids


@freeze_time("2026-05-20")
def test_closed_cases_are_never_contact_overdue(db):
    old = date(2025, 1, 1)
    youth = YouthFactory(stage="closed", closed_on=old, last_contact_on=old, risk_assessed_on=old, intake_on=old)
    assert not Youth.objects.filter(overdue_q(date(2026, 5, 20)), pk=youth.pk).exists()


@pytest.mark.parametrize("today", [date(2026, 3, 30), date(2026, 3, 1), date(2025, 8, 31), date(2024, 2, 29)])
def test_last_closing_with_followup_overdue_is_exact(today):
    """The overdue list reads only cases closed by this day: one day later, no follow-up is overdue yet
    (month ends included, where adding months clamps the day)."""
    last = due.last_closing_with_followup_overdue(today)
    assert due.is_overdue(min(due.followup_dues(closed_on=last)), now=today)
    assert not due.is_overdue(min(due.followup_dues(closed_on=last + timedelta(days=1))), now=today)
