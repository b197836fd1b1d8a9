from .services import current_request


def audit_request(get_response):
    """Lets entries written by signals (a deletion, a group change) name who asked and from where."""

    def middleware(request):
        token = current_request.set(request)
        try:
            return get_response(request)
        finally:
            current_request.reset(token)

    return middleware
