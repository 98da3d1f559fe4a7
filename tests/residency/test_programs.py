"""Residency programmes (数字游民国际村): model rules, the pages, the API, the admin's scoping and the demo seed."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from residency.models import ResidencyProgram
from tests.factories import ResidencyProgramFactory, VillageFactory, make_operator
from tests.html import PageStructure

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
API = "/api/v1/residency-programs/"


def closed_window():
    now = timezone.now()
    return {"applications_open_at": now - timedelta(days=60), "applications_close_at": now - timedelta(days=30)}


def upcoming_window():
    now = timezone.now()
    return {"applications_open_at": now + timedelta(days=10), "applications_close_at": now + timedelta(days=40)}


# --- Model


def test_the_database_refuses_more_accepted_places_than_there_are():
    program = ResidencyProgramFactory(places=12)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResidencyProgram.objects.filter(pk=program.pk).update(places_accepted=13)


def test_the_database_refuses_a_cohort_that_ends_before_it_starts():
    program = ResidencyProgramFactory.build(village=VillageFactory())
    program.ends_on = program.starts_on - timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        program.save()


def test_the_database_refuses_zero_places_a_negative_fee_and_a_window_that_closes_before_it_opens():
    for changes in (
        {"places": 0},
        {"monthly_fee": Decimal("-1")},
        {"applications_close_at": timezone.now() - timedelta(days=30)},
    ):
        program = ResidencyProgramFactory.build(village=VillageFactory(), **changes)
        with pytest.raises(IntegrityError), transaction.atomic():
            program.save()


def test_places_left_and_whether_applications_are_open():
    program = ResidencyProgramFactory(places=12)
    ResidencyProgram.objects.filter(pk=program.pk).update(places_accepted=12)
    program.refresh_from_db()
    assert program.places_left == 0
    assert program.applications_open(), "a full cohort still takes applications for its waitlist"
    assert not program.applications_open(program.applications_close_at)
    assert not program.applications_open(program.applications_open_at - timedelta(seconds=1))
    program.is_published = False
    assert not program.applications_open()


# --- Pages


def test_the_residency_page_lists_open_programmes_before_upcoming_and_closed_ones_in_both_languages(client):
    village = VillageFactory(name_zh_hans="水库村", name_en="Shuiku Village")
    closed = ResidencyProgramFactory(village=village, name_zh_hans="往期计划", name_en="Past cohort", **closed_window())
    upcoming = ResidencyProgramFactory(
        village=village, name_zh_hans="下期计划", name_en="Next cohort", **upcoming_window()
    )
    open_program = ResidencyProgramFactory(
        village=village, name_zh_hans="首批", name_en="First cohort", places=12, monthly_fee=Decimal("3000.50")
    )
    ResidencyProgram.objects.filter(pk=open_program.pk).update(places_accepted=5)

    for prefix, headers, names, words in (
        ("/zh-hans/", ZH, ("首批", "下期计划", "往期计划"), ("水库村",)),
        ("/en/", EN, ("First cohort", "Next cohort", "Past cohort"), ("Shuiku Village", "7 left", "12 places")),
    ):
        response = client.get(f"{prefix}residency/", **headers)
        assert response.status_code == 200
        html = response.content.decode()
        positions = [html.index(name) for name in names]
        assert positions == sorted(positions), prefix
        assert "¥3000.50" in html
        assert "7" in html
        for word in words:
            assert word in html, (prefix, word)
        page = PageStructure(html)
        assert page.h1_count == 1
        assert not page.unlabelled_controls()
    assert reverse("residency:program_list") in html, "the site navigation links to it"
    assert closed.slug and upcoming.slug


def test_the_residency_page_badges_say_until_when_from_when_or_closed(client):
    ResidencyProgramFactory()
    ResidencyProgramFactory(**upcoming_window())
    ResidencyProgramFactory(**closed_window())
    html = client.get("/en/residency/", **EN).content.decode()
    assert "Applications open until" in html
    assert "Applications open on" in html
    assert "Applications closed" in html


def test_a_cohort_that_has_moved_in_is_shown_in_residence_with_how_many_live_there_and_no_form(client):
    today = timezone.localdate()
    program = ResidencyProgramFactory(
        starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=150), places=12, **closed_window()
    )
    ResidencyProgram.objects.filter(pk=program.pk).update(places_accepted=12)
    listed = client.get("/en/residency/", **EN).content.decode()
    assert "In residence now" in listed and "12 in residence" in listed and "0 left" not in listed
    page = client.get(program.get_absolute_url(), **EN).content.decode()
    assert "This cohort is in residence now: applications for it are closed." in page
    assert "residency-form" not in page


def test_unpublished_programmes_and_programmes_of_unpublished_villages_are_hidden(client):
    ResidencyProgramFactory(name_en="Draft cohort", is_published=False)
    ResidencyProgramFactory(name_en="Hidden village cohort", village__is_published=False)
    html = client.get("/en/residency/", **EN).content.decode()
    assert "Draft cohort" not in html
    assert "Hidden village cohort" not in html
    assert 'class="empty"' in html
    assert client.get(API).json()["count"] == 0


def test_the_village_page_shows_its_published_programme(client):
    village = VillageFactory(slug="shuiku")
    ResidencyProgramFactory(village=village, name_en="First cohort", places=12)
    ResidencyProgramFactory(village=village, name_en="Draft cohort", is_published=False)
    html = client.get("/en/villages/shuiku/", **EN).content.decode()
    assert "Residency programmes" in html
    assert "First cohort" in html
    assert "Draft cohort" not in html
    assert "¥3000 per month" in html
    assert PageStructure(html).h1_count == 1


def _queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **headers).status_code == 200
    return len(queries)


def test_the_residency_page_the_village_page_and_the_api_do_not_query_per_programme(client, settings):
    settings.PAGE_CACHE = False  # the rendering's own queries, each time
    village = VillageFactory(slug="shuiku")
    ResidencyProgramFactory(village=village)
    small = [_queries(client, "/en/residency/", **EN), _queries(client, API), _queries(client, "/en/villages/shuiku/")]
    for _index in range(4):
        ResidencyProgramFactory(village=village)
        ResidencyProgramFactory()
    large = [_queries(client, "/en/residency/", **EN), _queries(client, API), _queries(client, "/en/villages/shuiku/")]
    assert large == small


# --- API


def test_the_api_describes_each_programme(client):
    program = ResidencyProgramFactory(village__slug="shuiku", slug="first-cohort", places=12)
    ResidencyProgram.objects.filter(pk=program.pk).update(places_accepted=4)
    body = client.get(API, **EN).json()
    assert body["count"] == 1
    item = body["results"][0]
    assert {
        "slug",
        "village",
        "name",
        "starts_on",
        "ends_on",
        "places",
        "places_left",
        "monthly_fee",
        "applications_open",
        "accommodation",
        "coworking_desk",
        "internet_mbps",
        "meals",
        "working_languages",
        "applications_open_at",
        "applications_close_at",
    } <= set(item)
    assert item["slug"] == "first-cohort"
    assert item["village"] == "shuiku"
    assert item["places"] == 12
    assert item["places_left"] == 8
    assert item["monthly_fee"] == "3000.00"
    assert item["applications_open"] is True
    assert item["name"] == program.name_en
    assert client.get(API, **ZH).json()["results"][0]["name"] == program.name_zh_hans


def test_the_api_filters_by_village_and_refuses_an_unknown_one(client):
    ResidencyProgramFactory(village__slug="shuiku", slug="a")
    ResidencyProgramFactory(village__slug="cenbu", slug="b")
    assert [item["slug"] for item in client.get(API, {"village": "shuiku"}).json()["results"]] == ["a"]
    response = client.get(API, {"village": "nowhere"})
    assert response.status_code == 400
    assert "village" in response.json()


def test_the_api_lists_open_programmes_first(client):
    ResidencyProgramFactory(slug="closed", **closed_window())
    ResidencyProgramFactory(slug="open")
    results = client.get(API).json()["results"]
    assert [item["slug"] for item in results] == ["open", "closed"]
    assert [item["applications_open"] for item in results] == [True, False]


# --- Admin


def test_an_operator_sees_and_changes_only_their_own_villages_programmes(client):
    mine = ResidencyProgramFactory(name_en="Mine")
    theirs = ResidencyProgramFactory(name_en="Theirs")
    client.force_login(make_operator("operator", mine.village))
    changelist = client.get(reverse("admin:residency_residencyprogram_changelist"), **EN)
    assert changelist.status_code == 200
    assert mine.name_zh_hans in changelist.content.decode()
    assert theirs.name_zh_hans not in changelist.content.decode()
    assert client.get(reverse("admin:residency_residencyprogram_change", args=[mine.pk])).status_code == 200
    other = client.get(reverse("admin:residency_residencyprogram_change", args=[theirs.pk]))
    assert other.status_code == 302, "another village's programme does not exist for this operator"
    post = client.post(reverse("admin:residency_residencyprogram_change", args=[theirs.pk]), {"name_zh_hans": "x"})
    assert post.status_code == 302
    theirs.refresh_from_db()
    assert theirs.name_zh_hans != "x"


# --- Seed


def _seed():
    with translation.override("en"):
        call_command("seed_demo", stdout=io.StringIO())


def test_the_seed_creates_shuikus_first_cohort_of_twelve_in_residence_a_demo_next_cohort_open_and_runs_twice_alike():
    _seed()
    first = ResidencyProgram.objects.get(slug="shuiku-digital-nomad-first-cohort")
    assert first.village.slug == "shuiku"
    assert (first.places, first.places_accepted) == (12, 12)
    assert not first.applications_open()
    assert first.starts_on < timezone.localdate() < first.ends_on
    assert "示例信息" in first.description_zh_hans
    assert "Demo value" in first.description_en
    following = ResidencyProgram.objects.get(slug="shuiku-digital-nomad-next-cohort")
    assert following.village.slug == "shuiku"
    assert following.applications_open()
    assert following.starts_on > timezone.localdate()
    assert following.name_zh_hans.endswith("（示例信息）") and following.name_en.endswith("(demo value)")
    before = list(ResidencyProgram.objects.values())
    _seed()
    assert list(ResidencyProgram.objects.values()) == before
