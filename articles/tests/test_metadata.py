import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Correction, Photo

from .factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(autouse=True)
def _moscow_time(settings):
    settings.TIME_ZONE = "Europe/Moscow"


@pytest.fixture
def story():
    world = make_section("World", slug="world")
    photo = make_photo(
        alt_text="Delegates at the table", caption="Delegates meet in Geneva.", credit="© Agency Photo"
    )
    return make_article(
        "Talks resume in Geneva",
        section=world,
        dateline_place="Geneva",
        lead="Delegations met for the first time in a year.",
        main_photo=photo,
        authors=[make_author("Ann Lee", slug="ann-lee"), make_author("Bob Stone", slug="bob-stone")],
        tags=["Diplomacy", "Geneva"],
        published_at=datetime(2017, 3, 25, 15, 39, tzinfo=UTC),
        updated_at=datetime(2017, 3, 25, 18, 5, tzinfo=UTC),
    )


def json_ld(response):
    blocks = JSON_LD.findall(response.content.decode())
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


def meta(response, name):
    """The content of every <meta property|name=`name`> in the page."""
    pattern = rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"'
    return re.findall(pattern, response.content.decode())


def test_story_json_ld_is_a_news_article(client, story):
    data = json_ld(client.get(story.get_absolute_url()))
    url = f"http://testserver{story.get_absolute_url()}"

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Talks resume in Geneva"
    assert data["description"] == "Delegations met for the first time in a year."
    assert data["mainEntityOfPage"]["@id"] == data["url"] == url
    assert data["datePublished"] == "2017-03-25T18:39:00+03:00"
    assert data["dateModified"] == "2017-03-25T21:05:00+03:00"
    assert data["dateline"] == "GENEVA 18:39 GMT+3, 25.03.2017"
    assert data["articleSection"] == "World"
    assert sorted(data["keywords"]) == ["Diplomacy", "Geneva"]
    assert [(a["@type"], a["name"]) for a in data["author"]] == [
        ("Person", "Ann Lee"),
        ("Person", "Bob Stone"),
    ]
    assert data["author"][0]["url"] == "http://testserver/author/ann-lee/"
    assert "correction" not in data


def test_story_json_ld_lists_the_three_crops_with_the_photo_credit(client, story):
    data = json_ld(client.get(story.get_absolute_url()))
    photo = story.main_photo

    images = data["image"]
    crops = photo.crop_images()
    assert list(crops) == ["16:9", "4:3", "1:1"]
    assert [(image["url"], image["width"], image["height"]) for image in images] == [
        (f"http://testserver{url}", width, height) for url, width, height in crops.values()
    ]
    # The default photo is 160 × 90: each crop at its largest.
    assert [(image["width"], image["height"]) for image in images] == [(160, 90), (120, 90), (90, 90)]
    for image in images:
        assert image["@type"] == "ImageObject"
        assert image["url"].startswith("http://testserver/media/renditions/")
        assert image["url"].endswith(".jpg")
        assert image["creditText"] == "Agency Photo"
        assert image["copyrightNotice"] == "© Agency Photo"
        assert image["caption"] == "Delegates meet in Geneva."


def test_story_json_ld_shows_the_original_until_the_crops_are_made(client, story):
    photo = story.main_photo
    Photo.objects.filter(pk=photo.pk).update(renditions={"source": photo.image.name, "focal": [0.5, 0.5]})

    response = client.get(story.get_absolute_url())

    (image,) = json_ld(response)["image"]
    assert image["url"] == f"http://testserver{photo.image.url}"
    assert (image["width"], image["height"]) == (photo.width, photo.height)
    assert meta(response, "og:image") == [f"http://testserver{photo.image.url}"]


def test_story_page_lets_search_engines_show_a_large_picture(client, story):
    response = client.get(story.get_absolute_url())

    assert meta(response, "robots") == ["max-image-preview:large"]


def test_story_json_ld_publisher_has_a_logo(client, story):
    publisher = json_ld(client.get(story.get_absolute_url()))["publisher"]

    assert publisher["name"] == "Newsroom"
    assert publisher["url"] == "http://testserver/"
    assert publisher["logo"]["url"] == "http://testserver/static/img/publisher-logo.png"
    assert (publisher["logo"]["width"], publisher["logo"]["height"]) == (600, 60)


def test_story_json_ld_lists_corrections(client, story):
    Correction.objects.create(article=story, date=datetime(2017, 3, 26).date(), text="The vote is on Friday.")

    data = json_ld(client.get(story.get_absolute_url()))

    assert data["correction"] == [
        {"@type": "CorrectionComment", "text": "The vote is on Friday.", "datePublished": "2017-03-26"}
    ]


def test_json_ld_cannot_be_broken_out_of(client):
    article = make_article("</script><script>alert(1)</script>", lead="<!-- & -->", section=make_section())

    response = client.get(article.get_absolute_url())

    assert "<script>alert(1)" not in response.content.decode()
    assert json_ld(response)["headline"] == "</script><script>alert(1)</script>"


def test_story_has_canonical_link_and_description(client, story):
    response = client.get(story.get_absolute_url())
    content = response.content.decode()

    assert f'<link rel="canonical" href="http://testserver{story.get_absolute_url()}">' in content
    assert meta(response, "description") == ["Delegations met for the first time in a year."]


def test_story_opengraph_and_twitter_card(client, story):
    response = client.get(story.get_absolute_url())
    photo = story.main_photo

    assert meta(response, "og:type") == ["article"]
    assert meta(response, "og:title") == ["Talks resume in Geneva"]
    assert meta(response, "og:description") == ["Delegations met for the first time in a year."]
    assert meta(response, "og:url") == [f"http://testserver{story.get_absolute_url()}"]
    # The 16:9 crop (1200 wide where the photo allows; this one is 160 × 90).
    url, width, height = photo.share_image()
    assert url == photo.sources("16:9")["jpeg"][-1][0] != photo.image.url
    assert meta(response, "og:image") == [f"http://testserver{url}"]
    assert meta(response, "og:image:width") == [str(width)] == ["160"]
    assert meta(response, "og:image:height") == [str(height)] == ["90"]
    assert meta(response, "og:image:alt") == ["Delegates at the table"]
    assert meta(response, "article:published_time") == ["2017-03-25T18:39:00+03:00"]
    assert meta(response, "article:modified_time") == ["2017-03-25T21:05:00+03:00"]
    assert meta(response, "article:section") == ["World"]
    assert sorted(meta(response, "article:tag")) == ["Diplomacy", "Geneva"]
    assert meta(response, "twitter:card") == ["summary_large_image"]
    assert meta(response, "twitter:image") == meta(response, "og:image")


def test_opengraph_image_is_absolute_even_with_media_on_another_host(client, story, settings):
    settings.MEDIA_URL = "https://cdn.example.org/media/"

    response = client.get(story.get_absolute_url())

    assert meta(response, "og:image")[0].startswith("https://cdn.example.org/media/renditions/")


def test_story_without_photo_or_tags_still_has_valid_metadata(client):
    article = make_article("Plain story", section=make_section())

    response = client.get(article.get_absolute_url())
    data = json_ld(response)

    assert meta(response, "og:image") == []
    assert "image" not in data and "keywords" not in data
    assert data["author"] == []


def test_home_page_json_ld_is_the_website_with_search(client, story):
    response = client.get("/")
    data = json_ld(response)

    assert data["@type"] == "WebSite"
    assert data["url"] == "http://testserver/"
    assert data["name"] == "Newsroom"
    assert (
        data["potentialAction"]["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    )
    assert meta(response, "og:type") == ["website"]


def test_section_page_json_ld_is_a_collection_of_its_stories(client, story):
    response = client.get("/world/")
    data = json_ld(response)

    assert data["@type"] == "CollectionPage"
    assert data["name"] == "World"
    assert data["url"] == "http://testserver/world/"
    items = data["mainEntity"]["itemListElement"]
    assert [(item["position"], item["url"]) for item in items] == [
        (1, f"http://testserver{story.get_absolute_url()}")
    ]
    assert meta(response, "og:title") == ["World"]


def test_tag_page_json_ld_is_a_collection_page(client, story):
    response = client.get("/tag/diplomacy/")
    data = json_ld(response)

    assert data["@type"] == "CollectionPage"
    assert data["name"] == "Diplomacy"
    assert data["url"] == "http://testserver/tag/diplomacy/"


def test_canonical_link_of_a_later_page_keeps_the_page_number(client, settings):
    world = make_section("World", slug="world")
    for _n in range(25):
        make_article(section=world, published_at=timezone.now() - timedelta(hours=1))

    content = client.get("/world/?page=2&utm_source=x").content.decode()

    assert '<link rel="canonical" href="http://testserver/world/?page=2">' in content
