"""The one Celery app. `celery -A config worker` finds it here."""

import os

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def make_filesystem_broker_folders(sender, **kwargs):
    """The filesystem transport expects its folders to exist."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


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
