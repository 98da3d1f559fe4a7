"""What calendar apps and API clients read: the iCalendar feeds (parsed with icalendar), /api/v1/live-streams/, and
the sitemap."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from live.models import LiveStream
from tests.factories import LiveStreamFactory, SessionFactory, VillageFactory

pytestmark = pytest.mark.django_db

STREAMS = "/api/v1/live-streams/"


@pytest.fixture
def cenbu():
    return VillageFactory(slug="cenbu", name_zh_hans="岑卜村", name_en="Cenbu Village")


@pytest.fixture
def calendar_of_streams(cenbu):
    """Streams of every kind the feeds must tell apart."""
    now = timezone.now()
    return {
        "coming": LiveStreamFactory(village=cenbu, title_en="Coming", starts_at=now + timedelta(days=2)),
        "live": LiveStreamFactory(
            village=cenbu, title_en="On air", starts_at=now - timedelta(minutes=5), status=LiveStream.Status.LIVE
        ),
        "recent": LiveStreamFactory(
            village=cenbu,
            title_en="Last week",
            starts_at=now - timedelta(days=7),
            status=LiveStream.Status.ENDED,
            replay_url="https://example.com/replay/1",
        ),
        "called_off": LiveStreamFactory(
            village=cenbu, title_en="Called off", starts_at=now + timedelta(days=4), status="cancelled"
        ),
        "draft": LiveStreamFactory(village=cenbu, title_en="Draft", is_published=False),
        "old": LiveStreamFactory(
            village=cenbu, title_en="Old", starts_at=now - timedelta(days=90), status=LiveStream.Status.ENDED
        ),
        "elsewhere": LiveStreamFactory(title_en="Elsewhere"),
    }


def events_of(response) -> dict[str, dict]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_a_villages_feed_lists_its_published_coming_live_and_recent_streams_and_no_others(client, calendar_of_streams):
    response = client.get("/live/cenbu.ics", {"lang": "en"})

    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = events_of(response)
    listed = {name for name, stream in calendar_of_streams.items() if f"live-{stream.pk}@villages" in events}
    assert listed == {"coming", "live", "recent", "called_off"}
    assert events[f"live-{calendar_of_streams['called_off'].pk}@villages"]["status"] == "CANCELLED"
    coming = events[f"live-{calendar_of_streams['coming'].pk}@villages"]
    assert str(coming["summary"]) == "Cenbu Village · Coming"
    assert coming.decoded("dtstart") == calendar_of_streams["coming"].starts_at.replace(microsecond=0)
    assert f"/en/live/{calendar_of_streams['coming'].pk}/" in str(coming["description"])
    assert "Replay: https://example.com/replay/1" in str(
        events[f"live-{calendar_of_streams['recent'].pk}@villages"]["description"]
    )


def test_the_feed_of_all_villages_includes_other_villages_and_speaks_chinese_by_default(client, calendar_of_streams):
    events = events_of(client.get("/live.ics"))
    elsewhere = calendar_of_streams["elsewhere"]
    assert f"live-{elsewhere.pk}@villages" in events
    assert f"live-{calendar_of_streams['draft'].pk}@villages" not in events
    assert "岑卜村" in str(events[f"live-{calendar_of_streams['coming'].pk}@villages"]["summary"])


def test_a_feed_of_an_unknown_village_is_not_found(client):
    assert client.get("/live/nowhere.ics").status_code == 404


def test_the_api_lists_published_streams_in_the_documented_shape(client, calendar_of_streams):
    session = SessionFactory(experience__village=calendar_of_streams["coming"].village)
    calendar_of_streams["coming"].sessions.set([session])

    response = client.get(STREAMS, {"village": "cenbu"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    items = {item["title"]: item for item in response.json()["results"]}
    assert set(items) == {"Coming", "On air", "Last week", "Called off", "Old"}
    coming = items["Coming"]
    assert {"id", "village", "title", "platform", "starts_at", "ends_at", "status", "watch_url", "replay_url"} <= set(
        coming
    )
    assert coming["village"] == "cenbu" and coming["sessions"] == [session.pk] and coming["status"] == "scheduled"
    assert coming["starts_at"].endswith("+08:00")


def test_the_api_filters_by_dates_and_status_and_answers_400_naming_a_bad_filter(client, calendar_of_streams):
    today = timezone.localdate()
    upcoming = client.get(STREAMS, {"from": today.isoformat(), "status": "scheduled"}).json()["results"]
    last_week = client.get(
        STREAMS, {"from": (today - timedelta(days=8)).isoformat(), "to": (today - timedelta(days=6)).isoformat()}
    ).json()["results"]
    bad = client.get(STREAMS, {"from": "yesterday", "status": "paused", "village": "nowhere"})

    assert {item["id"] for item in upcoming} == {calendar_of_streams[name].pk for name in ("coming", "elsewhere")}
    assert [item["id"] for item in last_week] == [calendar_of_streams["recent"].pk]
    assert bad.status_code == 400 and {"from", "status", "village"} <= set(bad.json())


def test_one_stream_by_id_and_a_draft_or_nonsense_id_is_a_json_404(client, calendar_of_streams):
    coming = calendar_of_streams["coming"]
    assert client.get(f"{STREAMS}{coming.pk}/").json()["id"] == coming.pk
    for missing in (calendar_of_streams["draft"].pk, "abc", "²", "9" * 30):
        response = client.get(f"{STREAMS}{missing}/")
        assert response.status_code == 404 and "detail" in response.json()


def test_the_sitemap_lists_the_live_page_and_the_stream_pages(client, calendar_of_streams):
    index = client.get("/sitemap.xml").content.decode()
    sitemap = (
        client.get("/sitemap-live-streams.xml").content.decode()
        + client.get("/sitemap-live-pages.xml").content.decode()
    )
    assert "/sitemap-live-streams.xml</loc>" in index
    assert "/zh-hans/live/</loc>" in sitemap
    assert f"/live/{calendar_of_streams['coming'].pk}/</loc>" in sitemap
    assert f"/live/{calendar_of_streams['draft'].pk}/</loc>" not in sitemap
