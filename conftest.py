import os
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

# Debian's Chromium, driven by Playwright; never a browser Playwright downloads itself.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason="needs Chromium at /usr/bin/chromium (`make browser-deps` installs it)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    # Rate-limit counters are keyed by ids that repeat from test to test: a cache in this process
    # starts every test empty. A shared one (REDIS_URL) is never cleared here.
    for name in ("default", "login_throttle"):
        if isinstance(caches[name], LocMemCache):
            caches[name].clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded files from tests never land in the project's media folder.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real hashing costs ~0.3 s a login; the tests check who may log in, not the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Off whatever DEBUG says: tests sign staff in with force_login; accounts/tests/test_staff_mfa.py
    # turns it on.
    settings.REQUIRE_STAFF_MFA = False
    # Background tasks (photo renditions) run at once, inside the test; test_tasks.py runs the worker.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module.

    Module-scoped so it starts before the test's database fixtures (otherwise PostgreSQL keeps a
    connection that stops the test database from being dropped). Playwright's sync API runs an
    event loop in this thread, and Django's ORM refuses to run beside one unless told it is safe,
    which it is here. The flag is set only while the browser lives: other tests, and subprocesses
    such as `manage.py check --deploy`, must not inherit it.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def clean_cache():
    # Login-throttle counters live in a cache shared by every test in the process.
    for name in ("default", "login_throttle"):
        caches[name].clear()
    yield caches["login_throttle"]
    for name in ("default", "login_throttle"):
        caches[name].clear()
