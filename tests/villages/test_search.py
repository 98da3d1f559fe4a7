"""Search finds Chinese and English substrings in both languages, on the pages and in the API."""

import pytest

from tests.factories import ExperienceFactory, VillageFactory
from villages.models import Village

pytestmark = pytest.mark.django_db

VILLAGES_API = "/api/v1/villages/"
EXPERIENCES_API = "/api/v1/experiences/"


@pytest.fixture
def cenbu():
    village = VillageFactory(
        slug="cenbu",
        name_zh_hans="岑卜村",
        name_en="Cenbu Village",
        summary_zh_hans="青浦区金泽镇的村庄。",
        summary_en="A village in Jinze, Qingpu.",
    )
    ExperienceFactory(
        village=village,
        slug="fireflies",
        title_zh_hans="岑卜夏夜观萤火虫",
        title_en="Watching fireflies on a summer evening",
        description_zh_hans="夏夜在田埂上看萤火虫。",
        description_en="Fireflies over the fields at dusk.",
    )
    VillageFactory(slug="shuiku", name_zh_hans="水库村", name_en="Shuiku Village")
    return village


def found_villages(client, query: str, language: str) -> tuple[list[str], list[str]]:
    """The villages the page and the API find for `query`, by slug."""
    page = client.get(f"/{language}/villages/", {"q": query}).content.decode()
    api = client.get(VILLAGES_API, {"q": query}, HTTP_ACCEPT_LANGUAGE=language).json()["results"]
    on_page = sorted(slug for slug in ("cenbu", "shuiku") if f"/{language}/villages/{slug}/" in page)
    return on_page, sorted(item["slug"] for item in api)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "query",
    ["萤火虫", "火虫", "岑卜", "fireflies", "FIREFLIES", "Firefl", "jinze", "金泽镇"],
    ids=[
        "chinese word",
        "chinese substring",
        "village name",
        "english",
        "upper case",
        "prefix",
        "summary",
        "summary zh",
    ],
)
def test_search_finds_a_substring_of_either_languages_text_on_the_page_and_in_the_api(client, cenbu, query, language):
    assert found_villages(client, query, language) == (["cenbu"], ["cenbu"])


def test_search_finds_an_experience_by_its_own_text_and_nothing_for_text_spanning_two_fields(client, cenbu):
    experiences = client.get(EXPERIENCES_API, {"q": "田埂"}).json()["results"]
    assert [item["slug"] for item in experiences] == ["fireflies"]
    # The end of the Chinese title and the start of the English one are two texts, not one.
    assert client.get(EXPERIENCES_API, {"q": "萤火虫Watching"}).json()["count"] == 0


def test_search_follows_an_edit_at_once(client, cenbu):
    Village.objects.filter(slug="shuiku").update(summary_en="Home of the digital nomad village")
    assert found_villages(client, "nomad", "en") == (["shuiku"], ["shuiku"])


def test_search_text_with_like_wildcards_matches_them_literally(client, cenbu):
    assert found_villages(client, "%", "en") == ([], [])
    assert found_villages(client, "_", "en") == ([], [])
