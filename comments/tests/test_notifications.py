"""Reply notifications (comments/notifications.py): asked for in the comment form, confirmed by guests,
sent by the worker at most once per conversation per COMMENTS_REPLY_EMAIL_MINUTES, stopped in one
click. Most tests run tasks at once (the immediate backend, conftest.py) after the commit; the last
ones queue them in the database and run `manage.py db_worker`, as deployed."""

import re
import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments.models import Ban, Comment, ReplySubscription
from comments.notifications import CONFIRM_SALT, UNSUBSCRIBE_SALT, make_token
from comments.services import moderate

from .helpers import guest_data, make_article, make_comments, make_reader, make_reply, post_url

pytestmark = pytest.mark.django_db

URL = r"http://testserver(/comments/replies/(?:confirm|stop)/[^/\s]+/)"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.COMMENTS_REPLY_EMAIL_MINUTES = 15
    settings.SITE_URL = ""
    settings.SITE_NAME = "Newsroom"
    settings.COMMENTS_RATE_LIMIT = "50/60"


@pytest.fixture
def story():
    return make_article("Harbour bridge to close for repairs")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a block, then what it left for after the commit (tasks, at once)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def verified_reader(name, email):
    reader = make_reader(name, email=email)
    EmailAddress.objects.create(user=reader, email=email, primary=True, verified=True)
    return reader


def link(message, kind):
    paths = [path for path in re.findall(URL, message.body) if f"/{kind}/" in path]
    assert len(paths) == 1, message.body
    return paths[0]


def subscribed_guest(client, story, run, email="ann@example.com", **data):
    """A guest's comment with the box ticked, and the address confirmed through the emailed link."""
    with run():
        client.post(post_url(story), guest_data(story, email=email, notify_replies="on", **data))
    comment = Comment.objects.filter(email=email).latest("pk")
    subscription = ReplySubscription.objects.get(
        email=email, thread_root_id=comment.thread_root_id or comment.pk
    )
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save()
    return comment


def test_the_box_is_unticked_for_guests_and_accounts(client, story):
    box = re.compile(r'<input type="checkbox" name="notify_replies"[^>]*>')
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Email me when someone replies" in html
    assert [tag for tag in box.findall(html) if "checked" not in tag]

    client.force_login(verified_reader("Marta", "marta@example.com"))
    html = client.get(story.get_absolute_url()).content.decode()
    assert [tag for tag in box.findall(html) if "checked" not in tag]


def test_unticked_subscribes_nobody(client, story, run, mailoutbox):
    with run():
        client.post(post_url(story), guest_data(story))
    assert not ReplySubscription.objects.exists() and not mailoutbox


def test_an_account_with_a_verified_address_is_subscribed_at_once(client, story, run, mailoutbox):
    reader = verified_reader("Marta", "marta@example.com")
    client.force_login(reader)
    with run():
        response = client.post(post_url(story), {**guest_data(story), "notify_replies": "on"}, follow=True)

    comment = Comment.objects.get(user=reader)
    subscription = ReplySubscription.objects.get()
    assert (subscription.thread_root, subscription.user, subscription.email) == (
        comment,
        reader,
        "marta@example.com",
    )
    assert subscription.confirmed_at is not None
    assert not mailoutbox  # nothing to confirm
    assert "We will email you when someone replies in this conversation." in response.content.decode()


def test_an_account_without_a_verified_address_confirms_like_a_guest(client, story, run, mailoutbox):
    unverified = make_reader("Ola", email="ola@example.com")
    EmailAddress.objects.create(user=unverified, email="ola@example.com", primary=True, verified=False)
    client.force_login(unverified)
    with run():
        client.post(post_url(story), {**guest_data(story), "notify_replies": "on"})
    assert ReplySubscription.objects.get(user=unverified).confirmed_at is None
    assert [m.to for m in mailoutbox] == [["ola@example.com"]]

    nobody = make_reader("No Mail")
    nobody.email = ""
    nobody.save()
    client.force_login(nobody)
    with run():
        response = client.post(post_url(story), {**guest_data(story), "notify_replies": "on"}, follow=True)
    assert response.status_code == 200
    assert "Your account has no email address" in response.content.decode()
    assert not ReplySubscription.objects.filter(user=nobody).exists() and len(mailoutbox) == 1


def test_a_guest_confirms_before_any_notification(client, story, run, mailoutbox):
    with run():
        response = client.post(
            post_url(story), guest_data(story, email="Ann@Example.com", notify_replies="on"), follow=True
        )
    assert "we sent a link to ann@example.com" in response.content.decode()
    comment = Comment.objects.get(email="ann@example.com")
    subscription = ReplySubscription.objects.get()
    assert subscription.confirmed_at is None
    [confirmation] = mailoutbox
    assert confirmation.to == ["ann@example.com"]
    assert (
        confirmation.subject
        == "[Newsroom] Confirm emails about replies on “Harbour bridge to close for repairs”"
    )

    with run():
        make_reply(comment, name="Ben")
    assert len(mailoutbox) == 1  # not confirmed: no notification

    # A link scanner's GET confirms nothing.
    path = link(confirmation, "confirm")
    page = client.get(path)
    assert page.status_code == 200 and "Confirm</button>" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None

    confirmed = Client(enforce_csrf_checks=True)
    form = confirmed.get(path).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = confirmed.post(path, {"csrfmiddlewaretoken": csrf})
    assert response.status_code == 200
    assert "Confirmed. We will email ann@example.com" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    with run():
        make_reply(comment, name="Cleo", body="I was there too.")
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["ann@example.com"]


def test_asking_again_in_the_thread_sends_one_confirmation(client, story, run, mailoutbox):
    [first] = make_comments(story, 1)
    for _n in range(3):
        with run():
            client.post(
                post_url(story),
                guest_data(story, email="ann@example.com", notify_replies="on", parent=first.pk),
            )
    assert len(mailoutbox) == 1
    assert ReplySubscription.objects.get().thread_root == first  # the conversation, from any reply in it


def test_a_reply_emails_the_subscriber_once_with_a_one_click_unsubscribe(client, story, run, mailoutbox):
    comment = subscribed_guest(client, story, run, body="The detour adds an hour.")
    mailoutbox.clear()

    with run():
        reply = make_reply(
            comment, name="Ben Ortiz", body="Take the ferry instead.\n\nIt runs every 20 minutes."
        )

    [message] = mailoutbox
    assert message.to == ["ann@example.com"]
    assert message.subject == "[Newsroom] New reply to your comment on “Harbour bridge to close for repairs”"
    assert "Ben Ortiz replied" in message.body
    assert "Take the ferry instead.\n\nIt runs every 20 minutes." in message.body
    assert f"http://testserver/comments/{reply.pk}/" in message.body
    stop = link(message, "stop")
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{stop}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert client.get(f"/comments/{reply.pk}/").status_code == 302  # the permalink works

    # GET asks; the mail client's one-click POST (no CSRF token, no cookies) stops them.
    page = client.get(stop)
    assert page.status_code == 200 and "Stop these emails</button>" in page.content.decode()
    assert ReplySubscription.objects.get().unsubscribed_at is None
    response = Client(enforce_csrf_checks=True).post(
        stop, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "You will get no more emails about this conversation." in response.content.decode()
    assert ReplySubscription.objects.get().unsubscribed_at is not None

    ReplySubscription.objects.update(last_sent_at=timezone.now() - timedelta(hours=1))
    with run():
        make_reply(comment, name="Cleo")
    assert len(mailoutbox) == 1


def test_ones_own_replies_email_nobody(client, story, run, mailoutbox):
    reader = verified_reader("Marta", "marta@example.com")
    client.force_login(reader)
    with run():
        client.post(post_url(story), {**guest_data(story), "notify_replies": "on"})
    mine = Comment.objects.get(user=reader)
    guest = subscribed_guest(Client(), story, run, email="ann@example.com", parent=mine.pk)
    mailoutbox.clear()

    with run():
        make_reply(mine, user=reader)  # Marta answers in her own thread: Ann hears, Marta does not
    assert [m.to for m in mailoutbox] == [["ann@example.com"]]

    ReplySubscription.objects.update(last_sent_at=None)
    mailoutbox.clear()
    with run():
        make_reply(guest, name="Ann again", email="ann@example.com")  # as a guest, by her address
    assert [m.to for m in mailoutbox] == [["marta@example.com"]]


def test_one_email_per_conversation_per_window(client, story, run, mailoutbox):
    comment = subscribed_guest(client, story, run)
    mailoutbox.clear()

    with run():
        make_reply(comment, name="Ben")
        make_reply(comment, name="Cleo")
    assert len(mailoutbox) == 1

    ReplySubscription.objects.update(last_sent_at=timezone.now() - timedelta(minutes=16))
    with run():
        make_reply(comment, name="Dan")
    assert len(mailoutbox) == 2 and "Dan replied" in mailoutbox[1].body


def test_a_held_reply_emails_once_when_approved_and_never_again(client, story, run, mailoutbox, settings):
    comment = subscribed_guest(client, story, run)
    mailoutbox.clear()
    settings.COMMENTS_PREMODERATION = True

    with run():
        reply = make_reply(comment, name="Ben")
    assert reply.status == Comment.Status.PENDING and not mailoutbox

    with run():
        moderate(Comment.objects.filter(pk=reply.pk), Comment.Status.REJECTED)
    assert not mailoutbox
    with run():
        moderate(Comment.objects.filter(pk=reply.pk), Comment.Status.PUBLISHED)
    assert len(mailoutbox) == 1

    # Hidden after reports and approved again: already told.
    ReplySubscription.objects.update(last_sent_at=None)
    Comment.objects.filter(pk=reply.pk).update(status=Comment.Status.PENDING)
    with run():
        moderate(Comment.objects.filter(pk=reply.pk), Comment.Status.PUBLISHED)
    assert len(mailoutbox) == 1


def test_a_reply_whose_author_is_banned_before_the_worker_runs_emails_nobody(
    client, story, run, mailoutbox, django_capture_on_commit_callbacks
):
    comment = subscribed_guest(client, story, run)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks() as callbacks:
        make_reply(comment, name="Troll", email="troll@example.com")
    Ban.objects.create(kind=Ban.Kind.EMAIL, value="troll@example.com")
    for callback in callbacks:
        callback()
    assert not mailoutbox


def test_an_unsubscribed_guest_asking_again_must_confirm_again(client, story, run, mailoutbox):
    comment = subscribed_guest(client, story, run)
    ReplySubscription.objects.update(unsubscribed_at=timezone.now(), confirmation_sent_at=None)
    mailoutbox.clear()

    with run():
        client.post(
            post_url(story),
            guest_data(story, email="ann@example.com", notify_replies="on", parent=comment.pk),
        )
    subscription = ReplySubscription.objects.get()
    assert subscription.unsubscribed_at is None and subscription.confirmed_at is None
    assert [m.subject.split(" ")[1] for m in mailoutbox] == ["Confirm"]


def test_site_url_names_the_address_in_links(client, story, run, mailoutbox, settings):
    settings.SITE_URL = "https://news.example.com"
    comment = subscribed_guest(client, story, run)
    mailoutbox.clear()
    with run():
        reply = make_reply(comment, name="Ben")
    assert f"https://news.example.com/comments/{reply.pk}/" in mailoutbox[0].body
    assert (
        mailoutbox[0]
        .extra_headers["List-Unsubscribe"]
        .startswith("<https://news.example.com/comments/replies/")
    )


class _Past(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 8 * 24 * 3600)


@pytest.mark.parametrize("method", ["get", "post"])
def test_bad_links_answer_a_clear_4xx(client, story, run, method):
    comment = subscribed_guest(client, story, run)
    subscription = ReplySubscription.objects.get()
    data = {"s": subscription.pk, "e": subscription.email}
    confirm_token, stop_token = (
        make_token(subscription, CONFIRM_SALT),
        make_token(subscription, UNSUBSCRIBE_SALT),
    )
    invalid = "This link is not valid."
    cases = [
        (f"/comments/replies/stop/{stop_token[:-2]}xx/", 400, invalid),
        (f"/comments/replies/stop/{confirm_token}/", 400, invalid),  # another link's token
        (f"/comments/replies/confirm/{stop_token}/", 400, invalid),
        (f"/comments/replies/stop/{signing.dumps({**data, 's': subscription.pk + 1})[:-2]}/", 400, invalid),
        (f"/comments/replies/stop/{signing.dumps(data, salt='other')}/", 400, invalid),
        ("/comments/replies/stop/junk/", 400, invalid),
        (
            f"/comments/replies/confirm/{_Past(salt=CONFIRM_SALT).sign_object(data)}/",
            400,
            "This link has expired.",
        ),
    ]
    for path, status, message in cases:
        response = getattr(Client(), method)(path)
        assert response.status_code == status, path
        assert message in response.content.decode(), path
    assert ReplySubscription.objects.get().unsubscribed_at is None

    comment.delete()  # the conversation is gone, and its subscriptions with it
    response = getattr(Client(), method)(f"/comments/replies/stop/{stop_token}/")
    assert response.status_code == 404
    assert "This conversation is no longer on the site" in response.content.decode()


# As deployed: the database queue and the worker.

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_request_that_posts_a_reply_sends_no_email_the_worker_does(client, settings, mailoutbox):
    settings.TASKS = DATABASE_TASKS
    story = make_article("Harbour bridge to close for repairs")
    [first] = make_comments(story, 1, email="ann@example.com")
    ReplySubscription.objects.create(
        thread_root=first, email="ann@example.com", base_url="http://testserver/", confirmed_at=timezone.now()
    )

    response = client.post(post_url(story), guest_data(story, parent=first.pk, name="Ben"))
    assert response.status_code == 302
    assert not mailoutbox
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "comments.tasks.send_reply_notifications"

    run_worker()

    assert [m.to for m in mailoutbox] == [["ann@example.com"]]
    task.refresh_from_db()
    assert task.return_value == 1


@pytest.mark.django_db(transaction=True)
def test_a_guests_confirmation_is_sent_by_the_worker(client, settings, mailoutbox):
    settings.TASKS = DATABASE_TASKS
    story = make_article("Harbour bridge to close for repairs")

    client.post(post_url(story), guest_data(story, email="ann@example.com", notify_replies="on"))
    assert not mailoutbox and DBTaskResult.objects.count() == 1

    run_worker()

    [message] = mailoutbox
    assert "/comments/replies/confirm/" in message.body


def test_emails_are_in_the_sites_language(client, story, run, mailoutbox, settings):
    comment = subscribed_guest(client, story, run)
    mailoutbox.clear()
    settings.LANGUAGE_CODE = "ru"
    with run():
        make_reply(comment, name="Ben")
    assert (
        mailoutbox[0].subject
        == "[Newsroom] Новый ответ на ваш комментарий к «Harbour bridge to close for repairs»"
    )
    assert "Больше не присылать эти письма: http://testserver/comments/replies/stop/" in mailoutbox[0].body
