"""The attack of issue 10 against the site as production serves it: gunicorn with two worker processes, PostgreSQL,
and the rate-limit counters in Redis, which both processes share."""

import json
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from bookings.models import Booking
from tests.conftest import service_missing
from tests.factories import ExperienceFactory, SessionFactory, make_booking, new_contact
from tests.server import Gunicorn
from villages.models import Session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


@pytest.fixture
def site(redis_url, tmp_path):
    if connection.vendor != "postgresql":
        service_missing("gunicorn shares the test database with the test: set DATABASE_URL to PostgreSQL")
    server = Gunicorn(tmp_path / "gunicorn.log", workers=2).start()
    yield server
    server.stop()


def book(site, session_id, adults, contact) -> int:
    body = json.dumps({"session": session_id, "adults": adults, "name": "Attacker", **contact}).encode()
    request = urllib.request.Request(
        f"{site.url}/api/v1/bookings/", data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_sixteen_quick_bookings_with_one_phone_number_take_five_sessions_and_then_get_429s(site):
    kayaking = ExperienceFactory(slug="kayaking", capacity=8, max_party_size=8)
    sessions = [SessionFactory(experience=kayaking) for _ in range(16)]
    phone = "13800138000"

    statuses = [
        book(site, session.pk, 8, {"email": f"a+{n}@example.com", "phone": phone, "language": "en"})
        for n, session in enumerate(sessions)
    ]

    # Five upcoming bookings is all one phone number may hold; the address is cut off after ten attempts.
    assert statuses == [201] * 5 + [409] * 5 + [429] * 6
    assert sum(Session.objects.filter(pk__in=[s.pk for s in sessions]).values_list("seats_taken", flat=True)) == 40
    assert Booking.objects.count() == 5


def test_both_worker_processes_count_one_limit_per_address(site):
    session = SessionFactory(experience=ExperienceFactory(capacity=100), capacity=100)

    with ThreadPoolExecutor(16) as pool:
        statuses = Counter(pool.map(lambda _n: book(site, session.pk, 1, new_contact()), range(16)))

    assert statuses == {201: 10, 429: 6}
    session.refresh_from_db()
    assert session.seats_taken == 10 == Booking.objects.count()
    assert len(site.processes_that_answered("/api/v1/bookings/")) == 2


def test_the_repositorys_gunicorn_config_keeps_tokens_out_of_the_access_log(tmp_path, redis_url):
    if connection.vendor != "postgresql":
        service_missing("gunicorn shares the test database with the test: set DATABASE_URL to PostgreSQL")
    server = Gunicorn(tmp_path / "gunicorn.log", repo_config=True).start()
    try:
        booking = make_booking(SessionFactory())
        with urllib.request.urlopen(f"{server.url}{booking.get_absolute_url()}", timeout=10) as response:
            assert response.status == 200
    finally:
        server.stop()
    log = (tmp_path / "gunicorn.log").read_text()
    assert f"/zh-hans/bookings/{booking.reference}/" in log  # the request is logged…
    assert booking.token not in log and "token=" not in log  # …without its query string
