"""What the deployment docs advise matches what deploy/nginx.conf does and what the app reads."""

import re

import pytest
from django.conf import settings

from core.http import client_ip

ROOT = settings.BASE_DIR
NGINX = (ROOT / "deploy" / "nginx.conf").read_text()
DEPLOY_DOC = (ROOT / "docs" / "deploy.md").read_text()


def forwarded_by(proxies, sent):
    """X-Forwarded-For after each proxy appended the address it was reached from."""
    return ", ".join([*sent, *proxies])


def test_nginx_appends_to_x_forwarded_for_rather_than_replacing_it():
    # Replacing it with $remote_addr would make a CDN's edge every reader's address.
    lines = [line.strip() for line in NGINX.splitlines()]
    directives = [line for line in lines if "X-Forwarded-For" in line and not line.startswith("#")]
    assert directives == ["proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"]


@pytest.mark.parametrize(
    ("count", "hops", "reader"),
    [
        (1, ["203.0.113.66"], "203.0.113.66"),  # nginx alone: the address nginx was reached from
        (2, ["203.0.113.66", "198.51.100.1"], "203.0.113.66"),  # a CDN's edge, then nginx
    ],
)
def test_the_documented_counts_find_the_reader_whatever_the_reader_forged(rf, settings, count, hops, reader):
    assert f"| `{count}` |" in DEPLOY_DOC
    settings.TRUSTED_PROXY_COUNT = count
    # The reader's own header first, then what the CDN (if any) and nginx append.
    header = forwarded_by(hops, ["10.9.9.9", "192.0.2.1"])
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=header)

    assert client_ip(request) == reader


def test_gunicorn_is_never_bound_to_every_interface_in_the_docs():
    files = [ROOT / "README.md", ROOT / "Makefile", *(ROOT / "docs").glob("*.md")]
    files += [path for path in (ROOT / "deploy").iterdir() if path.is_file()]
    for path in files:
        binds = re.findall(r"(?:--bind|-b)[ =]+(\S+)", path.read_text())
        for address in binds:
            every_interface = ("0.0.0.0", "[::]", ":")  # noqa: S104 - what the docs must not advise
            assert not address.startswith(every_interface), f"{path.name}: --bind {address}"


def test_nginx_serves_its_stale_copy_while_the_app_answers_503():
    # The app answers 503 while its database is down (core/views.py): readers get the last copy.
    directives = [line.strip() for line in NGINX.splitlines() if not line.strip().startswith("#")]
    (stale,) = [line for line in directives if line.startswith("proxy_cache_use_stale ")]
    assert {"error", "timeout", "http_500", "http_502", "http_503", "http_504"} <= set(stale[:-1].split())
    assert re.search(r"\binactive=60m\b", NGINX)
    assert "inactive=60m" in DEPLOY_DOC and "Retry-After" in DEPLOY_DOC
