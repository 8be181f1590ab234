"""The audit log: append-only, chained, searchable by the audit administrator only (AUD-1..5)."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from stations.audit.log import audit, verify_chain
from stations.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_entries_cannot_be_changed_or_deleted_through_the_orm(world):
    entry = audit(actor=world.user("staff"), action="test.action", obj=world.a.station)
    entry.reason = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_entry_records_who_where_and_which_station(world, client_as):
    client = client_as(world.user("staff"))
    client.post(
        reverse("stations:funding-add", args=[world.a.station.pk]),
        {"year": 2025, "amount_yuan": "3000"},
        REMOTE_ADDR="10.1.2.3",
    )
    entry = AuditEntry.objects.get(action="workstation.funding")
    assert entry.actor_username == world.user("staff").username
    assert entry.role == "station_staff"
    assert entry.ip == "10.1.2.3"
    assert entry.workstation_id_ref == world.a.station.pk
    assert entry.changes["amount_yuan"] == [None, "3000"]


def test_raw_sql_edit_is_refused_on_postgresql_or_found_by_audit_verify(world):
    first = audit(actor=world.user("staff"), action="a.one")
    audit(actor=world.user("staff"), action="a.two")
    call_command("audit_verify")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE stations_auditentry SET reason = 'forged' WHERE id = %s", [first.pk])
        return
    with connection.cursor() as cursor:
        cursor.execute("UPDATE stations_auditentry SET reason = 'forged' WHERE id = %s", [first.pk])
    assert verify_chain() == [first.pk]
    with pytest.raises(CommandError, match="审计日志校验失败"):
        call_command("audit_verify")


def test_purge_refuses_less_than_180_days_and_keeps_the_chain_valid(world):
    auditor = world.user("audit")
    with pytest.raises(CommandError, match="至少保存 180 天"):
        call_command("audit_purge", "--days", "179", "--actor", auditor.username)
    old = audit(actor=auditor, action="old.entry")
    with connection.cursor() as cursor:  # age the entry (bypassing the app, as time would)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL guanai.audit_purge = 'on'")
            cursor.execute("ALTER TABLE stations_auditentry DISABLE TRIGGER stations_auditentry_protect")
        cursor.execute(
            "UPDATE stations_auditentry SET created_at = %s WHERE id = %s",
            [timezone.now() - timedelta(days=400), old.pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE stations_auditentry ENABLE TRIGGER stations_auditentry_protect")
    audit(actor=auditor, action="recent.entry")
    call_command("audit_purge", "--days", "365", "--actor", auditor.username)
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(action="audit.purge").count() == 1
    assert verify_chain() == []


def test_only_the_audit_administrator_searches_the_log(world, client_as):
    audit(actor=world.user("staff"), action="workstation.update", obj=world.a.station)
    audit(actor=world.user("county"), action="export.download")
    client = client_as(world.user("audit"))
    page = client.get(reverse("stations:audit-list"), {"action": "workstation"}).content.decode()
    assert "workstation.update" in page and "export.download" not in page
    assert "共 1 条" in page
    for role in ("staff", "head", "county", "city", "prov", "sys", "sec"):
        assert client_as(world.user(role)).get(reverse("stations:audit-list")).status_code == 403


def test_admin_offers_no_change_or_delete_of_audit_entries(world, client_as):
    entry = audit(actor=world.user("staff"), action="test.action")
    client = client_as(world.user("audit"))
    changelist = client.get(reverse("admin:stations_auditentry_changelist"))
    assert changelist.status_code == 200
    assert "test.action" in changelist.content.decode()
    detail = client.get(reverse("admin:stations_auditentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:stations_auditentry_delete", args=[entry.pk])).status_code == 403
    assert client.post(reverse("admin:stations_auditentry_change", args=[entry.pk]), {"reason": "x"}).status_code == 403
    assert client.get(reverse("admin:stations_auditentry_add")).status_code == 403
    # The system administrator uses the admin for reference data but never sees the audit log.
    assert client_as(world.user("sys")).get(reverse("admin:stations_auditentry_changelist")).status_code == 403


def test_login_failure_success_and_logout_are_logged(world, client):
    user = world.user("staff")
    client.post(reverse("login"), {"username": user.username, "password": "wrong-password"}, REMOTE_ADDR="10.0.0.7")
    client.post(reverse("login"), {"username": user.username, "password": "Test@Password2026"}, REMOTE_ADDR="10.0.0.7")
    client.post(reverse("logout"), REMOTE_ADDR="10.0.0.7")
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "actor_username", "ip"))
    assert actions == [
        ("auth.login_failed", user.username, "10.0.0.7"),
        ("auth.login", user.username, "10.0.0.7"),
        ("auth.logout", user.username, "10.0.0.7"),
    ]


def test_changes_render_whatever_their_keys(world, client_as):
    """Keys such as `items` or `values` once resolved to dict methods in the template: a 500 for the auditor."""
    audit(
        actor=world.user("sys"),
        action="have_item_set.save",
        obj=world.a.station,
        changes={"items": [["场所"], ["场所", "制度"]], "values": [1, 2], "keys": "k", "count": 3},
    )
    response = client_as(world.user("audit")).get(reverse("stations:audit-list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "<code>items</code>: <code>[&quot;场所&quot;] → [&quot;场所&quot;, &quot;制度&quot;]</code>" in text
    assert "<code>values</code>: 1 → 2" in text and "<code>keys</code>: <code>k</code>" in text
    assert "<code>count</code>: 3" in text


def test_changes_read_in_chinese(world, client_as):
    """Field names as the model labels them, choice codes as their labels, 是/否 and — for True/False/None."""
    audit(
        actor=world.user("sys"),
        action="workstation.update",
        obj=world.a.station,
        changes={"name": ["旧站", "新站"], "status": ["active", "deferred"], "logo_hung": [None, True]},
    )
    response = client_as(world.user("audit")).get(reverse("stations:audit-list"))
    text = response.content.decode()
    assert "工作站名称: 旧站 → 新站" in text
    assert "状态: 已建 → 缓建" in text
    assert "已悬挂统一标识: — → 是" in text and "True" not in text and "None" not in text
    assert "<code>workstation.update</code>" in text


def _xlsx(content):
    import io

    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))


def test_audit_administrator_exports_the_filtered_log_with_its_hash_chain(world, client_as):
    staff = world.user("staff")
    audit(actor=staff, action="auth.login", obj=staff)
    first = audit(actor=staff, action="workstation.update", obj=world.a.station, changes={"name": ["旧", "新"]})
    audit(actor=staff, action="workstation.funding", obj=world.a.station, reason='=HYPERLINK("http://x","y")')
    audit(actor=world.user("county"), action="export.download")
    client = client_as(world.user("audit"))
    response = client.get(reverse("stations:audit-export"), {"actor": staff.username, "action": "workstation"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = _xlsx(response.content)
    cover = [row for row in book.worksheets[0].iter_rows(values_only=True)]
    assert ("导出人", f"{world.user('audit').username}（审计管理员）") in cover
    assert ("筛选：操作人", staff.username) in cover and ("筛选：操作", "workstation") in cover
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[-2:] == ("前一条哈希", "本条哈希")
    assert [row[5] for row in body] == ["workstation.funding", "workstation.update"]
    update = body[1]
    assert update[0] == first.pk and update[-2:] == (first.prev_hash, first.hash)
    assert "工作站名称: 旧 → 新" in update[9]
    assert body[0][11] == '=HYPERLINK("http://x","y")'
    assert not any(cell.data_type == "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)
    # The export is itself audited, with its filters and row count.
    entry = AuditEntry.objects.order_by("-pk").first()
    assert entry.action == "export.download" and entry.actor == world.user("audit")
    assert entry.changes["report"] == "audit-log" and entry.changes["rows"] == 2
    assert entry.changes["filters"] == {"操作人": staff.username, "操作": "workstation"}


def test_only_the_audit_administrator_exports_the_log(world, client_as):
    audit(actor=world.user("staff"), action="workstation.update", obj=world.a.station)
    for role in ("staff", "head", "county", "city", "prov", "sys", "sec"):
        assert client_as(world.user(role)).get(reverse("stations:audit-export")).status_code == 403
    page = client_as(world.user("audit")).get(reverse("stations:audit-list"), {"action": "workstation"})
    assert reverse("stations:audit-export") + "?action=workstation" in page.content.decode()


def test_audit_administrator_reads_and_exports_the_seeded_demo_log_without_minors_identity(client_as):
    """On the demo province (whose entries include a change named `items`) every audit page opens."""
    import io

    from mentoring.models import Youth
    from stations.models import Role, User
    from volunteers.models import Volunteer

    call_command("seed_demo", stdout=io.StringIO())
    assert AuditEntry.objects.filter(changes__has_key="items").exists()
    adults = " ".join(Volunteer.objects.values_list("name", flat=True))
    youth = Youth.all_objects.values_list("name", "id_number")
    secrets = {name for name, _ in youth if len(name) >= 3 and name not in adults} | {n for _, n in youth if n}
    assert secrets
    client = client_as(User.objects.filter(role=Role.AUDIT_ADMIN).first())
    pages = []
    paginator = None
    page_number = 1
    while True:
        response = client.get(reverse("stations:audit-list"), {"page": page_number})
        assert response.status_code == 200, page_number
        pages.append(response.content.decode())
        paginator = response.context["page"].paginator
        if page_number >= paginator.num_pages:
            break
        page_number += 1
    assert paginator.count == AuditEntry.objects.count()
    export = client.get(reverse("stations:audit-export"))
    assert export.status_code == 200
    book = _xlsx(export.content)
    assert book.worksheets[1].max_row == paginator.count + 1
    pages.append("\n".join(str(c) for row in book.worksheets[1].iter_rows(values_only=True) for c in row if c))
    for text in pages:
        for secret in secrets:
            assert secret not in text


@pytest.mark.parametrize("url_name", ["stations:audit-list", "stations:audit-export"])
def test_audit_list_and_export_make_the_same_number_of_queries_for_50_and_500_entries(world, client_as, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentoring.tests.factories import YouthFactory

    client = client_as(world.user("audit"))
    counts = []
    for size in (50, 500):
        for youth in YouthFactory.create_batch(size - AuditEntry.objects.count(), workstation=world.a.station):
            audit(actor=world.user("staff"), action="youth.update", obj=youth, changes={"name": ["甲乙", "丙丁"]})
        assert AuditEntry.objects.count() == size
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
