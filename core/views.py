import sys

from django.conf import settings
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
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
    # Django calls this while handling the exception: sys.exception() is what went wrong.
    if database_unreachable(sys.exception()):
        return database_unavailable()
    # No context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render({"site_name": settings.SITE_NAME}))


def _from_database(error):
    """Whether `error`, or an error it was raised from, is the database saying it cannot talk."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, (OperationalError, InterfaceError)):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def database_unreachable(error):
    """Whether `error` came of a database that cannot be reached (stopped, restarting, gone), not of
    a query that failed on a working connection: a missing table is a bug and stays a 500."""
    if not _from_database(error):
        return False
    return any(
        connection.connection is None or not connection.is_usable()
        for connection in connections.all(initialized_only=True)
    )


def database_unavailable():
    """503 for every page while the database is away: nothing was saved, try again shortly. A proxy
    in front answers with the stale copy of a page it holds (deploy/nginx.conf); never stored."""
    response = bare_error(
        503,
        _("This page is not available for a moment"),
        _(
            "Something on our side is briefly out of reach, so nothing you sent was saved. Please try "
            "again in a minute: go back, what you typed is kept in this browser, and send it again."
        ),
    )
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


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
