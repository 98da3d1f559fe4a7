"""The demo residency programmes (villages/demo_content.py), loaded by `seed_demo` after the villages."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from residency.models import ResidencyProgram
from villages import demo_content
from villages.management.commands.seed_demo import without
from villages.months import add_months


def load_programs(seed, villages: dict, today: date) -> None:
    """Dates relative to `today` (whole days, midnight in Shanghai): a second run the same day changes nothing."""
    tz = timezone.get_default_timezone()
    for item in demo_content.RESIDENCY_PROGRAMS:
        starts_on = today + timedelta(days=item["starts_in_days"])
        values = {
            **without(
                item,
                "slug",
                "village",
                "applications_open_days",
                "applications_close_days",
                "starts_in_days",
                "duration_months",
            ),
            "village": villages[item["village"]],
            "starts_on": starts_on,
            "ends_on": add_months(starts_on, item["duration_months"]),
            "applications_open_at": datetime.combine(
                today + timedelta(days=item["applications_open_days"]), time.min, tzinfo=tz
            ),
            "applications_close_at": datetime.combine(
                today + timedelta(days=item["applications_close_days"]), time.min, tzinfo=tz
            ),
            "is_published": True,
        }
        seed.upsert(ResidencyProgram, {"slug": item["slug"]}, values)
