from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from villages.admin_base import VillageScopedAdmin, VillageScopedInlineMixin
from villages.forms import ExperienceAdminForm
from villages.models import (
    District,
    Experience,
    ExperienceImage,
    Honour,
    Organisation,
    Session,
    Town,
    Venue,
    Village,
    VillageHonour,
    VillageImage,
    VillageMembership,
)


@admin.register(District)
class DistrictAdmin(TranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_zh_hans", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Town)
class TownAdmin(TranslationAdmin):
    list_display = ["name", "district", "slug"]
    list_filter = ["district"]
    search_fields = ["name_zh_hans", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):
    list_display = ["name", "short_name", "website"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["name_zh_hans", "name_en", "short_name_zh_hans", "short_name_en"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Honour)
class HonourAdmin(TranslationAdmin):
    list_display = ["title", "slug"]
    search_fields = ["title_zh_hans", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}


class VillageHonourInline(VillageScopedInlineMixin, TranslationTabularInline):
    model = VillageHonour
    extra = 0
    autocomplete_fields = ["honour"]


class VillageImageInline(VillageScopedInlineMixin, TranslationTabularInline):
    model = VillageImage
    extra = 0
    fields = ["image", "alt_text", "caption", "position"]


class VenueInline(VillageScopedInlineMixin, TranslationStackedInline):
    model = Venue
    extra = 0
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Village)
class VillageAdmin(VillageScopedAdmin, TranslationAdmin):
    list_display = ["name", "town", "operator", "is_published", "position"]
    list_editable = ["is_published", "position"]
    list_filter = ["is_published", "town__district", "honours"]
    search_fields = ["name_zh_hans", "name_en", "slug", "summary_zh_hans", "summary_en"]
    list_select_related = ["town", "operator"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["town", "operator"]
    inlines = [VillageHonourInline, VenueInline, VillageImageInline]


@admin.register(Venue)
class VenueAdmin(VillageScopedAdmin, TranslationAdmin):
    list_display = ["name", "kind", "village"]
    list_filter = ["kind", "village"]
    search_fields = ["name_zh_hans", "name_en", "slug"]
    list_select_related = ["village"]
    autocomplete_fields = ["village"]
    prepopulated_fields = {"slug": ["name_en"]}


class ExperienceImageInline(VillageScopedInlineMixin, TranslationTabularInline):
    model = ExperienceImage
    extra = 0
    fields = ["image", "alt_text", "position"]


class SessionInline(VillageScopedInlineMixin, admin.TabularInline):
    model = Session
    extra = 0
    fields = ["starts_at", "ends_at", "capacity", "adult_price_override", "child_price_override", "status"]
    ordering = ["starts_at"]
    show_change_link = True


@admin.register(Experience)
class ExperienceAdmin(VillageScopedAdmin, TranslationAdmin):
    form = ExperienceAdminForm
    list_display = ["title", "village", "kind", "adult_price", "child_price", "capacity", "is_published"]
    list_filter = ["is_published", "kind", "village", "requires_approval"]
    search_fields = ["title_zh_hans", "title_en", "slug", "description_zh_hans", "description_en"]
    list_select_related = ["village"]
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["village", "venue"]
    inlines = [ExperienceImageInline, SessionInline]
    fieldsets = [
        (None, {"fields": ["village", "venue", "slug", "kind", "title", "description", "meeting_point"]}),
        (
            _("Booking"),
            {
                "fields": [
                    "duration_minutes",
                    "adult_price",
                    "child_price",
                    "capacity",
                    "min_age",
                    "season_months",
                    "cancellation_window_hours",
                    "requires_approval",
                ]
            },
        ),
        (_("Publishing"), {"fields": ["position", "is_published"]}),
    ]


@admin.register(Session)
class SessionAdmin(VillageScopedAdmin):
    list_display = ["experience", "starts_at", "ends_at", "capacity", "status"]
    list_filter = ["status", "experience__village", "experience"]
    date_hierarchy = "starts_at"
    search_fields = ["experience__title_zh_hans", "experience__title_en"]
    list_select_related = ["experience"]
    autocomplete_fields = ["experience"]


@admin.register(VillageMembership)
class VillageMembershipAdmin(admin.ModelAdmin):
    """Platform admins decide who operates which village; operators do not see this."""

    list_display = ["user", "village", "role", "created_at"]
    list_filter = ["role", "village"]
    search_fields = ["user__username", "user__email", "village__slug"]
    autocomplete_fields = ["village"]
    raw_id_fields = ["user"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
