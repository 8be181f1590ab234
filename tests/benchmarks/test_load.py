"""REL-5 bounded load: 20 virtual users for 60 s against a live server on 127.0.0.1 (stdlib threads).

Mixed traffic of signed-in station, county, city and province users on the demo province: station and
activity lists, details, searches and saves (funding entries, with CSRF like a browser). Records the
number of requests, p50/p95/p99 latency per kind and the error rate into docs/benchmarks-load.md.
Run: `make bench` (or `pytest tests/benchmarks/test_load.py -o addopts=""`), preferably with
DATABASE_URL on PostgreSQL. LOAD_USERS and LOAD_SECONDS override the defaults.
"""

import http.cookiejar
import os
import random
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True)]

USERS = int(os.environ.get("LOAD_USERS", "20"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
ACCOUNTS = ["zhan_luru", "zhan_zhang", "zhan_luru2", "xian_daoli", "xian_aihui", "shi_haerbin", "sheng_gongwei"]
EDITORS = {"zhan_luru", "zhan_zhang", "zhan_luru2"}
REPORT = Path(settings.BASE_DIR) / "docs" / "benchmarks-load.md"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class VirtualUser(threading.Thread):
    def __init__(self, base, username, session_key, stations, activities, stop, results, seed):
        super().__init__(daemon=True)
        self.base, self.username, self.stop, self.results = base, username, stop, results
        self.stations, self.activities = stations, activities
        self.rng = random.Random(seed)
        jar = http.cookiejar.CookieJar()
        jar.set_cookie(_cookie(settings.SESSION_COOKIE_NAME, session_key))
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.own_station = stations[0] if username in EDITORS else None

    def call(self, kind, path, data=None):
        url = self.base + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"Referer": self.base + "/"})  # noqa: S310 (http://127.0.0.1 only)
        started = time.perf_counter()
        status, text = 0, ""
        try:
            with self.opener.open(request, timeout=30) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = -1
        self.results.append((kind, time.perf_counter() - started, status))
        return status, text

    def run(self):
        while not self.stop.is_set():
            roll = self.rng.random()
            if roll < 0.2:
                self.call("list", "/stations/")
            elif roll < 0.35:
                self.call("list", "/activities/")
            elif roll < 0.55:
                self.call("detail", f"/stations/{self.rng.choice(self.stations)}/")
            elif roll < 0.7:
                self.call("detail", f"/activities/{self.rng.choice(self.activities)}/")
            elif roll < 0.8:
                self.call("search", "/stations/?" + urllib.parse.urlencode({"q": self.rng.choice("新安花兴铁和")}))
            elif roll < 0.9:
                self.call(
                    "search", "/activities/?" + urllib.parse.urlencode({"q": self.rng.choice(["法治", "学习", "关爱"])})
                )
            elif self.own_station:
                _status, page = self.call("detail", f"/stations/{self.own_station}/")
                token = CSRF.search(page)
                if token:
                    self.call(
                        "save",
                        f"/stations/{self.own_station}/funding/",
                        {"csrfmiddlewaretoken": token.group(1), "year": "2024", "amount_yuan": "100", "source": "压测"},
                    )
            else:
                self.call("list", "/")


def _cookie(name, value):
    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False, None, None, {}
    )


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000


def test_bounded_load(live_server):
    if connection.vendor != "postgresql":
        pytest.fail(
            "The load test needs PostgreSQL (an in-memory SQLite test database is one shared connection): "
            "`make bench` uses the local PostgreSQL when it is running, or set DATABASE_URL."
        )
    from activities.models import Activity
    from stations.models import User, Workstation
    from stations.scoping import visible_to

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    port = urllib.parse.urlsplit(live_server.url).port
    base = f"http://127.0.0.1:{port}"  # only the local live server, never another host
    users = {}
    for username in ACCOUNTS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        users[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    results, stop = [], threading.Event()
    threads = []
    for number in range(USERS):
        username = ACCOUNTS[number % len(ACCOUNTS)]
        user = User.objects.get(username=username)
        own = list(Workstation.objects.filter(pk=user.workstation_id).values_list("pk", flat=True))
        scope = own or list(visible_to(Workstation.objects.all(), user).values_list("pk", flat=True))
        activities = list(Activity.objects.filter(workstation_id__in=scope).values_list("pk", flat=True)[:200])
        threads.append(VirtualUser(base, username, users[username], scope, activities or [0], stop, results, number))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(SECONDS)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.perf_counter() - started

    from stations.models import Funding

    saved = Funding.objects.filter(source="压测").count()
    by_kind = defaultdict(list)
    errors = [r for r in results if r[2] not in (200, 302)]
    for kind, seconds, _status in results:
        by_kind[kind].append(seconds)
    rows = []
    for kind in ["list", "detail", "search", "save", "all"]:
        values = [s for _k, s, _st in results] if kind == "all" else by_kind.get(kind, [])
        if values:
            rows.append(
                f"| {kind} | {len(values)} | {statistics.median(values) * 1000:.0f} | "
                f"{_percentile(values, 0.95):.0f} | {_percentile(values, 0.99):.0f} |"
            )
    statuses = defaultdict(int)
    for _k, _s, status in results:
        statuses[status] += 1
    REPORT.write_text(
        "\n".join(
            [
                "# Load test (REL-5)",
                "",
                f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `tests/benchmarks/test_load.py`: "
                f"{USERS} virtual users "
                f"(threads, stdlib HTTP) for {SECONDS:.0f} s against pytest-django's live server on 127.0.0.1, "
                f"database {connection.vendor}, demo province (13 stations). Users: station staff and heads, "
                "county, city and province officers, each with its own session; traffic: station and activity "
                "lists (35 %), details (35 %), searches (20 %), saves (funding entries with CSRF, 10 % of the "
                "station users' requests). No think time: every user sends its next request at once.",
                "",
                f"Requests: {len(results)} in {elapsed:.0f} s ({len(results) / elapsed:.1f}/s); "
                f"errors (not 200/302): {len(errors)} ({100 * len(errors) / max(1, len(results)):.2f} %); "
                f"statuses: {dict(sorted(statuses.items()))}; funding rows saved: {saved} "
                "(a save is the POST and the redirect to the station page that follows it).",
                "",
                "| kind | requests | p50 ms | p95 ms | p99 ms |",
                "|---|---|---|---|---|",
                *rows,
                "",
                f"Closed loop without think time: mean latency ≈ users / throughput (Little's law) = "
                f"{1000 * USERS / max(0.001, len(results) / elapsed):.0f} ms, so these figures measure the capacity "
                "of the server on this machine (requests per second) more than the latency of one request. "
                "For a quick single-request figure, run with LOAD_USERS=1.",
                "",
                "The live server is Django's threaded development server (one thread and one new database "
                "connection per request) on a 2-core machine shared with other jobs, so the latencies are an upper "
                "bound for gunicorn with persistent connections; SECURITY.md's target is 50 users × 5 min, "
                "p95 < 300 ms, 0 errors.",
                "",
            ]
        ),
        encoding="utf-8",
    )
    assert results, "no request was made"
    assert not errors, f"{len(errors)} failed requests, e.g. {errors[:5]}"
    assert saved == len(by_kind["save"]), "every save must have written its row"
