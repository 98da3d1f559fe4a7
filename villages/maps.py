"""What the maps draw, passed to static/js/maps.js with json_script: the tile layer of LEAFLET_CONFIG
(django-leaflet's setting; none when MAP_TILES_URL is empty), the markers (villages, and the meeting points of
experiences), and the few words Leaflet shows."""

from django.conf import settings
from django.utils.translation import gettext as _

from villages.models import Experience, Village


def tile_layer() -> dict | None:
    """The first layer of LEAFLET_CONFIG["TILES"] as {url, options}, or None when the maps have no tiles.

    Settings build TILES from MAP_TILES_URL; an empty MAP_TILES_URL means no tiles here too, also when a test or a
    deployment changes only that setting."""
    if not getattr(settings, "MAP_TILES_URL", None):
        return None
    tiles = getattr(settings, "LEAFLET_CONFIG", {}).get("TILES") or []
    if isinstance(tiles, str):  # django-leaflet also takes a bare URL
        tiles = [("", tiles, {})]
    for _name, url, options in tiles:
        if url:
            # django-leaflet's older form: the options are the attribution alone.
            return {"url": url, "options": {"attribution": options} if isinstance(options, str) else dict(options)}
    return None


def has_location(village: Village) -> bool:
    return village.latitude is not None and village.longitude is not None


def marker(village: Village, *, link: bool) -> dict:
    data = {"lat": float(village.latitude), "lng": float(village.longitude), "name": village.name}
    if link:
        data["url"] = village.get_absolute_url()
    return data


def has_meeting_point(experience: Experience) -> bool:
    return experience.meeting_point_latitude is not None and experience.meeting_point_longitude is not None


def meeting_point_marker(experience: Experience, *, link: bool) -> dict:
    """Named after the experience and where to meet; a link to the experience on the village's map."""
    name = f"{experience.title}: {experience.meeting_point}" if experience.meeting_point else experience.title
    data = {
        "lat": float(experience.meeting_point_latitude),
        "lng": float(experience.meeting_point_longitude),
        "name": name,
    }
    if link:
        data["url"] = experience.get_absolute_url()
    return data


def _map(markers: list[dict]) -> dict:
    config = getattr(settings, "LEAFLET_CONFIG", {})
    return {
        "markers": markers,
        "tiles": tile_layer(),
        "zoom": config.get("DEFAULT_ZOOM") or 12,
        "minZoom": config.get("MIN_ZOOM"),
        "maxZoom": config.get("MAX_ZOOM") or 18,
        "scale": bool(config.get("SCALE", "metric")),
        "labels": {"zoomIn": _("Zoom in"), "zoomOut": _("Zoom out"), "closePopup": _("Close")},
    }


def village_map(village: Village) -> dict | None:
    """The map of one village's page: its marker and its experiences' meeting points, or None without any."""
    markers = [marker(village, link=False)] if has_location(village) else []
    experiences = village.experiences.published().filter(meeting_point_latitude__isnull=False).order_by("title")
    markers += [meeting_point_marker(experience, link=True) for experience in experiences]
    return _map(markers) if markers else None


def experience_map(experience: Experience) -> dict | None:
    """The map of an experience's page: where to meet, or None when the village has not given coordinates."""
    return _map([meeting_point_marker(experience, link=False)]) if has_meeting_point(experience) else None


def overview_map(villages) -> dict | None:
    """The map of a list of villages: a marker linking to each one that has coordinates, or None if none has."""
    markers = [marker(village, link=True) for village in villages if has_location(village)]
    return _map(markers) if markers else None
