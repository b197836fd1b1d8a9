"""The content API (/api/v1/) against real stories: only public ones, fields, filters, cursors,
errors as JSON, caching, CORS, the query budget and the OpenAPI schema."""

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
from django.utils import timezone
from openapi_spec_validator import validate

from api.cursors import make_cursor
from articles.models import Article
from articles.tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db

STORIES = "/api/v1/stories/"
STATES = ("draft", "review", "scheduled", "expired")
# The same budget as the reader pages (docs/architecture.md: at most 7, the story page).
QUERY_BUDGET = {"stories": 3, "story": 3, "sections": 1, "tags": 1}


@pytest.fixture
def newsroom():
    world = make_section("World", slug="world")
    sport = make_section("Sport", slug="sport", description="Games and results.")
    anna = make_author("Anna Bell", slug="anna-bell")
    now = timezone.now()
    stories = [
        make_article(
            f"World story {n}",
            section=world,
            authors=[anna],
            tags=["diplomacy"],
            published_at=now - timedelta(hours=n + 1),
        )
        for n in range(3)
    ]
    stories.append(
        make_article("Sport story", section=sport, tags=["football"], published_at=now - timedelta(days=3))
    )
    hidden = {
        state: make_article(f"Hidden {state}", state=state, section=world, tags=[f"secret-{state}"])
        for state in STATES
    }
    return {"stories": stories, "hidden": hidden, "world": world, "sport": sport, "anna": anna}


def get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    return response


def codes(response):
    return [story["short_code"] for story in response.json()["results"]]


# What is public


def test_lists_published_stories_only_newest_first(client, newsroom):
    response = get(client, STORIES)

    assert response.status_code == 200
    assert codes(response) == [story.short_code for story in newsroom["stories"]]


@pytest.mark.parametrize("state", STATES)
def test_a_story_readers_cannot_see_is_not_found(client, newsroom, state):
    response = get(client, f"{STORIES}{newsroom['hidden'][state].short_code}/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No published story has this short code."}
    assert f"Hidden {state}" not in response.content.decode()


def test_tags_are_those_of_public_stories_only(client, newsroom):
    response = get(client, "/api/v1/tags/")

    assert [tag["slug"] for tag in response.json()["results"]] == ["diplomacy", "football"]
    assert get(client, STORIES, data={"tag": "secret-draft"}).json()["results"] == []


def test_sections_in_their_order_with_links(client, newsroom):
    sections = get(client, "/api/v1/sections/").json()["results"]

    assert {section["slug"] for section in sections} == {"world", "sport"}
    sport = next(section for section in sections if section["slug"] == "sport")
    assert sport == {
        "name": "Sport",
        "slug": "sport",
        "url": "http://testserver/sport/",
        "description": "Games and results.",
    }


def test_a_story_has_what_an_app_shows(client):
    photo = make_photo(caption="The bridge at dawn", credit="Agency", alt_text="A grey bridge")
    author = make_author("Anna Bell", slug="anna-bell")
    story = make_article(
        "Council approves the bridge",
        dateline_place="Moscow",
        body="First **paragraph**.",
        main_photo=photo,
        authors=[author],
        tags=["Transport"],
    )
    Article.objects.filter(pk=story.pk).update(comment_count=4)

    data = get(client, f"{STORIES}{story.short_code}/").json()

    assert data["headline"] == "Council approves the bridge"
    assert data["dateline"].startswith("MOSCOW ") and "GMT+3" in data["dateline"]
    assert data["body_html"] == story.body_html and "<strong>paragraph</strong>" in data["body_html"]
    assert data["url"] == f"http://testserver{story.get_absolute_url()}"
    assert data["short_url"] == story.get_short_url() or data["short_url"].endswith(f"/s/{story.short_code}")
    assert data["api_url"] == f"http://testserver{STORIES}{story.short_code}/"
    assert data["comment_count"] == 4
    assert data["authors"] == [
        {"name": "Anna Bell", "slug": "anna-bell", "url": "http://testserver/author/anna-bell/"}
    ]
    assert data["tags"] == [
        {"name": "Transport", "slug": "transport", "url": "http://testserver/tag/transport/"}
    ]
    assert data["section"]["url"] == f"http://testserver{story.section.get_absolute_url()}"
    assert data["published_at"] and data["updated_at"] is None
    picture = data["photo"]
    assert (picture["caption"], picture["credit"], picture["alt"]) == (
        "The bridge at dawn",
        "Agency",
        "A grey bridge",
    )
    assert picture["url"] == f"http://testserver{photo.image.url}"
    assert {item["format"] for item in picture["renditions"]} == {"webp", "jpeg"}
    # The whole picture and its crops around the focal point, in both formats.
    variants = {item["variant"] for item in picture["renditions"]}
    assert {"webp", "jpeg", "crops.16:9.webp", "crops.4:3.jpeg", "crops.1:1.webp"} <= variants
    for item in picture["renditions"]:
        assert item["url"].startswith("http://testserver/media/renditions/")
        assert item["width"] and item["height"] and item["variant"].endswith(item["format"])
        assert client.get(item["url"].removeprefix("http://testserver")).status_code == 200


def test_new_kinds_of_renditions_are_listed_too(client):
    photo = make_photo()
    first = photo.renditions["jpeg"][0]
    crops = {"square": [{"name": first["name"], "width": 90, "height": 90}], "note": "not a list"}
    photo.renditions = {**photo.renditions, "crops": crops, "focal": [0.5, 0.3]}
    photo.save(update_fields=["renditions"])
    story = make_article(main_photo=photo)

    renditions = get(client, f"{STORIES}{story.short_code}/").json()["photo"]["renditions"]

    square = [item for item in renditions if item["variant"] == "crops.square"]
    assert square == [
        {
            "url": f"http://testserver{photo.image.storage.url(first['name'])}",
            "width": 90,
            "height": 90,
            "format": "jpeg",
            "variant": "crops.square",
        }
    ]


def test_a_story_without_a_photo_says_null(client):
    story = make_article()

    assert get(client, f"{STORIES}{story.short_code}/").json()["photo"] is None


# Filters and pages


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"section": "world"}, [0, 1, 2]),
        ({"section": "sport"}, [3]),
        ({"section": "nowhere"}, []),
        ({"tag": "football"}, [3]),
        ({"author": "anna-bell"}, [0, 1, 2]),
        ({"author": "anna-bell", "tag": "football"}, []),
    ],
)
def test_filters(client, newsroom, query, expected):
    response = get(client, STORIES, data=query)

    assert codes(response) == [newsroom["stories"][n].short_code for n in expected]


def test_date_filters_read_days_in_the_site_time_zone(client, newsroom):
    sport = newsroom["stories"][3]
    day = timezone.localtime(sport.published_at).date()
    after = (day + timedelta(days=1)).isoformat()

    assert codes(get(client, STORIES, data={"date": day.isoformat()})) == [sport.short_code]
    assert sport.short_code not in codes(get(client, STORIES, data={"published_after": after}))
    assert codes(get(client, STORIES, data={"published_before": after})) == [sport.short_code]
    moment = (sport.published_at + timedelta(seconds=1)).isoformat()
    assert codes(get(client, STORIES, data={"published_before": moment})) == [sport.short_code]
    assert sport.short_code not in codes(get(client, STORIES, data={"published_after": moment}))


def test_cursor_pages_cover_every_story_once_in_order(client, newsroom):
    now = timezone.now()
    same_moment = now - timedelta(minutes=30)
    # Stories published at the very same time still each come once: the id breaks the tie.
    for n in range(3):
        make_article(f"Same time {n}", section=newsroom["world"], published_at=same_moment)
    expected = list(Article.objects.published().values_list("short_code", flat=True))

    seen, url, pages = [], f"{STORIES}?limit=2&section=world", 0
    while url:
        data = get(client, url).json()
        seen += [story["short_code"] for story in data["results"]]
        url = data["next"] and data["next"].removeprefix("http://testserver")
        pages += 1
        if url:
            assert parse_qs(urlsplit(url).query)["section"] == ["world"]

    world = [code for code in expected if code != newsroom["stories"][3].short_code]
    assert seen == world
    assert pages == 3  # 6 stories, 2 a page: the last page says there is no next
    assert data["next_cursor"] is None


def test_a_story_published_meanwhile_does_not_shift_the_next_page(client, newsroom):
    first = get(client, STORIES, data={"limit": 2}).json()
    make_article("Breaking", section=newsroom["world"])

    second = get(client, STORIES, data={"limit": 2, "cursor": first["next_cursor"]})

    assert codes(second) == [newsroom["stories"][2].short_code, newsroom["stories"][3].short_code]


def test_a_cursor_does_not_reveal_or_reach_hidden_stories(client, newsroom):
    scheduled = newsroom["hidden"]["scheduled"]
    after_it = make_cursor(scheduled)

    response = get(client, STORIES, data={"cursor": after_it})

    assert scheduled.short_code not in codes(response)
    assert codes(response) == [story.short_code for story in newsroom["stories"]]


# Bad input: always a 4xx with a JSON message


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"limit": "1000"}, "limit: Input should be less than or equal to 100"),
        ({"limit": "0"}, "limit: Input should be greater than or equal to 1"),
        ({"limit": "ten"}, "limit: Input should be a valid integer"),
        ({"cursor": "abc"}, "cursor: not a cursor this API gave"),
        ({"cursor": "WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwxXQ:forged"}, "cursor: not a cursor this API"),
        ({"date": "2026-02-30"}, "date: give a day as YYYY-MM-DD"),
        ({"date": "yesterday"}, "date: give a day as YYYY-MM-DD"),
        ({"published_after": "2026-13-01"}, "published_after: give a date"),
        ({"published_before": "soon"}, "published_before: give a date"),
        ({"sectoin": "world"}, "Unknown query parameters: sectoin. Allowed: author, cursor, date, limit,"),
        ({"page": "2", "q": "x"}, "Unknown query parameters: page, q."),
        ({"tag": ["a", "b"]}, "Give each parameter once: tag."),
    ],
)
def test_bad_parameters_get_400_saying_what_is_wrong(client, newsroom, query, message):
    response = get(client, STORIES, data=query)

    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_a_tampered_cursor_is_refused(client, newsroom):
    cursor = get(client, STORIES, data={"limit": 1}).json()["next_cursor"]
    tampered = cursor[:-3] + ("aaa" if not cursor.endswith("aaa") else "bbb")

    assert get(client, STORIES, data={"cursor": tampered}).status_code == 400


def test_unknown_parameters_are_listed(client, newsroom):
    data = get(client, "/api/v1/tags/", data={"limit": "5"}).json()

    assert data["unknown"] == ["limit"]
    assert "Allowed: none." in data["detail"]


@pytest.mark.parametrize(
    "accept", ["text/html", "application/xml", "image/png", "text/html, text/plain;q=0.5"]
)
def test_other_than_json_gets_406_in_json(client, newsroom, accept):
    response = get(client, STORIES, headers={"accept": accept})

    assert response.status_code == 406
    assert "JSON" in response.json()["detail"]


@pytest.mark.parametrize(
    "accept",
    [None, "", "application/json", "*/*", "application/*", "text/html,application/xhtml+xml,*/*;q=0.8"],
)
def test_json_or_anything_gets_json(client, newsroom, accept):
    headers = {} if accept is None else {"accept": accept}

    assert get(client, STORIES, headers=headers).status_code == 200


def test_other_methods_and_addresses_answer_json(client, newsroom):
    post = client.post(STORIES)
    assert post.status_code == 405 and post["Allow"] == "GET"
    assert "GET" in post.json()["detail"]
    missing = get(client, "/api/v1/nothing-here/")
    assert missing.status_code == 404 and "detail" in missing.json()
    assert get(client, "/api/v2/stories/").status_code == 404


# HTTP: caching, conditional requests, CORS, the site's headers


@pytest.mark.parametrize(
    "url", [STORIES, "/api/v1/sections/", "/api/v1/tags/", "/api/v1/openapi.json", "/api/v1/"]
)
def test_answers_are_cached_like_pages_and_304_when_unchanged(client, newsroom, settings, url):
    settings.PUBLIC_CACHE_SECONDS = 7
    response = get(client, url)
    assert response["Cache-Control"] == "public, max-age=7, s-maxage=7"
    assert "Accept" in response["Vary"]
    etag = response["ETag"]

    again = client.get(url, headers={"if-none-match": etag})

    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"] == "public, max-age=7, s-maxage=7"


def test_a_change_gives_a_new_etag(client, newsroom):
    story = newsroom["stories"][0]
    url = f"{STORIES}{story.short_code}/"
    etag = get(client, url)["ETag"]
    story.headline = "Corrected headline"
    story.save()

    response = client.get(url, headers={"if-none-match": etag})

    assert response.status_code == 200 and response.json()["headline"] == "Corrected headline"


def test_a_signed_in_reader_gets_the_same_public_answer_and_no_cookie(client, newsroom, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x"))

    response = get(client, STORIES)

    assert response["Cache-Control"].startswith("public")
    assert not response.cookies


def test_head_answers_like_get_without_a_body(client, newsroom):
    response = client.head(STORIES)

    assert response.status_code == 200 and response.content == b""
    assert response["ETag"] == get(client, STORIES)["ETag"]


def test_any_site_may_read_the_api_but_not_the_pages(client, newsroom):
    origin = {"origin": "https://app.example"}
    api = get(client, STORIES, headers=origin)
    assert api["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in api["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in api
    preflight = client.options(
        STORIES,
        headers={
            **origin,
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    page = client.get("/", headers=origin)
    assert "Access-Control-Allow-Origin" not in page


def test_json_answers_carry_the_site_security_headers(client, newsroom):
    response = get(client, STORIES)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


# Query budget


def _add_stories(newsroom, count):
    anna, world = newsroom["anna"], newsroom["world"]
    for n in range(count):
        make_article(f"More {n}", section=world, authors=[anna], tags=[f"t{n % 4}"], main_photo=None)


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("stories", STORIES + "?limit=100"),
        ("stories", STORIES + "?section=world&tag=diplomacy&author=anna-bell&published_after=2020-01-01"),
        ("story", "{code}"),
        ("sections", "/api/v1/sections/"),
        ("tags", "/api/v1/tags/"),
    ],
)
@pytest.mark.parametrize("more", [0, 27])
def test_each_endpoint_costs_a_fixed_number_of_queries(
    client, newsroom, django_assert_num_queries, name, url, more
):
    _add_stories(newsroom, more)  # 3 public world stories plus 27: 3 and 30
    url = url.format(code=f"{STORIES}{newsroom['stories'][0].short_code}/")
    with django_assert_num_queries(QUERY_BUDGET[name]):
        assert get(client, url).status_code == 200
    assert max(QUERY_BUDGET.values()) <= 7


# The schema


@pytest.fixture
def spec(client):
    return get(client, "/api/v1/openapi.json").json()


def test_the_openapi_schema_is_valid(spec):
    validate(spec)  # raises on any error
    assert set(spec["paths"]) == {
        "/api/v1/stories/",
        "/api/v1/stories/{short_code}/",
        "/api/v1/sections/",
        "/api/v1/tags/",
    }
    parameters = {parameter["name"] for parameter in spec["paths"]["/api/v1/stories/"]["get"]["parameters"]}
    assert parameters == {
        "section",
        "tag",
        "author",
        "date",
        "published_after",
        "published_before",
        "cursor",
        "limit",
    }


def _matches(spec, data, path, status="200"):
    operation = spec["paths"][path]["get"]
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    jsonschema.validate(data, {**schema, "components": spec["components"]})


def test_answers_match_the_schema(client, spec):
    story = make_article(main_photo=make_photo(), authors=[make_author()], tags=["one"])
    make_article()

    _matches(spec, get(client, STORIES, data={"limit": 1}).json(), "/api/v1/stories/")
    _matches(spec, get(client, f"{STORIES}{story.short_code}/").json(), "/api/v1/stories/{short_code}/")
    _matches(spec, get(client, "/api/v1/sections/").json(), "/api/v1/sections/")
    _matches(spec, get(client, "/api/v1/tags/").json(), "/api/v1/tags/")
    _matches(spec, get(client, STORIES, data={"limit": 0}).json(), "/api/v1/stories/", "400")
    _matches(spec, get(client, f"{STORIES}nothing/").json(), "/api/v1/stories/{short_code}/", "404")
    with pytest.raises(jsonschema.ValidationError):
        _matches(spec, {"results": [{"headline": "no more"}]}, "/api/v1/stories/")


def test_the_docs_page_needs_nothing_from_another_site(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_published_at_is_a_time_with_its_offset(client):
    moment = timezone.make_aware(datetime(2026, 3, 1, 9, 30))
    story = make_article(published_at=moment)

    data = get(client, f"{STORIES}{story.short_code}/").json()

    assert datetime.fromisoformat(data["published_at"]) == moment


def test_no_section_may_take_the_api_address():
    from django.core.exceptions import ValidationError

    from articles.models import Section

    with pytest.raises(ValidationError):
        Section(name="API", slug="api").clean()
