"""Who is asking: the reader's address, as our own proxies pass it on."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or the address our own proxies put in X-Forwarded-For (TRUSTED_PROXY_COUNT)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
