"""Operators plan their villages' streams in the admin, and see on the dashboard what each stream sold."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from bookings import services as booking_services
from live.models import LiveStream
from tests.factories import LiveStreamFactory, SessionFactory, VillageFactory, make_operator, new_contact
from tests.html import Rows

pytestmark = pytest.mark.django_db

with translation.override("en"):  # the admin in English, so that Django's own messages read as below
    ADD = reverse("admin:live_livestream_add")
    CHANGELIST = reverse("admin:live_livestream_changelist")


@pytest.fixture
def cenbu():
    return VillageFactory(slug="cenbu", name_zh_hans="岑卜村")


@pytest.fixture
def operator(client, cenbu):
    user = make_operator("cenbu-op", cenbu)
    client.force_login(user)
    return user


def form_data(village, **changes) -> dict:
    starts_at = timezone.localtime() + timedelta(days=3)
    ends_at = starts_at + timedelta(hours=1)
    return {
        "village": village.pk,
        "title_zh_hans": "萤火虫之夜直播",
        "title_en": "Firefly evening live",
        "description_zh_hans": "",
        "description_en": "",
        "platform": "douyin",
        "host_zh_hans": "",
        "host_en": "",
        "is_published": "on",
        "starts_at_0": starts_at.strftime("%Y-%m-%d"),
        "starts_at_1": starts_at.strftime("%H:%M:%S"),
        "ends_at_0": ends_at.strftime("%Y-%m-%d"),
        "ends_at_1": ends_at.strftime("%H:%M:%S"),
        "watch_url": "https://live.douyin.com/123456",
        "room_id": "",
        "replay_url": "",
        **changes,
    }


def errors_of(response) -> str:
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S))


def test_an_operator_schedules_a_stream_of_their_village_featuring_its_sessions(client, operator, cenbu):
    session = SessionFactory(experience__village=cenbu)
    response = client.post(ADD, form_data(cenbu, sessions=[session.pk]))
    assert response.status_code == 302, errors_of(response)
    stream = LiveStream.objects.get()
    assert (stream.village, stream.status, list(stream.sessions.all())) == (cenbu, "scheduled", [session])


def test_an_operator_cannot_schedule_a_stream_for_another_village_or_feature_its_sessions(client, operator, cenbu):
    elsewhere = VillageFactory()
    foreign_session = SessionFactory(experience__village=elsewhere)

    for_elsewhere = client.post(ADD, form_data(elsewhere))
    featuring_elsewhere = client.post(ADD, form_data(cenbu, sessions=[foreign_session.pk]))

    assert for_elsewhere.status_code == featuring_elsewhere.status_code == 200
    assert "Select a valid choice" in errors_of(for_elsewhere)
    assert "Select a valid choice" in errors_of(featuring_elsewhere)
    assert not LiveStream.objects.exists()


def test_a_platform_admin_cannot_feature_another_villages_session_either(client, cenbu, admin_user):
    client.force_login(admin_user)
    foreign_session = SessionFactory(experience__village=VillageFactory())
    response = client.post(ADD, form_data(cenbu, sessions=[foreign_session.pk]))
    assert "A stream can only feature sessions of its own village." in errors_of(response)
    assert not LiveStream.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"watch_url": "", "room_id": ""}, "Give the link to the live room, its ID, or both."),
        ({"replay_url": "https://example.com/replay"}, "A replay link can be added once the stream has ended."),
        ({"watch_url": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"ends_at_0": "2020-01-01"}, "The stream must end after it starts."),
        ({"starts_at_0": "not a date"}, "Enter a valid date."),
    ],
    ids=["no room", "replay too early", "bad link", "ends first", "bad date"],
)
def test_a_stream_form_with_bad_input_says_what_is_wrong_and_saves_nothing(client, operator, cenbu, changes, message):
    response = client.post(ADD, form_data(cenbu, **changes))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not LiveStream.objects.exists()


def test_the_status_changes_only_through_the_actions_and_only_forward(client, operator, cenbu):
    stream = LiveStreamFactory(village=cenbu)
    change = CHANGELIST + f"{stream.pk}/change/"
    data = form_data(cenbu, status="ended")

    client.post(change, data)
    assert LiveStream.objects.get().status == "scheduled"  # the form has no say in the status

    client.post(CHANGELIST, {"action": "go_live", "_selected_action": [stream.pk]})
    assert LiveStream.objects.get().status == "live"
    client.post(CHANGELIST, {"action": "end", "_selected_action": [stream.pk]})
    assert LiveStream.objects.get().status == "ended"
    refused = client.post(CHANGELIST, {"action": "go_live", "_selected_action": [stream.pk]}, follow=True)
    assert LiveStream.objects.get().status == "ended"
    assert "cannot become" in refused.content.decode()


def test_an_action_on_another_villages_stream_changes_nothing(client, operator):
    foreign = LiveStreamFactory()
    client.post(CHANGELIST, {"action": "call_off", "_selected_action": [foreign.pk]})
    assert LiveStream.objects.get(pk=foreign.pk).status == "scheduled"


def test_the_dashboard_counts_the_bookings_and_seats_each_stream_brought_in(client, operator, cenbu):
    session = SessionFactory(experience__village=cenbu, capacity=20)
    stream = LiveStreamFactory(village=cenbu, title_zh_hans="萤火虫直播", sessions=[session])
    quiet = LiveStreamFactory(village=cenbu, title_zh_hans="安静的直播")
    LiveStreamFactory(title_zh_hans="别村的直播")
    for adults, children in ((2, 1), (1, 0)):
        booking_services.create_booking(
            session_id=session.pk, adults=adults, children=children, name="王", source=stream.source, **new_contact()
        )
    cancelled, _ = booking_services.create_booking(
        session_id=session.pk, adults=4, name="王", source=stream.source, **new_contact()
    )
    booking_services.cancel_booking(cancelled.pk, by="visitor")
    booking_services.create_booking(session_id=session.pk, adults=5, name="王", **new_contact())  # not from a stream

    page = client.get(reverse("admin:index")).content.decode()

    rows = Rows(page, "dashboard-streams")
    assert rows.row_with("萤火虫直播")[-2:] == ["2", "4"]
    assert rows.row_with(quiet.title_zh_hans)[-2:] == ["0", "0"]
    assert "别村的直播" not in page
