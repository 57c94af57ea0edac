"""Settings for the audit-findings tracker.

Everything that differs between a laptop and production comes from environment
variables (see README). With DEBUG off the app refuses to start on insecure defaults.
"""

import datetime
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .api.conf import REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: F401 - the API's settings
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
    # Content-Security-Policy (its system checks); login throttling with its own tables.
    "csp",
    "axes",
    # Optional second factor (TOTP) for local accounts: regions/two_factor.py.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "tracker",
    "regions",
    "audits",
    "recommendations",
    # The REST API at /api/v1/ (tracker/api/): its tokens, and the OpenAPI schema.
    "rest_framework",
    "drf_spectacular",
    "tracker.api",
]

MIDDLEWARE = [
    # First: every log line written while a request is handled carries its id.
    "tracker.logs.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tracker.middleware.UserLanguageMiddleware",
    # After authentication: changes made by a request are recorded with its user.
    "tracker.history.context.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: an ended session says so on the login page.
    "tracker.sessions.SessionTimeoutMiddleware",
    # A password sign-in with two-step sign-in on is finished by the code page first.
    "regions.two_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its 429 page.
    "axes.middleware.AxesMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Model choice fields and other iterators would otherwise open a server-side cursor:
    # DECLARE, FETCH and CLOSE, three round trips for a dozen rows, and a cursor that a
    # transaction-pooling PgBouncer in front of several web servers cannot keep.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
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

# Argon2 for new and changed passwords; the others stay so that existing hashes are still
# accepted, and Django rehashes them with Argon2 at the next successful login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Axes first: it refuses a locked-out sign-in before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one username from
# one address, that pair waits AXES_COOLOFF_MINUTES. By the pair, not the username alone,
# so that a stranger cannot lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# The counters are rows in the database, so every web process counts the same failures.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Personal data: only the failure counters axes needs (username, address, user agent,
# removed after the cool-off). No log of successful sign-ins, no permanent failure log,
# and its log lines name neither the username nor the address.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "user_agent"]
# django-ipware is not installed, so axes' AXES_IPWARE_* settings would do nothing; this
# reads X-Forwarded-For only as far as TRUSTED_PROXY_COUNT proxies wrote it (see module).
AXES_CLIENT_IP_CALLABLE = "tracker.login_throttle.client_ip"
# Single sign-on has no password to guess; see regions.oidc.not_a_password_sign_in.
AXES_WHITELIST_CALLABLE = "regions.oidc.not_a_password_sign_in"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Sessions end after SESSION_IDLE_SECONDS without a request, and SESSION_MAX_SECONDS after
# sign-in however busy (tracker/sessions.py). One hour idle rather than the common 15-30
# minutes: writing a response or a follow-up is done in a form without any request, and
# a timeout while writing loses the text on submit.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 60 * 60)
SESSION_MAX_SECONDS = env_int("SESSION_MAX_SECONDS", 12 * 60 * 60)
# The stored session (and cookie) outlive no sign-in: expired rows go with clearsessions.
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
# In the database, which every web process shares: any of them can serve the next request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Optional single sign-on through the region's identity provider (regions/oidc.py): on
# when OIDC_ISSUER is set. The endpoints are configured, not discovered, so that nothing
# is fetched at start-up. Accounts are keyed on issuer + subject, never on e-mail.
OIDC_OP_ISSUER = env_str("OIDC_ISSUER")
if OIDC_OP_ISSUER:
    AUTHENTICATION_BACKENDS.append("regions.oidc.IssuerSubjectBackend")
    OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_USERINFO_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_JWKS_ENDPOINT")
    missing = [
        name
        for name, value in {
            "OIDC_CLIENT_ID": OIDC_RP_CLIENT_ID,
            "OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
            "OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
            "OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
            "OIDC_USERINFO_ENDPOINT": OIDC_OP_USER_ENDPOINT,
            "OIDC_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
        }.items()
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(f"OIDC_ISSUER is set; also set {', '.join(missing)}.")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
# A first sign-in makes an account without any role; an administrator gives the role.
OIDC_CREATE_USER = env_bool("OIDC_CREATE_USER", True)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "/login/?sso=failed"
# The name authenticator apps show next to the code (two-step sign-in, regions/two_factor).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Granskning")

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
# Uploaded reports and decisions live outside any public URL; views serve them, through
# the storage API only (tracker/uploads.py). STORAGE_BACKEND=s3 keeps them in a bucket that
# every web and worker process shares instead of the UPLOAD_ROOT folder.
MEDIA_ROOT = Path(env_str("UPLOAD_ROOT", str(VAR_DIR / "uploads")))
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "local")


def _upload_storage() -> dict:
    if STORAGE_BACKEND == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if STORAGE_BACKEND != "s3":
        raise ImproperlyConfigured(f"STORAGE_BACKEND must be local or s3, got {STORAGE_BACKEND!r}")
    if not env_str("S3_BUCKET"):
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs S3_BUCKET.")
    options = {
        "bucket_name": env_str("S3_BUCKET"),
        "location": env_str("S3_PREFIX"),
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
        "region_name": env_str("S3_REGION") or None,
        # Private objects under the bucket's own policy; the app never hands out their URLs.
        "default_acl": None,
        "querystring_auth": env_bool("S3_QUERYSTRING_AUTH", True),
        # A second upload under a taken name gets a new name; a stored document never changes.
        "file_overwrite": False,
        # A download larger than this is spooled to a temporary file rather than memory.
        "max_memory_size": 5 * 1024 * 1024,
    }
    # Without keys boto3 looks for its own: AWS_* variables, an instance or pod role.
    keys = {"access_key": "S3_ACCESS_KEY_ID", "secret_key": "S3_SECRET_ACCESS_KEY"}
    options.update({option: env_str(name) for option, name in keys.items() if env_str(name)})
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


# Signed responses and reports: PDF or Word only (checked by content), at most this size.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
STORAGES = {
    "default": _upload_storage(),
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
# Workers log through LOGGING (JSON lines in production) like the web processes.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
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

# Response headers, in development too: the browser tests run under the production policy.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere, the admin included (Django 5.2's admin has none):
# scripts and styles come from static/, htmx is told not to inject styles (base.html).
# PDF and e-mail templates keep inline styles; they are never served as pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Server-drawn SVG charts are embedded as data: URIs (tracker/charts.py).
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
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
    # The __Host- prefix makes the browser refuse these cookies unless they are Secure,
    # for path "/" and without a Domain: no subdomain can set or overwrite them. Plain
    # HTTP development keeps Django's names, which a browser accepts without TLS.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = CSRF_COOKIE_DOMAIN = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
    LANGUAGE_COOKIE_SECURE = True

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

# LOG_FORMAT=json: one JSON object a line for a log collector (tracker/logs.py), the
# default in production; "text" reads better in a terminal, the default in development.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "tracker.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "tracker.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs each layout step at INFO, django-axes every successful sign-in:
    # only their warnings (a failed sign-in, a lockout) are worth reading.
    "loggers": {"weasyprint": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
