"""Tags for what pages tell feed readers, search engines and social sites (see includes/*_meta.html)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from taggit.models import Tag

from .. import structured_data
from ..models import Section

register = template.Library()

OG_LOCALES = {"en": "en_US", "ru": "ru_RU"}


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


@register.simple_tag
def og_locale():
    return OG_LOCALES.get(structured_data.content_language().split("-")[0], "en_US")


@register.simple_tag
def content_language():
    return structured_data.content_language()


@register.filter
def modified_time(article):
    return structured_data.modified_time(article)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without query parameters other than a page number past the first."""
    request = context["request"]
    url = request.build_absolute_uri(request.path)
    page = context.get("page_obj")
    if page is not None and page.number > 1:
        url += f"?page={page.number}"
    return url


FEED_KINDS = (("rss", "RSS", "application/rss+xml"), ("atom", "Atom", "application/atom+xml"))


@register.simple_tag
def feeds_for(obj=None):
    """RSS and Atom feeds to announce with <link rel="alternate">: this page's first, then the site's."""
    listings = []  # (title, URL name without the kind, URL arguments)
    if isinstance(obj, (Section, Tag)):
        listing = "section" if isinstance(obj, Section) else "tag"
        listings.append((f"{settings.SITE_NAME}: {obj.name}", f"articles:{listing}_feed_", [obj.slug]))
    site = gettext("%(site)s: latest stories") % {"site": settings.SITE_NAME}
    listings.append((site, "articles:feed_", []))
    return [
        {"title": f"{title} ({label})", "type": mime_type, "url": reverse(url_name + kind, args=args)}
        for title, url_name, args in listings
        for kind, label, mime_type in FEED_KINDS
    ]


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    return structured_data.json_ld(structured_data.news_article(context["request"], article))


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    return structured_data.json_ld(structured_data.website(context["request"]))


@register.simple_tag(takes_context=True)
def collection_json_ld(context, name, description=""):
    """CollectionPage data for a section or tag page, listing the stories on this page."""
    request = context["request"]
    data = structured_data.collection_page(
        request,
        name=name,
        url=canonical_url(context),
        description=description,
        articles=context.get("object_list") or (),
    )
    return structured_data.json_ld(data)
