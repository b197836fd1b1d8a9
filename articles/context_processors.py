from django.utils.functional import SimpleLazyObject

from .models import Section


def sections(request):
    """Every section, read once per request: the navigation and the search form's section list
    share the one query."""
    if not hasattr(request, "_sections"):
        request._sections = list(Section.objects.all())
    return request._sections


def navigation(request):
    # Lazy: only pages that draw the navigation ask for the sections (one query).
    return {"nav_sections": SimpleLazyObject(lambda: sections(request))}
