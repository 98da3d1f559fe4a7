"""Passwords are only ever checked by the admin's sign-in, and guessing there is cut short: after AXES_FAILURE_LIMIT
failures for one username from one address, that pair is locked out (the right password too) for
AXES_COOLOFF_MINUTES. The API authenticates nobody, so no answer of it depends on a password."""

import base64
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import translation

from tests.factories import VillageFactory, make_operator

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-123"  # make_operator's


@pytest.fixture
def operator():
    return make_operator("cenbu-operator", VillageFactory(slug="cenbu"))


def sign_in(client, password, *, language="zh-hans", address="192.0.2.10", username="cenbu-operator"):
    return client.post(
        f"/{language}/admin/login/",
        {"username": username, "password": password, "next": f"/{language}/admin/"},
        REMOTE_ADDR=address,
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"].endswith("/admin/")


def test_five_wrong_passwords_lock_the_username_from_that_address_and_the_right_one_is_refused_too(client, operator):
    failures = [sign_in(client, f"wrong-{n}") for n in range(5)]
    assert [failure.status_code for failure in failures[:4]] == [200] * 4  # the form again, "incorrect"
    assert failures[4].status_code == 429  # the fifth failure locks

    refused = sign_in(client, PASSWORD)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 15 * 60
    page = refused.content.decode()
    with translation.override("zh-hans"):
        assert translation.gettext("Sign-in locked") in page
    assert "_auth_user_id" not in client.session


def test_the_locked_out_page_is_in_the_admins_language(client, operator):
    for n in range(5):
        sign_in(client, f"wrong-{n}", language="en")
    page = sign_in(client, PASSWORD, language="en").content.decode()
    assert "Sign-in locked" in page
    assert "Try again in 15 minutes. Until then even the right password is refused." in page


def test_the_lock_is_for_the_pair_the_same_username_from_another_address_signs_in(client, operator):
    for n in range(5):
        sign_in(client, f"wrong-{n}")
    assert signed_in(sign_in(client, PASSWORD, address="198.51.100.20"))


def test_the_lock_lifts_after_the_cool_off(client, operator):
    for n in range(5):
        sign_in(client, f"wrong-{n}")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert signed_in(sign_in(client, PASSWORD))


def test_a_successful_sign_in_forgets_earlier_failures(client, operator):
    for n in range(4):
        sign_in(client, f"wrong-{n}")
    assert signed_in(sign_in(client, PASSWORD))
    client.logout()
    for n in range(4):
        assert sign_in(client, f"again-wrong-{n}").status_code == 200
    assert signed_in(sign_in(client, PASSWORD))


def test_the_limit_and_cool_off_are_settings(client, operator, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_MINUTES = 1
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    sign_in(client, "wrong-1")
    assert sign_in(client, "wrong-2").status_code == 429
    assert int(sign_in(client, PASSWORD)["Retry-After"]) == 60


def basic(username, password) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.mark.parametrize("path", ["/api/v1/villages/", "/api/v1/experiences/", "/api/v1/residency-programs/"])
def test_basic_authentication_gives_the_same_answer_as_none_right_or_wrong_password(client, operator, path):
    VillageFactory(slug="shuiku")
    anonymous = client.get(path)
    right = client.get(path, HTTP_AUTHORIZATION=basic("cenbu-operator", PASSWORD))
    wrong = client.get(path, HTTP_AUTHORIZATION=basic("cenbu-operator", "not-the-password"))

    assert anonymous.status_code == right.status_code == wrong.status_code == 200
    assert anonymous.content == right.content == wrong.content
    assert "WWW-Authenticate" not in wrong
