"""Template functions for readers' accounts (Jinja2; core/jinja2.py)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.urls import reverse
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


# Providers allauth can show; settings.SOCIALACCOUNT_PROVIDERS holds those configured (Facebook
# when FACEBOOK_CLIENT_ID and FACEBOOK_SECRET are set).
PROVIDER_NAMES = {"facebook": "Facebook"}


def social_logins(next_url):
    """[(name, url)] of each configured provider's sign-in, coming back to `next_url`."""
    return [
        (PROVIDER_NAMES.get(provider, provider.title()), f"{reverse(f'{provider}_login')}?{urlencode(query)}")
        for provider in settings.SOCIALACCOUNT_PROVIDERS
        for query in [{"process": "login", "next": next_url}]
    ]


TEMPLATE_GLOBALS = {"avatar": avatar, "reader_name": display_name, "social_logins": social_logins}
TEMPLATE_FILTERS = {"naturaltime": naturaltime}
