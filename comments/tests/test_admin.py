import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from comments.models import Ban, BannedWord, Comment, CommunityStandards, Moderator
from comments.services import report_comment

from .helpers import make_article, make_comments, make_reader, make_section

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


def make_moderator(sections=()):
    user = User.objects.create_user("mod", "mod@example.com", "correct-horse", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    if sections:
        Moderator.objects.create(user=user).sections.set(sections)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def moderator_client(client):
    client.force_login(make_moderator())
    return client


def ids_on(response):
    return [comment.pk for comment in response.context["cl"].result_list]


def test_moderators_group_has_the_moderate_permission():
    group = Group.objects.get(name="Moderators")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"moderate_comment", "change_comment", "view_comment", "add_bannedword", "add_ban"} <= codenames
    assert Permission.objects.get(codename="moderate_comment").name == "Can moderate comments"
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert "change_communitystandards" in editors


def test_queue_lists_pending_first_with_report_counts(moderator_client):
    article = make_article()
    [published] = make_comments(article, 1)
    [pending] = make_comments(article, 1, status=Comment.Status.PENDING)
    [rejected] = make_comments(article, 1, status=Comment.Status.REJECTED)
    report_comment(published, reporter="ip:x")
    response = moderator_client.get(CHANGELIST)
    assert ids_on(response) == [pending.pk, published.pk, rejected.pk]
    assertContains(response, '<td class="field-report_count">1</td>', html=True)
    assertContains(response, f'href="/comments/{published.pk}/"')


@pytest.mark.parametrize("field", ["body", "name", "email", "ip_address"])
def test_queue_search_by_text_name_email_and_ip(moderator_client, field):
    article = make_article()
    [target] = make_comments(
        article, 1, body="Needle in the text", name="Needle Person", email="needle@example.com"
    )
    Comment.objects.filter(pk=target.pk).update(ip_address="203.0.113.77")
    make_comments(article, 2)
    query = {"body": "Needle in", "name": "Needle Person", "email": "needle@", "ip_address": "203.0.113.77"}[
        field
    ]
    assert ids_on(moderator_client.get(CHANGELIST, {"q": query})) == [target.pk]


def test_queue_filters_by_status_section_and_article(moderator_client):
    world, sport = make_section("World"), make_section("Sport")
    in_world, in_sport = make_article(section=world), make_article(section=sport)
    [w] = make_comments(in_world, 1, status=Comment.Status.PENDING)
    [s] = make_comments(in_sport, 1)
    assert ids_on(moderator_client.get(CHANGELIST, {"status__exact": "pending"})) == [w.pk]
    assert ids_on(moderator_client.get(CHANGELIST, {"article__section__id__exact": sport.pk})) == [s.pk]
    assert ids_on(moderator_client.get(CHANGELIST, {"article__id__exact": in_world.pk})) == [w.pk]


def run_action(client, action, comments):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [c.pk for c in comments], "index": 0},
        follow=True,
    )


def test_bulk_approve_reject_remove_report_and_keep_counts(moderator_client):
    article = make_article(comments_premoderated=True)
    held = make_comments(article, 3, status=Comment.Status.PENDING)
    response = run_action(moderator_client, "approve", held)
    assertContains(response, "3 comments approved")
    assert Article.objects.get(pk=article.pk).comment_count == 3
    assert all(c.published_at for c in Comment.objects.all())
    assert Comment.objects.filter(moderated_by__username="mod").count() == 3
    response = run_action(moderator_client, "reject", held[:1])
    assertContains(response, "1 comment rejected")
    response = run_action(moderator_client, "remove", held[1:])
    assertContains(response, "2 comments removed")
    assert Article.objects.get(pk=article.pk).comment_count == 0


def test_approving_a_visible_reported_comment_closes_its_reports(moderator_client, settings):
    settings.COMMENTS_REPORT_THRESHOLD = 3
    article = make_article()
    [reported, quiet] = make_comments(article, 2)
    report_comment(reported, reporter="ip:a")  # one report: still on the page
    response = run_action(moderator_client, "approve", [reported, quiet])
    assertContains(response, "1 comment approved")
    reported.refresh_from_db()
    assert reported.is_published and reported.report_count == 0
    assert not reported.reports.filter(reviewed=False).exists()
    assert Article.objects.get(pk=article.pk).comment_count == 2


def test_ban_actions(moderator_client):
    article = make_article()
    reader = make_reader()
    [guest] = make_comments(article, 1, email="spammer@example.com")
    Comment.objects.filter(pk=guest.pk).update(ip_address="203.0.113.66")
    [account] = make_comments(article, 1, user=reader)
    assertContains(run_action(moderator_client, "ban_email", [guest, account]), "1 email banned")
    assertContains(run_action(moderator_client, "ban_ip", [guest]), "1 IP address banned")
    assertContains(run_action(moderator_client, "ban_account", [guest, account]), "1 account banned")
    assert Ban.find(email="SPAMMER@example.com") is not None
    assert Ban.find(ip="203.0.113.66") is not None
    assert Ban.find(user=reader) is not None
    assert Ban.objects.get(kind="user").created_by.username == "mod"


def test_status_change_in_the_form_keeps_the_count(moderator_client):
    article = make_article()
    [comment] = make_comments(article, 1)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    response = moderator_client.get(url)
    assert response.status_code == 200
    data = {
        "status": "removed",
        "body": comment.body,
        "name": comment.name,
        "email": comment.email,
        "reports-TOTAL_FORMS": 0,
        "reports-INITIAL_FORMS": 0,
    }
    response = moderator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    comment.refresh_from_db()
    assert comment.status == "removed" and comment.moderated_by.username == "mod"
    assert Article.objects.get(pk=article.pk).comment_count == 0


def test_deleting_comments_in_the_admin_keeps_the_count(admin_client):
    article = make_article()
    comments = make_comments(article, 3)
    admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [c.pk for c in comments[:2]], "post": "yes"},
    )
    assert Article.objects.get(pk=article.pk).comment_count == 1


def test_moderator_limited_to_sections_sees_only_those(client):
    world, sport = make_section("World"), make_section("Sport")
    [w] = make_comments(make_article(section=world), 1)
    [s] = make_comments(make_article(section=sport), 1)
    client.force_login(make_moderator(sections=[world]))
    assert ids_on(client.get(CHANGELIST)) == [w.pk]
    assert client.get(reverse("admin:comments_comment_change", args=[s.pk])).status_code == 302
    run_action(client, "remove", [w, s])
    assert Comment.objects.get(pk=s.pk).is_published
    assert not Comment.objects.get(pk=w.pk).is_published


def test_staff_without_the_permission_cannot_moderate(client):
    editor = User.objects.create_user("ed", "ed@example.com", "x", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_comment"))
    editor.user_permissions.add(Permission.objects.get(codename="change_comment"))
    client.force_login(editor)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assertNotContains(response, 'value="approve"')


def test_moderator_sees_held_comments_in_place(client):
    article = make_article()
    [held] = make_comments(article, 1, status=Comment.Status.PENDING, body="Waiting words")
    client.force_login(make_moderator())
    response = client.get(reverse("comments:permalink", args=[held.pk]), follow=True)
    assertContains(response, "Waiting words")
    assertContains(response, "Awaiting moderation")
    assertContains(response, reverse("admin:comments_comment_change", args=[held.pk]))


def test_banned_words_are_edited_in_the_admin(moderator_client):
    response = moderator_client.post(reverse("admin:comments_bannedword_add"), {"word": "  Blockhead "})
    assert response.status_code == 302
    assert BannedWord.objects.get().word == "blockhead"


def test_community_standards_are_edited_in_the_admin(admin_client, client):
    standards = CommunityStandards.objects.get()
    url = reverse("admin:comments_communitystandards_change", args=[standards.pk])
    response = admin_client.post(url, {"title": "House rules", "body": "Be **kind**."})
    assert response.status_code == 302
    page = client.get(reverse("comments:standards"))
    assertContains(page, "<strong>kind</strong>", html=False)
    assertContains(page, "House rules")


def test_story_admin_sets_premoderation_and_closing_time(admin_client):
    article = make_article()
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assertContains(response, 'name="comments_premoderated"')
    assertContains(response, 'name="comments_close_at_0"')
