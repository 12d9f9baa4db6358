"""Application settings: defaults, then the environment, then an explicit override for tests.

Pick a class with APP_CONFIG=development|testing|production. ProductionConfig refuses to start
with a default secret or without explicit database and broker addresses.
"""

import os
from datetime import timedelta

# Published defaults: fine for a laptop, refused by ProductionConfig.
DEFAULT_SECRET_KEY = "dev-secret-key-change-me"  # noqa: S105 — public on purpose
DEFAULT_PASSWORD_SALT = "dev-password-salt-change-me"  # noqa: S105
DEFAULT_TOTP_SECRET = "dev-totp-secret-change-me-0000000000000"  # noqa: S105


def _env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def _env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _read_secret(path):
    """The first line of a secret's file, or None where there is no file."""
    if not path or not os.path.exists(path):
        return None
    with open(path, encoding="ascii") as handle:
        return handle.readline().strip() or None


def _transport_options(visibility_timeout):
    """Redis transport options. kombu looks for messages past their visibility timeout about
    every 100 s (every 10th poll of 10 s); with a short timeout (the crash tests use 10 s) it
    looks every half timeout instead, or a killed worker's task would wait those 100 s."""
    options = {"visibility_timeout": visibility_timeout}
    if visibility_timeout < 200:
        options["unacked_restore_interval"] = 1
        options["unacked_restore_throttle"] = max(1, visibility_timeout // 2)
    return options


class Config:
    APP_NAME = "Police Citizen Services"
    SECRET_KEY = _env("SECRET_KEY", DEFAULT_SECRET_KEY)

    MONGODB_URI = _env("MONGODB_URI", "mongodb://127.0.0.1:27027/police_portal")
    # Durability (docs/durability.md): writes wait for a majority and the journal; reads see only
    # majority-committed data, from the primary.
    MONGODB_WRITE_CONCERN = _env("MONGODB_WRITE_CONCERN", "majority")
    MONGODB_JOURNAL = _env_bool("MONGODB_JOURNAL", True)
    MONGODB_READ_CONCERN = _env("MONGODB_READ_CONCERN", "majority")
    # When MONGODB_URI is a FerretDB on PostgreSQL: that PostgreSQL database, so `flask
    # ensure-indexes` can add the GIN indexes FerretDB's queries use (app/gin_indexes.py).
    FERRETDB_POSTGRESQL_URL = _env("FERRETDB_POSTGRESQL_URL")
    # "mongomock" swaps in mongomock's client (unit tests only).
    MONGODB_CLIENT = "pymongo"
    REDIS_URL = _env("REDIS_URL", "redis://127.0.0.1:6389/0")

    # Celery: settings that lose nothing (see docs/architecture.md).
    CELERY = {
        "broker_url": None,  # filled from REDIS_URL in create_app
        "result_backend": None,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        # Longer than any task; a message taken by a worker that died is redelivered after it.
        "broker_transport_options": _transport_options(
            int(_env("CELERY_VISIBILITY_TIMEOUT", "3600"))
        ),
        "result_expires": 3600,
        "task_ignore_result": True,
        # The minute's sweep has a queue and a worker of its own (scripts/stack.sh), so a burst
        # of notifications cannot make deadlines late.
        "task_routes": {"deadlines.sweep": {"queue": "sweep"}, "stats.fold": {"queue": "sweep"}},
        "broker_connection_retry_on_startup": True,
        # Exactly one beat schedules, however many run (one per host, for failover): RedBeat
        # keeps the schedule in Redis under a lock that its holder renews on every tick (at
        # least every beat_max_loop_interval) and that expires BEAT_LOCK_SECONDS after a
        # holder dies; a standby beat waits for it. Every scheduled task is idempotent besides
        # (services.claims), so a late renewal costs nothing but a duplicate no-op.
        "beat_scheduler": "redbeat.RedBeatScheduler",
        "beat_max_loop_interval": 5,
        "redbeat_lock_timeout": max(10, int(_env("BEAT_LOCK_SECONDS", "30"))),
        "redbeat_redis_options": {"retry_period": 30},
        "timezone": "Asia/Kolkata",
        "enable_utc": True,
    }

    # How often beat runs the deadline sweep; shorter only for test stacks (minimum 1 s).
    SWEEP_INTERVAL_SECONDS = max(1, int(_env("SWEEP_INTERVAL_SECONDS", "60")))
    # How long a "minutes" time limit's minute lasts: 60, except on a test stack, whose
    # one-minute test service then escalates in seconds (production refuses anything else).
    SLA_MINUTE_SECONDS = max(1, int(_env("SLA_MINUTE_SECONDS", "60")))

    # Sessions and cookies.
    SESSION_COOKIE_NAME = "pcs_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    PREFERRED_URL_SCHEME = _env("PREFERRED_URL_SCHEME", "http")
    # Every absolute link the system writes (mails, SMS, QR codes, verify links) starts with this,
    # never with the request's Host header; requests for any host but these are refused (400).
    PUBLIC_BASE_URL = _env("PUBLIC_BASE_URL", f"http://127.0.0.1:{_env('PORT', '5000')}")
    # Comma-separated host names besides PUBLIC_BASE_URL's (ports are not compared).
    ALLOWED_HOSTS = _env("ALLOWED_HOSTS", "")
    # Trusted reverse proxies in front of gunicorn (X-Forwarded-For hops).
    PROXY_FIX_X_FOR = int(_env("PROXY_FIX_X_FOR", "0"))

    # CSRF: checked by app.security.csrf_guard on every unsafe method, except requests that
    # authenticate with a token header or send JSON (neither can be forged cross-site).
    WTF_CSRF_ENABLED = True
    WTF_CSRF_CHECK_DEFAULT = False
    WTF_CSRF_TIME_LIMIT = None

    # Flask-Security-Too.
    SECURITY_PASSWORD_SALT = _env("SECURITY_PASSWORD_SALT", DEFAULT_PASSWORD_SALT)
    SECURITY_PASSWORD_HASH = "argon2"  # noqa: S105 — a scheme name
    SECURITY_PASSWORD_LENGTH_MIN = 10
    # Guessability, estimated by zxcvbn (app/security/passwords.py explains the refusal in the
    # page's language); 3 = "safely unguessable", resists an offline attack on a slow hash.
    SECURITY_ZXCVBN_MINIMUM_SCORE = 3
    SECURITY_PASSWORD_CHECK_BREACHED = False  # would call an outside service
    # Syntax only: a deliverability check is a DNS lookup per registration.
    SECURITY_EMAIL_VALIDATOR_ARGS = {"check_deliverability": False}
    SECURITY_REGISTERABLE = True
    SECURITY_CONFIRMABLE = True
    SECURITY_RECOVERABLE = True
    SECURITY_CHANGEABLE = True
    SECURITY_TRACKABLE = True
    SECURITY_SEND_REGISTER_EMAIL = True
    SECURITY_RETURN_GENERIC_RESPONSES = True  # no account enumeration
    SECURITY_EMAIL_SENDER = _env("MAIL_SENDER", "no-reply@police-services.invalid")
    SECURITY_TOKEN_AUTHENTICATION_HEADER = "Authentication-Token"  # noqa: S105
    SECURITY_TOKEN_MAX_AGE = 8 * 3600
    # Idle limits: a session or API token unused this long is dead (ASVS 3.3); the absolute
    # limits are PERMANENT_SESSION_LIFETIME and SECURITY_TOKEN_MAX_AGE.
    SESSION_IDLE_MINUTES = int(_env("SESSION_IDLE_MINUTES", "30"))
    TOKEN_IDLE_MINUTES = int(_env("TOKEN_IDLE_MINUTES", "30"))
    # JSON and token-header requests are exempted by app.security.csrf (it sets g.csrf_valid,
    # which Flask-Security and Flask-WTF honour); form posts always need the token.
    SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS = False
    SECURITY_CSRF_PROTECT_MECHANISMS = ["session", "basic"]
    SECURITY_POST_LOGIN_VIEW = "portal.start"  # staff land on their queue, citizens on theirs
    SECURITY_POST_LOGOUT_VIEW = "portal.index"
    SECURITY_POST_REGISTER_VIEW = "portal.registered"
    SECURITY_LOGOUT_METHODS = ["POST"]  # logout by GET is a CSRF target
    # Flask-Security's re-authentication page would take /verify, the public address printed
    # under every certificate's QR code.
    SECURITY_VERIFY_URL = "/reauthenticate"
    SECURITY_DEFAULT_REMEMBER_ME = False
    SECURITY_CACHE_CONTROL = {}  # app.security.headers sets a well-formed one on every page
    SECURITY_I18N_DOMAIN = "flask_security"
    SECURITY_TWO_FACTOR = True
    SECURITY_TWO_FACTOR_ENABLED_METHODS = ["authenticator"]
    SECURITY_TWO_FACTOR_ALWAYS_VALIDATE = True
    SECURITY_TOTP_ISSUER = "Police Citizen Services"
    SECURITY_TOTP_SECRETS = {"1": _env("TOTP_SECRET", DEFAULT_TOTP_SECRET)}
    SECURITY_MSG_LOGIN = ("Please log in to open this page.", "info")
    # Sign-in with a mobile number and a code by SMS, or the password (app/security/signin_codes).
    SECURITY_UNIFIED_SIGNIN = True
    SECURITY_US_ENABLED_METHODS = ["password", "sms"]
    SECURITY_US_MFA_REQUIRED = ["password", "sms"]  # an enrolled authenticator is still asked
    SECURITY_US_SIGNIN_URL = "/signin/mobile"
    SECURITY_US_SIGNIN_SEND_CODE_URL = "/signin/mobile/send-code"
    SECURITY_US_VERIFY_URL = "/reauthenticate/code"
    SECURITY_US_VERIFY_SEND_CODE_URL = "/reauthenticate/code/send"
    SECURITY_US_TOKEN_VALIDITY = 300  # seconds a code works: an SMS can take a minute or two
    SECURITY_SMS_SERVICE = "portal"
    SECURITY_PHONE_REGION_DEFAULT = "IN"
    # The bare code: the SMS's wording is the administrator's registered template
    # (services.sms_templates, kind code_sign_in), which app.security.signin_codes fills in.
    SECURITY_MSG_USE_CODE = ("%(code)s", "info")
    # Roles that must enrol in TOTP before they can do anything else.
    REQUIRE_TWO_FACTOR_ROLES = []

    # Rate limits (Flask-Limiter). Storage is Redis outside unit tests.
    RATELIMIT_STORAGE_URI = None  # filled from REDIS_URL in create_app
    RATELIMIT_HEADERS_ENABLED = True
    # Per address: generous, since many people share one (see app/security/limits.py).
    LOGIN_RATE_LIMIT = _env("LOGIN_RATE_LIMIT", "30 per minute;300 per hour")
    ACCOUNT_FORM_RATE_LIMIT = "10 per hour"
    API_KEY_RATE_LIMIT = _env("API_KEY_RATE_LIMIT", "120 per minute;5000 per hour")
    # /metrics answers this bearer token; without one, only the loopback address.
    METRICS_TOKEN = _env("METRICS_TOKEN")
    # "json": one JSON object per log line, with the request id (app/logs.py); else plain text.
    LOG_FORMAT = _env("LOG_FORMAT", "text")
    PUBLIC_STATUS_RATE_LIMIT = _env("PUBLIC_STATUS_RATE_LIMIT", "30 per minute;600 per day")

    # i18n.
    LANGUAGES = {"en": "English", "hi": "हिन्दी"}
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Kolkata"

    # Mail: "outbox" keeps every message in the database (readable at /dev/outbox when
    # MAIL_OUTBOX_VIEW is on); "smtp" delivers through MAIL_SERVER as well.
    MAIL_BACKEND = _env("MAIL_BACKEND", "outbox")
    MAIL_SERVER = _env("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(_env("MAIL_PORT", "25"))
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_OUTBOX_VIEW = False
    # Online payment of fees (services.payments): "none" (paid at the station, recorded by an
    # officer) or "development" (a pretend gateway under /dev/pay, with MAIL_OUTBOX_VIEW only).
    PAYMENT_BACKEND = _env("PAYMENT_BACKEND", "none")

    # SMS: "outbox" keeps every SMS in the outbox (development); "http" posts each one to
    # SMS_GATEWAY_URL (a DLT-registered gateway's JSON endpoint) with SMS_GATEWAY_TOKEN.
    SMS_BACKEND = _env("SMS_BACKEND", "outbox")
    SMS_GATEWAY_URL = _env("SMS_GATEWAY_URL")
    SMS_GATEWAY_TOKEN = _env("SMS_GATEWAY_TOKEN")
    SMS_SENDER_ID = _env("SMS_SENDER_ID", "POLICE")
    # DLT (TRAI's TCCCPR): the sender's principal entity id, sent with every SMS, and whether an
    # SMS whose template has no DLT template id is held rather than sent (production: yes).
    SMS_DLT_ENTITY_ID = _env("SMS_DLT_ENTITY_ID")
    SMS_REQUIRE_DLT = _env_bool("SMS_REQUIRE_DLT", False)

    # Issued documents are signed with Ed25519: the base64 of a 32-byte seed. Unset outside
    # production, a key is derived from SECRET_KEY (so development documents verify across
    # restarts); production refuses to start without one.
    # Or DOCUMENT_SIGNING_KEY_FILE: a file holding it (a systemd credential; `flask restore
    # --key-out` writes one), read at start.
    DOCUMENT_SIGNING_KEY_FILE = _env("DOCUMENT_SIGNING_KEY_FILE")
    DOCUMENT_SIGNING_KEY = _env("DOCUMENT_SIGNING_KEY") or _read_secret(DOCUMENT_SIGNING_KEY_FILE)
    # Who publishes the open data (its metadata) and what this instance is: a state's portal,
    # or the central (NCRB) instance that pulls the states' register feeds.
    OPEN_DATA_PUBLISHER = _env("OPEN_DATA_PUBLISHER", "State Police (demonstration)")
    DEPLOYMENT_LEVEL = _env("DEPLOYMENT_LEVEL", "state")
    # A central instance's states: JSON [{"state": "HR", "url": "https://…", "public_key": PEM
    # or base64 of the raw Ed25519 key (the state's /verify/public-key.pem)}].
    CENTRAL_FEEDS = _env("CENTRAL_FEEDS", "[]")

    # The audit trail is kept this long (CERT-In's directions: at least 180 days), then purged
    # from the chain's start with an anchor that keeps the rest verifiable.
    AUDIT_RETENTION_DAYS = int(_env("AUDIT_RETENTION_DAYS", "366"))

    # Deadlines: events whose notification task has not run after this are queued again.
    EVENT_REQUEUE_AFTER_SECONDS = int(_env("EVENT_REQUEUE_AFTER_SECONDS", "120"))
    # Appeals (Right to Services acts): filing windows and the authorities' limits, in days.
    APPEAL_FILING_DAYS = 30
    APPEAL_DECISION_DAYS = {1: 30, 2: 45}
    # Fault injection for the crash tests only: seconds a notification task sleeps between its
    # in-app write and its email/SMS (so a test can kill the worker mid-task). Refused in
    # production.
    FAULT_NOTIFY_PAUSE_SECONDS = float(_env("FAULT_NOTIFY_PAUSE_SECONDS", "0"))

    SEED_DEMO_USERS = False
    # Uploaded documents: outside the web root, served only through permission-checked views.
    # Where `flask backup` writes, and to whom it encrypts: age public keys (age1…) or files
    # of them, comma-separated. Their private halves belong off this machine (docs/deploy.md).
    BACKUP_DIR = _env(
        "BACKUP_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "var", "backups")
    )
    BACKUP_AGE_RECIPIENTS = _env("BACKUP_AGE_RECIPIENTS", "")
    UPLOAD_DIR = _env(
        "UPLOAD_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "var", "uploads")
    )
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    # Per person, in any 24 hours: enough for several applications with all their documents.
    UPLOAD_DAILY_FILES = int(_env("UPLOAD_DAILY_FILES", "40"))
    UPLOAD_DAILY_BYTES = int(_env("UPLOAD_DAILY_BYTES", str(60 * 1024 * 1024)))


class DevelopmentConfig(Config):
    DEBUG = False  # gunicorn serves `make run`; the debugger never faces a network
    ALLOWED_HOSTS = _env("ALLOWED_HOSTS", "127.0.0.1,localhost")
    MAIL_OUTBOX_VIEW = True
    SEED_DEMO_USERS = True
    PAYMENT_BACKEND = _env("PAYMENT_BACKEND", "development")


class TestingConfig(Config):
    TESTING = True
    MONGODB_URI = _env("TEST_MONGODB_URI", "mongomock://localhost/police_portal_test")
    MONGODB_CLIENT = "mongomock" if MONGODB_URI.startswith("mongomock://") else "pymongo"
    REDIS_URL = _env("TEST_REDIS_URL", "")
    PUBLIC_BASE_URL = "http://localhost"  # Flask's test client's host
    # A fresh database per unit test: its GIN indexes would cost more than its queries.
    FERRETDB_POSTGRESQL_URL = None
    ALLOWED_HOSTS = ""
    RATELIMIT_STORAGE_URI = "memory://"
    SECURITY_PASSWORD_HASH = "plaintext"  # noqa: S105 — speed; tests use the real hash elsewhere
    SECURITY_PASSWORD_SCHEMES = ["plaintext", "argon2"]
    SECURITY_HASHING_SCHEMES = ["plaintext"]
    SECURITY_DEPRECATED_HASHING_SCHEMES = []
    MAIL_OUTBOX_VIEW = True
    SEED_DEMO_USERS = True
    PAYMENT_BACKEND = "development"
    CELERY = dict(Config.CELERY, task_always_eager=True, task_eager_propagates=True)


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    REQUIRE_TWO_FACTOR_ROLES = ["state_admin"]
    MAIL_BACKEND = _env("MAIL_BACKEND", "smtp")
    SMS_REQUIRE_DLT = _env_bool("SMS_REQUIRE_DLT", True)

    @classmethod
    def check(cls, settings):
        """Refuse to run with published defaults or without explicit service addresses."""
        problems = []
        if settings.get("SECRET_KEY") in (None, "", DEFAULT_SECRET_KEY):
            problems.append("SECRET_KEY is unset or the published default")
        if settings.get("SECURITY_PASSWORD_SALT") in (None, "", DEFAULT_PASSWORD_SALT):
            problems.append("SECURITY_PASSWORD_SALT is unset or the published default")
        if DEFAULT_TOTP_SECRET in settings.get("SECURITY_TOTP_SECRETS", {}).values():
            problems.append("TOTP_SECRET is unset or the published default")
        if not settings.get("DOCUMENT_SIGNING_KEY"):
            problems.append("DOCUMENT_SIGNING_KEY is not set (certificates cannot be signed)")
        if settings.get("SLA_MINUTE_SECONDS", 60) != 60:
            problems.append("SLA_MINUTE_SECONDS is a test setting and must be 60")
        if settings.get("FAULT_NOTIFY_PAUSE_SECONDS"):
            problems.append("FAULT_NOTIFY_PAUSE_SECONDS is a test fault and must be 0")
        if settings.get("SMS_BACKEND") == "http" and not settings.get("SMS_GATEWAY_URL"):
            problems.append("SMS_BACKEND is http but SMS_GATEWAY_URL is not set")
        if not (settings.get("PUBLIC_BASE_URL") or "").startswith("https://"):
            problems.append(
                "PUBLIC_BASE_URL is not set to the portal's https:// address (every link in "
                "mails, SMS and certificates starts with it)"
            )
        for name in ("MONGODB_URI", "REDIS_URL"):
            if not os.environ.get(name):
                problems.append(f"{name} is not set in the environment")
        if problems:
            raise RuntimeError("ProductionConfig refuses to start: " + "; ".join(problems))


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
