"""A session's waiting list: joining it, the seats a cancellation frees offered in the list's order and held, the
offer claimed, left or lapsed, the booking cut-off, a session called off, the races, personal data and the admin.

No worker runs here: where the worker would offer freed seats, the test calls services.offer_freed_seats itself.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from bookings import services
from bookings.errors import (
    AlreadyWaiting,
    BookingError,
    BookingsClosed,
    ContactLimitReached,
    InvalidBooking,
    NoSuchSession,
    NotEnoughSeats,
    OfferNotOpen,
    SoldOut,
    WaitlistNotNeeded,
)
from bookings.models import Booking, WaitlistEntry
from bookings.selectors import seats_open_to_booking, waitlist_position
from core import personal_data
from outbox.messages import build_message
from outbox.models import OutgoingEmail
from tests.conftest import service_missing
from tests.factories import ExperienceFactory, SessionFactory, VillageFactory, make_booking, make_operator, new_contact
from tests.html import Rows
from tests.racing import race
from villages.models import Session

pytestmark = pytest.mark.django_db

Kind = OutgoingEmail.Kind
Status = WaitlistEntry.Status
ENTRIES = "admin:bookings_waitlistentry_changelist"
SESSIONS = "admin:villages_session_changelist"
FULL = {SoldOut: "sold out"}  # NotEnoughSeats is a SoldOut too


def fresh(obj):
    obj.refresh_from_db()
    return obj


def fill(session, party=2) -> list[Booking]:
    """Book the whole session with parties of `party`, each by someone else."""
    return [make_booking(session, adults=party) for _ in range(session.capacity // party)]


def join(session, adults=2, children=0, **details) -> WaitlistEntry:
    """Join the session's waiting list as someone nobody used yet, unless `details` say who."""
    return services.join_waitlist(
        session_id=session.pk, adults=adults, children=children, **{"name": "排队的人", **new_contact(), **details}
    )


def cancel(booking):
    return services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR)


def statuses(*entries) -> list[str]:
    return [fresh(entry).status for entry in entries]


def seats_add_up(session) -> int:
    """The session's count of seats taken is exactly the seats of its bookings holding seats plus those held for
    offers, and never more than its capacity. Returns the count."""
    session.refresh_from_db()
    booked = sum(booking.seats for booking in Booking.objects.filter(session=session, status__in=Booking.HOLDING_SEATS))
    held = sum(entry.seats for entry in WaitlistEntry.objects.filter(session=session, status=Status.OFFERED))
    assert session.seats_taken == booked + held, (session.seats_taken, booked, held)
    assert session.seats_taken <= session.capacity
    return session.seats_taken


def emails(kind, **about):
    return OutgoingEmail.objects.filter(kind=kind, **about)


@pytest.fixture
def full_session(bookable_session):
    """The fixture's session (10 seats) booked full by five parties of two."""
    bookings = fill(bookable_session)
    assert fresh(bookable_session).seats_left == 0
    bookable_session.bookings_made = bookings
    return bookable_session


# --- Joining


def test_visitors_join_a_full_session_in_order_and_each_is_told_their_place(full_session, visitor):
    first = join(full_session, **visitor)
    second = join(full_session, adults=1, children=1)

    assert (first.status, second.status) == (Status.WAITING, Status.WAITING)
    assert first.reference.startswith("WL-") and len(first.reference) == 9
    assert first.reference != second.reference and first.token != second.token and len(first.token) >= 32
    assert (waitlist_position(first), waitlist_position(second)) == (1, 2)
    assert (first.name, first.email, first.phone) == (visitor["name"], visitor["email"], "+8613800138000")
    assert second.seats == 2
    joined = emails(Kind.WAITLIST_JOINED)
    assert sorted(joined.values_list("waitlist_entry", "recipient", "language")) == sorted(
        [(first.pk, visitor["email"], "zh-hans"), (second.pk, second.email, "zh-hans")]
    )
    assert fresh(full_session).seats_taken == 10  # waiting takes no seat


def test_joining_is_refused_while_the_session_has_enough_seats_for_the_party(bookable_session):
    make_booking(bookable_session, adults=8)
    with pytest.raises(WaitlistNotNeeded) as raised:
        join(bookable_session, adults=2)
    assert raised.value.http_status == 409
    assert not WaitlistEntry.objects.exists() and not emails(Kind.WAITLIST_JOINED).exists()

    # A party larger than the seats left may wait for more.
    assert join(bookable_session, adults=3).status == Status.WAITING


def test_an_email_address_waits_once_per_session_whatever_its_letter_case(full_session, visitor):
    join(full_session, **visitor)
    with pytest.raises(AlreadyWaiting) as raised:
        join(full_session, adults=1, **{**visitor, "email": visitor["email"].upper(), "phone": "13900000001"})
    assert raised.value.http_status == 409
    assert WaitlistEntry.objects.count() == 1

    # Another session of the same experience is another list.
    other = SessionFactory(experience=full_session.experience)
    fill(other)
    assert join(other, **visitor).status == Status.WAITING


def test_whoever_left_the_list_may_join_it_again_at_its_end(full_session, visitor):
    entry = join(full_session, **visitor)
    ahead = join(full_session)
    services.leave_waitlist(entry.pk)
    again = join(full_session, **visitor)
    assert again.pk != entry.pk and fresh(entry).status == Status.LEFT
    assert (waitlist_position(fresh(ahead)), waitlist_position(again)) == (1, 2)


def test_joining_follows_the_booking_rules(full_session, visitor):
    with pytest.raises(NoSuchSession) as raised:
        services.join_waitlist(session_id=999999, adults=1, **visitor)
    assert raised.value.http_status == 400
    with pytest.raises(InvalidBooking) as raised:
        join(full_session, **{**visitor, "email": "not an address"})
    assert set(raised.value.fields) == {"email"}
    with pytest.raises(InvalidBooking) as raised:
        join(full_session, adults=11)
    assert set(raised.value.fields) == {"adults"}
    unpublished = SessionFactory(experience=ExperienceFactory(village=full_session.experience.village))
    fill(unpublished)
    unpublished.experience.is_published = False
    unpublished.experience.save()
    with pytest.raises(NoSuchSession):
        join(unpublished)
    assert not WaitlistEntry.objects.exists()


def test_one_person_may_not_wait_for_more_seats_than_one_person_may_hold_in_a_session(full_session, visitor):
    # The visitor already holds 8 of the session's seats (max_party_size is 10).
    for booking in full_session.bookings_made[:4]:
        services.cancel_booking(booking.pk, by=Booking.CancelledBy.OPERATOR)
    make_booking(full_session, adults=8, **visitor)
    assert fresh(full_session).seats_left == 0

    with pytest.raises(ContactLimitReached) as raised:
        join(full_session, adults=3, **{**visitor, "email": visitor["email"].upper()})
    assert (raised.value.http_status, raised.value.limit) == (409, "seats_per_session")
    assert not WaitlistEntry.objects.exists()
    assert join(full_session, adults=2, **visitor).status == Status.WAITING


def test_a_party_larger_than_the_whole_session_cannot_wait_for_it(village):
    """Six people may book together (max_party_size 10), but this session has four seats in all: no seat the list
    could ever offer would fit them, so they should be told now rather than wait until the session starts."""
    small = SessionFactory(experience=ExperienceFactory(village=village), capacity=4)
    make_booking(small, adults=4)
    with pytest.raises(BookingError):
        join(small, adults=6)
    assert not WaitlistEntry.objects.exists()


def test_a_person_with_as_many_upcoming_bookings_as_allowed_cannot_join_a_list(settings, full_session, visitor):
    settings.MAX_ACTIVE_BOOKINGS_PER_CONTACT = 1
    make_booking(SessionFactory(), adults=1, **visitor)
    with pytest.raises(ContactLimitReached) as raised:
        join(full_session, **visitor)
    assert raised.value.limit == "upcoming_bookings"
    assert not WaitlistEntry.objects.exists()


# --- Seats freed go to the list first


def test_a_cancellation_offers_the_seats_to_the_first_party_only_and_holds_them(full_session):
    first, second = join(full_session), join(full_session)
    now = timezone.now().replace(microsecond=0)
    cancel(full_session.bookings_made[0])

    assert services.offer_freed_seats(full_session.pk, now=now) == [first]
    assert statuses(first, second) == [Status.OFFERED, Status.WAITING]
    assert first.offered_at == now and first.offer_expires_at == now + timedelta(minutes=120)
    assert waitlist_position(second) == 1
    assert seats_add_up(full_session) == 10  # the two seats are held for the first party
    with pytest.raises(SoldOut):
        make_booking(full_session, adults=1)
    [offer] = emails(Kind.WAITLIST_OFFER)
    assert (offer.waitlist_entry_id, offer.recipient) == (first.pk, first.email)

    # The worker running twice (a redelivered message) offers nothing more.
    assert services.offer_freed_seats(full_session.pk, now=now) == []
    assert emails(Kind.WAITLIST_OFFER).count() == 1 and fresh(full_session).seats_taken == 10


def test_how_long_an_offer_is_held_is_a_setting(settings, full_session):
    settings.WAITLIST_OFFER_MINUTES = 30
    entry = join(full_session)
    cancel(full_session.bookings_made[0])
    now = timezone.now()
    services.offer_freed_seats(full_session.pk, now=now)
    assert fresh(entry).offer_expires_at == now + timedelta(minutes=30)


def test_the_offer_email_names_the_party_the_claim_link_and_until_when(full_session):
    entry = join(full_session, adults=1, children=1, language="en")
    cancel(full_session.bookings_made[0])
    services.offer_freed_seats(full_session.pk)
    message = build_message(emails(Kind.WAITLIST_OFFER).get())
    assert message.to == [entry.email]
    assert entry.reference in message.subject
    with translation.override("en"):
        assert fresh(entry).get_absolute_url() in message.body  # the claim page, in the visitor's language
    assert "Claim them by" in message.body and "¥136.00" in message.body  # 88 + 48
    assert "1 adult, 1 child" in message.body


def test_seats_freed_are_not_for_sale_before_the_worker_has_offered_them(full_session):
    entry = join(full_session)
    cancel(full_session.bookings_made[0])
    assert fresh(full_session).seats_left == 2
    assert seats_open_to_booking(full_session) == 0
    with pytest.raises(SoldOut):
        make_booking(full_session, adults=1)
    with pytest.raises(SoldOut):
        make_booking(full_session, adults=2)
    # Nobody can jump the queue by joining either: a newcomer goes behind.
    newcomer = join(full_session, adults=1)
    assert waitlist_position(newcomer) == 2
    assert fresh(entry).status == Status.WAITING and Booking.objects.filter(session=full_session).count() == 5


def test_seats_beyond_what_the_list_is_owed_can_be_booked_at_once(full_session):
    join(full_session, adults=1)
    cancel(full_session.bookings_made[0])
    assert seats_open_to_booking(fresh(full_session)) == 1
    with pytest.raises(NotEnoughSeats):
        make_booking(full_session, adults=2)
    make_booking(full_session, adults=1)
    with pytest.raises(SoldOut):
        make_booking(full_session, adults=1)


def test_a_party_that_does_not_fit_keeps_its_place_while_a_smaller_party_behind_it_is_offered(full_session):
    big = join(full_session, adults=4)
    small = join(full_session, adults=2)
    cancel(full_session.bookings_made[0])

    assert services.offer_freed_seats(full_session.pk) == [small]
    assert statuses(big, small) == [Status.WAITING, Status.OFFERED]
    assert waitlist_position(big) == 1
    assert not emails(Kind.WAITLIST_OFFER, waitlist_entry=big).exists()

    # Four seats free later: the big party, still first, gets them.
    cancel(full_session.bookings_made[1])
    cancel(full_session.bookings_made[2])
    assert services.offer_freed_seats(full_session.pk) == [big]
    assert seats_add_up(full_session) == 10


def test_free_seats_go_to_each_party_in_turn_that_fits_in_what_is_left(full_session):
    first = join(full_session, adults=2)
    second = join(full_session, adults=2)
    third = join(full_session, adults=1)
    fourth = join(full_session, adults=1)
    cancel(full_session.bookings_made[0])
    services.cancel_booking(full_session.bookings_made[1].pk, by=Booking.CancelledBy.OPERATOR)
    Session.objects.filter(pk=full_session.pk).update(capacity=9)  # three seats free

    assert [entry.pk for entry in services.offer_freed_seats(full_session.pk)] == [first.pk, third.pk]
    assert statuses(first, second, third, fourth) == [Status.OFFERED, Status.WAITING, Status.OFFERED, Status.WAITING]
    assert seats_add_up(full_session) == 9


# --- Claiming


def test_a_claimed_offer_becomes_a_booking_without_counting_its_seats_twice(full_session):
    full_session.adult_price_override = Decimal("100.00")
    full_session.save()
    entry = join(full_session, adults=1, children=1, language="en")
    cancel(full_session.bookings_made[0])
    services.offer_freed_seats(full_session.pk)

    booking = services.claim_offer(entry.pk)

    entry = fresh(entry)
    assert (entry.status, entry.booking_id) == (Status.BOOKED, booking.pk) and entry.closed_at is not None
    assert (booking.session_id, booking.adults, booking.children) == (full_session.pk, 1, 1)
    assert (booking.name, booking.email, booking.phone, booking.language) == (
        entry.name,
        entry.email,
        entry.phone,
        "en",
    )
    assert booking.status == Booking.Status.PENDING and booking.total_price == Decimal("148.00")
    assert seats_add_up(full_session) == 10
    assert services.claim_offer(entry.pk) == booking  # a second click
    assert Booking.objects.filter(session=full_session).count() == 6

    services.confirm_booking(booking.pk)
    [confirmation] = emails(Kind.BOOKING_CONFIRMED, booking=booking)
    assert confirmation.recipient == entry.email
    assert fresh(booking).status == Booking.Status.CONFIRMED


def test_there_is_nothing_to_claim_before_an_offer_or_after_it_ran_out(full_session):
    waiting = join(full_session)
    with pytest.raises(OfferNotOpen) as raised:
        services.claim_offer(waiting.pk)
    assert raised.value.http_status == 409

    cancel(full_session.bookings_made[0])
    now = timezone.now()
    services.offer_freed_seats(full_session.pk, now=now)
    expired = fresh(waiting).offer_expires_at
    with pytest.raises(OfferNotOpen):  # the sweep has not lapsed it yet: too late all the same
        services.claim_offer(waiting.pk, now=expired)
    assert fresh(waiting).status == Status.OFFERED and waiting.booking_id is None
    assert Booking.objects.filter(session=full_session).count() == 5
    assert services.claim_offer(waiting.pk, now=expired - timedelta(seconds=1)).status == Booking.Status.PENDING


# --- Lapsing, leaving


def test_an_offer_not_claimed_in_time_lapses_the_holder_is_told_and_the_next_party_is_offered(full_session):
    first, second = join(full_session), join(full_session)
    cancel(full_session.bookings_made[0])
    services.offer_freed_seats(full_session.pk)
    expiry = fresh(first).offer_expires_at

    assert services.sweep_waitlists(now=expiry - timedelta(minutes=1)) == {"lapsed": 0, "offered": 0, "closed": 0}
    assert statuses(first, second) == [Status.OFFERED, Status.WAITING]

    later = expiry + timedelta(minutes=1)
    assert services.sweep_waitlists(now=later) == {"lapsed": 1, "offered": 1, "closed": 0}
    assert fresh(first).status == Status.LAPSED and first.closed_at == later
    [lapsed] = emails(Kind.WAITLIST_OFFER_LAPSED)
    assert (lapsed.waitlist_entry_id, lapsed.recipient) == (first.pk, first.email)
    assert services.offer_freed_seats(full_session.pk, now=later) == []  # the worker comes second: nothing left
    assert fresh(second).status == Status.OFFERED and second.offer_expires_at == later + timedelta(minutes=120)
    assert emails(Kind.WAITLIST_OFFER, waitlist_entry=second).count() == 1
    assert seats_add_up(full_session) == 10
    with pytest.raises(OfferNotOpen):
        services.claim_offer(first.pk, now=later)

    # Sweeping again changes nothing.
    assert services.sweep_waitlists(now=later) == {"lapsed": 0, "offered": 0, "closed": 0}
    assert emails(Kind.WAITLIST_OFFER_LAPSED).count() == 1


def test_a_lapsed_offer_with_nobody_behind_gives_the_seats_back_for_sale(full_session):
    entry = join(full_session)
    cancel(full_session.bookings_made[0])
    services.offer_freed_seats(full_session.pk)
    services.sweep_waitlists(now=fresh(entry).offer_expires_at)
    assert fresh(entry).status == Status.LAPSED
    assert seats_add_up(full_session) == 8
    assert make_booking(full_session, adults=2).status == Booking.Status.PENDING


def test_leaving_while_offered_releases_the_seats_to_the_next_party(full_session):
    first, second = join(full_session), join(full_session)
    cancel(full_session.bookings_made[0])
    services.offer_freed_seats(full_session.pk)

    left = services.leave_waitlist(first.pk)
    assert left.status == Status.LEFT and fresh(first).closed_at is not None
    assert seats_add_up(full_session) == 8
    assert seats_open_to_booking(full_session) == 0  # owed to the second party until the worker offers them
    assert services.offer_freed_seats(full_session.pk) == [second]
    assert seats_add_up(full_session) == 10
    assert services.leave_waitlist(first.pk).status == Status.LEFT  # leaving twice is harmless
    assert seats_add_up(full_session) == 10


def test_leaving_a_waiting_place_moves_everyone_behind_up(full_session):
    first, second, third = join(full_session), join(full_session), join(full_session)
    services.leave_waitlist(first.pk)
    assert (waitlist_position(fresh(first)), waitlist_position(second), waitlist_position(third)) == (None, 1, 2)
    assert fresh(full_session).seats_taken == 10


def test_a_booked_or_lapsed_entry_cannot_be_left(full_session):
    booked, lapsed = join(full_session), join(full_session)
    cancel(full_session.bookings_made[0])
    cancel(full_session.bookings_made[1])
    services.offer_freed_seats(full_session.pk)
    services.claim_offer(booked.pk)
    services.sweep_waitlists(now=fresh(lapsed).offer_expires_at)
    for entry in (booked, lapsed):
        with pytest.raises(OfferNotOpen):
            services.leave_waitlist(entry.pk)
    assert statuses(booked, lapsed) == [Status.BOOKED, Status.LAPSED]


def test_a_raised_capacity_is_offered_to_the_list_by_the_sweep(full_session):
    first, second, third = join(full_session), join(full_session), join(full_session)
    Session.objects.filter(pk=full_session.pk).update(capacity=14)
    with pytest.raises(SoldOut):  # owed to the list, even before the sweep has run
        make_booking(full_session, adults=1)

    assert services.sweep_waitlists()["offered"] == 2
    assert statuses(first, second, third) == [Status.OFFERED, Status.OFFERED, Status.WAITING]
    assert seats_add_up(full_session) == 14
    assert emails(Kind.WAITLIST_OFFER).count() == 2


def test_entries_still_waiting_when_their_session_starts_are_closed_by_the_sweep(full_session):
    entry = join(full_session)
    started = full_session.starts_at + timedelta(minutes=1)
    assert services.sweep_waitlists(now=started)["closed"] == 1
    assert fresh(entry).status == Status.LAPSED and entry.closed_at == started


# --- The booking cut-off


@pytest.fixture
def closing_session():
    """Ten seats, booked full; bookings close an hour before the start."""
    session = SessionFactory(experience=ExperienceFactory(booking_cutoff_minutes=60))
    session.bookings_made = fill(session)
    return session


def test_bookings_and_joins_are_refused_after_the_cut_off(closing_session, visitor):
    closes = closing_session.starts_at - timedelta(minutes=60)
    open_one = SessionFactory(experience=closing_session.experience)
    services.create_booking(session_id=open_one.pk, adults=1, now=closes - timedelta(seconds=1), **visitor)
    with pytest.raises(BookingsClosed) as raised:
        services.create_booking(
            session_id=open_one.pk,
            adults=1,
            now=open_one.starts_at - timedelta(minutes=60),
            name="晚到的人",
            **new_contact(),
        )
    assert raised.value.http_status == 409
    with pytest.raises(BookingsClosed):
        services.join_waitlist(session_id=closing_session.pk, adults=2, now=closes, name="晚到的人", **new_contact())
    assert not WaitlistEntry.objects.exists()
    assert Booking.objects.filter(session=open_one).count() == 1


def test_an_offer_never_runs_past_the_cut_off_and_none_is_made_after_it(closing_session):
    entry = join(closing_session)
    closes = closing_session.starts_at - timedelta(minutes=60)
    cancel(closing_session.bookings_made[0])

    services.offer_freed_seats(closing_session.pk, now=closes - timedelta(minutes=30))
    assert fresh(entry).offer_expires_at == closes  # not 120 minutes later
    with pytest.raises(OfferNotOpen):
        services.claim_offer(entry.pk, now=closes)

    # Lapsed at the cut-off: the seats are not offered again, and not sold either.
    later = join(closing_session, now=closes - timedelta(minutes=40))
    services.sweep_waitlists(now=closes)
    assert fresh(entry).status == Status.LAPSED
    assert services.offer_freed_seats(closing_session.pk, now=closes) == []
    assert fresh(later).status == Status.WAITING
    with pytest.raises(BookingsClosed):
        services.create_booking(session_id=closing_session.pk, adults=2, now=closes, name="晚到的人", **new_contact())


# --- The village calls the session off


def test_calling_a_session_off_closes_its_list_returns_held_seats_and_tells_everyone(full_session):
    offered, waiting, left = join(full_session, adults=2), join(full_session, adults=3), join(full_session)
    services.leave_waitlist(left.pk)
    cancel(full_session.bookings_made[0])
    services.offer_freed_seats(full_session.pk)
    assert statuses(offered, waiting) == [Status.OFFERED, Status.WAITING]
    now = timezone.now()

    session, cancelled = services.cancel_session(full_session.pk, reason="  台风预警，活动取消。 ", now=now)

    assert (session.status, session.cancellation_reason, session.cancelled_at) == (
        Session.Status.CANCELLED,
        "台风预警，活动取消。",
        now,
    )
    assert len(cancelled) == 4
    assert statuses(offered, waiting, left) == [Status.LAPSED, Status.LAPSED, Status.LEFT]
    assert fresh(offered).closed_at == now
    assert fresh(full_session).seats_taken == 0
    closed = emails(Kind.WAITLIST_CLOSED)
    assert sorted(closed.values_list("waitlist_entry", flat=True)) == sorted([offered.pk, waiting.pk])
    assert emails(Kind.BOOKING_CANCELLED).count() == 1 + 4  # the visitor's own cancellation, then the village's
    assert "台风预警" in build_message(closed.get(waitlist_entry=waiting)).body

    # Nothing more to offer, claim or join; running it again sends nobody a second email.
    assert services.offer_freed_seats(full_session.pk) == []
    with pytest.raises(OfferNotOpen):
        services.claim_offer(offered.pk)
    with pytest.raises(InvalidBooking):
        join(full_session)
    services.cancel_session(full_session.pk, reason="again")
    assert (
        emails(Kind.WAITLIST_CLOSED).count() == 2 and fresh(full_session).cancellation_reason == "台风预警，活动取消。"
    )


def test_a_reason_too_long_calls_nothing_off(full_session):
    entry = join(full_session)
    with pytest.raises(InvalidBooking) as raised:
        services.cancel_session(full_session.pk, reason="雨" * 1001)
    assert raised.value.http_status == 400 and set(raised.value.fields) == {"reason"}
    session = fresh(full_session)
    assert (session.status, session.cancellation_reason, session.cancelled_at) == (Session.Status.SCHEDULED, "", None)
    assert fresh(entry).status == Status.WAITING and session.seats_taken == 10
    assert not emails(Kind.BOOKING_CANCELLED).exists() and not emails(Kind.WAITLIST_CLOSED).exists()
    services.cancel_session(full_session.pk, reason="雨" * 1000)
    assert fresh(full_session).status == Session.Status.CANCELLED


# --- Personal data


ALEX = {"name": "Alex Morgan", "email": "Alex@Example.com", "phone": "13800138000", "language": "en"}


def test_an_export_lists_the_entries_of_an_address_in_any_letter_case(full_session):
    entry = join(full_session, **ALEX)
    other = SessionFactory(experience=full_session.experience)
    other_bookings = fill(other)
    booked = join(other, adults=1, **ALEX)
    cancel(other_bookings[0])
    services.offer_freed_seats(other.pk)
    booking = services.claim_offer(booked.pk)
    join(full_session, **new_contact())  # someone else's

    exported = personal_data.export("alex@example.com")["waitlist_entries"]
    assert [(row["reference"], row["status"], row["booking"]) for row in exported] == [
        (entry.reference, Status.WAITING, None),
        (booked.reference, Status.BOOKED, booking.reference),
    ]
    assert exported[0]["name"] == "Alex Morgan" and exported[0]["phone"] == "+8613800138000"
    assert exported[0]["session_starts_at"] == full_session.starts_at.isoformat()


def test_an_erasure_takes_the_address_off_its_lists_passes_held_seats_on_and_anonymises(full_session):
    offered = join(full_session, **ALEX)
    behind = join(full_session)
    other = SessionFactory(experience=full_session.experience)
    fill(other)
    waiting = join(other, **ALEX)
    cancel(full_session.bookings_made[0])
    services.offer_freed_seats(full_session.pk)

    with pytest.raises(personal_data.UpcomingRefusal) as refused:
        personal_data.erase("alex@example.com")
    for entry in (offered, waiting):
        assert any(entry.reference in item for item in refused.value.upcoming)
    assert statuses(offered, waiting) == [Status.OFFERED, Status.WAITING] and offered.name == "Alex Morgan"

    personal_data.erase("alex@example.com", cancel_upcoming=True)

    for entry in (offered, waiting):
        fresh(entry)
        assert entry.status == Status.LEFT
        assert entry.name == personal_data.ERASED and entry.phone == personal_data.ERASED
        assert entry.email.endswith("@erased.invalid") and entry.personal_data_removed_at is not None
    assert seats_add_up(full_session) == 8
    assert services.offer_freed_seats(full_session.pk) == [behind]
    assert fresh(behind).name == "排队的人"
    assert personal_data.export("alex@example.com")["waitlist_entries"] == []


def test_the_purge_anonymises_the_entries_of_sessions_that_have_ended_only():
    start = timezone.now().replace(microsecond=0) - timedelta(hours=3)
    ended = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1))
    before = start - timedelta(days=1)
    for _ in range(5):
        services.create_booking(session_id=ended.pk, adults=2, now=before, name="王小明", **new_contact())
    old = services.join_waitlist(session_id=ended.pk, adults=2, now=before, name="旧的", **new_contact())
    upcoming = SessionFactory()
    fill(upcoming)
    current = join(upcoming, name="新的")

    assert personal_data.purge(dry_run=True)["waitlist_entries"] == 1
    assert fresh(old).name == "旧的"
    assert personal_data.purge()["waitlist_entries"] == 1

    old = fresh(old)
    assert old.name == personal_data.ERASED and old.email.endswith("@erased.invalid")
    assert old.status == Status.LAPSED and old.personal_data_removed_at is not None
    assert fresh(current).name == "新的" and current.personal_data_removed_at is None
    assert personal_data.purge()["waitlist_entries"] == 0


def test_the_purge_copes_with_two_offers_of_an_ended_session_the_sweep_never_lapsed():
    """The beat was down: two offers of a session long over are still open when the daily purge runs."""
    start = timezone.now().replace(microsecond=0) - timedelta(days=2)
    ended = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1))
    before = start - timedelta(days=1)
    bookings = [
        services.create_booking(session_id=ended.pk, adults=2, now=before, name="王小明", **new_contact())[0]
        for _ in range(5)
    ]
    entries = [services.join_waitlist(session_id=ended.pk, adults=2, now=before, name="旧的", **new_contact())]
    entries.append(services.join_waitlist(session_id=ended.pk, adults=2, now=before, name="旧的", **new_contact()))
    for booking in bookings[:2]:
        services.cancel_booking(booking.pk, by=Booking.CancelledBy.OPERATOR, now=before)
    services.offer_freed_seats(ended.pk, now=before)
    assert statuses(*entries) == [Status.OFFERED, Status.OFFERED]

    assert personal_data.purge()["waitlist_entries"] == 2
    for entry in entries:
        assert fresh(entry).name == personal_data.ERASED


# --- Many at once (PostgreSQL row locks)


def postgresql_only():
    if connection.vendor != "postgresql":
        service_missing("concurrency tests need PostgreSQL row locks: set DATABASE_URL to a PostgreSQL database")


@pytest.mark.django_db(transaction=True)
def test_claims_bookings_cancellations_and_joins_at_once_never_sell_a_held_or_owed_seat():
    postgresql_only()
    session = SessionFactory(experience=ExperienceFactory(capacity=10, max_party_size=10))
    bookings = fill(session)
    entries = [join(session) for _ in range(6)]
    for booking in bookings[:3]:
        cancel(booking)
    assert len(services.offer_freed_seats(session.pk)) == 3  # six seats held for the first three parties

    def attempt(index):
        if index < 9:  # the first three parties claim, each three times at once (double clicks, two devices)
            return "claimed" if services.claim_offer(entries[index % 3].pk) else "nothing"
        if index < 15:
            make_booking(session, adults=1)
            return "booked"
        if index < 17:
            cancel(bookings[index - 12])  # bookings 3 and 4: their seats are owed to the list
            return "cancelled"
        join(session, adults=1)
        return "joined"

    outcomes = race(attempt, {SoldOut: "sold out", WaitlistNotNeeded: "not needed", OfferNotOpen: "not open"})

    assert outcomes == {"claimed": 9, "sold out": 6, "cancelled": 2, "joined": 3}
    claimed = WaitlistEntry.objects.filter(status=Status.BOOKED)
    assert sorted(claimed.values_list("pk", flat=True)) == [entry.pk for entry in entries[:3]]
    assert Booking.objects.filter(waitlist_entry__isnull=False).count() == 3
    assert seats_add_up(session) == 6

    # The worker's turn: the four seats freed go to the next two parties, not to the newcomers behind them.
    assert [entry.pk for entry in services.offer_freed_seats(session.pk)] == [entry.pk for entry in entries[3:5]]
    assert seats_add_up(session) == 10


@pytest.mark.django_db(transaction=True)
def test_the_worker_offering_seats_while_visitors_book_them_offers_each_seat_once_and_sells_none():
    postgresql_only()
    session = SessionFactory(experience=ExperienceFactory(capacity=10, max_party_size=10))
    bookings = fill(session)
    entries = [join(session) for _ in range(3)]
    cancel(bookings[0])
    cancel(bookings[1])

    def attempt(index):
        if index % 2:
            return f"offered {len(services.offer_freed_seats(session.pk))}"
        make_booking(session, adults=1)
        return "booked"

    outcomes = race(attempt, FULL)

    assert outcomes == {"offered 2": 1, "offered 0": 9, "sold out": 10}
    assert statuses(*entries) == [Status.OFFERED, Status.OFFERED, Status.WAITING]
    assert emails(Kind.WAITLIST_OFFER).count() == 2
    assert seats_add_up(session) == 10


@pytest.mark.django_db(transaction=True)
def test_one_address_joining_twenty_times_at_once_in_any_letter_case_gets_one_place():
    postgresql_only()
    session = SessionFactory()
    fill(session)

    def attempt(index):
        address = "Wu@Example.com" if index % 2 else "wu@example.COM"
        services.join_waitlist(
            session_id=session.pk, adults=1, name="吴", email=address, phone=f"1390099{index:04d}", language="en"
        )
        return "joined"

    outcomes = race(attempt, {AlreadyWaiting: "already waiting"})
    assert outcomes == {"joined": 1, "already waiting": 19}
    assert WaitlistEntry.objects.filter(session=session).count() == 1
    assert emails(Kind.WAITLIST_JOINED).count() == 1


# --- The admin


@pytest.fixture
def operator(client, village):
    user = make_operator("op", village)
    client.force_login(user)
    return user


@pytest.fixture
def other_session():
    """A session of a village the operator does not run, booked full, with someone waiting."""
    session = SessionFactory(experience=ExperienceFactory(village=VillageFactory(slug="zhangyan")))
    fill(session)
    session.entry = join(session, name="外村人")
    return session


def in_zh(singular, plural, count, **params):
    with translation.override("zh-hans"):
        return ngettext(singular, plural, count) % params


def test_an_operator_sees_the_entries_of_their_villages_sessions_only(client, operator, full_session, other_session):
    ours = join(full_session, name="本村人")
    listed = client.get(reverse(ENTRIES))
    assert listed.status_code == 200
    page = listed.content.decode()
    assert ours.reference in page and "本村人" in page
    assert other_session.entry.reference not in page and "外村人" not in page

    change = reverse("admin:bookings_waitlistentry_change", args=[other_session.entry.pk])
    response = client.get(change, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:index")
    assert "外村人" not in response.content.decode()
    assert client.get(reverse("admin:bookings_waitlistentry_change", args=[ours.pk])).status_code == 200


def test_another_villages_operator_sees_none_of_the_entries(client, full_session, other_session):
    ours = join(full_session, name="本村人")
    client.force_login(make_operator("op-zhangyan", other_session.experience.village))
    page = client.get(reverse(ENTRIES)).content.decode()
    assert ours.reference not in page and "本村人" not in page
    assert other_session.entry.reference in page
    response = client.get(reverse("admin:bookings_waitlistentry_change", args=[ours.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:index")


def test_an_operator_takes_a_party_off_the_list_and_its_held_seats_go_to_the_next(client, operator, full_session):
    offered, behind = join(full_session), join(full_session)
    cancel(full_session.bookings_made[0])
    services.offer_freed_seats(full_session.pk)

    response = client.post(reverse(ENTRIES), {"action": "take_off_the_list", "_selected_action": [offered.pk]})
    assert response.status_code == 302
    assert statuses(offered, behind) == [Status.LEFT, Status.WAITING]
    assert seats_add_up(full_session) == 8
    assert LogEntry.objects.filter(user=operator, object_id=str(offered.pk)).exists()
    assert services.offer_freed_seats(full_session.pk) == [behind]


def test_an_operator_cannot_take_another_villages_party_off_its_list(client, operator, other_session):
    client.post(reverse(ENTRIES), {"action": "take_off_the_list", "_selected_action": [other_session.entry.pk]})
    assert fresh(other_session.entry).status == Status.WAITING
    assert not LogEntry.objects.exists()


def test_the_session_page_shows_its_waiting_list_in_order_and_the_list_counts_active_parties(
    client, operator, full_session
):
    first, second, gone = join(full_session, name="第一位"), join(full_session, name="第二位"), join(full_session)
    services.leave_waitlist(gone.pk)
    cancel(full_session.bookings_made[0])
    services.offer_freed_seats(full_session.pk)  # the first is offered, the second still waits

    page = client.get(reverse("admin:villages_session_change", args=[full_session.pk])).content.decode()
    assert page.index(first.reference) < page.index(second.reference)
    listed = client.get(reverse(SESSIONS)).content.decode()
    assert re.findall(r'<td class="field-waiting">(\d+)</td>', listed) == ["2"]


def test_the_dashboard_counts_the_parties_waiting_for_the_operators_sessions_to_come(
    client, operator, village, other_session
):
    starts_at = timezone.now() + timedelta(days=2)  # within the dashboard's week, however many sessions came before
    session = SessionFactory(
        experience=ExperienceFactory(village=village, title_zh_hans="湖畔骑行"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
    )
    fill(session)
    offered, _waiting, gone = join(session), join(session), join(session)
    services.leave_waitlist(gone.pk)
    Session.objects.filter(pk=session.pk).update(capacity=12)
    services.offer_freed_seats(session.pk)
    assert fresh(offered).status == Status.OFFERED

    page = client.get(reverse("admin:index")).content.decode()
    [waiting] = re.findall(r'<p id="dashboard-waiting">(.*?)</p>', page, re.S)
    expected = in_zh(
        "%(parties)s party is on the waiting lists of sessions to come.",
        "%(parties)s parties are on the waiting lists of sessions to come.",
        2,
        parties=2,
    )
    assert expected in " ".join(waiting.split()) and reverse(ENTRIES) in waiting
    row = Rows(page, "dashboard-upcoming").row_with("湖畔骑行")
    assert row[5] == "2"

    client.force_login(make_operator("nobody-waits"))
    page = client.get(reverse("admin:index")).content.decode()
    [waiting] = re.findall(r'<p id="dashboard-waiting">(.*?)</p>', page, re.S)
    assert in_zh(
        "%(parties)s party is on the waiting lists of sessions to come.",
        "%(parties)s parties are on the waiting lists of sessions to come.",
        0,
        parties=0,
    ) in " ".join(waiting.split())
