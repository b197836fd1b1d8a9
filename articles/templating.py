"""Template functions of the story and listing pages (Jinja2; core/jinja2.py)."""

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from taggit.models import Tag

from . import structured_data
from .models import Section

# The width each place gives a photo at each breakpoint, from static/css/site.css (1rem = 16px; the
# page is at most 74rem with 1.5rem gutters from 40rem, 1rem below). Keep in step with the CSS.
PHOTO_SIZES = {
    # .story: 46rem; full screen width on phones.
    "story": "(min-width: 49rem) 46rem, 100vw",
    # Front page top story: 2.2 of 3.2 columns from 56rem; full width below.
    "big": "(min-width: 74rem) 47rem, (min-width: 56rem) 64vw, 100vw",
    # Front page cards: half the top story's column from 56rem; beside the text below.
    "card": "(min-width: 74rem) 23rem, (min-width: 56rem) 31vw, (min-width: 40rem) 11rem, 7.5rem",
    # Front page section blocks: three columns, two, one.
    "lead": "(min-width: 74rem) 22rem, (min-width: 56rem) 30vw, (min-width: 40rem) 46vw, 100vw",
    # First story of a list page (.listing, 50rem); the rest sit beside their text.
    "feature": "(min-width: 53rem) 50rem, 100vw",
    "row": "(min-width: 40rem) 11rem, 7.5rem",
    # Related stories under a story: four columns, two, or beside the text.
    "related": "(min-width: 56rem) 17rem, (min-width: 40rem) 21rem, 7.5rem",
    # The round portrait on an author's page.
    "author": "(min-width: 40rem) 7rem, 4.5rem",
}
# The crop each place shows (Photo.renditions["crops"]), as (media query, ratio), the first that
# matches winning: the story 4:3 on phones (a wide strip is too low there) and 16:9 from 49rem; each
# teaser the shape its slot has in static/css/site.css (aspect-ratio), so the browser never cuts a
# centre out of another shape. Keep in step with the CSS.
PHOTO_CROPS = {
    "story": (("(min-width: 49rem)", "16:9"), (None, "4:3")),
    "big": ((None, "16:9"),),
    "lead": ((None, "16:9"),),
    "feature": ((None, "16:9"),),
    "card": ((None, "4:3"),),
    "row": ((None, "4:3"),),
    "related": ((None, "4:3"),),
    "author": ((None, "1:1"),),
}
OG_LOCALES = {"en": "en_US", "ru": "ru_RU"}
FEED_KINDS = (("rss", "RSS", "application/rss+xml"), ("atom", "Atom", "application/atom+xml"))


def _srcset(sources):
    return ", ".join(f"{url} {width}w" for url, width, _height in sources)


# How a picture loads: below the fold when scrolled near; the page's main picture first.
LAZY = mark_safe(' loading="lazy"')  # noqa: S308 - constant markup
DECODE_LAZY = mark_safe(' loading="lazy" decoding="async"')  # noqa: S308
PRIORITY = mark_safe(' fetchpriority="high"')  # noqa: S308
DECODE_ASYNC = mark_safe(' decoding="async"')  # noqa: S308


def picture(photo, place, *, alt=None, lazy=False, priority=False, css_class=""):
    """<picture> with WebP and JPEG renditions for `place` (a PHOTO_SIZES key, or a sizes value).

    Each place shows its crops (PHOTO_CROPS), chosen by media query where it has two. `lazy`: below
    the fold, loaded when scrolled near; else `priority`: the page's main picture, fetched first.
    Photos without renditions (not made yet) show their original file.
    """
    crops = PHOTO_CROPS.get(place, ((None, "4:3"),))
    alt = photo.alt_text if alt is None else alt
    css = format_html(' class="{}"', css_class) if css_class else ""
    fallback = photo.sources(crops[-1][1])
    jpeg = fallback["jpeg"]
    if not jpeg:
        loading = LAZY if lazy else PRIORITY if priority else ""
        return format_html(
            '<img{} src="{}" alt="{}" width="{}" height="{}"{}>',
            css, photo.image.url, alt, photo.width, photo.height, loading,
        )  # fmt: skip
    loading = DECODE_LAZY if lazy else PRIORITY if priority else DECODE_ASYNC
    sizes = PHOTO_SIZES.get(place, place)
    sources = []
    for media, ratio in crops:
        found = fallback if media is None else photo.sources(ratio)
        for key, mime in (("webp", "image/webp"), ("jpeg", None)):
            if found[key] and (media or key == "webp"):  # the last JPEG is the <img> itself
                sources.append(_source(found[key], sizes, media, mime))
    # The widest rendition gives the aspect ratio the browser reserves before the file arrives (each
    # <source> its own); a middling width is the src of browsers without srcset.
    _url, width, height = jpeg[-1]
    return format_html(
        '<picture>{}<img{} src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}"{}></picture>',
        mark_safe("".join(sources)), css, jpeg[len(jpeg) // 2][0], _srcset(jpeg), sizes, alt, width,  # noqa: S308
        height, loading,
    )  # fmt: skip


def _source(renditions, sizes, media, mime):
    """A <source>; one for a media query carries its own width and height (its crop's shape)."""
    if media:
        _url, width, height = renditions[-1]
        media = format_html(' media="{}"', media)
        shape = format_html(' width="{}" height="{}"', width, height)
    return format_html(
        "<source{}{} srcset=\"{}\" sizes=\"{}\"{}>",
        media or "", format_html(' type="{}"', mime) if mime else "", _srcset(renditions), sizes,
        shape if media else "",
    )  # fmt: skip


def og_locale():
    return OG_LOCALES.get(structured_data.content_language().split("-")[0], "en_US")


def canonical_url(request, page=None):
    """This page's address without query parameters other than a page number past the first."""
    url = request.build_absolute_uri(request.path)
    if page and page.number > 1:
        url += f"?page={page.number}"
    return url


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


def article_json_ld(request, article):
    return structured_data.json_ld(structured_data.news_article(request, article))


def website_json_ld(request):
    return structured_data.json_ld(structured_data.website(request))


def collection_json_ld(request, name, url, description="", articles=()):
    """CollectionPage data for a section or tag page, listing the stories on this page."""
    data = structured_data.collection_page(
        request, name=name, url=url, description=description, articles=articles
    )
    return structured_data.json_ld(data)


TEMPLATE_GLOBALS = {
    "picture": picture,
    "og_locale": og_locale,
    "content_language": structured_data.content_language,
    "canonical_url": canonical_url,
    "feeds_for": feeds_for,
    "article_json_ld": article_json_ld,
    "website_json_ld": website_json_ld,
    "collection_json_ld": collection_json_ld,
}
TEMPLATE_FILTERS = {"modified_time": structured_data.modified_time}
