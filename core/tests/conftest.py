import pytest
from django.core.cache import caches


@pytest.fixture
def clean_cache():
    # Login-throttle counters live in a cache shared by every test in the process.
    for name in ("default", "login_throttle"):
        caches[name].clear()
    yield caches["login_throttle"]
    for name in ("default", "login_throttle"):
        caches[name].clear()
