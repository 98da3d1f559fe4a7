"""Operators deciding at the same moment: the programme's row lock and its counter never give a place twice."""

import pytest
from django.db import connection

from residency import services
from residency.errors import InvalidDecision, ProgramFull
from residency.models import ResidencyApplication
from tests.conftest import service_missing
from tests.factories import ResidencyProgramFactory, make_application
from tests.racing import RACERS, race

pytestmark = pytest.mark.django_db(transaction=True)

Status = ResidencyApplication.Status


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        service_missing("concurrency tests need PostgreSQL row locks: set DATABASE_URL to a PostgreSQL database")


def test_twenty_acceptances_racing_for_five_places_accept_exactly_five():
    program = ResidencyProgramFactory(places=5)
    applications = [make_application(program, email=f"nomad{index}@example.com") for index in range(RACERS)]

    def accept(index):
        services.decide_application(applications[index].pk, Status.ACCEPTED)
        return "accepted"

    outcomes = race(accept, {ProgramFull: "full"})
    assert outcomes == {"accepted": 5, "full": 15}
    program.refresh_from_db()
    assert program.places_accepted == 5
    assert ResidencyApplication.objects.filter(program=program, status=Status.ACCEPTED).count() == 5
    assert ResidencyApplication.objects.filter(program=program, status=Status.SUBMITTED).count() == 15


def test_two_operators_deciding_one_application_at_once_leave_one_decision_and_one_email():
    program = ResidencyProgramFactory(places=3)
    application = make_application(program)
    decisions = [Status.ACCEPTED, Status.REJECTED] * (RACERS // 2)

    def decide(index):
        services.decide_application(application.pk, decisions[index])
        return "decided"

    outcomes = race(decide, {InvalidDecision: "refused"})
    assert set(outcomes) <= {"decided", "refused"}, outcomes
    application.refresh_from_db()
    program.refresh_from_db()
    # Whoever came first decided; the same decision again is a no-op, the other one is refused.
    assert program.places_accepted == (1 if application.status == Status.ACCEPTED else 0)
    assert application.emails.filter(kind__in=["application_accepted", "application_rejected"]).count() == 1
