"""Reads of the directory. Pages and the API ask here, so both see the same villages in the same order."""

from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from villages.models import Experience, Route, RouteLeg, Session, Venue, Village, VillageHonour

NEXT_SESSIONS_PER_EXPERIENCE = 3
TRANSLATED_SUFFIXES = ("zh_hans", "en")


def _text_match(fields: tuple[str, ...], query: str) -> Q:
    """Substring match over both languages' columns: works for Chinese, which has no word breaks."""
    condition = Q()
    for field in fields:
        for suffix in TRANSLATED_SUFFIXES:
            condition |= Q(**{f"{field}_{suffix}__icontains": query})
    return condition


def search_experiences_condition(query: str) -> Q:
    return _text_match(("title", "description"), query)


def published_villages(
    *, district: str | None = None, honour: str | None = None, kind: str | None = None, query: str = ""
) -> QuerySet[Village]:
    """Published villages for lists, filtered by district slug, honour slug, experience kind and text."""
    villages = Village.objects.published().select_related("town__district", "operator")
    published_experiences = Experience.objects.published().filter(village=OuterRef("pk"))
    if district:
        villages = villages.filter(town__district__slug=district)
    if honour:
        villages = villages.filter(Exists(VillageHonour.objects.filter(village=OuterRef("pk"), honour__slug=honour)))
    if kind:
        villages = villages.filter(Exists(published_experiences.filter(kind=kind)))
    query = query.strip()
    if query:
        villages = villages.filter(
            _text_match(("name", "tagline", "summary", "description"), query)
            | Exists(published_experiences.filter(search_experiences_condition(query)))
        )
    return villages.prefetch_related(
        Prefetch("village_honours", queryset=VillageHonour.objects.select_related("honour"))
    ).order_by("position", "slug")


def village_detail(slug: str) -> Village:
    """One published village with everything its page shows, in a fixed number of queries."""
    experiences = (
        Experience.objects.published().select_related("venue").prefetch_related("images", next_sessions_prefetch())
    )
    return (
        Village.objects.published()
        .select_related("town__district", "operator")
        .prefetch_related(
            Prefetch("village_honours", queryset=VillageHonour.objects.select_related("honour")),
            "images",
            Prefetch("venues", queryset=Venue.objects.order_by("position", "id")),
            Prefetch("experiences", queryset=experiences, to_attr="published_experiences"),
            routes_prefetch(),
        )
        .get(slug=slug)
    )


def shown_routes() -> QuerySet[Route]:
    """Routes with at least one leg (one still being written in the admin has none), legs prefetched in order."""
    return Route.objects.filter(Exists(RouteLeg.objects.filter(route=OuterRef("pk")))).prefetch_related("legs")


def routes_prefetch() -> Prefetch:
    """Each village's shown routes as `.shown_routes`, in two queries for all villages."""
    return Prefetch("routes", queryset=shown_routes(), to_attr="shown_routes")


def greenest_route(village: Village) -> Route | None:
    """The village's route with the least CO₂ per person; of equals, the quickest (then the first listed)."""
    routes = shown_routes().filter(village=village)
    return min(
        routes, key=lambda route: (route.footprint.co2, route.footprint.minutes, route.position, route.pk), default=None
    )


def next_sessions_prefetch(limit: int = NEXT_SESSIONS_PER_EXPERIENCE) -> Prefetch:
    """Each experience's next few bookable sessions as `.next_sessions`, in one query for all experiences."""
    return Prefetch("sessions", queryset=Session.objects.upcoming()[:limit], to_attr="next_sessions")


def published_experiences(
    *,
    village: str | None = None,
    kind: str | None = None,
    query: str = "",
    available_from: date | None = None,
    available_to: date | None = None,
) -> QuerySet[Experience]:
    experiences = Experience.objects.published().select_related("village__town__district", "venue")
    if village:
        experiences = experiences.filter(village__slug=village)
    if kind:
        experiences = experiences.filter(kind=kind)
    if query.strip():
        experiences = experiences.filter(search_experiences_condition(query.strip()))
    if available_from or available_to:
        sessions = sessions_between(available_from, available_to).filter(experience=OuterRef("pk"))
        experiences = experiences.filter(Exists(sessions))
    return experiences.order_by("village__position", "position", "slug")


def upcoming_experiences(limit: int = 6) -> list[Experience]:
    """Published experiences that have a bookable session, soonest first (home page)."""
    soonest = Session.objects.upcoming().filter(experience=OuterRef("pk")).order_by("starts_at").values("starts_at")[:1]
    return list(
        Experience.objects.published()
        .filter(Exists(Session.objects.upcoming().filter(experience=OuterRef("pk"))))
        .annotate(next_start=soonest)
        .select_related("village")
        .prefetch_related("images", next_sessions_prefetch(limit=1))
        .order_by("next_start", "slug")[:limit]
    )


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def sessions_between(start: date | None, end: date | None) -> QuerySet[Session]:
    """Scheduled, future sessions starting on the local (Shanghai) days start..end, both included."""
    sessions = Session.objects.upcoming()
    if start:
        sessions = sessions.filter(starts_at__gte=_start_of_day(start))
    if end:
        sessions = sessions.filter(starts_at__lt=_start_of_day(end + timedelta(days=1)))
    return sessions


def experience_sessions(experience: Experience, start: date | None = None, end: date | None = None):
    return sessions_between(start, end).filter(experience=experience).select_related("experience").order_by("starts_at")


def sessions_to_come(experience: Experience) -> QuerySet[Session]:
    """The experience's sessions that have not started, cancelled ones included, soonest first (schema.org Events:
    a cancelled event stays listed, marked cancelled)."""
    return Session.objects.filter(experience=experience, starts_at__gt=timezone.now()).order_by("starts_at")
