"""Row and key locks for the length of a transaction, waited for at most LOCK_TIMEOUT_MS.

PostgreSQL only: on SQLite (`make run`) a write transaction already excludes every other writer, so these are no-ops.
"""

import hashlib
from contextlib import contextmanager

from django.db import OperationalError, connection

from core.errors import Busy

LOCK_TIMEOUT_MS = 3000
LOCK_NOT_AVAILABLE = "55P03"


def _wait_at_most_lock_timeout() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_MS}")


def _is_lock_timeout(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE


def lock_row(queryset, pk, busy: type[Exception] = Busy):
    """Lock one row for this transaction and return it fresh; raise `busy` when the wait runs out."""
    _wait_at_most_lock_timeout()
    try:
        return queryset.select_for_update(of=("self",)).get(pk=pk)
    except OperationalError as error:
        if _is_lock_timeout(error):
            raise busy() from error
        raise


@contextmanager
def busy_when_lock_waits_too_long(busy: type[Exception] = Busy):
    """For statements that lock a row by writing it (an UPDATE, an INSERT's foreign key check) in a transaction that
    set the lock timeout (lock_keys, lock_row): a wait that runs out raises `busy`, as lock_row's does."""
    try:
        yield
    except OperationalError as error:
        if _is_lock_timeout(error):
            raise busy() from error
        raise


def _key_number(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


def lock_keys(*keys: str, busy: type[Exception] = Busy) -> None:
    """Transaction-level advisory locks on names (e.g. a person's email), always taken in one order so that two
    transactions asking for the same names cannot deadlock."""
    if connection.vendor != "postgresql":
        return
    # One round trip: the lock timeout, then each lock in order. The numbers are integers of our own making, so
    # they are written into the statement, which lets PostgreSQL take the statements as one simple query.
    statements = [f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_MS}"]
    statements += [f"SELECT pg_advisory_xact_lock({number:d})" for number in sorted({_key_number(k) for k in keys})]
    try:
        with connection.cursor() as cursor:
            cursor.execute("; ".join(statements))
    except OperationalError as error:
        if _is_lock_timeout(error):
            raise busy() from error
        raise
