"""What the API answers, as OpenAPI documents it (openapi.json) and ninja checks it."""

from datetime import datetime

from ninja import Schema


class Error(Schema):
    detail: str


class Link(Schema):
    name: str
    slug: str
    url: str


class SectionOut(Link):
    description: str


class Rendition(Schema):
    url: str
    width: int | None
    height: int | None
    format: str
    variant: str


class PhotoOut(Schema):
    url: str
    width: int
    height: int
    caption: str
    credit: str
    alt: str
    renditions: list[Rendition]


class StoryTeaser(Schema):
    short_code: str
    headline: str
    dateline: str
    lead: str
    section: Link
    published_at: datetime
    updated_at: datetime | None
    url: str
    short_url: str
    api_url: str
    photo: PhotoOut | None
    tags: list[Link]
    authors: list[Link]
    comment_count: int


class StoryOut(StoryTeaser):
    body_html: str


class StoryPage(Schema):
    results: list[StoryTeaser]
    next: str | None
    next_cursor: str | None


class SectionList(Schema):
    results: list[SectionOut]


class TagList(Schema):
    results: list[Link]
