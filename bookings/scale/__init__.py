"""Generated villages, experiences, sessions and bookings in bulk, to measure the site at ten
times its data (README "Speed at ten times the data"); `--delete` takes them away again.

    manage.py seed_scale --villages 1000 --experiences 10000 --sessions 500000 --bookings 1000000
    manage.py seed_scale --delete

It lives in the bookings app because it writes the catalogue and the bookings on it (bookings may import villages,
never the other way round). PostgreSQL only: rows go in with COPY (psycopg 3), in one transaction, then the tables
are analysed so the planner knows their new size.

Every generated row is marked: towns, villages and experiences have slugs starting with `gen-`; sessions are the
generated experiences'; bookings are on generated sessions, with emails @generated.invalid. `--delete` removes
exactly those (and whatever else was added on them later: bookings made on generated sessions, waiting lists, their
emails, live streams of generated villages), with set-based DELETEs in dependency order, and leaves the demo and
every other row alone. A second run without --delete refuses and adds nothing.

The shape: published villages spread over the existing districts' towns and a few generated ones, ~10 experiences
each of the existing kinds with Chinese and English texts (萤火虫 / fireflies rarely: one experience in 1000), sessions
from 60 days back to 180 days ahead with 8-30 seats, bookings mostly confirmed (past sessions: checked in, no-shows,
cancellations too), each session's `seats_taken` the seats of its bookings that hold seats, never above capacity.
Do not run a Celery beat against a generated database: it would queue reminders for the bookings of the next day.
"""

import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from bookings.models import Booking
from bookings.scale.calendar import CalendarRows
from bookings.scale.catalogue import CatalogueRows
from bookings.scale.rows import (
    GENERATED_EMAIL_DOMAIN,
    GENERATED_PREFIX,
    REFERENCE_SPACE,
    generated_experiences,
    generated_villages,
)
from core import page_cache
from villages.models import Experience, Session, Village, VillageHonour

__all__ = [
    "GENERATED_EMAIL_DOMAIN",
    "GENERATED_PREFIX",
    "REFERENCE_SPACE",
    "Generator",
    "generated_experiences",
    "generated_villages",
]


class Generator(CatalogueRows, CalendarRows):
    """One run of the generator: plans with a seeded random number generator, writes with COPY."""

    def __init__(
        self, command: BaseCommand, seed: int, *, villages: int, experiences: int, sessions: int, bookings: int
    ):
        self.command = command
        self.rng = random.Random(seed)
        self.sizes = {"villages": villages, "experiences": experiences, "sessions": sessions, "bookings": bookings}
        self.now = timezone.now()
        self.tz = timezone.get_default_timezone()
        self.today = timezone.localdate(self.now, timezone=self.tz)

    def run(self):
        out = self.command.stdout
        out.write(
            "Generating {villages:,} villages, {experiences:,} experiences, {sessions:,} sessions and {bookings:,} "
            "bookings…".format(**self.sizes)
        )
        with transaction.atomic():
            towns = self.towns()
            villages = self.villages(towns)
            experiences = self.experiences(villages["rows"])
            sessions = self.sessions(experiences)
            bookings = self.bookings(experiences, sessions)
        page_cache.catalogue_changed()  # COPY sends no signals: the kept pages must not hide the new rows
        self.command.analyse([Village, VillageHonour, Experience, Session, Booking])
        elapsed = time.monotonic() - self.command.started
        out.write(f"  towns: {towns['report']}")
        out.write(f"  villages: {villages['report']}")
        out.write(f"  experiences: {experiences['report']}")
        out.write(f"  sessions: {sessions['report']}")
        out.write(f"  bookings: {bookings['report']}")
        out.write(f"  steps: {', '.join(self.command.timings)}")
        out.write(self.command.style.SUCCESS(f"Generated in {elapsed:.1f} s ({elapsed / 60:.1f} min)."))
