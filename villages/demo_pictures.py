"""Demo pictures for seed_demo: landscapes and scenes drawn with Pillow, so nothing is downloaded.

The same arguments always give the same picture, so a second seed run would draw identical files.
"""

import io
import random
import zlib

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

PALETTES = {
    "shuiku": {
        "sky": ((120, 180, 225), (232, 243, 240)),
        "water": (86, 146, 160),
        "far": (86, 128, 92),
        "fields": [(122, 170, 92), (150, 190, 104), (104, 152, 84), (176, 204, 120)],
        "accent": (250, 236, 170),
        "warm": (226, 120, 84),
    },
    "cenbu": {
        "sky": ((243, 168, 110), (255, 236, 204)),
        "water": (78, 118, 168),
        "far": (92, 104, 120),
        "fields": [(206, 172, 92), (150, 176, 96), (226, 196, 120), (122, 156, 90)],
        "accent": (255, 226, 120),
        "warm": (196, 48, 52),
    },
}
NIGHT = ((14, 22, 52), (40, 52, 92))


def _gradient(size, top, bottom) -> Image.Image:
    ramp = Image.linear_gradient("L").resize(size)
    return ImageOps.colorize(ramp, top, bottom)


def _shade(colour, factor):
    return tuple(max(0, min(255, int(channel * factor))) for channel in colour)


def _landscape(size, palette, horizon=0.45, water=True):
    width, height = size
    image = _gradient(size, *palette["sky"])
    draw = ImageDraw.Draw(image)
    y = int(height * horizon)
    draw.ellipse(
        (width * 0.72, y - height * 0.28, width * 0.82, y - height * 0.28 + width * 0.1), fill=palette["accent"]
    )
    for index in range(9):
        x = width * index / 8
        draw.ellipse((x - width * 0.09, y - height * 0.07, x + width * 0.09, y + height * 0.05), fill=palette["far"])
    draw.rectangle((0, y, width, height), fill=palette["far"])
    if water:
        water_bottom = y + int(height * 0.2)
        draw.rectangle((0, y, width, water_bottom), fill=palette["water"])
        for line in range(6):
            line_y = y + 8 + line * (water_bottom - y) // 6
            draw.line(
                (width * 0.1 + line * 37, line_y, width * 0.45 + line * 53, line_y),
                fill=_shade(palette["water"], 1.25),
                width=3,
            )
        y = water_bottom
    bands = palette["fields"]
    rows = 5
    for row in range(rows):
        top = y + (height - y) * row // rows
        draw.rectangle((0, top, width, height), fill=bands[row % len(bands)])
    return image, draw, y


def _draw_waterside(size, palette, rng):
    image, _draw, _y = _landscape(size, palette, horizon=0.42)
    return image


def _draw_fields(size, palette, rng):
    image, draw, y = _landscape(size, palette, horizon=0.4, water=False)
    width, height = size
    for _tree in range(14):
        x = rng.uniform(0, width)
        trunk = (x - 6, y - height * 0.02, x + 6, y + height * 0.04)
        draw.rectangle(trunk, fill=(92, 70, 52))
        draw.ellipse((x - 40, y - height * 0.12, x + 40, y + 4), fill=_shade(palette["far"], 0.85))
    return image


def _draw_lake(size, palette, rng):
    image, draw, y = _landscape(size, palette, horizon=0.5)
    width, height = size
    for _reed in range(60):
        x = rng.uniform(0, width)
        top = height - rng.uniform(height * 0.12, height * 0.3)
        draw.line((x, height, x + rng.uniform(-20, 20), top), fill=_shade(palette["fields"][0], 0.75), width=4)
    return image


def _draw_window(size, palette, rng):
    width, height = size
    image = Image.new("RGB", size, (236, 228, 214))
    outside = _draw_fields((int(width * 0.56), int(height * 0.56)), palette, rng)
    left, top = int(width * 0.22), int(height * 0.1)
    image.paste(outside, (left, top))
    draw = ImageDraw.Draw(image)
    right, bottom = left + outside.width, top + outside.height
    draw.rectangle((left, top, right, bottom), outline=(250, 250, 246), width=18)
    draw.line(((left + right) // 2, top, (left + right) // 2, bottom), fill=(250, 250, 246), width=12)
    draw.rectangle((0, int(height * 0.74), width, height), fill=(170, 126, 86))
    draw.rectangle((width * 0.38, height * 0.62, width * 0.62, height * 0.74), fill=(60, 64, 72))
    draw.rectangle((width * 0.34, height * 0.74, width * 0.66, height * 0.77), fill=(92, 96, 104))
    return image


def _draw_garden(size, palette, rng):
    image, draw, _y = _landscape(size, palette, horizon=0.35, water=False)
    width, height = size
    for _flower in range(90):
        x, y = rng.uniform(0, width), rng.uniform(height * 0.45, height)
        radius = rng.uniform(10, 26) * (y / height)
        colour = rng.choice([(236, 96, 110), (250, 214, 90), (246, 246, 240), (196, 120, 220)])
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
        draw.ellipse((x - radius / 3, y - radius / 3, x + radius / 3, y + radius / 3), fill=(250, 190, 60))
    return image


def _draw_stage(size, palette, rng):
    image, draw, y = _landscape(size, palette, horizon=0.62, water=False)
    width, height = size
    left, right, top = width * 0.2, width * 0.8, height * 0.18
    draw.rectangle((left, top, right, y + height * 0.08), fill=(60, 40, 36))
    draw.rectangle((left - 20, y + height * 0.08, right + 20, y + height * 0.14), fill=(120, 84, 60))
    draw.rectangle((left, top, right, top + height * 0.06), fill=palette["warm"])
    for side in (left, right - width * 0.14):
        draw.rectangle((side, top, side + width * 0.14, y + height * 0.08), fill=palette["warm"])
    draw.rectangle(
        (left + width * 0.14, top + height * 0.06, right - width * 0.14, y + height * 0.08), fill=(90, 62, 52)
    )
    return image


def _draw_fireflies(size, palette, rng):
    width, height = size
    image = _gradient(size, *NIGHT)
    draw = ImageDraw.Draw(image)
    for _tree in range(11):
        x = rng.uniform(0, width)
        crown = rng.uniform(width * 0.06, width * 0.12)
        top = height * rng.uniform(0.25, 0.5)
        draw.ellipse((x - crown, top, x + crown, height * 0.9), fill=(10, 18, 24))
    draw.rectangle((0, height * 0.82, width, height), fill=(8, 14, 18))
    glow = Image.new("RGB", size, (0, 0, 0))
    glow_draw = ImageDraw.Draw(glow)
    points = [(rng.uniform(0, width), rng.uniform(height * 0.3, height * 0.9)) for _point in range(70)]
    for x, y in points:
        glow_draw.ellipse((x - 14, y - 14, x + 14, y + 14), fill=(150, 170, 40))
    image = ImageChops.add(image, glow.filter(ImageFilter.GaussianBlur(12)))
    draw = ImageDraw.Draw(image)
    for x, y in points:
        draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=(250, 250, 170))
    return image


def _draw_cycling(size, palette, rng):
    image, draw, y = _landscape(size, palette, horizon=0.45, water=False)
    width, height = size
    draw.polygon(
        [(width * 0.47, y), (width * 0.53, y), (width * 0.8, height), (width * 0.2, height)], fill=(196, 186, 170)
    )
    cx, cy, wheel = width * 0.5, height * 0.78, height * 0.09
    for wx in (cx - wheel * 1.3, cx + wheel * 1.3):
        draw.ellipse((wx - wheel, cy - wheel, wx + wheel, cy + wheel), outline=(40, 40, 48), width=8)
    frame = [(cx - wheel * 1.3, cy), (cx, cy), (cx - wheel * 0.4, cy - wheel * 1.1), (cx + wheel * 1.3, cy)]
    draw.line(frame, fill=palette["warm"], width=9, joint="curve")
    draw.line((cx, cy, cx + wheel * 0.6, cy - wheel * 1.1, cx + wheel * 1.3, cy), fill=palette["warm"], width=9)
    return image


def _draw_kayak(size, palette, rng):
    image, draw, y = _landscape(size, palette, horizon=0.32)
    width, height = size
    draw.rectangle((0, y - height * 0.2, width, height), fill=palette["water"])
    for line in range(10):
        line_y = y + line * height * 0.05
        draw.line(
            (rng.uniform(0, width * 0.5), line_y, rng.uniform(width * 0.5, width), line_y),
            fill=_shade(palette["water"], 1.2),
            width=3,
        )
    cx, cy = width * 0.5, height * 0.7
    draw.ellipse((cx - width * 0.25, cy - 30, cx + width * 0.25, cy + 30), fill=palette["accent"])
    draw.rounded_rectangle((cx - 30, cy - 100, cx + 30, cy - 10), radius=20, fill=palette["warm"])
    draw.ellipse((cx - 26, cy - 150, cx + 26, cy - 98), fill=(240, 200, 170))
    draw.line((cx - width * 0.12, cy - 140, cx + width * 0.12, cy + 60), fill=(60, 50, 40), width=10)
    return image


def _draw_wellness(size, palette, rng):
    width, height = size
    image = _gradient(size, palette["sky"][1], palette["fields"][1])
    draw = ImageDraw.Draw(image)
    for ring in range(5, 0, -1):
        radius = ring * height * 0.09
        colour = _shade(palette["accent"], 1 - ring * 0.04)
        draw.ellipse(
            (width / 2 - radius, height * 0.45 - radius, width / 2 + radius, height * 0.45 + radius), fill=colour
        )
    draw.rectangle((0, height * 0.75, width, height), fill=palette["fields"][3])
    return image


def _draw_family(size, palette, rng):
    image, draw, y = _landscape(size, palette, horizon=0.5, water=False)
    width, height = size
    for x, scale, colour in ((width * 0.44, 1.0, palette["warm"]), (width * 0.56, 0.6, (60, 120, 180))):
        body_height = height * 0.3 * scale
        feet = height * 0.88
        draw.rounded_rectangle(
            (x - 40 * scale, feet - body_height, x + 40 * scale, feet), radius=30 * scale, fill=colour
        )
        head = 34 * scale
        draw.ellipse(
            (x - head, feet - body_height - head * 2.2, x + head, feet - body_height - head * 0.2), fill=(240, 200, 170)
        )
    return image


def _draw_dining(size, palette, rng):
    width, height = size
    image = _gradient(size, (246, 236, 220), (214, 196, 170))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 0.55, width, height), fill=(150, 104, 66))
    for plank in range(1, 5):
        draw.line(
            (0, height * (0.55 + plank * 0.09), width, height * (0.55 + plank * 0.09)), fill=(128, 88, 56), width=4
        )
    draw.ellipse((width * 0.5, height * 0.58, width * 0.8, height * 0.86), fill=(246, 246, 242))
    draw.ellipse((width * 0.55, height * 0.62, width * 0.75, height * 0.82), fill=palette["fields"][1])
    draw.rounded_rectangle((width * 0.24, height * 0.5, width * 0.36, height * 0.72), radius=14, fill=(250, 250, 246))
    draw.ellipse((width * 0.25, height * 0.5, width * 0.35, height * 0.55), fill=(96, 60, 36))
    draw.arc(
        (width * 0.33, height * 0.55, width * 0.4, height * 0.66), start=270, end=90, fill=(250, 250, 246), width=10
    )
    return image


def _draw_homestay(size, palette, rng):
    width, height = size
    image = _gradient(size, (64, 72, 120), palette["sky"][0])
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 0.7, width, height), fill=_shade(palette["fields"][3], 0.6))
    left, right, top, bottom = width * 0.3, width * 0.7, height * 0.42, height * 0.78
    draw.polygon([(left - 40, top), (width * 0.5, height * 0.18), (right + 40, top)], fill=(70, 56, 52))
    draw.rectangle((left, top, right, bottom), fill=(232, 224, 210))
    for window_left in (left + width * 0.04, right - width * 0.12):
        draw.rectangle(
            (window_left, top + height * 0.08, window_left + width * 0.08, top + height * 0.2), fill=(255, 212, 120)
        )
    draw.rectangle((width * 0.47, bottom - height * 0.18, width * 0.53, bottom), fill=(110, 80, 60))
    return image


SCENES = {
    "waterside": _draw_waterside,
    "fields": _draw_fields,
    "lake": _draw_lake,
    "window": _draw_window,
    "garden": _draw_garden,
    "stage": _draw_stage,
    "fireflies": _draw_fireflies,
    "cycling": _draw_cycling,
    "kayak": _draw_kayak,
    "wellness": _draw_wellness,
    "family": _draw_family,
    "dining": _draw_dining,
    "homestay": _draw_homestay,
}


def draw_scene(scene: str, palette: str, size, seed: str) -> bytes:
    """A JPEG illustration; the same arguments always give the same picture."""
    rng = random.Random(zlib.crc32(f"{seed}:{scene}:{palette}".encode()))
    image = SCENES[scene](size, PALETTES[palette], rng)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()
