"""The visitor's booking pages: the form on the experience page, the booking page, cancelling, the calendar file."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from bookings import emails, services
from bookings.models import Booking
from tests.conftest import service_missing
from tests.factories import ExperienceFactory, SessionFactory
from tests.html import PageStructure
from tests.locks import session_locked_elsewhere
from villages.models import Session

pytestmark = pytest.mark.django_db

FORM_PATH = "/{lang}/bookings/new/{slug}/"


def page_of(session, lang="en") -> str:
    return f"/{lang}/experiences/{session.experience.slug}/"


def form_data(session, visitor, /, **changes) -> dict:
    data = {
        "session": session.pk,
        "adults": 2,
        "children": 1,
        "name": visitor["name"],
        "email": visitor["email"],
        "phone": visitor["phone"],
        "notes": "",
        "language": "en",
        "submission_key": "0123456789abcdef0123456789abcdef",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def post_booking(client, session, data, lang="en"):
    return client.post(FORM_PATH.format(lang=lang, slug=session.experience.slug), data)


def book(session, visitor, adults=2, children=0) -> Booking:
    booking, _created = services.create_booking(session_id=session.pk, adults=adults, children=children, **visitor)
    return booking


def seats_left(session) -> int:
    session.refresh_from_db()
    return session.seats_left


def without_csrf(body: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def submission_key(body: str) -> str:
    return re.search(r'name="submission_key" value="([^"]+)"', body).group(1)


# The form on the experience page


def test_the_experience_page_offers_each_upcoming_session_with_its_price_and_seats_left(client, bookable_session):
    SessionFactory(experience=bookable_session.experience, capacity=1)
    body = client.get(page_of(bookable_session)).content.decode()
    assert f'name="session" value="{bookable_session.pk}"' in body
    assert 'data-adult-price="88.00" data-child-price="48.00"' in body
    assert "10 seats left" in body and "1 seat left" in body
    assert 'action="/en/bookings/new/cenbu-cycling/"' in body


def test_a_sold_out_session_is_shown_and_can_be_chosen_to_join_its_waiting_list(client, bookable_session, visitor):
    book(bookable_session, visitor, adults=10)
    body = client.get(page_of(bookable_session)).content.decode()
    radio = re.search(rf'<input type="radio" name="session" value="{bookable_session.pk}"[^>]*>', body).group(0)
    assert "disabled" not in radio and 'data-seats-left="0"' in radio
    assert "Sold out" in body and 'name="action" value="waitlist"' in body


def test_the_chinese_page_books_in_chinese_and_shows_shanghai_times(client, bookable_session, visitor):
    body = client.get(page_of(bookable_session, "zh-hans")).content.decode()
    assert 'name="language" value="zh-hans"' in body
    assert 'action="/zh-hans/bookings/new/cenbu-cycling/"' in body
    assert timezone.localtime(bookable_session.starts_at).strftime("%H:%M") in body
    assert "+08:00" in body
    response = post_booking(
        client, bookable_session, form_data(bookable_session, visitor, language="zh-hans"), "zh-hans"
    )
    assert response["Location"].startswith("/zh-hans/bookings/")
    assert Booking.objects.get().language == "zh-hans"


def test_a_booking_without_a_known_language_is_in_the_language_of_the_page(client, bookable_session, visitor):
    post_booking(client, bookable_session, form_data(bookable_session, visitor, language="xx"), "zh-hans")
    assert Booking.objects.get().language == "zh-hans"


def test_each_rendering_of_the_form_carries_a_new_submission_key(client, bookable_session):
    first = submission_key(client.get(page_of(bookable_session)).content.decode())
    second = submission_key(client.get(page_of(bookable_session)).content.decode())
    assert first != second


def test_the_page_with_a_submission_key_is_not_stored_by_shared_caches(client, bookable_session):
    assert "private" in client.get(page_of(bookable_session))["Cache-Control"]


def test_an_adults_only_experience_asks_for_no_children(client, village):
    session = SessionFactory(experience=ExperienceFactory(village=village, min_age=18))
    body = client.get(page_of(session)).content.decode()
    assert '<input type="hidden" name="children" value="0"' in body
    assert "This experience is for adults only." in body
    assert "Child ¥" not in body


def test_an_experience_with_a_minimum_age_asks_to_confirm_the_childrens_age(client, village, visitor):
    session = SessionFactory(experience=ExperienceFactory(village=village, min_age=6))
    body = client.get(page_of(session)).content.decode()
    assert re.search(r'<input type="checkbox" name="min_age_confirmed" id="id_min_age_confirmed">', body)
    assert "All children are at least 6 years old." in body
    refused = post_booking(client, session, form_data(session, visitor))
    assert refused.status_code == 400
    assert "Please confirm that all children are at least 6 years old." in refused.content.decode()
    adults_only_party = form_data(session, visitor, children=0)
    assert post_booking(client, session, adults_only_party).status_code == 303
    assert Booking.objects.count() == 1


def test_an_experience_for_all_ages_does_not_ask_about_ages(client, bookable_session):
    assert "min_age_confirmed" not in client.get(page_of(bookable_session)).content.decode()


# Booking


def test_a_valid_booking_is_made_once_and_the_visitor_lands_on_its_page(client, bookable_session, visitor):
    response = post_booking(client, bookable_session, form_data(bookable_session, visitor))
    booking = Booking.objects.get()
    assert response.status_code == 303
    assert response["Location"] == booking.get_absolute_url()
    assert (booking.adults, booking.children, str(booking.total_price)) == (2, 1, "224.00")
    assert booking.phone == "+8613800138000"
    assert seats_left(bookable_session) == 7
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert booking.reference in body
    assert "¥224.00" in body
    assert "We're confirming your booking. An email is on its way." in body


def test_sending_the_same_form_twice_makes_one_booking_and_lands_on_the_same_page(client, bookable_session, visitor):
    data = form_data(bookable_session, visitor)
    first = post_booking(client, bookable_session, data)
    second = post_booking(client, bookable_session, data)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Booking.objects.count() == 1
    assert seats_left(bookable_session) == 7


@pytest.mark.django_db(transaction=True)
def test_a_double_click_racing_on_two_connections_makes_one_booking(bookable_session, visitor):
    if connection.vendor != "postgresql":
        service_missing("racing requests need PostgreSQL row locks: set DATABASE_URL to a PostgreSQL database")
    data = form_data(bookable_session, visitor)
    start = threading.Barrier(2)

    def click(_index):
        try:
            start.wait()
            response = post_booking(Client(), bookable_session, data)
            return response.status_code, response.get("Location")
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(click, range(2))
    assert first == second
    assert first[0] == 303
    assert Booking.objects.count() == 1
    assert seats_left(bookable_session) == 7


def test_two_forms_with_different_keys_are_two_bookings(client, bookable_session, visitor):
    post_booking(client, bookable_session, form_data(bookable_session, visitor, submission_key="a" * 32))
    post_booking(client, bookable_session, form_data(bookable_session, visitor, submission_key="b" * 32))
    assert Booking.objects.count() == 2


def test_a_form_used_for_a_booking_then_changed_is_refused_and_given_a_fresh_key(client, bookable_session, visitor):
    data = form_data(bookable_session, visitor)
    post_booking(client, bookable_session, data)
    response = post_booking(client, bookable_session, {**data, "adults": 3})
    body = response.content.decode()
    assert response.status_code == 422
    assert "This form was already used for a booking." in body
    assert submission_key(body) != data["submission_key"]
    assert Booking.objects.count() == 1
    resent = post_booking(client, bookable_session, {**data, "adults": 3, "submission_key": submission_key(body)})
    assert resent.status_code == 303
    assert Booking.objects.count() == 2


def _sold_out(session, visitor):
    book(session, visitor, adults=10)
    return {}


def _nearly_sold_out(session, visitor):
    book(session, visitor, adults=9)
    return {}


def _adults_only(session, visitor):
    session.experience.min_age = 18
    session.experience.save()
    return {"children": 2}


def _min_age(session, visitor):
    session.experience.min_age = 6
    session.experience.save()
    return {}


def _past(session, visitor):
    past = SessionFactory(experience=session.experience, starts_at=timezone.now() - timedelta(hours=1))
    return {"session": past.pk}


def _cancelled(session, visitor):
    cancelled = SessionFactory(experience=session.experience, status=Session.Status.CANCELLED)
    return {"session": cancelled.pk}


def _other_experience(session, visitor):
    return {"session": SessionFactory().pk}


def _changes(**changes):
    return lambda session, visitor: changes


REFUSALS = [
    # (what goes wrong, set-up returning the form changes, status, field whose message shows, message)
    ("sold out", _sold_out, 409, "session", "Sorry, this session is sold out."),
    ("not enough seats", _nearly_sold_out, 409, "session", "Not enough seats are left in this session."),
    ("no people", _changes(adults=0, children=0), 400, "adults", "Book at least one person."),
    ("too many people", _changes(adults=11, children=0), 400, "adults", "At most 10 people per booking."),
    ("children on adults only", _adults_only, 400, "children", "This experience is for adults only."),
    ("bad email", _changes(email="xiaoming@"), 400, "email", "Enter a valid email address."),
    # Longer than the column: PostgreSQL would refuse it, so the form stops it first.
    ("email too long", _changes(email="a" * 250 + "@example.com"), 400, "email", "at most 254 characters"),
    ("bad phone", _changes(phone="12345"), 400, "phone", "Enter a valid phone number"),
    ("past session", _past, 400, "session", "This session has already started."),
    ("cancelled session", _cancelled, 400, "session", "This session has been cancelled."),
    ("min age not confirmed", _min_age, 400, "min_age_confirmed", "Please confirm that all children are at least 6"),
    ("unknown session", _changes(session=987654), 400, "session", "There is no such session."),
    ("absurd session id", _changes(session=10**30), 400, "session", "There is no such session."),
    ("session not a number", _changes(session="first"), 400, "session", "There is no such session."),
    ("no session chosen", _changes(session=None), 400, "session", "Choose a session."),
    ("session of another experience", _other_experience, 400, "session", "There is no such session."),
    ("notes too long", _changes(notes="很" * 1001), 400, "notes", "Notes can be at most 1000 characters."),
    ("no name", _changes(name="  "), 400, "name", "Please give the name the booking is for."),
    ("adults not a number", _changes(adults="two"), 400, "adults", "Enter a whole number."),
    ("negative children", _changes(children=-1), 400, "children", "Ensure this value is greater than or equal to 0."),
]


@pytest.mark.parametrize(
    ("set_up", "status", "field", "message"),
    [refusal[1:] for refusal in REFUSALS],
    ids=[refusal[0] for refusal in REFUSALS],
)
def test_a_refused_booking_shows_why_next_to_the_field_with_the_right_status_and_writes_nothing(
    client, bookable_session, visitor, set_up, status, field, message
):
    changes = set_up(bookable_session, visitor)
    before = Booking.objects.count()
    seats_before = {session.pk: session.seats_taken for session in Session.objects.all()}
    response = post_booking(client, bookable_session, form_data(bookable_session, visitor, **changes))
    body = response.content.decode()
    assert response.status_code == status
    assert Booking.objects.count() == before
    assert {session.pk: session.seats_taken for session in Session.objects.all()} == seats_before
    error = re.search(rf'<div class="error" id="id_{field}_error">(.*?)</div>', body, re.S)
    assert error and message in error.group(1)
    assert 'role="alert"' in body
    if (field, bookable_session.experience.adults_only) != ("children", True):  # a hidden input describes nothing
        assert re.search(rf'aria-describedby="[^"]*id_{field}_error', body)


def test_every_mistake_in_the_form_is_shown_at_once(client, village, visitor):
    session = SessionFactory(experience=ExperienceFactory(village=village, min_age=6))
    data = form_data(session, visitor, phone="12345", email="xiaoming@")
    body = post_booking(client, session, data).content.decode()
    for field in ("phone", "email", "min_age_confirmed"):
        assert f'id="id_{field}_error"' in body
    assert Booking.objects.count() == 0


def test_a_refused_form_keeps_what_the_visitor_typed_and_its_submission_key(client, bookable_session, visitor):
    data = form_data(bookable_session, visitor, phone="12345", notes="素食")
    body = post_booking(client, bookable_session, data).content.decode()
    assert 'value="王小明"' in body and "素食" in body
    assert re.search(rf'value="{bookable_session.pk}" id="id_session_{bookable_session.pk}" checked', body)
    assert submission_key(body) == data["submission_key"]
    assert "¥224.00" in body


@pytest.mark.django_db(transaction=True)
def test_a_busy_session_asks_the_visitor_to_try_again_in_a_moment(client, bookable_session, visitor):
    if connection.vendor != "postgresql":
        service_missing("a held row lock needs PostgreSQL: set DATABASE_URL to a PostgreSQL database")
    with session_locked_elsewhere(bookable_session.pk):
        response = post_booking(client, bookable_session, form_data(bookable_session, visitor))
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "Please try again in a moment." in response.content.decode()
    assert Booking.objects.count() == 0


def test_the_booking_address_takes_posts_for_published_experiences_and_sends_other_visits_to_the_page(
    client, bookable_session, visitor
):
    # After a refusal the browser shows this address; switching language there lands on the experience page.
    response = client.get(FORM_PATH.format(lang="en", slug="cenbu-cycling"))
    assert (response.status_code, response["Location"]) == (302, "/en/experiences/cenbu-cycling/")
    assert client.put(FORM_PATH.format(lang="en", slug="cenbu-cycling")).status_code == 405
    hidden = SessionFactory(experience=ExperienceFactory(is_published=False))
    assert post_booking(client, hidden, form_data(hidden, visitor)).status_code == 404
    assert Booking.objects.count() == 0


# The booking page


@pytest.fixture
def booking(bookable_session, visitor):
    return book(bookable_session, visitor, adults=2, children=1)


def manage_path(booking, lang="en") -> str:
    return f"/{lang}/bookings/{booking.reference}/"


def test_the_booking_page_shows_the_booking_privately(client, booking):
    response = client.get(manage_path(booking), {"token": booking.token})
    body = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert '<meta name="robots" content="noindex, nofollow">' in body
    local = timezone.localtime(booking.session.starts_at)
    assert f'datetime="{local.isoformat()}"' in body and local.strftime("%H:%M") in body
    deadline = timezone.localtime(booking.cancellation_deadline)
    assert deadline.strftime("%H:%M") in body
    assert "2 adults, 1 child" in body and "¥224.00" in body
    assert booking.check_in_code not in body
    assert f'action="/en/bookings/{booking.reference}/cancel/"' in body


def test_the_check_in_code_is_shown_once_the_booking_is_confirmed(client, booking):
    services.confirm_booking(booking.pk)
    body = client.get(manage_path(booking), {"token": booking.token}).content.decode()
    assert "Confirmed" in body and booking.check_in_code in body


def test_a_booking_waiting_for_the_village_says_so(client, booking):
    booking.session.experience.requires_approval = True
    booking.session.experience.save()
    services.confirm_booking(booking.pk)
    body = client.get(manage_path(booking), {"token": booking.token}).content.decode()
    assert "The village is reviewing your booking." in body


@pytest.mark.parametrize(
    "token",
    [None, "", "wrong", "x" * 43, "é", "%00"],
    ids=["no token", "empty", "wrong", "same length", "non-ascii", "nul"],
)
def test_the_booking_page_is_not_found_without_the_right_token_and_reveals_nothing(client, booking, visitor, token):
    query = {} if token is None else {"token": token}
    response = client.get(manage_path(booking), query)
    body = response.content.decode()
    assert response.status_code == 404
    assert visitor["name"] not in body and visitor["email"] not in body and booking.check_in_code not in body
    # The same page as for a reference nobody has: nothing tells that this booking exists.
    nobody = client.get("/en/bookings/XX-NOBODY/", query).content.decode()
    assert without_csrf(body.replace(booking.reference, "XX-NOBODY")) == without_csrf(nobody)


def test_another_bookings_token_does_not_open_a_booking(client, booking, bookable_session, visitor):
    other = book(bookable_session, {**visitor, "name": "李雷"}, adults=1)
    response = client.get(manage_path(booking), {"token": other.token})
    assert response.status_code == 404
    assert client.get("/en/bookings/CE-NOSUCH/", {"token": booking.token}).status_code == 404


@pytest.mark.parametrize("reference", ["AB%00CD", "x" * 13, "CE-ABC%20D"])
def test_an_address_that_cannot_be_a_reference_is_not_found(client, booking, reference):
    for suffix in ("", "calendar.ics"):
        assert client.get(f"/en/bookings/{reference}/{suffix}", {"token": booking.token}).status_code == 404
    assert client.post(f"/en/bookings/{reference}/cancel/", {"token": booking.token}).status_code == 404


def test_cancelling_in_time_gives_the_seats_back_and_shows_the_booking_cancelled(client, booking, bookable_session):
    assert seats_left(bookable_session) == 7
    response = client.post(f"{manage_path(booking)}cancel/", {"token": booking.token})
    assert response.status_code == 303
    assert response["Location"] == booking.get_absolute_url()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.cancelled_by == Booking.CancelledBy.VISITOR
    assert seats_left(bookable_session) == 10
    body = client.get(response["Location"]).content.decode()
    assert "This booking has been cancelled." in body
    assert "Cancel booking" not in body


def test_cancelling_needs_the_token(client, booking, bookable_session):
    for data in ({}, {"token": "wrong"}):
        assert client.post(f"{manage_path(booking)}cancel/", data).status_code == 404
    assert client.post(f"{manage_path(booking)}cancel/?token={booking.token}").status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING
    assert seats_left(bookable_session) == 7


def test_cancelling_after_the_window_is_refused_with_a_clear_message(client, village, visitor):
    soon = SessionFactory(
        experience=ExperienceFactory(village=village, cancellation_window_hours=24),
        starts_at=timezone.now() + timedelta(hours=2),
    )
    booking = book(soon, visitor, adults=2)
    page = client.get(manage_path(booking), {"token": booking.token}).content.decode()
    assert "This booking can no longer be cancelled online." in page
    assert "Cancel booking" not in page
    assert "cenbu@example.com" in page
    response = client.post(f"{manage_path(booking)}cancel/", {"token": booking.token})
    assert response.status_code == 409
    assert "This booking can no longer be cancelled online." in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING
    assert seats_left(soon) == 8


def test_the_calendar_file_needs_the_token(client, booking):
    path = f"{manage_path(booking)}calendar.ics"
    assert client.get(path).status_code == 404
    assert client.get(path, {"token": "wrong"}).status_code == 404


@pytest.mark.skipif(
    not hasattr(emails, "booking_calendar"), reason="bookings.emails.booking_calendar is not written yet"
)
def test_the_calendar_file_downloads_with_the_token(client, booking):
    response = client.get(f"{manage_path(booking)}calendar.ics", {"token": booking.token})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'attachment; filename="{booking.reference}.ics"'
    assert "no-store" in response["Cache-Control"]
    assert b"BEGIN:VCALENDAR" in response.content


# Structure of every page


def _experience_page(client, session, visitor):
    return client.get(page_of(session))


def _adults_only_page(client, session, visitor):
    return client.get(page_of(SessionFactory(experience=ExperienceFactory(min_age=18))))


def _min_age_page(client, session, visitor):
    return client.get(page_of(SessionFactory(experience=ExperienceFactory(min_age=6))))


def _refused_form(client, session, visitor):
    return post_booking(client, session, form_data(session, visitor, phone="12345", email="x"))


def _booking_page(client, session, visitor):
    booking = book(session, visitor)
    return client.get(manage_path(booking, "zh-hans"), {"token": booking.token})


@pytest.mark.parametrize(
    "open_page",
    [_experience_page, _adults_only_page, _min_age_page, _refused_form, _booking_page],
    ids=["experience", "adults only", "minimum age", "refused form", "booking page"],
)
def test_every_booking_page_has_one_h1_and_labelled_controls(client, bookable_session, visitor, open_page):
    page = PageStructure(open_page(client, bookable_session, visitor).content.decode())
    assert page.h1_count == 1
    assert {"header", "main", "footer"} <= page.landmarks
    assert page.unlabelled_controls() == []
