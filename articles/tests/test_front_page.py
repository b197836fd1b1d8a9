"""The front page: editors' pinned slots first, else the newest story with a photo leads."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from articles.models import Article, FrontPageSlot

from .factories import make_article, make_photo, make_section
from .test_views import QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_section("World", slug="world")


def story(world, minutes_ago, *, photo=True, **kwargs):
    return make_article(
        section=world,
        published_at=timezone.now() - timedelta(minutes=minutes_ago),
        main_photo=make_photo() if photo else None,
        **kwargs,
    )


def front(**kwargs):
    top, more, latest = Article.objects.published().front_page(**kwargs)
    return top, more, latest


def test_newest_story_with_a_photo_leads_when_nothing_is_pinned(world):
    text_only = story(world, 1, photo=False)
    with_photo = story(world, 2)

    top, more, latest = front()

    assert top == with_photo
    assert latest == [text_only]
    assert more == []


def test_newest_story_leads_when_none_has_a_photo(world):
    newest, older = story(world, 1, photo=False), story(world, 2, photo=False)

    top, _more, latest = front()

    assert (top, latest) == (newest, [older])


def test_cards_come_only_with_enough_stories_for_the_latest_list(world):
    stories = [story(world, n) for n in range(1, 6)]
    assert front()[1] == []  # four after the lead: all go to the latest list

    stories.append(story(world, 10))
    top, more, latest = front()

    assert (top, more, latest) == (stories[0], stories[1:3], stories[3:])


def test_pinned_top_story_leads_without_a_photo_and_shows_once(world):
    stories = [story(world, n) for n in range(1, 9)]
    analysis = story(world, 60 * 24, photo=False, headline="A week of talks, explained")
    FrontPageSlot.objects.create(position=1, article=analysis)

    top, more, latest = front()

    assert top == analysis
    assert more == stories[:2]
    assert latest == stories[2:]
    assert analysis not in more + latest


def test_pinned_cards_keep_their_slot_order_and_leave_the_latest_list(world):
    stories = [story(world, n) for n in range(1, 9)]
    FrontPageSlot.objects.create(position=3, article=stories[0])
    FrontPageSlot.objects.create(position=2, article=stories[5])

    top, more, latest = front()

    assert top == stories[1]  # slot 1 is empty: the newest unpinned story with a photo
    assert more == [stories[5], stories[0]]
    assert latest == [stories[n] for n in (2, 3, 4, 6, 7)]
    assert len({top.pk, *(s.pk for s in more + latest)}) == 1 + len(more) + len(latest)


def test_latest_list_does_not_shrink_when_pinned_stories_are_among_the_newest(world):
    stories = [story(world, n) for n in range(1, 20)]
    FrontPageSlot.objects.create(position=1, article=stories[0])
    FrontPageSlot.objects.create(position=2, article=stories[1])

    top, more, latest = front(latest_count=10)

    assert top == stories[0]
    assert more == [stories[1], stories[2]]
    assert latest == stories[3:11]  # ten places beside the top story, as without pins


@pytest.mark.parametrize(
    "make_inactive",
    [
        pytest.param(
            lambda slot: setattr(slot, "pinned_until", timezone.now() - timedelta(minutes=1)), id="expired"
        ),
        pytest.param(lambda slot: setattr(slot, "position", 4), id="beyond-slots"),
        pytest.param(
            lambda slot: slot.article.__dict__.update(status=Article.Status.DRAFT), id="unpublished"
        ),
        pytest.param(
            lambda slot: slot.article.__dict__.update(published_at=timezone.now() + timedelta(hours=1)),
            id="scheduled",
        ),
    ],
)
def test_inactive_pins_are_ignored_without_anyone_removing_them(world, settings, make_inactive):
    settings.FRONT_PAGE_SLOTS = 3
    newest = story(world, 1)
    pinned = story(world, 60, photo=False)
    slot = FrontPageSlot.objects.create(position=1, article=pinned)
    make_inactive(slot)
    slot.save()
    slot.article.save()

    top, more, latest = front()

    assert top == newest
    assert not FrontPageSlot.objects.active().exists()
    assert FrontPageSlot.objects.filter(pk=slot.pk).exists()
    if slot.article.is_published:
        assert latest == [pinned]  # back among the latest stories
    else:
        assert pinned not in [top, *more, *latest]


def test_pin_that_has_not_ended_yet_counts(world):
    story(world, 1)
    pinned = story(world, 60)
    FrontPageSlot.objects.create(position=1, article=pinned, pinned_until=timezone.now() + timedelta(hours=1))

    assert front()[0] == pinned


def test_free_positions_count_expired_pins_as_free(world, settings):
    settings.FRONT_PAGE_SLOTS = 3
    FrontPageSlot.objects.create(position=1, article=story(world, 1))
    FrontPageSlot.objects.create(
        position=2, article=story(world, 2), pinned_until=timezone.now() - timedelta(minutes=1)
    )

    assert FrontPageSlot.objects.free_positions() == [2, 3]


def test_home_page_draws_a_pinned_lead_without_photo_in_the_same_queries(
    client, world, django_assert_num_queries
):
    for n in range(1, 9):
        story(world, n, comment_count=n)
    FrontPageSlot.objects.create(
        position=1, article=story(world, 600, photo=False, headline="Pinned analysis")
    )
    FrontPageSlot.objects.create(position=2, article=story(world, 700, headline="Pinned card"))

    with django_assert_num_queries(QUERIES["home"]):
        response = client.get("/")

    assert response.context_data["top_story"].headline == "Pinned analysis"
    assertContains(response, 'class="teaser teaser--big teaser--text"')
    assertContains(response, "Pinned analysis", count=1)
    assertContains(response, "Pinned card", count=1)
