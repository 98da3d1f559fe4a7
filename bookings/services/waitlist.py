"""A session's waiting list: join it when the session has too few seats for the party, claim the seats offered
(offers.py makes them), leave it; the sweep passes lapsed offers on and offers seats a raised capacity made.

Locks, as everywhere: the person, then the session's row, then the entry. Every refusal is a BookingError.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.errors import AlreadyWaiting, InvalidBooking, NoSuchSession, OfferNotOpen, WaitlistNotNeeded
from bookings.models import Booking, WaitlistEntry
from bookings.selectors import seats_open_to_booking
from bookings.services.booking import CONFIRM_TASK, check_bookable, insert_booking, lock_session, price_for
from bookings.services.contacts import check_contact_limits, held_by_contact, lock_contact, validated_booking
from bookings.services.offers import offer_freed_seats, offer_when_committed
from bookings.services.seats import change_seats
from core.codes import insert_with_fresh_codes, new_token, readable_code
from outbox.dispatch import PROMPT_QUEUE, enqueue_on_commit
from outbox.models import OutgoingEmail
from outbox.services import queue_email
from villages.models import Session

Status = WaitlistEntry.Status


def join_waitlist(*, session_id, adults: int, children: int = 0, name, email, phone, language, now=None):
    """Wait for seats of a session that has too few for the party. The rules of a booking apply (the session open
    to bookings, the party, the caps per person); an email address waits once per session."""
    now = now or timezone.now()
    contact = validated_booking(
        adults=adults, children=children, name=name, email=email, phone=phone, language=language, notes=""
    )
    seats = adults + children
    try:
        with transaction.atomic():
            lock_contact(contact["email"], contact["phone"])
            held = held_by_contact(session_id, email=contact["email"], phone=contact["phone"], now=now)
            session = lock_session(session_id)
            check_bookable(session, adults=adults, children=children, now=now)
            if seats > session.capacity:
                raise InvalidBooking(
                    fields={
                        "adults": [_("This session has %(capacity)s seats in all.") % {"capacity": session.capacity}]
                    }
                )
            if seats_open_to_booking(session) >= seats:
                raise WaitlistNotNeeded()
            if _waiting(session, contact["email"]).exists():
                raise AlreadyWaiting()
            check_contact_limits(held, most_seats=session.experience.max_party_size, seats=seats)
            entry = insert_with_fresh_codes(
                lambda: WaitlistEntry.objects.create(
                    reference=f"WL-{readable_code(6)}",
                    token=new_token(),
                    session=session,
                    adults=adults,
                    children=children,
                    name=contact["name"],
                    email=contact["email"],
                    phone=contact["phone"],
                    language=contact["language"],
                    privacy_version=settings.PRIVACY_VERSION,
                ),
                on_conflict=lambda: _refuse_a_twin(session, contact["email"]),
            )
            queue_email(entry, OutgoingEmail.Kind.WAITLIST_JOINED, now=now)
    except Session.DoesNotExist as error:
        raise NoSuchSession() from error
    return entry


def _waiting(session, email):
    return WaitlistEntry.objects.filter(session=session, email__iexact=email, status__in=WaitlistEntry.ACTIVE)


def _refuse_a_twin(session, email):
    if _waiting(session, email).exists():
        raise AlreadyWaiting()


def _locked(entry_id) -> tuple[Session, WaitlistEntry]:
    session_id = WaitlistEntry.objects.filter(pk=entry_id).values_list("session_id", flat=True).get()
    session = lock_session(session_id)
    return session, WaitlistEntry.objects.select_for_update().get(pk=entry_id)


def _release(session: Session, entry: WaitlistEntry, status: str, now) -> None:
    """Close an offered entry; its held seats go back, for the worker to offer to the next entries that fit."""
    change_seats(session.pk, -entry.seats)
    entry.status, entry.closed_at = status, now
    entry.save(update_fields=["status", "closed_at"])
    offer_when_committed(session.pk)


def claim_offer(entry_id, *, now=None) -> Booking:
    """Turn the seats offered into a booking (confirmed by the worker, and emailed, as any other). Claiming twice
    gives the same booking."""
    now = now or timezone.now()
    entry = WaitlistEntry.objects.get(pk=entry_id)
    with transaction.atomic():
        lock_contact(entry.email, entry.phone)
        held = held_by_contact(entry.session_id, email=entry.email, phone=entry.phone, now=now)
        session, entry = _locked(entry_id)
        if entry.status == Status.BOOKED:
            return entry.booking
        if entry.status != Status.OFFERED or entry.offer_expires_at <= now:
            raise OfferNotOpen()
        # The seats are already counted as taken: they were held for this entry.
        check_contact_limits(held, most_seats=session.experience.max_party_size, seats=entry.seats)
        booking = insert_booking(
            session=session,
            adults=entry.adults,
            children=entry.children,
            total_price=price_for(session, entry.adults, entry.children),
            name=entry.name,
            email=entry.email,
            phone=entry.phone,
            language=entry.language,
            privacy_version=entry.privacy_version,
        )
        entry.status, entry.booking, entry.closed_at = Status.BOOKED, booking, now
        entry.save(update_fields=["status", "booking", "closed_at"])
        enqueue_on_commit(CONFIRM_TASK, booking.pk, queue=PROMPT_QUEUE)
    return booking


def leave_waitlist(entry_id, *, now=None) -> WaitlistEntry:
    """Leave the list; seats offered and not claimed go to the next entries. Leaving twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        session, entry = _locked(entry_id)
        if entry.status == Status.OFFERED:
            _release(session, entry, Status.LEFT, now)
        elif entry.status == Status.WAITING:
            entry.status, entry.closed_at = Status.LEFT, now
            entry.save(update_fields=["status", "closed_at"])
        elif entry.status != Status.LEFT:
            raise OfferNotOpen(_("This entry has been booked or has lapsed; there is nothing to leave."))
    return entry


def sweep_waitlists(*, now=None) -> dict:
    """The beat's part: lapse offers past their time (their holders are told, the seats go on), and offer seats that
    are free while entries wait (a capacity raised in the admin, a message the broker lost)."""
    now = now or timezone.now()
    lapsed = 0
    expired = WaitlistEntry.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
    for entry_id in expired.values_list("pk", flat=True):
        with transaction.atomic():
            session, entry = _locked(entry_id)
            if entry.status == Status.OFFERED and entry.offer_expires_at <= now:
                _release(session, entry, Status.LAPSED, now)
                queue_email(entry, OutgoingEmail.Kind.WAITLIST_OFFER_LAPSED, now=now)
                lapsed += 1
    waiting_with_room = Session.objects.filter(
        waitlist__status=Status.WAITING,
        seats_taken__lt=F("capacity"),
        status=Session.Status.SCHEDULED,
        starts_at__gt=now,
    ).values_list("pk", flat=True)
    offered = sum(len(offer_freed_seats(session_id, now=now)) for session_id in set(waiting_with_room))
    return {"lapsed": lapsed, "offered": offered, "closed": close_started_waitlists(now=now)}


def close_started_waitlists(*, now) -> int:
    """Entries still active when their session has begun will get no seats: closed as lapsed, without an email
    (an offer there is one the sweep missed; its held seats go back, so the count stays the bookings')."""
    closed = 0
    started = WaitlistEntry.objects.filter(status__in=WaitlistEntry.ACTIVE, session__starts_at__lte=now)
    for session_id in set(started.values_list("session_id", flat=True)):
        with transaction.atomic():
            lock_session(session_id)
            entries = list(started.filter(session_id=session_id).select_for_update())
            held = sum(entry.seats for entry in entries if entry.status == Status.OFFERED)
            if held:
                change_seats(session_id, -held)
            closed += WaitlistEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(
                status=Status.LAPSED, closed_at=now
            )
    return closed


def close_waitlist(session: Session, *, now) -> list[WaitlistEntry]:
    """A session called off: nobody waits for it any more. Seats held for offers go back with the bookings', and
    each entry is told. The caller holds the session's lock."""
    active = list(WaitlistEntry.objects.select_for_update().filter(session=session, status__in=WaitlistEntry.ACTIVE))
    held = sum(entry.seats for entry in active if entry.status == Status.OFFERED)
    if held:
        change_seats(session.pk, -held)
    for entry in active:
        entry.status, entry.closed_at = Status.LAPSED, now
        entry.save(update_fields=["status", "closed_at"])
        queue_email(entry, OutgoingEmail.Kind.WAITLIST_CLOSED, now=now)
    return active
