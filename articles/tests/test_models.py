import re
from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from articles import models
from articles.models import SHORT_CODE_ALPHABET, Article, ArticleURL
from articles.structured_data import modified_time

from .factories import make_article, make_section

pytestmark = pytest.mark.django_db

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


@pytest.mark.parametrize("headline", ["!!!", "???", "🔥🚀🎉", "— … —"])
def test_headline_that_slugifies_to_nothing_still_gets_a_valid_slug(headline):
    article = make_article(headline)

    assert article.slug
    assert SLUG_RE.match(article.slug)
    assert not article.slug.startswith("-")


def test_headlines_that_slugify_to_nothing_get_different_slugs():
    slugs = [make_article(headline).slug for headline in ["!!!", "???", "!!!", "🔥"]]

    assert len(set(slugs)) == 4
    assert all(SLUG_RE.match(slug) for slug in slugs)


def test_colliding_headlines_get_unique_slugs():
    articles = [make_article("Talks resume in Geneva") for _ in range(3)]

    assert [a.slug for a in articles] == [
        "talks-resume-in-geneva",
        "talks-resume-in-geneva-2",
        "talks-resume-in-geneva-3",
    ]


def test_very_long_headline_gives_slug_that_fits_the_field():
    headline = "word " * 60
    first, second = make_article(headline[:200]), make_article(headline[:200])

    assert len(first.slug) <= 200
    assert len(second.slug) <= 200
    assert first.slug != second.slug


def test_slug_chosen_by_editor_is_kept():
    assert make_article("Anything at all", slug="my-own-slug").slug == "my-own-slug"


def test_slug_is_not_changed_when_headline_changes():
    article = make_article("First headline")
    article.headline = "Second headline"
    article.save()

    article.refresh_from_db()
    assert article.slug == "first-headline"


def test_new_story_does_not_take_the_slug_of_an_old_link():
    old = make_article("Storm hits the coast")
    old.headline, old.slug = "Storm moves inland", "storm-moves-inland"
    old.save()

    newer = make_article("Storm hits the coast")

    assert newer.slug != "storm-hits-the-coast"


def test_short_code_is_assigned_at_creation_from_the_alphabet():
    article = make_article(state="draft")

    assert len(article.short_code) == 7
    assert set(article.short_code) <= set(SHORT_CODE_ALPHABET)


def test_short_codes_are_unique_and_not_sequential():
    codes = [make_article(state="draft").short_code for _ in range(25)]

    assert len(set(codes)) == len(codes)
    # Sequential codes would come out sorted; 25 random ones practically never do.
    assert codes != sorted(codes)


def test_short_code_never_changes_on_save():
    article = make_article(state="draft")
    code = article.short_code

    article.headline = "A new headline"
    article.status = Article.Status.PUBLISHED
    article.save()
    article.refresh_from_db()

    assert article.short_code == code


def test_short_code_collision_is_retried_with_a_new_code(monkeypatch):
    taken = make_article().short_code
    offered = iter([taken, taken, "Zz23456"])
    monkeypatch.setattr(models, "new_short_code", lambda: next(offered))

    article = make_article()

    assert article.short_code == "Zz23456"


def test_draft_is_not_public():
    draft = make_article(state="draft", published_at=timezone.now() - timedelta(days=1))

    assert draft not in Article.objects.published()
    assert not draft.is_published


def test_future_article_is_not_public():
    scheduled = make_article(state="scheduled")

    assert scheduled not in Article.objects.published()
    assert not scheduled.is_published
    assert scheduled.is_scheduled


def test_past_article_is_public():
    article = make_article(state="published")

    assert list(Article.objects.published()) == [article]
    assert article.is_published


def test_scheduled_story_becomes_public_once_its_time_passes(monkeypatch):
    start = timezone.now()
    article = make_article(state="scheduled", published_at=start + timedelta(minutes=1))
    assert not Article.objects.published().filter(pk=article.pk).exists()

    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(minutes=1, seconds=1))

    assert Article.objects.published().filter(pk=article.pk).exists()
    assert article.is_published


def test_publishing_without_a_time_publishes_now():
    before = timezone.now()
    article = make_article(state="draft")
    article.status = Article.Status.PUBLISHED
    article.save()

    assert before <= article.published_at <= timezone.now()
    assert article in Article.objects.published()


def test_body_markdown_is_rendered_on_save():
    article = make_article(body="## Subhead\n\nSome *text*.")

    assert article.body_html == "<h2>Subhead</h2>\n<p>Some <em>text</em>.</p>"


def test_was_updated_only_when_updated_after_the_grace_period(settings):
    settings.UPDATED_GRACE_MINUTES = 10
    article = make_article()
    assert not article.was_updated

    article.updated_at = article.published_at - timedelta(minutes=5)
    assert not article.was_updated

    # In the same minute, or minutes later: a first fix, not an update readers are told of.
    for minutes in (0.5, 9.9):
        article.updated_at = article.published_at + timedelta(minutes=minutes)
        assert not article.was_updated
        assert article.update_time() is None
        assert modified_time(article) == article.published_at

    article.updated_at = article.published_at + timedelta(minutes=10)
    assert article.was_updated
    assert modified_time(article) == article.update_time() == article.updated_at


def test_canonical_url_uses_the_date_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "Europe/Moscow"
    section = make_section("World", slug="world")
    # 22:30 UTC on the 25th is already the 26th in Moscow.
    article = make_article(
        "Night talks", section=section, published_at=datetime(2017, 3, 25, 22, 30, tzinfo=UTC)
    )

    assert article.get_absolute_url() == "/world/2017/03/26/night-talks/"


def test_published_story_remembers_every_url_it_had():
    article = make_article("First")
    first_url = article.get_absolute_url()
    article.section = make_section("Other")
    article.save()

    assert set(ArticleURL.objects.filter(article=article).values_list("path", flat=True)) == {
        first_url,
        article.get_absolute_url(),
    }


def test_draft_urls_are_not_remembered():
    make_article(state="draft")

    assert not ArticleURL.objects.exists()


def test_short_url_uses_configured_short_domain(settings):
    settings.SHORT_URL_BASE = "https://nwsr.mm"
    article = make_article()

    assert article.get_short_url() == f"https://nwsr.mm/s/{article.short_code}"


def test_the_migration_forgets_updates_made_within_the_grace_period(settings):
    settings.UPDATED_GRACE_MINUTES = 10
    migration = import_module("articles.migrations.0019_updated_after_grace")
    published = timezone.now() - timedelta(days=1)
    first_fix = make_article(published_at=published, updated_at=published + timedelta(seconds=30))
    update = make_article(published_at=published, updated_at=published + timedelta(minutes=45))
    never = make_article(published_at=published)

    migration.forget_first_fixes(django_apps, None)

    for story in (first_fix, update, never):
        story.refresh_from_db()
    assert first_fix.updated_at is None
    assert update.updated_at == published + timedelta(minutes=45)
    assert never.updated_at is None
