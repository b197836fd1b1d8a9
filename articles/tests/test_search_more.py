"""Search finds what readers type: word forms, captions, places, authors; narrowed by section and
date. Every test runs on the database of the run: SQLite's FTS5 or PostgreSQL's documents."""

import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains

from articles.models import Article
from articles.search import FTS_TABLE, search

from .factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_section("World", slug="world")


def found(query, stories=None):
    return [article.headline for article in search(stories or Article.objects.published(), query)]


def page(client, **params):
    return client.get("/search/", params)


def headlines(response):
    return [article.headline for article in response.context_data["object_list"]]


def test_a_word_finds_its_other_forms(world):
    make_article("Dry summer", section=world, body="The reservoirs are at their lowest in years.")
    make_article("Floods", section=world, body="Rivers burst their banks.")

    assert found("reservoir") == ["Dry summer"]
    assert found("reservoirs") == ["Dry summer"]
    assert found("flooding") == ["Floods"]


def test_a_photo_caption_is_searched(world):
    photo = make_photo(caption="Firefighters at the Vostok pumping station")
    make_article("Heat wave", section=world, main_photo=photo)

    assert found("pumping station") == ["Heat wave"]


def test_a_changed_caption_is_searched_and_the_old_one_not(world):
    photo = make_photo(caption="Crowds outside parliament")
    make_article("Vote", section=world, main_photo=photo)

    photo.caption = "Protesters on Lenin Square"
    photo.save()

    assert found("protesters") == ["Vote"]
    assert found("parliament") == []


def test_a_deleted_photo_is_no_longer_searched(world):
    photo = make_photo(caption="Goalkeeper saves a penalty")
    make_article("Cup final", section=world, main_photo=photo)

    photo.delete()

    assert found("goalkeeper") == []


def test_the_dateline_place_is_searched(world):
    make_article("Talks resume", section=world, dateline_place="Tbilisi")

    assert found("tbilisi") == ["Talks resume"]


def test_author_names_are_searched_and_follow_changes(world):
    anna, boris = make_author("Anna Kovalenko"), make_author("Boris Ivanov")
    story = make_article("Elections", section=world, authors=[anna])

    assert found("kovalenko") == ["Elections"]
    story.authors.add(boris)
    assert found("ivanov") == ["Elections"]
    story.authors.remove(anna)
    assert found("kovalenko") == []
    boris.name = "Boris Petrov"
    boris.save()
    assert found("petrov") == ["Elections"]
    assert found("ivanov") == []
    boris.articles.clear()
    assert found("petrov") == []


def test_a_deleted_author_is_no_longer_searched(world):
    author = make_author("Vera Lind")
    make_article("Budget", section=world, authors=[author])

    author.delete()

    assert found("lind") == []


def test_the_story_text_outranks_the_extra_words(world):
    now = timezone.now()
    make_article("Harbour reopens", section=world, published_at=now - timedelta(days=2))
    make_article("Ferries", section=world, dateline_place="Harbour", published_at=now)

    assert found("harbour") == ["Harbour reopens", "Ferries"]


def test_extra_words_make_no_new_version_and_no_modified_time(world):
    photo = make_photo(caption="Old caption")
    story = make_article("Story", section=world, main_photo=photo)
    before = Article.objects.get(pk=story.pk)

    photo.caption = "New caption"
    photo.save()

    after = Article.objects.get(pk=story.pk)
    assert (after.version, after.modified_at) == (before.version, before.modified_at)
    assert story.history.count() == 1


def test_search_extra_is_never_loaded(world):
    make_article("Story", section=world, dateline_place="Oslo")

    with CaptureQueriesContext(connection) as captured:
        list(Article.objects.all())

    assert "search_extra" not in captured[0]["sql"]


# Narrowing


@pytest.fixture
def desk(world):
    sport = make_section("Sport", slug="sport")
    moment = timezone.make_aware(datetime(2024, 5, 10, 0, 30))  # 00:30 in the site's time zone
    make_article("Reservoir report", section=world, published_at=moment)
    make_article("Reservoir rowing", section=sport, published_at=moment + timedelta(days=2))
    make_article("Reservoir then", section=world, published_at=moment - timedelta(days=400))
    return {"world": world, "sport": sport}


def test_search_narrowed_by_section(client, desk):
    response = page(client, q="reservoir", section="sport")

    assert headlines(response) == ["Reservoir rowing"]
    assertContains(response, '<option value="sport" selected>Sport</option>', html=True)


def test_search_narrowed_by_days_in_the_site_time_zone(client, desk):
    # 00:30 on 10 May in Moscow is 9 May in UTC: the story is on the 10th for readers.
    assert headlines(page(client, q="reservoir", **{"from": "2024-05-10", "to": "2024-05-10"})) == [
        "Reservoir report"
    ]
    assert headlines(page(client, q="reservoir", to="2024-05-09")) == ["Reservoir then"]
    assert sorted(headlines(page(client, q="reservoir", **{"from": "2024-05-01"}))) == [
        "Reservoir report",
        "Reservoir rowing",
    ]


def test_pages_of_results_keep_the_filters(client, desk, settings):
    settings.ARTICLES_PER_PAGE = 1
    from articles.views import SearchView

    SearchView.paginate_by = 1
    try:
        response = page(client, q="reservoir", section="world", **{"from": "2020-01-01"})
    finally:
        SearchView.paginate_by = settings.ARTICLES_PER_PAGE = 20

    assertContains(response, 'href="?q=reservoir&amp;section=world&amp;from=2020-01-01&amp;page=2"')


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"section": "nowhere"}, "There is no such section."),
        ({"from": "yesterday"}, "Enter a date as YYYY-MM-DD"),
        ({"to": "2024-02-30"}, "Enter a date as YYYY-MM-DD"),
        ({"from": "0001-01-01"}, "Enter a date between 1900 and 2999."),
        ({"to": "9999-12-31"}, "Enter a date between 1900 and 2999."),
        ({"from": "2024-05-10", "to": "2024-05-01"}, "The first day comes after the last day."),
    ],
)
def test_a_bad_filter_says_why_and_keeps_what_was_typed(client, desk, params, message):
    response = page(client, q="reservoir", **params)

    assertContains(response, message, status_code=400)
    assert headlines(response) == []
    assertContains(response, 'value="reservoir"', status_code=400)
    for name, value in params.items():
        if name != "section":
            assertContains(response, f'name="{name}" value="{value}"', status_code=400)


def test_the_filters_cost_no_query_of_their_own(client, desk):
    url = "/search/?q=reservoir&section=world&from=2024-01-01&to=2030-01-01"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert headlines(response) == ["Reservoir report"]
    assert len(queries) == 3  # count, page of stories, sections (navigation and the section list)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_the_migrated_fts5_index_stems_and_has_the_extra_column():
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        (sql,) = cursor.fetchone()
        cursor.execute(f"PRAGMA table_info({FTS_TABLE})")
        columns = [row[1] for row in cursor.fetchall()]
        trigger_sql = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s"
        cursor.execute(trigger_sql, [f"{FTS_TABLE}_update"])
        (trigger,) = cursor.fetchone()

    assert "porter unicode61" in sql
    assert columns == ["headline", "lead", "body", "search_extra"]
    assert "search_extra" in trigger


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's stored documents")
def test_the_stored_documents_hold_the_extra_words_at_weight_d(world):
    story = make_article("Story", section=world, dateline_place="Tbilisi")

    with connection.cursor() as cursor:
        cursor.execute("SELECT search_en::text FROM articles_article WHERE id = %s", [story.pk])
        (vector,) = cursor.fetchone()

    # PostgreSQL prints no letter for weight D, the lowest: 'tbilisi':13, not 'tbilisi':13C.
    assert re.search(r"'tbilisi':\d+(\s|$)", vector), vector
