"""Moving a booking to another session of its experience: the visitor's reschedule, and the rebooking of a booking the
village cancelled with its session (with the reason and the sessions to rebook onto in the cancellation email).

No worker runs here: where the worker would confirm a booking or offer freed seats, the test calls the service.
"""

import re
import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from bookings import services
from bookings.emails import booking_calendar, local_datetime
from bookings.errors import (
    BookingsClosed,
    ContactLimitReached,
    InvalidBooking,
    MoveRefused,
    NoSuchSession,
    NotEnoughSeats,
    SessionBusy,
    SoldOut,
)
from bookings.models import Booking, WaitlistEntry
from bookings.selectors import seats_open_to_booking, sessions_to_move_to
from outbox import services as outbox_services
from outbox.messages import build_message
from outbox.models import OutgoingEmail
from tests.conftest import service_missing
from tests.factories import ExperienceFactory, SessionFactory, make_booking, make_operator, new_contact
from tests.racing import race
from villages.models import Session

pytestmark = pytest.mark.django_db

Kind = OutgoingEmail.Kind
SESSIONS = "admin:villages_session_changelist"


def fresh(obj):
    obj.refresh_from_db()
    return obj


def confirmed(session, adults=2, children=0, **details) -> Booking:
    """A booking the worker has confirmed (and emailed), by someone nobody used yet unless `details` say who."""
    return services.confirm_booking(make_booking(session, adults=adults, children=children, **details).pk)


def later_session(session, hours=24, **fields) -> Session:
    """Another session of the same experience, `hours` after `session`."""
    starts_at = session.starts_at + timedelta(hours=hours)
    return SessionFactory(
        experience=session.experience, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90), **fields
    )


def seats_taken(*sessions) -> list[int]:
    return [fresh(session).seats_taken for session in sessions]


def seats_add_up(session) -> int:
    """The session's count of seats taken is exactly what its bookings (and offers) hold, within its capacity."""
    session.refresh_from_db()
    booked = sum(booking.seats for booking in Booking.objects.filter(session=session, status__in=Booking.HOLDING_SEATS))
    held = sum(
        entry.seats for entry in WaitlistEntry.objects.filter(session=session, status=WaitlistEntry.Status.OFFERED)
    )
    assert session.seats_taken == booked + held, (session.pk, session.seats_taken, booked, held)
    assert session.seats_taken <= session.capacity
    return session.seats_taken


def unchanged(booking, before: Booking) -> None:
    """The booking is as it was: same session, price, status, revision, no move recorded."""
    fresh(booking)
    assert (booking.session_id, booking.total_price, booking.status, booking.calendar_sequence) == (
        before.session_id,
        before.total_price,
        before.status,
        before.calendar_sequence,
    )
    assert booking.moved_from_id == before.moved_from_id and booking.moved_at == before.moved_at


def moved_emails(booking=None):
    rows = OutgoingEmail.objects.filter(kind=Kind.BOOKING_MOVED)
    return rows.filter(booking=booking) if booking else rows


@pytest.fixture
def there(bookable_session):
    """A day after the fixture's session, same experience, ¥100 per adult and ¥50 per child."""
    return later_session(bookable_session, adult_price_override=Decimal("100.00"), child_price_override=Decimal("50"))


# --- Rescheduling


def test_a_move_keeps_the_reference_and_check_in_code_moves_the_seats_and_charges_the_new_price(
    bookable_session, there
):
    booking = confirmed(bookable_session, adults=2, children=1)
    assert booking.total_price == Decimal("224.00")
    reference, code, token = booking.reference, booking.check_in_code, booking.token
    now = timezone.now()

    moved = services.move_booking(booking.pk, to_session_id=there.pk, now=now)

    booking = fresh(booking)
    assert moved == booking and booking.session_id == there.pk
    assert (booking.reference, booking.check_in_code, booking.token) == (reference, code, token)
    assert (booking.adults, booking.children, booking.status) == (2, 1, Booking.Status.CONFIRMED)
    assert booking.total_price == Decimal("250.00")
    assert (booking.moved_from_id, booking.moved_at, booking.calendar_sequence) == (bookable_session.pk, now, 1)
    assert seats_taken(bookable_session, there) == [0, 3]
    [email] = moved_emails()
    assert (email.booking_id, email.revision, email.recipient) == (booking.pk, 1, booking.email)

    calendar = booking_calendar(booking).decode()
    assert f"UID:{reference}@villages" in calendar and "SEQUENCE:1" in calendar


def test_the_moved_email_names_the_new_time_and_the_old_one(bookable_session, there):
    booking = confirmed(bookable_session, language="en")
    services.move_booking(booking.pk, to_session_id=there.pk)
    message = build_message(moved_emails().get())
    with translation.override("en"):
        new_time, old_time = local_datetime(there.starts_at), local_datetime(bookable_session.starts_at)
    assert new_time in message.subject and booking.reference in message.subject
    assert new_time in message.body and old_time in message.body
    assert booking.check_in_code in message.body


def test_a_confirmation_of_the_old_time_not_yet_sent_is_never_sent(bookable_session, there):
    booking = confirmed(bookable_session)
    old_confirmation = OutgoingEmail.objects.get(booking=booking, kind=Kind.BOOKING_CONFIRMED)
    services.move_booking(booking.pk, to_session_id=there.pk)
    assert outbox_services.send_outgoing_email(old_confirmation.pk) == "obsolete"
    assert outbox_services.send_outgoing_email(moved_emails().get().pk) == "sent"


def test_each_move_raises_the_revision_and_is_emailed_once(bookable_session, there):
    third = later_session(there)
    booking = confirmed(bookable_session)
    services.move_booking(booking.pk, to_session_id=there.pk)
    services.move_booking(booking.pk, to_session_id=third.pk)

    booking = fresh(booking)
    assert (booking.session_id, booking.moved_from_id, booking.calendar_sequence) == (third.pk, there.pk, 2)
    assert sorted(moved_emails(booking).values_list("revision", flat=True)) == [1, 2]
    assert seats_taken(bookable_session, there, third) == [0, 0, 2]
    assert booking.total_price == Decimal("176.00")  # the third session has no price of its own


def test_moving_to_the_session_it_is_on_changes_nothing(bookable_session):
    booking = confirmed(bookable_session)
    before = fresh(Booking.objects.get(pk=booking.pk))
    assert services.move_booking(booking.pk, to_session_id=str(bookable_session.pk)).session_id == bookable_session.pk
    unchanged(booking, before)
    assert seats_taken(bookable_session) == [2] and not moved_emails().exists()


def test_a_booking_the_worker_has_not_confirmed_yet_is_moved_quietly_and_confirmed_for_its_new_time(
    bookable_session, there
):
    booking = make_booking(bookable_session)
    services.move_booking(booking.pk, to_session_id=there.pk)
    assert not moved_emails().exists()

    services.confirm_booking(booking.pk)
    [confirmation] = OutgoingEmail.objects.filter(booking=booking, kind=Kind.BOOKING_CONFIRMED)
    assert confirmation.revision == 1
    assert fresh(booking).status == Booking.Status.CONFIRMED and booking.session_id == there.pk


# --- Refusals: nothing changes


def test_a_move_to_a_session_with_too_few_seats_is_refused_and_changes_nothing(bookable_session, there):
    booking = confirmed(bookable_session)
    before = fresh(Booking.objects.get(pk=booking.pk))
    make_booking(there, adults=9)

    with pytest.raises(NotEnoughSeats) as raised:
        services.move_booking(booking.pk, to_session_id=there.pk)
    assert raised.value.http_status == 409
    unchanged(booking, before)
    assert seats_taken(bookable_session, there) == [2, 9]

    make_booking(there, adults=1)
    with pytest.raises(SoldOut) as raised:
        services.move_booking(booking.pk, to_session_id=there.pk)
    assert type(raised.value) is SoldOut
    unchanged(booking, before)
    assert seats_taken(bookable_session, there) == [2, 10] and not moved_emails().exists()


def test_seats_owed_to_the_waiting_list_of_the_session_moved_to_are_not_for_moving_into(bookable_session, there):
    booking = confirmed(bookable_session)
    theirs = [make_booking(there, adults=2) for _ in range(5)]
    entry = services.join_waitlist(session_id=there.pk, adults=2, name="排队的人", **new_contact())
    services.cancel_booking(theirs[0].pk, by=Booking.CancelledBy.VISITOR)
    assert fresh(there).seats_left == 2

    with pytest.raises(SoldOut):
        services.move_booking(booking.pk, to_session_id=there.pk)
    assert fresh(booking).session_id == bookable_session.pk
    assert there not in sessions_to_move_to(booking)
    assert services.offer_freed_seats(there.pk) == [entry]


def test_a_move_to_another_experiences_session_is_refused(bookable_session):
    booking = confirmed(bookable_session)
    before = fresh(Booking.objects.get(pk=booking.pk))
    elsewhere = SessionFactory(experience=ExperienceFactory(village=bookable_session.experience.village))
    with pytest.raises(InvalidBooking) as raised:
        services.move_booking(booking.pk, to_session_id=elsewhere.pk)
    assert raised.value.http_status == 400 and set(raised.value.fields) == {"session"}
    unchanged(booking, before)
    assert seats_taken(bookable_session, elsewhere) == [2, 0]


@pytest.mark.parametrize("session_id", ["abc", None, 999999])
def test_a_move_to_no_such_session_is_refused(bookable_session, session_id):
    booking = confirmed(bookable_session)
    with pytest.raises(NoSuchSession) as raised:
        services.move_booking(booking.pk, to_session_id=session_id)
    assert raised.value.http_status == 400
    assert fresh(booking).session_id == bookable_session.pk and seats_taken(bookable_session) == [2]


def test_a_move_after_the_free_cancellation_window_is_refused(bookable_session, there):
    booking = confirmed(bookable_session)
    before = fresh(Booking.objects.get(pk=booking.pk))
    deadline = booking.cancellation_deadline  # 24 hours before the start

    with pytest.raises(MoveRefused) as raised:
        services.move_booking(booking.pk, to_session_id=there.pk, now=deadline + timedelta(minutes=1))
    assert raised.value.http_status == 409
    unchanged(booking, before)
    assert seats_taken(bookable_session, there) == [2, 0]
    assert services.move_booking(booking.pk, to_session_id=there.pk, now=deadline).session_id == there.pk


def test_a_booking_the_visitor_cancelled_cannot_be_moved(bookable_session, there):
    booking = confirmed(bookable_session)
    services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR)
    with pytest.raises(MoveRefused):
        services.move_booking(booking.pk, to_session_id=there.pk)
    assert fresh(booking).status == Booking.Status.CANCELLED and seats_taken(bookable_session, there) == [0, 0]


def test_a_move_to_a_session_past_its_booking_cut_off_is_refused(village):
    experience = ExperienceFactory(village=village, booking_cutoff_minutes=120)
    soon = SessionFactory(experience=experience)
    booking = confirmed(later_session(soon, hours=48))
    closes = soon.starts_at - timedelta(minutes=120)

    with pytest.raises(BookingsClosed) as raised:
        services.move_booking(booking.pk, to_session_id=soon.pk, now=closes)
    assert raised.value.http_status == 409
    assert fresh(booking).calendar_sequence == 0 and seats_taken(soon) == [0]
    assert services.move_booking(booking.pk, to_session_id=soon.pk, now=closes - timedelta(seconds=1)).session == soon


def test_a_move_to_a_called_off_session_is_refused(bookable_session, there):
    booking = confirmed(bookable_session)
    services.cancel_session(there.pk)
    with pytest.raises(InvalidBooking) as raised:
        services.move_booking(booking.pk, to_session_id=there.pk)
    assert set(raised.value.fields) == {"session"}
    assert fresh(booking).session_id == bookable_session.pk and seats_taken(bookable_session, there) == [2, 0]


def test_a_move_may_not_give_one_person_more_seats_in_a_session_than_one_person_may_hold(bookable_session, there):
    visitor = {"name": "王小明", **new_contact()}
    booking = confirmed(bookable_session, adults=2, **visitor)
    make_booking(there, adults=9, **{**visitor, "email": visitor["email"].upper()})
    Session.objects.filter(pk=there.pk).update(capacity=20)

    with pytest.raises(ContactLimitReached) as raised:
        services.move_booking(booking.pk, to_session_id=there.pk)
    assert (raised.value.http_status, raised.value.limit) == (409, "seats_per_session")
    assert fresh(booking).session_id == bookable_session.pk and seats_taken(bookable_session, there) == [2, 9]


# --- The seats a move frees


def test_the_seats_a_move_frees_go_to_the_old_sessions_waiting_list(bookable_session, there):
    bookings = [confirmed(bookable_session) for _ in range(5)]
    entry = services.join_waitlist(session_id=bookable_session.pk, adults=2, name="排队的人", **new_contact())

    services.move_booking(bookings[0].pk, to_session_id=there.pk)

    assert fresh(bookable_session).seats_left == 2 and seats_open_to_booking(bookable_session) == 0
    with pytest.raises(SoldOut):
        make_booking(bookable_session, adults=1)
    assert services.offer_freed_seats(bookable_session.pk) == [entry]
    assert fresh(entry).status == WaitlistEntry.Status.OFFERED
    assert seats_add_up(bookable_session) == 10 and seats_add_up(there) == 2


# --- Where a booking can go


def test_the_sessions_to_move_to_are_the_experiences_next_ones_with_room_for_the_party_soonest_first(village):
    experience = ExperienceFactory(village=village, booking_cutoff_minutes=60)
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    booking = confirmed(SessionFactory(experience=experience, starts_at=start, ends_at=start + timedelta(hours=1)))

    def session(hours, **fields):
        starts_at = start + timedelta(hours=hours)
        return SessionFactory(
            experience=experience, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1), **fields
        )

    closing = SessionFactory(
        experience=experience,
        starts_at=timezone.now() + timedelta(minutes=30),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    late, early = session(30), session(-30)
    almost_full = session(2)
    make_booking(almost_full, adults=9)
    owed = session(3)
    for _ in range(5):
        make_booking(owed, adults=2)
    services.join_waitlist(session_id=owed.pk, adults=2, name="排队的人", **new_contact())
    Session.objects.filter(pk=owed.pk).update(capacity=12)  # two free seats, owed to the list
    called_off = session(4)
    services.cancel_session(called_off.pk)
    SessionFactory(experience=ExperienceFactory(village=village), starts_at=start + timedelta(hours=5))
    exactly_enough = session(6)
    make_booking(exactly_enough, adults=8)

    assert sessions_to_move_to(booking) == [early, exactly_enough, late]
    assert sessions_to_move_to(booking, limit=2) == [early, exactly_enough]
    assert closing not in sessions_to_move_to(booking)


# --- The village calls the session off; the visitor rebooks


@pytest.fixture
def called_off(bookable_session, there):
    """The fixture's session called off with two bookings (2 and 1 people); `there` has room."""
    bookable_session.rebooking = confirmed(bookable_session, adults=2)
    bookable_session.staying = confirmed(bookable_session, adults=1)
    services.cancel_session(bookable_session.pk, reason="暴雨预警：傍晚有雷雨。")
    return fresh(bookable_session)


def test_a_booking_the_village_cancelled_is_rebooked_and_confirmed_anew_with_a_new_revision(called_off, there):
    booking = fresh(called_off.rebooking)
    assert booking.rebookable and booking.status == Booking.Status.CANCELLED
    assert seats_taken(called_off) == [0]

    services.move_booking(booking.pk, to_session_id=there.pk)

    booking = fresh(booking)
    assert (booking.status, booking.session_id, booking.moved_from_id) == (
        Booking.Status.PENDING,
        there.pk,
        called_off.pk,
    )
    assert (booking.processed_at, booking.confirmed_at, booking.cancelled_at, booking.cancelled_by) == (
        None,
        None,
        None,
        "",
    )
    assert booking.calendar_sequence == 1 and booking.total_price == Decimal("200.00")
    assert seats_taken(called_off, there) == [0, 2]  # nothing taken twice from the session called off
    assert not moved_emails().exists()  # the confirmation says it all

    services.confirm_booking(booking.pk)
    confirmations = OutgoingEmail.objects.filter(booking=booking, kind=Kind.BOOKING_CONFIRMED)
    assert sorted(confirmations.values_list("revision", flat=True)) == [0, 1]
    assert fresh(booking).status == Booking.Status.CONFIRMED
    notice = OutgoingEmail.objects.filter(booking=booking, kind=Kind.OPERATOR_NEW_BOOKING, revision=1)
    assert notice.get().recipient == "cenbu@example.com"


def test_a_rebooking_to_a_session_with_too_few_seats_leaves_the_booking_cancelled(called_off, there):
    make_booking(there, adults=9)
    booking = called_off.rebooking
    with pytest.raises(NotEnoughSeats):
        services.move_booking(booking.pk, to_session_id=there.pk)
    booking = fresh(booking)
    assert (booking.status, booking.session_id, booking.calendar_sequence) == (
        Booking.Status.CANCELLED,
        called_off.pk,
        0,
    )
    assert booking.rebookable and seats_taken(called_off, there) == [0, 9]


def test_a_booking_the_visitor_cancelled_before_the_session_was_called_off_cannot_be_rebooked(bookable_session, there):
    booking = confirmed(bookable_session)
    services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR)
    services.cancel_session(bookable_session.pk, reason="台风")
    assert not fresh(booking).rebookable
    with pytest.raises(MoveRefused):
        services.move_booking(booking.pk, to_session_id=there.pk)
    assert fresh(booking).session_id == bookable_session.pk and seats_taken(there) == [0]


def test_the_cancellation_email_gives_the_reason_and_links_to_rebook_onto_sessions_with_room(called_off, there):
    full = later_session(there)
    for _ in range(5):
        make_booking(full, adults=2)
    fourth, fifth, sixth = later_session(full), later_session(full, hours=48), later_session(full, hours=72)
    other_experience = SessionFactory(experience=ExperienceFactory(village=called_off.experience.village))
    booking = called_off.rebooking

    row = OutgoingEmail.objects.get(booking=booking, kind=Kind.BOOKING_CANCELLED)
    body = build_message(row).body

    assert "暴雨预警：傍晚有雷雨。" in body
    offered = [int(pk) for pk in re.findall(r"[?&]move=(\d+)", body)]
    assert offered == [there.pk, fourth.pk, fifth.pk]  # the next three with room, soonest first
    assert full.pk not in offered and sixth.pk not in offered and other_experience.pk not in offered
    with translation.override(row.language):
        manage = booking.get_absolute_url()
    assert f"{manage}&move={there.pk}" in body and f"{manage}&keep=cancelled" in body


def test_the_cancellation_email_of_a_party_no_session_has_room_for_offers_no_rebooking(called_off, there):
    make_booking(there, adults=9)
    body = build_message(OutgoingEmail.objects.get(booking=called_off.rebooking, kind=Kind.BOOKING_CANCELLED)).body
    assert "暴雨预警" in body and "move=" not in body
    # The one-person booking still fits in the last seat.
    body = build_message(OutgoingEmail.objects.get(booking=called_off.staying, kind=Kind.BOOKING_CANCELLED)).body
    assert f"move={there.pk}" in body


def test_a_visitors_own_cancellation_email_offers_no_rebooking(bookable_session, there):
    booking = confirmed(bookable_session)
    services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR)
    body = build_message(OutgoingEmail.objects.get(booking=booking, kind=Kind.BOOKING_CANCELLED)).body
    assert "move=" not in body and "keep=cancelled" not in body


# --- The session admin: how many were rebooked


@pytest.fixture
def operator(client, village):
    user = make_operator("op", village)
    client.force_login(user)
    return user


def rebooked_cells(client) -> list[str]:
    page = client.get(reverse(SESSIONS)).content.decode()
    return [" ".join(cell.split()) for cell in re.findall(r'<td class="field-rebooked">(.*?)</td>', page, re.S)]


def of(rebooked, cancelled) -> str:
    with translation.override("zh-hans"):
        return gettext("%(rebooked)s of %(cancelled)s") % {"rebooked": rebooked, "cancelled": cancelled}


def test_the_session_list_shows_how_many_of_a_called_off_sessions_bookings_were_rebooked(
    client, operator, called_off, there
):
    assert sorted(rebooked_cells(client)) == sorted([of(0, 2), "–"])
    services.move_booking(called_off.rebooking.pk, to_session_id=there.pk)
    assert sorted(rebooked_cells(client)) == sorted([of(1, 2), "–"])
    services.confirm_booking(called_off.rebooking.pk)
    page = client.get(reverse("admin:villages_session_change", args=[called_off.pk])).content.decode()
    assert of(1, 2) in page and "暴雨预警" in page


def test_a_rebooked_booking_moved_again_still_counts_as_rebooked(client, operator, called_off, there):
    services.move_booking(called_off.rebooking.pk, to_session_id=there.pk)
    services.move_booking(called_off.rebooking.pk, to_session_id=later_session(there).pk)
    assert sorted(rebooked_cells(client)) == sorted([of(1, 2), "–", "–"])


# --- Many at once (PostgreSQL row locks)


def postgresql_only():
    if connection.vendor != "postgresql":
        service_missing("concurrency tests need PostgreSQL row locks: set DATABASE_URL to a PostgreSQL database")


@pytest.fixture
def crossing():
    """Two sessions of one experience, twelve seats each, ten taken on each by ten confirmed parties of one."""
    postgresql_only()
    experience = ExperienceFactory(capacity=12, max_party_size=10)
    first = SessionFactory(experience=experience)
    second = later_session(first)
    first.bookings_made = [confirmed(first, adults=1) for _ in range(10)]
    second.bookings_made = [confirmed(second, adults=1) for _ in range(10)]
    return first, second


@pytest.mark.django_db(transaction=True)
def test_moves_in_both_directions_at_once_never_deadlock_and_never_oversell(crossing):
    first, second = crossing
    # Twenty moves at once, each party to the other session: ten in each direction.
    bookings = [*first.bookings_made, *second.bookings_made]
    other = {first.pk: second.pk, second.pk: first.pk}

    def attempt(index):
        booking = bookings[index]
        services.move_booking(booking.pk, to_session_id=other[booking.session_id])
        return "moved"

    outcomes = race(attempt, {SoldOut: "sold out", SessionBusy: "busy"})

    assert set(outcomes) <= {"moved", "sold out"}, outcomes  # no deadlock, no lock timeout, no error
    assert outcomes["moved"] >= 2  # each session had room for two at first
    assert seats_add_up(first) + seats_add_up(second) == 20
    moved = Booking.objects.filter(moved_from__isnull=False)
    assert moved.count() == outcomes["moved"]
    for booking in moved:
        assert (booking.session_id, booking.calendar_sequence) == (other[booking.moved_from_id], 1)
    assert moved_emails().count() == outcomes["moved"]


@pytest.mark.django_db(transaction=True)
def test_without_locking_both_sessions_in_one_order_the_same_crossing_deadlocks_which_shows_the_test_bites(crossing):
    """The control: each move locks its own session first, then the other, as a naive service would."""
    first, second = crossing
    bookings = [first.bookings_made[0], second.bookings_made[0]]  # one each way
    other = {first.pk: second.pk, second.pk: first.pk}
    both_hold_one = threading.Barrier(2, timeout=5)

    def naive_move(index):
        booking = bookings[index]
        with transaction.atomic():
            Session.objects.select_for_update().get(pk=booking.session_id)
            both_hold_one.wait()
            Session.objects.select_for_update().get(pk=other[booking.session_id])
            time.sleep(0.05)
        return "moved"

    outcomes = race(naive_move, {}, racers=2)
    assert outcomes["moved"] == 1 and any("deadlock detected" in outcome for outcome in outcomes), outcomes


@pytest.mark.django_db(transaction=True)
def test_a_move_sent_twenty_times_at_once_moves_the_booking_once(crossing):
    """A double click, a retry and a second tab: the same move of one booking, all at the same moment."""
    first, second = crossing
    booking = first.bookings_made[0]
    Session.objects.filter(pk=second.pk).update(capacity=30)

    def attempt(index):
        return (
            "on the second"
            if services.move_booking(booking.pk, to_session_id=second.pk).session_id == second.pk
            else ""
        )

    outcomes = race(attempt, {SoldOut: "sold out"})

    assert outcomes == {"on the second": 20}
    booking = fresh(booking)
    assert (booking.session_id, booking.moved_from_id, booking.calendar_sequence) == (second.pk, first.pk, 1)
    assert seats_add_up(first) == 9 and seats_add_up(second) == 11
    assert list(moved_emails(booking).values_list("revision", flat=True)) == [1]


@pytest.mark.django_db(transaction=True)
def test_one_booking_moved_to_two_sessions_at_once_from_two_tabs_keeps_every_sessions_count_right(crossing):
    first, second = crossing
    third = later_session(second)
    booking = first.bookings_made[0]

    def attempt(index):
        services.move_booking(booking.pk, to_session_id=(second if index % 2 else third).pk)
        return "done"

    outcomes = race(attempt, {SoldOut: "sold out", SessionBusy: "busy, try again"})

    # A tab whose move found the booking already moved elsewhere is told to try again (503), from where it is now.
    assert set(outcomes) <= {"done", "busy, try again"} and outcomes["done"] >= 1
    booking = fresh(booking)
    assert booking.session_id in (second.pk, third.pk)
    assert [seats_add_up(first), seats_add_up(second) + seats_add_up(third)] == [9, 11]
    assert moved_emails(booking).count() == booking.calendar_sequence
