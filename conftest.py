import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded files from tests never land in the project's media folder.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real hashing costs ~0.3 s a login; the tests check who may log in, not the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached fragments and the navigation (newsroom/fragments.py): every test starts cold, so
    # query counts do not depend on which test ran before.
    cache.clear()
    yield
    cache.clear()
