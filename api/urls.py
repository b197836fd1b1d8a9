"""/api/v1/ and everything under it, each view wrapped by api_view (api/http.py); any other
/api/ address answers a JSON 404, not the site's HTML page."""

from django.urls import URLPattern, include, path, re_path

from .http import api_view, not_found
from .views import api, index

# The docs page is HTML for people: the JSON rules (and the 406) are for the rest.
HTML_PAGES = {"openapi-view"}


def _wrapped(patterns):
    return [
        pattern
        if pattern.name in HTML_PAGES
        else URLPattern(pattern.pattern, api_view(pattern.callback), pattern.default_args, pattern.name)
        for pattern in patterns
    ]


_patterns, _app_name, _namespace = api.urls

urlpatterns = [
    path("v1/", api_view(index), name="api-index"),
    path("v1/", include((_wrapped(_patterns), _app_name), namespace=_namespace)),
    re_path(r"", api_view(not_found)),
]
