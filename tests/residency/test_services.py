"""Residency applications through the services: what is taken, what is refused (and leaves nothing behind),
and how decisions count the cohort's places."""

from datetime import timedelta

import pytest
from django.utils import timezone

from outbox.models import OutgoingEmail
from residency import services
from residency.errors import InvalidApplication, InvalidDecision, ProgramFull
from residency.models import ResidencyApplication
from tests.factories import (
    ResidencyProgramFactory,
    VillageFactory,
    make_application,
    pdf_bytes,
    uploaded_pdf,
)

pytestmark = pytest.mark.django_db

Status = ResidencyApplication.Status
Kind = OutgoingEmail.Kind


@pytest.fixture
def program():
    return ResidencyProgramFactory(
        slug="shuiku-nomads", places=2, village=VillageFactory(contact_email="shuiku@example.com")
    )


def stored_files(settings) -> list:
    root = settings.PRIVATE_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def refusal(program, **overrides) -> dict:
    with pytest.raises(InvalidApplication) as refused:
        make_application(program, **overrides)
    return refused.value.as_dict()


def test_an_application_is_stored_with_its_cv_outside_the_public_media(program, settings):
    application = make_application(program)
    assert application.status == Status.SUBMITTED
    assert application.reference.startswith("RA-") and len(application.token) >= 40
    cv_file = settings.PRIVATE_ROOT / application.cv.name
    assert cv_file.read_bytes().startswith(b"%PDF-")
    assert settings.MEDIA_ROOT not in cv_file.parents
    assert "cv.pdf" not in application.cv.name  # never the applicant's file name


def test_the_applicant_and_the_village_are_each_emailed_once_about_a_new_application(program):
    application = make_application(program)
    emails = {(email.kind, email.recipient, email.language) for email in application.emails.all()}
    assert emails == {
        (Kind.APPLICATION_SUBMITTED, "alex@example.com", "en"),
        (Kind.OPERATOR_NEW_APPLICATION, "shuiku@example.com", "zh-hans"),
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"cv": uploaded_pdf(content=b"GIF89a this is a picture renamed to cv.pdf")}, "cv"),
        ({"cv": uploaded_pdf(content=b"%PDF-1.7\nnot really a pdf after the header")}, "cv"),
        ({"cv": None}, "cv"),
        ({"consent": False}, "consent"),
        ({"nationality": "XX"}, "nationality"),
        ({"nationality": "EU"}, "nationality"),
        ({"proposal": "I like villages."}, "proposal"),
        ({"email": "not-an-email"}, "email"),
        ({"portfolio_url": "javascript:alert(1)"}, "portfolio_url"),
        ({"name": "   "}, "name"),
        ({"stay_months": 0}, "stay_months"),
        ({"stay_months": -3}, "stay_months"),
        ({"stay_months": 10**6}, "stay_months"),
        ({"arrival_date": None}, "arrival_date"),
        ({"language": "fr"}, "language"),
    ],
)
def test_a_refused_application_names_the_field_and_writes_nothing(program, settings, overrides, field):
    errors = refusal(program, **overrides)
    assert field in errors
    assert not ResidencyApplication.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert stored_files(settings) == []


def test_a_cv_larger_than_five_megabytes_is_refused_with_the_limit_named(program):
    padded = pdf_bytes() + b"%" + b"0" * (5 * 1024 * 1024)
    errors = refusal(program, cv=uploaded_pdf(content=padded))
    assert "5.0" in errors["cv"][0]


def test_a_stay_must_lie_inside_the_cohort(program):
    before = refusal(program, arrival_date=program.starts_on - timedelta(days=1))
    assert "arrival_date" in before
    too_long = refusal(program, arrival_date=program.ends_on - timedelta(days=40), stay_months=2)
    assert "stay_months" in too_long and "arrival_date" not in too_long


def test_a_closed_or_unpublished_programme_takes_no_application(program):
    program.applications_close_at = timezone.now() - timedelta(minutes=1)
    program.applications_open_at = timezone.now() - timedelta(days=10)
    program.save()
    assert "program" in refusal(program)
    hidden = ResidencyProgramFactory(is_published=False)
    assert "program" in refusal(hidden)


def test_the_same_email_cannot_apply_twice_to_a_programme_whatever_its_case(program):
    make_application(program)
    errors = refusal(program, email="ALEX@Example.com")
    assert "已经申请过" in errors["email"][0]
    assert ResidencyApplication.objects.count() == 1
    other = ResidencyProgramFactory()
    assert make_application(other).program == other  # another programme is another application


def test_every_transition_emails_the_applicant_once_in_their_language(program):
    application = make_application(program, language="zh-hans")
    services.start_review(application.pk)
    services.start_review(application.pk)
    services.decide_application(application.pk, Status.WAITLISTED, message="  再等等  ")
    services.decide_application(application.pk, Status.WAITLISTED)
    services.decide_application(application.pk, Status.ACCEPTED)
    services.withdraw_application(application.pk)
    sent = list(application.emails.filter(recipient="alex@example.com").order_by("pk").values_list("kind", "language"))
    assert sent == [
        (Kind.APPLICATION_SUBMITTED, "zh-hans"),
        (Kind.APPLICATION_UNDER_REVIEW, "zh-hans"),
        (Kind.APPLICATION_WAITLISTED, "zh-hans"),
        (Kind.APPLICATION_ACCEPTED, "zh-hans"),
        (Kind.APPLICATION_WITHDRAWN, "zh-hans"),
    ]


def test_accepting_takes_a_place_and_refuses_once_the_places_are_gone(program):
    first, second, third = (make_application(program, email=f"n{number}@example.com") for number in range(3))
    services.decide_application(first.pk, Status.ACCEPTED)
    services.decide_application(second.pk, Status.ACCEPTED)
    with pytest.raises(ProgramFull):
        services.decide_application(third.pk, Status.ACCEPTED)
    program.refresh_from_db()
    assert program.places_accepted == 2 and program.places_left == 0
    third.refresh_from_db()
    assert third.status == Status.SUBMITTED
    assert not third.emails.filter(kind=Kind.APPLICATION_ACCEPTED).exists()
    services.decide_application(third.pk, Status.WAITLISTED)  # a full cohort still takes a waitlist


def test_an_accepted_applicant_who_withdraws_frees_the_place(program):
    application = make_application(program)
    services.decide_application(application.pk, Status.ACCEPTED)
    services.withdraw_application(application.pk)
    program.refresh_from_db()
    assert program.places_accepted == 0


def test_a_decided_application_cannot_be_decided_otherwise_or_withdrawn_after_rejection(program):
    application = make_application(program)
    services.decide_application(application.pk, Status.REJECTED, message="Thank you")
    with pytest.raises(InvalidDecision):
        services.decide_application(application.pk, Status.ACCEPTED)
    with pytest.raises(InvalidDecision):
        services.withdraw_application(application.pk)
    application.refresh_from_db()
    assert application.status == Status.REJECTED and application.decision_message == "Thank you"


def test_an_unknown_decision_is_refused(program):
    application = make_application(program)
    with pytest.raises(InvalidDecision):
        services.decide_application(application.pk, Status.WITHDRAWN)


def test_an_applicant_cannot_arrive_in_the_past_once_a_cohort_has_begun():
    today = timezone.localdate()
    running = ResidencyProgramFactory(starts_on=today - timedelta(days=7), ends_on=today + timedelta(days=120))
    errors = refusal(running, arrival_date=today - timedelta(days=1))
    assert list(errors) == ["arrival_date"]
    assert make_application(running, arrival_date=today).arrival_date == today
