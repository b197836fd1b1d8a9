"""The read-only content API (/api/v1/): public stories, sections and tags, as JSON.

Every story comes from Article.objects.published(): a draft, a story in review, a scheduled or an
expired one is never listed and its short code answers 404. Tags are those public stories carry
(tags_in_use): a tag only a draft has may name what is still embargoed. Each endpoint costs a
fixed number of queries, whatever the number of stories (api/tests/test_api.py counts them).
What every answer shares (JSON only, caching, errors) is in api/http.py.
"""

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import NinjaAPI, Query, Swagger
from ninja.errors import HttpError, ValidationError
from pydantic import BaseModel, Field

from articles.models import Article, Section, tags_in_use
from articles.views import SHORT_CODE_MAX_LENGTH
from core.dates import dateline
from core.links import site_url

from . import schemas
from .cursors import BadCursor, after_cursor, make_cursor
from .http import error

DEFAULT_LIMIT = 20
MAX_LIMIT = 100

api = NinjaAPI(
    title=f"{settings.SITE_NAME} content API",
    version="1",
    description=(
        "Published stories, sections and tags, read-only. Every answer is JSON; errors are "
        '`{"detail": "..."}` with a 4xx status. See docs/api.md.'
    ),
    urls_namespace="api",
    # Served from ninja's own static files (ninja is in INSTALLED_APPS), not a CDN: the site's CSP
    # allows scripts from itself only.
    docs=Swagger(settings={"tryItOutEnabled": True, "defaultModelsExpandDepth": 0}),
)


class BadRequest(Exception):
    def __init__(self, detail):
        self.detail = detail


@api.exception_handler(BadRequest)
def bad_request(request, exc):
    return error(400, exc.detail)


@api.exception_handler(Http404)
def not_found(request, exc):
    # ninja's own adds the exception's text when DEBUG is on; this says the same everywhere.
    return error(404, "Not found.")


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    # ninja's default is 422 with pydantic's list; one sentence per parameter reads better.
    problems = []
    for item in exc.errors:
        name = ".".join(str(part) for part in item.get("loc", ())[1:]) or "request"
        problems.append(f"{name}: {item.get('msg', 'invalid')}")
    return error(400, "Invalid parameters. " + "; ".join(problems) + ".")


def refuse_unknown_parameters(run):
    """A query parameter the endpoint does not know is refused (a mistyped filter would else be
    ignored silently and the client given every story); so is one given twice."""
    operation = run.__self__
    known = {
        name
        for model in operation.signature.models
        if model.__ninja_param_source__ == "query"
        for name in _parameter_names(model)
    }

    def wrapper(request, **kwargs):
        unknown = sorted(set(request.GET) - known)
        if unknown:
            allowed = ", ".join(sorted(known)) or "none"
            return error(
                400,
                f"Unknown query parameters: {', '.join(unknown)}. Allowed: {allowed}.",
                unknown=unknown,
            )
        repeated = sorted(name for name, values in request.GET.lists() if len(values) > 1)
        if repeated:
            return error(400, f"Give each parameter once: {', '.join(repeated)}.")
        return run(request, **kwargs)

    return wrapper


api.add_decorator(refuse_unknown_parameters, mode="view")


def _parameter_names(model):
    """The query parameters a ninja model reads: a Query[Schema]'s fields stand for themselves."""
    for name, field in model.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            yield from _parameter_names(field.annotation)
        else:
            yield field.alias or name


# Serialisation


def _link(request, obj, url):
    return {"name": obj.name, "slug": obj.slug, "url": request.build_absolute_uri(url)}


def tag_link(request, tag):
    return _link(request, tag, site_url("articles:tag", tag.slug))


def renditions(photo):
    """Every rendition Photo.renditions holds, whatever its keys: each list of {"name", "width",
    "height"} found in it becomes {"url", "width", "height", "format", "variant"}, variant being
    the key path ("webp", or e.g. "crops.square.jpeg")."""
    url = photo.image.storage.url
    found = []

    def walk(value, path):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, (*path, str(key)))
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and isinstance(item.get("name"), str):
                    found.append(
                        {
                            "url": url(item["name"]),
                            "width": item.get("width") if isinstance(item.get("width"), int) else None,
                            "height": item.get("height") if isinstance(item.get("height"), int) else None,
                            "format": _format(item["name"]),
                            "variant": ".".join(path),
                        }
                    )
                else:
                    walk(item, path)

    walk(photo.renditions or {}, ())
    return found


def _format(name):
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return {"jpg": "jpeg"}.get(extension, extension)


def photo_data(request, photo):
    if photo is None:
        return None
    return {
        "url": request.build_absolute_uri(photo.image.url),
        "width": photo.width,
        "height": photo.height,
        "caption": photo.caption,
        "credit": photo.credit,
        "alt": photo.alt_text,
        "renditions": [
            {**item, "url": request.build_absolute_uri(item["url"])} for item in renditions(photo)
        ],
    }


def story_data(request, story):
    """A story loaded with for_feeds() or for_page(): what a list shows, without the text."""
    place = story.dateline_place.upper()
    return {
        "short_code": story.short_code,
        "headline": story.headline,
        "dateline": f"{place} {dateline(story.published_at)}" if place else dateline(story.published_at),
        "lead": story.lead,
        "section": _link(request, story.section, story.section.get_absolute_url()),
        "published_at": story.published_at,
        "updated_at": story.updated_at if story.was_updated else None,
        "url": request.build_absolute_uri(story.get_absolute_url()),
        "short_url": story.get_short_url(request),
        "api_url": request.build_absolute_uri(reverse("api:story", args=[story.short_code])),
        "photo": photo_data(request, story.main_photo),
        "tags": [tag_link(request, tag) for tag in story.tag_list],
        "authors": [_link(request, author, author.get_absolute_url()) for author in story.byline],
        "comment_count": story.comment_count,
    }


# Filters


def _moment(name, value):
    """A date (midnight in the site's time zone) or a date and time; naive times are the site's."""
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = datetime.combine(day, time.min) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise BadRequest(f"{name}: give a date (2026-05-01) or a date and time (2026-05-01T09:30:00+03:00).")
    return _storable(name, timezone.make_aware(moment) if timezone.is_naive(moment) else moment)


def _storable(name, moment):
    """`moment` if the database can compare it: 0001-01-01 in Moscow is still year 0 in UTC."""
    try:
        moment.astimezone(UTC)
    except OverflowError as exc:
        raise BadRequest(f"{name}: give a time between the years 2 and 9998.") from exc
    return moment


def _day(value):
    try:
        day = parse_date(value)
    except ValueError:
        day = None
    if day is None:
        raise BadRequest("date: give a day as YYYY-MM-DD, e.g. 2026-05-01.")
    return day


class StoryFilters(schemas.Schema):
    section: str | None = Field(None, description="A section's slug, e.g. `world`.")
    tag: str | None = Field(None, description="A tag's slug, e.g. `diplomacy`.")
    author: str | None = Field(None, description="An author's slug, as in `/author/<slug>/`.")
    date: str | None = Field(None, description="One day in the site's time zone: `YYYY-MM-DD`.")
    published_after: str | None = Field(
        None, description="Published at or after: a date (midnight, site time) or an ISO 8601 time."
    )
    published_before: str | None = Field(None, description="Published before: a date or an ISO 8601 time.")
    cursor: str | None = Field(None, description="`next_cursor` of the previous page.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Stories per page.")

    def query(self):
        """The filter these parameters make; BadRequest for one that cannot be read."""
        q = Q()
        if self.section is not None:
            q &= Q(section__slug=self.section)
        if self.tag is not None:
            q &= Q(tags__slug=self.tag)
        if self.author is not None:
            q &= Q(authors__slug=self.author)
        if self.date is not None:
            day = _day(self.date)
            try:
                start, end = _start_of(day), _start_of(day + timedelta(days=1))
            except OverflowError as exc:
                raise BadRequest("date: give a day between the years 2 and 9998.") from exc
            q &= Q(published_at__gte=_storable("date", start), published_at__lt=_storable("date", end))
        if self.published_after is not None:
            q &= Q(published_at__gte=_moment("published_after", self.published_after))
        if self.published_before is not None:
            q &= Q(published_at__lt=_moment("published_before", self.published_before))
        if self.cursor is not None:
            try:
                q &= after_cursor(self.cursor)
            except BadCursor as exc:
                raise BadRequest("cursor: not a cursor this API gave; start again without it.") from exc
        return q


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


# Endpoints


@api.get(
    "/stories/",
    response={200: schemas.StoryPage, 400: schemas.Error},
    url_name="stories",
    summary="Published stories, newest first",
)
def stories(request, filters: Query[StoryFilters]):
    """Filter by `section`, `tag` and `author` (slugs, as in the site's URLs), `date` (one day,
    YYYY-MM-DD) or `published_after` / `published_before` (a date or a date and time; after is
    inclusive, before is not). `limit` is 1 to 100 (20 by default); `next` is the URL of the
    following page, null on the last."""
    found = list(
        Article.objects.published()
        .filter(filters.query())
        .for_feeds()
        .order_by("-published_at", "-pk")[: filters.limit + 1]
    )
    page, more = found[: filters.limit], len(found) > filters.limit
    cursor = make_cursor(page[-1]) if more else None
    following = None
    if cursor:
        query = request.GET.copy()
        query["cursor"] = cursor
        following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {
        "results": [story_data(request, story) for story in page],
        "next": following,
        "next_cursor": cursor,
    }


@api.get(
    "/stories/{short_code}/",
    response={200: schemas.StoryOut, 404: schemas.Error},
    url_name="story",
    summary="One published story, by its short code",
)
def story(request, short_code: str):
    """The story's text as HTML (`body_html`), its photo with every rendition, its canonical and
    short URLs. A draft, scheduled or expired story is not found."""
    missing = HttpError(404, "No published story has this short code.")
    if not (short_code.isascii() and short_code.isalnum() and len(short_code) <= SHORT_CODE_MAX_LENGTH):
        raise missing
    found = (
        Article.objects.published()
        .select_related("section", "main_photo")
        .with_byline_and_tags()
        .filter(short_code=short_code)
        .first()
    )
    if found is None:
        raise missing
    return {**story_data(request, found), "body_html": found.body_html}


@api.get("/sections/", response=schemas.SectionList, url_name="sections", summary="The sections")
def sections(request):
    return {
        "results": [
            {**_link(request, section, section.get_absolute_url()), "description": section.description}
            for section in Section.objects.all()
        ]
    }


@api.get("/tags/", response=schemas.TagList, url_name="tags", summary="Tags of published stories")
def tags(request):
    used = tags_in_use(Article.objects.published()).order_by("name")
    return {"results": [tag_link(request, tag) for tag in used]}


def index(request):
    """/api/v1/: where everything is."""
    links = {name: reverse(f"api:{name}") for name in ("stories", "sections", "tags")}
    links["openapi"] = reverse("api:openapi-json")
    links["docs"] = reverse("api:openapi-view")
    return JsonResponse({name: request.build_absolute_uri(url) for name, url in links.items()})
