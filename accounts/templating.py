"""Template functions for readers' accounts (Jinja2; core/jinja2.py)."""

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils.html import format_html

from .models import colour_index, display_name, initials


def avatar(name, url="", size=40):
    """The uploaded picture, else the initials on a colour made from the name. Never a third party."""
    if url:
        return format_html(
            '<img class="avatar" src="{}" alt="" width="{}" height="{}" loading="lazy">', url, size, size
        )
    return format_html(
        '<span class="avatar avatar--initials avatar--c{}" aria-hidden="true">{}</span>',
        colour_index(name),
        initials(name),
    )


TEMPLATE_GLOBALS = {"avatar": avatar, "reader_name": display_name}
TEMPLATE_FILTERS = {"naturaltime": naturaltime}
