import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture
def newsroom():
    world, sport = make_section("World", slug="world"), make_section("Sport", slug="sport")
    ann, bob = make_author("Ann Lee", slug="ann-lee"), make_author("Bob Stone", slug="bob-stone")
    photo = make_photo(alt_text="Delegates at the table", caption="Delegates meet.", credit="© Agency Photo")
    talks = make_article(
        "Talks resume in Geneva",
        section=world,
        lead="Delegations met for the first time in <a> year & more.",
        main_photo=photo,
        authors=[ann, bob],
        tags=["Diplomacy", "Geneva"],
        published_at=timezone.now() - timedelta(hours=2),
    )
    match = make_article("Cup final tonight", section=sport, tags=["Football"])
    make_article("Secret draft", section=world, state="draft", tags=["Diplomacy"])
    make_article("Tomorrow's story", section=world, state="scheduled", tags=["Diplomacy"])
    return {"world": world, "sport": sport, "talks": talks, "match": match, "photo": photo}


def get_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response, ET.fromstring(response.content)  # noqa: S314 -- our own output


def rss_titles(root):
    return [item.findtext("title") for item in root.iter("item")]


def atom_titles(root):
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_site_rss_lists_public_stories_newest_first(client, newsroom):
    response, root = get_xml(client, "/feeds/rss/")

    assert response["Content-Type"].startswith("application/rss+xml")
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert rss_titles(root) == ["Cup final tonight", "Talks resume in Geneva"]


def test_site_atom_lists_public_stories_newest_first(client, newsroom):
    response, root = get_xml(client, "/feeds/atom/")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert root.tag == f"{ATOM}feed"
    assert atom_titles(root) == ["Cup final tonight", "Talks resume in Geneva"]


def test_rss_item_has_lead_authors_tags_and_photo_with_credit(client, newsroom, settings):
    _response, root = get_xml(client, "/feeds/rss/")
    item = next(item for item in root.iter("item") if item.findtext("title") == "Talks resume in Geneva")
    talks, photo = newsroom["talks"], newsroom["photo"]

    # The lead is plain text in an HTML field: escaped once inside the XML.
    assert item.findtext("description") == "Delegations met for the first time in &lt;a&gt; year &amp; more."
    assert item.findtext("link") == f"http://testserver{talks.get_absolute_url()}"
    assert item.findtext("guid") == f"http://testserver/s/{talks.short_code}"
    assert [creator.text for creator in item.iter(f"{DC}creator")] == ["Ann Lee", "Bob Stone"]
    assert sorted(category.text for category in item.iter("category")) == ["Diplomacy", "Geneva"]
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == f"http://testserver{photo.image.url}"
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == photo.image.size > 0
    media = item.find(f"{MEDIA}content")
    assert media.get("url") == enclosure.get("url")
    assert (media.get("width"), media.get("height")) == (str(photo.width), str(photo.height))
    assert media.findtext(f"{MEDIA}credit") == "© Agency Photo"
    assert media.findtext(f"{MEDIA}description") == "Delegates meet."


def test_atom_entry_has_summary_authors_categories_and_photo(client, newsroom):
    _response, root = get_xml(client, "/feeds/atom/")
    entry = next(
        e for e in root.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Talks resume in Geneva"
    )

    assert entry.findtext(f"{ATOM}summary").startswith("Delegations met")
    assert entry.findtext(f"{ATOM}published")
    assert [a.findtext(f"{ATOM}name") for a in entry.iter(f"{ATOM}author")] == ["Ann Lee", "Bob Stone"]
    assert sorted(c.get("term") for c in entry.iter(f"{ATOM}category")) == ["Diplomacy", "Geneva"]
    enclosure = entry.find(f"{ATOM}link[@rel='enclosure']")
    assert enclosure.get("href").startswith("http://testserver/media/photos/")
    assert entry.find(f"{MEDIA}content").findtext(f"{MEDIA}credit") == "© Agency Photo"


def test_story_without_photo_has_no_enclosure(client, newsroom):
    _response, root = get_xml(client, "/feeds/rss/")
    item = next(item for item in root.iter("item") if item.findtext("title") == "Cup final tonight")

    assert item.find("enclosure") is None
    assert item.find(f"{MEDIA}content") is None


def test_section_feeds_list_only_that_section(client, newsroom):
    _response, rss = get_xml(client, "/feeds/section/world/rss/")
    _response, atom = get_xml(client, "/feeds/section/sport/atom/")

    assert rss_titles(rss) == ["Talks resume in Geneva"]
    assert rss.find("channel").findtext("title") == "Newsroom: World"
    assert atom_titles(atom) == ["Cup final tonight"]


def test_tag_feeds_list_only_tagged_public_stories(client, newsroom):
    _response, rss = get_xml(client, "/feeds/tag/diplomacy/rss/")
    _response, atom = get_xml(client, "/feeds/tag/football/atom/")

    assert rss_titles(rss) == ["Talks resume in Geneva"]
    assert atom_titles(atom) == ["Cup final tonight"]


@pytest.mark.parametrize("url", ["/feeds/section/nowhere/rss/", "/feeds/tag/nothing/atom/"])
def test_feed_of_unknown_section_or_tag_is_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("state", ["draft", "review", "scheduled", "expired"])
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_of_a_tag_only_unpublished_stories_use_are_404(client, newsroom, state, kind):
    make_article("Embargoed", section=newsroom["world"], tags=["Acme merger"], state=state)

    response = client.get(f"/feeds/tag/acme-merger/{kind}/")

    assert response.status_code == 404
    assert "Acme merger" not in response.content.decode()


def test_feed_holds_the_latest_30_stories(client):
    section = make_section("World")
    now = timezone.now()
    for n in range(32):
        make_article(f"Story {n}", section=section, published_at=now - timedelta(minutes=n + 1))

    _response, root = get_xml(client, "/feeds/rss/")

    assert rss_titles(root) == [f"Story {n}" for n in range(30)]


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/", None),
        ("/world/", "section/world"),
        ("/tag/diplomacy/", "tag/diplomacy"),
    ],
)
def test_listing_pages_announce_their_feeds(client, newsroom, url, kind):
    content = client.get(url).content.decode()

    assert '<link rel="alternate" type="application/rss+xml"' in content
    assert 'href="/feeds/rss/"' in content and 'href="/feeds/atom/"' in content
    if kind:
        assert f'href="/feeds/{kind}/rss/"' in content
        assert f'href="/feeds/{kind}/atom/"' in content


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/", "/feeds/rss/"),
        ("/world/", "/feeds/section/world/rss/"),
        ("/tag/diplomacy/", "/feeds/tag/diplomacy/rss/"),
    ],
)
def test_listing_pages_show_a_link_to_their_rss_feed(client, newsroom, url, feed):
    body = client.get(url).content.decode().split("</head>")[1]

    assert f'<p class="feed-link"><a href="{feed}" type="application/rss+xml">RSS feed</a></p>' in body
    assert client.get(feed).status_code == 200


def test_story_page_announces_site_and_section_feeds(client, newsroom):
    content = client.get(newsroom["talks"].get_absolute_url()).content.decode()

    assert 'href="/feeds/section/world/rss/"' in content
    assert 'href="/feeds/atom/"' in content


def add_stories(count, section, photo, authors):
    for n in range(count):
        make_article(section=section, main_photo=photo, authors=authors, tags=[f"tag{n}", "common"])


def count_queries(client, url):
    client.get(url)  # warm caches that live for the process (content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/feeds/rss/", 3),  # stories with section and photo, authors, tags
        ("/feeds/atom/", 3),
        ("/feeds/section/world/rss/", 4),  # + the section
        ("/feeds/tag/common/atom/", 4),  # + the tag
    ],
)
def test_feed_query_count_does_not_grow_with_stories(client, url, expected):
    world = make_section("World", slug="world")
    photo, authors = make_photo(), [make_author(), make_author()]
    add_stories(3, world, photo, authors)
    few = count_queries(client, url)
    add_stories(27, world, photo, authors)
    many = count_queries(client, url)

    assert few == many == expected
