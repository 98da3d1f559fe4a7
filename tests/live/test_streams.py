"""The live-stream calendar as visitors meet it: /live/, a stream's page, the village page, and a booking that
starts on a stream's page and records where it came from (web form and API)."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import Booking
from live.models import LiveStream
from tests.factories import ExperienceFactory, LiveStreamFactory, SessionFactory, VillageFactory, new_contact
from tests.html import PageStructure

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def cenbu():
    return VillageFactory(slug="cenbu", name_zh_hans="岑卜村", name_en="Cenbu Village")


@pytest.fixture
def firefly_session(cenbu):
    experience = ExperienceFactory(
        village=cenbu, slug="cenbu-fireflies", title_zh_hans="萤火虫之夜", title_en="Firefly evening", capacity=10
    )
    return SessionFactory(experience=experience)


@pytest.fixture
def stream(cenbu, firefly_session):
    return LiveStreamFactory(
        village=cenbu,
        title_zh_hans="萤火虫之夜直播",
        title_en="Firefly evening live",
        host_zh_hans="小岑",
        host_en="Xiao Cen",
        sessions=[firefly_session],
    )


def test_the_live_page_lists_live_streams_first_then_coming_ones_then_recent_replays(client, cenbu):
    now = timezone.now()
    later = LiveStreamFactory(village=cenbu, title_en="Later", starts_at=now + timedelta(days=3))
    on_air = LiveStreamFactory(
        village=cenbu, title_en="On air", starts_at=now - timedelta(minutes=10), status=LiveStream.Status.LIVE
    )
    soon = LiveStreamFactory(village=cenbu, title_en="Soon", starts_at=now + timedelta(hours=2))
    replay = LiveStreamFactory(
        village=cenbu,
        title_en="Replay",
        starts_at=now - timedelta(days=2),
        status=LiveStream.Status.ENDED,
        replay_url="https://example.com/replay",
    )
    LiveStreamFactory(village=cenbu, title_en="Called off", status=LiveStream.Status.CANCELLED)
    LiveStreamFactory(village=cenbu, title_en="Draft", is_published=False)
    LiveStreamFactory(village=cenbu, title_en="Long ago", starts_at=now - timedelta(days=60), status="ended")

    page = text_of(client.get("/en/live/"))

    coming, recent = page.split("Recent streams")
    assert coming.index("On air") < coming.index("Soon") < coming.index("Later")
    assert "Live now" in coming
    assert "Replay" in recent and "Watch the replay" in recent
    for hidden in ("Called off", "Draft", "Long ago"):
        assert hidden not in page
    assert {later.pk, on_air.pk, soon.pk, replay.pk}  # all four made above are the ones listed


def test_the_live_page_filters_by_village_and_says_so_for_an_unknown_one(client, cenbu, stream):
    other = LiveStreamFactory(title_en="Elsewhere")

    only_cenbu = text_of(client.get("/en/live/", {"village": "cenbu"}))
    unknown = client.get("/en/live/", {"village": "nowhere"})

    assert "Firefly evening live" in only_cenbu and other.title_en not in only_cenbu
    assert unknown.status_code == 400
    assert "Select a valid choice" in text_of(unknown)


def test_a_streams_page_shows_when_where_to_watch_and_its_sessions_with_seats_left_in_both_languages(
    client, stream, firefly_session
):
    english = client.get(f"/en/live/{stream.pk}/")
    chinese = client.get(f"/zh-hans/live/{stream.pk}/")

    assert english.status_code == chinese.status_code == 200
    assert "Firefly evening live" in text_of(english) and "萤火虫之夜直播" in text_of(chinese)
    assert "Xiao Cen" in text_of(english) and "小岑" in text_of(chinese)
    assert stream.room_id in text_of(english)
    assert "10 seats left" in text_of(english) and "剩余 10 个名额" in text_of(chinese)
    assert f"?session={firefly_session.pk}&amp;source=live:{stream.pk}" in english.content.decode()


def test_a_streams_page_says_broadcast_event_to_search_engines(client, stream, firefly_session):
    html = client.get(f"/en/live/{stream.pk}/").content.decode()
    [data] = [
        json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]

    assert data["@type"] == "BroadcastEvent" and data["isLiveBroadcast"] is True
    assert data["name"] == "Firefly evening live"
    assert data["startDate"].endswith("+08:00")
    assert data["about"][0]["@type"] == "Event" and data["about"][0]["name"] == "Firefly evening"


def test_an_unpublished_or_unknown_stream_is_not_found(client, cenbu):
    draft = LiveStreamFactory(village=cenbu, is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/en/live/999999999/").status_code == 404


def test_the_village_page_lists_its_next_streams(client, cenbu, stream):
    LiveStreamFactory(village=cenbu, title_en="Over", starts_at=timezone.now() - timedelta(days=1), status="ended")
    page = text_of(client.get("/en/villages/cenbu/"))
    assert "Live from the village" in page
    assert "Firefly evening live" in page and "Over" not in page


def test_a_village_without_streams_shows_no_empty_live_section(client, cenbu):
    assert "Live from the village" not in text_of(client.get("/en/villages/cenbu/"))


def test_a_booking_made_from_a_streams_page_records_that_it_came_from_the_stream(client, stream, firefly_session):
    stream_page = client.get(f"/zh-hans/live/{stream.pk}/").content.decode()
    book_link = re.search(r'href="([^"]*source=live[^"]*)"', stream_page)
    experience_page = client.get(book_link.group(1).replace("&amp;", "&")).content.decode()
    form = re.search(r'<form class="booking-form".*?</form>', experience_page, re.S).group(0)
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    [checked] = re.findall(r'<input type="radio" name="session" value="(\d+)"[^>]* checked', form)

    assert hidden["source"] == f"live:{stream.pk}" and checked == str(firefly_session.pk)
    response = client.post(
        f"/zh-hans/bookings/new/{firefly_session.experience.slug}/",
        {**hidden, "session": checked, "adults": 2, "children": 0, "name": "王小明", **new_contact()},
    )

    assert response.status_code == 303
    booking = Booking.objects.get()
    assert booking.source == f"live:{stream.pk}"


def test_a_booking_form_naming_another_villages_stream_is_refused_with_a_message_and_books_nothing(
    client, stream, firefly_session
):
    elsewhere = LiveStreamFactory()
    response = client.post(
        f"/en/bookings/new/{firefly_session.experience.slug}/",
        {
            "session": firefly_session.pk,
            "adults": 1,
            "children": 0,
            "name": "Wang",
            "source": elsewhere.source,
            "language": "en",
            **new_contact("en"),
        },
    )
    assert response.status_code == 400
    assert "names no live stream of this village" in text_of(response)
    assert not Booking.objects.exists()


def test_the_api_books_with_a_source_and_refuses_a_malformed_or_unknown_one(client, stream, firefly_session):
    def book(source):
        return client.post(
            "/api/v1/bookings/",
            {"session": firefly_session.pk, "adults": 1, "name": "Wang", "source": source, **new_contact("en")},
            content_type="application/json",
        )

    booked = book(stream.source)
    malformed = book("instagram")
    unknown = book("live:999999")

    assert booked.status_code == 201 and booked.json()["source"] == stream.source
    assert Booking.objects.get().source == stream.source
    assert malformed.status_code == 400 and "live:12" in malformed.json()["source"][0]
    assert unknown.status_code == 400 and "source" in unknown.json()
    assert Booking.objects.count() == 1


def test_every_page_of_the_calendar_labels_its_controls(client, stream):
    for path in ("/en/live/", stream.get_absolute_url()):
        structure = PageStructure(client.get(path).content.decode())
        assert structure.h1_count == 1
        assert all(control.get("id") in structure.label_targets for control in structure.controls)


def test_a_stale_stream_link_is_said_above_the_form_and_sending_again_books_without_it(client, firefly_session):
    gone = LiveStreamFactory(village=firefly_session.experience.village, is_published=False)
    data = {
        "session": firefly_session.pk,
        "adults": 1,
        "children": 0,
        "name": "Wang",
        "source": gone.source,
        "language": "en",
        **new_contact("en"),
    }
    path = f"/en/bookings/new/{firefly_session.experience.slug}/"

    refused = client.post(path, data)
    form = re.search(r'<form class="booking-form".*?</form>', refused.content.decode(), re.S).group(0)
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    again = client.post(path, {**data, **hidden, "source": hidden.get("source", "")})  # as the browser sends it

    assert refused.status_code == 400 and "names no live stream of this village" in text_of(refused)
    assert hidden.get("source", "") == ""
    assert again.status_code == 303 and Booking.objects.get().source == ""


def test_a_source_in_the_address_that_is_no_stream_link_is_not_carried_into_the_form(client, firefly_session):
    page = client.get(f"/en/experiences/{firefly_session.experience.slug}/", {"source": "evil<script>"})
    assert 'name="source" value="evil' not in page.content.decode()
