"""The emails about bookings: subject, plain text and HTML in the visitor's language, with the check-in QR code and
the calendar file where the visitor needs them. The outbox sends them (register_writers, from the app's ready()).

Pure rendering: nothing here writes to the database. `booking_calendar` and `check_in_qr_png` are reused by the
visitor's manage page.
"""

import io
import time
from dataclasses import dataclass
from datetime import UTC
from email.mime.image import MIMEImage
from email.mime.text import MIMEText

import phonenumbers
import qrcode
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from icalendar import Calendar, Event
from qrcode.image.pil import PilImage

from bookings.models import Booking
from bookings.selectors import sessions_to_move_to
from outbox import messages
from outbox.messages import one_line, render_parts
from outbox.models import OutgoingEmail
from villages.models import Session
from villages.selectors import greenest_route

Kind = OutgoingEmail.Kind

BOOKING_KINDS = (
    Kind.BOOKING_CONFIRMED,
    Kind.BOOKING_RECEIVED,
    Kind.BOOKING_REMINDER,
    Kind.BOOKING_CANCELLED,
    Kind.BOOKING_MOVED,
    Kind.OPERATOR_NEW_BOOKING,
)
# What each email carries besides its text: the QR code to show at the village, and the calendar entry.
WITH_QR_CODE = {Kind.BOOKING_CONFIRMED, Kind.BOOKING_REMINDER, Kind.BOOKING_MOVED}
WITH_CALENDAR = {Kind.BOOKING_CONFIRMED, Kind.BOOKING_MOVED}
# Emails that make no sense once the booking or its session is cancelled: the outbox drops them as obsolete; and
# those about a session the booking has since been moved away from (an older revision).
VOID_WHEN_CANCELLED = {Kind.BOOKING_CONFIRMED, Kind.BOOKING_RECEIVED, Kind.BOOKING_REMINDER, Kind.BOOKING_MOVED}
REBOOK_CHOICES = 3  # next sessions with room offered in the email of a session the village called off
ZH_WEEKDAYS = "一二三四五六日"
# The parts of an email that every booking of an experience shares are rendered once per experience and language and
# reused this long: an edit of the experience or its village shows at once (their updated_at are in the key), a route
# edited since within this many seconds.
TRIP_PARTS_SECONDS = 30
TRIP_PARTS_KEPT = 500  # experiences and languages kept per process, at most
WITH_BEFORE_YOU_GO = {Kind.BOOKING_CONFIRMED, Kind.BOOKING_REMINDER, Kind.BOOKING_MOVED}
WITH_GETTING_THERE = {Kind.BOOKING_CONFIRMED}
# The check-in code's QR code always with this mask: drawing it with each of the eight and scoring them would cost most
# of an email's rendering, and any mask reads the same at the gate.
QR_MASK_PATTERN = 0


class BookingMessage(EmailMultiAlternatives):
    """Text and HTML alternatives, wrapped with their inline images in multipart/related so `cid:` links resolve.

    multipart/mixed ( multipart/related ( multipart/alternative (text, html), image/png ), text/calendar )
    """

    def __init__(self, *args, inline_images=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.inline_images = list(inline_images)

    def _create_alternatives(self, msg):
        msg = super()._create_alternatives(msg)
        if not self.inline_images:
            return msg
        related = SafeMIMEMultipart(_subtype="related", encoding=self.encoding or settings.DEFAULT_CHARSET)
        related.attach(msg)
        for image in self.inline_images:
            related.attach(image)
        return related


def register_writers() -> None:
    messages.register(BOOKING_KINDS, build=build_message, called_off=called_off)


def _booking_of(email: OutgoingEmail) -> Booking:
    """The booking the email is about, read once for both called_off and build_message (kept on the row)."""
    if not OutgoingEmail.booking.is_cached(email):
        email.booking = Booking.objects.select_related("session__experience__village").get(pk=email.booking_id)
    return email.booking


def called_off(email: OutgoingEmail) -> bool:
    """An email overtaken before it went out: a confirmation or reminder for a booking (or session) cancelled since,
    or any booking email (a cancellation included) written before the booking was moved, which would now describe
    the new date.
    """
    if email.kind not in VOID_WHEN_CANCELLED and email.kind != Kind.BOOKING_CANCELLED:
        return False
    booking = _booking_of(email)
    if email.revision < booking.calendar_sequence:
        return True
    if email.kind == Kind.BOOKING_CANCELLED:
        return False
    return booking.status == Booking.Status.CANCELLED or booking.session.status == Session.Status.CANCELLED


def build_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The message for one outbox row about a booking, rendered in the row's language."""
    booking = _booking_of(email)
    kind = Kind(email.kind)
    with translation.override(email.language):
        context = _context(booking, kind)
        subject = _subject(kind, context)
        text, html = render_parts(kind, {**context, "subject": subject})
        calendar = booking_calendar(booking) if kind in WITH_CALENDAR else None
    message = BookingMessage(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        # The village can answer the visitor straight from its notice.
        reply_to=[booking.email] if kind == Kind.OPERATOR_NEW_BOOKING else None,
        inline_images=[_qr_image(booking, context["qr_cid"])] if kind in WITH_QR_CODE else (),
    )
    message.attach_alternative(html, "text/html")
    if calendar is not None:
        message.attach(_calendar_attachment(booking, calendar))
    return message


# --- What the templates are given


def _context(booking: Booking, kind: str) -> dict:
    session = booking.session
    experience = session.experience
    village = experience.village
    return {
        "kind": kind,
        "booking": booking,
        "session": session,
        "experience": experience,
        "village": village,
        "when": local_datetime(session.starts_at),
        "until": _end_time(session.starts_at, session.ends_at),
        "party": party_size(booking.adults, booking.children),
        "total": format_price(booking.total_price),
        "meeting_point": experience.meeting_point,
        **trip_parts(experience, before_you_go=kind in WITH_BEFORE_YOU_GO, getting_there=kind in WITH_GETTING_THERE),
        "moved_from": local_datetime(booking.moved_from.starts_at) if booking.moved_from_id else None,
        "cancel_until": local_datetime(booking.cancellation_deadline),
        "manage_url": manage_url(booking),
        "experience_url": _experience_url(experience),
        "check_in_code": booking.check_in_code,
        "qr_cid": f"qr-{booking.reference}@villages",
        "phone": _readable_phone(booking.phone),
        "awaiting_approval": booking.status == Booking.Status.PENDING,
        "cancelled_by_visitor": booking.cancelled_by == Booking.CancelledBy.VISITOR,
        **(_rebooking(booking) if kind == Kind.BOOKING_CANCELLED else {}),
    }


@dataclass(frozen=True)
class Part:
    """A piece of an email in both its forms."""

    text: str
    html: str


_trip_parts: dict[tuple, tuple[float, dict]] = {}


def trip_parts(experience, *, before_you_go: bool, getting_there: bool) -> dict:
    """What the experience's emails say about the trip, the same for every booking, in the active language: "before
    you go" and (the confirmation only, the other emails stay short) how to get there with the least CO₂. Rendered
    once per experience and language, then reused for TRIP_PARTS_SECONDS: a burst of bookings renders them once."""
    if not (before_you_go or getting_there):
        return {}
    village = experience.village
    key = (translation.get_language(), experience.pk, experience.updated_at, village.pk, village.updated_at)
    now = time.monotonic()
    expires, parts = _trip_parts.get(key, (0, {}))
    if expires <= now or (getting_there and "getting_there" not in parts):
        if len(_trip_parts) >= TRIP_PARTS_KEPT:
            _trip_parts.clear()
        parts = _render_trip_parts(experience, getting_there=getting_there)
        _trip_parts[key] = (now + TRIP_PARTS_SECONDS, parts)
    return {name: part for name, part in parts.items() if name != "getting_there" or getting_there}


def _render_trip_parts(experience, *, getting_there: bool) -> dict[str, Part]:
    context = {
        "meeting_point_map_url": meeting_point_map_url(experience),
        "what_to_bring": experience.what_to_bring,
        "accessibility": experience.accessibility,
        "weather_policy": experience.weather_policy,
    }
    names = ["before_you_go"]
    if getting_there:
        context["route"] = greenest_route(experience.village)
        names.append("getting_there")
    return {
        name: Part(
            # Plain text, unescaped, as the emails' text templates (autoescape off) showed it when they included it.
            text=get_template(f"emails/_{name}.txt").template.render(Context(context, autoescape=False)),
            html=render_to_string(f"emails/_{name}.html", context),
        )
        for name in names
    }


def _rebooking(booking: Booking) -> dict:
    """For a booking the village cancelled with its session: why, and links to move the party to the experience's
    next sessions with room (each opens the manage page with that session chosen), or to keep it cancelled."""
    if not booking.rebookable:
        return {}
    manage = manage_url(booking)
    return {
        "cancellation_reason": booking.session.cancellation_reason,
        "rebook_choices": [
            {"when": local_datetime(session.starts_at), "url": f"{manage}&move={session.pk}#move"}
            for session in sessions_to_move_to(booking, limit=REBOOK_CHOICES)
        ],
        "keep_cancelled_url": f"{manage}&keep=cancelled",
    }


def meeting_point_map_url(experience) -> str | None:
    """OpenStreetMap at the meeting point, for a phone to open; None without coordinates."""
    latitude, longitude = experience.meeting_point_latitude, experience.meeting_point_longitude
    if latitude is None or longitude is None:
        return None
    return f"https://www.openstreetmap.org/?mlat={latitude}&mlon={longitude}#map=17/{latitude}/{longitude}"


def _subject(kind: str, context: dict) -> str:
    values = {"title": context["experience"].title, "reference": context["booking"].reference, "when": context["when"]}
    if kind == Kind.BOOKING_CONFIRMED:
        subject = _("Booking confirmed: %(title)s (%(reference)s)") % values
    elif kind == Kind.BOOKING_RECEIVED:
        subject = _("Booking received: %(title)s (%(reference)s)") % values
    elif kind == Kind.BOOKING_REMINDER:
        subject = _("Reminder: %(title)s, %(when)s (%(reference)s)") % values
    elif kind == Kind.BOOKING_CANCELLED:
        subject = _("Booking cancelled: %(title)s (%(reference)s)") % values
    elif kind == Kind.BOOKING_MOVED:
        subject = _("Booking moved to %(when)s: %(title)s (%(reference)s)") % values
    elif context["awaiting_approval"]:
        subject = _("Booking to approve %(reference)s: %(title)s, %(when)s") % values
    else:
        subject = _("New booking %(reference)s: %(title)s, %(when)s") % values
    return one_line(subject)


def local_datetime(value) -> str:
    """A time as it is on the spot, in Shanghai, written the way the active language writes dates.

    zh-hans: 2026年11月28日 周六 10:00; en (and anything else): Sat 28 Nov 2026, 10:00.
    """
    local = timezone.localtime(value, timezone.get_default_timezone())
    if translation.get_language() == "zh-hans":
        return f"{date_format(local, 'Y年n月j日')} 周{ZH_WEEKDAYS[local.weekday()]} {date_format(local, 'H:i')}"
    return date_format(local, "D j M Y, H:i")


def _end_time(starts_at, ends_at) -> str:
    """Only the clock time when the session ends the same day, the full date otherwise."""
    zone = timezone.get_default_timezone()
    if timezone.localtime(starts_at, zone).date() == timezone.localtime(ends_at, zone).date():
        return date_format(timezone.localtime(ends_at, zone), "H:i")
    return local_datetime(ends_at)


def party_size(adults: int, children: int) -> str:
    parts = []
    if adults:
        parts.append(ngettext("%(count)d adult", "%(count)d adults", adults) % {"count": adults})
    if children:
        parts.append(ngettext("%(count)d child", "%(count)d children", children) % {"count": children})
    return _list_separator().join(parts)


def _list_separator() -> str:
    return pgettext("list separator", ", ")


def format_price(amount) -> str:
    """¥224.00 from a Decimal, never through a float."""
    return f"¥{amount:,.2f}"


def manage_url(booking: Booking) -> str:
    """The absolute link to the visitor's manage page, in the active language."""
    return settings.SITE_URL + booking.get_absolute_url()


def _experience_url(experience) -> str | None:
    """Where to book another session, while the experience is still on the site."""
    if experience.is_published and experience.village.is_published:
        return settings.SITE_URL + experience.get_absolute_url()
    return None


def _readable_phone(phone: str) -> str:
    """+86 138 0013 8000 from the stored +8613800138000, for a person to read out."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(phone), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return phone


# --- The QR code and the calendar file


def check_in_qr_png(booking: Booking) -> bytes:
    """A PNG QR code of the booking's check-in code, large enough for a phone camera at the village gate."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4, mask_pattern=QR_MASK_PATTERN
    )
    code.add_data(booking.check_in_code)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=PilImage).save(buffer)
    return buffer.getvalue()


def _qr_image(booking: Booking, content_id: str) -> MIMEImage:
    image = MIMEImage(check_in_qr_png(booking), _subtype="png")
    image.add_header("Content-ID", f"<{content_id}>")
    image.add_header("Content-Disposition", "inline", filename=f"{booking.reference}-check-in.png")
    return image


def booking_calendar(booking: Booking) -> bytes:
    """The booking as an iCalendar file (one VEVENT, times in UTC), in the active language."""
    session = booking.session
    experience = session.experience
    village = experience.village
    link = manage_url(booking)
    calendar = Calendar()
    calendar.add("prodid", "-//Village Trails//Shanghai villages//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{booking.reference}@villages")
    event.add("sequence", booking.calendar_sequence)  # a moved booking replaces its earlier event
    event.add("dtstamp", timezone.now().astimezone(UTC).replace(microsecond=0))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", experience.title)
    event.add("location", _list_separator().join(part for part in (village.name, experience.meeting_point) if part))
    event.add(
        "description",
        "\n".join(
            [
                _("Booking reference: %(reference)s") % {"reference": booking.reference},
                _("Party: %(party)s") % {"party": party_size(booking.adults, booking.children)},
                _("Manage or cancel your booking: %(url)s") % {"url": link},
            ]
        ),
    )
    event.add("url", link)
    event.add("status", _calendar_status(booking))
    if experience.meeting_point_latitude is not None and experience.meeting_point_longitude is not None:
        event.add("geo", (float(experience.meeting_point_latitude), float(experience.meeting_point_longitude)))
    elif village.latitude is not None and village.longitude is not None:
        event.add("geo", (float(village.latitude), float(village.longitude)))
    calendar.add_component(event)
    return calendar.to_ical()


def _calendar_status(booking: Booking) -> str:
    if booking.status == Booking.Status.CANCELLED:
        return "CANCELLED"
    if booking.status == Booking.Status.PENDING:
        return "TENTATIVE"
    return "CONFIRMED"


def _calendar_attachment(booking: Booking, calendar: bytes) -> MIMEText:
    part = MIMEText(calendar.decode(), "calendar", "utf-8")
    part.set_param("method", "PUBLISH")
    part.add_header("Content-Disposition", "attachment", filename=f"{booking.reference}.ics")
    return part
