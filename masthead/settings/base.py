"""Settings shared by every environment. Values come from the environment (12-factor);
anything unset falls back to the embedded default: SQLite under ./var, local media,
local-memory cache, email to the console, the database task queue."""

from pathlib import Path

import environ

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(environ.Env().str("MASTHEAD_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

SECRET_KEY = env.str("SECRET_KEY", default="masthead-insecure-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Reverse proxies (addresses or networks) whose X-Forwarded-For names the reader's address.
MASTHEAD_TRUSTED_PROXIES = env.list("MASTHEAD_TRUSTED_PROXIES", default=[])

# Public base URL of the site: used for absolute links in feeds, emails and share metadata.
MASTHEAD_BASE_URL = env.str("MASTHEAD_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
MASTHEAD_PUBLICATION_NAME = env.str("MASTHEAD_PUBLICATION_NAME", default="The Northgate Courier")
MASTHEAD_LANGUAGE = env.str("MASTHEAD_LANGUAGE", default="en")

INSTALLED_APPS = [
    "masthead.core",
    "masthead.images",
    "masthead.news",
    "masthead.members",
    "masthead.newsletter",
    "masthead.comments",
    "masthead.discovery",
    "masthead.delivery",
    "masthead.demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: a cached anonymous page is answered before sessions, auth, CSRF and Wagtail.
    "masthead.delivery.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "masthead.news.middleware.PublishingRefusedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "masthead.core.middleware.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "masthead.urls"
WSGI_APPLICATION = "masthead.wsgi.application"

TEMPLATES = [
    # Reader pages: Jinja2 templates in `jinja2/` folders (masthead.core.jinja2tags says why).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "masthead.core.jinja2tags.environment",
            "extensions": [
                "wagtail.jinja2tags.core",
                "wagtail.images.jinja2tags.images",
                "masthead.core.jinja2tags.MastheadExtension",
                "masthead.news.jinja2tags.NewsExtension",
                "masthead.discovery.jinja2tags.DiscoveryExtension",
                "masthead.newsletter.jinja2tags.NewsletterExtension",
                "masthead.comments.jinja2tags.CommentsExtension",
            ],
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "masthead.core.context_processors.publication",
            ],
        },
    },
    # The admin, emails and Wagtail's own templates: Django's engine, `templates/` folders.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "masthead.core.context_processors.publication",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'masthead.sqlite3'}")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Queries the reader path runs on every miss are planned once per connection on PostgreSQL
# (masthead.core.prepared); off for poolers that cannot keep prepared statements.
MASTHEAD_PREPARED_STATEMENTS = env.bool("MASTHEAD_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and (
    MASTHEAD_PREPARED_STATEMENTS
):
    # psycopg then prepares what asks to be (those queries); Django's own cursors bind on
    # the client and never do.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, but CONN_HEALTH_CHECKS looks at the socket instead of sending
    # SELECT 1 each request (masthead.core.postgresql). Compare ENGINE before this line, or
    # better connection.vendor, which stays "postgresql".
    DATABASES["default"]["ENGINE"] = "masthead.core.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
CACHES = {
    "default": env.cache_url_config(_cache_url)
    if _cache_url
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "masthead"}
}
CACHES["default"].setdefault("KEY_PREFIX", env.str("CACHE_KEY_PREFIX", default="masthead"))
if CACHES["default"]["BACKEND"].startswith("django_redis."):
    # A Redis that stops answering must not take the site down. Its socket waits are
    # bounded; what the default cache holds (renditions, rate-limit counters, feed
    # versions) is treated as missing meanwhile, and its connections stop asking a Redis
    # that did not answer for a few seconds at a time (masthead.core.redis, which logs
    # it); the page cache has an alias of its own that reports the failure, so it can
    # step aside and keep the purges made meanwhile (masthead.delivery.cache).
    _redis_timeouts = dict.fromkeys(
        ("SOCKET_CONNECT_TIMEOUT", "SOCKET_TIMEOUT"),
        env.float("REDIS_SOCKET_TIMEOUT", default=2.0),
    )
    _redis_options = {**CACHES["default"].get("OPTIONS", {}), **_redis_timeouts}
    CACHES["pages"] = {**CACHES["default"], "OPTIONS": _redis_options}
    CACHES["default"]["OPTIONS"] = {
        **_redis_options,
        "IGNORE_EXCEPTIONS": True,
        "CONNECTION_FACTORY": "masthead.core.redis.RememberingConnectionFactory",
    }
    MASTHEAD_PAGE_CACHE_ALIAS = "pages"

# Sessions live in the database only: a session cached in Redis would outlive a sign-out
# or password change made while Redis was not answering, once it answers again. Only
# signed-in readers and editors have one, and their pages are rendered anyway.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CSRF_FAILURE_VIEW = "masthead.delivery.views.csrf_failure"

# Email: EMAIL_URL such as smtp://user:pass@host:587 or smtp+tls://…; unset prints to the console.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# An ESP instead of SMTP: EMAIL_BACKEND=anymail.backends.<provider>.EmailBackend plus its
# ANYMAIL_* variables (e.g. ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_WEBHOOK_SECRET).
if env.str("EMAIL_BACKEND", default=""):
    EMAIL_BACKEND = env.str("EMAIL_BACKEND")
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in env.ENVIRON.items()
    if key.startswith("ANYMAIL_")
}
# Newsletter sending (masthead/newsletter/README.md).
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=50)
NEWSLETTER_LEASE_SECONDS = env.int("NEWSLETTER_LEASE_SECONDS", default=120)
NEWSLETTER_PARALLEL_SENDS = env.int("NEWSLETTER_PARALLEL_SENDS", default=4)
NEWSLETTER_REDISPATCH_SECONDS = env.int("NEWSLETTER_REDISPATCH_SECONDS", default=30)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default=f"{MASTHEAD_PUBLICATION_NAME} <newsroom@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: the database queue, served by `masthead worker`.
TASKS = {
    "default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env.str("MEDIA_S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("MEDIA_S3_BUCKET"),
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default=None),
            "custom_domain": env.str("MEDIA_S3_CUSTOM_DOMAIN", default=None),
        },
    }
WHITENOISE_MAX_AGE = 31536000

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = MASTHEAD_PUBLICATION_NAME
WAGTAILADMIN_BASE_URL = MASTHEAD_BASE_URL
WAGTAILIMAGES_IMAGE_MODEL = "images.NewsImage"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # Wagtail's database backend, with the headline weighted on SQLite as on PostgreSQL.
        "BACKEND": "masthead.discovery.search_backend",
        # PostgreSQL's text-search configuration (stemming, stop words); SQLite ignores it.
        "SEARCH_CONFIG": env.str("MASTHEAD_SEARCH_CONFIG", default="english"),
    }
}
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAIL_WORKFLOW_ENABLED = True
# Responsive embeds use inline styles, which the reader CSP forbids; site.css sizes embeds.
WAGTAILEMBEDS_RESPONSIVE_HTML = False
# No avatar requests to a third party from the admin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
TAGGIT_CASE_INSENSITIVE = True

# CDN purge on publish: set FRONTEND_CACHE_URL (Varnish/Nginx purge endpoint) in production.
WAGTAILFRONTENDCACHE = {}
if env.str("FRONTEND_CACHE_URL", default=""):
    WAGTAILFRONTENDCACHE["default"] = {
        "BACKEND": "masthead.delivery.purging.TimedHTTPBackend",
        "LOCATION": env.str("FRONTEND_CACHE_URL"),
        # Seconds to wait for each PURGE before giving up (the worker must not hang).
        "TIMEOUT": env.float("FRONTEND_CACHE_TIMEOUT", default=10),
    }

# The anonymous page cache (masthead.delivery). With a shared cache (REDIS_URL) entries and
# purges are shared by every process and web node; without one each process keeps its own
# and purges reach the others through a stamp file in the data folder.
MASTHEAD_PAGE_CACHE = env.bool("MASTHEAD_PAGE_CACHE", default=True)
MASTHEAD_PAGE_CACHE_SHARED = bool(_cache_url)
MASTHEAD_PAGE_CACHE_STAMP_FILE = VAR_DIR / "page-cache.stamp"
# Seconds a process may serve from memory before checking for purges from elsewhere.
MASTHEAD_PAGE_CACHE_CHECK_INTERVAL = env.float("MASTHEAD_PAGE_CACHE_CHECK_INTERVAL", default=0.5)
# Seconds an entry may stay in the shared cache (purges, not this, keep pages fresh).
MASTHEAD_PAGE_CACHE_TIMEOUT = env.int("MASTHEAD_PAGE_CACHE_TIMEOUT", default=86400)
# Seconds a story's kept part (masthead.delivery.fragments) may be used after its render:
# purges keep it fresh, so it outlives the page cache's entries and a story read once a
# week still skips most of its render on a miss.
MASTHEAD_KEPT_PART_TIMEOUT = env.int("MASTHEAD_KEPT_PART_TIMEOUT", default=7 * 86400)
# The task worker renders a just-published page, its sections and the front page for
# readers once the publish commits, so the first readers after it get a hit.
MASTHEAD_RENDER_ON_PUBLISH = env.bool("MASTHEAD_RENDER_ON_PUBLISH", default=True)
# Where cached pages are also written as files for an nginx front to serve directly
# (docs/production.md, "Optional nginx front"); unset writes none.
MASTHEAD_FRONT_ROOT = env.str("MASTHEAD_FRONT_ROOT", default="")
MASTHEAD_PAGE_CACHE_CONTROL = env.str(
    "MASTHEAD_PAGE_CACHE_CONTROL",
    default="public, max-age=0, s-maxage=300, stale-while-revalidate=60",
)
# Listing URLs purged in the CDN whenever an article changes (besides the story's own
# sections, authors and topics, with their feeds: masthead.delivery.services). The pages
# sitemap lists the author and topic pages that have stories.
MASTHEAD_PAGE_CACHE_CDN_LISTING_PATHS = [
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/json/",
    "/sitemap.xml",
    "/sitemap-pages.xml",
    "/sitemap-news.xml",
]

# Content Security Policy sent on reader pages (see masthead.core.middleware).
MASTHEAD_CSP = env.str(
    "MASTHEAD_CSP",
    default=(
        "default-src 'self'; img-src 'self' data: https:; style-src 'self'; "
        "script-src 'self'; frame-src https:; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'self'"
    ),
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
