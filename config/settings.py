"""Settings for aftersales. Everything that differs between machines comes from the environment."""

from __future__ import annotations

import ipaddress
import json
import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.storage import LOCAL_STORAGE, s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG", default=False)
# Without SECRET_KEY a well-known development key is used, so management commands (migrations, catalogues) work on
# any machine; `check --deploy` flags it (security.W009), and the WSGI entry point refuses to serve with it.
INSECURE_DEV_KEY = "django-insecure-dev-only-key-0123456789-abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = os.environ.get("SECRET_KEY") or INSECURE_DEV_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "axes",
    "core",
    "org.apps.OrgConfig",
    "reception",
    "settlement",
    "workshop",
    "parts",
    "complaints",
    "kpi",
    "portal",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.ResponseHeadersMiddleware",
    "core.middleware.NulBytesMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "org.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "org.middleware.PermissionMiddleware",
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
                "org.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Persistent connections in production; none under test, where the live server's thread would keep the test
    # database open and pytest could not drop it.
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=0 if env_bool("AFTERSALES_TESTING") else env_int("DB_CONN_MAX_AGE", 60),
            # a persistent connection broken by a database restart is replaced, not handed to the first request
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3",
                             "CONN_HEALTH_CHECKS": True}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth -----------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "aftersales.Staff"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "org.auth_backend.StaffBackend",  # ModelBackend reading the person's station in the same query
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The proxies whose X-Forwarded-For we believe (addresses or networks, comma-separated; behind the README's nginx:
# 127.0.0.1). Empty: nobody's — the client is REMOTE_ADDR. See core/net.py.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _entry in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_entry, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_entry!r} is not an address or a network") from _exc

# Failed logins (django-axes, org/lockout.py). A login name is locked only together with the client's address, so a
# stranger elsewhere cannot lock a colleague out by guessing their name; and one address that fails too often over
# any names (password spraying) is refused for the cool-off. The client's address comes from core.net.client_ip.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_HANDLER = "org.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"
AXES_LOCKOUT_CALLABLE = "org.lockout.lockout_response"
# A try while locked is refused without being counted, so the time the lockout page names stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# A session ends after this many minutes without a user action (background polling does not count). The stamp of
# the last action is written at most once a minute (org.middleware), so reading pages does not write the session.
IDLE_TIMEOUT_MINUTES = env_int("IDLE_TIMEOUT_MINUTES", 30)
IDLE_STAMP_SECONDS = 60
# How often the wall boards (workshop board, welcome board; also through a device link) fetch themselves again.
BOARD_POLL_SECONDS = 30
# Sessions live in the database and are read through the cache (shared in Redis when configured, below); expired
# rows are removed daily (core.tasks.clear_sessions, CELERY_BEAT_SCHEDULE).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- i18n -----------------------------------------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# One date format per language, used everywhere through the named formats (core/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["core.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files (photos, signatures, scans) go through Django's storage API only — nothing reads a local path — so
# they can live on local disk (MEDIA_ROOT, one node) or in an S3-compatible bucket shared by every node (MinIO,
# Aliyun OSS, Tencent COS, AWS S3): set S3_BUCKET. The bucket stays private: objects are written with the "private"
# ACL, and no bucket URL is ever handed out (querystring_auth off, so even a stray ``.url`` names an address the
# bucket refuses); users reach a file only through the checked view /files/<kind>/<pk>/ (core/files.py), which
# streams it from the bucket. Names are random (core.files.PrivateUploadTo) and never overwritten. S3_ENDPOINT_URL,
# S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION and S3_ADDRESSING_STYLE are read in config/storage.py.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
STORAGES = {
    "default": s3_storage(os.environ) or LOCAL_STORAGE,  # config/storage.py
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env_bool("AFTERSALES_TESTING")
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# The bundled CJK fonts (static/fonts, 6 MB) are read by the PDF renderer, never downloaded by browsers: WhiteNoise
# need not compress them (that was most of collectstatic's time).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    "jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf", "flv", "woff", "woff2",
    "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4", "mpeg", "mpg", "webm", "wmv", "otf", "ttf",
]
# Uploads (core/uploads.py): refused above these, checked by content; nginx's client_max_body_size (deploy/nginx)
# is a little above UPLOAD_MAX_BYTES so the app, not nginx, answers with a message at the field.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 15 * 1024 * 1024)
VIDEO_MAX_BYTES = env_int("VIDEO_MAX_BYTES", 20 * 1024 * 1024)  # a finding's short video (core.uploads.video_clean)
VIDEO_MAX_SECONDS = env_int("VIDEO_MAX_SECONDS", 30)
UPLOAD_MAX_PIXELS = env_int("UPLOAD_MAX_PIXELS", 40_000_000)
UPLOAD_MAX_SIDE = env_int("UPLOAD_MAX_SIDE", 1600)  # long side of a stored photo: bounds what a PDF has to embed
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads go to a temporary file, not memory
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # non-file form data (a signature data URL is well under this)
# Private files (core/files.py) are served only through the checked view. With this set (e.g. "/protected") and files
# on local disk, the view answers with X-Accel-Redirect to nginx's internal location instead of streaming the file
# itself. With S3 storage it is not used: the view always streams from the bucket (nginx cannot read it).
PRIVATE_MEDIA_ACCEL_PREFIX = os.environ.get("PRIVATE_MEDIA_ACCEL", "").rstrip("/")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- celery ---------------------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # No broker: tasks run in-process so the quick start needs no servers.
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE  # crontab times below are the station's local time
CELERY_ENABLE_UTC = True

# --- cache ----------------------------------------------------------------------------------------------------
# With Redis the cache is shared by every process on every node (gunicorn workers, Celery workers, management
# commands), so what one of them invalidates (the workshop board's version key) is invalidated for all. CACHE_URL
# picks another Redis (or database number); by default the cache shares REDIS_URL with the broker under its own key
# prefix. Without Redis each process has its own local-memory cache.
CACHE_URL = os.environ.get("CACHE_URL", "") or REDIS_URL
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",  # Redis down: a miss, not an error page
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "aftersales"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Named queues, one worker per queue in production (README "Production"): an SMS batch never sits in front of an
# escalation, a long rollup never in front of a message. Anything unrouted goes to the default queue.
CELERY_QUEUE = os.environ.get("CELERY_QUEUE", "")
CELERY_TASK_DEFAULT_QUEUE = CELERY_QUEUE or "celery"
CELERY_TASK_ROUTES = {
    "core.tasks.send_notification": {"queue": "interactive"},
    "core.tasks.resume_stalled_notifications": {"queue": "interactive"},
    "complaints.tasks.*": {"queue": "escalations"},
    "reception.tasks.*": {"queue": "escalations"},
    "org.tasks.*": {"queue": "escalations"},
    "kpi.tasks.*": {"queue": "reports"},
    "core.tasks.clear_sessions": {"queue": "reports"},
    "*.tasks.import_*": {"queue": "reports"},  # CSV/xlsx imports, whichever app they live in
    "*.tasks.render_*": {"queue": "reports"},  # batch PDFs
}
if CELERY_QUEUE:
    # CELERY_QUEUE set: every task goes to that one queue (the real-worker tests give each run a queue of its own,
    # so what the worker enqueues itself comes back to it).
    CELERY_TASK_ROUTES = {}
# acks_late only where the task is idempotent: set per task (every task of this project is, see each tasks.py).
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Time limits for every task (seconds); long tasks raise theirs (kpi.tasks). The soft limit raises
# SoftTimeLimitExceeded inside the task (its transaction rolls back), the hard one kills the worker child.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TIME_LIMIT", 360)
# Beat: the schedule is defined here, in code (crontab in CELERY_TIMEZONE), and nowhere else; the admin has no
# periodic-task pages. config.beat.LockedScheduler takes a Redis lock so a second beat sends nothing (a standby
# that takes over when the first one's lock expires).
CELERY_BEAT_SCHEDULER = "config.beat:LockedScheduler"
CELERY_BEAT_LOCK_TTL = env_int("CELERY_BEAT_LOCK_TTL", 60)
CELERY_BEAT_MAX_LOOP_INTERVAL = max(1, CELERY_BEAT_LOCK_TTL // 4)
CELERY_BEAT_SCHEDULE = {
    "reception-mark-no-shows": {"task": "reception.tasks.mark_no_shows", "schedule": crontab(minute="*/15")},
    "reception-regrade-customers": {"task": "reception.tasks.regrade_customers", "schedule": crontab(hour=2, minute=15)},
    "complaints-escalate-overdue": {"task": "complaints.tasks.escalate_overdue", "schedule": crontab(minute="*/5")},
    "complaints-appointment-reminders": {
        "task": "complaints.tasks.send_appointment_reminders", "schedule": crontab(hour=10, minute=0),
    },
    "complaints-expire-follow-ups": {"task": "complaints.tasks.expire_follow_ups", "schedule": crontab(minute=7)},
    "complaints-maintenance-reminders": {
        "task": "complaints.tasks.send_maintenance_reminders", "schedule": crontab(hour=10, minute=30),
    },
    # Nightly: yesterday closed, dirty days; during opening hours also every 10 minutes so dashboards stay fresh.
    "kpi-rollup-nightly": {"task": "kpi.tasks.rollup_recent_days", "schedule": crontab(hour=1, minute=30)},
    "kpi-rollup-recent-days": {
        "task": "kpi.tasks.rollup_recent_days", "schedule": crontab(hour="7-21", minute="*/10"),
    },
    "core-resume-stalled-notifications": {
        "task": "core.tasks.resume_stalled_notifications", "schedule": crontab(minute="*/10"),
    },
    "core-clear-sessions": {"task": "core.tasks.clear_sessions", "schedule": crontab(hour=3, minute=0)},
    "org-training-expiry": {"task": "org.tasks.warn_training_expiry", "schedule": crontab(hour=9, minute=15)},
}
# Reminders are never sent between these hours, local time (core.delivery; start, end).
QUIET_HOURS = (env_int("QUIET_HOURS_START", 21), env_int("QUIET_HOURS_END", 8))
# Test hook (the two-beats test): a fast probe entry every N seconds that pushes to a Redis list.
if os.environ.get("CELERY_BEAT_PROBE_EVERY"):
    CELERY_BEAT_SCHEDULE["beat-probe"] = {
        "task": "core.tasks.beat_probe",
        "schedule": float(os.environ["CELERY_BEAT_PROBE_EVERY"]),
        "args": [os.environ.get("CELERY_BEAT_PROBE_KEY", "aftersales:beat-probe")],
    }
# A task taken by a worker that dies comes back after this many seconds (Redis); tasks are idempotent (acks_late).
BROKER_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
if BROKER_VISIBILITY_TIMEOUT < 600:  # a short timeout (the killed-worker test) needs the sweep to look as often
    CELERY_BROKER_TRANSPORT_OPTIONS.update(unacked_restore_interval=1, unacked_restore_throttle=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- email ----------------------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "aftersales@localhost")
SMS_BACKEND = os.environ.get("SMS_BACKEND", "core.notify.LoggingSmsBackend")
# Template-based SMS (core.sms_templates): the approved signature (签名), message kind -> provider template code, and
# the generic template (one parameter "content") for messages of a kind without a code of their own.
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "")
SMS_STATION_SIGN_NAMES = json.loads(os.environ.get("SMS_STATION_SIGN_NAMES", "") or "{}")
SMS_TEMPLATES = json.loads(os.environ.get("SMS_TEMPLATES", "") or "{}")
SMS_GENERIC_TEMPLATE = os.environ.get("SMS_GENERIC_TEMPLATE", "")
SMS_HTTP_TIMEOUT = env_int("SMS_HTTP_TIMEOUT", 10)
# The secret path segment of the delivery-receipt callback URLs given to the providers (/messages/receipts/...).
SMS_RECEIPT_TOKEN = os.environ.get("SMS_RECEIPT_TOKEN", "")
ALIYUN_SMS_ACCESS_KEY_ID = os.environ.get("ALIYUN_SMS_ACCESS_KEY_ID", "")
ALIYUN_SMS_ACCESS_KEY_SECRET = os.environ.get("ALIYUN_SMS_ACCESS_KEY_SECRET", "")
ALIYUN_SMS_ENDPOINT = os.environ.get("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
TENCENT_SMS_SECRET_ID = os.environ.get("TENCENT_SMS_SECRET_ID", "")
TENCENT_SMS_SECRET_KEY = os.environ.get("TENCENT_SMS_SECRET_KEY", "")
TENCENT_SMS_SDK_APP_ID = os.environ.get("TENCENT_SMS_SDK_APP_ID", "")
TENCENT_SMS_REGION = os.environ.get("TENCENT_SMS_REGION", "ap-guangzhou")
TENCENT_SMS_ENDPOINT = os.environ.get("TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com")
# WeChat official-account template messages (core.gateways.wechat); no app id: no WeChat channel.
WECHAT_APP_ID = os.environ.get("WECHAT_APP_ID", "")
WECHAT_APP_SECRET = os.environ.get("WECHAT_APP_SECRET", "")
WECHAT_API_BASE = os.environ.get("WECHAT_API_BASE", "https://api.weixin.qq.com")
WECHAT_TEMPLATES = json.loads(os.environ.get("WECHAT_TEMPLATES", "") or "{}")
WECHAT_GENERIC_TEMPLATE = os.environ.get("WECHAT_GENERIC_TEMPLATE", "")
WECHAT_OPENID_FIELD = os.environ.get("WECHAT_OPENID_FIELD", "wechat_openid")
# The token set on the official account's server configuration: WeChat signs its event pushes with it.
WECHAT_SERVER_TOKEN = os.environ.get("WECHAT_SERVER_TOKEN", "")

# --- security (production sits behind a TLS-terminating proxy) --------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_REFERRER_POLICY = "same-origin"
    # Load balancers probe over plain HTTP: the health checks answer there instead of redirecting to HTTPS.
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/ready)?$"]
# Print previews embed our own PDFs: those views opt in with @xframe_options_sameorigin.
X_FRAME_OPTIONS = "DENY"

# --- errors and logs ------------------------------------------------------------------------------------------
# Error mail (500s, with DEBUG off): ADMINS="Name <a@example.com>,Other <b@example.com>", sent from SERVER_EMAIL.
ADMINS = [(name or address, address) for name, address in getaddresses(env_list("ADMINS")) if address]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "root@localhost")

# Logs go to stdout/stderr only (systemd's journal keeps them): one line per record, as JSON with LOG_FORMAT=json
# (the deploy/ units set it) or plain text. gunicorn's access log (deploy/gunicorn.conf.py) is one line per request.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT: {LOG_FORMAT!r} is neither 'plain' nor 'json'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.logfmt.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "core.access": {"level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},  # the PDF font's WOFF2 is unpacked once per process: no INFO line for it
    },
}

# Optional error reporting to Sentry (or a Sentry-compatible server such as GlitchTip): set SENTRY_DSN.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
        send_default_pii=False,  # customers' names and phone numbers stay here
    )

# Documents kept as issued (settlement.issued_render): rendered and stored by a reports-queue task right after the
# issue. Off without a broker (tasks in-process: the quick start) and in the tests: then stored at the first print.
ISSUED_DOCUMENTS_ON_ISSUE = env_bool("ISSUED_DOCUMENTS_ON_ISSUE", bool(REDIS_URL) and not env_bool("AFTERSALES_TESTING"))

# Domain defaults a station can override on its own record.
DEFAULT_VAT_RATE = "0.13"

# Online booking (/book/<station code>/, portal.booking). Limits are per calendar day, counted in the cache (Redis
# in production): codes sent to one mobile, code requests from one address, bookings confirmed by one mobile, and
# wrong codes before a request is dropped. Slots every SLOT_MINUTES between OPEN and LAST_SLOT, from LEAD_HOURS ahead
# up to DAYS_AHEAD days; a slot is free when its day has room by the desk's capacity rule.
ONLINE_BOOKING = {
    "CODES_PER_MOBILE": int(os.environ.get("BOOKING_CODES_PER_MOBILE", "5")),
    "REQUESTS_PER_ADDRESS": int(os.environ.get("BOOKING_REQUESTS_PER_ADDRESS", "20")),
    "BOOKINGS_PER_MOBILE": int(os.environ.get("BOOKING_BOOKINGS_PER_MOBILE", "3")),
    "CODE_ATTEMPTS": 5,
    "CODE_MINUTES": 10,
    "MANAGE_FAILURES_PER_ADDRESS": int(os.environ.get("BOOKING_MANAGE_FAILURES_PER_ADDRESS", "30")),
    "OPEN": "08:30",
    "LAST_SLOT": "16:30",
    "SLOT_MINUTES": 30,
    "LEAD_HOURS": 2,
    "DAYS_AHEAD": 7,
}
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "").rstrip("/")  # e.g. https://service.example.cn: the customer links in SMS
