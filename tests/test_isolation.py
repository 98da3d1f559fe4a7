"""Two operators of two villages: each sees and touches only their own village, whatever URL they type."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from bookings import services
from bookings.models import Booking
from live.models import LiveStream
from outbox.models import OutgoingEmail
from residency.models import ResidencyApplication, ResidencyProgram
from tests.factories import (
    ExperienceFactory,
    LiveStreamFactory,
    ResidencyProgramFactory,
    RouteLegFactory,
    SessionFactory,
    VenueFactory,
    VillageFactory,
    make_application,
    make_operator,
    uploaded_image,
)
from villages.models import Experience, ExperienceImage, Route, Session, Venue, Village, VillageImage

pytestmark = pytest.mark.django_db

VISITOR = {"name": "李四", "phone": "13800138000", "language": "zh-hans"}


def village_with_everything(slug):
    village = VillageFactory(slug=slug, name_zh_hans=f"{slug}村", contact_email=f"{slug}@example.com")
    VillageImage.objects.create(village=village, image=uploaded_image(), alt_text_zh_hans=f"{slug} 图")
    VenueFactory(village=village, name_zh_hans=f"{slug}花园")
    experience = ExperienceFactory(village=village, title_zh_hans=f"{slug}骑行", slug=f"{slug}-ride")
    ExperienceImage.objects.create(experience=experience, image=uploaded_image(), alt_text_zh_hans=f"{slug} 照片")
    session = SessionFactory(experience=experience)
    booking, _ = services.create_booking(
        session_id=session.pk, adults=1, email=f"visitor@{slug}.example.com", **VISITOR
    )
    services.confirm_booking(booking.pk)
    program = ResidencyProgramFactory(village=village, slug=f"{slug}-nomads", name_zh_hans=f"{slug}游民计划")
    make_application(program, name=f"{slug} nomad", email=f"nomad@{slug}.example.com")
    LiveStreamFactory(village=village, title_zh_hans=f"{slug}直播", sessions=[session])
    RouteLegFactory(route__village=village, route__origin_zh_hans=f"{slug}站")
    return village


@pytest.fixture
def two_villages(django_user_model):
    village_a, village_b = village_with_everything("alpha"), village_with_everything("beta")
    return {
        "a": village_a,
        "b": village_b,
        "operator_a": make_operator("op-alpha", village_a),
        "operator_b": make_operator("op-beta", village_b),
    }


# (name, admin URL prefix, how to find the row of a village)
SCOPED = [
    ("village", "villages_village", lambda village: village),
    ("venue", "villages_venue", lambda village: Venue.objects.get(village=village)),
    ("experience", "villages_experience", lambda village: Experience.objects.get(village=village)),
    ("session", "villages_session", lambda village: Session.objects.get(experience__village=village)),
    ("booking", "bookings_booking", lambda village: Booking.objects.get(session__experience__village=village)),
    (
        "booking email",
        "outbox_outgoingemail",
        lambda village: OutgoingEmail.objects.filter(booking__session__experience__village=village).first(),
    ),
    ("live stream", "live_livestream", lambda village: LiveStream.objects.get(village=village)),
    ("route", "villages_route", lambda village: Route.objects.get(village=village)),
    (
        "residency programme",
        "residency_residencyprogram",
        lambda village: ResidencyProgram.objects.get(village=village),
    ),
    (
        "residency application",
        "residency_residencyapplication",
        lambda village: ResidencyApplication.objects.get(program__village=village),
    ),
    (
        "application email",
        "outbox_outgoingemail",
        lambda village: OutgoingEmail.objects.filter(application__program__village=village).first(),
    ),
]
SCOPED_IDS = [name for name, _prefix, _row_of in SCOPED]


@pytest.mark.parametrize(("name", "prefix", "row_of"), SCOPED, ids=SCOPED_IDS)
def test_an_operator_lists_only_their_own_villages_rows(client, two_villages, name, prefix, row_of):
    client.force_login(two_villages["operator_a"])
    response = client.get(reverse(f"admin:{prefix}_changelist"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert row_of(two_villages["a"]).pk in shown
    assert row_of(two_villages["b"]).pk not in shown


@pytest.mark.parametrize(("name", "prefix", "row_of"), SCOPED, ids=SCOPED_IDS)
@pytest.mark.parametrize("page", ["change", "delete", "history"])
def test_another_villages_row_by_direct_url_reveals_nothing(client, two_villages, name, prefix, row_of, page):
    client.force_login(two_villages["operator_a"])
    other = row_of(two_villages["b"])
    response = client.get(reverse(f"admin:{prefix}_{page}", args=[other.pk]), follow=True)
    body = response.content.decode()
    if response.redirect_chain:
        assert response.redirect_chain[-1][0] == reverse("admin:index")
    else:
        assert response.status_code in (403, 404)
    assert "beta" not in body.replace("op-beta", "")
    assert "visitor@beta" not in body and "nomad@beta" not in body


@pytest.mark.parametrize(("name", "prefix", "row_of"), SCOPED, ids=SCOPED_IDS)
def test_the_view_on_site_redirect_finds_no_other_villages_row(client, two_villages, name, prefix, row_of):
    """Django's admin/r/<content type>/<id>/ answers with the object's address: a secret link for bookings."""
    client.force_login(two_villages["operator_a"])
    other = row_of(two_villages["b"])
    content_type = ContentType.objects.get_for_model(other)
    response = client.get(reverse("admin:view_on_site", args=[content_type.pk, other.pk]))
    assert response.status_code == 404
    assert "beta" not in response.get("Location", "") and "token" not in response.get("Location", "")


def test_the_view_on_site_redirect_still_leads_to_an_operators_own_village(client, two_villages):
    client.force_login(two_villages["operator_a"])
    village = two_villages["a"]
    response = client.get(
        reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Village).pk, village.pk])
    )
    assert response.status_code == 302 and response["Location"].endswith(village.get_absolute_url())


def test_an_operator_can_open_their_own_rows(client, two_villages):
    client.force_login(two_villages["operator_a"])
    for name, prefix, row_of in SCOPED:
        row = row_of(two_villages["a"])
        assert client.get(reverse(f"admin:{prefix}_change", args=[row.pk])).status_code == 200, name


def test_autocomplete_and_raw_id_lookups_offer_only_own_rows(client, two_villages):
    client.force_login(two_villages["operator_a"])
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "villages", "model_name": "session", "field_name": "experience", "term": ""},
    )
    assert autocomplete.status_code == 200
    titles = [result["text"] for result in autocomplete.json()["results"]]
    assert titles == ["alpha骑行"]
    popup = client.get(reverse("admin:villages_experience_changelist"), {"_popup": "1", "_to_field": "id"})
    assert "alpha骑行" in popup.content.decode() and "beta骑行" not in popup.content.decode()


def test_foreign_key_choices_and_posts_stay_inside_the_operators_village(client, two_villages):
    client.force_login(two_villages["operator_a"])
    village_choices = client.get(reverse("admin:villages_venue_add")).context["adminform"].form.fields["village"]
    assert [village.slug for village in village_choices.queryset] == ["alpha"]
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "villages", "model_name": "venue", "field_name": "village", "term": ""},
    )
    assert [result["text"] for result in autocomplete.json()["results"]] == ["alpha村"]
    response = client.post(
        reverse("admin:villages_venue_add"),
        {"village": two_villages["b"].pk, "slug": "sneaky", "kind": "garden", "name_zh_hans": "偷建的花园"},
    )
    assert response.status_code == 200  # the form comes back with an error
    assert not Venue.objects.filter(slug="sneaky").exists()


def test_operators_cannot_create_villages_or_see_memberships(client, two_villages):
    client.force_login(two_villages["operator_a"])
    assert client.get(reverse("admin:villages_village_add")).status_code == 403
    assert client.get(reverse("admin:villages_villagemembership_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_an_admin_action_on_another_villages_pk_changes_nothing(client, two_villages):
    client.force_login(two_villages["operator_a"])
    other_booking = Booking.objects.get(session__experience__village=two_villages["b"])
    client.post(
        reverse("admin:bookings_booking_changelist"), {"action": "cancel", "_selected_action": [other_booking.pk]}
    )
    other_booking.refresh_from_db()
    assert other_booking.status == Booking.Status.CONFIRMED


def test_a_decision_on_another_villages_application_changes_nothing(client, two_villages):
    client.force_login(two_villages["operator_a"])
    other = ResidencyApplication.objects.get(program__village=two_villages["b"])
    changelist = reverse("admin:residency_residencyapplication_changelist")
    client.post(changelist, {"action": "mark_under_review", "index": 0, "_selected_action": [other.pk]})
    client.post(changelist, {"action": "accept", "post": "yes", "message": "", "_selected_action": [other.pk]})
    other.refresh_from_db()
    assert other.status == ResidencyApplication.Status.SUBMITTED
    assert other.program.places_accepted == 0


def test_another_villages_cv_is_not_found(client, two_villages):
    own = ResidencyApplication.objects.get(program__village=two_villages["a"])
    other = ResidencyApplication.objects.get(program__village=two_villages["b"])
    client.force_login(two_villages["operator_a"])
    assert client.get(reverse("admin:residency_residencyapplication_cv", args=[own.pk])).status_code == 200
    assert client.get(reverse("admin:residency_residencyapplication_cv", args=[other.pk])).status_code == 404


def test_a_platform_admin_sees_every_village(client, two_villages, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "long-password-123"))
    response = client.get(reverse("admin:villages_village_changelist"))
    assert {village.slug for village in response.context["cl"].result_list} == {"alpha", "beta"}


def test_an_operator_edits_their_own_village_and_history_records_who(client, two_villages):
    client.force_login(two_villages["operator_a"])
    village = two_villages["a"]
    change = reverse("admin:villages_village_change", args=[village.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.pop("cover_image", None)
    data.update({"summary_zh_hans": "新的简介", "is_published": "on"})
    for inline in client.get(change).context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline_form in formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None and name != "image":
                    data[inline_form.add_prefix(name)] = value
    response = client.post(change, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert Village.objects.get(pk=village.pk).summary_zh_hans == "新的简介"
    history = client.get(reverse("admin:villages_village_history", args=[village.pk])).content.decode()
    assert "op-alpha" in history


@pytest.mark.parametrize(
    "prefix",
    [
        "villages_venue",
        "villages_experience",
        "villages_session",
        "residency_residencyprogram",
        "bookings_booking",
        "residency_residencyapplication",
        "outbox_outgoingemail",
    ],
)
def test_list_filters_name_only_the_operators_own_village(client, two_villages, prefix):
    client.force_login(two_villages["operator_a"])
    body = client.get(reverse(f"admin:{prefix}_changelist")).content.decode()
    assert "beta村" not in body and "beta骑行" not in body and "beta游民计划" not in body
