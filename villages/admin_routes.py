"""Routes from Shanghai in the admin: on the village's page, and each route with its legs on a page of its own
(Django has no nested inlines), scoped to the operator's villages; totals and CO₂ come from the legs."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from villages.admin_base import VillageScopedAdmin, VillageScopedInlineMixin
from villages.models import (
    Route,
    RouteLeg,
)
from villages.templatetags.village_tags import co2_line, duration


class RouteInline(VillageScopedInlineMixin, TranslationTabularInline):
    """A village's routes from Shanghai; each one's legs are edited on its own page (Django has no nested inlines)."""

    model = Route
    extra = 0
    fields = ["origin", "note", "position"]
    ordering = ["position", "id"]
    show_change_link = True


class RouteLegInline(VillageScopedInlineMixin, TranslationTabularInline):
    model = RouteLeg
    extra = 1
    fields = ["position", "mode", "line", "start", "end", "minutes", "km"]
    ordering = ["position", "id"]


@admin.register(Route)
class RouteAdmin(VillageScopedAdmin, TranslationAdmin):
    """A route and its legs, in order; the totals and CO₂ shown are worked out from the legs, never typed."""

    list_display = ["origin", "village", "total_time", "co2"]
    list_filter = [("village", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["origin_zh_hans", "origin_en"]
    list_select_related = ["village"]
    autocomplete_fields = ["village"]
    fields = ["village", "origin", "note", "position", "total_time", "co2"]
    readonly_fields = ["total_time", "co2"]
    inlines = [RouteLegInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("legs")

    @admin.display(description=_("total time"))
    def total_time(self, route):
        return duration(route.footprint.minutes) if route.pk else "—"

    @admin.display(description=_("CO₂ per person"))
    def co2(self, route):
        return co2_line(route.footprint) if route.pk else "—"
