from django import template
from django.utils.html import format_html

from accounts.models import colour_index, display_name, initials

register = template.Library()


@register.simple_tag
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


@register.filter
def reader_name(user):
    return display_name(user)
