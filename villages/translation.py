"""Content fields kept in both languages (zh-hans is the default; English falls back to it)."""

from modeltranslation.translator import TranslationOptions, register

from villages.models import (
    District,
    Experience,
    ExperienceImage,
    Honour,
    Organisation,
    Route,
    RouteLeg,
    Town,
    Venue,
    Village,
    VillageHonour,
    VillageImage,
)


@register(District)
class DistrictTranslation(TranslationOptions):
    fields = ("name",)


@register(Town)
class TownTranslation(TranslationOptions):
    fields = ("name",)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "short_name", "description")


@register(Honour)
class HonourTranslation(TranslationOptions):
    fields = ("title",)


@register(Village)
class VillageTranslation(TranslationOptions):
    fields = ("name", "tagline", "summary", "description", "getting_there", "operating_model", "cover_image_alt")


@register(VillageHonour)
class VillageHonourTranslation(TranslationOptions):
    fields = ("note",)


@register(VillageImage)
class VillageImageTranslation(TranslationOptions):
    fields = ("alt_text", "caption")


@register(Venue)
class VenueTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Experience)
class ExperienceTranslation(TranslationOptions):
    fields = ("title", "description", "meeting_point", "what_to_bring", "accessibility", "weather_policy")


@register(ExperienceImage)
class ExperienceImageTranslation(TranslationOptions):
    fields = ("alt_text",)


@register(Route)
class RouteTranslation(TranslationOptions):
    fields = ("origin", "note")


@register(RouteLeg)
class RouteLegTranslation(TranslationOptions):
    fields = ("line", "start", "end")
