"""Where uploads go: this machine's disk by default, an S3-compatible bucket with MEDIA_STORAGE=s3."""

import socket
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from pytest_django.asserts import assertContains

from articles.models import Photo
from articles.tests.factories import make_article, make_photo
from articles.tests.test_admin import form_post_data, photo_fields
from core.storage import StorageUnavailable
from core.tests.images import image_bytes, uploaded_file

from .conftest import settings_for

S3_ENV = {
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "newsroom-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.net",
    "AWS_S3_REGION_NAME": "eu-1",
}
AWS_VARIABLES = [
    "AWS_S3_CUSTOM_DOMAIN", "AWS_LOCATION", "AWS_QUERYSTRING_AUTH", "MEDIA_STORAGE", "AWS_S3_CONNECT_TIMEOUT",
    "AWS_S3_READ_TIMEOUT", "AWS_S3_MAX_ATTEMPTS", "AWS_S3_ADDRESSING_STYLE",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _no_aws_from_the_shell(monkeypatch):
    for name in [*AWS_VARIABLES, *S3_ENV]:
        monkeypatch.delenv(name, raising=False)


def test_uploads_go_to_the_disk_by_default(monkeypatch):
    values = settings_for(monkeypatch)

    assert values["STORAGES"]["default"] == {"BACKEND": "core.storage.MediaStorage"}


def test_media_storage_s3_switches_uploads_to_the_bucket(monkeypatch):
    values = settings_for(monkeypatch, **S3_ENV)

    default = values["STORAGES"]["default"]
    assert default["BACKEND"] == "core.bucket.BucketStorage"
    assert default["OPTIONS"]["bucket_name"] == "newsroom-media"
    assert default["OPTIONS"]["endpoint_url"] == "https://s3.example.net"
    assert default["OPTIONS"]["region_name"] == "eu-1"
    assert default["OPTIONS"]["file_overwrite"] is False
    assert default["OPTIONS"]["querystring_auth"] is False
    assert "https://s3.example.net" in values["SECURE_CSP"]["img-src"]
    assert values["STORAGES"]["staticfiles"]  # static files are not affected


def test_cdn_domain_is_where_pictures_are_loaded_from(monkeypatch):
    values = settings_for(monkeypatch, **S3_ENV, AWS_S3_CUSTOM_DOMAIN="media.news.example.com")

    assert values["STORAGES"]["default"]["OPTIONS"]["custom_domain"] == "media.news.example.com"
    assert "https://media.news.example.com" in values["SECURE_CSP"]["img-src"]


def test_the_s3_backend_is_installed_and_builds_urls_without_network(settings, monkeypatch):
    values = settings_for(monkeypatch, **S3_ENV, AWS_S3_CUSTOM_DOMAIN="media.news.example.com")
    settings.STORAGES = values["STORAGES"]

    storage = storages["default"]

    assert type(storage).__name__ == "BucketStorage"
    assert storage.url("photos/2026/11/abc.jpg") == "https://media.news.example.com/photos/2026/11/abc.jpg"


def test_an_unknown_media_storage_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE"):
        settings_for(monkeypatch, MEDIA_STORAGE="ftp")


def test_the_store_is_given_short_timeouts_and_few_attempts(monkeypatch):
    config = settings_for(monkeypatch, **S3_ENV)["STORAGES"]["default"]["OPTIONS"]["client_config"]
    assert (config.connect_timeout, config.read_timeout) == (3, 10)
    assert config.retries == {"mode": "standard", "total_max_attempts": 2}

    config = settings_for(monkeypatch, **S3_ENV, AWS_S3_CONNECT_TIMEOUT="1", AWS_S3_MAX_ATTEMPTS="1")[
        "STORAGES"
    ]["default"]["OPTIONS"]["client_config"]
    assert (config.connect_timeout, config.retries["total_max_attempts"]) == (1, 1)


# A store that is down: a port on this machine that nothing listens on (the connection is refused,
# as when the store's process is gone). newsroom/tests/test_s3.py does it to a real SeaweedFS.


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def down_env():
    return {
        **S3_ENV,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{closed_port()}",
        "AWS_ACCESS_KEY_ID": "newsroom",
        "AWS_SECRET_ACCESS_KEY": "not-a-secret",
    }


@pytest.fixture
def store_down(settings, monkeypatch):
    settings.STORAGES = settings_for(monkeypatch, **down_env())["STORAGES"]


def test_every_call_to_a_store_that_is_down_is_an_oserror(store_down):
    for call in (
        lambda: default_storage.save("photos/a.jpg", ContentFile(b"x")),
        lambda: default_storage.exists("photos/a.jpg"),
        lambda: default_storage.size("photos/a.jpg"),
        lambda: default_storage.open("photos/a.jpg"),
        lambda: default_storage.delete("photos/a.jpg"),
    ):
        with pytest.raises(StorageUnavailable):
            call()


@pytest.mark.django_db
def test_an_upload_to_a_store_that_is_down_is_refused_with_the_form_kept(client, store_down):
    client.force_login(User.objects.create_superuser("chief", "chief@example.com", "x"))
    url = "/admin/articles/photo/add/"
    image = uploaded_file(image_bytes(400, 300), "a.jpg")
    data = form_post_data(client, url, **photo_fields(image, caption="Typed caption stays"))

    response = client.post(url, data)

    assert response.status_code == 200
    assertContains(response, "The picture could not be stored: the media store did not answer or refused it.")
    assertContains(response, "Typed caption stays")
    assert not Photo.objects.exists()


def enclosure(response):
    return ET.fromstring(response.content).find("channel/item/enclosure")  # noqa: S314 -- our own output


@pytest.mark.django_db
def test_the_feed_answers_without_the_store_and_asks_it_a_photo_size_once(client, settings, monkeypatch):
    article = make_article("With a photo", main_photo=make_photo())
    size = article.main_photo.image.size
    assert client.get("/feeds/rss/").status_code == 200  # the size is asked once, then kept

    settings.STORAGES = settings_for(monkeypatch, **down_env())["STORAGES"]
    assert int(enclosure(client.get("/feeds/rss/")).get("length")) == size

    cache.clear()  # never asked before, and the store is down: the feed still answers
    response = client.get("/feeds/rss/")
    assert response.status_code == 200
    assert enclosure(response).get("length") == "0"
