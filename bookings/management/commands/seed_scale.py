"""`manage.py seed_scale`: ten times the data, to measure the site (README "Speed at ten times the data"); the
generator itself, and what it marks as generated, is the package bookings/scale/.

    manage.py seed_scale --villages 1000 --experiences 10000 --sessions 500000 --bookings 1000000
    manage.py seed_scale --delete
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from bookings.models import Booking, WaitlistEntry
from bookings.scale import GENERATED_PREFIX, REFERENCE_SPACE, Generator, generated_experiences, generated_villages
from live.models import LiveStream
from outbox.models import OutgoingEmail
from villages.models import District, Experience, Session, Town, Village


class Command(BaseCommand):
    help = "Generate villages, experiences, sessions and bookings in bulk (PostgreSQL), or --delete them."

    def add_arguments(self, parser):
        parser.add_argument("--villages", type=int, default=1000)
        parser.add_argument("--experiences", type=int, default=10_000)
        parser.add_argument("--sessions", type=int, default=500_000)
        parser.add_argument("--bookings", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=15, help="of the random choices (codes and tokens aside)")
        parser.add_argument("--delete", action="store_true", help="remove the generated rows, and only those")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                f"seed_scale writes with PostgreSQL's COPY; this database is {connection.vendor}. "
                "Set DATABASE_URL to a PostgreSQL database."
            )
        self.started = self.lap = time.monotonic()
        self.timings = []
        if options["delete"]:
            self.delete()
            return
        sizes = {name: options[name] for name in ("villages", "experiences", "sessions", "bookings")}
        if any(value < 0 for value in sizes.values()) or sizes["villages"] < 1:
            raise CommandError("Sizes are whole numbers, with at least one village.")
        if (sizes["sessions"] and not sizes["experiences"]) or (sizes["bookings"] and not sizes["sessions"]):
            raise CommandError("Sessions need experiences, and bookings need sessions.")
        if sizes["bookings"] > REFERENCE_SPACE:
            raise CommandError(f"At most {REFERENCE_SPACE} bookings.")
        existing = generated_villages().count()
        if existing:
            raise CommandError(
                f"{existing} generated villages are already there: nothing added. "
                "Run `seed_scale --delete` first to generate them again."
            )
        Generator(self, options["seed"], **sizes).run()

    def step(self, label: str) -> None:
        now = time.monotonic()
        self.timings.append(f"{label} {now - self.lap:.1f} s")
        self.lap = now
        self.stdout.write(f"  {label}: {now - self.started:.1f} s")
        self.stdout.flush()

    def analyse(self, models, *, vacuum: bool = False) -> None:
        """Tell the planner the tables' new sizes; after deleting, VACUUM too (the space is reused, empty pages at
        the end are given back), unless inside a transaction (tests), where only ANALYZE may run."""
        command = "VACUUM ANALYZE" if vacuum and not connection.in_atomic_block else "ANALYZE"
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
        self.step(command.lower())

    # --- Deleting -------------------------------------------------------------------------------------------------

    def delete(self):
        quote = connection.ops.quote_name
        tables = (Booking, WaitlistEntry, OutgoingEmail, Session, Experience, Village)
        booking, waitlist, email, session, experience, village = (quote(model._meta.db_table) for model in tables)
        stream_sessions = quote(LiveStream.sessions.through._meta.db_table)
        counts = {}
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS gen_sessions, gen_bookings")
            cursor.execute(
                f"CREATE TEMPORARY TABLE gen_sessions AS SELECT s.id FROM {session} s "
                f"JOIN {experience} e ON e.id = s.experience_id JOIN {village} v ON v.id = e.village_id "
                "WHERE e.slug LIKE %s OR v.slug LIKE %s",
                [f"{GENERATED_PREFIX}%"] * 2,
            )
            cursor.execute("ALTER TABLE gen_sessions ADD PRIMARY KEY (id)")
            cursor.execute(
                f"CREATE TEMPORARY TABLE gen_bookings AS SELECT id FROM {booking} "
                "WHERE session_id IN (SELECT id FROM gen_sessions)"
            )
            cursor.execute("ALTER TABLE gen_bookings ADD PRIMARY KEY (id)")
            cursor.execute("ANALYZE gen_sessions")
            cursor.execute("ANALYZE gen_bookings")
            self.step("found the generated sessions and bookings")
            statements = [
                (
                    "emails",
                    f"DELETE FROM {email} WHERE booking_id IN (SELECT id FROM gen_bookings) OR waitlist_entry_id IN "
                    f"(SELECT id FROM {waitlist} WHERE session_id IN (SELECT id FROM gen_sessions))",
                ),
                (None, f"UPDATE {waitlist} SET booking_id = NULL WHERE booking_id IN (SELECT id FROM gen_bookings)"),
                ("waiting-list entries", f"DELETE FROM {waitlist} WHERE session_id IN (SELECT id FROM gen_sessions)"),
                # Bookings elsewhere that were moved or rebooked from a generated session forget where from.
                (
                    None,
                    f"UPDATE {booking} SET moved_from_id = NULL WHERE moved_from_id IN (SELECT id FROM gen_sessions)",
                ),
                (
                    None,
                    f"UPDATE {booking} SET rebooked_from_id = NULL "
                    "WHERE rebooked_from_id IN (SELECT id FROM gen_sessions)",
                ),
                ("bookings", f"DELETE FROM {booking} WHERE id IN (SELECT id FROM gen_bookings)"),
                (None, f"DELETE FROM {stream_sessions} WHERE session_id IN (SELECT id FROM gen_sessions)"),
                ("sessions", f"DELETE FROM {session} WHERE id IN (SELECT id FROM gen_sessions)"),
            ]
            for label, sql in statements:
                cursor.execute(sql)
                if label:
                    counts[label] = cursor.rowcount
                    self.step(f"deleted {label}")
            cursor.execute("DROP TABLE gen_sessions, gen_bookings")
            # The small tables through the ORM, which follows every relation to them (images, venues, routes,
            # honours, memberships, live streams, residency programmes…) in a few set-based DELETEs.
            for label, queryset in (
                ("experiences", Experience.objects.filter(pk__in=generated_experiences().values("pk"))),
                ("villages", generated_villages()),
                ("towns", Town.objects.filter(slug__startswith=GENERATED_PREFIX)),
                ("districts", District.objects.filter(slug__startswith=GENERATED_PREFIX)),
            ):
                _total, per_model = queryset.delete()
                counts[label] = per_model.get(queryset.model._meta.label, 0)
            self.step("deleted experiences, villages, towns")
        self.analyse([Booking, Session, Experience, Village], vacuum=True)
        self.stdout.write(
            self.style.SUCCESS(
                "Deleted "
                + ", ".join(f"{count:,} {label}" for label, count in counts.items())
                + f" in {time.monotonic() - self.started:.1f} s."
            )
        )
