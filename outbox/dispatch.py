"""Handing work to the Celery worker after commit. A broker outage never loses anything: the rows stay, and the
sweeps (outbox.services.sweep, bookings' confirmation sweep) hand them over again."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

from config.celery import app as celery_app

logger = logging.getLogger(__name__)


def enqueue(task_name: str, *args) -> bool:
    """Send a task by name now; False (and a log line) when the broker cannot be reached."""
    try:
        celery_app.send_task(task_name, args=list(args), retry=False)
    except (OperationalError, OSError) as error:
        logger.warning("Broker unreachable, %s%r left for the sweep: %s", task_name, args, error)
        return False
    return True


def enqueue_on_commit(task_name: str, *args) -> None:
    """Send the task once the current transaction has committed, so the worker sees the rows it needs."""
    transaction.on_commit(lambda: enqueue(task_name, *args))
