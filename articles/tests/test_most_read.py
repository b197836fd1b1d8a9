"""Most read: the view beacon, the counts (database, and Redis in db 13) and the lists."""

from datetime import timedelta

import pytest
import redis
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import mostread
from articles.models import Article, StoryViews

from .factories import make_article, make_section

pytestmark = pytest.mark.django_db

BEACON = "/beacon/view/"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
TEST_REDIS = "redis://127.0.0.1:6379/13"  # this worktree's own Redis db (never db 0)


def clear_redis_counts():
    client = redis.Redis.from_url(TEST_REDIS)
    keys = list(client.scan_iter(f"{mostread.KEY_PREFIX}*"))
    if keys:
        client.delete(*keys)


@pytest.fixture(params=["database", "redis"])
def store(request, settings):
    """Each test runs with the counts in the database and in Redis."""
    settings.MOST_READ_RATE_LIMIT = "1000/60"
    if request.param == "redis":
        settings.REDIS_URL = TEST_REDIS
        clear_redis_counts()
        yield "redis"
        clear_redis_counts()
    else:
        settings.REDIS_URL = ""
        yield "database"


@pytest.fixture
def world():
    return make_section("World", slug="world")


def beacon(client, story_id, agent=BROWSER, address="203.0.113.5", **headers):
    return client.post(BEACON, {"id": str(story_id)}, HTTP_USER_AGENT=agent, REMOTE_ADDR=address, **headers)


def views_of(story):
    ranking = mostread.ranking()
    found = Article.objects.published().most_read(ranking, limit=100)
    return {article.pk: article.views for article in found}.get(story.pk, 0)


def test_a_view_is_counted_without_a_cookie(client, store, world):
    story = make_article("Dam bursts", section=world)

    responses = [beacon(client, story.pk) for _ in range(3)]

    assert [response.status_code for response in responses] == [204, 204, 204]
    assert all(not response.cookies and "Set-Cookie" not in response for response in responses)
    assert views_of(story) == 3


def test_the_list_puts_the_most_read_first(client, store, world):
    now = timezone.now()
    stories = [
        make_article(f"Story {n}", section=world, published_at=now - timedelta(hours=n)) for n in range(7)
    ]
    for story, reads in zip(stories, [1, 5, 0, 3, 3, 2, 9], strict=True):
        for _ in range(reads):
            beacon(client, story.pk)

    most_read = list(Article.objects.published().most_read(mostread.ranking()))

    # Equal counts: the newer story first.
    assert [story.headline for story in most_read] == ["Story 6", "Story 1", "Story 3", "Story 4", "Story 5"]
    assert [story.views for story in most_read] == [9, 5, 3, 3, 2]


def test_views_older_than_the_window_drop_out(store, world, settings):
    settings.MOST_READ_HOURS = 24
    old, recent = make_article("Old news", section=world), make_article("Fresh", section=world)
    now = timezone.now()
    for _ in range(5):
        mostread.count(old.pk, now=now - timedelta(hours=25))
    mostread.count(recent.pk, now=now - timedelta(hours=23))

    assert list(Article.objects.published().most_read(mostread.ranking(now))) == [recent]


def test_the_database_keeps_only_the_window(world, settings):
    settings.REDIS_URL = ""
    story = make_article("Story", section=world)
    now = timezone.now()
    mostread.count(story.pk, now=now - timedelta(hours=30))
    mostread.count(story.pk, now=now - timedelta(hours=2))
    mostread.count(story.pk, now=now - timedelta(hours=2))
    mostread.count(story.pk, now=now)  # a new hour's row: rows out of the window go

    assert sorted(StoryViews.objects.values_list("count", flat=True)) == [1, 2]


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0",
        "python-requests/2.32.3",
        "curl/8.5.0",
        "",
    ],
)
def test_bots_are_not_counted(client, store, world, agent):
    story = make_article("Story", section=world)

    response = beacon(client, story.pk, agent=agent)

    assert response.status_code == 204
    assert views_of(story) == 0


def test_a_phone_called_cubot_is_no_bot(client, store, world):
    story = make_article("Story", section=world)
    agent = "Mozilla/5.0 (Linux; Android 13; CUBOT_X30) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"

    beacon(client, story.pk, agent=agent)

    assert views_of(story) == 1


def test_a_beacon_from_another_site_is_not_counted(client, store, world):
    story = make_article("Story", section=world)

    beacon(client, story.pk, HTTP_SEC_FETCH_SITE="cross-site")
    beacon(client, story.pk, HTTP_SEC_FETCH_SITE="same-origin")

    assert views_of(story) == 1


@pytest.mark.parametrize("state", ["draft", "review", "scheduled", "expired"])
def test_stories_readers_cannot_see_are_not_counted(client, store, world, state):
    if state == "expired":
        story = make_article("Gone", section=world, unpublish_at=timezone.now() - timedelta(minutes=1))
    else:
        story = make_article("Not yet", section=world, state=state)

    response = beacon(client, story.pk)

    assert response.status_code == 204  # a draft's id is not told apart from a missing one
    assert StoryViews.objects.count() == 0
    assert views_of(story) == 0


@pytest.mark.parametrize("story_id", ["", "abc", "-1", "1.5", "1e3", "0x10", "9" * 19, "١٢", "1 OR 1=1"])
def test_a_forged_id_is_refused(client, store, world, story_id):
    make_article("Story", section=world)

    response = beacon(client, story_id)

    assert response.status_code == 400
    assertContains(response, "Not a story id.", status_code=400)
    assert StoryViews.objects.count() == 0


def test_an_unknown_id_is_ignored(client, store, world):
    response = beacon(client, 987654321)

    assert response.status_code == 204
    assert StoryViews.objects.count() == 0


def test_a_flood_from_one_address_is_not_counted(client, store, world, settings):
    settings.MOST_READ_RATE_LIMIT = "5/60"
    story = make_article("Story", section=world)

    statuses = [beacon(client, story.pk).status_code for _ in range(8)]
    other_reader = beacon(client, story.pk, address="198.51.100.7")

    assert statuses == [204] * 5 + [429] * 3
    assert other_reader.status_code == 204
    assert views_of(story) == 6


def test_the_flood_limit_uses_the_address_behind_our_proxy(client, store, world, settings):
    settings.MOST_READ_RATE_LIMIT = "2/60"
    settings.TRUSTED_PROXY_COUNT = 1
    story = make_article("Story", section=world)

    # The proxy's address is the same for all; the readers' differ.
    statuses = [
        beacon(client, story.pk, address="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]

    assert statuses == [204] * 4


def test_only_posts_are_taken(client, store, world):
    story = make_article("Story", section=world)

    assert client.get(BEACON, {"id": story.pk}, HTTP_USER_AGENT=BROWSER).status_code == 405
    assert views_of(story) == 0


def test_a_beacon_needs_no_csrf_token(store, world):
    from django.test import Client

    story = make_article("Story", section=world)

    response = beacon(Client(enforce_csrf_checks=True), story.pk)

    assert response.status_code == 204
    assert views_of(story) == 1


def test_redis_down_answers_204_and_hides_the_list(client, world, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/13"  # nothing listens there
    story = make_article("Story", section=world)

    response = beacon(client, story.pk)

    assert response.status_code == 204
    assert StoryViews.objects.count() == 0  # not counted elsewhere either
    home = client.get("/")
    assert home.status_code == 200
    assertNotContains(home, "most-read-heading")


def test_home_and_story_pages_show_the_list(client, store, world):
    read = make_article("Everyone reads this", section=world, tags=["dams"])
    other = make_article("Another story", section=world, tags=["dams"])
    for _ in range(3):
        beacon(client, read.pk)
    beacon(client, other.pk)

    home = client.get("/")
    story_page = client.get(other.get_absolute_url())

    assert [story.pk for story in home.context_data["most_read"]] == [read.pk, other.pk]
    assertContains(home, "most-read-heading")
    # On a story page the list leaves that story out.
    assert [story.pk for story in story_page.context_data["most_read"]] == [read.pk]
    assert [story.pk for story in story_page.context_data["related"]] == [read.pk]
    assertContains(story_page, 'id="most-read-heading"')


def test_no_views_no_block(client, store, world):
    story = make_article("Unread", section=world)

    assertNotContains(client.get("/"), "most-read-heading")
    assertNotContains(client.get(story.get_absolute_url()), "most-read-heading")


def test_the_story_page_sends_its_beacon_from_a_static_script(client, world):
    story = make_article("Story", section=world)

    page = client.get(story.get_absolute_url()).content.decode()

    assert f'data-story="{story.pk}"' in page
    assert 'data-url="/beacon/view/"' in page
    assert "/static/js/most-read.js" in page


def test_a_preview_sends_no_beacon(client, world):
    from .factories import make_user

    draft = make_article("Draft", section=world, state="draft")
    client.force_login(make_user("editor"))

    page = client.get(draft.get_absolute_url()).content.decode()

    assert "most-read.js" not in page


def test_related_and_most_read_match_the_two_queries(client, store, world):
    """The story page's one query finds what related_to() and most_read() find apart."""
    now = timezone.now()
    story = make_article("Talks", section=world, tags=["a", "b", "c"])
    others = [
        make_article(
            f"Other {n}",
            section=world,
            tags=["a", "b", "c"][: n % 3 + 1],
            published_at=now - timedelta(hours=n),
        )
        for n in range(9)
    ]
    untagged = [make_article(f"Untagged {n}", section=world) for n in range(4)]
    for reads, target in enumerate([*others, *untagged, story]):
        for _ in range(reads % 6):
            beacon(client, target.pk)
    page_story = Article.objects.for_page().get(pk=story.pk)
    published = Article.objects.published()
    ranking = mostread.ranking()

    with CaptureQueriesContext(connection) as queries:
        related, most_read = published.related_and_most_read(page_story, ranking)

    assert len(queries) == 1
    assert related == list(published.related_to(page_story))
    expected = [s for s in published.most_read(ranking, limit=20) if s.pk != story.pk][:5]
    assert [(s.pk, s.views) for s in most_read] == [(s.pk, s.views) for s in expected]
    assert [s.shared_tags for s in related] == [3, 3, 3, 2]
