"""Reads of the live-stream calendar, shared by the pages, the feeds, the API and the dashboard."""

from datetime import datetime

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When

from live.models import LiveStream
from villages.models import Session

STREAMS_ON_VILLAGE_PAGE = 3


def _public() -> QuerySet[LiveStream]:
    return LiveStream.objects.published().select_related("village")


def coming_up_or_live(village=None, now=None) -> QuerySet[LiveStream]:
    """Live now first, then the next to start."""
    streams = _public().coming_up_or_live(now)
    if village is not None:
        streams = streams.filter(village=village)
    live_first = Case(When(status=LiveStream.Status.LIVE, then=Value(0)), default=Value(1), output_field=IntegerField())
    return streams.order_by(live_first, "starts_at", "pk")


def recent(village=None, now=None) -> QuerySet[LiveStream]:
    streams = _public().recent(now)
    if village is not None:
        streams = streams.filter(village=village)
    return streams.order_by("-starts_at", "-pk")


def featured_sessions_prefetch() -> Prefetch:
    """A stream's featured sessions a visitor can still book, soonest first, with their experience."""
    return Prefetch(
        "sessions",
        queryset=Session.objects.bookable().select_related(
            "experience__village__town__district", "experience__village__operator"
        ),
        to_attr="bookable_sessions",
    )


def stream_page(stream_id: int) -> LiveStream:
    """A published stream with its bookable featured sessions; LiveStream.DoesNotExist otherwise."""
    return _public().prefetch_related(featured_sessions_prefetch()).get(pk=stream_id)


def api_streams(
    *, village_slug: str = "", starts_from: datetime | None = None, starts_to: datetime | None = None, status: str = ""
) -> QuerySet[LiveStream]:
    """Published streams, soonest first, narrowed by the API's filters."""
    streams = _public().prefetch_related("sessions")
    if village_slug:
        streams = streams.filter(village__slug=village_slug)
    if starts_from:
        streams = streams.filter(ends_at__gt=starts_from)
    if starts_to:
        streams = streams.filter(starts_at__lt=starts_to)
    if status:
        streams = streams.filter(status=status)
    return streams.order_by("starts_at", "pk")


def feed_streams(village=None, now=None) -> QuerySet[LiveStream]:
    """What a calendar subscription lists (LiveStream.objects.in_feeds)."""
    streams = _public().in_feeds(now)
    if village is not None:
        streams = streams.filter(village=village)
    return streams.order_by("starts_at", "pk")


def stream_for_source(source_id: int, village_id: int) -> LiveStream | None:
    """The published stream of this village that a booking's `source` names, if there is one."""
    return _public().filter(pk=source_id, village_id=village_id).first()
