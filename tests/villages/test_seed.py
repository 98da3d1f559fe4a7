"""`manage.py seed_demo`: the two demo villages in both languages, bookable sessions, drawn pictures, idempotent."""

import hashlib
import io
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone, translation
from PIL import Image

from residency.models import ResidencyProgram
from villages import demo_content
from villages.images import thumbnail_name, thumbnail_widths
from villages.management.commands.seed_demo import planned_starts
from villages.models import (
    District,
    Experience,
    ExperienceImage,
    Honour,
    Organisation,
    Session,
    Town,
    Venue,
    Village,
    VillageHonour,
    VillageImage,
    VillageMembership,
)
from villages.months import mask_from_months
from villages.scoping import villages_for

SEEDED_MODELS = [
    District,
    Town,
    Organisation,
    Honour,
    Village,
    VillageHonour,
    VillageImage,
    Venue,
    Experience,
    ExperienceImage,
    Session,
    ResidencyProgram,
]
FIREFLY_MONTHS = {5, 6, 7}
SHANGHAI = timezone.get_default_timezone()


FIREFLIES = next(item for item in demo_content.EXPERIENCES if item["kind"] == "firefly_viewing")
CENBU = next(item for item in demo_content.VILLAGES if item["slug"] == "cenbu")


def seed() -> str:
    """Run the command; its summary is read in English, the source language."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed once for a class of read-only tests (each seed draws and processes 15 pictures), then clean up."""
    media = tmp_path_factory.mktemp("seeded-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        seed()
    yield media
    with django_db_blocker.unblock():
        for model in reversed(SEEDED_MODELS):
            model.objects.all().delete()


@pytest.fixture
def seeded(seeded_once, settings):
    settings.MEDIA_ROOT = seeded_once


def snapshot() -> dict:
    """Every row of every seeded table, and every file under MEDIA_ROOT with its hash."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in SEEDED_MODELS}
    media = Path(settings.MEDIA_ROOT)
    files = {
        str(path.relative_to(media)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }
    return {"rows": rows, "files": files}


def local(moment):
    return timezone.localtime(moment, SHANGHAI)


def assert_stored_with_thumbnails(field_file, width, height):
    storage = field_file.storage
    assert field_file.name and storage.exists(field_file.name)
    with storage.open(field_file.name) as handle:
        assert Image.open(handle).size == (width, height)
    widths = thumbnail_widths(width)
    assert widths, "every demo picture is wide enough for at least one thumbnail"
    for thumbnail_width in widths:
        assert storage.exists(thumbnail_name(field_file.name, thumbnail_width))


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
class TestTheSeededDemo:
    """Read-only checks of one seed run (changes made inside a test are rolled back with it)."""

    def test_the_seed_loads_both_villages_with_chinese_and_english_names(self):
        shuiku = Village.objects.select_related("town__district").get(slug="shuiku")
        cenbu = Village.objects.select_related("town__district").get(slug="cenbu")

        assert (shuiku.name_zh_hans, shuiku.name_en) == ("水库村", "Shuiku Village")
        assert (cenbu.name_zh_hans, cenbu.name_en) == ("岑卜村", "Cenbu Village")
        assert (shuiku.town.slug, shuiku.town.name_zh_hans, shuiku.district.slug) == ("caojing", "漕泾镇", "jinshan")
        assert (cenbu.town.slug, cenbu.town.name_zh_hans, cenbu.district.slug) == ("jinze", "金泽镇", "qingpu")
        assert shuiku.is_published and cenbu.is_published
        with translation.override("en"):
            assert Village.objects.get(slug="cenbu").name == "Cenbu Village"
        with translation.override("zh-hans"):
            assert Village.objects.get(slug="cenbu").name == "岑卜村"

    def test_every_seeded_text_is_written_in_both_languages(self):
        for village in Village.objects.all():
            for field in ("name", "tagline", "summary", "description", "getting_there", "cover_image_alt"):
                for language in ("zh_hans", "en"):
                    assert getattr(village, f"{field}_{language}"), f"{village.slug}.{field}_{language} is empty"
        for experience in Experience.objects.all():
            for field in ("title", "description"):
                assert getattr(experience, f"{field}_zh_hans") and getattr(experience, f"{field}_en"), experience.slug
        for model, fields in (
            (Venue, ("name", "description")),
            (Honour, ("title",)),
            (District, ("name",)),
            (Town, ("name",)),
            (Organisation, ("name", "short_name", "description")),
            (VillageImage, ("alt_text", "caption")),
            (ExperienceImage, ("alt_text",)),
        ):
            for row in model.objects.all():
                for field in fields:
                    assert getattr(row, f"{field}_zh_hans") and getattr(row, f"{field}_en"), (
                        f"{model.__name__} {row.pk}"
                    )

    def test_shuiku_tells_of_shanghais_first_digital_nomad_village_and_its_first_batch_title(self):
        shuiku = Village.objects.get(slug="shuiku")
        assert "数字游民国际村" in shuiku.description_zh_hans
        assert "12位数字游民" in shuiku.description_zh_hans
        assert "Digital Nomad International Village" in shuiku.description_en
        honours = {row.honour.slug: row for row in shuiku.village_honours.select_related("honour")}
        assert set(honours) == {"rural-revitalisation-demo", "digital-nomad-village"}
        demonstration = honours["rural-revitalisation-demo"]
        assert demonstration.year is None, "the article gives no year for the first batch"
        assert (demonstration.note_zh_hans, demonstration.note_en) == ("首批", "First batch")
        assert honours["digital-nomad-village"].note_zh_hans == "上海首个"
        assert shuiku.operator is None

    def test_cenbu_set_out_in_2021_to_become_a_demonstration_village_run_as_a_whole_by_smiling_straw_hat(self):
        cenbu = Village.objects.select_related("operator").get(slug="cenbu")
        assert not cenbu.village_honours.exists(), "创建 is setting out to become one, not the title"
        assert "2021年，岑卜村创建上海市乡村振兴示范村" in cenbu.description_zh_hans
        assert cenbu.operator.slug == "smiling-straw-hat"
        assert cenbu.operator.short_name_zh_hans == "微笑草帽"
        assert cenbu.operated_since == 2021
        assert "整村运营" in cenbu.operating_model_zh_hans
        assert cenbu.tagline_zh_hans == "国潮岑卜"
        venues = {venue.name_zh_hans: venue.kind for venue in cenbu.venues.all()}
        assert venues == {
            "一尺花园": "garden",
            "一步草堂": "other",
            "乡村大讲堂": "lecture_hall",
            "国潮大舞台": "stage",
        }

    def test_each_village_offers_the_experiences_the_article_names(self):
        kinds = {
            slug: set(Experience.objects.filter(village__slug=slug).values_list("kind", flat=True))
            for slug in ("shuiku", "cenbu")
        }
        assert kinds["shuiku"] == {"nomad_stay"}
        assert {"firefly_viewing", "cycling", "kayaking", "wellness", "parent_child", "dining", "homestay"} <= kinds[
            "cenbu"
        ]
        assert not Experience.objects.filter(is_published=False).exists()
        assert Experience.objects.get(kind="firefly_viewing").season_mask == mask_from_months([5, 6, 7])

    def test_firefly_sessions_fall_only_in_may_june_and_july(self):
        fireflies = Session.objects.filter(experience__kind="firefly_viewing")
        assert fireflies.exists(), "the firefly experience must always be bookable in the demo"
        assert {local(session.starts_at).month for session in fireflies} <= FIREFLY_MONTHS
        assert {local(session.starts_at).time().isoformat("minutes") for session in fireflies} == {"19:30"}

    def test_every_seeded_session_is_upcoming_in_season_and_sized_like_its_experience(self):
        now = timezone.now()
        sessions = Session.objects.select_related("experience")
        assert sessions.count() > 0
        for session in sessions:
            experience = session.experience
            assert session.starts_at > now
            assert session.in_season, session
            assert local(session.starts_at).month in experience.season_months
            assert session.capacity == experience.capacity
            assert session.ends_at - session.starts_at == timedelta(minutes=experience.duration_minutes)
            assert session.status == Session.Status.SCHEDULED

    def test_every_experience_has_an_upcoming_session_to_book(self):
        for experience in Experience.objects.published():
            assert experience.sessions.upcoming().exists(), experience.slug

    def test_every_village_and_experience_has_a_drawn_picture_with_thumbnails(self):
        for village in Village.objects.all():
            assert (village.cover_image_width, village.cover_image_height) == (1600, 900)
            assert_stored_with_thumbnails(village.cover_image, 1600, 900)
            assert "插图" in village.cover_image_alt_zh_hans
            assert "Illustration" in village.cover_image_alt_en
            assert 2 <= village.images.count() <= 3
        for picture in VillageImage.objects.all():
            assert_stored_with_thumbnails(picture.image, picture.image_width, picture.image_height)
            assert "插图" in picture.alt_text_zh_hans and "Illustration" in picture.alt_text_en
        for experience in Experience.objects.all():
            assert experience.images.count() == 1
        for picture in ExperienceImage.objects.all():
            assert_stored_with_thumbnails(picture.image, picture.image_width, picture.image_height)
            assert "插图" in picture.alt_text_zh_hans and "Illustration" in picture.alt_text_en

    def test_running_the_seed_a_second_time_changes_no_row_and_no_file(self):
        before = snapshot()
        assert before["rows"]["Session"] and before["files"]

        output = seed()

        assert snapshot() == before
        for model in ("Villages", "Experiences", "Village photos", "Experience photos"):
            assert f"{model}: 0 created, 0 updated," in output
        assert "Sessions: 0 created," in output
        assert "Pictures drawn: 0." in output

    def test_the_seed_puts_edited_demo_content_back_and_says_so(self):
        village = Village.objects.get(slug="cenbu")
        village.summary_en = "Edited by hand."
        village.save()

        output = seed()

        assert Village.objects.get(slug="cenbu").summary_en == CENBU["summary_en"]
        assert "Villages: 0 created, 1 updated, 1 unchanged." in output


# --- Planning sessions ------------------------------------------------------------------------------------------


def test_sessions_are_planned_for_the_next_four_weeks_from_tomorrow():
    every_day_at_ten = [(range(7), (time(10, 0),))]
    starts = planned_starts(every_day_at_ten, range(1, 13), date(2026, 3, 10))
    assert [local(start).date() for start in starts] == [date(2026, 3, 11) + timedelta(days=n) for n in range(28)]
    assert {local(start).hour for start in starts} == {10}


def test_an_experience_out_of_season_for_four_weeks_gets_sessions_in_the_first_two_weeks_of_its_next_season():
    starts = planned_starts(FIREFLIES["timetable"], FIREFLY_MONTHS, date(2026, 11, 23))
    days = [local(start).date() for start in starts]
    assert days, "out of season, the fireflies still get sessions"
    assert min(days) >= date(2027, 5, 1)
    assert max(days) <= date(2027, 5, 14)


def test_a_four_week_window_across_the_end_of_a_season_keeps_to_in_season_days():
    starts = planned_starts(FIREFLIES["timetable"], FIREFLY_MONTHS, date(2027, 7, 20))
    days = [local(start).date() for start in starts]
    assert days
    assert all(date(2027, 7, 21) <= day <= date(2027, 7, 31) for day in days)


def test_a_four_week_window_across_the_start_of_a_season_begins_on_its_first_day():
    starts = planned_starts(FIREFLIES["timetable"], FIREFLY_MONTHS, date(2027, 4, 20))
    days = [local(start).date() for start in starts]
    assert days
    assert all(date(2027, 5, 1) <= day <= date(2027, 5, 18) for day in days)


# --- Runs on an empty database ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_picture_whose_file_went_missing_is_drawn_again():
    seed()
    cover = Village.objects.get(slug="cenbu").cover_image
    cover.storage.delete(cover.name)

    output = seed()

    assert "Pictures drawn: 1." in output
    redrawn = Village.objects.get(slug="cenbu").cover_image
    assert_stored_with_thumbnails(redrawn, 1600, 900)


@pytest.mark.django_db
def test_a_seed_that_fails_part_way_leaves_nothing_behind(monkeypatch):
    broken = {**demo_content.EXPERIENCES[-1], "slug": "cenbu-broken", "capacity": 0}
    monkeypatch.setattr(demo_content, "EXPERIENCES", [*demo_content.EXPERIENCES, broken])

    with pytest.raises(ValidationError):
        seed()

    for model in SEEDED_MODELS:
        assert not model.objects.exists(), model.__name__


@pytest.mark.django_db
def test_on_a_development_install_each_demo_village_gets_an_operator_who_can_sign_in(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    for slug, username in demo_content.DEMO_OPERATORS.items():
        response = client.post(
            "/en/admin/login/",
            {"username": username, "password": demo_content.DEMO_OPERATOR_PASSWORD, "next": "/en/admin/"},
        )
        assert response["Location"] == "/en/admin/", username
        assert [village.slug for village in villages_for(response.wsgi_request.user)] == [slug]
        client.logout()


@pytest.mark.django_db
def test_production_gets_no_demo_operators(settings):
    settings.DEBUG = False
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    assert translation.gettext("Demo operator accounts are only created when DEBUG is on.") in output.getvalue()
    assert not VillageMembership.objects.exists()
