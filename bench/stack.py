"""What the benchmarks share: the site served as production serves it, on this machine.

gunicorn with DEBUG off, PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres), Redis at 127.0.0.1:6379 as the
cache (and the broker, when a Celery worker is started beside it), whitenoise for static files, email into files.
The rate limits per address are off (RATE_LIMITS=off): every benchmark client is 127.0.0.1, and the limits would
measure themselves.

Redis databases 12-15 belong to the test runs (CI, the helpers' own runs): the benchmarks use 10 and 11 unless told
otherwise, and flush only the one they use.
"""

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1"]


def environment(*, database: str, port: int, var_dir: Path, redis_db: int, **overrides: str) -> dict:
    """Production settings (DEBUG off) against `database`, serving http://127.0.0.1:<port>."""
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key-0123456789abcdefghijklmnop",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        DATABASE_URL=f"postgresql://postgres@127.0.0.1:5432/{database}",
        REDIS_URL=f"redis://127.0.0.1:6379/{redis_db}",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        ALLOW_FILE_EMAIL="true",  # production settings otherwise, with the emails written to files
        EMAIL_FILE_PATH=str(var_dir / "mail"),
        VAR_DIR=str(var_dir),
        SITE_URL=f"http://127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
        RATE_LIMITS="off",
    )
    env.update(overrides)
    return env


def manage(env: dict, *args: str, code: str | None = None, root: Path = ROOT) -> str:
    """Run manage.py of the tree `root` (or `shell -c code`) with `env`; its stdout, or its stderr in the error when it
    fails."""
    command = [sys.executable, "manage.py", *args]
    if code is not None:
        command = [sys.executable, "manage.py", "shell", "--no-imports", "-c", code]
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(command[2:3])} failed:\n{result.stderr or result.stdout}")
    return result.stdout


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run([*PSQL, "-d", database, "-Atqc", sql], check=True, capture_output=True, text=True).stdout


def database_exists(name: str) -> bool:
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").strip() == "1"


def recreate_database(name: str) -> None:
    """A fresh, empty database (for benchmarks that own theirs)."""
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}"')


def flush_redis(db: int) -> None:
    result = subprocess.run(["redis-cli", "-n", str(db), "flushdb"], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"Redis is needed at 127.0.0.1:6379: {result.stderr or result.stdout}")


def wait_until_up(base_url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"{base_url}/healthz", timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"The site did not answer at {base_url}/healthz within {seconds:.0f} s") from None
            time.sleep(0.2)


@dataclass
class Server:
    url: str  # http://127.0.0.1:<port>
    pid: int  # of gunicorn's master


@contextmanager
def serving(env: dict, *, port: int, workers: int = 4, celery_worker: bool = False, log_dir: Path, root: Path = ROOT):
    """gunicorn (and a Celery worker if asked) serving the tree `root` with `env`; yields the Server once /healthz
    answers, stops them on the way out. Their output (gunicorn's access log among it, as in production) goes to files
    under `log_dir`."""
    log_dir.mkdir(parents=True, exist_ok=True)
    commands = {
        "gunicorn": [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ]
    }
    if celery_worker:
        commands["celery"] = [
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
        ]
    processes = []
    try:
        for name, command in commands.items():
            log = open(log_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process below
            processes.append((subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=log), log))
        base_url = f"http://127.0.0.1:{port}"
        wait_until_up(base_url)
        yield Server(base_url, processes[0][0].pid)
    finally:
        for process, _log in processes:
            process.terminate()
        for process, log in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def code_tree(path: str | None) -> Path:
    """The source tree to serve: this checkout, or another one (e.g. `git archive <commit> | tar -x -C DIR`, to
    measure that commit with the same database and the same benchmark)."""
    if path is None:
        return ROOT
    root = Path(path).resolve()
    if not (root / "manage.py").exists():
        raise SystemExit(f"{root} has no manage.py: not a source tree of the site")
    return root


def _cpu_seconds_of_children(parent: int) -> float:
    """CPU time (user + system) of the processes whose parent is `parent` (gunicorn's workers)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == parent:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_until_idle(server_pid: int, database: str, *, timeout: float = 300) -> float:
    """Wait until the workers of the server use no CPU and the database runs no query of theirs: a load tool that
    stops after its duration leaves its last requests running, and a slow page would eat into the next one's
    measurement. Returns the seconds waited."""
    started = time.monotonic()
    active = (
        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() "
        f"AND datname = '{database}'"
    )
    while time.monotonic() - started < timeout:
        before = _cpu_seconds_of_children(server_pid)
        time.sleep(0.5)
        if _cpu_seconds_of_children(server_pid) - before < 0.02 and psql(active).strip() == "0":
            break
    return time.monotonic() - started


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"
