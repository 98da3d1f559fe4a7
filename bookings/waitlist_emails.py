"""The emails about a waiting-list entry: on the list, seats offered (with the claim link and until when), the offer
lapsed, the session called off. In the entry's language; the outbox sends them (register_writers, from ready())."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.translation import gettext as _

from bookings.emails import format_price, local_datetime, party_size
from bookings.models import WaitlistEntry
from bookings.selectors import waitlist_position
from bookings.services import price_for
from outbox import messages
from outbox.messages import one_line, render_parts
from outbox.models import OutgoingEmail

Kind = OutgoingEmail.Kind

WAITLIST_KINDS = (Kind.WAITLIST_JOINED, Kind.WAITLIST_OFFER, Kind.WAITLIST_OFFER_LAPSED, Kind.WAITLIST_CLOSED)


def register_writers() -> None:
    messages.register(WAITLIST_KINDS, build=build_message, called_off=called_off)


def _entry_of(email: OutgoingEmail) -> WaitlistEntry:
    return WaitlistEntry.objects.select_related("session__experience__village").get(pk=email.waitlist_entry_id)


def called_off(email: OutgoingEmail) -> bool:
    """An offer claimed or given up before its email went out: nothing left to tell."""
    return email.kind == Kind.WAITLIST_OFFER and _entry_of(email).status != WaitlistEntry.Status.OFFERED


def build_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    entry = _entry_of(email)
    with translation.override(email.language):
        context = _context(entry, email.kind)
        subject = _subject(email.kind, context)
        text, html = render_parts("waitlist", {**context, "subject": subject})
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[email.recipient]
    )
    message.attach_alternative(html, "text/html")
    return message


def _context(entry: WaitlistEntry, kind: str) -> dict:
    session = entry.session
    experience = session.experience
    return {
        "kind": kind,
        "entry": entry,
        "session": session,
        "experience": experience,
        "village": experience.village,
        "when": local_datetime(session.starts_at),
        "party": party_size(entry.adults, entry.children),
        "total": format_price(price_for(session, entry.adults, entry.children)),
        "position": waitlist_position(entry),
        "claim_until": local_datetime(entry.offer_expires_at) if entry.offer_expires_at else None,
        "entry_url": settings.SITE_URL + entry.get_absolute_url(),
        "experience_url": settings.SITE_URL + experience.get_absolute_url(),
        "cancellation_reason": session.cancellation_reason,
    }


def _subject(kind: str, context: dict) -> str:
    values = {"title": context["experience"].title, "when": context["when"], "reference": context["entry"].reference}
    subjects = {
        Kind.WAITLIST_JOINED: _("On the waiting list: %(title)s, %(when)s (%(reference)s)"),
        Kind.WAITLIST_OFFER: _("Seats for you: %(title)s, %(when)s (%(reference)s)"),
        Kind.WAITLIST_OFFER_LAPSED: _("Your offer has lapsed: %(title)s, %(when)s (%(reference)s)"),
        Kind.WAITLIST_CLOSED: _("Session called off: %(title)s, %(when)s (%(reference)s)"),
    }
    return one_line(subjects[kind] % values)
