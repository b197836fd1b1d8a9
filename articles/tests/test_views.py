import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article

from .factories import make_article, make_author, make_photo, make_section, make_user

pytestmark = pytest.mark.django_db

# Queries per reader page for an anonymous reader. The application keeps nothing between requests
# (caching is an HTTP layer in front of it: core/caching.py), so every request costs the same.
QUERIES = {
    # Pinned lead stories (front page slots), latest stories, sections, the section blocks'
    # stories, most read, most commented, navigation. Pinning costs the one query for the pinned
    # stories. Most read costs none with Redis while nothing was counted (articles/mostread.py).
    "home": 7,
    "section": 4,  # section, count, page of stories, navigation
    "tag": 4,  # tag, count, page, navigation
    "author": 4,  # author with photo, count, page, navigation
    "archive_year": 4,  # the calendar's counts, count, page, navigation
    "archive_month": 4,
    "archive_day": 4,
    "archive": 2,  # the years' counts, navigation
    # The story with its section and photo; its byline, tags and corrections; related and most
    # read stories (one query); navigation. A page of comments adds one when the story has any
    # (comments/tests): seven, the most a page may take.
    "detail": 6,
}


@pytest.fixture(autouse=True)
def _moscow_time(settings):
    settings.TIME_ZONE = "Europe/Moscow"


@pytest.fixture
def world():
    return make_section("World", slug="world")


def story_page(client, article):
    return client.get(article.get_absolute_url())


# Front page and lists


def test_home_shows_published_stories_newest_first(client, world):
    older = make_article("Older story", section=world, published_at=timezone.now() - timedelta(hours=2))
    newer = make_article("Newer story", section=world, published_at=timezone.now() - timedelta(hours=1))
    make_article("Secret draft", section=world, state="draft")
    make_article("Tomorrow's story", section=world, state="scheduled")

    response = client.get("/")

    assert response.status_code == 200
    assert response.context_data["top_story"] == newer
    assert response.context_data["latest"] == [older]
    assertContains(response, "Newer story")
    assertNotContains(response, "Secret draft")
    assertNotContains(response, "Tomorrow")


def test_home_groups_latest_stories_by_section(client):
    world, sport = make_section("World", position=1), make_section("Sport", position=2)
    world_stories = [make_article(section=world) for _ in range(5)]
    sport_story = make_article(section=sport)

    blocks = dict(client.get("/").context_data["section_blocks"])

    assert list(blocks) == [world, sport]
    assert len(blocks[world]) == 4  # HomeView.per_section
    assert set(blocks[world]) <= set(world_stories)
    assert blocks[sport] == [sport_story]


def test_home_without_stories_says_so(client):
    response = client.get("/")

    assert response.status_code == 200
    assertContains(response, "No stories have been published yet.")


def test_section_page_lists_only_its_public_stories(client, world):
    sport = make_section("Sport")
    mine = make_article("World story", section=world)
    make_article("Sport story", section=sport)
    make_article("World draft", section=world, state="draft")

    response = client.get("/world/")

    assert response.status_code == 200
    assert response.template_name[0] == "articles/section.html"
    assert list(response.context_data["object_list"]) == [mine]
    assertContains(response, "<h1>World</h1>", html=True)


def test_section_page_marks_its_section_in_the_navigation(client, world):
    make_section("Sport", slug="sport")

    response = client.get("/world/")

    assertContains(response, '<a href="/world/" aria-current="page">World</a>', html=True)
    assertContains(response, '<a href="/sport/">Sport</a>', html=True)


def test_unknown_section_is_404(client):
    assert client.get("/no-such-section/").status_code == 404


def test_tag_page_lists_only_tagged_public_stories(client, world):
    tagged = make_article("Tagged", section=world, tags=["Elections"])
    make_article("Untagged", section=world)
    make_article("Tagged draft", section=world, tags=["Elections"], state="draft")

    response = client.get(reverse("articles:tag", args=["elections"]))

    assert response.status_code == 200
    assert list(response.context_data["object_list"]) == [tagged]
    assertContains(response, "<h1>Elections</h1>", html=True)


def test_unknown_tag_is_404(client):
    assert client.get("/tag/no-such-tag/").status_code == 404


@pytest.mark.parametrize("state", ["draft", "review", "scheduled", "expired"])
def test_tag_of_unpublished_stories_only_is_404(client, world, state):
    # An embargoed merger's name must not show on a tag page before its story is out.
    make_article("Embargoed", section=world, tags=["Acme merger"], state=state)
    make_article("Out", section=world, tags=["Elections"])

    response = client.get("/tag/acme-merger/")

    assert response.status_code == 404
    assert "Acme merger" not in response.content.decode()


def test_author_page_lists_only_their_public_stories(client, world):
    ann, bob = make_author("Ann Lee", bio="Covers the Balkans."), make_author("Bob Stone")
    hers = make_article("Ann's story", section=world, authors=[ann])
    shared = make_article("Joint story", section=world, authors=[ann, bob])
    make_article("Bob's story", section=world, authors=[bob])
    make_article("Ann's draft", section=world, authors=[ann], state="draft")

    response = client.get("/author/ann-lee/")

    assert response.status_code == 200
    assert set(response.context_data["object_list"]) == {hers, shared}
    assertContains(response, "Covers the Balkans.")


def test_unknown_author_is_404(client):
    assert client.get("/author/nobody/").status_code == 404


@pytest.fixture
def archive_stories(world):
    return {
        "2016": make_article("Year before", section=world, published_at=datetime(2016, 6, 1, 9, tzinfo=UTC)),
        "march": make_article("In March", section=world, published_at=datetime(2017, 3, 25, 12, tzinfo=UTC)),
        # 22:30 UTC on the 25th is 01:30 on the 26th in Moscow: it belongs to the 26th.
        "late": make_article(
            "Late night", section=world, published_at=datetime(2017, 3, 25, 22, 30, tzinfo=UTC)
        ),
        "april": make_article("In April", section=world, published_at=datetime(2017, 4, 2, 9, tzinfo=UTC)),
    }


@pytest.mark.parametrize(
    ("url", "expected", "heading"),
    [
        ("/archive/2017/", {"march", "late", "april"}, "2017"),
        ("/archive/2017/3/", {"march", "late"}, "March 2017"),
        ("/archive/2017/03/25/", {"march"}, "25 March 2017"),
        ("/archive/2017/3/26/", {"late"}, "26 March 2017"),
        ("/archive/2016/", {"2016"}, "2016"),
    ],
)
def test_archive_lists_stories_of_the_period_in_site_time(client, archive_stories, url, expected, heading):
    response = client.get(url)

    assert response.status_code == 200
    assert set(response.context_data["object_list"]) == {archive_stories[key] for key in expected}
    assertContains(response, f"<h1>{heading}</h1>", html=True)


@pytest.mark.parametrize(
    "url",
    ["/archive/2017/13/", "/archive/2017/0/", "/archive/2017/2/30/", "/archive/2017/3/0/", "/archive/0/"],
)
def test_archive_of_impossible_date_is_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url", ["/archive/2015/", "/archive/2017/5/", "/archive/2017/3/24/", "/archive/2017/3/25/?page=2"]
)
def test_archive_of_a_period_without_stories_is_404(client, archive_stories, url):
    # 2017-03-25 has a story: its page 2 is its last page, not a 404 (paginated lists never fail).
    expected = 200 if "page=" in url else 404
    assert client.get(url).status_code == expected


def test_archive_index_lists_the_years_with_their_counts(client, archive_stories, django_assert_num_queries):
    with django_assert_num_queries(QUERIES["archive"]):
        response = client.get("/archive/")

    assert response.context_data["years"] == [(date(2017, 1, 1), 3), (date(2016, 1, 1), 1)]
    assertContains(
        response,
        '<a href="/archive/2017/"><span class="calendar__name">2017</span>'
        ' <span class="calendar__count">3 stories</span></a>',
        html=True,
    )
    assertContains(response, '<span class="calendar__count">1 story</span>', html=True)


def test_archive_year_shows_its_twelve_months_linking_those_with_stories(client, archive_stories):
    response = client.get("/archive/2017/")

    months = response.context_data["calendar"]["months"]
    assert [count for _month, count in months] == [0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    assertContains(
        response,
        '<a href="/archive/2017/3/"><span class="calendar__name">March</span>'
        ' <span class="calendar__count">2 stories</span></a>',
        html=True,
    )
    assertContains(response, '<a href="/archive/2017/4/">', count=1)
    assertContains(response, '<li><span class="calendar__name">May</span></li>', html=True)
    assertNotContains(response, 'href="/archive/2017/5/"')


def test_archive_month_and_day_show_the_days_of_the_month_in_site_time(client, archive_stories):
    month = client.get("/archive/2017/3/")
    day = client.get("/archive/2017/3/26/")

    for response in (month, day):
        weeks = response.context_data["calendar"]["weeks"]
        days = {cell[0].day: cell[1] for week in weeks for cell in week if cell}
        assert len(days) == 31
        # The late story (22:30 UTC on the 25th) counts on the 26th, Moscow's day.
        assert {n: count for n, count in days.items() if count} == {25: 1, 26: 1}
        assert weeks[0][:2] == [None, None]  # 1 March 2017 was a Wednesday; English weeks start on Sunday
        assertContains(response, '<th scope="col" abbr="Sunday">Sun</th>', html=True)
    assertContains(month, 'href="/archive/2017/3/25/"')
    assertNotContains(month, "aria-current")
    assertContains(day, '<a href="/archive/2017/3/26/" aria-current="page">')
    assertContains(day, '<a href="/archive/2017/3/">March</a>', html=True)


def test_archive_day_follows_the_first_weekday_of_the_language(client, archive_stories, settings):
    settings.LANGUAGE_CODE = "ru"

    response = client.get("/archive/2017/3/")

    weeks = response.context_data["calendar"]["weeks"]
    assert weeks[0][:2] == [None, None] and weeks[0][2][0] == date(2017, 3, 1)  # Monday first
    assertContains(response, '<th scope="col" abbr="Понедельник">Пн</th>', html=True)


def test_footer_links_to_the_archive(client):
    assertContains(client.get("/"), '<li><a href="/archive/">Archive</a></li>', html=True)


def test_archive_hides_drafts_and_scheduled_stories(client, world):
    make_article("Draft", section=world, state="draft", published_at=timezone.now() - timedelta(days=1))
    make_article("Scheduled", section=world, state="scheduled")

    response = client.get(f"/archive/{timezone.localdate().year}/")

    assert response.status_code == 404


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "", "1.5"])
@pytest.mark.parametrize("path", ["/world/", "/tag/news/", "/author/ann-lee/", "/archive/2020/"])
def test_odd_page_numbers_never_fail(client, world, path, page):
    ann = make_author("Ann Lee")
    for n in range(22):
        make_article(
            section=world,
            authors=[ann],
            tags=["News"],
            published_at=datetime(2020, 5, 1, tzinfo=UTC) + timedelta(hours=n),
        )

    response = client.get(path, {"page": page})

    assert response.status_code == 200
    assert len(response.context_data["object_list"]) > 0


def test_list_pages_link_to_the_next_page(client, world):
    for _ in range(22):
        make_article(section=world)

    first = client.get("/world/")
    second = client.get("/world/", {"page": 2})

    assertContains(first, 'rel="next" href="?page=2"')
    assert len(first.context_data["object_list"]) == 20
    assert len(second.context_data["object_list"]) == 2
    assertContains(second, 'rel="prev" href="/world/"')


# The story page


@pytest.fixture
def full_story(world):
    ann, bob = make_author("Ann Lee"), make_author("Bob Stone")
    photo = make_photo(
        alt_text="Delegates at the table", caption="Delegates meet in Geneva.", credit="© Agency"
    )
    return make_article(
        "Talks resume in Geneva",
        section=world,
        dateline_place="Moscow",
        lead="Delegations met for the first time in a year.",
        body="First paragraph.\n\n## What next\n\nSecond paragraph.",
        main_photo=photo,
        authors=[ann, bob],
        tags=["Diplomacy", "Geneva"],
        published_at=datetime(2017, 3, 25, 15, 39, tzinfo=UTC),
    )


def test_story_page_shows_dateline_in_site_time(client, full_story):
    response = story_page(client, full_story)

    assert response.status_code == 200
    assertContains(
        response, '<time datetime="2017-03-25T18:39:00+03:00">18:39 GMT+3, 25.03.2017</time>', html=True
    )
    content = response.content.decode()
    assert content.index("MOSCOW") < content.index("18:39 GMT+3")


def test_story_page_shows_updated_line_only_after_an_update(client, full_story):
    assertNotContains(story_page(client, full_story), "Updated")

    full_story.updated_at = full_story.published_at + timedelta(hours=2, minutes=26)
    full_story.save()
    response = story_page(client, full_story)

    assertContains(response, "Updated")
    assertContains(
        response, '<time datetime="2017-03-25T21:05:00+03:00">21:05 GMT+3, 25.03.2017</time>', html=True
    )


def test_story_page_has_one_h1_and_a_section_link(client, full_story):
    response = story_page(client, full_story)

    assert len(re.findall(r"<h1[\s>]", response.content.decode())) == 1
    assertContains(response, '<h1 class="story__headline">Talks resume in Geneva</h1>', html=True)
    assertContains(response, '<a href="/world/">World</a>', html=True)


def test_story_page_shows_photo_with_alt_caption_and_credit(client, full_story):
    response = story_page(client, full_story)

    content = response.content.decode()
    figure = content[content.index("<figure") : content.index("</figure>")]
    jpeg_url, _width, _height = full_story.main_photo.sources("4:3")["jpeg"][0]  # its one 4:3 crop
    assert f'src="{jpeg_url}"' in figure
    assert 'alt="Delegates at the table"' in figure
    assert re.search(r"<figcaption>Delegates meet in Geneva\..*© Agency.*</figcaption>", figure)


def test_story_page_shows_lead_body_byline_and_tags(client, full_story):
    response = story_page(client, full_story)

    assertContains(
        response, '<p class="story__lead">Delegations met for the first time in a year.</p>', html=True
    )
    assertContains(response, "<h2>What next</h2>", html=True)
    assertContains(response, "<p>Second paragraph.</p>", html=True)
    assertContains(
        response,
        '<p class="byline">By <a href="/author/ann-lee/" rel="author">Ann Lee</a> and '
        '<a href="/author/bob-stone/" rel="author">Bob Stone</a></p>',
        html=True,
    )
    assertContains(response, '<a href="/tag/diplomacy/" rel="tag">Diplomacy</a>', html=True)
    assertContains(response, '<a href="/tag/geneva/" rel="tag">Geneva</a>', html=True)


def test_story_page_offers_its_short_url(client, full_story):
    response = story_page(client, full_story)

    # Shown without JavaScript too: a box that opens with the link in a labelled, selectable field.
    short_url = f"http://testserver/s/{full_story.short_code}"
    field = f"short-url-{full_story.pk}"
    assertContains(response, '<details class="share"')
    assertContains(response, "Get short URL</summary>")
    assertContains(response, f'<label class="visually-hidden" for="{field}">Short URL</label>', html=True)
    assertContains(
        response,
        f'<input id="{field}" class="short-url__input" type="text" readonly value="{short_url}">',
        html=True,
    )


def test_story_page_body_cannot_carry_a_script(client, world):
    article = make_article(section=world, body="Hi <script>alert(1)</script> <img src=x onerror=alert(2)>")

    response = story_page(client, article)

    assertNotContains(response, "alert(")
    assertNotContains(response, "onerror")


def test_story_page_marks_its_section_in_the_navigation(client, full_story):
    response = story_page(client, full_story)

    assertContains(response, '<a href="/world/" aria-current="page">World</a>', html=True)


def test_future_article_is_not_public(client, world):
    article = make_article(section=world, state="scheduled")

    assert story_page(client, article).status_code == 404


@pytest.mark.parametrize("state", ["draft", "scheduled"])
@pytest.mark.parametrize("role", [None, "reader"])
def test_hidden_story_is_404_for_readers(client, world, state, role):
    article = make_article(section=world, state=state)
    if role:
        client.force_login(make_user(role))

    assert story_page(client, article).status_code == 404


@pytest.mark.parametrize("role", ["editor", "reporter"])
def test_staff_preview_a_draft_with_a_banner(client, world, role):
    user = make_user(role)
    # Reporters preview their own drafts (other reporters': newsroom/tests/test_permissions.py).
    article = make_article("Draft story", section=world, state="draft", created_by=user)
    client.force_login(user)

    response = story_page(client, article)

    assert response.status_code == 200
    assertContains(response, "Preview: this story is a draft. Readers cannot see it.")


def test_staff_without_article_access_cannot_preview_a_draft(client, world):
    article = make_article(section=world, state="draft")
    moderator = make_user("reader", is_staff=True)
    client.force_login(moderator)

    assert story_page(client, article).status_code == 404


def test_staff_preview_a_scheduled_story_with_its_time(client, world):
    when = timezone.now() + timedelta(days=2)
    article = make_article(section=world, state="scheduled", published_at=when)
    client.force_login(make_user("editor"))

    response = story_page(client, article)

    assert response.status_code == 200
    assertContains(response, "Preview: scheduled for")
    assertContains(response, "Readers cannot see this story yet.")


def test_public_story_has_no_preview_banner_for_staff(client, full_story):
    client.force_login(make_user("editor"))

    assertNotContains(story_page(client, full_story), "preview-banner")


def test_scheduled_story_page_opens_once_its_time_passes(client, world, monkeypatch):
    start = timezone.now()
    article = make_article(section=world, state="scheduled", published_at=start + timedelta(minutes=1))
    assert story_page(client, article).status_code == 404

    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(minutes=2))

    assert story_page(client, article).status_code == 200
    assert client.get(f"/s/{article.short_code}").status_code == 301


def test_not_found_page_uses_the_site_design(client, world, settings):
    settings.SITE_NAME = "Daily Test"

    response = client.get("/world/2017/03/25/no-such-story/")

    assert response.status_code == 404
    assertContains(response, 'class="masthead"', status_code=404)  # base.html's frame
    assertContains(response, "Daily Test", status_code=404)
    assertContains(response, '<a href="/world/">World</a>', html=True, status_code=404)
    assertContains(response, "We can’t find that page", status_code=404)


# Query counts: every reader page, and they must not grow with the number of stories.


def newsroom_start():
    # Recent enough for "most commented" (last 7 days); 11:30-12:00 UTC is one day in Moscow too.
    return (timezone.now() - timedelta(days=1)).replace(hour=12, minute=0, second=0, microsecond=0)


def make_newsroom(count, *, sections, authors, photos):
    """`count` public stories, a minute apart, over sections, authors, tags and photos."""
    start = newsroom_start()
    for n in range(count):
        make_article(
            section=sections[n % len(sections)],
            authors=[authors[n % len(authors)], authors[(n + 1) % len(authors)]],
            tags=["news", f"topic-{n % 4}"],
            main_photo=photos[n % len(photos)],
            published_at=start - timedelta(minutes=n),
            comment_count=n % 5,  # fills the front page's "most commented" block
        )


READER_PAGES = {
    "home": "/",
    "section": "/world/",
    "tag": "/tag/news/",
    "author": "/author/ann-lee/",
    # Archives of the stories' year, month and day: see reader_url().
    "archive_year": None,
    "archive_month": None,
    "archive_day": None,
}


def reader_url(page):
    if READER_PAGES[page]:
        return READER_PAGES[page]
    day = timezone.localdate(newsroom_start())
    args = {"archive_year": [day.year], "archive_month": [day.year, day.month]}.get(
        page, [day.year, day.month, day.day]
    )
    return reverse(f"articles:{page}", args=args)


@pytest.fixture
def newsroom_parts():
    sections = [make_section("World", slug="world"), make_section("Sport"), make_section("Business")]
    authors = [make_author("Ann Lee"), make_author("Bob Stone"), make_author("Cy Young")]
    authors[0].photo = make_photo()
    authors[0].save()
    photos = [make_photo(), make_photo()]
    return {"sections": sections, "authors": authors, "photos": photos}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), response.context_data


def assert_page_is_full(page, context):
    """The measured page really drew stories (and, on the front page, every block)."""
    if page == "home":
        assert context["latest"]
        assert context["section_blocks"]
        assert list(context["most_commented"])
    else:
        assert context["object_list"]


@pytest.mark.parametrize("page", list(READER_PAGES))
def test_reader_page_query_count(client, newsroom_parts, django_assert_num_queries, page):
    make_newsroom(3, **newsroom_parts)
    for _request in range(2):  # the second costs what the first did: nothing is kept
        with django_assert_num_queries(QUERIES[page]):
            response = client.get(reader_url(page))

    assert response.status_code == 200
    assert_page_is_full(page, response.context_data)


def test_story_page_query_count(client, full_story, django_assert_num_queries):
    full_story.corrections.create(text="An earlier version misspelt a name.")
    for _request in range(2):
        with django_assert_num_queries(QUERIES["detail"]):
            response = story_page(client, full_story)

    assert response.status_code == 200
    for text in ("Ann Lee", "Bob Stone", "Diplomacy", "Geneva", "misspelt"):
        assertContains(response, text)


def test_story_parts_come_in_their_order(full_story, django_assert_num_queries):
    full_story.corrections.create(text="Second.", date=date(2024, 5, 2))
    full_story.corrections.create(text="First.", date=date(2024, 5, 1))

    with django_assert_num_queries(4):
        story = Article.objects.for_page().get(pk=full_story.pk)
    with django_assert_num_queries(0):
        authors = [author.name for author in story.byline]
        tags = [tag.name for tag in story.tag_list]
        corrections = [(correction.date, correction.text) for correction in story.correction_list]

    assert authors == ["Ann Lee", "Bob Stone"]
    assert tags == ["Diplomacy", "Geneva"]
    assert corrections == [(date(2024, 5, 1), "First."), (date(2024, 5, 2), "Second.")]


def test_a_new_section_reaches_the_navigation_at_once(client, world):
    client.get("/")
    make_section("Culture", slug="culture")

    assertContains(client.get("/"), '<a href="/culture/">Culture</a>', html=True)


@pytest.mark.parametrize("page", list(READER_PAGES))
def test_reader_page_query_count_does_not_grow_with_stories(client, newsroom_parts, page):
    make_newsroom(3, **newsroom_parts)
    with_three, _ = count_queries(client, reader_url(page))

    make_newsroom(27, **newsroom_parts)
    with_thirty, context = count_queries(client, reader_url(page))

    assert_page_is_full(page, context)
    assert with_three == with_thirty == QUERIES[page]


def test_story_page_query_count_does_not_grow_with_authors_tags_and_related(
    client, newsroom_parts, django_assert_num_queries
):
    section, authors, photos = (
        newsroom_parts["sections"][0],
        newsroom_parts["authors"],
        newsroom_parts["photos"],
    )
    small = make_article(section=section, authors=authors[:1], tags=["one"])
    big = make_article(
        section=section,
        authors=authors,
        tags=["news", *(f"tag-{n}" for n in range(6))],
        main_photo=photos[0],
        dateline_place="Kyiv",
    )
    for text in ["An earlier version misspelt a name.", "An earlier version gave the wrong date."]:
        big.corrections.create(text=text)
    make_newsroom(30, **newsroom_parts)

    with django_assert_num_queries(QUERIES["detail"]):
        client.get(small.get_absolute_url())
    with django_assert_num_queries(QUERIES["detail"]):
        context = client.get(big.get_absolute_url()).context_data

    assert len(list(context["related"])) == 4
    assert count_queries(client, small.get_absolute_url())[0] == QUERIES["detail"]
    assert count_queries(client, big.get_absolute_url())[0] == QUERIES["detail"]
