from django.conf import settings

from .models import Section


def site(request):
    # A lazy queryset: the navigation costs one query only on pages that draw it.
    return {"site_name": settings.SITE_NAME, "nav_sections": Section.objects.all()}
