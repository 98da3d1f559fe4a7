"""Bookings confirmed by a real Celery worker over a real Redis broker, on the shared PostgreSQL test database."""

import time

import pytest
from django.db import connection
from django.utils import timezone

from bookings import services
from bookings.dispatch import enqueue
from bookings.models import Booking, OutgoingEmail
from tests.conftest import service_missing
from tests.subprocess_django import run_django
from tests.worker import Worker, database_url_of_test_database

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


@pytest.fixture
def worker(redis_url, tmp_path):
    if connection.vendor != "postgresql":
        service_missing("worker tests share the test database with a subprocess: set DATABASE_URL to PostgreSQL")
    running = Worker(mail_dir=tmp_path / "mail", log_path=tmp_path / "worker.log").start()
    yield running
    running.stop()


def wait_until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def test_the_worker_confirms_a_booking_and_sends_exactly_one_confirmation_with_calendar_and_qr(
    worker, bookable_session, visitor
):
    booking, _ = services.create_booking(session_id=bookable_session.pk, adults=2, children=1, **visitor)
    [message] = worker.wait_for_messages(visitor["email"])
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.reference in message
    assert "text/calendar" in message
    assert "image/png" in message
    worker.wait_for_messages("cenbu@example.com")
    time.sleep(1)
    assert len(worker.messages_to(visitor["email"])) == 1


def test_a_redelivered_task_sends_nothing_twice(worker, bookable_session, visitor):
    booking, _ = services.create_booking(session_id=bookable_session.pk, adults=1, **visitor)
    worker.wait_for_messages(visitor["email"])
    confirmation = booking.emails.get(kind=OutgoingEmail.Kind.BOOKING_CONFIRMED)
    for _ in range(3):
        enqueue(services.SEND_EMAIL_TASK, confirmation.pk)
        enqueue(services.CONFIRM_TASK, booking.pk)
    # A later booking's email is processed after the duplicates (one worker, in order): then they are done.
    marker = {**visitor, "email": "marker@example.com"}
    services.create_booking(session_id=bookable_session.pk, adults=1, **marker)
    worker.wait_for_messages("marker@example.com")
    assert len(worker.messages_to(visitor["email"])) == 1


def test_a_booking_made_while_the_broker_is_down_is_confirmed_once_the_sweep_runs(
    worker, bookable_session, visitor, tmp_path
):
    made_during_outage = run_django(
        "from bookings import services\n"
        f"booking, _ = services.create_booking(session_id={bookable_session.pk}, adults=2, name='断网', "
        "email='outage@example.com', phone='13800138000', language='zh-hans')\n"
        "print(booking.reference)",
        DEBUG="true",
        DATABASE_URL=database_url_of_test_database(),
        REDIS_URL="redis://127.0.0.1:1/0",
        VAR_DIR=str(tmp_path / "web"),
    )
    assert made_during_outage.returncode == 0, made_during_outage.stderr
    reference = made_during_outage.stdout.strip().splitlines()[-1]
    booking = Booking.objects.get(reference=reference)
    assert booking.status == Booking.Status.PENDING
    time.sleep(2)
    assert worker.messages_to("outage@example.com") == []

    swept = services.sweep(now=timezone.now() + services.SWEEP_GRACE * 2)
    assert swept["confirmations"] == 1
    [message] = worker.wait_for_messages("outage@example.com")
    assert reference in message
    wait_until(lambda: Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED)
