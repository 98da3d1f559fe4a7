"""The emails about bookings and residency applications: subject, plain text and HTML in the recipient's language,
with the check-in QR code and the calendar file where the visitor needs them.

Pure rendering: nothing here writes to the database. `build_message` is what the outbox sends; `booking_calendar` and
`check_in_qr_png` are reused by the visitor's manage page.
"""

import io
import re
from datetime import UTC
from email.mime.image import MIMEImage
from email.mime.text import MIMEText
from email.utils import parseaddr

import phonenumbers
import qrcode
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from icalendar import Calendar, Event
from qrcode.image.pil import PilImage

from bookings.countries import country_name
from bookings.models import Booking, OutgoingEmail, ResidencyApplication

Kind = OutgoingEmail.Kind

# What each email carries besides its text: the QR code to show at the village, and the calendar entry.
WITH_QR_CODE = {Kind.BOOKING_CONFIRMED, Kind.BOOKING_REMINDER}
WITH_CALENDAR = {Kind.BOOKING_CONFIRMED}
# The applicant's emails share one template; each kind has its own heading and paragraph in it.
TO_APPLICANT = {
    Kind.APPLICATION_SUBMITTED,
    Kind.APPLICATION_UNDER_REVIEW,
    Kind.APPLICATION_ACCEPTED,
    Kind.APPLICATION_WAITLISTED,
    Kind.APPLICATION_REJECTED,
    Kind.APPLICATION_WITHDRAWN,
}
ZH_WEEKDAYS = "一二三四五六日"


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


def message_id(email: OutgoingEmail) -> str:
    """The Message-ID of an outbox row: the same on every attempt, so a mail client folds a second delivery into
    the first; unique to the row (its id and its creation time), under the sender's domain."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<outbox-{email.pk}-{email.created_at:%Y%m%d%H%M%S%f}@{domain}>"


def build_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The message for one outbox row, rendered in the row's language, with its stable Message-ID."""
    message = _application_message(email) if email.application_id is not None else _booking_message(email)
    message.extra_headers["Message-ID"] = message_id(email)
    return message


def _booking_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    booking = email.booking
    kind = Kind(email.kind)
    with translation.override(email.language):
        context = _context(booking, kind)
        subject = _subject(kind, context)
        context["subject"] = subject
        text = _tidy_text(render_to_string(f"emails/{kind}.txt", context))
        html = render_to_string(f"emails/{kind}.html", context)
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


def _application_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    application = email.application
    kind = Kind(email.kind)
    template = "application_status" if kind in TO_APPLICANT else kind
    with translation.override(email.language):
        context = _application_context(application, kind)
        subject = _application_subject(kind, context)
        context["subject"] = subject
        text = _tidy_text(render_to_string(f"emails/{template}.txt", context))
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        # The village answers the applicant straight from its notice.
        reply_to=[application.email] if kind == Kind.OPERATOR_NEW_APPLICATION else None,
    )
    message.attach_alternative(html, "text/html")
    return message


# --- What the templates are given


def _application_context(application: ResidencyApplication, kind: str) -> dict:
    program = application.program
    language = translation.get_language()
    return {
        "kind": kind,
        "application": application,
        "program": program,
        "village": program.village,
        "html_lang": "zh-Hans" if language == "zh-hans" else language,
        "cohort": f"{formats.date_format(program.starts_on)} – {formats.date_format(program.ends_on)}",
        "arrival": formats.date_format(application.arrival_date),
        "nationality": country_name(application.nationality),
        "status_url": settings.SITE_URL + application.get_absolute_url(),
        "site_url": settings.SITE_URL,
    }


def _application_subject(kind: str, context: dict) -> str:
    values = {
        "program": context["program"].name,
        "village": context["village"].name,
        "reference": context["application"].reference,
        "name": context["application"].name,
    }
    subjects = {
        Kind.APPLICATION_SUBMITTED: _("Application received: %(program)s (%(reference)s)"),
        Kind.APPLICATION_UNDER_REVIEW: _("Your application is being reviewed: %(program)s (%(reference)s)"),
        Kind.APPLICATION_ACCEPTED: _("Welcome to %(village)s: your application is accepted (%(reference)s)"),
        Kind.APPLICATION_WAITLISTED: _("You are on the waiting list: %(program)s (%(reference)s)"),
        Kind.APPLICATION_REJECTED: _("About your application to %(program)s (%(reference)s)"),
        Kind.APPLICATION_WITHDRAWN: _("Application withdrawn: %(program)s (%(reference)s)"),
        Kind.OPERATOR_NEW_APPLICATION: _("New residency application %(reference)s: %(name)s, %(program)s"),
    }
    return " ".join((subjects[kind] % values).split())


def _context(booking: Booking, kind: str) -> dict:
    session = booking.session
    experience = session.experience
    village = experience.village
    language = translation.get_language()
    return {
        "kind": kind,
        "booking": booking,
        "session": session,
        "experience": experience,
        "village": village,
        "html_lang": "zh-Hans" if language == "zh-hans" else language,
        "when": local_datetime(session.starts_at),
        "until": _end_time(session.starts_at, session.ends_at),
        "party": party_size(booking.adults, booking.children),
        "total": format_price(booking.total_price),
        "meeting_point": experience.meeting_point,
        "cancel_until": local_datetime(booking.cancellation_deadline),
        "manage_url": manage_url(booking),
        "experience_url": _experience_url(experience),
        "check_in_code": booking.check_in_code,
        "qr_cid": f"qr-{booking.reference}@villages",
        "phone": _readable_phone(booking.phone),
        "awaiting_approval": booking.status == Booking.Status.PENDING,
        "cancelled_by_visitor": booking.cancelled_by == Booking.CancelledBy.VISITOR,
        "site_url": settings.SITE_URL,
    }


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
    elif context["awaiting_approval"]:
        subject = _("Booking to approve %(reference)s: %(title)s, %(when)s") % values
    else:
        subject = _("New booking %(reference)s: %(title)s, %(when)s") % values
    return " ".join(subject.split())  # a header is one line, whatever an operator typed into a title


def _tidy_text(text: str) -> str:
    """Template tags leave trailing spaces and runs of blank lines; a plain-text email should have neither."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


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
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
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
    if village.latitude is not None and village.longitude is not None:
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
