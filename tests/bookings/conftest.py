import pytest

from tests.factories import ExperienceFactory, SessionFactory, VillageFactory


@pytest.fixture
def village():
    return VillageFactory(slug="cenbu", contact_email="cenbu@example.com")


@pytest.fixture
def bookable_session(village):
    """A session in two days with 10 seats, ¥88 per adult and ¥48 per child."""
    return SessionFactory(experience=ExperienceFactory(village=village, slug="cenbu-cycling"))


@pytest.fixture
def visitor():
    """What a visitor types into the booking form, apart from the session and party."""
    return {"name": "王小明", "email": "xiaoming@example.com", "phone": "13800138000", "language": "zh-hans"}
