"""The outbox in the admin: failed emails listed per village, sent again on request, counted on the dashboard."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from bookings import services as booking_services
from outbox.models import OutgoingEmail
from outbox.templatetags.outbox_dashboard import failed_emails
from tests.factories import ExperienceFactory, SessionFactory, VillageFactory, make_booking, make_operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "a-long-password-123")


def failed_booking_emails(village) -> OutgoingEmail:
    """A confirmed booking of `village` whose emails (to the visitor, to the village) could not be sent."""
    booking = make_booking(SessionFactory(experience=ExperienceFactory(village=village)), adults=1)
    booking_services.confirm_booking(booking.pk)
    OutgoingEmail.objects.filter(booking=booking).update(
        status=OutgoingEmail.Status.FAILED, attempts=5, last_error="SMTPServerDisconnected: gone"
    )
    return booking.emails.get(kind=OutgoingEmail.Kind.BOOKING_CONFIRMED)


def dashboard_of(user) -> dict:
    request = RequestFactory().get("/")
    request.user = user
    return failed_emails({"request": request})


def test_a_failed_email_shows_in_the_admin_and_can_be_sent_again(client, superuser, village):
    email = failed_booking_emails(village)
    client.force_login(superuser)
    changelist = reverse("admin:outbox_outgoingemail_changelist")

    listed = client.get(changelist, {"status__exact": "failed"}).content.decode()
    client.post(changelist, {"action": "send_again", "_selected_action": [email.pk]})

    assert email.recipient in listed
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING and email.attempts == 0


def test_the_dashboard_counts_the_operators_villages_failed_emails_with_a_link(village):
    other = VillageFactory(contact_email="")
    failed_booking_emails(village)  # the visitor's and the village's notice
    failed_booking_emails(other)
    failed_booking_emails(other)

    assert dashboard_of(make_operator("op", village)) == {
        "count": 2,
        "url": reverse("admin:outbox_outgoingemail_changelist") + "?status__exact=failed",
    }


def test_a_superuser_counts_every_failed_email(superuser, village):
    failed_booking_emails(village)
    failed_booking_emails(VillageFactory(contact_email=""))
    assert dashboard_of(superuser)["count"] == 3


def test_an_operator_sees_the_waiting_list_emails_of_their_own_village_only(client, village):
    other = VillageFactory()
    for each in (village, other):
        session = SessionFactory(experience=ExperienceFactory(village=each, capacity=2))
        make_booking(session, adults=2)
        booking_services.join_waitlist(
            session_id=session.pk,
            adults=1,
            name="Wu",
            email=f"wu@{each.slug}.example.com",
            phone="13800138000",
            language="en",
        )
    client.force_login(make_operator("op", village))

    listed = client.get(reverse("admin:outbox_outgoingemail_changelist")).content.decode()

    assert f"wu@{village.slug}.example.com" in listed and f"wu@{other.slug}.example.com" not in listed
    theirs = OutgoingEmail.objects.get(recipient=f"wu@{other.slug}.example.com")
    response = client.get(reverse("admin:outbox_outgoingemail_change", args=[theirs.pk]))
    assert response.status_code == 302  # "doesn't exist": Django's redirect to the index
