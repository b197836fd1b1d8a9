"""Draft → Ready for review → Published (or Scheduled), and the unpublish time: what editors see
in the admin, what they are told, and that nothing off the site leaks to readers."""

import threading
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.admin import short_time
from articles.models import Article
from articles.services import MAIL_THREAD_NAME

from .factories import make_article, make_author, make_section, make_user
from .test_admin import change_fields, form_post_data

pytestmark = pytest.mark.django_db

ARTICLES = "/admin/articles/article/"


@pytest.fixture
def world():
    return make_section("World", slug="world")


def local_today_at(hour, minute=0, days=0):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def wait_for_mail():
    for thread in threading.enumerate():
        if thread.name == MAIL_THREAD_NAME:
            thread.join(timeout=10)


# The model


def test_story_is_public_only_between_publication_and_unpublish_time(world):
    now = timezone.now()
    public = make_article("Public", section=world, unpublish_at=now + timedelta(hours=1))
    expired = make_article("Expired", section=world, state="expired")
    scheduled = make_article("Scheduled", section=world, state="scheduled")
    review = make_article("In review", section=world, state="review")

    assert list(Article.objects.published()) == [public]
    assert public.is_published and not public.is_expired
    assert expired.is_expired and not expired.is_published and not expired.is_scheduled
    assert scheduled.is_scheduled and not scheduled.is_published
    assert not review.is_published
    assert list(Article.objects.expired()) == [expired]
    assert list(Article.objects.scheduled()) == [scheduled]


def test_story_leaves_the_site_at_its_unpublish_time_with_no_job_to_run(world):
    story = make_article(section=world, unpublish_at=timezone.now() + timedelta(seconds=1))
    assert Article.objects.published().exists()

    Article.objects.filter(pk=story.pk).update(unpublish_at=timezone.now())

    assert not Article.objects.published().exists()
    story.refresh_from_db()
    assert not story.is_published


def test_desk_counts_stories_in_review_and_scheduled_in_one_query(world, django_assert_num_queries):
    make_article(section=world, state="review")
    make_article(section=world, state="review")
    make_article(section=world, state="scheduled")
    make_article(section=world, state="draft")
    make_article(section=world)

    with django_assert_num_queries(1):
        counts = Article.objects.desk_counts()

    assert counts == {"review": 2, "scheduled": 1}


# The admin list


def test_short_time_is_the_time_today_and_the_date_another_day():
    assert short_time(local_today_at(18)) == "18:00"
    tomorrow = local_today_at(9, 30, days=1)
    assert short_time(tomorrow) in {
        f"{tomorrow:%-d %b}, 09:30",  # this year
        f"{tomorrow:%-d %b %Y}, 09:30",  # on 31 December
    }


def test_changelist_shows_scheduled_and_expired_stories_by_their_times(client, world):
    client.force_login(make_user("editor"))
    tomorrow = local_today_at(18, days=1)
    make_article("Later", section=world, published_at=tomorrow)
    make_article(
        "Gone", section=world, published_at=local_today_at(9, days=-1), unpublish_at=local_today_at(0)
    )
    make_article("Waiting", section=world, state="review")

    response = client.get(ARTICLES)

    assertContains(response, f"Scheduled for {short_time(tomorrow)}")
    assert short_time(tomorrow).endswith(", 18:00")
    assertContains(response, "Expired at 00:00")
    assertContains(response, "Ready for review")


@pytest.mark.parametrize(
    ("state", "headline"),
    [
        ("draft", "A draft"),
        ("review", "In review"),
        ("scheduled", "Scheduled"),
        ("public", "Public"),
        ("expired", "Expired"),
    ],
)
def test_changelist_filters_by_state(client, world, state, headline):
    client.force_login(make_user("editor"))
    make_article("A draft", section=world, state="draft")
    make_article("In review", section=world, state="review")
    make_article("Scheduled", section=world, state="scheduled")
    make_article("Public", section=world)
    make_article("Expired", section=world, state="expired")

    response = client.get(ARTICLES, {"state": state})

    assert [article.headline for article in response.context["cl"].result_list] == [headline]


# The review queue


def test_editor_sees_the_review_queue_with_counts_on_the_admin_index(client, world):
    client.force_login(make_user("editor"))
    waiting = [make_article(section=world, state="review") for _ in range(3)]
    make_article(section=world, state="scheduled")
    make_article(section=world, state="draft")

    response = client.get("/admin/")

    assertContains(response, "Ready for review (3)")
    assertContains(response, "Scheduled (1)")
    assertContains(response, f'href="{ARTICLES}?state=review"')
    assertContains(response, 'id="recent-actions-module"')  # the stock index is still all there
    queue = client.get(f"{ARTICLES}?state=review")
    assert set(queue.context["cl"].result_list) == set(waiting)


def test_reporter_gets_no_review_queue(client, world):
    client.force_login(make_user("reporter"))
    make_article(section=world, state="review")

    response = client.get("/admin/")

    assert response.status_code == 200
    assertNotContains(response, "Ready for review (")


# Telling the editors


def submit_for_review(client, article):
    url = f"{ARTICLES}{article.pk}/change/"
    return client.post(url, form_post_data(client, url, **change_fields(article, status="review")))


def test_editors_are_emailed_once_the_submission_is_saved(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    reporter = make_user("reporter", email="rep@example.com", first_name="Ann", last_name="Lee")
    make_user("editor", email="desk@example.com")
    make_user("editor", email="night@example.com")
    make_user("editor", email="")  # no address: nobody to write to
    make_user("editor", email="gone@example.com", is_active=False)
    draft = make_article("Talks resume", section=world, created_by=reporter, state="draft")
    client.force_login(reporter)

    with django_capture_on_commit_callbacks() as callbacks:
        response = submit_for_review(client, draft)
    assert response.status_code == 302
    assert mailoutbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    wait_for_mail()

    assert sorted(message.to[0] for message in mailoutbox) == ["desk@example.com", "night@example.com"]
    message = mailoutbox[0]
    assert message.subject == "Ready for review: Talks resume"
    assert "Ann Lee marked “Talks resume” ready for review." in message.body
    assert f"http://testserver{ARTICLES}{draft.pk}/change/" in message.body
    assert f"http://testserver{ARTICLES}?state=review" in message.body


def test_no_mail_for_a_draft_or_a_story_already_in_review(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    make_user("editor", email="desk@example.com")
    reporter = make_user("reporter")
    draft = make_article(section=world, created_by=reporter, state="draft")
    waiting = make_article(section=world, created_by=reporter, state="review")
    client.force_login(reporter)

    with django_capture_on_commit_callbacks(execute=True):
        url = f"{ARTICLES}{draft.pk}/change/"
        client.post(url, form_post_data(client, url, **change_fields(draft, body="More text.")))
        submit_for_review(client, waiting)  # saved again, still in review
    wait_for_mail()

    assert mailoutbox == []


def test_a_failing_mail_server_does_not_fail_the_save(
    client, world, settings, django_capture_on_commit_callbacks, caplog
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            # Nothing listens on port 1: the connection is refused at once.
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    make_user("editor", email="desk@example.com")
    reporter = make_user("reporter")
    draft = make_article(section=world, created_by=reporter, state="draft")
    client.force_login(reporter)

    with django_capture_on_commit_callbacks(execute=True):
        response = submit_for_review(client, draft)
    wait_for_mail()

    assert response.status_code == 302
    assert Article.objects.get(pk=draft.pk).status == Article.Status.REVIEW
    assert "Could not email the editors" in caplog.text


# Nothing off the site reaches readers


@pytest.fixture
def off_the_site(world):
    """A public story, and an expired and a scheduled one sharing its section, tag and author;
    plus a section, tag and author that only off-site stories have."""
    ann, ghost = make_author("Ann Lee", slug="ann-lee"), make_author("Ghost", slug="ghost")
    hidden = make_section("Hidden", slug="hidden")
    make_article("Open story about talks", section=world, authors=[ann], tags=["Talks"])
    stories = [
        make_article(
            "Expired story about talks", section=world, state="expired", authors=[ann], tags=["Talks"]
        ),
        make_article(
            "Scheduled story about talks", section=world, state="scheduled", authors=[ann], tags=["Talks"]
        ),
        make_article("Expired secret", section=hidden, state="expired", authors=[ghost], tags=["Secret"]),
        make_article("Scheduled secret", section=hidden, state="scheduled", authors=[ghost], tags=["Secret"]),
    ]
    return stories


READER_PAGES = [
    "/",
    "/world/",
    "/tag/talks/",
    "/author/ann-lee/",
    "/search/?q=talks",
    "/search/?q=secret",
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/section/world/rss/",
    "/feeds/tag/talks/atom/",
    "/sitemap-articles.xml",
    "/sitemap-news.xml",
    "/sitemap-sections.xml",
    "/sitemap-tags.xml",
    "/sitemap-authors.xml",
]


@pytest.mark.parametrize("path", READER_PAGES)
def test_expired_and_scheduled_stories_never_reach_readers(client, off_the_site, path):
    response = client.get(path)

    assert response.status_code == 200
    text = response.content.decode()
    if path in ("/", "/world/", "/tag/talks/", "/search/?q=talks", "/feeds/rss/"):
        assert "Open story about talks" in text  # the page does list stories
    for story in off_the_site:
        assert story.headline not in text
        assert story.slug not in text
    if path.startswith("/sitemap"):
        # Pages that list only off-site stories are left out (the navigation lists every section).
        for page in ("/hidden/", "/tag/secret/", "/author/ghost/"):
            assert page not in text


@pytest.mark.parametrize("index", range(4))
def test_expired_and_scheduled_story_pages_are_not_found(client, off_the_site, index):
    story = off_the_site[index]

    assert client.get(story.get_absolute_url()).status_code == 404
    assert client.get(story.get_short_path()).status_code == 404
    local = timezone.localtime(story.published_at)
    archive = client.get(f"/archive/{local:%Y/%m/%d}/")
    assert story.headline not in archive.content.decode()


def test_editor_still_previews_an_expired_story(client, off_the_site):
    client.force_login(make_user("editor"))

    response = client.get(off_the_site[0].get_absolute_url())

    assert response.status_code == 200
    assertContains(response, "Expired story about talks")
