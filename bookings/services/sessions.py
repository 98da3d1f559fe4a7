"""The village calls a session off (the weather, or any reason the operator gives)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.errors import InvalidBooking, SessionHasCheckIns
from bookings.models import Booking
from bookings.services.booking import cancel_locked, lock_session
from bookings.services.waitlist import close_waitlist
from core.fields import max_length
from villages.models import Session


def cancel_session(session_id, *, reason: str = "", now=None) -> tuple[Session, list[Booking]]:
    """The village calls a session off: it is cancelled and so is every booking holding seats, each visitor emailed
    the reason with links to rebook onto the experience's next sessions; its waiting list is closed.

    Returns the session and the bookings cancelled now. Running it again cancels nothing twice (and finishes the
    job for a session whose status was set to cancelled by other means). Refused once visitors have checked in.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if len(reason) > max_length(Session, "cancellation_reason"):
        limit = max_length(Session, "cancellation_reason")
        raise InvalidBooking(fields={"reason": [_("The reason can be at most %(max)s characters.") % {"max": limit}]})
    with transaction.atomic():
        session = lock_session(session_id)
        bookings = list(
            Booking.objects.select_for_update(of=("self",))
            .filter(session_id=session.pk, status__in=Booking.HOLDING_SEATS)
            .order_by("pk")
        )
        if any(booking.status == Booking.Status.CHECKED_IN for booking in bookings):
            raise SessionHasCheckIns()
        if session.status != Session.Status.CANCELLED:
            session.status = Session.Status.CANCELLED
            session.cancellation_reason, session.cancelled_at = reason, now
            session.save(update_fields=["status", "cancellation_reason", "cancelled_at"])
        close_waitlist(session, now=now)
        for booking in bookings:
            cancel_locked(booking, by=Booking.CancelledBy.OPERATOR, now=now)
    return session, bookings
