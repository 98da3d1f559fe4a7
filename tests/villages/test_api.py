"""The read-only API at /api/v1/: shapes, filters, languages, errors, query counts and its schema."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import (
    DistrictFactory,
    ExperienceFactory,
    ExperienceImageFactory,
    HonourFactory,
    OrganisationFactory,
    SessionFactory,
    TownFactory,
    VenueFactory,
    VillageFactory,
    VillageHonourFactory,
    VillageImageFactory,
    uploaded_image,
)
from villages.models import Experience, Session, Venue, Village
from villages.months import mask_from_months

pytestmark = pytest.mark.django_db

VILLAGES = "/api/v1/villages/"
EXPERIENCES = "/api/v1/experiences/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def village_url(slug):
    return f"{VILLAGES}{slug}/"


def experience_url(slug):
    return f"{EXPERIENCES}{slug}/"


def sessions_url(slug):
    return f"{EXPERIENCES}{slug}/sessions/"


def get(client, url, params=None, language=None):
    headers = {"accept-language": language} if language else {}
    return client.get(url, params or {}, headers=headers)


def slugs(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


def shanghai(day, hour, minute=0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def tiny_image():
    return uploaded_image(size=(64, 48))


# --- Villages: the list


def test_the_village_list_is_paginated_and_describes_each_village(client):
    operator = OrganisationFactory(slug="smile-hat", name_zh_hans="微笑草帽", name_en="Smile Straw Hat")
    village = VillageFactory(
        slug="lianqiu",
        name_zh_hans="莲湖村",
        name_en="Lianhu Village",
        tagline_zh_hans="湖上的村庄",
        tagline_en="A village on the lake",
        operator=operator,
        latitude=Decimal("31.123456"),
        longitude=Decimal("121.654321"),
        town=TownFactory(slug="jinze", district=DistrictFactory(slug="qingpu")),
    )
    VillageHonourFactory(
        village=village,
        honour=HonourFactory(slug="model-village", title_en="Model village of rural revitalisation"),
        year=2020,
        note_en="first batch",
    )

    response = get(client, VILLAGES, language="en")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    [item] = body["results"]
    assert item["slug"] == "lianqiu"
    assert item["name"] == "Lianhu Village"
    assert item["tagline"] == "A village on the lake"
    assert item["summary"] == "A quiet lakeside village."
    assert item["district"]["slug"] == "qingpu"
    assert item["town"]["slug"] == "jinze"
    assert item["operator"] == {"slug": "smile-hat", "name": "Smile Straw Hat"}
    assert item["honours"] == [
        {"slug": "model-village", "title": "Model village of rural revitalisation", "year": 2020, "note": "first batch"}
    ]
    assert (item["latitude"], item["longitude"]) == ("31.123456", "121.654321")
    assert item["cover_image"] is None
    assert item["url"] == "http://testserver/api/v1/villages/lianqiu/"
    assert item["web_url"] == "http://testserver/en/villages/lianqiu/"
    assert "description" not in item


def test_a_village_without_an_operator_says_null(client):
    VillageFactory(operator=None)

    [item] = get(client, VILLAGES).json()["results"]

    assert item["operator"] is None


def test_villages_come_in_the_editors_order(client):
    VillageFactory(slug="b-second", position=2)
    VillageFactory(slug="c-first", position=1)
    VillageFactory(slug="a-third", position=3)

    assert slugs(get(client, VILLAGES)) == ["c-first", "b-second", "a-third"]


def test_an_unpublished_village_is_not_listed(client):
    VillageFactory(slug="open")
    VillageFactory(slug="draft", is_published=False)

    assert slugs(get(client, VILLAGES)) == ["open"]


def test_twenty_villages_fit_on_a_page_and_next_links_to_the_rest(client):
    VillageFactory.create_batch(21)

    first = get(client, VILLAGES).json()
    second = get(client, VILLAGES, {"page": 2}).json()

    assert first["count"] == 21
    assert len(first["results"]) == 20
    assert first["next"] == "http://testserver/api/v1/villages/?page=2"
    assert len(second["results"]) == 1
    assert second["next"] is None


@pytest.mark.parametrize("page", ["5", "0", "-1", "abc", "99999999999999999999999"])
def test_a_page_that_does_not_exist_is_a_404(client, page):
    VillageFactory()

    response = get(client, VILLAGES, {"page": page})

    assert response.status_code == 404
    assert "detail" in response.json()


def test_a_cover_image_comes_with_its_size_description_and_absolute_srcset(client):
    VillageFactory(slug="with-cover", cover_image=uploaded_image(), cover_image_alt_en="Rice fields at dawn")

    [item] = get(client, VILLAGES, language="en").json()["results"]

    cover = item["cover_image"]
    assert (cover["width"], cover["height"]) == (800, 600)
    assert cover["alt"] == "Rice fields at dawn"
    assert cover["url"].startswith("http://testserver/media/villages/covers/")
    widths = [candidate.rsplit(" ", 1)[1] for candidate in cover["srcset"].split(", ")]
    assert widths == ["320w", "640w", "800w"]
    assert all(candidate.startswith("http://testserver/media/") for candidate in cover["srcset"].split(", "))


# --- Villages: filters and search


def test_villages_can_be_filtered_by_district(client):
    VillageFactory(slug="in-qingpu", town=TownFactory(district=DistrictFactory(slug="qingpu")))
    VillageFactory(slug="in-chongming", town=TownFactory(district=DistrictFactory(slug="chongming")))

    assert slugs(get(client, VILLAGES, {"district": "qingpu"})) == ["in-qingpu"]


def test_villages_can_be_filtered_by_the_honour_they_hold(client):
    honoured = VillageFactory(slug="honoured")
    VillageFactory(slug="plain")
    VillageHonourFactory(village=honoured, honour=HonourFactory(slug="demonstration"))

    assert slugs(get(client, VILLAGES, {"tag": "demonstration"})) == ["honoured"]


def test_villages_can_be_filtered_by_a_kind_of_published_experience(client):
    ExperienceFactory(village=VillageFactory(slug="kayaks"), kind=Experience.Kind.KAYAKING)
    ExperienceFactory(village=VillageFactory(slug="bikes"), kind=Experience.Kind.CYCLING)
    ExperienceFactory(village=VillageFactory(slug="draft-kayaks"), kind=Experience.Kind.KAYAKING, is_published=False)

    assert slugs(get(client, VILLAGES, {"kind": "kayaking"})) == ["kayaks"]


def test_an_unknown_district_is_a_400_naming_the_field(client):
    VillageFactory()

    response = get(client, VILLAGES, {"district": "atlantis"}, language="en")

    assert response.status_code == 400
    assert list(response.json()) == ["district"]
    assert "Select a valid choice" in response.json()["district"][0]


@pytest.mark.parametrize(("field", "value"), [("tag", "no-such-honour"), ("kind", "skydiving"), ("q", "x" * 101)])
def test_an_unknown_tag_or_kind_or_an_overlong_search_is_a_400_naming_the_field(client, field, value):
    response = get(client, VILLAGES, {field: value})

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_searching_in_chinese_finds_a_village_by_part_of_an_experience_title(client):
    fireflies = VillageFactory(slug="fireflies")
    ExperienceFactory(village=fireflies, title_zh_hans="夏夜看萤火虫", title_en="Summer night fireflies")
    ExperienceFactory(village=VillageFactory(slug="bikes"), title_zh_hans="环湖骑行")

    assert slugs(get(client, VILLAGES, {"q": "萤火虫"})) == ["fireflies"]
    assert slugs(get(client, VILLAGES, {"q": "萤火"})) == ["fireflies"]


def test_searching_in_english_finds_english_text_whatever_the_language_asked_for(client):
    VillageFactory(slug="tea", summary_en="Tea terraces above the lake.")
    VillageFactory(slug="rice", summary_en="Rice fields.")

    assert slugs(get(client, VILLAGES, {"q": "tea terraces"}, language="zh-hans")) == ["tea"]
    assert slugs(get(client, VILLAGES, {"q": "TEA TERRACES"}, language="en")) == ["tea"]


def test_a_search_does_not_find_a_draft_experience(client):
    ExperienceFactory(village=VillageFactory(slug="quiet"), title_zh_hans="看萤火虫", is_published=False)

    assert slugs(get(client, VILLAGES, {"q": "萤火虫"})) == []


# --- Villages: one village


def test_a_village_shows_its_story_gallery_venues_and_published_experiences(client):
    village = VillageFactory(
        slug="zhangma",
        description_en="An old village reborn.",
        getting_there_en="Metro line 17, then bus.",
        operating_model_en="Run as a whole village",
        operated_since=2019,
    )
    VillageImageFactory(village=village, position=2, alt_text_en="The bridge", image=tiny_image())
    VillageImageFactory(village=village, position=1, alt_text_en="The gate", caption_en="Spring", image=tiny_image())
    cafe = VenueFactory(village=village, slug="cafe", kind=Venue.Kind.CAFE, name_en="Lakeside café", position=1)
    VenueFactory(village=village, slug="garden", position=2)
    ExperienceFactory(village=village, slug="latte-art", venue=cafe, position=1)
    ExperienceFactory(village=village, slug="hidden", is_published=False)

    response = get(client, village_url("zhangma"), language="en")

    assert response.status_code == 200
    body = response.json()
    assert body["description"] == "An old village reborn."
    assert body["getting_there"] == "Metro line 17, then bus."
    assert body["operating_model"] == "Run as a whole village"
    assert body["operated_since"] == 2019
    assert [image["alt"] for image in body["images"]] == ["The gate", "The bridge"]
    assert body["images"][0]["caption"] == "Spring"
    assert body["venues"][0] == {
        "slug": "cafe",
        "kind": "cafe",
        "name": "Lakeside café",
        "description": "",
    }
    assert [venue["slug"] for venue in body["venues"]] == ["cafe", "garden"]
    [experience] = body["experiences"]
    assert experience["slug"] == "latte-art"
    assert experience["venue"] == "cafe"
    assert experience["village"] == "zhangma"
    assert experience["url"] == "http://testserver/api/v1/experiences/latte-art/"


def test_an_unknown_village_is_a_404_with_a_clear_message(client):
    response = get(client, village_url("atlantis"), language="en")

    assert response.status_code == 404
    assert response.json() == {"detail": "No such village."}


def test_an_unpublished_village_is_a_404(client):
    VillageFactory(slug="draft", is_published=False)

    assert get(client, village_url("draft")).status_code == 404


def test_a_village_address_that_cannot_be_a_slug_is_a_json_404(client):
    response = get(client, village_url("萤火虫"), language="en")

    assert response.status_code == 404
    assert response.json() == {"detail": "No such village."}


# --- Languages


def test_content_follows_accept_language(client):
    village = VillageFactory(
        slug="bilingual",
        name_zh_hans="水乡村",
        name_en="Water Town Village",
        town=TownFactory(name_zh_hans="朱家角镇", name_en="Zhujiajiao", district=DistrictFactory(name_en="Qingpu")),
    )
    ExperienceFactory(village=village, slug="paddle", title_zh_hans="皮划艇", title_en="Kayaking")

    english = get(client, village_url("bilingual"), language="en").json()
    chinese = get(client, village_url("bilingual"), language="zh-hans").json()

    assert (english["name"], english["town"]["name"]) == ("Water Town Village", "Zhujiajiao")
    assert english["experiences"][0]["title"] == "Kayaking"
    assert english["web_url"] == "http://testserver/en/villages/bilingual/"
    assert (chinese["name"], chinese["town"]["name"]) == ("水乡村", "朱家角镇")
    assert chinese["experiences"][0]["title"] == "皮划艇"
    assert chinese["web_url"] == "http://testserver/zh-hans/villages/bilingual/"


def test_chinese_is_the_default_language_and_fills_in_missing_english(client):
    VillageFactory(slug="only-chinese", name_zh_hans="只有中文村", name_en="", tagline_zh_hans="安静")

    [default] = get(client, VILLAGES).json()["results"]
    [english] = get(client, VILLAGES, language="en").json()["results"]

    assert default["name"] == "只有中文村"
    assert (english["name"], english["tagline"]) == ("只有中文村", "安静")


# --- Experiences


def test_an_experience_carries_prices_as_decimal_strings_and_its_season_as_months(client):
    experience = ExperienceFactory(
        slug="fireflies",
        village=VillageFactory(slug="lotus"),
        kind=Experience.Kind.FIREFLY_VIEWING,
        title_en="Firefly night walk",
        adult_price=Decimal("128"),
        child_price=Decimal("64.5"),
        capacity=12,
        min_age=6,
        duration_minutes=120,
        meeting_point_en="Village gate",
        season_mask=mask_from_months([5, 6, 7]),
        cancellation_window_hours=48,
        requires_approval=True,
    )
    ExperienceImageFactory(experience=experience, alt_text_en="Lanterns by the pond", image=tiny_image())

    response = get(client, experience_url("fireflies"), language="en")

    assert response.status_code == 200
    body = response.json()
    assert body["village"] == "lotus"
    assert body["kind"] == "firefly_viewing"
    assert body["title"] == "Firefly night walk"
    assert body["description"] == "A ride along the lake."
    assert (body["adult_price"], body["child_price"]) == ("128.00", "64.50")
    assert (body["capacity"], body["min_age"], body["duration_minutes"]) == (12, 6, 120)
    assert body["meeting_point"] == "Village gate"
    assert body["season_months"] == [5, 6, 7]
    assert body["cancellation_window_hours"] == 48
    assert body["requires_approval"] is True
    assert body["venue"] is None
    assert [image["alt"] for image in body["images"]] == ["Lanterns by the pond"]
    assert body["url"] == "http://testserver/api/v1/experiences/fireflies/"
    assert body["web_url"] == "http://testserver/en/experiences/fireflies/"


def test_the_experience_list_hides_drafts_and_experiences_of_unpublished_villages(client):
    ExperienceFactory(slug="open")
    ExperienceFactory(slug="draft", is_published=False)
    ExperienceFactory(slug="in-draft-village", village=VillageFactory(is_published=False))

    response = get(client, EXPERIENCES)

    assert slugs(response) == ["open"]
    assert response.json()["count"] == 1


@pytest.mark.parametrize("slug", ["draft", "in-draft-village", "no-such-thing"])
def test_a_hidden_or_unknown_experience_is_a_404_with_a_clear_message(client, slug):
    ExperienceFactory(slug="draft", is_published=False)
    ExperienceFactory(slug="in-draft-village", village=VillageFactory(is_published=False))

    response = get(client, experience_url(slug), language="en")

    assert response.status_code == 404
    assert response.json() == {"detail": "No such experience."}


def test_experiences_can_be_filtered_by_village_and_kind(client):
    lotus = VillageFactory(slug="lotus")
    ExperienceFactory(slug="lotus-kayak", village=lotus, kind=Experience.Kind.KAYAKING)
    ExperienceFactory(slug="lotus-bike", village=lotus, kind=Experience.Kind.CYCLING)
    ExperienceFactory(slug="other-kayak", kind=Experience.Kind.KAYAKING)

    assert slugs(get(client, EXPERIENCES, {"village": "lotus"})) == ["lotus-bike", "lotus-kayak"]
    assert slugs(get(client, EXPERIENCES, {"village": "lotus", "kind": "kayaking"})) == ["lotus-kayak"]


def test_searching_experiences_in_chinese_matches_part_of_a_title(client):
    ExperienceFactory(slug="fireflies", title_zh_hans="夏夜看萤火虫")
    ExperienceFactory(slug="bikes", title_zh_hans="环湖骑行")

    assert slugs(get(client, EXPERIENCES, {"q": "萤火虫"})) == ["fireflies"]


def test_searching_experiences_in_english_matches_an_english_description(client):
    ExperienceFactory(slug="tea", description_en="Pick tea leaves with the villagers.")
    ExperienceFactory(slug="bikes")

    assert slugs(get(client, EXPERIENCES, {"q": "tea leaves"})) == ["tea"]


def test_experiences_can_be_filtered_to_those_bookable_within_some_days(client):
    soon = ExperienceFactory(slug="soon")
    later = ExperienceFactory(slug="later")
    called_off = ExperienceFactory(slug="called-off")
    SessionFactory(experience=soon, starts_at=shanghai(in_days(10), 10))
    SessionFactory(experience=later, starts_at=shanghai(in_days(20), 10))
    SessionFactory(experience=called_off, starts_at=shanghai(in_days(10), 10), status=Session.Status.CANCELLED)

    window = {"available_from": in_days(5).isoformat(), "available_to": in_days(15).isoformat()}

    assert slugs(get(client, EXPERIENCES, window)) == ["soon"]
    assert slugs(get(client, EXPERIENCES, {"available_from": in_days(15).isoformat()})) == ["later"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"village": "atlantis"}, "village"),
        ({"kind": "skydiving"}, "kind"),
        ({"available_from": "2026-13-01"}, "available_from"),
        ({"available_to": "01/06/2026"}, "available_to"),
    ],
)
def test_an_unknown_filter_value_or_malformed_date_is_a_400_naming_the_field(client, params, field):
    response = get(client, EXPERIENCES, params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_filtering_by_an_unpublished_village_is_a_400(client):
    VillageFactory(slug="draft", is_published=False)

    response = get(client, EXPERIENCES, {"village": "draft"})

    assert response.status_code == 400
    assert list(response.json()) == ["village"]


def test_an_end_date_before_the_start_date_is_a_400_on_the_end_date(client):
    response = get(client, EXPERIENCES, {"available_from": "2026-06-10", "available_to": "2026-06-01"}, language="en")

    assert response.status_code == 400
    assert response.json() == {"available_to": ["The end date is before the start date."]}


def test_a_page_of_experiences_past_the_end_is_a_404(client):
    ExperienceFactory()

    assert get(client, EXPERIENCES, {"page": 2}).status_code == 404


# --- Sessions


def test_sessions_list_upcoming_scheduled_sessions_in_shanghai_time(client):
    experience = ExperienceFactory(slug="kayak", capacity=8)
    SessionFactory(experience=experience, starts_at=shanghai(in_days(3), 9, 30), capacity=6)
    SessionFactory(experience=experience, starts_at=shanghai(in_days(2), 14))
    SessionFactory(experience=experience, starts_at=shanghai(in_days(4), 9), status=Session.Status.CANCELLED)
    SessionFactory(experience=experience, starts_at=timezone.now() - timedelta(days=1))

    response = get(client, sessions_url("kayak"))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first, second = body["results"]
    assert set(first) == {
        "id",
        "starts_at",
        "ends_at",
        "capacity",
        "seats_left",
        "adult_price",
        "child_price",
        "status",
    }
    assert first["starts_at"] == f"{in_days(2).isoformat()}T14:00:00+08:00"
    assert first["ends_at"] == f"{in_days(2).isoformat()}T15:30:00+08:00"
    assert second["starts_at"] == f"{in_days(3).isoformat()}T09:30:00+08:00"
    assert (second["capacity"], second["seats_left"]) == (6, 6)
    assert (first["adult_price"], first["child_price"]) == ("88.00", "48.00")
    assert first["status"] == "scheduled"


def test_a_session_price_override_is_the_price_shown(client):
    experience = ExperienceFactory(slug="dinner", adult_price=Decimal("88.00"), child_price=Decimal("48.00"))
    SessionFactory(experience=experience, starts_at=shanghai(in_days(2), 18), adult_price_override=Decimal("128.00"))
    SessionFactory(experience=experience, starts_at=shanghai(in_days(3), 18), child_price_override=Decimal("0.00"))

    special, ordinary = get(client, sessions_url("dinner")).json()["results"]

    assert (special["adult_price"], special["child_price"]) == ("128.00", "48.00")
    assert (ordinary["adult_price"], ordinary["child_price"]) == ("88.00", "0.00")


def test_sessions_from_and_to_are_days_in_shanghai(client):
    experience = ExperienceFactory(slug="night-walk")
    day = in_days(10)
    SessionFactory(experience=experience, starts_at=shanghai(day - timedelta(days=1), 23, 30))
    late = SessionFactory(experience=experience, starts_at=shanghai(day, 23, 30))
    SessionFactory(experience=experience, starts_at=shanghai(day + timedelta(days=1), 0, 30))

    response = get(client, sessions_url("night-walk"), {"from": day.isoformat(), "to": day.isoformat()})

    [only] = response.json()["results"]
    assert only["id"] == late.pk
    assert only["starts_at"] == f"{day.isoformat()}T23:30:00+08:00"


@pytest.mark.parametrize(
    ("params", "field"),
    [({"from": "tomorrow"}, "from"), ({"to": "2026-02-30"}, "to"), ({"from": "2026-06-10", "to": "2026-06-01"}, "to")],
)
def test_bad_session_dates_are_a_400_naming_the_field(client, params, field):
    ExperienceFactory(slug="kayak")

    response = get(client, sessions_url("kayak"), params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize(("params", "field"), [({"from": "0001-01-01"}, "from"), ({"to": "9999-12-31"}, "to")])
def test_a_session_date_centuries_away_is_a_400_saying_which_dates_are_accepted(client, params, field):
    ExperienceFactory(slug="kayak")

    response = get(client, sessions_url("kayak"), params, language="en")

    assert response.status_code == 400
    assert response.json() == {field: ["Choose a date between 2000-01-01 and 2100-12-31."]}


@pytest.mark.parametrize("slug", ["no-such-thing", "draft"])
def test_sessions_of_an_unknown_or_unpublished_experience_are_a_404(client, slug):
    SessionFactory(experience=ExperienceFactory(slug="draft", is_published=False))

    response = get(client, sessions_url(slug), language="en")

    assert response.status_code == 404
    assert response.json() == {"detail": "No such experience."}


def test_a_page_of_sessions_past_the_end_is_a_404(client):
    SessionFactory(experience=ExperienceFactory(slug="kayak"))

    assert get(client, sessions_url("kayak"), {"page": 3}).status_code == 404


# --- Robustness: whatever is asked, the answer is JSON and never a server error


@pytest.mark.parametrize(
    "url",
    [
        f"{VILLAGES}?district=%00",
        f"{VILLAGES}?tag=%00",
        f"{VILLAGES}?kind=%00",
        f"{VILLAGES}?q=%00",
        f"{VILLAGES}?q=%25%5F%27%22%5C",
        f"{VILLAGES}?district=" + "a" * 5000,
        f"{VILLAGES}?district=qingpu&district=",
        f"{VILLAGES}%00/",
        f"{VILLAGES}a.b/",
        f"{EXPERIENCES}?village=%00",
        f"{EXPERIENCES}?available_from=%00",
        f"{EXPERIENCES}?available_from=99999-01-01",
        f"{EXPERIENCES}?available_to=0001-01-01",
        f"{EXPERIENCES}?available_from=0001-01-01&available_to=9999-12-31",
        f"{EXPERIENCES}%E8%90%A4/",
        f"{EXPERIENCES}x%00/sessions/",
        f"{EXPERIENCES}kayak/sessions/?from=9999-12-31&to=9999-12-31",
        f"{EXPERIENCES}kayak/sessions/?from=0001-01-01",
        f"{EXPERIENCES}kayak/sessions/?page=%00",
    ],
)
def test_odd_input_gets_a_json_answer_and_never_a_server_error(client, url):
    SessionFactory(experience=ExperienceFactory(slug="kayak"))
    DistrictFactory(slug="qingpu")

    response = client.get(url)

    assert response.status_code in (200, 400, 404)
    assert response["Content-Type"] == "application/json"


# --- Query counts do not grow with the data


def furnish(village, experiences: int, sessions: int):
    """Give a village one of everything the API shows, and experiences with images and sessions."""
    VillageHonourFactory(village=village)
    VillageImageFactory(village=village, image=tiny_image())
    venue = VenueFactory(village=village)
    for _ in range(experiences):
        experience = ExperienceFactory(village=village, venue=venue)
        ExperienceImageFactory(experience=experience, image=tiny_image())
        SessionFactory.create_batch(sessions, experience=experience)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries.captured_queries)


def test_query_counts_do_not_grow_with_the_number_of_villages_experiences_and_sessions(client, settings):
    settings.PAGE_CACHE = False  # the rendering's own queries, each time
    villages = [VillageFactory(operator=OrganisationFactory()) for _ in range(2)]
    for village in villages:
        furnish(village, experiences=1, sessions=1)
    measured = villages[0].experiences.get()
    urls = {
        "village list": VILLAGES,
        "village detail": village_url(villages[0].slug),
        "experience list": EXPERIENCES,
        "experience detail": experience_url(measured.slug),
        "sessions": sessions_url(measured.slug),
    }
    few = {name: queries_for(client, url) for name, url in urls.items()}

    # Grow to 6 villages with 3 experiences of 4 sessions each, the measured village and experience included.
    for village in villages:
        SessionFactory.create_batch(3, experience=village.experiences.get())
        furnish(village, experiences=2, sessions=4)
    for _ in range(4):
        furnish(VillageFactory(operator=OrganisationFactory()), experiences=3, sessions=4)
    assert (Village.objects.count(), Experience.objects.count(), Session.objects.count()) == (6, 18, 72)
    many = {name: queries_for(client, url) for name, url in urls.items()}

    assert many == few
    assert get(client, sessions_url(measured.slug)).json()["count"] == 4
    assert len(get(client, village_url(villages[0].slug)).json()["experiences"]) == 3


# --- The schema and its documentation


def test_the_openapi_schema_is_served(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/villages/", "/api/v1/villages/{slug}/", "/api/v1/experiences/{slug}/sessions/"} <= set(paths)
    village_parameters = {parameter["name"] for parameter in paths["/api/v1/villages/"]["get"]["parameters"]}
    assert village_parameters == {"district", "tag", "kind", "q", "page"}


def test_the_schema_validates_without_warnings(tmp_path):
    schema = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))

    assert "/api/v1/experiences/{slug}/sessions/" in schema.read_text()


def test_the_api_docs_page_loads_its_assets_from_this_site(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn.jsdelivr.net" not in html
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
