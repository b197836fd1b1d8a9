"""What DEBUG switches: production hardening on, development left working over plain http."""

from .conftest import production_settings, settings_for

WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"


def test_development_works_over_plain_http_without_collectstatic(monkeypatch):
    values = settings_for(monkeypatch)

    assert values["DEBUG"] is True
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert "SECURE_PROXY_SSL_HEADER" not in values
    assert values["STORAGES"]["staticfiles"]["BACKEND"].endswith("StaticFilesStorage")
    assert "Manifest" not in values["STORAGES"]["staticfiles"]["BACKEND"]
    assert WHITENOISE not in values["MIDDLEWARE"]
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in values["MIDDLEWARE"]


def test_production_hardening(monkeypatch):
    values = production_settings(monkeypatch)

    assert values["DEBUG"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_REFERRER_POLICY"] == "strict-origin-when-cross-origin"
    assert values["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert "SILENCED_SYSTEM_CHECKS" not in values


def test_production_serves_hashed_compressed_static_files_through_whitenoise(monkeypatch):
    values = production_settings(monkeypatch)

    backend = values["STORAGES"]["staticfiles"]["BACKEND"]
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    middleware = values["MIDDLEWARE"]
    assert (
        middleware.index(WHITENOISE) == middleware.index("django.middleware.security.SecurityMiddleware") + 1
    )


def test_hsts_preload_and_https_redirect_can_be_switched_off(monkeypatch):
    values = production_settings(monkeypatch, SECURE_HSTS_PRELOAD="false", SECURE_SSL_REDIRECT="false")

    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600  # HSTS itself stays


def test_redis_url_switches_the_cache_to_redis_with_short_timeouts(monkeypatch):
    values = production_settings(monkeypatch, REDIS_URL="redis://cache.internal:6379/1")

    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "core.cache.ResilientRedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/1"
    assert cache["OPTIONS"]["socket_connect_timeout"] <= 1
    assert cache["OPTIONS"]["socket_timeout"] <= 1
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_without_redis_url_each_process_caches_in_memory(monkeypatch):
    values = production_settings(monkeypatch)

    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_failed_login_counts_are_shared_by_all_web_workers(monkeypatch):
    # gunicorn runs several processes: per-process memory would multiply the allowed failures.
    on_files = production_settings(monkeypatch)["CACHES"]["login_throttle"]
    on_redis = production_settings(monkeypatch, REDIS_URL="redis://cache.internal:6379/1")["CACHES"]

    assert on_files["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert on_redis["login_throttle"] == on_redis["default"]


def test_staff_need_a_second_factor_in_production_unless_told_otherwise(monkeypatch):
    assert production_settings(monkeypatch)["REQUIRE_STAFF_MFA"] is True
    assert production_settings(monkeypatch, REQUIRE_STAFF_MFA="false")["REQUIRE_STAFF_MFA"] is False
    assert settings_for(monkeypatch, DEBUG="true")["REQUIRE_STAFF_MFA"] is False


def test_one_setting_decides_whose_address_a_request_is(monkeypatch):
    # allauth reads X-Forwarded-For by its own settings: they must say what ours say.
    behind_nginx = production_settings(monkeypatch, TRUSTED_PROXY_COUNT="1")
    direct = production_settings(monkeypatch, TRUSTED_PROXY_COUNT="0")

    assert behind_nginx["ALLAUTH_TRUSTED_PROXY_COUNT"] == behind_nginx["TRUSTED_PROXY_COUNT"] == 1
    assert direct["ALLAUTH_TRUSTED_PROXY_COUNT"] == direct["TRUSTED_PROXY_COUNT"] == 0
    assert behind_nginx["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"] is None  # no header believed by its name
    assert behind_nginx["ACCOUNT_ADAPTER"] == "accounts.adapters.AccountAdapter"  # asks core.http.client_ip


def test_a_guessed_username_is_delayed_minutes_at_most(monkeypatch):
    values = production_settings(monkeypatch)

    assert values["ADMIN_LOGIN_USERNAME_MAX_FAILURES"] == 5
    assert 0 < values["ADMIN_LOGIN_DELAY_SECONDS"] <= values["ADMIN_LOGIN_DELAY_MAX_SECONDS"] <= 300
