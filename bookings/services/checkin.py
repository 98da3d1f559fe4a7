"""At the village: a visitor shows their code and is checked in, or did not come at all."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.errors import CheckInRefused, InvalidTransition, UnknownCheckInCode
from bookings.models import Booking
from bookings.services.booking import lock_booking
from bookings.services.seats import change_seats
from villages import scoping


def normalised_check_in_code(code: str) -> str:
    """What the operator typed or scanned, as stored: upper case, without spaces or dashes."""
    return "".join((code or "").split()).replace("-", "").upper()


def check_in(code: str, *, user, now=None) -> Booking:
    """The visitor shows their code at the village: mark the booking checked in.

    A code of another village's booking is refused exactly like an unknown one, so an operator cannot learn
    which codes exist elsewhere.
    """
    now = now or timezone.now()
    code = normalised_check_in_code(code)
    found = scoping.scoped_for(Booking, user).filter(check_in_code=code).values_list("pk", flat=True).first()
    if not code or found is None:
        raise UnknownCheckInCode()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",)).select_related("session__experience__village").get(pk=found)
        )
        if booking.status == Booking.Status.CHECKED_IN:
            used = timezone.localtime(booking.checked_in_at)
            at = f"{used:%H:%M}" if used.date() == timezone.localdate(now) else f"{used:%Y-%m-%d %H:%M}"
            raise CheckInRefused(_("This code was already used at %(time)s.") % {"time": at})
        if booking.status == Booking.Status.CANCELLED:
            raise CheckInRefused(_("This booking was cancelled; it cannot be checked in."))
        if booking.status == Booking.Status.PENDING:
            raise CheckInRefused(_("This booking is not confirmed yet; it cannot be checked in."))
        if booking.status == Booking.Status.NO_SHOW:
            raise CheckInRefused(_("This booking was marked as a no-show; it cannot be checked in."))
        booking.status = Booking.Status.CHECKED_IN
        booking.checked_in_at = now
        booking.save(update_fields=["status", "checked_in_at"])
    return booking


def mark_no_show(booking_id, now=None) -> Booking:
    """The visitor of a confirmed booking did not come. Only once the session has started; the seats go back."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = lock_booking(booking_id, related=("session",))
        if booking.status != Booking.Status.CONFIRMED:
            raise InvalidTransition(_("Only a confirmed booking can be marked as a no-show."))
        if booking.session.starts_at > now:
            raise InvalidTransition(_("The session has not started yet; a no-show can only be marked after."))
        # A no-show holds no seats (Booking.HOLDING_SEATS): keep the session's count equal to the bookings'.
        change_seats(booking.session_id, -booking.seats)
        booking.status = Booking.Status.NO_SHOW
        booking.save(update_fields=["status"])
    return booking
