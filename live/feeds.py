"""The stream calendar as iCalendar (RFC 5545) feeds that calendar apps subscribe to: one per village, one for all.

Each stream is one VEVENT with a stable UID; an edit raises nothing but LAST-MODIFIED (subscribed feeds are
re-read whole), a stream called off stays listed as CANCELLED so that calendars which had it show it so.
"""

from datetime import UTC, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from live.models import LiveStream
from villages.seo import absolute

STATUSES = {
    LiveStream.Status.SCHEDULED: "CONFIRMED",
    LiveStream.Status.LIVE: "CONFIRMED",
    LiveStream.Status.ENDED: "CONFIRMED",
    LiveStream.Status.CANCELLED: "CANCELLED",
}
REFRESH_INTERVAL = timedelta(hours=1)  # how often subscribed apps should read the feed again


def feed_language(request) -> str:
    """`?lang=en` for English; the site's default language otherwise."""
    wanted = request.GET.get("lang", "")
    return wanted if wanted in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _utc(moment):
    return moment.astimezone(UTC).replace(microsecond=0)


def _event(stream: LiveStream) -> Event:
    page = absolute(stream.get_absolute_url())
    event = Event()
    event.add("uid", f"live-{stream.pk}@villages")
    event.add("dtstamp", _utc(timezone.now()))
    event.add("last-modified", _utc(stream.updated_at))
    event.add("dtstart", _utc(stream.starts_at))
    event.add("dtend", _utc(stream.ends_at))
    event.add("summary", f"{stream.village.name} · {stream.title}")
    lines = [_("Live on %(platform)s") % {"platform": stream.get_platform_display()}]
    if stream.watch_url:
        lines.append(_("Watch: %(url)s") % {"url": stream.watch_url})
    if stream.room_id:
        lines.append(_("Live room ID: %(room)s") % {"room": stream.room_id})
    if stream.replay_url:
        lines.append(_("Replay: %(url)s") % {"url": stream.replay_url})
    if stream.description:
        lines.append(stream.description)
    lines.append(_("Book what it presents: %(url)s") % {"url": page})
    event.add("description", "\n\n".join(lines))
    event.add("url", stream.watch_url or page)
    event.add("location", stream.get_platform_display())
    event.add("status", STATUSES[stream.status])
    return event


def calendar(streams, *, language: str, village=None) -> bytes:
    """The feed of `streams` in `language`; named after the village when it is one village's."""
    with translation.override(language):
        feed = Calendar()
        feed.add("prodid", "-//Village Trails//Live streams//EN")
        feed.add("version", "2.0")
        feed.add("method", "PUBLISH")
        name = _("Live streams from %(village)s") % {"village": village.name} if village else _("Village live streams")
        feed.add("x-wr-calname", name)
        feed.add("x-wr-timezone", settings.TIME_ZONE)
        feed.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        feed.add("x-published-ttl", REFRESH_INTERVAL)
        for stream in streams:
            feed.add_component(_event(stream))
        return feed.to_ical()
