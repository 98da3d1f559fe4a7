"""Rate limits per client address on every anonymous write and every secret lookup, counted in the shared cache
(Redis under CI). Over the limit: 429 with Retry-After, nothing written; the web forms keep what was typed."""

import json
import re

import pytest
from django.utils import translation

from bookings import services
from bookings.models import Booking
from outbox.models import OutgoingEmail
from residency.models import ResidencyApplication
from tests.factories import ExperienceFactory, ResidencyProgramFactory, SessionFactory, application_fields, new_contact

pytestmark = pytest.mark.django_db

BOOKINGS_API = "/api/v1/bookings/"
APPLICATIONS_API = "/api/v1/residency-applications/"


@pytest.fixture
def roomy_session(village):
    """Plenty of seats, so that only the limits under test can refuse a booking."""
    return SessionFactory(experience=ExperienceFactory(village=village, capacity=100), capacity=100)


def api_booking(client, session, contact=None, **headers):
    body = {"session": session.pk, "adults": 1, "name": "王小明", **(contact or new_contact())}
    return client.post(BOOKINGS_API, json.dumps(body), content_type="application/json", **headers)


def seats_taken(session) -> int:
    session.refresh_from_db()
    return session.seats_taken


def retry_after(response) -> int:
    seconds = int(response["Retry-After"])
    assert 0 < seconds <= 24 * 3600
    return seconds


# --- Bookings: RATE_LIMIT_BOOKINGS, 10 an hour by default, API and web form together


def test_the_eleventh_booking_attempt_in_an_hour_from_one_address_is_429_and_books_nothing(client, roomy_session):
    answers = [api_booking(client, roomy_session, HTTP_ACCEPT_LANGUAGE="en") for _ in range(11)]

    assert [answer.status_code for answer in answers] == [201] * 10 + [429]
    refused = answers[-1]
    retry_after(refused)
    assert refused.json() == {"detail": refused.json()["detail"]}
    assert refused.json()["detail"].startswith("Too many booking attempts have come from your network.")
    assert Booking.objects.count() == 10
    assert seats_taken(roomy_session) == 10
    assert refused["Cache-Control"].startswith("max-age=0")  # never kept by a cache on the way


def test_refused_attempts_count_as_attempts(client, roomy_session):
    for _ in range(10):
        assert api_booking(client, roomy_session, new_contact() | {"email": "not an address"}).status_code == 400

    assert api_booking(client, roomy_session).status_code == 429
    assert Booking.objects.count() == 0


def test_another_address_has_its_own_count(client, roomy_session):
    for _ in range(10):
        api_booking(client, roomy_session)
    assert api_booking(client, roomy_session).status_code == 429

    assert api_booking(client, roomy_session, REMOTE_ADDR="203.0.113.9").status_code == 201


def test_a_forwarded_for_header_changes_nothing_when_no_proxy_is_trusted(client, roomy_session):
    answers = [
        api_booking(client, roomy_session, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}") for number in range(1, 12)
    ]

    assert [answer.status_code for answer in answers] == [201] * 10 + [429]


def test_behind_a_proxy_each_client_is_counted_by_the_address_the_proxy_adds(client, roomy_session, settings):
    settings.BEHIND_PROXY = True
    settings.RATE_LIMIT_BOOKINGS = "2/d"
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # What a client writes into the header itself stands left of the address the proxy appends.
    first = [
        api_booking(client, roomy_session, HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 198.51.100.7", **proxy) for n in range(3)
    ]
    second = api_booking(client, roomy_session, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)

    assert [answer.status_code for answer in first] == [201, 201, 429]
    assert second.status_code == 201


def test_addresses_of_one_ipv6_network_share_a_count(client, roomy_session, settings):
    settings.RATE_LIMIT_BOOKINGS = "1/d"
    assert api_booking(client, roomy_session, REMOTE_ADDR="2001:db8:5:7::1").status_code == 201
    assert api_booking(client, roomy_session, REMOTE_ADDR="2001:db8:5:7:ffff::2").status_code == 429
    assert api_booking(client, roomy_session, REMOTE_ADDR="2001:db8:5:8::1").status_code == 201


def test_the_web_form_shares_the_count_and_answers_a_page_in_the_visitors_language_that_keeps_what_they_typed(
    client, roomy_session
):
    for _ in range(10):
        api_booking(client, roomy_session)
    typed = {
        "session": roomy_session.pk,
        "adults": 2,
        "children": 1,
        "name": "Li Lei",
        "email": "lilei@example.com",
        "phone": "13900139000",
        "notes": "We come by bicycle",
        "language": "en",
        "submission_key": "0123456789abcdef0123456789abcdef",
    }

    response = client.post(f"/en/bookings/new/{roomy_session.experience.slug}/", typed)

    assert response.status_code == 429
    retry_after(response)
    page = response.content.decode()
    assert "Too many booking attempts have come from your network. Please try again in" in page
    for kept in (
        'value="Li Lei"',
        'value="lilei@example.com"',
        'value="13900139000"',
        "We come by bicycle</textarea>",
    ):
        assert kept in page
    assert Booking.objects.count() == 10


def test_the_web_page_of_a_refused_attempt_is_in_chinese_on_the_chinese_site(client, roomy_session, settings):
    settings.RATE_LIMIT_BOOKINGS = "1/d"
    api_booking(client, roomy_session)
    typed = {"session": roomy_session.pk, "adults": 1, "name": "王小明", **new_contact()}

    response = client.post(f"/zh-hans/bookings/new/{roomy_session.experience.slug}/", typed)

    assert response.status_code == 429
    with translation.override("zh-hans"):
        expected = translation.gettext(
            "Too many booking attempts have come from your network. Please try again in %(wait)s."
        )
    assert expected.split("%(wait)s")[0] in response.content.decode()
    assert "王小明" in response.content.decode()


def test_with_rate_limits_off_nothing_is_counted(client, roomy_session, settings):
    settings.RATE_LIMITS_ON = False
    assert {api_booking(client, roomy_session).status_code for _ in range(12)} == {201}


def test_an_unreachable_cache_refuses_nobody(client, roomy_session, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    settings.RATE_LIMIT_BOOKINGS = "1/d"
    assert [api_booking(client, roomy_session).status_code for _ in range(2)] == [201, 201]


# --- Residency applications: RATE_LIMIT_APPLICATIONS, 3 an hour by default


@pytest.fixture
def program(village):
    return ResidencyProgramFactory(village=village)


def apply_by_api(client, program, number):
    fields = application_fields(program, email=f"nomad{number}@example.com")
    fields["arrival_date"] = fields["arrival_date"].isoformat()
    fields["consent"] = "true"
    return client.post(APPLICATIONS_API, fields, HTTP_ACCEPT_LANGUAGE="en")


def test_the_fourth_application_in_an_hour_from_one_address_is_429_and_stores_no_cv(client, program, settings):
    answers = [apply_by_api(client, program, number) for number in range(4)]

    assert [answer.status_code for answer in answers] == [201, 201, 201, 429]
    retry_after(answers[-1])
    assert answers[-1].json()["detail"].startswith("Too many applications have come from your network.")
    assert ResidencyApplication.objects.count() == 3
    assert len([path for path in settings.PRIVATE_ROOT.rglob("*") if path.is_file()]) == 3


def test_a_refused_application_form_comes_back_with_what_was_typed(client, program):
    for number in range(3):
        apply_by_api(client, program, number)
    fields = application_fields(program, name="Robin Hale", email="robin@example.com")
    fields["consent"] = "on"

    response = client.post(f"/en/residency/{program.slug}/apply/", fields)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many applications have come from your network." in page
    assert "Robin Hale" in page and "robin@example.com" in page
    assert not ResidencyApplication.objects.filter(email="robin@example.com").exists()


# --- Secret lookups: RATE_LIMIT_LOOKUPS, 60 a minute by default


@pytest.fixture
def booking(roomy_session):
    booking, _created = services.create_booking(session_id=roomy_session.pk, adults=1, name="王小明", **new_contact())
    return booking


def test_guessing_tokens_of_the_manage_page_is_cut_off_with_a_429_page(client, booking, settings):
    settings.RATE_LIMIT_LOOKUPS = "3/d"
    guesses = [client.get(f"/en/bookings/{booking.reference}/", {"token": f"guess-{n}"}) for n in range(3)]
    right = client.get(booking.get_absolute_url().replace("/zh-hans/", "/en/"))

    assert [guess.status_code for guess in guesses] == [404, 404, 404]
    assert right.status_code == 429
    retry_after(right)
    assert "Too many requests for booking and application pages" in right.content.decode()
    assert "no-store" in right["Cache-Control"] and right["X-Robots-Tag"] == "noindex"


def test_a_limited_visitor_cannot_cancel_and_nothing_changes(client, booking, settings):
    settings.RATE_LIMIT_LOOKUPS = "1/d"
    client.get(booking.get_absolute_url())

    response = client.post(f"/zh-hans/bookings/{booking.reference}/cancel/", {"token": booking.token})

    assert response.status_code == 429
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING
    assert not OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.BOOKING_CANCELLED).exists()


def test_the_token_endpoints_of_the_api_share_the_lookup_count(client, booking, program, settings):
    settings.RATE_LIMIT_LOOKUPS = "2/d"
    application_answer = apply_by_api(client, program, 1).json()

    first = client.get(f"{BOOKINGS_API}{booking.reference}/", {"token": booking.token})
    second = client.get(f"{APPLICATIONS_API}{application_answer['reference']}/", {"token": application_answer["token"]})
    third = client.post(f"{BOOKINGS_API}{booking.reference}/cancel/?token={booking.token}")

    assert [first.status_code, second.status_code, third.status_code] == [200, 200, 429]
    assert re.fullmatch(r"\d+", third["Retry-After"])
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING
