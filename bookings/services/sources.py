"""Where a booking started (`Booking.source`): today a live stream's page, `live:<id>`. Recorded so that the village
sees what its streams sell; checked, so that the dashboard counts only bookings from its own published streams."""

import re

from django.utils.translation import gettext_lazy as _

from bookings.errors import InvalidBooking
from live.selectors import stream_for_source

LIVE_SOURCE = re.compile(r"^live:([1-9][0-9]{0,17})$")


def _refused(message) -> InvalidBooking:
    return InvalidBooking(fields={"source": [message]})


def parsed_source(source: str | None) -> int | None:
    """The stream id a source names, None for no source; InvalidBooking for anything else."""
    source = (source or "").strip()
    if not source:
        return None
    match = LIVE_SOURCE.match(source)
    if match is None:
        raise _refused(_("Unknown source: it should look like live:12, or be left out."))
    return int(match.group(1))


def check_stream_source(stream_id: int | None, session) -> str:
    """The source to store for a booking of `session`: "" or live:<id> of a published stream of its village."""
    if stream_id is None:
        return ""
    stream = stream_for_source(stream_id, session.experience.village_id)
    if stream is None:
        raise _refused(_("This booking link names no live stream of this village."))
    return stream.source
