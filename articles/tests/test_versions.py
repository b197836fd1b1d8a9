"""Versions of stories in the admin: kept on every save, compared, restored, and saves from an
older version refused with the other editor's change shown and nothing typed lost."""

import threading

import pytest
from django.db import connection
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Photo
from audit.models import Entry

from .factories import make_article, make_author, make_photo, make_section, make_user
from .test_admin import ARTICLES, change_fields, form_post_data

pytestmark = pytest.mark.django_db


def change_url(article):
    return f"{ARTICLES}{article.pk}/change/"


def editor_client(name):
    client = Client()
    user = make_user("editor", username=name, first_name=name.capitalize())
    client.force_login(user)
    return client, user


def open_form(client, article, **changes):
    """What `client` posts when it saves the form it opens now, with `changes` typed in."""
    data = form_post_data(client, change_url(article), **change_fields(article, base_version=article.version))
    data.update(changes)
    return data


@pytest.fixture
def story():
    return make_article(
        "Reservoir levels fall",
        section=make_section("World", slug="world"),
        lead="The old lead.",
        body="Water levels fell for a third week.\n\nFarmers asked for help.",
        tags=["water"],
        authors=[make_author("Ann Field")],
    )


@pytest.fixture
def alice():
    return editor_client("alice")


@pytest.fixture
def bob():
    return editor_client("bob")


def test_every_admin_save_keeps_a_version_with_who_and_every_field(story, alice):
    client, user = alice
    photo = make_photo()
    author = make_author("Bea Stone")
    data = open_form(
        client, story, lead="A new lead.", main_photo=photo.pk, authors=[author.pk], tags="water, farms"
    )

    response = client.post(change_url(story), data)

    assert response.status_code == 302
    latest = story.history.order_by("-version").first()
    assert latest.version == story.version + 1 == Article.objects.get(pk=story.pk).version
    assert latest.history_user == user
    assert latest.lead == "A new lead."
    assert latest.main_photo_id == photo.pk
    assert latest.authors_kept == [{"id": author.pk, "name": "Bea Stone"}]
    assert latest.tags_kept == ["farms", "water"]
    assert latest.section_id == story.section_id and latest.status == story.status


def test_history_lists_versions_with_compare_links_and_restore_buttons(story, alice):
    client, _user = alice
    client.post(change_url(story), open_form(client, story, lead="A new lead."))

    response = client.get(f"{ARTICLES}{story.pk}/history/")

    assertContains(response, "2 versions are kept")
    assertContains(response, "Alice")
    assertContains(response, "Lead")  # what version 2 changed
    assertContains(response, "Compare with the version before")
    assertContains(response, f"Restore version {story.version}")
    assertNotContains(response, f"Restore version {story.version + 1}")  # the current one


def test_compare_marks_words_removed_and_added(story, alice):
    client, _user = alice
    client.post(change_url(story), open_form(client, story, lead="The new lead."))
    new = story.history.order_by("-version").first()

    response = client.get(f"{ARTICLES}{story.pk}/history/compare/", {"new": new.history_id})

    assertContains(response, "<del>old</del><ins>new</ins>", html=False)
    assertContains(response, "Version 1: someone (no account)")
    assertContains(response, "Version 2: Alice")
    assertNotContains(response, "Body")  # unchanged fields are left out


def test_compare_of_unknown_versions_is_a_404(story, alice):
    client, _user = alice
    for query in ({"new": "999999"}, {"new": "x"}, {}):
        assert client.get(f"{ARTICLES}{story.pk}/history/compare/", query).status_code == 404


def test_restore_saves_the_old_version_as_a_new_one_and_keeps_those_between(story, alice):
    client, _user = alice
    client.post(change_url(story), open_form(client, story, lead="Second lead.", tags="water, drought"))
    story.refresh_from_db()
    client.post(change_url(story), open_form(client, story, body="Rewritten body."))
    first = story.history.get(version=1)

    response = client.post(f"{ARTICLES}{story.pk}/history/{first.history_id}/restore/", follow=True)

    assertContains(response, "Version 1 is restored as version 4")
    story.refresh_from_db()
    assert (story.version, story.lead) == (4, "The old lead.")
    assert story.body.startswith("Water levels fell")
    assert sorted(story.tags.names()) == ["water"]
    assert [a.name for a in story.authors.all()] == ["Ann Field"]
    assert list(story.history.order_by("version").values_list("version", flat=True)) == [1, 2, 3, 4]
    assert story.history.get(version=4).history_change_reason == "Restored version 1"
    entry = Entry.objects.get(action=Entry.Action.RESTORE)
    assert (entry.object_id, entry.detail) == (str(story.pk), "version 1 as version 4")


def test_restore_needs_a_post(story, alice):
    client, _user = alice
    first = story.history.get(version=1)
    response = client.get(f"{ARTICLES}{story.pk}/history/{first.history_id}/restore/")
    assert response.status_code == 302
    assert Article.objects.get(pk=story.pk).version == 1


def test_restoring_a_version_whose_photo_was_deleted_is_refused_whole(story, alice):
    client, _user = alice
    photo = make_photo()
    client.post(change_url(story), open_form(client, story, main_photo=photo.pk, lead="With a photo."))
    story.refresh_from_db()
    client.post(change_url(story), open_form(client, story, main_photo="", lead="Photo taken out."))
    with_photo = story.history.get(version=2)
    Photo.objects.filter(pk=photo.pk).delete()

    response = client.post(f"{ARTICLES}{story.pk}/history/{with_photo.history_id}/restore/", follow=True)

    assertContains(response, "This version cannot be restored: its photo was deleted. Nothing was changed.")
    story.refresh_from_db()
    assert (story.version, story.lead) == (3, "Photo taken out.")


def test_restoring_a_version_whose_author_was_deleted_is_refused_whole(story, alice):
    client, _user = alice
    story.authors.get().delete()

    first = story.history.get(version=1)
    response = client.post(f"{ARTICLES}{story.pk}/history/{first.history_id}/restore/", follow=True)

    assertContains(response, "its author Ann Field was deleted")
    assert Article.objects.get(pk=story.pk).version == 1


def test_reporter_cannot_restore_a_published_story(story):
    client = Client()
    reporter = make_user("reporter")
    story.created_by = reporter
    story.save()
    client.force_login(reporter)
    first = story.history.get(version=1)

    assert client.get(f"{ARTICLES}{story.pk}/history/").status_code == 200
    assertNotContains(client.get(f"{ARTICLES}{story.pk}/history/"), "Restore version")
    response = client.post(f"{ARTICLES}{story.pk}/history/{first.history_id}/restore/")
    assert response.status_code == 403
    assert Article.objects.get(pk=story.pk).version == 2


def test_history_of_a_story_the_user_cannot_see_is_refused(story):
    client = Client()
    client.force_login(make_user("reporter"))
    assert client.get(f"{ARTICLES}{story.pk}/history/").status_code in (302, 403, 404)
    assert client.get(f"{ARTICLES}{story.pk}/history/compare/", {"new": "1"}).status_code in (302, 403, 404)


# Two editors, one story


def test_save_from_an_older_version_is_refused_with_their_change_and_my_text_kept(story, alice, bob):
    alice_client, _ = alice
    bob_client, _ = bob
    alices = open_form(alice_client, story, lead="Alice's new lead.")
    bobs = open_form(bob_client, story, body="Bob rewrote the body entirely.")

    assert alice_client.post(change_url(story), alices).status_code == 302
    response = bob_client.post(change_url(story), bobs)

    assert response.status_code == 200  # refused: the form again
    assertContains(response, "Alice saved this story at")
    assertContains(response, "Nothing has been saved yet and nothing you typed is lost")
    assertContains(response, "Bob rewrote the body entirely.")  # his text, as typed
    assertContains(response, "Alice&#x27;s new lead.")  # her change, taken into his form
    assertContains(response, "<del>old</del><ins>new</ins>", html=False)  # the diff of her change
    story.refresh_from_db()
    assert (story.lead, story.version) == ("Alice's new lead.", 2)
    assert story.body.startswith("Water levels fell")

    # Saving the merged form keeps both changes.
    form = response.context["adminform"].form
    merged = {key: form.data.getlist(key) for key in form.data}
    assert bob_client.post(change_url(story), merged).status_code == 302
    story.refresh_from_db()
    assert (story.lead, story.body) == ("Alice's new lead.", "Bob rewrote the body entirely.")
    assert story.version == 3


def test_when_both_changed_a_field_mine_is_kept_and_theirs_offered(story, alice, bob):
    alice_client, _ = alice
    bob_client, _ = bob
    alices = open_form(alice_client, story, lead="Alice's lead.")
    bobs = open_form(bob_client, story, lead="Bob's lead.")
    alice_client.post(change_url(story), alices)

    response = bob_client.post(change_url(story), bobs)

    form = response.context["adminform"].form
    assert form.data["lead"] == "Bob's lead."
    assert [change.name for change in form.conflict.both] == ["lead"]
    assertContains(response, 'data-use-theirs="lead"')
    assertContains(response, "Use theirs")
    assert Article.objects.get(pk=story.pk).lead == "Alice's lead."


def test_same_change_by_both_is_no_conflict_field(story, alice, bob):
    alice_client, _ = alice
    bob_client, _ = bob
    alices = open_form(alice_client, story, lead="Same lead.")
    bobs = open_form(bob_client, story, lead="Same lead.", body="Bob's body.")
    alice_client.post(change_url(story), alices)

    response = bob_client.post(change_url(story), bobs)

    assert response.context["adminform"].form.conflict.both == []
    assert response.status_code == 200


def test_a_forged_version_number_never_saves_over_the_story(story, alice):
    client, _user = alice
    for forged in ("999", "0"):
        response = client.post(change_url(story), open_form(client, story, lead="Typed", base_version=forged))
        assert response.status_code == 200
        assertContains(response, "Typed")
    response = client.post(change_url(story), open_form(client, story, lead="Typed", base_version="x"))
    assert response.status_code == 200
    assertContains(response, "Typed")
    assert Article.objects.get(pk=story.pk).lead == "The old lead."


def test_bulk_publish_leaves_stories_saved_after_the_list_was_loaded(alice, bob):
    alice_client, _ = alice
    bob_client, _ = bob
    world = make_section("Europe", slug="europe")
    stale, fresh = make_article(section=world, state="draft"), make_article(section=world, state="draft")
    listed = {f"_version_{a.pk}": str(a.version) for a in (stale, fresh)}
    assertContains(alice_client.get(ARTICLES), f'name="_version_{stale.pk}" value="{stale.version}"')
    bob_client.post(change_url(stale), open_form(bob_client, stale, lead="Not ready: facts to check."))

    response = alice_client.post(
        ARTICLES, {"action": "publish", "_selected_action": [stale.pk, fresh.pk], **listed}, follow=True
    )

    assertContains(response, "1 story published.")
    assertContains(response, "was saved by Bob at")
    assert Article.objects.get(pk=stale.pk).status == Article.Status.DRAFT
    assert Article.objects.get(pk=fresh.pk).status == Article.Status.PUBLISHED


def test_bulk_unpublish_leaves_stories_saved_after_the_list_was_loaded(story, alice, bob):
    alice_client, _ = alice
    bob_client, _ = bob
    listed = {f"_version_{story.pk}": str(story.version)}
    bob_client.post(change_url(story), open_form(bob_client, story, lead="Updated lead."))

    response = alice_client.post(
        ARTICLES, {"action": "unpublish", "_selected_action": [story.pk], **listed}, follow=True
    )

    assertContains(response, "0 stories unpublished.")
    assert Article.objects.get(pk=story.pk).status == Article.Status.PUBLISHED


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database locks tables without waiting; a file (as in production) "
    "waits for the write lock (DATABASES timeout)",
)
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_one_is_saved_the_other_refused():
    """Two editors press Save together, from the same version: the row lock (PostgreSQL) or the
    write lock taken at the start of the transaction (SQLite) lets one through; the other is
    refused as a conflict, never saved over it and never a server error."""
    story = make_article("Ferry strike called off", section=make_section("Europe", slug="europe"))
    # Superusers: an earlier transactional test may have flushed the groups the migrations made.
    clients = []
    for name in ("alice", "bob"):
        client = Client()
        client.force_login(make_user("reader", username=name, is_staff=True, is_superuser=True))
        clients.append(client)
    forms = [
        open_form(client, story, lead=f"{name}'s lead.")
        for client, name in zip(clients, ("Alice", "Bob"), strict=True)
    ]
    start = threading.Barrier(2)
    answers = {}

    def save(n):
        start.wait()
        try:
            answers[n] = clients[n].post(change_url(story), forms[n]).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers.values()) == [200, 302]  # one saved, one refused with the form
    story.refresh_from_db()
    winner = "Alice" if answers[0] == 302 else "Bob"
    assert (story.lead, story.version) == (f"{winner}'s lead.", 2)
