import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import Booking, OutgoingEmail
from tests.factories import ExperienceFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "long-password-123"))
    return client


def test_a_failed_email_shows_in_the_admin_and_can_be_sent_again(admin_client_logged_in, bookable_session, visitor):
    booking, _ = services.create_booking(session_id=bookable_session.pk, adults=1, **visitor)
    services.confirm_booking(booking.pk)
    email = booking.emails.get(kind=OutgoingEmail.Kind.BOOKING_CONFIRMED)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.FAILED, attempts=5, last_error="SMTPServerDisconnected: gone"
    )
    changelist = reverse("admin:bookings_outgoingemail_changelist")
    listed = admin_client_logged_in.get(changelist, {"status__exact": "failed"}).content.decode()
    assert visitor["email"] in listed
    admin_client_logged_in.post(changelist, {"action": "send_again", "_selected_action": [email.pk]})
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING and email.attempts == 0


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
