"""reverse(), remembered: every page asks for the same links (navigation, sections, stories, the
comment form's), and Django's reverse() spends tens of microseconds on each. Only URL strings are
kept, keyed by everything reverse() itself reads: the URL conf, the script prefix, the name and
the arguments."""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=20_000)
def _reverse(urlconf, prefix, name, args):
    return reverse(name, urlconf=urlconf, args=args)


def site_url(name, *args):
    return _reverse(get_urlconf(), get_script_prefix(), name, args)


@receiver(setting_changed)
def _forget_urls(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
