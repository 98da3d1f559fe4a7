"""Another connection holding a session's row lock, as a long-running booking would (PostgreSQL)."""

import threading
from contextlib import contextmanager

from django.db import connection, transaction

from villages.models import Session


@contextmanager
def session_locked_elsewhere(session_id):
    holding, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            Session.objects.select_for_update().get(pk=session_id)
            holding.set()
            release.wait(timeout=15)
        connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(timeout=5), "the other connection never got the lock"
        yield
    finally:
        release.set()
        holder.join()
