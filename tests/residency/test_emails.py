"""The emails an applicant and a village receive about a residency application, sent from the outbox."""

import pytest
from django.core import mail

from outbox import services as outbox_services
from outbox.models import OutgoingEmail
from residency import services
from residency.models import ResidencyApplication
from tests.factories import ResidencyProgramFactory, VillageFactory, make_application

pytestmark = pytest.mark.django_db

SITE = "https://villages.example"
Kind = OutgoingEmail.Kind
Status = ResidencyApplication.Status


@pytest.fixture(autouse=True)
def outbox_settings(settings):
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def program():
    village = VillageFactory(name_zh_hans="水库村", name_en="Shuiku Village", contact_email="shuiku@example.com")
    return ResidencyProgramFactory(
        village=village, name_zh_hans="数字游民国际村 第一期", name_en="Digital Nomad Village, first cohort"
    )


def send_all() -> list:
    """Send every email waiting in the outbox, as the worker does; the messages that went out."""
    mail.outbox.clear()
    for email in OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).order_by("pk"):
        assert outbox_services.send_outgoing_email(email.pk) == "sent"
    return list(mail.outbox)


def test_an_english_applicant_gets_an_english_receipt_with_the_private_status_link(program):
    application = make_application(program, language="en")
    to_applicant, to_village = send_all()
    assert to_applicant.to == ["alex@example.com"]
    program_name = "Digital Nomad Village, first cohort"
    assert to_applicant.subject == f"Application received: {program_name} ({application.reference})"
    status_link = f"{SITE}/en/residency/applications/{application.reference}/?token={application.token}"
    assert status_link in to_applicant.body
    html = to_applicant.alternatives[0][0]
    assert 'lang="en"' in html and status_link.replace("&", "&amp;") in html
    assert "Shuiku Village" in to_applicant.body
    assert to_village.to == ["shuiku@example.com"]


def test_a_chinese_applicant_gets_every_step_in_chinese(program):
    application = make_application(program, language="zh-hans", email="xiaoming@example.com")
    send_all()
    services.start_review(application.pk)
    [under_review] = send_all()
    assert "正在审核" in under_review.subject and application.reference in under_review.subject
    assert f"{SITE}/zh-hans/residency/applications/{application.reference}/" in under_review.body
    services.decide_application(application.pk, Status.ACCEPTED, message="欢迎！请在到达前一周联系村委会。")
    [accepted] = send_all()
    assert "水库村" in accepted.subject
    assert "欢迎！请在到达前一周联系村委会。" in accepted.body
    assert "欢迎！请在到达前一周联系村委会。" in accepted.alternatives[0][0]


def test_the_decision_message_reaches_a_rejected_or_waitlisted_applicant(program):
    rejected = make_application(program, email="one@example.com")
    waitlisted = make_application(program, email="two@example.com")
    send_all()
    services.decide_application(rejected.pk, Status.REJECTED, message="We chose people who can stay longer.")
    services.decide_application(waitlisted.pk, Status.WAITLISTED, message="You are first on the list.")
    sent = {message.to[0]: message for message in send_all()}
    assert sent["one@example.com"].subject.startswith("About your application")
    assert "We chose people who can stay longer." in sent["one@example.com"].body
    assert sent["two@example.com"].subject.startswith("You are on the waiting list")
    assert "You are first on the list." in sent["two@example.com"].body


def test_withdrawing_is_confirmed_to_the_applicant(program):
    application = make_application(program)
    send_all()
    services.withdraw_application(application.pk)
    [withdrawn] = send_all()
    assert withdrawn.subject.startswith("Application withdrawn")
    assert withdrawn.to == ["alex@example.com"]


def test_the_village_notice_is_in_chinese_answers_the_applicant_and_carries_no_cv(program):
    application = make_application(program, nationality="DE", profession="Architect")
    _to_applicant, notice = send_all()
    assert notice.subject.startswith("新的驻村申请") and application.reference in notice.subject
    assert notice.reply_to == ["alex@example.com"]
    assert "德国" in notice.body and "Architect" in notice.body and "alex@example.com" in notice.body
    assert notice.attachments == []
    assert application.token not in notice.body  # the applicant's key stays with the applicant


def test_a_village_without_a_contact_address_gets_no_notice():
    program = ResidencyProgramFactory(village=VillageFactory(contact_email=""))
    make_application(program)
    assert [message.to for message in send_all()] == [["alex@example.com"]]
