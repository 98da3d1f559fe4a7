"""What the operators' dashboard on the admin index reads of bookings: today's and the coming week's sessions and
the bookings waiting for approval, limited to the user's villages. (Applications and failed emails: the residency
and outbox apps' blocks of the same page.)

A fixed number of queries whatever the amount of data: each list is one query with its joins.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from bookings.models import Booking
from core.timezones import SHANGHAI
from villages.models import Session
from villages.scoping import scoped_for

UPCOMING_DAYS = 7
UPCOMING_LIMIT = 20
AWAITING_LIMIT = 20


@dataclass(frozen=True)
class SessionRow:
    id: int
    experience: str
    village: str
    starts_at: datetime  # in Shanghai time
    seats_sold: int
    seats_left: int
    capacity: int
    status: str
    status_display: str

    @property
    def is_cancelled(self) -> bool:
        return self.status == Session.Status.CANCELLED


@dataclass(frozen=True)
class BookingRow:
    id: int
    reference: str
    session: str
    session_id: int
    starts_at: datetime  # in Shanghai time
    adults: int
    children: int
    name: str
    created_at: datetime

    @property
    def party(self) -> int:
        return self.adults + self.children


def local_day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The start of the Shanghai day `now` falls in, and the start of the next one."""
    day = now.astimezone(SHANGHAI).date()
    start = datetime.combine(day, time.min, tzinfo=SHANGHAI)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=SHANGHAI)
    return start, end


def _session_row(session: Session) -> SessionRow:
    experience = session.experience
    return SessionRow(
        id=session.pk,
        experience=experience.title,
        village=experience.village.name,
        starts_at=session.starts_at.astimezone(SHANGHAI),
        seats_sold=session.seats_taken,
        seats_left=session.seats_left,
        capacity=session.capacity,
        status=session.status,
        status_display=session.get_status_display(),
    )


def _booking_row(booking: Booking) -> BookingRow:
    session = booking.session
    return BookingRow(
        id=booking.pk,
        reference=booking.reference,
        session=session.experience.title,
        session_id=session.pk,
        starts_at=session.starts_at.astimezone(SHANGHAI),
        adults=booking.adults,
        children=booking.children,
        name=booking.name,
        created_at=booking.created_at,
    )


def dashboard_for(user, now: datetime | None = None) -> dict:
    """The operator's day at a glance, scoped to villages_for(user); a superuser sees every village.

    Keys: now, today, upcoming (lists of SessionRow), awaiting_approval ({"count", "bookings": [BookingRow]}).
    """
    now = now or timezone.now()
    today_start, tomorrow_start = local_day_bounds(now)
    sessions = scoped_for(Session, user).select_related("experience__village").order_by("starts_at", "pk")

    today = sessions.filter(starts_at__gte=today_start, starts_at__lt=tomorrow_start)
    upcoming = sessions.filter(
        starts_at__gte=tomorrow_start, starts_at__lt=tomorrow_start + timedelta(days=UPCOMING_DAYS)
    )[:UPCOMING_LIMIT]

    # Pending bookings the worker has already looked at and left for the village to approve.
    awaiting = (
        scoped_for(Booking, user)
        .filter(
            status=Booking.Status.PENDING,
            session__experience__requires_approval=True,
            processed_at__isnull=False,
        )
        .select_related("session__experience")
        .order_by("created_at", "pk")
    )

    return {
        "now": now.astimezone(SHANGHAI),
        "today": [_session_row(session) for session in today],
        "upcoming": [_session_row(session) for session in upcoming],
        "awaiting_approval": {
            "count": awaiting.count(),
            "bookings": [_booking_row(booking) for booking in awaiting[:AWAITING_LIMIT]],
        },
    }
