"""Reads of residency: the programmes a visitor sees, open ones first; the applications an operator must decide."""

from datetime import datetime

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from residency.models import ResidencyApplication, ResidencyProgram
from villages.scoping import scoped_for


def _open_first(programs: QuerySet[ResidencyProgram], now: datetime | None = None) -> QuerySet[ResidencyProgram]:
    """Programmes taking applications first (closing soonest first), then upcoming windows, then closed ones."""
    now = now or timezone.now()
    return programs.annotate(
        window_order=Case(
            When(applications_open_at__lte=now, applications_close_at__gt=now, then=Value(0)),
            When(applications_open_at__gt=now, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("window_order", "starts_on", "slug")


def published_residency_programs(*, village: str | None = None, now: datetime | None = None):
    """Published residency programmes of published villages, open ones first, then upcoming, then closed."""
    programs = ResidencyProgram.objects.published().select_related("village__town__district")
    if village:
        programs = programs.filter(village__slug=village)
    return _open_first(programs, now)


def village_programs(village) -> list[ResidencyProgram]:
    """A village's published programmes, open ones first, for its page."""
    programs = ResidencyProgram.objects.filter(village=village, is_published=True).select_related("village__town")
    return list(_open_first(programs))


def undecided_applications(user) -> dict:
    """How many of the user's villages' applications wait: {"submitted": n, "under_review": n}, in one query."""
    submitted, under_review = ResidencyApplication.Status.SUBMITTED, ResidencyApplication.Status.UNDER_REVIEW
    return (
        scoped_for(ResidencyApplication, user)
        .filter(status__in=[submitted, under_review])
        .aggregate(
            submitted=Count("pk", filter=Q(status=submitted)),
            under_review=Count("pk", filter=Q(status=under_review)),
        )
    )
