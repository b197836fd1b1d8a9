from django import template
from django.utils import timezone

register = template.Library()


def _gmt_offset(local):
    minutes = int(local.utcoffset().total_seconds() // 60)
    if minutes == 0:
        return "GMT"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"GMT{sign}{hours}" + (f":{rest:02d}" if rest else "")


@register.filter
def dateline(value):
    """`18:39 GMT+3, 25.03.2017` in the site time zone, as wire services print it."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local:%H:%M} {_gmt_offset(local)}, {local:%d.%m.%Y}"


@register.filter
def iso(value):
    """Machine-readable time for <time datetime>, with the site's UTC offset."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


@register.simple_tag(takes_context=True)
def page_url(context, page_number):
    """The current URL with ?page= replaced, other query parameters kept."""
    query = context["request"].GET.copy()
    if page_number == 1:
        query.pop("page", None)
    else:
        query["page"] = page_number
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else context["request"].path


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


def _srcset(sources):
    return ", ".join(f"{url} {width}w" for url, width, _height in sources)


@register.inclusion_tag("includes/picture.html")
def picture(photo, place, *, alt=None, lazy=False, priority=False, css_class=""):
    """<picture> with WebP and JPEG renditions for `place` (a PHOTO_SIZES key, or a sizes value).

    `lazy`: below the fold, loaded when scrolled near; else `priority`: the page's main picture,
    fetched first. Photos without renditions (not made yet) show their original file.
    """
    sources = photo.sources()
    jpeg, webp = sources["jpeg"], sources["webp"]
    context = {
        "photo": photo,
        "alt": photo.alt_text if alt is None else alt,
        "lazy": lazy,
        "priority": priority and not lazy,
        "css_class": css_class,
    }
    if not jpeg:
        return context | {"src": photo.image.url, "width": photo.width, "height": photo.height}
    # The widest rendition gives the aspect ratio the browser reserves before the file arrives.
    _url, width, height = jpeg[-1]
    return context | {
        "sizes": PHOTO_SIZES.get(place, place),
        "src": jpeg[len(jpeg) // 2][0],  # for browsers without srcset: a middling width
        "jpeg_srcset": _srcset(jpeg),
        "webp_srcset": _srcset(webp),
        "width": width,
        "height": height,
    }
