"""Every write about bookings, residency applications and their emails. Web form, API and admin all come here;
each function is atomic.

The path of a booking: create_booking (lock the session, check, count the seats, insert, on commit ask the
worker to confirm) -> confirm_booking in the worker (confirm or ask for approval, write outbox rows) ->
send_outgoing_email in the worker (claim the row, send, mark sent). The sweep resends what a lost message left.

The path of an application: apply_for_residency (check, store the CV privately, insert, outbox rows for the
applicant and the village) -> start_review / decide_application by an operator (lock the programme row, count
the accepted places, outbox row) or withdraw_application by the applicant. Each transition emails the applicant.
"""

import hashlib
import json
import logging
import secrets
from datetime import date, timedelta
from decimal import Decimal
from smtplib import SMTPException

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bookings import emails
from bookings.contact import normalised_email, normalised_phone
from bookings.countries import is_country
from bookings.cv import check_cv
from bookings.dispatch import enqueue, enqueue_on_commit
from bookings.errors import (
    CancellationClosed,
    CheckInRefused,
    ContactLimitReached,
    IdempotencyKeyReused,
    InvalidApplication,
    InvalidBooking,
    InvalidDecision,
    InvalidTransition,
    NotEnoughSeats,
    ProgramBusy,
    ProgramFull,
    SessionBusy,
    SessionHasCheckIns,
    SoldOut,
    UnknownCheckInCode,
)
from bookings.models import Booking, OutgoingEmail, ResidencyApplication
from bookings.storage import new_cv_name, private_storage
from core.locking import lock_keys, lock_row
from villages import scoping
from villages.models import ResidencyProgram, Session
from villages.months import add_months

logger = logging.getLogger(__name__)

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read out on the phone
# A row still "sending" this long after its claim was being sent by a worker that died (the task time limit is over).
STALE_CLAIM = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
SWEEP_GRACE = timedelta(seconds=60)
REMINDER_AHEAD = timedelta(hours=24)

# Emails that make no sense once the booking is cancelled: the sender drops them as obsolete.
VOID_WHEN_CANCELLED = (
    OutgoingEmail.Kind.BOOKING_CONFIRMED,
    OutgoingEmail.Kind.BOOKING_RECEIVED,
    OutgoingEmail.Kind.BOOKING_REMINDER,
)

CONFIRM_TASK = "bookings.tasks.confirm_booking"
SEND_EMAIL_TASK = "bookings.tasks.send_email"


def _random_code(length: int) -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))


def _fingerprint(**fields) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def _lock_session(session_id) -> Session:
    return lock_row(Session.objects.select_related("experience__village"), session_id, SessionBusy)


def _validated_booking(*, adults, children, name, email, phone, language, notes) -> dict:
    """The party and the contact details as stored, or InvalidBooking with every field's message at once."""
    errors = {}
    if adults < 0:
        errors["adults"] = [_("The number of adults cannot be negative.")]
    if children < 0:
        errors["children"] = [_("The number of children cannot be negative.")]
    if adults + children < 1 and not errors:
        errors["adults"] = [_("Book at least one person.")]
    try:
        contact = _validated_contact(name=name, email=email, phone=phone, language=language, notes=notes)
    except InvalidBooking as error:
        errors.update(error.fields)
    if errors:
        raise InvalidBooking(fields=errors)
    return contact


def _validated_contact(*, name, email, phone, language, notes) -> dict:
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Please give the name the booking is for.")]
    elif len(name) > 100:
        errors["name"] = [_("The name can be at most 100 characters.")]
    try:
        email = normalised_email(email)
        if len(email) > Booking._meta.get_field("email").max_length:
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
    if len(notes) > 1000:
        errors["notes"] = [_("Notes can be at most 1000 characters.")]
    if errors:
        raise InvalidBooking(fields=errors)
    return {"name": name, "email": email, "phone": phone, "language": language, "notes": notes}


def _check_bookable(session: Session, *, adults: int, children: int, now) -> None:
    experience = session.experience
    if not (experience.is_published and experience.village.is_published):
        raise InvalidBooking(fields={"session": [_("There is no such session.")]})
    if session.status != Session.Status.SCHEDULED:
        raise InvalidBooking(fields={"session": [_("This session has been cancelled.")]})
    if session.starts_at <= now:
        raise InvalidBooking(fields={"session": [_("This session has already started.")]})
    if not session.in_season:
        raise InvalidBooking(fields={"session": [_("This session is outside the experience's season.")]})
    if children and experience.adults_only:
        raise InvalidBooking(fields={"children": [_("This experience is for adults only.")]})
    if adults + children > experience.max_party_size:
        raise InvalidBooking(
            fields={"adults": [_("At most %(max)s people per booking.") % {"max": experience.max_party_size}]}
        )


def _lock_contact(email: str, phone: str) -> None:
    """Serialise the bookings of one person (by email and by phone), whichever sessions they are for, so that two
    requests at once cannot both pass the caps below."""
    lock_keys(f"booking-contact:email:{email.upper()}", f"booking-contact:phone:{phone}", busy=SessionBusy)


def _held_by_contact(session_id, *, email: str, phone: str, now, excluding_id=None) -> dict:
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


def _check_contact_limits(held: dict, *, most_seats: int, seats: int) -> None:
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
    idempotency_key: str | None = None,
    now=None,
) -> tuple[Booking, bool]:
    """Book seats on a session. Returns (booking, created); a repeated idempotency key returns the first booking.

    Refuses with a BookingError (and writes nothing) when the session cannot take this party, or when the
    email address or phone number already holds as much as one person may (ContactLimitReached).
    """
    now = now or timezone.now()
    contact = _validated_booking(
        adults=adults, children=children, name=name, email=email, phone=phone, language=language, notes=notes
    )
    fingerprint = _fingerprint(session=session_id, adults=adults, children=children, **contact)
    if idempotency_key:
        existing = _replayed(idempotency_key, fingerprint)
        if existing:
            return existing, False
    seats = adults + children
    try:
        with transaction.atomic():
            # The person first, then the session: every booking takes its locks in this order.
            _lock_contact(contact["email"], contact["phone"])
            held = _held_by_contact(session_id, email=contact["email"], phone=contact["phone"], now=now)
            session = _lock_session(session_id)
            if idempotency_key:
                # A retry that waited for the first request's lock finds its booking now.
                existing = _replayed(idempotency_key, fingerprint)
                if existing:
                    return existing, False
            _check_bookable(session, adults=adults, children=children, now=now)
            if session.seats_left < seats:
                raise NotEnoughSeats() if session.seats_left else SoldOut()
            _check_contact_limits(held, most_seats=session.experience.max_party_size, seats=seats)
            counted = Session.objects.filter(pk=session.pk, seats_taken__lte=F("capacity") - seats).update(
                seats_taken=F("seats_taken") + seats
            )
            if not counted:
                raise SoldOut()
            booking = _insert_booking(
                session=session,
                adults=adults,
                children=children,
                total_price=price_for(session, adults, children),
                idempotency_key=idempotency_key or None,
                request_fingerprint=fingerprint if idempotency_key else "",
                **contact,
            )
            enqueue_on_commit(CONFIRM_TASK, booking.pk)
    except Session.DoesNotExist as error:
        raise InvalidBooking(fields={"session": [_("There is no such session.")]}) from error
    except IntegrityError:
        # Another request with the same idempotency key committed between our check and our insert.
        if idempotency_key:
            existing = _replayed(idempotency_key, fingerprint)
            if existing:
                return existing, False
        raise
    return booking, True


def _replayed(idempotency_key: str, fingerprint: str) -> Booking | None:
    existing = Booking.objects.filter(idempotency_key=idempotency_key).select_related("session").first()
    if existing and existing.request_fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    return existing


def _insert_booking(**fields) -> Booking:
    """Insert with fresh random codes, retrying in a savepoint on the rare collision of a reference."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Booking.objects.create(
                    reference=f"{fields['session'].experience.village.slug[:2].upper()}-{_random_code(6)}",
                    token=secrets.token_urlsafe(32),
                    check_in_code=_random_code(8),
                    **fields,
                )
        except IntegrityError:
            if (
                fields.get("idempotency_key")
                and Booking.objects.filter(idempotency_key=fields["idempotency_key"]).exists()
            ):
                raise
    raise IntegrityError("could not find a free booking reference")


def _queue_email(
    about: Booking | ResidencyApplication, kind: str, *, now, recipient: str | None = None, language: str | None = None
) -> OutgoingEmail | None:
    """Write an outbox row (at most one per booking or application, kind and recipient); send it once committed.

    By default to the visitor or applicant, in their language; the village's notices name their own recipient.
    """
    recipient = recipient or about.email
    language = language or about.language
    about_field = "application" if isinstance(about, ResidencyApplication) else "booking"
    email, created = OutgoingEmail.objects.get_or_create(
        **{about_field: about},
        kind=kind,
        recipient=recipient,
        defaults={"language": language, "next_attempt_at": now},
    )
    if created:
        enqueue_on_commit(SEND_EMAIL_TASK, email.pk)
        return email
    return None


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
            kind = OutgoingEmail.Kind.BOOKING_CONFIRMED
        else:
            kind = OutgoingEmail.Kind.BOOKING_RECEIVED
        booking.save(update_fields=["status", "confirmed_at", "processed_at"])
        if booking.status != Booking.Status.CANCELLED:
            _queue_email(booking, kind, now=now)
        village = experience.village
        if village.contact_email:
            _queue_email(
                booking,
                OutgoingEmail.Kind.OPERATOR_NEW_BOOKING,
                recipient=village.contact_email,
                language=settings.LANGUAGE_CODE,
                now=now,
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
        _queue_email(booking, OutgoingEmail.Kind.BOOKING_CONFIRMED, now=now)
    return booking


def visitor_can_cancel(booking: Booking, now=None) -> bool:
    now = now or timezone.now()
    return booking.status in Booking.CANCELLABLE and now <= booking.cancellation_deadline


def cancel_booking(booking_id, *, by: str, now=None) -> Booking:
    """Cancel and give the seats back at once. Visitors only until the window closes; operators any time."""
    now = now or timezone.now()
    with transaction.atomic():
        # Session first, then booking: the order cancel_session and mark_no_show lock in, so they cannot deadlock.
        _lock_session_of(booking_id)
        booking = (
            Booking.objects.select_for_update(of=("self",)).select_related("session__experience").get(pk=booking_id)
        )
        if booking.status == Booking.Status.CANCELLED:
            return booking
        if booking.status not in Booking.CANCELLABLE:
            raise InvalidTransition()
        if by == Booking.CancelledBy.VISITOR and not visitor_can_cancel(booking, now):
            raise CancellationClosed()
        _cancel_locked(booking, by=by, now=now)
    return booking


def _locked_contact_change(booking_id, *, name, email, phone, notes, now) -> tuple[Booking, dict]:
    """Lock the new contact, the session and the booking (in the order bookings take them), and check the change."""
    language, session_id = Booking.objects.filter(pk=booking_id).values_list("language", "session_id").get()
    contact = _validated_contact(name=name, email=email, phone=phone, language=language, notes=notes)
    _lock_contact(contact["email"], contact["phone"])
    held = _held_by_contact(
        session_id, email=contact["email"], phone=contact["phone"], now=now, excluding_id=booking_id
    )
    _lock_session_of(booking_id)
    booking = Booking.objects.select_for_update(of=("self",)).select_related("session__experience").get(pk=booking_id)
    changes_hands = contact["email"].upper() != booking.email.upper() or contact["phone"] != booking.phone
    if changes_hands and booking.status in Booking.HOLDING_SEATS and booking.session.starts_at > now:
        _check_contact_limits(held, most_seats=booking.session.experience.max_party_size, seats=booking.seats)
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


def _lock_session_of(booking_id) -> None:
    """Lock the booking's session row (waiting as long as the seat update would have); nothing if no booking."""
    session_id = Booking.objects.filter(pk=booking_id).values_list("session_id", flat=True).first()
    if session_id is not None:
        list(Session.objects.select_for_update().filter(pk=session_id).only("pk"))


def _cancel_locked(booking: Booking, *, by: str, now) -> None:
    """Cancel a booking whose row (and session row) this transaction holds: seats back, visitor emailed."""
    Session.objects.filter(pk=booking.session_id).update(seats_taken=F("seats_taken") - booking.seats)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = now
    booking.cancelled_by = by
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    _queue_email(booking, OutgoingEmail.Kind.BOOKING_CANCELLED, now=now)


def cancel_session(session_id, *, now=None) -> tuple[Session, list[Booking]]:
    """The village calls a session off: it is cancelled and so is every booking holding seats, each visitor emailed.

    Returns the session and the bookings cancelled now. Running it again cancels nothing twice (and finishes the
    job for a session whose status was set to cancelled by other means). Refused once visitors have checked in.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock_session(session_id)
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
            _cancel_locked(booking, by=Booking.CancelledBy.OPERATOR, now=now)
    return session, bookings


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
        _lock_session_of(booking_id)
        booking = Booking.objects.select_for_update(of=("self",)).select_related("session").get(pk=booking_id)
        if booking.status != Booking.Status.CONFIRMED:
            raise InvalidTransition(_("Only a confirmed booking can be marked as a no-show."))
        if booking.session.starts_at > now:
            raise InvalidTransition(_("The session has not started yet; a no-show can only be marked after."))
        # A no-show holds no seats (Booking.HOLDING_SEATS): keep the session's count equal to the bookings'.
        Session.objects.filter(pk=booking.session_id).update(seats_taken=F("seats_taken") - booking.seats)
        booking.status = Booking.Status.NO_SHOW
        booking.save(update_fields=["status"])
    return booking


class EmailSendFailed(Exception):
    """A send failed and will be retried after `retry_in` seconds."""

    def __init__(self, retry_in: int, error: Exception):
        self.retry_in = retry_in
        super().__init__(str(error))


def _called_off(booking: Booking) -> bool:
    return booking.status == Booking.Status.CANCELLED or booking.session.status == Session.Status.CANCELLED


def _backoff_seconds(attempt: int) -> int:
    return min(30 * 2 ** (attempt - 1), 3600)


def send_outgoing_email(email_id, *, now=None) -> str:
    """Send one outbox row: claim it (pending -> sending, one attempt more) atomically, send, mark it sent.

    A redelivered or duplicated task finds the row already claimed or sent and does nothing. A worker that dies
    between sending and marking leaves the row "sending": the sweep gives it another attempt, so delivery is at
    least once, at most MAX_EMAIL_ATTEMPTS times, always with the same Message-ID (emails.message_id).
    Returns "sent", "skipped", "obsolete" or "failed"; raises EmailSendFailed when a retry is scheduled.
    """
    now = now or timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now
    ).update(status=OutgoingEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    email = OutgoingEmail.objects.select_related(
        "booking__session__experience__village", "application__program__village"
    ).get(pk=email_id)
    if email.kind in VOID_WHEN_CANCELLED and email.booking and _called_off(email.booking):
        OutgoingEmail.objects.filter(pk=email_id).update(status=OutgoingEmail.Status.OBSOLETE)
        return "obsolete"
    try:
        message = emails.build_message(email)
    except Exception as error:  # noqa: BLE001 - a rendering bug must not leave the row claimed forever
        logger.exception("Email %s could not be rendered", email_id)
        OutgoingEmail.objects.filter(pk=email_id).update(
            status=OutgoingEmail.Status.FAILED, last_error=f"rendering: {type(error).__name__}: {error}"[:2000]
        )
        return "failed"
    try:
        message.send()
    except (SMTPException, OSError) as error:
        failed_for_good = email.attempts >= settings.MAX_EMAIL_ATTEMPTS
        retry_in = _backoff_seconds(email.attempts)
        OutgoingEmail.objects.filter(pk=email_id).update(
            status=OutgoingEmail.Status.FAILED if failed_for_good else OutgoingEmail.Status.PENDING,
            next_attempt_at=now + timedelta(seconds=retry_in),
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        if failed_for_good:
            logger.error("Email %s failed after %s attempts: %s", email_id, email.attempts, error)
            return "failed"
        raise EmailSendFailed(retry_in, error) from error
    OutgoingEmail.objects.filter(pk=email_id).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def retry_failed_emails(email_ids, *, now=None) -> int:
    """Give failed emails a fresh set of attempts (an operator asked, e.g. after fixing the mail server)."""
    now = now or timezone.now()
    ids = list(
        OutgoingEmail.objects.filter(pk__in=list(email_ids), status=OutgoingEmail.Status.FAILED).values_list(
            "pk", flat=True
        )
    )
    OutgoingEmail.objects.filter(pk__in=ids).update(
        status=OutgoingEmail.Status.PENDING, attempts=0, next_attempt_at=now
    )
    for email_id in ids:
        enqueue_on_commit(SEND_EMAIL_TASK, email_id)
    return len(ids)


def queue_reminders(*, now=None) -> int:
    """Write a reminder for each confirmed booking whose session starts within the next day."""
    now = now or timezone.now()
    due = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + REMINDER_AHEAD,
        session__status=Session.Status.SCHEDULED,
    ).exclude(emails__kind=OutgoingEmail.Kind.BOOKING_REMINDER)
    queued = 0
    for booking in due.iterator():
        with transaction.atomic():
            if _queue_email(booking, OutgoingEmail.Kind.BOOKING_REMINDER, now=now):
                queued += 1
    return queued


def sweep(*, now=None) -> dict:
    """Catch up on what a lost message, a dead worker or a broker outage left behind."""
    now = now or timezone.now()
    stale = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    # The claim counted the attempt; the worker died in it, perhaps after the message went out.
    stuck = "The worker stopped while sending; the message may have been delivered."
    given_up = stale.filter(attempts__gte=settings.MAX_EMAIL_ATTEMPTS)
    failed_ids = list(given_up.values_list("pk", flat=True))
    if failed_ids:
        logger.error(
            "Emails %s failed: a worker stopped while sending each of them, %s times",
            failed_ids,
            settings.MAX_EMAIL_ATTEMPTS,
        )
        given_up.filter(pk__in=failed_ids).update(status=OutgoingEmail.Status.FAILED, last_error=stuck)
    retried = stale.filter(attempts__lt=settings.MAX_EMAIL_ATTEMPTS)
    retry_ids = list(retried.values_list("pk", flat=True))
    retried.filter(pk__in=retry_ids).update(status=OutgoingEmail.Status.PENDING, next_attempt_at=now, last_error=stuck)
    for email_id in retry_ids:
        enqueue(SEND_EMAIL_TASK, email_id)
    unconfirmed = list(
        Booking.objects.filter(
            status=Booking.Status.PENDING, processed_at__isnull=True, created_at__lt=now - SWEEP_GRACE
        ).values_list("pk", flat=True)[:500]
    )
    for booking_id in unconfirmed:
        enqueue(CONFIRM_TASK, booking_id)
    due = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now - SWEEP_GRACE
        ).values_list("pk", flat=True)[:500]
    )
    for email_id in due:
        enqueue(SEND_EMAIL_TASK, email_id)
    return {
        "reclaimed": len(retry_ids),
        "failed": len(failed_ids),
        "confirmations": len(unconfirmed),
        "emails": len(due),
    }


# --- Residency applications

MIN_PROPOSAL_CHARS = 100
MAX_PROPOSAL_CHARS = 5000
MAX_SKILLS_CHARS = 1000
MAX_DECISION_MESSAGE_CHARS = 2000
MAX_STAY_MONTHS = 24

DECISION_EMAILS = {
    ResidencyApplication.Status.ACCEPTED: OutgoingEmail.Kind.APPLICATION_ACCEPTED,
    ResidencyApplication.Status.WAITLISTED: OutgoingEmail.Kind.APPLICATION_WAITLISTED,
    ResidencyApplication.Status.REJECTED: OutgoingEmail.Kind.APPLICATION_REJECTED,
}


def open_program(slug: str) -> ResidencyProgram | None:
    """The published programme with this slug, whatever its window; None if there is none."""
    return ResidencyProgram.objects.published().select_related("village").filter(slug=slug or "").first()


def _text(value, field: str, errors: dict, *, required_message, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = [required_message]
    elif len(value) > max_length:
        errors[field] = [_("At most %(max)s characters, please.") % {"max": max_length}]
    return value


def _validated_application(program: ResidencyProgram | None, raw: dict, *, now) -> dict:
    """Every rule an application must meet, with a message per field; raises InvalidApplication listing them all."""
    errors = {}
    if program is None:
        errors["program"] = [_("There is no such residency programme.")]
    elif not program.applications_open(now):
        errors["program"] = [_("This programme is not taking applications now.")]
    cleaned = {
        "name": _text(raw.get("name"), "name", errors, required_message=_("Please give your name."), max_length=100),
        "profession": _text(
            raw.get("profession"), "profession", errors, required_message=_("What is your profession?"), max_length=100
        ),
        "skills": _text(
            raw.get("skills"),
            "skills",
            errors,
            required_message=_("Tell the village which skills you bring."),
            max_length=MAX_SKILLS_CHARS,
        ),
    }
    try:
        cleaned["email"] = normalised_email(raw.get("email"))
        if len(cleaned["email"]) > ResidencyApplication._meta.get_field("email").max_length:
            raise ValidationError("too long")
    except ValidationError:
        errors["email"] = [_("Enter a valid email address.")]
    nationality = (raw.get("nationality") or "").strip().upper()
    if not is_country(nationality):
        errors["nationality"] = [_("Choose your country of nationality.")]
    cleaned["nationality"] = nationality
    portfolio_url = (raw.get("portfolio_url") or "").strip()
    if portfolio_url:
        try:
            URLValidator(schemes=["http", "https"])(portfolio_url)
            if len(portfolio_url) > ResidencyApplication._meta.get_field("portfolio_url").max_length:
                raise ValidationError("too long")
        except ValidationError:
            errors["portfolio_url"] = [_("Enter a full web address starting with https://, or leave it empty.")]
    cleaned["portfolio_url"] = portfolio_url
    proposal = (raw.get("proposal") or "").strip()
    if len(proposal) < MIN_PROPOSAL_CHARS:
        errors["proposal"] = [
            _("Tell the village a little more: at least %(min)s characters (you wrote %(count)s).")
            % {"min": MIN_PROPOSAL_CHARS, "count": len(proposal)}
        ]
    elif len(proposal) > MAX_PROPOSAL_CHARS:
        errors["proposal"] = [_("At most %(max)s characters, please.") % {"max": MAX_PROPOSAL_CHARS}]
    cleaned["proposal"] = proposal
    try:
        check_cv(raw.get("cv"))
    except ValidationError as error:
        errors["cv"] = error.messages
    if raw.get("consent") is not True:
        errors["consent"] = [_("We can only consider your application with your consent to process these details.")]
    language = raw.get("language")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose zh-hans or en.")]
    cleaned["language"] = language
    _check_stay(program, raw.get("arrival_date"), raw.get("stay_months"), errors, today=timezone.localdate(now))
    cleaned["arrival_date"], cleaned["stay_months"] = raw.get("arrival_date"), raw.get("stay_months")
    if program is not None and "email" not in errors and _has_applied(program, cleaned["email"]):
        errors["email"] = [_already_applied_message()]
    if errors:
        raise InvalidApplication(fields=errors)
    return cleaned


def _check_stay(program, arrival_date, stay_months, errors: dict, *, today: date) -> None:
    """The stay lies inside the cohort and ahead: arrival on or after its start (and not before today),
    departure on or before its end."""
    if not isinstance(arrival_date, date):
        errors["arrival_date"] = [_("When would you arrive? Enter a date.")]
    if not isinstance(stay_months, int) or not 1 <= stay_months <= MAX_STAY_MONTHS:
        errors["stay_months"] = [_("Stay between 1 and %(max)s months.") % {"max": MAX_STAY_MONTHS}]
    if program is None or "arrival_date" in errors:
        return
    cohort = {"start": date_format(program.starts_on), "end": date_format(program.ends_on)}
    if arrival_date < today:
        errors["arrival_date"] = [_("The arrival date has passed: choose a day from today on.")]
    elif not program.starts_on <= arrival_date < program.ends_on:
        errors["arrival_date"] = [_("The cohort runs from %(start)s to %(end)s: arrive within those dates.") % cohort]
    elif "stay_months" not in errors and add_months(arrival_date, stay_months) > program.ends_on:
        errors["stay_months"] = [
            ngettext(
                "A stay of %(months)s month from %(arrival)s would end after the cohort ends on %(end)s.",
                "A stay of %(months)s months from %(arrival)s would end after the cohort ends on %(end)s.",
                stay_months,
            )
            % {"months": stay_months, "arrival": date_format(arrival_date), "end": cohort["end"]}
        ]


def _has_applied(program: ResidencyProgram, email: str) -> bool:
    return ResidencyApplication.objects.filter(program=program, email__iexact=email).exists()


def _already_applied_message():
    return _(
        "This email address has already applied to this programme. "
        "The status link is in the email we sent when you applied."
    )


def apply_for_residency(*, program: str, now=None, **fields) -> ResidencyApplication:
    """Take an application to the programme with slug `program`. Refuses with InvalidApplication, writing nothing.

    `fields`: name, email, nationality, profession, skills, portfolio_url, cv (an uploaded file), arrival_date,
    stay_months, proposal, consent (True), language. The applicant and the village are emailed by the worker.
    """
    now = now or timezone.now()
    found = open_program(program)
    cleaned = _validated_application(found, fields, now=now)
    stored_cv = private_storage.save(new_cv_name(found.pk), fields["cv"])
    try:
        with transaction.atomic():
            application = _insert_application(program=found, cv=stored_cv, consent_given_at=now, **cleaned)
            _queue_email(application, OutgoingEmail.Kind.APPLICATION_SUBMITTED, now=now)
            if found.village.contact_email:
                _queue_email(
                    application,
                    OutgoingEmail.Kind.OPERATOR_NEW_APPLICATION,
                    recipient=found.village.contact_email,
                    language=settings.LANGUAGE_CODE,
                    now=now,
                )
    except BaseException:
        private_storage.delete(stored_cv)  # nothing was written, so the file goes too
        raise
    return application


def _insert_application(**fields) -> ResidencyApplication:
    """Insert with a fresh reference, retrying on a collision; a concurrent twin (same email) is refused."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return ResidencyApplication.objects.create(
                    reference=f"RA-{_random_code(7)}", token=secrets.token_urlsafe(32), **fields
                )
        except IntegrityError:
            if _has_applied(fields["program"], fields["email"]):
                raise InvalidApplication(fields={"email": [_already_applied_message()]}) from None
    raise IntegrityError("could not find a free application reference")


def _lock_application(application_id) -> tuple[ResidencyProgram, ResidencyApplication]:
    """Programme row first, then the application: every decision on a programme queues behind the others."""
    program_id = ResidencyApplication.objects.filter(pk=application_id).values_list("program_id", flat=True).first()
    if program_id is None:
        raise ResidencyApplication.DoesNotExist()
    program = lock_row(ResidencyProgram.objects.select_related("village"), program_id, ProgramBusy)
    application = ResidencyApplication.objects.select_for_update(of=("self",)).get(pk=application_id)
    return program, application


def start_review(application_id, *, now=None) -> ResidencyApplication:
    """An operator starts reading a submitted application; the applicant learns it is being reviewed."""
    now = now or timezone.now()
    with transaction.atomic():
        _program, application = _lock_application(application_id)
        if application.status == ResidencyApplication.Status.UNDER_REVIEW:
            return application
        if application.status != ResidencyApplication.Status.SUBMITTED:
            raise InvalidDecision(_("Only a submitted application can be put under review."))
        application.status = ResidencyApplication.Status.UNDER_REVIEW
        application.reviewed_at = now
        application.save(update_fields=["status", "reviewed_at"])
        _queue_email(application, OutgoingEmail.Kind.APPLICATION_UNDER_REVIEW, now=now)
    return application


def decide_application(application_id, decision: str, *, message: str = "", now=None) -> ResidencyApplication:
    """Accept, waitlist or reject, with an optional message to the applicant. Accepting takes one of the places:
    under the programme's row lock and a conditional update, so no two decisions can give the last place twice.
    Deciding the same way again changes nothing and sends nothing.
    """
    now = now or timezone.now()
    if decision not in DECISION_EMAILS:
        raise InvalidDecision()
    message = (message or "").strip()
    if len(message) > MAX_DECISION_MESSAGE_CHARS:
        raise InvalidDecision(
            fields={"message": [_("At most %(max)s characters, please.") % {"max": MAX_DECISION_MESSAGE_CHARS}]}
        )
    with transaction.atomic():
        program, application = _lock_application(application_id)
        if application.status == decision:
            return application
        if application.status not in ResidencyApplication.DECIDABLE:
            raise InvalidDecision(
                _("This application is already %(status)s.") % {"status": application.get_status_display().lower()}
            )
        if decision == ResidencyApplication.Status.ACCEPTED:
            taken = ResidencyProgram.objects.filter(pk=program.pk, places_accepted__lt=F("places")).update(
                places_accepted=F("places_accepted") + 1
            )
            if not taken:
                raise ProgramFull()
        application.status = decision
        application.decided_at = now
        application.decision_message = message
        application.reviewed_at = application.reviewed_at or now
        application.save(update_fields=["status", "decided_at", "decision_message", "reviewed_at"])
        _queue_email(application, DECISION_EMAILS[decision], now=now)
    return application


def withdraw_application(application_id, *, now=None) -> ResidencyApplication:
    """The applicant takes their application back; an accepted applicant's place goes back to the programme."""
    now = now or timezone.now()
    with transaction.atomic():
        program, application = _lock_application(application_id)
        if application.status == ResidencyApplication.Status.WITHDRAWN:
            return application
        if not application.can_withdraw:
            raise InvalidDecision(_("This application has been decided; it can no longer be withdrawn."))
        if application.status == ResidencyApplication.Status.ACCEPTED:
            ResidencyProgram.objects.filter(pk=program.pk).update(places_accepted=F("places_accepted") - 1)
        application.status = ResidencyApplication.Status.WITHDRAWN
        application.withdrawn_at = now
        application.save(update_fields=["status", "withdrawn_at"])
        _queue_email(application, OutgoingEmail.Kind.APPLICATION_WITHDRAWN, now=now)
    return application
