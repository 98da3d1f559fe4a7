"""Move a booking to another session of the same experience: the visitor's reschedule, or the rebooking of a
booking the village cancelled with its session.

One transaction locks the person, then both sessions in id order (two moves in opposite directions cannot
deadlock), then the booking. The reference, the party and the check-in code stay; the price is the new
session's; the calendar event keeps its UID and gets a higher SEQUENCE.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.errors import InvalidBooking, MoveRefused, NoSuchSession, NotEnoughSeats, SessionBusy, SoldOut
from bookings.models import Booking
from bookings.selectors import seats_open_to_booking
from bookings.services.booking import CONFIRM_TASK, check_bookable, price_for, visitor_can_cancel
from bookings.services.contacts import check_contact_limits, held_by_contact, lock_contact
from bookings.services.offers import offer_when_committed
from bookings.services.seats import change_seats
from core.locking import lock_row
from outbox.dispatch import PROMPT_QUEUE, enqueue_on_commit
from outbox.models import OutgoingEmail
from outbox.services import queue_email
from villages.models import Session


def can_move(booking: Booking, now=None) -> bool:
    """Allowed while the booking could still be cancelled online, or when the village called its session off."""
    return visitor_can_cancel(booking, now) or booking.rebookable


def _lock_sessions(*session_ids) -> dict:
    return {
        session_id: lock_row(Session.objects.select_related("experience__village"), session_id, SessionBusy)
        for session_id in sorted(set(session_ids))
    }


def move_booking(booking_id, *, to_session_id, now=None) -> Booking:
    """Move the booking's party to `to_session_id`. Refused (nothing changed) when the booking can no longer be moved
    (MoveRefused), the session is not one of the same experience open to bookings (InvalidBooking, BookingsClosed),
    or has too few seats (NotEnoughSeats, SoldOut). Moving to the session it is on changes nothing."""
    now = now or timezone.now()
    email, phone, from_session_id = (
        Booking.objects.filter(pk=booking_id).values_list("email", "phone", "session_id").get()
    )
    try:
        to_session_id = int(to_session_id)
    except (TypeError, ValueError):
        raise NoSuchSession() from None
    if to_session_id == from_session_id:
        return Booking.objects.get(pk=booking_id)
    with transaction.atomic():
        lock_contact(email, phone)
        held = held_by_contact(to_session_id, email=email, phone=phone, now=now, excluding_id=booking_id)
        try:
            sessions = _lock_sessions(from_session_id, to_session_id)
        except Session.DoesNotExist:
            raise NoSuchSession() from None
        booking = (
            Booking.objects.select_for_update(of=("self",)).select_related("session__experience").get(pk=booking_id)
        )
        if booking.session_id == to_session_id:
            return booking  # a second click, or another tab, moved it there meanwhile
        if booking.session_id != from_session_id:
            raise SessionBusy()  # moved elsewhere meanwhile: a retry starts from where it is now
        old, new = sessions[from_session_id], sessions[to_session_id]
        rebooking = booking.rebookable
        if rebooking:
            booking.rebooked_from = old
        if not (rebooking or visitor_can_cancel(booking, now)):
            raise MoveRefused()
        if new.experience_id != old.experience_id:
            raise InvalidBooking(fields={"session": [_("Choose another session of the same experience.")]})
        check_bookable(new, adults=booking.adults, children=booking.children, now=now)
        open_seats = seats_open_to_booking(new)
        if open_seats < booking.seats:
            raise NotEnoughSeats() if open_seats else SoldOut()
        check_contact_limits(held, most_seats=new.experience.max_party_size, seats=booking.seats)
        change_seats(new.pk, booking.seats)
        if not rebooking:
            change_seats(old.pk, -booking.seats)
            offer_when_committed(old.pk)
        booking.session = new
        booking.total_price = price_for(new, booking.adults, booking.children)
        booking.moved_from, booking.moved_at = old, now
        booking.calendar_sequence += 1
        changed = ["session", "total_price", "moved_from", "moved_at", "calendar_sequence"]
        if rebooking:
            # As if booked anew: the worker confirms it (or asks the village) and sends the confirmation.
            booking.status, booking.processed_at, booking.confirmed_at = Booking.Status.PENDING, None, None
            booking.cancelled_at, booking.cancelled_by = None, ""
            changed += ["status", "processed_at", "confirmed_at", "cancelled_at", "cancelled_by", "rebooked_from"]
            enqueue_on_commit(CONFIRM_TASK, booking.pk, queue=PROMPT_QUEUE)
        booking.save(update_fields=changed)
        if not rebooking and booking.processed_at is not None:
            queue_email(booking, OutgoingEmail.Kind.BOOKING_MOVED, now=now, revision=booking.calendar_sequence)
    return booking
