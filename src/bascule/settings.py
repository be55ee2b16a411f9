"""Bascule's one settings module.

Every value comes from an environment variable with a safe default for the embedded
mode (SQLite under ``var/``, tasks on the same database, e-mail to the console). Every
variable read here is listed in ``docs/configuration.md``; a test keeps that list complete.
"""

import hashlib
import hmac
import os
import secrets
import zoneinfo
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _


def env(name: str, default: str = "") -> str:
    """The variable's value; unset and empty both mean the default."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    # A typo such as DEBUG=flase must not silently mean something.
    raise ImproperlyConfigured(f"{name} must be 1/true/yes/on or 0/false/no/off, got {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent

# Where the embedded mode keeps its database, secret key and uploaded files.
DATA_DIR = Path(env("BASCULE_DATA_DIR", str(BASE_DIR / "var"))).resolve()

BASCULE_ENV = env("BASCULE_ENV", "development")
if BASCULE_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"BASCULE_ENV must be one of development, production, test, got {BASCULE_ENV!r}.")
PRODUCTION = BASCULE_ENV == "production"

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        if PRODUCTION and (len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")):
            raise ImproperlyConfigured(
                "SECRET_KEY is too weak for production: use at least 50 random characters."
            )
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when BASCULE_ENV=production.")
    # Embedded mode: a random key kept beside the database, so sessions survive restarts
    # and no key is ever shared between installations.
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when BASCULE_ENV=production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Public address used in e-mails (password reset, notifications) sent by background tasks.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ORGANISATION_NAME = env("BASCULE_ORGANISATION_NAME", "Bascule")

INSTALLED_APPS = [
    "bascule.core",
    "bascule.people",
    "bascule.adoption",
    "bascule.network",
    "bascule.notify",
    "bascule.search",
    "bascule.interop",
    "bascule.moderation",
    "bascule.programs",
    "bascule.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bascule.core.middleware.PermissionMemoMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "bascule.core.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After authentication and the person: sends people to the charter until they accept it.
    "bascule.programs.charter.CharterMiddleware",
]

ROOT_URLCONF = "bascule.urls"
WSGI_APPLICATION = "bascule.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bascule.core.context_processors.bascule",
            ],
            # {% avatar %} everywhere without a {% load %} (people/templatetags/avatars.py).
            "builtins": ["bascule.people.templatetags.avatars"],
        },
    },
]


def _database(url: str) -> dict:
    try:
        return dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not understood ({error}); use sqlite:///path or postgres://user:password@host/name.") from None


DATABASES = {"default": _database(env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'bascule.sqlite3'}"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web process use the file at the same time; IMMEDIATE
    # transactions avoid "database is locked" upgrades under concurrent writes.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            "PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: page queries are short, but their estimated cost (permission subqueries over
    # a million posts) crossed PostgreSQL's JIT thresholds, and compiling took 2–5 s of a
    # 50 ms query (docs/benchmarks.md, "Network pages").
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Parameters bound by the server, and statements prepared once a connection has run
    # them five times: parsed once per connection, planned on every run for the values
    # given (custom plans). A generic plan, made once for any value, expects the average
    # author, tag or recipient and a guessed share of readable spaces: the profile, tag
    # and notification pages of the busiest ones took 10–15 ms more (docs/benchmarks.md,
    # "Fifth pass"). A transaction-pooling pgbouncer older than 1.21 cannot follow
    # prepared statements: DATABASE_PREPARED_STATEMENTS=false turns them off.
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"]["options"] += " -c plan_cache_mode=force_custom_plan"
        DATABASES["default"]["OPTIONS"] |= {"server_side_binding": True, "prepare_threshold": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Shared by the web and worker processes of one machine, unlike a per-process cache,
    # so that login lock-outs hold across processes.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

TASKS = {
    "default": {
        "BACKEND": env("BASCULE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = ["bascule.people.backends.PersonBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Failed logins for one e-mail address before it is locked, and for how long.
LOGIN_FAILURE_LIMIT = env_int("BASCULE_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = env_int("BASCULE_LOGIN_LOCKOUT_SECONDS", 15 * 60)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A refused form (missing or stale CSRF token) gets our error page, in the person's language.
CSRF_FAILURE_VIEW = "bascule.core.errors.csrf_failure"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content Security Policy on every page: our own files only, scripts with a nonce,
# no inline styles or handlers, never framed.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = env("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be en or fr, got {LANGUAGE_CODE!r}.")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/Paris")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (ValueError, zoneinfo.ZoneInfoNotFoundError):
    raise ImproperlyConfigured(f"TIME_ZONE must be an IANA time zone such as Europe/Paris, got {TIME_ZONE!r}.") from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
# Uploaded files are never served directly: views check who may see them.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Largest accepted upload (profile photos now, attachments later), in bytes.
BASCULE_MAX_UPLOAD_BYTES = env_int("BASCULE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Production defaults to the local mail server, as Django does: the console would print
# password-reset links into the logs.
EMAIL_URL = env("EMAIL_URL", "smtp://localhost:25" if PRODUCTION else "console://")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Bascule <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def _mailers(url: str) -> dict:
    """MAILERS from EMAIL_URL: console://, smtp://user:pass@host:25, submission://… (STARTTLS),
    smtps://… (TLS), file:///path, memory://, dummy://."""
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "submission": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
        "memory": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme must be one of {', '.join(backends)}, got {parts.scheme or url!r}."
        )
    options = {}
    if parts.scheme == "file":
        options["file_path"] = parts.path or str(DATA_DIR / "mail")
    elif parts.scheme in {"smtp", "submission", "smtps"}:
        query = parse_qs(parts.query)
        options = {
            "host": parts.hostname or "localhost",
            "port": parts.port or {"smtp": 25, "submission": 587, "smtps": 465}[parts.scheme],
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": parts.scheme == "submission" or query.get("tls", ["0"])[0] in {"1", "true"},
            "use_ssl": parts.scheme == "smtps",
            "timeout": 20,
        }
    return {"default": {"BACKEND": backends[parts.scheme], "OPTIONS": options}}


MAILERS = _mailers(EMAIL_URL)

LOG_LEVEL = env("LOG_LEVEL", "WARNING").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {LOG_LEVEL!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# Adoption: privacy and journey settings (DESIGN.md), declared here so every surface
# reads one value.
BASCULE_MIN_GROUP_SIZE = env_int("BASCULE_MIN_GROUP_SIZE", 5)
if BASCULE_MIN_GROUP_SIZE < 5:
    raise ImproperlyConfigured("BASCULE_MIN_GROUP_SIZE may not be lower than 5.")
BASCULE_EVENT_RETENTION_DAYS = env_int("BASCULE_EVENT_RETENTION_DAYS", 90)
if BASCULE_EVENT_RETENTION_DAYS < 0:
    raise ImproperlyConfigured("BASCULE_EVENT_RETENTION_DAYS must be 0 (keep everything) or a number of days.")
# The journey's window (days ending on the day evaluated) and its two thresholds.
BASCULE_JOURNEY_WINDOW_DAYS = env_int("BASCULE_JOURNEY_WINDOW_DAYS", 28)
BASCULE_CONTRIBUTION_THRESHOLD = env_int("BASCULE_CONTRIBUTION_THRESHOLD", 2)
BASCULE_PROMOTION_THRESHOLD = env_int("BASCULE_PROMOTION_THRESHOLD", 2)
for _name in ("BASCULE_JOURNEY_WINDOW_DAYS", "BASCULE_CONTRIBUTION_THRESHOLD", "BASCULE_PROMOTION_THRESHOLD"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")
# Key of the pseudonymous analytics id (HMAC-SHA256 of a person's id). By default derived
# from SECRET_KEY, so that it is secret without configuration; set it to keep the ids
# stable across a change of SECRET_KEY.
BASCULE_ANALYTICS_KEY = env("BASCULE_ANALYTICS_KEY") or hmac.new(
    SECRET_KEY.encode(), b"bascule analytics id", hashlib.sha256
).hexdigest()
# Directory pages show this many people.
BASCULE_DIRECTORY_PAGE_SIZE = env_int("BASCULE_DIRECTORY_PAGE_SIZE", 24)
# API v1: requests per minute allowed to each personal token (0: no limit).
BASCULE_API_RATE_LIMIT = env_int("BASCULE_API_RATE_LIMIT", 600)
if BASCULE_API_RATE_LIMIT < 0:
    raise ImproperlyConfigured("BASCULE_API_RATE_LIMIT must be 0 (no limit) or a number of requests per minute.")
# Requests to referents: working days within which an answer is expected.
BASCULE_REQUEST_DELAY_DAYS = env_int("BASCULE_REQUEST_DELAY_DAYS", 5)
if BASCULE_REQUEST_DELAY_DAYS < 1:
    raise ImproperlyConfigured("BASCULE_REQUEST_DELAY_DAYS must be a number of working days, at least 1.")
# Nudges (automatic suggestions from the playbooks): at most one per person in this many days.
BASCULE_NUDGE_INTERVAL_DAYS = env_int("BASCULE_NUDGE_INTERVAL_DAYS", 14)
if BASCULE_NUDGE_INTERVAL_DAYS < 7:
    raise ImproperlyConfigured("BASCULE_NUDGE_INTERVAL_DAYS must be at least 7: people are not to be pestered.")
