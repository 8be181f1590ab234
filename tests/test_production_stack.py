"""The production stack (issue 15 §2): gunicorn with config/gunicorn.conf.py serves the site under the
production settings (DEBUG off, collected static files through WhiteNoise), and `make prod` is wired
to it. Runs a real gunicorn on a free port of 127.0.0.1 against a throw-away SQLite database."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own local server
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.fixture
def production_env(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": "test-only-production-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        "ID_HASH_KEY": "test-only-id-hash-key",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    return env


def test_gunicorn_serves_the_site_with_production_settings(production_env):
    port = free_port()
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env={**production_env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, page = get(f"{base}/login/")
                break
            except (ConnectionError, urllib.error.URLError):
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        assert status == 200
        assert "登录" in page
        # Collected, hashed static files come from WhiteNoise (no finders in production).
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
        assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), stylesheet
        assert get(base + stylesheet)[0] == 200
        status, page = get(f"{base}/static/no-such-file.css")
        assert status == 404 and "Traceback" not in page and "DEBUG" not in page
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode("utf-8", "replace")
    assert "gthread" in output or "Booting worker" in output


def test_make_prod_runs_gunicorn_and_a_worker_with_its_beat():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^prod: setup\n\tdeploy/serve-production$", makefile, re.M)
    script = (ROOT / "deploy" / "serve-production").read_text(encoding="utf-8")
    assert "export DJANGO_ENV=production" in script
    assert "celery -A config worker -B" in script
    assert "gunicorn -c config/gunicorn.conf.py config.wsgi" in script
    assert os.access(ROOT / "deploy" / "serve-production", os.X_OK)
