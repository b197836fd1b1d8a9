import runpy
import secrets

import pytest
from django.conf import settings as django_settings

# What a production host puts in the environment (HTTPS is terminated by a proxy in front).
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "news.example.com",
}
# Variables that would change the production defaults under test if the shell running pytest had them.
UNSET_IN_PRODUCTION = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_PRELOAD", "MEDIA_URL", "REDIS_URL"]


def settings_for(monkeypatch, **env):
    """newsroom/settings.py evaluated afresh in the given environment."""
    for name in [*UNSET_IN_PRODUCTION, *PRODUCTION_ENV]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(django_settings.BASE_DIR / "newsroom" / "settings.py"))


def production_settings(monkeypatch, **extra_env):
    return settings_for(monkeypatch, **PRODUCTION_ENV, **extra_env)


@pytest.fixture
def production(settings, monkeypatch):
    """The test settings with production's header and cookie settings (SECURE_*, *_COOKIE_*)."""
    values = production_settings(monkeypatch)
    for name, value in values.items():
        if name.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_")) or name == "X_FRAME_OPTIONS":
            setattr(settings, name, value)
    return values
