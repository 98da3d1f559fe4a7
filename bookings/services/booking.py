"""A booking's life: made (create_booking), confirmed by the worker or approved by the village, cancelled; who it is
for corrected by an operator; reminded the day before.

create_booking locks the person (contacts.lock_contact), then the session row, checks the rules and the caps per
person, counts the seats and inserts; on commit the worker runs confirm_booking, which writes the emails.
"""

import hashlib
import json
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.errors import (
    BookingError,
    BookingsClosed,
    CancellationClosed,
    IdempotencyKeyReused,
    InvalidBooking,
    InvalidTransition,
    NoSuchSession,
    NotEnoughSeats,
    SessionBusy,
    SoldOut,
)
from bookings.models import Booking
from bookings.selectors import seats_open_to_booking, session_with_waiting_flag
from bookings.services.contacts import (
    check_contact_limits,
    held_by_contact,
    lock_contact,
    validated_booking,
    validated_contact,
)
from bookings.services.offers import offer_when_committed
from bookings.services.seats import change_seats
from bookings.services.sources import check_stream_source, parsed_source
from core.codes import insert_with_fresh_codes, new_token, readable_code
from core.locking import busy_when_lock_waits_too_long, lock_row
from outbox.dispatch import PROMPT_QUEUE, enqueue, enqueue_on_commit
from outbox.models import OutgoingEmail
from outbox.services import SWEEP_BATCH, SWEEP_GRACE, queue_email
from villages.models import Session

Kind = OutgoingEmail.Kind
CONFIRM_TASK = "bookings.tasks.confirm_booking"
REMINDER_AHEAD = timedelta(hours=24)


def _fingerprint(**fields) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def lock_session(session_id) -> Session:
    return lock_row(Session.objects.select_related("experience__village"), session_id, SessionBusy)


def check_bookable(session: Session, *, adults: int, children: int, now) -> None:
    experience = session.experience
    if not (experience.is_published and experience.village.is_published):
        raise NoSuchSession()
    if session.status != Session.Status.SCHEDULED:
        raise InvalidBooking(fields={"session": [_("This session has been cancelled.")]})
    if session.starts_at <= now:
        raise InvalidBooking(fields={"session": [_("This session has already started.")]})
    if now >= experience.bookings_close_at(session.starts_at):
        raise BookingsClosed()
    if not session.in_season:
        raise InvalidBooking(fields={"session": [_("This session is outside the experience's season.")]})
    if children and experience.adults_only:
        raise InvalidBooking(fields={"children": [_("This experience is for adults only.")]})
    if adults + children > experience.max_party_size:
        raise InvalidBooking(
            fields={"adults": [_("At most %(max)s people per booking.") % {"max": experience.max_party_size}]}
        )


def price_for(session: Session, adults: int, children: int) -> Decimal:
    return session.adult_price * adults + session.child_price * children


def create_booking(
    *,
    session_id,
    adults: int,
    children: int = 0,
    name: str,
    email: str,
    phone: str,
    language: str,
    notes: str = "",
    source: str = "",
    idempotency_key: str | None = None,
    now=None,
) -> tuple[Booking, bool]:
    """Book seats on a session. Returns (booking, created); a repeated idempotency key returns the first booking.

    Refuses with a BookingError (and writes nothing) when the session cannot take this party, or when the
    email address or phone number already holds as much as one person may (ContactLimitReached).
    """
    now = now or timezone.now()
    contact = validated_booking(
        adults=adults, children=children, name=name, email=email, phone=phone, language=language, notes=notes
    )
    stream_id = parsed_source(source)
    fingerprint = _fingerprint(session=session_id, adults=adults, children=children, **contact)
    if idempotency_key:
        existing = _replayed(idempotency_key, fingerprint)
        if existing:
            return existing, False
    seats = adults + children
    try:
        session = Session.objects.select_related("experience__village").get(pk=session_id)
    except Session.DoesNotExist as error:
        raise NoSuchSession() from error
    try:
        # What a snapshot already refuses (closed, cancelled, sold out) costs no lock; the rest is checked under it.
        check_bookable(session, adults=adults, children=children, now=now)
        if session.seats_left < seats:
            raise NotEnoughSeats() if session.seats_left else SoldOut()
        with busy_when_lock_waits_too_long(SessionBusy), transaction.atomic():
            # The person first, then the session: every booking takes its locks in this order.
            lock_contact(contact["email"], contact["phone"])
            if idempotency_key:
                # A retry that waited for the first request's lock finds its booking now.
                existing = _replayed(idempotency_key, fingerprint)
                if existing:
                    return existing, False
            held = held_by_contact(session_id, email=contact["email"], phone=contact["phone"], now=now)
            check_contact_limits(held, most_seats=session.experience.max_party_size, seats=seats)
            source = check_stream_source(stream_id, session)
            # Inserted before the session's lock is taken (the row stays invisible until commit), so that the lock
            # is held only for the count, one read and the commit.
            booking = insert_booking(
                session=session,
                adults=adults,
                children=children,
                total_price=price_for(session, adults, children),
                idempotency_key=idempotency_key or None,
                request_fingerprint=fingerprint if idempotency_key else "",
                privacy_version=settings.PRIVACY_VERSION,  # the notice the form and the API link to
                source=source,
                **contact,
            )
            _take_seats(booking, session, now=now)
            enqueue_on_commit(CONFIRM_TASK, booking.pk, queue=PROMPT_QUEUE)
    except BookingError:
        # The first request with this key may have taken the last seats: its retry gets that booking, not a refusal.
        if idempotency_key:
            existing = _replayed(idempotency_key, fingerprint)
            if existing:
                return existing, False
        raise
    except IntegrityError:
        # Another request with the same idempotency key committed between our check and our insert.
        if idempotency_key:
            existing = _replayed(idempotency_key, fingerprint)
            if existing:
                return existing, False
        raise
    return booking, True


def _take_seats(booking: Booking, snapshot: Session, *, now) -> None:
    """Count the booking's seats, which locks the session's row until commit, then check on the row as it now is
    what the snapshot the booking was made from could not prove: the session still bookable, at the same prices,
    and the seats not owed to its waiting list. Any refusal rolls the booking back with the count."""
    seats = booking.seats
    if not change_seats(snapshot.pk, seats, within_capacity=True):
        left = Session.objects.filter(pk=snapshot.pk).values_list(F("capacity") - F("seats_taken"), flat=True).get()
        raise NotEnoughSeats() if left > 0 else SoldOut()
    session = session_with_waiting_flag(snapshot.pk)
    session.experience = snapshot.experience
    session.seats_taken -= seats  # the count as this booking found it
    check_bookable(session, adults=booking.adults, children=booking.children, now=now)
    if session.has_waiting:
        open_seats = seats_open_to_booking(session)
        if open_seats < seats:
            raise NotEnoughSeats() if open_seats else SoldOut()
    total_price = price_for(session, booking.adults, booking.children)
    if total_price != booking.total_price:  # the village changed the session's prices a moment ago
        booking.total_price = total_price
        booking.save(update_fields=["total_price"])


def _replayed(idempotency_key: str, fingerprint: str) -> Booking | None:
    existing = Booking.objects.filter(idempotency_key=idempotency_key).select_related("session").first()
    if existing and existing.request_fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    return existing


def insert_booking(**fields) -> Booking:
    """Insert with fresh random codes; a twin request (the same idempotency key) is no collision: let it raise."""
    prefix = fields["session"].experience.village.slug[:2].upper()
    key = fields.get("idempotency_key")

    def twin_request():
        if key and Booking.objects.filter(idempotency_key=key).exists():
            raise IntegrityError("a booking with this idempotency key was made meanwhile")

    return insert_with_fresh_codes(
        lambda: Booking.objects.create(
            reference=f"{prefix}-{readable_code(6)}", token=new_token(), check_in_code=readable_code(8), **fields
        ),
        on_conflict=twin_request,
    )


def confirm_booking(booking_id, *, now=None) -> Booking:
    """Run by the worker after a booking is made: confirm it, or ask the village to approve it. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("session__experience__village")
            .get(pk=booking_id)
        )
        if booking.processed_at is not None:
            return booking
        booking.processed_at = now
        experience = booking.session.experience
        if booking.session.status == Session.Status.CANCELLED:
            # The session was called off before the worker got here: nothing to confirm, nobody to tell.
            booking.save(update_fields=["processed_at"])
            return booking
        if booking.status == Booking.Status.PENDING and not experience.requires_approval:
            booking.status = Booking.Status.CONFIRMED
            booking.confirmed_at = now
            kind = Kind.BOOKING_CONFIRMED
        else:
            kind = Kind.BOOKING_RECEIVED
        booking.save(update_fields=["status", "confirmed_at", "processed_at"])
        if booking.status != Booking.Status.CANCELLED:
            queue_email(booking, kind, now=now, revision=booking.calendar_sequence)
        village = experience.village
        if village.contact_email:
            queue_email(
                booking,
                Kind.OPERATOR_NEW_BOOKING,
                recipient=village.contact_email,
                language=settings.LANGUAGE_CODE,
                now=now,
                revision=booking.calendar_sequence,
            )
    return booking


def approve_booking(booking_id, *, now=None) -> Booking:
    """An operator accepts a booking that needed approval; the visitor gets the confirmation."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking_id)
        if booking.status != Booking.Status.PENDING:
            raise InvalidTransition()
        booking.status = Booking.Status.CONFIRMED
        booking.confirmed_at = now
        booking.processed_at = booking.processed_at or now
        booking.save(update_fields=["status", "confirmed_at", "processed_at"])
        queue_email(booking, Kind.BOOKING_CONFIRMED, now=now, revision=booking.calendar_sequence)
    return booking


def visitor_can_cancel(booking: Booking, now=None) -> bool:
    now = now or timezone.now()
    return booking.status in Booking.CANCELLABLE and now <= booking.cancellation_deadline


def cancel_booking(booking_id, *, by: str, now=None) -> Booking:
    """Cancel and give the seats back at once. Visitors only until the window closes; operators any time."""
    now = now or timezone.now()
    with transaction.atomic():
        # Session first, then booking: the order cancel_session and mark_no_show lock in, so they cannot deadlock.
        booking = lock_booking(booking_id)
        if booking.status == Booking.Status.CANCELLED:
            return booking
        if booking.status not in Booking.CANCELLABLE:
            raise InvalidTransition()
        if by == Booking.CancelledBy.VISITOR and not visitor_can_cancel(booking, now):
            raise CancellationClosed()
        cancel_locked(booking, by=by, now=now)
        offer_when_committed(booking.session_id)
    return booking


def _locked_contact_change(booking_id, *, name, email, phone, notes, now) -> tuple[Booking, dict]:
    """Lock the new contact, the session and the booking (in the order bookings take them), and check the change."""
    language, session_id = Booking.objects.filter(pk=booking_id).values_list("language", "session_id").get()
    contact = validated_contact(name=name, email=email, phone=phone, language=language, notes=notes)
    lock_contact(contact["email"], contact["phone"])
    held = held_by_contact(session_id, email=contact["email"], phone=contact["phone"], now=now, excluding_id=booking_id)
    booking = lock_booking(booking_id)
    changes_hands = contact["email"].upper() != booking.email.upper() or contact["phone"] != booking.phone
    if changes_hands and booking.status in Booking.HOLDING_SEATS and booking.session.starts_at > now:
        check_contact_limits(held, most_seats=booking.session.experience.max_party_size, seats=booking.seats)
    return booking, contact


def check_contact_change(booking_id, *, name, email, phone, notes, now=None) -> dict:
    """The checks of change_booking_contact without the write, for a form that shows refusals before it saves.

    Called inside the caller's transaction, the locks it takes are held until that transaction ends, so the
    change_booking_contact that follows in it finds everything as checked. Returns the details as they will be stored.
    """
    with transaction.atomic():
        _booking, contact = _locked_contact_change(
            booking_id, name=name, email=email, phone=phone, notes=notes, now=now or timezone.now()
        )
    return contact


def change_booking_contact(booking_id, *, name, email, phone, notes, now=None) -> Booking:
    """Correct who a booking is for (an operator, after a phone call): checked as a new booking's details are, caps
    per person included. Status, party and seats are never written here, so a stale form cannot undo a change."""
    with transaction.atomic():
        booking, contact = _locked_contact_change(
            booking_id, name=name, email=email, phone=phone, notes=notes, now=now or timezone.now()
        )
        changed = [field for field in ("name", "email", "phone", "notes") if getattr(booking, field) != contact[field]]
        for field in changed:
            setattr(booking, field, contact[field])
        if changed:
            booking.save(update_fields=changed)
    return booking


def lock_booking(booking_id, related=("session__experience",)) -> Booking:
    """Lock the booking's session row, then the booking (the order every service takes them in), and return the
    booking fresh. A booking moved to another session between the two is refused as busy: a retry finds it where
    it is now."""
    session_id = Booking.objects.filter(pk=booking_id).values_list("session_id", flat=True).get()
    lock_row(Session.objects.all(), session_id, SessionBusy)
    booking = Booking.objects.select_for_update(of=("self",)).select_related(*related).get(pk=booking_id)
    if booking.session_id != session_id:
        raise SessionBusy()
    return booking


def cancel_locked(booking: Booking, *, by: str, now) -> None:
    """Cancel a booking whose row (and session row) this transaction holds: seats back, visitor emailed."""
    change_seats(booking.session_id, -booking.seats)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = now
    booking.cancelled_by = by
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    queue_email(booking, Kind.BOOKING_CANCELLED, now=now, revision=booking.calendar_sequence)


def queue_reminders(*, now=None) -> int:
    """Write a reminder for each confirmed booking whose session starts within the next day."""
    now = now or timezone.now()
    due = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + REMINDER_AHEAD,
        session__status=Session.Status.SCHEDULED,
    ).exclude(
        Exists(
            OutgoingEmail.objects.filter(
                booking=OuterRef("pk"), kind=Kind.BOOKING_REMINDER, revision=OuterRef("calendar_sequence")
            )
        )
    )
    queued = 0
    for booking in due.iterator():
        with transaction.atomic():
            if queue_email(booking, Kind.BOOKING_REMINDER, now=now, revision=booking.calendar_sequence):
                queued += 1
    return queued


def confirm_stragglers(*, now=None) -> int:
    """Ask the worker again to confirm bookings it never saw (a lost message, a broker outage): the beat's sweep."""
    now = now or timezone.now()
    unconfirmed = list(
        Booking.objects.filter(
            status=Booking.Status.PENDING, processed_at__isnull=True, created_at__lt=now - SWEEP_GRACE
        ).values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for booking_id in unconfirmed:
        enqueue(CONFIRM_TASK, booking_id)
    return len(unconfirmed)
