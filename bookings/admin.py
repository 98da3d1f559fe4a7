import csv
import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bookings import services
from bookings.countries import country_name
from bookings.errors import BookingError
from bookings.models import Booking, OutgoingEmail, ResidencyApplication
from villages.admin import SessionAdmin
from villages.admin_base import VillageScopedAdmin
from villages.models import ResidencyProgram, Session
from villages.scoping import scoped_for

logger = logging.getLogger(__name__)

VILLAGE_TZ = ZoneInfo("Asia/Shanghai")
# A cell starting with one of these is a formula to Excel: exported free text gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def party(booking) -> str:
    return gettext("%(adults)s adults + %(children)s children") % {
        "adults": booking.adults,
        "children": booking.children,
    }


class OutgoingEmailInline(admin.TabularInline):
    model = OutgoingEmail
    extra = 0
    can_delete = False
    fields = ["kind", "recipient", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class SessionDayFilter(admin.SimpleListFilter):
    """Bookings by the day of their session (village time): what the operator works through each morning."""

    title = _("session day")
    parameter_name = "session_day"

    def lookups(self, request, model_admin):
        return [
            ("today", _("Today")),
            ("tomorrow", _("Tomorrow")),
            ("next7", _("Next 7 days")),
            ("past", _("Past")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localtime(timezone.now(), VILLAGE_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
        day = timedelta(days=1)
        ranges = {
            "today": (today, today + day),
            "tomorrow": (today + day, today + 2 * day),
            "next7": (today, today + 7 * day),
        }
        if self.value() in ranges:
            start, end = ranges[self.value()]
            return queryset.filter(session__starts_at__gte=start, session__starts_at__lt=end)
        if self.value() == "past":
            return queryset.filter(session__starts_at__lt=timezone.now())
        return queryset


def _spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class BookingContactForm(forms.ModelForm):
    """Who a booking is for, as an operator corrects it: checked by the booking service (formats, caps per person)
    under its locks, which the admin's transaction keeps until the save, so the check holds for the write."""

    class Meta:
        model = Booking
        fields = ["name", "email", "phone", "notes"]

    def clean(self):
        cleaned = super().clean()
        if self.errors or not self.changed_data:
            return cleaned
        try:
            cleaned.update(services.check_contact_change(self.instance.pk, **self.contact(cleaned)))
        except BookingError as error:
            for field, field_messages in error.fields.items():
                for message in field_messages:
                    self.add_error(field if field in self.fields else None, str(message))
            if not error.fields:
                raise forms.ValidationError(str(error.message), code="refused") from error
        return cleaned

    @staticmethod
    def contact(cleaned) -> dict:
        return {field: cleaned.get(field, "") for field in ("name", "email", "phone", "notes")}


@admin.register(Booking)
class BookingAdmin(VillageScopedAdmin):
    # The visitor's manage page holds their secret token; operators work on the booking here, never through it.
    view_on_site = False
    list_display = [
        "reference",
        "session",
        "party_size",
        "total_price",
        "status",
        "name",
        "phone",
        "email",
        "created_at",
    ]
    # RelatedOnly: the choices come from the user's own bookings, never another village's names.
    list_filter = [
        "status",
        SessionDayFilter,
        ("session", admin.RelatedOnlyFieldListFilter),
        ("session__experience__village", admin.RelatedOnlyFieldListFilter),
        ("session__experience", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["reference", "name", "email", "phone", "check_in_code"]
    date_hierarchy = "session__starts_at"
    list_select_related = ["session__experience"]
    readonly_fields = [
        "reference",
        "check_in_code",
        "session",
        "adults",
        "children",
        "total_price",
        "status",
        "language",
        "created_at",
        "processed_at",
        "confirmed_at",
        "cancelled_at",
        "cancelled_by",
        "checked_in_at",
    ]
    fields = ["name", "email", "phone", "notes", *readonly_fields]
    form = BookingContactForm
    inlines = [OutgoingEmailInline]
    actions = ["approve", "cancel", "mark_checked_in", "mark_no_show", "export_csv"]

    def save_model(self, request, obj, form, change):
        """Only the contact details, and only through the service: the status, party and seats stay as they are."""
        if form.changed_data:
            services.change_booking_contact(obj.pk, **form.contact(form.cleaned_data))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("party"))
    def party_size(self, booking):
        return party(booking)

    def _each(self, request, queryset, operation, done_message, log_message=None):
        done = 0
        for booking in queryset:
            try:
                operation(booking)
                done += 1
            except BookingError as error:
                self.message_user(request, f"{booking.reference}: {error.message}", messages.WARNING)
            else:
                if log_message:
                    self.log_change(request, booking, str(log_message))
        self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Approve selected bookings"))
    def approve(self, request, queryset):
        self._each(request, queryset, lambda booking: services.approve_booking(booking.pk), _("%(count)s approved."))

    @admin.action(description=_("Cancel selected bookings (the visitors are emailed)"))
    def cancel(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda booking: services.cancel_booking(booking.pk, by=Booking.CancelledBy.OPERATOR),
            _("%(count)s cancelled."),
        )

    @admin.action(description=_("Mark checked in"), permissions=["change"])
    def mark_checked_in(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda booking: services.check_in(booking.check_in_code, user=request.user),
            _("%(count)s checked in."),
            _("Checked in."),
        )

    @admin.action(description=_("Mark no-show"), permissions=["change"])
    def mark_no_show(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda booking: services.mark_no_show(booking.pk),
            _("%(count)s marked as no-show."),
            _("Marked as a no-show."),
        )

    def export_columns(self):
        return [
            _("reference"),
            _("session start"),
            _("experience"),
            _("village"),
            _("adults"),
            _("children"),
            _("total (CNY)"),
            _("status"),
            _("name"),
            _("email"),
            _("phone"),
            _("notes"),
        ]

    @admin.action(description=_("Export selected to CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        """UTF-8 with a BOM, so Excel shows the Chinese names; only the selected bookings the user may see."""
        today = timezone.localdate(timezone.now(), VILLAGE_TZ)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="bookings-{today:%Y%m%d}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([str(column) for column in self.export_columns()])
        rows = queryset.select_related("session__experience__village").order_by("session__starts_at", "reference")
        for booking in rows:
            experience = booking.session.experience
            writer.writerow(
                [
                    booking.reference,
                    f"{timezone.localtime(booking.session.starts_at, VILLAGE_TZ):%Y-%m-%d %H:%M}",
                    _spreadsheet_safe(experience.title),
                    _spreadsheet_safe(experience.village.name),
                    booking.adults,
                    booking.children,
                    booking.total_price,
                    booking.get_status_display(),
                    _spreadsheet_safe(booking.name),
                    _spreadsheet_safe(booking.email),
                    booking.phone,  # E.164, validated: "+86…" is not a formula
                    _spreadsheet_safe(booking.notes),
                ]
            )
        return response

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_check_in"
        return [
            path("check-in/", self.admin_site.admin_view(self.check_in_view), name=name),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_change_permission(request):
            extra_context["check_in_url"] = reverse("admin:bookings_booking_check_in", current_app=self.admin_site.name)
        return super().changelist_view(request, extra_context)

    def check_in_view(self, request):
        """One field: the operator types or scans the visitor's code; the service decides."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Check in a visitor"),
            "code": "",
        }
        status = 200
        if request.method == "POST":
            code = request.POST.get("code", "")
            try:
                booking = services.check_in(code, user=request.user)
            except BookingError as error:
                status = error.http_status
                context.update(code=code, error=error.message)
            else:
                self.log_change(request, booking, str(_("Checked in.")))
                context.update(booking=booking, party=party(booking))
        return TemplateResponse(request, "admin/bookings/booking/check_in.html", context, status=status)


class BookingInline(admin.TabularInline):
    """The session's bookings, to read: changes go through the booking list and its actions."""

    model = Booking
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["reference", "party_size", "name", "phone", "status"]
    readonly_fields = fields
    ordering = ["created_at"]

    @admin.display(description=_("party"))
    def party_size(self, booking):
        return party(booking)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(Session)


@admin.register(Session)
class SessionWithBookingsAdmin(SessionAdmin):
    list_display = ["experience", "starts_at", "ends_at", "capacity", "seats_sold", "seats_left", "status"]
    # Calling a session off cancels its bookings and emails the visitors: only the action below does that (the
    # status is read-only on every form, SessionAdmin.readonly_fields).
    inlines = [*SessionAdmin.inlines, BookingInline]
    actions = ["cancel_sessions"]

    @admin.display(description=_("seats sold"), ordering="seats_taken")
    def seats_sold(self, session):
        return session.seats_taken

    @admin.display(description=_("seats left"))
    def seats_left(self, session):
        return session.seats_left

    @admin.action(description=_("Cancel selected sessions (visitors are emailed)"), permissions=["change"])
    def cancel_sessions(self, request, queryset):
        done = 0
        for session in queryset:
            try:
                _session, cancelled = services.cancel_session(session.pk)
            except BookingError as error:
                self.message_user(request, f"{session}: {error.message}", messages.WARNING)
                continue
            done += 1
            self.log_change(
                request,
                session,
                gettext("Cancelled the session and its %(count)s booking(s); the visitors are emailed.")
                % {"count": len(cancelled)},
            )
        self.message_user(request, gettext("%(count)s session(s) cancelled.") % {"count": done}, messages.SUCCESS)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(VillageScopedAdmin):
    list_display = ["kind", "recipient", "booking", "application", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "booking__reference", "application__reference"]
    list_select_related = ["booking", "application"]
    readonly_fields = [
        "kind",
        "booking",
        "application",
        "recipient",
        "language",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
    ]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send failed emails again"))
    def send_again(self, request, queryset):
        count = services.retry_failed_emails(queryset.values_list("pk", flat=True))
        self.message_user(request, _("%(count)s email(s) queued again.") % {"count": count}, messages.SUCCESS)


class DecisionForm(forms.Form):
    """The optional message of the decision page; the decision itself is the action that was chosen."""

    message = forms.CharField(
        label=_("Message to the applicants"),
        required=False,
        max_length=services.MAX_DECISION_MESSAGE_CHARS,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_(
            "Optional. Sent with the decision email to every selected applicant, so write it for all of them. "
            "Leave it empty to send the standard email only."
        ),
    )


Decision = ResidencyApplication.Status

# What the decision page and its messages say for each decision the actions can take.
DECISIONS = {
    Decision.ACCEPTED: {
        "title": _("Accept residency applications"),
        "intro": _(
            "The applicants below will be accepted and emailed. Each takes one place in their programme, in the "
            "order they applied; once no place is left, the others are refused and stay as they are."
        ),
        "button": _("Accept and email the applicants"),
        "done": _("%(count)s application(s) accepted."),
        "logged": _("Accepted."),
    },
    Decision.WAITLISTED: {
        "title": _("Waitlist residency applications"),
        "intro": _(
            "The applicants below will be put on the waiting list and emailed. "
            "A waitlisted application can still be accepted when a place frees up."
        ),
        "button": _("Waitlist and email the applicants"),
        "done": _("%(count)s application(s) waitlisted."),
        "logged": _("Waitlisted."),
    },
    Decision.REJECTED: {
        "title": _("Reject residency applications"),
        "intro": _("The applicants below will be told by email that their application was not accepted."),
        "button": _("Reject and email the applicants"),
        "done": _("%(count)s application(s) rejected."),
        "logged": _("Rejected."),
    },
}


@admin.register(ResidencyApplication)
class ResidencyApplicationAdmin(VillageScopedAdmin):
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

    # --- The application's page: its decisions, as buttons that lead to the same actions as the list

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        application = self.get_object(request, unquote(object_id))
        if application is not None and self.has_change_permission(request):
            extra_context["decision_buttons"] = self._decision_buttons(application)
            extra_context["changelist_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist", current_app=self.admin_site.name
            )
            extra_context["action_checkbox_name"] = helpers.ACTION_CHECKBOX_NAME
        return super().change_view(request, object_id, form_url, extra_context)

    def _decision_buttons(self, application) -> list[tuple[str, str]]:
        buttons = []
        if application.status == Decision.SUBMITTED:
            buttons.append(("mark_under_review", gettext("Mark as under review")))
        if application.status in ResidencyApplication.DECIDABLE:
            buttons.append(("accept", gettext("Accept…")))
            if application.status != Decision.WAITLISTED:
                buttons.append(("waitlist", gettext("Waitlist…")))
            buttons.append(("reject", gettext("Reject…")))
        return buttons

    # --- Actions

    @admin.action(description=_("Mark as under review (the applicants are emailed)"), permissions=["change"])
    def mark_under_review(self, request, queryset):
        done = 0
        now = timezone.now()
        for application in queryset.order_by("created_at", "pk"):
            try:
                reviewed = services.start_review(application.pk, now=now)
            except BookingError as error:
                self.message_user(request, f"{application.reference}: {error.message}", messages.WARNING)
                continue
            if reviewed.reviewed_at == now:  # put under review by this call, not before
                done += 1
                self.log_change(request, application, gettext("Put under review."))
        self.message_user(
            request, gettext("%(count)s application(s) put under review.") % {"count": done}, messages.SUCCESS
        )

    @admin.action(description=_("Accept selected applications…"), permissions=["change"])
    def accept(self, request, queryset):
        return self._decide(request, queryset, Decision.ACCEPTED, "accept")

    @admin.action(description=_("Waitlist selected applications…"), permissions=["change"])
    def waitlist(self, request, queryset):
        return self._decide(request, queryset, Decision.WAITLISTED, "waitlist")

    @admin.action(description=_("Reject selected applications…"), permissions=["change"])
    def reject(self, request, queryset):
        return self._decide(request, queryset, Decision.REJECTED, "reject")

    def _decide(self, request, queryset, decision, action):
        """First the decision page (who, places left, a message); its "post" decides each application in turn."""
        # Oldest first: when places run out, those who applied first have had their chance.
        applications = list(queryset.select_related("program").order_by("created_at", "pk"))
        if not applications:
            self.message_user(
                request,
                gettext("Items must be selected in order to perform actions on them. No items have been changed."),
                messages.WARNING,
            )
            return None
        form = DecisionForm(request.POST if request.POST.get("post") == "yes" else None)
        if form.is_bound and form.is_valid():
            self._apply_decision(request, applications, decision, form.cleaned_data["message"])
            return None
        return self._decision_page(request, applications, decision, action, form)

    def _apply_decision(self, request, applications, decision, message):
        wording = DECISIONS[decision]
        done = 0
        now = timezone.now()
        for application in applications:
            try:
                decided = services.decide_application(application.pk, decision, message=message, now=now)
            except BookingError as error:
                self.message_user(request, f"{application.reference}: {error.message}", messages.WARNING)
                continue
            if decided.decided_at != now:  # it was already so: the service changed nothing and sent nothing
                self.message_user(
                    request,
                    gettext("%(reference)s: already %(status)s, nothing was changed.")
                    % {"reference": application.reference, "status": decided.get_status_display().lower()},
                    messages.INFO,
                )
                continue
            done += 1
            self.log_change(request, application, str(wording["logged"]))
        self.message_user(request, wording["done"] % {"count": done}, messages.SUCCESS)

    def _decision_page(self, request, applications, decision, action, form):
        program_ids = {application.program_id for application in applications}
        programs = list(
            scoped_for(ResidencyProgram, request.user).filter(pk__in=program_ids).order_by("starts_on", "slug")
        )
        places_left = {program.pk: program.places_left for program in programs}
        rows = []
        for application in applications:
            status = application.get_status_display()
            if application.status == decision:
                note = gettext("Already %(status)s: nothing will change.") % {"status": status.lower()}
            elif application.status not in ResidencyApplication.DECIDABLE:
                note = gettext("%(status)s: it can no longer be decided and will be skipped.") % {"status": status}
            elif decision == Decision.ACCEPTED and places_left.get(application.program_id, 0) < 1:
                note = gettext("No place is left for it: it will not be accepted.")
            else:
                note = ""
                if decision == Decision.ACCEPTED:
                    places_left[application.program_id] -= 1
            rows.append(
                {"application": application, "nationality": country_name(application.nationality), "note": note}
            )
        wording = DECISIONS[decision]
        context = {
            **self.admin_site.each_context(request),
            "title": wording["title"],
            "subtitle": None,
            "opts": self.opts,
            "intro": wording["intro"],
            "button": wording["button"],
            "action": action,
            "rows": rows,
            "programs": programs,
            "form": form,
            "to_decide": sum(1 for row in rows if not row["note"]),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/bookings/residencyapplication/decision_confirmation.html", context)
