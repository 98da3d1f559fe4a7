"""Where uploads live, for settings.py: folders on this machine (the default, `make run`) or, with MEDIA_STORAGE=s3,
an S3-compatible object store that every machine shares (django-storages over boto3).

Two storages, each under its own name in Django's STORAGES:
- "default": public pictures (villages, experiences, their thumbnails), with public URLs: S3_CUSTOM_DOMAIN (a CDN)
  or the bucket's own address, never signed;
- "private": applicants' CVs (residency.storage), never given a URL; the admin's download view streams them.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"


def local_storages() -> dict:
    """MEDIA_ROOT and PRIVATE_ROOT, read when first used (tests point them elsewhere)."""
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "residency.storage.PrivateFileSystemStorage"},
    }


def _inside(prefix: str, other: str) -> bool:
    """Is one key prefix the other, or inside it? "" is the whole bucket."""
    first, second = prefix.strip("/") + "/", other.strip("/") + "/"
    return first == "/" or second == "/" or first.startswith(second) or second.startswith(first)


def s3_storages(
    *,
    endpoint_url: str,
    region: str,
    access_key: str,
    secret_key: str,
    addressing_style: str,
    media_bucket: str,
    media_prefix: str,
    private_bucket: str,
    private_prefix: str,
    custom_domain: str,
) -> dict:
    """The two storages in buckets. Unset credentials leave boto3 its own chain (AWS_* variables, an instance role).
    Missing buckets are core.checks' to report (core.E003)."""
    if addressing_style not in {"", "auto", "path", "virtual"}:
        raise ImproperlyConfigured(f"S3_ADDRESSING_STYLE must be path, virtual or auto, not {addressing_style!r}")
    if media_bucket and media_bucket == private_bucket and _inside(media_prefix, private_prefix):
        raise ImproperlyConfigured(
            "S3_PRIVATE_PREFIX and S3_MEDIA_PREFIX overlap in one bucket: CVs would be public. Give the CVs a bucket "
            "of their own (S3_PRIVATE_BUCKET), or prefixes apart."
        )
    from botocore.config import Config

    connection = {
        "endpoint_url": endpoint_url,
        "region_name": region,
        "access_key": access_key,
        "secret_key": secret_key,
    }
    common = {
        **{name: value for name, value in connection.items() if value},
        # Path or virtual-host style; a store that does not answer fails the request in seconds, not a minute
        # (gunicorn gives a request 30 s).
        "client_config": Config(
            s3={"addressing_style": addressing_style or "auto"},
            connect_timeout=5,
            read_timeout=20,
            retries={"mode": "standard", "max_attempts": 3},
        ),
        "file_overwrite": False,  # names are random; never replace a file that is there
        "default_acl": None,  # who may read a bucket is its policy's business (README "Running on several machines")
    }
    return {
        "default": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **common,
                "bucket_name": media_bucket,
                "location": media_prefix.strip("/"),
                "querystring_auth": False,  # public pictures: plain, cacheable URLs
                **({"custom_domain": custom_domain.strip("/")} if custom_domain else {}),
            },
        },
        "private": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **common,
                "bucket_name": private_bucket,
                "location": private_prefix.strip("/"),
                "querystring_auth": True,  # were a URL ever made, it would be signed; residency.storage makes none
            },
        },
    }


def public_origin(media_options: dict) -> str | None:
    """The scheme and host the public pictures' URLs start with (for the Content-Security-Policy's img-src), worked
    out as django-storages will: the custom domain, or where botocore puts the bucket (path or virtual-host style)."""
    if media_options.get("custom_domain"):
        return "https://" + urlsplit("https://" + media_options["custom_domain"]).netloc
    if not media_options.get("bucket_name"):
        return None
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    client = boto3.session.Session().client(
        "s3",
        region_name=media_options.get("region_name"),
        endpoint_url=media_options.get("endpoint_url"),
        config=media_options["client_config"].merge(Config(signature_version=UNSIGNED)),
    )
    url = client.generate_presigned_url("get_object", Params={"Bucket": media_options["bucket_name"], "Key": "x"})
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
