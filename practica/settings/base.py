"""Settings shared by every environment. Secrets and hosts come from PRACTICA_* variables."""

from __future__ import annotations

from pathlib import Path

from django.utils.csp import CSP

from practica.settings import environment

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environment.text("PRACTICA_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = False
ALLOWED_HOSTS = environment.listing("PRACTICA_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = environment.listing("PRACTICA_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "practica.core.admin_apps.PracticaAdminConfig",  # django.contrib.admin with its own site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "practica.core.worker",  # before django_tasks_db: its db_worker command wins (heartbeat)
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Practica's apps in their layer order (docs/0016-app-order.md): each may import only
    # those above it in this list.
    "practica.core",
    "practica.accounts",
    "practica.imports",
    "practica.reports",
    "practica.questionnaires",
    "practica.organisations",
    "practica.educators",
    "practica.learning",
    "practica.placements",
    "practica.teaching",
    "practica.timeaudit",
    "practica.onboarding",
    "practica.api",
    "practica.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "practica.core.middleware.RejectNulMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "practica.accounts.middleware.MembershipMiddleware",
    "practica.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "practica.urls"
WSGI_APPLICATION = "practica.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "practica" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "practica.accounts.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "practica.core.forms.GovUKFormRenderer"

DATABASES = {"default": environment.database(VAR_DIR / "practica.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Login throttling by user and address together, so one attacker cannot lock others out.
AXES_FAILURE_LIMIT = environment.integer("PRACTICA_AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Two-factor authentication (docs/0012-mfa.md): an authenticator app's 6-digit code (TOTP) or
# a single-use recovery code after the password. Required of the roles in
# permissions.MFA_REQUIRED_ROLES (and of superusers) while this is on; anyone who has set it up
# is always asked, whatever this says. django-otp slows down repeated wrong codes.
PRACTICA_MFA_REQUIRED = environment.flag("PRACTICA_MFA_REQUIRED", default=True)
OTP_TOTP_ISSUER = "Practica"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret key
PRACTICA_RECOVERY_CODES = 10

# One cache, in the database: every worker process and server shares it with no other service
# to run; the table is made by `practica migrate`. Rate limits (sign-in, password reset, token
# links and the API's throttles) count in their own table instead, with atomic increments
# (practica.core.rate_limits, practica.api.throttling; docs/0011-pe-self-service-and-panels.md).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "practica_cache",
    }
}
# Token links (line manager's support, invitations): wrong tokens per 10 minutes, per token
# prefix and client address (one person's mistyped link), and per client address (scanning).
TOKEN_LINK_ATTEMPTS = environment.integer("PRACTICA_TOKEN_LINK_ATTEMPTS", default=20)
TOKEN_LINK_ATTEMPTS_PER_ADDRESS = environment.integer(
    "PRACTICA_TOKEN_LINK_ATTEMPTS_PER_ADDRESS", default=100
)
TOKEN_LINK_WINDOW_MINUTES = 10
# Password reset: requests per hour for one e-mail address, and from one client address.
PASSWORD_RESETS_PER_EMAIL = environment.integer("PRACTICA_PASSWORD_RESETS_PER_EMAIL", default=3)
PASSWORD_RESETS_PER_CLIENT = environment.integer("PRACTICA_PASSWORD_RESETS_PER_CLIENT", default=20)
PASSWORD_RESET_WINDOW_MINUTES = 60
# Sign-in: failed sign-ins from one client address, whatever the user names, per 15 minutes
# (django-axes separately locks one user name from one address after AXES_FAILURE_LIMIT).
# High enough for an office behind one address; low enough to slow guesses spread over
# many accounts.
SIGN_IN_FAILURES_PER_CLIENT = environment.integer(
    "PRACTICA_SIGN_IN_FAILURES_PER_CLIENT", default=50
)
SIGN_IN_WINDOW_MINUTES = 15

# Sessions: idle expiry of two hours (refreshed on each request), absolute expiry in middleware.
SESSION_COOKIE_AGE = 60 * 60 * 2
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PRACTICA_SESSION_ABSOLUTE_SECONDS = 60 * 60 * 12

# Background work: Django's task framework with the database-backed worker (`practica db_worker`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The worker records that it is alive this often; /healthz fails after three beats unheard.
PRACTICA_WORKER_HEARTBEAT_SECONDS = 30

# A practitioner's hours for a session unless it says otherwise (the case study's figures):
# a teaching session, half a day and a full day of admissions interviews.
PRACTICA_TEACHING_HOURS: dict[str, int | float] = {
    "teaching": 2,
    "interview_half": 4,
    "interview_full": 6,
}

# How many years personal data is kept before it is anonymised (organisations/retention.py):
# a student's, after their course ends; an application to train as a practice educator that
# was not accepted, after the decision. `practica retention --plan` says what falls due.
RETENTION_YEARS = {
    "students": environment.integer("PRACTICA_RETENTION_STUDENT_YEARS", default=6),
    "applications-not-accepted": environment.integer(
        "PRACTICA_RETENTION_APPLICATION_NOT_ACCEPTED_YEARS", default=1
    ),
}

# The address people open Practica at (https://practica.example.org), for links in e-mails that
# the command line sends (invitations from `practica setup` and `practica import`).
PRACTICA_BASE_URL = environment.text("PRACTICA_BASE_URL", default="").rstrip("/")

# Imports: files beyond these limits are refused before they are parsed.
IMPORT_MAX_BYTES = environment.integer("PRACTICA_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_ROWS = environment.integer("PRACTICA_IMPORT_MAX_ROWS", default=20_000)
IMPORT_MAX_UNPACKED_BYTES = environment.integer(
    "PRACTICA_IMPORT_MAX_UNPACKED_BYTES", default=50 * 1024 * 1024
)
IMPORT_MAX_ZIP_ENTRIES = 200
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024

# REST API (docs/0008-api.md): token or session, signed in by default, JSON only, one error shape.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "practica.api.authentication.HashedTokenAuthentication",  # first: 401 names the scheme
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "practica.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "practica.api.schema.AutoSchema",
    "DEFAULT_METADATA_CLASS": None,  # OPTIONS answers like any other unsupported method
    "EXCEPTION_HANDLER": "practica.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Generous: a script paging through a national data set stays well below them.
    "DEFAULT_THROTTLE_CLASSES": [
        "practica.api.throttling.AnonThrottle",
        "practica.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "1200/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Practica API",
    "DESCRIPTION": "Organisations, teams, locations, people and reports of a social work "
    "teaching partnership, scoped exactly as the pages are.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our own static files: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A JavaScript object (drf-spectacular passes a string through), for WCAG 2.2 AA: no deep
    # links (nested inside Swagger UI's summary buttons), no syntax colours (too pale), and no
    # info block (its h1 would repeat the page's own heading).
    "SWAGGER_UI_SETTINGS": "{deepLinking: false, syntaxHighlight: false, plugins: [() => ({wrapComponents: {info: () => () => null}})]}",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "practica.api.schema.add_error_responses",
    ],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "practica" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# E-mail through Django 6.1 mailers; SMTP settings from the environment.
MAILERS = {
    "default": {
        "BACKEND": environment.text(
            "PRACTICA_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
        ),
        "OPTIONS": {
            "host": environment.text("PRACTICA_EMAIL_HOST", default="localhost"),
            "port": environment.integer("PRACTICA_EMAIL_PORT", default=25),
            "username": environment.text("PRACTICA_EMAIL_HOST_USER", default=""),
            "password": environment.text("PRACTICA_EMAIL_HOST_PASSWORD", default=""),
            "use_tls": environment.flag("PRACTICA_EMAIL_USE_TLS", default=False),
        },
    }
}
DEFAULT_FROM_EMAIL = environment.text(
    "PRACTICA_DEFAULT_FROM_EMAIL", default="Practica <practica@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Content Security Policy: no inline script or style anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": environment.text("PRACTICA_LOG_LEVEL", default="INFO"),
    },
    "loggers": {"axes": {"level": "WARNING"}},
}

# During placements (docs/0029-during-placement.md): the programme's practice days, of which at
# most so many are skills days; the fewest direct observations of a first (70-day) and a final
# (100-day) placement; the checks a placement needs before it is confirmed; how many days
# before a check expires its reminder goes out (`practica placement-reminders`, run daily).
# An installation changes them in its settings module.
PRACTICA_PRACTICE_DAYS = 200
PRACTICA_SKILLS_DAYS_MAX = 30
PRACTICA_MIN_OBSERVATIONS = {"first_70": 2, "final_100": 3}
PRACTICA_REQUIRED_CHECKS = ["dbs", "health", "agreement"]
PRACTICA_CHECK_REMINDER_DAYS = 30
