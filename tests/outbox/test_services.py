"""The outbox's services: an email is sent once per claim, retried with backoff, given another attempt when its
worker died, failed after MAX_EMAIL_ATTEMPTS, always under one Message-ID; the sweep hands over what was left."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings import services as booking_services
from outbox import services
from outbox.models import OutgoingEmail
from tests.factories import make_booking

pytestmark = pytest.mark.django_db


def test_an_email_is_sent_once_even_when_its_task_runs_twice(bookable_session, visitor, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core import mail

    booking = make_booking(bookable_session, **visitor)
    booking_services.confirm_booking(booking.pk)
    email = booking.emails.get(kind=OutgoingEmail.Kind.BOOKING_CONFIRMED)
    assert services.send_outgoing_email(email.pk) == "sent"
    assert services.send_outgoing_email(email.pk) == "skipped"
    assert [message.to for message in mail.outbox] == [[visitor["email"]]]


def test_an_unreachable_mail_server_is_retried_with_backoff_then_marked_failed(bookable_session, visitor, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    booking = make_booking(bookable_session, **visitor)
    booking_services.confirm_booking(booking.pk)
    email = booking.emails.get(kind=OutgoingEmail.Kind.BOOKING_CONFIRMED)
    now = timezone.now()
    delays = []
    for attempt in range(1, settings.MAX_EMAIL_ATTEMPTS):
        with pytest.raises(services.EmailSendFailed) as raised:
            services.send_outgoing_email(email.pk, now=now)
        delays.append(raised.value.retry_in)
        email.refresh_from_db()
        assert email.status == OutgoingEmail.Status.PENDING and email.attempts == attempt
        assert services.send_outgoing_email(email.pk, now=now) == "skipped"  # not due until the backoff passes
        now = email.next_attempt_at
    assert delays == sorted(delays) and delays[0] < delays[-1]
    assert services.send_outgoing_email(email.pk, now=now) == "failed"
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert "Connection" in email.last_error or "refused" in email.last_error.lower()


def test_the_sweeps_give_a_dead_workers_claim_back_and_find_unconfirmed_bookings(bookable_session, visitor):
    booking = make_booking(bookable_session, **visitor)
    later = timezone.now() + timedelta(minutes=5)
    assert booking_services.confirm_stragglers(now=later) == 1
    booking_services.confirm_booking(booking.pk)
    assert booking_services.confirm_stragglers(now=later) == 0
    email = booking.emails.get(kind=OutgoingEmail.Kind.BOOKING_CONFIRMED)
    OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingEmail.Status.SENDING, claimed_at=timezone.now())
    assert services.sweep(now=later)["reclaimed"] == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING


def test_a_claim_left_by_a_dead_worker_counts_as_an_attempt_and_the_last_one_fails_the_email(
    bookable_session, visitor, settings
):
    settings.MAX_EMAIL_ATTEMPTS = 2
    booking = make_booking(bookable_session, **visitor)
    booking_services.confirm_booking(booking.pk)
    email = booking.emails.get(kind=OutgoingEmail.Kind.BOOKING_CONFIRMED)
    claimed = timezone.now()
    for attempt in (1, 2):
        # The worker claims the row (an attempt) and dies before it can say how the send went.
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.SENDING, claimed_at=claimed, attempts=attempt
        )
        swept = services.sweep(now=claimed + services.STALE_CLAIM + timedelta(seconds=1))
        email.refresh_from_db()
        if attempt == 1:
            assert swept["reclaimed"] == 1 and email.status == OutgoingEmail.Status.PENDING
    assert swept["failed"] == 1
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 2)
    assert "may have been delivered" in email.last_error


def test_every_attempt_at_an_email_carries_the_same_message_id(bookable_session, visitor, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core import mail

    booking = make_booking(bookable_session, **visitor)
    booking_services.confirm_booking(booking.pk)
    confirmation = booking.emails.get(kind=OutgoingEmail.Kind.BOOKING_CONFIRMED)
    assert services.send_outgoing_email(confirmation.pk) == "sent"
    OutgoingEmail.objects.filter(pk=confirmation.pk).update(status=OutgoingEmail.Status.PENDING)
    assert services.send_outgoing_email(confirmation.pk) == "sent"

    first, second = (message.message()["Message-ID"] for message in mail.outbox)
    assert first == second
    assert re.fullmatch(r"<outbox-\d+-\d{20}@localhost>", first)
    other = booking.emails.get(kind=OutgoingEmail.Kind.OPERATOR_NEW_BOOKING)
    services.send_outgoing_email(other.pk)
    assert mail.outbox[-1].message()["Message-ID"] != first
