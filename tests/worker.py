"""A real Celery worker in a subprocess, sharing the test database and the Redis broker with the test."""

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


def database_url_of_test_database() -> str:
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    user = f"{database.get('USER') or 'postgres'}{password}@"
    return f"postgresql://{user}{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"


class Worker:
    """`celery -A config worker` as production runs it, with emails written to files in `mail_dir`."""

    def __init__(self, mail_dir: Path, log_path: Path, *, pool: str = "solo", **environment: str):
        """`pool`: solo runs tasks in the worker process itself, prefork in a child that the worker replaces if it
        dies; `environment`: settings of the worker's own (e.g. EMAIL_BACKEND, MAX_EMAIL_ATTEMPTS)."""
        self.name = f"test-{uuid.uuid4().hex[:8]}@localhost"
        self.mail_dir = mail_dir
        self.log_path = log_path
        self.pool = pool
        self.extra_environment = environment
        self.process = None

    def environment(self) -> dict:
        env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
        env.update(
            DEBUG="true",
            DATABASE_URL=database_url_of_test_database(),
            REDIS_URL=settings.REDIS_URL,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(self.mail_dir),
            SITE_URL=settings.SITE_URL,
            VAR_DIR=str(self.mail_dir.parent / "var"),
        )
        env.update(self.extra_environment)
        return env

    def start(self, timeout: float = 30) -> "Worker":
        celery_app.control.purge()
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-P",
                self.pool,
                "--concurrency",
                "1",
                "-n",
                self.name,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "INFO",
            ],
            cwd=ROOT,
            env=self.environment(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log_path.read_text():
                return self
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited:\n{self.log_path.read_text()}")
            time.sleep(0.2)
        raise RuntimeError(f"the worker did not start in {timeout}s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()

    def messages_to(self, address: str) -> list[str]:
        """Every message the worker sent to `address`, as raw text."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for message in path.read_text(errors="replace").split("-" * 79):
                if re.search(rf"^To: {re.escape(address)}$", message, re.MULTILINE):
                    messages.append(message)
        return messages

    def wait_for_messages(self, address: str, count: int = 1, timeout: float = 30) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = self.messages_to(address)
            if len(messages) >= count:
                return messages
            time.sleep(0.2)
        raise AssertionError(
            f"{len(self.messages_to(address))} message(s) to {address} after {timeout}s; worker log:\n"
            + self.log_path.read_text()[-3000:]
        )
