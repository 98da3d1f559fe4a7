from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import ExperienceFactory, SessionFactory, VillageFactory, make_operator
from villages.models import Session
from villages.months import mask_from_months
from villages.scheduling import create_sessions, plan_sessions

pytestmark = pytest.mark.django_db

SHANGHAI = timezone.get_default_timezone()
NOW = timezone.make_aware(datetime(2030, 6, 1, 12, 0), SHANGHAI)
MONDAY = date(2030, 6, 3)


def weekends(**overrides):
    pattern = {
        "weekdays": {5, 6},
        "start_time": time(10, 0),
        "duration_minutes": 90,
        "first_day": MONDAY,
        "last_day": MONDAY + timedelta(days=13),
        "capacity": 12,
        "now": NOW,
    }
    pattern.update(overrides)
    return pattern


def local(moment):
    return timezone.localtime(moment, SHANGHAI)


def test_weekends_at_ten_for_two_weeks_are_four_slots_in_shanghai_time():
    experience = ExperienceFactory()
    plan = plan_sessions(experience, **weekends())
    assert len(plan) == 4
    assert all(slot.skip_reason is None for slot in plan)
    assert [local(slot.starts_at).date() for slot in plan] == [
        date(2030, 6, 8),
        date(2030, 6, 9),
        date(2030, 6, 15),
        date(2030, 6, 16),
    ]
    for slot in plan:
        assert local(slot.starts_at).time() == time(10, 0)
        assert local(slot.starts_at).isoformat().endswith("+08:00")
        assert slot.starts_at.utcoffset() == timedelta(hours=8)
        assert slot.starts_at.astimezone(UTC).hour == 2
        assert slot.ends_at - slot.starts_at == timedelta(minutes=90)
    assert Session.objects.count() == 0, "planning creates nothing"


def test_existing_past_and_out_of_season_slots_are_skipped_with_the_reason():
    experience = ExperienceFactory(season_mask=mask_from_months([6]))
    existing = SessionFactory(
        experience=experience, starts_at=timezone.make_aware(datetime(2030, 6, 29, 10, 0), SHANGHAI)
    )
    now = timezone.make_aware(datetime(2030, 6, 22, 11, 0), SHANGHAI)
    plan = plan_sessions(experience, **weekends(first_day=date(2030, 6, 17), last_day=date(2030, 7, 7), now=now))
    reasons = {local(slot.starts_at).date(): slot.skip_reason for slot in plan}
    assert reasons == {
        date(2030, 6, 22): "past",
        date(2030, 6, 23): None,
        date(2030, 6, 29): "exists",
        date(2030, 6, 30): None,
        date(2030, 7, 6): "out_of_season",
        date(2030, 7, 7): "out_of_season",
    }
    created = create_sessions(experience, **weekends(first_day=date(2030, 6, 17), last_day=date(2030, 7, 7), now=now))
    assert sorted(local(session.starts_at).date() for session in created) == [date(2030, 6, 23), date(2030, 6, 30)]
    assert Session.objects.filter(experience=experience).count() == 3
    existing.refresh_from_db()
    assert existing.capacity == experience.capacity, "an existing session is left as it was"


def test_creating_twice_creates_nothing_twice():
    experience = ExperienceFactory()
    first = create_sessions(experience, **weekends())
    assert len(first) == 4
    assert {session.capacity for session in first} == {12}
    second = create_sessions(experience, **weekends())
    assert second == []
    assert Session.objects.filter(experience=experience).count() == 4
    assert all(slot.skip_reason == "exists" for slot in plan_sessions(experience, **weekends()))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"first_day": MONDAY, "last_day": MONDAY - timedelta(days=1)}, "last_day"),
        ({"weekdays": set()}, "weekdays"),
        ({"capacity": 0}, "capacity"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"first_day": MONDAY, "last_day": MONDAY + timedelta(days=399)}, "last_day"),
    ],
)
def test_bad_input_is_refused_with_a_field_error(overrides, field):
    experience = ExperienceFactory()
    with pytest.raises(ValidationError) as caught:
        plan_sessions(experience, **weekends(**overrides))
    assert field in caught.value.message_dict
    with pytest.raises(ValidationError):
        create_sessions(experience, **weekends(**overrides))
    assert Session.objects.count() == 0


# Through the admin ------------------------------------------------------------------------------------------------


@pytest.fixture
def experience():
    return ExperienceFactory(capacity=8, duration_minutes=60)


@pytest.fixture(params=["superuser", "operator"])
def scheduler(request, client, django_user_model, experience):
    if request.param == "superuser":
        user = django_user_model.objects.create_superuser("root", "root@example.com", "a-long-password-123")
    else:
        user = make_operator("op", experience.village)
    client.force_login(user)
    return client


def scheduling_url(experience):
    with translation.override("en"):
        return reverse("admin:villages_experience_generate_sessions", args=[experience.pk])


def form_data(**overrides):
    first = timezone.localdate() + timedelta(days=1)
    data = {
        "weekdays": ["5", "6"],
        "start_time": "10:00",
        "duration_minutes": "60",
        "first_day": first.isoformat(),
        "last_day": (first + timedelta(days=13)).isoformat(),
        "capacity": "8",
    }
    data.update(overrides)
    return data


def test_the_scheduling_page_offers_the_experience_defaults_and_localised_weekdays(scheduler, experience):
    response = scheduler.get(scheduling_url(experience))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="duration_minutes" value="60"' in body
    assert 'name="capacity" value="8"' in body
    assert "Saturday" in body
    with translation.override("zh-hans"):
        chinese = scheduler.get(reverse("admin:villages_experience_generate_sessions", args=[experience.pk]))
    assert "星期六" in chinese.content.decode()


def test_the_change_page_links_to_the_scheduling_page(scheduler, experience):
    with translation.override("en"):
        change = reverse("admin:villages_experience_change", args=[experience.pk])
    assert scheduling_url(experience) in scheduler.get(change).content.decode()


def test_preview_shows_the_slots_and_creates_nothing(scheduler, experience):
    response = scheduler.post(scheduling_url(experience), {**form_data(), "preview": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="slot-create"') == 4
    assert 'name="confirm"' in body
    assert Session.objects.count() == 0


def test_preview_marks_an_existing_slot_as_skipped(scheduler, experience):
    first = timezone.localdate() + timedelta(days=1)
    saturday = first + timedelta(days=(5 - first.weekday()) % 7)
    SessionFactory(experience=experience, starts_at=timezone.make_aware(datetime.combine(saturday, time(10))))
    body = scheduler.post(scheduling_url(experience), {**form_data(), "preview": "1"}).content.decode()
    assert body.count('class="slot-create"') == 3
    assert body.count("slot-skip slot-exists") == 1


def test_confirm_creates_the_sessions_and_says_how_many(scheduler, experience):
    response = scheduler.post(scheduling_url(experience), {**form_data(), "confirm": "1"}, follow=True)
    with translation.override("en"):
        change = reverse("admin:villages_experience_change", args=[experience.pk])
    assert response.redirect_chain[-1][0] == change
    sessions = Session.objects.filter(experience=experience)
    assert sessions.count() == 4
    assert {local(session.starts_at).time() for session in sessions} == {time(10, 0)}
    assert {session.capacity for session in sessions} == {8}
    assert "4 sessions created, 0 skipped" in [str(message) for message in response.context["messages"]]
    again = scheduler.post(scheduling_url(experience), {**form_data(), "confirm": "1"}, follow=True)
    assert sessions.count() == 4
    assert "0 sessions created, 4 skipped" in [str(message) for message in again.context["messages"]]


def test_bad_input_in_the_admin_shows_field_errors_and_creates_nothing(scheduler, experience):
    first = timezone.localdate() + timedelta(days=1)
    response = scheduler.post(
        scheduling_url(experience),
        {**form_data(weekdays=[], capacity="0", last_day=(first - timedelta(days=1)).isoformat()), "confirm": "1"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"weekdays", "capacity", "last_day"} <= set(errors)
    assert Session.objects.count() == 0


def test_an_operator_of_another_village_cannot_reach_the_scheduling_page(client, django_user_model, experience):
    client.force_login(make_operator("elsewhere", VillageFactory()))
    url = scheduling_url(experience)
    for response in (
        client.get(url),
        client.post(url, {**form_data(), "preview": "1"}),
        client.post(url, {**form_data(), "confirm": "1"}),
    ):
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            with translation.override("en"):
                assert response["Location"] == reverse("admin:index")
    assert Session.objects.count() == 0


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client, experience):
    response = client.post(scheduling_url(experience), {**form_data(), "confirm": "1"})
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert Session.objects.count() == 0
