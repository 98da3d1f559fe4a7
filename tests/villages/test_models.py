from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import ExperienceFactory, SessionFactory, VillageFactory
from villages.months import add_months, mask_from_months

pytestmark = pytest.mark.django_db


def test_a_session_cannot_end_before_it_starts():
    session = SessionFactory()
    session.ends_at = session.starts_at - timedelta(minutes=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_two_sessions_of_one_experience_cannot_start_at_the_same_moment():
    session = SessionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(experience=session.experience, starts_at=session.starts_at)


def test_the_database_refuses_a_negative_price():
    experience = ExperienceFactory()
    experience.adult_price = Decimal("-1.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        experience.save()


def test_an_experience_must_run_in_at_least_one_month():
    experience = ExperienceFactory()
    experience.season_mask = 0
    with pytest.raises(IntegrityError), transaction.atomic():
        experience.save()


def test_fireflies_are_in_season_from_may_to_july_only():
    experience = ExperienceFactory(season_mask=mask_from_months([5, 6, 7]))
    assert experience.season_months == [5, 6, 7]
    june_session = SessionFactory.build(experience=experience)
    june_session.starts_at = june_session.starts_at.replace(year=2027, month=6, day=15)
    assert june_session.in_season
    november = june_session.starts_at.replace(month=11)
    assert not experience.is_in_season(november)


def test_a_village_needs_both_coordinates_or_none():
    village = VillageFactory()
    village.longitude = None
    with pytest.raises(IntegrityError), transaction.atomic():
        village.save()


def test_a_session_price_override_replaces_the_experience_price():
    session = SessionFactory(adult_price_override=Decimal("120.00"))
    assert session.adult_price == Decimal("120.00")
    assert session.child_price == session.experience.child_price


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 12, date(2027, 12, 15)),
    ],
)
def test_a_stay_of_whole_months_ends_on_the_same_day_or_the_shorter_months_last(day, months, expected):
    assert add_months(day, months) == expected


def test_a_meeting_point_needs_both_coordinates_or_none_with_a_message_for_the_form():
    experience = ExperienceFactory(meeting_point_latitude=Decimal("31.08"), meeting_point_longitude=Decimal("120.93"))
    experience.meeting_point_longitude = None
    with pytest.raises(ValidationError) as refused:
        experience.full_clean()
    assert "meeting_point_longitude" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        experience.save()


def test_bookings_close_the_experiences_cut_off_before_a_session_starts():
    session = SessionFactory(experience=ExperienceFactory(booking_cutoff_minutes=90))
    assert session.experience.bookings_close_at(session.starts_at) == session.starts_at - timedelta(minutes=90)
