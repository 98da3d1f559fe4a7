"""The privacy notice, where it is linked, the admin's personal-data tools, and the headers every page is sent with."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from bookings import services as booking_services
from tests.factories import ResidencyProgramFactory, SessionFactory, make_booking, make_operator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "retention"),
    [
        ("en", "How we handle your personal data", "365 days after the session"),
        ("zh-hans", "我们如何处理您的个人信息", "365"),
    ],
)
def test_the_privacy_page_says_what_is_kept_why_who_sees_it_how_long_and_how_to_ask(
    client, language, heading, retention
):
    page = client.get(f"/{language}/privacy/").content.decode()
    assert heading in page and retention in page
    assert "mailto:" in page


def test_the_booking_and_application_forms_and_the_footer_link_to_the_notice(client, bookable_session):
    program = ResidencyProgramFactory()
    for path in (bookable_session.experience.get_absolute_url(), program.get_absolute_url()):
        page = client.get(path).content.decode()
        assert page.count('href="/zh-hans/privacy/"') >= 2  # in the form, and in the footer


def test_every_email_links_to_the_notice_in_its_language(settings, bookable_session, visitor):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from outbox import services as outbox_services

    booking = make_booking(bookable_session, **{**visitor, "language": "en"})
    booking_services.confirm_booking(booking.pk)
    for email in booking.emails.all():
        outbox_services.send_outgoing_email(email.pk)
    for message in mail.outbox:
        privacy = f"{settings.SITE_URL}/{'en' if message.to == [visitor['email']] else 'zh-hans'}/privacy/"
        assert privacy in message.body
        assert privacy in message.alternatives[0].content


def test_a_platform_admin_downloads_a_persons_data_and_an_operator_cannot(client, django_user_model, village):
    booking = make_booking(SessionFactory(experience__village=village), email="alex@example.com")
    url = reverse("personal_data")

    client.force_login(make_operator("op", village))
    assert client.post(url, {"email": "alex@example.com", "export": "1"}).status_code == 403

    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "a-long-password-1"))
    response = client.post(url, {"email": "alex@example.com", "export": "1"})
    assert response["Content-Disposition"] == 'attachment; filename="personal-data.json"'
    assert [row["reference"] for row in json.loads(response.content)["bookings"]] == [booking.reference]

    refused = client.post(url, {"email": "alex@example.com", "erase": "1"})
    assert booking.reference in refused.content.decode()  # still to come: nothing erased
    erased = client.post(url, {"email": "alex@example.com", "erase": "1", "cancel_upcoming": "on"})
    assert erased.status_code == 302
    booking.refresh_from_db()
    assert booking.personal_data_removed_at is not None


def test_every_page_is_sent_with_a_strict_content_security_policy_and_permissions_policy(client):
    response = client.get("/zh-hans/")
    policy = dict(
        directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";") if directive
    )
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["form-action"] == "'self'"
    assert policy["img-src"] == "'self' data: https://tile.openstreetmap.org"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_a_staff_session_lasts_eight_hours_from_its_last_request(client, village):
    client.force_login(make_operator("op", village))
    response = client.get("/zh-hans/admin/")
    assert response.status_code == 200
    assert response.cookies["sessionid"]["max-age"] == 8 * 3600  # renewed with every request
