"""`create_operator`: an operator account with its villages. The password never appears on the command line: it is
typed at a terminal, read from a file, or set by the operator through an emailed one-off link."""

import io
import re
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from tests.factories import VillageFactory
from tests.subprocess_django import ROOT
from villages.models import VillageMembership
from villages.scoping import OPERATORS_GROUP, villages_for

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-123"


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password"
    path.write_text(PASSWORD + "\n")
    return str(path)


def test_an_operator_is_created_with_memberships_and_the_operators_group(password_file):
    cenbu, shuiku = VillageFactory(slug="cenbu"), VillageFactory(slug="shuiku")
    VillageFactory(slug="elsewhere")
    call_command(
        "create_operator",
        "staff1",
        village=["cenbu", "shuiku"],
        role="staff",
        email="s@example.com",
        password_file=password_file,
        stdout=io.StringIO(),
    )
    user = get_user_model().objects.get(username="staff1")
    assert user.is_staff and not user.is_superuser and user.check_password(PASSWORD)
    assert user.groups.filter(name=OPERATORS_GROUP).exists()
    assert set(villages_for(user)) == {cenbu, shuiku}
    assert set(VillageMembership.objects.filter(user=user).values_list("role", flat=True)) == {"staff"}


def test_running_it_again_updates_the_role_without_duplicating_memberships(password_file):
    VillageFactory(slug="cenbu")
    for role in ("staff", "manager"):
        call_command(
            "create_operator", "op", village=["cenbu"], role=role, password_file=password_file, stdout=io.StringIO()
        )
    assert list(VillageMembership.objects.values_list("role", flat=True)) == ["manager"]


def test_an_emailed_link_lets_the_operator_set_their_own_password_once(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    VillageFactory(slug="cenbu")
    call_command(
        "create_operator", "op", village=["cenbu"], email="op@example.com", send_link=True, stdout=io.StringIO()
    )
    user = get_user_model().objects.get(username="op")
    assert not user.has_usable_password()
    [message] = mail.outbox
    link = re.search(r"http://\S+/set-password/\S+/", message.body).group(0).removeprefix(settings.SITE_URL)

    form_page = client.get(link, follow=True)
    new_password = "a-brand-new-password-456"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})

    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert client.get(link, follow=True).context["validlink"] is False  # used once, it opens nothing


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--village", "atlantis", "--send-link", "--email", "a@example.com"], "No village with slug: atlantis"),
        (["--village", "cenbu"], "Give --password-file or --send-link"),  # nobody at a terminal to ask
        (["--village", "cenbu", "--send-link"], "--send-link needs the operator's --email"),
    ],
)
def test_bad_arguments_are_refused_and_create_no_account(arguments, message):
    VillageFactory(slug="cenbu")
    with pytest.raises(CommandError, match=message):
        call_command("create_operator", "op", *arguments, stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="op").exists()


def test_a_weak_password_from_a_file_is_refused(tmp_path):
    VillageFactory(slug="cenbu")
    weak = tmp_path / "weak"
    weak.write_text("123\n")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_operator", "op", village=["cenbu"], password_file=str(weak), stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="op").exists()


def test_a_password_on_the_command_line_is_not_taken():
    result = subprocess.run(
        [sys.executable, "manage.py", "create_operator", "op", "--village", "cenbu", "--password", PASSWORD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin", "VAR_DIR": "/tmp/create-operator-test"},
    )
    assert result.returncode == 2
    assert "unrecognized arguments: --password" in result.stderr
