import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache: every test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _comment_settings(settings):
    settings.COMMENTS_PREMODERATION = False
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    settings.COMMENTS_MAX_LINKS = 2
    settings.COMMENTS_REPORT_THRESHOLD = 3
    settings.COMMENTS_RATE_LIMIT = "5/60"
    settings.COMMENTS_PER_PAGE = 50
    settings.COMMENTS_MIN_SECONDS = 3
    settings.COMMENTS_MAX_AGE_SECONDS = 7200
