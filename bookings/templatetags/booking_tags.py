"""Bookings on other apps' pages, without those apps importing bookings: the booking form of an experience's page,
the price of a party in a session, and the operator's day on the admin's dashboard."""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from bookings.forms import BookingForm, new_submission_key
from bookings.selectors import dashboard_for
from bookings.services import price_for
from bookings.services.sources import LIVE_SOURCE
from core import page_cache

register = template.Library()
SUBMISSION_KEY = page_cache.per_visitor_value("submission-key", lambda _request: new_submission_key())


@register.simple_tag(takes_context=True)
def booking_form(context):
    """`{% booking_form as form %}`: the form bookings.views.create refused (`booking_form`), or a fresh one; with
    the page's sessions, so the seats left are those of now."""
    form = context.get("booking_form") or BookingForm(
        experience=context["experience"], language=translation.get_language(), initial=_arrival(context)
    )
    form.sessions = context["sessions"]
    if page_cache.rendering_for_cache(context.get("request")):
        form.fields["submission_key"].initial = SUBMISSION_KEY  # each visitor gets a key of their own
    return form


def _arrival(context) -> dict:
    """A link from a live stream's page chooses the session and says where the visitor came from
    (?session=<id>&source=live:<id>); the service checks the source when the form is sent."""
    request = context.get("request")
    if request is None:
        return {}
    arrival = {}
    if request.GET.get("session", "").isascii() and request.GET.get("session", "").isdigit():
        arrival["session"] = request.GET["session"][:19]
    if LIVE_SOURCE.match(request.GET.get("source", "")):
        arrival["source"] = request.GET["source"]
    return arrival


@register.simple_tag(takes_context=True)
def operator_dashboard(context):
    """`{% operator_dashboard as dashboard %}`: dashboard_for() of the request's user; nothing of any village when
    there is no request or user."""
    request = context.get("request")
    return dashboard_for(getattr(request, "user", None) or AnonymousUser())


@register.simple_tag
def party_price(session, party) -> str:
    """`{% party_price session booking %}`: what the party of a booking (or entry) pays in that session, 224.00."""
    return f"{price_for(session, party.adults, party.children):.2f}"
