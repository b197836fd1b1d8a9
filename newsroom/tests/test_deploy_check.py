"""`manage.py check --deploy` with a production environment, run as the server would start."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from .conftest import PRODUCTION_ENV, UNSET_IN_PRODUCTION


def manage(*args, **env_changes):
    env = {name: value for name, value in os.environ.items() if name not in UNSET_IN_PRODUCTION}
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_a_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output.upper()


def test_the_deploy_check_still_catches_a_weakened_production():
    # The check above is only worth something if it can fail: here, no redirect to HTTPS.
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", SECURE_SSL_REDIRECT="false", **PRODUCTION_ENV
    )

    assert result.returncode != 0
    assert "security.W008" in result.stderr


@pytest.mark.parametrize("secret_key", [None, "", "dev-only-insecure-key-change-me-in-production"])
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    result = manage("check", **{**PRODUCTION_ENV, "SECRET_KEY": secret_key})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_development_starts_without_a_secret_key():
    result = manage("check", DEBUG=None, SECRET_KEY=None)

    assert result.returncode == 0, result.stderr
