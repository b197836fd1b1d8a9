"""Requests no page of the site answers, refused before any other middleware or view sees them."""

from django.core.exceptions import DisallowedHost
from django.http import HttpResponseNotAllowed
from django.http.request import split_domain_port

# The only methods any page takes: TRACE, PUT, CONNECT and invented ones get 405 everywhere,
# whatever a view would have done with them.
METHODS = ("GET", "HEAD", "POST", "OPTIONS")


def valid_port(port):
    """Django's host check lets any digits through as a port; pages print the host in links."""
    return not port or (port.isdigit() and port[0] != "0" and int(port) <= 65535)


def refuse_odd_requests(get_response):
    def middleware(request):
        if request.method not in METHODS:
            return HttpResponseNotAllowed(METHODS)
        host = request.get_host()  # raises DisallowedHost (a 400) for hosts not in ALLOWED_HOSTS
        if not valid_port(split_domain_port(host)[1]):
            raise DisallowedHost(f"Invalid port in the Host header: {host!r}")
        return get_response(request)

    return middleware
