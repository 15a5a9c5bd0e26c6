"""Django settings. Everything a user can change comes from the environment
(or an optional .env file) through plexomatic_site.environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

from plexomatic_site.environment import (
    MAX_WEB_PROCESSES,
    data_dir_prepare,
    database_config,
    env_bool,
    env_choice,
    env_hosts,
    env_int,
    env_port,
    env_time_zone,
    env_worker_host,
    owner_only_folder,
    secret_key_load,
)

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DATA_DIR = data_dir_prepare(Path(env.str("PLEXOMATIC_DATA_DIR", default=str(BASE_DIR / "data"))))
SECRET_KEY = secret_key_load(env, DATA_DIR)
# Backups live in the data folder unless the user points them elsewhere (another
# disk); a configured folder must already exist, the default one is created.
PLEXOMATIC_BACKUP_DIR = Path(
    env.str("PLEXOMATIC_BACKUP_DIR", default=str(DATA_DIR / "backups"))
).expanduser()
if "PLEXOMATIC_BACKUP_DIR" not in env:
    owner_only_folder(PLEXOMATIC_BACKUP_DIR)
# A backup uploaded to restore from may be at most this big.
PLEXOMATIC_BACKUP_UPLOAD_MAX_BYTES = 4 * 1024**3
# Uploads are buffered on disk while they arrive: in the data folder, not the
# system's /tmp, which is memory (tmpfs) on many systems and too small for one.
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "tmp"
owner_only_folder(FILE_UPLOAD_TEMP_DIR)
DEBUG = env_bool(env, "DEBUG", default=False)

PLEXOMATIC_HOST = env.str("PLEXOMATIC_HOST", default="127.0.0.1")
PLEXOMATIC_PORT = env_port(env, "PLEXOMATIC_PORT", default=8000)
# Processes serving the site (plexomatic_site.web_processes): one Python
# process renders one page at a time, so two share the load on two cores.
PLEXOMATIC_WEB_PROCESSES = env_int(
    env,
    "PLEXOMATIC_WEB_PROCESSES",
    default=min(2, os.cpu_count() or 1),
    minimum=1,
    maximum=MAX_WEB_PROCESSES,
)
ALLOWED_HOSTS = env_hosts(
    env, "ALLOWED_HOSTS", default=sorted({"127.0.0.1", "localhost", "[::1]", PLEXOMATIC_HOST})
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "library",
    "inbox",
    "backups",
    "notify",
    # After the apps above: its settings (job history) come last on the Settings page.
    "plexomatic_site",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "plexomatic_site.middleware.PrivateResponsesMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "plexomatic_site.errors.UserErrorMiddleware",
    # Last: turns a locked-out login into the login page saying how long to wait.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "plexomatic_site.urls"
WSGI_APPLICATION = "plexomatic_site.wsgi.application"

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
                "plexomatic_site.context_processors.app_version",
            ],
        },
    },
]

DATABASES = {"default": database_config(env, DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Any queue name: a job waits in the queue of the worker host that must run it
# (plexomatic_site.jobs.host_queue), or in "default" for any worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
# This machine's name among the workers sharing one database (see README, "Several workers").
PLEXOMATIC_WORKER_HOST = env_worker_host(env, "PLEXOMATIC_WORKER_HOST")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes), on the site's login and the admin's: after
# PLEXOMATIC_LOGIN_FAILURE_LIMIT failures for one username, or from one address,
# that username or address is refused until PLEXOMATIC_LOGIN_LOCKOUT_MINUTES
# have passed since its last failure. The first backend refuses a locked-out
# client before the password is hashed at all.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int(
    env, "PLEXOMATIC_LOGIN_FAILURE_LIMIT", default=10, minimum=1, maximum=1000
)
AXES_COOLOFF_TIME = timedelta(
    minutes=env_int(env, "PLEXOMATIC_LOGIN_LOCKOUT_MINUTES", default=15, minimum=1, maximum=10080)
)
# Each on its own: one username from anywhere, or one address whatever the username.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "plexomatic_site.pages.views.login_locked_out"
# The address is REMOTE_ADDR (never a header the client can forge); behind a
# reverse proxy that is the proxy's, so the per-username lockout does the work.
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "overview"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_time_zone(env, "TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Production hardening. HTTPS is usually terminated by a reverse proxy in front
# of Plex-o-matic; turn these on there (see README, "Running behind HTTPS").
SECURE_SSL_REDIRECT = env_bool(env, "SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env_bool(env, "SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env_bool(env, "CSRF_COOKIE_SECURE", default=False)
SECURE_HSTS_SECONDS = env_int(env, "SECURE_HSTS_SECONDS", default=0, minimum=0, maximum=10**9)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool(env, "SECURE_HSTS_PRELOAD", default=False)
if env_bool(env, "USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Only our own files: no inline script or style anywhere (templates load
# static/js and static/css), no plugins, no framing, forms post to us only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The site needs no device or sensor: every feature off.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
}

# Tracebacks of unexpected errors: the user reads one sentence naming this file.
LOG_FILE = DATA_DIR / "plexomatic.log"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "file": {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": LOG_FILE,
            "maxBytes": 5 * 1024**2,
            "backupCount": 3,
            "delay": True,
        },
    },
    "root": {
        "handlers": ["console"],
        "level": env_choice(
            env, "LOG_LEVEL", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"]
        ),
    },
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Not on the console: a command's stderr stays one readable sentence.
        "plexomatic.unexpected": {"handlers": ["file"], "propagate": False},
        # A page's unexpected error: in the log file too, beside serve's console.
        "django.request": {"handlers": ["file"]},
    },
}
