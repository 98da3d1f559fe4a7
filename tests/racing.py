"""Many requests at the same moment, each on its own database connection (PostgreSQL row locks)."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

RACERS = 20


def race(attempt, refusals: dict[type, str], racers: int = RACERS) -> Counter:
    """Run `attempt(i)` in `racers` threads released together; count what each returned, or the name its
    expected refusal has in `refusals`. Anything else counts as an error with its repr, for the test to show."""
    start = threading.Barrier(racers)

    def run(index):
        try:
            start.wait()
            return attempt(index)
        except tuple(refusals) as refusal:
            return next(name for kind, name in refusals.items() if isinstance(refusal, kind))
        except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
            return f"error: {error!r}"
        finally:
            connection.close()

    with ThreadPoolExecutor(racers) as pool:
        return Counter(pool.map(run, range(racers)))
