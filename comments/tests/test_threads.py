"""Replies, own comments' edits and deletions, and editors' picks (issue 12)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Ban, Comment
from comments.services import edit_comment, feature, moderate, report_comment
from comments.threads import page_of

from .helpers import guest_data, make_article, make_comments, make_reader, make_reply, post_url

pytestmark = pytest.mark.django_db


def page(client, article, **params):
    return client.get(article.get_absolute_url(), params).content.decode()


def order_on(html):
    """The comment ids of the thread, in the order the page shows them."""
    thread = html.split('id="comment-list"', 1)[1]
    return [int(pk) for pk in re.findall(r'<li class="comment[^"]*" id="comment-(\d+)"', thread)]


def reply_data(article, parent, **overrides):
    return guest_data(article, parent=str(parent.pk), **overrides)


# Replies


def test_reply_is_shown_under_its_parent_with_reply_to_name(client):
    article = make_article()
    first, second = make_comments(article, 2, name="Olga")
    response = client.post(post_url(article), reply_data(article, first, body="I agree with Olga."))
    reply = Comment.objects.get(body="I agree with Olga.")
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{reply.pk}")
    assert (reply.parent_id, reply.thread_root_id, reply.reply_to) == (first.pk, first.pk, "Olga")
    html = page(client, article)
    assert order_on(html) == [first.pk, reply.pk, second.pk]
    entry = html.split(f'id="comment-{reply.pk}"')[0].rsplit("<li", 1)[1]
    assert "comment--reply" in entry
    assertContains(client.get(article.get_absolute_url()), "Reply to Olga")
    article.refresh_from_db()
    assert article.comment_count == 3  # replies count as comments


def test_reply_to_a_reply_joins_the_same_thread(client):
    article = make_article()
    [first] = make_comments(article, 1)
    reply = make_reply(first, name="Ben")
    # A form that says it answers a reply (deeper than the page goes): same thread, named reply.
    client.post(post_url(article), reply_data(article, reply, body="Ben has a point."))
    deeper = Comment.objects.get(body="Ben has a point.")
    assert (deeper.parent_id, deeper.thread_root_id, deeper.reply_to) == (reply.pk, first.pk, "Ben")
    assert order_on(page(client, article)) == [first.pk, reply.pk, deeper.pk]
    assert f'href="#comment-{reply.pk}">Reply to Ben</a>' in page(client, article)


@pytest.mark.parametrize("state", ["held", "removed", "deleted", "other_story", "missing", "reply_of_held"])
def test_reply_to_a_comment_not_shown_here_is_refused_with_the_text_kept(client, state):
    article, other = make_article(), make_article()
    [parent] = make_comments(article, 1)
    if state == "held":
        parent.status = Comment.Status.PENDING
        parent.save()
    elif state == "removed":
        moderate(Comment.objects.filter(pk=parent.pk), Comment.Status.REMOVED)
    elif state == "deleted":
        parent.status, parent.deleted_at = Comment.Status.DELETED, timezone.now()
        parent.save()
    elif state == "other_story":
        [parent] = make_comments(other, 1)
    elif state == "missing":
        parent.pk = 999999
    elif state == "reply_of_held":
        root = parent
        parent = make_reply(root)
        moderate(Comment.objects.filter(pk=root.pk), Comment.Status.PENDING)
    before = Comment.objects.count()
    response = client.post(post_url(article), reply_data(article, parent, body="My carefully typed reply."))
    assert response.status_code == 400
    assert Comment.objects.count() == before
    assertContains(response, "My carefully typed reply.", status_code=400)
    assertContains(
        response, "The comment you replied to is not shown under this story any more", status_code=400
    )
    # Sent again, it is a comment of its own.
    assertContains(response, '<input type="hidden" name="parent" id="id_parent">', html=True, status_code=400)


@pytest.mark.parametrize("value", ["abc", "-3", "0", "1.5"])
def test_forged_parent_value_is_refused_with_the_text_kept(client, value):
    article = make_article()
    response = client.post(post_url(article), guest_data(article, parent=value, body="Typed with care."))
    assert response.status_code == 400
    assertContains(response, "Typed with care.", status_code=400)
    assertContains(response, "This reply could not be matched to a comment", status_code=400)
    assert not Comment.objects.exists()


def test_pages_count_threads_and_a_reply_permalink_opens_its_thread_page(client, settings):
    settings.COMMENTS_PER_PAGE = 2
    article = make_article()
    first, second, third = make_comments(article, 3)
    replies = [make_reply(first) for _ in range(4)]
    late = make_reply(third)
    article.refresh_from_db()
    assert order_on(page(client, article)) == [first.pk, *(r.pk for r in replies), second.pk]
    assert order_on(page(client, article, cpage=2)) == [third.pk, late.pk]
    assert "Page 1 of 2" in page(client, article)
    assert page_of(replies[-1]) == 1 and page_of(late) == 2
    response = client.get(reverse("comments:permalink", args=[late.pk]))
    assert response["Location"] == f"{article.get_absolute_url()}?cpage=2#comment-{late.pk}"
    response = client.get(reverse("comments:permalink", args=[replies[-1].pk]))
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{replies[-1].pk}"
    # A page past the last: the last page.
    assert order_on(page(client, article, cpage=9)) == [third.pk, late.pk]


def test_replies_of_a_removed_comment_leave_the_page_and_the_count(client):
    article = make_article()
    [first, second] = make_comments(article, 2)
    reply = make_reply(first)
    article.refresh_from_db()
    assert article.comment_count == 3
    moderate(Comment.objects.filter(pk=first.pk), Comment.Status.REMOVED)
    article.refresh_from_db()
    assert article.comment_count == 1
    assert order_on(page(client, article)) == [second.pk]
    assert client.get(reverse("comments:permalink", args=[reply.pk])).status_code == 404
    moderate(Comment.objects.filter(pk=first.pk), Comment.Status.PUBLISHED)
    article.refresh_from_db()
    assert article.comment_count == 3
    assert order_on(page(client, article)) == [first.pk, reply.pk, second.pk]


def test_replies_are_reported_moderated_and_banned_as_comments(client, settings):
    settings.COMMENTS_REPORT_THRESHOLD = 2
    article = make_article()
    [first] = make_comments(article, 1)
    reply = make_reply(first)
    for reader in ("ip:a", "ip:b"):
        report_comment(reply, reporter=reader)
    reply.refresh_from_db()
    article.refresh_from_db()
    assert (reply.status, reply.hold_reason, article.comment_count) == ("pending", "reports", 1)
    assert order_on(page(client, article)) == [first.pk]
    Ban.objects.create(kind=Ban.Kind.EMAIL, value="banned@example.com")
    response = client.post(post_url(article), reply_data(article, first, email="banned@example.com"))
    assert response.status_code == 403
    assert not Comment.objects.filter(email="banned@example.com").exists()


def test_a_reply_can_wait_for_a_moderator_like_any_comment(client):
    article = make_article(comments_premoderated=True)
    [first] = make_comments(article, 1)
    response = client.post(post_url(article), reply_data(article, first, body="Held reply."))
    assert response.status_code == 302
    held = Comment.objects.get(body="Held reply.")
    assert held.status == Comment.Status.PENDING and held.thread_root_id == first.pk
    assert order_on(page(client, article)) == [first.pk]


def test_no_javascript_reply_link_opens_the_form_set_to_answer(client, settings):
    settings.COMMENTS_PER_PAGE = 1
    article = make_article()
    first, second = make_comments(article, 2, name="Olga")
    response = client.get(reverse("comments:reply", args=[second.pk]))
    assert response["Location"] == f"{article.get_absolute_url()}?cpage=2&reply_to={second.pk}#comment-form"
    response = client.get(response["Location"])
    assertContains(response, '<strong class="comment-form__replying-name">Olga</strong>')
    assertContains(
        response, f'<input type="hidden" name="parent" value="{second.pk}" id="id_parent">', html=True
    )
    assert f'class="comment-form__cancel" href="{article.get_absolute_url()}?cpage=2#comment-form"' in (
        response.content.decode()
    )
    # A comment that cannot be answered: the page says so, the form is an ordinary one.
    moderate(Comment.objects.filter(pk=first.pk), Comment.Status.REMOVED)
    assert client.get(reverse("comments:reply", args=[first.pk])).status_code == 404
    html = page(client, article, reply_to=first.pk)
    assert "The comment you wanted to reply to is not shown any more" in html
    assert 'class="comment-form__replying" hidden' in html


def test_new_comments_endpoint_gives_replies_with_their_thread(client):
    article = make_article()
    [first] = make_comments(article, 1)
    reply = make_reply(first)
    data = client.get(reverse("comments:new", args=[article.pk]), {"since": 0}).json()
    assert data["ids"] == [first.pk, reply.pk]
    assert f'id="comment-{reply.pk}" data-comment-id="{reply.pk}" data-thread="{first.pk}"' in data["html"]


# Query counts


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_replies_and_picks_cost_no_extra_queries(client):
    client.get(make_article().get_absolute_url())  # warm: compiled templates, content types
    empty, plain, threaded = make_article(), make_article(), make_article()
    make_comments(plain, 20)
    firsts = make_comments(threaded, 20)
    for first in firsts[:5]:
        make_reply(make_reply(first))
    feature(Comment.objects.filter(pk__in=[firsts[0].pk, firsts[7].pk]))
    for story in (empty, plain, threaded):
        client.get(story.get_absolute_url())
    assert queries_for(client, threaded.get_absolute_url()) == queries_for(client, plain.get_absolute_url())
    # One query for the page of threads, their replies and the picks, as for comments alone.
    assert (
        queries_for(client, threaded.get_absolute_url()) == queries_for(client, empty.get_absolute_url()) + 1
    )


# Own comments


def login(client, user):
    client.force_login(user)
    return client


def own_controls(html, comment):
    entry = html.split(f'id="comment-{comment.pk}"', 1)[1].split("</li>", 1)[0]
    return {
        "edit": 'class="comment__edit" href' in entry,
        "delete": 'class="comment__delete" href' in entry,
    }


def test_only_the_author_sees_edit_and_delete(client):
    article = make_article()
    author, other = make_reader("Ann"), make_reader("Bo")
    [mine] = make_comments(article, 1, user=author, start=timezone.now() - timedelta(minutes=1))
    [old] = make_comments(article, 1, user=author, start=timezone.now() - timedelta(minutes=30))
    assert own_controls(page(client, article), mine) == {"edit": False, "delete": False}
    login(client, other)
    assert own_controls(page(client, article), mine) == {"edit": False, "delete": False}
    login(client, author)
    html = page(client, article)
    assert own_controls(html, mine) == {"edit": True, "delete": True}
    assert own_controls(html, old) == {"edit": False, "delete": True}  # the edit window is over


def test_own_controls_cost_no_queries(client):
    article = make_article()
    author, other = make_reader("Ann"), make_reader("Bo")
    make_comments(article, 5, user=author, start=timezone.now() - timedelta(minutes=8))
    url = article.get_absolute_url()
    login(client, other)
    client.get(url)
    theirs = queries_for(client, url)
    login(client, author)
    client.get(url)
    assert queries_for(client, url) == theirs
    assert page(client, article).count('class="comment__edit" href') == 5


def test_author_edits_within_the_window_and_it_is_marked_edited(client):
    article = make_article()
    author = make_reader("Ann")
    [mine] = make_comments(article, 1, user=author, start=timezone.now() - timedelta(minutes=2))
    login(client, author)
    edit_url = reverse("comments:edit", args=[mine.pk])
    assertContains(client.get(edit_url), mine.body)
    response = client.post(edit_url, {"body": "Better words."})
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{mine.pk}")
    mine.refresh_from_db()
    assert mine.body == "Better words." and mine.edited_at is not None
    html = page(Client(), article)
    assert "Better words." in html and '<span class="comment__edited"' in html


def test_edit_after_the_window_is_refused_with_the_text_kept(client):
    article = make_article()
    author = make_reader("Ann")
    [mine] = make_comments(article, 1, user=author, start=timezone.now() - timedelta(minutes=11))
    login(client, author)
    response = client.post(reverse("comments:edit", args=[mine.pk]), {"body": "Too late, my friend."})
    assert response.status_code == 400
    assertContains(response, "Too late, my friend.", status_code=400)
    assertContains(response, "can be edited for 10 minutes", status_code=400)
    mine.refresh_from_db()
    assert mine.body != "Too late, my friend." and mine.edited_at is None


def test_edit_that_adds_links_waits_for_a_moderator(client):
    article = make_article()
    author = make_reader("Ann")
    [mine] = make_comments(article, 1, user=author, start=timezone.now() - timedelta(minutes=1))
    login(client, author)
    body = "See https://a.example https://b.example https://c.example"
    response = client.post(reverse("comments:edit", args=[mine.pk]), {"body": body})
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    mine.refresh_from_db()
    article.refresh_from_db()
    assert (mine.status, mine.hold_reason, article.comment_count) == ("pending", "links", 0)


@pytest.mark.parametrize("body", ["", "   ", "x" * 3001])
def test_edit_with_bad_text_is_refused_with_the_text_kept(client, body):
    article = make_article()
    author = make_reader("Ann")
    [mine] = make_comments(article, 1, user=author, start=timezone.now() - timedelta(minutes=1))
    login(client, author)
    response = client.post(reverse("comments:edit", args=[mine.pk]), {"body": body})
    assert response.status_code == 400
    if body.strip():
        assertContains(response, body, status_code=400)
    mine.refresh_from_db()
    assert mine.edited_at is None


def test_nobody_else_edits_or_deletes_a_comment(client):
    article = make_article()
    author, other = make_reader("Ann"), make_reader("Bo")
    [mine] = make_comments(article, 1, user=author, start=timezone.now() - timedelta(minutes=1))
    [guest] = make_comments(article, 1)
    for url in (reverse("comments:edit", args=[mine.pk]), reverse("comments:delete", args=[mine.pk])):
        assert client.get(url).status_code == 404
        assert client.post(url, {"body": "Hijacked"}).status_code == 404
        login(client, other)
        assert client.get(url).status_code == 404
        assert client.post(url, {"body": "Hijacked"}).status_code == 404
        client.logout()
    login(client, other)
    assert client.post(reverse("comments:delete", args=[guest.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.body != "Hijacked" and mine.status == Comment.Status.PUBLISHED


def test_edit_and_delete_need_the_csrf_token():
    article = make_article()
    author = make_reader("Ann")
    [mine] = make_comments(article, 1, user=author, start=timezone.now() - timedelta(minutes=1))
    client = login(Client(enforce_csrf_checks=True), author)
    assert client.post(reverse("comments:edit", args=[mine.pk]), {"body": "New"}).status_code == 403
    assert client.post(reverse("comments:delete", args=[mine.pk])).status_code == 403
    assert client.get(reverse("comments:delete", args=[mine.pk])).status_code == 200  # asks first


def test_delete_without_replies_takes_the_comment_off_the_page(client):
    article = make_article()
    author = make_reader("Ann")
    [mine] = make_comments(article, 1, user=author)
    [other] = make_comments(article, 1)
    login(client, author)
    response = client.post(reverse("comments:delete", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    article.refresh_from_db()
    assert mine.status == Comment.Status.DELETED and mine.body == ""
    assert article.comment_count == 1
    assert order_on(page(client, article)) == [other.pk]


def test_delete_with_replies_keeps_its_place_for_the_thread(client):
    article = make_article()
    author = make_reader("Ann")
    [mine] = make_comments(article, 1, user=author, body="My original words.")
    reply = make_reply(mine)
    feature(Comment.objects.filter(pk=mine.pk))
    login(client, author)
    client.post(reverse("comments:delete", args=[mine.pk]))
    mine.refresh_from_db()
    article.refresh_from_db()
    assert mine.status == Comment.Status.PUBLISHED and mine.deleted_at and mine.featured_at is None
    assert article.comment_count == 1
    html = page(Client(), article)
    assert order_on(html) == [mine.pk, reply.pk]
    assert "Comment deleted by its author" in html and "My original words." not in html
    assert "Editors’ picks" not in html
    # Nobody can answer or report what is gone; the replies stay.
    response = Client().post(post_url(article), reply_data(article, mine, body="Still here?"))
    assert response.status_code == 400
    assert Client().get(reverse("comments:report", args=[mine.pk])).status_code == 404
    # Its last reply deleted too: nothing is left to keep it for.
    reply.user = make_reader("Replier")
    reply.save()
    login(client, reply.user)
    client.post(reverse("comments:delete", args=[reply.pk]))
    mine.refresh_from_db()
    assert mine.status == Comment.Status.DELETED
    assert order_on(page(Client(), article)) == []


def test_edit_service_refuses_someone_elses_comment():
    from comments.services import CommentRefused

    article = make_article()
    [mine] = make_comments(article, 1, user=make_reader("Ann"), start=timezone.now())
    with pytest.raises(CommentRefused) as refusal:
        edit_comment(mine, body="x", user=make_reader("Bo"))
    assert refusal.value.status == 403


# Editors' picks


def test_picks_strip_shows_featured_comments_newest_first_above_all_comments(client, settings):
    settings.COMMENTS_PICKS = 3
    article = make_article()
    comments = make_comments(article, 5)
    for comment in comments[:4]:
        feature(Comment.objects.filter(pk=comment.pk))
    html = page(client, article)
    strip, rest = html.split("All comments", 1)
    picks = [int(pk) for pk in re.findall(r'id="pick-(\d+)"', strip)]
    assert picks == [comments[3].pk, comments[2].pk, comments[1].pk]
    assert "Editors’ picks" in strip
    assert order_on(html) == [c.pk for c in comments]  # still in the thread, once each by id
    assert rest.count('<span class="comment__pick">Editors’ pick</span>') == 4
    # Removed or unfeatured: gone from the strip.
    moderate(Comment.objects.filter(pk=comments[3].pk), Comment.Status.REMOVED)
    feature(Comment.objects.filter(pk=comments[2].pk), on=False)
    strip = page(client, article).split("All comments", 1)[0]
    assert [int(pk) for pk in re.findall(r'id="pick-(\d+)"', strip)] == [comments[1].pk, comments[0].pk]


def test_no_picks_no_strip(client):
    article = make_article()
    make_comments(article, 2)
    assert "comments__picks" not in page(client, article)


def make_staff(name, *, moderate_perm):
    from django.contrib.auth.models import Group

    user = User.objects.create_user(name, f"{name}@example.com", "correct-horse", is_staff=True)
    if moderate_perm:
        user.groups.add(Group.objects.get(name="Moderators"))
    else:
        from django.contrib.auth.models import Permission

        user.user_permissions.add(*Permission.objects.filter(codename__in=["view_comment", "change_comment"]))
    return User.objects.get(pk=user.pk)


def test_moderators_feature_and_unfeature_in_the_admin(client):
    article = make_article()
    [comment] = make_comments(article, 1)
    client.force_login(make_staff("mod", moderate_perm=True))
    changelist = reverse("admin:comments_comment_changelist")
    response = client.post(changelist, {"action": "make_pick", "_selected_action": [comment.pk]}, follow=True)
    assertContains(response, "1 comment featured")
    comment.refresh_from_db()
    assert comment.featured_at is not None
    assert "Editors’ pick" in comment.entry_html
    client.post(changelist, {"action": "unmake_pick", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert comment.featured_at is None and "Editors’ pick" not in comment.entry_html


def test_staff_without_the_moderate_permission_cannot_feature(client):
    article = make_article()
    [comment] = make_comments(article, 1)
    client.force_login(make_staff("editor", moderate_perm=False))
    changelist = reverse("admin:comments_comment_changelist")
    assertNotContains(client.get(changelist), "make_pick")
    client.post(changelist, {"action": "make_pick", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert comment.featured_at is None


def test_only_shown_comments_can_be_picks():
    article = make_article()
    [held] = make_comments(article, 1, status=Comment.Status.PENDING)
    assert feature(Comment.objects.filter(pk=held.pk)) == 0


def test_moderators_see_held_replies_under_their_thread(client):
    article = make_article()
    first, second = make_comments(article, 2)
    shown = make_reply(first)
    held = make_reply(first)
    moderate(Comment.objects.filter(pk=held.pk), Comment.Status.PENDING)
    client.force_login(make_staff("mod", moderate_perm=True))
    html = page(client, article)
    assert order_on(html) == [first.pk, shown.pk, held.pk, second.pk]
    assert html.count("Awaiting moderation</span>") == 1
    # The permalink of a held reply opens its thread's page for a moderator, not for readers.
    assert client.get(reverse("comments:permalink", args=[held.pk]))["Location"].endswith(
        f"#comment-{held.pk}"
    )
    assert Client().get(reverse("comments:permalink", args=[held.pk])).status_code == 404


def test_deleting_twice_or_editing_a_deleted_comment_is_a_404(client):
    article = make_article()
    author = make_reader("Ann")
    [mine] = make_comments(article, 1, user=author, start=timezone.now())
    login(client, author)
    delete_url, edit_url = (
        reverse("comments:delete", args=[mine.pk]),
        reverse("comments:edit", args=[mine.pk]),
    )
    assert client.post(delete_url).status_code == 302
    assert client.post(delete_url).status_code == 404
    assert client.post(edit_url, {"body": "Back again"}).status_code == 404


def test_edit_on_a_closed_story_is_refused_with_the_text_kept(client):
    article = make_article()
    author = make_reader("Ann")
    [mine] = make_comments(article, 1, user=author, start=timezone.now())
    article.allow_comments = False
    article.save()
    login(client, author)
    response = client.post(reverse("comments:edit", args=[mine.pk]), {"body": "One more thought."})
    assert response.status_code == 400
    assertContains(response, "Comments are closed on this story.", status_code=400)
    assertContains(response, "One more thought.", status_code=400)


def test_a_reply_on_a_closed_story_is_refused_with_the_text_kept(client):
    article = make_article()
    [first] = make_comments(article, 1)
    article.allow_comments = False
    article.save()
    response = client.post(post_url(article), reply_data(article, first, body="Too late to answer."))
    assert response.status_code == 400
    assertContains(response, "Too late to answer.", status_code=400)


def test_admin_shows_a_reply_and_a_deleted_comment(client):
    article = make_article()
    author = make_reader("Ann")
    [first] = make_comments(article, 1, user=author)
    reply = make_reply(first)
    login(client, author)
    client.post(reverse("comments:delete", args=[first.pk]))
    client.force_login(make_staff("mod", moderate_perm=True))
    for comment in (first, reply):
        response = client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
        assert response.status_code == 200
    assertContains(client.get(reverse("admin:comments_comment_changelist")), "field-is_pick")
