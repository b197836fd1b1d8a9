"""What every answer under /api/ shares: JSON only, errors as {"detail": ...}, and HTTP caching.

Stories are the same for every client, so a good answer is public for PUBLIC_CACHE_SECONDS like
a reader's page (core/caching.py), with an ETag from its body: a client that sends it back in
If-None-Match gets 304 and no body. The answer depends on the Accept header (406 or JSON), so it
varies on it.
"""

import json
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

JSON = "application/json"


def error(status, detail, **extra):
    return HttpResponse(json.dumps({"detail": detail, **extra}), status=status, content_type=JSON)


def accepts_json(request):
    """No Accept header (or an empty one), JSON, application/* or */*: anything else gets 406."""
    if not request.headers.get("Accept", "").strip():
        return True
    return request.accepts(JSON)


def api_view(view):
    """Wraps each of the API's views (api/urls.py): ninja's own and the index."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not accepts_json(request):
            response = error(406, "This API answers in JSON only: send Accept: application/json.")
        else:
            method = request.method
            # HEAD is GET without the body (the server drops it), as Django's class views do.
            if method == "HEAD":
                request.method = "GET"
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                response = error(404, "Not found.")
            finally:
                request.method = method
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(JSON):
            # ninja's 405 is plain text; a client reads one kind of error.
            response = _as_json(response)
        patch_vary_headers(response, ["Accept"])
        if response.status_code == 200 and request.method in ("GET", "HEAD"):
            seconds = settings.PUBLIC_CACHE_SECONDS
            patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds)
            set_response_etag(response)
            response = get_conditional_response(request, etag=response["ETag"], response=response)
        return response

    return wrapper


def _as_json(response):
    if response.status_code == 405:
        answer = error(405, "Only GET and HEAD are answered here.")
        answer["Allow"] = response["Allow"]
        return answer
    return error(response.status_code, response.reason_phrase)


def not_found(request, *args, **kwargs):
    return error(404, "Not found. The API's endpoints are listed at /api/v1/docs.")
