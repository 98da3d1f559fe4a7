"""Handing work to the Celery worker after commit. A broker outage never loses anything: the rows stay, and the
sweeps (outbox.services.sweep, bookings' confirmation sweep) hand them over again."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

from config.celery import app as celery_app

logger = logging.getLogger(__name__)

# The queue of what a visitor waits for right after booking (the confirmation and its email), which workers take
# before anything else; everything else (reminders, sweeps, retries, offers) goes on Celery's default queue.
PROMPT_QUEUE = "emails"


def enqueue(task_name: str, *args, queue: str | None = None) -> bool:
    """Send a task by name now (to `queue`, or the default one); False (and a log line) when the broker cannot be
    reached."""
    try:
        celery_app.send_task(task_name, args=list(args), queue=queue, retry=False)
    except (OperationalError, OSError) as error:
        logger.warning("Broker unreachable, %s%r left for the sweep: %s", task_name, args, error)
        return False
    return True


def enqueue_on_commit(task_name: str, *args, queue: str | None = None) -> None:
    """Send the task once the current transaction has committed, so the worker sees the rows it needs."""
    transaction.on_commit(lambda: enqueue(task_name, *args, queue=queue))
