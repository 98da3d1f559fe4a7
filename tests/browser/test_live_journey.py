"""From a village's live stream to a booking, in a real Chromium: the visitor on a phone, then the operator's
dashboard. Pages are checked for console errors and accessibility, and saved at 375 and 1440 px."""

import re

import pytest
from django.core.management import call_command

from bookings.models import Booking
from live.models import LiveStream
from tests.browser.conftest import PHONE
from tests.factories import make_operator
from tests.html import Rows
from villages.models import Village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    call_command("seed_demo", verbosity=0)


def test_a_phone_visitor_books_from_cenbus_next_stream_and_the_operator_sees_it_under_that_stream(
    visit, demo, operators_group
):
    cenbu = Village.objects.get(slug="cenbu")
    stream = LiveStream.objects.filter(village=cenbu).order_by("starts_at").first()
    tab = visit("live-visitor", PHONE)
    page = tab.open("/en/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Live").click()
    page.wait_for_url(re.compile(r"/en/live/$"))
    tab.checked("live", screenshot=True)

    page.get_by_label("Village").select_option("cenbu")
    page.get_by_role("button", name="Show").click()
    page.locator(".stream-card .card-title a").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == stream.title_en
    tab.checked("live-stream", screenshot=True)

    featured = page.locator(".featured-session").first
    featured_text = featured.inner_text()
    assert re.search(r"\d+ seats? left", featured_text)
    featured.get_by_role("link", name=re.compile("^Book")).click()
    page.wait_for_url(re.compile(r"/en/experiences/cenbu-firefly-viewing/\?session=\d+&source=live"))
    assert page.locator(".session-option input[type=radio]:checked").count() == 1  # the stream's session, chosen
    page.get_by_label("Adults", exact=True).fill("2")
    page.get_by_label("Name", exact=True).fill("Li Hua")
    page.get_by_label("Email", exact=True).fill("lihua@example.com")
    page.get_by_label("Phone", exact=True).fill("13900139000")
    page.get_by_role("button", name="Book", exact=True).click()
    page.wait_for_url(re.compile(r"/en/bookings/[A-Z0-9-]+/\?token="))
    booking = Booking.objects.get(reference=page.locator(".booking-reference strong").inner_text())
    assert (booking.source, booking.adults) == (stream.source, 2)

    make_operator("cenbu-desk", cenbu)
    desk = visit("live-operator")
    admin = desk.open("/en/admin/")
    admin.locator("#id_username").fill("cenbu-desk")
    admin.locator("#id_password").fill("a-long-password-123")
    admin.locator("input[type=submit]").click()
    admin.wait_for_url(re.compile(r"/en/admin/$"))
    row = Rows(admin.content(), "dashboard-streams").row_with(stream.title_en)
    assert row[-2:] == ["1", "2"]  # one booking, two seats
    desk.checked("admin-dashboard-streams", screenshot=True)
