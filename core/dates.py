"""Times as the site prints them: in its time zone, with the UTC offset, as wire services do."""

from django.utils import timezone


def _gmt_offset(local):
    minutes = int(local.utcoffset().total_seconds() // 60)
    if minutes == 0:
        return "GMT"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"GMT{sign}{hours}" + (f":{rest:02d}" if rest else "")


def dateline(value):
    """`18:39 GMT+3, 25.03.2017` in the site time zone."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local:%H:%M} {_gmt_offset(local)}, {local:%d.%m.%Y}"


def iso(value):
    """Machine-readable time for <time datetime>, with the site's UTC offset."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""
