"""Caps per person, in the booking service so that every surface has them: one email address or phone number holds
at most the experience's per-booking maximum of seats in a session, and at most MAX_ACTIVE_BOOKINGS_PER_CONTACT
bookings of sessions still to come. Refused with 409 and a message naming the cap."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from bookings import services
from bookings.errors import ContactLimitReached, SoldOut
from bookings.models import Booking
from tests.conftest import service_missing
from tests.factories import ExperienceFactory, SessionFactory, make_operator, new_contact
from tests.html import FormFields
from tests.racing import race

pytestmark = pytest.mark.django_db

ALEX = {"name": "Alex", "email": "alex@example.com", "phone": "13800138000", "language": "en"}


@pytest.fixture
def kayaking(village):
    """At most four people per booking, eight seats a session."""
    return ExperienceFactory(village=village, slug="kayaking", max_party_size=4, capacity=8)


def book(session, adults, **contact):
    """Alex books; refusals are worded in English, as Alex reads them."""
    with translation.override("en"):
        booking, _created = services.create_booking(session_id=session.pk, adults=adults, **{**ALEX, **contact})
    return booking


def test_one_email_holds_at_most_the_party_maximum_of_seats_in_a_session_whatever_its_letter_case(kayaking):
    session = SessionFactory(experience=kayaking)
    book(session, 3)

    with pytest.raises(ContactLimitReached) as refused:
        book(session, 2, email="ALEX@Example.com", phone="13900139000")

    assert refused.value.limit == "seats_per_session"
    assert "already holds 3 seats in this session; one person may hold at most 4" in str(refused.value.message)
    assert book(session, 1, email="Alex@example.com", phone="13900139000").seats == 1
    session.refresh_from_db()
    assert session.seats_taken == 4


def test_one_phone_number_is_one_person_however_it_is_written(kayaking):
    session = SessionFactory(experience=kayaking)
    book(session, 4, phone="138 0013 8000")

    with pytest.raises(ContactLimitReached) as refused:
        book(session, 1, email="someone-else@example.com", phone="+86 138-0013-8000")

    assert str(refused.value.message).startswith("This phone number already holds 4 seats")


def test_one_person_holds_at_most_five_upcoming_bookings(kayaking):
    sessions = [SessionFactory(experience=kayaking) for _ in range(6)]
    for session in sessions[:5]:
        book(session, 1, phone=new_contact()["phone"])

    with pytest.raises(ContactLimitReached) as refused:
        book(sessions[5], 1, phone=new_contact()["phone"])

    assert refused.value.limit == "upcoming_bookings"
    assert "already has 5 upcoming bookings" in str(refused.value.message)
    assert Booking.objects.count() == 5
    sessions[5].refresh_from_db()
    assert sessions[5].seats_taken == 0


def test_the_number_of_upcoming_bookings_is_a_setting(kayaking, settings):
    settings.MAX_ACTIVE_BOOKINGS_PER_CONTACT = 1
    first, second = SessionFactory(experience=kayaking), SessionFactory(experience=kayaking)
    book(first, 1)
    with pytest.raises(ContactLimitReached):
        book(second, 1, email="other@example.com")  # the same phone


def test_cancelled_bookings_and_sessions_that_have_started_do_not_count(kayaking):
    now = timezone.now()
    sessions = [SessionFactory(experience=kayaking, starts_at=now + timedelta(days=1, hours=n)) for n in range(7)]
    bookings = [book(session, 1) for session in sessions[:5]]
    services.cancel_booking(bookings[0].pk, by=Booking.CancelledBy.OPERATOR)
    assert book(sessions[5], 1).seats == 1  # the cancelled one freed a place

    a_day_later = now + timedelta(days=1, minutes=90)  # the second session (booked, not cancelled) has started
    booking, _created = services.create_booking(session_id=sessions[6].pk, adults=1, now=a_day_later, **ALEX)
    assert booking.pk


def test_the_caps_are_checked_after_the_seats_so_a_full_session_says_sold_out(kayaking):
    session = SessionFactory(experience=kayaking)
    book(session, 4)
    book(session, 4, **new_contact())
    with pytest.raises(SoldOut):
        book(session, 1)


# --- Every surface


def test_the_api_answers_409_naming_the_cap(client, kayaking):
    session = SessionFactory(experience=kayaking)
    book(session, 4)

    response = client.post(
        "/api/v1/bookings/",
        json.dumps({"session": session.pk, "adults": 1, **ALEX}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "This email address already holds 4 seats in this session; one person may hold at most 4.",
        "limit": "seats_per_session",
    }
    assert Booking.objects.count() == 1


def test_the_web_form_answers_409_with_the_message_and_keeps_the_form(client, kayaking):
    session = SessionFactory(experience=kayaking)
    book(session, 4)
    data = {**ALEX, "session": session.pk, "adults": 2, "children": 0, "submission_key": "f" * 32}

    response = client.post(f"/en/bookings/new/{kayaking.slug}/", data)

    assert response.status_code == 409
    page = response.content.decode()
    assert "This email address already holds 4 seats in this session" in page
    assert 'value="alex@example.com"' in page
    assert Booking.objects.count() == 1


@pytest.fixture
def operator_client(client, village):
    client.force_login(make_operator("cenbu-staff", village))
    return client


def change_contact(client, booking, **contact):
    """The booking's admin page sent back as the operator left it, with the contact details they typed."""
    url = reverse("admin:bookings_booking_change", args=[booking.pk])
    form = FormFields(client.get(url).content.decode(), "booking_form").as_dict()
    return client.post(url, {**form, **contact})


def test_in_the_admin_a_booking_cannot_be_moved_to_someone_who_already_holds_the_maximum(operator_client, kayaking):
    session = SessionFactory(experience=kayaking)
    full_hands = book(session, 4)
    booking = book(session, 2, **new_contact())

    response = change_contact(operator_client, booking, email="alex@example.com")

    assert response.status_code == 200  # the form again, with the refusal
    refusal = ngettext(
        "%(holder)s already holds %(held)s seat in this session; one person may hold at most %(most)s.",
        "%(holder)s already holds %(held)s seats in this session; one person may hold at most %(most)s.",
        4,
    ) % {"holder": gettext("This email address"), "held": 4, "most": 4}
    assert refusal in response.content.decode()  # in the admin's language
    booking.refresh_from_db()
    assert booking.email != full_hands.email


def test_in_the_admin_contact_details_are_stored_as_a_new_booking_would_store_them(operator_client, kayaking):
    booking = book(SessionFactory(experience=kayaking), 2)

    response = change_contact(operator_client, booking, name="  Alex Wong ", phone="139 0013 9000", notes="Vegetarian")

    assert response.status_code == 302, response.content.decode()[-2000:]
    booking.refresh_from_db()
    assert (booking.name, booking.phone, booking.notes) == ("Alex Wong", "+8613900139000", "Vegetarian")


def test_in_the_admin_a_malformed_phone_is_a_field_error(operator_client, kayaking):
    booking = book(SessionFactory(experience=kayaking), 2)
    response = change_contact(operator_client, booking, phone="12345")
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    booking.refresh_from_db()
    assert booking.phone == "+8613800138000"


@pytest.mark.django_db(transaction=True)
def test_twenty_bookings_at_once_by_one_person_on_twenty_sessions_give_five(village):
    if connection.vendor != "postgresql":
        service_missing("concurrency tests need PostgreSQL locks: set DATABASE_URL to a PostgreSQL database")
    experience = ExperienceFactory(village=village, max_party_size=4, capacity=8)
    sessions = [SessionFactory(experience=experience) for _ in range(20)]

    outcomes = race(lambda index: book(sessions[index], 1) and "booked", {ContactLimitReached: "capped"})

    assert outcomes == {"booked": 5, "capped": 15}
    assert Booking.objects.filter(email="alex@example.com").count() == 5
