"""The move of residency and the outbox into apps of their own (issue 11) changes no table: a database with bookings,
applications (with their CVs), emails and the operators' permissions, written before the move, migrates forward with
every row, file and permission where it was (PostgreSQL, as in production)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from outbox.models import OutgoingEmail
from residency.models import ResidencyApplication, ResidencyProgram
from residency.storage import private_storage
from tests.conftest import service_missing
from tests.factories import pdf_bytes
from villages.scoping import OPERATORS_GROUP

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("villages", "0004_residency_programs"), ("bookings", "0006_contact_lookups")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def write_the_old_layout(apps, cv_name: str) -> dict:
    """What a site had before the move, written with the models as they were then."""
    now = timezone.now()
    district = apps.get_model("villages", "District").objects.create(slug="jinshan", name="金山区")
    town = apps.get_model("villages", "Town").objects.create(slug="caojing", name="漕泾镇", district=district)
    village = apps.get_model("villages", "Village").objects.create(
        slug="shuiku", name="水库村", town=town, summary="-", is_published=True
    )
    experience = apps.get_model("villages", "Experience").objects.create(
        village=village,
        slug="walk",
        kind="other",
        title="走走",
        description="-",
        duration_minutes=60,
        adult_price=10,
        child_price=5,
        capacity=10,
        is_published=True,
    )
    session = apps.get_model("villages", "Session").objects.create(
        experience=experience,
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=3, hours=1),
        capacity=10,
        seats_taken=2,
    )
    booking = apps.get_model("bookings", "Booking").objects.create(
        reference="SH-ABCDEF",
        token="t" * 43,
        check_in_code="CHECKIN1",
        session=session,
        adults=2,
        name="王小明",
        email="xiaoming@example.com",
        phone="+8613800138000",
        language="zh-hans",
        total_price=20,
    )
    program = apps.get_model("villages", "ResidencyProgram").objects.create(
        village=village,
        slug="nomads",
        name="数字游民",
        starts_on=now.date() + timedelta(days=60),
        ends_on=now.date() + timedelta(days=240),
        places=12,
        places_accepted=1,
        monthly_fee=3000,
        applications_open_at=now - timedelta(days=1),
        applications_close_at=now + timedelta(days=30),
        is_published=True,
    )
    application = apps.get_model("bookings", "ResidencyApplication").objects.create(
        reference="RA-ABCDEFG",
        token="a" * 43,
        program=program,
        name="Alex",
        email="alex@example.com",
        nationality="GB",
        profession="designer",
        skills="-",
        cv=cv_name,
        arrival_date=program.starts_on,
        stay_months=3,
        proposal="p" * 100,
        consent_given_at=now,
        language="en",
        status="accepted",
        decided_at=now,
    )
    emails = apps.get_model("bookings", "OutgoingEmail").objects
    emails.create(
        kind="booking_confirmed",
        booking=booking,
        recipient=booking.email,
        language="zh-hans",
        status="sent",
        sent_at=now,
        next_attempt_at=now,
    )
    emails.create(
        kind="application_accepted",
        application=application,
        recipient=application.email,
        language="en",
        next_attempt_at=now,
    )
    return {"booking": booking.pk, "program": program.pk, "application": application.pk}


def test_a_database_from_before_the_move_keeps_every_row_file_and_permission():
    if connection.vendor != "postgresql":
        service_missing("the migration test runs on PostgreSQL, as production: set DATABASE_URL")
    cv = pdf_bytes()
    cv_name = private_storage.save("cv/1/before-the-move.pdf", ContentFile(cv))
    old_apps = migrate(BEFORE_THE_MOVE)
    ids = write_the_old_layout(old_apps, cv_name)
    # The operators' group as a data migration left it (an earlier test's flush may have emptied the table).
    old_group, _created = old_apps.get_model("auth", "Group").objects.get_or_create(name=OPERATORS_GROUP)
    permissions = old_apps.get_model("auth", "Permission").objects
    old_group.permissions.add(
        permissions.get(content_type__app_label="bookings", codename="view_residencyapplication"),
        permissions.get(content_type__app_label="bookings", codename="view_outgoingemail"),
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    application = ResidencyApplication.objects.select_related("program__village").get(pk=ids["application"])
    assert (application.reference, application.program.pk, application.program.village.slug) == (
        "RA-ABCDEFG",
        ids["program"],
        "shuiku",
    )
    assert ResidencyProgram.objects.get(pk=ids["program"]).places_accepted == 1
    with application.cv.open("rb") as stored:
        assert stored.read() == cv
    assert {(email.kind, email.booking_id, email.application_id) for email in OutgoingEmail.objects.all()} == {
        ("booking_confirmed", ids["booking"], None),
        ("application_accepted", None, ids["application"]),
    }
    operators = Group.objects.get(name=OPERATORS_GROUP)
    assert operators.permissions.filter(content_type__app_label="residency", codename="view_residencyapplication")
    assert operators.permissions.filter(content_type__app_label="outbox", codename="view_outgoingemail")
    assert not ContentType.objects.filter(app_label="bookings", model__in=["residencyapplication", "outgoingemail"])
