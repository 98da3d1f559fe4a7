"""Getting there from Shanghai: routes of legs, their totals and CO₂ per person against driving alone, on the village
page and in the API in both languages, the greenest one in the confirmation email, and operators editing only their
own villages' routes in the admin."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from bookings import services
from outbox.messages import build_message
from outbox.models import OutgoingEmail
from tests.factories import (
    ExperienceFactory,
    RouteFactory,
    RouteLegFactory,
    SessionFactory,
    VillageFactory,
    make_booking,
    make_operator,
    new_contact,
)
from villages import emissions, selectors
from villages.demo_routes import load_routes
from villages.management.commands.seed_demo import Command as SeedDemo
from villages.models import Route, RouteLeg

pytestmark = pytest.mark.django_db

# The published figures of villages/emissions.py written out again: a test that read them from the module would agree
# with any mistake made there.
RAIL = Decimal("0.03694")
METRO = Decimal("0.02750")
BUS = Decimal("0.10312")
CAR = Decimal("0.28276") / Decimal("1.609344")  # a medium car's kg per mile, per km
EXACT = Decimal("0.000000001")


def translated(language: str, message_id: str, **values) -> str:
    with translation.override(language):
        text = translation.gettext(message_id)
    return text % values if values else text


@pytest.fixture
def shuiku():
    return VillageFactory(slug="shuiku", name_zh_hans="水库村", name_en="Shuiku Village")


@pytest.fixture
def by_train(shuiku):
    """From 上海南站 on the Jinshan Railway, then a taxi: 65 minutes, 66.4 km, 4.7 kg of CO₂ against 11.7 by car."""
    route = RouteFactory(village=shuiku, position=1)
    RouteLegFactory(route=route, position=1, minutes=40, km=Decimal("50.4"))
    RouteLegFactory(
        route=route,
        position=2,
        mode="taxi",
        line_zh_hans="",
        line_en="",
        start_zh_hans="金山卫站",
        start_en="Jinshanwei Station",
        end_zh_hans="水库村",
        end_en="Shuiku Village",
        minutes=25,
        km=Decimal("16.0"),
    )
    return route


@pytest.fixture
def by_car(shuiku):
    """From 人民广场 by car: 80 minutes, 70.0 km."""
    route = RouteFactory(village=shuiku, position=2, origin_zh_hans="人民广场", origin_en="People’s Square")
    RouteLegFactory(
        route=route,
        mode="car",
        line_zh_hans="",
        line_en="",
        start_zh_hans="人民广场",
        start_en="People’s Square",
        end_zh_hans="水库村",
        end_en="Shuiku Village",
        minutes=80,
        km=Decimal("70.0"),
    )
    return route


def page(client, language: str, village) -> str:
    response = client.get(f"/{language}/villages/{village.slug}/")
    assert response.status_code == 200
    return response.content.decode()


# --- CO₂ per person


def test_a_routes_co2_is_each_legs_kilometres_times_its_modes_published_factor():
    route = RouteFactory()
    for mode, km in (("rail", "56.4"), ("metro", "10.0"), ("bus", "3.0"), ("walk", "0.8"), ("bicycle", "4.0")):
        RouteLegFactory(route=route, mode=mode, km=Decimal(km), minutes=10)

    footprint = Route.objects.get(pk=route.pk).footprint

    # 56.4 × 0.03694 + 10.0 × 0.02750 + 3.0 × 0.10312 + (0.8 + 4.0) × 0 = 2.083416 + 0.275 + 0.30936 = 2.667776 kg
    assert footprint.co2 == Decimal("56.4") * RAIL + Decimal("10.0") * METRO + Decimal("3.0") * BUS
    assert footprint.co2 == Decimal("2.667776")
    assert footprint.co2_kg == Decimal("2.7")
    # Driving the same 74.2 km alone: 74.2 × 0.28276 / 1.609344 = 13.0369 kg, so 13.0369 − 2.6678 = 10.369 kg saved
    assert abs(footprint.car_co2 - Decimal("74.2") * CAR) < EXACT
    assert (footprint.car_co2_kg, footprint.saved_kg) == (Decimal("13.0"), Decimal("10.4"))
    assert (footprint.minutes, footprint.km) == (50, Decimal("74.2"))


def test_every_mode_an_operator_can_pick_has_a_factor():
    assert set(emissions.FACTORS) == set(RouteLeg.Mode.values)


def test_a_taxi_counts_as_driving_alone_and_walking_and_cycling_emit_nothing():
    route = RouteFactory()
    RouteLegFactory(route=route, mode="taxi", km=Decimal("16.0"))
    RouteLegFactory(route=route, mode="walk", km=Decimal("1.0"))
    RouteLegFactory(route=route, mode="bicycle", km=Decimal("3.0"))

    footprint = route.footprint

    assert abs(footprint.co2 - Decimal("16.0") * CAR) < EXACT  # 2.8112 kg
    assert footprint.co2_kg == Decimal("2.8")
    assert footprint.saved_kg == Decimal("0.7")  # the 4.0 km on foot and by bicycle: 4.0 × 0.17570 = 0.70 kg


def test_a_route_by_car_saves_nothing_and_the_page_says_so_plainly(client, by_car):
    footprint = by_car.footprint

    assert footprint.co2_kg == footprint.car_co2_kg == Decimal("12.3")  # 70.0 × 0.28276 / 1.609344 = 12.299 kg
    assert footprint.saved_kg == Decimal("0.0")
    html = page(client, "en", by_car.village)
    assert "About 12.3 kg CO₂ per person, as much as driving alone" in html
    assert "less than driving" not in html


def test_the_greenest_route_has_the_least_co2_and_of_equals_the_quickest(shuiku, by_train, by_car):
    assert selectors.greenest_route(shuiku) == by_train

    by_bicycle = RouteFactory(village=shuiku, position=3)
    RouteLegFactory(route=by_bicycle, mode="bicycle", km=Decimal("12.0"), minutes=50)
    on_foot = RouteFactory(village=shuiku, position=4)
    RouteLegFactory(route=on_foot, mode="walk", km=Decimal("3.0"), minutes=45)

    assert selectors.greenest_route(shuiku) == on_foot
    assert selectors.greenest_route(VillageFactory()) is None


def test_a_route_without_legs_yet_is_shown_nowhere(client, shuiku):
    RouteFactory(village=shuiku, origin_zh_hans="还没写完的路线", origin_en="Route still being written")

    assert "Route still being written" not in page(client, "en", shuiku)
    assert client.get(f"/api/v1/villages/{shuiku.slug}/").json()["routes"] == []
    assert selectors.greenest_route(shuiku) is None


def test_the_database_refuses_negative_minutes_and_kilometres(by_train):
    leg = by_train.legs.first()
    for field, value in (("minutes", -1), ("km", Decimal("-0.1"))):
        with pytest.raises(IntegrityError), transaction.atomic():
            RouteLeg.objects.filter(pk=leg.pk).update(**{field: value})


def test_the_demo_routes_are_labelled_demo_in_both_languages_and_seeding_twice_adds_nothing(shuiku):
    villages = {"shuiku": shuiku, "cenbu": VillageFactory(slug="cenbu")}
    seed = SeedDemo()
    seed.counts = {}

    load_routes(seed, villages)
    rows = (Route.objects.count(), RouteLeg.objects.count())
    load_routes(seed, villages)

    assert (Route.objects.count(), RouteLeg.objects.count()) == rows == (5, 8)
    for route in Route.objects.all():
        assert "示例路线，出行前请核实" in route.note_zh_hans and "Demo route" in route.note_en
        assert route.origin_zh_hans and route.origin_en
    for leg in RouteLeg.objects.all():
        assert all((leg.start_zh_hans, leg.start_en, leg.end_zh_hans, leg.end_en)), leg
    assert [leg.line_zh_hans for leg in selectors.greenest_route(shuiku).legs.all()] == ["金山铁路", ""]
    assert [leg.mode for leg in selectors.greenest_route(villages["cenbu"]).legs.all()] == ["metro", "bicycle"]


# --- The village page, in both languages


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_village_page_shows_each_route_as_steps_with_its_total_time_and_co2(client, language, by_train, by_car):
    html = page(client, language, by_train.village)
    chinese = language == "zh-hans"

    def t(message_id, **values):
        return translated(language, message_id, **values)

    assert t("Getting there from Shanghai") in html
    assert t("From %(origin)s", origin="上海南站" if chinese else "Shanghai South Railway Station") in html
    total = t("%(hours)d h %(minutes)d min", hours=1, minutes=5)
    assert t("About %(time)s in all · %(km)s km", time=total, km="66.4") in html
    railway, south, jinshanwei, shuiku = (
        ("金山铁路", "上海南站", "金山卫站", "水库村")
        if chinese
        else ("Jinshan Railway", "Shanghai South Railway Station", "Jinshanwei Station", "Shuiku Village")
    )
    assert f"{t('Train')} · {railway}" in html
    assert f"{south} → {jinshanwei}" in html
    assert f"{t('%(minutes)d min', minutes=40)} · {t('%(km)s km', km='50.4')}" in html
    assert t("Taxi") in html and f"{jinshanwei} → {shuiku}" in html
    assert t("About %(co2)s kg CO₂ per person — %(saved)s kg less than driving alone", co2="4.7", saved="7.0") in html
    assert ("示例路线，出行前请核实" if chinese else "Demo route — check before you travel") in html
    assert html.index(south) < html.index("人民广场" if chinese else "People’s Square")  # in the operator's order


def test_a_village_without_routes_has_no_empty_section(client, shuiku):
    assert "routes-heading" not in page(client, "en", shuiku)


def test_the_village_page_makes_the_same_number_of_queries_however_many_routes_and_legs(client, by_train, settings):
    settings.PAGE_CACHE = False  # the rendering's own queries, each time

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(client, "en", by_train.village)
        return len(captured)

    few = queries()
    for _ in range(3):
        route = RouteFactory(village=by_train.village)
        RouteLegFactory.create_batch(3, route=route)
    assert queries() == few


# --- The API


def test_the_village_api_returns_routes_in_the_documented_shape(client, by_train, by_car):
    response = client.get("/api/v1/villages/shuiku/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    train, car = response.json()["routes"]
    assert train == {
        "origin": "Shanghai South Railway Station",
        "note": "Demo route — check before you travel",
        "minutes": 65,
        "km": "66.4",
        "co2_kg": "4.7",
        "car_co2_kg": "11.7",
        "legs": [
            {
                "mode": "rail",
                "line": "Jinshan Railway",
                "from": "Shanghai South Railway Station",
                "to": "Jinshanwei Station",
                "minutes": 40,
                "km": "50.4",
            },
            {
                "mode": "taxi",
                "line": "",
                "from": "Jinshanwei Station",
                "to": "Shuiku Village",
                "minutes": 25,
                "km": "16.0",
            },
        ],
    }
    assert (car["origin"], car["co2_kg"], car["car_co2_kg"]) == ("People’s Square", "12.3", "12.3")


def test_the_routes_follow_the_requests_language_and_the_village_list_carries_them_too(client, by_train):
    detail = client.get("/api/v1/villages/shuiku/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    [route] = detail["routes"]
    assert (route["origin"], route["note"]) == ("上海南站", "示例路线，出行前请核实")
    assert route["legs"][0]["line"] == "金山铁路"
    assert (route["legs"][1]["from"], route["legs"][1]["to"]) == ("金山卫站", "水库村")

    [listed] = client.get("/api/v1/villages/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"]
    assert listed["routes"] == detail["routes"]


def test_the_api_makes_the_same_number_of_queries_however_many_routes_and_legs(client, by_train, settings):
    settings.PAGE_CACHE = False  # the rendering's own queries, each time

    def queries(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = ["/api/v1/villages/", "/api/v1/villages/shuiku/"]
    few = [queries(url) for url in urls]
    for village in (by_train.village, VillageFactory(), VillageFactory()):
        for _ in range(3):
            RouteLegFactory.create_batch(3, route=RouteFactory(village=village))
    assert [queries(url) for url in urls] == few


def test_the_openapi_schema_documents_the_routes(client):
    schemas = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]

    assert schemas["Village"]["properties"]["routes"]["items"] == {"$ref": "#/components/schemas/Route"}
    assert set(schemas["Route"]["properties"]) == {"origin", "note", "minutes", "km", "co2_kg", "car_co2_kg", "legs"}
    assert list(schemas["RouteLeg"]["properties"]) == ["mode", "line", "from", "to", "minutes", "km"]


# --- The confirmation email


def confirmation(village, language: str):
    session = SessionFactory(experience=ExperienceFactory(village=village))
    booking = services.confirm_booking(make_booking(session, name="Mary Smith", **new_contact(language)).pk)
    message = build_message(OutgoingEmail.objects.get(booking=booking, kind=OutgoingEmail.Kind.BOOKING_CONFIRMED))
    [html] = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return message.body, html


def test_the_english_confirmation_carries_the_greenest_route_as_steps_with_its_time_and_co2(shuiku, by_train, by_car):
    text, html = confirmation(shuiku, "en")

    co2 = "About 4.7 kg CO₂ per person — 7.0 kg less than driving alone"
    assert (
        "Getting there from Shanghai with the least CO₂:\n"
        "From Shanghai South Railway Station, about 1 h 5 min in all\n"
        "1. Train · Jinshan Railway: Shanghai South Railway Station → Jinshanwei Station (40 min, 50.4 km)\n"
        "2. Taxi: Jinshanwei Station → Shuiku Village (25 min, 16.0 km)\n"
        f"{co2}\n"
        "Demo route — check before you travel\n"
    ) in text
    assert co2 in html and "Jinshan Railway" in html and "Getting there from Shanghai with the least CO₂" in html
    assert "People’s Square" not in text + html


def test_the_chinese_confirmation_carries_it_in_chinese(shuiku, by_train, by_car):
    text, html = confirmation(shuiku, "zh-hans")

    def t(message_id, **values):
        return translated("zh-hans", message_id, **values)

    time = t("%(hours)d h %(minutes)d min", hours=1, minutes=5)
    co2 = t("About %(co2)s kg CO₂ per person — %(saved)s kg less than driving alone", co2="4.7", saved="7.0")
    assert t("From %(origin)s, about %(time)s in all", origin="上海南站", time=time) in text
    assert f"1. {t('Train')} · 金山铁路: 上海南站 → 金山卫站 ({t('%(minutes)d min', minutes=40)}, " in text
    assert co2 in text and co2 in html and "示例路线，出行前请核实" in text
    assert "人民广场" not in text + html and "Shanghai South Railway Station" not in text + html


def test_a_confirmation_for_a_village_without_routes_says_nothing_of_getting_there(shuiku):
    text, html = confirmation(shuiku, "en")
    assert "Getting there from Shanghai" not in text + html


# --- The admin: operators, each in their own village


@pytest.fixture
def operators(shuiku, by_train):
    cenbu = VillageFactory(slug="cenbu", name_zh_hans="岑卜村", name_en="Cenbu Village")
    theirs = RouteFactory(village=cenbu, origin_zh_hans="虹桥火车站", origin_en="Hongqiao Railway Station")
    RouteLegFactory(route=theirs, mode="metro", line_zh_hans="17号线", line_en="Line 17")
    return {
        "shuiku": make_operator("shuiku-op", shuiku),
        "cenbu_route": theirs,
        "cenbu": cenbu,
    }


def admin_form_data(client, url) -> dict:
    """What the admin page at `url` posts when nothing is changed: its form and every inline's rows."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline_form in formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    data[inline_form.add_prefix(name)] = value
    return data


NEW_ROUTE = {
    "origin_zh_hans": "上海南站",
    "origin_en": "Shanghai South Railway Station",
    "position": "3",
    "legs-0-position": "1",
    "legs-0-mode": "rail",
    "legs-0-line_zh_hans": "金山铁路",
    "legs-0-start_zh_hans": "上海南站",
    "legs-0-end_zh_hans": "金山卫站",
    "legs-0-minutes": "35",
    "legs-0-km": "56.4",
}


def test_an_operator_adds_a_route_with_its_legs_to_their_own_village(client, operators, shuiku):
    client.force_login(operators["shuiku"])
    add = reverse("admin:villages_route_add")
    data = {**admin_form_data(client, add), **NEW_ROUTE, "village": shuiku.pk}

    response = client.post(add, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    route = Route.objects.get(village=shuiku, position=3)
    [leg] = route.legs.all()
    assert (leg.mode, leg.line_zh_hans, leg.minutes, leg.km) == ("rail", "金山铁路", 35, Decimal("56.4"))


def test_an_operator_edits_a_leg_of_their_own_route(client, operators, by_train):
    client.force_login(operators["shuiku"])
    change = reverse("admin:villages_route_change", args=[by_train.pk])
    data = admin_form_data(client, change)
    first_leg = by_train.legs.first()
    [prefix] = [key.removesuffix("-id") for key, value in data.items() if key.endswith("-id") and value == first_leg.pk]
    data[f"{prefix}-minutes"] = "45"

    response = client.post(change, data)

    assert response.status_code == 302
    first_leg.refresh_from_db()
    assert first_leg.minutes == 45


def test_the_villages_admin_page_lists_its_routes_with_a_link_to_their_legs(client, operators, by_train, shuiku):
    client.force_login(operators["shuiku"])
    body = client.get(reverse("admin:villages_village_change", args=[shuiku.pk])).content.decode()
    assert reverse("admin:villages_route_change", args=[by_train.pk]) in body


def test_an_operator_neither_lists_nor_opens_another_villages_routes(client, operators, by_train):
    client.force_login(operators["shuiku"])
    other = operators["cenbu_route"]

    listed = client.get(reverse("admin:villages_route_changelist")).context["cl"].result_list
    opened = client.get(reverse("admin:villages_route_change", args=[other.pk]), follow=True)

    assert [route.pk for route in listed] == [by_train.pk]
    assert opened.redirect_chain[-1][0] == reverse("admin:index")  # Django's "doesn't exist", as for every scoped row
    assert "虹桥火车站" not in opened.content.decode()
    deleted = client.post(reverse("admin:villages_route_delete", args=[other.pk]), {"post": "yes"})
    assert deleted.status_code == 302 and Route.objects.filter(pk=other.pk).exists()


def test_an_operator_cannot_put_a_route_on_another_village_or_change_one_there(client, operators):
    client.force_login(operators["shuiku"])
    add = reverse("admin:villages_route_add")
    other = operators["cenbu_route"]

    refused = client.post(add, {**admin_form_data(client, add), **NEW_ROUTE, "village": operators["cenbu"].pk})
    client.post(
        reverse("admin:villages_route_change", args=[other.pk]),
        {"village": operators["cenbu"].pk, "origin_zh_hans": "改掉", "position": "0"},
    )

    assert refused.status_code == 200 and "village" in refused.context["adminform"].form.errors
    assert not Route.objects.filter(village=operators["cenbu"], position=3).exists()
    other.refresh_from_db()
    assert other.origin_zh_hans == "虹桥火车站"


@pytest.mark.parametrize(("field", "value"), [("minutes", "-5"), ("km", "-1.0")])
def test_negative_minutes_or_kilometres_in_the_admin_are_a_form_error_not_a_server_error(
    client, operators, shuiku, field, value
):
    client.force_login(operators["shuiku"])
    add = reverse("admin:villages_route_add")
    data = {**admin_form_data(client, add), **NEW_ROUTE, "village": shuiku.pk, f"legs-0-{field}": value}

    response = client.post(add, data)

    assert response.status_code == 200
    [formset] = [inline.formset for inline in response.context["inline_admin_formsets"]]
    assert field in formset.forms[0].errors
    assert not Route.objects.filter(village=shuiku, position=3).exists()
