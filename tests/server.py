"""The site served by gunicorn in a subprocess, as production serves it, on the shared PostgreSQL test database and
Redis (the broker, and the cache its rate limits count in)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings

from tests.worker import ROOT, database_url_of_test_database


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    def __init__(self, log_path: Path, *, workers: int = 2, repo_config: bool = False, **environment: str):
        """`repo_config`: run with nothing but the repository's gunicorn.conf.py (its access log goes to the log);
        otherwise the access log names the process that answered each request (processes_that_answered)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.access_log_path = log_path.with_suffix(".access.log")
        self.workers = workers
        self.repo_config = repo_config
        self.extra_environment = environment
        self.process = None

    def environment(self) -> dict:
        env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
        env.update(
            DEBUG="true",
            DATABASE_URL=database_url_of_test_database(),
            REDIS_URL=settings.REDIS_URL,
            VAR_DIR=str(self.log_path.parent / "gunicorn-var"),
            SITE_URL=self.url,
        )
        env.update(self.extra_environment)
        return env

    def start(self, timeout: float = 30) -> "Gunicorn":
        self.log = self.log_path.open("w")
        if self.repo_config:
            command = [sys.executable, "-m", "gunicorn", "config.wsgi"]
            environment = {**self.environment(), "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        else:
            command = [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
                # One line per request: the serving process's id and the status, to see who answered what.
                "--access-logfile",
                str(self.access_log_path),
                "--access-logformat",
                "%(p)s %(s)s %(m)s %(U)s",
            ]
            environment = self.environment()
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2)
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()}") from None
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in {timeout}s:\n{self.log_path.read_text()}")

    def processes_that_answered(self, path: str) -> set[str]:
        """The ids of the gunicorn worker processes that served requests to `path`."""
        lines = [line.split() for line in self.access_log_path.read_text().splitlines()]
        return {line[0] for line in lines if len(line) == 4 and line[3] == path}

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
