"""The operators' daily work: calling sessions off, checking visitors in, no-shows and the CSV of the day."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from bookings import services
from bookings.errors import InvalidTransition, SessionHasCheckIns, UnknownCheckInCode
from bookings.models import Booking
from outbox import services as outbox_services
from outbox.models import OutgoingEmail
from tests.factories import ExperienceFactory, SessionFactory, VillageFactory, make_operator
from villages.models import Session, VillageMembership

pytestmark = pytest.mark.django_db

CHECK_IN = "admin:bookings_booking_check_in"
BOOKINGS = "admin:bookings_booking_changelist"
SESSIONS = "admin:villages_session_changelist"


@pytest.fixture
def operator(client, django_user_model, village):
    user = make_operator("op", village)
    client.force_login(user)
    return user


@pytest.fixture
def other_session():
    """A session of a village the operator does not run."""
    return SessionFactory(experience=ExperienceFactory(village=VillageFactory(slug="zhangyan")))


def confirmed(session, visitor, adults=2, children=0, **extra) -> Booking:
    booking, _created = services.create_booking(
        session_id=session.pk, adults=adults, children=children, **{**visitor, **extra}
    )
    return services.confirm_booking(booking.pk)


def in_zh(message, **params) -> str:
    """What the admin (under /zh-hans/) shows for a message, escaped as on the page."""
    with translation.override("zh-hans"):
        text = gettext(message)
    return escape(text % params if params else text)


def fresh(obj):
    obj.refresh_from_db()
    return obj


def start_now(session, ago=timedelta(minutes=10)):
    """Move an already booked session into the past: it started `ago`."""
    starts_at = timezone.now() - ago
    Session.objects.filter(pk=session.pk).update(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))


# --- Calling a session off


def test_cancelling_a_session_cancels_its_bookings_frees_seats_and_writes_one_email_per_visitor(
    bookable_session, visitor
):
    first = confirmed(bookable_session, visitor, adults=2, children=1)
    second = confirmed(bookable_session, {**visitor, "email": "li@example.com"}, adults=1)
    earlier = confirmed(bookable_session, {**visitor, "email": "zhao@example.com"}, adults=1)
    services.cancel_booking(earlier.pk, by=Booking.CancelledBy.VISITOR)
    assert fresh(bookable_session).seats_taken == 4

    session, cancelled = services.cancel_session(bookable_session.pk)

    assert session.status == Session.Status.CANCELLED == fresh(bookable_session).status
    assert {booking.pk for booking in cancelled} == {first.pk, second.pk}
    for booking in (first, second):
        fresh(booking)
        assert booking.status == Booking.Status.CANCELLED
        assert booking.cancelled_by == Booking.CancelledBy.OPERATOR
    assert fresh(earlier).cancelled_by == Booking.CancelledBy.VISITOR
    assert bookable_session.seats_taken == 0
    emails = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.BOOKING_CANCELLED)
    assert sorted(emails.values_list("recipient", flat=True)) == sorted(
        [visitor["email"], "li@example.com", "zhao@example.com"]
    )

    # Again: nothing more is cancelled, nobody gets a second email.
    _session, cancelled_again = services.cancel_session(bookable_session.pk)
    assert cancelled_again == []
    assert emails.count() == 3
    assert fresh(bookable_session).seats_taken == 0


def test_the_cancellation_emails_of_a_cancelled_session_are_sent(settings, bookable_session, visitor):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    confirmed(bookable_session, visitor)
    confirmed(bookable_session, {**visitor, "email": "li@example.com", "language": "en"}, adults=1)
    services.cancel_session(bookable_session.pk)

    rows = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.BOOKING_CANCELLED)
    assert [outbox_services.send_outgoing_email(row.pk) for row in rows] == ["sent", "sent"]

    assert sorted(message.to[0] for message in mail.outbox) == sorted([visitor["email"], "li@example.com"])
    assert all(row.status == OutgoingEmail.Status.SENT for row in rows.all())


def test_a_session_whose_visitors_checked_in_cannot_be_cancelled(operator, bookable_session, visitor):
    arrived = confirmed(bookable_session, visitor)
    waiting = confirmed(bookable_session, {**visitor, "email": "li@example.com"}, adults=1)
    services.check_in(arrived.check_in_code, user=operator)
    with pytest.raises(SessionHasCheckIns):
        services.cancel_session(bookable_session.pk)
    assert fresh(bookable_session).status == Session.Status.SCHEDULED
    assert fresh(waiting).status == Booking.Status.CONFIRMED
    assert bookable_session.seats_taken == 3


def test_an_operator_cancels_a_session_from_the_list_with_a_reason_and_it_is_logged(
    client, operator, bookable_session, visitor
):
    booking = confirmed(bookable_session, visitor)
    chosen = {"action": "cancel_sessions", "_selected_action": [bookable_session.pk]}
    confirmation = client.post(reverse(SESSIONS), chosen)
    assert confirmation.status_code == 200 and 'name="reason"' in confirmation.content.decode()
    assert fresh(bookable_session).status == Session.Status.SCHEDULED  # nothing happens before the confirmation

    response = client.post(reverse(SESSIONS), {**chosen, "post": "yes", "reason": "暴雨预警"}, follow=True)
    assert response.status_code == 200
    session = fresh(bookable_session)
    assert (session.status, session.cancellation_reason) == (Session.Status.CANCELLED, "暴雨预警")
    assert fresh(booking).status == Booking.Status.CANCELLED
    assert LogEntry.objects.filter(user=operator, object_id=str(bookable_session.pk)).exists()


def test_a_reason_too_long_is_refused_on_the_confirmation_page_and_nothing_is_cancelled(
    client, operator, bookable_session, visitor
):
    booking = confirmed(bookable_session, visitor)
    chosen = {"action": "cancel_sessions", "_selected_action": [bookable_session.pk], "post": "yes"}
    response = client.post(reverse(SESSIONS), {**chosen, "reason": "雨" * 1001})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert fresh(bookable_session).status == Session.Status.SCHEDULED
    assert fresh(booking).status == Booking.Status.CONFIRMED


def test_the_session_list_shows_seats_and_the_session_page_its_bookings(client, operator, bookable_session, visitor):
    confirmed(bookable_session, visitor, adults=2, children=1)
    listed = client.get(reverse(SESSIONS)).content.decode()
    assert "column-seats_sold" in listed and "column-seats_left" in listed
    page = client.get(reverse("admin:villages_session_change", args=[bookable_session.pk])).content.decode()
    assert visitor["name"] in page
    assert 'name="status"' not in page  # cancelling is the action's job, with its emails


# --- Check-in


def test_the_check_in_page_checks_a_visitor_in(client, operator, bookable_session, visitor):
    booking = confirmed(bookable_session, visitor, adults=2, children=1)
    changelist = client.get(reverse(BOOKINGS)).content.decode()
    assert reverse(CHECK_IN) in changelist

    form = client.get(reverse(CHECK_IN)).content.decode()
    assert "autofocus" in form and 'inputmode="text"' in form and 'autocomplete="off"' in form

    typed = " " + booking.check_in_code[:4].lower() + " " + booking.check_in_code[4:].lower() + " "
    response = client.post(reverse(CHECK_IN), {"code": typed})

    assert response.status_code == 200
    page = response.content.decode()
    assert visitor["name"] in page and escape(str(bookable_session)) in page
    fresh(booking)
    assert booking.status == Booking.Status.CHECKED_IN
    assert timezone.now() - booking.checked_in_at < timedelta(minutes=1)


def _cancelled(booking, operator):
    services.cancel_booking(booking.pk, by=Booking.CancelledBy.OPERATOR)


def _checked_in(booking, operator):
    services.check_in(booking.check_in_code, user=operator)


@pytest.mark.parametrize(
    ("prepare", "status", "message"),
    [
        (_cancelled, 409, "This booking was cancelled; it cannot be checked in."),
        (_checked_in, 409, "This code was already used at %(time)s."),
    ],
    ids=["cancelled", "already-used"],
)
def test_the_check_in_page_refuses_a_booking_that_cannot_be_checked_in(
    client, operator, bookable_session, visitor, prepare, status, message
):
    booking = confirmed(bookable_session, visitor)
    prepare(booking, operator)
    before = fresh(booking)
    params = {}
    if before.checked_in_at:
        params["time"] = f"{timezone.localtime(before.checked_in_at):%H:%M}"
    response = client.post(reverse(CHECK_IN), {"code": booking.check_in_code})
    assert response.status_code == status
    assert in_zh(message, **params) in response.content.decode()
    after = fresh(booking)
    assert (after.status, after.checked_in_at) == (before.status, before.checked_in_at)


def test_the_check_in_page_refuses_a_booking_not_yet_confirmed(client, operator, village, visitor):
    session = SessionFactory(experience=ExperienceFactory(village=village, requires_approval=True))
    booking = confirmed(session, visitor)
    assert booking.status == Booking.Status.PENDING
    response = client.post(reverse(CHECK_IN), {"code": booking.check_in_code})
    assert response.status_code == 409
    assert in_zh("This booking is not confirmed yet; it cannot be checked in.") in response.content.decode()
    assert fresh(booking).status == Booking.Status.PENDING and booking.checked_in_at is None


def test_the_check_in_page_refuses_an_unknown_code(client, operator, bookable_session, visitor):
    booking = confirmed(bookable_session, visitor)
    response = client.post(reverse(CHECK_IN), {"code": "ZZZZ2222"})
    assert response.status_code == 400
    assert in_zh("No booking has this check-in code.") in response.content.decode()
    assert fresh(booking).status == Booking.Status.CONFIRMED


def test_the_check_in_page_treats_another_villages_code_as_unknown(client, operator, other_session, visitor):
    theirs = confirmed(other_session, visitor)
    response = client.post(reverse(CHECK_IN), {"code": theirs.check_in_code})
    assert response.status_code == 400
    page = response.content.decode()
    assert in_zh("No booking has this check-in code.") in page
    assert visitor["name"] not in page
    assert fresh(theirs).status == Booking.Status.CONFIRMED and theirs.checked_in_at is None


def test_the_check_in_page_needs_the_change_booking_permission(client, django_user_model, village):
    viewer = django_user_model.objects.create_user("viewer", password="a-long-password-123", is_staff=True)
    VillageMembership.objects.create(user=viewer, village=village, role="manager")
    client.force_login(viewer)
    assert client.get(reverse(CHECK_IN)).status_code == 403


def test_mark_checked_in_from_the_list_warns_per_refused_row(client, operator, bookable_session, visitor):
    ready = confirmed(bookable_session, visitor)
    gone = confirmed(bookable_session, {**visitor, "email": "li@example.com"}, adults=1)
    services.cancel_booking(gone.pk, by=Booking.CancelledBy.OPERATOR)
    response = client.post(
        reverse(BOOKINGS), {"action": "mark_checked_in", "_selected_action": [ready.pk, gone.pk]}, follow=True
    )
    assert fresh(ready).status == Booking.Status.CHECKED_IN
    assert fresh(gone).status == Booking.Status.CANCELLED
    page = response.content.decode()
    assert f"{gone.reference}: {in_zh('This booking was cancelled; it cannot be checked in.')}" in page


# --- No-shows


def test_a_no_show_is_marked_only_once_the_session_has_started(bookable_session, visitor):
    booking = confirmed(bookable_session, visitor, adults=2)
    with pytest.raises(InvalidTransition):
        services.mark_no_show(booking.pk, now=bookable_session.starts_at - timedelta(minutes=1))
    assert fresh(booking).status == Booking.Status.CONFIRMED
    assert fresh(bookable_session).seats_taken == 2

    services.mark_no_show(booking.pk, now=bookable_session.starts_at + timedelta(minutes=15))

    assert fresh(booking).status == Booking.Status.NO_SHOW
    assert fresh(bookable_session).seats_taken == 0  # a no-show holds no seats
    with pytest.raises(InvalidTransition):
        services.mark_no_show(booking.pk, now=bookable_session.starts_at + timedelta(minutes=20))


def test_mark_no_show_from_the_list(client, operator, bookable_session, visitor):
    booking = confirmed(bookable_session, visitor)
    client.post(reverse(BOOKINGS), {"action": "mark_no_show", "_selected_action": [booking.pk]})
    assert fresh(booking).status == Booking.Status.CONFIRMED  # not started yet

    start_now(bookable_session)
    client.post(reverse(BOOKINGS), {"action": "mark_no_show", "_selected_action": [booking.pk]})
    assert fresh(booking).status == Booking.Status.NO_SHOW


# --- The list and its export


def test_the_booking_list_filters_by_session_and_session_day(client, operator, village, visitor):
    in_two_days = timezone.now().replace(microsecond=0) + timedelta(days=2)
    bookable_session = SessionFactory(experience=ExperienceFactory(village=village), starts_at=in_two_days)
    booking = confirmed(bookable_session, visitor)
    day = timezone.localtime(bookable_session.starts_at)
    for params in (
        {"session__id__exact": bookable_session.pk},
        {"session_day": "next7"},
        {"session__starts_at__year": day.year, "session__starts_at__month": day.month},
    ):
        response = client.get(reverse(BOOKINGS), params)
        assert response.status_code == 200
        assert booking.reference in response.content.decode()
    assert booking.reference not in client.get(reverse(BOOKINGS), {"session_day": "today"}).content.decode()


def test_export_selected_to_csv_opens_in_excel_with_chinese_names(
    client, operator, bookable_session, other_session, visitor
):
    wang = confirmed(bookable_session, visitor, adults=2, children=1, notes="=HYPERLINK(1)")
    li = confirmed(bookable_session, {**visitor, "name": "李华", "email": "li@example.com"}, adults=1)
    not_selected = confirmed(bookable_session, {**visitor, "name": "赵六", "email": "zhao@example.com"}, adults=1)
    theirs = confirmed(other_session, {**visitor, "name": "外村人"}, adults=1)

    response = client.post(reverse(BOOKINGS), {"action": "export_csv", "_selected_action": [wang.pk, li.pk, theirs.pk]})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="bookings-{today:%Y%m%d}.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text[1:])))
    assert len(header) == 12
    by_reference = {row[0]: row for row in rows}
    assert set(by_reference) == {wang.reference, li.reference}
    assert not_selected.reference not in text and theirs.reference not in text and "外村人" not in text
    row = by_reference[wang.reference]
    start = timezone.localtime(bookable_session.starts_at)
    assert row[1] == f"{start:%Y-%m-%d %H:%M}"
    assert row[4:7] == ["2", "1", "224.00"]
    assert row[8:11] == ["王小明", visitor["email"], "+8613800138000"]
    assert row[11] == "'=HYPERLINK(1)"  # a visitor's text is never a formula in Excel
    assert by_reference[li.reference][8] == "李华"


# --- Another village's rows, even by a forged POST


def test_an_operator_cannot_act_on_another_villages_booking_or_session(client, operator, other_session, visitor):
    theirs = confirmed(other_session, visitor)
    for action in ("mark_checked_in", "cancel", "mark_no_show"):
        client.post(reverse(BOOKINGS), {"action": action, "_selected_action": [theirs.pk]})
    start_now(other_session)
    client.post(reverse(BOOKINGS), {"action": "mark_no_show", "_selected_action": [theirs.pk]})
    client.post(reverse(SESSIONS), {"action": "cancel_sessions", "_selected_action": [other_session.pk]})

    fresh(theirs)
    assert theirs.status == Booking.Status.CONFIRMED and theirs.checked_in_at is None
    assert fresh(other_session).status == Session.Status.SCHEDULED and other_session.seats_taken == 2
    assert not OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.BOOKING_CANCELLED).exists()
    with pytest.raises(UnknownCheckInCode):
        services.check_in(theirs.check_in_code, user=operator)
