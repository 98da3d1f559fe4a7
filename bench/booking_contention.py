"""Booking contention benchmark: many clients book one session over HTTP against a live stack.

Starts its own stack on this machine (gunicorn + PostgreSQL + Redis + a Celery worker), creates a session with
CAPACITY seats, lets CLIENTS processes each POST /api/v1/bookings/ BOOKINGS_PER_CLIENT times, then prints
bookings per second, p50/p95 request latency, seats sold against capacity, and seconds from booking to
confirmation email (p50/p95, from the outbox's sent_at).

    .venv/bin/python bench/booking_contention.py --clients 16 --per-client 10 --capacity 100

Needs PostgreSQL at 127.0.0.1:5432 (trust auth) and Redis at 127.0.0.1:6379. Traffic stays on loopback. The rate
limits per address are off (RATE_LIMITS=off: every client is 127.0.0.1) and every booking has its own visitor, so the
caps per person hold but never refuse.
"""

import argparse
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "villages_bench"
PORT = 8765


def environment(mail_dir: Path, var_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key-0123456789abcdefghijklmnop",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        DATABASE_URL=f"postgresql://postgres@127.0.0.1:5432/{DATABASE}",
        REDIS_URL="redis://127.0.0.1:6379/14",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        ALLOW_FILE_EMAIL="true",  # production settings otherwise, with the emails counted from files
        EMAIL_FILE_PATH=str(mail_dir),
        VAR_DIR=str(var_dir),
        SITE_URL=f"http://127.0.0.1:{PORT}",
        LOG_LEVEL="WARNING",
        # Every client books from 127.0.0.1: the per-address limits would measure themselves, not the booking.
        RATE_LIMITS="off",
    )
    return env


def manage(env, *args, code: str | None = None):
    command = (
        [sys.executable, "manage.py", *args]
        if code is None
        else [sys.executable, "manage.py", "shell", "--no-imports", "-c", code]
    )
    return subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout


def client(base_url: str, session_id: int, count: int, index: int, results):
    for attempt in range(count):
        body = json.dumps(
            {
                "session": session_id,
                "adults": 1,
                "name": f"Bench {index}-{attempt}",
                # One visitor per booking: the caps per person stay out of the way.
                "email": f"bench{index}-{attempt}@example.com",
                "phone": f"139{index:04d}{attempt:04d}",
                "language": "en",
            }
        ).encode()
        request = urllib.request.Request(
            f"{base_url}/api/v1/bookings/", data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = -1
        results.append((status, time.perf_counter() - started))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] if ordered else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--per-client", type=int, default=10)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="villages-bench-"))
    env = environment(workdir / "mail", workdir / "var")
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"],
        check=True,
    )
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {DATABASE}"], check=True)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    session_id = int(
        manage(
            env,
            code=(
                "from datetime import timedelta\n"
                "from django.utils import timezone\n"
                "from villages.models import District, Town, Village, Experience, Session\n"
                "d = District.objects.create(slug='bench', name='Bench')\n"
                "t = Town.objects.create(slug='bench', name='Bench', district=d)\n"
                "v = Village.objects.create(slug='bench', name='Bench', town=t, summary='-', is_published=True,"
                " contact_email='village@example.com')\n"
                "e = Experience.objects.create(village=v, slug='bench', kind='cycling', title='Bench',"
                f" description='-', duration_minutes=60, adult_price=88, child_price=48, capacity={options.capacity},"
                " is_published=True)\n"
                "start = timezone.now() + timedelta(days=2)\n"
                f"s = Session.objects.create(experience=e, starts_at=start, ends_at=start + timedelta(hours=1),"
                f" capacity={options.capacity})\n"
                "print(s.pk)"
            ),
        ).strip()
    )
    redis_flush = subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True)
    assert redis_flush.returncode == 0, "Redis is needed at 127.0.0.1:6379"

    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                str(options.gunicorn_workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        ),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-n",
                "bench@%h",
                "--concurrency",
                "2",
                "-l",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
        ),
    ]
    base_url = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base_url}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        with multiprocessing.Manager() as manager:
            results = manager.list()
            clients = [
                multiprocessing.Process(target=client, args=(base_url, session_id, options.per_client, index, results))
                for index in range(options.clients)
            ]
            started = time.perf_counter()
            for process in clients:
                process.start()
            for process in clients:
                process.join()
            elapsed = time.perf_counter() - started
            results = list(results)

        booked = [latency for status, latency in results if status == 201]
        statuses = {}
        for status, _latency in results:
            statuses[status] = statuses.get(status, 0) + 1
        latencies = [latency for _status, latency in results]

        report = manage(
            env,
            code=(
                "import json\n"
                "from bookings.models import OutgoingEmail\n"
                "from villages.models import Session\n"
                f"s = Session.objects.get(pk={session_id})\n"
                "deadline = __import__('time').monotonic() + 60\n"
                "while OutgoingEmail.objects.filter(kind='booking_confirmed').exclude(status='sent').exists() or "
                "OutgoingEmail.objects.filter(kind='booking_confirmed').count() < s.bookings.count():\n"
                "    if __import__('time').monotonic() > deadline: break\n"
                "    __import__('time').sleep(0.5)\n"
                "delays = [(e.sent_at - e.booking.created_at).total_seconds() for e in "
                "OutgoingEmail.objects.filter(kind='booking_confirmed', status='sent').select_related('booking')]\n"
                "print(json.dumps({'capacity': s.capacity, 'seats_taken': s.seats_taken, "
                "'bookings': s.bookings.count(), 'delays': delays}))"
            ),
        )
        figures = json.loads(report.strip().splitlines()[-1])
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)

    delays = figures["delays"]
    print(f"clients {options.clients} x {options.per_client} requests, capacity {options.capacity}")
    print(f"responses by status: {dict(sorted(statuses.items()))}")
    print(f"bookings per second: {len(booked) / elapsed:.1f} (all requests: {len(results) / elapsed:.1f}/s)")
    print(
        f"request latency p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms"
    )
    print(
        f"seats sold {figures['seats_taken']} of {figures['capacity']} ({figures['bookings']} bookings; oversold: "
        f"{'YES' if figures['seats_taken'] > figures['capacity'] else 'no'})"
    )
    print(
        f"booking to confirmation email: p50 {percentile(delays, 0.5):.2f} s, p95 {percentile(delays, 0.95):.2f} s "
        f"({len(delays)} emails)"
    )


if __name__ == "__main__":
    main()
