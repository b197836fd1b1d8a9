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
