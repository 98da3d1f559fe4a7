"""The demo content is true to the articles, as a visitor of the seeded site sees it (issue 14): what the articles say
is shown as fact, what they do not is labelled as a demo value."""

import io
import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from residency.models import ResidencyApplication, ResidencyProgram
from tests.factories import application_fields
from tests.html import PageStructure
from tests.villages.test_seed import seeded, seeded_once  # noqa: F401 (the seed's fixtures: one run per class)
from villages import demo_content
from villages.models import Experience, Honour, Venue, Village, VillageHonour

FIRST_COHORT = "shuiku-digital-nomad-first-cohort"
NEXT_COHORT = "shuiku-digital-nomad-next-cohort"
APPLICATIONS_API = "/api/v1/residency-applications/"
GENERAL_SLOGANS = ("推窗见绿", "出门即景", "生活悠然", "Green outside the window", "scenery at the door")


def page(client, path: str, params: dict | None = None) -> str:
    response = client.get(path, params or {})
    assert response.status_code == 200, path
    return unescape(response.content.decode())


def translated(message: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def card_titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="card-title">([^<]*)</h3>', html)


def search_hint_terms(html: str) -> list[str]:
    """The words the home page's search box suggests: its placeholder after "Try:" (试试：), split at commas."""
    (search_box,) = [control for control in PageStructure(html).controls if control.get("id") == "hero-q"]
    suggestions = re.split(r"[:：]", search_box["placeholder"], maxsplit=1)[1]
    return [term.strip() for term in re.split(r"[,，、]", suggestions) if term.strip()]


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
class TestTheDemoContent:
    """Read-only checks of one seed run."""

    # Shuiku's residency: the first cohort has moved in, the next one is a demo open to applications

    def test_the_first_cohort_of_twelve_is_shown_in_residence_and_offers_no_application_form(self, client):
        first = ResidencyProgram.objects.get(slug=FIRST_COHORT)
        assert (first.places, first.places_accepted) == (12, 12)
        assert first.in_residence() and not first.applications_open()
        for language, moved_in in (("zh-hans", "首批12位数字游民已经入驻"), ("en", "12 digital nomads has moved in")):
            html = page(client, f"/{language}/residency/{FIRST_COHORT}/")
            assert moved_in in html
            assert translated("In residence now", language) in html
            assert translated("This cohort is in residence now: applications for it are closed.", language) in html
            assert translated("Applications open until %(date)s", language).split("%")[0] not in html
            assert f'action="/{language}/residency/{FIRST_COHORT}/apply/"' not in html
            assert "residency-form" not in html

    def test_the_village_and_residency_pages_show_the_first_cohort_in_residence_not_as_an_open_call(self, client):
        for language in ("zh-hans", "en"):
            for path in (f"/{language}/villages/shuiku/", f"/{language}/residency/"):
                html = page(client, path)
                first = html[html.index(f'id="residency-{FIRST_COHORT}"') :].split("</article>")[0]
                assert translated("In residence now", language) in first, path
                assert translated("Applications closed", language) in first, path
                assert translated("Details and application form", language) not in first, path

    def test_an_api_application_to_the_first_cohort_is_refused_with_a_message(self, client):
        first = ResidencyProgram.objects.get(slug=FIRST_COHORT)
        arrival = timezone.localdate() + timedelta(days=7)
        response = client.post(
            APPLICATIONS_API, application_fields(first, arrival_date=arrival), headers={"accept-language": "en"}
        )
        assert response.status_code in (400, 409), response.content
        assert response.json() == {"program": ["This programme is not taking applications now."]}
        assert not ResidencyApplication.objects.exists()

    def test_the_api_lists_the_first_cohort_closed_and_the_next_one_open(self, client):
        programs = {item["slug"]: item for item in client.get("/api/v1/residency-programs/").json()["results"]}
        assert programs[FIRST_COHORT]["applications_open"] is False
        assert programs[FIRST_COHORT]["places_left"] == 0
        assert programs[NEXT_COHORT]["applications_open"] is True

    def test_the_next_cohort_is_open_for_applications_and_labelled_as_a_demo(self, client):
        next_cohort = ResidencyProgram.objects.get(slug=NEXT_COHORT)
        assert next_cohort.applications_open() and not next_cohort.in_residence()
        for language, label in (("zh-hans", demo_content.DEMO_NOTE_ZH), ("en", demo_content.DEMO_NOTE_EN.strip())):
            html = page(client, f"/{language}/residency/{NEXT_COHORT}/")
            heading = re.search(r"<h1[^>]*>([^<]*)</h1>", html).group(1)
            assert heading.endswith(label), heading
            assert f'action="/{language}/residency/{NEXT_COHORT}/apply/"' in html
        assert "示例信息" in next_cohort.description_zh_hans
        assert "Demo value" in next_cohort.description_en

    def test_the_residency_list_puts_the_open_next_cohort_first(self, client):
        html = page(client, "/en/residency/")
        assert html.index(f'id="residency-{NEXT_COHORT}"') < html.index(f'id="residency-{FIRST_COHORT}"')

    # Cenbu set out in 2021 to become a demonstration village: no title awarded

    def test_cenbu_lists_no_honour_but_says_it_set_out_in_2021_to_become_a_demonstration_village(self, client):
        title = Honour.objects.get(slug="rural-revitalisation-demo")
        for language, set_out in (
            ("zh-hans", "2021年，岑卜村创建上海市乡村振兴示范村"),
            ("en", "In 2021 Cenbu set out to become a Shanghai Rural Revitalisation Demonstration Village"),
        ):
            html = page(client, f"/{language}/villages/cenbu/")
            assert set_out in html
            facts = html.split('class="village-aside"')[1].split("</aside>")[0]
            assert translated("Operated by", language) in facts
            assert translated("Honours", language) not in facts
            detail = client.get("/api/v1/villages/cenbu/", headers={"accept-language": language}).json()
            assert detail["honours"] == []
            assert set_out in detail["description"]
        listed = client.get("/api/v1/villages/", {"tag": title.slug}).json()["results"]
        assert [village["slug"] for village in listed] == ["shuiku"]
        assert not VillageHonour.objects.filter(village__slug="cenbu").exists()

    def test_the_articles_words_about_villages_in_general_are_not_given_as_shuikus_own(self, client):
        shuiku = Village.objects.get(slug="shuiku")
        texts = [shuiku.tagline_zh_hans, shuiku.tagline_en, shuiku.description_zh_hans, shuiku.description_en]
        for experience in shuiku.experiences.all():
            texts += [experience.description_zh_hans, experience.description_en]
        for program in shuiku.residency_programs.all():
            texts += [program.description_zh_hans, program.description_en]
        for text in texts:
            assert not any(slogan in text for slogan in GENERAL_SLOGANS), text
        assert shuiku.tagline_zh_hans == "上海首个数字游民国际村所在地"
        assert "上海首个数字游民国际村所在地" in page(client, "/zh-hans/villages/shuiku/")

    # Before you go, and the places of the village

    def test_every_experience_shows_a_meeting_point_labelled_as_a_demo_value_in_both_languages(self, client):
        experiences = Experience.objects.all()
        assert experiences.count() == len(demo_content.EXPERIENCES)
        for experience in experiences:
            for language, note in (("zh_hans", demo_content.DEMO_NOTE_ZH), ("en", demo_content.DEMO_NOTE_EN)):
                meeting_point = getattr(experience, f"meeting_point_{language}")
                assert meeting_point.endswith(note), (experience.slug, meeting_point)
                html = page(client, f"/{language.replace('_', '-')}/experiences/{experience.slug}/")
                assert meeting_point in html, (experience.slug, language)

    def test_every_venue_has_a_description_of_its_own_in_both_languages_shown_on_its_village_page(self, client):
        venues = Venue.objects.all()
        assert venues.exists()
        for language in ("zh_hans", "en"):
            descriptions = [getattr(venue, f"description_{language}") for venue in venues]
            assert all(descriptions)
            assert len(set(descriptions)) == len(descriptions), "each venue is described under its own name"
            for venue, description in zip(venues, descriptions, strict=True):
                assert getattr(venue, f"name_{language}") in description
                html = page(client, f"/{language.replace('_', '-')}/villages/{venue.village.slug}/")
                assert description in html

    def test_no_experience_sits_at_a_venue_since_the_article_places_none(self):
        assert not Experience.objects.filter(venue__isnull=False).exists()

    # Search

    def test_the_home_pages_search_hint_finds_the_firefly_evening_in_both_languages(self, client):
        fireflies = Experience.objects.get(kind=Experience.Kind.FIREFLY_VIEWING)
        for language, name in (("zh-hans", "岑卜村"), ("en", "Cenbu Village")):
            terms = search_hint_terms(page(client, f"/{language}/"))
            assert terms, language
            for term in terms:
                assert card_titles(page(client, f"/{language}/villages/", {"q": term})), (language, term)
            firefly_term = terms[0]
            assert card_titles(page(client, f"/{language}/villages/", {"q": firefly_term})) == [name]
            found = client.get("/api/v1/experiences/", {"q": firefly_term}).json()["results"]
            assert fireflies.slug in [item["slug"] for item in found], (language, firefly_term)


@pytest.mark.django_db
def test_a_database_seeded_before_loses_the_honour_cenbu_was_never_awarded():
    call_command("seed_demo", stdout=io.StringIO())
    VillageHonour.objects.create(
        village=Village.objects.get(slug="cenbu"),
        honour=Honour.objects.get(slug="rural-revitalisation-demo"),
        year=2021,
        note_zh_hans="2021年创建",
    )

    call_command("seed_demo", stdout=io.StringIO())

    assert not VillageHonour.objects.filter(village__slug="cenbu").exists()
    assert VillageHonour.objects.filter(village__slug="shuiku").count() == 2
    assert ResidencyProgram.objects.filter(village__slug="shuiku").count() == 2
