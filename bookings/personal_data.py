"""Bookings' part of personal data: the name, email, phone and notes of a booking are kept BOOKING_RETENTION_DAYS
after its session ended, then replaced by a marker; the counts, prices, status and dates stay for the village's
figures. On request they are erased at once; a booking still to come is cancelled first, and its cancellation
email sent, only when the request says so.

Waiting-list entries: their details serve nothing once the session is over, so they are replaced at its end; an
erasure takes an active entry off its list first, only when the request says so."""

from datetime import timedelta

from django.conf import settings

from bookings.models import Booking, WaitlistEntry
from bookings.services import cancel_booking, close_started_waitlists, leave_waitlist
from core.personal_data import ERASED, Holder, erased_address
from outbox.models import OutgoingEmail
from outbox.services import send_outgoing_email


def _anonymise(rows, now) -> int:
    return rows.update(
        name=ERASED, email=erased_address("booking"), phone=ERASED, notes="", personal_data_removed_at=now
    )


def purge(now, dry_run: bool) -> int:
    rows = Booking.objects.filter(
        personal_data_removed_at__isnull=True,
        session__ends_at__lt=now - timedelta(days=settings.BOOKING_RETENTION_DAYS),
    )
    return rows.count() if dry_run else _anonymise(rows, now)


def _of(email: str):
    return Booking.objects.filter(email__iexact=email, personal_data_removed_at__isnull=True)


def _still_to_come(email: str, now):
    return _of(email).filter(status__in=Booking.CANCELLABLE, session__starts_at__gt=now).select_related("session")


def export(email: str) -> list[dict]:
    bookings = _of(email).select_related("session__experience__village").order_by("created_at", "pk")
    return [
        {
            "reference": booking.reference,
            "status": booking.status,
            "village": booking.session.experience.village.name,
            "experience": booking.session.experience.title,
            "session_starts_at": booking.session.starts_at.isoformat(),
            "adults": booking.adults,
            "children": booking.children,
            "total_price_cny": str(booking.total_price),
            "name": booking.name,
            "email": booking.email,
            "phone": booking.phone,
            "notes": booking.notes,
            "language": booking.language,
            "booked_at": booking.created_at.isoformat(),
            "privacy_notice_version": booking.privacy_version,
        }
        for booking in bookings
    ]


def upcoming(email: str, now) -> list[str]:
    return [
        f"booking {booking.reference} on {booking.session.starts_at:%Y-%m-%d}" for booking in _still_to_come(email, now)
    ]


def erase(email: str, now, cancel_upcoming: bool) -> int:
    if cancel_upcoming:
        for booking in _still_to_come(email, now):
            cancel_booking(booking.pk, by=Booking.CancelledBy.OPERATOR, now=now)
            # The visitor learns of it before their address is gone: sent now, not by the worker later.
            cancellation = booking.emails.filter(kind=OutgoingEmail.Kind.BOOKING_CANCELLED).first()
            if cancellation is not None:
                send_outgoing_email(cancellation.pk, now=now)
    return _anonymise(_of(email), now)


HOLDER = Holder(name="bookings", purge=purge, export=export, upcoming=upcoming, erase=erase)


def _anonymise_entries(rows, now) -> int:
    return rows.update(name=ERASED, email=erased_address("waitlist"), phone=ERASED, personal_data_removed_at=now)


def purge_entries(now, dry_run: bool) -> int:
    rows = WaitlistEntry.objects.filter(personal_data_removed_at__isnull=True, session__ends_at__lt=now)
    if dry_run:
        return rows.count()
    close_started_waitlists(now=now)  # closed first: an active entry's address is its list's to keep unique
    return _anonymise_entries(rows, now)


def _entries_of(email: str):
    return WaitlistEntry.objects.filter(email__iexact=email, personal_data_removed_at__isnull=True)


def _entries_to_come(email: str, now):
    return _entries_of(email).filter(status__in=WaitlistEntry.ACTIVE, session__starts_at__gt=now)


def export_entries(email: str) -> list[dict]:
    entries = _entries_of(email).select_related("session__experience__village", "booking").order_by("created_at", "pk")
    return [
        {
            "reference": entry.reference,
            "status": entry.status,
            "village": entry.session.experience.village.name,
            "experience": entry.session.experience.title,
            "session_starts_at": entry.session.starts_at.isoformat(),
            "adults": entry.adults,
            "children": entry.children,
            "name": entry.name,
            "email": entry.email,
            "phone": entry.phone,
            "language": entry.language,
            "joined_at": entry.created_at.isoformat(),
            "booking": entry.booking.reference if entry.booking else None,
            "privacy_notice_version": entry.privacy_version,
        }
        for entry in entries
    ]


def upcoming_entries(email: str, now) -> list[str]:
    return [
        f"waiting-list entry {entry.reference} for {entry.session.starts_at:%Y-%m-%d}"
        for entry in _entries_to_come(email, now).select_related("session")
    ]


def erase_entries(email: str, now, cancel_upcoming: bool) -> int:
    if cancel_upcoming:
        for entry in _entries_to_come(email, now):
            leave_waitlist(entry.pk, now=now)
    close_started_waitlists(now=now)
    # Closed entries only: an active one keeps its address, which its list's uniqueness needs.
    return _anonymise_entries(_entries_of(email).exclude(status__in=WaitlistEntry.ACTIVE), now)


WAITLIST_HOLDER = Holder(
    name="waitlist_entries", purge=purge_entries, export=export_entries, upcoming=upcoming_entries, erase=erase_entries
)
