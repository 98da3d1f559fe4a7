"""GET /healthz: is the site able to do its work? Database, broker, a live worker, and emails leaving in time.

200 with "status": "ok" or "degraded" (the broker unreachable, no worker heard from in WORKER_SILENT_AFTER_SECONDS,
or the oldest email still waiting older than OUTBOX_LATE_AFTER_SECONDS); 503 only when the database is down.
Answered over plain HTTP even when HTTPS is enforced (SECURE_REDIRECT_EXEMPT), so a load balancer can probe it.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Min
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from redis.exceptions import RedisError

from config.celery import app as celery_app
from outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)

WORKER_HEARTBEAT_KEY = "health:worker-heartbeat"


def record_worker_heartbeat() -> None:
    """Called by every worker every WORKER_HEARTBEAT_SECONDS (config.celery.Heartbeat)."""
    try:
        cache.set(WORKER_HEARTBEAT_KEY, time.time(), timeout=24 * 3600)
    except (RedisError, OSError) as error:
        logger.warning("Worker heartbeat not recorded: the cache cannot be reached (%s)", error)


def seconds_since_worker_heartbeat() -> float | None:
    """None when no worker has been heard from at all (or the cache cannot tell)."""
    try:
        last = cache.get(WORKER_HEARTBEAT_KEY)
    except (RedisError, OSError):
        return None
    return None if last is None else max(time.time() - last, 0.0)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001 - any failure to connect means "down", whatever the transport raised
        return False


def oldest_waiting_email_seconds() -> int | None:
    """How long the oldest email not yet sent (waiting, or being sent) has been in the outbox; 0 when none, None
    when the outbox cannot be read (a database not migrated yet)."""
    try:
        oldest = OutgoingEmail.objects.filter(
            status__in=[OutgoingEmail.Status.PENDING, OutgoingEmail.Status.SENDING]
        ).aggregate(oldest=Min("created_at"))["oldest"]
    except DatabaseError as error:
        logger.error("Health check cannot read the outbox: %s", error)
        return None
    return 0 if oldest is None else max(int((timezone.now() - oldest).total_seconds()), 0)


@never_cache
def healthz(request):
    database = database_ok()
    broker = broker_ok()
    since_heartbeat = seconds_since_worker_heartbeat()
    heard_lately = since_heartbeat is not None and since_heartbeat < settings.WORKER_SILENT_AFTER_SECONDS
    worker = "ok" if heard_lately else "silent"
    body = {
        "database": "ok" if database else "unreachable",
        "broker": "ok" if broker else "unreachable",
        "worker": worker,
    }
    if not database:
        return JsonResponse({"status": "down", **body, "outbox_oldest_pending_seconds": None}, status=503)
    waiting = oldest_waiting_email_seconds()
    healthy = broker and worker == "ok" and waiting is not None and waiting <= settings.OUTBOX_LATE_AFTER_SECONDS
    return JsonResponse({"status": "ok" if healthy else "degraded", **body, "outbox_oldest_pending_seconds": waiting})
