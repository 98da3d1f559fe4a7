"""The visitor's trip around a booking with the real worker (Redis broker, shared PostgreSQL test database): the waiting
list's offers, claims and lapses, moves between sessions, and rebooking after the village calls a session off."""

import email
import email.policy
import re
import time
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from bookings import services
from bookings.errors import NotEnoughSeats, SoldOut
from bookings.models import Booking, WaitlistEntry
from outbox.models import OutgoingEmail
from tests.factories import SessionFactory, make_booking, new_contact
from villages.models import Session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]
Kind = OutgoingEmail.Kind


def wait_until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def text_of(raw: str) -> str:
    """The plain-text part of a message the worker wrote, decoded."""
    message = email.message_from_bytes(raw.strip().encode(), policy=email.policy.default)
    return message.get_body(preferencelist=("plain",)).get_content()


def saying(messages: list[str], phrase: str) -> str:
    """The one message whose text says `phrase` (the mail files' order is not the order of sending)."""
    [found] = [text for text in map(text_of, messages) if phrase in text]
    return found


def link_in(text: str, path: str) -> str:
    """The first link in `text` to a page under `path`, as the site's relative address."""
    return re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", text).group(1)


def join(session, email_address, adults=2, language="en"):
    return services.join_waitlist(
        session_id=session.pk,
        adults=adults,
        name="Waiting Wu",
        **{**new_contact(language), "email": email_address},
    )


def fill(session) -> list[Booking]:
    """Book the session full with parties of two."""
    return [make_booking(session, adults=2) for _ in range(session.capacity // 2)]


def test_a_cancellation_sends_one_offer_the_seats_are_held_and_the_claim_is_confirmed_by_email(
    worker, bookable_session
):
    bookings = fill(bookable_session)
    entry = join(bookable_session, "wu@example.com")
    saying(worker.wait_for_messages("wu@example.com"), "You are on the waiting list")

    services.cancel_booking(bookings[0].pk, by=Booking.CancelledBy.VISITOR)
    offer = saying(worker.wait_for_messages("wu@example.com", count=2, timeout=60), "held for you")
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED
    with pytest.raises((SoldOut, NotEnoughSeats)):  # the two seats are held for the list, not for sale
        make_booking(bookable_session, adults=2)
    time.sleep(1)
    assert OutgoingEmail.objects.filter(kind=Kind.WAITLIST_OFFER).count() == 1
    assert len(worker.messages_to("wu@example.com")) == 2

    claim_page = link_in(offer, "/en/bookings/waitlist/")
    client = Client()
    assert client.get(claim_page).status_code == 200
    token = re.search(r"token=([^&#\s]+)", claim_page).group(1)
    claimed = client.post(f"/en/bookings/waitlist/{entry.reference}/claim/", {"token": token})
    assert claimed.status_code == 303
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.BOOKED
    confirmation = saying(worker.wait_for_messages("wu@example.com", count=3), "is confirmed")
    assert entry.booking.reference in confirmation
    wait_until(lambda: Booking.objects.get(pk=entry.booking_id).status == Booking.Status.CONFIRMED)
    bookable_session.refresh_from_db()
    held = Booking.objects.filter(session=bookable_session, status__in=Booking.HOLDING_SEATS)
    assert bookable_session.seats_taken == held.aggregate(seats=Sum("adults"))["seats"] == bookable_session.capacity


def test_a_lapsed_offer_is_told_and_passes_to_the_next_party_while_one_that_does_not_fit_keeps_its_place(
    worker, bookable_session
):
    bookings = fill(bookable_session)
    first = join(bookable_session, "first@example.com")
    too_big = join(bookable_session, "big@example.com", adults=4)
    second = join(bookable_session, "second@example.com")
    services.cancel_booking(bookings[0].pk, by=Booking.CancelledBy.VISITOR)
    worker.wait_for_messages("first@example.com", count=2)  # joined, then the offer

    # The offer's time is up (as two hours of silence would make it).
    WaitlistEntry.objects.filter(pk=first.pk).update(offer_expires_at=timezone.now() - timedelta(seconds=1))
    assert services.sweep_waitlists()["lapsed"] == 1
    saying(worker.wait_for_messages("first@example.com", count=3), "were not claimed in time")
    saying(worker.wait_for_messages("second@example.com", count=2), "held for you")
    for entry in (first, too_big, second):
        entry.refresh_from_db()
    assert (first.status, too_big.status, second.status) == ("lapsed", "waiting", "offered")
    time.sleep(1)
    assert len(worker.messages_to("big@example.com")) == 1  # joined only: a party of four does not fit in two


def test_a_visitor_moves_a_booking_and_gets_a_new_confirmation_that_replaces_the_calendar_event(
    worker, bookable_session, visitor
):
    booking, _created = services.create_booking(
        session_id=bookable_session.pk, adults=2, **{**visitor, "language": "en"}
    )
    worker.wait_for_messages(visitor["email"])
    later = SessionFactory(experience=bookable_session.experience)
    services.move_booking(booking.pk, to_session_id=later.pk)
    [moved] = [raw for raw in worker.wait_for_messages(visitor["email"], count=2) if "has moved" in text_of(raw)]
    message = email.message_from_bytes(moved.strip().encode(), policy=email.policy.default)
    [calendar] = [part.get_content() for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert "SEQUENCE:1" in calendar and f"UID:{booking.reference}@villages" in calendar
    assert (Session.objects.get(pk=bookable_session.pk).seats_taken, Session.objects.get(pk=later.pk).seats_taken) == (
        0,
        2,
    )


def test_the_village_calls_a_session_off_and_the_rebook_link_in_its_email_moves_the_party(worker, bookable_session):
    booking = make_booking(bookable_session, adults=2, email="family@example.com", language="en")
    worker.wait_for_messages("family@example.com")
    next_session = SessionFactory(experience=bookable_session.experience)

    services.cancel_session(bookable_session.pk, reason="Thunderstorms are forecast for the evening.")
    cancelled = saying(worker.wait_for_messages("family@example.com", count=2), "has had to cancel")
    assert "Thunderstorms are forecast for the evening." in cancelled
    rebook = link_in(cancelled, f"/en/bookings/{booking.reference}/")
    assert f"move={next_session.pk}" in rebook

    client = Client()
    page = client.get(rebook).content.decode()
    assert 'id="confirm-move-heading"' in page
    token = re.search(r"token=([^&#\s]+)", rebook).group(1)
    moved = client.post(f"/en/bookings/{booking.reference}/move/", {"token": token, "session": str(next_session.pk)})
    assert moved.status_code == 303
    after_the_move = list(map(text_of, worker.wait_for_messages("family@example.com", count=3)))
    assert sum("is confirmed" in text for text in after_the_move) == 2  # the first confirmation and the new one
    booking.refresh_from_db()
    assert (booking.status, booking.session_id, booking.moved_from_id) == (
        Booking.Status.CONFIRMED,
        next_session.pk,
        bookable_session.pk,
    )
