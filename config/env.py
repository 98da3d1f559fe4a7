"""Reading settings from the environment, with one meaning for "true" everywhere."""

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}

BASE_DIR = Path(__file__).resolve().parent.parent
# What the site writes at run time (SQLite, uploads, mail, the filesystem broker, the cache), unless VAR_DIR says where.
VAR_DIR = Path(os.environ.get("VAR_DIR", str(BASE_DIR / "var"))).resolve()
# The broker and the shared cache when set (config/celery_settings.py, config/settings.py); without it, files.
REDIS_URL = os.environ.get("REDIS_URL", "")


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


RATE = re.compile(r"^([1-9][0-9]*)/([smhd])$")


def env_rate(name: str, default: str) -> str:
    """A rate limit as N/PERIOD, PERIOD one of s, m, h, d (e.g. 10/h)."""
    raw = os.environ.get(name, default).strip()
    if not RATE.match(raw):
        raise ImproperlyConfigured(f"{name} must look like 10/h (a number, a slash, and s, m, h or d), not {raw!r}")
    return raw
