"""The visitor's pages for waiting lists and moves: joining a full session's list from the experience page, the
entry's page (claim, leave), moving a booking from its page, the booking cut-off and the before-you-go terms."""

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from bookings import services
from bookings.models import Booking, WaitlistEntry
from outbox.models import OutgoingEmail
from tests.factories import ExperienceFactory, SessionFactory, make_booking, new_contact
from tests.html import PageStructure
from villages.models import Session

pytestmark = pytest.mark.django_db

ENOUGH_SEATS = "There are enough seats left in this session: book them instead."
BOOKINGS_CLOSED = "Bookings for this session have closed. Please choose a later session."
NO_OFFER = "There is no offer of seats to claim: it has been claimed, has lapsed, or was never made."
CANNOT_MOVE = "This booking can no longer be moved online. Please contact the village."


# --- Helpers


def page_of(session, lang="en") -> str:
    return f"/{lang}/experiences/{session.experience.slug}/"


def form_data(session, visitor, /, **changes) -> dict:
    data = {
        "session": session.pk,
        "adults": 2,
        "children": 0,
        "name": visitor["name"],
        "email": visitor["email"],
        "phone": visitor["phone"],
        "notes": "",
        "language": "en",
        "submission_key": "0123456789abcdef0123456789abcdef",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def post_form(client, session, data, lang="en"):
    return client.post(f"/{lang}/bookings/new/{session.experience.slug}/", data)


def join_by_form(client, session, visitor, /, lang="en", **changes):
    data = form_data(session, visitor, action="waitlist", language=lang, **changes)
    return post_form(client, session, data, lang)


def waitlist_path(entry, lang="en", action="") -> str:
    return f"/{lang}/bookings/waitlist/{entry.reference}/{action + '/' if action else ''}"


def manage_path(booking, lang="en", action="") -> str:
    return f"/{lang}/bookings/{booking.reference}/{action + '/' if action else ''}"


def text_of(response) -> str:
    """The page's text with tags dropped and whitespace folded, for reading sentences across elements."""
    without_tags = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(without_tags).split())


def alert_of(response) -> str:
    found = re.search(r'<div class="form-errors" role="alert"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    assert found, "no alert on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def seats_taken(session) -> int:
    session.refresh_from_db()
    return session.seats_taken


def counts() -> tuple[int, int, int]:
    return WaitlistEntry.objects.count(), Booking.objects.count(), OutgoingEmail.objects.count()


def join(session, adults=2, language="en", **contact) -> WaitlistEntry:
    return services.join_waitlist(
        session_id=session.pk, adults=adults, name="Waiting Wu", **{**new_contact(language), **contact}
    )


def offer(session, entry) -> WaitlistEntry:
    """The session's first booking cancelled and its seats offered, as the worker would."""
    first = Booking.objects.filter(session=session, status=Booking.Status.PENDING).order_by("pk").first()
    services.cancel_booking(first.pk, by=Booking.CancelledBy.VISITOR)
    services.offer_freed_seats(session.pk)
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED
    return entry


def closing_soon(village, **experience_fields):
    """A session in two hours of an experience whose bookings close three hours before the start."""
    starts = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    experience = ExperienceFactory(village=village, booking_cutoff_minutes=180, **experience_fields)
    return SessionFactory(experience=experience, starts_at=starts, ends_at=starts + timedelta(minutes=90))


@pytest.fixture
def full_session(bookable_session):
    make_booking(bookable_session, adults=10)
    return bookable_session


@pytest.fixture
def later_session(bookable_session):
    """Another session of the same experience, a day later, ¥100 per adult."""
    return SessionFactory(
        experience=bookable_session.experience,
        starts_at=bookable_session.starts_at + timedelta(days=1),
        ends_at=bookable_session.ends_at + timedelta(days=1),
        adult_price_override=Decimal("100.00"),
    )


@pytest.fixture
def booking(bookable_session, visitor):
    return make_booking(bookable_session, adults=2, children=1, **{**visitor, "language": "en"})


# --- Joining from the experience page


def test_the_form_offers_the_waiting_list_only_when_a_session_is_full(
    client, bookable_session, django_capture_on_commit_callbacks
):
    assert 'name="action" value="waitlist"' not in client.get(page_of(bookable_session)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # committed, as a visitor's booking is
        make_booking(bookable_session, adults=10)
    body = client.get(page_of(bookable_session)).content.decode()
    assert '<button type="submit" class="button button-secondary" name="action" value="waitlist"' in body
    assert "Waiting list open" in body


def test_joining_a_full_session_from_the_form_lands_on_the_entrys_page(client, full_session, visitor):
    before = seats_taken(full_session)

    response = join_by_form(client, full_session, visitor)

    entry = WaitlistEntry.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/en/bookings/waitlist/{entry.reference}/?token={entry.token}"
    assert "no-store" in response["Cache-Control"]
    assert (entry.session_id, entry.adults, entry.children, entry.language) == (full_session.pk, 2, 0, "en")
    assert entry.phone == "+8613800138000"
    assert seats_taken(full_session) == before
    assert Booking.objects.count() == 1  # only the one that filled the session
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert entry.reference in page.content.decode()
    assert "You are number 1 on the list." in text_of(page)


def test_joining_from_the_chinese_page_makes_a_chinese_entry_and_a_chinese_page(client, full_session, visitor):
    response = join_by_form(client, full_session, visitor, lang="zh-hans")

    entry = WaitlistEntry.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/zh-hans/bookings/waitlist/{entry.reference}/?token={entry.token}"
    assert entry.language == "zh-hans"
    page = client.get(response["Location"])
    assert 'lang="zh-hans"' in page.content.decode().lower()
    text = text_of(page)
    with translation.override("zh-hans"):
        heading = translation.gettext("Your place on the waiting list")
        place = translation.gettext("You are number %(position)s on the list.") % {"position": 1}
    assert heading in text and place in text
    for english in ("Your place on the waiting list", "You are number 1 on the list.", "Leave the list"):
        assert english not in text, f"English on the Chinese page: {english!r}"


def test_a_party_that_still_fits_is_told_to_book_instead_with_a_409(client, bookable_session, visitor):
    make_booking(bookable_session, adults=8)
    before = counts()

    response = join_by_form(client, bookable_session, visitor)

    assert response.status_code == 409
    assert ENOUGH_SEATS in alert_of(response)
    assert f'value="{visitor["email"]}"' in response.content.decode()  # what was typed is kept
    assert counts() == before


def test_booking_a_full_session_is_409_and_suggests_its_waiting_list(client, full_session, visitor):
    before = counts()

    response = post_form(client, full_session, form_data(full_session, visitor, action="book"))

    body = response.content.decode()
    assert response.status_code == 409
    error = re.search(r'<div class="error" id="id_session_error">(.*?)</div>', body, re.S).group(1)
    assert "Sorry, this session is sold out." in error
    assert "You can join its waiting list instead" in error
    assert 'name="action" value="waitlist"' in body
    assert re.search(rf'value="{full_session.pk}" id="id_session_{full_session.pk}" checked', body)
    assert counts() == before


def test_a_party_too_big_for_the_seats_left_is_offered_the_waiting_list_and_can_join(client, bookable_session, visitor):
    make_booking(bookable_session, adults=9)

    refused = post_form(client, bookable_session, form_data(bookable_session, visitor, adults=2))

    assert refused.status_code == 409
    assert "Not enough seats are left in this session." in refused.content.decode()
    assert 'name="action" value="waitlist"' in refused.content.decode()
    assert join_by_form(client, bookable_session, visitor, adults=2).status_code == 303
    assert WaitlistEntry.objects.get().seats == 2


def test_joining_twice_with_one_email_is_refused_with_a_message(client, full_session, visitor):
    join_by_form(client, full_session, visitor)
    before = counts()

    response = join_by_form(client, full_session, visitor, submission_key="f" * 32)

    assert response.status_code == 409
    assert "This email address is already on this session's waiting list." in alert_of(response)
    assert counts() == before


def test_a_join_with_mistakes_shows_them_with_a_400_and_writes_nothing(client, full_session, visitor):
    before = counts()
    response = join_by_form(client, full_session, visitor, phone="12345", email="xiaoming@")
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_phone_error"' in body and 'id="id_email_error"' in body
    assert counts() == before


@pytest.mark.parametrize("session", ["", "first", "10" * 20, "-3"], ids=["none", "words", "huge", "negative"])
def test_a_join_for_no_real_session_is_400_never_500(client, full_session, visitor, session):
    response = join_by_form(client, full_session, visitor, session=session)
    assert response.status_code == 400
    assert 'id="id_session_error"' in response.content.decode()
    assert WaitlistEntry.objects.count() == 0


def test_joins_from_the_form_count_against_the_booking_limit(client, full_session, visitor, settings):
    settings.RATE_LIMIT_BOOKINGS = "1/h"
    assert join_by_form(client, full_session, visitor).status_code == 303

    response = join_by_form(client, full_session, {**visitor, **new_contact()}, name="Li Lei")

    assert response.status_code == 429
    assert 'value="Li Lei"' in response.content.decode()
    assert WaitlistEntry.objects.count() == 1


# --- The booking cut-off


def test_booking_past_the_cut_off_is_refused_on_the_form_with_a_409(client, village, visitor):
    session = closing_soon(village)
    before = counts()

    response = post_form(client, session, form_data(session, visitor))

    assert response.status_code == 409
    assert BOOKINGS_CLOSED in alert_of(response)
    assert counts() == before
    assert seats_taken(session) == 0


def test_joining_a_full_sessions_list_past_the_cut_off_is_refused_too(client, village, visitor):
    session = closing_soon(village, capacity=2)
    Session.objects.filter(pk=session.pk).update(seats_taken=2)
    before = counts()

    response = join_by_form(client, session, visitor)

    assert response.status_code == 409
    assert BOOKINGS_CLOSED in alert_of(response)
    assert counts() == before


def test_a_session_still_open_to_bookings_is_booked_whatever_the_cut_off(client, village, visitor):
    experience = ExperienceFactory(village=village, booking_cutoff_minutes=180)
    session = SessionFactory(experience=experience)  # in two days
    assert post_form(client, session, form_data(session, visitor)).status_code == 303
    assert Booking.objects.get().session_id == session.pk


def test_the_experience_page_says_when_bookings_close(client, village):
    session = SessionFactory(experience=ExperienceFactory(village=village, booking_cutoff_minutes=180))
    text = text_of(client.get(page_of(session)))
    assert "Booking closes 3 hours before the start" in text
    ninety = SessionFactory(experience=ExperienceFactory(village=village, booking_cutoff_minutes=90))
    assert "Booking closes 90 minutes before the start" in text_of(client.get(page_of(ninety)))


def test_an_experience_without_a_cut_off_says_nothing_about_one(client, bookable_session):
    assert "Booking closes" not in text_of(client.get(page_of(bookable_session)))


# --- Before you go, on the experience page


@pytest.fixture
def well_described(village):
    experience = ExperienceFactory(
        village=village,
        slug="cenbu-kayak",
        meeting_point_zh_hans="码头",
        meeting_point_en="The pier",
        meeting_point_latitude=Decimal("31.123456"),
        meeting_point_longitude=Decimal("121.654321"),
        what_to_bring_zh_hans="防晒霜和水",
        what_to_bring_en="Sun cream\nWater",
        accessibility_zh_hans="不适合轮椅",
        accessibility_en="Not suitable for wheelchairs",
        weather_policy_zh_hans="大雨取消，全额退款",
        weather_policy_en="Cancelled in heavy rain, with a full refund",
    )
    return SessionFactory(experience=experience)


def test_the_experience_page_says_what_to_bring_accessibility_and_the_weather_policy(client, well_described):
    response = client.get(page_of(well_described))
    body = response.content.decode()
    text = text_of(response)
    assert 'id="before-you-go-heading"' in body
    assert "What to bring Sun cream Water" in text
    assert "Sun cream<br>Water" in body
    assert "Accessibility Not suitable for wheelchairs" in text
    assert "If the weather is bad Cancelled in heavy rain, with a full refund" in text


def test_the_chinese_experience_page_shows_the_chinese_terms(client, well_described):
    text = text_of(client.get(page_of(well_described, "zh-hans")))
    for chinese in ("防晒霜和水", "不适合轮椅", "大雨取消，全额退款", "码头"):
        assert chinese in text
    assert "Sun cream" not in text


def test_the_meeting_point_is_on_a_map_when_the_experience_has_its_coordinates(client, well_described):
    body = client.get(page_of(well_described)).content.decode()
    assert 'data-map="meeting-point-map-data"' in body
    data = re.search(r'<script id="meeting-point-map-data" type="application/json">(.*?)</script>', body, re.S)
    assert data and "31.123456" in data.group(1) and "121.654321" in data.group(1)
    assert "https://www.openstreetmap.org/?mlat=31.123456&amp;mlon=121.654321" in body
    assert "The pier" in body


def test_without_coordinates_there_is_no_map_and_without_terms_no_before_you_go(client, bookable_session):
    body = client.get(page_of(bookable_session)).content.decode()
    assert "data-map=" not in body and "meeting-point-map-data" not in body
    assert "before-you-go" not in body


# --- The entry's page


def test_a_waiting_entrys_page_shows_its_place_and_a_way_to_leave(client, full_session):
    join(full_session)
    entry = join(full_session, adults=1)

    response = client.get(waitlist_path(entry), {"token": entry.token})

    body = response.content.decode()
    text = text_of(response)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and '<meta name="robots" content="noindex, nofollow">' in body
    assert "Status: Waiting" in text and "You are number 2 on the list." in text
    assert "1 adult" in text and "¥88.00" in text
    assert f'action="/en/bookings/waitlist/{entry.reference}/leave/"' in body
    assert f'<input type="hidden" name="token" value="{entry.token}">' in body
    assert "/claim/" not in body


def test_an_offered_entrys_page_shows_the_deadline_and_the_claim_button(client, full_session):
    entry = offer(full_session, join(full_session, adults=2))

    response = client.get(waitlist_path(entry), {"token": entry.token})

    body = response.content.decode()
    text = text_of(response)
    deadline = timezone.localtime(entry.offer_expires_at)
    assert "Seats have freed up and are held for you." in text
    assert "Claim them by" in text and f"{deadline:%H:%M} (Shanghai time)" in text
    assert f'datetime="{deadline.isoformat()}"' in body
    assert f'action="/en/bookings/waitlist/{entry.reference}/claim/"' in body
    assert "Claim the seats and book (¥176.00)" in text
    assert f'action="/en/bookings/waitlist/{entry.reference}/leave/"' in body
    assert "You are number" not in text


def test_an_offer_past_its_time_shows_no_claim_button(client, full_session):
    entry = offer(full_session, join(full_session))
    WaitlistEntry.objects.filter(pk=entry.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))

    response = client.get(waitlist_path(entry), {"token": entry.token})

    body = response.content.decode()
    assert "The time to claim the seats has run out" in text_of(response)
    assert "/claim/" not in body and "/leave/" not in body


def test_a_lapsed_entrys_page_says_it_is_closed(client, full_session):
    entry = offer(full_session, join(full_session))
    services.sweep_waitlists(now=entry.offer_expires_at + timedelta(seconds=1))
    response = client.get(waitlist_path(entry), {"token": entry.token})
    text = text_of(response)
    assert "Status: Offer lapsed" in text
    assert "This entry is closed: the seats offered were not claimed in time" in text
    assert "/claim/" not in response.content.decode()


def test_an_entry_of_a_session_called_off_says_the_list_is_closed(client, full_session):
    entry = join(full_session)
    services.cancel_session(full_session.pk, reason="Typhoon warning")
    text = text_of(client.get(waitlist_path(entry), {"token": entry.token}))
    assert "The village called this session off, so its waiting list is closed." in text


@pytest.mark.parametrize("token", [None, "", "wrong", "é"], ids=["no token", "empty", "wrong", "non-ascii"])
def test_the_entrys_page_is_not_found_without_the_right_token_and_reveals_nothing(client, full_session, token):
    entry = join(full_session, email="secret-wu@example.com")
    response = client.get(waitlist_path(entry), {} if token is None else {"token": token})
    body = response.content.decode()
    assert response.status_code == 404
    assert "Waiting Wu" not in body and "secret-wu@example.com" not in body


def test_a_bookings_token_does_not_open_an_entry_and_an_entrys_does_not_open_a_booking(client, full_session):
    entry = join(full_session)
    booking = Booking.objects.get()
    assert client.get(waitlist_path(entry), {"token": booking.token}).status_code == 404
    assert client.get(manage_path(booking), {"token": entry.token}).status_code == 404


# --- Claiming and leaving on the page


def test_claiming_the_seats_books_them_and_lands_on_the_new_bookings_page(client, full_session):
    entry = offer(full_session, join(full_session, adults=2))
    held = seats_taken(full_session)

    response = client.post(waitlist_path(entry, action="claim"), {"token": entry.token})

    entry.refresh_from_db()
    booking = entry.booking
    assert response.status_code == 303
    assert response["Location"] == f"/en/bookings/{booking.reference}/?token={booking.token}"
    assert entry.status == WaitlistEntry.Status.BOOKED
    assert (booking.session_id, booking.adults, booking.status) == (full_session.pk, 2, Booking.Status.PENDING)
    assert seats_taken(full_session) == held == 2
    page = client.get(response["Location"])
    assert page.status_code == 200 and booking.reference in page.content.decode()
    entry_page = text_of(client.get(waitlist_path(entry), {"token": entry.token}))
    assert "You claimed the seats: they are booked." in entry_page


def test_the_claim_button_sent_twice_makes_one_booking(client, full_session):
    entry = offer(full_session, join(full_session))
    first = client.post(waitlist_path(entry, action="claim"), {"token": entry.token})
    second = client.post(waitlist_path(entry, action="claim"), {"token": entry.token})
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Booking.objects.filter(waitlist_entry__isnull=False).count() == 1


def test_claiming_without_an_offer_shows_the_page_again_with_a_409(client, full_session):
    entry = join(full_session)
    before = counts()

    response = client.post(waitlist_path(entry, action="claim"), {"token": entry.token})

    assert response.status_code == 409
    assert NO_OFFER in alert_of(response)
    assert "You are number 1 on the list." in text_of(response)
    assert counts() == before


@pytest.mark.parametrize("data", [{}, {"token": "wrong"}], ids=["no token", "wrong token"])
def test_claiming_and_leaving_need_the_token_in_the_form(client, full_session, data):
    entry = offer(full_session, join(full_session))
    for action in ("claim", "leave"):
        assert client.post(waitlist_path(entry, action=action), data).status_code == 404
    assert client.post(f"{waitlist_path(entry, action='claim')}?token={entry.token}").status_code == 404
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED


def test_the_claim_and_leave_addresses_take_posts_only(client, full_session):
    entry = join(full_session)
    for action in ("claim", "leave"):
        assert client.get(waitlist_path(entry, action=action), {"token": entry.token}).status_code == 405


def test_leaving_the_list_lands_back_on_the_entrys_page_which_says_so(client, full_session):
    entry = join(full_session)

    response = client.post(waitlist_path(entry, action="leave"), {"token": entry.token})

    assert response.status_code == 303
    assert response["Location"] == f"/en/bookings/waitlist/{entry.reference}/?token={entry.token}"
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.LEFT
    text = text_of(client.get(response["Location"]))
    assert "You left the waiting list." in text
    assert "Leave the list" not in text


def test_leaving_an_offer_gives_its_seats_back(client, full_session):
    entry = offer(full_session, join(full_session, adults=2))
    assert seats_taken(full_session) == 2
    assert client.post(waitlist_path(entry, action="leave"), {"token": entry.token}).status_code == 303
    assert seats_taken(full_session) == 0


def test_leaving_a_booked_entry_is_refused_with_a_409(client, full_session):
    entry = offer(full_session, join(full_session))
    client.post(waitlist_path(entry, action="claim"), {"token": entry.token})

    response = client.post(waitlist_path(entry, action="leave"), {"token": entry.token})

    assert response.status_code == 409
    assert alert_of(response)
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.BOOKED


# --- Moving a booking from its page


def test_the_booking_page_lists_the_other_sessions_with_room_for_the_party(client, booking, later_session):
    too_small = SessionFactory(experience=booking.session.experience, capacity=2)
    full = SessionFactory(experience=booking.session.experience, capacity=3)
    make_booking(full, adults=3)
    other_experience = SessionFactory()

    response = client.get(manage_path(booking), {"token": booking.token})

    body = response.content.decode()
    section = re.search(r'<section class="booking-move" id="move".*?</section>', body, re.S).group(0)
    assert f'action="/en/bookings/{booking.reference}/move/"' in section
    assert f'<input type="hidden" name="token" value="{booking.token}">' in section
    offered = re.findall(r'<input type="radio" name="session" value="(\d+)"', section)
    assert offered == [str(later_session.pk)]
    for absent in (booking.session_id, too_small.pk, full.pk, other_experience.pk):
        assert f'value="{absent}"' not in section
    assert "¥248.00" in section  # the party at the new session's prices
    assert "10 seats left" in section


def test_moving_from_the_page_lands_on_the_booking_now_on_the_new_date(client, booking, later_session):
    old = booking.session

    response = client.post(manage_path(booking, action="move"), {"token": booking.token, "session": later_session.pk})

    assert response.status_code == 303
    assert response["Location"] == f"/en/bookings/{booking.reference}/?token={booking.token}"
    booking.refresh_from_db()
    assert (booking.session_id, booking.moved_from_id, booking.total_price) == (
        later_session.pk,
        old.pk,
        Decimal("248.00"),
    )
    assert (seats_taken(old), seats_taken(later_session)) == (0, 3)
    page = client.get(response["Location"])
    body = page.content.decode()
    local = timezone.localtime(later_session.starts_at)
    assert f'<time datetime="{local.isoformat()}"' in body
    assert "Moved from" in text_of(page)
    assert "¥248.00" in body


def test_a_link_with_a_session_chosen_asks_to_confirm_the_move(client, booking, later_session):
    response = client.get(manage_path(booking), {"token": booking.token, "move": later_session.pk})

    body = response.content.decode()
    box = re.search(r'<section class="notice notice-action".*?</section>', body, re.S).group(0)
    assert 'id="confirm-move-heading"' in box and "Move to this date?" in box
    assert f'<input type="hidden" name="session" value="{later_session.pk}">' in box
    assert f'<input type="hidden" name="token" value="{booking.token}">' in box
    assert f'action="/en/bookings/{booking.reference}/move/"' in box
    assert "¥248.00" in box
    assert re.search(rf'value="{later_session.pk}" id="move-{later_session.pk}" required checked', body)
    assert Booking.objects.get().session_id == booking.session_id  # a GET moves nothing


def test_a_link_naming_a_session_that_filled_up_says_so_instead_of_asking(client, booking, later_session):
    make_booking(later_session, adults=9)
    response = client.get(manage_path(booking), {"token": booking.token, "move": later_session.pk})
    assert "confirm-move-heading" not in response.content.decode()
    assert "The session in your link no longer has room for your party." in text_of(response)


@pytest.mark.parametrize(
    "move", ["abc", "", "9" * 30, "-1", "\u00b2"], ids=["words", "empty", "huge", "negative", "superscript two"]
)
def test_a_link_naming_no_real_session_shows_the_page_without_a_question(client, booking, move):
    response = client.get(manage_path(booking), {"token": booking.token, "move": move})
    assert response.status_code == 200
    assert "confirm-move-heading" not in response.content.decode()


def test_moving_to_a_session_that_filled_up_is_refused_with_a_409_and_changes_nothing(client, booking, later_session):
    make_booking(later_session, adults=10)
    before = counts()

    response = client.post(manage_path(booking, action="move"), {"token": booking.token, "session": later_session.pk})

    assert response.status_code == 409
    assert "Sorry, this session is sold out." in alert_of(response)
    assert "confirm-move-heading" not in response.content.decode()
    assert counts() == before
    assert Booking.objects.get(pk=booking.pk).session_id == booking.session_id
    assert (seats_taken(booking.session), seats_taken(later_session)) == (3, 10)


def test_moving_to_another_experiences_session_is_refused_with_a_400(client, booking, village):
    other = SessionFactory(experience=ExperienceFactory(village=village))
    response = client.post(manage_path(booking, action="move"), {"token": booking.token, "session": other.pk})
    assert response.status_code == 400
    assert "Choose another session of the same experience." in alert_of(response)
    assert seats_taken(other) == 0


@pytest.mark.parametrize(
    "session",
    [None, "", "abc", "-1", "1.5", "9" * 30, "987654", "\u00b2"],
    ids=["none", "empty", "words", "-1", "1.5", "huge", "unknown", "superscript two"],
)
def test_moving_to_no_real_session_is_a_400_with_a_message_never_a_500(client, booking, session):
    data = {"token": booking.token} if session is None else {"token": booking.token, "session": session}
    response = client.post(manage_path(booking, action="move"), data)
    assert response.status_code == 400
    assert "There is no such session." in alert_of(response)
    assert Booking.objects.get().calendar_sequence == 0


def test_after_the_cancellation_window_the_page_offers_no_move_and_a_move_is_refused(client, village, visitor):
    experience = ExperienceFactory(village=village, cancellation_window_hours=24)
    starts = timezone.now().replace(microsecond=0) + timedelta(hours=5)
    soon = SessionFactory(experience=experience, starts_at=starts, ends_at=starts + timedelta(hours=1))
    later = SessionFactory(experience=experience)
    booking = make_booking(soon, adults=2)

    page = client.get(manage_path(booking), {"token": booking.token}).content.decode()
    response = client.post(manage_path(booking, action="move"), {"token": booking.token, "session": later.pk})

    assert 'id="move"' not in page
    assert response.status_code == 409
    assert CANNOT_MOVE in alert_of(response)
    assert (seats_taken(soon), seats_taken(later)) == (2, 0)


def test_moving_needs_the_token(client, booking, later_session):
    for data in ({"session": later_session.pk}, {"session": later_session.pk, "token": "wrong"}):
        assert client.post(manage_path(booking, action="move"), data).status_code == 404
    assert seats_taken(later_session) == 0


def test_a_booking_the_village_cancelled_with_its_session_can_be_rebooked_or_kept_cancelled(
    client, booking, later_session
):
    services.cancel_session(booking.session_id, reason="A typhoon is coming.")

    response = client.get(manage_path(booking), {"token": booking.token})

    body = response.content.decode()
    text = text_of(response)
    assert "The village had to call this session off." in text
    assert "The village's reason: A typhoon is coming." in text
    assert "Rebook on another date" in text
    assert re.findall(r'<input type="radio" name="session" value="(\d+)"', body) == [str(later_session.pk)]
    assert f'href="?token={booking.token}&amp;keep=cancelled"' in body
    kept = client.get(manage_path(booking), {"token": booking.token, "keep": "cancelled"})
    assert "Your booking stays cancelled. There is nothing more to do." in text_of(kept)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_the_villages_reason_is_shown_as_text_never_as_markup(client, booking):
    services.cancel_session(booking.session_id, reason='<script>alert("x")</script>\nSorry')
    body = client.get(manage_path(booking), {"token": booking.token}).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>Sorry" in body
    assert '<script>alert("x")</script>' not in body


def test_a_party_whose_session_is_called_off_at_the_last_minute_can_still_rebook(client, village, visitor):
    experience = ExperienceFactory(village=village, cancellation_window_hours=48)
    booking = make_booking(SessionFactory(experience=experience), adults=2)  # in two days: too late to cancel
    later = SessionFactory(experience=experience)
    services.cancel_session(booking.session_id, reason="Typhoon")

    page = client.get(manage_path(booking), {"token": booking.token}).content.decode()
    response = client.post(manage_path(booking, action="move"), {"token": booking.token, "session": later.pk})

    assert 'id="move"' in page and f'value="{later.pk}"' in page
    assert response.status_code == 303
    booking.refresh_from_db()
    assert (booking.status, booking.session_id) == (Booking.Status.PENDING, later.pk)


def test_a_booking_the_village_cancelled_on_its_own_is_not_offered_rebooking_when_its_session_is_called_off_later(
    client, booking, later_session
):
    services.cancel_booking(booking.pk, by=Booking.CancelledBy.OPERATOR)  # the village removed this party
    services.cancel_session(booking.session_id, reason="Typhoon")  # days later, the weather calls the session off

    page = client.get(manage_path(booking), {"token": booking.token})
    response = client.post(manage_path(booking, action="move"), {"token": booking.token, "session": later_session.pk})

    assert 'id="move"' not in page.content.decode()
    assert "The village cancelled this booking." in text_of(page)
    assert response.status_code == 409
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert seats_taken(later_session) == 0


def test_keep_cancelled_means_nothing_on_a_booking_that_is_not_cancelled(client, booking):
    response = client.get(manage_path(booking), {"token": booking.token, "keep": "cancelled"})
    assert "stays cancelled" not in text_of(response)


def test_a_booking_the_visitor_cancelled_cannot_be_moved(client, booking, later_session):
    services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR)
    page = client.get(manage_path(booking), {"token": booking.token}).content.decode()
    response = client.post(manage_path(booking, action="move"), {"token": booking.token, "session": later_session.pk})
    assert 'id="move"' not in page
    assert response.status_code == 409
    assert seats_taken(later_session) == 0


# --- Structure


def _waiting_page(client, session):
    make_booking(session, adults=10)
    entry = join(session)
    return client.get(waitlist_path(entry, "zh-hans"), {"token": entry.token})


def _offer_page(client, session):
    make_booking(session, adults=10)
    entry = offer(session, join(session))
    return client.get(waitlist_path(entry), {"token": entry.token})


def _move_page(client, session):
    SessionFactory(experience=session.experience)
    booking = make_booking(session, adults=2)
    return client.get(manage_path(booking), {"token": booking.token})


def _confirm_move_page(client, session):
    later = SessionFactory(experience=session.experience)
    booking = make_booking(session, adults=2)
    return client.get(manage_path(booking), {"token": booking.token, "move": later.pk})


@pytest.mark.parametrize(
    "open_page",
    [_waiting_page, _offer_page, _move_page, _confirm_move_page],
    ids=["waiting", "offered", "move", "confirm move"],
)
def test_every_new_page_has_one_h1_and_labelled_controls(client, bookable_session, open_page):
    response = open_page(client, bookable_session)
    assert response.status_code == 200
    page = PageStructure(response.content.decode())
    assert page.h1_count == 1
    assert {"header", "main", "footer"} <= page.landmarks
    assert page.unlabelled_controls() == []


def test_sessions_called_off_are_not_offered_on_the_experience_page(client, bookable_session):
    services.cancel_session(bookable_session.pk, reason="Rain")
    body = client.get(page_of(bookable_session)).content.decode()
    assert f'name="session" value="{bookable_session.pk}"' not in body
    assert Session.objects.get(pk=bookable_session.pk).status == Session.Status.CANCELLED
