import re

from django.http import Http404
from django.template.response import TemplateResponse

from .models import URL_PATTERN, Page

PAGE_URL = re.compile(URL_PATTERN)


class PageFallbackMiddleware:
    """Serves an editor's page where nothing else answered, as flatpages' fallback does: a query
    only on a 404 of a GET, and a section with the same address keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and not getattr(request, "page_looked_up", False):
            return self.page_response(request) or response  # an address no URL pattern matched
        return response

    def process_exception(self, request, exception):
        # A view's 404 (the section view takes every /<slug>/): answered before the 404 page is drawn.
        if isinstance(exception, Http404):
            return self.page_response(request)
        return None

    def page_response(self, request):
        # Junk (a NUL byte that PostgreSQL refuses, capitals, dots) is no page's address: no query.
        if request.method not in ("GET", "HEAD") or not PAGE_URL.match(request.path_info):
            return None
        request.page_looked_up = True
        page = Page.objects.filter(url=request.path_info).first()
        if page is None:
            return None
        return TemplateResponse(request, "pages/page.html", {"page": page}).render()
