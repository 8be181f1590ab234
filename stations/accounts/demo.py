"""Demo work for the administrators (issue 14 §8): an account locked by wrong passwords minutes ago,
with the failed sign-ins in the audit log, so the security and audit administrators' homes show work.

The locked account is an extra one, printed apart from the logins: every printed login works, and this
one does once the security administrator has unlocked it."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from stations.audit.log import audit
from stations.demo import DEMO_PASSWORD
from stations.models import AuditResult, Role, User, Workstation

LOCKED = "zhan_linshi"
LOCKED_FROM = "10.23.1.17"


def seed(*, context) -> None:
    if User.objects.filter(username=LOCKED).exists():
        return
    station = Workstation.objects.filter(code="230102002").first() or context.stations[0]
    staff = Role.STATION_STAFF
    user = User(
        username=LOCKED,
        role=staff,
        workstation=station,
        last_name="钱",
        first_name="小勇",
        must_change_password=False,
        password_changed_at=timezone.now(),
    )
    user.set_password(DEMO_PASSWORD)  # after the security administrator unlocks it, it signs in
    user.save()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        audit(actor=None, username=LOCKED, action="auth.login_failed", result=AuditResult.FAILED, object_repr=LOCKED)
    audit(actor=None, username=LOCKED, action="auth.lockout", result=AuditResult.DENIED, object_repr=LOCKED)
    attempt = AccessAttempt.objects.create(
        username=LOCKED,
        ip_address=LOCKED_FROM,
        user_agent="Mozilla/5.0",
        http_accept="text/html",
        path_info="/accounts/login/",
        get_data="",
        post_data="username=zhan_linshi",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - timedelta(minutes=3))
