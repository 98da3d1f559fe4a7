"""The experience list's order (village's position, then the experience's position, then slug) is read from one index
on the experiences' table, through a copy of the village's position on each experience (Experience.village_position).
The copy must follow every way a position or a village changes: here, each of them, and the migration that filled it."""

import pytest
from django.contrib import admin
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import RequestFactory

from tests.factories import ExperienceFactory, VillageFactory
from villages.models import Experience, Village

pytestmark = pytest.mark.django_db

EXPERIENCES = "/api/v1/experiences/"


def listed(client, **params) -> list[str]:
    response = client.get(EXPERIENCES, params)
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def village_position_of(experience: Experience) -> int:
    return Experience.objects.values_list("village_position", flat=True).get(pk=experience.pk)


def test_experiences_are_listed_by_village_position_then_their_own_position_then_slug(client):
    first = VillageFactory(slug="first", position=1)
    second = VillageFactory(slug="second", position=2)
    also_second = VillageFactory(slug="also-second", position=2)  # same position: its experiences interleave
    ExperienceFactory(village=second, slug="s-b", position=1)
    ExperienceFactory(village=also_second, slug="s-a", position=1)
    ExperienceFactory(village=also_second, slug="s-c", position=0)
    ExperienceFactory(village=first, slug="f-z", position=5)
    ExperienceFactory(village=first, slug="f-y", position=5)
    ExperienceFactory(village=VillageFactory(is_published=False, position=0), slug="hidden")

    response = client.get(EXPERIENCES)

    assert [item["slug"] for item in response.json()["results"]] == ["f-y", "f-z", "s-c", "s-a", "s-b"]
    assert response.json()["count"] == 5


def test_a_new_experience_takes_its_villages_position():
    village = VillageFactory(position=7)

    assert village_position_of(ExperienceFactory(village=village)) == 7


def test_moving_a_village_in_the_list_moves_its_experiences_and_no_others(client):
    early, late = VillageFactory(position=1), VillageFactory(position=2)
    ExperienceFactory(village=early, slug="early")
    ExperienceFactory(village=late, slug="late")
    other = ExperienceFactory(village=VillageFactory(position=3), slug="other")

    early.position = 9
    early.save(update_fields=["position"])

    assert listed(client) == ["late", "other", "early"]
    assert village_position_of(other) == 3


def test_a_village_saved_without_its_position_leaves_its_experiences_alone(django_assert_num_queries):
    village = VillageFactory(position=4)
    experience = ExperienceFactory(village=village)
    Village.objects.filter(pk=village.pk).update(position=8)  # e.g. a stale form that did not change the position

    with django_assert_num_queries(1):
        village.save(update_fields=["name"])

    assert village_position_of(experience) == 4


def test_an_experience_moved_to_another_village_takes_that_villages_position(client):
    experience = ExperienceFactory(village=VillageFactory(position=1), slug="moving")
    ExperienceFactory(village=VillageFactory(position=5), slug="middle")

    experience.village = VillageFactory(position=9)
    experience.save(update_fields=["village"])

    assert village_position_of(experience) == 9
    assert listed(client) == ["middle", "moving"]


def test_a_village_loaded_before_its_position_changed_does_not_give_the_old_position():
    village = VillageFactory(position=1)
    stale = Village.objects.get(pk=village.pk)
    village.position = 6
    village.save()

    assert village_position_of(ExperienceFactory(village=stale)) == 6


def test_the_admins_saves_of_only_what_changed_keep_the_copy(django_user_model):
    """The admin saves with update_fields (villages.admin_base): a village's new position in the list's editable
    column, an experience moved to another village in its form."""
    request = RequestFactory().post("/")
    request.user = django_user_model.objects.create_superuser("root", "root@example.com", "a-long-password-123")
    village, elsewhere = VillageFactory(position=1), VillageFactory(position=3)
    experience = ExperienceFactory(village=village)

    village_admin = admin.site._registry[Village]
    form = village_admin.get_changelist_formset(request)(
        request.POST, queryset=Village.objects.filter(pk=village.pk)
    ).form(data={"position": 2, "is_published": "on"}, instance=village)
    assert form.is_valid(), form.errors
    village_admin.save_model(request, form.save(commit=False), form, change=True)
    assert village_position_of(experience) == 2

    experience_admin = admin.site._registry[Experience]
    form_class = experience_admin.get_form(request, experience)
    initial = form_class(instance=experience)
    data = {name: initial[name].value() for name in initial.fields if initial[name].value() is not None}
    bound = form_class(data={**data, "village": elsewhere.pk}, instance=experience)
    assert bound.is_valid(), bound.errors
    experience_admin.save_model(request, bound.save(commit=False), bound, change=True)
    assert village_position_of(experience) == 3


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_copy_for_the_experiences_there_are():
    before, after = [("villages", "0009_scheduled_sessions_index")], [("villages", "0010_experience_list_order")]
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        apps = MigrationExecutor(connection).loader.project_state(before).apps
        district = apps.get_model("villages", "District").objects.create(slug="d", name="区")
        town = apps.get_model("villages", "Town").objects.create(slug="t", name="镇", district=district)
        village = apps.get_model("villages", "Village").objects.create(slug="v", name="村", town=town, position=7)
        apps.get_model("villages", "Experience").objects.create(
            village=village,
            slug="walk",
            kind="other",
            title="走走",
            description="-",
            duration_minutes=60,
            adult_price=10,
            child_price=5,
            capacity=10,
        )
        MigrationExecutor(connection).migrate(after)
    finally:
        MigrationExecutor(connection).migrate(leaves)

    assert Experience.objects.get(slug="walk").village_position == 7
