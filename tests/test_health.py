import json

import pytest

from tests.subprocess_django import get_json, run_django

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.redis
def test_healthz_reaches_the_real_redis_broker(client, redis_url):
    response = client.get("/healthz")
    assert response.json()["broker"] == "ok"


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    result = get_json(
        "/healthz", DEBUG="true", DATABASE_URL="postgresql://postgres@127.0.0.1:1/nothing", VAR_DIR=str(tmp_path)
    )
    status, body = result.stdout.split("\n", 1)
    assert status == "503", result.stderr
    assert json.loads(body)["database"] == "unreachable"


def test_healthz_stays_up_but_reports_an_unreachable_broker(tmp_path):
    result = get_json("/healthz", DEBUG="true", REDIS_URL="redis://127.0.0.1:1/0", VAR_DIR=str(tmp_path))
    status, body = result.stdout.split("\n", 1)
    assert status == "200", result.stderr
    assert json.loads(body) == {"status": "degraded", "database": "ok", "broker": "unreachable"}


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
