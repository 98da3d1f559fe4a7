"""Operators review residency applications in the admin: their own village's only, every field to read, the CV
as a private download, and decisions taken through the services with a confirmation page."""

from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from outbox.models import OutgoingEmail
from residency import services
from residency.errors import ProgramFull
from residency.models import ResidencyApplication
from tests.factories import (
    ResidencyProgramFactory,
    VillageFactory,
    make_application,
    make_operator,
    pdf_bytes,
    uploaded_pdf,
)
from tests.html import Rows
from villages.scoping import OPERATORS_GROUP

pytestmark = pytest.mark.django_db

Status = ResidencyApplication.Status
Kind = OutgoingEmail.Kind
CHANGELIST = "admin:residency_residencyapplication_changelist"
CONFIRMATION = "admin/residency/residencyapplication/decision_confirmation.html"
SKILLS = "Bilingual signage\nPhotography"


@pytest.fixture
def program():
    """水库村's cohort with two places."""
    village = VillageFactory(slug="shuiku", name_zh_hans="水库村", contact_email="shuiku@example.com")
    return ResidencyProgramFactory(
        village=village, slug="shuiku-nomads", name_zh_hans="水库游民计划", name_en="Shuiku nomads", places=2
    )


@pytest.fixture
def other_program():
    """岑卜村's cohort: a village the operator does not run."""
    village = VillageFactory(slug="cenbu", name_zh_hans="岑卜村", contact_email="cenbu@example.com")
    return ResidencyProgramFactory(village=village, slug="cenbu-nomads", name_zh_hans="岑卜游民计划")


@pytest.fixture
def operator(client, program):
    user = make_operator("op-shuiku", program.village)
    client.force_login(user)
    return user


@pytest.fixture
def superuser(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "a-long-password-123")
    client.force_login(user)
    return user


def apply(program, name, **overrides) -> ResidencyApplication:
    email = overrides.pop("email", f"{name.lower().replace(' ', '.')}@example.com")
    return make_application(program, name=name, email=email, **overrides)


def fresh(obj):
    obj.refresh_from_db()
    return obj


def changelist(client, **params):
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return response


def run_action(client, action, applications, **data):
    """Choose an action for `applications` on the list, as the action bar does."""
    return client.post(
        reverse(CHANGELIST), {"action": action, "index": 0, "_selected_action": [a.pk for a in applications], **data}
    )


def confirm(client, action, applications, message=""):
    """Post the decision page: the selected applications, the action, the message, "yes"."""
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "post": "yes", "message": message, "_selected_action": [a.pk for a in applications]},
        follow=True,
    )


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def cv_url(application) -> str:
    return reverse("admin:residency_residencyapplication_cv", args=[application.pk])


# --- The list


def test_an_operator_lists_only_their_own_villages_applications(client, operator, program, other_program):
    own = apply(program, "Alex Morgan")
    other = apply(other_program, "Sam Other")
    response = changelist(client)
    assert [application.pk for application in response.context["cl"].result_list] == [own.pk]
    body = response.content.decode()
    assert "Sam Other" not in body and other.reference not in body and "岑卜游民计划" not in body


def test_the_list_shows_the_country_by_name_and_the_places_left_in_the_programme(client, operator, program):
    application = apply(program, "Alex Morgan", nationality="GB")
    services.decide_application(application.pk, Status.ACCEPTED)
    apply(program, "Kim Lee", nationality="KR", stay_months=2)
    row = Rows(changelist(client).content.decode(), "result_list").row_with("Kim Lee")
    with translation.override("zh-hans"):  # the admin's language, from its /zh-hans/ address
        submitted, arrival = gettext("Submitted"), date_format(program.starts_on)
    # checkbox, reference, name, status, programme, places left, nationality, profession, arrival, stay, submitted at
    assert row[2:10] == ["Kim Lee", submitted, "水库游民计划", "1", "韩国 (KR)", "UX designer", arrival, "2"]


def test_the_programme_filter_offers_only_the_operators_own_programmes(client, operator, program, other_program):
    second = ResidencyProgramFactory(village=program.village, name_zh_hans="水库秋季计划")
    apply(program, "Alex Morgan")
    apply(second, "Kim Lee")
    apply(other_program, "Sam Other")
    response = changelist(client)
    [program_filter] = [spec for spec in response.context["cl"].filter_specs if spec.field_path == "program"]
    assert sorted(name for _pk, name in program_filter.lookup_choices) == sorted(["水库游民计划", "水库秋季计划"])
    assert "岑卜游民计划" not in response.content.decode()


def test_the_list_filters_by_status_and_finds_by_reference_name_or_email(client, operator, program):
    alex = apply(program, "Alex Morgan")
    kim = apply(program, "Kim Lee", email="kim@studio.example.com")
    services.start_review(kim.pk)

    def shown(**params):
        return {application.pk for application in changelist(client, **params).context["cl"].result_list}

    assert shown(status__exact=Status.UNDER_REVIEW) == {kim.pk}
    assert shown(q=alex.reference) == {alex.pk}
    assert shown(q="studio.example") == {kim.pk}
    assert shown(q="Morgan") == {alex.pk}


def test_the_operators_group_may_view_and_change_applications_but_not_add_or_delete_them():
    group = Group.objects.get(name=OPERATORS_GROUP)
    codenames = set(
        group.permissions.filter(content_type__model="residencyapplication").values_list("codename", flat=True)
    )
    assert codenames == {"view_residencyapplication", "change_residencyapplication"}


def test_operators_can_neither_add_nor_delete_applications(client, operator, program):
    application = apply(program, "Alex Morgan")
    assert client.get(reverse("admin:residency_residencyapplication_add")).status_code == 403
    assert client.get(reverse("admin:residency_residencyapplication_delete", args=[application.pk])).status_code == 403
    actions = dict(changelist(client).context["action_form"].fields["action"].choices)
    assert "delete_selected" not in actions
    assert {"mark_under_review", "accept", "waitlist", "reject"} <= set(actions)


# --- The application's page


def test_the_application_page_shows_every_field_read_only(client, operator, program):
    application = apply(program, "Alex Morgan", skills=SKILLS, portfolio_url="https://alex.example.com/work")
    change = reverse("admin:residency_residencyapplication_change", args=[application.pk])
    response = client.get(change)
    assert response.status_code == 200
    assert response.context["adminform"].form.fields == {}  # nothing to edit
    body = response.content.decode()
    assert 'name="_save"' not in body
    assert "Bilingual signage<br>Photography" in body
    assert '<a href="https://alex.example.com/work" target="_blank" rel="noopener noreferrer">' in body
    assert f'<a href="{cv_url(application)}">' in body
    assert application.token not in body
    assert not response.context["has_absolute_url"]  # no "view on site": the status page is the applicant's
    assert "alex.morgan@example.com" in body and application.profession in body
    with translation.override("zh-hans"):
        assert "英国 (GB)" in body
    emails = Rows(body, "emails-group").rows
    assert any(gettext("Application received") in cell for row in emails for cell in row)


def test_posting_the_application_page_changes_nothing(client, operator, program):
    application = apply(program, "Alex Morgan")
    change = reverse("admin:residency_residencyapplication_change", args=[application.pk])
    response = client.post(change, {"status": Status.ACCEPTED, "decision_message": "sneaky", "name": "Someone"})
    assert response.status_code == 403
    assert (fresh(application).status, application.name) == (Status.SUBMITTED, "Alex Morgan")


def test_another_villages_application_page_is_not_shown(client, operator, other_program):
    other = apply(other_program, "Sam Other")
    response = client.get(reverse("admin:residency_residencyapplication_change", args=[other.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:index")
    body = response.content.decode()
    assert "Sam Other" not in body and other.reference not in body


def test_the_page_of_an_undecided_application_offers_its_decisions(client, operator, program):
    application = apply(program, "Alex Morgan")
    page = client.get(reverse("admin:residency_residencyapplication_change", args=[application.pk]))
    assert [action for action, _label in page.context["decision_buttons"]] == [
        "mark_under_review",
        "accept",
        "waitlist",
        "reject",
    ]
    response = run_action(client, "reject", [application])  # what the page's "Reject…" button posts
    assert response.status_code == 200 and CONFIRMATION in [template.name for template in response.templates]
    assert fresh(application).status == Status.SUBMITTED


def test_a_decided_application_offers_no_decision(client, operator, program):
    application = apply(program, "Alex Morgan")
    services.decide_application(application.pk, Status.REJECTED)
    page = client.get(reverse("admin:residency_residencyapplication_change", args=[application.pk]))
    assert page.context["decision_buttons"] == []
    assert 'id="decide-application"' not in page.content.decode()


# --- The CV


def test_the_operator_of_the_village_downloads_the_cv_as_a_pdf_attachment(client, operator, program, settings):
    content = pdf_bytes(pages=2)
    application = apply(program, "Alex Morgan", cv=uploaded_pdf("我的简历.pdf", content))
    response = client.get(cv_url(application))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{application.reference}-cv.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    stored = Path(settings.PRIVATE_ROOT) / application.cv.name
    assert stored.read_bytes() == content
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(path.suffix == ".pdf" for path in media.rglob("*"))


def test_a_superuser_downloads_any_villages_cv(client, superuser, other_program):
    application = apply(other_program, "Sam Other")
    response = client.get(cv_url(application))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_another_villages_cv_is_not_found(client, operator, other_program):
    other = apply(other_program, "Sam Other")
    assert client.get(cv_url(other)).status_code == 404


def test_an_unknown_application_has_no_cv(client, operator):
    assert client.get(reverse("admin:residency_residencyapplication_cv", args=[999999])).status_code == 404
    assert client.get("/zh-hans/admin/residency/residencyapplication/not-a-number/cv/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_admin_login_for_a_cv(client, program):
    application = apply(program, "Alex Morgan")
    response = client.get(cv_url(application))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_staff_member_without_the_permission_cannot_download_a_cv(client, django_user_model, program):
    application = apply(program, "Alex Morgan")
    client.force_login(django_user_model.objects.create_user("clerk", password="a-long-password-123", is_staff=True))
    assert client.get(cv_url(application)).status_code == 403


def test_a_cv_has_no_public_address(program):
    application = apply(program, "Alex Morgan")
    with pytest.raises(ValueError):
        application.cv.url  # noqa: B018 - the property is what is tested


# --- Decisions


def test_accepting_more_applicants_than_places_refuses_the_latest_with_a_warning(client, operator, program):
    first, second, third = (apply(program, name) for name in ("First Nomad", "Second Nomad", "Third Nomad"))

    page = run_action(client, "accept", [third, first, second])
    assert page.status_code == 200 and CONFIRMATION in [template.name for template in page.templates]
    body = page.content.decode()
    assert Rows(body, "decision-programs").row_with("水库游民计划")[1:] == ["2", "0", "2"]
    applications = Rows(body, "decision-applications")
    assert applications.row_with(first.reference)[-1] == "" and applications.row_with(second.reference)[-1] == ""
    assert applications.row_with(third.reference)[-1] == gettext("No place is left for it: it will not be accepted.")
    assert fresh(first).status == Status.SUBMITTED  # nothing is decided before the page is confirmed

    response = confirm(client, "accept", [first, second, third], message="Welcome to 水库村!")
    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    assert [fresh(application).status for application in (first, second, third)] == [
        Status.ACCEPTED,
        Status.ACCEPTED,
        Status.SUBMITTED,
    ]
    assert fresh(program).places_accepted == 2
    assert ("warning", f"{third.reference}: {ProgramFull.default_message}") in messages_of(response)
    assert ("success", gettext("%(count)s application(s) accepted.") % {"count": 2}) in messages_of(response)
    assert not third.emails.filter(kind=Kind.APPLICATION_ACCEPTED).exists()
    assert first.decision_message == "Welcome to 水库村!"


def test_a_full_programme_stays_full_whatever_is_selected_again(client, operator, program):
    accepted = [apply(program, name) for name in ("First Nomad", "Second Nomad")]
    confirm(client, "accept", accepted)
    late = apply(program, "Late Nomad")
    response = confirm(client, "accept", [*accepted, late])
    assert fresh(late).status == Status.SUBMITTED and fresh(program).places_accepted == 2
    assert ("warning", f"{late.reference}: {ProgramFull.default_message}") in messages_of(response)
    assert ("success", gettext("%(count)s application(s) accepted.") % {"count": 0}) in messages_of(response)
    assert OutgoingEmail.objects.filter(kind=Kind.APPLICATION_ACCEPTED).count() == 2  # none sent twice


@pytest.mark.parametrize(
    ("action", "status", "kind"),
    [
        ("waitlist", Status.WAITLISTED, Kind.APPLICATION_WAITLISTED),
        ("reject", Status.REJECTED, Kind.APPLICATION_REJECTED),
    ],
)
def test_a_decision_with_a_message_reaches_every_selected_applicant_once(
    client, operator, program, action, status, kind
):
    applications = [apply(program, name) for name in ("Alex Morgan", "Kim Lee")]
    message = "Thank you for applying.\nWe had many strong applications this season."
    response = confirm(client, action, applications, message=message)
    assert response.status_code == 200
    for application in applications:
        application = fresh(application)
        assert (application.status, application.decision_message) == (status, message)
        assert application.decided_at is not None
        [email] = application.emails.filter(kind=kind)
        assert email.recipient == application.email
    assert fresh(program).places_accepted == 0


def test_a_message_longer_than_the_limit_is_sent_back_with_an_error(client, operator, program):
    application = apply(program, "Alex Morgan")
    too_long = "x" * (ResidencyApplication._meta.get_field("decision_message").max_length + 1)
    response = confirm(client, "reject", [application], message=too_long)
    assert CONFIRMATION in [template.name for template in response.templates]
    assert response.context["form"].errors["message"]
    assert fresh(application).status == Status.SUBMITTED
    assert not application.emails.filter(kind=Kind.APPLICATION_REJECTED).exists()


def test_an_application_already_decided_is_skipped_and_said_so(client, operator, program):
    withdrawn = apply(program, "Alex Morgan")
    services.withdraw_application(withdrawn.pk)
    rejected = apply(program, "Kim Lee")
    services.decide_application(rejected.pk, Status.REJECTED)
    page = run_action(client, "reject", [withdrawn, rejected])
    assert 'type="submit" class="default"' not in page.content.decode()  # nothing left to decide
    response = confirm(client, "reject", [withdrawn, rejected])
    assert fresh(withdrawn).status == Status.WITHDRAWN
    levels = [level for level, _text in messages_of(response)]
    assert levels.count("warning") == 1 and levels.count("info") == 1
    assert rejected.emails.filter(kind=Kind.APPLICATION_REJECTED).count() == 1


def test_marking_under_review_emails_the_applicant_once(client, operator, program):
    application = apply(program, "Alex Morgan")
    response = run_action(client, "mark_under_review", [application])
    assert response.status_code == 302
    application = fresh(application)
    assert application.status == Status.UNDER_REVIEW and application.reviewed_at is not None
    run_action(client, "mark_under_review", [application])
    assert application.emails.filter(kind=Kind.APPLICATION_UNDER_REVIEW).count() == 1
    assert LogEntry.objects.filter(object_id=str(application.pk)).count() == 1


def test_each_decision_is_in_the_applications_history_with_who_took_it(client, operator, program):
    application = apply(program, "Alex Morgan")
    run_action(client, "mark_under_review", [application])
    confirm(client, "waitlist", [application])
    confirm(client, "accept", [application])
    entries = LogEntry.objects.filter(object_id=str(application.pk)).order_by("pk")
    assert [entry.action_flag for entry in entries] == [CHANGE] * 3
    assert {entry.user for entry in entries} == {operator}
    with translation.override("zh-hans"):
        expected = [gettext("Put under review."), gettext("Waitlisted."), gettext("Accepted.")]
    assert [entry.change_message for entry in entries] == expected
    history = client.get(reverse("admin:residency_residencyapplication_history", args=[application.pk]))
    assert "op-shuiku" in history.content.decode()


def test_an_action_on_another_villages_application_changes_nothing(client, operator, other_program):
    other = apply(other_program, "Sam Other")
    run_action(client, "mark_under_review", [other])
    confirm(client, "accept", [other])
    other = fresh(other)
    assert other.status == Status.SUBMITTED and fresh(other_program).places_accepted == 0
    assert not LogEntry.objects.filter(object_id=str(other.pk)).exists()


def test_application_emails_are_listed_and_found_by_the_applications_reference(client, operator, program):
    application = apply(program, "Alex Morgan")
    response = client.get(reverse("admin:outbox_outgoingemail_changelist"), {"q": application.reference})
    shown = response.context["cl"].result_list
    assert {email.application_id for email in shown} == {application.pk} and len(shown) == 2


# --- The dashboard


def test_the_dashboard_counts_the_operators_new_applications(client, operator, program, other_program):
    for name in ("Alex Morgan", "Kim Lee", "Jo Park"):
        apply(program, name)
    services.start_review(ResidencyApplication.objects.get(name="Jo Park").pk)
    services.decide_application(ResidencyApplication.objects.get(name="Kim Lee").pk, Status.REJECTED)
    for name in ("Sam Other", "Lou Other"):
        apply(other_program, name)
    page = client.get(reverse("admin:index")).content.decode()
    block = Rows(page, "dashboard-new-applications")
    assert block.row_with(gettext("Submitted")) == [gettext("Submitted"), "1"]
    assert block.row_with(gettext("Under review")) == [gettext("Under review"), "1"]
    assert f'href="{reverse(CHANGELIST)}?status__exact=submitted"' in page
    assert f'href="{reverse(CHANGELIST)}?status__exact=under_review"' in page


def test_a_superuser_counts_every_villages_new_applications(client, superuser, program, other_program):
    apply(program, "Alex Morgan")
    for name in ("Sam Other", "Lou Other"):
        apply(other_program, name)
    page = client.get(reverse("admin:index")).content.decode()
    assert Rows(page, "dashboard-new-applications").row_with(gettext("Submitted"))[-1] == "3"


def test_the_dashboard_says_when_no_application_waits(client, operator, program):
    services.decide_application(apply(program, "Alex Morgan").pk, Status.ACCEPTED)
    page = client.get(reverse("admin:index")).content.decode()
    assert gettext("No residency application is waiting for a decision.") in page
