"""Pages and endpoints opened by a secret link (a reference and its token): one way to look the row up, one way
to answer privately. Bookings and residency applications, web and API, all use these."""

import re
import secrets

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import register_converter
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from core.errors import ServiceError
from core.ratelimits import LOOKUPS, rate_limited

REFERENCE = re.compile(r"[-_A-Z0-9]{1,12}")  # what the services write: "CE-7KQ2MX", "RA-7KQ2MXP"


class ReferenceConverter:
    """What a reference can look like in an address (any letter case); anything else is a 404 before any query."""

    regex = "[A-Za-z0-9-]{1,12}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# For URL patterns: f"<{REFERENCE_IN_PATH}:reference>/". Registered here, so that a pattern using it imports it.
REFERENCE_IN_PATH = "reference"
register_converter(ReferenceConverter, REFERENCE_IN_PATH)
UNKNOWN_TOKEN = secrets.token_urlsafe(32)  # compared against when nothing matches, so timing tells nothing


def held_with_token(queryset, reference: str, token: str):
    """The row of `queryset` whose reference and token both match; one and the same 404 for every other case.

    The token is compared in constant time, against a random one when the reference matches nothing (or could not
    be a reference at all), so neither the answer nor its timing tells which of the two was wrong.
    """
    reference = (reference or "").upper()
    found = queryset.filter(reference=reference).first() if REFERENCE.fullmatch(reference) else None
    expected = found.token if found else UNKNOWN_TOKEN
    if not secrets.compare_digest(expected.encode(), (token or "").encode("utf-8", "replace")) or found is None:
        raise Http404()
    return found


def private(response: HttpResponse) -> HttpResponse:
    """Pages whose URL holds the token: never stored, never indexed, the address never sent to another site.

    "same-origin" rather than "no-referrer": under no-referrer, browsers send `Origin: null` with the page's own
    forms (cancel, withdraw, the language switcher) and Django's CSRF check refuses them with a 403.
    """
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def see_other(url: str) -> HttpResponseRedirect:
    """After a POST: the browser follows with a GET, so a reload never sends the form again."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def private_action(*, find, page, act):
    """The POST view of one action of a private page: `act(row, request.POST)` on the row that
    `find(reference, token)` returns (cancel, withdraw, move, claim), then on to the page of what the action returns
    (the row itself, or the booking a claim made). A refusal shows the page again with
    `page(request, row, refused=error, status=…)`. Counts against the lookup limit."""

    @require_POST
    @rate_limited(LOOKUPS)
    def do(request, reference):
        row = find(reference, request.POST.get("token", ""))
        try:
            done = act(row, request.POST)
        except ServiceError as error:
            row.refresh_from_db()
            return page(request, row, refused=error, status=error.http_status)
        return private(see_other(done.get_absolute_url()))

    return do


def private_page_views(*, find, page, act):
    """The two views of a private page with one action: GET shows the row that `find(reference, token)` returns
    with `page(request, row)`, counted against the lookup limit; POST is private_action's. A page with more actions
    adds a private_action for each."""

    @require_GET
    @rate_limited(LOOKUPS)
    def show(request, reference):
        return page(request, find(reference, request.GET.get("token", "")))

    return show, private_action(find=find, page=page, act=act)
