"""Every write of the outbox: queue an email with the change it reports, send it (at least once, at most
MAX_EMAIL_ATTEMPTS times, one Message-ID), give failed ones another go, and sweep up what was left behind."""

import logging
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone

from core.contact import without_addresses
from outbox import messages
from outbox.dispatch import PROMPT_QUEUE, enqueue, enqueue_on_commit
from outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)

SEND_EMAIL_TASK = "outbox.tasks.send_email"
# A row still "sending" this long after its claim was being sent by a worker that died (the task time limit is over).
STALE_CLAIM = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
SWEEP_GRACE = timedelta(seconds=60)
SWEEP_BATCH = 500
# Sent from the prompt queue on their first attempt: the visitor has just booked (or moved a booking) and waits for
# them. Retries and the sweep's catching up go on the default queue, behind them.
PROMPT_KINDS = {
    OutgoingEmail.Kind.BOOKING_CONFIRMED,
    OutgoingEmail.Kind.BOOKING_RECEIVED,
    OutgoingEmail.Kind.BOOKING_MOVED,
}


def _about_field(about: models.Model) -> str:
    """The foreign key of OutgoingEmail that points at rows like `about` (a booking, an application)."""
    return next(
        field.name
        for field in OutgoingEmail._meta.get_fields()
        if field.many_to_one and field.related_model is type(about)
    )


def queue_email(
    about: models.Model,
    kind: str,
    *,
    now,
    recipient: str | None = None,
    language: str | None = None,
    revision: int = 0,
) -> OutgoingEmail | None:
    """Write an outbox row (at most one per row it is about, kind, recipient and revision); send it once committed.

    By default to the visitor or applicant (`about.email`), in their language; the village's notices name their own
    recipient. A new `revision` (a booking moved) is a new email of the same kind. Returns the new row, or None when
    this email was already queued.
    """
    email, created = OutgoingEmail.objects.get_or_create(
        **{_about_field(about): about},
        kind=kind,
        recipient=recipient or about.email,
        revision=revision,
        defaults={"language": language or about.language, "next_attempt_at": now},
    )
    if not created:
        return None
    enqueue_on_commit(SEND_EMAIL_TASK, email.pk, queue=PROMPT_QUEUE if kind in PROMPT_KINDS else None)
    return email


class EmailSendFailed(Exception):
    """A send failed and will be retried after `retry_in` seconds."""

    def __init__(self, retry_in: int, error: Exception):
        self.retry_in = retry_in
        super().__init__(str(error))


def _backoff_seconds(attempt: int) -> int:
    return min(30 * 2 ** (attempt - 1), 3600)


def send_outgoing_email(email_id, *, now=None) -> str:
    """Send one outbox row: claim it (pending -> sending, one attempt more) atomically, send, mark it sent.

    A redelivered or duplicated task finds the row already claimed or sent and does nothing. A worker that dies
    between sending and marking leaves the row "sending": the sweep gives it another attempt, so delivery is at
    least once, at most MAX_EMAIL_ATTEMPTS times, always with the same Message-ID (messages.message_id).
    Returns "sent", "skipped", "obsolete" or "failed"; raises EmailSendFailed when a retry is scheduled.
    """
    now = now or timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now
    ).update(status=OutgoingEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        if messages.writer_for(email).called_off(email):
            OutgoingEmail.objects.filter(pk=email_id).update(status=OutgoingEmail.Status.OBSOLETE)
            return "obsolete"
        message = messages.build_message(email)
    except Exception as error:  # noqa: BLE001 - a rendering bug must not leave the row claimed forever
        logger.exception("Email %s could not be rendered", email_id)
        OutgoingEmail.objects.filter(pk=email_id).update(
            status=OutgoingEmail.Status.FAILED,
            last_error=without_addresses(f"rendering: {type(error).__name__}: {error}")[:2000],
        )
        return "failed"
    try:
        message.send()
    except (SMTPException, OSError) as error:
        failed_for_good = email.attempts >= settings.MAX_EMAIL_ATTEMPTS
        retry_in = _backoff_seconds(email.attempts)
        OutgoingEmail.objects.filter(pk=email_id).update(
            status=OutgoingEmail.Status.FAILED if failed_for_good else OutgoingEmail.Status.PENDING,
            next_attempt_at=now + timedelta(seconds=retry_in),
            last_error=without_addresses(f"{type(error).__name__}: {error}")[:2000],
        )
        if failed_for_good:
            logger.error(
                "Email %s failed after %s attempts: %s", email_id, email.attempts, without_addresses(str(error))
            )
            return "failed"
        raise EmailSendFailed(retry_in, error) from error
    OutgoingEmail.objects.filter(pk=email_id).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def retry_failed_emails(email_ids, *, now=None) -> int:
    """Give failed emails a fresh set of attempts (an operator asked, e.g. after fixing the mail server)."""
    now = now or timezone.now()
    failed = OutgoingEmail.objects.filter(pk__in=list(email_ids), status=OutgoingEmail.Status.FAILED)
    ids = list(failed.values_list("pk", flat=True))
    OutgoingEmail.objects.filter(pk__in=ids).update(
        status=OutgoingEmail.Status.PENDING, attempts=0, next_attempt_at=now
    )
    for email_id in ids:
        enqueue_on_commit(SEND_EMAIL_TASK, email_id)
    return len(ids)


def sweep(*, now=None) -> dict:
    """Catch up on what a lost message, a dead worker or a broker outage left behind."""
    now = now or timezone.now()
    stale = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    # The claim counted the attempt; the worker died in it, perhaps after the message went out.
    stuck = "The worker stopped while sending; the message may have been delivered."
    given_up = stale.filter(attempts__gte=settings.MAX_EMAIL_ATTEMPTS)
    failed_ids = list(given_up.values_list("pk", flat=True))
    if failed_ids:
        logger.error(
            "Emails %s failed: a worker stopped while sending each of them, %s times",
            failed_ids,
            settings.MAX_EMAIL_ATTEMPTS,
        )
        given_up.filter(pk__in=failed_ids).update(status=OutgoingEmail.Status.FAILED, last_error=stuck)
    retried = stale.filter(attempts__lt=settings.MAX_EMAIL_ATTEMPTS)
    retry_ids = list(retried.values_list("pk", flat=True))
    retried.filter(pk__in=retry_ids).update(status=OutgoingEmail.Status.PENDING, next_attempt_at=now, last_error=stuck)
    due = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now - SWEEP_GRACE
        ).values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for email_id in [*retry_ids, *due]:
        enqueue(SEND_EMAIL_TASK, email_id)
    return {"reclaimed": len(retry_ids), "failed": len(failed_ids), "emails": len(due)}
