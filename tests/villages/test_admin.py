import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import (
    ExperienceFactory,
    OrganisationFactory,
    ResidencyProgramFactory,
    RouteLegFactory,
    SessionFactory,
    VenueFactory,
    VillageHonourFactory,
)
from villages.models import VillageMembership
from villages.months import mask_from_months

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "a-long-password-123")
    client.force_login(user)
    return client


@pytest.fixture
def one_of_everything():
    session = SessionFactory(experience__village__operator=OrganisationFactory())
    VillageHonourFactory(village=session.experience.village)
    VenueFactory(village=session.experience.village)
    ResidencyProgramFactory(village=session.experience.village)
    RouteLegFactory(route__village=session.experience.village)
    VillageMembership.objects.create(
        user=get_user_model().objects.create_user("someone", password="a-long-password-123"),
        village=session.experience.village,
    )
    return session


def test_every_directory_model_has_a_working_list_add_and_change_page_in_chinese(staff_client, one_of_everything):
    for model in admin.site._registry:
        if model._meta.app_label != "villages":
            continue
        prefix = f"admin:villages_{model._meta.model_name}"
        assert staff_client.get(reverse(f"{prefix}_changelist")).status_code == 200, model
        assert staff_client.get(reverse(f"{prefix}_add")).status_code == 200, model
        instance = model.objects.first()
        change = staff_client.get(reverse(f"{prefix}_change", args=[instance.pk]))
        assert change.status_code == 200, model
        assert 'lang="zh-hans"' in change.content.decode() or 'lang="zh-Hans"' in change.content.decode()


def test_the_experience_form_shows_both_languages_side_by_side(staff_client, one_of_everything):
    experience = one_of_everything.experience
    body = staff_client.get(reverse("admin:villages_experience_change", args=[experience.pk])).content.decode()
    assert 'name="title_zh_hans"' in body and 'name="title_en"' in body


def test_an_operator_picks_the_season_as_months_and_it_is_stored_as_such(one_of_everything, django_user_model):
    experience = ExperienceFactory(season_mask=mask_from_months([5, 6, 7]))
    request = RequestFactory().get("/")
    request.user = django_user_model.objects.create_superuser("admin2", "a@example.com", "a-long-password-123")
    model_admin = admin.site._registry[type(experience)]
    form_class = model_admin.get_form(request, experience)
    form = form_class(instance=experience)
    assert form.fields["season_months"].initial == [5, 6, 7]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["season_months"] = ["6", "7", "8"]
    data["village"] = experience.village_id
    bound = form_class(data=data, instance=experience)
    assert bound.is_valid(), bound.errors
    bound.save()
    experience.refresh_from_db()
    assert experience.season_months == [6, 7, 8]


def test_an_experience_without_any_season_month_is_refused_with_a_message(one_of_everything, django_user_model):
    experience = ExperienceFactory()
    request = RequestFactory().get("/")
    request.user = django_user_model.objects.create_superuser("admin3", "b@example.com", "a-long-password-123")
    form_class = admin.site._registry[type(experience)].get_form(request, experience)
    form = form_class(instance=experience)
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["season_months"] = []
    bound = form_class(data=data, instance=experience)
    assert not bound.is_valid()
    assert "season_months" in bound.errors
