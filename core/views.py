from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
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


def bare_error(status, heading, text):
    """A branded error page that reads nothing of the request: Django's own handlers check the CSRF
    token again, reading a body that made the error (a form post in latin-1 gave a 500 that way),
    and a page with context processors would ask for the very Host that was refused."""
    context = {"site_name": settings.SITE_NAME, "status": status, "heading": heading, "text": text}
    return HttpResponse(loader.get_template("bare_error.html").render(context), status=status)


def bad_request(request, exception):
    return bare_error(
        400,
        _("Your browser sent a request we cannot read"),
        _("Nothing was saved. Go back, check what you typed is still there, and send it again."),
    )


def permission_denied(request, exception):
    return bare_error(
        403, _("You are not allowed to do this"), _("Sign in with an account that may, or go back.")
    )
