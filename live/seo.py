"""What search engines read on the stream pages: titles, descriptions and a schema.org BroadcastEvent."""

from django.utils.translation import gettext as _

from live.models import LiveStream
from villages.seo import SCHEMA, PageMeta, absolute, local_iso, session_event, summarise, village_image

EVENT_STATUS = {
    LiveStream.Status.SCHEDULED: "EventScheduled",
    LiveStream.Status.LIVE: "EventScheduled",
    LiveStream.Status.ENDED: "EventScheduled",
    LiveStream.Status.CANCELLED: "EventCancelled",
}


def broadcast_event(stream: LiveStream) -> dict:
    """The stream as a BroadcastEvent: online, live, with the sessions it presents as the events it is about."""
    village = stream.village
    page = absolute(stream.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "BroadcastEvent",
        "name": stream.title,
        "description": summarise(stream.description, 300) if stream.description else None,
        "url": page,
        "isLiveBroadcast": True,
        "startDate": local_iso(stream.starts_at),
        "endDate": local_iso(stream.ends_at),
        "eventStatus": SCHEMA + EVENT_STATUS[stream.status],
        "eventAttendanceMode": SCHEMA + "OnlineEventAttendanceMode",
        "location": {"@type": "VirtualLocation", "url": stream.watch_url or page},
        "organizer": {"@type": "Place", "name": village.name, "url": absolute(village.get_absolute_url())},
        "performer": {"@type": "Person", "name": stream.host} if stream.host else None,
        "about": [session_event(session, session.experience) for session in getattr(stream, "bookable_sessions", [])],
    }
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def stream_list_meta(*, filtered: bool) -> PageMeta:
    return PageMeta(
        title=_("Live from the villages"),
        description=_(
            "Live streams from Shanghai's villages: what is on now and coming up, replays of recent streams, and the "
            "sessions they present, to book straight away."
        ),
        robots="noindex, follow" if filtered else "",
    )


def stream_meta(stream: LiveStream) -> PageMeta:
    """Needs the stream as selectors.stream_page loads it."""
    return PageMeta(
        title=f"{stream.title} · {stream.village.name}",
        description=summarise(stream.description) if stream.description else stream.title,
        path=stream.get_absolute_url(),
        image=village_image(stream.village, gallery=False),
        structured_data=broadcast_event(stream),
    )
