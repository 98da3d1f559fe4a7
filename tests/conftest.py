"""Shared fixtures: factories live in tests/factories.py; real services are asked for here.

Under CI=true a missing service is a failure. On a laptop, tests that need one are skipped with the reason.
"""

import os

import pytest
from django.conf import settings
from django.utils import translation

from tests import factories
from tests.factories import ExperienceFactory, SessionFactory, VillageFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


def service_missing(reason: str):
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_sessionstart(session):
    if not IN_CI:
        return
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        raise pytest.UsageError(f"CI=true needs DATABASE_URL pointing at PostgreSQL; the engine is {engine}")
    if not settings.REDIS_URL:
        raise pytest.UsageError("CI=true needs REDIS_URL pointing at a real Redis server")


@pytest.fixture(scope="session", autouse=True)
def operators_group_as_migrated(django_db_setup, django_db_blocker):
    """Remember the operators' group the data migrations made: a transactional test's flush empties it."""
    from django.contrib.auth.models import Group

    from villages.scoping import OPERATORS_GROUP

    with django_db_blocker.unblock():
        group = Group.objects.get(name=OPERATORS_GROUP)
        factories.OPERATOR_PERMISSIONS[:] = group.permissions.values_list("content_type__app_label", "codename")


@pytest.fixture(autouse=True)
def isolated_files(settings, tmp_path):
    """Each test writes uploads, private files and mail into its own folder, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")


def clear_shared_cache():
    """Rate-limit counts and the workers' heartbeat go: on Redis only this site's keys (the broker shares the
    database), elsewhere the whole cache."""
    from django.core.cache import cache

    if settings.REDIS_URL:
        import redis

        client = cache._cache.get_client(write=True)
        try:
            keys = list(client.scan_iter(match=f"{cache.key_prefix}:*"))
            if keys:
                client.delete(*keys)
        except redis.RedisError:
            return  # no Redis here: the tests that need it skip (or fail under CI) on their own
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts as a fresh deployment would: nobody rate-limited yet, no worker heard from."""
    clear_shared_cache()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Chinese, whatever language the previous test's last request left active."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def redis_url():
    """The URL of a reachable Redis server."""
    url = settings.REDIS_URL
    if not url:
        service_missing("REDIS_URL is not set: no Redis server to test against")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        service_missing(f"Redis at {url} is not reachable: {error}")
    return url


@pytest.fixture
def start_worker(redis_url, tmp_path):
    """Starts real Celery workers (tests/worker.py) on the shared PostgreSQL test database and the Redis broker,
    with settings of their own; each is stopped after the test."""
    from django.db import connection

    from tests.worker import Worker

    if connection.vendor != "postgresql":
        service_missing("worker tests share the test database with a subprocess: set DATABASE_URL to PostgreSQL")
    started = []

    def start(*, pool="solo", **environment):
        worker = Worker(
            mail_dir=tmp_path / "mail", log_path=tmp_path / f"worker-{len(started)}.log", pool=pool, **environment
        )
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def worker(start_worker):
    """A real Celery worker as production runs it."""
    return start_worker()


# --- A village, a session of it to book, and a visitor: what most tests of bookings, residency and the outbox need


@pytest.fixture
def village():
    return VillageFactory(slug="cenbu", contact_email="cenbu@example.com")


@pytest.fixture
def bookable_session(village):
    """A session in two days with 10 seats, ¥88 per adult and ¥48 per child."""
    return SessionFactory(experience=ExperienceFactory(village=village, slug="cenbu-cycling"))


@pytest.fixture
def visitor():
    """What a visitor types into the booking form, apart from the session and party."""
    return {"name": "王小明", "email": "xiaoming@example.com", "phone": "13800138000", "language": "zh-hans"}
