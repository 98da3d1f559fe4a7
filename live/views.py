"""Pages of the live-stream calendar and its iCalendar feeds: thin, reading through selectors."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from live import feeds, selectors, seo
from live.forms import StreamPageFilterForm
from live.models import LiveStream
from villages.models import Village


@require_GET
def stream_list(request):
    """Coming up and live now first, then recent replays; optionally one village's."""
    form = StreamPageFilterForm(request.GET or None)
    village = form.cleaned_data["village"] if form.is_valid() else None
    now = timezone.now()
    return render(
        request,
        "live/stream_list.html",
        {
            "form": form,
            "village": village,
            "coming_up": list(selectors.coming_up_or_live(village, now)),
            "recent": list(selectors.recent(village, now)),
            "now": now,
            "page_meta": seo.stream_list_meta(filtered=village is not None or bool(form.errors)),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def stream_detail(request, stream_id):
    try:
        stream = selectors.stream_page(stream_id)
    except LiveStream.DoesNotExist as error:
        raise Http404(_("No such live stream.")) from error
    return render(
        request,
        "live/stream_detail.html",
        {"stream": stream, "now": timezone.now(), "page_meta": seo.stream_meta(stream)},
    )


def _calendar_response(calendar: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def all_villages_feed(request):
    language = feeds.feed_language(request)
    return _calendar_response(feeds.calendar(selectors.feed_streams(), language=language), "live.ics")


@require_GET
def village_feed(request, slug):
    village = get_object_or_404(Village.objects.published(), slug=slug)
    language = feeds.feed_language(request)
    calendar = feeds.calendar(selectors.feed_streams(village), language=language, village=village)
    return _calendar_response(calendar, f"live-{village.slug}.ics")
