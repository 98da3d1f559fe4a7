"""Which content fields of residency programmes exist in both languages (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from residency.models import ResidencyProgram


@register(ResidencyProgram)
class ResidencyProgramTranslation(TranslationOptions):
    fields = ("name", "description", "accommodation", "meals", "working_languages")
