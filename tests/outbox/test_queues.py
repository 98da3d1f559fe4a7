"""Confirmations have a queue of their own ("emails"), which every worker takes from first: a booking made while the
default queue is busy (a round of reminders, sweeps, retries) is confirmed and emailed without waiting behind it."""

import pytest

from bookings import services
from config.celery import app as celery_app
from outbox.dispatch import PROMPT_QUEUE
from outbox.models import OutgoingEmail
from outbox.services import PROMPT_KINDS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]

BUSY_TASKS = 300


def waiting_in(queue: str) -> int:
    with celery_app.connection_for_write() as connection:
        return connection.default_channel.client.llen(queue)


def test_a_confirmation_is_sent_while_the_default_queue_is_still_busy(worker, bookable_session, visitor):
    for _ in range(BUSY_TASKS):
        celery_app.send_task("outbox.tasks.sweep")
    services.create_booking(session_id=bookable_session.pk, adults=1, **visitor)

    worker.wait_for_messages(visitor["email"])

    assert waiting_in(celery_app.conf.task_default_queue) > 0, "the confirmation waited for the default queue"
    confirmation = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.BOOKING_CONFIRMED)
    assert confirmation.status == OutgoingEmail.Status.SENT


def test_only_the_emails_a_visitor_waits_for_go_on_the_prompt_queue():
    assert PROMPT_QUEUE == "emails"
    assert [queue.name for queue in celery_app.conf.task_queues] == [PROMPT_QUEUE, celery_app.conf.task_default_queue]
    assert OutgoingEmail.Kind.BOOKING_CONFIRMED in PROMPT_KINDS
    assert OutgoingEmail.Kind.BOOKING_REMINDER not in PROMPT_KINDS
    assert OutgoingEmail.Kind.OPERATOR_NEW_BOOKING not in PROMPT_KINDS
