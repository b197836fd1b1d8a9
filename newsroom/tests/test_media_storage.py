"""Where uploads go: this machine's disk by default, an S3-compatible bucket with MEDIA_STORAGE=s3."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

from .conftest import settings_for

S3_ENV = {
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "newsroom-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.net",
    "AWS_S3_REGION_NAME": "eu-1",
}
AWS_VARIABLES = ["AWS_S3_CUSTOM_DOMAIN", "AWS_LOCATION", "AWS_QUERYSTRING_AUTH", "MEDIA_STORAGE"]


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
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
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

    assert type(storage).__name__ == "S3Storage"
    assert storage.url("photos/2026/11/abc.jpg") == "https://media.news.example.com/photos/2026/11/abc.jpg"


def test_an_unknown_media_storage_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE"):
        settings_for(monkeypatch, MEDIA_STORAGE="ftp")
