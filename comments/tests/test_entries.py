"""A comment's entry is drawn once, when it is saved; thread pages join the stored entries."""

import pytest
from pytest_django.asserts import assertContains

from comments import entries
from comments.models import Comment
from comments.services import moderate

from .helpers import guest_data, make_article, make_comments, make_reader, post_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(monkeypatch):
    """Every entry drawn from now on, by comment id."""
    calls = []
    draw = entries.draw
    monkeypatch.setattr(
        entries, "draw", lambda comment, **kw: calls.append(comment.pk) or draw(comment, **kw)
    )
    return calls


def test_a_posted_comment_is_drawn_once_and_the_page_draws_none(client, drawn):
    article = make_article()
    make_comments(article, 3)
    drawn.clear()

    response = client.post(post_url(article), guest_data(article, body="Drawn once."))
    comment = Comment.objects.get(body="Drawn once.")
    page = client.get(response["Location"])
    new = client.get(f"/comments/{article.pk}/new/", {"since": 0}).json()

    assert drawn == [comment.pk]
    assertContains(page, "Drawn once.")
    assert comment.entry_html in page.content.decode()
    assert comment.entry_html in new["html"]


def test_the_stored_entry_is_what_readers_see(client):
    article = make_article()
    (comment,) = make_comments(article, 1, name="Olga Petrova", body="Plain <b>text</b>.")
    comment.refresh_from_db()

    assert f'id="comment-{comment.pk}"' in comment.entry_html
    assert "Olga Petrova" in comment.entry_html
    assert "Plain &lt;b&gt;text&lt;/b&gt;." in comment.entry_html
    assert comment.entry_version == entries.entry_version()


def test_an_entry_drawn_under_another_version_is_drawn_again_when_read(client, drawn, settings):
    article = make_article()
    old, fresh = make_comments(article, 2)
    Comment.objects.filter(pk=old.pk).update(entry_html="<li>stale</li>", entry_version="older")
    drawn.clear()

    html = client.get(article.get_absolute_url()).content.decode()

    assert drawn == [old.pk]
    assert "stale" not in html
    assert Comment.objects.get(pk=old.pk).entry_version == entries.entry_version()
    client.get(article.get_absolute_url())
    assert drawn == [old.pk]  # stored: not drawn again


def test_the_site_language_is_part_of_the_version(settings):
    english = entries.entry_version()
    settings.LANGUAGE_CODE = "ru"
    assert entries.entry_version() != english


def test_approving_a_held_comment_draws_it_with_its_publication_time(client):
    article = make_article()
    (held,) = make_comments(article, 1, status=Comment.Status.PENDING, body="Held for now.")

    moderate(Comment.objects.filter(pk=held.pk), Comment.Status.PUBLISHED)

    held.refresh_from_db()
    assert held.entry_version == entries.entry_version()
    assert held.published_at.astimezone().strftime("%d.%m.%Y") in held.entry_html
    assertContains(client.get(article.get_absolute_url()), "Held for now.")


def test_a_new_avatar_redraws_the_readers_entries(client, drawn):
    article = make_article()
    reader = make_reader("Ivan Ivanov")
    make_comments(article, 2, user=reader)
    drawn.clear()

    reader.profile.avatar.name = "avatars/ivan.jpg"
    reader.profile.save()

    assert len(drawn) == 2
    assertContains(client.get(article.get_absolute_url()), 'src="/media/avatars/ivan.jpg"', count=2)


def test_a_moderator_sees_held_comments_drawn_for_them(client):
    from django.contrib.auth.models import Permission

    article = make_article()
    make_comments(article, 1, status=Comment.Status.PENDING, body="Waiting here.")
    staff = make_reader("Mod", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    client.force_login(staff)

    response = client.get(article.get_absolute_url())

    assertContains(response, "Waiting here.")
    assertContains(response, "Awaiting moderation")
    assertContains(response, 'class="comment__moderate"')
