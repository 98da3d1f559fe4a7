"""Every write about bookings; the web form, the API and the admin all come here, and each function is atomic.

booking.py: make, confirm, approve, cancel a booking, correct who it is for, remind; contacts.py: the details as
stored and the caps per person; sessions.py: call a session off; checkin.py: check in, no-show; waitlist.py: a
session's waiting list (join, claim an offer, leave, the sweep); offers.py: the seats freed go to that list first;
moves.py: move a booking to another session (reschedule, or rebook after the village cancelled).
"""

from bookings.services.booking import (
    CONFIRM_TASK,
    approve_booking,
    cancel_booking,
    change_booking_contact,
    check_contact_change,
    confirm_booking,
    confirm_stragglers,
    create_booking,
    price_for,
    queue_reminders,
    visitor_can_cancel,
)
from bookings.services.checkin import check_in, mark_no_show, normalised_check_in_code
from bookings.services.moves import can_move, move_booking
from bookings.services.offers import offer_freed_seats
from bookings.services.sessions import cancel_session
from bookings.services.waitlist import (
    claim_offer,
    close_started_waitlists,
    join_waitlist,
    leave_waitlist,
    sweep_waitlists,
)

__all__ = [
    "CONFIRM_TASK",
    "approve_booking",
    "can_move",
    "cancel_booking",
    "cancel_session",
    "change_booking_contact",
    "check_contact_change",
    "check_in",
    "claim_offer",
    "close_started_waitlists",
    "confirm_booking",
    "confirm_stragglers",
    "create_booking",
    "join_waitlist",
    "leave_waitlist",
    "mark_no_show",
    "move_booking",
    "normalised_check_in_code",
    "offer_freed_seats",
    "price_for",
    "queue_reminders",
    "sweep_waitlists",
    "visitor_can_cancel",
]
