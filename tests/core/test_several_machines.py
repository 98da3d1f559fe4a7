"""More than one machine (issue 15), on loopback: two gunicorn servers, two Celery workers and a beat with a standby
beat, all with the same production settings (DEBUG off), on one PostgreSQL (the test database), one Redis (broker,
cache and rate limits, redbeat) and an S3 server (moto's server mode) for the uploads.

What the stack shows: the last seats of a session booked from both servers at once are sold exactly once; the
rate-limit counter is one for both servers; a CV uploaded through one server is downloaded through the other's admin
(signed in on the first: the sessions are in the database) byte for byte from the private bucket, and is on no
machine's disk; a picture goes to the public bucket with its thumbnails and is shown from there; every email arrives
exactly once; the second beat waits for the lock while the first runs the schedule, and takes over when it stops.

Two-factor sign-in: ADMIN_2FA is left at its default, "optional", and the platform admin of the test has enrolled no
device, so the password alone signs in (core/two_factor.py; with "required" the admin would first have to enrol).
"""

import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from PIL import Image

from bookings.models import Booking
from outbox.messages import message_id
from outbox.models import OutgoingEmail
from residency.models import ResidencyApplication
from tests.conftest import service_missing
from tests.factories import (
    ExperienceFactory,
    ResidencyProgramFactory,
    SessionFactory,
    application_fields,
    new_contact,
    pdf_bytes,
)
from tests.http import Browser
from tests.server import Gunicorn, free_port
from tests.subprocess_django import run_django
from tests.worker import ROOT, Worker, database_url_of_test_database

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]

MEDIA_BUCKET = "villages-media"
PRIVATE_BUCKET = "villages-private"
PUBLIC_PICTURES = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{MEDIA_BUCKET}/media/*",
        }
    ],
}
PASSWORD = "platform-admin-password-2026"
CAPACITY = 3
ATTEMPTS = 12  # booking attempts at once, half through each server
SWEEP_SECONDS = 2  # the beat's sweeps, every 30 s in production, here every 2 s
BEAT_LOCK_POLL_SECONDS = 5  # settings.CELERY_BEAT_MAX_LOOP_INTERVAL: how often a waiting beat tries the lock
LOG_TIME = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}): ")


def wait_for(condition, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"not within {timeout}s: {what}")


class S3Server:
    """moto's S3 in server mode, as its own process: buckets over HTTP on a loopback port."""

    def __init__(self, log_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process = None

    def start(self) -> "S3Server":
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

        def answers():
            if self.process.poll() is not None:
                raise RuntimeError(f"moto's server exited:\n{self.log_path.read_text()}")
            with socket.socket() as probe:
                return probe.connect_ex(("127.0.0.1", self.port)) == 0

        wait_for(answers, 30, "moto's server to listen")
        return self

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def keys(self, bucket: str) -> list[str]:
        return [item["Key"] for item in self.client().list_objects_v2(Bucket=bucket).get("Contents", [])]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.log.close()


class Beat:
    """`celery -A config beat` as production runs it: its own process, redbeat's scheduler (settings)."""

    def __init__(self, log_path: Path, environment: dict):
        self.log_path = log_path
        self.environment = environment
        self.process = None

    def start(self) -> "Beat":
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "INFO"],
            cwd=ROOT,
            env=self.environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: self.says("beat: Starting..."), 30, f"the beat to start:\n{self.text()}")
        return self

    def text(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def says(self, words: str) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"the beat exited:\n{self.text()}")
        return words in self.text()

    def sent(self, entry: str) -> list[datetime]:
        """When the beat sent the schedule's `entry` (e.g. sweep-outbox) to the workers."""
        times = []
        for line in self.text().splitlines():
            found = LOG_TIME.match(line)
            if found and f"Sending due task {entry} " in line:
                times.append(datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S,%f"))
        return times

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def forget_redbeat_state(redis_url: str) -> None:
    """The beat's schedule and lock live in Redis: a run starts without an earlier run's."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{settings.CELERY_REDBEAT_KEY_PREFIX}*"))
    if keys:
        client.delete(*keys)


class Stack:
    """The processes of two machines and the services they share; `environment` is every process's settings."""

    def __init__(self, tmp_path: Path, redis_url: str):
        self.tmp_path = tmp_path
        self.mail_dir = tmp_path / "mail"
        self.s3 = S3Server(tmp_path / "s3.log")
        self.environment = {
            "DEBUG": "false",
            "SECRET_KEY": "several-machines-test-secret-key-0123456789abcdef",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",  # loopback, plain HTTP: the proxy would do TLS
            "SECURE_COOKIES": "false",
            "SITE_URL": "http://villages.test",  # the proxy's address, the same for every machine
            "DATABASE_URL": database_url_of_test_database(),
            "REDIS_URL": redis_url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "ALLOW_FILE_EMAIL": "true",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "MEDIA_STORAGE": "s3",
            "S3_ENDPOINT_URL": self.s3.url,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "testing",
            "S3_SECRET_ACCESS_KEY": "testing",
            "S3_MEDIA_BUCKET": MEDIA_BUCKET,
            "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
            # Every attempt comes from 127.0.0.1: exactly the burst, counted once for both servers (a day's window,
            # so that no window ends during the test).
            "RATE_LIMIT_BOOKINGS": f"{ATTEMPTS}/d",
            "BEAT_SWEEP_SECONDS": str(SWEEP_SECONDS),
        }
        self.var_dirs = {name: tmp_path / f"var-{name}" for name in ("a", "b", "worker-1", "worker-2", "beat")}
        self.servers = [
            Gunicorn(tmp_path / f"gunicorn-{name}.log", workers=2, **self.environment, VAR_DIR=str(self.var_dirs[name]))
            for name in ("a", "b")
        ]
        self.workers = [
            Worker(self.mail_dir, tmp_path / f"{name}.log", **self.environment, VAR_DIR=str(self.var_dirs[name]))
            for name in ("worker-1", "worker-2")
        ]
        beat_environment = {**self.workers[0].environment(), "VAR_DIR": str(self.var_dirs["beat"])}
        self.beats = [Beat(tmp_path / f"beat-{name}.log", beat_environment) for name in ("first", "standby")]
        self.started = []

    def deploy(self, village_id: int) -> str:
        """What each release does once (the production checks, collectstatic), and an operator's picture uploaded
        through the model: prints its name in the media bucket."""
        result = run_django(
            "import io\n"
            "from django.core.management import call_command\n"
            "from django.core.files.base import ContentFile\n"
            "from PIL import Image\n"
            "from villages.models import VillageImage\n"
            "call_command('check', '--deploy', '--fail-level', 'ERROR')\n"
            "call_command('collectstatic', interactive=False, verbosity=0)\n"
            "buffer = io.BytesIO()\n"
            "Image.new('RGB', (1600, 1000), (40, 120, 80)).save(buffer, 'JPEG')\n"
            f"picture = VillageImage.objects.create(village_id={village_id}, alt_text_zh_hans='村口', "
            "alt_text_en='The village gate', image=ContentFile(buffer.getvalue(), name='gate.jpg'))\n"
            "print(picture.image.name)\n",
            **self.environment,
            VAR_DIR=str(self.var_dirs["a"]),
        )
        assert result.returncode == 0, result.stderr[-3000:]
        # Each machine has its own collected static files (whitenoise serves them from its disk).
        shutil.copytree(self.var_dirs["a"] / "static", self.var_dirs["b"] / "static")
        return result.stdout.strip().splitlines()[-1]

    def start(self, village_id: int) -> str:
        self.started = [self.s3, *self.workers, *self.beats, *self.servers]  # stop() stops whichever did start
        self.s3.start()
        for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET):
            self.s3.client().create_bucket(Bucket=bucket)
        # As README "Running on several machines" says: anyone may read the pictures, nobody else anything.
        self.s3.client().put_bucket_policy(Bucket=MEDIA_BUCKET, Policy=json.dumps(PUBLIC_PICTURES))
        forget_redbeat_state(self.environment["REDIS_URL"])
        with ThreadPoolExecutor(4) as pool:
            deployed = pool.submit(self.deploy, village_id)
            workers = [pool.submit(worker.start) for worker in self.workers]
            first_beat = pool.submit(self.beats[0].start)
            picture = deployed.result()
            servers = [pool.submit(server.start) for server in self.servers]
            for future in [*workers, first_beat, *servers]:
                future.result()
        wait_for(lambda: self.beats[0].says("beat: Acquired lock"), 15, "the first beat to take the lock")
        self.beats[1].start()  # the standby: up, and waiting for the lock
        return picture

    def stop(self) -> None:
        running = [process for process in self.started if process.process is not None]
        with ThreadPoolExecutor(len(running) or 1) as pool:
            for stopped in [pool.submit(process.stop) for process in running]:
                stopped.result()
        forget_redbeat_state(self.environment["REDIS_URL"])

    def worker_logs(self) -> str:
        return "".join(worker.log_path.read_text() for worker in self.workers)


@pytest.fixture
def stack(redis_url, tmp_path):
    if connection.vendor != "postgresql":
        service_missing("the machines share the test database with the test: set DATABASE_URL to PostgreSQL")
    stack = Stack(tmp_path, redis_url)
    yield stack
    stack.stop()


def book(server_url: str, session_id: int, contact: dict) -> int:
    body = json.dumps({"session": session_id, "adults": 1, "name": "王小明", **contact}).encode()
    request = urllib.request.Request(
        f"{server_url}/api/v1/bookings/", data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in fields.items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, (filename, content, content_type) in files.items():
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def apply_with_cv(server_url: str, program, cv: bytes) -> dict:
    fields = {
        name: ("true" if value is True else str(value))
        for name, value in application_fields(program, email="nomad@example.com").items()
        if name != "cv"
    }
    body, content_type = multipart(fields, {"cv": ("my cv.pdf", cv, "application/pdf")})
    request = urllib.request.Request(
        f"{server_url}/api/v1/residency-applications/", data=body, headers={"Content-Type": content_type}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        return json.loads(response.read())


def delivered(mail_dir: Path) -> list[dict]:
    """Every message the workers wrote (the file backend: one file per connection, messages between dashes)."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for text in path.read_text(errors="replace").split("-" * 79):
            found = re.search(r"^Message-ID: (.+)$", text, re.MULTILINE)
            if found:
                to = re.search(r"^To: (.+)$", text, re.MULTILINE).group(1)
                messages.append({"message_id": found.group(1).strip(), "to": to.strip()})
    return messages


def sweeps_received(stack) -> int:
    return len(re.findall(r"Task outbox\.tasks\.sweep\[[0-9a-f-]+\] received", stack.worker_logs()))


def test_two_servers_two_workers_and_one_beat_share_the_seats_the_files_and_the_emails(stack, tmp_path):
    started = time.monotonic()
    session = SessionFactory(experience=ExperienceFactory(capacity=CAPACITY, max_party_size=4), capacity=CAPACITY)
    village = session.experience.village
    village.contact_email = "village@example.com"
    village.save(update_fields=["contact_email"])
    program = ResidencyProgramFactory(village=village)
    get_user_model().objects.create_superuser("platform-admin", "admin@example.com", PASSWORD)
    picture = stack.start(village.pk)
    server_a, server_b = stack.servers

    # --- The last seats, booked from both servers at once: sold exactly once.
    contacts = [new_contact() for _attempt in range(ATTEMPTS)]
    barrier = threading.Barrier(ATTEMPTS)

    def attempt(number: int) -> int:
        barrier.wait()
        return book(stack.servers[number % 2].url, session.pk, contacts[number])

    with ThreadPoolExecutor(ATTEMPTS) as pool:
        statuses = list(pool.map(attempt, range(ATTEMPTS)))
    assert Counter(statuses) == {201: CAPACITY, 409: ATTEMPTS - CAPACITY}, statuses
    session.refresh_from_db()
    assert session.seats_taken == CAPACITY == Booking.objects.filter(session=session).count()
    assert server_a.processes_that_answered("/api/v1/bookings/") and server_b.processes_that_answered(
        "/api/v1/bookings/"
    )
    # Each server saw half the attempts, yet the limit counted all of them: one counter in Redis.
    assert book(server_a.url, session.pk, new_contact()) == 429
    assert book(server_b.url, session.pk, new_contact()) == 429

    # --- A CV uploaded through server A…
    cv = pdf_bytes(pages=2)
    answer = apply_with_cv(server_a.url, program, cv)
    application = ResidencyApplication.objects.get(reference=answer["reference"])
    # …lies in the private bucket, and on no machine's disk.
    assert stack.s3.keys(PRIVATE_BUCKET) == [f"private/{application.cv.name}"]
    stored = stack.s3.client().get_object(Bucket=PRIVATE_BUCKET, Key=f"private/{application.cv.name}")
    assert stored["Body"].read() == cv
    assert not any(key.endswith(".pdf") for key in stack.s3.keys(MEDIA_BUCKET))
    with pytest.raises(urllib.error.HTTPError) as private:
        urllib.request.urlopen(f"{stack.s3.url}/{PRIVATE_BUCKET}/private/{application.cv.name}", timeout=30)
    assert private.value.code == 403  # the bucket answers nobody without its keys
    assert [path for path in tmp_path.rglob("*.pdf")] == []

    # …is downloaded through server B's admin, signed in on server A (the session is in the database).
    admin = Browser(server_a.url)
    assert admin.log_in(reverse("admin:login"), "platform-admin", PASSWORD).status == 302
    cv_url = reverse("admin:residency_residencyapplication_cv", args=[application.pk])
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(admin.cookies))
    with opener.open(server_b.url + cv_url, timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/pdf"
        assert "attachment" in response.headers["Content-Disposition"]
        assert response.read() == cv
    anonymous = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as refused:
        anonymous.open(server_b.url + cv_url, timeout=30)
    assert refused.value.code == 302  # to the sign-in page: no CV without the admin's checks

    # --- The picture an operator uploaded: in the public bucket with its thumbnails, shown from there.
    media_keys = stack.s3.keys(MEDIA_BUCKET)
    stem = Path(picture).stem
    assert f"media/{picture}" in media_keys
    assert sorted(key for key in media_keys if stem in key and "/thumbs/" in key) == [
        f"media/thumbs/villages/gallery/{stem}_w{width}.webp" for width in (1280, 320, 640)
    ]
    with urllib.request.urlopen(f"{server_b.url}/zh-hans/villages/{village.slug}/", timeout=30) as response:
        page = response.read().decode()
        policy = response.headers["Content-Security-Policy"]
    picture_url = f"{stack.s3.url}/{MEDIA_BUCKET}/media/{picture}"
    assert picture_url in page and "X-Amz-Signature" not in page
    assert stack.s3.url in re.search(r"img-src ([^;]+)", policy).group(1)
    with urllib.request.urlopen(picture_url, timeout=30) as response:
        assert Image.open(io.BytesIO(response.read())).size == (1600, 1000)
    for var_dir in stack.var_dirs.values():
        assert not (var_dir / "media").exists() and not (var_dir / "private").exists()

    # --- Every email arrives exactly once: three bookings (the visitor and the village each) and the application
    # (the applicant's receipt, the village's notice), whichever worker took which task, with the sweeps running.
    booked = [contacts[number]["email"] for number, status in enumerate(statuses) if status == 201]
    expected = Counter({**dict.fromkeys(booked, 1), "village@example.com": CAPACITY + 1, "nomad@example.com": 1})
    wait_for(
        lambda: Counter(message["to"] for message in delivered(stack.mail_dir)) == expected,
        60,
        f"the emails {dict(expected)}; worker logs:\n{stack.worker_logs()[-3000:]}",
    )
    wait_for(
        lambda: not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).exists(),
        30,
        "every outbox row marked sent",
    )
    sweeps_so_far = len(stack.beats[0].sent("sweep-outbox"))
    wait_for(lambda: len(stack.beats[0].sent("sweep-outbox")) >= sweeps_so_far + 2, 15, "two more sweeps of the outbox")
    messages = delivered(stack.mail_dir)
    assert Counter(message["to"] for message in messages) == expected
    assert sorted(message["message_id"] for message in messages) == sorted(
        message_id(email) for email in OutgoingEmail.objects.all()
    )
    assert len({message["message_id"] for message in messages}) == len(messages) == 2 * CAPACITY + 2
    for contact, status in zip(contacts, statuses, strict=True):
        assert (contact["email"] in booked) == (status == 201)

    # --- One beat: the first runs the schedule once per interval, the standby waits for the lock…
    first, standby = stack.beats
    assert "beat: Acquired lock" not in standby.text() and standby.sent("sweep-outbox") == []
    first_sweeps = first.sent("sweep-outbox")
    assert len(first_sweeps) >= 3
    gaps = [(later - earlier).total_seconds() for earlier, later in zip(first_sweeps, first_sweeps[1:], strict=False)]
    assert min(gaps) > SWEEP_SECONDS * 0.75, gaps
    # …until the first stops and lets go of the lock: the standby takes over, and never while the first ran.
    first.stop()
    first_sweeps = first.sent("sweep-outbox")
    wait_for(lambda: standby.says("beat: Acquired lock"), BEAT_LOCK_POLL_SECONDS + 10, "the standby to take the lock")
    wait_for(lambda: standby.sent("sweep-outbox"), SWEEP_SECONDS + 10, "the standby's first sweep")
    assert min(standby.sent("sweep-outbox")) > max(first_sweeps)
    # The workers were handed each sweep once: as many as the two beats sent, one after the other.
    wait_for(
        lambda: sweeps_received(stack) == len(first_sweeps) + len(standby.sent("sweep-outbox")),
        10,
        "the workers to receive every sweep the beats sent, and no more",
    )
    print(f"several machines: {time.monotonic() - started:.1f}s")


# --- The pieces, each in a fresh process with the environment a deployment would have


S3_ENVIRONMENT = {
    "DEBUG": "false",
    "SECRET_KEY": "several-machines-test-secret-key-0123456789abcdef",
    "SITE_URL": "https://villages.example.com",
    "ALLOWED_HOSTS": "villages.example.com",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:1/0",
    "MEDIA_STORAGE": "s3",
    "S3_REGION": "cn-north-1",
    "S3_MEDIA_BUCKET": "villages-media",
    "S3_PRIVATE_BUCKET": "villages-private",
}
CHECK = "from django.core.management import call_command\ncall_command('check', '--deploy')"


def test_object_storage_settings_come_from_the_environment(tmp_path):
    code = (
        "import json\n"
        "from django.conf import settings\n"
        "from django.core.files.storage import default_storage, storages\n"
        "from residency.storage import private_storage\n"
        "media, private = storages['default'], private_storage.backend\n"
        "try:\n"
        "    private_storage.url('cv/1/x.pdf')\n"
        "    cv_url = 'made'\n"
        "except ValueError:\n"
        "    cv_url = 'refused'\n"
        "print(json.dumps({'media': [type(media).__name__, media.bucket_name, media.location, media.querystring_auth,"
        " media.url('villages/a.jpg')], 'private': [type(private).__name__, private.bucket_name, private.location],"
        " 'cv_url': cv_url, 'img_src': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1],"
        " 'scheduler': settings.CELERY_BEAT_SCHEDULER}))"
    )
    result = run_django(code, **S3_ENVIRONMENT, VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["media"] == [
        "S3Storage",
        "villages-media",
        "media",
        False,
        "https://villages-media.s3.cn-north-1.amazonaws.com.cn/media/villages/a.jpg",
    ]
    assert found["private"] == ["S3Storage", "villages-private", "private"]
    assert found["cv_url"] == "refused"
    assert found["img_src"] == "https://villages-media.s3.cn-north-1.amazonaws.com.cn"
    assert found["scheduler"] == "redbeat.RedBeatScheduler"

    cdn = run_django(
        "from django.conf import settings\nfrom django.core.files.storage import default_storage\n"
        "print(default_storage.url('villages/a.jpg'), settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1])",
        **S3_ENVIRONMENT,
        S3_CUSTOM_DOMAIN="img.villages.example.com",
        VAR_DIR=str(tmp_path),
    )
    assert cdn.stdout.split() == [
        "https://img.villages.example.com/media/villages/a.jpg",
        "https://img.villages.example.com",
    ]


def test_production_refuses_object_storage_without_its_buckets(tmp_path):
    complete = run_django(CHECK, **S3_ENVIRONMENT, VAR_DIR=str(tmp_path))
    assert complete.returncode == 0, complete.stderr
    assert "core.E003" not in complete.stderr and "core.W003" not in complete.stderr
    half = run_django(CHECK, **{**S3_ENVIRONMENT, "S3_PRIVATE_BUCKET": ""}, VAR_DIR=str(tmp_path))
    assert half.returncode != 0
    assert "core.E003" in half.stderr and "S3_PRIVATE_BUCKET is not set" in half.stderr
    local = run_django(CHECK, **{**S3_ENVIRONMENT, "MEDIA_STORAGE": "local"}, VAR_DIR=str(tmp_path))
    assert local.returncode == 0 and "core.W003" in local.stderr  # one machine only


def test_cvs_never_share_a_public_prefix(tmp_path):
    result = run_django(
        "",
        **{**S3_ENVIRONMENT, "S3_PRIVATE_BUCKET": "villages-media", "S3_PRIVATE_PREFIX": "media/cv"},
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0 and "CVs would be public" in result.stderr
    apart = run_django(
        "",
        **{**S3_ENVIRONMENT, "S3_PRIVATE_BUCKET": "villages-media", "S3_PRIVATE_PREFIX": "private"},
        VAR_DIR=str(tmp_path),
    )
    assert apart.returncode == 0, apart.stderr


def own_environment() -> dict:
    """This run's environment without the settings a deployment sets for itself."""
    return {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG", "REDIS_URL"}}


def test_a_production_worker_never_runs_its_own_beat(tmp_path):
    environment = {key: value for key, value in S3_ENVIRONMENT.items() if key != "REDIS_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-B", "-l", "INFO"],
        cwd=ROOT,
        env={**own_environment(), **environment, "VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "is for `make run` only" in result.stderr
