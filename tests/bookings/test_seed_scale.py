"""`manage.py seed_scale`: generated data at a tiny size beside the demo, consistent, public, and removed exactly.

No timing here: bench/pages.py measures (README "Speed at ten times the data")."""

import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation

from bookings.models import Booking
from bookings.scale import GENERATED_EMAIL_DOMAIN, GENERATED_PREFIX
from core.codes import READABLE_ALPHABET
from core.contact import normalised_phone
from live.models import LiveStream
from tests.conftest import service_missing
from tests.factories import make_booking
from villages.models import District, Experience, Session, Town, Village, VillageHonour

pytestmark = pytest.mark.django_db

TINY = ["--villages", "3", "--experiences", "6", "--sessions", "30", "--bookings", "60"]
COUNTED = [District, Town, Village, VillageHonour, Experience, Session, Booking, LiveStream]


def run(*args) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_scale", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def demo(settings, tmp_path):
    """The demo villages, as seed_demo loads them."""
    if connection.vendor != "postgresql":
        service_missing("seed_scale writes with PostgreSQL's COPY: set DATABASE_URL to PostgreSQL")
    with translation.override("en"):
        call_command("seed_demo", stdout=io.StringIO())
    return {
        "villages": set(Village.objects.values_list("slug", flat=True)),
        "experiences": set(Experience.objects.values_list("slug", flat=True)),
        "sessions": set(Session.objects.values_list("pk", flat=True)),
        "counts": counts(),
    }


@pytest.fixture
def generated(demo):
    run(*TINY)
    return demo


def generated_sessions():
    return Session.objects.filter(experience__slug__startswith=GENERATED_PREFIX)


def test_it_generates_the_sizes_asked_for_beside_the_demo(generated):
    villages = Village.objects.filter(slug__startswith=GENERATED_PREFIX)
    assert villages.count() == 3
    assert all(village.is_published for village in villages)
    experiences = Experience.objects.filter(slug__startswith=GENERATED_PREFIX)
    assert experiences.count() == 6
    assert set(experiences.values_list("village__slug", flat=True)) == set(villages.values_list("slug", flat=True))
    assert set(experiences.values_list("kind", flat=True)) <= set(Experience.Kind.values)
    for experience in experiences:
        assert experience.title_zh_hans and experience.title_en and experience.description_en
    assert generated_sessions().count() == 30
    bookings = Booking.objects.filter(session__in=generated_sessions())
    assert bookings.count() == 60
    # The demo is untouched, and only the generated rows are new.
    assert (
        set(Village.objects.exclude(slug__startswith=GENERATED_PREFIX).values_list("slug", flat=True))
        == (generated["villages"])
    )
    assert Booking.objects.count() == generated["counts"]["Booking"] + 60
    assert Session.objects.count() == generated["counts"]["Session"] + 30


def test_sessions_and_bookings_have_the_shape_of_real_ones(generated):
    now = timezone.now()
    sessions = generated_sessions()
    assert sessions.filter(starts_at__lt=now).exists() and sessions.filter(starts_at__gt=now).exists()
    assert not sessions.filter(starts_at__lt=now - timedelta(days=61)).exists()
    assert not sessions.filter(starts_at__gt=now + timedelta(days=181)).exists()
    assert not sessions.filter(Q(capacity__lt=8) | Q(capacity__gt=30)).exists()
    bookings = Booking.objects.filter(session__in=sessions)
    assert bookings.filter(status=Booking.Status.CONFIRMED).count() > bookings.count() / 2
    for booking in bookings:
        assert booking.email.endswith(f"@{GENERATED_EMAIL_DOMAIN}")
        assert re.fullmatch(rf"GE-[{READABLE_ALPHABET}]{{6}}", booking.reference)
        assert re.fullmatch(rf"[{READABLE_ALPHABET}]{{8}}", booking.check_in_code)
        assert len(booking.token) >= 43
        assert normalised_phone(booking.phone) == booking.phone
        assert booking.language in dict(settings.LANGUAGES)
        assert booking.privacy_version == settings.PRIVACY_VERSION
        assert booking.created_at <= now
        assert booking.status != Booking.Status.CANCELLED or booking.cancelled_at is not None
        assert (booking.status == Booking.Status.CHECKED_IN) == (booking.checked_in_at is not None)


def test_seats_taken_are_the_seats_of_the_bookings_that_hold_them(generated):
    held = Coalesce(
        Sum(F("bookings__adults") + F("bookings__children"), filter=Q(bookings__status__in=Booking.HOLDING_SEATS)), 0
    )
    sessions = generated_sessions().annotate(held=held, booked=Count("bookings"))
    assert sum(session.booked for session in sessions) == 60
    for session in sessions:
        assert session.seats_taken == session.held
        assert session.seats_taken <= session.capacity
    assert any(session.seats_taken for session in sessions)


def test_generated_experiences_are_listed_in_their_villages_order(generated):
    experiences = Experience.objects.filter(slug__startswith=GENERATED_PREFIX)
    assert experiences.exists()
    assert not experiences.exclude(village_position=F("village__position")).exists()


def test_generated_villages_are_public_and_found_by_search(generated, client):
    village = Village.objects.filter(slug__startswith=GENERATED_PREFIX).first()
    experience = village.experiences.filter(is_published=True).first()
    with translation.override("zh-hans"):
        listing = client.get(reverse("villages:village_list"))
        found = client.get(reverse("villages:village_list"), {"q": experience.title_zh_hans})
        page = client.get(village.get_absolute_url())
    assert listing.status_code == 200 and village.name_zh_hans in listing.content.decode()
    assert found.status_code == 200 and village.name_zh_hans in found.content.decode()
    assert page.status_code == 200
    api = client.get("/api/v1/villages/", {"q": village.name_en}).json()
    assert [row["slug"] for row in api["results"]] == [village.slug]
    total = client.get("/api/v1/villages/").json()["count"]
    assert total == len(generated["villages"]) + 3


def test_fireflies_are_rare_and_the_demo_is_still_found(demo, client):
    """One generated experience in 1000 is about fireflies: a search for 萤火虫 finds the demo and a few more."""
    run("--villages", "2", "--experiences", "1000", "--sessions", "0", "--bookings", "0")
    found = {row["slug"] for row in client.get("/api/v1/villages/", {"q": "萤火虫"}).json()["results"]}
    demo_found = {slug for slug in found if not slug.startswith(GENERATED_PREFIX)}
    assert "cenbu" in demo_found
    assert len(found - demo_found) == 1


def test_a_second_run_refuses_and_adds_nothing(generated):
    before = counts()
    with pytest.raises(CommandError, match="already there"):
        run(*TINY)
    assert counts() == before


def test_delete_removes_exactly_the_generated_rows(generated):
    # A visitor booked a generated session through the site meanwhile: that booking goes with its session.
    session = (
        generated_sessions()
        .filter(status=Session.Status.SCHEDULED, starts_at__gt=timezone.now() + timedelta(days=2))
        .filter(experience__is_published=True, seats_taken__lt=F("capacity"))
        .first()
    )
    make_booking(session, adults=1)
    output = run("--delete")
    assert "Deleted" in output
    assert counts() == generated["counts"]
    assert set(Village.objects.values_list("slug", flat=True)) == generated["villages"]
    assert set(Experience.objects.values_list("slug", flat=True)) == generated["experiences"]
    assert set(Session.objects.values_list("pk", flat=True)) == generated["sessions"]
    assert not Town.objects.filter(slug__startswith=GENERATED_PREFIX).exists()
    # And it can generate again.
    run(*TINY)
    assert generated_sessions().count() == 30


def test_it_refuses_other_databases_than_postgresql(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        run(*TINY)


@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        (["--villages", "-1"], "whole numbers"),
        (["--villages", "0"], "at least one village"),
        (["--villages", "2", "--experiences", "0", "--sessions", "5", "--bookings", "0"], "Sessions need experiences"),
        (["--villages", "2", "--experiences", "2", "--sessions", "0", "--bookings", "5"], "bookings need sessions"),
        (["--villages", "2", "--experiences", "2", "--sessions", "2", "--bookings", "-3"], "whole numbers"),
    ],
)
def test_sizes_that_make_no_sense_are_refused_and_add_nothing(demo, sizes, message):
    with pytest.raises(CommandError, match=message):
        run(*sizes)
    assert counts() == demo["counts"]
