"""The admin never overwrites what it did not change: counters and states are read-only on every form, a save writes
only the fields its form changed, and a session is called off only by the action that cancels its bookings."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import gettext

from bookings import services
from bookings.models import Booking
from outbox import services as outbox_services
from outbox.models import OutgoingEmail
from residency import services as residency_services
from residency.models import ResidencyApplication
from tests.conftest import service_missing
from tests.factories import (
    ExperienceFactory,
    ResidencyProgramFactory,
    SessionFactory,
    make_application,
    make_operator,
    new_contact,
)
from tests.html import FormFields
from tests.http import Browser
from villages.models import Session

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-123"  # make_operator's


@pytest.fixture
def operator(village):
    return make_operator("cenbu-operator", village)


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


def admin_form(client, url, form_id) -> dict:
    return FormFields(client.get(url).content.decode(), form_id).as_dict()


def book(session, adults, **contact):
    booking, _created = services.create_booking(
        session_id=session.pk, adults=adults, name="王小明", **(contact or new_contact())
    )
    return booking


def session_url(session):
    return reverse("admin:villages_session_change", args=[session.pk])


def test_a_session_form_saved_after_a_booking_leaves_the_seats_sold_as_they_are(operator_client, bookable_session):
    stale = admin_form(operator_client, session_url(bookable_session), "session_form")
    book(bookable_session, 4)  # committed while the operator's page was open

    response = operator_client.post(session_url(bookable_session), {**stale, "adult_price_override": "99.00"})

    assert response.status_code == 302
    bookable_session.refresh_from_db()
    assert str(bookable_session.adult_price_override) == "99.00"
    assert bookable_session.seats_taken == 4
    assert bookable_session.seats_left == bookable_session.capacity - 4


def test_a_capacity_below_the_seats_sold_meanwhile_is_refused_on_the_form(operator_client, bookable_session):
    stale = admin_form(operator_client, session_url(bookable_session), "session_form")
    book(bookable_session, 4)

    response = operator_client.post(session_url(bookable_session), {**stale, "capacity": "3"})

    assert response.status_code == 200
    refusal = gettext("%(taken)s seats are already booked; the capacity cannot be lower.") % {"taken": 4}
    assert refusal in response.content.decode()
    bookable_session.refresh_from_db()
    assert (bookable_session.capacity, bookable_session.seats_taken) == (10, 4)


def test_the_experience_pages_session_rows_cannot_cancel_a_session(operator_client, bookable_session):
    booking = book(bookable_session, 2)
    url = reverse("admin:villages_experience_change", args=[bookable_session.experience.pk])
    form = admin_form(operator_client, url, "experience_form")
    row = next(
        name.removesuffix("-id")
        for name, value in form.items()
        if name.endswith("-id") and value == str(bookable_session.pk)
    )

    response = operator_client.post(url, {**form, f"{row}-status": "cancelled", f"{row}-capacity": "12"})

    assert response.status_code == 302
    bookable_session.refresh_from_db()
    assert bookable_session.status == Session.Status.SCHEDULED
    assert bookable_session.capacity == 12  # what the row may change, it did
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING
    assert f'name="{row}-status"' not in operator_client.get(url).content.decode()


def test_no_session_form_has_a_status_field(operator_client, bookable_session):
    page = operator_client.get(session_url(bookable_session)).content.decode()
    assert 'name="status"' not in page and 'name="seats_taken"' not in page
    stale = admin_form(operator_client, session_url(bookable_session), "session_form")
    operator_client.post(session_url(bookable_session), {**stale, "status": "cancelled", "seats_taken": "0"})
    bookable_session.refresh_from_db()
    assert bookable_session.status == Session.Status.SCHEDULED


def test_a_stale_booking_form_cannot_bring_a_cancelled_booking_back(operator_client, bookable_session):
    booking = book(bookable_session, 4)
    url = reverse("admin:bookings_booking_change", args=[booking.pk])
    stale = admin_form(operator_client, url, "booking_form")
    services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR)  # the visitor, meanwhile

    response = operator_client.post(url, {**stale, "notes": "Arrives by bus"})

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.notes == "Arrives by bus"
    bookable_session.refresh_from_db()
    assert bookable_session.seats_taken == 0
    assert services.cancel_booking(booking.pk, by=Booking.CancelledBy.OPERATOR).status == Booking.Status.CANCELLED


def test_saving_an_emails_page_does_not_send_it_again(operator_client, bookable_session):
    booking = book(bookable_session, 1)
    services.confirm_booking(booking.pk)
    email = booking.emails.get(kind=OutgoingEmail.Kind.BOOKING_CONFIRMED)
    url = reverse("admin:outbox_outgoingemail_change", args=[email.pk])
    stale = admin_form(operator_client, url, "outgoingemail_form")
    assert outbox_services.send_outgoing_email(email.pk) == "sent"

    operator_client.post(url, stale)

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT


@pytest.fixture
def program(village):
    return ResidencyProgramFactory(village=village, places=2)


def program_url(program):
    return reverse("admin:residency_residencyprogram_change", args=[program.pk])


def test_a_stale_programme_form_leaves_the_places_accepted_alone(operator_client, program):
    stale = admin_form(operator_client, program_url(program), "residencyprogram_form")
    application = make_application(program)
    residency_services.decide_application(application.pk, ResidencyApplication.Status.ACCEPTED)

    response = operator_client.post(program_url(program), {**stale, "monthly_fee": "2500.00"})

    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.places_accepted, str(program.monthly_fee)) == (1, "2500.00")


def test_fewer_places_than_accepted_meanwhile_is_refused_on_the_form(operator_client, program):
    stale = admin_form(operator_client, program_url(program), "residencyprogram_form")
    for email in ("a@example.com", "b@example.com"):
        residency_services.decide_application(
            make_application(program, email=email).pk, ResidencyApplication.Status.ACCEPTED
        )

    response = operator_client.post(program_url(program), {**stale, "places": "1"})

    assert response.status_code == 200
    refusal = gettext("%(accepted)s places are already given; there cannot be fewer places.") % {"accepted": 2}
    assert refusal in response.content.decode()
    program.refresh_from_db()
    assert (program.places, program.places_accepted) == (2, 2)


# --- Over HTTP, with a booking in progress while the operator saves (PostgreSQL row locks)


@pytest.mark.django_db(transaction=True)
def test_a_save_during_a_booking_waits_for_it_and_keeps_its_seats(live_server, village, operator):
    if connection.vendor != "postgresql":
        service_missing("this test needs PostgreSQL row locks: set DATABASE_URL to a PostgreSQL database")
    session = SessionFactory(experience=ExperienceFactory(village=village, capacity=10))
    browser = Browser(live_server.url)
    assert browser.log_in("/zh-hans/admin/login/", "cenbu-operator", PASSWORD).status == 302
    stale = browser.form(session_url(session), "session_form")
    booking_holds_lock = threading.Event()

    def slow_booking():
        with transaction.atomic():
            book(session, 4)  # the session's row stays locked until this transaction commits
            booking_holds_lock.set()
            time.sleep(1)
        connection.close()

    visitor = threading.Thread(target=slow_booking)
    visitor.start()
    assert booking_holds_lock.wait(5)
    started = time.monotonic()
    answer = browser.post(session_url(session), {**stale, "capacity": "12"})
    waited = time.monotonic() - started
    visitor.join()

    assert answer.status == 302, answer.text[-3000:]
    assert waited > 0.5  # the save waited for the booking's lock instead of reading seats from before it
    session.refresh_from_db()
    assert (session.capacity, session.seats_taken, session.seats_left) == (12, 4, 8)
