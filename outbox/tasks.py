"""Thin Celery tasks of the outbox: each takes ids, calls a service, and is safe to run twice."""

from celery import shared_task
from django.conf import settings

from outbox import services


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=settings.MAX_EMAIL_ATTEMPTS)
def send_email(self, email_id: int) -> str:
    try:
        return services.send_outgoing_email(email_id)
    except services.EmailSendFailed as failure:
        # On the default queue: a retry waits behind the confirmations of bookings just made, not before them.
        raise self.retry(countdown=failure.retry_in, exc=failure, queue=settings.CELERY_TASK_DEFAULT_QUEUE) from failure


@shared_task(ignore_result=True)
def sweep() -> dict:
    return services.sweep()
