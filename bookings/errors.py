"""What the booking services can refuse, each with the HTTP status every surface answers with."""

from django.utils.translation import gettext_lazy as _

from core.errors import Busy, ServiceError


class BookingError(ServiceError):
    """A booking refused, with a message the visitor can act on (and field messages where one field is at fault)."""

    default_message = _("This booking cannot be made.")


class InvalidBooking(BookingError):
    http_status = 400


class NoSuchSession(InvalidBooking):
    """No session by that id that visitors can see (a 400 for a session named in a body, a 404 in an address)."""

    def __init__(self):
        super().__init__(fields={"session": [_("There is no such session.")]})


class SoldOut(BookingError):
    http_status = 409
    default_message = _("Sorry, this session is sold out.")


class NotEnoughSeats(SoldOut):
    default_message = _("Not enough seats are left in this session.")


class ContactLimitReached(BookingError):
    """One person (an email address or a phone number) already holds as much as one person may; `limit` says which
    cap: "seats_per_session" or "upcoming_bookings"."""

    http_status = 409

    def __init__(self, message, *, limit: str):
        super().__init__(message)
        self.limit = limit

    def as_dict(self) -> dict:
        return {"detail": str(self.message), "limit": self.limit}


class CancellationClosed(BookingError):
    http_status = 409
    default_message = _("This booking can no longer be cancelled online. Please contact the village.")


class InvalidTransition(BookingError):
    http_status = 409
    default_message = _("This booking is not in a state that allows this.")


class IdempotencyKeyReused(BookingError):
    http_status = 422
    default_message = _("This Idempotency-Key was already used for a different booking request.")


class SessionBusy(Busy, BookingError):
    """The session's lock could not be had in time: many people are booking it right now."""

    default_message = _("Many people are booking this session right now. Please try again in a moment.")


class UnknownCheckInCode(BookingError):
    """No booking the user may see has this code: unknown, or another village's (we do not say which)."""

    http_status = 400
    default_message = _("No booking has this check-in code.")


class CheckInRefused(InvalidTransition):
    """The code is right but the booking cannot be checked in: pending, cancelled, no-show or already used."""


class SessionHasCheckIns(InvalidTransition):
    default_message = _("Visitors of this session have already checked in; it can no longer be cancelled.")


class BookingsClosed(BookingError):
    """Past the experience's booking cut-off: the village is getting ready, no new booking, offer or move."""

    http_status = 409
    default_message = _("Bookings for this session have closed. Please choose a later session.")


class WaitlistNotNeeded(BookingError):
    http_status = 409
    default_message = _("There are enough seats left in this session: book them instead.")


class AlreadyWaiting(BookingError):
    http_status = 409
    default_message = _("This email address is already on this session's waiting list.")


class OfferNotOpen(BookingError):
    http_status = 409
    default_message = _("There is no offer of seats to claim: it has been claimed, has lapsed, or was never made.")


class MoveRefused(BookingError):
    http_status = 409
    default_message = _("This booking can no longer be moved online. Please contact the village.")
