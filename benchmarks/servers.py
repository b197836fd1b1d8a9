# ruff: noqa: S603, S607 - starts gunicorn, nginx and apt-get by name, on purpose.
"""The servers `make bench` starts on 127.0.0.1: gunicorn as `make serve` runs it, uvicorn for the
live comment streams, nginx in front."""

import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

from benchmarks import nginx_conf
from benchmarks.config import ENV, ROOT, WORKERS


def ensure_tool(name):
    """Whether `name` is installed; as root with apt, it is installed when missing (nginx's service
    is never started: the benchmark runs its own)."""
    if not shutil.which(name) and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Installing {name}", flush=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", name],
            check=False,
            capture_output=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    return bool(shutil.which(name))


def free_port(preferred):
    """`preferred` when nothing listens there, else any free port (another run may be going on)."""
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("No free port on 127.0.0.1")


def fetch(port, path, timeout=60):
    """GET 127.0.0.1:port/path as an anonymous reader: (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_for(port, path="/", timeout=30, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process and process.poll() is not None:
            raise RuntimeError(f"The server for 127.0.0.1:{port} stopped (exit status {process.returncode})")
        try:
            if fetch(port, path, timeout=5)[0] < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"Nothing answers on 127.0.0.1:{port}")


def settle(port, path, timeout=30):
    """Wait until the workers have finished what the last wrk left queued (a quick answer twice)."""
    deadline, quick = time.monotonic() + timeout, 0
    while quick < 2 and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            fetch(port, path, timeout=max(1, deadline - started))
        except OSError:
            quick = 0
            continue
        quick = quick + 1 if time.monotonic() - started < 0.2 else 0


def stop(process, timeout):
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def started(server, port, path):
    """Wait until `server` answers; stop it if it never does."""
    try:
        wait_for(port, path, process=server.process)
    except BaseException:
        server.stop()
        raise


class Gunicorn:
    """The application as `make serve` starts it: production settings, WORKERS sync workers."""

    def __init__(self, port, work, env=None, workers=WORKERS):
        self.port = port
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "newsroom.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--forwarded-allow-ips",
                "127.0.0.1",
                "--log-level",
                "warning",
                # One of its own: by default every gunicorn of the machine's user shares one.
                "--control-socket",
                str(Path(work) / f"gunicorn-{port}.ctl"),
            ],
            cwd=ROOT,
            env=env or ENV,
            stdout=subprocess.DEVNULL,
        )
        started(self, port, "/")

    def worker_rss_mb(self):
        """The largest resident memory of its workers, in MB."""
        sizes = []
        for child in Path("/proc").iterdir():
            try:
                status = (child / "status").read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{self.process.pid}$", status, re.M):
                sizes.append(int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1)) / 1024)
        return max(sizes, default=0)

    def stop(self):
        stop(self.process, timeout=40)  # gunicorn's graceful_timeout is 30 s


class Uvicorn:
    """The live comment streams as docs/deploy.md runs them: uvicorn serving newsroom.asgi, one
    process, uvloop and httptools."""

    def __init__(self, port, env):
        self.port = port
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/uvicorn"),
                "newsroom.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--loop",
                "uvloop",
                "--http",
                "httptools",
                "--no-access-log",
                "--log-level",
                "warning",
                "--backlog",
                "4096",
                "--timeout-graceful-shutdown",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        started(self, port, "/csrf/")

    def stop(self):
        stop(self.process, timeout=10)


class Nginx:
    """nginx with the configuration made from deploy/nginx.conf (nginx_conf.py) in front of
    `app_port`; serve_file() puts a file at /bench/file/."""

    def __init__(self, work, port, app_port, stream_ports=()):
        self.port, self.files = port, Path(work) / "www"
        self.files.mkdir(exist_ok=True)
        conf = nginx_conf.write(work, port=port, app_port=app_port, stream_ports=stream_ports)
        self.process = subprocess.Popen(
            ["nginx", "-c", str(conf), "-e", str(Path(work) / "error.log"), "-g", "daemon off;"],
            cwd=work,
        )
        started(self, port, "/bench/file/")

    def serve_file(self, name, content):
        (self.files / name).write_bytes(content)

    def stop(self):
        stop(self.process, timeout=10)
