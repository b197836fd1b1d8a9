from django.conf import settings
from django.utils.functional import SimpleLazyObject

from newsroom import fragments

from .models import Section


def cached_sections():
    """Every section in order, from the cache (a section saved or deleted drops it)."""
    return fragments.cached_value("sections", ["sections"], lambda: list(Section.objects.all()))


def site(request):
    # Lazy: only pages that draw the navigation ask for it, and then from the cache.
    return {"site_name": settings.SITE_NAME, "nav_sections": SimpleLazyObject(cached_sections)}
