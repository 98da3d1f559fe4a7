"""Bookings' part of personal data: the name, email, phone and notes of a booking are kept BOOKING_RETENTION_DAYS
after its session ended, then replaced by a marker; the counts, prices, status and dates stay for the village's
figures. On request they are erased at once; a booking still to come is cancelled first, and its cancellation
email sent, only when the request says so."""

from datetime import timedelta

from django.conf import settings

from bookings.models import Booking
from bookings.services import cancel_booking
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
