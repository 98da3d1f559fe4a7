"""The booking rules, through the one service every surface uses."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings import services
from bookings.errors import CancellationClosed, IdempotencyKeyReused, InvalidBooking, NotEnoughSeats, SoldOut
from bookings.models import Booking
from outbox import services as outbox_services
from outbox.models import OutgoingEmail
from tests.factories import ExperienceFactory, SessionFactory
from villages.models import Session
from villages.months import mask_from_months

pytestmark = pytest.mark.django_db


def book(session, visitor, adults=2, children=0, **extra):
    booking, _created = services.create_booking(
        session_id=session.pk, adults=adults, children=children, **{**visitor, **extra}
    )
    return booking


def seats_left(session):
    session.refresh_from_db()
    return session.seats_left


def refusal(session, visitor, **kwargs):
    before = Booking.objects.count()
    with pytest.raises(InvalidBooking) as raised:
        book(session, visitor, **kwargs)
    assert Booking.objects.count() == before
    return raised.value.fields


def test_a_booking_holds_its_seats_and_is_priced_on_the_server(bookable_session, visitor):
    booking = book(bookable_session, visitor, adults=2, children=1)
    assert booking.total_price == Decimal("224.00")
    assert booking.status == Booking.Status.PENDING
    assert seats_left(bookable_session) == 7


def test_a_session_price_override_is_what_the_visitor_pays(bookable_session, visitor):
    bookable_session.adult_price_override = Decimal("100.00")
    bookable_session.save()
    assert book(bookable_session, visitor, adults=2, children=1).total_price == Decimal("248.00")


def test_references_are_readable_and_unique_and_tokens_are_long_secrets(bookable_session, visitor):
    references = {book(bookable_session, visitor, adults=1).reference for _ in range(5)}
    assert len(references) == 5
    for reference in references:
        prefix, code = reference.split("-")
        assert prefix == "CE" and len(code) == 6
        assert not set(code) & set("01OIL")
    assert min(len(token) for token in Booking.objects.values_list("token", flat=True)) >= 40


def test_phone_numbers_are_stored_in_international_form(bookable_session, visitor):
    assert book(bookable_session, {**visitor, "phone": "138 0013 8000"}).phone == "+8613800138000"
    assert book(bookable_session, {**visitor, "phone": "+44 20 7946 0958"}).phone == "+442079460958"


def test_the_last_seats_go_then_the_session_is_sold_out(bookable_session, visitor):
    book(bookable_session, visitor, adults=8)
    with pytest.raises(NotEnoughSeats):
        book(bookable_session, visitor, adults=3)
    book(bookable_session, visitor, adults=2)
    with pytest.raises(SoldOut) as raised:
        book(bookable_session, visitor, adults=1)
    assert raised.value.http_status == 409
    assert Booking.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"adults": 0, "children": 0}, "adults"),
        ({"adults": -1}, "adults"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "a" * 250 + "@example.com"}, "email"),
        ({"phone": "12345"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"name": "   "}, "name"),
        ({"language": "fr"}, "language"),
        ({"notes": "x" * 1001}, "notes"),
        ({"adults": 11}, "adults"),
    ],
)
def test_bad_input_is_refused_with_a_message_on_its_field(bookable_session, visitor, change, field):
    kwargs = {"adults": 2, "children": 0, **change}
    adults, children = kwargs.pop("adults"), kwargs.pop("children")
    fields = refusal(bookable_session, {**visitor, **kwargs}, adults=adults, children=children)
    assert list(fields) == [field]
    assert seats_left(bookable_session) == 10


def test_children_cannot_join_an_adults_only_experience(visitor):
    session = SessionFactory(experience=ExperienceFactory(min_age=18))
    assert "children" in refusal(session, visitor, adults=1, children=1)


def test_past_cancelled_unpublished_and_unknown_sessions_cannot_be_booked(visitor):
    past = SessionFactory()
    Session.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    cancelled = SessionFactory(status=Session.Status.CANCELLED)
    unpublished = SessionFactory(experience=ExperienceFactory(is_published=False))
    for session in (past, cancelled, unpublished):
        assert "session" in refusal(session, visitor)
    with pytest.raises(InvalidBooking) as raised:
        services.create_booking(session_id=987654, adults=1, **visitor)
    assert "session" in raised.value.fields


def test_a_session_outside_the_experience_season_cannot_be_booked(visitor):
    fireflies = ExperienceFactory(season_mask=mask_from_months([5, 6, 7]))
    today = timezone.localdate()
    next_november = today.replace(year=today.year + 1, month=11, day=10)
    starts = timezone.make_aware(datetime.combine(next_november, time(19)))
    session = SessionFactory(experience=fireflies, starts_at=starts)
    assert "session" in refusal(session, visitor)


def test_the_same_idempotency_key_returns_the_first_booking(bookable_session, visitor):
    first, created = services.create_booking(session_id=bookable_session.pk, adults=2, idempotency_key="k-1", **visitor)
    again, created_again = services.create_booking(
        session_id=bookable_session.pk, adults=2, idempotency_key="k-1", **visitor
    )
    assert created and not created_again
    assert again.pk == first.pk
    assert seats_left(bookable_session) == 8


def test_an_idempotency_key_reused_for_another_request_is_refused(bookable_session, visitor):
    services.create_booking(session_id=bookable_session.pk, adults=2, idempotency_key="k-2", **visitor)
    with pytest.raises(IdempotencyKeyReused):
        services.create_booking(session_id=bookable_session.pk, adults=3, idempotency_key="k-2", **visitor)


def test_confirming_marks_the_booking_confirmed_and_writes_its_emails_once(bookable_session, visitor):
    booking = book(bookable_session, visitor)
    services.confirm_booking(booking.pk)
    services.confirm_booking(booking.pk)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    kinds = sorted(booking.emails.values_list("kind", flat=True))
    assert kinds == [OutgoingEmail.Kind.BOOKING_CONFIRMED, OutgoingEmail.Kind.OPERATOR_NEW_BOOKING]


def test_a_booking_that_needs_approval_stays_pending_until_the_village_approves(village, visitor):
    session = SessionFactory(experience=ExperienceFactory(village=village, requires_approval=True))
    booking = book(session, visitor)
    services.confirm_booking(booking.pk)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING
    assert set(booking.emails.values_list("kind", flat=True)) == {
        OutgoingEmail.Kind.BOOKING_RECEIVED,
        OutgoingEmail.Kind.OPERATOR_NEW_BOOKING,
    }
    services.approve_booking(booking.pk)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.emails.filter(kind=OutgoingEmail.Kind.BOOKING_CONFIRMED).count() == 1


def test_a_visitor_cancels_within_the_window_and_the_seats_return_at_once(bookable_session, visitor):
    booking = book(bookable_session, visitor, adults=4)
    assert seats_left(bookable_session) == 6
    services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert seats_left(bookable_session) == 10
    assert booking.emails.filter(kind=OutgoingEmail.Kind.BOOKING_CANCELLED).count() == 1


def test_after_the_window_only_the_operator_can_cancel(visitor):
    soon = SessionFactory(experience=ExperienceFactory(cancellation_window_hours=24))
    Session.objects.filter(pk=soon.pk).update(
        starts_at=timezone.now() + timedelta(hours=2), ends_at=timezone.now() + timedelta(hours=3)
    )
    booking = book(soon, visitor)
    with pytest.raises(CancellationClosed) as raised:
        services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR)
    assert raised.value.http_status == 409
    services.cancel_booking(booking.pk, by=Booking.CancelledBy.OPERATOR)
    assert seats_left(soon) == 10


def test_the_seat_counter_always_equals_the_seats_of_bookings_holding_them(bookable_session, visitor):
    bookings = [book(bookable_session, visitor, adults=1, children=1) for _ in range(4)]
    services.cancel_booking(bookings[0].pk, by=Booking.CancelledBy.VISITOR)
    services.cancel_booking(bookings[0].pk, by=Booking.CancelledBy.VISITOR)
    services.cancel_booking(bookings[2].pk, by=Booking.CancelledBy.OPERATOR)
    held = sum(b.seats for b in Booking.objects.filter(status__in=Booking.HOLDING_SEATS))
    bookable_session.refresh_from_db()
    assert bookable_session.seats_taken == held == 4


def test_a_reminder_is_written_once_for_sessions_starting_within_a_day(visitor):
    tomorrow = SessionFactory()
    Session.objects.filter(pk=tomorrow.pk).update(
        starts_at=timezone.now() + timedelta(hours=20), ends_at=timezone.now() + timedelta(hours=21)
    )
    booking = book(tomorrow, visitor)
    later = book(SessionFactory(), visitor)
    for confirmed in (booking, later):
        services.confirm_booking(confirmed.pk)
    assert services.queue_reminders() == 1
    assert services.queue_reminders() == 0
    assert booking.emails.filter(kind=OutgoingEmail.Kind.BOOKING_REMINDER).count() == 1
    assert not later.emails.filter(kind=OutgoingEmail.Kind.BOOKING_REMINDER).exists()


def test_a_confirmation_still_queued_when_the_visitor_cancels_is_dropped_not_sent(bookable_session, visitor, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core import mail

    booking = book(bookable_session, visitor)
    services.confirm_booking(booking.pk)
    services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR)
    confirmation = booking.emails.get(kind=OutgoingEmail.Kind.BOOKING_CONFIRMED)
    cancellation = booking.emails.get(kind=OutgoingEmail.Kind.BOOKING_CANCELLED)
    assert outbox_services.send_outgoing_email(confirmation.pk) == "obsolete"
    assert outbox_services.send_outgoing_email(cancellation.pk) == "sent"
    assert len(mail.outbox) == 1


def test_a_session_called_off_before_the_worker_confirms_gets_no_confirmation(bookable_session, visitor):
    booking = book(bookable_session, visitor)
    Session.objects.filter(pk=bookable_session.pk).update(status=Session.Status.CANCELLED)

    services.confirm_booking(booking.pk)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING and booking.processed_at is not None
    assert not booking.emails.exists()


def test_a_confirmation_queued_before_its_session_was_called_off_is_dropped(bookable_session, visitor, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core import mail

    booking = book(bookable_session, visitor)
    services.confirm_booking(booking.pk)
    Session.objects.filter(pk=bookable_session.pk).update(status=Session.Status.CANCELLED)
    confirmation = booking.emails.get(kind=OutgoingEmail.Kind.BOOKING_CONFIRMED)

    assert outbox_services.send_outgoing_email(confirmation.pk) == "obsolete"
    assert mail.outbox == []
