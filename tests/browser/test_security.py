"""Under the Content-Security-Policy (no inline script or style, ours or anyone's), every kind of page works in
Chromium with no console violation; and a member of staff turns on two-factor sign-in and signs in with it."""

import base64
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from residency.models import ResidencyApplication, ResidencyProgram
from tests.factories import make_application, make_operator
from villages.models import Experience, Village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-password-123"  # make_operator's


@pytest.fixture
def demo():
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)


def sign_in(page, username, password, code=None):
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    if code is not None:
        page.locator("#id_otp_token").fill(code)
    page.locator("#login-form input[type=submit]").click()


def test_public_pages_the_admin_and_the_api_docs_run_under_the_policy_with_no_violation(visit, demo):
    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    village = Village.objects.get(slug="cenbu")
    experience = Experience.objects.filter(village=village).first()
    open_cohort = ResidencyProgram.objects.get(slug="shuiku-digital-nomad-next-cohort")  # the first has moved in
    application = make_application(open_cohort, email="nomad@example.com")
    tab = visit("policy")
    page = tab.page
    for path in ("/zh-hans/", f"/zh-hans/villages/{village.slug}/", experience.get_absolute_url(), "/en/privacy/"):
        tab.open(path)
        tab.checked(path)
    tab.open("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Shanghai villages API")
    assert tab.errors == [], tab.errors

    tab.open("/zh-hans/admin/")
    sign_in(page, "root", PASSWORD)
    page.wait_for_url(re.compile(r"/zh-hans/admin/$"))
    for path in (
        "/zh-hans/admin/",
        "/zh-hans/admin/villages/village/",
        f"/zh-hans/admin/villages/village/{village.pk}/change/",
        f"/zh-hans/admin/villages/experience/{experience.pk}/change/",
        f"/zh-hans/admin/residency/residencyapplication/{application.pk}/change/",
        "/zh-hans/admin/personal-data/",
        "/zh-hans/admin/two-factor/",
        f"/zh-hans/admin/residency/residencyapplication/{application.pk}/change/",
    ):
        tab.open(path)
        assert tab.errors == [], f"{path}: {tab.errors}"
    page.get_by_role("button", name="录取…").click()
    expect(page.locator("h1")).to_be_visible()
    assert tab.errors == [], tab.errors
    assert ResidencyApplication.objects.get(pk=application.pk).status == ResidencyApplication.Status.SUBMITTED


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def test_an_operator_turns_on_two_factor_sign_in_and_then_needs_the_code(visit, demo, operators_group):
    make_operator("cenbu-desk", Village.objects.get(slug="cenbu"))
    tab = visit("two-factor")
    page = tab.open("/en/admin/")
    sign_in(page, "cenbu-desk", PASSWORD)
    page.wait_for_url(re.compile(r"/en/admin/$"))

    page.get_by_role("link", name="Two-factor sign-in").click()
    key = page.locator("#two-factor-key").inner_text()
    tab.checked("two-factor-enrol", screenshot=True)
    device = TOTPDevice.objects.get(user__username="cenbu-desk")
    assert base64.b32decode(key).hex() == device.key  # the key typed by hand is the one the QR code holds
    page.get_by_label("Code from your authenticator app").fill(code_for(device))
    page.locator("input[type=submit][value='Turn on two-factor sign-in']").click()
    page.wait_for_url(re.compile(r"/en/admin/$"))
    expect(page.locator(".messagelist .success")).to_contain_text("Two-factor sign-in is on")

    page.locator("#logout-form button").click()
    page = tab.open("/en/admin/")
    sign_in(page, "cenbu-desk", PASSWORD)  # the password alone is no longer enough
    expect(page.locator(".errornote")).to_contain_text("Enter the current code from your authenticator app.")
    sign_in(page, "cenbu-desk", PASSWORD, code=code_for(TOTPDevice.objects.get(pk=device.pk), steps_ahead=1))
    page.wait_for_url(re.compile(r"/en/admin/$"))
    tab.checked("admin-after-two-factor")
