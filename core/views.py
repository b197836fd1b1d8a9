from django.conf import settings
from django.http import Http404, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.static import serve as static_serve


def serve_media(request, path):
    """Uploaded files, in development and tests only (SERVE_MEDIA): production serves them itself."""
    if not settings.SERVE_MEDIA:
        raise Http404
    return static_serve(request, path, document_root=settings.MEDIA_ROOT)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render({"site_name": settings.SITE_NAME}))
