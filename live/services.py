"""The writes of the live-stream calendar: a stream's status moves only forward, through these."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import ServiceError
from live.models import LiveStream

# From each status, where a stream may go next.
NEXT_STATUSES = {
    LiveStream.Status.SCHEDULED: {LiveStream.Status.LIVE, LiveStream.Status.ENDED, LiveStream.Status.CANCELLED},
    LiveStream.Status.LIVE: {LiveStream.Status.ENDED},
    LiveStream.Status.ENDED: set(),
    LiveStream.Status.CANCELLED: set(),
}


class StatusChangeRefused(ServiceError):
    http_status = 409
    default_message = _("The stream cannot change to that status.")


def change_status(stream_id, status: str) -> LiveStream:
    """Go live, end or call off a stream. Setting the status it already has changes nothing; going back (an ended
    stream live again, a cancelled one scheduled) is refused."""
    with transaction.atomic():
        stream = LiveStream.objects.select_for_update().get(pk=stream_id)
        if stream.status == status:
            return stream
        if status not in NEXT_STATUSES[stream.status]:
            raise StatusChangeRefused(
                _("A stream that is “%(current)s” cannot become “%(next)s”.")
                % {"current": stream.get_status_display(), "next": LiveStream.Status(status).label}
            )
        stream.status = status
        stream.save(update_fields=["status", "updated_at"])
    return stream


def featured_sessions_refusal(village, sessions) -> str | None:
    """Why these sessions cannot be featured by a stream of `village` (another village's), or None."""
    if village is None:
        return None
    foreign = [session for session in sessions if session.experience.village_id != village.pk]
    if foreign:
        return _("A stream can only feature sessions of its own village.")
    return None
