import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.sitemaps import ArticleSitemap

from .factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def newsroom():
    world, sport = make_section("World", slug="world"), make_section("Sport", slug="sport")
    make_section("Empty", slug="empty")
    ann, ghost = make_author("Ann Lee", slug="ann-lee"), make_author("Ghost Writer", slug="ghost-writer")
    now = timezone.now()
    talks = make_article("Talks resume", section=world, authors=[ann], tags=["Diplomacy"])
    old = make_article(
        "Old match report", section=sport, tags=["Football"], published_at=now - timedelta(days=3)
    )
    draft = make_article("Secret draft", section=world, state="draft", authors=[ghost], tags=["Secret"])
    future = make_article("Tomorrow", section=world, state="scheduled", authors=[ghost], tags=["Secret"])
    return {"talks": talks, "old": old, "draft": draft, "future": future}


def get_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 -- our own output


def locations(root):
    return [loc.text for loc in root.iter(f"{SM}loc")]


def test_index_lists_stories_sections_tags_and_authors(client, newsroom):
    root = get_xml(client, "/sitemap.xml")

    assert root.tag == f"{SM}sitemapindex"
    assert locations(root) == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-sections.xml",
        "http://testserver/sitemap-tags.xml",
        "http://testserver/sitemap-authors.xml",
    ]
    assert all(sitemap.findtext(f"{SM}lastmod") for sitemap in root.iter(f"{SM}sitemap"))


def test_story_sitemap_lists_public_stories_only(client, newsroom):
    root = get_xml(client, "/sitemap-articles.xml")

    expected = [newsroom["talks"], newsroom["old"]]
    assert locations(root) == [f"http://testserver{a.get_absolute_url()}" for a in expected]
    assert all(url.findtext(f"{SM}lastmod") for url in root.iter(f"{SM}url"))


def test_section_tag_and_author_sitemaps_list_pages_with_public_stories(client, newsroom):
    sections = locations(get_xml(client, "/sitemap-sections.xml"))
    tags = locations(get_xml(client, "/sitemap-tags.xml"))
    authors = locations(get_xml(client, "/sitemap-authors.xml"))

    assert sections == ["http://testserver/sport/", "http://testserver/world/"]  # by position, name
    assert tags == ["http://testserver/tag/diplomacy/", "http://testserver/tag/football/"]
    assert authors == ["http://testserver/author/ann-lee/"]


def test_index_splits_a_long_sitemap_into_pages(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    section = make_section("World")
    for _n in range(5):
        make_article(section=section)

    index = locations(get_xml(client, "/sitemap.xml"))
    page_3 = locations(get_xml(client, "/sitemap-articles.xml?p=3"))

    assert "http://testserver/sitemap-articles.xml?p=2" in index
    assert "http://testserver/sitemap-articles.xml?p=3" in index
    assert "http://testserver/sitemap-articles.xml?p=4" not in index
    assert len(page_3) == 1
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404


def test_unknown_sitemap_section_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_news_sitemap_lists_stories_of_the_last_two_days(client, newsroom):
    root = get_xml(client, "/sitemap-news.xml")
    talks = newsroom["talks"]

    assert locations(root) == [f"http://testserver{talks.get_absolute_url()}"]
    news = root.find(f"{SM}url/{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Newsroom"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == "Talks resume"
    published = news.findtext(f"{NEWS}publication_date")
    assert published == timezone.localtime(talks.published_at).isoformat(timespec="seconds")


def test_news_sitemap_escapes_headlines(client):
    make_article("Q&A: <why> it matters", section=make_section("World"))

    root = get_xml(client, "/sitemap-news.xml")

    assert root.findtext(f"{SM}url/{NEWS}news/{NEWS}title") == "Q&A: <why> it matters"


def test_robots_txt_points_at_sitemaps_and_keeps_crawlers_out(client):
    response = client.get("/robots.txt")
    lines = response.content.decode().splitlines()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in lines
    for path in ["/admin/", "/search/", "/accounts/"]:
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines


def add_stories(count, sections, authors):
    for n in range(count):
        make_article(section=sections[n % 2], authors=[authors[n % 3]], tags=[f"tag{n}", "common"])


def count_queries(client, url):
    client.get(url)  # warm caches that live for the process (content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/sitemap.xml", 8),  # latest change and page count of each of the four sitemaps
        ("/sitemap-articles.xml", 2),  # count, page
        ("/sitemap-sections.xml", 2),
        ("/sitemap-tags.xml", 2),
        ("/sitemap-authors.xml", 2),
        ("/sitemap-news.xml", 2),
        ("/robots.txt", 0),
    ],
)
def test_sitemap_query_count_does_not_grow_with_stories(client, url, expected):
    sections = [make_section(), make_section()]
    authors = [make_author(), make_author(), make_author()]
    add_stories(3, sections, authors)
    few = count_queries(client, url)
    add_stories(27, sections, authors)
    many = count_queries(client, url)

    assert few == many == expected
