"""Settings of «Наставник», driven by environment variables.

Defaults are safe for production (DEBUG off, secret key required) except where the process is
clearly a developer's: `make run` and the test suite set NASTAVNIK_DEV=1, which turns on DEBUG,
a fixed development secret key and the embedded SQLite database.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEV_MODE = env_bool("NASTAVNIK_DEV")
DEBUG = env_bool("DEBUG", default=DEV_MODE)

# Without a key Django refuses to read it, so the web server cannot start and nothing can sign
# (sessions, tokens); command-line tools such as `import_roadmap --dry-run` still work on a
# plain checkout. Nothing falls back to a known key outside a developer machine.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEV_MODE:
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEV_MODE else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "axes",
    "nastavnik.base",
    "nastavnik.accounts",
    "nastavnik.orgs",
    "nastavnik.registry",
    "nastavnik.roadmaps",
    "nastavnik.mentoring",
    "nastavnik.matching",
    "nastavnik.surveys",
    "nastavnik.training",
    "nastavnik.mentors",
    "nastavnik.partners",
    "nastavnik.monitoring",
    "nastavnik.recognition",
    "nastavnik.programdocs",
    "nastavnik.cases",
    "nastavnik.publication",
    "nastavnik.notifications",
    "nastavnik.recommendations",
    "nastavnik.calendars",
    "nastavnik.readiness",
    "nastavnik.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "nastavnik.accounts.middleware.PasswordSetupMiddleware",
    # Times in the zone of the user's organisation (Russia spans eleven).
    "nastavnik.registry.timezones.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nastavnik.urls"
WSGI_APPLICATION = "nastavnik.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "nastavnik" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nastavnik.home.context_processors.navigation",
            ],
        },
    },
]

# SQLite is the zero set-up default; DATABASE_URL (postgres://...) selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout keep a small school's concurrent clicks from failing with
    # "database is locked"; IMMEDIATE transactions avoid upgrade deadlocks.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The indicator engine counts every indicator in one grouped query with dozens of FILTER
    # clauses; once statistics make it look expensive, PostgreSQL's JIT spends seconds (minutes
    # at the size of a region) compiling it for a query that runs in milliseconds (measured:
    # 3.7 s with JIT, 0.1 s without, on 30 000 people). Dashboards are many small queries: no JIT.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Passwords, and the one-time codes of login slips (the backend spends a slip's code).
# How long an e-mailed invitation link and a printed login slip's code work (days): a slip is
# printed, handed out in class and taken home, so it lives longer than a link.
ACCOUNT_INVITATION_DAYS = int(os.environ.get("ACCOUNT_INVITATION_DAYS", "7"))
ACCOUNT_SLIP_DAYS = int(os.environ.get("ACCOUNT_SLIP_DAYS", "30"))

# Login protection (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one login, or from
# one address, logging in is refused for LOGIN_LOCKOUT_MINUTES; the site's login and the Django
# admin login alike. The administration unlocks a person's login from the card.
AUTHENTICATION_BACKENDS = [
    # django-axes first (it refuses a locked login before any password is checked), then the
    # password, then a login slip's one-time code.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "nastavnik.accounts.backends.AccessCodeBackend",
]
AXES_ENABLED = env_bool("LOGIN_PROTECTION", default=True)
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
# A successful login does not wipe the counters: it would wipe those of its address too, so a pupil
# could guess a teacher's password by logging into their own account after every few tries.
AXES_RESET_ON_SUCCESS = False
# Only the failed attempts it needs for lockouts: no log of every successful login (addresses and
# browsers of pupils are personal data the system has no purpose for).
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "nastavnik.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "nastavnik.accounts.lockout.client_ip_address"
# The client's address behind the proxies of TRUSTED_PROXIES (below): nastavnik.base.http.

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "nastavnik" / "static"]
# Serve static files straight from the apps: a school server needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEV_MODE
# Files served at the site's root (browsers ask for /favicon.ico whatever the page links).
WHITENOISE_ROOT = BASE_DIR / "nastavnik" / "public"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Every personal file (consent scans, documents of roadmap events, uploads waiting for import)
# lives here, outside MEDIA_ROOT, and only views that check access serve it (nastavnik.base.files).
# PRIVATE_UPLOAD_ROOT is the name earlier versions read.
PRIVATE_FILE_ROOT = Path(
    os.environ.get("PRIVATE_FILE_ROOT")
    or os.environ.get("PRIVATE_UPLOAD_ROOT")
    or BASE_DIR / "var" / "private"
)
# How private files leave: "django" streams them; "nginx" answers with X-Accel-Redirect:
# /_private/<name> (an `internal` location aliased to PRIVATE_FILE_ROOT); "apache" with X-Sendfile.
PRIVATE_FILES_SERVE = os.environ.get("PRIVATE_FILES_SERVE", "django")
if PRIVATE_FILES_SERVE not in {"django", "nginx", "apache"}:
    raise ValueError("PRIVATE_FILES_SERVE must be django, nginx or apache")
# Size limits of uploads, in megabytes: consent scans and documents of roadmap events, class lists
# for import, roadmaps for import.
SCAN_UPLOAD_MAX_MB = int(os.environ.get("SCAN_UPLOAD_MAX_MB", "10"))
IMPORT_UPLOAD_MAX_MB = int(os.environ.get("IMPORT_UPLOAD_MAX_MB", "10"))
ROADMAP_UPLOAD_MAX_MB = int(os.environ.get("ROADMAP_UPLOAD_MAX_MB", "5"))
# An upload waits this long between its preview and its import; `manage.py cleanup_uploads` removes it after.
HELD_UPLOAD_MAX_AGE_HOURS = int(os.environ.get("HELD_UPLOAD_MAX_AGE_HOURS", "24"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# 152-ФЗ: days after the withdrawal of consent (or leaving the organisation) after which
# `manage.py apply_retention` anonymises a person; 30 is the term of art. 21 part 5.
PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", "30"))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEV_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "nastavnik@localhost")
# The public address of the site, for links in e-mails sent by management commands.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Notifications (nastavnik.notifications): the Telegram bot, when configured; without a token and
# a name the «Привязать Telegram» button is hidden and everything goes by e-mail.
TELEGRAM_BOT_TOKEN = os.environ.get("TELEGRAM_BOT_TOKEN", "")
TELEGRAM_BOT_NAME = os.environ.get("TELEGRAM_BOT_NAME", "")
TELEGRAM_API_BASE = os.environ.get("TELEGRAM_API_BASE", "https://api.telegram.org")
# The secret Telegram sends in X-Telegram-Bot-Api-Secret-Token to the webhook (setWebhook secret_token).
TELEGRAM_WEBHOOK_SECRET = os.environ.get("TELEGRAM_WEBHOOK_SECRET", "")
TELEGRAM_TIMEOUT = int(os.environ.get("TELEGRAM_TIMEOUT", "10"))

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEV_MODE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
# HTTPS only, once the site is served over TLS (deploy/nastavnik.env): redirect plain HTTP and
# tell browsers never to try it again. Off by default so a developer machine and a first
# start on a school server without a certificate still work.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks): the survey-link
# limiter counts the client behind them, not the proxy. Only REMOTE_ADDR of a listed proxy makes
# the header count, so a client cannot pretend to be someone else. gunicorn.conf.py reads the
# same variable for X-Forwarded-Proto.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"])

# One cache shared by every worker process (limits such as the survey-link guessing limit must
# not multiply by the number of workers): a table in the database, created by the migration
# nastavnik/base/migrations/0001_cache_table.py, so a fresh install needs no extra step.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "nastavnik_cache",
    },
    # Rendered parts of pages, each under a digest of everything it shows (a dashboard's table:
    # `monitoring.selectors._table_key`), so nothing in it can be out of date. In each process's
    # memory: a deploy restarts the processes, and with them forgets renderings by old templates.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "nastavnik-fragments",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 100},
    },
}

# Background tasks (long class list imports, long orders' PDFs; reusable by any app: define a function with
# `@django_tasks.task()` in the app's tasks.py and call `.enqueue(...)`, e.g. on commit). The
# queue is a table of this database: no broker. A worker runs beside the web server: `make run`
# starts `manage.py db_worker`; in production run it as a service next to gunicorn (README,
# «Развёртывание»). Tests use the immediate backend (nastavnik/test_settings.py): a task runs
# at once, inside the request that enqueued it.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# Dashboards of today read indicator values computed ahead (monitoring/snapshots.py) when they
# are at most this old; `manage.py refresh_indicator_snapshots` (cron) recomputes them.
INDICATOR_SNAPSHOT_MAX_AGE_MINUTES = int(os.environ.get("INDICATOR_SNAPSHOT_MAX_AGE_MINUTES", "30"))
# A class list longer than this is imported in the background, with a progress bar.
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "1000"))
# A background import with no sign of work for this long has lost its task (the task runner was
# stopped, killed or never started): its page says so and offers to start it again.
IMPORT_STALLED_MINUTES = int(os.environ.get("IMPORT_STALLED_MINUTES", "10"))
# A matching run's order of more pairs than this is made as PDF in the background, with a page
# that waits for it: WeasyPrint lays out 4–5 ms a pair (1,520 pairs take 5–7 s; 14,911 take 71 s,
# beyond gunicorn's 60 s timeout). A shorter order is made within the request, as before.
ORDER_PDF_BACKGROUND_PAIRS = int(os.environ.get("ORDER_PDF_BACKGROUND_PAIRS", "300"))
# An order's PDF queued or begun this long ago and not finished has lost its task (the task runner
# was stopped or killed mid-build, or never started): its page says so, and the link builds it
# again. A build has no sign of work to give before it ends; the longest measured took 71 s.
ORDER_PDF_STALLED_MINUTES = int(os.environ.get("ORDER_PDF_STALLED_MINUTES", "15"))

# Audit log of personal data: record who changed what; keep field values out of the
# audit of consents' scanned files (the file path is enough).
AUDITLOG_INCLUDE_ALL_MODELS = False

# Work of the pairs: a pair not met for this many weeks needs the curator's attention; the
# share of participants present at program events the seeds aim for.
MENTORING_NO_MEETING_WEEKS = int(os.environ.get("MENTORING_NO_MEETING_WEEKS", "3"))
MENTORING_EVENT_ATTENDANCE_TARGET = int(os.environ.get("MENTORING_EVENT_ATTENDANCE_TARGET", "90"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The roadmaps' «не менее N публикаций» of an organisation a year (publications and cases on its
# public «Наставничество» page), the target of the counted indicator on the dashboards.
PUBLICATIONS_TARGET = int(os.environ.get("PUBLICATIONS_TARGET", "5"))
