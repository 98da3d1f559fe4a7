"""Personal data kept only as long as needed (purge), handed over (export) and erased on request, through the
commands the platform runs; with real CV files, on PostgreSQL under CI."""

import io
import json
import stat
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from bookings import services as booking_services
from bookings.models import Booking
from core import personal_data
from core.tasks import purge_personal_data
from outbox.models import OutgoingEmail
from residency.models import ResidencyApplication
from tests.factories import (
    ExperienceFactory,
    ResidencyProgramFactory,
    SessionFactory,
    make_application,
    make_booking,
)

pytestmark = pytest.mark.django_db(transaction=True)

ALEX = {"name": "Alex Morgan", "email": "Alex@Example.com", "phone": "13800138000", "language": "en"}


def run(command, *args) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def mailbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return mail.outbox


def booking_of(session_days_ago: int, **details) -> Booking:
    """A confirmed booking of a session that ended `session_days_ago` days ago (made before it started)."""
    now = timezone.now()
    start = now - timedelta(days=session_days_ago, hours=2)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1))
    booking, _created = booking_services.create_booking(
        session_id=session.pk, adults=2, now=start - timedelta(days=1), **{"name": "王小明", **details}
    )
    booking_services.confirm_booking(booking.pk)
    return booking


def test_a_booking_a_year_after_its_session_loses_its_personal_data_and_keeps_its_figures(settings):
    old = booking_of(366, email="old@example.com", phone="13800138001", language="zh-hans")
    recent = booking_of(10, email="recent@example.com", phone="13800138002", language="zh-hans")
    upcoming = make_booking(SessionFactory(), email="soon@example.com")

    assert "bookings: 1 would be anonymised" in run("purge_personal_data", "--dry-run")
    old.refresh_from_db()
    assert old.email == "old@example.com"  # a dry run changes nothing

    assert "bookings: 1 anonymised" in run("purge_personal_data")
    old.refresh_from_db()
    assert (old.name, old.phone, old.notes) == (personal_data.ERASED, personal_data.ERASED, "")
    assert old.email.endswith("@erased.invalid") and old.personal_data_removed_at
    assert (old.adults, old.total_price, old.status) == (2, old.session.adult_price * 2, Booking.Status.CONFIRMED)
    for untouched in (recent, upcoming):
        untouched.refresh_from_db()
        assert untouched.personal_data_removed_at is None and "@example.com" in untouched.email
    assert "bookings: 0 anonymised" in run("purge_personal_data")  # again: nothing more


def test_the_retention_of_bookings_is_a_setting(settings):
    settings.BOOKING_RETENTION_DAYS = 5
    booking = booking_of(10, email="a@example.com", phone="13800138001", language="en")
    run("purge_personal_data")
    booking.refresh_from_db()
    assert booking.personal_data_removed_at is not None


def decided(application, status, days_ago):
    ResidencyApplication.objects.filter(pk=application.pk).update(
        status=status, decided_at=timezone.now() - timedelta(days=days_ago)
    )


def test_an_application_half_a_year_after_its_decision_loses_its_details_and_its_cv(settings):
    program = ResidencyProgramFactory()
    rejected_long_ago = make_application(program, email="old@example.com")
    rejected_lately = make_application(program, email="new@example.com")
    accepted_long_ago = make_application(program, email="accepted@example.com")  # cohort still to come
    decided(rejected_long_ago, ResidencyApplication.Status.REJECTED, 181)
    decided(rejected_lately, ResidencyApplication.Status.REJECTED, 10)
    decided(accepted_long_ago, ResidencyApplication.Status.ACCEPTED, 300)
    cv_path = settings.PRIVATE_ROOT / rejected_long_ago.cv.name
    assert cv_path.exists()

    assert "applications: 1 would be anonymised" in run("purge_personal_data", "--dry-run")
    assert cv_path.exists()
    assert "applications: 1 anonymised" in run("purge_personal_data")

    rejected_long_ago.refresh_from_db()
    assert not cv_path.exists()
    assert (rejected_long_ago.name, rejected_long_ago.proposal, rejected_long_ago.cv.name) == (
        personal_data.ERASED,
        "",
        "",
    )
    assert rejected_long_ago.status == ResidencyApplication.Status.REJECTED
    for kept in (rejected_lately, accepted_long_ago):
        kept.refresh_from_db()
        assert kept.personal_data_removed_at is None and (settings.PRIVATE_ROOT / kept.cv.name).exists()


def test_the_address_of_a_sent_email_goes_after_ninety_days(settings, mailbox):
    booking = make_booking(SessionFactory(experience__village__contact_email="v@example.com"), email="a@example.com")
    booking_services.confirm_booking(booking.pk)
    email = booking.emails.get(kind=OutgoingEmail.Kind.BOOKING_CONFIRMED)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), created_at=timezone.now() - timedelta(days=91)
    )
    run("purge_personal_data")
    email.refresh_from_db()
    assert email.recipient.endswith("@erased.invalid") and email.personal_data_removed_at
    waiting = booking.emails.get(kind=OutgoingEmail.Kind.OPERATOR_NEW_BOOKING)
    assert waiting.recipient == "v@example.com"  # not sent yet: kept


def test_an_export_holds_everything_about_one_address_and_nothing_about_anyone_else(settings):
    session = SessionFactory(experience=ExperienceFactory())
    mine = make_booking(session, adults=1, **ALEX)
    make_booking(session, adults=1, email="someone-else@example.com")
    application = make_application(ResidencyProgramFactory(), email="alex@example.com")
    make_application(ResidencyProgramFactory(), email="other@example.com")
    booking_services.confirm_booking(mine.pk)

    document = json.loads(run("export_personal_data", "alex@example.com"))

    assert [row["reference"] for row in document["bookings"]] == [mine.reference]
    assert document["bookings"][0]["phone"] == "+8613800138000"
    assert [row["reference"] for row in document["applications"]] == [application.reference]
    assert document["applications"][0]["cv_file_name"].endswith(".pdf")
    assert {row["kind"] for row in document["emails"]} >= {"booking_confirmed", "application_submitted"}
    assert "someone-else" not in json.dumps(document) and "other@example.com" not in json.dumps(document)


def test_erasing_an_address_with_a_booking_to_come_is_refused_and_changes_nothing():
    booking = make_booking(SessionFactory(), **ALEX)
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("erase_personal_data", "alex@example.com", stdout=io.StringIO(), stderr=io.StringIO())
    booking.refresh_from_db()
    assert booking.email == "Alex@Example.com" and booking.status == Booking.Status.PENDING


def test_erasing_with_cancel_upcoming_cancels_emails_the_person_first_then_forgets_everything(settings, mailbox):
    session = SessionFactory()
    booking = make_booking(session, **ALEX)
    booking_services.confirm_booking(booking.pk)
    past = booking_of(30, **ALEX)
    application = make_application(ResidencyProgramFactory(), email="alex@example.com")
    cv_path = settings.PRIVATE_ROOT / application.cv.name

    output = run("erase_personal_data", "alex@example.com", "--cancel-upcoming")

    assert "bookings: 2 erased" in output and "applications: 1 erased" in output
    assert [message.to for message in mailbox] == [["Alex@Example.com"], ["alex@example.com"]]  # told first
    booking.refresh_from_db()
    session.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and session.seats_taken == 0
    for row in (booking, past):
        row.refresh_from_db()
        assert row.name == personal_data.ERASED and "alex" not in row.email.lower()
    application.refresh_from_db()
    assert application.status == ResidencyApplication.Status.WITHDRAWN and application.name == personal_data.ERASED
    assert not cv_path.exists()
    assert not OutgoingEmail.objects.filter(recipient__iexact="alex@example.com").exists()
    assert json.loads(run("export_personal_data", "alex@example.com")) | {"exported_at": ""} == {
        "email": "alex@example.com",
        "exported_at": "",
        "bookings": [],
        "waitlist_entries": [],
        "applications": [],
        "emails": [],
    }


def test_cvs_and_their_folders_are_readable_by_the_server_only(settings):
    application = make_application(ResidencyProgramFactory())
    path = settings.PRIVATE_ROOT / application.cv.name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_booking_and_an_application_record_the_privacy_notice_they_were_made_under(settings):
    settings.PRIVACY_VERSION = "2030-01-01"
    assert make_booking(SessionFactory()).privacy_version == "2030-01-01"
    assert make_application(ResidencyProgramFactory()).privacy_version == "2030-01-01"


def test_the_beats_daily_task_purges_as_the_command_does():
    booking = booking_of(400, email="old@example.com", phone="13800138001", language="en")
    assert purge_personal_data() == {"bookings": 1, "waitlist_entries": 0, "applications": 0, "emails": 0}
    booking.refresh_from_db()
    assert booking.personal_data_removed_at is not None
