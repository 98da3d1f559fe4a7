"""The booking API at /api/v1/bookings/: book, read and cancel with the token; every refusal is the service's."""

import json
import re
from datetime import datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from bookings import services
from bookings.errors import SessionBusy
from bookings.models import Booking
from tests.conftest import service_missing
from tests.factories import ExperienceFactory, SessionFactory, VillageFactory
from tests.locks import session_locked_elsewhere
from villages.models import Session
from villages.months import mask_from_months

pytestmark = pytest.mark.django_db

BOOKINGS = "/api/v1/bookings/"
SHANGHAI = ZoneInfo("Asia/Shanghai")
ISO_SHANGHAI = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$"


def detail_url(reference):
    return f"{BOOKINGS}{reference}/"


def cancel_url(reference):
    return f"{BOOKINGS}{reference}/cancel/"


def body(session, visitor, **changes):
    """A booking request for two adults, as a client would send it."""
    return {"session": session.pk, "adults": 2, **visitor, **changes}


def post(client, data, language=None, key=None):
    headers = {}
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    payload = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(BOOKINGS, payload, content_type="application/json", **headers)


def book(client, session, visitor, **changes):
    response = post(client, body(session, visitor, **changes))
    assert response.status_code == 201, response.content
    return response.json()


def seats_left(session):
    session.refresh_from_db()
    return session.seats_left


def manage_url(booking, language="zh-hans"):
    with translation.override(language):
        return settings.SITE_URL + booking.get_absolute_url()


def starting_in(**delta):
    starts = timezone.now().replace(microsecond=0) + timedelta(**delta)
    return {"starts_at": starts, "ends_at": starts + timedelta(hours=1)}


def outside_may_to_july():
    """A morning at least three days ahead in a month other than May, June and July."""
    day = timezone.localdate() + timedelta(days=3)
    while day.month in (5, 6, 7):
        day += timedelta(days=1)
    starts = datetime.combine(day, time(10), tzinfo=SHANGHAI)
    return {"starts_at": starts, "ends_at": starts + timedelta(hours=1)}


# --- Booking


def test_booking_two_adults_and_a_child_answers_201_with_the_reference_the_token_and_the_price(
    client, bookable_session, visitor
):
    response = post(client, body(bookable_session, visitor, adults=2, children=1, notes="  Two bikes, one seat. "))

    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == {
        "reference",
        "token",
        "status",
        "total_price",
        "session",
        "adults",
        "children",
        "source",
        "manage_url",
    }
    assert data["source"] == ""  # booked on the site itself, not from a live stream
    booking = Booking.objects.get()
    assert data["reference"] == booking.reference and data["reference"].startswith("CE-")
    assert data["token"] == booking.token
    assert data["status"] == "pending"
    assert data["total_price"] == "224.00"
    assert (data["session"], data["adults"], data["children"]) == (bookable_session.pk, 2, 1)
    assert data["manage_url"] == manage_url(booking)
    assert data["manage_url"].startswith(f"{settings.SITE_URL}/zh-hans/")
    assert data["manage_url"].endswith(f"?token={booking.token}")
    assert booking.phone == "+8613800138000"
    assert booking.notes == "Two bikes, one seat."
    assert booking.language == "zh-hans"


def test_a_booking_holds_its_seats_at_once(client, bookable_session, visitor):
    before = seats_left(bookable_session)
    book(client, bookable_session, visitor, adults=2, children=1)
    assert seats_left(bookable_session) == before - 3


def test_the_booking_language_is_the_requests_unless_the_client_names_one(client, bookable_session, visitor):
    del visitor["language"]
    english = post(client, body(bookable_session, visitor), language="en")
    chinese = post(client, body(bookable_session, visitor), language="zh-hans")
    named = post(client, body(bookable_session, visitor, language="zh-hans"), language="en")

    assert Booking.objects.get(reference=english.json()["reference"]).language == "en"
    assert Booking.objects.get(reference=chinese.json()["reference"]).language == "zh-hans"
    assert Booking.objects.get(reference=named.json()["reference"]).language == "zh-hans"
    assert english.json()["manage_url"].startswith(f"{settings.SITE_URL}/en/")


def test_an_anonymous_client_needs_no_csrf_token_even_with_a_logged_in_session(
    bookable_session, visitor, django_user_model
):
    client = Client(enforce_csrf_checks=True)
    assert post(client, body(bookable_session, visitor)).status_code == 201
    client.force_login(django_user_model.objects.create_user("staff", password="x"))
    assert post(client, body(bookable_session, visitor)).status_code == 201


def test_the_last_seat_goes_then_the_session_is_sold_out_with_409(client, bookable_session, visitor):
    book(client, bookable_session, visitor, adults=10)

    response = post(client, body(bookable_session, visitor, adults=1), language="en")

    assert response.status_code == 409
    assert response.json() == {"detail": "Sorry, this session is sold out."}
    assert Booking.objects.count() == 1


def test_asking_for_more_seats_than_are_left_is_409_and_books_nothing(client, bookable_session, visitor):
    book(client, bookable_session, visitor, adults=8)

    response = post(client, body(bookable_session, visitor, adults=3), language="en")

    assert response.status_code == 409
    assert response.json() == {"detail": "Not enough seats are left in this session."}
    assert Booking.objects.count() == 1
    assert seats_left(bookable_session) == 2


@pytest.mark.django_db(transaction=True)
def test_a_busy_session_answers_503_with_retry_after(client, bookable_session, visitor):
    if connection.vendor != "postgresql":
        service_missing("a held row lock needs PostgreSQL: set DATABASE_URL to a PostgreSQL database")
    with session_locked_elsewhere(bookable_session.pk):
        response = post(client, body(bookable_session, visitor), language="en")

    assert response.status_code == 503
    assert response["Retry-After"] == str(SessionBusy.retry_after_seconds)
    assert "try again" in response.json()["detail"]
    assert Booking.objects.count() == 0


REFUSALS = {
    "nobody": (lambda: SessionFactory(), {"adults": 0, "children": 0}, "adults"),
    "children on an adults-only experience": (
        lambda: SessionFactory(experience=ExperienceFactory(min_age=18)),
        {"children": 1},
        "children",
    ),
    "a bad email": (lambda: SessionFactory(), {"email": "xiaoming@"}, "email"),
    "a bad phone": (lambda: SessionFactory(), {"phone": "12345"}, "phone"),
    "no name": (lambda: SessionFactory(), {"name": "   "}, "name"),
    "an unknown language": (lambda: SessionFactory(), {"language": "fr"}, "language"),
    "a past session": (lambda: SessionFactory(**starting_in(hours=-1)), {}, "session"),
    "a cancelled session": (lambda: SessionFactory(status=Session.Status.CANCELLED), {}, "session"),
    "an unpublished experience": (
        lambda: SessionFactory(experience=ExperienceFactory(is_published=False)),
        {},
        "session",
    ),
    "an unpublished village": (
        lambda: SessionFactory(experience=ExperienceFactory(village=VillageFactory(is_published=False))),
        {},
        "session",
    ),
    "a session out of season": (
        lambda: SessionFactory(
            experience=ExperienceFactory(season_mask=mask_from_months([5, 6, 7])), **outside_may_to_july()
        ),
        {},
        "session",
    ),
    "a party over the experience's limit": (
        lambda: SessionFactory(experience=ExperienceFactory(max_party_size=4)),
        {"adults": 3, "children": 2},
        "adults",
    ),
}


@pytest.mark.parametrize(("make_session", "changes", "field"), REFUSALS.values(), ids=REFUSALS.keys())
def test_a_booking_the_rules_refuse_is_400_on_the_field_at_fault_and_writes_nothing(
    client, visitor, make_session, changes, field
):
    session = make_session()
    taken = session.seats_taken

    response = post(client, body(session, visitor, **changes), language="en")

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert all(isinstance(message, str) and message for message in response.json()[field])
    assert Booking.objects.count() == 0
    session.refresh_from_db()
    assert session.seats_taken == taken


def test_an_unpublished_experience_is_refused_exactly_like_a_session_that_does_not_exist(client, visitor):
    hidden = SessionFactory(experience=ExperienceFactory(is_published=False))
    unpublished = post(client, body(hidden, visitor), language="en")
    unknown = post(client, {**body(hidden, visitor), "session": hidden.pk + 1000}, language="en")
    assert unpublished.status_code == unknown.status_code == 400
    assert unpublished.json() == unknown.json() == {"session": ["There is no such session."]}


# --- Idempotency


def test_a_retry_with_the_same_key_answers_200_with_the_first_booking_and_books_nothing_more(
    client, bookable_session, visitor
):
    first = post(client, body(bookable_session, visitor), key="retry-7f1c")
    retry = post(client, body(bookable_session, visitor), key="retry-7f1c")

    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    assert retry.status_code == 200
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert Booking.objects.count() == 1
    assert seats_left(bookable_session) == 8


def test_the_same_key_with_a_different_body_is_422_and_books_nothing(client, bookable_session, visitor):
    post(client, body(bookable_session, visitor), key="retry-7f1c")

    response = post(client, body(bookable_session, visitor, adults=3), key="retry-7f1c", language="en")

    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert Booking.objects.count() == 1


def test_twenty_quick_retries_make_one_booking(client, bookable_session, visitor, settings):
    settings.RATE_LIMIT_BOOKINGS = "20/h"  # every retry counts as an attempt; here the limit lets all twenty in
    responses = [post(client, body(bookable_session, visitor), key="impatient-tapper") for _ in range(20)]

    assert [response.status_code for response in responses] == [201] + [200] * 19
    assert len({response.json()["reference"] for response in responses}) == 1
    assert Booking.objects.count() == 1


def test_without_a_key_the_same_body_twice_is_two_bookings(client, bookable_session, visitor):
    book(client, bookable_session, visitor)
    book(client, bookable_session, visitor)
    assert Booking.objects.count() == 2


@pytest.mark.parametrize("key", ["", "k" * 101, "tab\tinside", "caf\u00e9"], ids=["empty", "101", "tab", "latin1"])
def test_an_idempotency_key_that_is_not_1_to_100_printable_ascii_characters_is_400(
    client, bookable_session, visitor, key
):
    response = post(client, body(bookable_session, visitor), key=key, language="en")
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert Booking.objects.count() == 0


def test_a_key_of_100_printable_characters_is_accepted(client, bookable_session, visitor):
    assert post(client, body(bookable_session, visitor), key="~ !" * 33 + "x").status_code == 201


# --- Reading a booking


def test_the_holder_of_the_token_reads_the_booking(client, bookable_session, visitor):
    made = book(client, bookable_session, visitor, adults=2, children=1, notes="Vegetarian")

    response = client.get(detail_url(made["reference"]), {"token": made["token"]}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    data = response.json()
    booking = Booking.objects.get()
    experience = bookable_session.experience
    assert data == {
        "reference": booking.reference,
        "status": "pending",
        "total_price": "224.00",
        "session": {
            "id": bookable_session.pk,
            "starts_at": timezone.localtime(bookable_session.starts_at).isoformat(),
            "ends_at": timezone.localtime(bookable_session.ends_at).isoformat(),
        },
        "experience": {"slug": "cenbu-cycling", "title": experience.title_en},
        "village": {"slug": "cenbu", "name": experience.village.name_en},
        "adults": 2,
        "children": 1,
        "name": "王小明",
        "email": "xiaoming@example.com",
        "phone": "+8613800138000",
        "notes": "Vegetarian",
        "source": "",
        "check_in_code": None,
        "cancellable": True,
        "movable": True,
        "cancellation_deadline": timezone.localtime(bookable_session.starts_at - timedelta(hours=24)).isoformat(),
        "created_at": data["created_at"],
        "manage_url": manage_url(booking, "en"),
    }
    for moment in (data["session"]["starts_at"], data["cancellation_deadline"], data["created_at"]):
        assert re.fullmatch(ISO_SHANGHAI, moment), moment
    assert "no-store" in response["Cache-Control"]


def test_the_check_in_code_shows_once_the_booking_is_confirmed(client, bookable_session, visitor):
    made = book(client, bookable_session, visitor)
    services.confirm_booking(Booking.objects.get().pk)

    data = client.get(detail_url(made["reference"]), {"token": made["token"]}).json()

    assert data["status"] == "confirmed"
    assert data["check_in_code"] == Booking.objects.get().check_in_code


def test_titles_follow_the_language_of_the_request(client, bookable_session, visitor):
    made = book(client, bookable_session, visitor)
    url = detail_url(made["reference"])
    chinese = client.get(url, {"token": made["token"]}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert chinese["experience"]["title"] == bookable_session.experience.title_zh_hans
    assert chinese["manage_url"].startswith(f"{settings.SITE_URL}/zh-hans/")


@pytest.mark.parametrize(
    "reference_and_token",
    [
        lambda made: (made["reference"], None),
        lambda made: (made["reference"], ""),
        lambda made: (made["reference"], made["token"][:-1] + ("A" if made["token"][-1] != "A" else "B")),
        lambda made: (made["reference"], "令牌"),
        lambda made: (made["reference"], made["token"] + "\x00"),
        lambda made: ("CE-XXXXXX", made["token"]),
        lambda made: ("%00", made["token"]),
        lambda made: ("R" * 500, made["token"]),
        lambda made: ("参考号", made["token"]),
    ],
    ids=[
        "no token",
        "empty token",
        "wrong token",
        "unicode token",
        "nul in token",
        "unknown reference",
        "nul reference",
        "long reference",
        "unicode reference",
    ],
)
def test_without_the_right_reference_and_token_it_is_the_same_generic_404(
    client, bookable_session, visitor, reference_and_token
):
    reference, token = reference_and_token(book(client, bookable_session, visitor))
    params = {} if token is None else {"token": token}

    response = client.get(detail_url(reference), params, HTTP_ACCEPT_LANGUAGE="en")
    cancel = client.post(f"{cancel_url(reference)}?{urlencode(params)}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == cancel.status_code == 404
    assert response.json() == cancel.json() == {"detail": "Not found."}
    assert Booking.objects.get().status == Booking.Status.PENDING


def test_the_reference_is_found_whatever_its_case(client, bookable_session, visitor):
    made = book(client, bookable_session, visitor)
    response = client.get(detail_url(made["reference"].lower()), {"token": made["token"]})
    assert response.status_code == 200
    assert response.json()["reference"] == made["reference"]


# --- Cancelling


def test_cancelling_within_the_window_gives_the_seats_back_and_a_second_cancel_is_the_same_200(
    client, bookable_session, visitor
):
    made = book(client, bookable_session, visitor, adults=2, children=1)
    url = cancel_url(made["reference"]) + f"?token={made['token']}"

    first = client.post(url)
    again = client.post(url)

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"reference": made["reference"], "status": "cancelled"}
    assert seats_left(bookable_session) == 10
    booking = Booking.objects.get()
    assert (booking.status, booking.cancelled_by) == (Booking.Status.CANCELLED, Booking.CancelledBy.VISITOR)
    read = client.get(detail_url(made["reference"]), {"token": made["token"]}).json()
    assert (read["status"], read["cancellable"], read["movable"], read["check_in_code"]) == (
        "cancelled",
        False,
        False,
        None,
    )


def test_after_the_cancellation_window_cancelling_is_409_and_keeps_the_booking(client, visitor):
    soon = SessionFactory(experience=ExperienceFactory(cancellation_window_hours=24), **starting_in(hours=2))
    made = book(client, soon, visitor)

    response = client.post(cancel_url(made["reference"]) + f"?token={made['token']}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert response.json() == {"detail": "This booking can no longer be cancelled online. Please contact the village."}
    assert Booking.objects.get().status == Booking.Status.PENDING
    assert seats_left(soon) == 8
    read = client.get(detail_url(made["reference"]), {"token": made["token"]}).json()
    assert read["cancellable"] is False


def test_a_checked_in_booking_cannot_be_cancelled(client, bookable_session, visitor):
    made = book(client, bookable_session, visitor)
    Booking.objects.update(status=Booking.Status.CHECKED_IN)

    response = client.post(cancel_url(made["reference"]) + f"?token={made['token']}")

    assert response.status_code == 409
    assert set(response.json()) == {"detail"}


# --- Languages


def test_messages_speak_the_language_the_client_asks_for(client, bookable_session):
    english = post(client, {"session": bookable_session.pk}, language="en")
    chinese = post(client, {"session": bookable_session.pk}, language="zh-hans")

    assert english.status_code == chinese.status_code == 400
    assert english.json()["adults"] == ["This field is required."]
    assert chinese.json()["adults"] == ["该字段是必填项。"]


def test_not_found_speaks_the_language_the_client_asks_for(client):
    assert client.get(detail_url("CE-XXXXXX"), HTTP_ACCEPT_LANGUAGE="en").json() == {"detail": "Not found."}
    assert client.get(detail_url("CE-XXXXXX"), HTTP_ACCEPT_LANGUAGE="zh-hans").json() == {"detail": "未找到。"}


# --- Whatever is sent, never a 500


def deeply_nested(depth=100_000):
    return "[" * depth + "]" * depth


GARBAGE = {
    "not json": "this is not json",
    "empty body": "",
    "truncated json": '{"session": 1, "adults": ',
    "a list": "[1, 2, 3]",
    "a string": '"book me"',
    "a number": "42",
    "null": "null",
    "nested too deeply": deeply_nested(),
    "NaN": '{"session": NaN}',
    "invalid utf-8": b'{"name": "\xff\xfe"}',
    "an integer too long to read": '{"adults": ' + "9" * 5000 + "}",
    "adults as words": {"adults": "two"},
    "adults negative": {"adults": -1},
    "children negative": {"children": -3},
    "adults 10**12": {"adults": 10**12},
    "adults 10**40": {"adults": 10**40},
    "adults a fraction": {"adults": 1.5},
    "adults infinite": '{"adults": 1e400}',
    "adults true": {"adults": True},
    "adults a list": {"adults": [2]},
    "adults null": {"adults": None},
    "children null": {"children": None},
    "session abc": {"session": "abc"},
    "session null": {"session": None},
    "session 0": {"session": 0},
    "session -1": {"session": -1},
    "session 10**12 (no such session)": {"session": 10**12},
    "session beyond 64 bits": {"session": 2**63},
    "session an object": {"session": {"id": 1}},
    "name null": {"name": None},
    "name a boolean": {"name": True},
    "name too long": {"name": "名" * 101},
    "name with a nul": {"name": "Wang\x00"},
    "name with an unpaired surrogate": {"name": "Wang\ud800"},
    "notes with an unpaired surrogate": {"notes": "\ud83d"},
    "email a list": {"email": ["xiaoming@example.com"]},
    "email too long": {"email": "x" * 300 + "@example.com"},
    "phone an object": {"phone": {"number": "13800138000"}},
    "phone too long": {"phone": "1" * 500},
    "language null": {"language": None},
    "language a list": {"language": ["en"]},
    "notes too long": {"notes": "n" * 1001},
    "notes null": {"notes": None},
}


@pytest.mark.parametrize("garbage", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_is_a_400_never_a_500_and_books_nothing(client, bookable_session, visitor, garbage):
    data = json.dumps({**body(bookable_session, visitor), **garbage}) if isinstance(garbage, dict) else garbage

    response = post(client, data, language="en")

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()
    assert Booking.objects.count() == 0


def test_a_body_over_djangos_size_limit_is_a_json_400_and_books_nothing(client, bookable_session, visitor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = post(client, body(bookable_session, visitor, notes="n" * 1000), language="en")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    assert Booking.objects.count() == 0


def test_fields_the_api_does_not_know_are_ignored(client, bookable_session, visitor):
    response = post(client, body(bookable_session, visitor, total_price="0.01", status="confirmed"))
    assert response.status_code == 201
    assert response.json()["total_price"] == "176.00"
    assert response.json()["status"] == "pending"


def test_a_form_encoded_body_is_415(client, bookable_session, visitor):
    response = client.post(BOOKINGS, body(bookable_session, visitor))
    assert response.status_code == 415
    assert Booking.objects.count() == 0


def test_the_schema_documents_the_booking_api_without_warnings(tmp_path):
    from django.core.management import call_command

    schema_file = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))
    schema = schema_file.read_text()
    for expected in ("/api/v1/bookings/{reference}/cancel/", "Idempotency-Key", "Retry-After", "BookingStatusEnum"):
        assert expected in schema
