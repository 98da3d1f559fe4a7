"""Who a booking is for: the details as stored (one check for every surface), and the caps per person.

One email address (any letter case) or phone number (E.164) holds at most the experience's per-booking maximum of
seats in a session and MAX_ACTIVE_BOOKINGS_PER_CONTACT bookings of sessions still to come. lock_contact serialises
one person's bookings, so that two sent at the same moment cannot both pass.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bookings.errors import ContactLimitReached, InvalidBooking, SessionBusy
from bookings.models import Booking
from core.contact import normalised_email, normalised_phone
from core.fields import max_length
from core.locking import lock_keys


def validated_booking(*, adults, children, name, email, phone, language, notes) -> dict:
    """The party and the contact details as stored, or InvalidBooking with every field's message at once."""
    errors = {}
    if adults < 0:
        errors["adults"] = [_("The number of adults cannot be negative.")]
    if children < 0:
        errors["children"] = [_("The number of children cannot be negative.")]
    if adults + children < 1 and not errors:
        errors["adults"] = [_("Book at least one person.")]
    try:
        contact = validated_contact(name=name, email=email, phone=phone, language=language, notes=notes)
    except InvalidBooking as error:
        errors.update(error.fields)
    if errors:
        raise InvalidBooking(fields=errors)
    return contact


def validated_contact(*, name, email, phone, language, notes) -> dict:
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Please give the name the booking is for.")]
    elif len(name) > max_length(Booking, "name"):
        errors["name"] = [_("The name can be at most %(max)s characters.") % {"max": max_length(Booking, "name")}]
    try:
        email = normalised_email(email)
        if len(email) > max_length(Booking, "email"):
            raise ValidationError("too long")
    except ValidationError:
        errors["email"] = [_("Enter a valid email address.")]
    try:
        phone = normalised_phone(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose zh-hans or en.")]
    notes = (notes or "").strip()
    if len(notes) > max_length(Booking, "notes"):
        errors["notes"] = [_("Notes can be at most %(max)s characters.") % {"max": max_length(Booking, "notes")}]
    if errors:
        raise InvalidBooking(fields=errors)
    return {"name": name, "email": email, "phone": phone, "language": language, "notes": notes}


def lock_contact(email: str, phone: str) -> None:
    """Serialise the bookings of one person (by email and by phone), whichever sessions they are for, so that two
    requests at once cannot both pass the caps below."""
    lock_keys(f"booking-contact:email:{email.upper()}", f"booking-contact:phone:{phone}", busy=SessionBusy)


def held_by_contact(session_id, *, email: str, phone: str, now, excluding_id=None) -> dict:
    """What one email (any letter case) and one phone number (E.164) hold now: seats in this session, and bookings
    of sessions still to come. Read under _lock_contact and before the session's lock, which it need not hold up:
    only this person's own bookings, serialised by that lock, can raise these numbers. A handful of rows (the caps
    keep it so), added up here rather than by a query with four filtered aggregates that costs more to build."""
    holdings = (
        Booking.objects.filter(Q(email__iexact=email) | Q(phone=phone), status__in=Booking.HOLDING_SEATS)
        .filter(Q(session_id=session_id) | Q(session__starts_at__gt=now))
        .values_list("email", "phone", "session_id", "adults", "children", "session__starts_at")
    )
    if excluding_id is not None:
        holdings = holdings.exclude(pk=excluding_id)
    held = {"seats_by_email": 0, "seats_by_phone": 0, "bookings_by_email": 0, "bookings_by_phone": 0}
    for held_email, held_phone, held_session_id, adults, children, starts_at in holdings:
        for holder, same in (("email", held_email.upper() == email.upper()), ("phone", held_phone == phone)):
            if same and held_session_id == session_id:
                held[f"seats_by_{holder}"] += adults + children
            if same and starts_at > now:
                held[f"bookings_by_{holder}"] += 1
    return held


def check_contact_limits(held: dict, *, most_seats: int, seats: int) -> None:
    """The caps per person: at most the experience's per-booking maximum of seats in one session, and at most
    MAX_ACTIVE_BOOKINGS_PER_CONTACT bookings of sessions still to come, for an email and a phone number alike."""
    for holder, held_seats in (
        (_("This email address"), held["seats_by_email"]),
        (_("This phone number"), held["seats_by_phone"]),
    ):
        if held_seats + seats > most_seats:
            raise ContactLimitReached(
                ngettext(
                    "%(holder)s already holds %(held)s seat in this session; one person may hold at most %(most)s.",
                    "%(holder)s already holds %(held)s seats in this session; one person may hold at most %(most)s.",
                    held_seats,
                )
                % {"holder": holder, "held": held_seats, "most": most_seats},
                limit="seats_per_session",
            )
    most_bookings = settings.MAX_ACTIVE_BOOKINGS_PER_CONTACT
    for holder, bookings in (
        (_("This email address"), held["bookings_by_email"]),
        (_("This phone number"), held["bookings_by_phone"]),
    ):
        if bookings >= most_bookings:
            raise ContactLimitReached(
                _(
                    "%(holder)s already has %(count)s upcoming bookings, the most one person may hold at a time. "
                    "Cancel one you no longer need, or book again after one has taken place."
                )
                % {"holder": holder, "count": bookings},
                limit="upcoming_bookings",
            )
