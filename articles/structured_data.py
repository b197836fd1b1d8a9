"""schema.org data (JSON-LD) for stories and listing pages, built as plain dicts.

Search engines and social sites read these; templates only print them with `json_ld()`.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.dates import dateline

# The publisher logo Google asks for: a raster image at most 600×60 pixels.
LOGO_PATH, LOGO_WIDTH, LOGO_HEIGHT = "img/publisher-logo.png", 600, 60

# Inside <script>, "</script>" or "<!--" in a headline must not end or comment out the block.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data):
    """A <script type="application/ld+json"> element holding `data`, safe inside HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_SCRIPT_ESCAPES)),  # noqa: S308 -- <, > and & escaped just above
    )


def content_language():
    """The language the stories are written in: the site's LANGUAGE_CODE, whatever the reader's UI."""
    return settings.LANGUAGE_CODE


def iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def modified_time(article):
    """When the story last changed for readers: its update time (Article.update_time), else publication."""
    return article.update_time() or article.published_at


def site_url(request):
    return request.build_absolute_uri(reverse("articles:home"))


def publisher(request):
    return {
        "@type": "NewsMediaOrganization",
        "@id": site_url(request) + "#publisher",
        "name": settings.SITE_NAME,
        "url": site_url(request),
        "logo": {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(static(LOGO_PATH)),
            "width": LOGO_WIDTH,
            "height": LOGO_HEIGHT,
        },
    }


def website(request):
    """The home page: the site itself, with the search box search engines may offer."""
    search_url = request.build_absolute_uri(reverse("articles:search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "@id": site_url(request) + "#website",
        "name": settings.SITE_NAME,
        "url": site_url(request),
        "inLanguage": content_language(),
        "publisher": publisher(request),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": search_url + "?q={search_term_string}"},
            "query-input": "required name=search_term_string",
        },
    }


def collection_page(request, *, name, url, description="", articles=()):
    """A section or tag page: a titled list of stories, part of the site."""
    data = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "url": url,
        "inLanguage": content_language(),
        "isPartOf": {"@type": "WebSite", "@id": site_url(request) + "#website", "name": settings.SITE_NAME},
        "publisher": publisher(request),
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": request.build_absolute_uri(article.get_absolute_url()),
                    "name": article.headline,
                }
                for position, article in enumerate(articles, start=1)
            ],
        },
    }
    if description:
        data["description"] = description
    return data


def photo_objects(request, photo):
    """The photo's 16:9, 4:3 and 1:1 crops (what Google asks of a NewsArticle's `image`), else
    the original while they are being made."""
    crops = photo.crop_images().values() or [(photo.image.url, photo.width, photo.height)]
    return [photo_object(request, photo, url, width, height) for url, width, height in crops]


def photo_object(request, photo, url, width, height):
    credit = photo.credit.strip()
    data = {
        "@type": "ImageObject",
        "url": request.build_absolute_uri(url),
        "contentUrl": request.build_absolute_uri(url),
        "width": width,
        "height": height,
    }
    if photo.caption or photo.alt_text:
        data["caption"] = photo.caption or photo.alt_text
    if credit:
        # Credits are written "© Agency / Photographer"; the credit line itself has no ©.
        data["creditText"] = credit.lstrip("©").strip() or credit
        data["copyrightNotice"] = credit
    return data


def news_article(request, article):
    """A story as a NewsArticle, loaded with Article.objects.for_page() (byline, tags, corrections)."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline,
        "description": article.lead,
        "inLanguage": content_language(),
        "datePublished": iso(article.published_at),
        "dateModified": iso(modified_time(article)),
        "articleSection": article.section.name,
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.byline
        ],
        "publisher": publisher(request),
        "isAccessibleForFree": True,
    }
    if article.published_at:
        place = article.dateline_place.upper()
        data["dateline"] = f"{place} {dateline(article.published_at)}".strip()
    if article.main_photo:
        data["image"] = photo_objects(request, article.main_photo)
    tags = [tag.name for tag in article.tag_list]
    if tags:
        data["keywords"] = tags
    corrections = article.correction_list
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": correction.text, "datePublished": correction.date}
            for correction in corrections
        ]
    return data
