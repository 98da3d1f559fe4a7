"""Public pages whose queries read indexes, not whole tables, when the catalogue is large: every query a page makes
is EXPLAINed on PostgreSQL against 2,000 villages, 10,000 experiences and 100,000 sessions (the shape of ten times
the data, where the planner chooses as it would there). Searches of three characters or more go through the
trigram indexes; shorter ones (two Chinese characters) cannot, and read the searchable text of every experience.
"""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import DistrictFactory, ExperienceFactory, SessionFactory, TownFactory, VillageFactory
from villages.models import District, Experience, Session, Town, Village

pytestmark = pytest.mark.django_db

VILLAGES, EXPERIENCES_PER_VILLAGE, SESSIONS_PER_EXPERIENCE = 2000, 5, 10
# Descriptions as long as real ones: the planner weighs reading every row by how much there is to read.
LONG_ZH = "沿着湖边的田埂慢慢骑行，经过稻田、果园和老宅，在村里的咖啡馆歇脚，听村民讲村庄的变化。" * 4
LONG_EN = (
    "A slow ride along the lakeside fields, past rice paddies, orchards and old houses, with a stop at a café. " * 4
)


@pytest.fixture(scope="module")
def large_catalogue(django_db_setup, django_db_blocker):
    """Committed once for the module (each test still runs in its own transaction) and removed after it."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("query plans are PostgreSQL's; SQLite (make run) has no trigram index")
        district = DistrictFactory(slug="plans-district")
        town = TownFactory(district=district, slug="plans-town")
        cenbu = VillageFactory(town=town, slug="cenbu", name_zh_hans="岑卜村", name_en="Cenbu Village")
        ExperienceFactory(
            village=cenbu, slug="fireflies", title_zh_hans="岑卜夏夜观萤火虫", title_en="Watching fireflies"
        )
        villages = Village.objects.bulk_create(
            VillageFactory.build(
                town=town,
                slug=f"plans-{number}",
                position=number % 50 + 1,
                name_zh_hans=f"大村{number}",
                description_zh_hans=LONG_ZH,
                description_en=LONG_EN,
            )
            for number in range(VILLAGES)
        )
        experiences = Experience.objects.bulk_create(
            ExperienceFactory.build(
                village=village,
                village_position=village.position,  # bulk_create skips save(), which copies it
                position=kind,
                slug=f"{village.slug}-{kind}",
                title_zh_hans=f"骑行{kind}",
                title_en=f"Ride {kind}",
                description_zh_hans=LONG_ZH,
                description_en=LONG_EN,
            )
            for village in villages
            for kind in range(EXPERIENCES_PER_VILLAGE)
        )
        now = timezone.now().replace(microsecond=0)
        Session.objects.bulk_create(
            SessionFactory.build(
                experience=experience,
                starts_at=now + timedelta(days=day * 3 - 5, hours=experience.pk % 10),
                ends_at=now + timedelta(days=day * 3 - 5, hours=experience.pk % 10 + 2),
                capacity=10,
            )
            for experience in [*experiences, Experience.objects.get(slug="fireflies")]
            for day in range(SESSIONS_PER_EXPERIENCE)
        )
        with connection.cursor() as cursor:
            for table in ("villages_village", "villages_experience", "villages_session", "bookings_booking"):
                cursor.execute(f"VACUUM ANALYZE {table}")  # statistics, and the visibility map index-only scans need
    yield
    with django_db_blocker.unblock():
        Village.objects.filter(town=town).delete()
        Town.objects.filter(pk=town.pk).delete()
        District.objects.filter(pk=district.pk).delete()


def plans_of(queries) -> list[dict]:
    plans = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plans.append({"sql": sql, "plan": cursor.fetchone()[0][0]["Plan"]})
    return plans


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def scans_of(plans, table: str, node_type: str) -> list[str]:
    return [
        plan["sql"][:200]
        for plan in plans
        for node in nodes(plan["plan"])
        if node["Node Type"] == node_type and node.get("Relation Name") == table
    ]


PUBLIC_PAGES = [
    "/zh-hans/",
    "/zh-hans/villages/",
    "/zh-hans/villages/?q=萤火虫",
    "/en/villages/?q=fireflies",
    "/zh-hans/villages/cenbu/",
    "/zh-hans/experiences/fireflies/",
    "/api/v1/villages/",
    "/api/v1/villages/?q=萤火虫",
    "/api/v1/experiences/",
    "/api/v1/experiences/?q=萤火虫",
    f"/api/v1/experiences/?available_from={timezone.localdate().isoformat()}",
    "/api/v1/experiences/fireflies/sessions/",
    "/api/v1/villages/cenbu/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_no_public_page_reads_every_session_or_booking_of_a_large_catalogue(client, large_catalogue, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    plans = plans_of(captured.captured_queries)
    assert scans_of(plans, "villages_session", "Seq Scan") == []
    assert scans_of(plans, "bookings_booking", "Seq Scan") == []


@pytest.mark.parametrize(
    "path", ["/zh-hans/villages/?q=萤火虫", "/api/v1/villages/?q=fireflies", "/api/v1/experiences/?q=夏夜观"]
)
def test_search_in_a_large_catalogue_reads_the_trigram_indexes_not_every_row(client, large_catalogue, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    plans = plans_of(captured.captured_queries)
    searching = [plan for plan in plans if "searchable_text" in plan["sql"]]
    assert searching, "the search made no query on the searchable text"
    for plan in searching:
        used = {node.get("Index Name") for node in nodes(plan["plan"])}
        assert used & {"villages_village_search_trgm", "villages_experience_search_trgm"}, json.dumps(plan["plan"])[
            :2000
        ]
        assert not scans_of([plan], "villages_experience", "Seq Scan"), plan["sql"][:300]


@pytest.mark.parametrize(
    ("path", "index"),
    [
        ("/api/v1/experiences/", "experience_listed_order_idx"),
        ("/api/v1/experiences/?page=40", "experience_listed_order_idx"),
        ("/api/v1/experiences/?kind=cycling", "experience_listed_order_idx"),
        ("/api/v1/villages/", "village_listed_order_idx"),
        ("/zh-hans/villages/", "village_listed_order_idx"),
        ("/zh-hans/villages/?page=30", "village_listed_order_idx"),
    ],
)
def test_a_page_of_a_long_list_is_read_in_order_from_its_index_and_counted_from_indexes(
    client, large_catalogue, path, index
):
    """The experiences (their village's position copied onto them) and the villages are read in list order from a
    partial index of the published ones, up to the page shown: no sort of them all. The count reads indexes only."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    plans = plans_of(captured.captured_queries)
    for table in ("villages_experience", "villages_village"):
        assert scans_of(plans, table, "Seq Scan") == []
    listing, counting = [], []
    for plan in plans:
        if plan["sql"].startswith("SELECT COUNT(*)"):
            counting.append(plan)
        elif f'ORDER BY "{"villages_experience" if "experience" in index else "villages_village"}".' in plan["sql"]:
            listing.append(plan)
    [page] = [plan for plan in listing if "LIMIT" in plan["sql"]]
    assert index in {node.get("Index Name") for node in nodes(page["plan"])}, json.dumps(page["plan"])[:2000]
    assert not [node for node in nodes(page["plan"]) if node["Node Type"] == "Sort"], json.dumps(page["plan"])[:2000]
    [count] = counting
    scanned = [node for node in nodes(count["plan"]) if node.get("Relation Name")]
    assert {node["Node Type"] for node in scanned} == {"Index Only Scan"}, json.dumps(count["plan"])[:2000]
