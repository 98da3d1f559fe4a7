"""Rate limits at the edge: every anonymous write and every secret lookup is counted per client address in the
shared cache (django-ratelimit's counters, fixed windows), so all web processes and machines see one count. The caps
per person (an email, a phone number) are the booking service's: they hold whatever the address.

Settings: RATE_LIMITS (on/off), RATE_LIMIT_BOOKINGS, RATE_LIMIT_APPLICATIONS, RATE_LIMIT_LOOKUPS, BEHIND_PROXY.
"""

import ipaddress
import logging
import math
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

BOOKINGS = "bookings"
APPLICATIONS = "applications"
LOOKUPS = "lookups"
RATE_SETTINGS = {
    BOOKINGS: "RATE_LIMIT_BOOKINGS",
    APPLICATIONS: "RATE_LIMIT_APPLICATIONS",
    LOOKUPS: "RATE_LIMIT_LOOKUPS",
}
MESSAGES = {
    BOOKINGS: _("Too many booking attempts have come from your network. Please try again in %(wait)s."),
    APPLICATIONS: _("Too many applications have come from your network. Please try again in %(wait)s."),
    LOOKUPS: _(
        "Too many requests for booking and application pages have come from your network. Please try again in %(wait)s."
    ),
}


def client_ip(request) -> str:
    """The address of whoever sent the request. Behind a proxy (BEHIND_PROXY=true) it is the last address of
    X-Forwarded-For, the one the proxy itself added; the addresses left of it are the client's word. Without a
    proxy that header is anybody's to write, so it is ignored."""
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def _address_key(group, request) -> str:
    """What a limit counts by: the IPv4 address, or the /64 of an IPv6 address (one household, one counter)."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def wait_in_words(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


@dataclass(frozen=True)
class Limited:
    """A request over its limit: which one, and how many seconds until the window that refused it ends."""

    group: str
    retry_after: int

    @property
    def message(self) -> str:
        return MESSAGES[self.group] % {"wait": wait_in_words(self.retry_after)}


def exceeded(request, group: str) -> Limited | None:
    """Count this request against its address's limit for `group`; a Limited when that goes over it.

    A cache that cannot be reached counts nothing and refuses nothing (logged): an outage of the counters must not
    stop honest visitors from booking, and the caps per person still hold.
    """
    if not settings.RATE_LIMITS_ON:
        return None
    rate = getattr(settings, RATE_SETTINGS[group])
    try:
        usage = get_usage(request, group=group, key=_address_key, rate=rate, increment=True)
    except (RedisError, OSError) as error:
        logger.warning("Rate limit %s not counted: the cache cannot be reached (%s)", group, error)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    logger.warning("Rate limit %s (%s) reached by %s %s", group, rate, request.method, _address_key(group, request))
    return Limited(group, max(usage["time_left"], 1))


def too_many_requests_page(request, limited: Limited, *args, **kwargs):
    """The page a limited visitor sees in place of a private page: in their language, never cached or indexed."""
    response = render(request, "429.html", {"message": limited.message}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


def rate_limited(group: str, *, refused=too_many_requests_page):
    """View decorator: count each request; over the limit, answer `refused(request, limited, *args, **kwargs)`
    with status 429 and Retry-After, and never run the view, so nothing is written."""

    def decorator(view):
        @wraps(view)
        def limited_view(request, *args, **kwargs):
            limited = exceeded(request, group)
            if limited is None:
                return view(request, *args, **kwargs)
            response = refused(request, limited, *args, **kwargs)
            response["Retry-After"] = str(limited.retry_after)
            return response

        return limited_view

    return decorator


class RateLimited(APIException):
    """The API's 429: `{"detail": …}` with Retry-After (DRF's handler sends the header for `wait`)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "rate_limited"

    def __init__(self, limited: Limited):
        super().__init__(detail=limited.message)
        self.wait = limited.retry_after


class AddressRateLimit(BaseThrottle):
    """The same counters for API views: a viewset names the group of each action in `rate_limits`."""

    def allow_request(self, request, view):
        group = getattr(view, "rate_limits", {}).get(getattr(view, "action", None))
        limited = exceeded(request._request, group) if group else None
        if limited is not None:
            raise RateLimited(limited)
        return True
