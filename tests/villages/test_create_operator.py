import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.factories import VillageFactory
from villages.models import VillageMembership
from villages.scoping import OPERATORS_GROUP, villages_for

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-123"


def test_an_operator_is_created_with_memberships_and_the_operators_group():
    cenbu, shuiku = VillageFactory(slug="cenbu"), VillageFactory(slug="shuiku")
    VillageFactory(slug="elsewhere")
    call_command(
        "create_operator",
        "staff1",
        village=["cenbu", "shuiku"],
        role="staff",
        email="s@example.com",
        password=PASSWORD,
        stdout=io.StringIO(),
    )
    user = get_user_model().objects.get(username="staff1")
    assert user.is_staff and not user.is_superuser and user.check_password(PASSWORD)
    assert user.groups.filter(name=OPERATORS_GROUP).exists()
    assert set(villages_for(user)) == {cenbu, shuiku}
    assert set(VillageMembership.objects.filter(user=user).values_list("role", flat=True)) == {"staff"}


def test_running_it_again_updates_the_role_without_duplicating_memberships():
    VillageFactory(slug="cenbu")
    for role in ("staff", "manager"):
        call_command("create_operator", "op", village=["cenbu"], role=role, password=PASSWORD, stdout=io.StringIO())
    assert list(VillageMembership.objects.values_list("role", flat=True)) == ["manager"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--village", "atlantis", "--password", PASSWORD], "No village with slug: atlantis"),
        (["--village", "cenbu", "--password", "123"], "too short"),
        (["--village", "cenbu"], "Give --password"),  # nobody at a terminal to ask
    ],
)
def test_bad_arguments_are_refused_and_create_no_account(arguments, message):
    VillageFactory(slug="cenbu")
    with pytest.raises(CommandError, match=message):
        call_command("create_operator", "op", *arguments, stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="op").exists()
