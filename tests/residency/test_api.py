"""The residency applications API at /api/v1/residency-applications/: apply with a CV, read and withdraw with the
token; every refusal is the service's, whatever is sent the answer is JSON and never a 500."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from bookings import services as booking_services
from outbox.models import OutgoingEmail
from residency import services
from residency.models import ResidencyApplication
from tests.factories import (
    ResidencyProgramFactory,
    SessionFactory,
    VillageFactory,
    application_fields,
    make_application,
    pdf_bytes,
    uploaded_pdf,
)

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/residency-applications/"
ISO_SHANGHAI = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$"
OMIT = object()  # a field the client leaves out of the form
BOUNDARY = "7MA4YWxkTrZu0gW"

Status = ResidencyApplication.Status
Kind = OutgoingEmail.Kind


@pytest.fixture
def program():
    """Open for applications; a six-month cohort starting in about three months, at 水库村."""
    return ResidencyProgramFactory(
        slug="shuiku-nomads", village=VillageFactory(slug="shuiku", contact_email="shuiku@example.com")
    )


def form(program, /, **changes) -> dict:
    """An application as a client sends it in multipart/form-data: valid for `program`, in English."""
    fields = {**application_fields(program), **changes}
    return {name: value for name, value in fields.items() if value is not OMIT}


def post(client, data, language=None, **extra):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    return client.post(APPLICATIONS, data, **headers, **extra)


def apply(client, program, /, **changes) -> dict:
    response = post(client, form(program, **changes))
    assert response.status_code == 201, response.content
    return response.json()


def status_url(application, language):
    with translation.override(language):
        return settings.SITE_URL + application.get_absolute_url()


def detail_url(reference):
    return f"{APPLICATIONS}{reference}/"


def withdraw_url(reference, token):
    return f"{APPLICATIONS}{reference}/withdraw/?{urlencode({'token': token})}"


def stored_files(settings) -> list:
    root = settings.PRIVATE_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def assert_nothing_written(settings):
    assert not ResidencyApplication.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert stored_files(settings) == []


def raw_multipart(*parts: tuple[str, str]) -> bytes:
    """A multipart body written by hand, for what the test client would not send."""
    lines = []
    for name, value in parts:
        lines += [f"--{BOUNDARY}", f'Content-Disposition: form-data; name="{name}"', "", value]
    return ("\r\n".join([*lines, f"--{BOUNDARY}--", ""])).encode()


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


# --- Applying


def test_an_application_with_its_cv_answers_201_with_the_reference_the_token_and_the_status(client, program, settings):
    response = post(client, form(program))

    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == {"reference", "token", "status"}
    application = ResidencyApplication.objects.get()
    assert data["reference"] == application.reference
    assert re.fullmatch(r"RA-[2-9A-HJKMNP-Z]{7}", data["reference"])
    assert data["token"] == application.token
    assert data["status"] == "submitted"
    assert "no-store" in response["Cache-Control"]
    assert application.program == program
    assert (application.name, application.email, application.nationality) == ("Alex Morgan", "alex@example.com", "GB")
    assert (application.arrival_date, application.stay_months) == (program.starts_on, 3)
    assert application.consent_given_at is not None
    assert application.language == "en"
    assert (settings.PRIVATE_ROOT / application.cv.name).read_bytes().startswith(b"%PDF-")


def test_the_applicant_and_the_village_are_each_emailed_about_a_new_application(client, program):
    apply(client, program)

    emails = {(email.kind, email.recipient, email.language) for email in OutgoingEmail.objects.all()}
    assert emails == {
        (Kind.APPLICATION_SUBMITTED, "alex@example.com", "en"),
        (Kind.OPERATOR_NEW_APPLICATION, "shuiku@example.com", "zh-hans"),
    }


def test_an_anonymous_client_needs_no_csrf_token_even_with_a_logged_in_session(program, django_user_model):
    client = Client(enforce_csrf_checks=True)
    assert post(client, form(program, email="first@example.com")).status_code == 201
    client.force_login(django_user_model.objects.create_user("staff", password="x"))
    assert post(client, form(program, email="second@example.com")).status_code == 201


def test_the_language_is_the_requests_unless_the_client_names_one(client, program, settings):
    settings.RATE_LIMIT_APPLICATIONS = "4/h"  # four applications from one address
    english = post(client, form(program, email="en@example.com", language=OMIT), language="en")
    default = post(client, form(program, email="default@example.com", language=OMIT))
    chinese = post(client, form(program, email="zh@example.com", language=OMIT), language="zh-hans")
    named = post(client, form(program, email="named@example.com", language="zh-hans"), language="en")

    def stored_language(response):
        assert response.status_code == 201, response.content
        return ResidencyApplication.objects.get(reference=response.json()["reference"]).language

    assert stored_language(english) == "en"
    assert stored_language(default) == "zh-hans"
    assert stored_language(chinese) == "zh-hans"
    assert stored_language(named) == "zh-hans"


def test_an_empty_language_field_means_the_requests_language(client, program):
    assert apply(client, program, language="")  # a form's unselected option
    assert ResidencyApplication.objects.get().language == "zh-hans"


def test_fields_the_api_does_not_know_are_ignored(client, program):
    data = apply(client, program, status="accepted", reference="RA-2222222", token="mine", decision_message="Yes!")
    application = ResidencyApplication.objects.get()
    assert data["status"] == "submitted" and application.status == Status.SUBMITTED
    assert application.reference != "RA-2222222" and application.token != "mine"
    assert application.decision_message == ""


def test_consent_may_be_sent_as_a_checkbox_would_send_it(client, program):
    assert post(client, form(program, consent="on")).status_code == 201


def test_the_cv_is_judged_by_its_content_whatever_its_name(client, program, settings):
    apply(client, program, cv=SimpleUploadedFile("c" * 1000 + ".docx", pdf_bytes(), content_type="text/plain"))
    assert ResidencyApplication.objects.get().cv.name.endswith(".pdf")


# --- Refusals: the service's rules, each on its field


def closed_program():
    now = timezone.now()
    return ResidencyProgramFactory(
        applications_open_at=now - timedelta(days=30), applications_close_at=now - timedelta(minutes=1)
    )


def not_yet_open_program():
    now = timezone.now()
    return ResidencyProgramFactory(
        applications_open_at=now + timedelta(days=1), applications_close_at=now + timedelta(days=30)
    )


def oversized_pdf():
    return uploaded_pdf(content=pdf_bytes() + b"%" + b"0" * (5 * 1024 * 1024))


REFUSALS = {
    "a picture renamed cv.pdf": (None, {"cv": lambda _: uploaded_pdf(content=b"GIF89a a picture renamed")}, "cv"),
    "a pdf header with no pdf behind it": (None, {"cv": lambda _: uploaded_pdf(content=b"%PDF-1.7\nnot a pdf")}, "cv"),
    "a cv over 5 MB": (None, {"cv": lambda _: oversized_pdf()}, "cv"),
    "a closed window": (closed_program, {}, "program"),
    "a window not yet open": (not_yet_open_program, {}, "program"),
    "an unpublished programme": (lambda: ResidencyProgramFactory(is_published=False), {}, "program"),
    "an unpublished village": (
        lambda: ResidencyProgramFactory(village=VillageFactory(is_published=False)),
        {},
        "program",
    ),
    "an unknown programme": (None, {"program": "atlantis-nomads"}, "program"),
    "no programme": (None, {"program": OMIT}, "program"),
    "no consent": (None, {"consent": OMIT}, "consent"),
    "consent refused": (None, {"consent": "false"}, "consent"),
    "a stay past the cohort's end": (None, {"stay_months": 7}, "stay_months"),
    "a stay of no months": (None, {"stay_months": 0}, "stay_months"),
    "a stay of 25 months": (None, {"stay_months": 25}, "stay_months"),
    "an arrival before the cohort": (
        None,
        {"arrival_date": lambda program: program.starts_on - timedelta(days=1)},
        "arrival_date",
    ),
    "an arrival on the cohort's last day": (None, {"arrival_date": lambda program: program.ends_on}, "arrival_date"),
    "an unknown nationality": (None, {"nationality": "XX"}, "nationality"),
    "a union, not a country": (None, {"nationality": "EU"}, "nationality"),
    "a bad email": (None, {"email": "alex@"}, "email"),
    "a javascript portfolio": (None, {"portfolio_url": "javascript:alert(1)"}, "portfolio_url"),
    "a blank name": (None, {"name": "   "}, "name"),
    "a name over 100 characters": (None, {"name": "名" * 101}, "name"),
    "no profession": (None, {"profession": OMIT}, "profession"),
    "a short proposal": (None, {"proposal": "I like villages."}, "proposal"),
    "a proposal over 5000 characters": (None, {"proposal": "p" * 5001}, "proposal"),
    "skills over 1000 characters": (None, {"skills": "s" * 1001}, "skills"),
    "an unknown language": (None, {"language": "fr"}, "language"),
}


@pytest.mark.parametrize(("make_program", "changes", "field"), REFUSALS.values(), ids=REFUSALS.keys())
def test_an_application_the_rules_refuse_is_400_on_the_field_at_fault_and_writes_nothing(
    client, program, settings, make_program, changes, field
):
    target = make_program() if make_program else program
    values = {name: value(target) if callable(value) else value for name, value in changes.items()}

    response = post(client, form(target, **values), language="en")

    assert response.status_code == 400, response.content
    data = response.json()
    assert list(data) == [field], data
    assert all(isinstance(message, str) and message for message in data[field])
    assert_nothing_written(settings)


def test_an_unpublished_programme_is_refused_exactly_like_one_that_does_not_exist(client):
    hidden = ResidencyProgramFactory(is_published=False)
    unpublished = post(client, form(hidden), language="en")
    unknown = post(client, form(hidden, program="no-such-programme"), language="en")
    assert unpublished.status_code == unknown.status_code == 400
    assert unpublished.json() == unknown.json() == {"program": ["There is no such residency programme."]}


def test_the_same_email_cannot_apply_twice_to_a_programme_whatever_its_case(client, program, settings):
    apply(client, program, email="alex@example.com")
    files = stored_files(settings)

    response = post(client, form(program, email="ALEX@Example.COM"), language="en")

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    assert ResidencyApplication.objects.count() == 1
    assert stored_files(settings) == files
    assert apply(client, ResidencyProgramFactory(), email="alex@example.com")  # another programme is fine


def test_every_field_at_fault_is_named_at_once(client, program):
    response = post(
        client, form(program, name="", nationality="XX", consent=OMIT, stay_months=99, proposal="short"), language="en"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"name", "nationality", "consent", "stay_months", "proposal"}


# --- Whatever is sent, never a 500


def a_text_file(name="cv.pdf"):
    return SimpleUploadedFile(name, b"just text", content_type="application/pdf")


GARBAGE = {
    "arrival_date as words": {"arrival_date": "next spring"},
    "arrival_date 30 February": {"arrival_date": "2026-02-30"},
    "arrival_date empty": {"arrival_date": ""},
    "arrival_date year 0": {"arrival_date": "0000-01-01"},
    "arrival_date year 99999": {"arrival_date": "99999-01-01"},
    "arrival_date 5000 digits": {"arrival_date": "9" * 5000},
    "arrival_date missing": {"arrival_date": OMIT},
    "arrival_date at the last possible day": {"arrival_date": "9999-12-31"},
    "stay_months abc": {"stay_months": "abc"},
    "stay_months a fraction": {"stay_months": "1.5"},
    "stay_months negative": {"stay_months": "-1"},
    "stay_months 10**40": {"stay_months": str(10**40)},
    "stay_months 5000 digits": {"stay_months": "9" * 5000},
    "stay_months empty": {"stay_months": ""},
    "stay_months missing": {"stay_months": OMIT},
    "stay_months infinite": {"stay_months": "1e400"},
    "stay_months NaN": {"stay_months": "NaN"},
    "consent maybe": {"consent": "maybe"},
    "cv missing": {"cv": OMIT},
    "cv a plain string": {"cv": "this is my CV"},
    "cv empty": {"cv": SimpleUploadedFile("cv.pdf", b"", content_type="application/pdf")},
    "cv a text file": {"cv": a_text_file()},
    "two cvs, the second not a pdf": {"cv": [uploaded_pdf(), a_text_file()]},
    "name a file": {"name": a_text_file("name.txt")},
    "name with a nul": {"name": "Alex\x00"},
    "program with a nul": {"program": "shuiku-nomads\x00"},
    "program 10000 characters": {"program": "p" * 10000},
    "email with a nul": {"email": "alex\x00@example.com"},
    "email 300 characters": {"email": "x" * 300 + "@example.com"},
    "nationality with a nul": {"nationality": "G\x00"},
    "nationality unicode": {"nationality": "英国"},
    "portfolio_url 300 characters": {"portfolio_url": "https://example.com/" + "p" * 300},
    "portfolio_url ftp": {"portfolio_url": "ftp://example.com/cv"},
    "proposal with a nul": {"proposal": "x" * 200 + "\x00"},
    "language a list": {"language": ["en", "zh-hans", "fr"]},
    "language with a nul": {"language": "en\x00"},
    "everything empty": {
        name: ""
        for name in (
            "program",
            "name",
            "email",
            "nationality",
            "profession",
            "skills",
            "portfolio_url",
            "arrival_date",
            "stay_months",
            "proposal",
            "consent",
            "language",
        )
    },
}


@pytest.mark.parametrize("garbage", GARBAGE.values(), ids=GARBAGE.keys())
def test_malformed_fields_are_a_400_never_a_500_and_write_nothing(client, program, settings, garbage):
    response = post(client, form(program, **garbage), language="en")

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()
    assert_nothing_written(settings)


RAW_BODIES = {
    "no boundary": (b"--x\r\nname", "multipart/form-data"),
    "an empty multipart body": (b"", MULTIPART),
    "a truncated multipart body": (raw_multipart(("name", "Alex"))[:-20], MULTIPART),
    "only unknown fields": (raw_multipart(("colour", "blue")), MULTIPART),
    "a field without a name": (raw_multipart(("", "Alex")), MULTIPART),
    "invalid utf-8": (raw_multipart(("name", "Alex")).replace(b"Alex", b"\xff\xfe"), MULTIPART),
    "utf-16 declared": (raw_multipart(("name", "Alex")), MULTIPART + "; charset=utf-16"),
    "an unknown charset": (raw_multipart(("name", "Alex")), MULTIPART + "; charset=klingon"),
    "a form-encoded body, which cannot carry the cv": ("name=Alex&consent=true", "application/x-www-form-urlencoded"),
    "an empty form-encoded body": ("", "application/x-www-form-urlencoded"),
}


@pytest.mark.parametrize(("payload", "content_type"), RAW_BODIES.values(), ids=RAW_BODIES.keys())
def test_an_unreadable_or_incomplete_body_is_a_json_400_and_writes_nothing(client, settings, payload, content_type):
    response = client.generic("POST", APPLICATIONS, payload, content_type=content_type, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()
    assert_nothing_written(settings)


@pytest.mark.parametrize(
    ("limit", "value"),
    [("DATA_UPLOAD_MAX_NUMBER_FIELDS", 5), ("DATA_UPLOAD_MAX_MEMORY_SIZE", 1000), ("DATA_UPLOAD_MAX_NUMBER_FILES", 1)],
    ids=["too many fields", "too much text", "too many files"],
)
def test_a_body_over_djangos_limits_is_a_json_400_and_writes_nothing(client, program, settings, limit, value):
    setattr(settings, limit, value)

    response = post(client, form(program, proposal="p" * 2000, extra=a_text_file("extra.pdf")), language="en")

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    assert_nothing_written(settings)


@pytest.mark.parametrize("body", ['{"program": "shuiku-nomads"}', "not json at all"], ids=["json", "garbage"])
def test_a_json_body_is_a_json_415_and_writes_nothing(client, program, settings, body):
    response = client.post(APPLICATIONS, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 415
    assert response["Content-Type"] == "application/json"
    assert "application/json" in response.json()["detail"]
    assert_nothing_written(settings)


# --- Reading an application


def test_the_holder_of_the_token_reads_where_the_application_stands(client, program):
    made = apply(client, program)

    response = client.get(detail_url(made["reference"]), {"token": made["token"]}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    data = response.json()
    application = ResidencyApplication.objects.get()
    assert data == {
        "reference": made["reference"],
        "status": "submitted",
        "status_display": "Submitted",
        "name": "Alex Morgan",
        "program": {
            "slug": "shuiku-nomads",
            "name": program.name_en,
            "village": {"slug": "shuiku", "name": program.village.name_en},
        },
        "arrival_date": program.starts_on.isoformat(),
        "stay_months": 3,
        "submitted_at": timezone.localtime(application.created_at).isoformat(),
        "decided_at": None,
        "decision_message": "",
        "can_withdraw": True,
        "status_url": status_url(application, "en"),
    }
    assert data["status_url"].startswith(f"{settings.SITE_URL}/en/")
    assert data["status_url"].endswith(f"/{made['reference']}/?token={made['token']}")
    assert re.fullmatch(ISO_SHANGHAI, data["submitted_at"])
    assert "no-store" in response["Cache-Control"]


def test_the_answer_carries_neither_the_cv_nor_the_contact_details(client, program):
    made = apply(client, program)
    application = ResidencyApplication.objects.get()

    data = client.get(detail_url(made["reference"]), {"token": made["token"]}).json()

    assert data.pop("status_url").endswith(f"?token={made['token']}")  # the holder's own link, and nothing else
    content = str(data)
    for private in ("alex@example.com", application.cv.name, "cv", "email", "token", made["token"], "portfolio"):
        assert private not in content
    for private in ("Bilingual signage", "UX designer", "open studio"):  # skills, profession, proposal
        assert private not in content


def test_names_follow_the_language_of_the_request(client, program):
    made = apply(client, program)
    data = client.get(detail_url(made["reference"]), {"token": made["token"]}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert data["program"]["name"] == program.name_zh_hans
    assert data["program"]["village"]["name"] == program.village.name_zh_hans
    assert data["status_url"].startswith(f"{settings.SITE_URL}/zh-hans/")


def test_a_decision_shows_with_its_date_and_message(client, program):
    made = apply(client, program)
    services.decide_application(ResidencyApplication.objects.get().pk, Status.ACCEPTED, message="Welcome to 水库村!")

    data = client.get(detail_url(made["reference"]), {"token": made["token"]}, HTTP_ACCEPT_LANGUAGE="en").json()

    assert (data["status"], data["status_display"]) == ("accepted", "Accepted")
    assert data["decision_message"] == "Welcome to 水库村!"
    assert re.fullmatch(ISO_SHANGHAI, data["decided_at"])
    assert data["can_withdraw"] is True


def test_the_reference_is_found_whatever_its_case(client, program):
    made = apply(client, program)
    response = client.get(detail_url(made["reference"].lower()), {"token": made["token"]})
    assert response.status_code == 200
    assert response.json()["reference"] == made["reference"]


def other_token(token):
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def a_bookings_reference_and_token(made):
    booking, _created = booking_services.create_booking(
        session_id=SessionFactory().pk,
        adults=1,
        children=0,
        name="王小明",
        email="xiaoming@example.com",
        phone="13800138000",
        language="zh-hans",
        notes="",
    )
    return booking.reference, booking.token


@pytest.mark.parametrize(
    "reference_and_token",
    [
        lambda made: (made["reference"], None),
        lambda made: (made["reference"], ""),
        lambda made: (made["reference"], other_token(made["token"])),
        lambda made: (made["reference"], made["token"][:-1]),
        lambda made: (made["reference"], "令牌"),
        lambda made: (made["reference"], made["token"] + "\x00"),
        lambda made: ("RA-XXXXXXX", made["token"]),
        lambda made: ("%00", made["token"]),
        lambda made: ("R" * 500, made["token"]),
        lambda made: ("参考号", made["token"]),
        a_bookings_reference_and_token,
    ],
    ids=[
        "no token",
        "empty token",
        "wrong token",
        "token cut short",
        "unicode token",
        "nul in token",
        "unknown reference",
        "nul reference",
        "long reference",
        "unicode reference",
        "a booking's reference and token",
    ],
)
def test_without_the_right_reference_and_token_it_is_the_same_generic_404(client, program, reference_and_token):
    reference, token = reference_and_token(apply(client, program))
    params = {} if token is None else {"token": token}

    read = client.get(detail_url(reference), params, HTTP_ACCEPT_LANGUAGE="en")
    withdraw = client.post(f"{detail_url(reference)}withdraw/?{urlencode(params)}", HTTP_ACCEPT_LANGUAGE="en")

    assert read.status_code == withdraw.status_code == 404
    assert read.json() == withdraw.json() == {"detail": "Not found."}
    assert "no-store" in read["Cache-Control"]
    assert ResidencyApplication.objects.get().status == Status.SUBMITTED


# --- Withdrawing


def test_withdrawing_answers_the_application_and_a_second_withdrawal_is_the_same_200(client, program):
    made = apply(client, program)
    url = withdraw_url(made["reference"], made["token"])

    first = client.post(url, HTTP_ACCEPT_LANGUAGE="en")
    again = client.post(url, HTTP_ACCEPT_LANGUAGE="en")

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    data = first.json()
    assert (data["reference"], data["status"], data["status_display"]) == (made["reference"], "withdrawn", "Withdrawn")
    assert data["can_withdraw"] is False
    assert "no-store" in first["Cache-Control"]
    application = ResidencyApplication.objects.get()
    assert application.status == Status.WITHDRAWN and application.withdrawn_at is not None
    assert OutgoingEmail.objects.filter(kind=Kind.APPLICATION_WITHDRAWN).count() == 1
    read = client.get(detail_url(made["reference"]), {"token": made["token"]}).json()
    assert (read["status"], read["can_withdraw"]) == ("withdrawn", False)


def test_an_accepted_applicant_who_withdraws_gives_the_place_back(client, program):
    made = apply(client, program)
    services.decide_application(ResidencyApplication.objects.get().pk, Status.ACCEPTED)

    response = client.post(withdraw_url(made["reference"], made["token"]))

    assert response.status_code == 200
    program.refresh_from_db()
    assert program.places_accepted == 0


def test_a_rejected_application_cannot_be_withdrawn_and_is_409(client, program):
    made = apply(client, program)
    services.decide_application(ResidencyApplication.objects.get().pk, Status.REJECTED, message="Not this time")

    response = client.post(withdraw_url(made["reference"], made["token"]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 409
    assert set(response.json()) == {"detail"}
    assert ResidencyApplication.objects.get().status == Status.REJECTED
    assert not OutgoingEmail.objects.filter(kind=Kind.APPLICATION_WITHDRAWN).exists()
    read = client.get(detail_url(made["reference"]), {"token": made["token"]}).json()
    assert (read["status"], read["can_withdraw"], read["decision_message"]) == ("rejected", False, "Not this time")


def test_withdrawing_needs_no_body_and_ignores_one(client, program):
    made = apply(client, program)
    url = withdraw_url(made["reference"], made["token"])
    response = client.post(url, '{"status": "accepted"}', content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_an_application_made_through_the_service_is_read_with_its_token_too(client, program):
    application = make_application(program)
    response = client.get(detail_url(application.reference), {"token": application.token})
    assert response.status_code == 200
    assert response.json()["reference"] == application.reference


# --- The schema


def test_the_schema_documents_the_residency_api_without_warnings(tmp_path):
    from django.core.management import call_command

    schema_file = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))
    schema = schema_file.read_text()
    for expected in (
        "/api/v1/residency-applications/:",
        "/api/v1/residency-applications/{reference}/:",
        "/api/v1/residency-applications/{reference}/withdraw/:",
        "multipart/form-data",
        "format: binary",
        "ResidencyApplicationStatusEnum",
    ):
        assert expected in schema
