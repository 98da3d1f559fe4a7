"""Run a snippet in a fresh Python process with its own environment: how settings are tested for real."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_django(code: str, **environment: str) -> subprocess.CompletedProcess:
    # Not the test run's own switches (the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE would fail a production check).
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(environment)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    script = "import django\ndjango.setup()\n" + code
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def get_json(path: str, **environment: str) -> subprocess.CompletedProcess:
    """GET a path through the full WSGI stack in a fresh process; prints the status, then the body."""
    code = (
        "from django.test import Client\n"
        f"response = Client().get({path!r})\n"
        "print(response.status_code)\n"
        "print(response.getvalue().decode())\n"
    )
    environment.setdefault("ALLOWED_HOSTS", "testserver")
    return run_django(code, **environment)
