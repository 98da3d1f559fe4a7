"""What search engines and link previews read of the residency pages (villages.seo builds the pieces)."""

from django.utils.translation import gettext as _

from residency.models import ResidencyProgram
from villages.seo import PageMeta, summarise, village_image


def program_list_meta() -> PageMeta:
    return PageMeta(
        title=_("Residency programmes"),
        description=_(
            "Digital-nomad residency programmes in Shanghai's villages: cohort dates, places, fees and application "
            "windows."
        ),
    )


def program_meta(program: ResidencyProgram) -> PageMeta:
    village = program.village
    description = summarise(program.description) or f"{_('Residency programmes')} · {village.name}"
    return PageMeta(
        title=f"{program.name} · {village.name}",
        description=description,
        path=program.get_absolute_url(),
        image=village_image(village, gallery=False),
    )
