import json
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.http import Http404
from PIL import Image

from core.views import root_icon

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "content_type", "sizes"),
    [
        ("/favicon.ico", "image/x-icon", {(16, 16), (32, 32), (48, 48)}),
        ("/apple-touch-icon.png", "image/png", {(180, 180)}),
    ],
)
def test_browsers_find_the_icons_at_the_root(client, path, content_type, sizes):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "public" in response["Cache-Control"] and "max-age=604800" in response["Cache-Control"]
    image = Image.open(BytesIO(response.content))
    assert set(image.info.get("sizes") or {image.size}) == sizes


def test_the_manifest_names_the_site_and_its_icons(client, settings):
    settings.SITE_NAME = "Вестник"

    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Вестник"
    icons = {icon["sizes"]: icon for icon in manifest["icons"]}
    assert set(icons) == {"192x192", "512x512", "any"}
    for icon in manifest["icons"]:
        # Tests run without a static file server: the file the URL names, from the finders.
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        data = Path(path).read_bytes()
        if icon["type"] == "image/png":
            assert Image.open(BytesIO(data)).size == tuple(int(n) for n in icon["sizes"].split("x"))
        else:
            assert data.startswith(b"<svg")


def test_every_page_links_its_icons_and_manifest(client):
    page = client.get("/").content.decode()

    assert '<link rel="icon" href="/favicon.ico" sizes="48x48">' in page
    assert '<link rel="icon" href="/static/icons/icon.svg" type="image/svg+xml">' in page
    assert '<link rel="apple-touch-icon" href="/apple-touch-icon.png">' in page
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page


def test_only_the_root_icons_are_served_from_there(rf):
    with pytest.raises(Http404):
        root_icon(rf.get("/"), "../css/site.css")
