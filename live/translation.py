"""Stream texts in both languages (zh-hans is the default; English falls back to it)."""

from modeltranslation.translator import TranslationOptions, register

from live.models import LiveStream


@register(LiveStream)
class LiveStreamTranslation(TranslationOptions):
    fields = ("title", "description", "host")
