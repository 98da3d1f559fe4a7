"""/healthz tells the truth: database, broker, a worker heard from in the last two minutes, and how long the oldest
email has been waiting. Degraded (still 200) when the site cannot do all its work; 503 only without a database."""

import json
import time
from datetime import timedelta

import pytest

from bookings import services
from config.health import record_worker_heartbeat
from outbox.models import OutgoingEmail
from tests.factories import SessionFactory, new_contact
from tests.subprocess_django import get_json, run_django

pytestmark = pytest.mark.django_db


def health(client) -> dict:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    return response.json()


def test_with_no_worker_ever_heard_from_the_site_is_degraded(client):
    assert health(client) == {
        "status": "degraded",
        "database": "ok",
        "broker": "ok",
        "worker": "silent",
        "outbox_oldest_pending_seconds": 0,
    }


def test_a_fresh_worker_heartbeat_and_an_empty_outbox_are_ok(client):
    record_worker_heartbeat()
    body = health(client)
    assert (body["status"], body["worker"]) == ("ok", "ok")


def test_an_email_waiting_more_than_five_minutes_degrades_the_site(client):
    record_worker_heartbeat()
    booking, _created = services.create_booking(
        session_id=SessionFactory().pk, adults=1, name="王小明", **new_contact()
    )
    services.confirm_booking(booking.pk)
    waiting = booking.emails.get(kind=OutgoingEmail.Kind.BOOKING_CONFIRMED)
    assert health(client)["status"] == "ok"  # just written: not late

    OutgoingEmail.objects.filter(pk=waiting.pk).update(created_at=waiting.created_at - timedelta(minutes=6))

    body = health(client)
    assert body["status"] == "degraded"
    assert 360 <= body["outbox_oldest_pending_seconds"] < 370
    OutgoingEmail.objects.update(status=OutgoingEmail.Status.SENT, sent_at=waiting.created_at)
    assert health(client)["status"] == "ok"
    assert health(client)["outbox_oldest_pending_seconds"] == 0


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_running_worker_is_ok_and_a_stopped_one_turns_silent(client, start_worker, settings):
    worker = start_worker(WORKER_HEARTBEAT_SECONDS="1")
    assert health(client)["worker"] == "ok"

    worker.stop()
    settings.WORKER_SILENT_AFTER_SECONDS = 3
    time.sleep(3.5)

    body = health(client)
    assert (body["status"], body["worker"]) == ("degraded", "silent")


def migrated(tmp_path, **environment):
    result = run_django(
        "from django.core.management import call_command\ncall_command('migrate', verbosity=0)",
        VAR_DIR=str(tmp_path),
        **environment,
    )
    assert result.returncode == 0, result.stderr


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    result = get_json(
        "/healthz", DEBUG="true", DATABASE_URL="postgresql://postgres@127.0.0.1:1/nothing", VAR_DIR=str(tmp_path)
    )
    status, body = result.stdout.split("\n", 1)
    assert status == "503", result.stderr
    assert json.loads(body)["database"] == "unreachable"
    assert json.loads(body)["status"] == "down"


def test_healthz_stays_up_but_reports_an_unreachable_broker(tmp_path):
    unreachable = {"DEBUG": "true", "REDIS_URL": "redis://127.0.0.1:1/0", "DATABASE_URL": ""}
    migrated(tmp_path, **unreachable)
    result = get_json("/healthz", VAR_DIR=str(tmp_path), **unreachable)
    status, body = result.stdout.split("\n", 1)
    assert status == "200", result.stderr
    assert json.loads(body) == {
        "status": "degraded",
        "database": "ok",
        "broker": "unreachable",
        "worker": "silent",
        "outbox_oldest_pending_seconds": 0,
    }


def test_healthz_answers_over_plain_http_where_every_other_page_redirects_to_https(tmp_path):
    production = {
        "DEBUG": "false",
        "SECRET_KEY": "health-test-secret-key-0123456789abcdefghijkl",
        "DATABASE_URL": "",
        "REDIS_URL": "",
    }
    migrated(tmp_path, **production)
    health_check = get_json("/healthz", VAR_DIR=str(tmp_path), **production)
    home = get_json("/zh-hans/", VAR_DIR=str(tmp_path), **production)

    assert health_check.stdout.split("\n", 1)[0] == "200", health_check.stderr
    assert home.stdout.split("\n", 1)[0] == "301", home.stderr


def test_the_serverless_broker_keeps_its_files_under_var(tmp_path):
    declare = (
        "from config.celery import app\n"
        "with app.connection_for_write() as connection:\n"
        "    channel = connection.default_channel\n"
        "    channel.exchange_declare('celery', type='direct')\n"
        "    channel.queue_declare('celery')\n"
        "    channel.queue_bind('celery', 'celery', 'celery')\n"
    )
    result = run_django(declare, DEBUG="true", VAR_DIR=str(tmp_path), REDIS_URL="")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "broker" / "control" / "celery.exchange").exists()
