"""RSS 2.0 and Atom feeds: the whole site, each section and each tag, latest public stories first."""

import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext

from .models import Article, Section, tags_in_use
from .structured_data import content_language, modified_time

FEED_LENGTH = 30
MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"


def stored_size(field_file):
    """The file's size in bytes for the enclosure, asked of the storage once per name and then
    cached for good (names are random and never reused): with a bucket, a feed of thirty photos
    would otherwise wait on thirty requests to the store at every render, and on a store that is
    down, on each one's timeout."""
    key = f"stored-size:{field_file.name}"
    size = cache.get(key)
    if size is None:
        try:
            size = field_file.size
        except OSError:  # missing, or the store is down: the feed still works, and asks next time
            return 0
        cache.set(key, size, None)
    return size


def add_media_content(handler, item):
    """Media RSS for the main photo: where it is, its size, what it shows and whose it is."""
    photo = item.get("photo")
    if not photo:
        return
    attrs = {
        "url": photo["url"],
        "medium": "image",
        "width": str(photo["width"]),
        "height": str(photo["height"]),
    }
    if photo["type"]:
        attrs["type"] = photo["type"]
    handler.startElement("media:content", attrs)
    if photo["description"]:
        handler.addQuickElement("media:description", photo["description"], {"type": "plain"})
    if photo["credit"]:
        handler.addQuickElement("media:credit", photo["credit"])
    handler.endElement("media:content")


class MediaRssFeed(Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NS, "xmlns:dc": DC_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        # RSS <author> wants an e-mail address; bylines are names, one dc:creator each.
        for author in item.get("authors", ()):
            handler.addQuickElement("dc:creator", author["name"])
        add_media_content(handler, item)


class MediaAtomFeed(Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            handler.addQuickElement("uri", author["url"])
            handler.endElement("author")
        add_media_content(handler, item)


@dataclass
class Listing:
    """What a feed lists, and the request it answers (for absolute photo and short URLs)."""

    request: HttpRequest
    title: str
    link: str
    description: str
    articles: QuerySet


class StoryFeed(Feed):
    feed_type = MediaRssFeed

    @property
    def language(self):  # read as an attribute by Feed.get_feed()
        return content_language()

    def get_object(self, request, *args, **kwargs):
        return Listing(
            request=request,
            title=settings.SITE_NAME,
            link=reverse("articles:home"),
            description=gettext("The latest stories from %(site)s.") % {"site": settings.SITE_NAME},
            articles=Article.objects.published(),
        )

    def title(self, obj):
        return obj.title

    def link(self, obj):
        return obj.link

    def description(self, obj):
        return obj.description

    def items(self, obj):
        articles = list(obj.articles.for_feeds()[:FEED_LENGTH])
        for article in articles:
            article.feed_request = obj.request
        return articles

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        # Feed summaries are HTML; the lead is plain text.
        return escape(item.lead)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return modified_time(item)

    def item_guid(self, item):
        # The short link never changes, even when the headline (and so the URL) does.
        return item.get_short_url(item.feed_request)

    item_guid_is_permalink = False

    def item_categories(self, item):
        return [tag.name for tag in item.tag_list]

    def item_enclosures(self, item):
        photo = self._photo(item)
        if not photo:
            return []
        return [Enclosure(photo["url"], str(photo["length"]), photo["type"] or "image/jpeg")]

    def item_extra_kwargs(self, item):
        request = item.feed_request
        return {
            "photo": self._photo(item),
            "authors": [
                {"name": author.name, "url": request.build_absolute_uri(author.get_absolute_url())}
                for author in item.byline
            ],
        }

    def _photo(self, item):
        photo = item.main_photo
        if not photo or not photo.image:
            return None
        if not hasattr(item, "_feed_photo"):
            item._feed_photo = {
                "url": item.feed_request.build_absolute_uri(photo.image.url),
                "length": stored_size(photo.image),
                "type": mimetypes.guess_type(photo.image.name)[0] or "",
                "width": photo.width,
                "height": photo.height,
                "description": photo.caption or photo.alt_text,
                "credit": photo.credit,
            }
        return item._feed_photo


class AtomMixin:
    feed_type = MediaAtomFeed

    def subtitle(self, obj):
        return obj.description


class SectionFeed(StoryFeed):
    def get_object(self, request, slug):
        section = get_object_or_404(Section, slug=slug)
        return Listing(
            request=request,
            title=f"{settings.SITE_NAME}: {section.name}",
            link=section.get_absolute_url(),
            description=section.description
            or gettext("The latest stories in %(section)s.") % {"section": section.name},
            articles=Article.objects.published().filter(section=section),
        )


class TagFeed(StoryFeed):
    def get_object(self, request, slug):
        tag = get_object_or_404(tags_in_use(Article.objects.published()), slug=slug)
        return Listing(
            request=request,
            title=f"{settings.SITE_NAME}: {tag.name}",
            link=reverse("articles:tag", args=[tag.slug]),
            description=gettext("The latest stories about %(tag)s.") % {"tag": tag.name},
            articles=Article.objects.published().filter(tags=tag),
        )


class AtomFeed(AtomMixin, StoryFeed):
    pass


class SectionAtomFeed(AtomMixin, SectionFeed):
    pass


class TagAtomFeed(AtomMixin, TagFeed):
    pass
