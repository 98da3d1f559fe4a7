"""Bulk scheduling: many sessions of one experience from a weekly pattern, planned first and then created.

`plan_sessions` is a pure read that says, slot by slot, what would be created and what skipped (and why);
`create_sessions` re-plans inside one transaction and creates the slots that are still free, so a double
submit or two operators at once never create a session twice (the unique (experience, starts_at) holds too).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from villages.models import Experience, Session

MAX_DAYS = 366
MAX_SLOTS = 500

SKIP_EXISTS = "exists"
SKIP_PAST = "past"
SKIP_OUT_OF_SEASON = "out_of_season"

SKIP_REASONS = {
    SKIP_EXISTS: _("A session already starts then"),
    SKIP_PAST: _("In the past"),
    SKIP_OUT_OF_SEASON: _("Out of season"),
}


@dataclass(frozen=True)
class PlannedSlot:
    starts_at: datetime
    ends_at: datetime
    skip_reason: str | None = None

    @property
    def will_create(self) -> bool:
        return self.skip_reason is None

    @property
    def skip_reason_display(self) -> str:
        return str(SKIP_REASONS[self.skip_reason]) if self.skip_reason else ""


def _validate(*, weekdays, start_time, duration_minutes, first_day, last_day, capacity) -> None:
    errors: dict[str, list] = {}
    if not weekdays:
        errors.setdefault("weekdays", []).append(
            ValidationError(_("Pick at least one day of the week."), code="no_weekday")
        )
    elif any(not isinstance(day, int) or not 0 <= day <= 6 for day in weekdays):
        errors.setdefault("weekdays", []).append(ValidationError(_("Not a day of the week."), code="bad_weekday"))
    if start_time is None:
        errors.setdefault("start_time", []).append(ValidationError(_("Give a start time."), code="required"))
    if duration_minutes is None or duration_minutes < 1:
        errors.setdefault("duration_minutes", []).append(
            ValidationError(_("A session lasts at least one minute."), code="duration_too_short")
        )
    if capacity is None or capacity < 1:
        errors.setdefault("capacity", []).append(
            ValidationError(_("A session has at least one seat."), code="capacity_too_small")
        )
    if first_day is None:
        errors.setdefault("first_day", []).append(ValidationError(_("Give the first day."), code="required"))
    if last_day is None:
        errors.setdefault("last_day", []).append(ValidationError(_("Give the last day."), code="required"))
    if first_day and last_day:
        if last_day < first_day:
            errors.setdefault("last_day", []).append(
                ValidationError(_("The last day cannot be before the first day."), code="last_before_first")
            )
        elif (last_day - first_day).days + 1 > MAX_DAYS:
            errors.setdefault("last_day", []).append(
                ValidationError(
                    _("At most %(days)s days can be scheduled at once."),
                    code="range_too_long",
                    params={"days": MAX_DAYS},
                )
            )
    if errors:
        raise ValidationError(errors)


def plan_sessions(
    experience: Experience,
    *,
    weekdays: set[int],
    start_time: time,
    duration_minutes: int,
    first_day: date,
    last_day: date,
    capacity: int,
    now: datetime | None = None,
) -> list[PlannedSlot]:
    """Every slot of the pattern, in order, each with `skip_reason` None (to create) or why it is skipped."""
    _validate(
        weekdays=weekdays,
        start_time=start_time,
        duration_minutes=duration_minutes,
        first_day=first_day,
        last_day=last_day,
        capacity=capacity,
    )
    now = now or timezone.now()
    zone = timezone.get_default_timezone()
    length = timedelta(minutes=duration_minutes)
    starts = []
    day = first_day
    while day <= last_day:
        if day.weekday() in weekdays:
            starts.append(timezone.make_aware(datetime.combine(day, start_time), zone))
        day += timedelta(days=1)
    if len(starts) > MAX_SLOTS:
        raise ValidationError(
            {
                "last_day": ValidationError(
                    _("That would be %(count)s sessions; at most %(limit)s can be created at once."),
                    code="too_many_slots",
                    params={"count": len(starts), "limit": MAX_SLOTS},
                )
            }
        )
    existing = set()
    if starts:
        existing = set(
            Session.objects.filter(experience=experience, starts_at__in=starts).values_list("starts_at", flat=True)
        )
    plan = []
    for starts_at in starts:
        if starts_at in existing:
            reason = SKIP_EXISTS
        elif starts_at <= now:
            reason = SKIP_PAST
        elif not experience.is_in_season(starts_at):
            reason = SKIP_OUT_OF_SEASON
        else:
            reason = None
        plan.append(PlannedSlot(starts_at=starts_at, ends_at=starts_at + length, skip_reason=reason))
    return plan


def create_sessions(
    experience: Experience,
    *,
    weekdays: set[int],
    start_time: time,
    duration_minutes: int,
    first_day: date,
    last_day: date,
    capacity: int,
    now: datetime | None = None,
) -> list[Session]:
    """Create the plan's free slots in one transaction; returns the sessions this call created."""
    with transaction.atomic():
        # One scheduler per experience at a time: a second submit waits, then re-plans and finds them existing.
        experience = Experience.objects.select_for_update().get(pk=experience.pk)
        plan = plan_sessions(
            experience,
            weekdays=weekdays,
            start_time=start_time,
            duration_minutes=duration_minutes,
            first_day=first_day,
            last_day=last_day,
            capacity=capacity,
            now=now,
        )
        created = []
        for slot in plan:
            if not slot.will_create:
                continue
            session, was_created = Session.objects.get_or_create(
                experience=experience,
                starts_at=slot.starts_at,
                defaults={"ends_at": slot.ends_at, "capacity": capacity},
            )
            if was_created:
                created.append(session)
        return created
