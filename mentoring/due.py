"""Due dates of a case, computed and never typed (DOMAIN §4). Pure functions; cadences from settings.

The MENTORING_* settings and MENTOR_MAX_YOUTH are defined in config/settings.py (docs/operations.md).
"""

import calendar
from datetime import date, datetime, timedelta

from django.conf import settings


def contact_days(risk_level: str) -> int:
    return settings.MENTORING_CONTACT_DAYS[risk_level]


def reassess_months() -> int:
    return settings.MENTORING_REASSESS_MONTHS


def followup_months() -> tuple[int, ...]:
    return tuple(settings.MENTORING_FOLLOWUP_MONTHS)


def call_followup_hours() -> int:
    return settings.MENTORING_CALL_FOLLOWUP_HOURS


def mentor_max_youth() -> int:
    return settings.MENTOR_MAX_YOUTH


def add_months(day: date, months: int) -> date:
    """Same day `months` later; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_contact_due(*, risk_level: str, last_contact_on: date) -> date:
    return last_contact_on + timedelta(days=contact_days(risk_level))


def reassessment_due(*, assessed_on: date) -> date:
    return add_months(assessed_on, reassess_months())


def followup_dues(*, closed_on: date) -> list[date]:
    return [add_months(closed_on, months) for months in followup_months()]


def last_closing_with_followup_overdue(today: date) -> date:
    """The latest closing day whose first follow-up is overdue today: a case closed later has none
    overdue yet (a filter for the database; the dues themselves are still computed here)."""
    first = min(followup_months())
    # lo's first follow-up is overdue (a month adds at most 31 days), hi's is not; the due day grows with
    # the closing day, so bisect
    lo, hi = today - timedelta(days=31 * first + 31), today
    while (hi - lo).days > 1:
        mid = lo + (hi - lo) / 2
        if is_overdue(add_months(mid, first), now=today):
            lo = mid
        else:
            hi = mid
    return lo


def call_followup_due(*, called_at: datetime) -> datetime:
    return called_at + timedelta(hours=call_followup_hours())


def is_overdue(due, *, now) -> bool:
    """A due date is overdue the day after it (a datetime: the moment after it)."""
    return due < now


def contact_cutoffs(today: date) -> dict[str, date]:
    """Per risk level: a last contact before this date means the contact is overdue today."""
    return {level: today - timedelta(days=contact_days(level)) for level in settings.MENTORING_CONTACT_DAYS}


def reassess_cutoff(today: date) -> date:
    """An assessment before this date is overdue for reassessment today."""
    return add_months(today, -reassess_months())
