"""The applicant's residency pages: the programme page with its form, applying, the status page, withdrawing."""

import html
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from outbox.models import OutgoingEmail
from residency import services
from residency.models import MIN_PROPOSAL_CHARS, ResidencyApplication, ResidencyProgram
from tests.factories import (
    PROPOSAL,
    ResidencyProgramFactory,
    VillageFactory,
    make_application,
    pdf_bytes,
    uploaded_pdf,
)
from tests.html import PageStructure

pytestmark = pytest.mark.django_db

Status = ResidencyApplication.Status
Kind = OutgoingEmail.Kind


@pytest.fixture
def program():
    """Open for applications; the cohort starts in 90 days and lasts 180."""
    village = VillageFactory(slug="shuiku", name_en="Shuiku Village", contact_email="shuiku@example.com")
    return ResidencyProgramFactory(village=village, slug="shuiku-nomads", name_en="First cohort")


def page_of(program, lang="en") -> str:
    return f"/{lang}/residency/{program.slug}/"


def form_data(program, /, **changes) -> dict:
    """What the applicant's browser sends from the form; a change to None leaves the field out."""
    data = {
        "name": "Alex Morgan",
        "email": "alex@example.com",
        "nationality": "GB",
        "profession": "UX designer",
        "skills": "Bilingual signage, photography, workshops",
        "portfolio_url": "https://alex.example.com",
        "cv": uploaded_pdf(),
        "arrival_date": program.starts_on.isoformat(),
        "stay_months": "3",
        "proposal": PROPOSAL,
        "consent": "on",
        "language": "en",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def apply(client, program, data, lang="en"):
    return client.post(f"/{lang}/residency/{program.slug}/apply/", data)


def text_of(response) -> str:
    """The page as a reader sees its text: entities such as &#x27; turned back into characters."""
    return html.unescape(response.content.decode())


def stored_cvs(settings) -> list:
    root = settings.PRIVATE_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def status_path(application, lang="en") -> str:
    return f"/{lang}/residency/applications/{application.reference}/"


def withdraw_path(application, lang="en") -> str:
    return f"{status_path(application, lang)}withdraw/"


def without_csrf(body: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


# --- The programme page


def test_an_open_programme_page_shows_the_programme_and_its_application_form(client, program):
    response = client.get(page_of(program))
    body = response.content.decode()
    assert response.status_code == 200
    assert "First cohort" in body and "Shuiku Village" in body
    assert "Apply for a place" in body
    assert f'action="/en/residency/{program.slug}/apply/"' in body
    assert 'enctype="multipart/form-data"' in body
    assert re.search(r'<input type="file" name="cv" accept="application/pdf"[^>]*>', body)
    assert "A PDF file of at most 5 MB." in body
    last_arrival = program.ends_on - timedelta(days=1)
    date_input = re.search(r'<input type="date" name="arrival_date"[^>]*>', body).group(0)
    assert f'min="{program.starts_on.isoformat()}"' in date_input
    assert f'max="{last_arrival.isoformat()}"' in date_input
    assert re.search(r'<input type="number" name="stay_months"[^>]*min="1"', body)
    assert re.search(r'<select name="nationality"[^>]*>\s*<option value="" selected>Choose a country</option>', body)
    assert '<option value="GB">United Kingdom</option>' in body
    assert "EU" not in re.findall(r'<option value="([A-Z]{2})"', body)
    assert f"At least {MIN_PROPOSAL_CHARS} characters." in body
    assert "Only the village&#x27;s operators and the platform&#x27;s administrators see your details" in body
    assert '<input type="hidden" name="language" value="en"' in body
    assert "private" in response["Cache-Control"]
    page = PageStructure(body)
    assert page.h1_count == 1
    assert page.unlabelled_controls() == []


def test_an_upcoming_programme_page_says_when_applications_open_and_has_no_form(client, program):
    opens = timezone.now() + timedelta(days=10)
    program.applications_open_at, program.applications_close_at = opens, opens + timedelta(days=30)
    program.save()
    body = client.get(page_of(program)).content.decode()
    assert "Applications open on" in body
    assert "The form will appear here then." in body
    assert 'name="cv"' not in body and "/apply/" not in body


def test_a_closed_programme_page_says_applications_are_closed_and_has_no_form(client, program):
    program.applications_open_at = timezone.now() - timedelta(days=60)
    program.applications_close_at = timezone.now() - timedelta(days=1)
    program.save()
    body = client.get(page_of(program)).content.decode()
    assert "Applications for this cohort are closed." in body
    assert 'name="cv"' not in body and "/apply/" not in body


def test_a_full_cohort_still_takes_applications_for_its_waitlist_and_says_so(client, program):
    ResidencyProgram.objects.filter(pk=program.pk).update(places_accepted=program.places)
    body = client.get(page_of(program)).content.decode()
    assert "Every place is taken for now: new applicants join the waitlist." in body
    assert 'name="cv"' in body


def test_unpublished_programmes_and_programmes_of_unpublished_villages_have_no_page(client):
    for program in (
        ResidencyProgramFactory(is_published=False),
        ResidencyProgramFactory(village__is_published=False),
    ):
        assert client.get(page_of(program)).status_code == 404
        assert apply(client, program, form_data(program)).status_code == 404
    assert client.get("/en/residency/no-such-programme/").status_code == 404
    assert ResidencyApplication.objects.count() == 0


def test_the_residency_list_and_the_village_page_link_to_the_programme_page(client, program):
    for path in ("/en/residency/", "/en/villages/shuiku/"):
        body = client.get(path).content.decode()
        assert f'href="/en/residency/{program.slug}/"' in body, path
        assert "Details and application form" in body, path


def test_the_programme_page_in_chinese_offers_countries_in_chinese_and_applies_in_chinese(client, program):
    response = client.get(page_of(program, "zh-hans"))
    body = response.content.decode()
    assert response.status_code == 200
    assert PageStructure(body).html_lang == "zh-Hans"
    assert program.name_zh_hans in body
    assert "驻村计划</a> ›" in body  # the breadcrumb to the list, translated
    assert "驻村日期" in body  # "Cohort dates"
    assert '<option value="GB">英国</option>' in body
    assert '<input type="hidden" name="language" value="zh-hans"' in body
    assert f'action="/zh-hans/residency/{program.slug}/apply/"' in body
    response = apply(client, program, form_data(program, language="zh-hans"), "zh-hans")
    assert response.status_code == 303
    assert response["Location"].startswith("/zh-hans/residency/applications/")
    assert ResidencyApplication.objects.get().language == "zh-hans"


def test_the_english_programme_page_has_english_headings(client, program):
    body = client.get(page_of(program, "en")).content.decode()
    assert PageStructure(body).html_lang == "en"
    for heading in ("Apply for a place", "About you", "Your stay", "Your proposal", "Your data", "Cohort dates"):
        assert heading in body, heading


# --- Applying


def test_an_application_sent_through_the_form_is_stored_and_the_applicant_lands_on_its_status_page(
    client, program, settings
):
    response = apply(client, program, form_data(program))
    application = ResidencyApplication.objects.get()
    assert response.status_code == 303
    assert response["Location"] == application.get_absolute_url()
    assert response["Referrer-Policy"] == "same-origin"
    assert (application.name, application.email, application.nationality) == (
        "Alex Morgan",
        "alex@example.com",
        "GB",
    )
    assert (application.arrival_date, application.stay_months) == (program.starts_on, 3)
    assert application.proposal == PROPOSAL.strip()
    assert application.language == "en"
    assert application.consent_given_at is not None
    assert application.status == Status.SUBMITTED
    assert (settings.PRIVATE_ROOT / application.cv.name).read_bytes() == pdf_bytes()
    assert {(email.kind, email.recipient) for email in application.emails.all()} == {
        (Kind.APPLICATION_SUBMITTED, "alex@example.com"),
        (Kind.OPERATOR_NEW_APPLICATION, "shuiku@example.com"),
    }
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert application.reference in body
    assert "First cohort" in body and "Shuiku Village" in body
    assert "Submitted" in body
    assert "The village has received your application" in body
    assert "3 months" in body
    assert f'datetime="{program.starts_on.isoformat()}"' in body


def test_an_application_without_a_known_language_is_in_the_language_of_the_page(client, program):
    apply(client, program, form_data(program, language="xx"), "zh-hans")
    assert ResidencyApplication.objects.get().language == "zh-hans"


def test_the_apply_address_takes_posts_and_sends_other_visits_to_the_programme_page(client, program):
    response = client.get(f"/en/residency/{program.slug}/apply/")
    assert (response.status_code, response["Location"]) == (302, page_of(program))
    assert client.put(f"/en/residency/{program.slug}/apply/").status_code == 405


def _closed(program):
    program.applications_close_at = timezone.now() - timedelta(minutes=1)
    program.applications_open_at = program.applications_close_at - timedelta(days=30)
    program.save()
    return {}


def _already_applied(program):
    make_application(program, email="alex@example.com")
    return {"email": "ALEX@example.com"}


def _not_a_pdf(program):
    return {"cv": uploaded_pdf(content=b"GIF89a a picture renamed to cv.pdf")}


def _too_large(program):
    return {"cv": uploaded_pdf(content=pdf_bytes() + b" " * settings.CV_MAX_BYTES)}


def _changes(**changes):
    return lambda program: changes


REFUSALS = [
    # (what goes wrong, set-up returning the form changes, field whose message shows or None, message)
    ("not a pdf", _not_a_pdf, "cv", "This file is not a PDF."),
    ("pdf too large", _too_large, "cv", "it can be at most"),
    ("no cv", _changes(cv=None), "cv", "Attach your CV as a PDF file."),
    ("applications closed", _closed, None, "This programme is not taking applications now."),
    ("already applied", _already_applied, "email", "This email address has already applied to this programme."),
    ("no consent", _changes(consent=None), "consent", "We can only consider your application with your consent"),
    ("stay past the cohort", _changes(stay_months="12"), "stay_months", "would end after the cohort ends"),
    ("stay too long", _changes(stay_months="25"), "stay_months", "Stay between 1 and 24 months."),
    (
        "arrival before the cohort",
        _changes(arrival_date=(timezone.localdate() + timedelta(days=30)).isoformat()),
        "arrival_date",
        "arrive within those dates",
    ),
    ("arrival in the past", _changes(arrival_date="2001-01-01"), "arrival_date", "The arrival date has passed"),
    ("no arrival date", _changes(arrival_date=""), "arrival_date", "When would you arrive? Enter a date."),
    ("arrival not a date", _changes(arrival_date="next spring"), "arrival_date", "Enter a valid date."),
    ("stay not a number", _changes(stay_months="three"), "stay_months", "Enter a whole number."),
    ("proposal too short", _changes(proposal="I like villages."), "proposal", "at least 100 characters"),
    ("unknown nationality", _changes(nationality="XX"), "nationality", "Choose your country of nationality."),
    ("bad email", _changes(email="alex@"), "email", "Enter a valid email address."),
    ("bad portfolio", _changes(portfolio_url="javascript:alert(1)"), "portfolio_url", "starting with https://"),
]


@pytest.mark.parametrize(
    ("set_up", "field", "message"),
    [refusal[1:] for refusal in REFUSALS],
    ids=[refusal[0] for refusal in REFUSALS],
)
def test_a_refused_application_shows_why_with_status_400_and_writes_nothing(
    client, program, settings, set_up, field, message
):
    changes = set_up(program)
    applications, emails, files = (
        ResidencyApplication.objects.count(),
        OutgoingEmail.objects.count(),
        len(stored_cvs(settings)),
    )
    response = apply(client, program, form_data(program, **changes))
    body = text_of(response)
    assert response.status_code == 400
    assert (ResidencyApplication.objects.count(), OutgoingEmail.objects.count(), len(stored_cvs(settings))) == (
        applications,
        emails,
        files,
    )
    assert 'role="alert"' in body
    if field is None:
        alert = re.search(r'<div class="form-errors" role="alert"[^>]*>(.*?)</div>', body, re.S)
        assert alert and message in alert.group(1)
    else:
        error = re.search(rf'<div class="error" id="id_{field}_error">(.*?)</div>', body, re.S)
        assert error and message in error.group(1)
        control = re.search(rf'<(?:input|select|textarea)[^>]*name="{field}"[^>]*>', body).group(0)
        assert 'aria-invalid="true"' in control
        assert re.search(rf'aria-describedby="[^"]*id_{field}_error', control)


def test_every_missing_answer_is_shown_at_once(client, program):
    response = apply(client, program, {"language": "en"})
    body = text_of(response)
    assert response.status_code == 400
    for field in (
        "name",
        "email",
        "nationality",
        "profession",
        "skills",
        "cv",
        "arrival_date",
        "stay_months",
        "proposal",
        "consent",
    ):
        assert f'id="id_{field}_error"' in body, field
        assert f'href="#id_{field}"' in body, f"the summary above the form links to {field}"
    assert ResidencyApplication.objects.count() == 0


def test_a_refused_form_keeps_every_typed_value_and_asks_for_the_cv_again(client, program):
    data = form_data(program, consent=None, name="王小明", skills="摄影 <b>and</b> design", stay_months="4")
    body = apply(client, program, data).content.decode()
    assert 'value="王小明"' in body
    assert 'value="alex@example.com"' in body
    assert '<option value="GB" selected>' in body
    assert 'value="UX designer"' in body
    assert "摄影 &lt;b&gt;and&lt;/b&gt; design</textarea>" in body
    assert 'value="https://alex.example.com"' in body
    assert f'value="{program.starts_on.isoformat()}"' in body
    assert 'value="4"' in body
    assert html.escape(PROPOSAL) in body
    assert "Your CV was not kept: please attach it again before sending." in body
    assert "attach your CV again." in body
    assert 'name="consent"' in body and not re.search(r'<input type="checkbox" name="consent"[^>]*checked', body)
    page = PageStructure(body)
    assert page.h1_count == 1
    assert page.unlabelled_controls() == []


def test_a_refused_form_keeps_the_consent_box_ticked(client, program):
    body = apply(client, program, form_data(program, proposal="short")).content.decode()
    assert re.search(r'<input type="checkbox" name="consent"[^>]*checked', body)


# --- The status page


@pytest.fixture
def application(program):
    return make_application(program)


def test_the_status_page_shows_the_application_privately(client, application):
    response = client.get(status_path(application), {"token": application.token})
    body = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    # Never sent to another site; not "no-referrer", under which browsers post the page's forms with
    # `Origin: null` and the CSRF check refuses the withdrawal and the language switcher.
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert application.reference in body
    assert f'href="/en/residency/{application.program.slug}/"' in body
    assert "Withdraw my application" in body
    assert f'action="/en/residency/applications/{application.reference}/withdraw/"' in body
    page = PageStructure(body)
    assert page.h1_count == 1
    assert page.unlabelled_controls() == []


@pytest.mark.parametrize(
    ("decide", "words", "can_withdraw"),
    [
        (lambda pk: services.start_review(pk), "The village is reading your application.", True),
        (
            lambda pk: services.decide_application(pk, Status.ACCEPTED, message="Welcome!\nBring boots."),
            "the village offers you a place",
            True,
        ),
        (lambda pk: services.decide_application(pk, Status.WAITLISTED), "You are on the waitlist.", True),
        (
            lambda pk: services.decide_application(pk, Status.REJECTED, message="The cohort is very small."),
            "The village cannot offer you a place",
            False,
        ),
    ],
    ids=["under review", "accepted", "waitlisted", "rejected"],
)
def test_the_status_page_says_where_the_application_stands(client, application, decide, words, can_withdraw):
    decided = decide(application.pk)
    body = client.get(status_path(application), {"token": application.token}).content.decode()
    assert decided.get_status_display() in body
    assert words in body
    assert ("Withdraw my application" in body) is can_withdraw
    if decided.decision_message:
        assert "A message from Shuiku Village" in body
        assert html.escape(decided.decision_message.split("\n")[0]) in body
    else:
        assert "A message from" not in body


@pytest.mark.parametrize(
    "token",
    [None, "", "wrong", "x" * 43, "é", "%00"],
    ids=["no token", "empty", "wrong", "same length", "non-ascii", "nul"],
)
def test_the_status_page_is_not_found_without_the_right_token_and_reveals_nothing(client, application, token):
    query = {} if token is None else {"token": token}
    response = client.get(status_path(application), query)
    body = response.content.decode()
    assert response.status_code == 404
    assert application.name not in body and application.email not in body
    # The same page as for a reference nobody has: nothing tells that this application exists.
    nobody = client.get("/en/residency/applications/RA-NOBODY/", query).content.decode()
    assert without_csrf(body.replace(application.reference, "RA-NOBODY")) == without_csrf(nobody)


def test_another_applications_token_does_not_open_an_application(client, program, application):
    other = make_application(program, email="sam@example.com")
    assert client.get(status_path(application), {"token": other.token}).status_code == 404
    assert client.get("/en/residency/applications/RA-NOSUCH/", {"token": application.token}).status_code == 404


# --- Withdrawing


def test_withdrawing_through_the_status_page_shows_the_application_withdrawn(client, application):
    response = client.post(withdraw_path(application), {"token": application.token})
    assert response.status_code == 303
    assert response["Location"] == application.get_absolute_url()
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert application.emails.filter(kind=Kind.APPLICATION_WITHDRAWN).count() == 1
    body = client.get(response["Location"]).content.decode()
    assert "Withdrawn" in body
    assert "You withdrew this application." in body
    assert "Withdraw my application" not in body


def test_withdrawing_works_from_a_browser_that_sends_its_origin_and_the_csrf_token(application):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(status_path(application), {"token": application.token}).content.decode()
    csrf = re.search(
        r'<form method="post" action="[^"]*/withdraw/">\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        page,
    ).group(1)
    response = browser.post(
        withdraw_path(application),
        {"token": application.token, "csrfmiddlewaretoken": csrf},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_withdrawing_asks_for_a_confirmation_before_it_sends_anything(client, application):
    body = client.get(status_path(application), {"token": application.token}).content.decode()
    confirm_step = re.search(r'<details class="confirm-step">(.*?)</details>', body, re.S).group(1)
    assert "<summary" in confirm_step and "Yes, withdraw my application" in confirm_step
    assert "This cannot be undone." in confirm_step


def test_an_accepted_applicant_who_withdraws_gives_the_place_back(client, program, application):
    services.decide_application(application.pk, Status.ACCEPTED)
    client.post(withdraw_path(application), {"token": application.token})
    program.refresh_from_db()
    assert program.places_left == program.places


def test_withdrawing_needs_the_token(client, application):
    for data in ({}, {"token": "wrong"}):
        assert client.post(withdraw_path(application), data).status_code == 404
    assert client.post(f"{withdraw_path(application)}?token={application.token}").status_code == 404
    assert client.get(withdraw_path(application), {"token": application.token}).status_code == 405
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_withdrawing_a_decided_application_is_refused_with_a_clear_message(client, application):
    services.decide_application(application.pk, Status.REJECTED)
    response = client.post(withdraw_path(application), {"token": application.token})
    assert response.status_code == 409
    assert "it can no longer be withdrawn" in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.REJECTED


def test_the_status_page_in_chinese_links_in_chinese(client, application):
    response = client.get(status_path(application, "zh-hans"), {"token": application.token})
    body = response.content.decode()
    assert response.status_code == 200
    assert PageStructure(body).html_lang == "zh-Hans"
    assert "状态" in body  # "Status"
    assert f'action="/zh-hans/residency/applications/{application.reference}/withdraw/"' in body
