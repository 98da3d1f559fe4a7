"""Production (DEBUG off) refuses to start half-configured: `manage.py check --deploy`, `migrate` and every server
run these checks. Errors stop the command; warnings are printed. `make run` runs with DEBUG on and skips them, all
but the object storage's (core.E003), which a half-configured MEDIA_STORAGE=s3 fails in development too."""

from django.conf import settings
from django.core import checks

EMAIL_BACKENDS_THAT_SEND_NOTHING = {
    "django.core.mail.backends.filebased.EmailBackend": "writes emails to files",
    "django.core.mail.backends.console.EmailBackend": "prints emails",
    "django.core.mail.backends.locmem.EmailBackend": "keeps emails in memory",
    "django.core.mail.backends.dummy.EmailBackend": "throws emails away",
}


@checks.register(checks.Tags.compatibility)
def production_settings(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    problems = []
    if not settings.SITE_URL:
        problems.append(
            checks.Error(
                "SITE_URL is not set: every link in an email (manage, status, privacy) would point nowhere.",
                hint="Set SITE_URL to the public address of the site, e.g. https://villages.example.com.",
                id="core.E001",
            )
        )
    unsent = EMAIL_BACKENDS_THAT_SEND_NOTHING.get(settings.EMAIL_BACKEND)
    if unsent and not settings.ALLOW_FILE_EMAIL:
        problems.append(
            checks.Error(
                f"EMAIL_BACKEND {settings.EMAIL_BACKEND} {unsent}: no visitor would get an email, yet each would be "
                "marked sent.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST…, or "
                "ALLOW_FILE_EMAIL=true on a staging site.",
                id="core.E002",
            )
        )
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        problems.append(
            checks.Warning(
                "The Celery broker is the filesystem transport: one machine only, and slow.",
                hint="Set REDIS_URL.",
                id="core.W001",
            )
        )
    if settings.MEDIA_STORAGE == "local":
        problems.append(
            checks.Warning(
                "Uploads (pictures, CVs) are kept on this machine's disk: one machine only, unless MEDIA_ROOT and "
                "PRIVATE_ROOT are a filesystem every machine shares.",
                hint="Set MEDIA_STORAGE=s3 with S3_MEDIA_BUCKET and S3_PRIVATE_BUCKET.",
                id="core.W003",
            )
        )
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        problems.append(
            checks.Warning(
                "The database is SQLite: one machine only, and bookings serialise on its single writer.",
                hint="Set DATABASE_URL to PostgreSQL.",
                id="core.W002",
            )
        )
    return problems


@checks.register(checks.Tags.compatibility)
def object_storage_settings(app_configs, **kwargs):
    """MEDIA_STORAGE=s3 needs both buckets, with DEBUG on or off: without them every upload would fail."""
    if settings.MEDIA_STORAGE != "s3":
        return []
    missing = [
        name
        for name, storage in (("S3_MEDIA_BUCKET", "default"), ("S3_PRIVATE_BUCKET", "private"))
        if not settings.STORAGES[storage].get("OPTIONS", {}).get("bucket_name")
    ]
    if not missing:
        return []
    return [
        checks.Error(
            f"MEDIA_STORAGE=s3 but {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: uploads "
            "would have nowhere to go.",
            hint="Set S3_MEDIA_BUCKET (public pictures) and S3_PRIVATE_BUCKET (CVs; a bucket that is not public), "
            "and S3_ENDPOINT_URL, S3_REGION, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY as your provider needs.",
            id="core.E003",
        )
    ]
