"""Settings for the audit-findings tracker.

Everything that differs between a laptop and production comes from environment
variables (see README). With DEBUG off the app refuses to start on insecure defaults.
"""

import datetime
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if DEBUG:
        if key:
            return key
        # A per-checkout key kept under var/ so demo sessions survive a restart.
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file = VAR_DIR / "dev-secret-key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
        return key_file.read_text().strip()
    if len(key) < 50 or key.startswith("django-insecure") or len(set(key)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when "
            "DJANGO_DEBUG is off."
        )
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Widget templates for the form renderer, which reads TEMPLATES (our field layout).
    "django.forms",
    "django_filters",
    "regions",
    "audits",
    "recommendations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracker.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tracker.urls"
# Every form field renders with its label, help and errors linked for screen readers.
FORM_RENDERER = "tracker.forms.FormRenderer"
WSGI_APPLICATION = "tracker.wsgi.application"

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
                "tracker.context_processors.navigation",
            ],
            "libraries": {"tracker": "tracker.template_tags"},
        },
    },
]

# The embedded default is SQLite under var/ (git-ignored); production sets DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "regions.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Swedish first, English available; ISO dates in both (see tracker/formats/).
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["tracker.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
if DEBUG:
    # WhiteNoise serves from the finders in development but expects the folder to exist.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # htmx from the npm registry (package-lock.json), served as our own file: no CDN.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
# Uploaded reports and decisions live outside any public URL; views serve them.
MEDIA_ROOT = Path(env_str("UPLOAD_ROOT", str(VAR_DIR / "uploads")))
# Signed responses and reports: PDF or Word only (checked by content), at most this size.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# A hung SMTP server must not hold a reminder claim past REMINDER_CLAIM_TIMEOUT.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "granskning@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis in production; the demo runs tasks in-process so no broker is needed.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", DEBUG)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Intervals, not local-time crontabs: a daylight-saving change would skip or double those.
# The sweep fills the reminder ledger; the dispatch wakes senders for what is due,
# including retries and claims left behind by a dead worker.
CELERY_BEAT_SCHEDULE = {
    "sweep-reminders": {
        "task": "recommendations.tasks.sweep_reminders",
        "schedule": datetime.timedelta(seconds=env_int("REMINDER_SWEEP_SECONDS", 900)),
    },
    "dispatch-reminders": {
        "task": "recommendations.tasks.dispatch_reminders",
        "schedule": datetime.timedelta(seconds=env_int("REMINDER_DISPATCH_SECONDS", 60)),
    },
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The container healthcheck calls /healthz over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Product rules that a region may later want to tune.
TRACKER = {
    # Start pages list deadlines this many days ahead as "due soon".
    "DUE_SOON_DAYS": env_int("TRACKER_DUE_SOON_DAYS", 30),
    # An open recommendation is due for follow-up this long after the response
    # deadline or its latest follow-up.
    "FOLLOW_UP_INTERVAL_DAYS": env_int("TRACKER_FOLLOW_UP_INTERVAL_DAYS", 365),
    "PAGE_SIZE": env_int("TRACKER_PAGE_SIZE", 25),
    # Links in e-mails and the calendar feed point here.
    "SITE_URL": env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/"),
    "MESSAGE_ID_DOMAIN": env_str("MESSAGE_ID_DOMAIN", "granskning.invalid"),
    # A claim older than this is taken to belong to a dead worker and is claimed again.
    "REMINDER_CLAIM_TIMEOUT": env_int("REMINDER_CLAIM_TIMEOUT", 300),
    # SMTP failures are retried after base, 4x base, 16x base ... (capped at 6 hours).
    "REMINDER_RETRY_SECONDS": env_int("REMINDER_RETRY_SECONDS", 60),
    "REMINDER_MAX_ATTEMPTS": env_int("REMINDER_MAX_ATTEMPTS", 8),
    # One delivery task sends at most this many before handing over to the next.
    "REMINDER_BATCH": env_int("REMINDER_BATCH", 200),
    # Reminders found before this hour (local time) wait for it: no mail at midnight.
    "REMINDER_SEND_HOUR": env_int("REMINDER_SEND_HOUR", 7),
    # A follow-up report over more recommendations than this renders in a Celery task
    # while the page shows its progress; smaller documents render at once.
    "PDF_INLINE_MAX_RECOMMENDATIONS": env_int("PDF_INLINE_MAX_RECOMMENDATIONS", 200),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs each layout step at INFO; only its warnings are worth reading.
    "loggers": {"weasyprint": {"level": "WARNING"}},
}
