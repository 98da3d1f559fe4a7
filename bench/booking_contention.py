"""Booking contention benchmark: many clients book one session over HTTP against a live stack.

Starts its own stack on this machine (gunicorn + PostgreSQL + Redis + a Celery worker), creates a session with
CAPACITY seats, lets CLIENTS processes each POST /api/v1/bookings/ BOOKINGS_PER_CLIENT times, then prints
bookings per second, p50/p95 request latency, seats sold against capacity, and seconds from booking to
confirmation email (p50/p95, from the outbox's sent_at).

    .venv/bin/python bench/booking_contention.py --clients 16 --per-client 10 --capacity 100

Needs PostgreSQL at 127.0.0.1:5432 (trust auth) and Redis at 127.0.0.1:6379 (bench/stack.py starts the stack). It
drops and recreates its own database, villages_bench, and flushes its Redis database (--redis-db, 10). Traffic stays
on loopback. The rate limits per address are off (RATE_LIMITS=off: every client is 127.0.0.1) and every booking has
its own visitor, so the caps per person hold but never refuse.
"""

import argparse
import json
import multiprocessing
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from stack import code_tree, environment, flush_redis, load_average, manage, recreate_database, serving

DATABASE = "villages_bench"
PORT = 8765
REDIS_DB = 10  # 12-15 are the test runs' (see bench/stack.py)


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
    parser.add_argument("--redis-db", type=int, default=REDIS_DB, help="the Redis database it flushes and uses")
    parser.add_argument("--code", metavar="DIR", help="serve this source tree instead of this checkout")
    options = parser.parse_args()

    root = code_tree(options.code)
    workdir = Path(tempfile.mkdtemp(prefix="villages-bench-"))
    env = environment(database=DATABASE, port=PORT, var_dir=workdir / "var", redis_db=options.redis_db)
    recreate_database(DATABASE)
    manage(env, "migrate", "--noinput", root=root)
    manage(env, "collectstatic", "--noinput", root=root)
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
            root=root,
        ).strip()
    )
    flush_redis(options.redis_db)

    print(f"load average before: {load_average()}")
    with serving(
        env, port=PORT, workers=options.gunicorn_workers, celery_worker=True, log_dir=workdir / "logs", root=root
    ) as server:
        with multiprocessing.Manager() as manager:
            results = manager.list()
            arguments = (server.url, session_id, options.per_client)
            clients = [
                multiprocessing.Process(target=client, args=(*arguments, index, results))
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
                "from outbox.models import OutgoingEmail\n"
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
            root=root,
        )
        figures = json.loads(report.strip().splitlines()[-1])

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
