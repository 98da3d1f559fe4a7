"""The village maps: what the pages hand to static/js/maps.js, the text that stands in for a map, and where Leaflet
comes from. What a browser draws is looked at in tests/browser/."""

import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.factories import DistrictFactory, ExperienceFactory, TownFactory, VillageFactory
from tests.subprocess_django import run_django

pytestmark = pytest.mark.django_db

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


class LoadedAssets(HTMLParser):
    """The scripts and stylesheets a page makes the browser fetch."""

    def __init__(self, html: str):
        super().__init__()
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.scripts.append(attributes["src"])
        elif tag == "link" and attributes.get("rel") in {"stylesheet", "preload", "modulepreload"}:
            self.stylesheets.append(attributes["href"])


def map_data(body: str, script_id: str) -> dict | None:
    match = re.search(rf'<script id="{script_id}" type="application/json">(.*?)</script>', body, re.S)
    return json.loads(match.group(1)) if match else None


@pytest.fixture
def cenbu():
    district = DistrictFactory(slug="qingpu", name_zh_hans="青浦区", name_en="Qingpu District")
    town = TownFactory(district=district, slug="jinze", name_zh_hans="金泽镇", name_en="Jinze Town")
    return VillageFactory(
        slug="cenbu",
        town=town,
        name_zh_hans="岑卜村",
        name_en="Cenbu Village",
        latitude=Decimal("31.080000"),
        longitude=Decimal("120.930000"),
    )


def test_a_village_page_has_a_named_map_region_with_one_marker_at_the_village(client, cenbu):
    body = client.get("/en/villages/cenbu/").content.decode()
    data = map_data(body, "village-map-data")
    assert data["markers"] == [{"lat": 31.08, "lng": 120.93, "name": "Cenbu Village"}]
    assert 'role="region" aria-label="Map of Cenbu Village"' in body
    assert 'data-map="village-map-data"' in body


def test_the_marker_is_named_in_the_language_of_the_page(client, cenbu):
    body = client.get("/zh-hans/villages/cenbu/").content.decode()
    assert map_data(body, "village-map-data")["markers"][0]["name"] == "岑卜村"


def test_a_village_without_coordinates_has_no_map_and_loads_no_map_code(client, cenbu):
    cenbu.latitude = cenbu.longitude = None
    cenbu.save()
    body = client.get("/en/villages/cenbu/").content.decode()
    assert map_data(body, "village-map-data") is None
    assert "data-map-canvas" not in body
    assert not [url for url in LoadedAssets(body).scripts + LoadedAssets(body).stylesheets if "leaflet" in url]
    assert "js/maps.js" not in body
    assert "Jinze Town, Qingpu District, Shanghai" in body  # where it is, in words


def test_the_text_beside_a_village_map_says_where_it_is_without_javascript(client, cenbu):
    body = client.get("/en/villages/cenbu/").content.decode()
    # The map waits hidden for maps.js; the location text is outside it and always shown.
    assert re.search(r'<figure class="map-figure" data-map="village-map-data" hidden>', body)
    location = re.search(r'<p class="location" id="village-location">(.*?)</p>', body, re.S).group(1)
    assert "Jinze Town, Qingpu District, Shanghai" in location
    assert "31.0800, 120.9300" in location
    assert 'aria-describedby="village-location"' in body
    assert 'data-text="Map tiles could not be loaded; the marker shows where the village is."' in body


def test_the_overview_marks_exactly_the_villages_of_the_filtered_result(client, cenbu):
    neighbour = VillageFactory(town=TownFactory(district=cenbu.town.district), name_en="Neighbour Village")
    elsewhere = VillageFactory(name_en="Elsewhere Village")
    body = client.get("/en/villages/", {"district": "qingpu"}).content.decode()
    markers = map_data(body, "villages-map-data")["markers"]
    assert sorted(marker["name"] for marker in markers) == ["Cenbu Village", "Neighbour Village"]
    assert {marker["url"] for marker in markers} == {"/en/villages/cenbu/", f"/en/villages/{neighbour.slug}/"}
    assert elsewhere.name_en not in json.dumps(markers)
    everything = map_data(client.get("/en/villages/").content.decode(), "villages-map-data")["markers"]
    assert len(everything) == 3


def test_overview_popups_link_to_the_villages_in_the_active_language(client, cenbu):
    body = client.get("/zh-hans/villages/").content.decode()
    assert map_data(body, "villages-map-data")["markers"] == [
        {"lat": 31.08, "lng": 120.93, "name": "岑卜村", "url": "/zh-hans/villages/cenbu/"}
    ]


def test_the_overview_lists_every_village_as_a_card_but_marks_only_those_with_coordinates(client, cenbu):
    VillageFactory(name_en="Unmapped Village", latitude=None, longitude=None)
    body = client.get("/en/villages/").content.decode()
    assert [marker["name"] for marker in map_data(body, "villages-map-data")["markers"]] == ["Cenbu Village"]
    assert body.count('class="card village-card"') == 2
    assert "Unmapped Village" in body
    assert 'aria-label="Map of the villages found"' in body
    assert 'data-text="Map tiles could not be loaded; the markers show where the villages are."' in body


def test_no_overview_map_when_no_village_found_has_coordinates(client, cenbu):
    body = client.get("/en/villages/", {"q": "nothing matches this"}).content.decode()
    assert map_data(body, "villages-map-data") is None
    assert "js/maps.js" not in body


@pytest.mark.parametrize("path", ["/en/villages/", "/en/villages/cenbu/"])
def test_leaflet_and_our_map_code_come_from_our_own_static_url(client, cenbu, path):
    assets = LoadedAssets(client.get(path).content.decode())
    assert f"{settings.STATIC_URL}leaflet/leaflet.css" in assets.stylesheets
    assert assets.scripts[-2:] == [f"{settings.STATIC_URL}leaflet/leaflet.js", f"{settings.STATIC_URL}js/maps.js"]
    for url in assets.scripts + assets.stylesheets:
        assert url.startswith("/") and not url.startswith("//"), url


def test_leaflet_is_the_installed_packages_copy_not_one_in_our_static_folder():
    found = Path(finders.find("leaflet/leaflet.js"))
    assert found.is_relative_to(settings.LEAFLET_STATIC_DIR)
    assert not (Path(settings.BASE_DIR) / "static" / "leaflet").exists()
    assert finders.find("leaflet/leaflet.css")


def test_the_page_data_carries_the_tile_layer_with_its_credit(client, cenbu):
    tiles = map_data(client.get("/en/villages/cenbu/").content.decode(), "village-map-data")["tiles"]
    assert tiles["url"] == settings.LEAFLET_CONFIG["TILES"][0][1]
    assert tiles["options"]["attribution"] == settings.MAP_TILES_ATTRIBUTION
    assert tiles["options"]["referrerPolicy"] == "strict-origin"  # OpenStreetMap wants a Referer


@pytest.mark.parametrize(
    "switch_off",
    [
        {"MAP_TILES_URL": ""},
        {"LEAFLET_CONFIG": {**settings.LEAFLET_CONFIG, "TILES": []}},
    ],
    ids=["empty MAP_TILES_URL", "no TILES in LEAFLET_CONFIG"],
)
def test_without_tiles_the_page_data_has_no_tile_layer_but_keeps_the_marker(client, cenbu, settings, switch_off):
    for name, value in switch_off.items():
        setattr(settings, name, value)
    body = client.get("/en/villages/cenbu/").content.decode()
    assert map_data(body, "village-map-data")["tiles"] is None
    assert "tile.openstreetmap.org" not in body
    assert map_data(body, "village-map-data")["markers"]


TILES_OF_A_MAP = (
    "from decimal import Decimal\n"
    "from villages import maps\n"
    "from villages.models import Village\n"
    "village = Village(name='x', slug='x', latitude=Decimal('31'), longitude=Decimal('121'))\n"
    "print(maps.overview_map([village])['tiles'])\n"
)


def test_map_tiles_url_set_empty_switches_the_tiles_off(tmp_path):
    result = run_django(TILES_OF_A_MAP, DEBUG="true", VAR_DIR=str(tmp_path), MAP_TILES_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"


def test_map_tiles_url_defaults_to_openstreetmap_and_can_be_changed(tmp_path, monkeypatch):
    monkeypatch.delenv("MAP_TILES_URL", raising=False)
    default = run_django(TILES_OF_A_MAP, DEBUG="true", VAR_DIR=str(tmp_path))
    assert default.returncode == 0, default.stderr
    assert OSM_TILES in default.stdout and "OpenStreetMap</a> contributors" in default.stdout
    own = run_django(TILES_OF_A_MAP, DEBUG="true", VAR_DIR=str(tmp_path), MAP_TILES_URL="/tiles/{z}/{x}/{y}.png")
    assert "/tiles/{z}/{x}/{y}.png" in own.stdout


def test_the_village_map_marks_the_meeting_points_of_its_experiences_linking_to_them(client, cenbu):
    ExperienceFactory(
        village=cenbu,
        slug="fireflies",
        title_en="Fireflies",
        meeting_point_en="Lakeside gate",
        meeting_point_latitude=Decimal("31.081200"),
        meeting_point_longitude=Decimal("120.931500"),
    )
    ExperienceFactory(village=cenbu, slug="no-point", meeting_point_en="Somewhere")
    markers = map_data(client.get("/en/villages/cenbu/").content.decode(), "village-map-data")["markers"]
    assert markers[1:] == [
        {"lat": 31.0812, "lng": 120.9315, "name": "Fireflies: Lakeside gate", "url": "/en/experiences/fireflies/"}
    ]


def test_an_experience_page_maps_its_meeting_point_and_says_where_it_is_without_javascript(client, cenbu):
    ExperienceFactory(
        village=cenbu,
        slug="fireflies",
        title_en="Fireflies",
        meeting_point_en="Lakeside gate",
        meeting_point_latitude=Decimal("31.081200"),
        meeting_point_longitude=Decimal("120.931500"),
    )
    body = client.get("/en/experiences/fireflies/").content.decode()
    assert map_data(body, "meeting-point-map-data")["markers"] == [
        {"lat": 31.0812, "lng": 120.9315, "name": "Fireflies: Lakeside gate"}
    ]
    assert 'aria-label="Map of the meeting point"' in body and "mlat=31.081200&amp;mlon=120.931500" in body


def test_an_experience_without_coordinates_has_no_map(client, cenbu):
    ExperienceFactory(village=cenbu, slug="fireflies", meeting_point_en="Lakeside gate")
    body = client.get("/en/experiences/fireflies/").content.decode()
    assert "Lakeside gate" in body and map_data(body, "meeting-point-map-data") is None
    assert "leaflet.js" not in body
