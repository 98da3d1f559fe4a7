"""Residency in the admin: each village's programmes (places read-only: decisions count them), and the
applications, read-only, with the CV to download and the decisions of admin_decisions.py."""

import logging

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from core.countries import country_name
from outbox.admin import OutgoingEmailInline
from residency.admin_decisions import DecisionActions
from residency.forms import ResidencyProgramAdminForm
from residency.models import ResidencyApplication, ResidencyProgram
from villages.admin import PublishActionsMixin
from villages.admin_base import VillageScopedAdmin

logger = logging.getLogger(__name__)


@admin.register(ResidencyProgram)
class ResidencyProgramAdmin(PublishActionsMixin, VillageScopedAdmin, TranslationAdmin):
    form = ResidencyProgramAdminForm
    list_display = [
        "name",
        "village",
        "starts_on",
        "ends_on",
        "places",
        "places_accepted",
        "places_left_display",
        "applications_open_display",
        "is_published",
    ]
    list_filter = ["is_published", ("village", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name_zh_hans", "name_en", "slug"]
    list_select_related = ["village"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["village"]
    date_hierarchy = "starts_on"
    readonly_fields = ["places_accepted"]
    fieldsets = [
        (None, {"fields": ["village", "slug", "name", "description"]}),
        (_("Cohort"), {"fields": ["starts_on", "ends_on", "places", "places_accepted", "monthly_fee"]}),
        (
            _("What is included"),
            {"fields": list(ResidencyProgram.INCLUDED)},
        ),
        (_("Applications"), {"fields": ["applications_open_at", "applications_close_at"]}),
        (_("Publishing"), {"fields": ["is_published"]}),
    ]
    actions = ["publish", "unpublish"]

    @admin.display(description=_("Places left"))
    def places_left_display(self, obj):
        return obj.places_left

    @admin.display(description=_("Applications open"), boolean=True)
    def applications_open_display(self, obj):
        return obj.applications_open()


@admin.register(ResidencyApplication)
class ResidencyApplicationAdmin(DecisionActions, VillageScopedAdmin):
    """Operators read applications and decide them through the actions, which call the services (they lock the
    programme and count its places). Nothing on the page itself is editable, and nothing is ever deleted here."""

    # Status and places first: on a narrow screen the table scrolls, and these are what a decision needs.
    list_display = [
        "reference",
        "name",
        "status",
        "program",
        "places_left",
        "nationality_name",
        "profession",
        "arrival_date",
        "stay_months",
        "created_at",
    ]
    # RelatedOnly: the programme choices come from the user's own applications, never another village's.
    list_filter = ["status", ("program", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["reference", "name", "email"]
    list_select_related = ["program"]
    readonly_fields = [
        "reference",
        "program",
        "status",
        "created_at",
        "name",
        "email",
        "nationality_name",
        "language",
        "profession",
        "skills",
        "portfolio_link",
        "cv_link",
        "arrival_date",
        "stay_months",
        "proposal",
        "decision_message",
        "reviewed_at",
        "decided_at",
        "withdrawn_at",
        "consent_given_at",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "program", "status", "created_at"]}),
        (
            _("Applicant"),
            {
                "fields": [
                    "name",
                    "email",
                    "nationality_name",
                    "language",
                    "profession",
                    "skills",
                    "portfolio_link",
                    "cv_link",
                ]
            },
        ),
        (_("Stay"), {"fields": ["arrival_date", "stay_months", "proposal"]}),
        (_("Decision"), {"fields": ["decision_message", "reviewed_at", "decided_at", "withdrawn_at"]}),
        (_("Consent"), {"fields": ["consent_given_at"]}),
    ]
    inlines = [OutgoingEmailInline]
    actions = ["mark_under_review", "accept", "waitlist", "reject"]
    # The applicant's status page is theirs: its address carries their token, which operators have no use for.
    view_on_site = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        """`change` allows the decision actions on the list; an application's own page is read-only for everyone,
        so a decision can only be taken through the services."""
        return obj is None and super().has_change_permission(request)

    @admin.display(description=_("nationality"), ordering="nationality")
    def nationality_name(self, application):
        return f"{country_name(application.nationality)} ({application.nationality})"

    @admin.display(description=_("Places left"))
    def places_left(self, application):
        return application.program.places_left

    @admin.display(description=_("portfolio"))
    def portfolio_link(self, application):
        if not application.portfolio_url:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
            application.portfolio_url,
            application.portfolio_url,
        )

    @admin.display(description=_("CV (PDF)"))
    def cv_link(self, application):
        if not application.cv:
            return "—"
        return format_html('<a href="{}">{}</a>', self._cv_url(application), gettext("Download the CV (PDF)"))

    def _cv_url(self, application) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_cv",
            args=[application.pk],
            current_app=self.admin_site.name,
        )

    # --- The CV: private storage, served only here, to whoever may view the application

    def get_urls(self):
        return [
            path(
                "<path:object_id>/cv/",
                self.admin_site.admin_view(self.cv_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_cv",
            ),
            *super().get_urls(),
        ]

    def cv_view(self, request, object_id):
        """The applicant's CV as a download. Another village's application is not found, like one that never was."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        application = self.get_object(request, unquote(object_id))
        if application is None or not application.cv:
            raise Http404
        try:
            handle = application.cv.open("rb")
        except FileNotFoundError:
            logger.error("The CV of application %s is missing from private storage", application.reference)
            raise Http404 from None
        logger.info("CV of application %s downloaded by user %s", application.reference, request.user.pk)
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"{application.reference}-cv.pdf",
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        add_never_cache_headers(response)
        return response
