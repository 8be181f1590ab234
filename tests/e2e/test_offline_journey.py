"""Field work without a network (issue 17): a station user records a visit and an activity offline,
reloads the page offline, goes online and finds each entry on the server once; an entry in a locked year
comes back with its reason and is sent again after editing; logout empties the device's store. A county
officer scores an item offline while a colleague scores it online: the conflict comes back to choose."""

import re

import pytest
from django.utils import timezone

from activities.models import Activity
from inspections import services as inspection_services
from inspections.models import ChecklistTemplate, InspectionItem, TemplateItem
from mentoring.models import Visit
from mentoring.tests.factories import VisitFactory, YouthFactory
from stations import periods
from stations.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CACHED_PATHS = "caches.open('guanai-pages').then(c => c.keys()).then(k => k.map(r => new URL(r.url).pathname))"
OUTBOX = """() => new Promise((resolve) => {
  const open = indexedDB.open('guanai-offline', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('outbox', {keyPath: 'client_id'});
  open.onsuccess = () => {
    const r = open.result.transaction('outbox').objectStore('outbox').getAll();
    r.onsuccess = () => { open.result.close(); resolve(r.result); };
  };
})"""


def wait_cached(page, *paths):
    page.wait_for_function(
        f"(paths) => {CACHED_PATHS}.then(kept => paths.every(p => kept.includes(p)))", arg=list(paths)
    )


def badge(page):
    return page.locator("[data-testid=offline-badge]")


def record_visit(page, summary):
    page.fill("#id_place", "学校")
    page.select_option("#id_form", value="school")
    page.fill("#id_summary", summary)
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-offline-notice]")


def test_station_user_records_offline_and_each_entry_arrives_once(world, page, login):
    staff = world.user("staff")
    youth = YouthFactory(workstation=world.a.station, name="钱测离线")
    VisitFactory(youth=youth, created_by=staff, visited_on=timezone.localdate(), sequence=1)
    other = YouthFactory(workstation=world.a.station, name="孙测他人")  # not the user's case
    visit_url = f"/mentoring/{youth.pk}/visits/new/"
    login(staff)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("window.isSecureContext")
    assert page.locator("[data-prepare]").count() == 0  # the home page keeps nothing
    page.goto("/offline/")  # the outbox page (like each entry page) prepares offline use
    page.wait_for_selector("[data-prepared]", state="attached")
    wait_cached(page, visit_url, "/activities/new/", "/offline/")
    kept = page.evaluate(CACHED_PATHS)
    assert f"/mentoring/{other.pk}/visits/new/" not in kept  # only the user's own cases
    page.goto(visit_url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    # offline: a visit and an activity wait on the phone
    page.context.set_offline(True)
    assert "离线" in badge(page).inner_text()
    record_visit(page, "离线走访：学习情况良好")
    assert "已保存在本机" in page.inner_text("[data-offline-notice]")
    assert "待发送 1 条" in badge(page).inner_text()
    page.goto("/activities/new/")  # served from the phone's copy
    page.select_option("#id_type", label="法治教育/法治宣讲")
    page.fill("#id_title", "离线宣讲：防溺水")
    page.fill("#id_audience_count", "60")
    page.fill("#id_minors_reached", "60")
    page.click("text=法治宣讲：学校与宣讲人")
    page.fill("#id_vice_principal_name", "副校长钱某")
    page.click("[data-testid=save-activity]")
    page.wait_for_selector("[data-offline-notice]")
    page.reload()  # still offline: the kept page, the entries still there
    expect_text(page, "待发送 2 条")
    page.goto("/volunteers/")  # a page the phone does not keep: a plain message, no server
    assert "此页面未保存在本机" in page.content()
    page.goto(visit_url)
    assert Activity.objects.filter(title="离线宣讲：防溺水").count() == 0

    # online again: sent in order, each once
    page.context.set_offline(False)
    expect_text(page, "已发送 2 条")
    assert Visit.objects.filter(youth=youth, summary="离线走访：学习情况良好").count() == 1
    assert Activity.objects.filter(title="离线宣讲：防溺水", workstation=world.a.station).count() == 1
    page.reload()
    assert page.evaluate(OUTBOX) == []
    assert Visit.objects.filter(youth=youth, summary="离线走访：学习情况良好").count() == 1

    # a visit in a year locked meanwhile comes back with the reason and stays editable
    periods.period_lock(actor=world.user("head"), workstation=world.a.station, year=timezone.localdate().year)
    page.goto(visit_url)
    page.context.set_offline(True)
    record_visit(page, "锁定年度的走访")
    page.context.set_offline(False)
    expect_text(page, "1 条被退回")
    page.goto("/offline/")
    entry = page.locator("[data-testid=outbox-entry]")
    entry.wait_for()
    assert "年度台账已提交并锁定" in entry.locator("[data-testid=outbox-reasons]").inner_text()
    assert not Visit.objects.filter(summary="锁定年度的走访").exists()
    periods.period_reopen(
        actor=world.user("county"), workstation=world.a.station, year=timezone.localdate().year, reason="补录走访"
    )
    entry.locator("[data-testid=outbox-edit]").click()
    page.wait_for_selector("[data-offline-notice]")
    assert page.input_value("#id_summary") == "锁定年度的走访"
    page.fill("#id_summary", "锁定年度的走访（重新开放后补录）")
    page.click("[data-testid=save]")
    page.wait_for_url("**/offline/")
    page.wait_for_selector("[data-testid=outbox-empty]")
    assert Visit.objects.filter(summary="锁定年度的走访（重新开放后补录）").count() == 1

    # logout empties the device: kept pages and the entries still waiting
    periods.period_lock(actor=world.user("head"), workstation=world.a.station, year=timezone.localdate().year)
    page.goto(visit_url)
    page.context.set_offline(True)
    record_visit(page, "退出前未发送")
    page.context.set_offline(False)
    expect_text(page, "1 条被退回")
    assert len(page.evaluate(OUTBOX)) == 1 and page.evaluate(CACHED_PATHS)
    page.click(".navbar-toggler")  # phone width: the menu holds the sign-out button
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/login/**")
    page.wait_for_function(f"{CACHED_PATHS}.then(kept => kept.length === 0)")
    assert page.evaluate(OUTBOX) == []
    assert "1 条未发送或被退回的记录" in questions[0]


def expect_text(page, text):
    page.wait_for_function(
        "(text) => (document.querySelector('[data-testid=offline-badge]') || {}).textContent.includes(text)",
        arg=text,
    )


def test_two_officers_score_one_item_and_the_second_chooses(world, page, login):
    template = ChecklistTemplate.objects.create(province=world.a.province, year=2020, name="简易细则")
    TemplateItem.objects.create(
        template=template, order=1, code="1", section="阵地", text="有办公场所", kind="manual", max_points=60
    )
    officer = world.user("county")
    colleague = UserFactory(username="county_colleague", role=officer.role, org_unit=world.a.county)
    inspection = inspection_services.round_open(actor=officer, county=world.a.county, year=2025, half=1)
    inspection = inspection.inspections.get()
    item = InspectionItem.objects.get(inspection=inspection)
    score_url = f"/inspections/inspections/{inspection.pk}/score/"
    login(officer)
    assert badge(page).count() == 1 and page.locator("[data-prepare]").count() == 0  # nothing kept from home
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(score_url)
    page.wait_for_selector("[data-prepared]", state="attached")
    wait_cached(page, score_url)
    page.goto(score_url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    page.context.set_offline(True)
    page.reload()  # the kept scoring page, pre-filled figures included
    page.locator("[data-testid=item-1] input[type=number]").fill("55")
    page.click("[data-testid=save-item-1]")
    page.wait_for_selector("[data-offline-notice]")
    expect_text(page, "待发送 1 条")
    # meanwhile a colleague scores the same item online
    inspection_services.inspection_score(actor=colleague, inspection=inspection, values={item.pk: ["40"]})

    page.context.set_offline(False)
    expect_text(page, "1 条被退回")
    item.refresh_from_db()
    assert item.values == [40]  # nothing overwritten silently
    page.goto("/offline/")
    conflict = page.locator("[data-testid=outbox-conflict]")
    conflict.wait_for()
    text = conflict.inner_text()
    assert "40" in text and "55" in text
    assert re.search(f"{colleague.last_name}{colleague.first_name}", text)
    page.click("[data-testid=keep-mine]")
    page.wait_for_selector("[data-testid=outbox-empty]")
    item.refresh_from_db()
    assert item.values == [55] and item.scored_by == officer


def test_an_ended_session_clears_the_kept_pages_and_keeps_the_entries_for_the_same_user(world, page, login):
    staff = world.user("staff")
    youth = YouthFactory(workstation=world.a.station, name="周测过期")
    VisitFactory(youth=youth, created_by=staff, visited_on=timezone.localdate(), sequence=1)
    visit_url = f"/mentoring/{youth.pk}/visits/new/"
    login(staff)
    page.goto(visit_url)
    page.wait_for_selector("[data-prepared]", state="attached")
    wait_cached(page, visit_url)
    page.goto(visit_url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    record_visit(page, "会话过期前离线录入")
    page.context.clear_cookies()  # the session ends while the phone is away (idle timeout)
    page.context.set_offline(False)
    expect_text(page, "登录已过期")
    assert len(page.evaluate(OUTBOX)) == 1  # typed offline: kept for the same user's next sign-in
    page.goto("/")
    page.wait_for_url("**/login/**")
    page.wait_for_function(f"{CACHED_PATHS}.then(kept => kept.length === 0)")
    login(staff)
    page.wait_for_function("() => document.querySelector('[data-testid=offline-badge]').textContent.includes('已发送')")
    assert Visit.objects.filter(youth=youth, summary="会话过期前离线录入").count() == 1
