"""Django settings: everything comes from environment variables declared in ``config.py``."""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from motcua.config import read_all

BASE_DIR = Path(__file__).resolve().parent  # src/motcua
PROJECT_DIR = Path.cwd()  # relative paths in the environment are taken from where motcua runs

ENV = read_all()


def _project_path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else PROJECT_DIR / path


def _secret_key_from_file(path: Path) -> str:
    """The key `make run` generated (var/secret_key), so that the CLI works without exporting
    it; empty when there is no such file."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


DEBUG: bool = ENV["DEBUG"]
SECRET_KEY: str = ENV["SECRET_KEY"] or _secret_key_from_file(_project_path(ENV["SECRET_KEY_FILE"]))
if not SECRET_KEY:
    if DEBUG or "pytest" in sys.modules:
        SECRET_KEY = get_random_secret_key()  # throw-away key for a debug or test process
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: set it, or put the key in the file "
            f"SECRET_KEY_FILE names ({ENV['SECRET_KEY_FILE']}); `make run` creates it (README)."
        )

ALLOWED_HOSTS: list[str] = ENV["ALLOWED_HOSTS"]
if "*" in ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("ALLOWED_HOSTS may not contain '*' when DEBUG is off.")
CSRF_TRUSTED_ORIGINS: list[str] = ENV["CSRF_TRUSTED_ORIGINS"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "motcua.core",
    "motcua.agencies",
    "motcua.workcalendar",
    "motcua.catalog",
    "motcua.accounts",
    "motcua.dossiers",
    "motcua.ratings",
    "motcua.payments",
    "motcua.restapi",
    "motcua.feedback",
    "motcua.reform",
    "motcua.registers",
    "motcua.stats",
    "motcua.history",
    "motcua.certificates",
    "motcua.bulletin",
    "motcua.natsync",
    "motcua.edoc",
    "motcua.portal",
    "motcua.desk",
    # background tasks: Django's Tasks API (backport) and its engines (motcua.jobs, docs/tasks.md)
    "django_tasks",
    "django_tasks_db",
    "motcua.jobs",
    "motcua.notifications",
    "motcua.signatures",
]
if ENV["TASKS_BACKEND"] == "rq":
    # RQ's admin dashboard, only where Redis is configured (elsewhere its pages would fail)
    INSTALLED_APPS.append("django_rq")

MIDDLEWARE = [
    "motcua.core.health.HealthCheckMiddleware",  # /healthz before host checks: core/health.py
    "motcua.core.replicas.ReplicaMiddleware",  # read-only requests to replicas: core/replicas.py
    "motcua.core.pagecache.PublicCacheMiddleware",  # anonymous public pages: core/pagecache.py
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.language.LanguageMiddleware",  # Vietnamese unless chosen: core/language.py
    "django.middleware.common.CommonMiddleware",
    "motcua.core.middleware.RejectNulMiddleware",  # NUL in URL/query/form: 400, not a 500
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "motcua.restapi.csrf.ApiSessionCsrfMiddleware",  # session-authenticated API writes
    "motcua.restapi.idempotency.IdempotencyMiddleware",
    "motcua.core.busy.BusyDatabaseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "motcua.restapi.idempotency.FormOnceMiddleware",
    "motcua.core.security.ContentSecurityPolicyMiddleware",  # before X-Frame-Options
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"
ASGI_APPLICATION = "motcua.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            # {{ obj|local_name }} on every page: catalog names in the reader's language
            "builtins": ["motcua.core.templatetags.localize", "motcua.core.templatetags.once"],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(ENV["DATABASE_URL"], conn_max_age=60)}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["NAME"] = str(_project_path(_db["NAME"]))
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db["OPTIONS"] = {
        # WAL lets readers run beside the single writer; IMMEDIATE avoids lock upgrades failing
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
    _db["CONN_MAX_AGE"] = 0
else:
    # a dead or hung client never holds locks for long (core/busy.py)
    _db.setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={ENV['DB_LOCK_TIMEOUT_MS']} "
        f"-c idle_in_transaction_session_timeout={ENV['DB_IDLE_IN_TRANSACTION_TIMEOUT_MS']}"
    )
    if ENV["DB_PREPARED_STATEMENTS"]:
        # parameters bound on the server, so that the dossier engine's key lookups and writes
        # can be prepared (core.rows.prepared); nothing else is: see there why
        _db["OPTIONS"].update(server_side_binding=True, prepare_threshold=None)
# Past one machine (docs/deployment.md, "Several app servers"): a connection pool per process
# and read replicas, both by configuration only
if ENV["DATABASE_REPLICA_URLS"] and _db["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured("DATABASE_REPLICA_URLS needs PostgreSQL (DATABASE_URL).")
# like DB_PREPARED_STATEMENTS, the pool is PostgreSQL's only (SQLite opens a file per request)
if ENV["DB_POOL_MAX_SIZE"] > 0 and _db["ENGINE"] != "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0  # the pool keeps the connections (Django refuses both)
    _db["OPTIONS"]["pool"] = {"min_size": 1, "max_size": ENV["DB_POOL_MAX_SIZE"], "timeout": 10}
for _n, _url in enumerate(ENV["DATABASE_REPLICA_URLS"], 1):
    _replica = dj_database_url.parse(_url, conn_max_age=_db["CONN_MAX_AGE"])
    _replica["OPTIONS"] = {
        k: dict(v) if isinstance(v, dict) else v for k, v in _db["OPTIONS"].items()
    }
    _replica["TEST"] = {"MIRROR": "default"}  # tests read the primary's test database
    DATABASES[f"replica{_n}"] = _replica
MOTCUA_REPLICA_STICKY_SECONDS: int = ENV["DB_REPLICA_STICKY_SECONDS"]
DATABASE_ROUTERS = ["motcua.core.replicas.ReplicaRouter"] if len(DATABASES) > 1 else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    # Django's, with messages naming the e-mail/phone/name a citizen gave (not a "user name")
    {"NAME": "motcua.accounts.passwords.PersonalDataSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE: str = ENV["LANGUAGE_CODE"]
# each language in its own name, never translated: the menu is read by those who need it
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# the language menu's choice is remembered for a year (core.language ignores Accept-Language)
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE: bool = ENV["SECURE_SSL"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE: str = ENV["TIME_ZONE"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# the legal forms' bundled fonts, also served for the forms' HTML view (static/motcua/fonts/)
STATICFILES_DIRS = [BASE_DIR / "static", ("motcua/fonts", BASE_DIR / "core" / "fonts")]
STATIC_ROOT = _project_path(ENV["STATIC_ROOT"])
MEDIA_URL = "media/"
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "/"
MEDIA_ROOT = _project_path(ENV["MEDIA_ROOT"])
MEDIA_ORPHAN_GRACE_HOURS: int = ENV["MEDIA_ORPHAN_GRACE_HOURS"]  # core/media.py
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or "pytest" in sys.modules
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Several app servers share Redis (cache, sessions, rate limits) and object storage
MOTCUA_REDIS_URL: str = ENV["REDIS_URL"]
if MOTCUA_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": MOTCUA_REDIS_URL,
            "KEY_PREFIX": "motcua",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
if ENV["S3_BUCKET"]:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ENV["S3_BUCKET"],
            "endpoint_url": ENV["S3_ENDPOINT_URL"] or None,
            "region_name": ENV["S3_REGION"] or None,
            "access_key": ENV["S3_ACCESS_KEY_ID"] or None,
            "secret_key": ENV["S3_SECRET_ACCESS_KEY"] or None,
            "location": ENV["S3_PREFIX"].strip("/"),
            # private objects (the bucket's default, no public ACL); files are only ever read
            # through the views that check scope, never through a bucket URL
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
MOTCUA_TRUSTED_PROXIES: list[str] = ENV["TRUSTED_PROXIES"]

# Security headers; HTTPS-only behaviour is opt-in because the demo runs on plain http://127.0.0.1
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if ENV["SECURE_SSL"]:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Domain settings (see docs/domain.md)
MOTCUA_OFFICE_HOURS: str = ENV["OFFICE_HOURS"]
MOTCUA_SAME_DAY_CUTOFF: str = ENV["SAME_DAY_CUTOFF"]
MOTCUA_PROVINCE_CODE: str = ENV["PROVINCE_CODE"]
MOTCUA_PLACE_NAME: str = ENV["PLACE_NAME"]
MOTCUA_MAX_UPLOAD_BYTES: int = ENV["MAX_UPLOAD_MB"] * 1024 * 1024
MOTCUA_LOGIN_MAX_FAILURES: int = ENV["LOGIN_MAX_FAILURES"]
MOTCUA_LOGIN_LOCKOUT_MINUTES: int = ENV["LOGIN_LOCKOUT_MINUTES"]
MOTCUA_TRACKING_PER_HOUR: int = ENV["TRACKING_PER_HOUR"]
MOTCUA_API_PUBLIC_RATE: str = ENV["API_PUBLIC_RATE"]
MOTCUA_API_IDEMPOTENCY_HOURS: int = max(24, ENV["API_IDEMPOTENCY_HOURS"])
MOTCUA_LOGIN_IP_MAX_FAILURES: int = ENV["LOGIN_IP_MAX_FAILURES"]
MOTCUA_PASSWORD_RESET_RATE: str = ENV["PASSWORD_RESET_RATE"]
MOTCUA_REGISTRATION_RATE: str = ENV["REGISTRATION_RATE"]
MOTCUA_PAYMENT_PROVIDER: str = ENV["PAYMENT_PROVIDER"]
PAYMENT_SANDBOX_SECRET: str = ENV["PAYMENT_SANDBOX_SECRET"]
VNPAY_TMN_CODE: str = ENV["VNPAY_TMN_CODE"]
VNPAY_HASH_SECRET: str = ENV["VNPAY_HASH_SECRET"]
VNPAY_PAY_URL: str = ENV["VNPAY_PAY_URL"]
VNPAY_API_URL: str = ENV["VNPAY_API_URL"]
# national portal synchronisation (motcua.natsync)
NATSYNC_URL: str = ENV["NATSYNC_URL"]
NATSYNC_AUTH_PATH: str = ENV["NATSYNC_AUTH_PATH"]
NATSYNC_SERVICE_PATH: str = ENV["NATSYNC_SERVICE_PATH"]
NATSYNC_USERNAME: str = ENV["NATSYNC_USERNAME"]
NATSYNC_PASSWORD: str = ENV["NATSYNC_PASSWORD"]
NATSYNC_UNIT_CODE: str = ENV["NATSYNC_UNIT_CODE"]
NATSYNC_PROFILE: str = ENV["NATSYNC_PROFILE"]
NATSYNC_PROFILE_FILE: str = ENV["NATSYNC_PROFILE_FILE"]
NATSYNC_TIMEOUT: float = ENV["NATSYNC_TIMEOUT"]
NATSYNC_MAX_ATTEMPTS: int = ENV["NATSYNC_MAX_ATTEMPTS"]
MOTCUA_FEE_MAX_VND: int = ENV["FEE_MAX_VND"]
MOTCUA_FEEDBACK_CENTRE_CODE: str = ENV["FEEDBACK_CENTRE_CODE"]
MOTCUA_PROVINCE_BOUNDS: str = ENV["PROVINCE_BOUNDS"]
MOTCUA_FEEDBACK_PER_HOUR: int = ENV["FEEDBACK_PER_HOUR"]
MOTCUA_FEEDBACK_MAP_TILES_URL: str = ENV["FEEDBACK_MAP_TILES_URL"]
MOTCUA_FEEDBACK_MAP_ATTRIBUTION: str = ENV["FEEDBACK_MAP_ATTRIBUTION"]
MOTCUA_ZALO_APP_ID: str = ENV["ZALO_APP_ID"]
MOTCUA_ZALO_OA_SECRET: str = ENV["ZALO_OA_SECRET"]
MOTCUA_FACEBOOK_APP_SECRET: str = ENV["FACEBOOK_APP_SECRET"]
MOTCUA_FACEBOOK_VERIFY_TOKEN: str = ENV["FACEBOOK_VERIFY_TOKEN"]
MOTCUA_OPEN311_JURISDICTION: str = ENV["OPEN311_JURISDICTION"]
# Decision 766 index switches (stats.index766.ScoringOptions)
MOTCUA_STATS_766_SYNC_FACTOR: bool = ENV["STATS_766_SYNC_FACTOR"]
MOTCUA_STATS_766_DIGITISED_TARGET: str = ENV["STATS_766_DIGITISED_TARGET"]
MOTCUA_STATS_766_CERTIFIED_COPY: str = ENV["STATS_766_CERTIFIED_COPY"]
MOTCUA_STATS_766_ONLINE_OFFER_CHILDREN: str = ENV["STATS_766_ONLINE_OFFER_CHILDREN"]
# the public statistics page's cache (stats.dashboard.public_overview)
STATS_PUBLIC_CACHE_SECONDS: int = ENV["STATS_PUBLIC_CACHE_SECONDS"]
STATS_DESK_CACHE_SECONDS: int = ENV["STATS_DESK_CACHE_SECONDS"]
MOTCUA_PUBLIC_CACHE_SECONDS: int = ENV["PUBLIC_CACHE_SECONDS"]  # core/pagecache.py
# edXML exchange with the national document axis (motcua.edoc.hub.axis)
MOTCUA_EDOC_AXIS_URL: str = ENV["EDOC_AXIS_URL"]
MOTCUA_EDOC_AXIS_SYSTEM_ID: str = ENV["EDOC_AXIS_SYSTEM_ID"]
MOTCUA_EDOC_AXIS_SECRET: str = ENV["EDOC_AXIS_SECRET"]
MOTCUA_EDOC_AXIS_TIMEOUT: float = ENV["EDOC_AXIS_TIMEOUT"]
MOTCUA_EDOC_AXIS_RETRIES: int = ENV["EDOC_AXIS_RETRIES"]
MOTCUA_EDOC_AXIS_BACKOFF: float = ENV["EDOC_AXIS_BACKOFF"]

# Background tasks (docs/tasks.md): the engine is chosen by TASKS_BACKEND; motcua.jobs keeps
# the idempotency, retry and dead-letter bookkeeping above either engine.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_rq.RQBackend"
        if ENV["TASKS_BACKEND"] == "rq"
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
RQ_QUEUES = {"default": {"URL": ENV["TASKS_REDIS_URL"], "DEFAULT_TIMEOUT": 900}}
MOTCUA_TASKS_MAX_ATTEMPTS: int = ENV["TASKS_MAX_ATTEMPTS"]
MOTCUA_TASKS_RETRY_BASE_SECONDS: int = ENV["TASKS_RETRY_BASE_SECONDS"]
MOTCUA_TASKS_RETRY_MAX_SECONDS: int = ENV["TASKS_RETRY_MAX_SECONDS"]
MOTCUA_TASKS_LEASE_SECONDS: int = ENV["TASKS_LEASE_SECONDS"]
# Notifications (docs/notifications.md)
MOTCUA_SITE_URL: str = ENV["SITE_URL"].rstrip("/")
MOTCUA_SMS_GATEWAY_URL: str = ENV["SMS_GATEWAY_URL"]
MOTCUA_SMS_GATEWAY_TOKEN: str = ENV["SMS_GATEWAY_TOKEN"]
MOTCUA_SMS_SENDER: str = ENV["SMS_SENDER"]
MOTCUA_ZALO_APP_SECRET: str = ENV["ZALO_APP_SECRET"]
MOTCUA_ZALO_OA_REFRESH_TOKEN: str = ENV["ZALO_OA_REFRESH_TOKEN"]
MOTCUA_ZALO_ZNS_URL: str = ENV["ZALO_ZNS_URL"]
MOTCUA_ZALO_OAUTH_URL: str = ENV["ZALO_OAUTH_URL"]
MOTCUA_NOTIFY_HTTP_TIMEOUT_SECONDS: int = ENV["NOTIFY_HTTP_TIMEOUT_SECONDS"]
# digital signatures (signatures app, docs/signatures.md)
SIGN_TSA_URL: str = ENV["SIGN_TSA_URL"]
SIGN_TRUST_ROOTS: list[Path] = [_project_path(p) for p in ENV["SIGN_TRUST_ROOTS"]]
SIGN_PKCS12_DIR: Path = _project_path(ENV["SIGN_PKCS12_DIR"])
SIGN_PKCS11_MODULE: str = ENV["SIGN_PKCS11_MODULE"]
SIGN_REMOTE_URL: str = ENV["SIGN_REMOTE_URL"]
SIGN_REMOTE_TOKEN: str = ENV["SIGN_REMOTE_TOKEN"]
SIGN_KEY_SECRETS_FILE: str = ENV["SIGN_KEY_SECRETS_FILE"]
SIGN_VERIFY_MAX_BYTES: int = ENV["SIGN_VERIFY_MAX_BYTES"]

EMAIL_BACKEND: str = ENV["EMAIL_BACKEND"]
EMAIL_HOST: str = ENV["EMAIL_HOST"]
EMAIL_PORT: int = ENV["EMAIL_PORT"]
EMAIL_HOST_USER: str = ENV["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD: str = ENV["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS: bool = ENV["EMAIL_USE_TLS"]
DEFAULT_FROM_EMAIL: str = ENV["DEFAULT_FROM_EMAIL"]

# OpenID Connect single sign-on (mozilla-django-oidc), on only when the provider is configured
OIDC_RP_CLIENT_ID: str = ENV["OIDC_RP_CLIENT_ID"]
OIDC_RP_CLIENT_SECRET: str = ENV["OIDC_RP_CLIENT_SECRET"]
OIDC_OP_AUTHORIZATION_ENDPOINT: str = ENV["OIDC_OP_AUTHORIZATION_ENDPOINT"]
OIDC_OP_TOKEN_ENDPOINT: str = ENV["OIDC_OP_TOKEN_ENDPOINT"]
OIDC_OP_USER_ENDPOINT: str = ENV["OIDC_OP_USER_ENDPOINT"]
OIDC_OP_JWKS_ENDPOINT: str = ENV["OIDC_OP_JWKS_ENDPOINT"]
OIDC_RP_SIGN_ALGO: str = ENV["OIDC_RP_SIGN_ALGO"]
OIDC_PROFILE: str = ENV["OIDC_PROFILE"]
OIDC_OP_LOGOUT_ENDPOINT: str = ENV["OIDC_OP_LOGOUT_ENDPOINT"]
# the one password backend: ModelBackend with the account/IP lockout (accounts.backends)
AUTHENTICATION_BACKENDS = ["motcua.accounts.backends.AccountBackend"]
if OIDC_RP_CLIENT_ID and OIDC_OP_AUTHORIZATION_ENDPOINT:
    AUTHENTICATION_BACKENDS.append("motcua.accounts.oidc.CitizenOIDCBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "motcua": {"handlers": ["console"], "level": ENV["LOG_LEVEL"]},
        # the task engines' own lines (task started / finished / failed) in the worker's log
        "django_tasks": {"handlers": ["console"], "level": ENV["LOG_LEVEL"], "propagate": False},
        "django_tasks_db": {"handlers": ["console"], "level": ENV["LOG_LEVEL"], "propagate": False},
        # every 500 with its traceback on stderr, whatever DEBUG (Django's default only mails
        # ADMINS when DEBUG is off); 4xx warnings stay quiet
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
CSRF_FAILURE_VIEW = "motcua.core.errors.csrf_failure"
