"""All settings, read from the environment (django-environ) with safe defaults.

With no configuration the site runs on SQLite in the project folder with DEBUG off; production sets
DJANGO_ENV=production and must provide every secret (SEC-1), see docs/operations.md.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


class Env(environ.Env):
    """django-environ, except that a boolean it does not understand is an error, not False."""

    BOOLEAN_STRINGS = frozenset({"true", "false", "1", "0", "yes", "no", "on", "off"})

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        raw = self.ENVIRON.get(f"{self.prefix}{var}")
        if cast is bool and raw is not None and raw.strip().lower() not in self.BOOLEAN_STRINGS:
            raise ImproperlyConfigured(f"{var}={raw!r} is not a boolean: use true/false, 1/0, yes/no or on/off")
        return super().get_value(var, cast=cast, default=default, parse_default=parse_default)


env = Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"), overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=False)
INSECURE_KEY = "django-insecure-development-only-never-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_KEY)
# HMAC key for ID-number lookup hashes (DATA-3).
ID_HASH_KEY = env.str("ID_HASH_KEY", default="development-id-hash-key")

if PRODUCTION:
    missing = [name for name in ("SECRET_KEY", "ID_HASH_KEY", "DATABASE_URL") if not env.ENVIRON.get(name)]
    if missing:
        raise ImproperlyConfigured(f"Production needs these environment variables: {', '.join(missing)}")
    if SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("SECRET_KEY must not be a django-insecure key in production")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the built-in widget templates, for the project's renderer (FORM_RENDERER)
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "stations",
    "stations.accounts",
    "stations.audit",
    "stations.backup",
    "stations.exports",
    "stations.reports",
    "stations.offline",
    "stations.notifications",
    "stations.search",
    "volunteers",
    "mentoring",
    "activities",
    "inspections",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "stations.middleware.ServiceUnavailableOnDatabaseError",
    "stations.scope_guard.ScopeGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "stations.middleware.NoStoreForSignedInUsers",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "stations.middleware.RequestContextMiddleware",
    "stations.middleware.LoginRequiredEverywhere",
    "stations.accounts.mfa.SecondFactorRequired",
    "stations.accounts.middleware.PasswordChangeRequired",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stations.context_processors.navigation",
                "stations.notifications.context_processors.unread_notifications",
                "stations.search.context_processors.search_box",
            ],
        },
    },
]

# Widgets render through the project's templates, where templates/django/forms/widgets/ writes a select's
# options and an input's attributes inline: Django includes a template per option and per attribute list,
# a third of a form page's rendering (docs/decisions.md).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- database -------------------------------------------------------------------------------
# Solid-state storage: an index lookup costs little more than a sequential read. With PostgreSQL's
# default (4) the planner scans all activities of the province for a county's 3,000 (docs/benchmarks.md).
# No parallel workers per query by default: a page's queries are short and a 2-core host is shared by many
# requests at once; with them, a station's activity list walked the province's date index in three
# processes (65 ms) instead of reading its own 1,300 links (8 ms).
PG_PLANNER_OPTIONS = (
    "-c random_page_cost="
    + env.str("PG_RANDOM_PAGE_COST", default="1.1")
    + " -c max_parallel_workers_per_gather="
    + str(env.int("PG_PARALLEL_WORKERS_PER_QUERY", default=0))
)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # REL-4: reuse connections, but check them so a restarted server costs one 503, not many.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = PG_PLANNER_OPTIONS
else:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# Dashboards and export jobs may read from a streaming replica (stations/replica.py, docs/scaling.md).
# Without DATABASE_REPLICA_URL the alias repeats the primary and nothing is routed to it; in tests it
# mirrors the test database.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
DATABASES["replica"] = {
    **(env.db("DATABASE_REPLICA_URL") if DATABASE_REPLICA_URL else DATABASES["default"]),
    "TEST": {"MIRROR": "default"},
}
if DATABASES["replica"]["ENGINE"].endswith("postgresql"):
    DATABASES["replica"].update(CONN_MAX_AGE=env.int("CONN_MAX_AGE", default=60), CONN_HEALTH_CHECKS=True)
    DATABASES["replica"].setdefault("OPTIONS", {})["options"] = PG_PLANNER_OPTIONS
REPORTS_READ_REPLICA = bool(DATABASE_REPLICA_URL)
DATABASE_ROUTERS = ["stations.replica.ReportReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- authentication (AUTH-1..7) --------------------------------------------------------------
AUTH_USER_MODEL = "stations.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "stations:home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "stations.accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "stations.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "stations.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"history": 5}},
]
# 等保 asks for periodic change; ASVS 5.0 advises against it. 0 turns it off (docs/decisions.md).
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
# A password set by an administrator is a one-time password: sign-in with it is refused after this.
ONE_TIME_PASSWORD_HOURS = env.int("ONE_TIME_PASSWORD_HOURS", default=72)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "stations.accounts.backends.ModelBackend",  # the user with its station or unit, one query
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
if PRODUCTION and not AXES_ENABLED:
    raise ImproperlyConfigured("AXES_ENABLED=false turns off the login lockout (AUTH-4): refused in production")
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # nested list = the combination (axes #1297)
AXES_USERNAME_CALLABLE = "stations.accounts.lockout.lockout_username"  # one counter per account, any spelling
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind nginx, which sets X-Real-IP; never trust X-Forwarded-For from the client.
TRUST_X_REAL_IP = env.bool("TRUST_X_REAL_IP", default=False)
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_REAL_IP", "REMOTE_ADDR") if TRUST_X_REAL_IP else ("REMOTE_ADDR",)
AXES_CLIENT_IP_CALLABLE = "stations.context.client_ip"

SESSION_ENGINE = "stations.accounts.sessions"  # database sessions; a touch commits without waiting for fsync
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=1800)
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout counts from the last request, not the last write
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "stations.errors.csrf_failure"  # the Chinese 403_csrf.html inside the site layout
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from a <meta> tag, not from the cookie

# --- security headers (HDR-1, HDR-2, OUT-2) ----------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=PRODUCTION)
# A year, as Django's deployment checklist expects for an HTTPS-only site (docs/decisions.md).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("BEHIND_TLS_PROXY", default=False):
    # Only when nginx overwrites X-Forwarded-Proto (HDR-2).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# HSTS preload needs a public domain on the browsers' list: intranet hosts never qualify.
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=["security.W021"])

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Chinese only: an English browser (Accept-Language: en) gets the same Chinese pages, never Django's
# English messages inside a Chinese page (docs/decisions.md). locale/ holds the project's own
# corrections to Django's zh_Hans catalogue; its .mo is committed (gettext may be missing on a server).
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"  # never served directly: files go through permission-checked views (HDR-3)
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=not PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)  # IN-5
UPLOAD_MAX_IMAGE_PIXELS = env.int("UPLOAD_MAX_IMAGE_PIXELS", default=40_000_000)  # width × height, read before decoding
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640

# --- background jobs (DESIGN §8) --------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
if PRODUCTION and not CELERY_BROKER_URL:
    # A job run inside a request dies with the worker's timeout and stays "running" (issue 15 §2).
    raise ImproperlyConfigured(
        "Production needs CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) and a Celery worker: "
        "background jobs never run inside a request in production"
    )
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL  # development default: run in the request
# Longest a job may run: the worker kills it after this many seconds, so a job still "running" later
# than that (plus a minute) has lost its worker and is marked failed (stations.reports.jobs).
EXPORT_JOB_TIME_LIMIT = env.int("EXPORT_JOB_TIME_LIMIT", default=900)
CELERY_TASK_SOFT_TIME_LIMIT = EXPORT_JOB_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = EXPORT_JOB_TIME_LIMIT + 30
CELERY_TASK_REJECT_ON_WORKER_LOST = False  # a lost job is failed with its reason, never run twice
# A queued job no worker has picked up after this many minutes is failed ("no background worker").
EXPORT_QUEUE_TIMEOUT_MINUTES = env.int("EXPORT_QUEUE_TIMEOUT_MINUTES", default=60)
CELERY_BEAT_SCHEDULE = {
    "fail-lost-export-jobs": {"task": "stations.tasks.fail_lost_export_jobs", "schedule": 300.0},
    "purge-expired-exports": {"task": "stations.tasks.purge_expired_exports", "schedule": 3600.0},
    # Daily reminders of visits and follow-ups falling due (idempotent: a rerun writes nothing new).
    "notify-due": {"task": "mentoring.tasks.notify_due", "schedule": crontab(hour=6, minute=30)},
    "purge-read-notifications": {
        "task": "stations.notifications.tasks.purge_read_notifications",
        "schedule": crontab(hour=3, minute=15),
    },
}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
EXPORT_TTL_HOURS = env.int("EXPORT_TTL_HOURS", default=72)
# Read notifications are deleted this many days after they were written (unread ones are kept).
NOTIFICATION_RETENTION_DAYS = env.int("NOTIFICATION_RETENTION_DAYS", default=180)
# Figures of a county and above are kept between requests (stations.figure_cache): a snapshot older than
# the data is shown with its time while a worker recomputes it; a refresh queued this many seconds ago and
# still not done means no worker is doing it, and the request computes the snapshot itself.
FIGURE_SNAPSHOT_WORKER_WAIT_SECONDS = env.int("FIGURE_SNAPSHOT_WORKER_WAIT_SECONDS", default=900)
# … and one such snapshot is recomputed at most once in this many seconds, however often the data changes
# (a province's refresh is seconds of database work: once a minute took a quarter of a 2-core host).
FIGURE_SNAPSHOT_REFRESH_SECONDS = env.int("FIGURE_SNAPSHOT_REFRESH_SECONDS", default=300)
# Most minors one named (encrypted) export may hold: a larger selection is refused, not cut (mentoring).
NAMED_EXPORT_MAX_ROWS = env.int("NAMED_EXPORT_MAX_ROWS", default=200)

# --- domain settings (DOMAIN.md [proposal] defaults) ------------------------------------------
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)
CASE_RETENTION_YEARS = env.int("CASE_RETENTION_YEARS", default=3)
DEFERRED_REVIEW_MONTHS = env.int("DEFERRED_REVIEW_MONTHS", default=12)
MFA_REQUIRED_ROLES = env.list("MFA_REQUIRED_ROLES", default=[])  # besides the three administrators (AUTH-7)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="关爱工作站")
OTP_TOTP_THROTTLE_FACTOR = 1  # 1 s, 2 s, 4 s … after each failed code (stored on the device row)
# Case cadences (DOMAIN §4, docs/mentoring.md): days between contacts by risk level, given as
# "high=30,medium=60,low=90" (a partial list keeps the other defaults).
MENTORING_CONTACT_DAYS = {"high": 30, "medium": 60, "low": 90}
MENTORING_CONTACT_DAYS |= {k: int(v) for k, v in env.dict("MENTORING_CONTACT_DAYS", default={}).items()}
if set(MENTORING_CONTACT_DAYS) != {"high", "medium", "low"}:
    raise ImproperlyConfigured("MENTORING_CONTACT_DAYS takes the levels high, medium and low only")
MENTORING_REASSESS_MONTHS = env.int("MENTORING_REASSESS_MONTHS", default=6)
MENTORING_FOLLOWUP_MONTHS = tuple(env.list("MENTORING_FOLLOWUP_MONTHS", cast=int, default=[6, 12]))
MENTORING_CALL_FOLLOWUP_HOURS = env.int("MENTORING_CALL_FOLLOWUP_HOURS", default=48)
MENTOR_MAX_YOUTH = env.int("MENTOR_MAX_YOUTH", default=3)  # a warning above this many open youth per mentor
# Star levels by cumulative service hours (docs/volunteers.md).
VOLUNTEER_STAR_HOURS = tuple(env.list("VOLUNTEER_STAR_HOURS", cast=int, default=[100, 300, 600, 1000, 1500]))
VOLUNTEER_IMPORT_MAX_ROWS = env.int("VOLUNTEER_IMPORT_MAX_ROWS", default=5000)
# Characters of details besides the reason chosen from the list (DATA-2, stations/reasons.py).
ACCESS_REASON_MIN_DETAILS = env.int("ACCESS_REASON_MIN_DETAILS", default=10)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_pii": {"()": "stations.masking.PiiLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_pii"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
