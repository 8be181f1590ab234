"""The bounded load of issue 15 §4 (locust, headless): a realistic mix of signed-in users on the production
stack, started by tests/benchmarks/test_load.py, which passes the accounts in LOAD_ACCOUNTS (a JSON file:
{"password": "...", "station": [...], "county": [...], "city": [...], "province": [...]}).

- station staff (most users): their home, volunteer, activity and youth lists, a volunteer's page, the
  activity form, and recording service hours (a POST with CSRF, like the browser);
- county officers: home, checklists, rectifications, rounds, the county dashboard and lists;
- city and province officers: home (units ranked), dashboard, the units table, the station registry;
  now and then the province starts the yearly summary export (a background job on the Celery worker);
- a trivial page (the login page, anonymous) under the same load, reported beside the others.

The users sign in once, at the start of the warm-up (LOAD_WARMUP_SECONDS), and stay signed in, as officers do
through a working day: the statistics are reset when the warm-up ends, and what the warm-up measured is written
to LOAD_WARMUP_STATS (a JSON file) first. The clients are locust's FastHttpUser: the load generator shares the
2 cores with the site, and geventhttpclient spends a fraction of the CPU that python-requests does per request.

Never imported by the test process (locust patches the standard library with gevent).
"""

import itertools
import json
import os
import random
import re
from datetime import date, timedelta

import gevent
from locust import FastHttpUser, between, events, task

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8").read())  # noqa: SIM115
PASSWORD = ACCOUNTS["password"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VOLUNTEER = re.compile(r'href="/volunteers/(\d+)/"')
KIND = re.compile(r'name="kind"[^>]*>\s*(?:<option value="">[^<]*</option>\s*)?<option value="([^"]+)"', re.S)
WARMUP_SECONDS = int(os.environ.get("LOAD_WARMUP_SECONDS", "0"))
_cycles = {role: itertools.cycle(names) for role, names in ACCOUNTS.items() if isinstance(names, list) and names}


@events.test_start.add_listener
def _end_of_warm_up(environment, **_kwargs):
    """After the warm-up: keep what it measured (sign-ins included), then count afresh."""
    if not WARMUP_SECONDS:
        return

    def reset():
        gevent.sleep(WARMUP_SECONDS)
        warm_up = {
            name: {
                "count": entry.num_requests,
                "failures": entry.num_failures,
                "median": entry.get_response_time_percentile(0.5),
                "p95": entry.get_response_time_percentile(0.95),
            }
            for (name, _method), entry in environment.runner.stats.entries.items()
        }
        with open(os.environ["LOAD_WARMUP_STATS"], "w", encoding="utf-8") as handle:
            json.dump(warm_up, handle, ensure_ascii=False)
        environment.runner.stats.reset_all()
        _page_times.clear()

    gevent.spawn(reset)


# every signed-in page's response time (ms) after the warm-up, for the p95 of them all together
NOT_PAGES = {"login form", "sign in", "trivial page (login form)"}
_page_times: list[float] = []


@events.request.add_listener
def _page_time(name, response_time, exception, **_kwargs):
    if name not in NOT_PAGES:
        _page_times.append(response_time)


@events.quitting.add_listener
def _write_page_times(environment, **_kwargs):
    if path := os.environ.get("LOAD_PAGE_TIMES"):
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(_page_times, handle)


class Officer(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 2.5)
    role = ""

    def on_start(self):
        self.username = next(_cycles[self.role])
        page = self.client.get("/login/", name="login form")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/login/"},
            name="sign in",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not sign in ({response.status_code})")

    def page(self, path, name=None):
        """A page that must answer 200 itself: a redirect (to the login page, say) is a failure."""
        with self.client.get(path, name=name or path, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")
            return response


class StationStaff(Officer):
    weight = 12
    role = "station"

    def on_start(self):
        super().on_start()
        self.volunteers = VOLUNTEER.findall(self.page("/volunteers/", "volunteer list").text) or []

    @task(4)
    def home(self):
        self.page("/", "home (station)")

    @task(3)
    def volunteer_list(self):
        self.page("/volunteers/", "volunteer list")

    @task(3)
    def activity_list(self):
        self.page("/activities/", "activity list")

    @task(2)
    def youth_list(self):
        self.page("/mentoring/", "youth list")

    @task(2)
    def volunteer_page(self):
        if self.volunteers:
            self.page(f"/volunteers/{random.choice(self.volunteers)}/", "volunteer page")

    @task(1)
    def activity_form(self):
        self.page("/activities/new/", "activity form")

    @task(2)
    def record_service_hours(self):
        if not self.volunteers:
            return
        path = f"/volunteers/{random.choice(self.volunteers)}/service/new/"
        form = self.page(path, "service hours form")
        token, kind = CSRF.search(form.text), KIND.search(form.text)
        if not token or not kind:
            return
        day = date.today() - timedelta(days=random.randint(0, max(date.today().timetuple().tm_yday - 1, 0)))
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "served_on": day.isoformat(),
            "hours": "1.0",
            "kind": kind.group(1),
            "note": "负载测试",
        }
        with self.client.post(
            path,
            data,
            headers={"Referer": self.host + path},
            name="record service hours",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            saved_to = response.headers.get("Location", "") if response.status_code == 302 else ""
            if response.status_code == 200:
                return  # the form again, with the reason beside the field (a half-year closed, say)
            if not saved_to or "/login/" in saved_to:
                response.failure(f"{response.status_code} {saved_to}")
                return
        self.page(saved_to, "volunteer page")  # where the browser lands after saving


class CountyOfficer(Officer):
    weight = 4
    role = "county"

    @task(3)
    def home(self):
        self.page("/", "home (county)")

    @task(2)
    def checklists(self):
        self.page("/inspections/checklists/", "checklist list")

    @task(2)
    def rectifications(self):
        self.page("/inspections/rectifications/", "rectification list")

    @task(1)
    def rounds(self):
        self.page("/inspections/", "round list")

    @task(1)
    def dashboard(self):
        self.page("/reports/dashboard/", "dashboard (county)")

    @task(1)
    def activities(self):
        self.page("/activities/", "activity list")

    @task(1)
    def volunteers(self):
        self.page("/volunteers/", "volunteer list")


class CityOfficer(Officer):
    weight = 2
    role = "city"

    @task(3)
    def home(self):
        self.page("/", "home (city)")

    @task(2)
    def dashboard(self):
        self.page("/reports/dashboard/", "dashboard (city)")

    @task(1)
    def stations(self):
        self.page("/stations/", "station list")

    @task(1)
    def activities(self):
        self.page("/activities/", "activity list (city)")


class ProvinceOfficer(Officer):
    weight = 2
    role = "province"

    @task(3)
    def home(self):
        self.page("/", "home (province)")

    @task(2)
    def dashboard(self):
        self.page("/reports/dashboard/", "dashboard (province)")

    @task(1)
    def overview(self):
        self.page("/reports/overview/", "units table (province)")

    @task(1)
    def statistics(self):
        self.page("/activities/stats/", "activity statistics (province)")

    @task(1)
    def stations(self):
        self.page("/stations/", "station list")

    @task(1)
    def export(self):
        """Now and then: the yearly summary as a background job (queued; the worker builds it)."""
        if random.random() > 0.1:
            return
        jobs = self.page("/reports/jobs/", "job list")
        token = CSRF.search(jobs.text)
        if token:
            with self.client.post(
                "/reports/jobs/start/province-summary/",
                {"csrfmiddlewaretoken": token.group(1), "year": str(date.today().year - 1)},
                headers={"Referer": self.host + "/reports/jobs/"},
                name="start summary export",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302:
                    response.failure(f"{response.status_code}")


class Anonymous(FastHttpUser):
    """The trivial page under the same load."""

    weight = 2
    wait_time = between(0.5, 2.5)

    @task
    def login_page(self):
        self.client.get("/login/", name="trivial page (login form)")
