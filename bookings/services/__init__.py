"""Every write about bookings; the web form, the API and the admin all come here, and each function is atomic.

booking.py: make, confirm, approve, cancel a booking, correct who it is for, remind; contacts.py: the details as
stored and the caps per person; sessions.py: call a session off; checkin.py: check in, no-show.
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
from bookings.services.sessions import cancel_session

__all__ = [
    "CONFIRM_TASK",
    "approve_booking",
    "cancel_booking",
    "cancel_session",
    "change_booking_contact",
    "check_contact_change",
    "check_in",
    "confirm_booking",
    "confirm_stragglers",
    "create_booking",
    "mark_no_show",
    "normalised_check_in_code",
    "price_for",
    "queue_reminders",
    "visitor_can_cancel",
]
