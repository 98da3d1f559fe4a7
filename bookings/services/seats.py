"""The one place a session's count of seats taken changes: the count and the pages that show it move together."""

from django.db import connection

from core import page_cache
from villages.models import Session


def change_seats(session_id, seats: int, *, within_capacity: bool = False) -> bool:
    """Add `seats` to the session's seats_taken (a negative number gives them back); with `within_capacity`, only if
    they fit. Returns whether the count changed. The caller holds the session's lock."""
    table = connection.ops.quote_name(Session._meta.db_table)
    condition, parameters = (" AND seats_taken <= capacity - %s", [seats]) if within_capacity else ("", [])
    with connection.cursor() as cursor:
        # RETURNING names the experience whose page must show the new count, without reading the row again.
        cursor.execute(
            f"UPDATE {table} SET seats_taken = seats_taken + %s WHERE id = %s{condition} RETURNING experience_id",
            [seats, session_id, *parameters],
        )
        changed = cursor.fetchone()
    if changed:
        page_cache.seats_changed(changed[0])
    return changed is not None
