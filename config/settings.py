"""Kefu settings. Everything that differs between machines comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KEFU_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    return default if raw is None else raw.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("KEFU_DEBUG", False)
SECRET_KEY = os.environ.get(
    "KEFU_SECRET_KEY", "kefu-dev-only-secret-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = [
    h for h in os.environ.get("KEFU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [f"http://{h}:8000" for h in ALLOWED_HOSTS]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "huey.contrib.djhuey",
    "kefu.core",
    "kefu.policy",
    "kefu.staff",
    "kefu.notify",
    "kefu.knowledge",
    "kefu.meetings",
    "kefu.performance",
    "kefu.payroll",
    "kefu.orders",
    "kefu.conversations",
    "kefu.aftersales",
    "kefu.reviews",
    "kefu.complaints",
    "kefu.weekly",
    "kefu.buyers",
    "kefu.quality",
    "kefu.rota",
    "kefu.attendance",
    "kefu.worklog",
    "kefu.web",
    "kefu.api",
    "kefu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kefu.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kefu.web.context.navigation",
            ],
        },
    }
]

# Database: SQLite (WAL) embedded by default, PostgreSQL when KEFU_DATABASE_URL says so.
DATABASE_URL = os.environ.get("KEFU_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'kefu.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except (ValueError, KeyError) as exc:  # an unknown scheme or a malformed URL
    raise ImproperlyConfigured(f"KEFU_DATABASE_URL is not a database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed-login throttling: five failures lock the username from that address for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("KEFU_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kefu" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Jobs: Huey on SQLite beside the database by default, on Redis when KEFU_REDIS_URL is set.
REDIS_URL = os.environ.get("KEFU_REDIS_URL", "")
HUEY: dict[str, object]
if REDIS_URL:
    HUEY = {"huey_class": "huey.PriorityRedisHuey", "name": "kefu", "url": REDIS_URL, "utc": True}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "kefu",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "utc": True,
    }
HUEY["immediate"] = _env_bool("KEFU_HUEY_IMMEDIATE", False)
HUEY["consumer"] = {"workers": 2, "worker_type": "thread"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KEFU_LOG_LEVEL", "WARNING")},
    # Huey logs what the consumer does; one handler so each line prints once.
    "loggers": {"huey": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# The site's public address, used to turn site paths into full links in robot messages.
KEFU_SITE_URL = os.environ.get("KEFU_SITE_URL", "")

NINJA_PAGINATION_PER_PAGE = 50
