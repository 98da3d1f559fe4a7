import csv
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bookings import services
from bookings.errors import BookingError
from bookings.models import Booking, OutgoingEmail
from villages.admin import SessionAdmin
from villages.admin_base import VillageScopedAdmin
from villages.models import Session

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


@admin.register(Booking)
class BookingAdmin(VillageScopedAdmin):
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
    inlines = [OutgoingEmailInline]
    actions = ["approve", "cancel", "mark_checked_in", "mark_no_show", "export_csv"]

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
    # Calling a session off cancels its bookings and emails the visitors: only the action below does that.
    readonly_fields = ["status"]
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
    list_display = ["kind", "recipient", "booking", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "booking__reference"]
    list_select_related = ["booking"]
    readonly_fields = [
        "kind",
        "booking",
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
