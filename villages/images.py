"""Uploaded images: checked by content, capped in size, EXIF removed, thumbnails made for srcset.

Every image field of the project is a ProcessedImageField, so the rules hold on every way in
(admin, seed data, API): a file is what Pillow says it is, never what its name claims.
"""

import contextlib
import io
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

SAVE_OPTIONS = {
    "JPEG": {"quality": 88, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85},
}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_FORMAT = "WEBP"


def validate_image_upload(file):
    """Refuse anything that is not a JPEG, PNG or WebP by content, or that is too big."""
    if getattr(file, "_committed", False):
        return  # already stored: it was checked (and re-encoded) when it was uploaded
    if file.size is not None and file.size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The image is %(size).1f MB; the limit is %(limit).1f MB."),
            code="image_too_large",
            params={"size": file.size / 1024 / 1024, "limit": settings.IMAGE_MAX_BYTES / 1024 / 1024},
        )
    file.seek(0)
    try:
        with Image.open(file) as image:
            image_format = _normalised_format(image)
            width, height = image.size
            if image_format not in SAVE_OPTIONS:
                raise ValidationError(_("Upload a JPEG, PNG or WebP image."), code="image_format")
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _("The image is %(width)s×%(height)s pixels; at most %(limit)s pixels in all are accepted."),
                    code="image_too_many_pixels",
                    params={"width": width, "height": height, "limit": f"{settings.IMAGE_MAX_PIXELS:,}"},
                )
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_("This file is not an image we can read."), code="image_invalid") from error
    finally:
        file.seek(0)


def _normalised_format(image: Image.Image) -> str:
    """Phones write HDR JPEGs as multi-picture files, which Pillow calls MPO: they are JPEGs to us."""
    return "JPEG" if image.format == "MPO" else image.format


def _open_validated(file) -> Image.Image:
    """Open a file validate_image_upload has accepted (so its pixel count is within our limit)."""
    file.seek(0)
    image = Image.open(file)
    image.load()
    return image


def sanitised_copy(file) -> tuple[ContentFile, Image.Image]:
    """Re-encode the picture upright and without metadata (EXIF can hold a phone's GPS position)."""
    original = _open_validated(file)
    image_format = _normalised_format(original)
    upright = ImageOps.exif_transpose(original)
    clean = upright.copy()
    clean.info = {key: upright.info[key] for key in ("transparency",) if key in upright.info}
    if image_format == "JPEG" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    buffer = io.BytesIO()
    clean.save(buffer, format=image_format, **SAVE_OPTIONS[image_format])
    name = f"{uuid.uuid4().hex[:16]}.{EXTENSIONS[image_format]}"
    return ContentFile(buffer.getvalue(), name=name), clean


def thumbnail_name(name: str, width: int) -> str:
    path = PurePosixPath(name)
    return str(PurePosixPath("thumbs") / path.parent / f"{path.stem}_w{width}.webp")


def thumbnail_widths(image_width: int) -> list[int]:
    return [width for width in settings.IMAGE_THUMBNAIL_WIDTHS if width < image_width]


def save_thumbnails(storage, name: str, image: Image.Image) -> None:
    for width in thumbnail_widths(image.width):
        thumbnail = image.copy()
        thumbnail.thumbnail((width, image.height))
        if thumbnail.mode not in ("RGB", "RGBA"):
            has_alpha = "A" in thumbnail.getbands() or "transparency" in thumbnail.info
            thumbnail = thumbnail.convert("RGBA" if has_alpha else "RGB")
        buffer = io.BytesIO()
        thumbnail.save(buffer, format=THUMBNAIL_FORMAT, quality=80)
        storage.save(thumbnail_name(name, width), ContentFile(buffer.getvalue()))


def srcset(field_file, image_width: int | None) -> str:
    """`srcset` value: the thumbnails narrower than the original, then the original itself."""
    if not field_file or not image_width:
        return ""
    storage = field_file.storage
    candidates = [f"{storage.url(thumbnail_name(field_file.name, w))} {w}w" for w in thumbnail_widths(image_width)]
    candidates.append(f"{field_file.url} {image_width}w")
    return ", ".join(candidates)


class ProcessedImageField(models.ImageField):
    """An ImageField that validates by content and stores only a clean, re-encoded copy plus thumbnails."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_image_upload)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 200:
            del kwargs["max_length"]
        return name, "villages.images.ProcessedImageField", args, kwargs

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        # A file claiming an absurd size: validate_image_upload refuses it with a clear ValidationError.
        with contextlib.suppress(Image.DecompressionBombError):
            super().update_dimension_fields(instance, force, *args, **kwargs)

    def pre_save(self, model_instance, add):
        field_file = getattr(model_instance, self.attname)
        if field_file and not field_file._committed:
            validate_image_upload(field_file.file)
            content, image = sanitised_copy(field_file.file)
            # Django sets the width and height fields from `content` in memory as it saves: nothing is read back from
            # the storage (a bucket, with MEDIA_STORAGE=s3), only written to it.
            field_file.save(content.name, content, save=False)
            save_thumbnails(field_file.storage, field_file.name, image)
        return field_file
