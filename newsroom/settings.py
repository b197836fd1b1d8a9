"""Newsroom settings: one file, everything deploy-specific read from the environment."""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    return int(os.environ.get(name, default))


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# The development default is only ever used with DEBUG on; production must set its own.
_DEVELOPMENT_KEY = "dev-only-insecure-key-change-me-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEVELOPMENT_KEY)
if not DEBUG and SECRET_KEY.strip() in {"", _DEVELOPMENT_KEY}:
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is not set (or is the development default). Set SECRET_KEY in the "
        "environment to a long random string, e.g. the output of: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A form on a cached page without JavaScript gets a page to send it again (core/caching.py).
CSRF_FAILURE_VIEW = "core.caching.csrf_failure"

INSTALLED_APPS = [
    "newsroom.adminsite.NewsroomAdminConfig",  # django.contrib.admin, the desk's apps first
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "sorl.thumbnail",  # photo renditions, made once on upload (articles/renditions.py)
    "simple_history",  # a version of a story on every save (articles/versions.py)
    "django_tasks_db",  # the queue of background tasks (photo renditions), run by `manage.py db_worker`
    # The project's apps, on one-way floors (docs/architecture.md): core, then articles and
    # accounts, then comments, then the demo content. The audit log sits just above core.
    "core",
    "audit",
    "articles",
    "accounts",
    "comments",
    "api",
    "pages",  # About, Contact, Privacy: editors' pages served where nothing else answers
    "demo",
    # django-ninja: the API's docs page is drawn from its templates and static files, not a CDN.
    "ninja",
    "corsheaders",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
]

MIDDLEWARE = [
    # First, so it sees every cookie the others set (core/caching.py).
    "core.caching.CacheHeadersMiddleware",
    # Odd methods and Host ports are refused before anything (the https redirect too) prints them.
    "core.middleware.refuse_odd_requests",
    # The content API may be read from any site's scripts (CORS_* below); the pages may not.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Entries written from signals (a deletion, a group change) name who asked, and from where.
    "audit.middleware.audit_request",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Versions of stories name who saved them, whatever code path saves (articles/versions.py).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Staff enrol a second factor before any admin page, when REQUIRE_STAFF_MFA is on.
    "accounts.signin.RequireStaffMFA",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as flatpages' fallback: an editor's page (pages.Page) answers where a view found nothing.
    "pages.middleware.PageFallbackMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

# Reader pages are Jinja2 templates in templates/ (core/jinja2.py: several times faster to draw
# than Django templates, docs/performance.md); the admin and django-allauth keep Django templates,
# found in the apps (accounts/templates/ frames allauth's pages in the site's own).
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "core.jinja2.environment",
            # Each app's template functions, floor by floor (docs/architecture.md).
            "helpers": ["articles.templating", "accounts.templating", "comments.templating"],
            "context_processors": [
                "django.template.context_processors.csp",
                "core.context_processors.site",
                "articles.context_processors.navigation",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while a comment or an edit is being written.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
if DEBUG:
    # runserver starts a thread per request: a kept connection would only pile up.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Full-text search. Only there: it loads psycopg, 5 MB more in every worker on SQLite.
    INSTALLED_APPS.insert(INSTALLED_APPS.index("django.contrib.sitemaps"), "django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Django serves uploads itself only in development; production puts nginx or a bucket there.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
# Production serves static files through WhiteNoise, compressed and with content hashes in their
# names so browsers may keep them for a year; development and tests need no collectstatic.
# Uploads go to this machine's disk (MediaStorage never leaves a half-written file), or with
# MEDIA_STORAGE=s3 to an S3-compatible bucket shared by every app server (docs/deploy.md).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem").strip().lower()
if MEDIA_STORAGE == "s3":
    from botocore.config import Config as _BotoConfig

    _media_backend = {
        # django-storages' S3Storage whose failures are OSErrors, like a disk's (core/bucket.py).
        "BACKEND": "core.bucket.BucketStorage",
        "OPTIONS": {
            # Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, read by boto3 itself.
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            "default_acl": None,  # the bucket's policy decides who reads
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
            # Names are random and never reused: browsers and CDNs may keep a picture for a year.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            # A store that is down or hangs must refuse an upload within seconds (a form error),
            # well inside gunicorn's timeout, not after boto3's 60 s reads and four retries.
            "client_config": _BotoConfig(
                s3={"addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None},
                connect_timeout=env_int("AWS_S3_CONNECT_TIMEOUT", 3),
                read_timeout=env_int("AWS_S3_READ_TIMEOUT", 10),
                retries={"mode": "standard", "total_max_attempts": env_int("AWS_S3_MAX_ATTEMPTS", 2)},
            ),
        },
    }
elif MEDIA_STORAGE in ("filesystem", ""):
    _media_backend = {"BACKEND": "core.storage.MediaStorage"}
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'filesystem' or 's3', not {MEDIA_STORAGE!r}.")
STORAGES = {
    "default": _media_backend,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if not DEBUG:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

# Uploads: refuse big files before Pillow decodes them, and images with too many pixels.
PHOTO_MAX_UPLOAD_BYTES = env_int("PHOTO_MAX_UPLOAD_BYTES", 15 * 1024 * 1024)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000)
# Bigger uploads are stored scaled down (core/images.py): the widest rendition is 1600 pixels.
PHOTO_MAX_STORED_SIDE = env_int("PHOTO_MAX_STORED_SIDE", 4000)
# Readers' avatars (a 256-pixel square) are refused over this many pixels, before decoding.
AVATAR_MAX_PIXELS = env_int("AVATAR_MAX_PIXELS", 16_000_000)
# Profile saves (display name, avatar) per reader.
PROFILE_RATE_LIMIT = os.environ.get("PROFILE_RATE_LIMIT", "10/3600")
# Renditions of story photos (articles/renditions.py) go to the media storage under this folder.
THUMBNAIL_PREFIX = "renditions/"
# sorl's Pillow engine, decoding JPEGs at reduced size (articles/renditions.py).
THUMBNAIL_ENGINE = "articles.renditions.Engine"
# Background tasks (django.tasks): a photo's renditions are made by a worker, not in the upload's
# request. Django ships no backend that runs them elsewhere; django-tasks-db keeps the queue in this
# database (one table, no broker to run), enqueued in the photo's own transaction, and runs it with
# `manage.py db_worker` (`make run` and `make serve` start one). TASKS_BACKEND=immediate runs each
# task at once, inside the request (the tests do; a site without a worker could).
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = os.environ.get("TASKS_BACKEND", "database")
if _tasks_backend not in TASKS_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database or immediate, not {_tasks_backend!r}.")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[_tasks_backend]}}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")
# A deployment may show short links on a separate short domain, e.g. https://nwsr.mm
SHORT_URL_BASE = os.environ.get("SHORT_URL_BASE", "").rstrip("/")
# The site's address for links in emails sent by the worker, outside any request (reply
# notifications), e.g. https://news.example.com. Empty: the address the reader was on when they
# asked for the emails (their request's scheme and host, checked against ALLOWED_HOSTS).
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if SITE_URL and not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}.")
ARTICLES_PER_PAGE = 20
# The content API (api/, docs/api.md) is public and read-only: any origin may read it from a
# browser, without cookies. django-cors-headers answers only under /api/.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "if-none-match")
CORS_EXPOSE_HEADERS = ("ETag",)
# A change to a public story's words or photo within this many minutes of its publication is a first
# fix, not an update: the story is not marked "Updated" for it (articles.Article.update_time).
UPDATED_GRACE_MINUTES = env_int("UPDATED_GRACE_MINUTES", "10")
# Lead slots editors may pin on the front page (articles.FrontPageSlot): slot 1 is the top story,
# the others the cards beside it.
FRONT_PAGE_SLOTS = env_int("FRONT_PAGE_SLOTS", 3)
# "Most read" (articles/mostread.py): views counted over the last MOST_READ_HOURS hours, at most
# MOST_READ_RATE_LIMIT counted views per reader address (count/seconds); more are not counted.
MOST_READ_HOURS = env_int("MOST_READ_HOURS", 24)
MOST_READ_RATE_LIMIT = os.environ.get("MOST_READ_RATE_LIMIT", "30/60")

# Readers and staff sign in through django-allauth (the admin's login page sends there).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Readers sign in by email; staff accounts made in the admin may have only a username.
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_FORMS = {"login": "accounts.signin.LoginForm"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
# "mandatory": a new account can comment once its address is confirmed; "optional" or "none" relax it.
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming in the browser that signed up signs the reader in and takes them back where they were
# (the story's comment form, `next`), not to their profile.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_USER_DISPLAY = "accounts.models.display_name"  # emails name the reader, not their login name
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
# Two-factor sign-in (allauth.mfa): an authenticator app with recovery codes, and security keys or
# passkeys where the browser has them. Anyone may enrol at /accounts/2fa/; staff must when
# REQUIRE_STAFF_MFA is on (by default whenever DEBUG is off).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False  # a key is a second factor after the password, not instead of it
MFA_TOTP_ISSUER = SITE_NAME
# Browsers allow WebAuthn on http://localhost only; production is HTTPS.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
REQUIRE_STAFF_MFA = env_bool("REQUIRE_STAFF_MFA", not DEBUG)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_PROVIDERS = {}
# Sign-in with Facebook switches on when both variables are set (see docs/accounts.md).
if os.environ.get("FACEBOOK_CLIENT_ID") and os.environ.get("FACEBOOK_SECRET"):
    INSTALLED_APPS.append("allauth.socialaccount.providers.facebook")
    SOCIALACCOUNT_PROVIDERS["facebook"] = {
        "APPS": [{"client_id": os.environ["FACEBOOK_CLIENT_ID"], "secret": os.environ["FACEBOOK_SECRET"]}],
        "METHOD": "oauth2",
        "SCOPE": ["email", "public_profile"],
        "FIELDS": ["id", "email", "name", "first_name", "last_name"],
        "VERIFIED_EMAIL": False,
    }

# Comments (see comments/services.py). Rate limits are "count/seconds", kept in Django's cache.
COMMENTS_PREMODERATION = env_bool("COMMENTS_PREMODERATION", False)
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", "14")  # 0: never
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", "2")
COMMENTS_REPORT_THRESHOLD = env_int("COMMENTS_REPORT_THRESHOLD", "3")
COMMENTS_RATE_LIMIT = os.environ.get("COMMENTS_RATE_LIMIT", "5/60")
COMMENTS_REPORT_RATE_LIMIT = os.environ.get("COMMENTS_REPORT_RATE_LIMIT", "20/600")
# Readers behind one address (a family, an office) counted apart for one comment, at most this many.
COMMENTS_REPORTS_PER_ADDRESS = env_int("COMMENTS_REPORTS_PER_ADDRESS", "2")
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", "50")
COMMENTS_MAX_LENGTH = 3000
COMMENTS_NAME_MAX_LENGTH = 50
COMMENTS_MIN_SECONDS = env_int("COMMENTS_MIN_SECONDS", "3")
COMMENTS_MAX_AGE_SECONDS = env_int("COMMENTS_MAX_AGE_SECONDS", "7200")
COMMENTS_DUPLICATE_WINDOW_SECONDS = 600
COMMENTS_POLL_SECONDS = env_int("COMMENTS_POLL_SECONDS", "30")
COMMENTS_EDIT_MINUTES = env_int("COMMENTS_EDIT_MINUTES", "10")  # an account may edit its comment this long
COMMENTS_PICKS = 3  # editors' picks shown above all comments
# Reply notifications (comments/notifications.py): at most one email per conversation per reader
# this often, and one confirmation email per conversation and guest address.
COMMENTS_REPLY_EMAIL_MINUTES = env_int("COMMENTS_REPLY_EMAIL_MINUTES", "15")
# Bare domains in comments ("example.com") link to https://, as Django will do by default.
URLIZE_ASSUME_HTTPS = True
# Behind proxies that append to X-Forwarded-For, how many are ours (0: use REMOTE_ADDR). It
# decides every client address (core/http.py client_ip): comment limits and bans, the sign-in
# throttle, the audit log and allauth's own limits (accounts.adapters.AccountAdapter asks
# client_ip; allauth's settings agree in case any of its code reads them directly). No header is
# trusted by name: nginx overwrites none of them (deploy/nginx.conf appends to X-Forwarded-For).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", "0")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None

# Mail (sign-up confirmations, password resets): the console in development, SMTP in production.
_email_backend = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": {}}}
if _email_backend.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", "587"),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "timeout": 10,
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Caches: Redis when REDIS_URL is set (shared by every web worker and server), else per-process
# memory. Short timeouts and ResilientRedisCache keep a dead Redis from hanging or breaking pages.
_redis_url = os.environ.get("REDIS_URL")
# Read by code that talks to Redis itself (the "Most read" counters, articles/mostread.py).
REDIS_URL = _redis_url or ""
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": _redis_url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry_on_timeout": False},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _shared_cache(folder):
    """A cache every web worker sees: Redis when there is one, one process in development, else
    files on this machine in production (gunicorn runs several processes)."""
    if _redis_url or DEBUG:
        return CACHES["default"]
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": Path(tempfile.gettempdir()) / folder,
    }


CACHES["login_throttle"] = _shared_cache("newsroom-login-throttle")

# Live comments (docs/comments.md): a comment becoming visible is published on Redis (pub/sub, this
# channel) and sent to every open page of its story as a server-sent event by the ASGI server
# (uvicorn serving newsroom.asgi, behind nginx). Off without Redis: pages then poll every
# COMMENTS_POLL_SECONDS, as they also do whenever the stream cannot be reached.
COMMENTS_STREAM_REDIS_URL = os.environ.get("COMMENTS_STREAM_REDIS_URL") or _redis_url or ""
COMMENTS_STREAM = env_bool("COMMENTS_STREAM", True) and bool(COMMENTS_STREAM_REDIS_URL)
COMMENTS_STREAM_CHANNEL = os.environ.get("COMMENTS_STREAM_CHANNEL", "newsroom:comments")
# A comment line this often keeps idle streams open through proxies and finds closed connections.
COMMENTS_STREAM_HEARTBEAT_SECONDS = env_int("COMMENTS_STREAM_HEARTBEAT_SECONDS", "15")
# Sessions live in the database and are read through the cache: they survive a Redis restart.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Anonymous reader pages may be kept this long by nginx and browsers (core/caching.py): the only
# copy of a page kept anywhere. A new comment or an edit reaches every reader within it plus nginx's
# refresh (under 5 s in all).
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", "3")
# While the database cannot be reached every page answers 503 with this Retry-After (seconds), and
# nginx hands out the stale copies it holds instead (core/views.py, docs/deploy.md).
DATABASE_RETRY_AFTER = env_int("DATABASE_RETRY_AFTER", "10")

# Security. Production (DEBUG off) runs behind a proxy that terminates HTTPS and sets
# X-Forwarded-Proto (deploy/nginx.conf); development stays on plain http://127.0.0.1.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else 365 * 24 * 3600
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# On by default in production because `check --deploy` warns without it; SECURE_HSTS_PRELOAD=false
# leaves it out for a domain that is not ready for the browsers' preload list.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: forms carry the token, scripts take it from the page.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"


# Content Security Policy, enforced everywhere (tests and development included) so a violation
# shows up before production. Inline <script> and <style> need {% csp_nonce_attr %}; style="..."
# attributes are blocked: use a class and a stylesheet.
def _origin(url):
    """The scheme, host and port of an absolute URL: https://host:port."""
    return "/".join(url.split("/")[:3])


_media_origin = [_origin(MEDIA_URL)] if MEDIA_URL.startswith(("https://", "http://")) else []
if MEDIA_STORAGE == "s3":
    # Pictures come from the bucket (or its CDN domain): the policy must let the browser load them.
    _bucket_options = STORAGES["default"]["OPTIONS"]
    if _bucket_options["custom_domain"]:
        _media_origin.append(f"https://{_bucket_options['custom_domain']}")
    elif _bucket_options["endpoint_url"]:
        _media_origin.append(_origin(_bucket_options["endpoint_url"]))
    else:
        _media_origin.append(f"https://{_bucket_options['bucket_name']}.s3.amazonaws.com")
        if _bucket_options["region_name"]:
            _media_origin.append(
                f"https://{_bucket_options['bucket_name']}.s3.{_bucket_options['region_name']}.amazonaws.com"
            )
_social_login_hosts = ["https://www.facebook.com"] if "facebook" in SOCIALACCOUNT_PROVIDERS else []
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *_media_origin],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    # A form that posts to a social sign-in is redirected to the provider, which form-action governs.
    "form-action": [CSP.SELF, *_social_login_hosts],
    "frame-ancestors": [CSP.NONE],
    # Only where the site is HTTPS-only: a local `make serve` over http must keep its own URLs.
    "upgrade-insecure-requests": SECURE_SSL_REDIRECT,
}

# Sign-in throttle (core/security.py): after this many failed attempts for one username
# from one address (or ten times as many from one address), the login answers 429 for a while.
ADMIN_LOGIN_MAX_FAILURES = env_int("ADMIN_LOGIN_MAX_FAILURES", "5")
ADMIN_LOGIN_LOCKOUT_SECONDS = env_int("ADMIN_LOGIN_LOCKOUT_SECONDS", "900")
# And per username from anywhere (no address rotation escapes it): after this many failures, each
# further attempt waits, first ADMIN_LOGIN_DELAY_SECONDS, doubling after each failure up to
# ADMIN_LOGIN_DELAY_MAX_SECONDS. A delay, never a long lock: the editor gets in minutes later.
ADMIN_LOGIN_USERNAME_MAX_FAILURES = env_int("ADMIN_LOGIN_USERNAME_MAX_FAILURES", "5")
ADMIN_LOGIN_DELAY_SECONDS = env_int("ADMIN_LOGIN_DELAY_SECONDS", "5")
ADMIN_LOGIN_DELAY_MAX_SECONDS = env_int("ADMIN_LOGIN_DELAY_MAX_SECONDS", "300")

# Presence in the admin (articles/presence.py): an open story form says so this often; an editor
# counts as gone after three missed heartbeats.
PRESENCE_HEARTBEAT_SECONDS = env_int("PRESENCE_HEARTBEAT_SECONDS", "15")
