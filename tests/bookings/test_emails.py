"""The emails a visitor and a village receive about a booking, rendered from the outbox rows the services write."""

import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone, translation
from icalendar import Calendar
from PIL import Image

from bookings import services
from bookings.emails import booking_calendar, build_message
from bookings.models import Booking
from outbox import services as outbox_services
from outbox.models import OutgoingEmail
from tests.factories import ExperienceFactory, SessionFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
SITE = "https://villages.example"
Kind = OutgoingEmail.Kind


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "Village Trails <bookings@villages.example>"


def next_saturday_at_ten() -> datetime:
    day = timezone.localdate(timezone=SHANGHAI) + timedelta(days=3)
    day += timedelta(days=(5 - day.weekday()) % 7)
    return datetime.combine(day, time(10, 0), tzinfo=SHANGHAI)


@pytest.fixture
def experience(village):
    return ExperienceFactory(
        village=village,
        slug="cenbu-cycling",
        title_zh_hans="环湖骑行",
        title_en="Cycling round the lake",
        meeting_point_zh_hans="村口老樟树下",
        meeting_point_en="Under the old camphor tree at the village gate",
        cancellation_window_hours=48,
    )


@pytest.fixture
def saturday(experience):
    """Saturday at 10:00 Shanghai time, 90 minutes, ¥88 per adult and ¥48 per child."""
    starts_at = next_saturday_at_ten()
    return SessionFactory(experience=experience, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90))


def book(session, visitor, adults=2, children=1, **extra) -> Booking:
    booking, _created = services.create_booking(
        session_id=session.pk, adults=adults, children=children, **{**visitor, **extra}
    )
    return booking


def processed(session, visitor, **kwargs) -> Booking:
    """A booking as it is once the worker has confirmed it (or asked the village to approve it)."""
    booking = book(session, visitor, **kwargs)
    return services.confirm_booking(booking.pk)


def outbox_row(booking, kind) -> OutgoingEmail:
    return OutgoingEmail.objects.select_related("booking__session__experience__village").get(booking=booking, kind=kind)


def rendered(booking, kind, *, language=None):
    row = outbox_row(booking, kind)
    if language:
        row.language = language
    return build_message(row)


def html_of(message) -> str:
    [html] = [alternative.content for alternative in message.alternatives if alternative.mimetype == "text/html"]
    return html


def parts(message, content_type):
    return [part for part in message.message().walk() if part.get_content_type() == content_type]


def calendar_of(message) -> Calendar:
    [part] = parts(message, "text/calendar")
    return Calendar.from_ical(part.get_payload(decode=True))


def everything_in(message) -> str:
    return message.subject + message.body + html_of(message)


# --- The confirmation


def test_the_confirmation_names_the_experience_and_reference_in_its_subject(saturday, visitor):
    booking = processed(saturday, visitor)
    message = rendered(booking, Kind.BOOKING_CONFIRMED)
    assert booking.reference in message.subject
    assert "环湖骑行" in message.subject
    assert message.to == [visitor["email"]]
    assert message.from_email == "Village Trails <bookings@villages.example>"


def test_the_confirmation_comes_as_plain_text_and_html_with_the_same_details(saturday, visitor):
    booking = processed(saturday, visitor)
    message = rendered(booking, Kind.BOOKING_CONFIRMED)
    html = html_of(message)
    for body in (message.body, html):
        assert booking.reference in body
        assert "环湖骑行" in body
        assert saturday.experience.village.name_zh_hans in body
        assert "¥224.00" in body
        assert "村口老樟树下" in body
        assert booking.check_in_code in body
    assert "<html" not in message.body
    assert html.lstrip().startswith("<!doctype html>")
    assert 'lang="zh-Hans"' in html


def test_the_price_is_counted_in_exact_yuan_for_two_adults_and_a_child(saturday, visitor):
    booking = processed(saturday, visitor, adults=2, children=1)
    message = rendered(booking, Kind.BOOKING_CONFIRMED, language="en")
    assert "¥224.00" in message.body
    assert "2 adults, 1 child" in message.body


def test_the_manage_link_is_absolute_in_the_visitors_language_and_carries_the_token(saturday, visitor):
    booking = processed(saturday, visitor)
    link = f"{SITE}/zh-hans/bookings/{booking.reference}/?token={booking.token}"
    message = rendered(booking, Kind.BOOKING_CONFIRMED)
    assert link in message.body
    assert f'href="{link}"' in html_of(message)

    english = processed(saturday, {**visitor, "email": "mary@example.com", "language": "en"})
    english_link = f"{SITE}/en/bookings/{english.reference}/?token={english.token}"
    assert english_link in rendered(english, Kind.BOOKING_CONFIRMED).body


def test_a_chinese_visitor_reads_the_chinese_title_and_a_chinese_date(saturday, visitor):
    booking = processed(saturday, visitor)
    day = next_saturday_at_ten()
    message = rendered(booking, Kind.BOOKING_CONFIRMED)
    assert f"{day.year}年{day.month}月{day.day}日 周六 10:00" in message.body
    assert "–11:30" in message.body
    assert "Cycling round the lake" not in everything_in(message)


def test_an_english_visitor_reads_english_throughout(saturday, visitor):
    booking = processed(saturday, {**visitor, "language": "en", "name": "Mary Smith"})
    day = next_saturday_at_ten()
    message = rendered(booking, Kind.BOOKING_CONFIRMED)
    assert message.subject == f"Booking confirmed: Cycling round the lake ({booking.reference})"
    assert "Hello Mary Smith," in message.body
    assert f"Sat {day.day} {day:%b} {day.year}, 10:00–11:30 (Shanghai time)" in message.body
    assert "Your booking for Cycling round the lake in Test Village" in message.body
    assert "Under the old camphor tree at the village gate" in message.body
    assert "环湖骑行" not in everything_in(message)
    assert 'lang="en"' in html_of(message)


def test_the_free_cancellation_deadline_is_the_window_before_the_start(saturday, visitor):
    booking = processed(saturday, {**visitor, "language": "en"})
    deadline = next_saturday_at_ten() - timedelta(hours=48)
    body = rendered(booking, Kind.BOOKING_CONFIRMED).body
    assert f"Free cancellation until: {deadline:%a} {deadline.day} {deadline:%b} {deadline.year}, 10:00" in body


def test_the_calendar_file_holds_the_session_in_utc_under_a_stable_uid(saturday, visitor):
    booking = processed(saturday, visitor)
    message = rendered(booking, Kind.BOOKING_CONFIRMED)
    [part] = parts(message, "text/calendar")
    assert part.get_filename() == f"{booking.reference}.ics"
    assert part.get_param("method") == "PUBLISH"
    assert part.get_content_charset() == "utf-8"
    calendar = calendar_of(message)
    assert str(calendar["METHOD"]) == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{booking.reference}@villages"
    assert event["DTSTART"].dt == saturday.starts_at
    assert event["DTSTART"].dt.utcoffset() == timedelta(0)
    assert event["DTEND"].dt == saturday.ends_at
    assert str(event["SUMMARY"]) == "环湖骑行"
    assert saturday.experience.village.name_zh_hans in str(event["LOCATION"])
    assert "村口老樟树下" in str(event["LOCATION"])
    assert f"/zh-hans/bookings/{booking.reference}/?token={booking.token}" in str(event["DESCRIPTION"])


def test_the_manage_page_can_offer_the_same_calendar_file_in_its_language(saturday, visitor):
    booking = processed(saturday, visitor)
    with translation.override("en"):
        [event] = Calendar.from_ical(booking_calendar(booking)).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Cycling round the lake"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["DTSTART"].dt == saturday.starts_at


def test_the_qr_code_is_an_inline_png_that_the_html_shows(saturday, visitor):
    booking = processed(saturday, visitor)
    message = rendered(booking, Kind.BOOKING_CONFIRMED)
    [image_part] = parts(message, "image/png")
    content_id = image_part["Content-ID"].strip("<>")
    assert f'src="cid:{content_id}"' in html_of(message)
    assert image_part.get_content_disposition() == "inline"
    image = Image.open(io.BytesIO(image_part.get_payload(decode=True)))
    assert image.format == "PNG"
    assert image.width == image.height >= 150
    # The image travels with the HTML it belongs to, and the calendar file beside them.
    top = message.message()
    assert top.get_content_type() == "multipart/mixed"
    related, attachment = top.get_payload()
    assert related.get_content_type() == "multipart/related"
    assert [part.get_content_type() for part in related.get_payload()] == ["multipart/alternative", "image/png"]
    assert attachment.get_content_type() == "text/calendar"


# --- The other emails a visitor receives


def test_a_booking_awaiting_approval_is_acknowledged_without_check_in_or_calendar(saturday, visitor):
    saturday.experience.requires_approval = True
    saturday.experience.save()
    booking = processed(saturday, {**visitor, "language": "en"})
    assert booking.status == Booking.Status.PENDING
    message = rendered(booking, Kind.BOOKING_RECEIVED)
    assert booking.reference in message.subject
    assert "the village confirms each booking" in message.body.lower()
    assert f"{SITE}/en/bookings/{booking.reference}/?token={booking.token}" in message.body
    assert "¥224.00" in message.body
    assert booking.check_in_code not in everything_in(message)
    assert parts(message, "image/png") == []
    assert parts(message, "text/calendar") == []


def test_the_reminder_repeats_the_time_the_meeting_point_the_link_and_the_qr_code(saturday, visitor):
    booking = processed(saturday, {**visitor, "language": "en"})
    assert services.queue_reminders(now=saturday.starts_at - timedelta(hours=20)) == 1
    message = rendered(booking, Kind.BOOKING_REMINDER)
    day = next_saturday_at_ten()
    assert booking.reference in message.subject
    assert f"Sat {day.day} {day:%b} {day.year}, 10:00" in message.body
    assert "Under the old camphor tree at the village gate" in message.body
    assert f"{SITE}/en/bookings/{booking.reference}/?token={booking.token}" in message.body
    assert booking.check_in_code in message.body
    [image_part] = parts(message, "image/png")
    assert f'src="cid:{image_part["Content-ID"].strip("<>")}"' in html_of(message)
    assert parts(message, "text/calendar") == []


def test_the_cancellation_says_the_seats_were_released_and_carries_no_calendar_file(saturday, visitor):
    booking = processed(saturday, {**visitor, "language": "en"})
    services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR)
    message = rendered(booking, Kind.BOOKING_CANCELLED)
    assert booking.reference in message.subject
    assert "has been cancelled, as you asked" in message.body
    assert "The 3 seats have been released for others to book." in message.body
    assert "Cycling round the lake" in message.body
    assert parts(message, "text/calendar") == []
    assert parts(message, "image/png") == []
    assert booking.check_in_code not in everything_in(message)


def test_a_cancellation_by_the_village_says_so(saturday, visitor):
    booking = processed(saturday, {**visitor, "language": "en"}, adults=1, children=0)
    services.cancel_booking(booking.pk, by=Booking.CancelledBy.OPERATOR)
    body = rendered(booking, Kind.BOOKING_CANCELLED).body
    assert "The village has had to cancel your booking" in body
    assert "The seat has been released for others to book." in body


def test_a_visitors_emails_carry_nothing_of_another_booking(saturday, visitor):
    mine = processed(saturday, visitor)
    theirs = processed(
        saturday,
        {"name": "李四", "email": "lisi@example.com", "phone": "+44 20 7946 0958", "language": "zh-hans"},
        notes="李四的私人备注",
    )
    services.queue_reminders(now=saturday.starts_at - timedelta(hours=20))
    services.cancel_booking(mine.pk, by=Booking.CancelledBy.VISITOR)
    for kind in (Kind.BOOKING_CONFIRMED, Kind.BOOKING_REMINDER, Kind.BOOKING_CANCELLED):
        message = rendered(mine, kind)
        assert message.to == [visitor["email"]]
        content = everything_in(message)
        for secret in (theirs.name, theirs.email, "7946", theirs.reference, theirs.token, theirs.check_in_code, "李四"):
            assert secret not in content, (kind, secret)


# --- The village's notice


def test_the_village_is_told_who_booked_with_phone_email_and_notes(saturday, visitor):
    booking = processed(saturday, visitor, notes="我们带一只小狗")
    message = rendered(booking, Kind.OPERATOR_NEW_BOOKING)
    assert message.to == ["cenbu@example.com"]
    assert message.reply_to == [visitor["email"]]
    assert booking.reference in message.subject
    html = html_of(message)
    for body in (message.body, html):
        assert "王小明" in body
        assert visitor["email"] in body
        assert "+86 138 0013 8000" in body
        assert "我们带一只小狗" in body
        assert "环湖骑行" in body
    assert 'href="tel:+8613800138000"' in html


def test_the_villages_notice_never_carries_the_visitors_key_to_the_booking(saturday, visitor):
    booking = processed(saturday, visitor)
    message = rendered(booking, Kind.OPERATOR_NEW_BOOKING)
    assert booking.token not in everything_in(message)
    assert booking.check_in_code not in everything_in(message)
    assert message.attachments == []
    assert parts(message, "image/png") == []


def test_the_villages_notice_says_whether_the_booking_waits_for_approval(saturday, visitor):
    confirmed = processed(saturday, visitor)
    assert "Status: Confirmed" in rendered(confirmed, Kind.OPERATOR_NEW_BOOKING, language="en").body

    saturday.experience.requires_approval = True
    saturday.experience.save()
    pending = processed(saturday, {**visitor, "email": "other@example.com"})
    message = rendered(pending, Kind.OPERATOR_NEW_BOOKING, language="en")
    assert message.subject.startswith(f"Booking to approve {pending.reference}")
    assert "Status: Waiting for your approval" in message.body


def test_what_a_visitor_typed_is_escaped_in_html_and_left_alone_in_plain_text(saturday, visitor):
    booking = processed(saturday, {**visitor, "name": "Tom & <Jerry>"}, notes="<b>late</b> & hungry")
    message = rendered(booking, Kind.OPERATOR_NEW_BOOKING)
    assert "Tom & <Jerry>" in message.body
    assert "<b>late</b> & hungry" in message.body
    html = html_of(message)
    assert "Tom &amp; &lt;Jerry&gt;" in html
    assert "&lt;b&gt;late&lt;/b&gt; &amp; hungry" in html
    assert "<Jerry>" not in html


# --- Through the outbox


def test_the_outbox_sends_a_confirmation_once_however_often_it_is_asked(settings, saturday, visitor):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    booking = processed(saturday, visitor)
    row = outbox_row(booking, Kind.BOOKING_CONFIRMED)

    assert outbox_services.send_outgoing_email(row.pk) == "sent"
    assert outbox_services.send_outgoing_email(row.pk) == "skipped"

    assert len(mail.outbox) == 1
    [sent] = mail.outbox
    assert sent.to == [visitor["email"]]
    assert booking.reference in sent.subject
    raw = sent.message().as_bytes()
    assert b"Content-Type: text/calendar" in raw
    assert b"Content-Type: image/png" in raw
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.SENT


def test_every_email_about_a_booking_goes_out_through_the_outbox(settings, saturday, visitor):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    booking = processed(saturday, visitor)
    services.queue_reminders(now=saturday.starts_at - timedelta(hours=20))
    send_time = saturday.starts_at - timedelta(hours=19)
    for row in OutgoingEmail.objects.filter(booking=booking):
        assert outbox_services.send_outgoing_email(row.pk, now=send_time) == "sent"
    services.cancel_booking(booking.pk, by=Booking.CancelledBy.OPERATOR)
    cancellation = OutgoingEmail.objects.get(booking=booking, kind=Kind.BOOKING_CANCELLED)
    assert outbox_services.send_outgoing_email(cancellation.pk, now=send_time) == "sent"
    assert {row.kind for row in OutgoingEmail.objects.filter(booking=booking)} == {
        Kind.BOOKING_CONFIRMED,
        Kind.OPERATOR_NEW_BOOKING,
        Kind.BOOKING_REMINDER,
        Kind.BOOKING_CANCELLED,
    }
    assert len(mail.outbox) == 4
    assert sorted(message.to[0] for message in mail.outbox) == sorted([visitor["email"]] * 3 + ["cenbu@example.com"])
