"""The village calls a session off."""

from django.db import transaction
from django.utils import timezone

from bookings.errors import SessionHasCheckIns
from bookings.models import Booking
from bookings.services.booking import cancel_locked, lock_session
from villages.models import Session


def cancel_session(session_id, *, now=None) -> tuple[Session, list[Booking]]:
    """The village calls a session off: it is cancelled and so is every booking holding seats, each visitor emailed.

    Returns the session and the bookings cancelled now. Running it again cancels nothing twice (and finishes the
    job for a session whose status was set to cancelled by other means). Refused once visitors have checked in.
    """
    now = now or timezone.now()
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
            session.save(update_fields=["status"])
        for booking in bookings:
            cancel_locked(booking, by=Booking.CancelledBy.OPERATOR, now=now)
    return session, bookings
