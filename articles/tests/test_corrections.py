from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Correction

from .factories import make_article, make_section, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _moscow_time(settings):
    settings.TIME_ZONE = "Europe/Moscow"


@pytest.fixture
def story():
    return make_article(
        "Vote set for Thursday",
        section=make_section("World", slug="world"),
        body="The vote is on Thursday.",
        published_at=datetime(2017, 3, 25, 15, 39, tzinfo=UTC),
    )


def test_saving_a_correction_marks_the_story_updated(story):
    before = timezone.now()

    Correction.objects.create(article=story, date=date(2017, 3, 26), text="The vote is on Friday.")

    story.refresh_from_db()
    assert story.updated_at >= before
    assert story.was_updated


def test_a_correction_within_the_grace_period_does_not_mark_the_story_updated(settings):
    settings.UPDATED_GRACE_MINUTES = 10
    story = make_article(published_at=timezone.now() - timedelta(minutes=2))
    modified = story.modified_at

    Correction.objects.create(article=story, text="A name was misspelt.")

    story.refresh_from_db()
    assert story.updated_at is None
    assert not story.was_updated
    assert story.modified_at > modified  # the page still shows the correction at once


def test_correction_is_dated_today_by_default(story):
    correction = Correction.objects.create(article=story, text="A name was misspelt.")

    assert correction.date == timezone.localdate()


def test_corrections_show_at_the_end_of_the_story_oldest_first(client, story):
    Correction.objects.create(article=story, date=date(2017, 3, 27), text="Second fix.")
    Correction.objects.create(article=story, date=date(2017, 3, 26), text="The vote is on <Friday>.")

    response = client.get(story.get_absolute_url())
    content = response.content.decode()

    assertContains(
        response, "<strong>Correction, 26.03.2017:</strong> The vote is on &lt;Friday&gt;.", html=True
    )
    assertContains(response, "<strong>Correction, 27.03.2017:</strong> Second fix.", html=True)
    assert content.index("The vote is on Thursday.") < content.index("Correction, 26.03.2017")
    assert content.index("Correction, 26.03.2017") < content.index("Correction, 27.03.2017")
    assertContains(response, "Updated")


def test_story_without_corrections_has_no_corrections_block(client, story):
    assertNotContains(client.get(story.get_absolute_url()), 'class="corrections"')


def test_deleting_a_story_deletes_its_corrections(story):
    Correction.objects.create(article=story, text="Fixed.")

    story.delete()

    assert not Correction.objects.exists()


def test_editor_adds_a_correction_in_the_admin(client, story):
    client.force_login(make_user("editor"))
    url = f"/admin/articles/article/{story.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assertContains(page, "Corrections")
    local = timezone.localtime(story.published_at)
    data = {
        "headline": story.headline,
        "slug": story.slug,
        "section": story.section_id,
        "dateline_place": "",
        "lead": story.lead,
        "body": story.body,
        "main_photo": "",
        "tags": "",
        "allow_comments": "on",
        "status": Article.Status.PUBLISHED,
        "published_at_0": f"{local:%Y-%m-%d}",
        "published_at_1": f"{local:%H:%M:%S}",
    }
    # Every inline on the page (corrections and any other app's) posts its management form.
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-date": "2017-03-26",
            "corrections-0-text": "The vote is on Friday, not Thursday.",
        }
    )
    before = timezone.now() - timedelta(seconds=1)

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    correction = story.corrections.get()
    assert (correction.date, correction.text) == (date(2017, 3, 26), "The vote is on Friday, not Thursday.")
    story.refresh_from_db()
    assert story.updated_at >= before


def test_a_new_or_deleted_correction_shows_at_once_on_a_cached_story_page(client, story):
    assert "Correction," not in client.get(story.get_absolute_url()).content.decode()  # now cached

    correction = Correction.objects.create(
        article=story, date=date(2017, 3, 26), text="Friday, not Thursday."
    )
    assertContains(client.get(story.get_absolute_url()), "Friday, not Thursday.")

    correction.delete()
    assertNotContains(client.get(story.get_absolute_url()), "Friday, not Thursday.")
