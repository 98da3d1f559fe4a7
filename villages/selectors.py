"""Reads of the directory. Pages and the API ask here, so both see the same villages in the same order."""

from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from villages.models import Experience, Route, RouteLeg, Session, Venue, Village, VillageHonour

NEXT_SESSIONS_PER_EXPERIENCE = 3


def text_search(query: str) -> Q:
    """A substring of any searched text in either language (Chinese has no word breaks to search by), case-blind.

    villages.models.search_text keeps those texts upper-cased in one column; on PostgreSQL its trigram index serves
    this (migration villages 0008).
    """
    return Q(searchable_text__contains=query.upper())


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
        # Two uncorrelated IN lists, not a condition per row: PostgreSQL finds the matching villages and experiences
        # once each, through their trigram indexes.
        matching_villages = Village.objects.filter(text_search(query)).values("pk")
        matching_experiences = Experience.objects.published().filter(text_search(query)).values("village_id")
        villages = villages.filter(Q(pk__in=matching_villages) | Q(pk__in=matching_experiences))
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
        experiences = experiences.filter(text_search(query.strip()))
    if available_from or available_to:
        # A first session in the range, looked up per experience through (experience, starts_at): a scalar subquery
        # with LIMIT 1 stays a probe per row, where EXISTS would let PostgreSQL read every session in the range.
        first_in_range = sessions_between(available_from, available_to).filter(experience=OuterRef("pk"))
        experiences = experiences.annotate(first_in_range=first_in_range.values("starts_at")[:1]).filter(
            first_in_range__isnull=False
        )
    # village_position is the village's position kept on the experience: the order is experience_listed_order_idx's.
    return experiences.order_by("village_position", "position", "slug")


UPCOMING_CHUNK = 200


def upcoming_experiences(limit: int = 6) -> list[Experience]:
    """Published experiences that have a bookable session, soonest first (home page).

    Walks the bookable sessions in start order (the status-and-start index), a chunk at a time, until `limit`
    experiences have turned up: the cost follows how far it has to look, not how many sessions exist.
    """
    found: list[int] = []
    sessions = Session.objects.bookable().order_by("starts_at", "experience_id")
    after = None
    while len(found) < limit:
        # (starts_at, experience) is unique: the next chunk starts right after the last one's last session.
        chunk = (
            sessions
            if after is None
            else sessions.filter(Q(starts_at__gt=after[0]) | Q(starts_at=after[0], experience_id__gt=after[1]))
        )
        rows = list(chunk.values_list("starts_at", "experience_id")[:UPCOMING_CHUNK])
        for _starts_at, experience_id in rows:
            if experience_id not in found:
                found.append(experience_id)
        if len(rows) < UPCOMING_CHUNK:
            break
        after = rows[-1]
    found = found[:limit]
    experiences = (
        Experience.objects.filter(pk__in=found)
        .select_related("village")
        .prefetch_related("images", next_sessions_prefetch(limit=1))
        .in_bulk()
    )
    return [experiences[pk] for pk in found]


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


def published_experience_id(slug: str) -> int | None:
    """Which experience a public address shows (the page cache keeps its seats exact)."""
    return Experience.objects.published().filter(slug=slug).values_list("pk", flat=True).first()
