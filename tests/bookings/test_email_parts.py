"""The parts of the booking emails that every booking of an experience shares are rendered once and reused: each
booking still gets its own reference, links and code, in its own language, and an edit of the experience shows at
once."""

from decimal import Decimal

import pytest

from bookings import emails, services
from bookings.emails import build_message
from outbox.models import OutgoingEmail
from tests.factories import ExperienceFactory, SessionFactory

pytestmark = pytest.mark.django_db

Kind = OutgoingEmail.Kind


@pytest.fixture(autouse=True)
def fresh_parts(settings):
    settings.SITE_URL = "https://villages.example"
    emails._trip_parts.clear()


@pytest.fixture
def session(village):
    experience = ExperienceFactory(
        village=village,
        slug="cenbu-kayak",
        meeting_point_latitude=Decimal("31.123456"),
        meeting_point_longitude=Decimal("121.654321"),
        what_to_bring_zh_hans="防晒霜",
        what_to_bring_en="Sun cream",
    )
    return SessionFactory(experience=experience)


def confirmation(session, number: int, language: str):
    booking, _created = services.create_booking(
        session_id=session.pk,
        adults=1,
        name=f"Visitor {number}",
        email=f"visitor{number}@example.com",
        phone=f"1380013800{number}",
        language=language,
    )
    services.confirm_booking(booking.pk)
    booking.refresh_from_db()
    return booking, build_message(OutgoingEmail.objects.get(booking=booking, kind=Kind.BOOKING_CONFIRMED))


def html_of(message) -> str:
    [html] = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


def test_bookings_of_one_experience_share_the_trip_parts_but_not_their_own_details(session):
    first, first_message = confirmation(session, 1, "en")
    second, second_message = confirmation(session, 2, "en")
    chinese, chinese_message = confirmation(session, 3, "zh-hans")

    # Rendered once per language: the English part is the same object for both English bookings.
    assert len(emails._trip_parts) == 2
    for booking, message, other in ((first, first_message, second), (second, second_message, first)):
        text, html = message.body, html_of(message)
        assert booking.reference in message.subject
        assert booking.token in text and booking.token in html  # the manage link
        assert booking.check_in_code in text
        assert other.reference not in text + html
        assert other.token not in text + html
        assert "Sun cream" in text and "Sun cream" in html
        assert "防晒霜" not in text + html
    chinese_text = chinese_message.body + html_of(chinese_message)
    assert chinese.reference in chinese_text
    assert "防晒霜" in chinese_text and "Sun cream" not in chinese_text
    assert "openstreetmap.org/?mlat=31.123456" in first_message.body


def test_the_html_part_is_inserted_as_html_once_not_escaped(session):
    _booking, message = confirmation(session, 1, "en")
    html = html_of(message)
    assert html.count("Sun cream") == 1
    assert "&lt;h2" not in html


def test_an_edit_of_the_experience_shows_in_the_next_email_at_once(session):
    confirmation(session, 1, "en")
    experience = session.experience
    experience.what_to_bring_en = "A hat"
    experience.save()
    _booking, message = confirmation(session, 2, "en")
    assert "A hat" in message.body and "Sun cream" not in message.body
