"""Two-factor sign-in for staff, by ADMIN_2FA: off, optional (whoever enrolled must give a code), required (every
account enrols before it sees an admin page). The browser journey is in tests/browser/test_security.py."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_operator

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-123"
ADMIN = "/en/admin/"


@pytest.fixture
def operator(village):
    return make_operator("op", village)


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def sign_in(client, **extra):
    return client.post(f"{ADMIN}login/", {"username": "op", "password": PASSWORD, "next": ADMIN, **extra})


def test_optional_an_account_without_a_device_signs_in_with_its_password(client, operator):
    assert sign_in(client)["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_optional_an_account_with_a_device_needs_its_current_code(client, operator):
    device = enrolled(operator)
    refused = sign_in(client)
    assert refused.status_code == 200 and "Enter the current code" in refused.content.decode()
    assert sign_in(client, otp_token=code(device))["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_a_wrong_code_is_refused_and_slows_the_next_tries(client, operator):
    device = enrolled(operator)
    assert sign_in(client, otp_token="000000").status_code == 200
    assert sign_in(client, otp_token=code(device)).status_code == 200  # django-otp's back-off after a failure
    assert client.get(ADMIN).status_code == 302


def test_required_an_account_without_a_device_is_sent_to_enrol_before_any_page(client, operator, settings):
    settings.ADMIN_2FA = "required"
    sign_in(client)
    for path in (ADMIN, f"{ADMIN}bookings/booking/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == f"{ADMIN}two-factor/"
    page = client.get(f"{ADMIN}two-factor/").content.decode()
    assert "two-factor-key" in page and "data:image/svg+xml;base64," in page
    device = TOTPDevice.objects.get(user=operator, confirmed=False)
    assert client.post(f"{ADMIN}two-factor/", {"otp_token": code(device)})["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_off_asks_no_code_even_of_an_enrolled_account(client, operator, settings):
    settings.ADMIN_2FA = "off"
    enrolled(operator)
    assert sign_in(client)["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
