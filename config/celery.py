"""The one Celery app. `celery -A config worker` finds it here."""

import os

from celery import Celery, bootsteps, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def redbeat_settings() -> dict:
    """celery-redbeat looks its settings up by their bare names (redbeat_redis_url), which the CELERY_ namespace of the
    Django settings hides from it (it would fall back to the broker's, with a warning): give them under those names."""
    from django.conf import settings

    return {
        name.removeprefix("CELERY_").lower(): getattr(settings, name)
        for name in dir(settings)
        if name.startswith("CELERY_REDBEAT_")
    }


app.add_defaults(redbeat_settings)


@app.on_after_configure.connect
def make_filesystem_broker_folders(sender, **kwargs):
    """The filesystem transport expects its folders to exist."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


EMBEDDED_BEAT_REFUSED = (
    "A worker with -B (its own beat) is for `make run` only: with DEBUG off the beat runs as its own process, "
    "`celery -A config beat`, once for the whole site (README: Running on several machines)."
)


@signals.celeryd_init.connect
def refuse_embedded_beat_in_production(sender=None, options=None, **kwargs):
    """Every worker started with -B would run the schedule once more: in production the beat is its own process."""
    from django.conf import settings

    if (options or {}).get("beat") and not settings.DEBUG:
        raise SystemExit(EMBEDDED_BEAT_REFUSED)  # not an Exception: Celery's signal dispatch would only log that


class Heartbeat(bootsteps.StartStopStep):
    """Each worker says "alive" in the shared cache at start and every WORKER_HEARTBEAT_SECONDS, from its own timer
    (not a task), so /healthz can tell a stopped worker from an idle one."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.timer_entry = None

    def start(self, worker):
        from django.conf import settings

        from config.health import record_worker_heartbeat

        record_worker_heartbeat()
        self.timer_entry = worker.timer.call_repeatedly(settings.WORKER_HEARTBEAT_SECONDS, record_worker_heartbeat)

    def stop(self, worker):
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None


app.steps["worker"].add(Heartbeat)
