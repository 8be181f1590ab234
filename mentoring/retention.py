"""Retention (DOMAIN §7.8, SECURITY DATA-5): closed cases are anonymised CASE_RETENTION_YEARS after the
last follow-up. Counts stay (the rows, dates, categories and outcomes remain); what identifies a
person goes: name, ID number and its hash, guardians, consent giver, free text of visits and follow-ups."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, Greatest

from stations.audit.log import audit

from .models import FollowUp, Guardian, Stage, Visit, Youth

ANONYMOUS = "（已匿名）"


def due_for_anonymising(*, today: date):
    """Closed cases whose last follow-up (or closure) is older than the retention period."""
    cutoff = today - relativedelta(years=settings.CASE_RETENTION_YEARS)
    last = Greatest(Coalesce(Max("followups__done_on"), "closed_on"), "closed_on")
    return (
        Youth.all_objects.filter(stage__in=[Stage.CLOSED, Stage.FOLLOWUP_DONE], anonymised_on__isnull=True)
        .exclude(closed_on__isnull=True)
        .annotate(last_contact=last)
        .filter(Q(last_contact__lt=cutoff))
    )


def youth_anonymise(*, youth: Youth, today: date, actor=None) -> None:
    """Remove what identifies the youth; one audit entry (the retention command runs without a user)."""
    with transaction.atomic():
        Guardian.objects.filter(youth=youth).delete()
        Visit.objects.filter(youth=youth).update(place=ANONYMOUS, summary=ANONYMOUS, situation="", next_steps="")
        FollowUp.objects.filter(youth=youth).update(summary=ANONYMOUS)
        Youth.all_objects.filter(pk=youth.pk).update(
            name="某某",
            id_number="",
            id_hash="",
            home_area="",
            intake_reference="",
            consent_by="",
            outcome_note="",
            proposed_note="",
            anonymised_on=today,
        )
        audit(
            actor=actor,
            username="retention",
            action="youth.anonymise",
            obj=youth,
            object_repr=f"帮教对象#{youth.pk}",
            changes={"anonymised_on": [None, str(today)]},
        )


def anonymise_due_cases(*, today: date, actor=None) -> int:
    count = 0
    for youth in due_for_anonymising(today=today).iterator():
        youth_anonymise(youth=youth, today=today, actor=actor)
        count += 1
    return count
