"""The audit log across the desk: an entry for each kind of action, append-only, read by editors only."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import make_article, make_section, make_user
from articles.tests.test_admin import change_fields, form_post_data
from audit.models import AppendOnlyError, Entry
from comments.models import Comment
from comments.tests.helpers import make_comments

pytestmark = pytest.mark.django_db

ARTICLES = "/admin/articles/article/"
COMMENTS = "/admin/comments/comment/"
LOG = "/admin/audit/entry/"
OFFICE = "198.51.100.23"
PUBLISHING = [Entry.Action.PUBLISH, Entry.Action.UNPUBLISH, Entry.Action.SCHEDULE]


@pytest.fixture
def editor(client):
    user = make_user("editor")
    client.force_login(user)
    return user


def only(action):
    (entry,) = Entry.objects.filter(action=action)
    return entry


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


# Stories


def test_the_publish_action_is_logged_with_who_and_from_where(client, editor):
    draft = make_article(state="draft", headline="Bridge opens")

    client.post(ARTICLES, {"action": "publish", "_selected_action": [draft.pk]}, REMOTE_ADDR=OFFICE)

    entry = only(Entry.Action.PUBLISH)
    assert (entry.user, entry.username, entry.ip_address) == (editor, editor.username, OFFICE)
    assert entry.object_repr == "Bridge opens" and entry.object_id == str(draft.pk)
    assert entry.content_type.model_class() is Article
    assert timezone.now() - entry.created_at < timedelta(minutes=1)


def test_publishing_a_draft_dated_ahead_is_logged_as_scheduled(client, editor):
    draft = make_article(state="draft", published_at=timezone.now() + timedelta(hours=3))

    client.post(ARTICLES, {"action": "publish", "_selected_action": [draft.pk]})

    assert only(Entry.Action.SCHEDULE).detail.startswith("for ")
    assert not Entry.objects.filter(action=Entry.Action.PUBLISH).exists()


def test_the_unpublish_action_is_logged(client, editor):
    story = make_article()

    client.post(ARTICLES, {"action": "unpublish", "_selected_action": [story.pk]})

    assert only(Entry.Action.UNPUBLISH).object_id == str(story.pk)


def post_change(client, article, **fields):
    url = change_url(article)
    response = client.post(url, form_post_data(client, url, **change_fields(article, **fields)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get(pk=article.pk)


def test_publishing_scheduling_and_unpublishing_in_the_form_are_logged(client, editor):
    article = make_article(state="draft", section=make_section())
    soon = timezone.localtime() + timedelta(days=1)

    post_change(client, article, headline="Only the text changes")
    assert not Entry.objects.filter(action__in=PUBLISHING).exists()

    article = post_change(client, article, status="published")
    assert only(Entry.Action.PUBLISH).user == editor

    article = post_change(client, article, status="draft")
    assert only(Entry.Action.UNPUBLISH).object_id == str(article.pk)

    post_change(
        client,
        article,
        status="published",
        published_at_0=soon.strftime("%Y-%m-%d"),
        published_at_1=soon.strftime("%H:%M:%S"),
    )
    assert only(Entry.Action.SCHEDULE).detail == f"for {soon.strftime('%Y-%m-%d %H:%M')}"


def test_deleting_a_story_in_the_admin_is_logged_with_who_deleted_it(client, editor):
    article = make_article(headline="Retracted story")

    response = client.post(
        f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}, REMOTE_ADDR=OFFICE
    )

    assert response.status_code == 302
    entry = only(Entry.Action.DELETE)
    assert (entry.user, entry.ip_address, entry.object_repr) == (editor, OFFICE, "Retracted story")


def test_a_story_deleted_outside_a_request_is_logged_as_the_system():
    make_article(headline="Old story").delete()

    entry = only(Entry.Action.DELETE)
    assert entry.user is None and entry.ip_address is None
    assert str(entry) == "system: Deleted Old story"


# Comments


def test_moderation_actions_are_logged_per_comment(client):
    client.force_login(User.objects.create_superuser("chief", "chief@example.com", "x"))
    held = make_comments(make_article(), 3, status=Comment.Status.PENDING)
    approved_already = make_comments(make_article(), 1)

    client.post(COMMENTS, {"action": "approve", "_selected_action": [c.pk for c in held + approved_already]})
    client.post(COMMENTS, {"action": "remove", "_selected_action": [held[0].pk]})

    approvals = Entry.objects.filter(action=Entry.Action.MODERATE, detail="pending → published")
    assert sorted(int(e.object_id) for e in approvals) == sorted(c.pk for c in held)
    assert Entry.objects.filter(action=Entry.Action.MODERATE, detail="published → removed").count() == 1


def test_moderating_in_the_form_and_deleting_and_banning_are_logged(client):
    client.force_login(User.objects.create_superuser("chief", "chief@example.com", "x"))
    first, second = make_comments(make_article(), 2, status=Comment.Status.PENDING)

    url = change_url(first)
    data = form_post_data(client, url, status="rejected", body=first.body, name=first.name, email=first.email)
    data.update({"user_agent": "", "ip_address": first.ip_address})
    assert client.post(url, data).status_code == 302
    client.post(COMMENTS, {"action": "ban_ip", "_selected_action": [second.pk]})
    client.post(f"/admin/comments/comment/{second.pk}/delete/", {"post": "yes"})

    assert only(Entry.Action.MODERATE).detail == "pending → rejected"
    assert only(Entry.Action.BAN).detail == f"1 new ip ban(s), from comments #{second.pk}"
    assert only(Entry.Action.DELETE).object_id == str(second.pk)


# Groups, permissions and staff flags


def test_group_changes_are_logged_from_either_side():
    user = make_user("reader")
    editors = Group.objects.get(name="Editors")

    user.groups.add(editors)
    editors.user_set.remove(user)

    added, removed = Entry.objects.filter(action=Entry.Action.GROUPS).order_by("pk")
    assert (added.object_repr, added.detail) == (user.username, "groups added: Editors")
    assert (removed.object_repr, removed.detail) == (user.username, "groups removed: Editors")


def test_clearing_groups_names_the_groups_removed():
    user = make_user("editor")
    user.groups.clear()

    assert Entry.objects.filter(action=Entry.Action.GROUPS).latest("pk").detail == "groups removed: Editors"


def test_permission_changes_of_groups_and_users_are_logged():
    user = make_user("reporter")
    publish = Permission.objects.get(codename="publish_article")

    Group.objects.get(name="Reporters").permissions.add(publish)
    user.user_permissions.add(publish)

    group_entry, user_entry = Entry.objects.filter(action=Entry.Action.PERMISSIONS).order_by("pk")
    assert group_entry.object_repr == "Reporters"
    assert user_entry.object_repr == user.username
    assert "publish" in group_entry.detail.lower() and group_entry.detail.startswith("permissions added: ")


def test_group_change_in_the_admin_is_logged_with_who_made_it(client):
    chief = User.objects.create_superuser("chief", "chief@example.com", "x")
    reporter = make_user("reporter")
    client.force_login(chief)
    url = f"/admin/auth/user/{reporter.pk}/change/"
    data = form_post_data(client, url)
    form = client.get(url).context["adminform"].form
    data.update({name: value for name, value in form.initial.items() if value is not None})
    data.update(
        {
            "username": reporter.username,
            "date_joined_0": timezone.localtime(reporter.date_joined).strftime("%Y-%m-%d"),
            "date_joined_1": "00:00:00",
            "is_active": "on",
            "is_staff": "on",
            "groups": [Group.objects.get(name="Editors").pk],
            "user_permissions": [],
        }
    )
    data.pop("last_login", None)
    data.pop("password", None)

    response = client.post(url, data, REMOTE_ADDR=OFFICE)

    assert response.status_code == 302, response.context["adminform"].form.errors
    entries = Entry.objects.filter(action=Entry.Action.GROUPS, user=chief)
    assert set(entries.values_list("detail", "ip_address")) == {
        ("groups removed: Reporters", OFFICE),
        ("groups added: Editors", OFFICE),
    }


def test_staff_and_superuser_flags_are_logged_when_they_change():
    user = make_user("reader")
    assert not Entry.objects.exists()  # readers are no one's concern here

    user.is_staff = True
    user.save()
    user.first_name = "Ada"
    user.save()
    user.is_staff, user.is_superuser = False, True
    user.save()

    granted, swapped = Entry.objects.filter(action=Entry.Action.STAFF).order_by("pk")
    assert granted.detail == "is_staff on"
    assert swapped.detail == "is_staff off, is_superuser on"


def test_a_new_superuser_is_logged():
    User.objects.create_superuser("chief", "chief@example.com", "x")

    assert only(Entry.Action.STAFF).detail == "is_staff on, is_superuser on"


# Append-only


def test_entries_cannot_be_changed_or_deleted_even_in_code():
    entry = Entry.objects.create(action=Entry.Action.PUBLISH, object_repr="A story")

    entry.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert Entry.objects.get().detail == ""


def test_not_even_a_superuser_adds_changes_or_deletes_entries_in_the_admin(client):
    client.force_login(User.objects.create_superuser("chief", "chief@example.com", "x"))
    entry = Entry.objects.create(action=Entry.Action.PUBLISH, object_repr="A story")

    listing = client.get(LOG)
    change = client.post(change_url(entry), {"action": "unpublish", "detail": "forged"})
    delete = client.post(f"{LOG}{entry.pk}/delete/", {"post": "yes"})
    bulk = client.post(LOG, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})

    assert listing.status_code == 200
    assert "delete_selected" not in listing.text
    assert client.get(f"{LOG}add/").status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    assert bulk.status_code == 200  # "no action selected": the action is not offered
    assert Entry.objects.get(pk=entry.pk).detail == ""
    assert Entry.objects.filter(action=Entry.Action.PUBLISH).count() == 1


# Who reads it


def test_editors_read_and_filter_the_log(client, editor):
    other = make_user("editor")
    Entry.objects.all().delete()  # the entries making the users wrote: this test lists its own
    Entry.objects.create(action=Entry.Action.PUBLISH, object_repr="Council meets", user=other)
    Entry.objects.create(action=Entry.Action.UNPUBLISH, object_repr="Harbour closes", user=editor)
    Entry.objects.create(
        action=Entry.Action.DELETE, object_repr="Old", created_at=timezone.now() - timedelta(days=40)
    )

    def listed(query=""):
        response = client.get(f"{LOG}{query}")
        assert response.status_code == 200
        return sorted(entry.object_repr for entry in response.context["cl"].result_list)

    assert listed() == ["Council meets", "Harbour closes", "Old"]
    assert listed("?action=unpublish") == ["Harbour closes"]
    assert listed(f"?user__id__exact={other.pk}") == ["Council meets"]
    assert listed("?q=council") == ["Council meets"]
    # What the "Past 7 days" filter links to.
    since = urlencode({"created_at__gte": str(timezone.localtime() - timedelta(days=7))})
    assert listed(f"?{since}") == ["Council meets", "Harbour closes"]
    entry = Entry.objects.get(object_repr="Old")
    assert client.get(change_url(entry)).status_code == 200  # read-only view


def test_reporters_and_moderators_cannot_read_the_log(client):
    entry = Entry.objects.create(action=Entry.Action.PUBLISH, object_repr="A story")
    moderator = make_user("reader", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))

    for user in (make_user("reporter"), moderator):
        client.force_login(user)
        assert client.get(LOG).status_code == 403
        assert client.get(change_url(entry)).status_code == 403


# Signing in


def sign_in(client, login, password=None, next_url="/admin/"):
    data = {"login": login, "password": password or "correct-horse", "next": next_url}
    return client.post("/accounts/login/", data, REMOTE_ADDR=OFFICE)


def test_staff_sign_ins_and_failed_ones_are_logged_with_the_address(client, clean_cache):
    editor = make_user("editor", username="desk")

    sign_in(client, "desk", password="wrong")
    sign_in(client, "desk")

    failed, signed_in = only(Entry.Action.SIGN_IN_FAILED), only(Entry.Action.SIGN_IN)
    assert (failed.user, failed.username, failed.ip_address) == (None, "desk", OFFICE)
    assert (signed_in.user, signed_in.ip_address) == (editor, OFFICE)


def test_failed_tries_on_the_way_to_the_admin_are_logged_even_for_unknown_names(client, clean_cache):
    sign_in(client, "nobody", password="wrong")

    assert only(Entry.Action.SIGN_IN_FAILED).username == "nobody"


def test_readers_signing_in_are_not_the_logs_concern(client, clean_cache):
    reader = make_user("reader", email="reader@example.com")

    sign_in(client, "reader@example.com", password="wrong", next_url="/")
    client.force_login(reader)

    assert not Entry.objects.filter(action__in=[Entry.Action.SIGN_IN, Entry.Action.SIGN_IN_FAILED]).exists()
