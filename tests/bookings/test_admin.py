import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import Booking
from tests.factories import ExperienceFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "long-password-123"))
    return client


def test_an_operator_approves_a_booking_waiting_for_approval_from_the_list(admin_client_logged_in, village, visitor):
    session = SessionFactory(experience=ExperienceFactory(village=village, requires_approval=True))
    booking, _ = services.create_booking(session_id=session.pk, adults=1, **visitor)
    services.confirm_booking(booking.pk)
    admin_client_logged_in.post(
        reverse("admin:bookings_booking_changelist"), {"action": "approve", "_selected_action": [booking.pk]}
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.confirmed_at <= timezone.now()
