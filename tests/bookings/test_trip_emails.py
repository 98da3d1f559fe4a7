"""The emails around a trip: before-you-go in the confirmation and the reminder, the new confirmation of a moved
booking, the cancellation of a session with its reason and rebook links (followed to the end), and the waiting
list's emails, in Chinese and in English. Rendered from the outbox rows the services write."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone, translation
from icalendar import Calendar

from bookings import services
from bookings.models import Booking, WaitlistEntry
from outbox import services as outbox_services
from outbox.messages import build_message
from outbox.models import OutgoingEmail
from tests.factories import ExperienceFactory, SessionFactory, make_booking, new_contact

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
SITE = "https://villages.example"
Kind = OutgoingEmail.Kind
ZH_WEEKDAYS = "一二三四五六日"
MAP = "https://www.openstreetmap.org/?mlat=31.123456&mlon=121.654321#map=17/31.123456/121.654321"
REASON = "A typhoon is coming: the lake path is closed.\nWe are sorry."


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# --- Helpers


def in_days(days: int, hour: int = 10) -> datetime:
    return datetime.combine(timezone.localdate(timezone=SHANGHAI) + timedelta(days=days), time(hour), tzinfo=SHANGHAI)


def session_at(experience, starts_at, **fields):
    return SessionFactory(
        experience=experience, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90), **fields
    )


def zh_when(moment) -> str:
    local = moment.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日 周{ZH_WEEKDAYS[local.weekday()]} {local:%H:%M}"


def en_when(moment) -> str:
    local = moment.astimezone(SHANGHAI)
    return f"{local:%a} {local.day} {local:%b} {local.year}, {local:%H:%M}"


def zh(message_id: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message_id)


def row(about, kind, revision=None) -> OutgoingEmail:
    field = "booking" if isinstance(about, Booking) else "waitlist_entry"
    rows = OutgoingEmail.objects.filter(**{field: about, "kind": kind})
    if revision is not None:
        rows = rows.filter(revision=revision)
    [found] = rows
    return found


def rendered(about, kind, revision=None):
    return build_message(row(about, kind, revision))


def html_of(message) -> str:
    [html] = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


def parts(message, content_type):
    return [part for part in message.message().walk() if part.get_content_type() == content_type]


def event_of(message):
    [part] = parts(message, "text/calendar")
    [event] = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    return event


def everything_in(message) -> str:
    return message.subject + message.body + html_of(message)


def visitor_in(language: str, name="Mary Smith") -> dict:
    return {"name": name, **new_contact(language)}


@pytest.fixture
def experience(village):
    """An experience whose village has said what a visitor needs to know before going, in both languages."""
    return ExperienceFactory(
        village=village,
        slug="cenbu-kayak",
        title_zh_hans="湖上皮划艇",
        title_en="Kayaking on the lake",
        meeting_point_zh_hans="码头",
        meeting_point_en="The pier",
        meeting_point_latitude=Decimal("31.123456"),
        meeting_point_longitude=Decimal("121.654321"),
        what_to_bring_zh_hans="防晒霜\n一瓶水",
        what_to_bring_en="Sun cream\nA bottle of water",
        accessibility_zh_hans="不适合轮椅",
        accessibility_en="Not suitable for wheelchairs",
        weather_policy_zh_hans="大雨取消，全额退款",
        weather_policy_en="Cancelled in heavy rain, with a full refund",
        cancellation_window_hours=24,
    )


@pytest.fixture
def first_day(experience):
    return session_at(experience, in_days(4))


@pytest.fixture
def second_day(experience):
    return session_at(experience, in_days(5))


def confirmed(session, language="en", adults=2, children=1) -> Booking:
    booking = make_booking(session, adults=adults, children=children, **visitor_in(language))
    return services.confirm_booking(booking.pk)


# --- Before you go, in the confirmation and the reminder


def test_the_english_confirmation_says_what_to_bring_accessibility_the_weather_policy_and_where_to_meet(first_day):
    booking = confirmed(first_day)

    message = rendered(booking, Kind.BOOKING_CONFIRMED)

    text, html = message.body, html_of(message)
    assert "What to bring:\nSun cream\nA bottle of water" in text
    assert "Accessibility:\nNot suitable for wheelchairs" in text
    assert "If the weather is bad:\nCancelled in heavy rain, with a full refund" in text
    assert f"Meeting point on the map: {MAP}" in text
    assert "Before you go" in html
    assert "Sun cream<br>A bottle of water" in html
    assert "Not suitable for wheelchairs" in html and "Cancelled in heavy rain, with a full refund" in html
    assert f'href="{MAP.replace("&", "&amp;")}"' in html
    assert "防晒霜" not in everything_in(message)


def test_the_chinese_confirmation_says_the_same_in_chinese(first_day):
    booking = confirmed(first_day, language="zh-hans")

    message = rendered(booking, Kind.BOOKING_CONFIRMED)

    text, html = message.body, html_of(message)
    assert f"{zh('What to bring')}:\n防晒霜\n一瓶水" in text
    assert f"{zh('Accessibility')}:\n不适合轮椅" in text
    assert f"{zh('If the weather is bad')}:\n大雨取消，全额退款" in text
    assert f"{zh('Meeting point on the map')}: {MAP}" in text
    assert zh("Before you go") in html and "防晒霜<br>一瓶水" in html
    for english in ("Sun cream", "Before you go", "What to bring", "If the weather is bad", "Meeting point on the map"):
        assert english not in everything_in(message), english


def test_the_reminder_repeats_what_to_know_before_going(first_day):
    booking = confirmed(first_day)
    assert services.queue_reminders(now=first_day.starts_at - timedelta(hours=20)) == 1

    message = rendered(booking, Kind.BOOKING_REMINDER)

    assert "What to bring:\nSun cream\nA bottle of water" in message.body
    assert "Accessibility:\nNot suitable for wheelchairs" in message.body
    assert "If the weather is bad:\nCancelled in heavy rain, with a full refund" in message.body
    assert MAP in message.body
    html = html_of(message)
    assert "Before you go" in html and "Sun cream<br>A bottle of water" in html


def test_an_experience_that_says_nothing_before_going_gets_no_empty_section(bookable_session):
    booking = services.confirm_booking(make_booking(bookable_session, **visitor_in("en")).pk)
    message = rendered(booking, Kind.BOOKING_CONFIRMED)
    for absent in ("Before you go", "What to bring", "Accessibility", "If the weather is bad", "openstreetmap"):
        assert absent not in everything_in(message), absent


def test_what_the_village_wrote_is_escaped_in_html(village):
    experience = ExperienceFactory(village=village, what_to_bring_en="<b>Boots</b> & a hat")
    booking = confirmed(SessionFactory(experience=experience))
    message = rendered(booking, Kind.BOOKING_CONFIRMED)
    assert "<b>Boots</b> & a hat" in message.body
    assert "&lt;b&gt;Boots&lt;/b&gt; &amp; a hat" in html_of(message)
    assert "<b>Boots</b>" not in html_of(message)


# --- A booking moved to another session


def test_a_moved_booking_gets_a_new_confirmation_saying_from_when_to_when(first_day, second_day):
    booking = confirmed(first_day)

    services.move_booking(booking.pk, to_session_id=second_day.pk)

    message = rendered(booking, Kind.BOOKING_MOVED)
    assert message.to == [booking.email]
    assert (
        message.subject
        == f"Booking moved to {en_when(second_day.starts_at)}: Kayaking on the lake ({booking.reference})"
    )
    assert (
        f"Your booking for Kayaking on the lake has moved from {en_when(first_day.starts_at)} "
        f"to {en_when(second_day.starts_at)}." in message.body
    )
    assert "Your reference and check-in code stay the same." in message.body
    assert booking.check_in_code in message.body
    assert "What to bring:\nSun cream" in message.body
    assert f"{SITE}/en/bookings/{booking.reference}/?token={booking.token}" in message.body
    [qr] = parts(message, "image/png")
    assert f'src="cid:{qr["Content-ID"].strip("<>")}"' in html_of(message)


def test_the_moved_bookings_calendar_file_replaces_the_first_one(first_day, second_day):
    booking = confirmed(first_day)
    first = event_of(rendered(booking, Kind.BOOKING_CONFIRMED))

    services.move_booking(booking.pk, to_session_id=second_day.pk)
    moved = event_of(rendered(booking, Kind.BOOKING_MOVED))

    assert str(moved["UID"]) == str(first["UID"]) == f"{booking.reference}@villages"
    assert int(first.get("SEQUENCE", 0)) == 0
    assert int(moved["SEQUENCE"]) == 1
    assert moved["DTSTART"].dt == second_day.starts_at
    assert moved["DTEND"].dt == second_day.ends_at
    assert first["DTSTART"].dt == first_day.starts_at
    assert str(moved["STATUS"]) == "CONFIRMED"


def test_each_move_is_a_new_email_with_a_higher_sequence(experience, first_day, second_day):
    third_day = session_at(experience, in_days(6))
    booking = confirmed(first_day)

    services.move_booking(booking.pk, to_session_id=second_day.pk)
    services.move_booking(booking.pk, to_session_id=third_day.pk)

    assert sorted(
        OutgoingEmail.objects.filter(booking=booking, kind=Kind.BOOKING_MOVED).values_list("revision", flat=True)
    ) == [1, 2]
    latest = event_of(rendered(booking, Kind.BOOKING_MOVED, revision=2))
    assert int(latest["SEQUENCE"]) == 2
    assert latest["DTSTART"].dt == third_day.starts_at


def test_emails_about_the_old_date_not_yet_sent_are_dropped_after_a_move(first_day, second_day):
    booking = confirmed(first_day)
    services.move_booking(booking.pk, to_session_id=second_day.pk)

    confirmation = row(booking, Kind.BOOKING_CONFIRMED)
    moved = row(booking, Kind.BOOKING_MOVED)

    assert outbox_services.send_outgoing_email(confirmation.pk) == "obsolete"
    assert outbox_services.send_outgoing_email(moved.pk) == "sent"
    [sent] = mail.outbox
    assert sent.subject.startswith("Booking moved to")


def test_the_chinese_moved_email_is_in_chinese(first_day, second_day):
    booking = confirmed(first_day, language="zh-hans")
    services.move_booking(booking.pk, to_session_id=second_day.pk)

    message = rendered(booking, Kind.BOOKING_MOVED)

    assert "湖上皮划艇" in message.subject and booking.reference in message.subject
    assert zh_when(second_day.starts_at) in message.subject
    assert zh_when(first_day.starts_at) in message.body and zh_when(second_day.starts_at) in message.body
    assert f"{SITE}/zh-hans/bookings/{booking.reference}/?token={booking.token}" in message.body
    assert "防晒霜" in message.body
    assert str(event_of(message)["SUMMARY"]) == "湖上皮划艇"
    for english in ("Booking moved", "has moved from", "Your reference and check-in code stay the same", "Kayaking"):
        assert english not in everything_in(message), english


def test_a_booking_moved_before_the_worker_confirmed_it_gets_one_confirmation_of_the_new_date(first_day, second_day):
    booking = make_booking(first_day, adults=2, **visitor_in("en"))

    services.move_booking(booking.pk, to_session_id=second_day.pk)
    assert not OutgoingEmail.objects.filter(booking=booking, kind=Kind.BOOKING_MOVED).exists()
    services.confirm_booking(booking.pk)

    message = rendered(booking, Kind.BOOKING_CONFIRMED)
    assert en_when(second_day.starts_at) in message.body
    assert event_of(message)["DTSTART"].dt == second_day.starts_at
    assert int(event_of(message)["SEQUENCE"]) == 1


# --- A session called off, with a reason and links to rebook


@pytest.fixture
def called_off(experience, first_day):
    """Sessions of the experience: the first day's (cancelled by the village after a booking of 2 adults and a child),
    and five later days, the second of which is full."""
    later = [session_at(experience, in_days(day)) for day in range(5, 10)]
    make_booking(later[1], adults=10)
    return first_day, later


def test_the_cancellation_of_a_session_gives_the_villages_reason(called_off):
    first_day, _later = called_off
    booking = confirmed(first_day)

    services.cancel_session(first_day.pk, reason=REASON)

    message = rendered(booking, Kind.BOOKING_CANCELLED)
    assert booking.reference in message.subject
    assert "The village has had to cancel your booking for Kayaking on the lake" in message.body
    assert f"The village's reason:\n{REASON}" in message.body
    html = html_of(message)
    assert "A typhoon is coming: the lake path is closed.<br>We are sorry." in html


def test_the_cancellation_links_to_rebook_on_the_next_three_sessions_with_room_or_to_keep_it_cancelled(called_off):
    first_day, later = called_off
    booking = confirmed(first_day)
    services.cancel_session(first_day.pk, reason=REASON)

    message = rendered(booking, Kind.BOOKING_CANCELLED)

    manage = f"{SITE}/en/bookings/{booking.reference}/?token={booking.token}"
    links = re.findall(rf"{re.escape(manage)}&move=(\d+)#move", message.body)
    assert links == [str(later[0].pk), str(later[2].pk), str(later[3].pk)]  # the full one is left out
    for session in (later[0], later[2], later[3]):
        assert f"{en_when(session.starts_at)}:\n{manage}&move={session.pk}#move" in message.body
    assert f"Or keep the booking cancelled:\n{manage}&keep=cancelled" in message.body
    html = html_of(message)
    assert f'href="{manage}&amp;move={later[0].pk}#move"' in html
    assert f"Rebook for {en_when(later[0].starts_at)}" in html
    assert f'href="{manage}&amp;keep=cancelled"' in html


def test_the_chinese_cancellation_links_to_the_chinese_pages(called_off):
    first_day, later = called_off
    booking = confirmed(first_day, language="zh-hans")
    services.cancel_session(first_day.pk, reason="台风来了")

    message = rendered(booking, Kind.BOOKING_CANCELLED)

    manage = f"{SITE}/zh-hans/bookings/{booking.reference}/?token={booking.token}"
    assert f"{manage}&move={later[0].pk}#move" in message.body
    assert f"{manage}&keep=cancelled" in message.body
    assert f"{zh_when(later[0].starts_at)}:\n{manage}&move={later[0].pk}#move" in message.body
    reason_label = zh("The village's reason")
    assert f"{reason_label}:\n台风来了" in message.body
    for english in ("The village has had to cancel", "Come on another day", "Or keep the booking cancelled"):
        assert english not in everything_in(message), english


def test_with_no_other_session_with_room_the_cancellation_points_to_the_experience_instead(first_day):
    booking = confirmed(first_day)
    services.cancel_session(first_day.pk, reason="Flood")
    message = rendered(booking, Kind.BOOKING_CANCELLED)
    assert "&move=" not in message.body and "keep=cancelled" not in message.body
    assert f"See the other sessions:\n{SITE}/en/experiences/cenbu-kayak/" in message.body


def test_a_visitors_own_cancellation_offers_no_rebooking_and_gives_no_reason(called_off):
    first_day, _later = called_off
    booking = confirmed(first_day)
    services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR)
    message = rendered(booking, Kind.BOOKING_CANCELLED)
    assert "has been cancelled, as you asked" in message.body
    assert "&move=" not in everything_in(message) and "keep=cancelled" not in everything_in(message)
    assert "reason" not in message.body


def rebook_links(message, booking) -> list[tuple[int, str]]:
    """The rebook links of a cancellation email: (session id, the site's relative address as a browser asks for it)."""
    found = re.findall(rf"{re.escape(SITE)}(/\S+?&move=(\d+))#move", message.body)
    return [(int(session_id), path) for path, session_id in found]


def move_form_of(page: str) -> tuple[str, dict]:
    """The action and fields of the confirmation box's form on the manage page."""
    box = re.search(r'<section class="notice notice-action".*?</section>', page, re.S).group(0)
    action = re.search(r'<form method="post" action="([^"]+)"', box).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="(token|session)" value="([^"]*)"', box))
    return action, fields


def test_following_a_rebook_link_and_confirming_rebooks_the_party(client, called_off):
    first_day, later = called_off
    booking = confirmed(first_day)
    services.cancel_session(first_day.pk, reason=REASON)
    [(session_id, path), *_others] = rebook_links(rendered(booking, Kind.BOOKING_CANCELLED), booking)

    page = client.get(path)

    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="confirm-move-heading"' in body and "Rebook on this date?" in body
    assert "A typhoon is coming: the lake path is closed." in body
    action, fields = move_form_of(body)
    assert (action, fields) == (
        f"/en/bookings/{booking.reference}/move/",
        {"token": booking.token, "session": str(session_id)},
    )

    response = client.post(action, fields)

    assert response.status_code == 303
    assert response["Location"] == f"/en/bookings/{booking.reference}/?token={booking.token}"
    booking.refresh_from_db()
    assert (booking.session_id, booking.moved_from_id, booking.status) == (
        later[0].pk,
        first_day.pk,
        Booking.Status.PENDING,
    )
    assert (booking.cancelled_at, booking.cancelled_by) == (None, "")
    assert (booking.adults, booking.children, booking.total_price) == (2, 1, Decimal("224.00"))
    later[0].refresh_from_db()
    assert later[0].seats_taken == 3
    # The worker confirms the rebooked party as any booking, with a calendar event that replaces the first one.
    services.confirm_booking(booking.pk)
    message = rendered(booking, Kind.BOOKING_CONFIRMED, revision=1)
    assert en_when(later[0].starts_at) in message.body
    event = event_of(message)
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (f"{booking.reference}@villages", 1)
    assert event["DTSTART"].dt == later[0].starts_at
    assert "Your booking is confirmed." in client.get(response["Location"]).content.decode()


def test_confirming_the_rebooking_twice_moves_the_party_once(client, called_off):
    first_day, later = called_off
    booking = confirmed(first_day)
    services.cancel_session(first_day.pk, reason=REASON)
    [(_session_id, path), *_others] = rebook_links(rendered(booking, Kind.BOOKING_CANCELLED), booking)
    action, fields = move_form_of(client.get(path).content.decode())

    first = client.post(action, fields)
    again = client.post(action, fields)

    assert first.status_code == again.status_code == 303
    booking.refresh_from_db()
    assert booking.calendar_sequence == 1
    later[0].refresh_from_db()
    assert later[0].seats_taken == 3


def test_a_rebook_link_to_a_session_that_filled_up_meanwhile_says_so_and_rebooks_nothing(client, called_off):
    first_day, later = called_off
    booking = confirmed(first_day)
    services.cancel_session(first_day.pk, reason=REASON)
    [(session_id, path), *_others] = rebook_links(rendered(booking, Kind.BOOKING_CANCELLED), booking)
    make_booking(later[0], adults=9)

    page = client.get(path)
    refused = client.post(f"/en/bookings/{booking.reference}/move/", {"token": booking.token, "session": session_id})

    assert "confirm-move-heading" not in page.content.decode()
    assert "The session in your link no longer has room for your party." in page.content.decode()
    assert refused.status_code == 409
    booking.refresh_from_db()
    assert (booking.status, booking.session_id) == (Booking.Status.CANCELLED, first_day.pk)


def test_the_keep_cancelled_link_leaves_the_booking_cancelled(client, called_off):
    first_day, _later = called_off
    booking = confirmed(first_day)
    services.cancel_session(first_day.pk, reason=REASON)
    message = rendered(booking, Kind.BOOKING_CANCELLED)
    path = re.search(rf"{re.escape(SITE)}(/\S+&keep=cancelled)", message.body).group(1)

    page = client.get(path)

    assert page.status_code == 200
    assert "Your booking stays cancelled. There is nothing more to do." in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_a_rebooked_party_whose_new_date_is_called_off_too_gets_a_second_cancellation_with_fresh_links(called_off):
    first_day, later = called_off
    booking = confirmed(first_day)
    services.cancel_session(first_day.pk, reason="Typhoon")
    services.move_booking(booking.pk, to_session_id=later[0].pk)
    services.confirm_booking(booking.pk)

    services.cancel_session(later[0].pk, reason="Flood")

    cancellations = OutgoingEmail.objects.filter(booking=booking, kind=Kind.BOOKING_CANCELLED)
    assert sorted(cancellations.values_list("revision", flat=True)) == [0, 1]
    message = rendered(booking, Kind.BOOKING_CANCELLED, revision=1)
    assert en_when(later[0].starts_at) in message.body
    assert "The village's reason:\nFlood" in message.body
    moves = [int(session_id) for session_id in re.findall(r"&move=(\d+)#move", message.body)]
    assert moves == [later[2].pk, later[3].pk, later[4].pk]


def test_a_cancellation_email_still_unsent_when_the_party_rebooks_does_not_call_the_new_date_off(called_off):
    first_day, later = called_off
    booking = confirmed(first_day)
    services.cancel_session(first_day.pk, reason=REASON)
    cancellation = row(booking, Kind.BOOKING_CANCELLED)

    services.move_booking(booking.pk, to_session_id=later[0].pk)  # rebooked from the manage page meanwhile

    outcome = outbox_services.send_outgoing_email(cancellation.pk)

    # Either the email is dropped as out of date, or it is about the date that was called off.
    assert outcome in ("sent", "obsolete")
    sent_bodies = [message.body for message in mail.outbox]
    assert all(en_when(later[0].starts_at) not in body for body in sent_bodies), "the email calls the new date off"
    assert all(en_when(first_day.starts_at) in body for body in sent_bodies)


# --- The waiting list's emails


@pytest.fixture
def full_day(first_day):
    make_booking(first_day, adults=10)
    return first_day


def wait(session, language, adults=2, children=0) -> WaitlistEntry:
    return services.join_waitlist(
        session_id=session.pk, adults=adults, children=children, **visitor_in(language, name="Waiting Wu")
    )


def offer_to(session, entry, by=Booking.CancelledBy.VISITOR) -> WaitlistEntry:
    """The session's first booking cancelled (by its visitor, or by the village) and the seats offered."""
    first = Booking.objects.filter(session=session).order_by("pk").first()
    services.cancel_booking(first.pk, by=by)
    services.offer_freed_seats(session.pk)
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED
    return entry


def test_joining_is_acknowledged_with_the_place_in_the_list_and_the_private_link(full_day):
    wait(full_day, "en")
    entry = wait(full_day, "en", adults=1, children=1)

    message = rendered(entry, Kind.WAITLIST_JOINED)

    when = en_when(full_day.starts_at)
    assert message.to == [entry.email]
    assert message.subject == f"On the waiting list: Kayaking on the lake, {when} ({entry.reference})"
    assert "Hello Waiting Wu," in message.body
    assert f"You are on the waiting list for Kayaking on the lake on {when}. Your place in the list: 2." in message.body
    assert "1 adult, 1 child" in message.body and "¥136.00" in message.body
    link = f"{SITE}/en/bookings/waitlist/{entry.reference}/?token={entry.token}"
    assert link in message.body and f'href="{link}"' in html_of(message)


def test_the_offer_gives_the_claim_link_and_the_deadline_in_shanghai_time(full_day):
    entry = offer_to(full_day, wait(full_day, "en"))

    message = rendered(entry, Kind.WAITLIST_OFFER)

    deadline = en_when(entry.offer_expires_at)
    assert message.subject == f"Seats for you: Kayaking on the lake, {en_when(full_day.starts_at)} ({entry.reference})"
    assert f"Claim them by {deadline} (Shanghai time); after that they go to the next party" in message.body
    link = f"{SITE}/en/bookings/waitlist/{entry.reference}/?token={entry.token}"
    assert f"Claim your seats:\n{link}" in message.body
    assert f'href="{link}"' in html_of(message) and deadline in html_of(message)
    assert entry.offer_expires_at - entry.offered_at == timedelta(minutes=120)


def test_an_offer_never_lasts_past_the_booking_cut_off(village):
    experience = ExperienceFactory(village=village, booking_cutoff_minutes=60, capacity=2)
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=2)
    session = SessionFactory(experience=experience, starts_at=starts, ends_at=starts + timedelta(hours=1))
    make_booking(session, adults=2)
    entry = offer_to(session, wait(session, "en"), by=Booking.CancelledBy.OPERATOR)  # too late for the visitor
    assert entry.offer_expires_at == starts - timedelta(minutes=60)
    assert f"Claim them by {en_when(starts - timedelta(minutes=60))}" in rendered(entry, Kind.WAITLIST_OFFER).body


def test_the_offer_is_not_sent_once_the_seats_were_claimed(full_day):
    entry = offer_to(full_day, wait(full_day, "en"))
    services.claim_offer(entry.pk)
    assert outbox_services.send_outgoing_email(row(entry, Kind.WAITLIST_OFFER).pk) == "obsolete"
    assert mail.outbox == []


def test_a_lapsed_offer_is_told_with_a_link_to_other_sessions(full_day):
    entry = offer_to(full_day, wait(full_day, "en"))

    services.sweep_waitlists(now=entry.offer_expires_at + timedelta(seconds=1))

    message = rendered(entry, Kind.WAITLIST_OFFER_LAPSED)
    assert message.subject.startswith("Your offer has lapsed: Kayaking on the lake")
    assert "were not claimed in time and have gone to the next party on the list" in message.body
    assert f"See the other sessions:\n{SITE}/en/experiences/cenbu-kayak/" in message.body
    assert "/claim" not in everything_in(message)


def test_a_session_called_off_closes_its_list_and_tells_each_party_why(full_day):
    waiting = wait(full_day, "en")
    services.cancel_session(full_day.pk, reason=REASON)

    message = rendered(waiting, Kind.WAITLIST_CLOSED)

    assert message.subject.startswith("Session called off: Kayaking on the lake")
    assert "so its waiting list is closed" in message.body
    assert f"The village's reason:\n{REASON}" in message.body
    assert "A typhoon is coming: the lake path is closed.<br>We are sorry." in html_of(message)


CHINESE_WAITLIST = {
    Kind.WAITLIST_JOINED: ("On the waiting list: %(title)s, %(when)s (%(reference)s)", "You are on the waiting list"),
    Kind.WAITLIST_OFFER: ("Seats for you: %(title)s, %(when)s (%(reference)s)", "Claim your seats"),
    Kind.WAITLIST_OFFER_LAPSED: ("Your offer has lapsed: %(title)s, %(when)s (%(reference)s)", "not claimed in time"),
    Kind.WAITLIST_CLOSED: ("Session called off: %(title)s, %(when)s (%(reference)s)", "waiting list is closed"),
}


@pytest.mark.parametrize("kind", CHINESE_WAITLIST, ids=[kind.value for kind in CHINESE_WAITLIST])
def test_each_waiting_list_email_speaks_chinese_to_a_chinese_visitor(full_day, kind):
    entry = wait(full_day, "zh-hans")
    if kind in (Kind.WAITLIST_OFFER, Kind.WAITLIST_OFFER_LAPSED):
        offer_to(full_day, entry)
    if kind == Kind.WAITLIST_OFFER_LAPSED:
        services.sweep_waitlists(now=entry.offer_expires_at + timedelta(seconds=1))
    if kind == Kind.WAITLIST_CLOSED:
        services.cancel_session(full_day.pk, reason="台风来了")

    message = rendered(entry, kind)

    subject, english = CHINESE_WAITLIST[kind]
    values = {"title": "湖上皮划艇", "when": zh_when(full_day.starts_at), "reference": entry.reference}
    assert message.subject == zh(subject) % values
    assert "/zh-hans/" in message.body and "/en/" not in message.body
    assert 'lang="zh-Hans"' in html_of(message)
    for phrase in (english, "Hello", "Reference", "Total price", "Shanghai time"):
        assert phrase not in everything_in(message), phrase
    if kind == Kind.WAITLIST_OFFER:
        entry.refresh_from_db()
        assert zh_when(entry.offer_expires_at) in message.body
    if kind == Kind.WAITLIST_CLOSED:
        assert "台风来了" in message.body


def test_waiting_list_emails_go_out_through_the_outbox_to_the_party(full_day):
    entry = offer_to(full_day, wait(full_day, "en"))
    for email in OutgoingEmail.objects.filter(waitlist_entry=entry):
        assert outbox_services.send_outgoing_email(email.pk) == "sent"
    assert sorted(message.subject.split(":")[0] for message in mail.outbox) == ["On the waiting list", "Seats for you"]
    assert {message.to[0] for message in mail.outbox} == {entry.email}
