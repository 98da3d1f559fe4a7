from django import template
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from villages.images import srcset as image_srcset
from villages.months import ALL_MONTHS_MASK, month_runs

register = template.Library()


@register.inclusion_tag("villages/_image.html")
def responsive_image(field_file, width, height, alt, sizes="100vw", css_class="", eager=False):
    """An <img> with srcset of the stored thumbnails, intrinsic size (no layout shift) and alt text."""
    return {
        "url": field_file.url if field_file else "",
        "srcset": image_srcset(field_file, width),
        "width": width,
        "height": height,
        "alt": alt,
        "sizes": sizes,
        "css_class": css_class,
        "eager": eager,
    }


@register.simple_tag
def season_label(experience) -> str:
    if experience.season_mask == ALL_MONTHS_MASK:
        return _("All year")
    parts = []
    for first, last in month_runs(experience.season_months):
        parts.append(str(MONTHS[first]) if first == last else f"{MONTHS[first]}–{MONTHS[last]}")
    return _(", ").join(parts)


@register.simple_tag
def cutoff_label(experience) -> str:
    """The booking cut-off as a visitor reads it: "3 hours before the start", "90 minutes before the start"."""
    minutes = experience.booking_cutoff_minutes
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)s hour before the start", "%(count)s hours before the start", hours) % {"count": hours}
    return ngettext("%(count)s minute before the start", "%(count)s minutes before the start", minutes) % {
        "count": minutes
    }


@register.filter
def duration(minutes: int) -> str:
    """A journey's time as people say it: "50 min", "1 h 35 min" (zh: 50分钟, 1小时35分钟)."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": rest}
    if not rest:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}


@register.filter
def co2_line(footprint) -> str:
    """A route's CO₂ per person, and how much less than driving alone when it is less (villages/emissions.py)."""
    values = {"co2": footprint.co2_kg, "saved": footprint.saved_kg}
    if footprint.saved_kg:
        return _("About %(co2)s kg CO₂ per person — %(saved)s kg less than driving alone") % values
    return _("About %(co2)s kg CO₂ per person, as much as driving alone") % values
