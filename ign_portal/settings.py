"""Settings of the IGN Portal: one file, every deploy-specific value from the environment."""

import os
import sys
import warnings
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent



def _fail(message):
    """Stop the process at start-up with one clear line instead of a traceback later."""
    sys.stderr.write(f"IGN Portal configuration error: {message}\n")
    raise SystemExit(2)


# The environment wins over the settings file, which wins over the defaults below. The file
# is `.env` beside manage.py (`make run` writes it for development); IGN_ENV_FILE names another
# (`make serve` uses `.env.serve`), or none when empty (the tests).
env = environ.Env()
_env_file = os.environ.get("IGN_ENV_FILE", ".env")
if _env_file:
    ENV_FILE = BASE_DIR / _env_file
    if ENV_FILE.is_file():
        environ.Env.read_env(ENV_FILE, overwrite=False)
    elif "IGN_ENV_FILE" in os.environ:
        _fail(f"IGN_ENV_FILE names {ENV_FILE}, which does not exist.")
else:
    ENV_FILE = None


# --- Core -----------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
_DEV_SECRET = "insecure-local-development-key-never-used-in-production-0123456789"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and not env.bool("DJANGO_ALLOW_DEV_SECRET", default=False):
        _fail("DJANGO_SECRET_KEY is not set (required when DJANGO_DEBUG is off); for "
              "development, `make run` writes a .env that sets DJANGO_DEBUG=1.")
    SECRET_KEY = _DEV_SECRET
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Ours first, so our templates and commands win.
    "sessions.apps.SessionsConfig",
    "clusters.apps.ClustersConfig",
    "correspondence.apps.CorrespondenceConfig",
    "portal.apps.PortalConfig",
    "common.apps.CommonConfig",
    # Before the admin: it registers the translated fields (every app's translation.py).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First, so that every response has them: static files, cache hits, a bad Host's 400
    # (see common/headers.py and the Headers block below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "common.headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "common.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "common.languages.PathLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "ign_portal.urls"
WSGI_APPLICATION = "ign_portal.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an unknown scheme is reported below, in one line
        DATABASES = {
            "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
        }
except (ImproperlyConfigured, ValueError, KeyError) as exc:
    _fail(f"DATABASE_URL is malformed ({exc}).")
if DATABASES["default"].get("ENGINE") not in (
    "django.db.backends.postgresql", "django.db.backends.sqlite3"
):
    _fail("DATABASE_URL must start with postgres:// (production) or sqlite:// (local use).")
# A relative SQLite path (sqlite:///db.sqlite3) is beside manage.py, whatever the directory.
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and DATABASES["default"]["NAME"] not in (
    "", ":memory:"
) and not str(DATABASES["default"]["NAME"]).startswith("file:"):
    DATABASES["default"]["NAME"] = str(BASE_DIR / DATABASES["default"]["NAME"])
# Persistent connections, health-checked: no connection set-up on every request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# Bounded waits on PostgreSQL (docs/operations.md, "When the database fails"): opening a
# connection gives up after DATABASE_CONNECT_TIMEOUT seconds; the server cancels a statement
# after DATABASE_STATEMENT_TIMEOUT seconds (0: never); TCP keepalives notice a peer that is
# gone; and a server that answers nothing at all (frozen) is given up on, client-side, after
# DATABASE_QUERY_DEADLINE seconds per query (common.dbwait; 0: never). A request that meets
# any of them is answered 503 with Retry-After: DATABASE_RETRY_AFTER seconds.
try:
    DATABASE_QUERY_DEADLINE = env.float("DATABASE_QUERY_DEADLINE", default=5.0) or None
    DATABASE_RETRY_AFTER = env.int("DATABASE_RETRY_AFTER", default=30)
    _connect_timeout = env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    _statement_ms = int(env.float("DATABASE_STATEMENT_TIMEOUT", default=4.0) * 1000)
    _keepalives_idle = env.int("DATABASE_KEEPALIVES_IDLE", default=30)
except ValueError as exc:
    _fail(f"a DATABASE_ timeout is not a number ({exc}).")
if "postgresql" in DATABASES["default"]["ENGINE"]:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", _connect_timeout)
    _options.setdefault("options", f"-c statement_timeout={_statement_ms}")
    _options.setdefault("keepalives", 1)
    _options.setdefault("keepalives_idle", _keepalives_idle)
    _options.setdefault("keepalives_interval", 10)
    _options.setdefault("keepalives_count", 3)
else:
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=20)
    )
    # The server and a task worker write at once (make run): WAL lets readers go on during a
    # write, and NORMAL syncs at checkpoints rather than at every commit.
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )

# --- Cache ----------------------------------------------------------------
# Shared by every worker: Redis in production (CACHE_URL=redis://...). The
# local default is the database cache, shared by every process on that database.
# A cache that is down, frozen or full costs speed, never pages (common/cache.py): every call
# is bounded by these timeouts (seconds), made once (no retry), and its failure caught.
# A read or write that takes longer than CACHE_TIMEOUT fails; raise it only for a Redis
# across a slow link (entries are whole pages and PDFs, up to a few MB).
CACHE_CONNECT_TIMEOUT = env.float("CACHE_CONNECT_TIMEOUT", default=0.05)
CACHE_TIMEOUT = env.float("CACHE_TIMEOUT", default=0.05)
# How often (seconds) each process compares the cache's content version with the
# database's, which outlives a cache outage (common/content_version.py).
IGN_CONTENT_VERSION_CHECK_SECONDS = env.float("IGN_CONTENT_VERSION_CHECK_SECONDS", default=1.0)
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://ign_cache")}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES["default"]["BACKEND"] = "django_redis.cache.RedisCache"
    _cache_options = CACHES["default"].setdefault("OPTIONS", {})
    _cache_options.setdefault("IGNORE_EXCEPTIONS", False)  # the callers catch, and log once
    _cache_options.setdefault("SOCKET_CONNECT_TIMEOUT", CACHE_CONNECT_TIMEOUT)
    _cache_options.setdefault("SOCKET_TIMEOUT", CACHE_TIMEOUT)

# --- Tasks ----------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "distribution"],
    }
}
# The task worker (`manage.py task_worker`, common.taskrows): a row RUNNING longer than
# IGN_TASK_STALE_SECONDS was left by a worker that died, and runs again (FAILED once claimed
# IGN_TASK_MAX_ATTEMPTS times); finished rows are kept IGN_TASK_KEEP_DAYS days. The worker
# sweeps and prunes every IGN_TASK_UPKEEP_SECONDS (0: never; `manage.py sweep_tasks` does too).
IGN_TASK_STALE_SECONDS = env.int("IGN_TASK_STALE_SECONDS", default=3600)
IGN_TASK_MAX_ATTEMPTS = env.int("IGN_TASK_MAX_ATTEMPTS", default=5)
IGN_TASK_KEEP_DAYS = env.int("IGN_TASK_KEEP_DAYS", default=14)
IGN_TASK_UPKEEP_SECONDS = env.int("IGN_TASK_UPKEEP_SECONDS", default=300)

# --- E-mail ---------------------------------------------------------------
# EMAIL_URL (smtp://user:password@host:port/?tls=True) becomes the default mailer.
try:
    _email = env.email_url("EMAIL_URL", default="consolemail://")
except (ImproperlyConfigured, ValueError, KeyError) as exc:
    _fail(f"EMAIL_URL is malformed ({exc}).")
_mailer_options = {
    key.lower(): _email[setting]
    for setting, key in [
        ("EMAIL_HOST", "host"), ("EMAIL_PORT", "port"), ("EMAIL_HOST_USER", "username"),
        ("EMAIL_HOST_PASSWORD", "password"), ("EMAIL_USE_TLS", "use_tls"),
        ("EMAIL_USE_SSL", "use_ssl"), ("EMAIL_FILE_PATH", "file_path"),
    ]
    if _email.get(setting) not in (None, "")
}
if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    _mailer_options["timeout"] = env.int("EMAIL_TIMEOUT", default=30)
else:
    _mailer_options = {k: v for k, v in _mailer_options.items() if k == "file_path"}
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _mailer_options}}
EMAIL_CONFIGURED = "EMAIL_URL" in env
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ign-portal@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -------------------------------------------------
# The six official languages of the United Nations. English is the default and its URLs carry
# no prefix; the others live under /ar/, /zh-hans/, /fr/, /ru/ and /es/ (ign_portal/urls.py).
# A URL alone chooses the language: neither Accept-Language nor a cookie changes what an
# unprefixed URL shows (common.languages.PathLocaleMiddleware).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times as UN documents write them in each language (24-hour clock, "6 February 2017").
FORMAT_MODULE_PATH = "common.formats"
TIME_ZONE = "America/New_York"
USE_I18N = True
# Content in six languages (django-modeltranslation): each translated field `title` has the
# columns title_en, title_ar, title_zh_hans, title_fr, title_ru, title_es (every app's
# translation.py lists them). `obj.title` is the current language's value, else English;
# pages show a fallback with lang="en" (the `translated` filter, common/templatetags/ign.py).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# A row created with `title=...` (the seed, a test, a script) has that value in English too.
MODELTRANSLATION_AUTO_POPULATE = "default"
USE_TZ = True
# A naive datetime would be read silently in the server's zone: refuse it.
warnings.filterwarnings(
    "error", r"DateTimeField .* received a naive datetime", RuntimeWarning
)

# --- Static and media files -----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploaded annexes live in the database beside the letters' PDFs, content-addressed:
    # every app server reads the same bytes, and a backup of the database holds them all.
    "annexes": {"BACKEND": "correspondence.models.stored.DatabaseStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Security -------------------------------------------------------------
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env.list("DJANGO_SILENCED_SYSTEM_CHECKS", default=[])

# --- Headers: Content-Security-Policy, Permissions-Policy ---------------------------------
# No 'unsafe-inline', no 'unsafe-eval': scripts and styles come from our own static files.
# The admin's few inline ones carry the request's nonce (Django's admin templates use
# {% csp_nonce_attr %}); a public page uses none, so the page cache never stores a nonce
# (common.cache refuses to store a response whose nonce was used).
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # data: for the QR code of the authenticator-app set-up page (allauth.mfa draws it so).
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
# Every feature a page of ours never uses, off for it and anything it could embed; WebAuthn
# (staff security keys) for the site itself.
PERMISSIONS_POLICY = {
    feature: [] for feature in (
        "accelerometer", "autoplay", "camera", "display-capture",
        "encrypted-media", "geolocation", "gyroscope", "hid", "idle-detection",
        "magnetometer", "microphone", "midi", "payment", "screen-wake-lock", "serial",
        "usb", "xr-spatial-tracking",
    )
} | {"publickey-credentials-create": ["self"], "publickey-credentials-get": ["self"]}

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A request with a Host not in ALLOWED_HOSTS is answered 400 and logged in one line.
    "filters": {"without_traceback": {"()": "common.headers.WithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "django.security.DisallowedHost": {"filters": ["without_traceback"]},
    },
}

# --- Serving --------------------------------------------------------------
# Seconds a request body may stop arriving before the request is answered 400
# (common.bodies.BoundedBody, in ign_portal.wsgi), logged as one line. `make serve` runs nginx
# in front, which reads whole bodies itself (ign_portal.serving); docs/operations.md, "Serving".
IGN_REQUEST_BODY_TIMEOUT = env.float("IGN_REQUEST_BODY_TIMEOUT", default=5.0)
LOGGING.setdefault("filters", {})["unreadable_body_one_line"] = {"()": "common.bodies.OneLine"}
LOGGING["loggers"].setdefault("django.request", {}).setdefault("filters", []).append(
    "unreadable_body_one_line")

# --- The portal -----------------------------------------------------------
IGN_ANNEX_MAX_BYTES = env.int("IGN_ANNEX_MAX_BYTES", default=20 * 1024 * 1024)
IGN_DELIVERY_STUCK_SECONDS = env.int("IGN_DELIVERY_STUCK_SECONDS", default=600)
IGN_VERIFY_MAX_BYTES = env.int("IGN_VERIFY_MAX_BYTES", default=50 * 1024 * 1024)
# A temporary SMTP failure is retried after this delay, doubled at each attempt (at most an
# hour), until IGN_DELIVERY_MAX_ATTEMPTS; then the delivery is marked failed.
IGN_DELIVERY_RETRY_SECONDS = env.int("IGN_DELIVERY_RETRY_SECONDS", default=60)
IGN_DELIVERY_MAX_ATTEMPTS = env.int("IGN_DELIVERY_MAX_ATTEMPTS", default=10)
# E-mail backends other than SMTP that really deliver (e.g. an e-mail service's API backend,
# by dotted path): the worker sends letters through SMTP and these only.
IGN_DELIVERING_MAIL_BACKENDS = env.list("IGN_DELIVERING_MAIL_BACKENDS", default=[])
# Subscriptions (docs/subscriptions.md): how long a confirmation link works, and how many
# confirmation messages one client may have sent per hour (one per address per hour, always).
IGN_SUBSCRIPTION_CONFIRM_HOURS = env.int("IGN_SUBSCRIPTION_CONFIRM_HOURS", default=48)
IGN_SUBSCRIPTIONS_PER_CLIENT_HOUR = env.int("IGN_SUBSCRIPTIONS_PER_CLIENT_HOUR", default=10)

# --- Health endpoints -----------------------------------------------------
# /healthz and /readyz (portal/health.py) answer probes on plain HTTP: the proxy or the
# supervisor asks the app server directly, without X-Forwarded-Proto.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# --- Staff sign-in: django-allauth with two factors -------------------------
# The admin's own login page redirects to allauth's (ign_portal/urls.py), so every sign-in
# goes through allauth: its rate limits, its second-factor stage, its password reset.
# humanize: the security keys page of allauth.mfa uses its filters.
INSTALLED_APPS += ["allauth", "allauth.account", "allauth.mfa", "django.contrib.humanize"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "allauth.account.middleware.AccountMiddleware")
# After the messages middleware: it tells the user why they were sent to add a second factor.
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
                  "common.signin.SecondFactorMiddleware")
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "admin:index"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
# No sign-up but a mission focal point's, with a valid invitation; lockout per account+address.
ACCOUNT_ADAPTER = "correspondence.mission.signup.FocalPointAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"  # staff accounts are made by a superuser, not signed up
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False  # a reset password still asks for the second factor
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[IGN Portal] "
# A failed sign-in counts against the account *from that address* (see
# common.signin.StaffAccountAdapter): IGN_SIGNIN_FAILURES failures lock that pair for
# IGN_SIGNIN_LOCKOUT_SECONDS; one address may fail 20 times a minute over all accounts.
# The counts live in the shared cache (Redis in production), so every process sees them.
IGN_SIGNIN_FAILURES = env.int("IGN_SIGNIN_FAILURES", default=5)
IGN_SIGNIN_LOCKOUT_SECONDS = env.int("IGN_SIGNIN_LOCKOUT_SECONDS", default=15 * 60)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"20/m/ip,{IGN_SIGNIN_FAILURES}/{IGN_SIGNIN_LOCKOUT_SECONDS}s/key",
}
# The proxies in front of the app servers that set X-Forwarded-For (1 behind one nginx):
# the client's address, not the proxy's, is half of the lockout's key.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("IGN_TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False  # a security key is a second factor, never the only one
MFA_TOTP_ISSUER = "IGN Portal"
MFA_TOTP_TOLERANCE = 1  # the code of the 30 s before or after too: a phone's clock drifts
MFA_ALLOW_UNVERIFIED_EMAIL = True  # no sign-up, so no unverified stranger's address to fear
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # make run serves plain http on loopback
# Members of these groups, and superusers, cannot open the admin without a second factor.
IGN_SECOND_FACTOR_GROUPS = ["Secretariat publishers"]
# ... and so does anyone given one of these permissions otherwise (issuing and distributing
# ask for a second factor whoever holds them: they are sent to add one, not left guessing).
IGN_SECOND_FACTOR_PERMISSIONS = ["correspondence.issue_letter", "correspondence.distribute_letter",
                                 "correspondence.publish_notice"]
# Mission focal points (correspondence.mission): an invitation's link works once, for this
# many hours; a focal point may ask for one message again once per interval, and for so
# many messages per mission a day.
IGN_FOCAL_INVITATION_HOURS = env.int("IGN_FOCAL_INVITATION_HOURS", default=72)
IGN_FOCAL_RESEND_INTERVAL_MINUTES = env.int("IGN_FOCAL_RESEND_INTERVAL_MINUTES", default=60)
IGN_FOCAL_RESENDS_PER_DAY = env.int("IGN_FOCAL_RESENDS_PER_DAY", default=20)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A working day of inactivity ends a session (each request pushes its expiry on), and so
# does closing the browser.
SESSION_COOKIE_AGE = env.int("IGN_SESSION_IDLE_SECONDS", default=9 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
ACCOUNT_SESSION_REMEMBER = False  # no "Remember me" that would outlive the browser
