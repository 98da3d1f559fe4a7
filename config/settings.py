"""Settings, all from the environment (documented in README.md)."""

from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, REDIS_URL, VAR_DIR, env_bool, env_int, env_list, env_rate, env_str
from config.storage import local_storages, public_origin, s3_storages
from core.timezones import VILLAGE_TIME_ZONE

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG=false) needs a real secret key; "
            "for local development set DEBUG=true."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-true"
elif not DEBUG and (len(SECRET_KEY) < 32 or SECRET_KEY.startswith("insecure")):
    raise ImproperlyConfigured("SECRET_KEY is too weak for production: use 32+ random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "modeltranslation",  # before admin, so translated fields show in it
    "villages.admin_site.VillageAdminConfig",  # django.contrib.admin, its "view on site" scoped to the user's villages
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # its sitemap.xml template; no models, and no sites framework (villages/sitemaps.py)
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",  # checks of the production settings, the personal-data commands and the daily purge
    "csp",  # Content-Security-Policy
    "axes",  # admin sign-in lockout
    "django_otp",  # two-factor sign-in for staff (core.two_factor)
    "django_otp.plugins.otp_totp",
    "django_ratelimit",  # its system checks of the cache the rate limits count in
    "villages",
    "bookings",
    "residency",
    "live",
    "outbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages and API answers (static files come compressed from whitenoise); with Django's random padding
    # against BREACH, as pages carry a CSRF token.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # answers a locked-out sign-in with its page; last, as axes asks
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "villages.context_processors.site",
                "core.page_cache.per_visitor_values",
            ],
        },
    },
]

# --- Database: PostgreSQL in production and CI, an SQLite file under var/ by default.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Wait for a writer instead of failing at once when the web process and the worker meet.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Axes first: it refuses a locked-out username and address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages and time: Chinese first, English second; stored UTC, shown in Shanghai.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = VILLAGE_TIME_ZONE
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "zh-hans"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("zh-hans",)

# --- Static and uploaded files. whitenoise serves static files itself, so gunicorn alone is a deployment.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# django-leaflet ships Leaflet (JS, CSS, marker images) as static files under leaflet/, served and collected from the
# installed package. Its app is not in INSTALLED_APPS: the admin autodiscovers leaflet.admin, which imports GeoDjango's
# form widgets and so needs the GDAL system library (django-leaflet issue 336) for an admin widget we do not use.
LEAFLET_STATIC_DIR = Path(find_spec("leaflet").origin).parent / "static"
STATICFILES_DIRS = [BASE_DIR / "static", LEAFLET_STATIC_DIR]
# Uploads (config/storage.py): folders on this machine by default; MEDIA_STORAGE=s3 puts them in an S3-compatible
# object store that every machine shares: public pictures in one bucket and prefix with public URLs, applicants' CVs
# in a private one, never given a URL (residency.storage, the admin's download view).
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "local").strip().lower()
if MEDIA_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}")
MEDIA_URL = "/media/"
# Django serves local uploads itself only in development; in production the front proxy or object storage does.
SERVE_MEDIA = DEBUG and MEDIA_STORAGE == "local"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media"))).resolve()
# Applicants' CVs: never under MEDIA_ROOT, never served by URL (residency.storage, the admin's download view).
PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT", str(VAR_DIR / "private"))).resolve()
if PRIVATE_ROOT == MEDIA_ROOT or MEDIA_ROOT in PRIVATE_ROOT.parents:
    raise ImproperlyConfigured("PRIVATE_ROOT must not be inside MEDIA_ROOT: its files would be public.")
CV_MAX_BYTES = 5 * 1024 * 1024
if MEDIA_STORAGE == "s3":
    UPLOAD_STORAGES = s3_storages(
        endpoint_url=env_str("S3_ENDPOINT_URL").strip(),
        region=env_str("S3_REGION").strip(),
        access_key=env_str("S3_ACCESS_KEY_ID").strip(),
        secret_key=env_str("S3_SECRET_ACCESS_KEY").strip(),
        addressing_style=env_str("S3_ADDRESSING_STYLE").strip().lower(),
        media_bucket=env_str("S3_MEDIA_BUCKET").strip(),
        media_prefix=env_str("S3_MEDIA_PREFIX", "media"),
        private_bucket=env_str("S3_PRIVATE_BUCKET").strip(),
        private_prefix=env_str("S3_PRIVATE_PREFIX", "private"),
        custom_domain=env_str("S3_CUSTOM_DOMAIN").strip(),
    )
    # Where the pictures' URLs point: the Content-Security-Policy lets pages show images from there.
    MEDIA_ORIGIN = public_origin(UPLOAD_STORAGES["default"]["OPTIONS"])
else:
    UPLOAD_STORAGES = local_storages()
    MEDIA_ORIGIN = None
STORAGES = {
    **UPLOAD_STORAGES,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded images: checked by content, capped in bytes and pixels, EXIF stripped, thumbnails for srcset.
IMAGE_MAX_BYTES = int(env_str("IMAGE_MAX_BYTES", str(10 * 1024 * 1024)))
IMAGE_MAX_PIXELS = int(env_str("IMAGE_MAX_PIXELS", str(40_000_000)))
IMAGE_THUMBNAIL_WIDTHS = (320, 640, 1280)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- HTTPS: on in production; switch off for a server behind a loopback proxy or for local work.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind a proxy, the client's address is the proxy's X-Forwarded-For (core.ratelimits.client_ip) and HTTPS is its
# X-Forwarded-Proto; never trusted otherwise, since anyone can send those headers.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# HSTS: a year, subdomains included, once HTTPS is on; SECURE_HSTS_SECONDS decides.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if SECURE_SSL_REDIRECT else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# A load balancer probes /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Email: files under var/mail/ for local work; SMTP in production via EMAIL_* variables.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "网红村 Villages <noreply@localhost>")
# For staging only: an email backend that sends nothing (files, console) passes the production checks.
ALLOW_FILE_EMAIL = env_bool("ALLOW_FILE_EMAIL", False)
# The public address of the site, for links in emails (the manage link of a booking). Required in production.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# --- Celery (config/celery_settings.py): Redis as the broker when REDIS_URL is set, otherwise kombu's filesystem
# transport under var/ (no server); the "emails" queue first; the beat's schedule and, with Redis, its lock.
# Also the workers' heartbeat and when /healthz calls them silent or the outbox late.
from config.celery_settings import *  # noqa: E402, F403 - Django reads settings from this module's names

# --- Personal data (README "Personal data"): the notice's version, recorded with every booking, waiting-list entry
# and application, and how long each kind is kept once it has served.
PRIVACY_VERSION = "2026-12-03.2"  # the waiting lists added
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL")
BOOKING_RETENTION_DAYS = env_int("BOOKING_RETENTION_DAYS", 365, minimum=1)
APPLICATION_RETENTION_DAYS = env_int("APPLICATION_RETENTION_DAYS", 180, minimum=1)
EMAIL_RETENTION_DAYS = env_int("EMAIL_RETENTION_DAYS", 90, minimum=1)

# --- Email delivery: at least once, at most this many attempts per email (a worker that died mid-send counts).
MAX_EMAIL_ATTEMPTS = env_int("MAX_EMAIL_ATTEMPTS", 5, minimum=1)

# --- The cache every process shares: rate-limit counters and the workers' heartbeat. Redis when REDIS_URL is set;
# otherwise files under var/cache/, which runserver and the worker of `make run` both see.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "villages",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Anonymous visitors' pages from that cache (core.page_cache, README "Page cache"): an edit or a new session shows
# at once; seats are exact on an experience's own page and at most PAGE_CACHE_SECONDS old on pages listing many.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 5, minimum=1)
PAGE_CACHE_EXACT_SECONDS = env_int("PAGE_CACHE_EXACT_SECONDS", 30, minimum=1)

# --- Limits against abuse. Per client address (core.ratelimits), counted in the shared cache; N/PERIOD, PERIOD s, m,
# h or d. Caps per person (email, phone) live in the booking service.
RATE_LIMITS_ON = env_bool("RATE_LIMITS", True)
RATE_LIMIT_BOOKINGS = env_rate("RATE_LIMIT_BOOKINGS", "10/h")
RATE_LIMIT_APPLICATIONS = env_rate("RATE_LIMIT_APPLICATIONS", "3/h")
RATE_LIMIT_LOOKUPS = env_rate("RATE_LIMIT_LOOKUPS", "60/m")
RATELIMIT_FAIL_OPEN = True  # a cache outage counts nothing and refuses nothing (core.ratelimits.exceeded)
# How long seats offered to a waiting-list entry are held for it (never past the session's booking cut-off).
WAITLIST_OFFER_MINUTES = env_int("WAITLIST_OFFER_MINUTES", 120, minimum=1)
MAX_ACTIVE_BOOKINGS_PER_CONTACT = env_int("MAX_ACTIVE_BOOKINGS_PER_CONTACT", 5, minimum=1)
SILENCED_SYSTEM_CHECKS = [
    # django-ratelimit names only django-redis among Redis caches; Django's own RedisCache increments atomically too.
    "django_ratelimit.W001",
]
if not REDIS_URL:
    # The file cache of `make run` counts without atomic increments: near enough on one laptop, never production's.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# Staff sessions (the only sessions: visitors never sign in) end after ADMIN_SESSION_HOURS without a request.
ADMIN_SESSION_HOURS = env_int("ADMIN_SESSION_HOURS", 8, minimum=1)
SESSION_COOKIE_AGE = ADMIN_SESSION_HOURS * 3600
SESSION_SAVE_EVERY_REQUEST = True
# Two-factor sign-in for staff (core.two_factor): off, optional (whoever enrolled must use it) or required.
ADMIN_2FA = env_str("ADMIN_2FA", "optional").strip().lower()
if ADMIN_2FA not in {"off", "optional", "required"}:
    raise ImproperlyConfigured(f"ADMIN_2FA must be off, optional or required, not {ADMIN_2FA!r}")
OTP_TOTP_ISSUER = "Village Trails"

# Admin sign-in (django-axes): after AXES_FAILURE_LIMIT failures for one username from one address, that pair is
# refused, the right password too, for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.ratelimits.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.signin.locked_out"
AXES_VERBOSE = False  # lockouts are still logged (a warning each), without the start-up banner
AXES_DISABLE_ACCESS_LOG = True  # failures are kept (they are the lock); successful sign-ins are not recorded

# --- API
REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    # The API is anonymous: no request is authenticated, so no answer depends on a password (no Basic auth oracle).
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_RATES": {},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shanghai villages API",
    "DESCRIPTION": _("Villages, experiences and sessions of Shanghai's internet-famous villages."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Maps: django-leaflet's setting, read by villages/maps.py for static/js/maps.js. The tiles are the only thing a map
# fetches from elsewhere; MAP_TILES_URL="" switches them off and the maps show their markers on a plain background.
MAP_TILES_URL = env_str("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png").strip()
MAP_TILES_ATTRIBUTION = env_str(
    "MAP_TILES_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
LEAFLET_CONFIG = {
    "TILES": (
        [
            (
                "tiles",  # a layer's name, shown only by a layer switcher, which one layer does not get
                MAP_TILES_URL,
                # OpenStreetMap's tile servers refuse requests without a Referer; the site's policy is same-origin.
                {"attribution": MAP_TILES_ATTRIBUTION, "referrerPolicy": "strict-origin"},
            )
        ]
        if MAP_TILES_URL
        else []
    ),
    "DEFAULT_ZOOM": 12,  # a village's own map
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 18,
    "SCALE": "metric",
    "RESET_VIEW": False,
}

# --- Content-Security-Policy (django-csp): scripts and styles of our own only, no inline ones; images from here,
# data: URLs and the map tiles' host. CSP_REPORT_ONLY=true reports violations without blocking (to try a change).
TILE_HOST = "{0.scheme}://{0.netloc}".format(urlsplit(MAP_TILES_URL)) if MAP_TILES_URL else None
_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([TILE_HOST] if TILE_HOST else []), *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _POLICY
else:
    CONTENT_SECURITY_POLICY = _POLICY
# Browser features the site never uses, denied to every page and anything it might embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=()"
)

# Shown in the footer of a demo installation: prices and schedules in seed_demo are examples.
DEMO_NOTICE = env_bool("DEMO_NOTICE", DEBUG)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
