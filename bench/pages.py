"""Page benchmark: requests per second of the public pages and the API, beside /healthz's, against a given database.

    .venv/bin/python bench/pages.py --database villages_scale
    .venv/bin/python bench/pages.py --database villages_scale --duration 5 --only /sitemap.xml /zh-hans/

Serves the site as production does (bench/stack.py: gunicorn with 4 workers, DEBUG off, the Redis cache, whitenoise;
no Celery worker is needed for reads, so /healthz answers 200 "degraded"), then loads each path with wrk (4
connections, --duration seconds, longer for a page too slow to answer 40 times in that) and prints a Markdown table:
page | req/s | × of /healthz | bytes. /healthz is measured first and again last, in the same run: the two show how
steady the machine was meanwhile. After each path the script waits until the server is idle again (wrk leaves its
last requests running: a slow page's would eat into the next page's time).

The database is never dropped (it is created when missing). Unless --no-setup, the script migrates it, collects the
static files and loads the demo (seed_demo: idempotent, adds only the sessions of days that came since). The
experience page and its session list are those of --experience, by default the demo experience with the most
sessions to come (the page lists up to 30). --code DIR serves another source tree (e.g. a commit unpacked with
`git archive <commit> | tar -x -C DIR`) with the same database and the same measurement. --page-cache off renders
every request (core.page_cache off: the cost of a page after a change); on, by default, serves as production does,
so after its first request a path is answered from the cache. Needs wrk (apt-get install -y wrk).
"""

import argparse
import math
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from urllib.parse import quote

from stack import (
    code_tree,
    database_exists,
    environment,
    flush_redis,
    load_average,
    manage,
    psql,
    serving,
    wait_until_idle,
)

PORT = 8766
REDIS_DB = 11  # 12-15 are the test runs' (see bench/stack.py)
MIN_REQUESTS = 40
PAGES = [
    "/healthz",
    "/zh-hans/",
    "/zh-hans/villages/?q=萤火虫",
    "/api/v1/villages/?q=萤火虫",
    "/api/v1/experiences/",
    "/api/v1/villages/",
    "/zh-hans/villages/",
    "/zh-hans/villages/cenbu/",
    "/sitemap.xml",
    "/zh-hans/experiences/{experience}/",
    "/api/v1/experiences/{experience}/sessions/",
]
BUSIEST_DEMO_EXPERIENCE = """
from django.db.models import Count, Q
from django.utils import timezone
from villages.models import Experience
to_come = Q(sessions__status="scheduled", sessions__starts_at__gt=timezone.now())
busiest = (
    Experience.objects.published().exclude(slug__startswith="gen-")
    .annotate(to_come=Count("sessions", filter=to_come)).order_by("-to_come", "slug").first()
)
print(busiest.slug, busiest.to_come)
"""
SESSIONS_TO_COME = """
from django.utils import timezone
from villages.models import Session
print(Session.objects.filter(experience__slug={slug!r}, status="scheduled", starts_at__gt=timezone.now()).count())
"""


def fetch(url: str) -> tuple[int, int, float]:
    """Status, size in bytes and seconds of one answer (as wrk gets it: no compression asked for)."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=300) as response:
            status, size = response.status, len(response.read())
    except urllib.error.HTTPError as error:
        status, size = error.code, len(error.read())
    return status, size, time.perf_counter() - started


def wrk(url: str, *, seconds: int, connections: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    requests = re.search(r"(\d+) requests in", output)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rate": float(rate.group(1)) if rate else 0.0,
        "requests": int(requests.group(1)) if requests else 0,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="an existing PostgreSQL database (never dropped)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per path (default 10)")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--only", nargs="+", metavar="PATH", help="only these paths (/healthz is always measured)")
    parser.add_argument("--experience", help="slug of the experience whose page and session list are measured")
    parser.add_argument("--no-setup", action="store_true", help="skip migrate, collectstatic and seed_demo")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--redis-db", type=int, default=REDIS_DB, help="the Redis database it flushes and uses")
    parser.add_argument("--code", metavar="DIR", help="serve this source tree instead of this checkout")
    parser.add_argument(
        "--page-cache",
        choices=["on", "off"],
        default="on",
        help="off: every request renders its page (what a change or a new address costs); on: as production serves",
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")

    root = code_tree(options.code)
    var_dir = root / "var" / "bench-pages"  # static files and the demo's pictures, kept between runs
    env = environment(
        database=options.database,
        port=options.port,
        var_dir=var_dir,
        redis_db=options.redis_db,
        PAGE_CACHE=options.page_cache,
    )
    if not database_exists(options.database):
        psql(f'CREATE DATABASE "{options.database}"')
        print(f"created database {options.database}")
    if not options.no_setup:
        for command in ("compile_translations", "migrate", "collectstatic", "seed_demo"):
            manage(env, command, *(["--noinput"] if command in ("migrate", "collectstatic") else []), root=root)
    if options.experience:
        experience = options.experience
        to_come = manage(env, code=SESSIONS_TO_COME.format(slug=experience), root=root).split()[-1]
    else:
        experience, to_come = manage(env, code=BUSIEST_DEMO_EXPERIENCE, root=root).split()[-2:]
    counts = manage(
        env,
        code=(
            "from bookings.models import Booking\nfrom villages.models import Experience, Session, Village\n"
            "print(Village.objects.count(), Experience.objects.count(), Session.objects.count(),"
            " Booking.objects.count())"
        ),
        root=root,
    ).split()
    paths = [path.format(experience=experience) for path in PAGES]
    if options.only:
        paths = ["/healthz"] + [path for path in options.only if path != "/healthz"]
    flush_redis(options.redis_db)

    print(f"code: {root}")
    print(
        f"database {options.database}: {counts[0]} villages, {counts[1]} experiences, {counts[2]} sessions, "
        f"{counts[3]} bookings; experience page: {experience} ({to_come} sessions to come)"
    )
    print(f"wrk: {options.connections} connections, {options.duration} s per path; page cache {options.page_cache}")
    print(f"load average before: {load_average()}")
    rows, problems = [], []
    with serving(env, port=options.port, workers=options.workers, log_dir=var_dir / "logs", root=root) as server:
        wrk(f"{server.url}/healthz", seconds=3, connections=options.connections)  # every worker connected, warm
        for path in [*paths, "/healthz"]:
            url = server.url + quote(path, safe="/?=&")
            status, size, alone = fetch(url)  # also warms the workers up
            if status != 200:
                problems.append(f"{path}: HTTP {status}")
            # A slow page gets the time for MIN_REQUESTS answers: the requests wrk cuts off at the end are few beside.
            seconds = max(options.duration, math.ceil(MIN_REQUESTS * alone / (os.cpu_count() or 1)))
            if seconds > options.duration:
                print(f"  (a slow page: {alone:.1f} s alone, measured for {seconds} s)")
            figures = wrk(url, seconds=seconds, connections=options.connections)
            waited = wait_until_idle(server.pid, options.database)
            if waited > 2:
                print(f"  (waited {waited:.0f} s for the requests wrk left running)")
            if figures["non_2xx"] or figures["socket_errors"]:
                problems.append(
                    f"{path}: {figures['non_2xx']} non-2xx of {figures['requests']}; socket errors "
                    f"{figures['socket_errors'] or 'none'}"
                )
            rows.append((path, figures["rate"], size))
            print(f"  {path}: {figures['rate']:.1f} req/s", flush=True)
    print(f"load average after: {load_average()}\n")

    healthz = rows[0][1]
    print("| page | req/s | × of /healthz | bytes |")
    print("| --- | ---: | ---: | ---: |")
    for index, (path, rate, size) in enumerate(rows):
        label = "/healthz (again, last)" if index == len(rows) - 1 else path
        print(f"| `{label}` | {rate:.{1 if rate >= 10 else 2}f} | {rate / healthz:.3g} | {size:,} |")
    for problem in problems:
        print(f"\nproblem: {problem}")


if __name__ == "__main__":
    main()
