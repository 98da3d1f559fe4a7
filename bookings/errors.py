"""What the booking and application services can refuse, each with the HTTP status every surface answers with."""

from django.utils.translation import gettext_lazy as _


class BookingError(Exception):
    """A refusal with a message the visitor can act on, and field messages where one field is at fault."""

    http_status = 400
    default_message = _("This booking cannot be made.")

    def __init__(self, message=None, *, fields: dict | None = None):
        self.message = message or self.default_message
        self.fields = fields or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        """Field messages, or the message under `detail` when no single field is to blame."""
        if self.fields:
            return {field: [str(message) for message in messages] for field, messages in self.fields.items()}
        return {"detail": str(self.message)}


class InvalidBooking(BookingError):
    http_status = 400


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


class SessionBusy(BookingError):
    """The session's lock could not be had in time: many people are booking it right now."""

    http_status = 503
    retry_after_seconds = 2
    default_message = _("Many people are booking this session right now. Please try again in a moment.")


class UnknownCheckInCode(BookingError):
    """No booking the user may see has this code: unknown, or another village's (we do not say which)."""

    http_status = 400
    default_message = _("No booking has this check-in code.")


class CheckInRefused(InvalidTransition):
    """The code is right but the booking cannot be checked in: pending, cancelled, no-show or already used."""


class SessionHasCheckIns(InvalidTransition):
    default_message = _("Visitors of this session have already checked in; it can no longer be cancelled.")


class InvalidApplication(BookingError):
    """A residency application that cannot be taken as sent; the field messages say what to change."""

    default_message = _("This application cannot be sent as it is. Please check the fields marked below.")


class ProgramFull(BookingError):
    http_status = 409
    default_message = _("Every place in this cohort is taken. Waitlist the applicant, or free a place first.")


class ProgramBusy(SessionBusy):
    default_message = _("Another decision on this programme is being saved. Please try again in a moment.")


class InvalidDecision(InvalidTransition):
    default_message = _("This application is not in a state that allows this.")
