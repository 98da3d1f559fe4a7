"""Celery's settings, which config/settings.py takes whole: Redis as the broker when REDIS_URL is set, otherwise
kombu's filesystem transport under var/ (no server); two queues; the beat's schedule and, with Redis, its
single-instance lock (celery-redbeat)."""

from kombu import Queue

from config.env import REDIS_URL, VAR_DIR, env_int
from core.timezones import VILLAGE_TIME_ZONE

CELERY_FILESYSTEM_BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Each worker takes from its queues in the order of CELERY_TASK_QUEUES, not in turns.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "queue_order_strategy": "priority"}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_FILESYSTEM_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_FILESYSTEM_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Two queues, and every worker consumes both (unless started with -Q): "emails" (outbox.dispatch.PROMPT_QUEUE: the
# confirmation of a booking just made and its email) first, then Celery's default one (reminders, sweeps, retries,
# offers, everything else), so a burst of bookings is never emailed behind them.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in ("emails", CELERY_TASK_DEFAULT_QUEUE)]
CELERY_TIMEZONE = VILLAGE_TIME_ZONE
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = True
# The beat: one process (`celery -A config beat`), never -B inside a worker in production (config.celery refuses it).
# With Redis its schedule's state lives there (celery-redbeat) under a lock: a second beat, on another machine, waits
# for the lock and takes over only when the first stops (or, killed, after CELERY_REDBEAT_LOCK_TIMEOUT). Without Redis
# (`make run`) it is Celery's own scheduler with a file under var/.
BEAT_SWEEP_SECONDS = env_int("BEAT_SWEEP_SECONDS", 30, minimum=1)
CELERY_BEAT_SCHEDULE = {
    # Hand over again what a lost message, a dead worker or a broker outage left behind.
    "sweep-outbox": {"task": "outbox.tasks.sweep", "schedule": float(BEAT_SWEEP_SECONDS)},
    "confirm-stragglers": {"task": "bookings.tasks.confirm_stragglers", "schedule": float(BEAT_SWEEP_SECONDS)},
    "queue-reminders": {"task": "bookings.tasks.queue_reminders", "schedule": 600.0},
    # Waiting lists: offers past their time lapse and pass on; seats a raised capacity made are offered.
    "sweep-waitlists": {"task": "bookings.tasks.sweep_waitlists", "schedule": float(BEAT_SWEEP_SECONDS)},
    # Personal data kept no longer than needed (core.personal_data): once a day.
    "purge-personal-data": {"task": "core.tasks.purge_personal_data", "schedule": 24 * 3600.0},
}
# The beat looks at its schedule at least this often; a waiting beat tries the lock as often, and a beat's lock lasts
# five times as long, so a killed beat is replaced within half a minute.
CELERY_BEAT_MAX_LOOP_INTERVAL = 5
if REDIS_URL:
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
    CELERY_REDBEAT_KEY_PREFIX = "redbeat:villages:"
    CELERY_REDBEAT_LOCK_TIMEOUT = 5 * CELERY_BEAT_MAX_LOOP_INTERVAL
    # Ride out a short Redis outage (a failover) instead of stopping; socket options go to its Redis client.
    CELERY_REDBEAT_REDIS_OPTIONS = {"retry_period": 60, "socket_connect_timeout": 2, "socket_timeout": 5}
# Each worker writes "alive" into the shared cache this often; /healthz calls the worker silent after 2 minutes.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 30, minimum=1)
WORKER_SILENT_AFTER_SECONDS = 120
OUTBOX_LATE_AFTER_SECONDS = 300
