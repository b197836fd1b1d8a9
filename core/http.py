"""Who is asking: the reader's address, as our own proxies pass it on.

Every decision about a client's address (comment rate limits and bans, the sign-in throttle,
allauth's own limits through accounts.adapters, the audit log) goes through client_ip, so one
setting, TRUSTED_PROXY_COUNT, decides whom to believe.
"""

import ipaddress

from django.conf import settings


def _address(text):
    """`text` as a normalised IP address, or None when it is not one.

    Written as GenericIPAddressField(unpack_ipv4=True) stores it (::ffff:192.0.2.1 is 192.0.2.1),
    so a ban on a stored address matches the next request from it.
    """
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    return str(getattr(address, "ipv4_mapped", None) or address)


def client_ip(request):
    """REMOTE_ADDR, or the address our own proxies put in X-Forwarded-For (TRUSTED_PROXY_COUNT).

    Each trusted proxy appends the address it was reached from, so the one `count` places from the
    end was added by the outermost proxy we run: whatever stands before it, the client may forge.
    A header too short or not an address there was not written by our proxies: it is ignored.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies and (address := _address(forwarded[-proxies])):
            return address
    return _address(request.META.get("REMOTE_ADDR") or "")
