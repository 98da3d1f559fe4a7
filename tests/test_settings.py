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
