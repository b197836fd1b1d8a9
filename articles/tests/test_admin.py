import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import renditions
from articles.models import Article, FrontPageSlot, Photo, Section

from .factories import (
    image_bytes,
    jpeg_bytes,
    jpeg_upload,
    make_article,
    make_author,
    make_photo,
    make_section,
    make_user,
    uploaded_file,
)

pytestmark = pytest.mark.django_db

ARTICLES = "/admin/articles/article/"
PHOTOS = "/admin/articles/photo/"
REPORTER_ERROR = "Only editors can publish or change a published story, or set its publication times."


@pytest.fixture
def editor(client):
    user = make_user("editor")
    client.force_login(user)
    return user


@pytest.fixture
def reporter(client):
    user = make_user("reporter")
    client.force_login(user)
    return user


@pytest.fixture
def world():
    return make_section("World", slug="world")


def form_post_data(client, url, **fields):
    """What the admin form at `url` posts: its inlines' management forms plus `fields`."""
    response = client.get(url)
    assert response.status_code == 200
    data = {}
    for inline in response.context.get("inline_admin_formsets", []):
        management = inline.formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
    data.update(fields)
    return data


def article_fields(section, **overrides):
    fields = {
        "headline": "Talks resume in Geneva",
        "slug": "",
        "section": section.pk,
        "dateline_place": "GENEVA",
        "lead": "Delegations met for the first time in a year.",
        "body": "First paragraph.\n\nSecond paragraph.",
        "main_photo": "",
        "authors": [],
        "tags": "diplomacy, geneva",
        "allow_comments": "on",
        "status": Article.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "unpublish_at_0": "",
        "unpublish_at_1": "",
    }
    fields.update(overrides)
    return fields


def change_fields(article, **overrides):
    local = timezone.localtime(article.published_at) if article.published_at else None
    fields = article_fields(
        article.section,
        headline=article.headline,
        slug=article.slug,
        dateline_place=article.dateline_place,
        lead=article.lead,
        body=article.body,
        main_photo=article.main_photo_id or "",
        authors=[author.pk for author in article.authors.all()],
        tags=", ".join(tag.name for tag in article.tags.all()),
        status=article.status,
        published_at_0=f"{local:%Y-%m-%d}" if local else "",
        published_at_1=f"{local:%H:%M:%S}" if local else "",
    )
    fields.update(overrides)
    return fields


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# Groups


def test_editors_and_reporters_groups_exist_with_publish_permission_only_for_editors():
    editors = Group.objects.get(name="Editors")
    reporters = Group.objects.get(name="Reporters")

    assert editors.permissions.filter(codename="publish_article").exists()
    assert not reporters.permissions.filter(codename="publish_article").exists()
    assert {"add_article", "change_article", "add_photo"} <= set(
        reporters.permissions.values_list("codename", flat=True)
    )
    assert make_user("editor").has_perm("articles.publish_article")
    assert not make_user("reporter").has_perm("articles.publish_article")


# The article list


def test_article_changelist_shows_thumbnail_and_published_icon(client, editor, world):
    photo = make_photo()
    make_article("With a photo", section=world, main_photo=photo)
    make_article("Just a draft", section=world, state="draft")

    response = client.get(ARTICLES)

    assert response.status_code == 200
    # The smallest rendition, not the original: a page of 100 stories stays light.
    assert photo.thumbnail_url() != photo.image.url
    assertContains(response, f'src="{photo.thumbnail_url()}"')
    assertContains(response, "icon-yes.svg")
    assertContains(response, "icon-no.svg")


def test_article_changelist_search_finds_headline_and_body(client, editor, world):
    geneva = make_article("Talks resume in Geneva", section=world)
    body_match = make_article("Other news", section=world, body="Nothing about Geneva here? Wrong.")
    make_article("Football results", section=world)

    response = client.get(ARTICLES, {"q": "Geneva"})

    assert set(response.context["cl"].result_list) == {geneva, body_match}


def test_article_changelist_filters_by_status_and_section(client, editor, world):
    sport = make_section("Sport")
    draft = make_article(section=world, state="draft")
    published = make_article(section=world)
    sport_story = make_article(section=sport)

    by_status = client.get(ARTICLES, {"status__exact": "draft"})
    by_section = client.get(ARTICLES, {"section__id__exact": sport.pk})

    assert list(by_status.context["cl"].result_list) == [draft]
    assert list(by_section.context["cl"].result_list) == [sport_story]
    assert published not in by_section.context["cl"].result_list


def test_reporter_sees_only_own_and_bylined_stories(client, reporter, world):
    own = make_article("Own story", section=world, created_by=reporter, state="draft")
    bylined = make_article("Bylined story", section=world, authors=[make_author(user=reporter)])
    make_article("Someone else's story", section=world)

    response = client.get(ARTICLES)

    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {own, bylined}
    assertNotContains(response, "Someone else")


def test_reporter_does_not_get_publish_actions(client, reporter, world):
    make_article(section=world, created_by=reporter, state="draft")

    response = client.get(ARTICLES)

    assertNotContains(response, 'value="publish"')
    assertNotContains(response, 'value="unpublish"')


def test_editor_gets_publish_actions(client, editor, world):
    make_article(section=world)

    response = client.get(ARTICLES)

    assertContains(response, 'value="publish"')
    assertContains(response, 'value="unpublish"')


def test_reporter_cannot_publish_through_the_bulk_action(client, reporter, world):
    draft = make_article(section=world, created_by=reporter, state="draft")

    client.post(ARTICLES, {"action": "publish", "_selected_action": [draft.pk]})

    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_bulk_publish_publishes_drafts_and_reports_the_count(client, editor, world):
    drafts = [make_article(section=world, state="draft") for _ in range(2)]
    already = make_article(section=world)

    response = client.post(
        ARTICLES,
        {"action": "publish", "_selected_action": [a.pk for a in [*drafts, already]]},
        follow=True,
    )

    assertContains(response, "2 stories published.")
    assert Article.objects.published().count() == 3
    for draft in drafts:
        draft.refresh_from_db()
        assert draft.is_published
        assert client.get(draft.get_absolute_url()).status_code == 200


def test_bulk_unpublish_takes_stories_back_to_draft(client, editor, world):
    stories = [make_article(section=world) for _ in range(3)]

    response = client.post(
        ARTICLES, {"action": "unpublish", "_selected_action": [a.pk for a in stories[:2]]}, follow=True
    )

    assertContains(response, "2 stories unpublished.")
    assert list(Article.objects.published()) == [stories[2]]


def test_bulk_unpublish_takes_the_story_off_the_site_at_once(client, editor, world):
    story = make_article(section=world)
    reader = Client()
    assert reader.get(story.get_absolute_url()).status_code == 200  # now in the page cache

    client.post(ARTICLES, {"action": "unpublish", "_selected_action": [story.pk]})

    assert reader.get(story.get_absolute_url()).status_code == 404


def test_bulk_publish_of_one_story_says_story(client, editor, world):
    draft = make_article(section=world, state="draft")

    response = client.post(ARTICLES, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)

    assertContains(response, "1 story published.")


# The article form


def test_add_form_uses_autocomplete_for_section_photo_and_authors(client, editor):
    response = client.get(f"{ARTICLES}add/")

    assert response.status_code == 200
    for name in ["section", "main_photo", "authors"]:
        select = re.search(rf'<select [^>]*name="{name}"[^>]*>', response.content.decode())
        assert select, name
        assert "admin-autocomplete" in select.group(0)
        assert "data-ajax--url" in select.group(0)


def test_add_form_draws_a_hidden_photo_preview_for_the_script_to_fill(client, editor):
    response = client.get(f"{ARTICLES}add/")

    preview = re.search(r"<img [^>]*data-photo-preview[^>]*>", response.content.decode())
    assert preview and " hidden" in preview.group(0)
    assertContains(response, "admin/newsroom-photo-preview.js")


def test_photo_image_url_redirects_staff_to_the_file(client, reporter):
    photo = make_photo()

    response = client.get(f"/admin/articles/photo/{photo.pk}/image/")

    assert response.status_code == 302
    assert response["Location"] == photo.image.url


def test_photo_image_url_is_refused_to_a_staff_user_without_photo_access(client):
    client.force_login(make_user("reader", is_staff=True))  # staff, but in no group
    photo = make_photo()

    assert client.get(f"/admin/articles/photo/{photo.pk}/image/").status_code == 403


def test_section_autocomplete_answers_a_reporter(client, reporter, world):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "section", "term": "Wor"},
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(world.pk), "text": "World"}]


def test_editor_creates_and_publishes_a_story(client, editor, world):
    author, photo = make_author("Ann Lee"), make_photo()
    url = f"{ARTICLES}add/"
    data = form_post_data(
        client,
        url,
        **article_fields(world, status=Article.Status.PUBLISHED, authors=[author.pk], main_photo=photo.pk),
    )

    response = client.post(url, data)

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.is_published
    assert article.slug == "talks-resume-in-geneva"
    assert article.created_by == editor
    assert list(article.authors.all()) == [author]
    assert article.main_photo == photo
    assert sorted(tag.name for tag in article.tags.all()) == ["diplomacy", "geneva"]
    assert article.updated_at is None
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_editor_schedules_a_story(client, editor, world):
    url = f"{ARTICLES}add/"
    when = timezone.localtime() + timedelta(days=1)
    data = form_post_data(
        client,
        url,
        **article_fields(
            world,
            status=Article.Status.PUBLISHED,
            published_at_0=f"{when:%Y-%m-%d}",
            published_at_1=f"{when:%H:%M:%S}",
        ),
    )

    assert client.post(url, data).status_code == 302
    article = Article.objects.get()
    assert article.is_scheduled
    assert not Article.objects.published().exists()


def test_reporter_who_tries_to_publish_gets_an_error_and_keeps_the_draft(client, reporter, world):
    url = f"{ARTICLES}add/"
    data = form_post_data(client, url, **article_fields(world, status=Article.Status.PUBLISHED))

    response = client.post(url, data)

    assert response.status_code == 200
    assertContains(response, REPORTER_ERROR)
    # The text is still in the form, ready to be saved as a draft.
    assertContains(response, 'value="Talks resume in Geneva"')
    assertContains(response, "Delegations met for the first time in a year.")
    assert not Article.objects.exists()


def test_reporter_can_save_a_draft(client, reporter, world):
    url = f"{ARTICLES}add/"
    data = form_post_data(client, url, **article_fields(world))

    response = client.post(url, data)

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.created_by == reporter
    assert not Article.objects.published().exists()


def test_reporter_cannot_change_a_published_story(client, reporter, world):
    article = make_article("Published headline", section=world, created_by=reporter)
    url = f"{ARTICLES}{article.pk}/change/"

    edit = client.post(url, form_post_data(client, url, **change_fields(article, headline="Edited headline")))
    unpublish = client.post(
        url, form_post_data(client, url, **change_fields(article, status=Article.Status.DRAFT))
    )

    assert edit.status_code == unpublish.status_code == 200
    assertContains(edit, REPORTER_ERROR)
    assertContains(unpublish, REPORTER_ERROR)
    article.refresh_from_db()
    assert article.headline == "Published headline"
    assert article.is_published


def test_reporter_is_offered_draft_and_review_and_no_publication_times(client, reporter, world):
    response = client.get(f"{ARTICLES}add/")

    status = re.search(r'<select name="status".*?</select>', response.content.decode(), re.S).group(0)
    assert re.findall(r'<option value="(\w+)"', status) == ["draft", "review"]
    for name in ["published_at", "unpublish_at"]:
        assertNotContains(response, f'name="{name}_0"')
        assertContains(response, f'class="form-row field-{name}"')  # shown read-only


def test_editor_is_offered_every_status_and_the_publication_times(client, editor, world):
    response = client.get(f"{ARTICLES}add/")

    status = re.search(r'<select name="status".*?</select>', response.content.decode(), re.S).group(0)
    assert re.findall(r'<option value="(\w+)"', status) == ["draft", "review", "published"]
    assertContains(response, 'name="published_at_0"')
    assertContains(response, 'name="unpublish_at_0"')


def test_reporter_sees_the_status_of_a_published_story_read_only(client, reporter, world):
    article = make_article(section=world, created_by=reporter)

    response = client.get(f"{ARTICLES}{article.pk}/change/")

    assertNotContains(response, '<select name="status"')
    assertContains(response, '<div class="readonly">Published</div>')


@pytest.mark.parametrize(
    "posted",
    [
        {"published_at_0": "2030-01-01", "published_at_1": "12:00:00"},
        {"unpublish_at_0": "2030-01-01", "unpublish_at_1": "12:00:00"},
        {"published_at": "2030-01-01 12:00:00"},
    ],
    ids=["publication-time", "unpublish-time", "single-field"],
)
def test_reporter_posting_publication_times_by_hand_is_refused_and_keeps_the_text(
    client, reporter, world, posted
):
    url = f"{ARTICLES}add/"
    data = form_post_data(client, url, **article_fields(world, status=Article.Status.REVIEW, **posted))

    response = client.post(url, data)

    assert response.status_code == 200
    assertContains(response, REPORTER_ERROR)
    assertContains(response, 'value="Talks resume in Geneva"')
    assertContains(response, "Delegations met for the first time in a year.")
    assert not Article.objects.exists()


def test_reporter_posting_times_to_own_draft_by_hand_changes_nothing(client, reporter, world):
    draft = make_article("My draft", section=world, created_by=reporter, state="draft")
    url = f"{ARTICLES}{draft.pk}/change/"
    when = {"published_at_0": "2030-01-01", "published_at_1": "12:00:00"}

    response = client.post(url, form_post_data(client, url, **change_fields(draft, body="New body.", **when)))

    assert response.status_code == 200
    assertContains(response, REPORTER_ERROR)
    assertContains(response, "New body.")
    draft.refresh_from_db()
    assert draft.published_at is None and draft.body != "New body."


def test_reporter_submits_a_draft_for_review(client, reporter, world):
    draft = make_article("My draft", section=world, created_by=reporter, state="draft")
    url = f"{ARTICLES}{draft.pk}/change/"

    response = client.post(url, form_post_data(client, url, **change_fields(draft, status="review")))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW
    assert not draft.is_published
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_editor_cannot_set_an_unpublish_time_before_publication(client, editor, world):
    url = f"{ARTICLES}add/"
    when = timezone.localtime() + timedelta(days=1)
    data = form_post_data(
        client,
        url,
        **article_fields(
            world,
            status=Article.Status.PUBLISHED,
            published_at_0=f"{when:%Y-%m-%d}",
            published_at_1=f"{when:%H:%M:%S}",
            unpublish_at_0=f"{when - timedelta(hours=1):%Y-%m-%d}",
            unpublish_at_1=f"{when - timedelta(hours=1):%H:%M:%S}",
        ),
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assertContains(response, "Choose a time after the publication time")
    assert not Article.objects.exists()


def test_editor_publishes_with_an_unpublish_time(client, editor, world):
    url = f"{ARTICLES}add/"
    until = timezone.localtime() + timedelta(days=2)
    data = form_post_data(
        client,
        url,
        **article_fields(
            world,
            status=Article.Status.PUBLISHED,
            unpublish_at_0=f"{until:%Y-%m-%d}",
            unpublish_at_1=f"{until:%H:%M:%S}",
        ),
    )

    assert client.post(url, data).status_code == 302
    article = Article.objects.get()
    assert article.is_published
    assert article.unpublish_at == until.replace(microsecond=0)


def test_reporter_cannot_open_someone_elses_story(client, reporter, world):
    article = make_article(section=world, state="draft")

    response = client.get(f"{ARTICLES}{article.pk}/change/")

    assert response.status_code == 302  # the admin sends them back to the index with a message
    assert response["Location"] == "/admin/"


def test_editing_a_published_story_sets_updated_time(client, editor, world):
    article = make_article(section=world, published_at=timezone.now() - timedelta(hours=3))
    url = f"{ARTICLES}{article.pk}/change/"

    response = client.post(
        url, form_post_data(client, url, **change_fields(article, body="A corrected body."))
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.updated_at > article.published_at
    assert article.was_updated
    assertContains(client.get(article.get_absolute_url()), "Updated")


@pytest.mark.parametrize("minutes", [0, 9])
def test_an_edit_within_the_grace_period_does_not_mark_the_story_updated(
    client, editor, world, settings, minutes
):
    settings.UPDATED_GRACE_MINUTES = 10
    article = make_article(section=world, published_at=timezone.now() - timedelta(minutes=minutes, seconds=5))
    url = f"{ARTICLES}{article.pk}/change/"

    response = client.post(
        url, form_post_data(client, url, **change_fields(article, headline="A typo fixed"))
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "A typo fixed"
    assert article.updated_at is None
    assertNotContains(client.get(article.get_absolute_url()), "dateline__updated")


def test_a_body_edit_readers_cannot_see_does_not_mark_the_story_updated(client, editor, world):
    article = make_article(
        section=world, body="First line\nof a paragraph.", published_at=timezone.now() - timedelta(hours=3)
    )
    url = f"{ARTICLES}{article.pk}/change/"

    # Spaces and a line break inside a paragraph: the same HTML.
    client.post(
        url, form_post_data(client, url, **change_fields(article, body="First   line\nof a paragraph.  "))
    )

    article.refresh_from_db()
    assert article.body == "First   line\nof a paragraph."
    assert article.updated_at is None


def test_retagging_a_published_story_does_not_mark_it_updated(client, editor, world):
    article = make_article(section=world, tags=["one"])
    url = f"{ARTICLES}{article.pk}/change/"

    client.post(url, form_post_data(client, url, **change_fields(article, tags="one, two")))

    article.refresh_from_db()
    assert article.updated_at is None
    assert sorted(tag.name for tag in article.tags.all()) == ["one", "two"]


def test_publishing_an_edited_draft_does_not_mark_it_updated(client, editor, world):
    draft = make_article(section=world, state="draft", published_at=timezone.now() - timedelta(hours=1))
    url = f"{ARTICLES}{draft.pk}/change/"

    response = client.post(
        url,
        form_post_data(
            client, url, **change_fields(draft, body="Final text.", status=Article.Status.PUBLISHED)
        ),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    assert not draft.was_updated


def test_new_story_with_another_storys_headline_gets_a_free_slug(client, editor, world):
    make_article("Talks resume in Geneva", section=world)
    url = f"{ARTICLES}add/"
    # What the admin's script fills in from the headline: the other story's slug.
    data = form_post_data(client, url, **article_fields(world, slug="talks-resume-in-geneva"))

    response = client.post(url, data)

    assert response.status_code == 302
    assert Article.objects.latest("pk").slug == "talks-resume-in-geneva-2"


def test_new_story_with_the_headline_of_an_old_link_gets_a_free_slug(client, editor, world):
    old = make_article("Storm hits the coast", section=world)
    old.slug = "storm-moves-inland"
    old.save()
    url = f"{ARTICLES}add/"

    response = client.post(
        url, form_post_data(client, url, **article_fields(world, slug="storm-hits-the-coast"))
    )

    assert response.status_code == 302
    new = Article.objects.latest("pk")
    assert new.slug == "storm-hits-the-coast-2"
    # The old link still leads to the story that had it.
    response = client.get(f"/world/{timezone.localtime(old.published_at):%Y/%m/%d}/storm-hits-the-coast/")
    assert response.status_code == 301 and response["Location"] == old.get_absolute_url()


def test_typed_slug_of_another_storys_old_link_names_the_story_and_a_free_slug(client, editor, world):
    old = make_article("Storm hits the coast", section=world)
    old.slug = "storm-moves-inland"
    old.save()
    url = f"{ARTICLES}add/"
    data = form_post_data(client, url, **article_fields(world, slug="storm-hits-the-coast", _slug_typed="1"))

    response = client.post(url, data)

    assert response.status_code == 200
    assertContains(
        response,
        "Old links to the story “Storm hits the coast” use this slug, and must keep leading there. "
        "“storm-hits-the-coast-2” is free.",
    )
    assertContains(response, 'value="Talks resume in Geneva"')  # the text is kept
    assert Article.objects.count() == 1


def test_typed_slug_of_another_story_names_it_and_a_free_slug(client, editor, world):
    make_article("Talks resume in Geneva", section=world)
    make_article("Talks resume again", section=world, slug="talks-resume-in-geneva-2")
    url = f"{ARTICLES}add/"
    data = form_post_data(
        client, url, **article_fields(world, slug="talks-resume-in-geneva", _slug_typed="1")
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assertContains(
        response,
        "The story “Talks resume in Geneva” already has this slug. “talks-resume-in-geneva-3” is free.",
    )


def test_changing_a_saved_storys_slug_to_a_taken_one_is_refused(client, editor, world):
    make_article("Talks resume in Geneva", section=world)
    article = make_article("Another story", section=world)
    url = f"{ARTICLES}{article.pk}/change/"

    response = client.post(
        url, form_post_data(client, url, **change_fields(article, slug="talks-resume-in-geneva"))
    )

    assert response.status_code == 200
    assertContains(response, "The story “Talks resume in Geneva” already has this slug.")
    article.refresh_from_db()
    assert article.slug == "another-story"


def test_a_storys_own_old_slug_is_free_for_it(client, editor, world):
    article = make_article("Storm hits the coast", section=world)
    article.slug = "storm-moves-inland"
    article.save()
    url = f"{ARTICLES}{article.pk}/change/"

    response = client.post(
        url, form_post_data(client, url, **change_fields(article, slug="storm-hits-the-coast"))
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.slug == "storm-hits-the-coast"


def test_slug_help_text_says_what_happens(client, editor):
    response = client.get(f"{ARTICLES}add/")

    assertContains(response, "If another story already has it, a number is added when you save")
    assertContains(response, "admin/newsroom-slug.js")


def test_article_change_page_links_to_the_story_on_the_site(client, editor, world):
    article = make_article(section=world, state="draft")

    response = client.get(f"{ARTICLES}{article.pk}/change/")

    assertContains(response, "View on site")
    assertContains(response, f'href="{article.get_absolute_url()}"')
    assertContains(response, f"/s/{article.short_code}")


# Sections


@pytest.mark.parametrize("slug", ["admin", "search"])
def test_section_cannot_take_an_address_of_another_part_of_the_site(client, editor, slug):
    url = "/admin/articles/section/add/"

    response = client.post(url, form_post_data(client, url, name="Odd", slug=slug, position=0))

    assert response.status_code == 200
    assertContains(response, "This address is used by another part of the site.")
    assert not Section.objects.exists()


def test_editor_adds_a_section_that_readers_can_open(client, editor):
    url = "/admin/articles/section/add/"

    response = client.post(url, form_post_data(client, url, name="Science", slug="science", position=3))

    assert response.status_code == 302
    client.logout()
    assert client.get("/science/").status_code == 200


# Photos


def photo_fields(image, **overrides):
    fields = {
        "image": image,
        "alt_text": "Delegates at the table",
        "caption": "Delegates meet.",
        "credit": "© Agency",
    }
    fields.update(overrides)
    return fields


def upload_photo(client, **fields):
    url = f"{PHOTOS}add/"
    return client.post(url, form_post_data(client, url, **photo_fields(**fields)))


def test_valid_photo_upload_stores_size_and_uploader(client, editor, settings):
    response = upload_photo(client, image=jpeg_upload("Geneva talks.JPG", width=320, height=200))

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (320, 200)
    assert photo.uploaded_by == editor
    assert "Geneva" not in photo.image.name
    # The picture and its renditions (articles/renditions.py), nothing else.
    stored = sorted(path.relative_to(settings.MEDIA_ROOT).as_posix() for path in media_files(settings))
    assert stored == sorted([photo.image.name, *renditions.names(photo.renditions)])
    # 320 wide: one WebP and one JPEG of the whole, and of each crop (16:9, 4:3, 1:1).
    assert len(stored) == 1 + 2 + 3 * 2


def test_reporter_can_upload_a_photo(client, reporter):
    assert upload_photo(client, image=jpeg_upload()).status_code == 302
    assert Photo.objects.get().uploaded_by == reporter


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: uploaded_file(b"This is not a picture at all.\n" * 20), "not an image we can read"),
        (lambda: uploaded_file(jpeg_bytes(640, 480, noisy=True)[:6000]), "damaged or incomplete"),
        (lambda: uploaded_file(b""), "The submitted file is empty"),
    ],
    ids=["text-named-jpg", "truncated-jpeg", "empty-file"],
)
def test_broken_upload_gets_a_clear_error_and_leaves_nothing(client, editor, settings, upload, message):
    response = upload_photo(client, image=upload())

    assert response.status_code == 200
    assertContains(response, message)
    assert not Photo.objects.exists()
    assert media_files(settings) == []


def test_oversized_upload_gets_a_clear_error_and_leaves_nothing(client, editor, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 2000
    image = jpeg_upload(width=640, height=480, noisy=True)
    assert image.size > 2000

    response = upload_photo(client, image=image)

    assert response.status_code == 200
    assertContains(response, "the limit is 2.0\xa0KB")
    assert not Photo.objects.exists()
    assert media_files(settings) == []


def test_upload_with_too_many_pixels_gets_a_clear_error_and_leaves_nothing(client, editor, settings):
    settings.PHOTO_MAX_PIXELS = 10_000

    response = upload_photo(client, image=jpeg_upload(width=200, height=100))

    assert response.status_code == 200
    assertContains(response, "This image is 200 × 100 pixels, more than the 0.01 megapixels allowed.")
    assert not Photo.objects.exists()
    assert media_files(settings) == []


def test_image_format_outside_the_list_is_refused(client, editor, settings):
    bmp = uploaded_file(image_bytes(40, 30, "BMP"), "photo.bmp", "image/bmp")

    response = upload_photo(client, image=bmp)

    assert response.status_code == 200
    assertContains(response, "BMP images are not accepted.")
    assert not Photo.objects.exists()
    assert media_files(settings) == []


def test_editing_a_photo_caption_keeps_the_image(client, editor):
    photo = make_photo(caption="Old caption")
    name = photo.image.name
    url = f"{PHOTOS}{photo.pk}/change/"

    response = client.post(url, form_post_data(client, url, **photo_fields("", caption="New caption")))

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "New caption"
    assert photo.image.name == name


def test_photo_changelist_searches_caption_and_credit(client, editor):
    geneva = make_photo(caption="Delegates meet in Geneva", credit="© Agency One")
    reuters = make_photo(caption="A football match", credit="Reuters")
    make_photo(caption="Something else", credit="Staff")

    by_caption = client.get(PHOTOS, {"q": "Geneva"})
    by_credit = client.get(PHOTOS, {"q": "Reuters"})

    assert list(by_caption.context["cl"].result_list) == [geneva]
    assert list(by_credit.context["cl"].result_list) == [reuters]
    assertContains(by_caption, f'src="{geneva.thumbnail_url()}"')  # its smallest rendition


# The front page's slots


FRONT_PAGE_SLOTS = "/admin/articles/frontpageslot/"


def test_editor_pins_stories_to_free_slots_with_the_action(client, editor, world, settings):
    settings.FRONT_PAGE_SLOTS = 3
    older = make_article("Older", section=world, published_at=timezone.now() - timedelta(hours=3))
    newer = make_article("Newer", section=world, published_at=timezone.now() - timedelta(hours=2))
    FrontPageSlot.objects.create(position=1, article=make_article("Already top", section=world))

    response = client.post(
        ARTICLES, {"action": "pin_to_front_page", "_selected_action": [older.pk, newer.pk]}, follow=True
    )

    assertContains(response, "2 stories pinned to the front page (slots 2, 3).")
    slots = {slot.position: slot for slot in FrontPageSlot.objects.all()}
    assert (slots[2].article, slots[3].article) == (newer, older)
    assert slots[2].pinned_by == editor


def test_pinning_with_no_free_slot_says_so_and_changes_nothing(client, editor, world, settings):
    settings.FRONT_PAGE_SLOTS = 1
    FrontPageSlot.objects.create(position=1, article=make_article("Top", section=world))
    waiting = make_article("Waiting", section=world)

    response = client.post(
        ARTICLES, {"action": "pin_to_front_page", "_selected_action": [waiting.pk]}, follow=True
    )

    assertContains(response, "No free slot on the front page for: Waiting.")
    assert list(FrontPageSlot.objects.values_list("article__headline", flat=True)) == ["Top"]


def test_pinning_reuses_an_expired_slot_and_skips_drafts(client, editor, world, settings):
    settings.FRONT_PAGE_SLOTS = 1
    FrontPageSlot.objects.create(
        position=1, article=make_article("Yesterday", section=world), pinned_until=timezone.now()
    )
    today = make_article("Today", section=world)
    draft = make_article("Draft", section=world, state="draft")

    response = client.post(
        ARTICLES, {"action": "pin_to_front_page", "_selected_action": [today.pk, draft.pk]}, follow=True
    )

    assertContains(response, "1 story is not published and was not pinned.")
    assert FrontPageSlot.objects.get().article == today
    assert Article.objects.published().front_page()[0] == today


def test_reporter_gets_neither_the_pin_action_nor_the_slots(client, reporter, world):
    mine = make_article("Mine", section=world, created_by=reporter)

    response = client.get(ARTICLES)

    assertNotContains(response, "pin_to_front_page")
    assert client.get(FRONT_PAGE_SLOTS).status_code == 403
    assert client.post(f"{FRONT_PAGE_SLOTS}add/", {"position": 1, "article": mine.pk}).status_code == 403
    client.post(ARTICLES, {"action": "pin_to_front_page", "_selected_action": [mine.pk]})
    assert not FrontPageSlot.objects.exists()


def test_editor_sets_a_slot_with_an_end_time(client, editor, world):
    story = make_article("Election night", section=world)
    until = timezone.localtime() + timedelta(hours=6)

    response = client.post(
        f"{FRONT_PAGE_SLOTS}add/",
        {
            "position": 1,
            "article": story.pk,
            "pinned_until_0": f"{until:%Y-%m-%d}",
            "pinned_until_1": f"{until:%H:%M:%S}",
        },
    )

    assert response.status_code == 302
    slot = FrontPageSlot.objects.get()
    assert (slot.article, slot.pinned_by) == (story, editor)
    assert slot.pinned_until is not None
    assert client.get(f"{FRONT_PAGE_SLOTS}add/").context["adminform"].form.initial["position"] == 2


@pytest.mark.parametrize(
    ("position", "state", "field", "message"),
    [
        (4, "published", "position", "The front page has 3 slots"),
        (1, "draft", "article", "Select a valid choice"),
        (0, "published", "position", "greater than or equal to 1"),
    ],
)
def test_slot_form_refuses_drafts_and_slots_the_page_does_not_have(
    client, editor, world, settings, position, state, field, message
):
    settings.FRONT_PAGE_SLOTS = 3
    story = make_article("Story", section=world, state=state)

    response = client.post(f"{FRONT_PAGE_SLOTS}add/", {"position": position, "article": story.pk})

    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors[field])
    assert not FrontPageSlot.objects.exists()


# The story form and the photo picker


def test_story_form_marks_headline_and_lead_for_the_character_count(client, editor):
    response = client.get(f"{ARTICLES}add/")

    assertContains(response, 'data-count-limit="70"')
    assertContains(response, 'data-count-limit="160"')
    assertContains(response, "search results show about 70 characters")
    assertContains(response, "newsroom-counter.js")


def test_photo_picker_results_carry_thumbnail_and_details(client, editor):
    reuters = make_photo(caption="Crowds outside parliament", credit="Reuters")
    agency = make_photo(caption="Crowds outside parliament", credit="AP")
    make_photo(caption="A quiet street")

    response = client.get(
        f"{PHOTOS}autocomplete/",
        {"term": "Crowds", "app_label": "articles", "model_name": "article", "field_name": "main_photo"},
    )

    assert response.status_code == 200
    results = {result["id"]: result for result in response.json()["results"]}
    assert set(results) == {str(reuters.pk), str(agency.pk)}
    assert results[str(reuters.pk)]["thumb"] == reuters.thumbnail_url()
    assert results[str(reuters.pk)]["details"].startswith("Reuters · 160 × 90 · ")
    assert results[str(reuters.pk)]["text"] != results[str(agency.pk)]["text"]


def test_photo_picker_is_used_for_story_and_author_photos(client, editor):
    photo = make_photo(caption="Portrait", credit="Staff")
    author = make_author("Ann Lee", photo=photo)

    for url in (f"{ARTICLES}add/", f"/admin/articles/author/{author.pk}/change/"):
        response = client.get(url)
        assertContains(response, 'data-ajax--url="/admin/articles/photo/autocomplete/"')
        assertContains(response, "newsroom-photo-picker.js")
    # The chosen photo is named with its details too.
    assertContains(response, "Portrait — Staff · 160 × 90 · ")


def test_photo_picker_refuses_users_without_photo_access(client):
    client.force_login(make_user("editor", is_staff=False))
    query = {"term": "", "app_label": "articles", "model_name": "article", "field_name": "main_photo"}
    assert client.get(f"{PHOTOS}autocomplete/", query).status_code == 302  # to the admin login
    client.force_login(make_user("reader", is_staff=True))
    assert client.get(f"{PHOTOS}autocomplete/", query).status_code == 403


def test_story_list_shows_publication_date_over_time(client, editor, world):
    make_article(
        "Dated", section=world, published_at=timezone.make_aware(timezone.datetime(2026, 3, 5, 14, 30))
    )

    response = client.get(ARTICLES)

    assertContains(response, '<td class="field-publication">March 5, 2026<br>2:30 p.m.</td>', html=True)
