"""Settings come from the environment only, are documented, and refuse what they do not understand.

Each case imports `config.settings` in a fresh interpreter whose environment holds exactly the variables
the test gives (every variable the settings read is removed first; the local `.env` file is not read).
"""

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import Env

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_FILE = ROOT / "config" / "settings.py"
OPERATIONS_DOC = ROOT / "docs" / "operations.md"
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "test-only-production-secret-0123456789abcdefghijklmnopqrstuvwxyz",
    "ID_HASH_KEY": "test-only-id-hash-key",
    "DATABASE_URL": "sqlite:///:memory:",
    "ALLOWED_HOSTS": "guanai.example",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def env_reads() -> dict[str, int]:
    """Every `env(...)` / `env.<cast>(...)` read in config/settings.py: variable name -> line."""
    reads = {}
    for node in ast.walk(ast.parse(SETTINGS_FILE.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        is_read = (isinstance(func, ast.Name) and func.id == "env") or (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "env"
            and func.attr != "read_env"
        )
        if not is_read:
            continue
        name = node.args[0] if node.args else None
        assert isinstance(name, ast.Constant) and isinstance(name.value, str), (
            f"config/settings.py:{node.lineno} reads a variable whose name is not a literal"
        )
        reads.setdefault(name.value, node.lineno)
    return reads


def python_files() -> list[Path]:
    """The project's Python files (hidden folders such as .venv and the var/ folder left out)."""
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if not name.startswith(".") and name != "var"]
        found += [Path(folder) / name for name in files if name.endswith(".py")]
    return sorted(found)


def run_python(code: str, **environment: str) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter with only `environment` among the variables the settings read."""
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is a test-process switch, never a deployment's.
    ignored = set(env_reads()) | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in ignored}
    prelude = "import environ\nenviron.Env.read_env = lambda *args, **kwargs: None\n"  # the local .env stays out
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        cwd=ROOT,
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def load_settings(names: list[str], **environment: str) -> subprocess.CompletedProcess:
    """Import config.settings; print the named settings as JSON."""
    code = f"import json, config.settings as s\nprint(json.dumps({{n: getattr(s, n) for n in {names!r}}}, default=str))"
    return run_python(code, **environment)


def settings_with(names: list[str], **environment: str) -> dict:
    result = load_settings(names, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- every variable is documented ------------------------------------------------------------


def documented_variables() -> dict[str, list[str]]:
    """Rows of the environment table in docs/operations.md: variable -> [default, meaning, production]."""
    rows = {}
    for line in OPERATIONS_DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| `") and (name := re.fullmatch(r"`([A-Z][A-Z0-9_]*)`", cells[0])):
            rows[name.group(1)] = cells[1:]
    return rows


def test_settings_read_the_environment_only_through_env():
    """env_reads() sees every read: none bypasses it (and a broken parser would find none)."""
    assert not re.search(r"os\.environ|getenv", SETTINGS_FILE.read_text(encoding="utf-8"))
    reads = env_reads()
    assert {"DJANGO_ENV", "DEBUG", "AXES_ENABLED", "SECURE_HSTS_SECONDS", "DATABASE_URL"} <= set(reads)
    assert len(reads) > 30


def test_every_environment_variable_is_documented():
    documented = documented_variables()
    undocumented = [
        f"{name} (config/settings.py:{line})" for name, line in env_reads().items() if name not in documented
    ]
    assert undocumented == [], "add a row to the environment table in docs/operations.md"


def test_no_documented_variable_is_stale():
    assert sorted(set(documented_variables()) - set(env_reads())) == []


def test_each_documented_variable_has_default_meaning_and_production_value():
    incomplete = [name for name, cells in documented_variables().items() if len(cells) != 3 or not all(cells)]
    assert incomplete == []


# --- booleans -------------------------------------------------------------------------------


def test_debug_maybe_stops_start_up_naming_the_variable():
    result = load_settings(["DEBUG"], DEBUG="maybe")
    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG='maybe' is not a boolean" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "ture", "", "2", "enabled", "ok", "y"])
def test_a_boolean_outside_the_usual_spellings_is_refused(monkeypatch, value):
    monkeypatch.setenv("TRUST_X_REAL_IP", value)
    with pytest.raises(ImproperlyConfigured, match=f"TRUST_X_REAL_IP={value!r} is not a boolean"):
        Env().bool("TRUST_X_REAL_IP", default=False)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        ("Yes", True),
        ("no", False),
        (" on ", True),
        ("off", False),
    ],
)
def test_the_usual_boolean_spellings_are_understood(monkeypatch, value, expected):
    monkeypatch.setenv("TRUST_X_REAL_IP", value)
    assert Env().bool("TRUST_X_REAL_IP", default=not expected) is expected


def test_an_unset_boolean_takes_its_default(monkeypatch):
    monkeypatch.delenv("TRUST_X_REAL_IP", raising=False)
    assert Env().bool("TRUST_X_REAL_IP", default=True) is True


# --- settings are read in config/settings.py only ---------------------------------------------


def test_app_code_reads_settings_as_attributes_never_with_a_fallback():
    """A `getattr(settings, "X", default)` hides a second default outside config/settings.py."""
    pattern = re.compile(r"\b(?:get|has)attr\(\s*\w*settings\b")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in python_files()
        if path != Path(__file__)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert python_files(), "the scan found no code"
    assert offenders == []


def test_domain_settings_come_from_the_environment():
    names = [
        "MENTORING_CONTACT_DAYS",
        "MENTORING_REASSESS_MONTHS",
        "MENTORING_FOLLOWUP_MONTHS",
        "MENTORING_CALL_FOLLOWUP_HOURS",
        "MENTOR_MAX_YOUTH",
        "VOLUNTEER_STAR_HOURS",
        "VOLUNTEER_IMPORT_MAX_ROWS",
        "ACCESS_REASON_MIN_DETAILS",
        "UPLOAD_MAX_IMAGE_PIXELS",
    ]
    assert settings_with(names) == {
        "MENTORING_CONTACT_DAYS": {"high": 30, "medium": 60, "low": 90},
        "MENTORING_REASSESS_MONTHS": 6,
        "MENTORING_FOLLOWUP_MONTHS": [6, 12],
        "MENTORING_CALL_FOLLOWUP_HOURS": 48,
        "MENTOR_MAX_YOUTH": 3,
        "VOLUNTEER_STAR_HOURS": [100, 300, 600, 1000, 1500],
        "VOLUNTEER_IMPORT_MAX_ROWS": 5000,
        "ACCESS_REASON_MIN_DETAILS": 10,
        "UPLOAD_MAX_IMAGE_PIXELS": 40_000_000,
    }
    assert settings_with(
        names,
        MENTORING_CONTACT_DAYS="high=7",
        MENTORING_REASSESS_MONTHS="3",
        MENTORING_FOLLOWUP_MONTHS="3,6,12",
        MENTORING_CALL_FOLLOWUP_HOURS="24",
        MENTOR_MAX_YOUTH="5",
        VOLUNTEER_STAR_HOURS="50,100",
        VOLUNTEER_IMPORT_MAX_ROWS="800",
        ACCESS_REASON_MIN_DETAILS="20",
        UPLOAD_MAX_IMAGE_PIXELS="1000000",
    ) == {
        "MENTORING_CONTACT_DAYS": {"high": 7, "medium": 60, "low": 90},
        "MENTORING_REASSESS_MONTHS": 3,
        "MENTORING_FOLLOWUP_MONTHS": [3, 6, 12],
        "MENTORING_CALL_FOLLOWUP_HOURS": 24,
        "MENTOR_MAX_YOUTH": 5,
        "VOLUNTEER_STAR_HOURS": [50, 100],
        "VOLUNTEER_IMPORT_MAX_ROWS": 800,
        "ACCESS_REASON_MIN_DETAILS": 20,
        "UPLOAD_MAX_IMAGE_PIXELS": 1_000_000,
    }


def test_an_unknown_risk_level_in_the_contact_cadence_stops_start_up():
    result = load_settings(["MENTORING_CONTACT_DAYS"], MENTORING_CONTACT_DAYS="hihg=7")
    assert result.returncode != 0
    assert "MENTORING_CONTACT_DAYS takes the levels high, medium and low only" in result.stderr


# --- production refusals ----------------------------------------------------------------------


def test_production_refuses_to_start_with_the_login_lockout_off():
    result = load_settings(["AXES_ENABLED"], **PRODUCTION, AXES_ENABLED="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured: AXES_ENABLED=false turns off the login lockout (AUTH-4)" in result.stderr


def test_production_refuses_to_start_without_a_job_broker():
    result = load_settings(["CELERY_TASK_ALWAYS_EAGER"], **{**PRODUCTION, "CELERY_BROKER_URL": ""})
    assert result.returncode != 0
    assert "Production needs CELERY_BROKER_URL" in result.stderr


def test_production_jobs_never_run_in_the_request():
    assert settings_with(["CELERY_TASK_ALWAYS_EAGER"], **PRODUCTION) == {"CELERY_TASK_ALWAYS_EAGER": False}
    assert settings_with(["CELERY_TASK_ALWAYS_EAGER"]) == {"CELERY_TASK_ALWAYS_EAGER": True}


def test_development_may_turn_the_login_lockout_off():
    assert settings_with(["AXES_ENABLED"], AXES_ENABLED="false") == {"AXES_ENABLED": False}
    assert settings_with(["AXES_ENABLED"], **PRODUCTION) == {"AXES_ENABLED": True}


# --- HSTS (HDR-2) -------------------------------------------------------------------------------


def test_production_hsts_lasts_a_year_by_default():
    assert settings_with(["SECURE_HSTS_SECONDS"], **PRODUCTION) == {"SECURE_HSTS_SECONDS": 31_536_000}


def test_production_hsts_is_configurable():
    assert settings_with(["SECURE_HSTS_SECONDS"], **PRODUCTION, SECURE_HSTS_SECONDS="3600") == {
        "SECURE_HSTS_SECONDS": 3600
    }


def test_development_sends_no_hsts():
    assert settings_with(["SECURE_HSTS_SECONDS"]) == {"SECURE_HSTS_SECONDS": 0}


def test_deploy_check_is_clean_with_production_settings():
    code = "from django.core.management import execute_from_command_line\n"
    code += "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    result = run_python(code, **PRODUCTION, DJANGO_SETTINGS_MODULE="config.settings")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
