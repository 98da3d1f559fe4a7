"""The operators' dashboard on the admin index: today's and the week's sessions, approvals, failed emails."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from bookings import services
from bookings.models import Booking
from bookings.selectors import dashboard_for
from outbox.models import OutgoingEmail
from residency import services as residency_services
from tests.factories import (
    ExperienceFactory,
    ResidencyProgramFactory,
    SessionFactory,
    VillageFactory,
    make_application,
    make_operator,
    new_contact,
)
from tests.html import Rows
from villages.models import Session

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def later_today(now=None) -> datetime:
    """A start within the current Shanghai day: in an hour, or an hour ago when the day ends before that."""
    now = (now or timezone.now()).replace(microsecond=0)
    soon = now + timedelta(hours=1)
    return soon if soon.astimezone(SHANGHAI).date() == now.astimezone(SHANGHAI).date() else now - timedelta(hours=1)


def book(session, adults, name, children=0):
    """A booking made two hours before the session starts, so a session earlier today can still be booked."""
    booking, _ = services.create_booking(
        session_id=session.pk,
        adults=adults,
        children=children,
        name=name,
        now=session.starts_at - timedelta(hours=2),
        **new_contact(),
    )
    return booking


def waiting_for_approval(session, name):
    booking = book(session, 1, name)
    services.confirm_booking(booking.pk)  # the worker's turn: needs approval, so it stays pending
    return booking


def fail_emails_of(booking):
    return OutgoingEmail.objects.filter(booking=booking).update(status=OutgoingEmail.Status.FAILED, attempts=5)


@pytest.fixture
def village_a():
    return VillageFactory(slug="cenbu")


@pytest.fixture
def village_b():
    return VillageFactory(slug="zhangma")


@pytest.fixture
def operator(client, django_user_model, village_a):
    user = make_operator("op", village_a)
    client.force_login(user)
    return user


@pytest.fixture
def superuser(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "a-long-password-123")
    client.force_login(user)
    return user


@pytest.fixture
def two_villages(village_a, village_b):
    """Each village with a session today (two bookings on A's), a booking awaiting approval and failed emails."""
    starts = later_today()
    today_a = SessionFactory(
        experience=ExperienceFactory(village=village_a, title_en="Lakeside ride A", title_zh_hans="湖畔骑行甲"),
        starts_at=starts,
    )
    today_b = SessionFactory(
        experience=ExperienceFactory(village=village_b, title_en="Tea picking B", title_zh_hans="采茶乙"),
        starts_at=starts,
    )
    book(today_a, 2, "张三")
    book(today_a, 3, "李四", children=1)
    book(today_b, 1, "王五")
    approval_a = SessionFactory(
        experience=ExperienceFactory(
            village=village_a, requires_approval=True, title_en="Firefly night A", title_zh_hans="萤火虫之夜甲"
        )
    )
    approval_b = SessionFactory(
        experience=ExperienceFactory(
            village=village_b, requires_approval=True, title_en="Firefly night B", title_zh_hans="萤火虫之夜乙"
        )
    )
    waiting_a = waiting_for_approval(approval_a, "赵六")
    waiting_b = waiting_for_approval(approval_b, "孙七")
    fail_emails_of(waiting_a)
    fail_emails_of(waiting_b)
    other_b = book(today_b, 1, "周八")
    services.confirm_booking(other_b.pk)
    fail_emails_of(other_b)
    return {"today_a": today_a, "today_b": today_b, "waiting_a": waiting_a, "waiting_b": waiting_b}


def emails_failed(count: int) -> str:
    return ngettext("%(counter)s email could not be sent.", "%(counter)s emails could not be sent.", count) % {
        "counter": count
    }


def index(client) -> str:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_operator_sees_the_day_of_their_own_village_only(client, operator, two_villages):
    page = index(client)
    today_a, waiting_a, waiting_b = two_villages["today_a"], two_villages["waiting_a"], two_villages["waiting_b"]

    row = Rows(page, "dashboard-today").row_with("湖畔骑行甲")
    assert row[2:5] == ["6", "4", "10"]  # sold, left, capacity: 2 + (3 + 1) of 10
    assert reverse("admin:villages_session_change", args=[today_a.pk]) in page
    assert timezone.localtime(today_a.starts_at, SHANGHAI).strftime("%H:%M") == row[0]

    approvals = Rows(page, "dashboard-awaiting-approval")
    assert approvals.row_with(waiting_a.reference)[2:] == ["1", "赵六"]
    assert reverse("admin:bookings_booking_change", args=[waiting_a.pk]) in page

    failed = reverse("admin:outbox_outgoingemail_changelist") + "?status__exact=failed"
    assert f'<a href="{failed}">{emails_failed(1)}</a>' in page

    for of_b in ("采茶乙", "Tea picking B", "萤火虫之夜乙", waiting_b.reference, "孙七", "王五"):
        assert of_b not in page


def test_a_superuser_sees_every_village(client, superuser, two_villages):
    page = index(client)
    assert Rows(page, "dashboard-today").row_with("采茶乙")[2:5] == ["2", "8", "10"]
    assert Rows(page, "dashboard-today").row_with("湖畔骑行甲")[2:5] == ["6", "4", "10"]
    approvals = Rows(page, "dashboard-awaiting-approval")
    approvals.row_with(two_villages["waiting_a"].reference)
    approvals.row_with(two_villages["waiting_b"].reference)
    assert emails_failed(3) in page


def test_empty_states(client, operator):
    page = index(client)
    assert gettext("No sessions today.") in page
    assert gettext("No sessions in the next 7 days.") in page
    assert gettext("No bookings are waiting for approval.") in page
    assert gettext("Every email has been sent or is on its way.") in page
    assert gettext("No residency application is waiting for a decision.") in page
    assert "app-villages" in page  # the app list is still there, below


def test_a_staff_user_without_a_village_sees_nothing(client, django_user_model, two_villages):
    client.force_login(make_operator("newcomer"))
    page = index(client)
    assert gettext("No sessions today.") in page and gettext("No bookings are waiting for approval.") in page
    assert "湖畔骑行甲" not in page and "采茶乙" not in page


def add_village_data(village, count, starts):
    """`count` more sessions today and in the coming days, each with a booking awaiting approval and a failed email;
    `count` more residency applications, every other one under review."""
    program = ResidencyProgramFactory(village=village)
    for n in range(count):
        experience = ExperienceFactory(village=village, requires_approval=True)
        for start in (starts, starts + timedelta(days=1 + n % 6, minutes=n)):
            session = SessionFactory(experience=experience, starts_at=start)
            fail_emails_of(waiting_for_approval(session, f"访客{n}"))
        application = make_application(program, email=f"nomad{n}@example.com")
        if n % 2:
            residency_services.start_review(application.pk)


def test_the_index_page_makes_as_many_queries_however_much_there_is(client, operator, village_a):
    starts = later_today()
    add_village_data(village_a, 1, starts)
    with CaptureQueriesContext(connection) as small:
        index(client)
    add_village_data(village_a, 12, starts)
    with CaptureQueriesContext(connection) as large:
        page = index(client)
    assert len(Rows(page, "dashboard-today").rows) == 1 + 13  # header and one row per session
    assert len(Rows(page, "dashboard-awaiting-approval").rows) == 1 + 20  # capped at the oldest 20
    assert gettext("The oldest %(shown)s of %(total)s are shown.") % {"shown": 20, "total": 26} in page
    applications = Rows(page, "dashboard-new-applications")
    assert applications.row_with(gettext("Submitted"))[-1] == "7"  # 1 + 6 of the 12
    assert applications.row_with(gettext("Under review"))[-1] == "6"
    assert len(large.captured_queries) == len(small.captured_queries)


# The selector itself, at a fixed moment: 23:30 in Shanghai is 15:30 UTC, so the UTC date would be wrong.
LATE_EVENING = datetime(2025, 6, 1, 23, 30, tzinfo=SHANGHAI)


def at_local(day, hour, minute=0):
    return datetime(2025, 6, day, hour, minute, tzinfo=SHANGHAI)


def test_today_and_the_next_seven_days_are_shanghai_days(village_a, superuser):
    experience = ExperienceFactory(village=village_a)
    for start in (
        at_local(1, 0, 0),  # today, early
        at_local(1, 23, 45),  # today, late
        at_local(2, 0, 30),  # tomorrow: the same UTC date as LATE_EVENING, not the same Shanghai day
        at_local(8, 23, 59),  # the seventh day after today
        at_local(9, 0, 0),  # beyond the week
        datetime(2025, 5, 31, 23, 59, tzinfo=SHANGHAI),  # yesterday
    ):
        SessionFactory(experience=experience, starts_at=start)
    dashboard = dashboard_for(superuser, now=LATE_EVENING)
    assert [row.starts_at for row in dashboard["today"]] == [at_local(1, 0, 0), at_local(1, 23, 45)]
    assert [row.starts_at for row in dashboard["upcoming"]] == [at_local(2, 0, 30), at_local(8, 23, 59)]
    assert all(row.starts_at.tzinfo == SHANGHAI for row in dashboard["today"] + dashboard["upcoming"])


def test_the_figures(village_a, village_b, operator):
    session = SessionFactory(experience=ExperienceFactory(village=village_a, capacity=8), starts_at=at_local(1, 20))
    cancelled = SessionFactory(
        experience=session.experience, starts_at=at_local(1, 21), status=Session.Status.CANCELLED
    )
    book(session, 2, "张三")
    book(session, 1, "李四", children=2)
    services.cancel_booking(book(session, 1, "王五").pk, by=Booking.CancelledBy.OPERATOR)  # its seat is back

    row, cancelled_row = dashboard_for(operator, now=at_local(1, 12))["today"]
    assert (row.id, row.experience, row.village) == (session.pk, session.experience.title, village_a.name)
    assert (row.seats_sold, row.seats_left, row.capacity, row.status) == (5, 3, 8, "scheduled")
    assert (cancelled_row.id, cancelled_row.is_cancelled) == (cancelled.pk, True)


def test_awaiting_approval_is_pending_processed_bookings_of_approval_experiences_oldest_first(village_a, operator):
    needs_approval = SessionFactory(experience=ExperienceFactory(village=village_a, requires_approval=True))
    instant = SessionFactory(experience=ExperienceFactory(village=village_a))
    first = waiting_for_approval(needs_approval, "first")
    second = waiting_for_approval(needs_approval, "second")
    book(needs_approval, 1, "not processed yet")
    services.approve_booking(waiting_for_approval(needs_approval, "approved").pk)
    services.cancel_booking(waiting_for_approval(needs_approval, "cancelled").pk, by=Booking.CancelledBy.OPERATOR)
    waiting_for_approval(instant, "confirmed at once")

    awaiting = dashboard_for(operator)["awaiting_approval"]
    assert awaiting["count"] == 2
    assert [row.reference for row in awaiting["bookings"]] == [first.reference, second.reference]
    assert (awaiting["bookings"][0].party, awaiting["bookings"][0].name) == (1, "first")
