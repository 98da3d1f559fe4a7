"""Production settings, checked in fresh processes with the environment a deployment would have."""

import pytest

from tests.subprocess_django import get_json, run_django

STRONG_KEY = "k" * 20 + "-production-secret-0123456789"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_django("", DEBUG="false", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_weak_secret_key(tmp_path):
    result = run_django("", DEBUG="false", SECRET_KEY="insecure-short", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_production_redirects_to_https_and_secures_cookies_unless_switched_off(tmp_path):
    code = "from django.conf import settings\nprint(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE)"
    production = run_django(code, DEBUG="false", SECRET_KEY=STRONG_KEY, VAR_DIR=str(tmp_path))
    assert production.stdout.split() == ["True", "True"], production.stderr
    loopback = run_django(
        code,
        DEBUG="false",
        SECRET_KEY=STRONG_KEY,
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        VAR_DIR=str(tmp_path),
    )
    assert loopback.stdout.split() == ["False", "False"], loopback.stderr


def test_a_boolean_setting_that_is_not_true_or_false_is_refused(tmp_path):
    result = run_django("", DEBUG="maybe", VAR_DIR=str(tmp_path))
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.django_db
def test_without_debug_the_app_serves_its_own_static_files(tmp_path):
    """gunicorn alone is a deployment: whitenoise serves the collected, hashed files."""
    environment = {
        "DEBUG": "false",
        "SECRET_KEY": STRONG_KEY,
        "SECURE_SSL_REDIRECT": "false",
        "VAR_DIR": str(tmp_path),
    }
    collect = run_django(
        "from django.core.management import call_command\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
        "from django.contrib.staticfiles.storage import staticfiles_storage\n"
        "print(staticfiles_storage.url('css/site.css'))",
        **environment,
    )
    assert collect.returncode == 0, collect.stderr
    hashed_url = collect.stdout.strip().splitlines()[-1]
    assert hashed_url.startswith("/static/css/site.") and hashed_url != "/static/css/site.css"
    served = get_json(hashed_url, **environment)
    assert served.stdout.startswith("200"), served.stderr
    assert ".site-header" in served.stdout


# --- Production refuses to start half-configured (core/checks.py): `manage.py check --deploy`, `migrate` and
# every server run these checks.

GOOD_PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": STRONG_KEY + "-and-long-enough-for-django",
    "SITE_URL": "https://villages.example.com",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "ALLOWED_HOSTS": "villages.example.com",
}
CHECK = "from django.core.management import call_command\ncall_command('check', '--deploy')"


def check(tmp_path, **changes):
    environment = {**GOOD_PRODUCTION, "VAR_DIR": str(tmp_path), **changes}
    return run_django(CHECK, **{name: value for name, value in environment.items() if value is not None})


def test_a_complete_production_setup_passes_the_checks(tmp_path):
    result = check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "core.E" not in result.stderr


def test_production_without_site_url_does_not_start(tmp_path):
    result = check(tmp_path, SITE_URL=None)
    assert result.returncode != 0
    assert "core.E001" in result.stderr and "SITE_URL is not set" in result.stderr


@pytest.mark.parametrize("backend", ["filebased", "console", "locmem"])
def test_production_with_an_email_backend_that_sends_nothing_does_not_start(tmp_path, backend):
    result = check(tmp_path, EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend")
    assert result.returncode != 0
    assert "core.E002" in result.stderr


def test_a_staging_site_may_keep_its_emails_in_files(tmp_path):
    result = check(tmp_path, EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", ALLOW_FILE_EMAIL="true")
    assert result.returncode == 0, result.stderr


def test_production_on_sqlite_and_the_file_broker_is_warned_about(tmp_path):
    result = check(tmp_path, DATABASE_URL="", REDIS_URL="")
    assert result.returncode == 0, result.stderr
    assert "core.W001" in result.stderr and "core.W002" in result.stderr
    good = check(
        tmp_path, DATABASE_URL="postgresql://postgres@127.0.0.1:5432/postgres", REDIS_URL="redis://127.0.0.1:1/0"
    )
    assert "core.W001" not in good.stderr and "core.W002" not in good.stderr


def test_hsts_lasts_a_year_with_subdomains_once_https_is_on(tmp_path):
    code = (
        "from django.conf import settings\nprint(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    )
    production = run_django(code, **GOOD_PRODUCTION, VAR_DIR=str(tmp_path))
    assert production.stdout.split() == [str(365 * 24 * 3600), "True"], production.stderr
    chosen = run_django(code, **GOOD_PRODUCTION, SECURE_HSTS_SECONDS="600", VAR_DIR=str(tmp_path))
    assert chosen.stdout.split() == ["600", "True"]


def test_development_is_not_held_to_production(tmp_path):
    result = run_django(CHECK.replace("'--deploy'", ""), DEBUG="true", VAR_DIR=str(tmp_path), SITE_URL="")
    assert result.returncode == 0, result.stderr
