"""What the operators' dashboard on the admin index reads: today's and the coming week's sessions, bookings
waiting for approval, residency applications waiting for a decision and emails that could not be sent, all
limited to the user's villages.

A fixed number of queries whatever the amount of data: each list is one query with its joins.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking, OutgoingEmail, ResidencyApplication
from villages.models import Session
from villages.scoping import scoped_for

# The villages are all in Shanghai: "today" is the local day there, whatever the server's clock says.
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
UPCOMING_DAYS = 7
UPCOMING_LIMIT = 20
AWAITING_LIMIT = 20
SUBMITTED, UNDER_REVIEW = ResidencyApplication.Status.SUBMITTED, ResidencyApplication.Status.UNDER_REVIEW


@dataclass(frozen=True)
class SessionRow:
    id: int
    experience: str
    village: str
    starts_at: datetime  # in Asia/Shanghai
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
    starts_at: datetime  # in Asia/Shanghai
    adults: int
    children: int
    name: str
    created_at: datetime

    @property
    def party(self) -> int:
        return self.adults + self.children


def local_day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The start of the Shanghai day `now` falls in, and the start of the next one."""
    day = now.astimezone(LOCAL_TZ).date()
    start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
    return start, end


def _session_row(session: Session) -> SessionRow:
    experience = session.experience
    return SessionRow(
        id=session.pk,
        experience=experience.title,
        village=experience.village.name,
        starts_at=session.starts_at.astimezone(LOCAL_TZ),
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
        starts_at=session.starts_at.astimezone(LOCAL_TZ),
        adults=booking.adults,
        children=booking.children,
        name=booking.name,
        created_at=booking.created_at,
    )


def dashboard_for(user, now: datetime | None = None) -> dict:
    """The operator's day at a glance, scoped to villages_for(user); a superuser sees every village.

    Keys: today, upcoming (lists of SessionRow), awaiting_approval ({"count", "bookings": [BookingRow]}),
    new_applications ({"submitted", "under_review", "submitted_url", "under_review_url"}), failed_emails
    ({"count", "url"}).
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
    failed = scoped_for(OutgoingEmail, user).filter(status=OutgoingEmail.Status.FAILED)
    # Applications nobody has decided yet: both counts in one query.
    undecided = (
        scoped_for(ResidencyApplication, user)
        .filter(status__in=[SUBMITTED, UNDER_REVIEW])
        .aggregate(
            submitted=Count("pk", filter=Q(status=SUBMITTED)),
            under_review=Count("pk", filter=Q(status=UNDER_REVIEW)),
        )
    )
    applications_url = reverse("admin:bookings_residencyapplication_changelist")

    return {
        "now": now.astimezone(LOCAL_TZ),
        "today": [_session_row(session) for session in today],
        "upcoming": [_session_row(session) for session in upcoming],
        "awaiting_approval": {
            "count": awaiting.count(),
            "bookings": [_booking_row(booking) for booking in awaiting[:AWAITING_LIMIT]],
        },
        "new_applications": {
            "submitted": undecided["submitted"],
            "under_review": undecided["under_review"],
            "submitted_url": f"{applications_url}?status__exact={SUBMITTED}",
            "under_review_url": f"{applications_url}?status__exact={UNDER_REVIEW}",
        },
        "failed_emails": {
            "count": failed.count(),
            "url": reverse("admin:bookings_outgoingemail_changelist") + "?status__exact=failed",
        },
    }
