"""Operators plan their villages' streams: scoped like every admin, the status moved only by the actions below."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from live import services
from live.models import LiveStream
from villages.admin_base import VillageScopedAdmin


class LiveStreamAdminForm(forms.ModelForm):
    class Meta:
        model = LiveStream
        fields = ["village", "sessions"]  # the admin's fieldsets choose the rest (with its widgets and overrides)

    def clean(self):
        cleaned = super().clean()
        refusal = services.featured_sessions_refusal(cleaned.get("village"), cleaned.get("sessions") or [])
        if refusal:
            self.add_error("sessions", refusal)
        return cleaned


@admin.register(LiveStream)
class LiveStreamAdmin(VillageScopedAdmin, TranslationAdmin):
    form = LiveStreamAdminForm
    list_display = ["title", "village", "platform", "starts_at", "ends_at", "status", "is_published"]
    list_filter = ["status", "platform", "is_published", ("village", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "starts_at"
    search_fields = ["title_zh_hans", "title_en", "host_zh_hans", "host_en", "room_id"]
    list_select_related = ["village"]
    autocomplete_fields = ["village", "sessions"]
    readonly_fields = ["status"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a link typed without a scheme is https
    actions = ["go_live", "end", "call_off"]
    fieldsets = [
        (None, {"fields": ["village", "title", "description", "platform", "host", "status", "is_published"]}),
        (_("When"), {"fields": ["starts_at", "ends_at"]}),
        (_("Where to watch"), {"fields": ["watch_url", "room_id", "replay_url"]}),
        (_("What it presents"), {"fields": ["sessions"]}),
    ]

    def _change_status(self, request, queryset, status: str, done_message: str):
        with translation.override(None):
            field_label = str(LiveStream._meta.get_field("status").verbose_name)
        changed = 0
        for stream in queryset:
            if stream.status == status:
                continue
            try:
                services.change_status(stream.pk, status)
            except services.StatusChangeRefused as refusal:
                self.message_user(request, f"{stream}: {refusal.message}", messages.WARNING)
                continue
            self.log_change(request, stream, [{"changed": {"fields": [field_label]}}])
            changed += 1
        self.message_user(request, done_message % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Mark as live now"), permissions=["change"])
    def go_live(self, request, queryset):
        self._change_status(request, queryset, LiveStream.Status.LIVE, gettext("%(count)d marked live."))

    @admin.action(description=_("Mark as ended"), permissions=["change"])
    def end(self, request, queryset):
        self._change_status(request, queryset, LiveStream.Status.ENDED, gettext("%(count)d marked ended."))

    @admin.action(description=_("Call off"), permissions=["change"])
    def call_off(self, request, queryset):
        self._change_status(request, queryset, LiveStream.Status.CANCELLED, gettext("%(count)d called off."))
