from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import (
    ExperienceFactory,
    HonourFactory,
    SessionFactory,
    VenueFactory,
    VillageFactory,
    VillageHonourFactory,
)
from tests.html import PageStructure
from villages.models import Experience, Session
from villages.months import mask_from_months

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def cenbu():
    village = VillageFactory(
        slug="cenbu",
        name_zh_hans="岑卜村",
        name_en="Cenbu Village",
        tagline_zh_hans="国潮岑卜",
        tagline_en="Guochao Cenbu",
    )
    firefly = ExperienceFactory(
        village=village,
        slug="cenbu-fireflies",
        kind=Experience.Kind.FIREFLY_VIEWING,
        title_zh_hans="观萤火虫",
        title_en="Firefly viewing",
        season_mask=mask_from_months(range(1, 13)),
    )
    SessionFactory(experience=firefly)
    VenueFactory(village=village, name_zh_hans="一尺花园", name_en="Yichi Garden")
    VillageHonourFactory(
        village=village,
        honour=HonourFactory(slug="demo", title_zh_hans="上海市乡村振兴示范村", title_en="Demonstration Village"),
        year=2021,
    )
    return village


def test_the_root_sends_an_english_browser_to_english_pages(client, cenbu):
    response = client.get("/", follow=True, **EN)
    assert response.redirect_chain[-1][0] == "/en/"
    assert "Cenbu Village" in response.content.decode()
    assert PageStructure(response.content.decode()).html_lang == "en"


def test_the_root_sends_a_chinese_browser_to_chinese_pages(client, cenbu):
    response = client.get("/", follow=True, **ZH)
    assert response.redirect_chain[-1][0] == "/zh-hans/"
    body = response.content.decode()
    assert "岑卜村" in body and "村庄" in body


def test_searching_fireflies_in_chinese_finds_the_village_of_the_firefly_experience(client, cenbu):
    VillageFactory(name_zh_hans="别的村", name_en="Another Village")
    response = client.get("/zh-hans/villages/", {"q": "萤火虫"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "岑卜村" in body and "别的村" not in body


def test_searching_an_english_word_finds_english_text(client, cenbu):
    VillageFactory(name_zh_hans="别的村", name_en="Another Village")
    body = client.get("/en/villages/", {"q": "firefly"}).content.decode()
    assert "Cenbu Village" in body and "Another Village" not in body


def test_villages_can_be_filtered_by_district_honour_and_kind(client, cenbu):
    other = VillageFactory(name_en="Another Village")
    ExperienceFactory(village=other, kind=Experience.Kind.KAYAKING)
    by_district = client.get("/en/villages/", {"district": other.town.district.slug}).content.decode()
    assert "Another Village" in by_district and "Cenbu Village" not in by_district
    by_honour = client.get("/en/villages/", {"tag": "demo"}).content.decode()
    assert "Cenbu Village" in by_honour and "Another Village" not in by_honour
    by_kind = client.get("/en/villages/", {"kind": "kayaking"}).content.decode()
    assert "Another Village" in by_kind and "Cenbu Village" not in by_kind


def test_an_unknown_filter_value_is_a_400_that_says_which_field_is_wrong(client, cenbu):
    response = client.get("/en/villages/", {"district": "atlantis"})
    assert response.status_code == 400
    assert 'id="id_district-error"' in response.content.decode()


def test_a_page_past_the_last_is_not_found(client, cenbu):
    assert client.get("/en/villages/", {"page": 9}).status_code == 404
    assert client.get("/en/villages/", {"page": "x"}).status_code == 404


def test_an_unpublished_village_is_neither_listed_nor_reachable(client, cenbu):
    hidden = VillageFactory(name_en="Hidden Village", is_published=False)
    assert "Hidden Village" not in client.get("/en/villages/").content.decode()
    response = client.get(f"/en/villages/{hidden.slug}/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_village_page_shows_honours_venues_and_experiences_with_their_next_session(client, cenbu):
    body = client.get("/zh-hans/villages/cenbu/").content.decode()
    assert "上海市乡村振兴示范村 (2021)" in body
    assert "一尺花园" in body
    assert "观萤火虫" in body
    session = Session.objects.get()
    assert timezone.localtime(session.starts_at).isoformat() in body


def test_the_experience_page_shows_prices_and_future_sessions_with_seats_left(client, cenbu):
    experience = Experience.objects.get(slug="cenbu-fireflies")
    SessionFactory(experience=experience, status=Session.Status.CANCELLED)
    past = SessionFactory.build(experience=experience)
    past.starts_at = timezone.now() - timedelta(days=1)
    past.ends_at = past.starts_at + timedelta(hours=1)
    past.save()
    body = client.get("/en/experiences/cenbu-fireflies/").content.decode()
    assert "Adult ¥88" in body and "Child ¥48" in body
    assert body.count("10 seats left") == 1


def test_an_out_of_season_experience_says_when_it_runs(client, cenbu):
    experience = ExperienceFactory(village=cenbu, season_mask=mask_from_months([5, 6, 7]), title_en="Night walk")
    body = client.get(f"/en/experiences/{experience.slug}/").content.decode()
    assert "No sessions are scheduled right now. This experience runs in May–July." in body


def test_english_pages_fall_back_to_chinese_where_a_translation_is_missing(client):
    VillageFactory(slug="untranslated", name_zh_hans="水库村", name_en="")
    body = client.get("/en/villages/untranslated/").content.decode()
    assert "水库村" in body


def test_switching_language_keeps_the_visitor_on_the_same_page(client, cenbu):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/zh-hans/villages/cenbu/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/villages/cenbu/"


@pytest.mark.parametrize(
    "path", ["/zh-hans/", "/en/villages/", "/en/villages/cenbu/", "/zh-hans/experiences/cenbu-fireflies/", "/en/nope/"]
)
def test_every_page_has_one_h1_landmarks_alt_texts_and_labelled_controls(client, cenbu, path):
    page = PageStructure(client.get(path).content.decode())
    assert page.h1_count == 1
    assert {"header", "main", "footer", "nav"} <= page.landmarks
    assert page.images_without_alt() == []
    assert page.unlabelled_controls() == []


def _populate(villages: int, experiences: int, sessions: int):
    for _ in range(villages):
        village = VillageFactory()
        VillageHonourFactory(village=village)
        VenueFactory(village=village)
        for _ in range(experiences):
            experience = ExperienceFactory(village=village)
            for _ in range(sessions):
                SessionFactory(experience=experience)


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/en/", "/en/villages/", "/en/villages/{slug}/", "/en/experiences/{experience}/"])
def test_pages_make_the_same_number_of_queries_whatever_the_amount_of_data(client, path, settings):
    settings.PAGE_CACHE = False  # the rendering's own queries, each time
    _populate(villages=1, experiences=1, sessions=1)
    first = Experience.objects.first()
    small = _queries(client, path.format(slug=first.village.slug, experience=first.slug))
    _populate(villages=5, experiences=4, sessions=5)
    for _ in range(3):
        VillageHonourFactory(village=first.village)
        SessionFactory(experience=first)
        ExperienceFactory(village=first.village)
    large = _queries(client, path.format(slug=first.village.slug, experience=first.slug))
    assert small == large
