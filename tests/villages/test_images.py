"""The image rules of villages/images.py, through the model field and through a ModelForm like the admin's."""

import io
import os
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import modelform_factory
from django.utils import translation
from PIL import ExifTags, Image

from tests.factories import VillageFactory, image_bytes
from villages.images import srcset, thumbnail_name
from villages.models import VillageImage

pytestmark = pytest.mark.django_db

VillageImageForm = modelform_factory(VillageImage, fields=["village", "image", "alt_text_zh_hans", "position"])


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def village():
    return VillageFactory()


def photo(village, data: bytes, name="photo.jpg") -> VillageImage:
    return VillageImage(
        village=village, image=ContentFile(data, name=name), alt_text_zh_hans="田野", alt_text_en="Fields"
    )


def refusal(village, data: bytes, name="photo.jpg") -> ValidationError:
    """The error full_clean raises for the image field."""
    with pytest.raises(ValidationError) as caught:
        photo(village, data, name).full_clean()
    assert set(caught.value.error_dict) == {"image"}
    return caught.value.error_dict["image"][0]


def submit(village, data: bytes, name="photo.jpg", content_type="image/jpeg"):
    form = VillageImageForm(
        data={"village": village.pk, "alt_text_zh_hans": "田野", "position": 0},
        files={"image": SimpleUploadedFile(name, data, content_type=content_type)},
    )
    form.is_valid()
    return form


def opened(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def stored(field_file) -> Image.Image:
    return opened(field_file.name)


def noise(size, image_format="JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, format=image_format)
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A few-byte PNG whose header claims width×height: what a decompression bomb looks like to a parser."""
    real = image_bytes("PNG", size=(1, 1))
    ihdr_at = real.index(b"IHDR")
    ihdr = b"IHDR" + struct.pack(">II", width, height) + real[ihdr_at + 12 : ihdr_at + 17]
    return (
        real[: ihdr_at - 4] + struct.pack(">I", 13) + ihdr + struct.pack(">I", zlib.crc32(ihdr)) + real[ihdr_at + 21 :]
    )


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Pocket 1"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 4.0, 48.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (120.0, 55.0, 48.0)
    return exif


# --- Refused files --------------------------------------------------------------------------------------------


def test_a_text_file_named_like_a_jpeg_is_refused_as_unreadable(village):
    error = refusal(village, b"just some notes, not a picture\n", name="holiday.jpg")
    assert error.code == "image_invalid"
    assert error.message % (error.params or {}) == "This file is not an image we can read."


def test_a_text_file_named_like_a_jpeg_is_refused_by_the_form_with_a_clear_message(village):
    form = submit(village, b"just some notes, not a picture\n", name="holiday.jpg")
    assert not form.is_valid()
    assert form.errors["image"] == [
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ]


def test_saving_without_validation_still_refuses_a_file_that_is_not_an_image(village):
    with pytest.raises(ValidationError), transaction.atomic():
        photo(village, b"<?php echo 'hello'; ?>", name="shell.png").save()
    assert not VillageImage.objects.exists()


@pytest.mark.parametrize("image_format", ["GIF", "BMP"])
def test_a_readable_image_in_another_format_than_jpeg_png_or_webp_is_refused(village, image_format):
    data = image_bytes(image_format, size=(64, 48))
    error = refusal(village, data, name="photo.jpg")
    assert error.code == "image_format"
    assert error.message == "Upload a JPEG, PNG or WebP image."

    form = submit(village, data, name=f"photo.{image_format.lower()}", content_type="image/gif")
    assert form.errors["image"] == ["Upload a JPEG, PNG or WebP image."]


def test_an_image_with_more_pixels_than_the_limit_is_refused(village, settings):
    settings.IMAGE_MAX_PIXELS = 100_000
    error = refusal(village, image_bytes("JPEG", size=(400, 300)))
    assert error.code == "image_too_many_pixels"
    assert "400×300" in error.message % error.params
    assert submit(village, image_bytes("JPEG", size=(400, 300))).has_error("image", code="image_too_many_pixels")


def test_an_image_at_the_pixel_limit_is_accepted(village, settings):
    settings.IMAGE_MAX_PIXELS = 120_000
    photo(village, image_bytes("JPEG", size=(400, 300))).full_clean()


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_tiny_png_that_inflates_to_48_million_pixels_is_refused(village, settings):
    settings.IMAGE_MAX_PIXELS = 40_000_000  # the default
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, format="PNG", optimize=True)
    assert len(buffer.getvalue()) < 10_000  # a few kilobytes on disk, 48 megapixels in memory
    error = refusal(village, buffer.getvalue(), name="bomb.png")
    assert error.code == "image_too_many_pixels"


def test_a_png_header_claiming_a_billion_pixels_is_refused_by_the_form_without_decoding_it(village):
    data = png_declaring(40_000, 40_000)
    assert len(data) < 100
    form = submit(village, data, name="bomb.png", content_type="image/png")
    assert not form.is_valid()
    assert form.has_error("image")
    assert not VillageImage.objects.exists()


def test_a_png_header_claiming_a_billion_pixels_is_refused_by_model_validation(village):
    error = refusal(village, png_declaring(40_000, 40_000), name="bomb.png")
    assert error.code in {"image_invalid", "image_too_many_pixels"}


def test_an_image_over_the_byte_limit_is_refused(village, settings):
    settings.IMAGE_MAX_BYTES = 50_000
    data = noise((300, 300))
    assert len(data) > 50_000
    error = refusal(village, data)
    assert error.code == "image_too_large"
    assert "MB" in error.message % error.params
    assert submit(village, data).has_error("image", code="image_too_large")


# --- What is stored --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_exif_with_gps_position_and_camera_make_is_removed_from_the_stored_file(village, image_format):
    data = image_bytes(image_format, size=(800, 600), exif=gps_exif())
    assert Image.open(io.BytesIO(data)).getexif().get(ExifTags.Base.Make) == "PhoneMaker"

    picture = photo(village, data)
    picture.full_clean()
    picture.save()

    kept = stored(picture.image)
    assert kept.format == image_format
    assert not kept.getexif()
    assert "exif" not in kept.info
    for width in (320, 640):
        thumbnail = opened(thumbnail_name(picture.image.name, width))
        assert not thumbnail.getexif()


def test_a_photo_uploaded_through_the_form_is_stored_without_exif(village):
    form = submit(village, image_bytes("JPEG", size=(800, 600), exif=gps_exif()))
    assert form.is_valid(), form.errors
    picture = form.save()
    assert not stored(picture.image).getexif()


def test_a_photo_turned_by_its_exif_orientation_is_stored_upright(village):
    # Stored sideways: 200×100, red on the left, blue on the right; orientation 6 says "turn 90° clockwise to view".
    sideways = Image.new("RGB", (200, 100), (220, 30, 30))
    sideways.paste((30, 30, 220), (100, 0, 200, 100))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    buffer = io.BytesIO()
    sideways.save(buffer, format="JPEG", exif=exif, quality=95)

    picture = photo(village, buffer.getvalue())
    picture.save()

    upright = stored(picture.image)
    assert upright.size == (100, 200)
    assert (picture.image_width, picture.image_height) == (100, 200)
    assert ExifTags.Base.Orientation not in upright.getexif()
    top_red, _green, top_blue = upright.getpixel((50, 40))
    bottom_red, _green, bottom_blue = upright.getpixel((50, 160))
    assert top_red > 150 > top_blue, "the left edge of the sideways photo becomes its top"
    assert bottom_blue > 150 > bottom_red


def test_a_1000_pixel_wide_image_gets_320_and_640_thumbnails_but_no_wider_one(village):
    picture = photo(village, image_bytes("JPEG", size=(1000, 750)))
    picture.save()
    name = picture.image.name

    for width in (320, 640):
        thumbnail = opened(thumbnail_name(name, width))
        assert thumbnail.format == "WEBP"
        assert thumbnail.width == width
    assert not default_storage.exists(thumbnail_name(name, 1280))
    assert (picture.image_width, picture.image_height) == (1000, 750)

    expected = ", ".join(
        [
            f"{default_storage.url(thumbnail_name(name, 320))} 320w",
            f"{default_storage.url(thumbnail_name(name, 640))} 640w",
            f"{picture.image.url} 1000w",
        ]
    )
    assert srcset(picture.image, picture.image_width) == expected


def test_the_stored_file_is_named_after_its_real_format_not_the_upload_name(village):
    picture = photo(village, image_bytes("PNG", size=(400, 300)), name="photo.jpg")
    picture.save()
    assert picture.image.name.startswith("villages/gallery/")
    assert picture.image.name.endswith(".png")
    assert stored(picture.image).format == "PNG"


def test_a_png_with_transparency_is_accepted_and_keeps_its_alpha(village):
    sticker = Image.new("RGBA", (800, 400), (0, 0, 0, 0))
    sticker.paste((240, 180, 40, 255), (0, 0, 400, 400))
    sticker.paste((40, 120, 240, 128), (400, 0, 600, 400))
    buffer = io.BytesIO()
    sticker.save(buffer, format="PNG")

    form = submit(village, buffer.getvalue(), name="sticker.png", content_type="image/png")
    assert form.is_valid(), form.errors
    picture = form.save()

    kept = stored(picture.image)
    assert kept.mode == "RGBA"
    assert kept.getpixel((100, 100)) == (240, 180, 40, 255)
    assert kept.getpixel((500, 100))[3] == 128
    assert kept.getpixel((700, 100))[3] == 0
    thumbnail = opened(thumbnail_name(picture.image.name, 320))
    assert thumbnail.mode == "RGBA"
    assert thumbnail.getpixel((300, 50))[3] < 10


def test_a_palette_png_with_a_transparent_colour_keeps_its_transparency(village):
    palette = Image.new("P", (800, 400), 0)
    palette.putpalette([255, 255, 255, 40, 120, 240] + [0] * 762)
    palette.paste(1, (0, 0, 400, 400))
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", transparency=0)

    picture = photo(village, buffer.getvalue(), name="logo.png")
    picture.save()

    kept = stored(picture.image).convert("RGBA")
    assert kept.getpixel((100, 100))[3] == 255
    assert kept.getpixel((700, 100))[3] == 0
    thumbnail = opened(thumbnail_name(picture.image.name, 320)).convert("RGBA")
    assert thumbnail.getpixel((300, 50))[3] == 0


def test_a_phone_jpeg_with_a_multi_picture_segment_is_accepted_as_a_jpeg(village):
    first, second = Image.new("RGB", (800, 600), (40, 120, 80)), Image.new("RGB", (800, 600), (0, 0, 0))
    buffer = io.BytesIO()
    first.save(buffer, format="MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"

    picture = photo(village, buffer.getvalue())
    picture.full_clean()
    picture.save()
    assert stored(picture.image).format == "JPEG"
