"""The generator's calendar: each experience's sessions, and the bookings on them, planned so that every session's
seats_taken is the seats of its bookings that hold seats, never above capacity."""

import secrets
from array import array
from datetime import datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.db import connection

from bookings.models import Booking
from bookings.scale.rows import AHEAD_DAYS, GENERATED_EMAIL_DOMAIN, PAST_DAYS, booking_codes, copy_rows
from bookings.scale.texts import (
    FIRST_NAMES,
    GIVEN_NAMES,
    LAST_NAMES,
    MOBILE_PREFIXES,
    NOTES,
    START_TIMES,
    SURNAMES,
)
from villages.models import Session

STATUSES = [
    Booking.Status.CONFIRMED,
    Booking.Status.CHECKED_IN,
    Booking.Status.NO_SHOW,
    Booking.Status.PENDING,
    Booking.Status.CANCELLED,
]
CONFIRMED, CHECKED_IN, NO_SHOW, PENDING, CANCELLED = range(len(STATUSES))
HOLDING = {CONFIRMED, CHECKED_IN, PENDING}  # as Booking.HOLDING_SEATS
BY_VISITOR, BY_OPERATOR = 1, 2
CANCELLED_BY = {0: "", BY_VISITOR: Booking.CancelledBy.VISITOR, BY_OPERATOR: Booking.CancelledBy.OPERATOR}


class CalendarRows:
    """Sessions and bookings, for Generator (which holds rng, sizes, now, tz, today and the command)."""

    def sessions(self, experiences) -> dict:
        """Plan every session (start, seats, called off or not), then each one's bookings, so that the sessions go in
        with their seats_taken; the bookings follow once the sessions have ids."""
        total, rng, tz = self.sizes["sessions"], self.rng, self.tz
        rows = experiences["rows"]
        first_day = self.today - timedelta(days=PAST_DAYS)
        days = PAST_DAYS + AHEAD_DAYS
        starts, experience_of, capacities, called_off = [], array("l"), array("l"), []
        for index, experience in enumerate(rows):
            count = total // len(rows) + (index < total % len(rows))
            times = START_TIMES[experience["kind"]]
            slots = days * len(times)
            if count <= slots:
                chosen = sorted(rng.sample(range(slots), count))
                moments = [
                    (first_day + timedelta(days=slot // len(times)), times[slot % len(times)]) for slot in chosen
                ]
            else:  # more sessions than the day's usual times allow: any minute of the window
                chosen = sorted(rng.sample(range(days * 24 * 60), count))
                moments = [(first_day + timedelta(days=m // 1440), clock(m % 1440 // 60, m % 60)) for m in chosen]
            for day, moment in moments:
                starts.append(datetime.combine(day, moment, tzinfo=tz))
                experience_of.append(index)
                capacities.append(experience["capacity"] if rng.random() < 0.8 else rng.randint(8, 30))
                # About one session in a hundred called off: when, or None.
                off = rng.random() < 0.01
                called_off.append(min(starts[-1] - timedelta(days=2), self.now - timedelta(hours=1)) if off else None)

        # Bookings per session: more on past sessions and the next month's than on those far ahead.
        soon = self.now + timedelta(days=30)
        weights = [1 if off else 3 if start < self.now else 2 if start < soon else 1 for start, off in
                   zip(starts, called_off, strict=True)]  # fmt: skip
        per_session = array("l", [0]) * len(starts)
        if self.sizes["bookings"]:
            for index in rng.choices(range(len(starts)), weights=weights, k=self.sizes["bookings"]):
                per_session[index] += 1
        plan = self.plan_bookings(starts, experience_of, capacities, called_off, per_session, rows)
        self.command.step("planned sessions and bookings")

        def session_rows():
            for index, start in enumerate(starts):
                experience = rows[experience_of[index]]
                cancelled = called_off[index]
                yield (
                    experience["id"],
                    start,
                    start + timedelta(minutes=experience["duration"]),
                    capacities[index],
                    plan["seats_taken"][index],
                    Session.Status.CANCELLED if cancelled else Session.Status.SCHEDULED,
                    "示例：天气原因取消 / Demo: called off for the weather" if cancelled else "",
                    cancelled,
                )

        copy_rows(
            Session,
            [
                "experience_id",
                "starts_at",
                "ends_at",
                "capacity",
                "seats_taken",
                "status",
                "cancellation_reason",
                "cancelled_at",
            ],
            session_rows(),
        )
        # Session ids, in the order planned: per experience by start (the unique pair).
        ids_by_experience = {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT experience_id, array_agg(id ORDER BY starts_at) FROM {Session._meta.db_table} "
                "WHERE experience_id = ANY(%s) GROUP BY experience_id",
                [[experience["id"] for experience in rows]],
            )
            ids_by_experience = dict(cursor.fetchall())
        ids = array("l")
        for experience in rows:
            ids.extend(ids_by_experience.get(experience["id"], []))
        past = sum(start < self.now for start in starts)
        self.command.step("sessions")
        return {
            "ids": ids,
            "starts": starts,
            "experience_of": experience_of,
            "called_off": called_off,
            "plan": plan,
            "report": f"{len(starts):,} from {first_day} to {first_day + timedelta(days=days - 1)} (Shanghai): "
            f"{past:,} past, {len(starts) - past:,} to come, {len(called_off) - called_off.count(None):,} called off; "
            f"{sum(plan['seats_taken']):,} of {sum(capacities):,} seats taken",
        }

    def plan_bookings(self, starts, experience_of, capacities, called_off, per_session, experiences) -> dict:
        """Each booking's party and status, session by session; a party that no longer fits is made smaller, or
        cancelled when the session is full, so seats_taken never passes the capacity."""
        rng, now = self.rng, self.now
        chance = rng.random
        party_adults = [1] * 25 + [2] * 45 + [3] * 20 + [4] * 10
        party_children = [0] * 60 + [1] * 25 + [2] * 15
        session_of, adults_of, children_of, status_of, by_of = (array("l"), array("B"), array("B"), array("B"),
                                                                array("B"))  # fmt: skip
        seats_taken = array("l", [0]) * len(starts)
        for index, count in enumerate(per_session):
            if not count:
                continue
            is_past = starts[index] < now
            is_off = called_off[index] is not None
            most = experiences[experience_of[index]]["max_party_size"]
            left = capacities[index]
            for _ in range(count):
                adults, children = rng.choice(party_adults), rng.choice(party_children)
                adults, children = min(adults, most), min(children, most - adults)
                draw = chance()
                by = 0
                if is_off:
                    status, by = CANCELLED, BY_OPERATOR
                elif is_past:
                    status = CONFIRMED if draw < 0.55 else CHECKED_IN if draw < 0.85 else NO_SHOW if draw < 0.9 else 9
                else:
                    status = CONFIRMED if draw < 0.85 else PENDING if draw < 0.9 else 9
                if status == 9:
                    status, by = CANCELLED, BY_OPERATOR if chance() < 0.2 else BY_VISITOR
                if status in HOLDING:
                    if not left:
                        status, by = CANCELLED, BY_VISITOR
                    else:
                        if adults + children > left:
                            adults = min(adults, left)
                            children = min(children, left - adults)
                        left -= adults + children
                session_of.append(index)
                adults_of.append(adults)
                children_of.append(children)
                status_of.append(status)
                by_of.append(by)
            seats_taken[index] = capacities[index] - left
        return {
            "session": session_of,
            "adults": adults_of,
            "children": children_of,
            "status": status_of,
            "by": by_of,
            "seats_taken": seats_taken,
        }

    def bookings(self, experiences, sessions) -> dict:
        rng, now = self.rng, self.now
        chance, randrange = rng.random, rng.randrange
        plan = sessions["plan"]
        rows = experiences["rows"]
        ids, starts, experience_of = sessions["ids"], sessions["starts"], sessions["experience_of"]
        called_off = sessions["called_off"]
        privacy = settings.PRIVACY_VERSION
        minute, day = timedelta(minutes=1), timedelta(days=1)
        status_names = [str(status) for status in STATUSES]
        by_names = {key: str(value) for key, value in CANCELLED_BY.items()}
        counts = [0] * len(STATUSES)

        def booking_rows():
            for number, index in enumerate(plan["session"]):
                start = starts[index]
                experience = rows[experience_of[index]]
                adults, children, status = plan["adults"][number], plan["children"][number], plan["status"][number]
                counts[status] += 1
                created = min(start - day * (0.05 + 40 * chance()), now - minute * (1 + 4000 * chance()))
                processed = created + timedelta(seconds=2 + 20 * chance())
                confirmed = processed if status in (CONFIRMED, CHECKED_IN, NO_SHOW) else None
                cancelled = None
                if called_off[index] is not None:  # cancelled with its session, after it was made
                    created = min(created, called_off[index] - minute * (5 + 4000 * chance()))
                    processed = created + timedelta(seconds=2 + 20 * chance())
                    cancelled = called_off[index]
                elif status == CANCELLED:
                    latest = min(start, now)
                    cancelled = processed + (latest - processed) * chance() if latest > processed else processed
                reference, check_in = booking_codes(number)
                english = chance() < 0.2
                if english:
                    name = f"{FIRST_NAMES[randrange(len(FIRST_NAMES))]} {LAST_NAMES[randrange(len(LAST_NAMES))]}"
                else:
                    name = SURNAMES[randrange(len(SURNAMES))] + GIVEN_NAMES[randrange(len(GIVEN_NAMES))]
                yield (
                    reference,
                    secrets.token_urlsafe(32),
                    check_in,
                    ids[index],
                    adults,
                    children,
                    name,
                    f"guest-{number:07d}@{GENERATED_EMAIL_DOMAIN}",
                    f"+86{MOBILE_PREFIXES[number % len(MOBILE_PREFIXES)]}{number * 7919 % 100_000_000:08d}",
                    "en" if english else "zh-hans",
                    NOTES[randrange(len(NOTES))],
                    f"{adults * experience['adult_price'] + children * experience['child_price']}.00",
                    status_names[status],
                    created,
                    processed,
                    confirmed,
                    cancelled,
                    by_names[plan["by"][number]],
                    start - timedelta(minutes=10) if status == CHECKED_IN else None,
                    privacy,
                )

        written = copy_rows(
            Booking,
            [
                "reference",
                "token",
                "check_in_code",
                "session_id",
                "adults",
                "children",
                "name",
                "email",
                "phone",
                "language",
                "notes",
                "total_price",
                "status",
                "created_at",
                "processed_at",
                "confirmed_at",
                "cancelled_at",
                "cancelled_by",
                "checked_in_at",
                "privacy_version",
            ],
            booking_rows(),
        )
        self.command.step("bookings")
        by_status = ", ".join(f"{counts[n]:,} {status_names[n]}" for n in range(len(STATUSES)) if counts[n])
        return {"report": f"{written:,} (emails @{GENERATED_EMAIL_DOMAIN}): {by_status}"}
