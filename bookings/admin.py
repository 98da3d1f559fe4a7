"""Bookings in the admin: each village's bookings with their actions (approve, cancel, check in, no-show, CSV
export), the check-in page, the waiting lists, and on each session's page its bookings, its waiting list, how many
were rebooked after it was called off, and the action that calls sessions off (with the reason sent to visitors)."""

import csv
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bookings import services
from bookings.admin_waitlist import WaitlistInline, party
from bookings.errors import BookingError
from bookings.models import Booking, WaitlistEntry
from core.fields import max_length
from core.timezones import SHANGHAI
from outbox.admin import OutgoingEmailInline
from villages.admin import add_to_session_admin
from villages.admin_base import VillageScopedAdmin
from villages.models import Session

# A cell starting with one of these is a formula to Excel: exported free text gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
        today = timezone.localtime(timezone.now(), SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0)
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
    search_fields = ["reference", "name", "email", "phone", "check_in_code", "=source"]
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
        "source",
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
        today = timezone.localdate(timezone.now(), SHANGHAI)
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
                    f"{timezone.localtime(booking.session.starts_at, SHANGHAI):%Y-%m-%d %H:%M}",
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
    fk_name = "session"
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


class CancelSessionsForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the sessions are called off"),
        required=False,
        max_length=max_length(Session, "cancellation_reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_(
            "Sent to every visitor, in their email, with links to rebook onto the next sessions with room. "
            "For example: heavy rain is forecast for the evening."
        ),
    )


@admin.action(description=_("Cancel selected sessions (visitors are emailed)…"), permissions=["change"])
def cancel_sessions(modeladmin, request, queryset):
    """First a page with the sessions and the reason to send; its "post" calls each one off through the service:
    their bookings are cancelled and every visitor is emailed the reason and the sessions they can rebook onto."""
    sessions = list(queryset.select_related("experience__village").order_by("starts_at", "pk"))
    form = CancelSessionsForm(request.POST if request.POST.get("post") == "yes" else None)
    if not (form.is_bound and form.is_valid()):
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": gettext("Cancel sessions"),
            "subtitle": None,
            "opts": modeladmin.opts,
            "sessions": sessions,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = modeladmin.admin_site.name
        return TemplateResponse(request, "admin/villages/session/cancel_sessions.html", context)
    done = 0
    for session in sessions:
        try:
            _session, cancelled = services.cancel_session(session.pk, reason=form.cleaned_data["reason"])
        except BookingError as error:
            modeladmin.message_user(request, f"{session}: {error.message}", messages.WARNING)
            continue
        done += 1
        modeladmin.log_change(
            request,
            session,
            gettext("Cancelled the session and its %(count)s booking(s); the visitors are emailed.")
            % {"count": len(cancelled)},
        )
    modeladmin.message_user(request, gettext("%(count)s session(s) cancelled.") % {"count": done}, messages.SUCCESS)
    return None


def _count_by(field: str, queryset):
    """How many rows of `queryset` point at the session through `field`, as a subquery: counts over joins in one
    query would multiply each other."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(count=Count("pk"))
    return Coalesce(Subquery(counted.values("count"), output_field=IntegerField()), 0)


@admin.display(description=_("waiting"), ordering="waiting")
def waiting(session) -> int:
    return session.waiting


@admin.display(description=_("rebooked"))
def rebooked(session) -> str:
    """For a session called off: how many of its cancelled bookings the visitors moved to another session."""
    if session.status != Session.Status.CANCELLED:
        return "–"
    return gettext("%(rebooked)s of %(cancelled)s") % {
        "rebooked": session.rebooked,
        "cancelled": session.cancelled_with_it + session.rebooked,
    }


add_to_session_admin(
    inlines=[BookingInline, WaitlistInline],
    actions=[cancel_sessions],
    columns=[waiting, rebooked],
    annotations={
        "waiting": _count_by("session", WaitlistEntry.objects.filter(status__in=WaitlistEntry.ACTIVE)),
        "rebooked": _count_by("rebooked_from", Booking.objects.all()),
        "cancelled_with_it": _count_by(
            "session",
            Booking.objects.filter(status=Booking.Status.CANCELLED, cancelled_by=Booking.CancelledBy.OPERATOR),
        ),
    },
)
