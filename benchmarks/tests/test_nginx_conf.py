"""The benchmark's nginx configuration is deploy/nginx.conf transformed, and nginx accepts it."""

import shutil
import subprocess

import pytest

from benchmarks import nginx_conf


@pytest.fixture
def conf(tmp_path):
    return nginx_conf.render(port=18766, app_port=18765, work=tmp_path)


def test_the_production_site_survives(conf):
    deploy = nginx_conf.DEPLOY.read_text()
    for directive in (
        "proxy_cache newsroom;",
        "proxy_cache_valid 200 301 302 404 1s;",
        "proxy_cache_bypass $newsroom_has_session $newsroom_private_path;",
        "proxy_no_cache $newsroom_has_session $newsroom_private_path;",
        "proxy_cache_lock on;",
        "tcp_nopush off;",
        "output_buffers 2 256k;",
        "map $http_cookie $newsroom_has_session {",
        '"~(^|;)\\s*(sessionid|messages|nr_fresh)=" 1;',
        "proxy_set_header X-Forwarded-Proto https;",
    ):
        assert directive in deploy
        assert directive in conf


def test_only_what_cannot_run_here_is_changed(conf, tmp_path):
    assert "listen 127.0.0.1:18766;" in conf
    assert "server 127.0.0.1:18765 fail_timeout=0;" in conf
    assert f"proxy_cache_path {tmp_path}/cache levels=1:2" in conf
    assert f"alias {nginx_conf.ROOT}/staticfiles/;" in conf
    assert f"alias {tmp_path}/www/;" in conf
    directives = "\n".join(line for line in conf.splitlines() if not line.lstrip().startswith("#"))
    for gone in ("listen 80", "443", "ssl", "http2", "/srv/newsroom", "return 301 https"):
        assert gone not in directives
    assert directives.count("server {") == 1


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("listen 443 ssl http2;", "listen 8443;"),
        ("    listen [::]:443 ssl http2;\n", ""),
        ("listen 80;", "listen 8080;"),
        ("ssl_", "tls_"),
        ("server 127.0.0.1:8000", "server unix:/run/app.sock"),
        ("proxy_cache_path /var/cache/nginx/newsroom", "proxy_cache_path  /var/cache"),
        ("/srv/newsroom/", "/opt/newsroom/"),
    ],
)
def test_a_change_to_deploy_conf_that_breaks_a_substitution_fails_loudly(tmp_path, before, after):
    source = nginx_conf.DEPLOY.read_text().replace(before, after)
    with pytest.raises(nginx_conf.ConfigDrift):
        nginx_conf.render(port=18766, app_port=18765, work=tmp_path, source=source)


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed (apt-get install nginx)")
def test_nginx_accepts_it(tmp_path):
    path = nginx_conf.write(tmp_path, port=18766, app_port=18765)
    checked = subprocess.run(  # noqa: S603 - Debian's nginx on the file just written
        ["nginx", "-t", "-c", str(path), "-e", str(tmp_path / "error.log")],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
