"""The routes from Shanghai on a demo village's page, in a real Chromium: read on a phone, saved at 375 and 1440 px."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_phone_visitor_reads_how_to_get_to_shuiku_from_shanghai_and_what_it_saves(visit):
    call_command("seed_demo", verbosity=0)
    tab = visit("visitor", PHONE)
    page = tab.open("/zh-hans/villages/shuiku/")
    tab.checked("village-routes")

    routes = page.locator("section.routes")
    first = routes.locator("article.route").first
    expect(first.get_by_role("heading", level=3)).to_contain_text("上海南站")
    expect(first.locator(".route-legs li")).to_have_count(2)
    expect(first.locator(".route-legs li").first).to_contain_text("上海南站 → 金山卫站")
    expect(first.locator(".route-co2")).to_contain_text("千克二氧化碳")
    expect(first.locator(".route-note")).to_contain_text("示例路线，出行前请核实")
    # Nothing in the section is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for size_name, size in (("375", PHONE), ("1440", DESKTOP)):
        page.set_viewport_size(size)
        # The section cut out of a full-page picture, where the sticky header stays at the top of the page.
        box = routes.bounding_box()
        clip = {**box, "y": box["y"] + page.evaluate("window.scrollY")}
        page.screenshot(path=SCREENSHOT_DIR / f"visitor-village-routes-{size_name}.png", full_page=True, clip=clip)
