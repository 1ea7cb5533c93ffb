"""Every setting motcua reads from the environment, declared once.

Each entry names the variable, its default and what it is for. ``settings.py`` reads its
values from here, and the README's configuration table is generated from (and tested
against) this list, so the two cannot drift apart.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected a boolean (true/false), got {raw!r}")


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def _target(raw: str) -> str:
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise ValueError(f"expected a fraction such as 0.80, got {raw!r}") from None
    if not 0 < value <= 1:
        raise ValueError(f"expected a fraction in (0, 1], got {raw!r}")
    return raw.strip()


def _choice(*allowed: str) -> Callable[[str], str]:
    def cast(raw: str) -> str:
        value = raw.strip().lower()
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}, got {raw!r}")
        return value

    return cast


@dataclass(frozen=True)
class EnvVar:
    name: str
    default: str
    help: str
    cast: Callable[[str], Any] = str

    def read(self, environ: dict[str, str] | None = None) -> Any:
        env = os.environ if environ is None else environ
        raw = env.get(self.name, self.default)
        try:
            return self.cast(raw)
        except ValueError as exc:
            raise ValueError(f"environment variable {self.name}: {exc}") from exc


ENV_VARS: tuple[EnvVar, ...] = (
    EnvVar(
        "DATABASE_URL",
        "sqlite:///var/motcua.sqlite3",
        "Database URL (`sqlite:///path` relative to the project, or `postgres://user:pass@host/db`).",
    ),
    EnvVar(
        "SECRET_KEY",
        "",
        "Django secret key. Required when DEBUG is off; when empty it is read from "
        "SECRET_KEY_FILE.",
    ),
    EnvVar("DEBUG", "false", "Django debug mode. Never enable in production.", _bool),
    EnvVar(
        "ALLOWED_HOSTS",
        "127.0.0.1,localhost",
        "Comma-separated host names this instance answers to. No wildcard by default.",
        _list,
    ),
    EnvVar(
        "CSRF_TRUSTED_ORIGINS",
        "",
        "Comma-separated origins (scheme://host) trusted for HTTPS form posts behind a proxy.",
        _list,
    ),
    EnvVar(
        "SECURE_SSL",
        "false",
        "Serve over HTTPS only: secure cookies, HSTS and redirect to https.",
        _bool,
    ),
    EnvVar(
        "DB_PREPARED_STATEMENTS",
        "true",
        "PostgreSQL only: bind parameters on the server and prepare the dossier engine's "
        "repeated key lookups and writes (skips re-planning). Turn off behind a pooler in "
        "transaction mode (PgBouncer < 1.21).",
        _bool,
    ),
    EnvVar(
        "DB_LOCK_TIMEOUT_MS",
        "5000",
        "PostgreSQL `lock_timeout` of the application's connections, in ms: an action waiting "
        'longer for a row lock fails with a "try again" (503) instead of hanging.',
        int,
    ),
    EnvVar(
        "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS",
        "60000",
        "PostgreSQL `idle_in_transaction_session_timeout`, in ms: ends a session whose client "
        "stopped in the middle of a transaction, releasing its locks.",
        int,
    ),
    # past one machine (docs/deployment.md, "Several app servers"); all off by default
    EnvVar(
        "DATABASE_REPLICA_URLS",
        "",
        "PostgreSQL only: comma-separated URLs of streaming read replicas. Read-only requests "
        "(GET/HEAD) of a client that has not written within DB_REPLICA_STICKY_SECONDS read "
        "from them; writes, transactions and read-after-write use DATABASE_URL.",
        _list,
    ),
    EnvVar(
        "DB_REPLICA_STICKY_SECONDS",
        "10",
        "After a client writes, its reads go to the primary for this many seconds (longer than "
        "the replicas' usual lag), so it always sees what it just saved.",
        int,
    ),
    EnvVar(
        "DB_POOL_MAX_SIZE",
        "0",
        "PostgreSQL only: `N` > 0 gives each app process a psycopg connection pool of at most "
        "N connections (Django's `pool` option; persistent connections are then off). `0`: "
        "no pool. Ignored on SQLite.",
        int,
    ),
    EnvVar(
        "REDIS_URL",
        "",
        "Shared store for several app servers (`redis://host:6379/0`): Django's cache (page "
        "and statistics caches), sessions and rate-limit counters. Empty: in-process cache, "
        "sessions and counters in the database.",
    ),
    EnvVar(
        "S3_BUCKET",
        "",
        "Uploaded files in this S3-compatible bucket (django-storages), private: read only "
        "through the application's permission checks. Empty: files under MEDIA_ROOT.",
    ),
    EnvVar("S3_ENDPOINT_URL", "", "Endpoint of the S3-compatible service; empty: AWS."),
    EnvVar("S3_REGION", "", "Region of the bucket (empty: the client's default)."),
    EnvVar("S3_ACCESS_KEY_ID", "", "Access key; empty: boto3's usual credential chain."),
    EnvVar("S3_SECRET_ACCESS_KEY", "", "Secret key matching S3_ACCESS_KEY_ID."),
    EnvVar("S3_PREFIX", "", "Key prefix for every stored file (to share a bucket)."),
    EnvVar(
        "TRUSTED_PROXIES",
        "",
        "Comma-separated addresses of reverse proxies (nginx) in front of the app servers. A "
        "request from one of them is keyed (rate limits, lockouts) on the last address of its "
        "`X-Forwarded-For` that is not a trusted proxy. Empty: REMOTE_ADDR only.",
        _list,
    ),
    EnvVar("TIME_ZONE", "Asia/Ho_Chi_Minh", "Local time zone for deadlines and display."),
    EnvVar("LANGUAGE_CODE", "vi", "Default interface language (`vi` or `en`)."),
    EnvVar("MEDIA_ROOT", "var/media", "Directory for uploaded files (relative to the project)."),
    EnvVar(
        "MEDIA_ORPHAN_GRACE_HOURS",
        "24",
        "`motcua media check --fix` removes a stored file no row references only when it is "
        "older than this (a younger one may belong to a transaction still running).",
        int,
    ),
    EnvVar(
        "STATIC_ROOT", "var/static", "Directory `collectstatic` fills (relative to the project)."
    ),
    EnvVar(
        "SECRET_KEY_FILE",
        "var/secret_key",
        "File holding the secret key (relative to the project), read when SECRET_KEY is empty "
        "and the file exists: `make run` generates it, so `.venv/bin/motcua` commands run from "
        "the project use the same key.",
    ),
    EnvVar(
        "OFFICE_HOURS",
        "07:00-11:30,13:30-17:00",
        "Default office hours of an agency, comma-separated HH:MM-HH:MM periods; "
        "an agency may override them.",
    ),
    EnvVar(
        "SAME_DAY_CUTOFF",
        "15:00",
        "A same-day (0-day) dossier received after this time is due the next working day.",
    ),
    EnvVar(
        "PROVINCE_CODE",
        "H13",
        "Level-1 segment of agency codes for this deployment (Cần Thơ is H13).",
    ),
    EnvVar(
        "PLACE_NAME",
        "Cần Thơ",
        "Fallback place name on legal forms, for an agency whose own place (its `place_name`,"
        " its administrative unit's name or its superior's) is unknown.",
    ),
    EnvVar("MAX_UPLOAD_MB", "20", "Largest accepted attachment, in megabytes.", int),
    EnvVar("LOG_LEVEL", "INFO", "Logging level of the `motcua` loggers."),
    # e-mail (password reset, notifications)
    EnvVar(
        "EMAIL_BACKEND",
        "django.core.mail.backends.console.EmailBackend",
        "Django e-mail backend; the default prints e-mails to the console (demo). Use "
        "`django.core.mail.backends.smtp.EmailBackend` in production.",
    ),
    EnvVar("EMAIL_HOST", "localhost", "SMTP server."),
    EnvVar("EMAIL_PORT", "25", "SMTP port.", int),
    EnvVar("EMAIL_HOST_USER", "", "SMTP user name."),
    EnvVar("EMAIL_HOST_PASSWORD", "", "SMTP password."),
    EnvVar("EMAIL_USE_TLS", "false", "Use STARTTLS with the SMTP server.", _bool),
    EnvVar("DEFAULT_FROM_EMAIL", "motcua <no-reply@localhost>", "Sender of outgoing e-mail."),
    # single sign-on (OpenID Connect: VNeID, the national portal...); off unless configured
    EnvVar("OIDC_RP_CLIENT_ID", "", "OIDC client id; SSO is enabled when the endpoints are set."),
    EnvVar("OIDC_RP_CLIENT_SECRET", "", "OIDC client secret."),
    EnvVar("OIDC_OP_AUTHORIZATION_ENDPOINT", "", "Identity provider's authorization endpoint."),
    EnvVar("OIDC_OP_TOKEN_ENDPOINT", "", "Identity provider's token endpoint."),
    EnvVar("OIDC_OP_USER_ENDPOINT", "", "Identity provider's userinfo endpoint."),
    EnvVar("OIDC_OP_JWKS_ENDPOINT", "", "Identity provider's JWKS endpoint (for RS256)."),
    EnvVar("OIDC_RP_SIGN_ALGO", "HS256", "Signing algorithm of the provider's ID tokens."),
    # citizen portal
    EnvVar("LOGIN_MAX_FAILURES", "5", "Failed log-ins before an account is locked.", int),
    EnvVar("LOGIN_LOCKOUT_MINUTES", "15", "How long a locked account stays locked.", int),
    EnvVar(
        "TRACKING_PER_HOUR", "30", "Public tracking look-ups allowed per IP address per hour.", int
    ),
    EnvVar(
        "API_PUBLIC_RATE",
        "120/60",
        "Requests allowed per IP address on the public REST API endpoints, as `N/SECONDS`.",
    ),
    EnvVar(
        "LOGIN_IP_MAX_FAILURES",
        "30",
        "Failed log-ins (over any accounts) from one IP address within LOGIN_LOCKOUT_MINUTES "
        "before that address is refused.",
        int,
    ),
    EnvVar(
        "PASSWORD_RESET_RATE",
        "5/3600",
        "Password-reset requests allowed per IP address and per e-mail address, as `N/SECONDS`.",
    ),
    EnvVar(
        "REGISTRATION_RATE",
        "10/3600",
        "Account registrations allowed per IP address, as `N/SECONDS`.",
    ),
    EnvVar(
        "API_IDEMPOTENCY_HOURS",
        "24",
        "How long the REST API remembers an `Idempotency-Key` and its answer (at least 24).",
        int,
    ),
    EnvVar(
        "PAYMENT_PROVIDER",
        "",
        "Online payment provider (`sandbox` is built in). Empty: the sandbox only when DEBUG is "
        "on; with DEBUG off online payment is refused until a provider is set (`make run` sets "
        "`sandbox` for the demo).",
    ),
    EnvVar(
        "FEE_MAX_VND",
        "500000000",
        "Largest amount (đồng) of one fee request and of one online payment; the procedure's "
        "fee lines bound it further where they give the amounts.",
        int,
    ),
    EnvVar(
        "PAYMENT_SANDBOX_SECRET",
        "",
        "HMAC secret of the sandbox gateway; empty derives one from SECRET_KEY.",
    ),
    # VNPAY (payments.vnpay): the real-protocol gateway adapter, PAYMENT_PROVIDER=vnpay
    EnvVar("VNPAY_TMN_CODE", "", "VNPAY merchant (terminal) code `vnp_TmnCode`."),
    EnvVar("VNPAY_HASH_SECRET", "", "VNPAY secret for the HMAC-SHA512 `vnp_SecureHash`."),
    EnvVar(
        "VNPAY_PAY_URL",
        "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
        "VNPAY payment page the citizen is redirected to.",
    ),
    EnvVar(
        "VNPAY_API_URL",
        "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction",
        "VNPAY merchant API (`querydr`) used by `motcua payments reconcile`.",
    ),
    # national portal synchronisation (natsync, docs/national-sync.md); off while URL is empty
    EnvVar(
        "NATSYNC_URL",
        "",
        "Base URL of the national portal's integration adapter; empty: dossier events stay "
        "queued (pending) and nothing is sent.",
    ),
    EnvVar("NATSYNC_AUTH_PATH", "/login", "Path of the session login call under NATSYNC_URL."),
    EnvVar(
        "NATSYNC_SERVICE_PATH", "/service", "Path of the named service calls under NATSYNC_URL."
    ),
    EnvVar("NATSYNC_USERNAME", "", "Account of the province on the national adapter."),
    EnvVar("NATSYNC_PASSWORD", "", "Password of that account."),
    EnvVar(
        "NATSYNC_UNIT_CODE",
        "",
        "Unit code sent as `madonvi` and the `dstcode` header (e.g. `000.00.00.H13`); empty: "
        "the root agency's code.",
    ),
    EnvVar(
        "NATSYNC_PROFILE",
        "opencps",
        "Mapping profile (field names and date format): `opencps` or `dvcqg-2023`.",
        _choice("opencps", "dvcqg-2023"),
    ),
    EnvVar(
        "NATSYNC_PROFILE_FILE",
        "",
        'Optional JSON file overriding the profile: `{"date_format": …, "fields": {…}}`.',
    ),
    EnvVar("NATSYNC_TIMEOUT", "10", "Seconds before a call to the national portal fails.", float),
    EnvVar(
        "NATSYNC_MAX_ATTEMPTS",
        "8",
        "Attempts before an outbox item is dead (shown to operators, re-queued by hand).",
        int,
    ),
    # national sign-in (VNeID through the national portal's identity provider)
    EnvVar(
        "OIDC_PROFILE",
        "generic",
        "Claims profile of the OIDC provider: `generic`, or `vneid` (the national portal's "
        "identity service: SoDinhDanh, HoVaTen, NgayThangNamSinh, loginIdp).",
        _choice("generic", "vneid"),
    ),
    EnvVar(
        "OIDC_OP_LOGOUT_ENDPOINT",
        "",
        "Identity provider's end-session endpoint; signing out also ends the provider session.",
    ),
    # 1022 feedback hub
    EnvVar(
        "FEEDBACK_CENTRE_CODE",
        "",
        "Agency code of the 1022 centre (operators); empty means the root agency.",
    ),
    EnvVar(
        "PROVINCE_BOUNDS",
        "9.92,10.33,105.22,105.85",
        "Province bounding box for feedback locations: lat min, lat max, lon min, lon max.",
    ),
    EnvVar(
        "FEEDBACK_PER_HOUR",
        "20",
        "Feedback items one IP address may send per hour (portal form and mobile API).",
        int,
    ),
    EnvVar(
        "FEEDBACK_MAP_TILES_URL",
        "",
        "Map tile URL template (`https://tiles.example/{z}/{x}/{y}.png`) for the feedback "
        "form's map picker; empty: no map, latitude/longitude boxes only (nothing external).",
    ),
    EnvVar(
        "FEEDBACK_MAP_ATTRIBUTION",
        "",
        "Attribution text the tile provider requires, shown under the map.",
    ),
    EnvVar("ZALO_APP_ID", "", "Zalo app id expected in Official Account webhooks."),
    EnvVar("ZALO_OA_SECRET", "", "Zalo OA secret key; the Zalo webhook is off while empty."),
    EnvVar("FACEBOOK_APP_SECRET", "", "Meta app secret; the Messenger webhook is off while empty."),
    EnvVar("FACEBOOK_VERIFY_TOKEN", "", "Token Meta sends when subscribing the webhook."),
    EnvVar(
        "OPEN311_JURISDICTION", "cantho.gov.vn", "Open311 `jurisdiction_id` of this deployment."
    ),
    # Decision 766 index: the spec's ⚠ choices (docs/statistics-index766.md)
    EnvVar(
        "STATS_766_SYNC_FACTOR",
        "true",
        "766 indicator 3.3: multiply the online share by the unit's dossier-sync rate (1.4), "
        "as DOCX says; `false` scores the online share alone.",
        _bool,
    ),
    EnvVar(
        "STATS_766_DIGITISED_TARGET",
        "1.00",
        "766 indicator 4.2: the share that earns full marks; `1.00` = linear (the portal), "
        "`0.80` = full marks at 80 % (DOCX).",
        _target,
    ),
    EnvVar(
        "STATS_766_CERTIFIED_COPY",
        "fixed",
        "766 indicator 4.6: `fixed` = 2 points for every unit (the portal), `metrics` = "
        "communes offering electronic certified copies / all communes (METRICS sheet).",
        _choice("fixed", "metrics"),
    ),
    EnvVar(
        "STATS_766_ONLINE_OFFER_CHILDREN",
        "zero",
        "766 indicator 3.1 for units below the province: `zero` (the portal) or `scored` "
        "(their own counts).",
        _choice("zero", "scored"),
    ),
    EnvVar(
        "STATS_PUBLIC_CACHE_SECONDS",
        "300",
        "How long the public statistics page (/thong-ke/) keeps its figures in Django's cache, "
        "per filter and language; `0` computes them on every request.",
        int,
    ),
    EnvVar(
        "PUBLIC_CACHE_SECONDS",
        "300",
        "How long the anonymous public pages (portal home and search, procedure pages) and the "
        "catalogue API answers (`/api/v1/catalog/procedures`, Open311 `services`) are kept in "
        "Django's cache (docs/caching.md). Every catalogue change invalidates them at once; this "
        "is only the safety net. `0` turns the cache off.",
        int,
    ),
    EnvVar(
        "STATS_DESK_CACHE_SECONDS",
        "60",
        "How long the desk's statistics dashboard keeps a unit's aggregate figures (trend, "
        "breakdowns) in Django's cache after the officer's scope is checked; overdue work is "
        "always live. `0` computes them on every request.",
        int,
    ),
    EnvVar(
        "EDOC_AXIS_URL",
        "",
        "Base URL of the national document axis gateway (edXML exchange with organisations "
        "outside this motcua, `docs/edxml.md`); empty: only motcua's own agencies exchange, "
        "through the built-in hub.",
    ),
    EnvVar("EDOC_AXIS_SYSTEM_ID", "", "System id this motcua signs its axis calls with."),
    EnvVar("EDOC_AXIS_SECRET", "", "Secret of the HMAC signature on axis calls."),
    EnvVar("EDOC_AXIS_TIMEOUT", "10", "Seconds to wait for one axis call.", float),
    EnvVar(
        "EDOC_AXIS_BACKOFF",
        "0.5",
        "Seconds before the first retry of a failed axis call; each further retry waits twice "
        "as long.",
        float,
    ),
    EnvVar(
        "EDOC_AXIS_RETRIES",
        "3",
        "Retries of an axis call after a network error, time-out, 429 or 5xx answer; a package "
        "still undelivered stays queued for `motcua edxml sync`.",
        int,
    ),
    # background tasks (motcua.jobs, docs/tasks.md)
    EnvVar(
        "TASKS_BACKEND",
        "database",
        "Task engine of background work (docs/tasks.md): `database` (django-tasks-db, in the "
        "application's database: nothing else to run) or `rq` (django-tasks-rq on Redis, "
        "TASKS_REDIS_URL).",
        _choice("database", "rq"),
    ),
    EnvVar(
        "TASKS_REDIS_URL",
        "redis://127.0.0.1:6379/0",
        "Redis server of the `rq` task engine.",
    ),
    EnvVar(
        "TASKS_MAX_ATTEMPTS",
        "8",
        "Attempts of a background task before it is dead-lettered (shown on the operator page, "
        "`motcua tasks list --state dead`).",
        int,
    ),
    EnvVar(
        "TASKS_RETRY_BASE_SECONDS",
        "30",
        "Delay before the first retry of a failed task; each further retry doubles it.",
        int,
    ),
    EnvVar(
        "TASKS_RETRY_MAX_SECONDS",
        "3600",
        "Cap of the retry delay (exponential backoff stops growing here).",
        int,
    ),
    EnvVar(
        "TASKS_LEASE_SECONDS",
        "600",
        "How long a started task may run before another worker takes it over as lost; a worker "
        "that died on the same machine is noticed at once.",
        int,
    ),
    # notifications (motcua.notifications, docs/notifications.md)
    EnvVar(
        "SITE_URL",
        "http://127.0.0.1:8000",
        "Public address of the portal, for the links in notifications (tracking, payment).",
    ),
    EnvVar(
        "SMS_GATEWAY_URL",
        "",
        'HTTP SMS gateway (docs/notifications.md, "SMS gateway protocol"); empty: no SMS.',
    ),
    EnvVar("SMS_GATEWAY_TOKEN", "", "Bearer token of the SMS gateway."),
    EnvVar("SMS_SENDER", "MOTCUA", "Sender name (brandname) of SMS messages."),
    EnvVar(
        "ZALO_APP_SECRET",
        "",
        "Secret key of the Zalo app (with ZALO_APP_ID) that renews the Official Account's "
        "tokens for Zalo ZNS; empty: no Zalo notifications.",
    ),
    EnvVar(
        "ZALO_OA_REFRESH_TOKEN",
        "",
        "The OA's first refresh token; motcua stores each new one Zalo returns (they rotate).",
    ),
    EnvVar(
        "ZALO_ZNS_URL",
        "https://business.openapi.zalo.me/message/template",
        "Zalo ZNS template message endpoint.",
    ),
    EnvVar(
        "ZALO_OAUTH_URL",
        "https://oauth.zaloapp.com/v4/oa/access_token",
        "Zalo OA token endpoint (refresh).",
    ),
    EnvVar(
        "NOTIFY_HTTP_TIMEOUT_SECONDS",
        "10",
        "Timeout of one call to the SMS gateway or Zalo; a timeout is retried by the job.",
        int,
    ),
    EnvVar(
        "SIGN_TSA_URL",
        "",
        "RFC 3161 time-stamping authority for digital signatures; set: PAdES B-LT (timestamp and "
        "revocation data embedded), empty: PAdES B-B, stated on the document (docs/signatures.md).",
    ),
    EnvVar(
        "SIGN_TRUST_ROOTS",
        "",
        "Comma-separated PEM files of the trusted root CAs (the national root CA) used to sign "
        "and to verify signatures (docs/signatures.md).",
        _list,
    ),
    EnvVar(
        "SIGN_PKCS12_DIR",
        "var/keys",
        "Directory of the signers' and agencies' encrypted PKCS#12 key files.",
    ),
    EnvVar(
        "SIGN_PKCS11_MODULE",
        "/usr/lib/softhsm/libsofthsm2.so",
        "PKCS#11 module (.so) of the signing tokens or HSM.",
    ),
    EnvVar(
        "SIGN_REMOTE_URL",
        "",
        "Base URL of the remote-signing service (keys of kind `remote`); empty: none.",
    ),
    EnvVar(
        "SIGN_REMOTE_TOKEN",
        "",
        "Bearer token motcua presents to the remote-signing service.",
    ),
    EnvVar(
        "SIGN_KEY_SECRETS_FILE",
        "",
        "JSON file (mode 600) mapping a signing key's name to its passphrase or PIN, for keys "
        "that sign unattended (the agency seal); other keys ask the signer at signing time.",
    ),
    EnvVar(
        "SIGN_VERIFY_MAX_BYTES",
        "10485760",
        "Largest PDF the public verification page and API accept (bytes).",
        int,
    ),
)


def env_table_markdown() -> str:
    """The README table of environment variables, generated from ``ENV_VARS``."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for var in ENV_VARS:
        default = f"`{var.default}`" if var.default else "(empty)"
        lines.append(f"| `{var.name}` | {default} | {var.help} |")
    return "\n".join(lines)


def read_all(environ: dict[str, str] | None = None) -> dict[str, Any]:
    return {var.name: var.read(environ) for var in ENV_VARS}
