"""What the site keeps about a person, for how long, and how to hand it over or erase it (PIPL, like the GDPR).

Each app that holds personal data registers a Holder in its ready(): bookings, residency applications, the outbox.
The commands (purge_personal_data, export_personal_data, erase_personal_data), the daily beat task and the admin's
tools for platform admins go through all of them, in the order registered. No log line carries an erased value.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# What stands where a personal value was.
ERASED = "[erased]"


def erased_address(key: str) -> str:
    """An address that is no one's (the .invalid domain is reserved), distinct per row where the database needs it."""
    return f"erased-{key.lower()}@erased.invalid"


@dataclass(frozen=True)
class Holder:
    """One kind of row holding personal data. Each function takes `now`; `email` is compared in any letter case."""

    name: str
    # (now, dry_run) -> how many rows past their retention were (or would be) anonymised.
    purge: Callable
    # (email) -> the rows about that address, as plain data.
    export: Callable
    # (email, now) -> descriptions of what is still to come for that address (an erasure would have to cancel it).
    upcoming: Callable
    # (email, now, cancel_upcoming) -> how many rows were anonymised.
    erase: Callable


HOLDERS: list[Holder] = []


def register_holder(holder: Holder) -> None:
    HOLDERS.append(holder)


def purge(*, now=None, dry_run: bool = False) -> dict[str, int]:
    """Anonymise everything kept past its retention; nothing still to come is touched. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        counts = {holder.name: holder.purge(now, dry_run) for holder in HOLDERS}
    logger.info("Personal data %s: %s", "that would be purged" if dry_run else "purged", counts)
    return counts


def export(email: str) -> dict:
    """Everything held about one address, as one JSON-ready document."""
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        **{holder.name: holder.export(email) for holder in HOLDERS},
    }


class UpcomingRefusal(Exception):
    """An erasure that would cancel what is still to come, without being told to."""

    def __init__(self, upcoming: list[str]):
        self.upcoming = upcoming
        super().__init__(", ".join(upcoming))


def upcoming(email: str, *, now=None) -> list[str]:
    now = now or timezone.now()
    return [item for holder in HOLDERS for item in holder.upcoming(email, now)]


def erase(email: str, *, cancel_upcoming: bool = False, now=None) -> dict[str, int]:
    """Anonymise everything held about one address. Refuses (UpcomingRefusal, nothing changed) while anything is
    still to come, unless `cancel_upcoming`: then it is cancelled through the normal services first."""
    now = now or timezone.now()
    still_to_come = upcoming(email, now=now)
    if still_to_come and not cancel_upcoming:
        raise UpcomingRefusal(still_to_come)
    counts = {holder.name: holder.erase(email, now, cancel_upcoming) for holder in HOLDERS}
    logger.info("Personal data of one address erased on request: %s", counts)
    return counts
