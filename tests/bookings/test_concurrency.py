"""Many visitors, one session: the lock and the seat constraint never let it be oversold (PostgreSQL)."""

import secrets
import time

import pytest
from django.db import connection, transaction

from bookings import services
from bookings.errors import SessionBusy, SoldOut
from bookings.models import Booking
from core.locking import LOCK_TIMEOUT_MS
from tests.conftest import service_missing
from tests.factories import ExperienceFactory, SessionFactory, new_contact
from tests.locks import session_locked_elsewhere
from tests.racing import RACERS, race
from villages.models import Session

pytestmark = pytest.mark.django_db(transaction=True)
SOLD_OUT = {SoldOut: "sold out"}


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        service_missing("concurrency tests need PostgreSQL row locks: set DATABASE_URL to a PostgreSQL database")


@pytest.fixture
def five_seats_left(visitor):
    session = SessionFactory(experience=ExperienceFactory(capacity=25, max_party_size=10))
    for _ in range(2):
        services.create_booking(session_id=session.pk, adults=10, name=visitor["name"], **new_contact())
    session.refresh_from_db()
    assert session.seats_left == 5
    return session


def test_twenty_visitors_racing_for_the_last_five_seats_get_five_bookings_and_fifteen_sold_outs(
    five_seats_left, visitor
):
    def book(index):
        services.create_booking(session_id=five_seats_left.pk, adults=1, name=visitor["name"], **new_contact())
        return "booked"

    outcomes = race(book, SOLD_OUT)
    assert outcomes == {"booked": 5, "sold out": 15}
    five_seats_left.refresh_from_db()
    assert five_seats_left.seats_left == 0
    held = sum(booking.seats for booking in Booking.objects.filter(session=five_seats_left))
    assert held == five_seats_left.seats_taken == 25


def test_without_the_lock_the_same_race_oversells_which_shows_the_test_bites(five_seats_left, visitor):
    """The control: check-then-insert with no lock and a plain counter write, as a naive service would."""

    def book_without_lock(index):
        with transaction.atomic():
            session = Session.objects.get(pk=five_seats_left.pk)
            if session.seats_left < 1:
                raise SoldOut()
            time.sleep(0.05)  # the work between the check and the write that a real request does
            Booking.objects.create(
                session=session,
                adults=1,
                name=visitor["name"],
                email=f"racer{index}@example.com",
                phone="+8613800138000",
                language="zh-hans",
                total_price=session.adult_price,
                reference=f"NL-{index:06d}",
                token=secrets.token_urlsafe(32),
                check_in_code=f"NL{index:06d}",
            )
            Session.objects.filter(pk=session.pk).update(seats_taken=session.seats_taken + 1)
        return "booked"

    outcomes = race(book_without_lock, SOLD_OUT)
    assert outcomes["booked"] > 5
    assert Booking.objects.filter(session=five_seats_left).count() > 7


def test_a_visitor_who_cannot_get_the_lock_in_time_is_told_to_try_again(bookable_session, visitor):
    with session_locked_elsewhere(bookable_session.pk):
        started = time.monotonic()
        with pytest.raises(SessionBusy) as raised:
            services.create_booking(session_id=bookable_session.pk, adults=1, **visitor)
        waited = time.monotonic() - started
    assert raised.value.http_status == 503
    assert waited < LOCK_TIMEOUT_MS / 1000 + 2
    assert not Booking.objects.exists()


def test_retries_of_one_request_racing_each_other_all_get_the_same_booking(visitor):
    session = SessionFactory(experience=ExperienceFactory(capacity=2, max_party_size=2))

    def retry(index):
        booking, _created = services.create_booking(
            session_id=session.pk, adults=2, idempotency_key="same-request", **visitor
        )
        return booking.reference

    outcomes = race(retry, SOLD_OUT)
    assert len(outcomes) == 1 and sum(outcomes.values()) == RACERS
    assert Booking.objects.filter(session=session).count() == 1
