"""The waiting list and rescheduling in the booking API: join a full session's list, follow the entry, claim the
seats offered, leave; move a booking to another session; the before-you-go terms of an experience."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone, translation

from bookings import services
from bookings.models import Booking, WaitlistEntry
from outbox.models import OutgoingEmail
from tests.factories import ExperienceFactory, SessionFactory, VillageFactory, make_booking, new_contact
from villages.models import Session, Village

pytestmark = pytest.mark.django_db

BOOKINGS = "/api/v1/bookings/"
WAITLIST = "/api/v1/waitlist/"
ISO_SHANGHAI = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$"
ENOUGH_SEATS = "There are enough seats left in this session: book them instead."
ALREADY_WAITING = "This email address is already on this session's waiting list."
BOOKINGS_CLOSED = "Bookings for this session have closed. Please choose a later session."
NO_OFFER = "There is no offer of seats to claim: it has been claimed, has lapsed, or was never made."
CANNOT_MOVE = "This booking can no longer be moved online. Please contact the village."


# --- Helpers


def join_url(session_or_id) -> str:
    session_id = session_or_id if isinstance(session_or_id, int | str) else session_or_id.pk
    return f"/api/v1/sessions/{session_id}/waitlist/"


def entry_url(reference, action="") -> str:
    return f"{WAITLIST}{reference}/{action + '/' if action else ''}"


def reschedule_url(booking, token=None) -> str:
    return f"{BOOKINGS}{booking.reference}/reschedule/?token={booking.token if token is None else token}"


def act(client, joined: dict, action: str):
    """POST to an entry's claim or leave endpoint with its token, as an English-speaking client."""
    return client.post(f"{entry_url(joined['reference'], action)}?token={joined['token']}", HTTP_ACCEPT_LANGUAGE="en")


def post_json(client, url, data, language="en"):
    payload = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(url, payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)


def party(visitor, **changes) -> dict:
    """A waiting-list request for two adults, as a client would send it."""
    return {"adults": 2, "children": 0, **visitor, **changes}


def join(client, session, visitor, **changes) -> dict:
    response = post_json(client, join_url(session), party(visitor, **changes))
    assert response.status_code == 201, response.content
    return response.json()


def full(session):
    """Every seat of the session booked by somebody else; returns that booking."""
    return make_booking(session, adults=session.capacity)


def counts() -> tuple[int, int, int]:
    return WaitlistEntry.objects.count(), Booking.objects.count(), OutgoingEmail.objects.count()


def seats_taken(session) -> int:
    session.refresh_from_db()
    return session.seats_taken


def link(row) -> str:
    return settings.SITE_URL + row.get_absolute_url()


def offered(session, entry_reference) -> WaitlistEntry:
    """Seats of the session freed (its first booking cancelled) and offered by the worker's function."""
    first = Booking.objects.filter(session=session).order_by("pk").first()
    services.cancel_booking(first.pk, by=Booking.CancelledBy.VISITOR)
    services.offer_freed_seats(session.pk)
    entry = WaitlistEntry.objects.get(reference=entry_reference)
    assert entry.status == WaitlistEntry.Status.OFFERED
    return entry


@pytest.fixture
def full_session(bookable_session):
    """The fixture's session (10 seats) with all ten booked by another visitor."""
    full(bookable_session)
    return bookable_session


@pytest.fixture
def later_session(bookable_session):
    """Another session of the same experience, a day later, with a dearer adult price (¥100)."""
    return SessionFactory(
        experience=bookable_session.experience,
        starts_at=bookable_session.starts_at + timedelta(days=1),
        ends_at=bookable_session.ends_at + timedelta(days=1),
        adult_price_override=Decimal("100.00"),
    )


def closing_soon(village, **experience_fields):
    """A session in two hours of an experience whose bookings close three hours before the start."""
    starts = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    experience = ExperienceFactory(village=village, booking_cutoff_minutes=180, **experience_fields)
    return SessionFactory(experience=experience, starts_at=starts, ends_at=starts + timedelta(minutes=90))


# --- Joining a waiting list


def test_joining_a_full_sessions_list_answers_201_with_the_entry_its_place_and_its_private_link(
    client, full_session, visitor
):
    before = seats_taken(full_session)

    response = post_json(client, join_url(full_session), party(visitor, children=1), language="zh-hans")

    assert response.status_code == 201, response.content
    data = response.json()
    entry = WaitlistEntry.objects.get()
    assert set(data) == {"reference", "token", "status", "position", "session", "adults", "children", "status_url"}
    assert data["reference"] == entry.reference and re.fullmatch(r"WL-[A-Z0-9]{6}", entry.reference)
    assert data["token"] == entry.token
    assert (data["status"], data["position"], data["session"]) == ("waiting", 1, full_session.pk)
    assert (data["adults"], data["children"]) == (2, 1)
    assert data["status_url"] == link(entry)
    assert data["status_url"].startswith(f"{settings.SITE_URL}/zh-hans/bookings/waitlist/{entry.reference}/")
    assert data["status_url"].endswith(f"?token={entry.token}")
    assert (entry.email, entry.phone, entry.language) == (visitor["email"], "+8613800138000", "zh-hans")
    assert seats_taken(full_session) == before  # waiting holds no seat
    assert OutgoingEmail.objects.filter(waitlist_entry=entry, kind=OutgoingEmail.Kind.WAITLIST_JOINED).count() == 1


def test_each_party_that_joins_later_stands_further_down_the_list(client, full_session, visitor):
    first = join(client, full_session, visitor)
    second = join(client, full_session, {**visitor, **new_contact()})
    third = join(client, full_session, {**visitor, **new_contact()}, adults=1)
    assert [first["position"], second["position"], third["position"]] == [1, 2, 3]


def test_without_a_language_the_entry_speaks_the_language_of_the_request(client, full_session, visitor):
    del visitor["language"]
    english = post_json(client, join_url(full_session), party(visitor), language="en").json()
    assert WaitlistEntry.objects.get(reference=english["reference"]).language == "en"
    assert english["status_url"].startswith(f"{settings.SITE_URL}/en/bookings/waitlist/")


def test_joining_a_session_that_still_has_the_seats_is_409_book_them_instead(client, bookable_session, visitor):
    make_booking(bookable_session, adults=8)
    before = counts()

    response = post_json(client, join_url(bookable_session), party(visitor))

    assert response.status_code == 409
    assert response.json() == {"detail": ENOUGH_SEATS}
    assert counts() == before


def test_a_party_larger_than_the_seats_left_may_join(client, bookable_session, visitor):
    make_booking(bookable_session, adults=8)
    assert join(client, bookable_session, visitor, adults=3)["status"] == "waiting"


def test_the_same_email_twice_on_one_session_is_409_whatever_its_letter_case(client, full_session, visitor):
    join(client, full_session, visitor)
    before = counts()

    again = post_json(client, join_url(full_session), party(visitor, phone="13900139000"))
    shouted = post_json(client, join_url(full_session), party(visitor, email=visitor["email"].upper()))

    assert again.status_code == shouted.status_code == 409
    assert again.json() == shouted.json() == {"detail": ALREADY_WAITING}
    assert counts() == before


def test_after_leaving_the_list_the_same_email_may_join_again(client, full_session, visitor):
    first = join(client, full_session, visitor)
    act(client, first, "leave")
    second = join(client, full_session, visitor)
    assert second["reference"] != first["reference"] and second["position"] == 1


def test_the_same_email_may_wait_for_two_different_sessions(client, full_session, visitor):
    other = SessionFactory(experience=full_session.experience, capacity=2)
    full(other)
    join(client, full_session, visitor)
    assert join(client, other, visitor)["position"] == 1


def test_joining_past_the_booking_cut_off_is_409_and_writes_nothing(client, village, visitor):
    session = closing_soon(village, capacity=2)
    Session.objects.filter(pk=session.pk).update(seats_taken=2)
    before = counts()

    response = post_json(client, join_url(session), party(visitor))

    assert response.status_code == 409
    assert response.json() == {"detail": BOOKINGS_CLOSED}
    assert counts() == before


def test_a_person_who_already_holds_the_most_seats_of_the_session_cannot_also_wait(client, bookable_session, visitor):
    make_booking(bookable_session, adults=10, **visitor)
    before = counts()

    response = post_json(client, join_url(bookable_session), party(visitor, phone="13900139000"))

    assert response.status_code == 409
    assert response.json()["limit"] == "seats_per_session"
    assert set(response.json()) == {"detail", "limit"}
    assert counts() == before


@pytest.mark.parametrize(
    "session_id", [987654, 0, 2**31, 2**63 - 1, 2**63, 10**30], ids=["unknown", "0", "2^31", "max", "2^63", "10^30"]
)
def test_joining_a_session_that_does_not_exist_is_404_never_500(client, visitor, session_id):
    response = post_json(client, join_url(session_id), party(visitor))
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "There is no such session."}
    assert WaitlistEntry.objects.count() == 0


def test_an_unpublished_experiences_session_is_as_unknown_as_one_that_does_not_exist(client, visitor):
    hidden = SessionFactory(experience=ExperienceFactory(is_published=False), capacity=1)
    Session.objects.filter(pk=hidden.pk).update(seats_taken=1)
    unpublished = post_json(client, join_url(hidden), party(visitor))
    unknown = post_json(client, join_url(hidden.pk + 1000), party(visitor))
    assert unpublished.status_code == unknown.status_code == 404
    assert unpublished.json() == unknown.json()


def test_a_cancelled_sessions_list_cannot_be_joined(client, bookable_session, visitor):
    full(bookable_session)
    services.cancel_session(bookable_session.pk, reason="Typhoon")
    before = counts()

    response = post_json(client, join_url(bookable_session), party(visitor))

    assert response.status_code == 400
    assert response.json() == {"session": ["This session has been cancelled."]}
    assert counts() == before


JOIN_REFUSALS = {
    "nobody": ({"adults": 0, "children": 0}, "adults"),
    "a bad email": ({"email": "xiaoming@"}, "email"),
    "a bad phone": ({"phone": "12345"}, "phone"),
    "no name": ({"name": "  "}, "name"),
    "an unknown language": ({"language": "fr"}, "language"),
    "a party over the limit": ({"adults": 11}, "adults"),
}


@pytest.mark.parametrize(("changes", "field"), JOIN_REFUSALS.values(), ids=JOIN_REFUSALS.keys())
def test_a_join_the_rules_refuse_is_400_on_the_field_at_fault(client, full_session, visitor, changes, field):
    before = counts()
    response = post_json(client, join_url(full_session), party(visitor, **changes))
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert all(isinstance(message, str) and message for message in response.json()[field])
    assert counts() == before


JOIN_GARBAGE = {
    "not json": "this is not json",
    "empty body": "",
    "a list": "[1, 2]",
    "null": "null",
    "nested too deeply": "[" * 100_000 + "]" * 100_000,
    "invalid utf-8": b'{"name": "\xff\xfe"}',
    "adults as words": {"adults": "two"},
    "adults negative": {"adults": -1},
    "adults 10**40": {"adults": 10**40},
    "adults infinite": '{"adults": 1e400, "name": "x", "email": "a@example.com", "phone": "13800138000"}',
    "adults null": {"adults": None},
    "children a list": {"children": [1]},
    "name null": {"name": None},
    "name too long": {"name": "名" * 101},
    "name with a nul": {"name": "Wang\x00"},
    "name with an unpaired surrogate": {"name": "Wang\ud800"},
    "email an object": {"email": {"address": "x@example.com"}},
    "email too long": {"email": "x" * 300 + "@example.com"},
    "phone too long": {"phone": "1" * 500},
    "language a list": {"language": ["en"]},
}


@pytest.mark.parametrize("garbage", JOIN_GARBAGE.values(), ids=JOIN_GARBAGE.keys())
def test_garbage_sent_to_join_is_a_json_400_never_a_500(client, full_session, visitor, garbage):
    if isinstance(garbage, dict):
        garbage = json.dumps({**party(visitor), **garbage})
    before = counts()
    response = post_json(client, join_url(full_session), garbage)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()
    assert counts() == before


def test_a_form_encoded_join_is_415(client, full_session, visitor):
    response = client.post(join_url(full_session), party(visitor))
    assert response.status_code == 415
    assert WaitlistEntry.objects.count() == 0


def test_a_session_is_joined_with_post_only(client, full_session):
    assert client.get(join_url(full_session)).status_code == 405
    assert client.put(join_url(full_session), "{}", content_type="application/json").status_code == 405


def test_the_eleventh_join_in_an_hour_from_one_address_is_429_and_writes_nothing(client, full_session, visitor):
    answers = [post_json(client, join_url(full_session), party({**visitor, **new_contact()})) for _ in range(11)]

    assert [answer.status_code for answer in answers] == [201] * 10 + [429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert answers[-1].json()["detail"].startswith("Too many booking attempts have come from your network.")
    assert WaitlistEntry.objects.count() == 10


def test_joins_and_bookings_share_one_count(client, full_session, visitor, settings):
    settings.RATE_LIMIT_BOOKINGS = "2/h"
    other = SessionFactory(experience=full_session.experience)
    booked = post_json(client, BOOKINGS, {"session": other.pk, "adults": 1, **visitor, **new_contact()})
    joined = post_json(client, join_url(full_session), party({**visitor, **new_contact()}))
    refused = post_json(client, join_url(full_session), party({**visitor, **new_contact()}))
    assert [booked.status_code, joined.status_code, refused.status_code] == [201, 201, 429]
    assert WaitlistEntry.objects.count() == 1


# --- Following an entry


def test_the_holder_of_the_token_reads_the_entry(client, full_session, visitor):
    joined = join(client, full_session, visitor, children=1)

    response = client.get(entry_url(joined["reference"]), {"token": joined["token"]}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    data = response.json()
    entry = WaitlistEntry.objects.get()
    experience = full_session.experience
    assert data == {
        "reference": entry.reference,
        "status": "waiting",
        "position": 1,
        "session": {
            "id": full_session.pk,
            "starts_at": timezone.localtime(full_session.starts_at).isoformat(),
            "ends_at": timezone.localtime(full_session.ends_at).isoformat(),
        },
        "experience": {"slug": "cenbu-cycling", "title": experience.title_en},
        "village": {"slug": "cenbu", "name": experience.village.name_en},
        "adults": 2,
        "children": 1,
        "total_price": "224.00",
        "name": "王小明",
        "email": "xiaoming@example.com",
        "phone": "+8613800138000",
        "created_at": data["created_at"],
        "offer_expires_at": None,
        "booking": None,
        "status_url": link(entry),
    }
    assert re.fullmatch(ISO_SHANGHAI, data["created_at"])
    assert "no-store" in response["Cache-Control"]


def test_the_place_in_the_list_moves_up_when_a_party_ahead_leaves(client, full_session, visitor):
    first = join(client, full_session, visitor)
    second = join(client, full_session, {**visitor, **new_contact()})
    act(client, first, "leave")
    read = client.get(entry_url(second["reference"]), {"token": second["token"]}).json()
    assert read["position"] == 1


@pytest.mark.parametrize(
    "reference_and_token",
    [
        lambda made: (made["reference"], None),
        lambda made: (made["reference"], ""),
        lambda made: (made["reference"], made["token"][:-1] + ("A" if made["token"][-1] != "A" else "B")),
        lambda made: ("WL-XXXXXX", made["token"]),
        lambda made: ("R" * 500, made["token"]),
        lambda made: ("参考号", made["token"]),
    ],
    ids=["no token", "empty token", "wrong token", "unknown reference", "long reference", "unicode reference"],
)
def test_without_the_right_reference_and_token_every_entry_endpoint_is_the_same_404(
    client, full_session, visitor, reference_and_token
):
    reference, token = reference_and_token(join(client, full_session, visitor))
    query = "" if token is None else f"?token={token}"

    read = client.get(entry_url(reference) + query, HTTP_ACCEPT_LANGUAGE="en")
    leave = client.post(entry_url(reference, "leave") + query, HTTP_ACCEPT_LANGUAGE="en")
    claim = client.post(entry_url(reference, "claim") + query, HTTP_ACCEPT_LANGUAGE="en")

    assert read.status_code == leave.status_code == claim.status_code == 404
    assert read.json() == leave.json() == claim.json() == {"detail": "Not found."}
    assert WaitlistEntry.objects.get().status == WaitlistEntry.Status.WAITING


def test_a_bookings_token_does_not_open_an_entry(client, full_session, visitor):
    joined = join(client, full_session, visitor)
    booking = Booking.objects.get()
    assert client.get(entry_url(joined["reference"]), {"token": booking.token}).status_code == 404
    assert client.get(f"{BOOKINGS}{booking.reference}/", {"token": joined["token"]}).status_code == 404


# --- Leaving


def test_leaving_answers_200_left_and_leaving_again_answers_the_same(client, full_session, visitor):
    joined = join(client, full_session, visitor)
    first = act(client, joined, "leave")
    again = act(client, joined, "leave")

    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == again.json()["status"] == "left"
    assert first.json()["position"] is None
    entry = WaitlistEntry.objects.get()
    assert entry.status == WaitlistEntry.Status.LEFT and entry.closed_at is not None


def test_leaving_an_offer_gives_its_held_seats_back(client, full_session, visitor):
    joined = join(client, full_session, visitor)
    offered(full_session, joined["reference"])
    assert seats_taken(full_session) == 2

    response = act(client, joined, "leave")

    assert response.status_code == 200 and response.json()["status"] == "left"
    assert seats_taken(full_session) == 0


def test_a_booked_entry_cannot_be_left(client, full_session, visitor):
    joined = join(client, full_session, visitor)
    offered(full_session, joined["reference"])
    act(client, joined, "claim")

    response = act(client, joined, "leave")

    assert response.status_code == 409
    assert set(response.json()) == {"detail"}
    assert WaitlistEntry.objects.get().status == WaitlistEntry.Status.BOOKED
    assert Booking.objects.get(waitlist_entry__isnull=False).status == Booking.Status.PENDING


# --- Offers and claims


def test_an_offer_shows_on_the_entry_with_its_deadline(client, full_session, visitor):
    joined = join(client, full_session, visitor)
    entry = offered(full_session, joined["reference"])

    data = client.get(entry_url(joined["reference"]), {"token": joined["token"]}).json()

    assert (data["status"], data["position"], data["booking"]) == ("offered", None, None)
    assert data["offer_expires_at"] == timezone.localtime(entry.offer_expires_at).isoformat()
    assert re.fullmatch(ISO_SHANGHAI, data["offer_expires_at"])


def test_claiming_an_open_offer_books_the_seats_held_without_counting_them_twice(client, full_session, visitor):
    joined = join(client, full_session, visitor, children=1)
    offered(full_session, joined["reference"])
    held = seats_taken(full_session)

    response = act(client, joined, "claim")

    assert response.status_code == 200, response.content
    data = response.json()
    booking = Booking.objects.get(waitlist_entry__reference=joined["reference"])
    assert data["status"] == "booked" and data["position"] is None
    assert data["booking"] == {
        "reference": booking.reference,
        "token": booking.token,
        "status": "pending",
        "manage_url": link(booking),
    }
    assert (booking.session_id, booking.adults, booking.children) == (full_session.pk, 2, 1)
    assert (booking.name, booking.email, booking.language) == ("王小明", visitor["email"], "zh-hans")
    assert booking.total_price == Decimal("224.00")
    assert seats_taken(full_session) == held == 3
    read = client.get(f"{BOOKINGS}{booking.reference}/", {"token": booking.token})
    assert read.status_code == 200 and read.json()["session"]["id"] == full_session.pk


def test_claiming_twice_answers_the_same_booking(client, full_session, visitor):
    joined = join(client, full_session, visitor)
    offered(full_session, joined["reference"])
    first = act(client, joined, "claim")
    again = act(client, joined, "claim")

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert Booking.objects.filter(waitlist_entry__isnull=False).count() == 1
    assert seats_taken(full_session) == 2


def test_claiming_without_an_offer_is_409_and_books_nothing(client, full_session, visitor):
    joined = join(client, full_session, visitor)
    before = counts()

    response = act(client, joined, "claim")

    assert response.status_code == 409
    assert response.json() == {"detail": NO_OFFER}
    assert counts() == before
    assert WaitlistEntry.objects.get().status == WaitlistEntry.Status.WAITING


def test_claiming_an_offer_past_its_time_is_409_and_books_nothing(client, full_session, visitor):
    joined = join(client, full_session, visitor)
    offered(full_session, joined["reference"])
    WaitlistEntry.objects.update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    before = counts()

    response = act(client, joined, "claim")

    assert response.status_code == 409
    assert response.json() == {"detail": NO_OFFER}
    assert counts() == before


def test_claiming_after_leaving_is_409(client, full_session, visitor):
    joined = join(client, full_session, visitor)
    offered(full_session, joined["reference"])
    act(client, joined, "leave")

    response = act(client, joined, "claim")

    assert response.status_code == 409
    assert Booking.objects.filter(waitlist_entry__isnull=False).count() == 0
    assert seats_taken(full_session) == 0


def test_a_party_that_does_not_fit_keeps_its_place_while_a_smaller_one_behind_it_is_offered_the_seats(
    client, bookable_session, visitor
):
    make_booking(bookable_session, adults=8)
    two = make_booking(bookable_session, adults=2)
    big = join(client, bookable_session, visitor, adults=5)
    small = join(client, bookable_session, {**visitor, **new_contact()}, adults=2)
    services.cancel_booking(two.pk, by=Booking.CancelledBy.VISITOR)

    services.offer_freed_seats(bookable_session.pk)

    read_big = client.get(entry_url(big["reference"]), {"token": big["token"]}).json()
    read_small = client.get(entry_url(small["reference"]), {"token": small["token"]}).json()
    assert (read_big["status"], read_big["position"]) == ("waiting", 1)
    assert (read_small["status"], read_small["position"]) == ("offered", None)
    assert seats_taken(bookable_session) == 10


def test_a_lapsed_offer_passes_to_the_next_party_and_can_no_longer_be_claimed_or_left(
    client, bookable_session, visitor
):
    full_session = bookable_session
    make_booking(full_session, adults=2)  # the one cancelled: two seats free up
    make_booking(full_session, adults=8)
    first = join(client, full_session, visitor)
    second = join(client, full_session, {**visitor, **new_contact()})
    entry = offered(full_session, first["reference"])

    services.sweep_waitlists(now=entry.offer_expires_at + timedelta(seconds=1))

    read_first = client.get(entry_url(first["reference"]), {"token": first["token"]}).json()
    read_second = client.get(entry_url(second["reference"]), {"token": second["token"]}).json()
    assert read_first["status"] == "lapsed" and read_second["status"] == "offered"
    assert act(client, first, "claim").status_code == 409
    assert act(client, first, "leave").status_code == 409
    assert seats_taken(full_session) == 10  # eight booked, two held for the second party
    assert act(client, second, "claim").json()["status"] == "booked"


def test_seats_owed_to_the_list_are_not_for_sale_until_the_offer_is_made(client, full_session, visitor):
    join(client, full_session, visitor, adults=3)
    services.cancel_booking(Booking.objects.get().pk, by=Booking.CancelledBy.VISITOR)
    someone = {"name": "Li Lei", **new_contact()}

    too_many = post_json(client, BOOKINGS, {"session": full_session.pk, "adults": 8, **someone})
    the_rest = post_json(client, BOOKINGS, {"session": full_session.pk, "adults": 7, **someone})

    assert too_many.status_code == 409
    assert too_many.json() == {"detail": "Not enough seats are left in this session."}
    assert the_rest.status_code == 201
    assert [entry.status for entry in services.offer_freed_seats(full_session.pk)] == ["offered"]
    assert seats_taken(full_session) == 10


# --- Rescheduling


@pytest.fixture
def booking(bookable_session, visitor):
    booking, _created = services.create_booking(session_id=bookable_session.pk, adults=2, children=1, **visitor)
    return booking


def test_rescheduling_moves_the_party_to_the_new_session_at_its_prices_and_keeps_the_reference(
    client, booking, bookable_session, later_session
):
    response = post_json(client, reschedule_url(booking), {"session": later_session.pk})

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["reference"] == booking.reference
    assert data["session"]["id"] == later_session.pk
    assert data["session"]["starts_at"] == timezone.localtime(later_session.starts_at).isoformat()
    assert data["total_price"] == "248.00"  # 2 × ¥100 + 1 × ¥48
    assert data["manage_url"] == link(booking)
    moved = Booking.objects.get()
    assert (moved.session_id, moved.moved_from_id, moved.calendar_sequence) == (
        later_session.pk,
        bookable_session.pk,
        1,
    )
    assert moved.check_in_code == booking.check_in_code and moved.token == booking.token
    assert seats_taken(bookable_session) == 0
    assert seats_taken(later_session) == 3


def test_rescheduling_to_the_session_it_is_on_changes_nothing(client, booking, bookable_session):
    response = post_json(client, reschedule_url(booking), {"session": bookable_session.pk})
    assert response.status_code == 200
    assert response.json()["session"]["id"] == bookable_session.pk
    assert Booking.objects.get().calendar_sequence == 0
    assert seats_taken(bookable_session) == 3


def test_rescheduling_to_a_session_without_enough_seats_is_409_and_changes_nothing(
    client, booking, bookable_session, later_session
):
    make_booking(later_session, adults=8)
    before = counts()

    response = post_json(client, reschedule_url(booking), {"session": later_session.pk})

    assert response.status_code == 409
    assert response.json() == {"detail": "Not enough seats are left in this session."}
    assert counts() == before
    assert Booking.objects.get(pk=booking.pk).session_id == bookable_session.pk
    assert (seats_taken(bookable_session), seats_taken(later_session)) == (3, 8)


def test_rescheduling_to_a_sold_out_session_is_409(client, booking, later_session):
    full(later_session)
    response = post_json(client, reschedule_url(booking), {"session": later_session.pk})
    assert response.status_code == 409
    assert response.json() == {"detail": "Sorry, this session is sold out."}


def test_rescheduling_into_seats_owed_to_a_waiting_list_is_409(client, booking, later_session, visitor):
    make_booking(later_session, adults=9)
    services.join_waitlist(session_id=later_session.pk, adults=9, name="Wu", **new_contact())
    services.cancel_booking(Booking.objects.get(session=later_session).pk, by=Booking.CancelledBy.VISITOR)

    response = post_json(client, reschedule_url(booking), {"session": later_session.pk})

    assert response.status_code == 409
    assert Booking.objects.get(pk=booking.pk).session_id == booking.session_id


def test_the_seats_a_move_frees_go_to_the_old_sessions_waiting_list(client, bookable_session, later_session, visitor):
    mover = make_booking(bookable_session, adults=2)
    make_booking(bookable_session, adults=8)
    waiting = services.join_waitlist(session_id=bookable_session.pk, adults=2, name="Wu", **new_contact())

    assert post_json(client, reschedule_url(mover), {"session": later_session.pk}).status_code == 200
    services.offer_freed_seats(bookable_session.pk)

    waiting.refresh_from_db()
    assert waiting.status == WaitlistEntry.Status.OFFERED
    assert seats_taken(bookable_session) == 10


def test_rescheduling_after_the_cancellation_window_is_409_and_changes_nothing(client, village, visitor):
    experience = ExperienceFactory(village=village, cancellation_window_hours=24)
    starts = timezone.now().replace(microsecond=0) + timedelta(hours=5)
    soon = SessionFactory(experience=experience, starts_at=starts, ends_at=starts + timedelta(hours=1))
    later = SessionFactory(experience=experience)
    booking = make_booking(soon, adults=2)

    response = post_json(client, reschedule_url(booking), {"session": later.pk})

    assert response.status_code == 409
    assert response.json() == {"detail": CANNOT_MOVE}
    assert Booking.objects.get().session_id == soon.pk
    assert (seats_taken(soon), seats_taken(later)) == (2, 0)


def test_rescheduling_a_cancelled_booking_is_409(client, booking, later_session):
    services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR)
    response = post_json(client, reschedule_url(booking), {"session": later_session.pk})
    assert response.status_code == 409
    assert response.json() == {"detail": CANNOT_MOVE}
    assert seats_taken(later_session) == 0


def test_rescheduling_past_the_new_sessions_cut_off_is_409(client, village, visitor):
    soon = closing_soon(village, cancellation_window_hours=0)
    booking = make_booking(SessionFactory(experience=soon.experience), adults=2)

    response = post_json(client, reschedule_url(booking), {"session": soon.pk})

    assert response.status_code == 409
    assert response.json() == {"detail": BOOKINGS_CLOSED}
    assert seats_taken(soon) == 0


def test_rescheduling_to_another_experiences_session_is_400(client, booking, village):
    other = SessionFactory(experience=ExperienceFactory(village=village))
    response = post_json(client, reschedule_url(booking), {"session": other.pk})
    assert response.status_code == 400
    assert response.json() == {"session": ["Choose another session of the same experience."]}
    assert seats_taken(other) == 0


def test_rescheduling_to_a_cancelled_session_is_400(client, booking, later_session):
    services.cancel_session(later_session.pk, reason="Flood")
    response = post_json(client, reschedule_url(booking), {"session": later_session.pk})
    assert response.status_code == 400
    assert response.json() == {"session": ["This session has been cancelled."]}


def test_rescheduling_to_a_session_of_a_village_taken_off_the_site_is_400_like_no_session(client, visitor):
    experience = ExperienceFactory(village=VillageFactory())
    booking = make_booking(SessionFactory(experience=experience), adults=1)
    target = SessionFactory(experience=experience)
    Village.objects.filter(pk=experience.village_id).update(is_published=False)

    response = post_json(client, reschedule_url(booking), {"session": target.pk})

    assert response.status_code == 400
    assert response.json() == {"session": ["There is no such session."]}
    assert seats_taken(target) == 0


def test_a_booking_whose_session_the_village_called_off_can_be_rescheduled_even_at_the_last_minute(client, village):
    experience = ExperienceFactory(village=village, cancellation_window_hours=48)
    booking = make_booking(SessionFactory(experience=experience), adults=2)  # in two days: too late to cancel
    later = SessionFactory(experience=experience)
    services.cancel_session(booking.session_id, reason="Typhoon")

    response = post_json(client, reschedule_url(booking), {"session": later.pk})

    assert response.status_code == 200, response.content
    assert (response.json()["session"]["id"], response.json()["status"]) == (later.pk, "pending")
    booking.refresh_from_db()
    assert (booking.cancelled_at, booking.cancelled_by, booking.status) == (None, "", Booking.Status.PENDING)
    assert seats_taken(later) == 2


RESCHEDULE_GARBAGE = {
    "no session": {},
    "session abc": {"session": "abc"},
    "session null": {"session": None},
    "session 0": {"session": 0},
    "session -1": {"session": -1},
    "session a fraction": {"session": 1.5},
    "session true": {"session": True},
    "session a list": {"session": [1]},
    "session an object": {"session": {"id": 1}},
    "session beyond 64 bits": {"session": 2**63},
    "session 10**40": {"session": 10**40},
    "session too long to read": '{"session": ' + "9" * 5000 + "}",
    "not json": "move me",
    "nested too deeply": "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.parametrize("garbage", RESCHEDULE_GARBAGE.values(), ids=RESCHEDULE_GARBAGE.keys())
def test_garbage_sent_to_reschedule_is_a_json_400_and_moves_nothing(client, booking, bookable_session, garbage):
    response = post_json(client, reschedule_url(booking), garbage)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()
    assert Booking.objects.get().session_id == bookable_session.pk
    assert seats_taken(bookable_session) == 3


@pytest.mark.parametrize("session_id", [987654, 2**63 - 1], ids=["unknown", "largest id"])
def test_rescheduling_to_a_session_that_does_not_exist_is_400_on_the_session(client, booking, session_id):
    response = post_json(client, reschedule_url(booking), {"session": session_id})
    assert response.status_code == 400, response.content
    assert response.json() == {"session": ["There is no such session."]}


@pytest.mark.parametrize("token", [None, "", "wrong"], ids=["no token", "empty", "wrong"])
def test_rescheduling_without_the_right_token_is_404_and_moves_nothing(client, booking, later_session, token):
    url = f"{BOOKINGS}{booking.reference}/reschedule/" + ("" if token is None else f"?token={token}")
    response = post_json(client, url, {"session": later_session.pk})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert seats_taken(later_session) == 0


def test_a_form_encoded_reschedule_is_415(client, booking, later_session):
    response = client.post(reschedule_url(booking), {"session": later_session.pk})
    assert response.status_code == 415
    assert seats_taken(later_session) == 0


def test_refusals_speak_the_language_the_client_asks_for(client, booking, later_session):
    full(later_session)
    english = post_json(client, reschedule_url(booking), {"session": later_session.pk}, language="en")
    chinese = post_json(client, reschedule_url(booking), {"session": later_session.pk}, language="zh-hans")
    assert english.status_code == chinese.status_code == 409
    assert english.json()["detail"] != chinese.json()["detail"]
    with translation.override("zh-hans"):
        assert chinese.json()["detail"] == translation.gettext("Sorry, this session is sold out.")


# --- The experience's before-you-go terms


def test_an_experience_tells_a_client_what_to_know_before_going_in_the_requests_language(client, village):
    ExperienceFactory(
        village=village,
        slug="cenbu-kayak",
        meeting_point_zh_hans="码头",
        meeting_point_en="The pier",
        meeting_point_latitude=Decimal("31.123456"),
        meeting_point_longitude=Decimal("121.654321"),
        what_to_bring_zh_hans="防晒霜",
        what_to_bring_en="Sun cream",
        accessibility_zh_hans="不适合轮椅",
        accessibility_en="Not suitable for wheelchairs",
        weather_policy_zh_hans="大雨取消",
        weather_policy_en="Cancelled in heavy rain",
        booking_cutoff_minutes=120,
    )

    english = client.get("/api/v1/experiences/cenbu-kayak/", HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = client.get("/api/v1/experiences/cenbu-kayak/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()

    assert {key: english[key] for key in ("meeting_point", "what_to_bring", "accessibility", "weather_policy")} == {
        "meeting_point": "The pier",
        "what_to_bring": "Sun cream",
        "accessibility": "Not suitable for wheelchairs",
        "weather_policy": "Cancelled in heavy rain",
    }
    assert (chinese["what_to_bring"], chinese["weather_policy"]) == ("防晒霜", "大雨取消")
    assert english["meeting_point_latitude"] == chinese["meeting_point_latitude"] == "31.123456"
    assert english["meeting_point_longitude"] == "121.654321"
    assert english["booking_cutoff_minutes"] == 120


def test_an_experience_without_coordinates_has_null_ones_and_no_cut_off(client, bookable_session):
    data = client.get("/api/v1/experiences/cenbu-cycling/").json()
    assert data["meeting_point_latitude"] is None and data["meeting_point_longitude"] is None
    assert data["booking_cutoff_minutes"] == 0
    assert data["what_to_bring"] == data["accessibility"] == data["weather_policy"] == ""


# --- The schema


def test_the_schema_documents_waiting_lists_and_rescheduling_without_warnings(tmp_path):
    from django.core.management import call_command

    schema_file = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))
    schema = schema_file.read_text()
    for path in (
        "/api/v1/sessions/{session_id}/waitlist/:",
        "/api/v1/waitlist/{reference}/:",
        "/api/v1/waitlist/{reference}/claim/:",
        "/api/v1/waitlist/{reference}/leave/:",
        "/api/v1/bookings/{reference}/reschedule/:",
    ):
        assert f"\n  {path}\n" in schema, path
    for component in ("WaitlistStatusEnum", "WaitlistJoined", "WaitlistEntry", "Reschedule", "booking_cutoff_minutes"):
        assert component in schema, component
    assert "/api/v1/waitlist/:" not in schema  # no list of everybody's entries
