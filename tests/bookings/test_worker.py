"""Bookings confirmed by a real Celery worker over a real Redis broker, on the shared PostgreSQL test database."""

import re
import time

import pytest
from django.db.models import F
from django.utils import timezone

from bookings import services
from bookings.models import Booking
from outbox import services as outbox_services
from outbox.dispatch import enqueue
from outbox.models import OutgoingEmail
from residency import services as residency_services
from residency.models import ResidencyApplication
from tests.factories import ResidencyProgramFactory, make_application
from tests.subprocess_django import run_django
from tests.worker import database_url_of_test_database

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


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
        enqueue(outbox_services.SEND_EMAIL_TASK, confirmation.pk)
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

    assert services.confirm_stragglers(now=timezone.now() + outbox_services.SWEEP_GRACE * 2) == 1
    [message] = worker.wait_for_messages("outage@example.com")
    assert reference in message
    wait_until(lambda: Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED)


def test_the_worker_sends_an_applicant_one_email_per_step_and_the_village_its_notice(worker, village):
    program = ResidencyProgramFactory(village=village)
    application = make_application(program, email="nomad@example.com", language="en")
    [received] = worker.wait_for_messages("nomad@example.com")
    assert f"Application received: {program.name_en}" in received
    [notice] = worker.wait_for_messages("cenbu@example.com")
    assert application.reference in notice
    residency_services.decide_application(
        application.pk, ResidencyApplication.Status.ACCEPTED, message="See you in March!"
    )
    messages = worker.wait_for_messages("nomad@example.com", count=2)
    [accepted] = [message for message in messages if "has accepted your application" in message]
    assert "See you in March!" in accepted
    time.sleep(1)
    assert len(worker.messages_to("nomad@example.com")) == 2


def message_ids(messages: list[str]) -> set[str]:
    return {re.search(r"^Message-ID: (.+)$", message, re.MULTILINE).group(1) for message in messages}


def test_an_email_whose_worker_dies_after_delivering_is_sent_again_with_the_same_message_id_then_failed(
    start_worker, bookable_session, settings
):
    settings.MAX_EMAIL_ATTEMPTS = 3
    worker = start_worker(pool="prefork", EMAIL_BACKEND="tests.crashing_email.DeliverThenDie", MAX_EMAIL_ATTEMPTS="3")
    booking, _created = services.create_booking(
        session_id=bookable_session.pk,
        adults=1,
        name="Alex",
        email="alex@example.com",
        phone="13800138000",
        language="en",
    )
    confirmation = lambda: OutgoingEmail.objects.get(booking=booking, kind=OutgoingEmail.Kind.BOOKING_CONFIRMED)  # noqa: E731
    for attempt in range(1, 4):
        worker.wait_for_messages("alex@example.com", count=attempt)
        wait_until(lambda attempt=attempt: confirmation().attempts == attempt)
        assert confirmation().status == OutgoingEmail.Status.SENDING  # delivered, but the worker died before marking
        # The claim is as old as a dead worker's: what three minutes of waiting would make it.
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENDING).update(
            claimed_at=F("claimed_at") - outbox_services.STALE_CLAIM * 2
        )
        outbox_services.sweep()

    email = confirmation()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 3)
    assert "may have been delivered" in email.last_error
    time.sleep(1)
    copies = worker.messages_to("alex@example.com")
    assert len(copies) == 3
    assert len(message_ids(copies)) == 1  # one Message-ID: a mail client shows one email
