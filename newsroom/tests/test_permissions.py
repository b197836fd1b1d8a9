"""Who may do what: every boundary of the admin and of draft previews, one role at a time.

Anonymous visitors and readers never reach the admin; reporters write and edit their own drafts
but cannot publish, moderate, or read other reporters' drafts (not in the admin, not on the
site); editors see and publish everything; moderators act only on the comments of their sections.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Photo
from articles.tests.factories import make_article, make_author, make_photo, make_section, make_user
from comments.models import Comment, Moderator
from comments.tests.helpers import make_comments

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
ARTICLES = "/admin/articles/article/"
COMMENTS = "/admin/comments/comment/"


@pytest.fixture
def world():
    return make_section("World", slug="world")


@pytest.fixture
def sport():
    return make_section("Sport", slug="sport")


def make_moderator(*sections):
    user = make_user("reader", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    if sections:
        Moderator.objects.create(user=user).sections.set(sections)
    return user


def draft_by(user, section, **kwargs):
    return make_article(state="draft", section=section, created_by=user, **kwargs)


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


# Anonymous visitors and readers


@pytest.mark.parametrize("path", [ADMIN, ARTICLES, f"{ARTICLES}add/", COMMENTS, "/admin/articles/photo/add/"])
def test_anonymous_visitors_are_sent_to_the_login(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('admin:login')}?next=")


@pytest.mark.parametrize("path", [ADMIN, ARTICLES, COMMENTS])
def test_reader_accounts_cannot_reach_the_admin(client, path):
    client.force_login(make_user("reader"))

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('admin:login')}?next=")


@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_drafts_and_scheduled_stories_are_not_found_for_the_public(client, world, role):
    if role == "reader":
        client.force_login(make_user("reader"))
    for state in ("draft", "scheduled"):
        article = make_article(state=state, section=world)
        assert client.get(article.get_absolute_url()).status_code == 404


# Reporters


def test_reporter_adds_and_edits_own_draft(client, world):
    from articles.tests.test_admin import article_fields, change_fields, form_post_data

    reporter = make_user("reporter")
    client.force_login(reporter)
    url = f"{ARTICLES}add/"
    assert client.post(url, form_post_data(client, url, **article_fields(world))).status_code == 302
    article = Article.objects.get()
    assert article.created_by == reporter and article.status == Article.Status.DRAFT

    url = change_url(article)
    response = client.post(url, form_post_data(client, url, **change_fields(article, headline="Better")))

    assert response.status_code == 302
    assert Article.objects.get().headline == "Better"


def test_reporter_cannot_publish_own_draft(client, world):
    from articles.tests.test_admin import change_fields, form_post_data

    reporter = make_user("reporter")
    client.force_login(reporter)
    article = draft_by(reporter, world)
    url = change_url(article)

    response = client.post(url, form_post_data(client, url, **change_fields(article, status="published")))
    client.post(ARTICLES, {"action": "publish", "_selected_action": [article.pk]})

    assert response.status_code == 200
    assert Article.objects.get().status == Article.Status.DRAFT


def test_reporter_sees_neither_other_reporters_drafts_nor_their_change_pages(client, world):
    mine, theirs = make_user("reporter"), make_user("reporter")
    own = draft_by(mine, world, headline="My own draft")
    other = draft_by(theirs, world, headline="Embargoed scoop")
    client.force_login(mine)

    changelist = client.get(ARTICLES)
    change = client.get(change_url(other))
    posted = client.post(change_url(other), {"headline": "Hijacked"})

    assert list(changelist.context["cl"].result_list) == [own]
    assert "Embargoed scoop" not in changelist.text
    assert change.status_code == 302 and change["Location"] == ADMIN  # "does not exist"
    assert posted.status_code == 302 and posted["Location"] == ADMIN
    assert Article.objects.get(pk=other.pk).headline == "Embargoed scoop"


def test_reporter_previews_own_and_bylined_drafts_but_not_other_reporters(client, world):
    mine, theirs = make_user("reporter"), make_user("reporter")
    own = draft_by(mine, world)
    bylined = draft_by(theirs, world, authors=[make_author(user=mine)])
    other = draft_by(theirs, world, authors=[make_author()])
    scheduled = make_article(state="scheduled", section=world, created_by=theirs)
    client.force_login(mine)

    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(bylined.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_reporter_cannot_follow_an_old_link_to_another_reporters_draft(client, world):
    theirs = make_user("reporter")
    article = make_article(section=world, created_by=theirs, headline="First headline")
    old_url = article.get_absolute_url()
    article.headline, article.slug, article.status = (
        "Second headline",
        "second-headline",
        Article.Status.DRAFT,
    )
    article.save()
    client.force_login(make_user("reporter"))

    assert client.get(old_url).status_code == 404


def test_reporter_cannot_moderate_comments(client, world):
    client.force_login(make_user("reporter"))
    article = make_article(section=world)
    (comment,) = make_comments(article, 1, status=Comment.Status.PENDING)

    listing = client.get(COMMENTS)
    action = client.post(COMMENTS, {"action": "approve", "_selected_action": [comment.pk]})
    change = client.post(change_url(comment), {"status": "published"})

    assert listing.status_code == 403
    assert action.status_code == 403
    assert change.status_code == 403
    assert Comment.objects.get().status == Comment.Status.PENDING


# Photos: reporters change only their own uploads that no published story shows


def post_caption(client, photo, caption):
    from articles.tests.test_admin import form_post_data

    url = change_url(photo)
    fields = {"image": "", "alt_text": photo.alt_text, "caption": caption, "credit": photo.credit}
    return client.post(url, form_post_data(client, url, **fields))


def test_reporter_changes_own_photo_that_no_published_story_uses(client, world):
    reporter = make_user("reporter")
    photo = make_photo(uploaded_by=reporter, caption="Before")
    draft_by(reporter, world, main_photo=photo)  # a draft's photo is not on the site yet
    client.force_login(reporter)

    page = client.get(change_url(photo))
    response = post_caption(client, photo, "After")

    assert 'name="caption"' in page.text
    assert response.status_code == 302
    assert Photo.objects.get(pk=photo.pk).caption == "After"


@pytest.mark.parametrize("state", ["published", "scheduled"])
def test_reporter_cannot_change_own_photo_used_by_a_published_story(client, world, state):
    reporter = make_user("reporter")
    photo = make_photo(uploaded_by=reporter, caption="Before")
    make_article(section=world, state=state, main_photo=photo)
    client.force_login(reporter)

    page = client.get(change_url(photo))
    response = post_caption(client, photo, "After")

    assert page.status_code == 200 and 'name="caption"' not in page.text  # read-only
    assert "Before" in page.text
    assert response.status_code == 403
    assert Photo.objects.get(pk=photo.pk).caption == "Before"


def test_reporter_cannot_change_someone_elses_photo(client, world):
    photo = make_photo(uploaded_by=make_user("reporter"), caption="Before")
    client.force_login(make_user("reporter"))

    page = client.get(change_url(photo))
    response = post_caption(client, photo, "After")

    assert page.status_code == 200 and 'name="caption"' not in page.text
    assert response.status_code == 403
    assert Photo.objects.get(pk=photo.pk).caption == "Before"


def test_reporter_still_lists_every_photo_and_picks_any_for_a_story(client, world):
    mine, theirs = make_user("reporter"), make_user("reporter")
    own = make_photo(uploaded_by=mine)
    other = make_photo(uploaded_by=theirs, caption="A photo from the desk")
    make_article(section=world, main_photo=other)
    client.force_login(mine)

    listing = client.get("/admin/articles/photo/")
    picker = client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "main_photo", "term": "desk"},
    )

    assert set(listing.context["cl"].result_list) == {own, other}
    assert [result["id"] for result in picker.json()["results"]] == [str(other.pk)]


def test_editor_changes_and_deletes_any_photo(client, world):
    photo = make_photo(uploaded_by=make_user("reporter"), caption="Before")
    make_article(section=world, main_photo=photo)
    client.force_login(make_user("editor"))

    response = post_caption(client, photo, "After")

    assert response.status_code == 302
    assert Photo.objects.get(pk=photo.pk).caption == "After"
    deleted = client.post(f"/admin/articles/photo/{photo.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert not Photo.objects.filter(pk=photo.pk).exists()


# Editors


def test_editor_sees_and_previews_every_draft_and_publishes(client, world):
    reporter, editor = make_user("reporter"), make_user("editor")
    draft = draft_by(reporter, world, headline="A reporter's draft")
    client.force_login(editor)

    assert draft in client.get(ARTICLES).context["cl"].result_list
    assert client.get(change_url(draft)).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 200

    response = client.post(ARTICLES, {"action": "publish", "_selected_action": [draft.pk]})

    assert response.status_code == 302
    assert Article.objects.get(pk=draft.pk).is_published


# Moderators


def test_moderator_sees_and_moderates_only_the_comments_of_their_sections(client, world, sport):
    client.force_login(make_moderator(world))
    (here,) = make_comments(make_article(section=world), 1, status=Comment.Status.PENDING)
    (there,) = make_comments(make_article(section=sport), 1, status=Comment.Status.PENDING)

    listing = client.get(COMMENTS)
    other_page = client.get(change_url(there))
    client.post(COMMENTS, {"action": "approve", "_selected_action": [here.pk, there.pk]})

    assert list(listing.context["cl"].result_list) == [here]
    assert other_page.status_code == 302 and other_page["Location"] == ADMIN
    assert Comment.objects.get(pk=here.pk).status == Comment.Status.PUBLISHED
    assert Comment.objects.get(pk=there.pk).status == Comment.Status.PENDING


def test_moderator_without_sections_moderates_everywhere(client, world, sport):
    client.force_login(make_moderator())
    make_comments(make_article(section=world), 1)
    make_comments(make_article(section=sport), 1)

    assert len(client.get(COMMENTS).context["cl"].result_list) == 2


def test_moderator_can_neither_edit_stories_nor_preview_drafts(client, world):
    client.force_login(make_moderator(world))
    draft = draft_by(make_user("reporter"), world)
    (held,) = make_comments(draft, 1, status=Comment.Status.PENDING)

    assert client.get(ARTICLES).status_code == 403
    assert client.get(draft.get_absolute_url()).status_code == 404
    # A held comment's link must not lead a moderator (staff) to the draft it is under.
    assert client.get(held.get_absolute_url()).status_code == 404


def test_comment_link_under_a_draft_follows_the_preview_rule(client, world):
    reporter = make_user("reporter")
    own = draft_by(reporter, world)
    other = draft_by(make_user("reporter"), world)
    (on_own,) = make_comments(own, 1)
    (on_other,) = make_comments(other, 1)
    client.force_login(reporter)

    assert client.get(on_own.get_absolute_url()).status_code == 302
    assert client.get(on_other.get_absolute_url()).status_code == 404


# Tags


TAGS = "/admin/taggit/tag/"


@pytest.fixture
def tagged(world):
    reporter, other = make_user("reporter"), make_user("reporter")
    make_article(section=world, tags=["Elections"])
    draft_by(reporter, world, tags=["Own scoop"])
    draft_by(other, world, tags=["Bylined scoop"], authors=[make_author(user=reporter)])
    draft_by(other, world, tags=["Acme merger"])
    make_article(section=world, tags=["Next week"], state="scheduled", created_by=other)
    return reporter


def test_reporters_see_only_tags_of_public_stories_and_their_own(client, tagged):
    client.force_login(tagged)

    listing = client.get(TAGS).content.decode()

    for name in ("Elections", "Own scoop", "Bylined scoop"):
        assert name in listing
    for name in ("Acme merger", "Next week"):
        assert name not in listing
    hidden = client.get(change_url(Tag.objects.get(name="Acme merger")), follow=True)
    assert "Acme merger" not in hidden.content.decode()
    # The tagged-items inline would name other reporters' drafts.
    shown = client.get(change_url(Tag.objects.get(name="Elections")))
    assert shown.status_code == 200 and "taggit_taggeditem_items" not in shown.content.decode()


def test_only_editors_merge_tags(client, tagged):
    client.force_login(tagged)
    assert client.get(f"{TAGS}merge-tags/").status_code == 403
    assert "render_tag_form" not in client.get(TAGS).content.decode()
    client.force_login(make_user("editor"))
    assert "render_tag_form" in client.get(TAGS).content.decode()
    assert client.get(f"{TAGS}merge-tags/").status_code == 200


def test_editors_see_every_tag(client, tagged):
    client.force_login(make_user("editor"))

    listing = client.get(TAGS).content.decode()

    for name in ("Elections", "Own scoop", "Bylined scoop", "Acme merger", "Next week"):
        assert name in listing
