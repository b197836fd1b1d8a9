from django.conf import settings
from django.utils.functional import SimpleLazyObject

from newsroom import fragments

from .models import Section


def site(request):
    # Lazy: only pages that draw the navigation ask for it, and then from the cache (a section
    # saved or deleted drops it: newsroom/fragments.py).
    sections = SimpleLazyObject(
        lambda: fragments.cached_value("nav_sections", ["sections"], lambda: list(Section.objects.all()))
    )
    return {"site_name": settings.SITE_NAME, "nav_sections": sections}
