"""The benchmark's nginx configuration, made from deploy/nginx.conf rather than copied from it.

The production site as it is (upstream, micro-cache, cookie maps, buffers, locations), with only
what cannot run here changed: plain http on 127.0.0.1 instead of TLS (no port-80 redirect server,
no ssl_* lines, no http2), the checkout instead of /srv/newsroom, the benchmark's gunicorn as the
upstream (one or more), the benchmark's uvicorn servers as the live comments' upstream, a temp
directory for the cache. It goes inside a minimal nginx.conf of its own, and one
location is added: /bench/file/, the story page's bytes as a plain file, the anchor the
micro-cache is compared with.

Every change must find what it changes: when deploy/nginx.conf is edited so that one no longer
applies, this fails loudly instead of measuring some other configuration.
"""

import re
from pathlib import Path

from benchmarks.config import ROOT

DEPLOY = ROOT / "deploy" / "nginx.conf"

SHELL = """\
# Made by benchmarks/nginx_conf.py from deploy/nginx.conf: do not edit.
# One worker: wrk's two threads take the other core of a 2-core machine. Enough connections for
# the live step's 5,000 readers (two each: the reader's and the stream server's), as deploy/nginx.conf
# asks of the server's nginx.conf.
worker_processes 1;
worker_rlimit_nofile 40000;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{
    worker_connections 16384;
}}
http {{
    # What Debian's /etc/nginx/nginx.conf gives the sites it includes; access logs off, as the
    # measurement is of serving pages, not of writing logs.
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;

{site}
}}
"""

FILE_LOCATION = """\

    # The benchmark's own: the story page's bytes as a plain file.
    location /bench/file/ {
        alias WORK/www/;
        default_type text/html;
    }

"""


class ConfigDrift(ValueError):
    """deploy/nginx.conf no longer has something the benchmark changes."""


def substitute(text, pattern, replacement, what):
    """`pattern` replaced, everywhere it is, by `replacement` (\\1 is its first group): at least once."""
    new, found = re.subn(pattern, lambda m: m.expand(replacement), text, flags=re.MULTILINE)
    if not found:
        raise ConfigDrift(
            f"deploy/nginx.conf: {what} not found (pattern {pattern!r}); update benchmarks/nginx_conf.py"
        )
    return new


def server_blocks(text):
    """(start, end) of each top-level `server { ... }` block, braces in quotes and comments aside."""
    for match in re.finditer(r"^server\s*\{", text, flags=re.MULTILINE):
        depth, quote, i = 0, None, match.end() - 1
        while i < len(text):
            char = text[i]
            if quote:
                quote = None if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == "#":
                i = text.index("\n", i)
            elif char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    yield match.start(), i + 1
                    break
            i += 1
        else:
            raise ConfigDrift("deploy/nginx.conf: a server block has no closing brace")


def drop_redirect_server(text):
    redirects = [(a, b) for a, b in server_blocks(text) if re.search(r"^\s*listen 80;", text[a:b], re.M)]
    if len(redirects) != 1:
        raise ConfigDrift(f"deploy/nginx.conf: {len(redirects)} servers listen on port 80, not one")
    start, end = redirects[0]
    return text[:start] + text[end:].lstrip("\n")


def upstream(text, name, ports):
    """Upstream `name`'s one server line made into one line for each port of 127.0.0.1."""
    pattern = rf"(upstream {name} \{{\s*?\n)([ \t]*)server 127\.0\.0\.1:\d+([^;\n]*);\n"
    new, found = re.subn(
        pattern, lambda m: m[1] + "".join(f"{m[2]}server 127.0.0.1:{p}{m[3]};\n" for p in ports), text
    )
    if not found:
        raise ConfigDrift(f"deploy/nginx.conf: upstream {name} with one server line not found")
    return new


def site(source, *, port, app_port, work, root=ROOT, stream_ports=()):
    """deploy/nginx.conf's text made into the benchmark's site; `app_port` may be a list."""
    text = drop_redirect_server(source)
    text = substitute(text, r"^\s*listen \[::\]:443 ssl[ \w]*;\n", "", "the IPv6 TLS listen line")
    listen = rf"\1listen 127.0.0.1:{port};\n" + FILE_LOCATION.replace("WORK", str(work))
    text = substitute(text, r"^(\s*)listen 443 ssl[ \w]*;\n", listen, "the TLS listen line")
    text = substitute(text, r"^\s*ssl_\w+ [^;]*;\n", "", "the ssl_* lines")
    text = upstream(text, "newsroom_app", app_port if isinstance(app_port, list | tuple) else [app_port])
    if stream_ports:
        text = upstream(text, "newsroom_stream", stream_ports)
    text = substitute(text, r"^(proxy_cache_path )/\S+", rf"\g<1>{work}/cache", "the micro-cache's path")
    return substitute(text, r"/srv/newsroom/", f"{root}/", "the checkout's path (/srv/newsroom)")


def render(*, port, app_port, work, root=ROOT, source=None, stream_ports=()):
    """The whole nginx.conf: a minimal shell around site()."""
    source = DEPLOY.read_text() if source is None else source
    body = site(source, port=port, app_port=app_port, work=work, root=root, stream_ports=stream_ports)
    indented = "\n".join(f"    {line}" if line else "" for line in body.rstrip().splitlines())
    return SHELL.format(work=work, site=indented)


def write(work, *, port, app_port, stream_ports=()):
    """The configuration in `work` (also the nginx's temp and cache directory); its path."""
    path = Path(work) / "nginx.conf"
    path.write_text(render(port=port, app_port=app_port, work=work, stream_ports=stream_ports))
    return path
