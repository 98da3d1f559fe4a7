from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.dates import WEEKDAYS
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from villages import scheduling
from villages.admin_base import SavesChangedFieldsOnly, VillageScopedAdmin, VillageScopedInlineMixin
from villages.admin_routes import RouteInline
from villages.forms import ExperienceAdminForm, SessionAdminForm
from villages.images import thumbnail_name
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

PREVIEW_WIDTH = 320


def image_preview(field_file, alt_text) -> str:
    """A small <img> of an uploaded picture: its 320 px thumbnail when there is one, else the original."""
    if not field_file:
        return "—"
    storage = field_file.storage
    thumbnail = thumbnail_name(field_file.name, PREVIEW_WIDTH)
    url = storage.url(thumbnail) if storage.exists(thumbnail) else field_file.url
    return format_html(
        '<img src="{}" alt="{}" class="image-preview" loading="lazy">',
        url,
        alt_text or "",
    )


class PublishActionsMixin:
    """ "Publish selected" / "Unpublish selected" on the (scoped) changelist, each change in the object's History."""

    def _set_published(self, request, queryset, published: bool, done_message):
        with translation.override(None):
            field_label = str(self.model._meta.get_field("is_published").verbose_name)
        changed = 0
        for obj in queryset:
            if obj.is_published == published:
                continue
            obj.is_published = published
            obj.save(update_fields=["is_published", "updated_at"])
            self.log_change(request, obj, [{"changed": {"fields": [field_label]}}])
            changed += 1
        self.message_user(
            request,
            done_message % {"count": changed, "items": model_ngettext(self.opts, changed)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Publish selected"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True, gettext("%(count)d %(items)s published."))

    @admin.action(description=_("Unpublish selected"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False, gettext("%(count)d %(items)s unpublished."))


@admin.register(District)
class DistrictAdmin(SavesChangedFieldsOnly, TranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_zh_hans", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Town)
class TownAdmin(SavesChangedFieldsOnly, TranslationAdmin):
    list_display = ["name", "district", "slug"]
    list_filter = ["district"]
    search_fields = ["name_zh_hans", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Organisation)
class OrganisationAdmin(SavesChangedFieldsOnly, TranslationAdmin):
    list_display = ["name", "short_name", "website"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["name_zh_hans", "name_en", "short_name_zh_hans", "short_name_en"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Honour)
class HonourAdmin(SavesChangedFieldsOnly, TranslationAdmin):
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
    fields = ["preview", "image", "alt_text", "caption", "position"]
    readonly_fields = ["preview"]
    ordering = ["position", "id"]

    @admin.display(description=_("Preview"))
    def preview(self, obj):
        return image_preview(obj.image, obj.alt_text) if obj and obj.pk else "—"


class VenueInline(VillageScopedInlineMixin, TranslationStackedInline):
    model = Venue
    extra = 0
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Village)
class VillageAdmin(PublishActionsMixin, VillageScopedAdmin, TranslationAdmin):
    list_display = ["name", "town", "operator", "is_published", "position"]
    list_editable = ["is_published", "position"]
    list_filter = ["is_published", "town__district", "honours"]
    search_fields = ["name_zh_hans", "name_en", "slug", "summary_zh_hans", "summary_en"]
    list_select_related = ["town", "operator"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["town", "operator"]
    inlines = [VillageHonourInline, VenueInline, VillageImageInline, RouteInline]
    readonly_fields = ["cover_image_preview"]
    actions = ["publish", "unpublish"]

    @admin.display(description=_("Cover image preview"))
    def cover_image_preview(self, obj):
        return image_preview(obj.cover_image, obj.cover_image_alt) if obj and obj.pk else "—"

    def get_fields(self, request, obj=None):
        """The cover's preview right under the cover image field, not at the bottom of the form."""
        fields = [name for name in super().get_fields(request, obj) if name != "cover_image_preview"]
        at = fields.index("cover_image") + 1 if "cover_image" in fields else len(fields)
        return [*fields[:at], "cover_image_preview", *fields[at:]]


@admin.register(Venue)
class VenueAdmin(VillageScopedAdmin, TranslationAdmin):
    list_display = ["name", "kind", "village"]
    list_filter = ["kind", ("village", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name_zh_hans", "name_en", "slug"]
    list_select_related = ["village"]
    autocomplete_fields = ["village"]
    prepopulated_fields = {"slug": ["name_en"]}


class ExperienceImageInline(VillageScopedInlineMixin, TranslationTabularInline):
    model = ExperienceImage
    extra = 0
    fields = ["preview", "image", "alt_text", "position"]
    readonly_fields = ["preview"]
    ordering = ["position", "id"]

    @admin.display(description=_("Preview"))
    def preview(self, obj):
        return image_preview(obj.image, obj.alt_text) if obj and obj.pk else "—"


class SessionInline(VillageScopedInlineMixin, admin.TabularInline):
    """Sessions to plan and price here; seats sold and the status are shown, never written: a session is called
    off only by an action of the session list (SESSION_ACTIONS), which cancels its bookings and emails every visitor."""

    model = Session
    form = SessionAdminForm
    extra = 0
    fields = [
        "starts_at",
        "ends_at",
        "capacity",
        "seats_taken",
        "adult_price_override",
        "child_price_override",
        "status",
    ]
    readonly_fields = ["seats_taken", "status"]
    ordering = ["starts_at"]
    show_change_link = True


class GenerateSessionsForm(forms.Form):
    """A weekly pattern of sessions; field names are those of scheduling.plan_sessions, so its errors land here."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=list(WEEKDAYS.items()),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    start_time = forms.TimeField(
        label=_("Start time"),
        help_text=_("Local time in Shanghai."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"))
    first_day = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    last_day = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    capacity = forms.IntegerField(label=_("Seats per session"))

    def pattern(self) -> dict:
        data = dict(self.cleaned_data)
        data["weekdays"] = set(data["weekdays"])
        return data


@admin.register(Experience)
class ExperienceAdmin(PublishActionsMixin, VillageScopedAdmin, TranslationAdmin):
    form = ExperienceAdminForm
    list_display = ["title", "village", "kind", "adult_price", "child_price", "capacity", "is_published"]
    list_filter = ["is_published", "kind", ("village", admin.RelatedOnlyFieldListFilter), "requires_approval"]
    search_fields = ["title_zh_hans", "title_en", "slug", "description_zh_hans", "description_en"]
    list_select_related = ["village"]
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["village", "venue"]
    inlines = [ExperienceImageInline, SessionInline]
    fieldsets = [
        (None, {"fields": ["village", "venue", "slug", "kind", "title", "description"]}),
        (_("Before you go"), {"fields": list(Experience.BEFORE_YOU_GO)}),
        (
            _("Booking"),
            {"fields": [*Experience.BOOKING_TERMS, "season_months"]},
        ),
        (_("Publishing"), {"fields": ["position", "is_published"]}),
    ]
    actions = ["publish", "unpublish"]

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/generate-sessions/",
                self.admin_site.admin_view(self.generate_sessions_view),
                name=f"{info[0]}_{info[1]}_generate_sessions",
            ),
            *super().get_urls(),
        ]

    def generate_sessions_view(self, request, object_id):
        """Step 1 ("preview"): the slots, which will be created and which skipped. Step 2 ("confirm"): create."""
        experience = self.get_object(request, unquote(object_id))
        if experience is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not (self.has_change_permission(request, experience) and request.user.has_perm("villages.add_session")):
            raise PermissionDenied
        plan = None
        if request.method == "POST":
            form = GenerateSessionsForm(request.POST)
            if form.is_valid():
                try:
                    if "confirm" in request.POST:
                        planned = scheduling.plan_sessions(experience, **form.pattern())
                        created = scheduling.create_sessions(experience, **form.pattern())
                        self.message_user(
                            request,
                            ngettext(
                                "%(created)d session created, %(skipped)d skipped",
                                "%(created)d sessions created, %(skipped)d skipped",
                                len(created),
                            )
                            % {"created": len(created), "skipped": len(planned) - len(created)},
                            messages.SUCCESS,
                        )
                        change_url = reverse(
                            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                            args=[experience.pk],
                            current_app=self.admin_site.name,
                        )
                        return HttpResponseRedirect(change_url)
                    plan = scheduling.plan_sessions(experience, **form.pattern())
                except ValidationError as error:
                    form.add_error(None, error)
        else:
            form = GenerateSessionsForm(
                initial={"duration_minutes": experience.duration_minutes, "capacity": experience.capacity}
            )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Schedule sessions of %(experience)s") % {"experience": experience},
            "subtitle": None,
            "opts": self.opts,
            "original": experience,
            "form": form,
            "plan": plan,
            "to_create": sum(1 for slot in plan if slot.will_create) if plan is not None else 0,
            "to_skip": sum(1 for slot in plan if not slot.will_create) if plan is not None else 0,
            "has_view_permission": self.has_view_permission(request, experience),
            "has_change_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/villages/experience/generate_sessions.html", context)


# What other apps add to the sessions' admin: the bookings app adds each session's bookings and the action that calls
# sessions off (its service cancels their bookings and emails every visitor). Filled in by their admin modules.
SESSION_INLINES = []
SESSION_ACTIONS = []
SESSION_COLUMNS = []
SESSION_ANNOTATIONS = {}


def add_to_session_admin(*, inlines=(), actions=(), columns=(), annotations=None) -> None:
    """`columns`: callables shown in the list and on the change page, reading `annotations` (name: expression)
    that the list's query adds, so that a column costs no query per row."""
    SESSION_INLINES.extend(inlines)
    SESSION_ACTIONS.extend(actions)
    SESSION_COLUMNS.extend(columns)
    SESSION_ANNOTATIONS.update(annotations or {})


@admin.register(Session)
class SessionAdmin(VillageScopedAdmin):
    form = SessionAdminForm
    # The status changes only through an action of another app (SESSION_ACTIONS), never through a form.
    readonly_fields = ["seats_taken", "status", "cancellation_reason", "cancelled_at"]
    inlines = SESSION_INLINES
    actions = SESSION_ACTIONS
    list_display = ["experience", "starts_at", "ends_at", "capacity", "seats_sold", "seats_left", "status"]
    list_filter = [
        "status",
        ("experience__village", admin.RelatedOnlyFieldListFilter),
        ("experience", admin.RelatedOnlyFieldListFilter),
    ]
    date_hierarchy = "starts_at"
    search_fields = ["experience__title_zh_hans", "experience__title_en"]
    list_select_related = ["experience"]
    autocomplete_fields = ["experience"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(**SESSION_ANNOTATIONS)

    def get_list_display(self, request):
        return [*super().get_list_display(request), *SESSION_COLUMNS]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *SESSION_COLUMNS]

    @admin.display(description=_("seats sold"), ordering="seats_taken")
    def seats_sold(self, session):
        return session.seats_taken

    @admin.display(description=_("seats left"))
    def seats_left(self, session):
        return session.seats_left


@admin.register(VillageMembership)
class VillageMembershipAdmin(SavesChangedFieldsOnly, admin.ModelAdmin):
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
