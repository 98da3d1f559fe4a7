"""Reads of bookings: the seats a waiting list is owed and what is left to book, where an entry stands, where a
booking can be moved; and what the operators' dashboard on the admin index shows (today's and the coming week's
sessions, the bookings waiting for approval, limited to the user's villages; applications and failed emails are
the residency and outbox apps' blocks of the same page).

The dashboard costs a fixed number of queries whatever the amount of data: each list is one query with its joins.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from bookings.models import Booking, WaitlistEntry
from core.timezones import SHANGHAI
from live.models import LiveStream
from villages.models import Session
from villages.scoping import scoped_for

UPCOMING_DAYS = 7
UPCOMING_LIMIT = 20
AWAITING_LIMIT = 20
STREAMS_LIMIT = 10


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
    waiting: int  # parties on the waiting list, offered seats or not

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


def waiting_entries(session: Session):
    """The session's waiting entries not yet offered seats, in the list's order."""
    return WaitlistEntry.objects.filter(session=session, status=WaitlistEntry.Status.WAITING).order_by(
        "created_at", "pk"
    )


def entries_owed(session: Session, waiting) -> list[WaitlistEntry]:
    """The waiting entries the session's free seats go to: in the list's order, each whose whole party fits in what
    is still free after the earlier ones; an entry that does not fit keeps its place and lets smaller ones past."""
    free, owed = session.seats_left, []
    for entry in waiting:
        if free <= 0:
            break
        if entry.seats <= free:
            owed.append(entry)
            free -= entry.seats
    return owed


def seats_open_to_booking(session: Session) -> int:
    """Seats a new booking (or a booking moved in) may take: those left, less those owed to the waiting list."""
    if not session.seats_left:
        return 0
    owed = entries_owed(session, waiting_entries(session).only("adults", "children"))
    return session.seats_left - sum(entry.seats for entry in owed)


def session_with_waiting_flag(session_id) -> Session:
    """The session's row as it is now, with `has_waiting`: whether its waiting list has entries not yet offered seats
    (only then can seats be owed to it). One statement, written out: the booking service reads it while it holds the
    session's lock, where the ORM's compiling of an Exists() would cost more than the query."""
    sql = (
        f"SELECT session.*, EXISTS (SELECT 1 FROM {WaitlistEntry._meta.db_table} entry"
        " WHERE entry.session_id = session.id AND entry.status = %s) AS has_waiting"
        f" FROM {Session._meta.db_table} session WHERE session.id = %s"
    )
    return Session.objects.raw(sql, [WaitlistEntry.Status.WAITING, session_id])[0]


def waitlist_position(entry: WaitlistEntry) -> int | None:
    """1 for the next entry to be offered seats; None once the entry is no longer waiting."""
    if entry.status != WaitlistEntry.Status.WAITING:
        return None
    ahead = waiting_entries(entry.session).filter(
        Q(created_at__lt=entry.created_at) | Q(created_at=entry.created_at, pk__lt=entry.pk)
    )
    return ahead.count() + 1


def sessions_to_move_to(booking: Booking, *, now=None, limit=None) -> list[Session]:
    """The experience's other sessions the booking's party could be moved to now, soonest first."""
    now = now or timezone.now()
    experience = booking.session.experience
    candidates = (
        Session.objects.filter(
            experience=experience,
            status=Session.Status.SCHEDULED,
            starts_at__gt=now,
            seats_taken__lte=F("capacity") - booking.seats,
        )
        .exclude(pk=booking.session_id)
        .select_related("experience")
        .order_by("starts_at", "pk")
    )
    found = []
    for session in candidates.iterator(chunk_size=50):
        open_now = now < experience.bookings_close_at(session.starts_at) and session.in_season
        if open_now and seats_open_to_booking(session) >= booking.seats:
            found.append(session)
            if limit and len(found) == limit:
                break
    return found


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
        waiting=session.waiting,
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

    Keys: now, waiting (parties on the waiting lists of sessions to come), today, upcoming (lists of SessionRow),
    awaiting_approval ({"count", "bookings": [BookingRow]}).
    """
    now = now or timezone.now()
    today_start, tomorrow_start = local_day_bounds(now)
    sessions = (
        scoped_for(Session, user)
        .select_related("experience__village")
        .annotate(waiting=Count("waitlist", filter=Q(waitlist__status__in=WaitlistEntry.ACTIVE)))
        .order_by("starts_at", "pk")
    )

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

    waiting = scoped_for(WaitlistEntry, user).filter(status__in=WaitlistEntry.ACTIVE, session__starts_at__gt=now)

    return {
        "now": now.astimezone(SHANGHAI),
        "waiting": waiting.count(),
        "today": [_session_row(session) for session in today],
        "upcoming": [_session_row(session) for session in upcoming],
        "streams": stream_sales(user, now),
        "awaiting_approval": {
            "count": awaiting.count(),
            "bookings": [_booking_row(booking) for booking in awaiting[:AWAITING_LIMIT]],
        },
    }


@dataclass(frozen=True)
class StreamRow:
    id: int
    title: str
    village: str
    starts_at: datetime  # in Shanghai time
    status_display: str
    bookings: int  # bookings made from the stream's page, not cancelled
    seats: int


def stream_sales(user, now: datetime | None = None) -> list[StreamRow]:
    """What the user's villages' streams (live, coming up or of the last 30 days) brought in: two queries."""
    now = now or timezone.now()
    streams = list(
        scoped_for(LiveStream, user)
        .in_feeds(now)
        .select_related("village")
        .order_by("-starts_at", "-pk")[:STREAMS_LIMIT]
    )
    sales = {
        row["source"]: row
        for row in Booking.objects.filter(source__in=[stream.source for stream in streams])
        .exclude(status=Booking.Status.CANCELLED)
        .values("source")
        .annotate(bookings=Count("pk"), seats=Sum(F("adults") + F("children")))
    }
    return [
        StreamRow(
            id=stream.pk,
            title=stream.title,
            village=stream.village.name,
            starts_at=stream.starts_at.astimezone(SHANGHAI),
            status_display=stream.get_status_display(),
            bookings=sales.get(stream.source, {}).get("bookings", 0),
            seats=sales.get(stream.source, {}).get("seats", 0),
        )
        for stream in streams
    ]
