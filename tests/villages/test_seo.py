"""What search engines and link previews read: titles, descriptions, canonical and language versions, Open Graph,
the sitemap, robots.txt and schema.org JSON-LD."""

import json
import xml.etree.ElementTree as ElementTree
from datetime import datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from bookings import services
from tests.factories import (
    DistrictFactory,
    ExperienceFactory,
    ExperienceImageFactory,
    OrganisationFactory,
    ResidencyProgramFactory,
    SessionFactory,
    TownFactory,
    VillageFactory,
    VillageImageFactory,
    make_application,
    uploaded_image,
)
from villages import seo
from villages.models import Session
from villages.sitemaps import ExperienceSitemap

pytestmark = pytest.mark.django_db

SITE = "https://villages.example.com"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


class Head(HTMLParser):
    """The <head> as search engines read it: title, meta tags by name or property, links, JSON-LD blocks."""

    def __init__(self, html: str):
        super().__init__()
        self.title = ""
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.json_ld: list[str] = []
        self._in_title = False
        self._in_json_ld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "title":
            self._in_title = True
        elif tag == "meta" and "content" in attributes:
            key = attributes.get("name") or attributes.get("property")
            if key:
                self.meta.setdefault(key, []).append(attributes["content"])
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_json_ld:
            self.json_ld[-1] += data

    def one(self, key: str) -> str | None:
        values = self.meta.get(key, [])
        assert len(values) <= 1, f"{key} appears {len(values)} times"
        return values[0] if values else None

    @property
    def description(self) -> str | None:
        return self.one("description")

    @property
    def canonical(self) -> str | None:
        found = [link["href"] for link in self.links if link.get("rel") == "canonical"]
        assert len(found) <= 1
        return found[0] if found else None

    @property
    def language_versions(self) -> dict[str, str]:
        return {link["hreflang"]: link["href"] for link in self.links if link.get("rel") == "alternate"}

    def structured_data(self) -> list[dict]:
        return [json.loads(block) for block in self.json_ld]


def head_of(client, path: str, status=200, **headers) -> Head:
    response = client.get(path, **headers)
    assert response.status_code == status
    return Head(response.content.decode())


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def shuiku():
    town = TownFactory(
        district=DistrictFactory(slug="jinshan", name_zh_hans="金山区", name_en="Jinshan District"),
        name_zh_hans="漕泾镇",
        name_en="Caojing Town",
    )
    return VillageFactory(
        slug="shuiku",
        town=town,
        name_zh_hans="水库村",
        name_en="Shuiku Village",
        summary_zh_hans="水库村是上海首个数字游民国际村的所在地。" * 12,
        summary_en="Shuiku is home to Shanghai's first international village for digital nomads, " * 4,
        operator=OrganisationFactory(name_zh_hans="水库村运营公司", name_en="Shuiku Operations", website=""),
        cover_image=uploaded_image(),
        cover_image_alt_en="Reeds by the reservoir",
        latitude=Decimal("30.789000"),
        longitude=Decimal("121.398000"),
    )


@pytest.fixture
def fireflies(shuiku):
    return ExperienceFactory(
        village=shuiku,
        slug="fireflies",
        title_zh_hans="观萤火虫",
        title_en="Firefly evening",
        description_zh_hans="夏夜沿着水边散步，看萤火虫在芦苇间飞舞。",
        description_en="A summer evening walk by the water, watching fireflies dance among the reeds.",
        adult_price=Decimal("88.00"),
    )


@pytest.fixture
def programme(shuiku):
    return ResidencyProgramFactory(
        village=shuiku,
        slug="nomads-first-cohort",
        name_zh_hans="数字游民国际村第一期",
        name_en="Digital nomad village, first cohort",
        description_en="Live and work in Shuiku for three to six months.",
        description_zh_hans="在水库村生活和工作三到六个月。",
    )


# --- Titles and descriptions


PUBLIC_PAGES = [
    "/{lang}/",
    "/{lang}/villages/",
    "/{lang}/villages/shuiku/",
    "/{lang}/experiences/fireflies/",
    "/{lang}/residency/",
    "/{lang}/residency/nomads-first-cohort/",
    "/{lang}/live/",
]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_every_public_page_has_a_title_and_a_description_of_its_own(client, fireflies, programme, lang):
    heads = [head_of(client, path.format(lang=lang)) for path in PUBLIC_PAGES]
    heads.append(head_of(client, f"/{lang}/nope/", status=404))
    titles = [head.title for head in heads]
    descriptions = [head.description for head in heads]
    assert all(titles) and all(descriptions)
    assert len(set(titles)) == len(titles)
    assert len(set(descriptions)) == len(descriptions)
    site_name = in_language(lang, "Village Trails")
    assert all(title.endswith(f" · {site_name}") for title in titles)


def test_a_village_page_is_titled_with_the_village_and_its_district_in_the_page_language(client, shuiku):
    assert head_of(client, "/zh-hans/villages/shuiku/").title.startswith("水库村 · 金山区 · ")
    assert head_of(client, "/en/villages/shuiku/").title.startswith("Shuiku Village · Jinshan District · ")


def test_an_experience_page_is_titled_with_the_experience_and_its_village(client, fireflies):
    assert head_of(client, "/zh-hans/experiences/fireflies/").title.startswith("观萤火虫 · 水库村 · ")
    english = head_of(client, "/en/experiences/fireflies/")
    assert english.title.startswith("Firefly evening · Shuiku Village · ")
    assert english.description == "A summer evening walk by the water, watching fireflies dance among the reeds."


def test_a_programme_page_is_titled_with_the_programme_and_its_village(client, programme):
    head = head_of(client, "/en/residency/nomads-first-cohort/")
    assert head.title.startswith("Digital nomad village, first cohort · Shuiku Village · ")
    assert head.description == "Live and work in Shuiku for three to six months."


def test_a_village_description_is_its_summary_cut_to_150_characters_at_a_word(client, shuiku):
    english = head_of(client, "/en/villages/shuiku/").description
    assert len(english) <= 150 and english.endswith("…")
    kept = english.removesuffix("…")
    assert shuiku.summary_en.startswith(kept) and shuiku.summary_en[len(kept)] in " ,"
    chinese = head_of(client, "/zh-hans/villages/shuiku/").description
    assert len(chinese) <= 150 and chinese.endswith("。")
    assert shuiku.summary_zh_hans.startswith(chinese)


def test_a_summary_is_cut_after_a_whole_sentence_or_a_word_never_inside_one():
    sentences = (
        "The lake is quiet. " * 5 + "A very long final sentence that runs on and on beyond the limit of the text."
    )
    assert seo.summarise(sentences, 100) == "The lake is quiet. " * 4 + "The lake is quiet."
    words = "reeds and water " * 20
    cut = seo.summarise(words, 50)
    assert len(cut) <= 50 and cut == "reeds and water reeds and water reeds and water…"
    assert seo.summarise("  short   text\n with breaks ") == "short text with breaks"
    chinese = "芦苇" * 40 + "，" + "湖水" * 40
    assert seo.summarise(chinese, 100) == "芦苇" * 40 + "…"


# --- Indexing: filtered lists, error and private pages


def test_search_and_filter_results_are_noindex_follow_without_a_canonical_address(client, shuiku):
    for query in ({"q": "萤火虫"}, {"district": "jinshan"}, {"kind": "cycling", "page": "1"}):
        head = head_of(client, "/en/villages/", **EN, data=query)
        assert head.one("robots") == "noindex, follow"
        assert head.canonical is None and head.language_versions == {}


def test_a_list_sent_with_an_empty_form_is_canonical_to_the_plain_list(client, shuiku):
    head = head_of(client, "/en/villages/", data={"q": "", "district": "", "utm_source": "newsletter"})
    assert head.one("robots") is None
    assert head.canonical == f"{SITE}/en/villages/"


def test_a_later_page_of_the_list_is_canonical_to_itself_and_says_which_page_it_is(client):
    for _index in range(13):
        VillageFactory()
    head = head_of(client, "/en/villages/?page=2")
    assert head.canonical == f"{SITE}/en/villages/?page=2"
    assert head.language_versions["zh-Hans"] == f"{SITE}/zh-hans/villages/?page=2"
    assert "Page 2 of 2" in head.title


def test_the_not_found_page_is_noindex_without_canonical_or_preview_tags(client):
    head = head_of(client, "/en/villages/atlantis/", status=404)
    assert head.title.startswith("Page not found · ")
    assert head.one("robots") == "noindex"
    assert head.canonical is None and head.one("og:url") is None


def test_a_booking_page_stays_private_noindex_and_without_preview_tags(client, fireflies):
    session = SessionFactory(experience=fireflies)
    booking, _created = services.create_booking(
        session_id=session.pk,
        adults=1,
        children=0,
        name="王小明",
        email="x@example.com",
        phone="13800138000",
        language="zh-hans",
    )
    response = client.get(booking.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    head = Head(response.content.decode())
    assert head.one("robots") == "noindex, nofollow"
    assert head.canonical is None and head.one("og:url") is None and head.json_ld == []


def test_an_application_status_page_stays_private_noindex_and_without_preview_tags(client, programme):
    application = make_application(programme)
    response = client.get(application.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    head = Head(response.content.decode())
    assert head.one("robots") == "noindex, nofollow"
    assert head.canonical is None and head.one("og:url") is None


# --- Canonical address and language versions


def test_a_page_names_its_canonical_address_and_its_language_versions_on_the_site_url(client, shuiku):
    head = head_of(client, "/en/villages/shuiku/?utm_source=wechat")
    assert head.canonical == f"{SITE}/en/villages/shuiku/"
    assert head.language_versions == {
        "zh-Hans": f"{SITE}/zh-hans/villages/shuiku/",
        "en": f"{SITE}/en/villages/shuiku/",
        "x-default": f"{SITE}/villages/shuiku/",
    }
    assert head_of(client, "/zh-hans/").canonical == f"{SITE}/zh-hans/"


def test_a_refused_form_answered_from_its_own_address_keeps_the_page_canonical_address(client, fireflies, programme):
    session = SessionFactory(experience=fireflies)
    refused = client.post("/en/bookings/new/fireflies/", {"session": session.pk, "adults": 0})
    assert refused.status_code == 400
    assert Head(refused.content.decode()).canonical == f"{SITE}/en/experiences/fireflies/"
    refused = client.post("/zh-hans/residency/nomads-first-cohort/apply/", {"name": ""})
    assert refused.status_code == 400
    head = Head(refused.content.decode())
    assert head.canonical == f"{SITE}/zh-hans/residency/nomads-first-cohort/"
    assert head.language_versions["en"] == f"{SITE}/en/residency/nomads-first-cohort/"


def test_the_x_default_address_sends_each_reader_to_their_language(client, shuiku):
    response = client.get("/villages/shuiku/", **EN)
    assert response.status_code == 302 and response["Location"] == "/en/villages/shuiku/"
    response = client.get("/villages/shuiku/", **ZH)
    assert response.status_code == 302 and response["Location"] == "/zh-hans/villages/shuiku/"


# --- Open Graph


def test_a_village_page_is_previewed_with_the_largest_thumbnail_of_its_cover(client, shuiku):
    head = head_of(client, "/en/villages/shuiku/")
    image = head.one("og:image")
    stored = image.removeprefix(f"{SITE}/media/")
    assert image.startswith(f"{SITE}/media/thumbs/") and image.endswith("_w640.webp")
    assert default_storage.exists(stored)
    assert head.one("og:image:width") == "640" and head.one("og:image:height") == "480"
    assert head.one("og:image:alt") == "Reeds by the reservoir"
    assert head.one("og:title") == "Shuiku Village · Jinshan District"
    assert head.one("og:description") == head.description
    assert head.one("og:url") == f"{SITE}/en/villages/shuiku/"
    assert head.one("og:type") == "website"
    assert head.one("og:site_name") == "Village Trails"
    assert head.one("og:locale") == "en_US" and head.meta["og:locale:alternate"] == ["zh_CN"]
    assert head.one("twitter:card") == "summary_large_image"


def test_a_chinese_page_is_previewed_in_chinese(client, shuiku):
    head = head_of(client, "/zh-hans/villages/shuiku/")
    assert head.one("og:locale") == "zh_CN" and head.meta["og:locale:alternate"] == ["en_US"]
    assert head.one("og:title") == "水库村 · 金山区"


def test_a_village_without_a_cover_is_previewed_with_its_first_gallery_photo(client):
    village = VillageFactory(slug="cenbu")
    first = VillageImageFactory(village=village, position=0)
    VillageImageFactory(village=village, position=1)
    image = head_of(client, "/en/villages/cenbu/").one("og:image")
    assert image.startswith(SITE) and first.image.name.rsplit("/", 1)[-1].split(".")[0] in image


def test_an_experience_is_previewed_with_its_own_photo_else_its_village_cover(
    client, fireflies, django_capture_on_commit_callbacks
):
    cover = head_of(client, "/en/experiences/fireflies/").one("og:image")
    assert shuiku_cover_stem(fireflies.village) in cover
    with django_capture_on_commit_callbacks(execute=True):  # committed, as the admin's upload is
        photo = ExperienceImageFactory(experience=fireflies)
    image = head_of(client, "/en/experiences/fireflies/").one("og:image")
    assert image.startswith(f"{SITE}/media/thumbs/experiences/")
    assert photo.image.name.rsplit("/", 1)[-1].split(".")[0] in image


def shuiku_cover_stem(village) -> str:
    return village.cover_image.name.rsplit("/", 1)[-1].split(".")[0]


def test_a_page_without_a_photo_is_previewed_with_the_site_picture(client):
    head = head_of(client, "/en/residency/")
    assert head.one("og:image") == f"{SITE}/static/img/og-default.jpg"
    assert head.one("twitter:card") == "summary"


# --- Sitemap and robots.txt


def sitemap_sections(client) -> list[str]:
    """The addresses the sitemap index lists (on SITE_URL)."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [location.text for location in root.findall("s:sitemap/s:loc", SITEMAP_NS)]


def sitemap_urls(client) -> dict[str, dict]:
    """Every page of every section the index lists, as a crawler reads them."""
    urls = {}
    for location in sitemap_sections(client):
        assert location.startswith(f"{SITE}/sitemap-")
        response = client.get(location.removeprefix(SITE))
        assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
        for url in ElementTree.fromstring(response.content).findall("s:url", SITEMAP_NS):
            lastmod = url.find("s:lastmod", SITEMAP_NS)
            urls[url.find("s:loc", SITEMAP_NS).text] = {
                "lastmod": lastmod.text if lastmod is not None else None,
                "alternates": {
                    link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", SITEMAP_NS)
                },
            }
    return urls


def test_the_sitemap_lists_every_published_page_in_both_languages_on_the_site_url(client, fireflies, programme):
    urls = sitemap_urls(client)
    for path in PUBLIC_PAGES:
        for lang in ("zh-hans", "en"):
            assert f"{SITE}{path.format(lang=lang)}" in urls
    village = urls[f"{SITE}/en/villages/shuiku/"]
    assert village["alternates"] == {
        "zh-hans": f"{SITE}/zh-hans/villages/shuiku/",
        "en": f"{SITE}/en/villages/shuiku/",
        "x-default": f"{SITE}/villages/shuiku/",
    }
    assert village["lastmod"] == timezone.localdate(fireflies.village.updated_at).isoformat()
    assert urls[f"{SITE}/zh-hans/experiences/fireflies/"]["lastmod"]
    assert urls[f"{SITE}/en/"]["lastmod"] is None
    assert len(urls) == 2 * len(PUBLIC_PAGES)


def test_the_sitemap_leaves_out_what_is_not_published(client, fireflies):
    hidden_village = VillageFactory(slug="hidden", is_published=False)
    ExperienceFactory(village=hidden_village, slug="hidden-village-walk")
    ExperienceFactory(village=fireflies.village, slug="draft-walk", is_published=False)
    ResidencyProgramFactory(village=hidden_village, slug="hidden-cohort")
    ResidencyProgramFactory(village=fireflies.village, slug="draft-cohort", is_published=False)
    listed = " ".join(sitemap_urls(client))
    for slug in ("hidden", "hidden-village-walk", "draft-walk", "hidden-cohort", "draft-cohort"):
        assert f"/{slug}/" not in listed
    assert "/fireflies/" in listed


def test_the_sitemap_makes_the_same_number_of_queries_whatever_the_amount_of_data(client, fireflies, programme):
    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            sitemap_urls(client)
        return len(captured)

    few = queries()
    for _index in range(3):
        ExperienceFactory(village=VillageFactory())
        ResidencyProgramFactory()
    assert queries() == few


def test_the_sitemap_index_splits_a_long_section_into_pages_and_lists_each(client, fireflies, monkeypatch):
    monkeypatch.setattr(ExperienceSitemap, "limit", 2)
    for number in range(4):
        ExperienceFactory(village=fireflies.village, slug=f"walk-{number}")

    sections = sitemap_sections(client)
    urls = sitemap_urls(client)

    experience_pages = [location for location in sections if "/sitemap-experiences.xml" in location]
    # Five experiences in two languages, two addresses a page.
    assert experience_pages == [f"{SITE}/sitemap-experiences.xml"] + [
        f"{SITE}/sitemap-experiences.xml?p={page}" for page in range(2, 6)
    ]
    for slug in ("fireflies", "walk-0", "walk-1", "walk-2", "walk-3"):
        assert f"{SITE}/en/experiences/{slug}/" in urls


def test_the_sitemap_is_served_from_the_cache_until_it_expires(client, fireflies):
    sitemap_urls(client)
    ExperienceFactory(village=fireflies.village, slug="new-walk")
    with CaptureQueriesContext(connection) as captured:
        cached = sitemap_urls(client)
    assert len(captured) == 0
    assert f"{SITE}/en/experiences/new-walk/" not in cached  # at most SITEMAP_CACHE_SECONDS old
    cache.clear()
    assert f"{SITE}/en/experiences/new-walk/" in sitemap_urls(client)


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/*/admin/", "/*/bookings/", "/*/residency/applications/", "/api/"):
        assert f"Disallow: {path}" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


# --- schema.org


def test_a_village_page_describes_the_village_as_a_tourist_attraction(client, shuiku):
    VillageImageFactory(village=shuiku)
    (data,) = head_of(client, "/en/villages/shuiku/").structured_data()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "TouristAttraction"
    assert data["name"] == "Shuiku Village"
    assert data["url"] == f"{SITE}/en/villages/shuiku/"
    assert data["description"] == shuiku.summary_en
    assert len(data["image"]) == 2 and all(image.startswith(f"{SITE}/media/") for image in data["image"])
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "CN",
        "addressRegion": "Shanghai",
        "addressLocality": "Caojing Town, Jinshan District",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 30.789, "longitude": 121.398}
    assert "isAccessibleForFree" not in data


def test_a_village_without_coordinates_or_pictures_leaves_them_out(client):
    VillageFactory(slug="cenbu", latitude=None, longitude=None, name_zh_hans="岑卜村")
    (data,) = head_of(client, "/zh-hans/villages/cenbu/").structured_data()
    assert data["name"] == "岑卜村"
    assert "geo" not in data and "image" not in data


def events_of(client, path="/en/experiences/fireflies/") -> list[dict]:
    (data,) = head_of(client, path).structured_data()
    assert data["@context"] == "https://schema.org"
    assert all(event["@type"] == "Event" for event in data["@graph"])
    return data["@graph"]


def test_an_experience_page_lists_its_coming_sessions_as_events(client, fireflies):
    start = timezone.make_aware(datetime(2099, 6, 1, 19, 30), SHANGHAI)
    SessionFactory(experience=fireflies, starts_at=start, ends_at=start + timedelta(minutes=90))
    SessionFactory(experience=fireflies, starts_at=timezone.now() - timedelta(days=1))
    (event,) = events_of(client)
    assert event["name"] == "Firefly evening"
    assert event["startDate"] == "2099-06-01T19:30:00+08:00"
    assert event["endDate"] == "2099-06-01T21:00:00+08:00"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["url"] == f"{SITE}/en/experiences/fireflies/"
    assert event["location"] == {
        "@type": "Place",
        "name": "Shuiku Village",
        "address": {
            "@type": "PostalAddress",
            "addressCountry": "CN",
            "addressRegion": "Shanghai",
            "addressLocality": "Caojing Town, Jinshan District",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": 30.789, "longitude": 121.398},
    }
    assert event["offers"] == {
        "@type": "Offer",
        "price": "88.00",
        "priceCurrency": "CNY",
        "availability": "https://schema.org/InStock",
        "url": f"{SITE}/en/experiences/fireflies/",
    }
    assert event["organizer"] == {"@type": "Organization", "name": "Shuiku Operations"}
    assert event["image"][0].startswith(f"{SITE}/media/")


def test_a_session_says_whether_seats_are_left_and_what_it_costs(client, fireflies):
    SessionFactory(experience=fireflies, capacity=10, seats_taken=10)
    SessionFactory(experience=fireflies, capacity=10, seats_taken=8)
    SessionFactory(experience=fireflies, capacity=10, seats_taken=0, adult_price_override=Decimal("66.5"))
    offers = [event["offers"] for event in events_of(client)]
    assert [offer["availability"].rsplit("/", 1)[-1] for offer in offers] == [
        "SoldOut",
        "LimitedAvailability",
        "InStock",
    ]
    assert [offer["price"] for offer in offers] == ["88.00", "88.00", "66.50"]


def test_a_cancelled_session_stays_listed_as_cancelled_without_an_offer(client, fireflies):
    SessionFactory(experience=fireflies, status=Session.Status.CANCELLED)
    (event,) = events_of(client)
    assert event["eventStatus"] == "https://schema.org/EventCancelled"
    assert "offers" not in event


def test_an_experience_without_coming_sessions_has_no_event_data(client, fireflies):
    assert head_of(client, "/en/experiences/fireflies/").json_ld == []


def test_a_title_with_a_closing_script_tag_cannot_break_out_of_the_json_ld(client):
    evil = '</script><script>alert("x")</script><!--'
    village = VillageFactory(slug="evil", name_en=f"Village {evil}")
    experience = ExperienceFactory(village=village, slug="evil-walk", title_en=f"Walk {evil}")
    SessionFactory(experience=experience)
    for path in ("/en/villages/evil/", "/en/experiences/evil-walk/"):
        html = client.get(path).content.decode()
        assert '<script>alert("x")' not in html
        (data,) = Head(html).structured_data()
        name = data["name"] if "name" in data else data["@graph"][0]["name"]
        assert name.endswith(evil)
