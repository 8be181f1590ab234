"""Audited actions of the stations app (sign-in, accounts, stations, reports, exports, operations),
each performed as its user does: through the page, or the management command an operator runs."""

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from stations.accounts.tests.mfa_helpers import code_for, device_for, setup_page_device
from stations.models import ExportJob, ReportSnapshot, StationYearHighlight, User, Workstation
from stations.tests.access import PROFILE_EDIT_FIELDS, station_with_files
from stations.tests.factories import PASSWORD, UserFactory, WorkstationFactory
from tests.access import form_data, today
from tests.audit_support import Expect, get, post

ADDRESS = {"REMOTE_ADDR": "10.0.0.9"}


def _sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password}, **ADDRESS)


def _login(world, client):
    user = world.user("staff")
    assert _sign_in(client, user.username).status_code == 302
    return Expect(user, user)


def _login_failed(world, client):
    user = world.user("staff")
    assert _sign_in(client, user.username, "wrong-password").status_code == 200
    return Expect(None, None, result="failed", username=user.username)


def _lockout(world, client):
    user = world.user("staff")
    for _ in range(5):
        _sign_in(client, user.username, "wrong-password")
    return Expect(None, None, result="denied", username=user.username)


def _login_refused(world, client):
    user = UserFactory(workstation=world.a.station, one_time_password_until=timezone.now())
    assert _sign_in(client, user.username).status_code == 200
    return Expect(None, user, result="denied", username=user.username)


def _logout(world, client):
    user = world.user("staff")
    client.force_login(user)
    assert client.post(reverse("logout")).status_code == 302
    return Expect(user, user)


def _mfa_verified(world, client, *, good=True):
    user = world.user("sys")
    device = device_for(user)
    assert _sign_in(client, user.username).status_code == 302
    code = code_for(device) if good else f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    client.post(reverse("mfa:verify"), {"token": code})
    return Expect(user, user, result="ok" if good else "failed")


def _mfa_setup(world, client, *, good=True):
    user = world.user("sec")
    assert _sign_in(client, user.username).status_code == 302
    device = setup_page_device(client.get(reverse("mfa:setup")))  # the page stores nothing before a code
    code = code_for(device) if good else f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    client.post(reverse("mfa:setup"), {"token": code})
    return Expect(user, user, result="ok" if good else "failed")


def _mfa_reset(world, client):
    account = world.user("sys")
    device_for(account)
    post(client, world.user("sec"), "mfa:devices", data={"user": account.pk})
    return Expect(world.user("sec"), account)


def _unlock(world, client):
    user = world.user("staff")
    for _ in range(5):
        _sign_in(client, user.username, "wrong-password")
    post(client, world.user("sec"), "stations:lockout-list", data={"username": user.username})
    return Expect(world.user("sec"), None)


def _user_create(world, client):
    data = {"username": "audit_new", "last_name": "王", "first_name": "新", "phone": ""}
    post(client, world.user("sys"), "stations:user-create", data=data, expect=(200, 302))
    return Expect(world.user("sys"), User.objects.get(username="audit_new"))


def _on_account(name, data, role="sys", expect=(302,)):
    def perform(world, client):
        account = UserFactory(workstation=world.a.station)
        post(client, world.user(role), name, {"pk": account.pk}, data(account), expect=expect)
        return Expect(world.user(role), account)

    return perform


def _password_change(world, client):
    user = world.user("staff")
    new = "Kx7#mQ2v!Lp9wZ"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    post(client, user, "password_change", data=data)
    return Expect(user, user)


def _create_administrator(world, client):
    from stations.management.commands.create_administrator import _operator

    call_command("create_administrator", "--role", "audit_admin", "--username", "audit_admin2", stdout=_Null())
    return Expect(None, User.objects.get(username="audit_admin2"), username=_operator())


class _Null:
    def write(self, text):
        pass


def _station_create(world, client):
    data = {
        "code": "A99001",
        "county": world.a.county.pk,
        "name": "审计新站派出所关爱工作站",
        "police_station": "审计派出所",
        "office_location": "station",
    }
    post(client, world.user("county"), "stations:workstation-create", data=data)
    return Expect(world.user("county"), Workstation.objects.get(code="A99001"))


def _station_update(world, client):
    station = world.a.station
    data = form_data(station, PROFILE_EDIT_FIELDS, office_address="站前路1号", version=station.version)
    post(client, world.user("head"), "stations:workstation-edit", {"pk": station.pk}, data)
    return Expect(world.user("head"), station)


def _station_status(world, client, *, merge=False):
    station = world.a.station
    data = {"status": "closed", "changed_on": today(), "reason": "派出所撤并"}
    if merge:
        data.update(status="merged", merged_into=WorkstationFactory(county=world.a.county).pk)
    post(client, world.user("county"), "stations:workstation-status", {"pk": station.pk}, data)
    return Expect(world.user("county"), station)


def _on_station(name, data, role):
    def perform(world, client):
        post(client, world.user(role), name, {"pk": world.a.station.pk}, data)
        return Expect(world.user(role), world.a.station)

    return perform


def _export_download(world, client):
    query = f"?workstation={world.a.station.pk}"
    get(client, world.user("county"), "stations:export-download", {"slug": "workstation-profile"}, query)
    return Expect(world.user("county"), None)


def _file_download(world, client):
    station = station_with_files(world.a)
    get(client, world.user("head"), "stations:workstation-logo", {"pk": station.pk})
    return Expect(world.user("head"), station)


def _job_start(world, client):
    data = {"year": "2025", "org": world.a.province.pk}
    post(client, world.user("prov"), "reports:job-start", {"slug": "province-summary"}, data)
    return Expect(world.user("prov"), ExportJob.objects.get())


def _annual(name, data, role, model):
    def perform(world, client):
        post(client, world.user(role), name, {"pk": world.a.station.pk, "year": 2025}, data)
        return Expect(world.user(role), model.objects.get(workstation=world.a.station, year=2025))

    return perform


def _report_freeze(world, client):
    """The year's submission (the checklist's 站长提交) freezes the annual report."""
    _period_lock(world, client)
    return Expect(world.user("head"), ReportSnapshot.objects.get(workstation=world.a.station, year=2025))


def _period_lock(world, client):
    from inspections.tests.access import checklist_of

    checklist_of(world.a)
    kwargs = {"station": world.a.station.pk, "year": 2025, "action": "submit"}
    post(client, world.user("head"), "inspections:checklist-action", kwargs)
    return Expect(world.user("head"), world.a.station)


def _period_reopen(world, client):
    _period_lock(world, client)
    kwargs = {"station": world.a.station.pk, "year": 2025, "action": "reopen"}
    post(client, world.user("county"), "inspections:checklist-action", kwargs, {"reason": "经费数据有误"})
    return Expect(world.user("county"), world.a.station)


def _audit_purge(world, client):
    auditor = world.user("audit")
    call_command("audit_purge", "--actor", auditor.username, stdout=_Null())
    return Expect(auditor, None)


CASES = {
    "auth.login": _login,
    "auth.login_failed": _login_failed,
    "auth.lockout": _lockout,
    "auth.login_refused": _login_refused,
    "auth.logout": _logout,
    "auth.mfa_verified": _mfa_verified,
    "auth.mfa_failed": lambda world, client: _mfa_verified(world, client, good=False),
    "auth.mfa_device_confirmed": _mfa_setup,
    "auth.mfa_setup_failed": lambda world, client: _mfa_setup(world, client, good=False),
    "auth.mfa_device_reset": _mfa_reset,
    "auth.unlock": _unlock,
    "user.create": _user_create,
    "user.update": _on_account(
        "stations:user-edit",
        lambda a: form_data(a, ["username", "last_name", "first_name", "phone", "is_active"], first_name="改"),
    ),
    "user.password_reset": _on_account("stations:user-password", lambda a: {"password": ""}, expect=(200,)),
    "user.role": _on_account(
        "stations:user-role", lambda a: {"role": "station_head", "workstation": a.workstation_id}, role="sec"
    ),
    "user.password_change": _password_change,
    "user.create_administrator": _create_administrator,
    "workstation.create": _station_create,
    "workstation.update": _station_update,
    "workstation.status": _station_status,
    "workstation.merge": lambda world, client: _station_status(world, client, merge=True),
    "workstation.funding": _on_station("stations:funding-add", {"year": "2025", "amount_yuan": "10"}, "staff"),
    "workstation.system_document": _on_station("stations:system-document-upload", {"system": "training"}, "head"),
    "export.download": _export_download,
    "file.download": _file_download,
    "export.job_start": _job_start,
    "report.highlight": _annual("reports:highlight-save", {"text": "护学岗全年无事故"}, "staff", StationYearHighlight),
    "report.submit": _report_freeze,
    "period.lock": _period_lock,
    "period.reopen": _period_reopen,
    "audit.purge": _audit_purge,
}
