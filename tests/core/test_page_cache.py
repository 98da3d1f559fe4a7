"""Anonymous visitors' pages from the shared cache: what a visitor sees is never staler than promised, and what is
theirs alone (CSRF token, submission key) is never shared."""

import gzip
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.factories import ExperienceFactory, SessionFactory, VillageFactory, new_contact
from villages.models import Experience, Session

pytestmark = pytest.mark.django_db

SUBMISSION_KEY = re.compile(r'name="submission_key" value="([^"]+)"')
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def experience():
    experience = ExperienceFactory(title_en="Lakeside ride", title_zh_hans="湖边骑行", capacity=10)
    SessionFactory(experience=experience)
    return experience


def page(experience, lang="en"):
    return f"/{lang}/experiences/{experience.slug}/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A write as if its transaction committed (the test's own never does): the versions change then."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def seats_shown(body: str) -> list[int]:
    return [int(seats) for seats in re.findall(r"(\d+) seats? left", body)]


def test_the_second_visitor_gets_the_page_without_asking_the_database(
    client, experience, django_assert_max_num_queries
):
    first = client.get(page(experience))
    with django_assert_max_num_queries(0):
        second = Client().get(page(experience))
    assert second.status_code == 200
    assert second.content.decode().count("Lakeside ride") == first.content.decode().count("Lakeside ride") > 0


def test_a_booking_shows_at_once_as_fewer_seats_on_the_experience_page(client, experience, committed):
    assert seats_shown(client.get(page(experience)).content.decode()) == [10]
    session = experience.sessions.get()
    body = client.get(page(experience)).content.decode()
    with committed():
        response = client.post(
            f"/en/bookings/new/{experience.slug}/",
            {
                "session": session.pk,
                "adults": 1,
                "children": 0,
                "name": "Li Lei",
                "notes": "",
                "submission_key": SUBMISSION_KEY.search(body).group(1),
                **new_contact("en"),
            },
        )
    assert response.status_code == 303
    assert seats_shown(client.get(page(experience)).content.decode()) == [9]
    api = client.get(f"/api/v1/experiences/{experience.slug}/sessions/").json()
    assert [row["seats_left"] for row in api["results"]] == [9]


def test_an_edited_title_shows_at_once_on_every_page_that_names_it(client, experience, committed):
    addresses = [page(experience), f"/en/villages/{experience.village.slug}/", "/en/", "/api/v1/experiences/"]
    for address in addresses:
        assert "Lakeside ride" in client.get(address, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    experience.title_en = "Ride around the reservoir"
    with committed():
        experience.save()
    for address in addresses:
        body = client.get(address, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Ride around the reservoir" in body and "Lakeside ride" not in body, address


def test_a_new_session_shows_at_once(client, experience, committed):
    assert len(seats_shown(client.get(page(experience)).content.decode())) == 1
    with committed():
        SessionFactory(experience=experience, capacity=4)
    assert sorted(seats_shown(client.get(page(experience)).content.decode())) == [4, 10]


def test_a_session_called_off_leaves_the_page_at_once(client, experience, committed):
    from bookings.services import cancel_session

    SessionFactory(experience=experience, capacity=4)
    assert sorted(seats_shown(client.get(page(experience)).content.decode())) == [4, 10]
    with committed():
        cancel_session(experience.sessions.get(capacity=4).pk, reason="Storm")
    assert seats_shown(client.get(page(experience)).content.decode()) == [10]


def test_each_language_is_kept_apart(client, experience):
    assert "Lakeside ride" in client.get(page(experience, "en")).content.decode()
    chinese = client.get(page(experience, "zh-hans")).content.decode()
    assert "湖边骑行" in chinese and "Lakeside ride" not in chinese
    api = client.get(f"/api/v1/experiences/{experience.slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert api["title"] == "湖边骑行"
    assert client.get(f"/api/v1/experiences/{experience.slug}/", HTTP_ACCEPT_LANGUAGE="en").json()["title"] == (
        "Lakeside ride"
    )


def test_every_visitor_gets_a_submission_key_and_csrf_token_of_their_own(experience):
    visitors = [Client(enforce_csrf_checks=True) for _ in range(3)]
    bodies = [visitor.get(page(experience)).content.decode() for visitor in visitors]
    keys = [SUBMISSION_KEY.search(body).group(1) for body in bodies]
    assert len(set(keys)) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", key) for key in keys)
    assert all("per-visitor-" not in body for body in bodies)
    session = experience.sessions.get()
    for visitor, body, key in zip(visitors, bodies, keys, strict=True):
        response = visitor.post(
            f"/en/bookings/new/{experience.slug}/",
            {
                "csrfmiddlewaretoken": CSRF_TOKEN.search(body).group(1),
                "session": session.pk,
                "adults": 1,
                "children": 0,
                "name": "Han Meimei",
                "notes": "",
                "submission_key": key,
                **new_contact("en"),
            },
        )
        assert response.status_code == 303  # the token of the kept page is good for this visitor's cookie
    assert Session.objects.get(pk=session.pk).seats_taken == 3


def test_a_page_not_found_under_a_kept_address_carries_a_real_token(client):
    body = client.get("/en/experiences/no-such-thing/").content.decode()
    assert "per-visitor-" not in body and CSRF_TOKEN.search(body)


def test_a_page_answers_not_modified_until_it_changes(client, experience, committed):
    village_page = f"/en/villages/{experience.village.slug}/"
    first = client.get(village_page)
    assert first.status_code == 200 and first["ETag"]
    assert "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]
    again = client.get(village_page, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    experience.village.name_en = "Reservoir Village"
    with committed():
        experience.village.save()
    changed = client.get(village_page, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "Reservoir Village" in changed.content.decode()
    assert changed["ETag"] != first["ETag"]


def test_a_browser_with_another_csrf_cookie_gets_the_whole_page(client, experience):
    village_page = f"/en/villages/{experience.village.slug}/"
    first = client.get(village_page)
    stranger = Client()
    response = stranger.get(village_page, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200 and CSRF_TOKEN.search(response.content.decode())


def test_api_lists_answer_not_modified_too(client, experience):
    first = client.get("/api/v1/villages/")
    assert first["ETag"] and "private" not in first["Cache-Control"]
    assert client.get("/api/v1/villages/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_the_experience_page_is_never_reused_from_the_browser(client, experience):
    response = client.get(page(experience))
    assert not response.has_header("ETag")
    assert "private" in response["Cache-Control"]


def test_pages_are_compressed_for_browsers_that_accept_it(client, experience):
    plain = client.get(page(experience))
    response = client.get(page(experience), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    unpacked = gzip.decompress(response.content).decode()
    assert "Lakeside ride" in unpacked and len(response.content) < len(plain.content) / 2


def test_a_signed_in_operator_always_gets_the_page_as_it_is(client, experience):
    client.get(f"/en/villages/{experience.village.slug}/")
    Experience.objects.filter(pk=experience.pk).update(title_en="Changed behind the cache")  # no signal
    assert "Changed behind the cache" not in client.get(f"/en/villages/{experience.village.slug}/").content.decode()
    operator = Client()
    operator.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    assert "Changed behind the cache" in operator.get(f"/en/villages/{experience.village.slug}/").content.decode()


def test_the_browsable_api_is_never_kept(client, experience, committed):
    with committed():
        village = VillageFactory(name_en="Brand new village")
    assert (
        "Brand new village"
        in client.get("/api/v1/villages/", HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    type(village).objects.filter(pk=village.pk).update(name_en="Renamed quietly")  # no signal
    assert (
        "Renamed quietly"
        in client.get("/api/v1/villages/", HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_without_the_page_cache_pages_are_rendered_each_time(client, experience, settings):
    settings.PAGE_CACHE = False
    client.get(page(experience))
    Experience.objects.filter(pk=experience.pk).update(title_en="Changed without a signal")
    assert "Changed without a signal" in client.get(page(experience)).content.decode()
