from django.utils.functional import SimpleLazyObject

from .models import Section


def navigation(request):
    # Lazy: only pages that draw the navigation ask for the sections (one query).
    return {"nav_sections": SimpleLazyObject(lambda: list(Section.objects.all()))}
