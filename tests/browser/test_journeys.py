"""The journeys of the site in a real Chromium, each asserting what the person sees.

Every page on the way is checked for console errors and basic accessibility (labels, alt text, contrast of the
main text); key pages are saved at 375 and 1440 px under var/screenshots/.
"""

import email
import email.policy
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from bookings import services
from bookings.models import Booking
from residency.models import ResidencyApplication
from tests.browser.conftest import PHONE
from tests.factories import make_booking, make_operator, pdf_bytes
from villages.models import Experience, Session, Village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    """The demo villages of `make run`, as a visitor finds them."""
    call_command("seed_demo", verbosity=0)


def test_a_visitor_on_a_phone_finds_the_fireflies_books_a_family_gets_the_email_and_cancels(visit, demo, worker):
    tab = visit("visitor", PHONE)
    page = tab.open("/zh-hans/")
    tab.checked("home", screenshot=True)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="村庄").click()
    page.get_by_label("搜索", exact=True).fill("萤火虫")
    page.get_by_role("button", name="查找村庄").click()
    assert page.locator(".village-card .card-title").all_inner_texts() == ["岑卜村"]
    tab.checked("search-results", screenshot=True)

    page.get_by_role("link", name=re.compile("岑卜村")).first.click()
    tab.checked("village", screenshot=True)
    page.get_by_role("link", name=re.compile("岑卜夏夜观萤火虫")).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "岑卜夏夜观萤火虫"
    tab.checked("experience", screenshot=True)

    page.locator(".session-option:not(.sold-out) label").first.click()
    page.get_by_label("成人", exact=True).fill("2")
    page.get_by_label("儿童", exact=True).fill("1")
    page.get_by_label(re.compile("所有儿童均已年满")).check()
    assert page.locator("[data-booking-total]").inner_text() == "¥174.00"  # 2 × ¥68 + ¥38, before sending
    page.get_by_label("姓名", exact=True).fill("王小明")
    page.get_by_label("电子邮箱", exact=True).fill("xiaoming@example.com")
    page.get_by_label("电话", exact=True).fill("13800138000")
    page.get_by_role("button", name="预订").click()

    page.wait_for_url(re.compile(r"/zh-hans/bookings/[A-Z0-9-]+/\?token="))
    reference = page.locator(".booking-reference strong").inner_text()
    booking = Booking.objects.get(reference=reference)
    assert (booking.adults, booking.children, booking.name) == (2, 1, "王小明")
    [email] = worker.wait_for_messages("xiaoming@example.com")
    assert reference in email
    page.reload()
    assert "已确认" in page.locator(".booking-status-name").inner_text()
    tab.checked("booking-confirmed", screenshot=True)

    page.get_by_role("button", name="取消预订").click()
    page.wait_for_load_state("load")
    assert "已取消" in page.locator(".booking-status-name").inner_text()
    tab.checked("booking-cancelled")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_a_digital_nomad_switches_to_english_applies_to_shuikus_next_cohort_with_a_pdf_cv_and_sees_the_status(
    visit, demo
):
    tab = visit("nomad")
    page = tab.open("/zh-hans/residency/")
    page.get_by_label("语言", exact=True).select_option("en")
    page.get_by_role("button", name="切换").click()
    page.wait_for_url(re.compile(r"/en/residency/$"))  # the same page, in English
    assert page.get_by_role("heading", level=1).inner_text() == "Residency programmes"
    tab.checked("residency-list", screenshot=True)

    # The first cohort has moved in (shown in residence, no form); the open one is the demo next cohort.
    expect(page.locator("#residency-shuiku-digital-nomad-first-cohort").locator("..")).to_contain_text(
        "In residence now"
    )
    page.get_by_role("link", name="Details and application form").first.click()
    program = Village.objects.get(slug="shuiku").residency_programs.get(slug="shuiku-digital-nomad-next-cohort")
    page.wait_for_url(re.compile(f"/en/residency/{program.slug}/$"))
    assert "Shuiku" in page.locator("main").inner_text()
    tab.checked("programme", screenshot=True)
    page.get_by_label("Name", exact=True).fill("Alex Morgan")
    page.get_by_label("Email", exact=True).fill("alex@example.com")
    page.get_by_label("Nationality", exact=True).select_option("GB")
    page.get_by_label("Profession", exact=True).fill("UX designer")
    page.get_by_label("Skills you would share", exact=True).fill("Bilingual signage, photography workshops")
    page.get_by_label("Portfolio or website (optional)", exact=True).fill("https://alex.example.com")
    page.get_by_label("CV", exact=True).set_input_files(
        {"name": "alex-cv.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(pages=2)}
    )
    page.get_by_label("Arrival date", exact=True).fill(program.starts_on.isoformat())
    page.get_by_label("Length of stay (months)", exact=True).fill("3")
    page.get_by_label("What you would bring to the village", exact=True).fill(
        "I design bilingual wayfinding for rural places and would like to make the village's trails, cafés and "
        "homestays easy to find for visitors from abroad, and teach a weekly phone-photography class."
    )
    page.get_by_label(re.compile("I agree that my details")).check()
    page.get_by_role("button", name="Send my application").click()

    page.wait_for_url(re.compile(r"/en/residency/applications/RA-[A-Z0-9]+/\?token="))
    application = ResidencyApplication.objects.get()
    assert application.reference in page.locator("main").inner_text()
    assert "Submitted" in page.locator(".booking-status-name").inner_text()
    assert application.language == "en" and application.nationality == "GB"
    tab.checked("application-status", screenshot=True)


def test_an_operator_sees_only_their_village_schedules_sessions_and_checks_a_visitor_in(visit, demo, operators_group):
    shuiku = Village.objects.get(slug="shuiku")
    make_operator("shuiku-desk", shuiku)
    experience = Experience.objects.filter(village=shuiku).order_by("position").first()
    tab = visit("operator")
    page = tab.open("/zh-hans/admin/")
    page.locator("#id_username").fill("shuiku-desk")
    page.locator("#id_password").fill("a-long-password-123")
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/zh-hans/admin/$"))
    tab.checked("admin-dashboard", screenshot=True)

    tab.open("/zh-hans/admin/villages/village/")
    listed = page.locator("#result_list tbody tr").all_inner_texts()
    assert len(listed) == 1 and "水库村" in listed[0]
    assert "岑卜村" not in page.locator("#content").inner_text()

    tab.open(f"/zh-hans/admin/villages/experience/{experience.pk}/change/")
    page.get_by_role("link", name="批量排期").click()
    first_day = timezone.localdate() + timedelta(days=60)
    page.locator(f"#id_weekdays_{first_day.weekday()}").check()
    page.locator("#id_start_time").fill("14:00")
    page.locator("#id_first_day").fill(first_day.isoformat())
    page.locator("#id_last_day").fill((first_day + timedelta(days=13)).isoformat())
    page.locator("input[name=preview]").click()
    assert page.locator("#planned-sessions tbody tr.slot-create").count() == 2
    tab.checked("admin-schedule-preview", screenshot=True)
    page.locator("input[name=confirm]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("2")
    assert Session.objects.filter(experience=experience, starts_at__date__gte=first_day).count() >= 2

    session = Session.objects.filter(experience=experience, starts_at__gt=timezone.now()).order_by("starts_at")[0]
    booking, _ = services.create_booking(
        session_id=session.pk, adults=1, name="李华", email="lihua@example.com", phone="13900139000", language="zh-hans"
    )
    services.confirm_booking(booking.pk)
    if Booking.objects.get(pk=booking.pk).status == Booking.Status.PENDING:
        services.approve_booking(booking.pk)
    tab.open("/zh-hans/admin/bookings/booking/check-in/")
    page.get_by_label("签到码", exact=True).fill(booking.check_in_code.lower())
    page.locator("input[type=submit][value=签到]").click()
    assert booking.reference in page.locator("#content").inner_text()
    tab.checked("admin-check-in", screenshot=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


def _text_of(raw: str) -> str:
    message = email.message_from_bytes(raw.strip().encode(), policy=email.policy.default)
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_phone_visitor_waits_for_a_full_firefly_evening_claims_the_offer_and_moves_to_another_evening(
    visit, demo, worker
):
    evenings = Session.objects.filter(experience__slug="cenbu-firefly-viewing").order_by("starts_at")
    full_evening = evenings[0]
    families = [make_booking(full_evening, adults=2) for _ in range(full_evening.capacity // 2)]
    tab = visit("waiting-visitor", PHONE)
    page = tab.open("/zh-hans/experiences/cenbu-firefly-viewing/")
    tab.checked("experience-before-you-go", screenshot=True)
    assert "出发前须知" in page.locator("main").inner_text()

    page.locator(f"label[for=id_session_{full_evening.pk}]").click()
    page.get_by_label("成人", exact=True).fill("2")
    expect(page.get_by_role("button", name="预订")).to_be_hidden()  # too full: the page offers the list instead
    page.get_by_label("姓名", exact=True).fill("陈静")
    page.get_by_label("电子邮箱", exact=True).fill("chenjing@example.com")
    page.get_by_label("电话", exact=True).fill("13700137000")
    page.get_by_role("button", name="加入候补名单").click()
    page.wait_for_url(re.compile(r"/zh-hans/bookings/waitlist/WL-[A-Z0-9]+/\?token="))
    assert "您在候补名单上排第 1 位" in page.locator("main").inner_text()
    tab.checked("waitlist-waiting", screenshot=True)

    services.cancel_booking(families[0].pk, by=Booking.CancelledBy.VISITOR)
    messages = worker.wait_for_messages("chenjing@example.com", count=2, timeout=60)
    [offer] = [text for text in map(_text_of, messages) if "已为您保留" in text]
    claim_page = re.search(r"https?://[^/\s]+(/zh-hans/bookings/waitlist/\S+)", offer).group(1)
    tab.open(claim_page)
    tab.checked("waitlist-offer", screenshot=True)
    page.get_by_role("button", name="领取座位并预订（¥136.00）").click()
    page.wait_for_url(re.compile(r"/zh-hans/bookings/[A-Z]{2}-[A-Z0-9]+/\?token="))
    reference = page.locator(".booking-reference strong").inner_text()
    worker.wait_for_messages("chenjing@example.com", count=3)
    page.reload()
    assert "已确认" in page.locator(".booking-status-name").inner_text()

    other_evening = evenings[1]
    page.locator(f"label[for=move-{other_evening.pk}]").click()
    page.get_by_role("button", name="改期").click()
    page.wait_for_load_state("load")
    expect(page.locator(".booking-facts")).to_contain_text(f"{timezone.localtime(other_evening.starts_at):%H:%M}")
    tab.checked("booking-moved", screenshot=True)
    booking = Booking.objects.get(reference=reference)
    assert (booking.session_id, booking.moved_from_id) == (other_evening.pk, full_evening.pk)
    moved = worker.wait_for_messages("chenjing@example.com", count=4)
    assert any("改到" in _text_of(message) for message in moved)
    full_evening.refresh_from_db()
    assert full_evening.seats_left == 2  # the seats freed by the move, for the next on its list or anyone
