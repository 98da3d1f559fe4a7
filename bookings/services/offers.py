"""Seats freed in a session go to its waiting list first.

Whatever frees seats (a cancellation, a move away, an offer left or lapsed) asks the worker, on commit, to run
offer_freed_seats; the beat's sweep does it too, for a capacity raised in the admin and anything a lost message
left. Until the worker has made its offers, the seats the list is owed are not for sale
(selectors.seats_open_to_booking), so a page reloader cannot take them in between.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bookings.errors import SessionBusy
from bookings.models import WaitlistEntry
from bookings.selectors import entries_owed, waiting_entries
from bookings.services.seats import change_seats
from core.locking import lock_row
from outbox.dispatch import enqueue_on_commit
from outbox.models import OutgoingEmail
from outbox.services import queue_email
from villages.models import Session

OFFER_TASK = "bookings.tasks.offer_freed_seats"


def offer_when_committed(session_id) -> None:
    """Seats of this session were freed by the current transaction: the worker offers them once it commits."""
    enqueue_on_commit(OFFER_TASK, session_id)


def offer_freed_seats(session_id, *, now=None) -> list[WaitlistEntry]:
    """The worker's part: offer the session's free seats to the entries owed them, held (counted as taken) for
    WAITLIST_OFFER_MINUTES and never past the booking cut-off; each holder is emailed. Safe to run twice."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_row(Session.objects.select_related("experience"), session_id, SessionBusy)
        closes = session.experience.bookings_close_at(session.starts_at)
        if session.status != Session.Status.SCHEDULED or now >= closes:
            return []
        owed = entries_owed(session, waiting_entries(session).select_for_update())
        if not owed:
            return []
        seats = sum(entry.seats for entry in owed)
        change_seats(session.pk, seats)
        expires = min(now + timedelta(minutes=settings.WAITLIST_OFFER_MINUTES), closes)
        for entry in owed:
            entry.status = WaitlistEntry.Status.OFFERED
            entry.offered_at, entry.offer_expires_at = now, expires
            entry.save(update_fields=["status", "offered_at", "offer_expires_at"])
            queue_email(entry, OutgoingEmail.Kind.WAITLIST_OFFER, now=now)
    return owed
